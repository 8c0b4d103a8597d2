"""The SQLite index (dedup.store): adding, replacing, removing, and refusing wrong files."""

from __future__ import annotations

import ast
import dataclasses
import json
import sqlite3
from pathlib import Path

import pytest

from dedup import DEFAULT_PARAMS, Article, ConfigError, InputError
from dedup.store import PENDING_ROWS, Index, band_keys

STORY = (
    "The city council voted on Tuesday to close the old harbour bridge for repairs. "
    "Engineers found deep cracks in two of its steel supports during a routine inspection. "
    "Drivers face long detours through the town centre for most of the summer."
)
OTHER = (
    "A heatwave is expected to bring record temperatures to the south this weekend. "
    "Forecasters urged people to drink water and avoid the midday sun."
)


def stored_keys(path: Path) -> dict[str, set[tuple[int, int]]]:
    """Every article's (sentence, key) pairs as stored, in both tables, by id."""
    db = sqlite3.connect(path)
    names = dict(db.execute("SELECT n, id FROM articles"))
    out: dict[str, set[tuple[int, int]]] = {name: set() for name in names.values()}
    for table in ("bands", "pending"):
        for key, n, sentence in db.execute(f"SELECT key, article, sentence FROM {table}"):
            assert n in names, f"key of a missing article {n} in {table}"
            out[names[n]].add((sentence, key))
    db.close()
    return out


def assert_consistent(path: Path) -> dict[str, str]:
    """Each stored article has exactly the band keys of its text; return texts by id."""
    with Index(path, read_only=True) as index:
        texts = {s.id: s.text for s in index.articles([index.number(i) or 0 for i in index.ids()])}
        bands, rows = index.bands, index.rows
        params = index.params
    for article_id, keys in stored_keys(path).items():
        assert keys == set(band_keys(texts[article_id], params, bands, rows)[1]), article_id
        # A check signs new articles in plain Python: the keys must be the stored ones.
        plain = band_keys(texts[article_id], params, bands, rows, plain=True)[1]
        assert keys == set(plain), article_id
    return texts


def test_add_is_idempotent_and_a_changed_text_replaces_the_old(tmp_path: Path) -> None:
    path = tmp_path / "index.db"
    with Index(path) as index:
        assert index.add([Article("a", STORY), Article("b", OTHER)]).added == ("a", "b")
        again = index.add([Article("a", STORY), Article("b", OTHER + " More.", source="X")])
        assert (again.added, again.replaced, again.unchanged) == ((), ("b",), ("a",))
        meta_only = index.add([Article("a", STORY, source="Herald")])
        assert meta_only.replaced == ("a",)
        assert len(index) == 2
        assert "a" in index
    texts = assert_consistent(path)
    assert texts["b"] == OTHER + " More."


def test_remove_and_prune(tmp_path: Path) -> None:
    path = tmp_path / "index.db"
    with Index(path) as index:
        index.add(
            [
                Article("old", STORY, date="2021-05-01"),
                Article("new", OTHER, date="2024-01-02"),
                Article("undated", STORY + " Again."),
            ]
        )
        assert index.remove(["old", "missing"]) == ("old",)
        index.add([Article("old", STORY, date="2021-05-01")])
        assert index.prune("2022-01-01") == ("old",)
        assert index.ids() == ["new", "undated"]
        with pytest.raises(ConfigError, match="--before must be a date"):
            index.prune("last year")
    assert_consistent(path)


def test_merge_moves_pending_keys_and_check_sees_both(tmp_path: Path) -> None:
    path = tmp_path / "index.db"
    with Index(path) as index:
        index.add([Article("a", STORY)])
        assert index.info().pending_keys > 0
        index.merge()
        assert index.info().pending_keys == 0
        index.add([Article("b", OTHER)])  # pending again, below PENDING_ROWS
        assert 0 < index.info().pending_keys < PENDING_ROWS
        result = index.check([Article("new", "Intro. " + STORY + " " + OTHER)])
    assert {f.other_id for f in result.verdicts[0].findings} == {"a", "b"}
    assert_consistent(path)


def test_info_reports_counts_size_and_parameters(tmp_path: Path) -> None:
    path = tmp_path / "index.db"
    with Index(path) as index:
        index.add([Article("a", STORY, date="2024-03-01"), Article("b", OTHER, date="2023-01-01")])
        info = index.info()
    assert (info.articles, info.sentences) == (2, 5)
    assert info.band_keys == 5 * info.bands
    assert info.size_bytes > 0
    assert info.params == DEFAULT_PARAMS
    assert (info.oldest, info.newest) == ("2023-01-01", "2024-03-01")


@pytest.mark.parametrize(
    ("field", "value"),
    [("num_perm", 64), ("seed", 7), ("threshold", 0.5), ("shingle_size", 2), ("min_features", 2)],
)
def test_other_parameters_are_refused(tmp_path: Path, field: str, value: object) -> None:
    path = tmp_path / "index.db"
    Index(path).close()
    other = dataclasses.replace(DEFAULT_PARAMS, **{field: value})
    with pytest.raises(ConfigError, match=f"built with {field}="):
        Index(path, other)
    # Alignment parameters may differ: they do not change band keys.
    Index(path, dataclasses.replace(DEFAULT_PARAMS, min_score=0.9)).close()


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("hash_scheme", "affine64", "hash scheme 'affine64'"),
        ("fingerprint", "0" * 16, "whose sentences or signatures differ"),
        ("schema", "99", "index format 99"),
        ("format", "something else", "its meta table is not dedup's"),
    ],
)
def test_a_changed_meta_is_refused(tmp_path: Path, key: str, value: str, message: str) -> None:
    path = tmp_path / "index.db"
    Index(path).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = ? WHERE key = ?", (value, key))
    db.close()
    with pytest.raises((ConfigError, InputError), match=message):
        Index(path, read_only=True)


def test_foreign_and_damaged_files_are_refused(tmp_path: Path) -> None:
    text = tmp_path / "notes.db"
    text.write_text("not a database", encoding="utf-8")
    with pytest.raises(InputError, match="not an SQLite database"):
        Index(text)

    other = tmp_path / "other.db"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE t (x)")
    db.close()
    with pytest.raises(InputError, match="without its tables"):
        Index(other, read_only=True)

    path = tmp_path / "index.db"
    with Index(path) as index:
        index.add([Article(f"a{n}", f"{STORY} Number {n}.") for n in range(30)])
        index.merge()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="truncated"):
        Index(path, read_only=True)

    folder = tmp_path / "folder.db"
    folder.mkdir()
    with pytest.raises(InputError, match="is a folder"):
        Index(folder)


def test_a_missing_index_is_not_made_read_only(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such index"):
        Index(tmp_path / "missing.db", read_only=True)
    assert not (tmp_path / "missing.db").exists()
    with pytest.raises(InputError, match="cannot make the index here"):
        Index(tmp_path / "no" / "such" / "folder.db")


def test_read_only_index_serves_check_but_not_add(tmp_path: Path) -> None:
    path = tmp_path / "index.db"
    with Index(path) as index:
        index.add([Article("a", STORY)])
    with Index(path, read_only=True) as index:
        assert index.read_only
        with pytest.raises(InputError, match="read-only"):
            index.add([Article("b", OTHER)])
        result = index.check([Article("new", STORY)])
    assert not result.passed


def test_info_of_params_json_is_plain_json(tmp_path: Path) -> None:
    path = tmp_path / "index.db"
    Index(path).close()
    with sqlite3.connect(path) as db:
        meta = dict(db.execute("SELECT key, value FROM meta"))
    db.close()
    assert json.loads(meta["params"])["num_perm"] == DEFAULT_PARAMS.num_perm
    assert meta["bands"].isdigit()
    assert meta["rows"].isdigit()


@pytest.mark.parametrize(
    ("changes", "bands", "rows"),
    [({}, 42, 3), ({"num_perm": 64, "seed": 7}, 16, 4), ({"shingle_size": 2}, 59, 2)],
    ids=["default", "64-perms-seed-7", "bigrams"],
)
def test_plain_band_keys_are_datasketchs(
    sample_articles: list[Article], changes: dict[str, int], bands: int, rows: int
) -> None:
    params = dataclasses.replace(DEFAULT_PARAMS, **changes)
    for a in sample_articles:
        expected = band_keys(a.text, params, bands, rows)
        assert band_keys(a.text, params, bands, rows, plain=True) == expected, a.id


def _dedup_imports(module: str) -> set[str]:
    """The dedup modules that ``dedup/<module>.py`` imports, anywhere in it."""
    source = (Path(__file__).parent.parent / "dedup" / f"{module}.py").read_text(encoding="utf-8")
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("dedup."):
            found.add((node.module or "").split(".")[1])
    return found


@pytest.mark.parametrize(
    ("module", "above"),
    [
        ("store_file", {"store_counts", "store_records", "store_articles", "check", "store"}),
        ("store_counts", {"store_records", "store_articles", "check", "store"}),
        ("store_records", {"store_articles", "check", "store"}),
        ("store_articles", {"check", "store"}),
        ("check", {"store"}),
    ],
)
def test_the_index_modules_import_one_way(module: str, above: set[str]) -> None:
    assert not _dedup_imports(module) & above

"""The counts the index keeps (dedup.store_counts), and indexes of the old format."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dedup import Article, ConfigError
from dedup.boilerplate import digests
from dedup.cli import cli
from dedup.normalize import content_stem_set, words
from dedup.store import SCHEMA_VERSION, Index

# A small index made by dedup 0.1 (index format 1), of two short articles written for it.
OLD_INDEX = Path(__file__).parent / "data" / "index-format-1.db"

TEXTS = [
    "The council voted on Tuesday to close the old harbour bridge for repairs.",
    "Engineers found 12 deep cracks in two of its steel supports. Sign up for our newsletter.",
    "A heatwave brings record temperatures of 41C to the south. Sign up for our newsletter.",
    "Drivers face long detours through the town centre this summer, officials said.",
    "The council voted on Tuesday to close the old harbour bridge for repairs. Read more.",
]
SOURCES = [None, "Herald", "Gazette"]


def recount(path: Path) -> tuple[int, Counter[str], Counter[tuple[str, int]]]:
    """The article count, stem frequencies and lines per source, from the stored articles."""
    db = sqlite3.connect(path)
    stems: Counter[str] = Counter()
    lines: Counter[tuple[str, int]] = Counter()
    rows = db.execute("SELECT text, source FROM articles").fetchall()
    db.close()
    for text, source in rows:
        stems.update(content_stem_set(words(text)))
        if source is not None:
            lines.update({(source, h) for _, _, h in digests(text)})
    return len(rows), stems, lines


def stored(path: Path) -> tuple[int, Counter[str], Counter[tuple[str, int]]]:
    """The same, as the index has them: the stored tables, through the accessors."""
    db = sqlite3.connect(path)
    stems = Counter(dict(db.execute("SELECT stem, articles FROM stems")))
    sources = [r[0] for r in db.execute("SELECT DISTINCT source FROM lines")]
    digests_of = {s: [r[0] for r in db.execute("SELECT digest FROM lines WHERE source = ?", (s,))]
                  for s in sources}  # fmt: skip
    db.close()
    lines: Counter[tuple[str, int]] = Counter()
    with Index(path, read_only=True) as index:
        n = index.document_count()
        assert n == len(index)
        assert index.document_frequencies(stems) == dict(stems)
        assert index.info().stems == len(stems)
        for source, signed in digests_of.items():
            unsigned = [h % (1 << 64) for h in signed]
            lines.update(
                {(source, h): c for h, c in index.boilerplate_counts(source, unsigned).items()}
            )
    return n, stems, lines


operation = st.one_of(
    st.tuples(st.just("add"), st.integers(0, 5), st.integers(0, 4), st.sampled_from(SOURCES)),
    st.tuples(st.just("remove"), st.integers(0, 5)),
    st.tuples(st.just("prune"), st.sampled_from(["2021-01-01", "2023-01-01", "2030-01-01"])),
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operation, max_size=12))
def test_counts_equal_a_recount_after_any_changes(ops: list[tuple[object, ...]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "index.db")
        with Index(path) as index:
            for op in ops:
                if op[0] == "add":  # a new article, a changed text, or a changed source
                    _, i, t, source = op
                    date = f"202{int(str(i)) % 4}-06-01"
                    text = TEXTS[int(str(t))]
                    index.add([Article(f"a{i}", text, source=source, date=date)])
                elif op[0] == "remove":
                    index.remove([f"a{op[1]}"])
                else:
                    index.prune(str(op[1]))
        assert stored(path) == recount(path)


def test_frequencies_read_only_the_stems_asked_for(tmp_path: Path) -> None:
    path = tmp_path / "index.db"
    with Index(path) as index:
        index.add([Article("a", TEXTS[1], source="Herald"), Article("b", TEXTS[2])])
        assert index.document_frequencies(["newslett", "crack", "12", "zebra"]) == {
            "newslett": 2, "crack": 1, "12": 1, "zebra": 0,
        }  # fmt: skip
        assert index.document_frequencies([]) == {}
        [(_, _, footer)] = [d for d in digests(TEXTS[1]) if d[0] > 0]
        assert index.boilerplate_counts("Herald", [footer]) == {footer: 1}
        assert index.boilerplate_counts("Gazette", [footer]) == {footer: 0}  # b has no source
        index.add([Article("b", TEXTS[2], source="Herald")])  # its source changes
        assert index.boilerplate_counts("Herald", [footer]) == {footer: 2}
        assert index.document_count() == 2


def test_info_shows_distinct_stems(tmp_path: Path) -> None:
    path = tmp_path / "index.db"
    with Index(path) as index:
        index.add([Article("a", TEXTS[0])])
    result = CliRunner().invoke(cli, ["index", "info", str(path)])
    assert result.exit_code == 0, result.output
    assert f"{len(content_stem_set(words(TEXTS[0])))} distinct stems" in result.stdout


@pytest.fixture
def old_index(tmp_path: Path) -> Path:
    path = tmp_path / "old.db"
    shutil.copyfile(OLD_INDEX, path)
    return path


def test_the_fixture_is_an_index_of_the_old_format(old_index: Path) -> None:
    db = sqlite3.connect(old_index)
    meta = dict(db.execute("SELECT key, value FROM meta"))
    assert int(db.execute("SELECT count(*) FROM articles").fetchone()[0]) == 2
    db.close()
    assert meta["schema"] == "1"
    assert SCHEMA_VERSION > 1


@pytest.mark.parametrize("read_only", [True, False], ids=["read-only", "writable"])
def test_an_old_index_gets_the_rebuild_error(old_index: Path, read_only: bool) -> None:
    before = old_index.read_bytes()
    with pytest.raises(ConfigError) as caught:
        Index(old_index, read_only=read_only)
    message = str(caught.value)
    assert str(old_index) in message
    assert "index format 1 (made by dedup 0.1.0), this dedup" in message
    assert f"reads format {SCHEMA_VERSION}" in message
    assert "rebuild the index: dedup index add NEW.db" in message
    assert old_index.read_bytes() == before  # not changed by opening it


@pytest.mark.parametrize(
    "command",
    [
        ["index", "info", "{index}"],
        ["index", "add", "{index}", "{article}"],
        ["check", "{article}", "--index", "{index}"],
    ],
    ids=["info", "add", "check"],
)
def test_the_cli_refuses_an_old_index_with_exit_2(
    old_index: Path, tmp_path: Path, command: list[str]
) -> None:
    article = tmp_path / "draft.txt"
    article.write_text(TEXTS[0] + " " + TEXTS[3], encoding="utf-8")
    args = [a.format(index=old_index, article=article) for a in command]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert "rebuild the index: dedup index add NEW.db" in result.stderr
    assert "index format 1" in result.stderr

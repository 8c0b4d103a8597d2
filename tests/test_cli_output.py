"""Writing results: full disks, closed pipes, unwritable paths, devices, and what stderr says."""

from __future__ import annotations

import json
import os
import pickle
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest
from click.testing import CliRunner, Result

from dedup import Article, scan
from dedup.cli import cli
from dedup.cli_common import CLIError, output
from dedup.model import Coverage, Shares

STORY = (
    "The city council voted on Tuesday to close the old harbour bridge for repairs. "
    "Engineers found deep cracks in two of its steel supports during a routine inspection. "
    "Drivers face long detours through the town centre for most of the summer.\n"
)


def _invoke(*args: str | Path, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], input=stdin)


def _dedup(
    *args: str | Path, stdout: int | IO[bytes] = subprocess.PIPE
) -> subprocess.CompletedProcess[bytes]:
    """Run ``dedup`` in a process of its own (a real stdout, a real exit)."""
    command = [sys.executable, "-m", "dedup", *(str(a) for a in args)]
    return subprocess.run(command, stdout=stdout, stderr=subprocess.PIPE, check=False)


@pytest.fixture
def copies(tmp_path: Path) -> Path:
    """A folder of two articles that share a story, long enough to fill a pipe's buffer."""
    folder = tmp_path / "copies"
    folder.mkdir()
    filler = "".join(f"Paragraph {n} says something new about the town.\n" for n in range(3000))
    (folder / "a.txt").write_text(STORY + filler, encoding="utf-8")
    (folder / "b.txt").write_text("Local news.\n" + STORY, encoding="utf-8")
    return folder


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_is_an_error_with_exit_2_not_a_traceback(copies: Path) -> None:
    with Path("/dev/full").open("wb") as full:
        result = _dedup("scan", copies, "--no-progress", stdout=full)
    stderr = result.stderr.decode()
    assert result.returncode == 2, stderr
    assert "Error: standard output: cannot write (No space left on device)" in stderr
    assert "Traceback" not in stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_under_check_text_is_an_error(copies: Path, tmp_path: Path) -> None:
    index = tmp_path / "pub.db"
    assert _invoke("index", "add", index, copies / "a.txt").exit_code == 0
    with Path("/dev/full").open("wb") as full:
        result = _dedup("check", copies / "b.txt", "--index", index, stdout=full)
    stderr = result.stderr.decode()
    assert result.returncode == 2, stderr
    assert "No space left on device" in stderr
    assert "Traceback" not in stderr


def test_a_closed_pipe_is_an_error_with_exit_2_not_a_traceback(copies: Path) -> None:
    command = [sys.executable, "-m", "dedup", "scan", str(copies), "--no-progress"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        process.stdout.read(10)  # like `| head -c 10`
        process.stdout.close()
        stderr = process.stderr.read().decode()
        returncode = process.wait(timeout=120)
    assert returncode == 2, stderr
    assert "Error: standard output: cannot write (the pipe was closed" in stderr
    assert "Traceback" not in stderr
    assert "Exception ignored" not in stderr


def test_an_output_in_a_missing_folder_is_refused_before_any_work(copies: Path) -> None:
    result = _invoke("scan", copies, "-o", copies / "no" / "such" / "out.jsonl")
    assert result.exit_code == 2
    assert "out.jsonl: cannot write (the folder" in result.output
    assert "does not exist" in result.output
    assert "articles" not in result.output  # stopped before the scan's summary


def test_an_output_that_is_a_folder_is_refused(copies: Path) -> None:
    result = _invoke("scan", copies, "-o", copies)
    assert result.exit_code == 2
    assert "is a directory" in result.output


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere")
def test_an_output_in_a_read_only_folder_is_refused(copies: Path, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    result = _invoke("scan", copies, "-o", locked / "out.jsonl")
    assert result.exit_code == 2
    assert "no permission to write" in result.output


@pytest.mark.skipif(not Path("/dev/stdout").exists(), reason="needs /dev/stdout")
def test_dash_o_dev_stdout_writes_to_stdout_without_force(copies: Path) -> None:
    result = _dedup("scan", copies, "-o", "/dev/stdout", "--no-progress")
    assert result.returncode == 0, result.stderr.decode()
    first = json.loads(result.stdout.decode().splitlines()[0])
    assert first["type"] == "meta"


def test_a_failed_write_leaves_neither_a_partial_file_nor_a_temporary_one(
    tmp_path: Path,
) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("the old results\n", encoding="utf-8")

    def half_way() -> None:
        with output(target, force=True) as out:
            out.write("half of the new results")
            raise RuntimeError("the scan failed half-way")

    with pytest.raises(RuntimeError, match="half-way"):
        half_way()
    assert target.read_text(encoding="utf-8") == "the old results\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]


def test_a_complete_write_replaces_the_file_and_leaves_no_temporary_one(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    with output(target) as out:
        out.write("new\r\n")
    assert target.read_bytes() == b"new\r\n"  # UTF-8, no newline translation
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]
    with pytest.raises(CLIError, match="already exists; pass --force"), output(target):
        pass


def test_scan_text_prints_its_summary_once(copies: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["scan", str(copies), "--format", "text"])
    assert result.exit_code == 0, result.output
    summary = "2 articles, "
    assert result.stdout.startswith("dedup ")
    assert summary in result.stdout.splitlines()[0]
    assert summary not in result.stderr
    to_file = CliRunner().invoke(
        cli, ["scan", str(copies), "--format", "text", "-o", str(tmp_path / "r.txt")]
    )
    assert summary in to_file.stderr  # the summary is not on the terminal otherwise
    jsonl = CliRunner().invoke(cli, ["scan", str(copies)])
    assert summary in jsonl.stderr


def test_counts_of_one_are_singular(copies: Path, tmp_path: Path) -> None:
    results = tmp_path / "r.jsonl"
    assert _invoke("scan", copies, "--no-within", "-o", results).exit_code == 0
    report = CliRunner().invoke(cli, ["report", str(results), "--html", str(tmp_path / "r.html")])
    assert report.exit_code == 0, report.output
    assert "2 articles, 1 passage\n" in report.stderr
    index = tmp_path / "one.db"
    added = CliRunner().invoke(cli, ["index", "add", str(index), str(copies / "a.txt")])
    assert "holds 1 article\n" in added.stderr
    info = _invoke("index", "info", index)
    assert "1 article, " in info.output


def test_coverage_by_article_is_the_same_mapping_in_python_and_json(copies: Path) -> None:
    articles = [Article("a", STORY), Article("b", "Local news.\n" + STORY)]
    report = scan(articles)
    by_article = report.coverage[1].by_article
    assert dict(by_article) == {"a": report.coverage[1].share}
    assert by_article["a"] == report.coverage[1].share
    feed = "\n".join(json.dumps({"id": a.id, "text": a.text}) for a in articles)
    result = _invoke("scan", "-", stdin=feed)
    coverage = [json.loads(line) for line in result.stdout.splitlines()][-1]
    assert coverage["by_article"] == dict(by_article)


def test_shares_keep_their_order_and_are_hashable_and_picklable() -> None:
    shares = Shares([("z", 0.5), ("a", 0.25)])
    assert list(shares) == ["z", "a"]
    c = Coverage("x", 10, 5, 0.5, shares)
    assert pickle.loads(pickle.dumps(c)) == c
    assert hash(c) == hash(Coverage("x", 10, 5, 0.5, [("z", 0.5), ("a", 0.25)]))
    assert Coverage("x", 10, 5, 0.5, {"z": 0.5, "a": 0.25}) == c


def test_a_long_run_in_a_log_prints_a_progress_line_per_interval(
    copies: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dedup.cli_progress

    monkeypatch.setattr(dedup.cli_progress, "PROGRESS_SECONDS", 0.0)  # every item is "long"
    logged = CliRunner().invoke(cli, ["scan", str(copies)])  # stderr is not a terminal
    assert logged.exit_code == 0, logged.output
    lines = logged.stderr.splitlines()
    assert "reading: 1 articles, 0 s" in lines or any(
        line.startswith("reading: ") for line in lines
    )
    assert any(re.fullmatch(r"sentences: \d+ of \d+ \(\d+%\), \d+ s", line) for line in lines)
    assert "\r" not in logged.stderr  # no bar: one plain line each
    quiet = CliRunner().invoke(cli, ["scan", str(copies), "--no-progress"])
    assert not any(
        line.startswith(("reading:", "sentences:")) for line in quiet.stderr.splitlines()
    )


def test_a_short_run_in_a_log_prints_no_progress(copies: Path) -> None:
    result = CliRunner().invoke(cli, ["scan", str(copies)])
    assert [line for line in result.stderr.splitlines() if ": " in line and " s" in line] == []


def test_a_log_gets_a_line_every_few_seconds_while_one_item_takes_long() -> None:
    import io

    from dedup.cli_progress import Ticker

    out = io.StringIO()

    def one_slow_item() -> Iterator[int]:
        # The item is held back until a line about it is written (or 30 s, then failing).
        for _ in range(300):
            if out.getvalue():
                break
            time.sleep(0.1)
        yield 1

    items = Ticker(one_slow_item(), "aligning", total=1, out=out, every=0.2)
    assert list(items) == [1]
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("aligning: 0 of 1 (0%), ")  # written while the item was due
    assert lines[-1].startswith("aligning: 1 of 1 (100%), ")

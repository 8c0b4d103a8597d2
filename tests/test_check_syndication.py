"""Checking a draft against an index of many copies of one story: found, and named once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dedup import Article
from dedup.check import STOP_POSTINGS
from dedup.cli import cli
from dedup.store import Index

PARAGRAPHS = [
    "The harbour bridge will close for repairs on Monday, the city council said on Friday.",
    "Engineers found corrosion in two of the steel cables that hold the main span in place.",
    "Drivers will be sent along the coast road, which adds about twenty minutes to the trip.",
    "The ferry company said it would add three crossings a day while the work goes on.",
    "Shopkeepers near the bridge fear that the closure will keep their customers away.",
]
STORY = "\n\n".join(PARAGRAPHS)
DRAFT = "\n\n".join(
    [PARAGRAPHS[1], "Our reporter walked the span on Saturday and saw the works.", PARAGRAPHS[2]]
)


def _copies(n: int) -> list[Article]:
    """``n`` copies of the story, indexed out of date order: the earliest is the 3rd added."""
    days = [5, 9, 1] + [10 + k % 18 for k in range(n - 3)]
    return [
        Article(f"copy{k:04d}", STORY, source=f"Site{k % 7}", date=f"2024-03-{days[k]:02d}")
        for k in range(n)
    ]


@pytest.mark.parametrize("merged", [False, True], ids=["pending", "merged"])
@pytest.mark.parametrize("n", [STOP_POSTINGS, STOP_POSTINGS + 1], ids=["at-limit", "over-limit"])
def test_a_draft_copying_a_story_held_by_many_fails_and_names_the_earliest_once(
    tmp_path: Path, n: int, merged: bool
) -> None:
    # Over STOP_POSTINGS, the story's band keys are frequent: before, they were skipped and
    # the draft passed with 0 % reused; now the earliest holders are looked at, among the
    # postings not yet merged and among the merged ones.
    path = tmp_path / "index.db"
    with Index(path) as index:
        index.add(_copies(n))
        if merged:
            index.merge()
    with Index(path, read_only=True) as index:
        [v] = index.check([Article("draft", DRAFT)]).verdicts
    assert not v.passed
    assert [f.other_id for f in v.findings] == ["copy0002"]  # dated 2024-03-01
    [finding] = v.findings
    assert finding.others == n - 1
    assert DRAFT[finding.start : finding.end].startswith(PARAGRAPHS[1])
    assert v.over == (
        f"reuses {v.coverage.share:.1%} of its text (budget 30%)",
        f"takes {v.coverage.share:.1%} of its text from copy0002, the earliest of {n:,} that "
        "hold it (budget 20%)",
    )


def test_check_of_a_story_held_by_many_is_a_short_report(tmp_path: Path) -> None:
    published = tmp_path / "published.jsonl"
    published.write_text(
        "".join(
            json.dumps({"id": a.id, "text": a.text, "source": a.source, "date": a.date}) + "\n"
            for a in _copies(STOP_POSTINGS + 50)
        ),
        encoding="utf-8",
    )
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    runner = CliRunner()
    index = str(tmp_path / "index.db")
    assert runner.invoke(cli, ["index", "add", index, str(published)]).exit_code == 0
    result = runner.invoke(cli, ["check", str(draft), "--index", index], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert len(lines) <= 40
    assert any(
        line.startswith("FAIL") and "copy0002, the earliest of 250 that hold it" in line
        for line in lines
    )
    assert "and 249 other indexed articles hold it" in result.stdout


@pytest.mark.parametrize("merged", [False, True], ids=["pending", "merged"])
def test_the_earliest_holders_are_the_same_walked_or_sorted(tmp_path: Path, merged: bool) -> None:
    # postings() walks the articles in date order or sorts a key's postings, whichever costs
    # less; both must give the same earliest holders (dated first, then undated, by number).
    undated = [Article(f"plain{k}", STORY) for k in range(3)]
    path = tmp_path / "index.db"
    with Index(path) as index:
        index.add([*undated[:2], *_copies(12), undated[2]])
        if merged:
            index.merge()
        keys = sorted({key for _, key in index.keys(PARAGRAPHS[1])[1]})
        for take in (1, 8, 14, 20):
            for key in keys:
                walked = index._earliest(key, take, walk=True)
                assert walked == index._earliest(key, take, walk=False)
                assert len(walked) == min(take, 15)
        first = index.number("copy0002")  # dated 2024-03-01: the earliest
        assert index._earliest(keys[0], 1, walk=False) == [(first, 1)]

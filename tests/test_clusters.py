"""Reuse clusters: members with exact offsets, the origin by date, output linear in copies."""

from __future__ import annotations

import io
import json

import pytest
from click.testing import CliRunner
from test_twins import STORY, _syndicated

import dedup
from dedup import Article, Member, Passage, find_clusters
from dedup.cli import cli
from dedup.outputs import write_scan_jsonl

TEXT = "x" * 300


def _docs(*dated: tuple[str, str | None]) -> list[Article]:
    return [Article(k, TEXT, date=d) for k, d in dated]


def test_pieces_linked_to_the_earliest_are_a_cluster_with_it_first() -> None:
    docs = _docs(("a", "2024-05-02"), ("b", None), ("c", "2024-05-01"), ("d", None))
    passages = [
        Passage("a", 10, 110, "c", 50, 150, 1.0, "verbatim"),
        Passage("b", 0, 100, "c", 60, 150, 0.9, "near-verbatim"),  # mostly c[50:150]
        Passage("b", 200, 260, "d", 0, 60, 1.0, "verbatim"),  # two articles only: no cluster
    ]
    [cluster] = find_clusters(docs, passages)
    assert cluster.members == (
        Member("c", 50, 150, "2024-05-01"),
        Member("a", 10, 110, "2024-05-02"),
        Member("b", 0, 100, None),
    )
    assert cluster.origin == Member("c", 50, 150, "2024-05-01")
    assert (cluster.articles, cluster.passages) == (3, 2)


def test_a_chain_of_pieces_does_not_snowball_into_one_cluster() -> None:
    # e0 shares one text with e1, e1 another with e2, ...: no text is shared by three
    docs = _docs(*((f"e{k}", f"2024-05-{k + 1:02d}") for k in range(6)))
    passages = [Passage(f"e{k}", 150, 250, f"e{k + 1}", 0, 100, 1.0, "verbatim") for k in range(5)]
    assert find_clusters(docs, passages) == []


def test_pieces_that_barely_overlap_are_not_one() -> None:
    docs = _docs(("a", None), ("b", None), ("c", None))
    passages = [
        Passage("a", 0, 100, "b", 0, 100, 1.0, "verbatim"),
        Passage("a", 90, 200, "c", 0, 110, 1.0, "verbatim"),  # 10 of 100 chars shared
    ]
    assert find_clusters(docs, passages) == []


@pytest.mark.parametrize("kind", ["template", "boilerplate"])
def test_resemblance_makes_no_cluster(kind: str) -> None:
    docs = _docs(("a", None), ("b", None), ("c", None))
    passages = [
        Passage("a", 0, 100, "b", 0, 100, 1.0, kind),  # type: ignore[arg-type]
        Passage("a", 0, 100, "c", 0, 100, 1.0, "verbatim"),
    ]
    assert find_clusters(docs, passages) == []


def test_reuse_inside_one_article_makes_no_cluster() -> None:
    docs = _docs(("a", None))
    passages = [
        Passage("a", 0, 50, "a", 100, 150, 1.0, "verbatim"),
        Passage("a", 0, 50, "a", 200, 250, 1.0, "verbatim"),
    ]
    assert find_clusters(docs, passages) == []


@pytest.mark.parametrize("copies", [30, 120])
def test_a_syndicated_story_is_one_cluster_in_output_linear_in_the_copies(copies: int) -> None:
    docs = _syndicated(copies)[::-1]  # read newest first: the origin is found by date
    report = dedup.scan(docs)
    out = io.StringIO()
    write_scan_jsonl(report, docs, out, inputs=["corpus.jsonl"])
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(records) <= 3 * len(docs)  # meta, a passage and a coverage line per copy, ...
    clusters = [r for r in records if r["type"] == "cluster"]
    [story] = [c for c in clusters if c["origin"] == "wire"]
    assert story["articles"] == len(docs)  # every copy and the draft
    assert story["members"][0] == {"id": "wire", "start": 0, "end": len(" ".join(STORY)),
                                   "date": "2024-03-01"}  # fmt: skip
    dates = [m["date"] for m in story["members"]]
    assert dates == sorted(dates)
    draft = next(m for m in story["members"] if m["id"] == "draft")
    text = next(d.text for d in docs if d.id == "draft")
    assert text[draft["start"] : draft["end"]].startswith(STORY[1])
    assert story["snippet"] == " ".join(STORY)


def test_scan_text_lists_the_cluster(tmp_path: object) -> None:
    docs = _syndicated(5)
    lines = "".join(json.dumps({"id": a.id, "text": a.text, "date": a.date}) + "\n" for a in docs)
    result = CliRunner().invoke(cli, ["scan", "-", "--format", "text"], input=lines)
    assert result.exit_code == 0, result.output
    assert "cluster 1: 6 articles, origin wire [0:" in result.stdout
    assert "    draft [" in result.stdout


def test_the_parts_of_a_copy_that_dropped_a_paragraph_are_one_piece_of_the_origin() -> None:
    docs = _docs(("o", "2024-05-01"), ("a", "2024-05-02"), ("b", "2024-05-03"))
    passages = [
        Passage("o", 0, 120, "a", 0, 120, 1.0, "verbatim"),  # a dropped o[120:160]
        Passage("o", 160, 290, "a", 120, 250, 1.0, "verbatim"),
        Passage("o", 0, 290, "b", 0, 290, 1.0, "verbatim"),  # b copied it all
    ]
    [cluster] = find_clusters(docs, passages)
    assert [m.id for m in cluster.members] == ["o", "a", "a", "b"]
    assert cluster.origin == Member("o", 0, 290, "2024-05-01")
    assert (cluster.articles, cluster.passages) == (3, 3)

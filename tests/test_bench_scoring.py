"""``scripts/bench.py`` scoring: passages, and clusters for copies of copies."""

from __future__ import annotations

import json
from pathlib import Path

from script_loader import load_script

bench = load_script("bench")

TRUTH = [
    {"a_id": "a", "a_start": 0, "a_end": 100, "b_id": "b", "b_start": 0, "b_end": 100,
     "kind": "verbatim"},
    {"a_id": "b", "a_start": 0, "a_end": 100, "b_id": "c", "b_start": 0, "b_end": 100,
     "kind": "verbatim"},
]  # fmt: skip


def _passage(a: str, b: str) -> dict[str, object]:
    return {"a_id": a, "a_start": 0, "a_end": 100, "b_id": b, "b_start": 0, "b_end": 100}


def test_a_copy_of_a_copy_linked_to_the_earliest_is_found_through_the_cluster() -> None:
    truth = bench.Truth(TRUTH)
    passages = [_passage("a", "b"), _passage("a", "c")]  # c is linked to a, not to b
    alone = bench.score_dedup(truth, passages)
    assert alone["recall"] == 0.5
    members = [{"id": k, "start": 0, "end": 100, "date": None} for k in "abc"]
    clustered = bench.score_dedup(truth, passages, [{"members": members}])
    assert clustered["recall"] == 1.0
    assert clustered["precision"] == 0.5  # the pairs of passages: a-c is not in the truth


def test_a_cluster_must_hold_both_spans() -> None:
    truth = bench.Truth(TRUTH[1:])
    members = [{"id": "b", "start": 0, "end": 100}, {"id": "c", "start": 300, "end": 400}]
    assert bench.score_dedup(truth, [], [{"members": members}])["recall"] == 0.0


def test_the_output_reader_keeps_the_clusters(tmp_path: Path) -> None:
    out = tmp_path / "scan.jsonl"
    records = [
        {"type": "meta", "stats": {}},
        {"type": "cluster", "cluster": 1, "members": []},
        {"type": "coverage", "id": "a"},
    ]
    out.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    meta, passages = bench.read_dedup_output(out)
    assert passages == []
    assert meta["clusters"] == [records[1]]


def test_two_copies_of_one_syndicated_story_share_text() -> None:
    story = [
        {"a_id": "wire", "a_start": 0, "a_end": 100, "b_id": copy, "b_start": 0, "b_end": 100,
         "kind": "syndication"}
        for copy in ("c1", "c2", "c3")
    ]  # fmt: skip
    truth = bench.Truth([*story, *TRUTH])
    assert frozenset(("c1", "c3")) in truth.pairs
    assert frozenset(("a", "c")) not in truth.pairs  # no story: only its own items
    scored = bench.score_dedup(truth, [_passage("wire", "c1"), _passage("c1", "c2")])
    assert scored["precision"] == 1.0
    assert scored["recall_by_kind"]["syndication"]["found"] == 1

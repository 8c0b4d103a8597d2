"""``check`` against an index finds what ``scan`` finds, on a generated corpus of 1,000 articles.

The first 900 articles are indexed, the last 100 checked. Every copy (verbatim or lightly
edited) that a scan of all 1,000 (every pair: ``all_pairs``) reports from an indexed article
into a checked one must be a finding of the check, and every copy the check finds must be a
passage of the scan between the same two articles. A check that skips frequent keys, or
whose candidate rules drop real pairs, fails here.
"""

from __future__ import annotations

from pathlib import Path

from script_loader import load_script

import dedup
from dedup import Article, Params
from dedup.store import Index

COPIES = ("verbatim", "near-verbatim")


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def test_check_finds_the_copies_that_scan_finds(tmp_path: Path) -> None:
    records, _truth = load_script("make_corpus").generate(1000, 2)
    articles = [Article(**r) for r in records]
    indexed, new = articles[:900], articles[900:]
    report = dedup.scan(articles, Params(all_pairs=True), jobs=2)
    new_ids = {a.id for a in new}
    in_index = {a.id for a in indexed}
    scanned = [
        p for p in report.passages if p.kind in COPIES and p.a_id in in_index and p.b_id in new_ids
    ]
    path = tmp_path / "index.db"
    with Index(path) as index:
        index.add(indexed)
    with Index(path, read_only=True) as index:
        result = index.check(new)
    findings = {
        v.id: [f for f in v.findings if f.in_index and f.kind in COPIES] for v in result.verdicts
    }
    assert len(scanned) >= 20  # the corpus plants copies into the checked articles
    for p in scanned:  # each copy the scan reports is found by the check, if not named then
        # counted among the others that hold the same text
        assert any(_overlap((p.b_start, p.b_end), (f.start, f.end)) for f in findings[p.b_id]), p
    pairs = {(p.a_id, p.b_id): [] for p in scanned}
    for p in scanned:
        pairs[(p.a_id, p.b_id)].append((p.b_start, p.b_end))
    for article_id, found in findings.items():
        for f in found:
            spans = pairs.get((f.other_id, article_id), [])
            assert any(_overlap((f.start, f.end), span) for span in spans), f

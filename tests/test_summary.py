"""Summary passages (``dedup.summary``): one summary sentence condenses several source sentences."""

from __future__ import annotations

import dataclasses
import json

import pytest

import dedup
from dedup import DEFAULT_PARAMS, Passage
from dedup.normalize import content_stem_set, words
from dedup.outputs import comparison_record
from dedup.summary import containment, stem_weights, summaries

SOURCE = (
    "The Reagan administration moved on Monday to deal with the worsening drought across the "
    "plains. Officials in Washington said the dry spell had already withered corn in Iowa and "
    "Nebraska. An interagency task force was appointed by the president to coordinate federal "
    "relief. Its members come from the departments of agriculture, commerce and the interior. "
    "Agriculture Secretary Richard Lyng authorized ranchers in thirteen states to harvest hay. "
    "The hay may be cut on idled cropland that is normally kept out of production. "
    "A spokesman declined to predict what kind of disaster relief might eventually be offered. "
    "He added that food prices were certain to rise before the autumn harvest. "
    "Meanwhile bankers who lend to farmers are worried about their borrowers' finances. "
    "Several rural lenders reported missed payments on tractor loans in June. "
    "Equipment makers such as Deere fear that sales of combines could suffer badly. "
    "Their shares fell sharply on Wall Street as grain futures climbed to new highs. "
    "One banker in Kansas said the farm recovery of recent years could now be derailed. "
    "Land values, which had only begun to turn around, may also be hurt."
)
SUMMARY = (
    "The Reagan administration moved to deal with the worsening drought. "
    "The president appointed an interagency task force, and Lyng let ranchers in thirteen "
    "states harvest hay. Bankers lending to farmers worry about missed loan payments, and "
    "equipment makers like Deere fear combine sales will suffer."
)
BEFORE = (
    "The city council met on Thursday evening to discuss the new library budget. "
    "Several residents spoke in favour of longer opening hours on weekends. "
)
AFTER = " The vote on the budget was postponed until next month."
DIGEST = BEFORE + SUMMARY + AFTER
SUMMARIES = dataclasses.replace(DEFAULT_PARAMS, summaries=True)


def _compare(a: str, b: str, params: dedup.Params = SUMMARIES) -> dedup.Comparison:
    return dedup.compare(a, b, params)


def test_summaries_are_off_by_default() -> None:
    assert [p.kind for p in dedup.compare(SOURCE, DIGEST).passages] == ["paraphrase"]


def _summary(c: dedup.Comparison) -> Passage:
    found = [p for p in c.passages if p.kind == "summary"]
    assert len(found) == 1, c.passages
    return found[0]


def test_condensed_passage_is_one_summary_passage_with_sentence_offsets() -> None:
    c = _compare(SOURCE, DIGEST)
    assert len(c.passages) == 1
    p = _summary(c)
    assert DIGEST[p.b_start : p.b_end] == SUMMARY  # the summary, whole
    # The source fragment: from its first sentence to the last one the summary draws on.
    assert SOURCE[p.a_start : p.a_end] == SOURCE[: SOURCE.index(" Their shares")]
    assert p.sentence_pairs == 3
    assert 0.6 <= p.score <= 1.0


def test_summary_in_either_text() -> None:
    p = _summary(_compare(DIGEST, SOURCE))
    assert DIGEST[p.a_start : p.a_end] == SUMMARY
    assert p.b_start == 0


def test_summary_quoted_share() -> None:
    quoted = BEFORE + '"' + SUMMARY + '"' + AFTER
    assert _summary(_compare(SOURCE, quoted)).quoted == 0.0  # the source is not quoted
    p = _summary(_compare('"' + SOURCE + '"', quoted))
    assert p.quoted > 0.95


def test_summary_counts_in_coverage() -> None:
    c = _compare(SOURCE, DIGEST)
    assert c.b_coverage.reused_chars == len(SUMMARY)


def test_sentence_to_sentence_rewording_stays_paraphrase() -> None:
    # As long as its source, sentence for sentence: a rewording, not a summary.
    source = SOURCE[: SOURCE.index(" Its members")]
    reworded = (
        "On Monday the Reagan administration acted against the worsening drought on the plains. "
        "Washington officials said the dry spell had withered corn in Nebraska and Iowa already. "
        "The president appointed an interagency task force to coordinate the federal relief."
    )
    c = _compare(source, BEFORE + reworded)
    assert [p.kind for p in c.passages] == ["paraphrase"]


def test_two_articles_on_one_story_are_not_a_summary() -> None:
    other = (
        "Farmers across the plains are praying for rain as the drought deepens. "
        "Corn in Iowa is withering, one grower said, and the hay is nearly gone. "
        "Washington has promised relief but few here expect much of it. "
        "Bankers say some farmers will not make their loan payments this year."
    )
    c = _compare(SOURCE, other)
    assert not [p for p in c.passages if p.kind == "summary"]


def test_copies_only_reports_no_summary() -> None:
    params = dataclasses.replace(SUMMARIES, copies_only=True, threshold=0.5)
    assert not [p for p in _compare(SOURCE, DIGEST, params).passages if p.kind == "summary"]


def test_no_summary_inside_one_article() -> None:
    report = dedup.scan([dedup.Article("a", SOURCE + " " + SUMMARY)], SUMMARIES)
    assert not [p for p in report.passages if p.kind == "summary"]


def test_summary_takes_in_the_passages_it_overlaps() -> None:
    from dedup.shingle import make_sentences

    a, b = make_sentences(0, SOURCE), make_sentences(1, DIGEST)
    start = DIGEST.index(SUMMARY)
    inside = Passage("a", 0, 95, "b", start, start + 67, 1.0, "verbatim")
    elsewhere = Passage("a", 0, 95, "b", 0, 60, 0.7, "template")
    out = summaries("a", SOURCE, a, "b", DIGEST, b, [inside, elsewhere])
    assert sorted(p.kind for p in out) == ["summary", "template"]
    taken = next(p for p in out if p.kind == "summary")
    assert (taken.b_start, taken.b_end) == (start, start + len(SUMMARY))


def test_rare_stems_weigh_more() -> None:
    stems = [content_stem_set(words(s)) for s in ("drought hay", "drought bank", "drought corn")]
    w = stem_weights(stems)
    assert w["hay"] > w["drought"]
    assert containment(frozenset({"hay", "drought"}), {"hay"}, w) > 0.5
    assert containment(frozenset(), {"hay"}, w) == 0.0


@pytest.mark.parametrize("swap", [False, True])
def test_summary_kind_in_records(swap: bool) -> None:
    a, b = (DIGEST, SOURCE) if swap else (SOURCE, DIGEST)
    record = comparison_record(_compare(a, b), a, b)
    kinds = [p["kind"] for p in json.loads(json.dumps(record))["passages"]]
    assert kinds == ["summary"]

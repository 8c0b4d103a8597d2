"""Acceptance tests on samples/: five real news articles on one story, scanned with defaults."""

from __future__ import annotations

from typing import NamedTuple

import pytest

import dedup
from dedup import Article, Passage, Report

ID_002 = "002_a21a77e1ce7b1e22.txt"
ID_003 = "003_62429cb743f4ab61.txt"


@pytest.fixture(scope="module")
def report(sample_articles: list[Article]) -> Report:
    return dedup.scan(sample_articles)


@pytest.fixture(scope="module")
def texts(sample_articles: list[Article]) -> dict[str, str]:
    return {a.id: a.text for a in sample_articles}


def _span(text: str, first_words: str, last_words: str) -> tuple[int, int]:
    """The span from ``first_words`` to the end of the next ``last_words``; both must be found."""
    assert text.count(first_words) == 1, first_words
    start = text.index(first_words)
    end = text.index(last_words, start) + len(last_words)
    return start, end


def _covered(span: tuple[int, int], start: int, end: int) -> float:
    """The share of ``span`` that lies inside ``[start, end)``."""
    inside = min(span[1], end) - max(span[0], start)
    return max(inside, 0) / (span[1] - span[0])


def test_samples_are_the_five_articles(sample_articles: list[Article]) -> None:
    assert [a.id[:3] for a in sample_articles] == ["000", "001", "002", "003", "004"]
    assert {ID_002, ID_003} <= {a.id for a in sample_articles}


def test_every_passage_slices_its_originals(report: Report, texts: dict[str, str]) -> None:
    assert report.passages
    for p in report.passages:
        assert 0 <= p.a_start < p.a_end <= len(texts[p.a_id])
        assert 0 <= p.b_start < p.b_end <= len(texts[p.b_id])
        a, b = texts[p.a_id][p.a_start : p.a_end], texts[p.b_id][p.b_start : p.b_end]
        assert a == a.strip()
        assert b == b.strip()
        assert 0.0 <= p.score <= 1.0
        assert p.kind in {"verbatim", "near-verbatim", "paraphrase"}


def test_no_passage_between_two_different_articles(report: Report) -> None:
    # The five articles report one story in their own words: shared names are not reuse.
    assert [(p.a_id, p.b_id) for p in report.passages if p.a_id != p.b_id] == []


@pytest.mark.parametrize(
    "caption_start",
    [
        "Israeli Defense Minister Yoav Galant leaves the State Department",
        "Palestinians inspect damage",
    ],
    ids=["galant-caption", "rafah-damage-caption"],
)
def test_repeated_photo_caption_is_verbatim_reuse_inside_003(
    report: Report, texts: dict[str, str], caption_start: str
) -> None:
    text = texts[ID_003]
    first = text.index(caption_start)
    second = text.index(caption_start, first + 1)
    caption = text[first : text.index("\n", first)]
    assert text[second : second + len(caption)] == caption
    found = [
        p
        for p in report.passages
        if (p.a_id, p.b_id) == (ID_003, ID_003)
        and p.kind == "verbatim"
        and text[p.a_start : p.a_end] == text[p.b_start : p.b_end] == caption
    ]
    assert [(p.a_start, p.b_start) for p in found] == [(first, second)]


class Rewording(NamedTuple):
    """A sentence of 002's opening summary and the later sentence that rewords it."""

    summary: tuple[str, str]  # first words, last words
    rewording: tuple[str, str]


# Each summary sentence of 002 (after the headline) and its rewording later in the article.
REWORDINGS = {
    "eye-contact": Rewording(
        ("He looked them in the eye", "that Hamas should take."),
        ("With a straight face, he told them", "that was on the table."),
    ),
    "show-of-empathy": Rewording(
        ("That public show of empathy", "since the war began in October."),
        ("Prime Minister Benjamin Netanyahu has shied away", "started in October."),
    ),
    "promised-to-invade": Rewording(
        ("Though it was not the first time Mr. Netanyahu has promised", "timing of the comment."),
        ("Even though Mr. Netanyahu had previously pledged", "surprised the officials."),
    ),
    "oppose-invading-rafah": Rewording(
        ("U.S. officials oppose invading Rafah", "not a major assault."),
        ("Officials oppose an invasion of Rafah, arguing", "launch a large-scale offensive."),
    ),
    "clear-position": Rewording(
        ("When Mr. Blinken met with Mr. Netanyahu in Jerusalem on Wednesday", "spokesman."),
        (
            "According to Matthew Miller, a spokesman for the State Department, Mr. Blinken "
            "reaffirmed",
            "on Wednesday in Jerusalem.",
        ),
    ),
    "focus-of-efforts": Rewording(
        ("When reporters asked him about", "“focus” of American efforts."),
        ("Mr. Blinken responded that the cease-fire agreement", "on a Rafah offensive."),
    ),
    "clinging-to-power": Rewording(
        ("Mr. Netanyahu, who is clinging to power", "mutually exclusive choices."),
        ("Alright, Mr. Netanyahu, who is hanging onto power", "to be mutually exclusive."),
    ),
    "47-percent": Rewording(
        ("Nearly half the respondents — 47 percent —", "an end of the war."),
        ("47 percent of respondents, or almost half", "put an end to the conflict."),
    ),
}
# Pairs the default pipeline misses today; a fix turns these xfails into failures (strict).
MISSED = {
    "clinging-to-power": "reworded with synonyms throughout (clinging/hanging onto, slump/"
    "decline, standing/stature, choices/decisions)",
    "47-percent": "a lone reworded sentence (its neighbours are not reworded) below LONE_SCORE "
    "(overlap 0.6): two articles on one story share many such single sentences",
}


def _found(report: Report, text: str, rewording: Rewording) -> list[Passage]:
    summary = _span(text, *rewording.summary)
    later = _span(text, *rewording.rewording)
    assert summary[1] < later[0]  # the summary comes first
    return [
        p
        for p in report.passages
        if (p.a_id, p.b_id) == (ID_002, ID_002)
        and p.kind == "paraphrase"
        and _covered(summary, p.a_start, p.a_end) >= 0.5
        and _covered(later, p.b_start, p.b_end) >= 0.5
    ]


def test_summary_of_002_is_found_reworded_later(report: Report, texts: dict[str, str]) -> None:
    found = [name for name, r in REWORDINGS.items() if _found(report, texts[ID_002], r)]
    assert len(found) >= 4, found


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(
            name,
            marks=pytest.mark.xfail(strict=True, reason=MISSED[name]) if name in MISSED else (),
        )
        for name in REWORDINGS
    ],
)
def test_summary_sentence_of_002_is_found_reworded(
    report: Report, texts: dict[str, str], name: str
) -> None:
    assert _found(report, texts[ID_002], REWORDINGS[name])


def test_summary_sentences_are_not_in_the_wrong_passages(
    report: Report, texts: dict[str, str]
) -> None:
    # A passage whose a side covers a summary sentence must not pair it with another
    # summary sentence: the rewording lies after the summary.
    summary_end = _span(texts[ID_002], *REWORDINGS["47-percent"].summary)[1]
    for p in report.passages:
        if p.a_id == ID_002 and p.a_start < summary_end:
            assert p.b_start > summary_end

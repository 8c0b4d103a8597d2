"""Figures and quotes (dedup.facts), and what they do to passages: templates and shared quotes."""

from __future__ import annotations

import dataclasses
import unicodedata

import pytest

import dedup
from dedup.facts import conflict, figures, quote_spans, quoted_share

TEMPLATES = dataclasses.replace(dedup.DEFAULT_PARAMS, templates=True)


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("Net 9,382,000 vs 9382000", {"9382000"}),
        ("div 1.50 vs 1.5", {"1.5"}),
        ("up 0.41 cent, 007 agents", {"0.41", "7"}),
        ("the 12.30 train", {"12.3"}),
        ("No numbers at all.", set()),
        ("on Sept. 5 and in December", {"5", "september", "december"}),
        ("May 20, but you may not", {"20", "may"}),
    ],
)
def test_figures_are_normalised(text: str, numbers: set[str]) -> None:
    assert {f[0] for f in figures(text)} == numbers


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Shr 42 cts vs 39 cts", "Shr 63 cts vs 50 cts", True),
        ("Qtly div 27 cts vs 27 cts prior", "Qtly div 13 cts vs 12 cts prior", True),
        ("closed at $36 on the NYSE", "fell to $137.857 on the NYSE", True),
        ("December 14, 2008- Monthly Shoot", "January 13, 2008- Monthly Shoot", True),
        # dropping a figure keeps the statement
        ("12 people were hurt in 2003", "12 people were hurt", False),
        # figures in text that only one side has are not a changed figure
        ("He left in 1964 with 400 men", "He left: 220 pages, 50 cents", False),
        ("The same 5 figures", "The same 5 figures", False),
        ("No figures here", "Only 7 here", False),
        # a month is a fact: another month in the same place is another statement
        ("Canada's December consumer prices rose", "Canada's January consumer prices rose", True),
        (
            "rain in the 10 days to May 20 was 30 mm",
            "rain in the 10 days to June 10 was 30 mm",
            True,
        ),
        ("Shares fell on Jan. 5", "Shares fell on Sept. 5", True),
        ("the report due in March", "the report due in March", False),
        # "may" the verb is not a month; "May" alone is left alone for the same reason
        ("Prices may rise, he said", "Prices could rise, he said", False),
        ("He left in May", "He left in June", False),
        # an amount converted in parentheses is the same figure again
        (
            "profit of C$5.17 billion, up from C$4.25 billion",
            "profit of C$5.17 billion ($3.7 billion)",
            False,
        ),
        ("a deal worth C$1.4 billion (US$1.03 billion)", "a deal worth C$1.4 billion", False),
        ("profit of C$5.17 billion ($3.7 billion)", "profit of C$4.9 billion ($3.5 billion)", True),
    ],
)
def test_conflict(a: str, b: str, expected: bool) -> None:
    assert conflict(figures(a), figures(b)) is expected
    assert conflict(figures(b), figures(a)) is expected


def test_quote_spans_exact_offsets() -> None:
    text = "He said: “We will win.” It's 'a fine day', O'Neill's aide said."
    spans = quote_spans(text)
    assert spans == [(9, 23), (29, 41)]
    assert [text[s:e] for s, e in spans] == ["“We will win.”", "'a fine day'"]


def test_open_quote_runs_to_the_end_of_its_paragraph() -> None:
    text = '"The first paragraph of a long quote\n\nNext paragraph.'
    assert quote_spans(text) == [(0, 36)]


def test_quoted_share_counts_non_space_characters() -> None:
    text = '"ab cd" ef'
    assert quoted_share(quote_spans(text), text, 0, len(text)) == pytest.approx(6 / 8)
    assert quoted_share([], text, 0, len(text)) == 0.0


WIRE = (
    "Chrysler's stock rose $1.50 a share to close at $36 on the New York Stock Exchange. "
    "The carmaker said sales of its new minivan were strong in every region last month."
)
OTHER = (
    "IBM stock fell $1.50 to $137.857 on the New York Stock Exchange. "
    "The computer maker gave no reason for the fall in its share price on Friday afternoon."
)


def test_same_wording_with_other_figures_is_a_template_not_reuse() -> None:
    assert dedup.compare(WIRE, OTHER).passages == ()
    found = dedup.compare(WIRE, OTHER, TEMPLATES)
    assert [(p.kind, p.a_start, p.a_end, p.b_start, p.b_end) for p in found.passages] == [
        ("template", 0, 83, 0, 64)
    ]
    assert found.a_coverage.share == 0.0  # a template is not reuse
    assert found.b_coverage.share == 0.0


def test_same_template_line_with_the_same_figures_is_a_copy() -> None:
    c = dedup.compare(WIRE, "Officials said: " + WIRE)
    assert [(p.kind, p.a_start, p.a_end, p.b_start, p.b_end) for p in c.passages] == [
        ("verbatim", 0, len(WIRE), 16, 16 + len(WIRE))
    ]


def test_copy_with_one_figure_changed_is_not_a_copy() -> None:
    sentence = "The storm killed 12 people in the north of the province on Monday night."
    changed = sentence.replace("12", "14")
    assert dedup.compare(sentence, changed).passages == ()


def test_a_shared_quote_is_marked_quoted() -> None:
    quote = "“We will rebuild every home that the flood took from us, whatever it costs,”"
    a = f"{quote} the mayor said on Monday. Rain is forecast for the rest of the week."
    b = f"Residents cheered. {quote} she told a crowd outside the town hall in the evening."
    (p,) = dedup.compare(a, b).passages
    assert a[p.a_start : p.a_end].startswith(quote[:-1])
    assert p.quoted > 0.75


def test_nfc_and_nfd_forms_of_one_text_are_a_verbatim_copy() -> None:
    text = "The café in Bogotá was naïve about the long dispute with the council over prices."
    nfc, nfd = unicodedata.normalize("NFC", text), unicodedata.normalize("NFD", text)
    assert nfc != nfd
    (p,) = dedup.compare(nfc, nfd).passages
    assert (p.kind, p.a_start, p.a_end, p.b_start, p.b_end) == (
        "verbatim",
        0,
        len(nfc),
        0,
        len(nfd),
    )

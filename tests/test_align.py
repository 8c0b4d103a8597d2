from __future__ import annotations

import dataclasses

import pytest

import dedup
from dedup import DEFAULT_PARAMS, Passage
from dedup import align as align_module
from dedup.align import align, score_pair
from dedup.model import COPY_THRESHOLD, SHORT_LINE
from dedup.normalize import fold
from dedup.shingle import make_sentences

MAYOR = (
    "The mayor resigned on Tuesday after a long dispute with the council over the harbor budget."
)
STORY = [
    MAYOR,
    "Her deputy will lead the city until a special election is held in the spring.",
    "Council members had accused her of hiding the cost of dredging the old shipping channel.",
    "The state auditor opened an inquiry into the port authority's accounts last year.",
    "A spokesman for the governor declined to comment on the resignation.",
]
RESERVOIR = (
    "Officials at the regional water board confirmed that the reservoir levels fell to a "
    "record low during the summer drought. Farmers have been told to cut irrigation by a third."
)
COPIED = "the reservoir levels fell to a record low during the summer drought."


def _only(passages: tuple[Passage, ...]) -> Passage:
    assert len(passages) == 1, passages
    return passages[0]


def _sides(c: dedup.Comparison, *, swap: bool = False) -> list[tuple[int, int, int, int, str]]:
    if swap:
        return sorted((p.b_start, p.b_end, p.a_start, p.a_end, p.kind) for p in c.passages)
    return sorted((p.a_start, p.a_end, p.b_start, p.b_end, p.kind) for p in c.passages)


def test_verbatim_sentence_inside_longer_text_has_exact_offsets() -> None:
    b = f"Residents gathered downtown on Monday. {MAYOR} Police closed the main road for hours."
    p = _only(dedup.compare(MAYOR, b).passages)
    assert (p.a_id, p.b_id) == ("a", "b")
    assert (p.a_start, p.a_end) == (0, len(MAYOR))
    assert (p.b_start, p.b_end) == (b.index(MAYOR), b.index(MAYOR) + len(MAYOR))
    assert b[p.b_start : p.b_end] == MAYOR
    assert (p.kind, p.score, p.sentence_pairs) == ("verbatim", 1.0, 1)


def test_verbatim_ignores_case_quotes_and_punctuation() -> None:
    a = "He said the “deal is dead” and that talks were over for the year."
    b = 'He said the "Deal is DEAD" — and that talks were over for the year!'
    p = _only(dedup.compare(a, b).passages)
    assert (p.a_start, p.a_end, p.b_start, p.b_end) == (0, len(a), 0, len(b))
    assert (p.kind, p.score) == ("verbatim", 1.0)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Tuesday", "Wednesday"),
        ("long", "bitter"),
        ("harbor", "harbour"),
        ("The mayor", "A mayor"),
        ("budget.", "budgets."),
    ],
    ids=["day", "adjective", "spelling-near-the-end", "first-word", "last-word"],
)
def test_one_word_changed_is_near_verbatim(old: str, new: str) -> None:
    b = MAYOR.replace(old, new)
    p = _only(dedup.compare(MAYOR, b).passages)
    assert (p.a_start, p.a_end, p.b_start, p.b_end) == (0, len(MAYOR), 0, len(b))
    assert p.kind == "near-verbatim"
    assert DEFAULT_PARAMS.near_verbatim <= p.score < 1.0


@pytest.mark.parametrize(
    "b",
    [
        "After a protracted quarrel with the council about the harbor budget, the mayor "
        "stepped down on Tuesday.",
        "On Tuesday the mayor quit, following a lengthy fight with the council over the "
        "budget for the harbor.",
    ],
    ids=["reordered-synonyms", "reordered-clauses"],
)
def test_reworded_sentence_is_paraphrase(b: str) -> None:
    p = _only(dedup.compare(MAYOR, b).passages)
    assert (p.a_start, p.a_end, p.b_start, p.b_end) == (0, len(MAYOR), 0, len(b))
    assert p.kind == "paraphrase"
    assert DEFAULT_PARAMS.min_score <= p.score < 1.0


COPIES = dedup.Params(copies_only=True, threshold=COPY_THRESHOLD)


def test_copies_only_reports_no_rewording() -> None:
    b = (
        "On Tuesday the mayor quit, following a lengthy fight with the council over the "
        "budget for the harbor."
    )
    assert dedup.compare(MAYOR, b).passages  # a paraphrase by default
    assert dedup.compare(MAYOR, b, COPIES).passages == ()


def test_copies_only_reports_a_copy_with_a_reworded_neighbour_as_a_copy() -> None:
    reworded = "The deputy of the mayor is to lead the city until a special election in spring."
    a = " ".join(STORY)
    b = " ".join([STORY[0], reworded, *STORY[2:]])
    [p] = dedup.compare(a, b, COPIES).passages  # the rewording is bridged as a gap
    assert (p.a_start, p.a_end, p.b_start, p.b_end) == (0, len(a), 0, len(b))
    assert p.kind == "near-verbatim"
    c = dedup.compare(a, b)
    assert [(q.a_start, q.a_end, q.b_start, q.b_end) for q in c.passages] == [
        (p.a_start, p.a_end, p.b_start, p.b_end)
    ]


@pytest.mark.parametrize(
    "b",
    [
        "Harbor workers will strike next month unless the city raises their wages, union "
        "leaders said.",
        "The council will vote on the harbor budget next month, a spokesman for the mayor said.",
        "The mayor's office said on Tuesday that the harbor would reopen after the storm.",
        "Council members met the mayor on Tuesday to discuss plans for a new bridge over the "
        "river.",
        "The mayor survived a no-confidence vote by the council on Tuesday.",
    ],
    ids=["one-shared-word", "budget-vote", "harbor-reopens", "bridge-plans", "no-confidence"],
)
def test_unrelated_sentences_on_the_same_topic_are_not_reuse(b: str) -> None:
    c = dedup.compare(MAYOR, b)
    assert c.passages == ()
    assert c.a_coverage.share == c.b_coverage.share == 0.0


@pytest.mark.xfail(
    strict=True,
    reason="paraphrase scoring is a bag of content-word stems: a different claim that shares "
    "the story's names (mayor, Tuesday, council, harbor, budget) reaches min_score alone",
)
def test_different_claim_sharing_the_story_words_is_not_reuse() -> None:
    b = "The council praised the mayor on Tuesday for cutting the harbor budget deficit in half."
    assert dedup.compare(MAYOR, b).passages == ()


def test_copied_run_with_a_dropped_sentence_is_one_passage() -> None:
    a = " ".join(STORY)
    copy = " ".join(STORY[:2] + STORY[3:])
    b = f"Local news in brief. {copy} Weather follows."
    p = _only(dedup.compare(a, b).passages)
    assert (p.a_start, p.a_end) == (0, len(a))  # bridges the dropped third sentence
    assert (p.b_start, p.b_end) == (b.index(copy), b.index(copy) + len(copy))
    assert p.sentence_pairs == 4
    assert p.kind in {"verbatim", "near-verbatim"}


def test_copied_run_with_gap_too_wide_is_split() -> None:
    params = dataclasses.replace(DEFAULT_PARAMS, max_gap=0, join_chars=0)
    a = " ".join(STORY)
    b = " ".join(STORY[:2] + STORY[3:])
    passages = dedup.compare(a, b, params).passages
    assert [(a[p.a_start : p.a_end], b[p.b_start : p.b_end]) for p in passages] == [
        (" ".join(STORY[:2]), " ".join(STORY[:2])),
        (" ".join(STORY[3:]), " ".join(STORY[3:])),
    ]


@pytest.mark.parametrize(
    "copy_start",
    [COPIED, COPIED.capitalize()],
    ids=["lowercase", "capitalised"],
)
def test_copy_starting_mid_sentence_is_trimmed_to_the_copied_words(copy_start: str) -> None:
    b = f"{copy_start} Farmers have been told to cut irrigation by a third."
    p = _only(dedup.compare(RESERVOIR, b).passages)
    assert (p.a_start, p.a_end) == (RESERVOIR.index(COPIED), len(RESERVOIR))
    assert (p.b_start, p.b_end) == (0, len(b))
    assert p.kind == "verbatim"
    assert p.sentence_pairs == 2


@pytest.mark.parametrize(
    "lead_in",
    ["Reporters learned ", "It is known that ", "According to the board, ", "Officials said "],
)
def test_copy_with_own_lead_in_is_trimmed_inside_the_source_sentence(lead_in: str) -> None:
    b = f"{lead_in}{COPIED} Farmers have been told to cut irrigation by a third."
    p = _only(dedup.compare(RESERVOIR, b).passages)
    # The two lead-ins differ, so where the copy begins is a matter of alignment: it may take
    # in a word of the source's own lead-in, but never the start of the source sentence.
    assert 0 < p.a_start <= RESERVOIR.index(COPIED)
    assert RESERVOIR[p.a_start - 1] == " "  # snapped to a word
    assert p.a_end == len(RESERVOIR)
    assert b[p.b_start : p.b_end].endswith(
        COPIED + " Farmers have been told to cut irrigation by a third."
    )
    assert p.kind in {"verbatim", "near-verbatim"}


def test_sentences_shorter_than_min_length_are_not_reported() -> None:
    short = "Officials oppose invading Rafah."  # 32 characters
    assert dedup.compare(short, f"Critics agree. {short}").passages == ()
    lenient = dataclasses.replace(DEFAULT_PARAMS, min_length=20)
    assert len(dedup.compare(short, f"Critics agree. {short}", lenient).passages) == 1


def test_reuse_inside_one_article_via_align() -> None:
    caption = "Palestinians inspect damage after an Israeli airstrike in Rafah on March 24, 2024."
    text = f"{caption}\n\nAnalysts say Rafah matters.\n\n{caption}\n\nMore analysis follows here."
    sentences = make_sentences(0, text)
    (p,) = align("x", text, sentences, "x", text, sentences, [(0, 2)], DEFAULT_PARAMS)
    second = text.rindex(caption)
    assert (p.a_id, p.a_start, p.a_end) == ("x", 0, len(caption))
    assert (p.b_id, p.b_start, p.b_end) == ("x", second, second + len(caption))
    assert p.kind == "verbatim"


def test_score_pair_measures_characters_and_content_words() -> None:
    a_text = MAYOR
    b_text = MAYOR.replace("long", "bitter")
    (sa,), (sb,) = make_sentences(0, a_text), make_sentences(1, b_text)
    p = score_pair(sa, sb, fold(a_text), fold(b_text))
    assert not p.verbatim
    assert 0.9 < p.char < 1.0
    assert p.partial == 0.0  # equal lengths: no partial match needed
    assert p.overlap == pytest.approx(2 * 7 / (8 + 8))  # 'long' -> 'bitter': one of 8 stems
    same = score_pair(sa, sa, fold(a_text), fold(a_text))
    assert (same.verbatim, same.char, same.overlap) == (True, 1.0, 1.0)


def test_text_with_a_sentence_containing_the_previous_one_against_itself() -> None:
    text = (
        "U.S. officials oppose invading Rafah. U.S. officials oppose invading Rafah and say "
        "Israel should carry out precise operations."
    )
    p = _only(dedup.compare(text, text).passages)
    assert (p.a_start, p.a_end, p.b_start, p.b_end) == (0, len(text), 0, len(text))
    assert (p.kind, p.score) == ("verbatim", 1.0)


def test_copied_sentences_about_one_thing_are_verbatim() -> None:
    # Each sentence also resembles its neighbours (same names, same event): those cross pairs
    # must not turn an exact copy into a "paraphrase".
    text = (
        "The mayor of Springfield resigned on Tuesday. The Springfield mayor resigned after a "
        "long dispute. Officials said the mayor resigned on Tuesday after the dispute."
    )
    p = _only(dedup.compare(text, f"From our archive: {text}").passages)
    assert (p.a_start, p.a_end) == (0, len(text))
    assert (p.kind, p.score, p.sentence_pairs) == ("verbatim", 1.0, 3)


def test_argument_order_only_swaps_the_sides() -> None:
    s1 = "Officials oppose invading Rafah, the White House said on Monday."
    s2 = "On Monday, the White House said officials oppose invading Rafah."
    a, b = f"{s1} {s2}", f"{s1} {s2} and more"
    assert _sides(dedup.compare(a, b)) == [(0, len(a), 0, len(a), "verbatim")]
    assert _sides(dedup.compare(b, a), swap=True) == _sides(dedup.compare(a, b))


COUNCIL = "The council of Springfield met on Tuesday to discuss the feud."
MORNING = "The mayor of Springfield quit on Tuesday morning."
NOON = "It was all over by noon."
QUIT_TUESDAY, OVER, QUIT_FEUD = (
    "The mayor quit on Tuesday.",
    "It was all over.",
    "The mayor quit after a feud.",
)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param(f"{STORY[1]} {MAYOR}", f"{MAYOR} {STORY[1]}", id="two-swapped"),
        pytest.param(" ".join(STORY), " ".join(STORY[:2] + STORY[3:]), id="one-dropped"),
        pytest.param(
            f"{COUNCIL} {MORNING} {NOON}",
            f"{COUNCIL} {NOON} {MORNING}",
            id="last-two-swapped",
        ),
        pytest.param(
            f"{QUIT_TUESDAY} {OVER} {QUIT_FEUD}",
            f"{OVER} {QUIT_FEUD} {QUIT_TUESDAY}",
            id="first-moved-to-end",
        ),
    ],
)
def test_compare_is_symmetric(a: str, b: str) -> None:
    forward = _sides(dedup.compare(a, b))
    assert forward
    assert _sides(dedup.compare(b, a), swap=True) == forward


def test_swapped_sentences_are_two_verbatim_passages() -> None:
    other = STORY[1]
    a, b = f"{other} {MAYOR}", f"{MAYOR} {other}"
    got = sorted(
        (a[p.a_start : p.a_end], b[p.b_start : p.b_end], p.kind)
        for p in dedup.compare(a, b).passages
    )
    assert got == sorted([(other, other, "verbatim"), (MAYOR, MAYOR, "verbatim")])


def test_caption_repeated_three_times_gives_copies_that_do_not_overlap() -> None:
    caption = "Palestinians inspect damage to residential buildings after an Israeli airstrike."
    text = "\n\n".join([caption] * 3)
    passages = dedup.scan([dedup.Article("x", text)]).passages
    assert passages
    for p in passages:
        assert (p.a_id, p.b_id, p.kind) == ("x", "x", "verbatim")
        assert p.a_end <= p.b_start  # inside one article, the two copies must not overlap
        assert text[p.a_start : p.a_end] == text[p.b_start : p.b_end]
    covered = {
        i for p in passages for i in [*range(p.a_start, p.a_end), *range(p.b_start, p.b_end)]
    }
    assert len(covered) == 3 * len(caption)


SHORT_A = "Court officials said the appeal hearing will resume on Monday."
SHORT_B = "The appeal hearing will resume on Monday, court officials said."
LONG_A = (
    "Court officials said the appeal hearing in the long-running dispute over the harbour "
    "contract will resume on Monday in Leeds."
)
LONG_B = (
    "The appeal hearing in the long-running dispute over the harbour contract will resume on "
    "Monday in Leeds, court officials said."
)
AROUND_A = (
    "Rain fell across the north for a third day. Farmers said the wheat harvest would be late "
    "this year. Prices of bread rose in the shops. "
)
AROUND_B = (
    "A new library opened in the town centre. Children queued for hours to borrow books. The "
    "mayor cut a ribbon at noon. "
)


def _reworded(a: str, b: str) -> list[tuple[str, int, int]]:
    return [(p.kind, p.b_start, p.b_end) for p in dedup.compare(a, b).passages]


def test_a_short_rewording_that_is_the_whole_text_is_reuse() -> None:
    assert _reworded(SHORT_A, SHORT_B) == [("paraphrase", 0, len(SHORT_B))]


def test_a_long_lone_rewording_inside_longer_articles_is_reuse() -> None:
    assert len(LONG_A) >= SHORT_LINE
    a, b = AROUND_A + LONG_A, AROUND_B + LONG_B
    assert _reworded(a, b) == [("paraphrase", len(AROUND_B), len(b))]


STOCK_A = "Kellogg officials were not available for comment."
STOCK_B = "Cisco officials were not available for comment."


@pytest.mark.parametrize(
    ("rule", "a_line", "b_line", "kind"),
    [
        ("SHORT_LINE", SHORT_A, SHORT_B, "paraphrase"),
        ("SHORT_COPY", STOCK_A, STOCK_B, "near-verbatim"),
    ],
    ids=["rewording", "light-edit"],
)
def test_a_short_lone_line_inside_longer_articles_is_not_reuse(
    monkeypatch: pytest.MonkeyPatch, rule: str, a_line: str, b_line: str, kind: str
) -> None:
    assert max(len(a_line), len(b_line)) < getattr(align_module, rule)
    a, b = AROUND_A + a_line, AROUND_B + b_line
    assert _reworded(a, b) == []
    monkeypatch.setattr(align_module, rule, min(len(a_line), len(b_line)))  # the rule removes it
    assert _reworded(a, b) == [(kind, len(AROUND_B), len(b))]


def test_a_short_light_edit_that_is_the_whole_text_or_a_verbatim_line_is_reuse() -> None:
    assert _reworded(STOCK_A, STOCK_B) == [("near-verbatim", 0, len(STOCK_B))]
    a, b = AROUND_A + STOCK_A, AROUND_B + STOCK_A
    assert _reworded(a, b) == [("verbatim", len(AROUND_B), len(b))]

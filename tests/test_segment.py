from __future__ import annotations

import pytest

from dedup.segment import MAX_SENTENCE, split_sentences


def _spans_of(text: str, *sentences: str) -> list[tuple[int, int]]:
    """The (start, end) of each sentence, found left to right in ``text``."""
    spans, pos = [], 0
    for s in sentences:
        start = text.index(s, pos)
        spans.append((start, start + len(s)))
        pos = start + len(s)
    return spans


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("   \n\n\t  ", []),
        ("He left.", [(0, 8)]),
        ("He left. She stayed.", [(0, 8), (9, 20)]),
        ("Really? Yes! Fine.", [(0, 7), (8, 12), (13, 18)]),
        ("  Leading and trailing.  \n", [(2, 23)]),
        ("Para one.\n\nPara two.", [(0, 9), (11, 20)]),
        ("Wait... Then go.", [(0, 7), (8, 16)]),
        ("It cost $5. 3 people came.", [(0, 11), (12, 26)]),
        ("Line one\r\nLine two.", [(0, 8), (10, 19)]),
    ],
    ids=[
        "empty",
        "only-whitespace",
        "one-sentence",
        "two-sentences",
        "question-and-exclamation",
        "outer-whitespace-excluded",
        "blank-line-paragraphs",
        "ellipsis",
        "next-starts-with-digit",
        "crlf-line",
    ],
)
def test_split_sentences_exact_offsets(text: str, expected: list[tuple[int, int]]) -> None:
    assert split_sentences(text) == expected


@pytest.mark.parametrize(
    "sentences",
    [
        ("U.S. officials met on Monday.", "They left."),
        ("The U.S. Army arrived at dawn.", "It left at noon."),
        ("Mr. Smith arrived.", "He sat down."),
        ("Mrs. Jones and Dr. Patel spoke.", "Nobody listened."),
        ("Secretary of State Antony J. Blinken spoke.", "He left."),
        ("Pentagon spokesman Maj. Gen. Pat Ryder agreed.", "So did others."),
        ("The vote was on Jan. 5 in the capital.", "It passed."),
    ],
    ids=["U.S.-opens", "U.S.-inside", "Mr.", "Mrs.-Dr.", "initial-J.", "Maj.-Gen.", "Jan."],
)
def test_abbreviations_and_initials_are_not_boundaries(sentences: tuple[str, ...]) -> None:
    text = " ".join(sentences)
    assert split_sentences(text) == _spans_of(text, *sentences)


@pytest.mark.parametrize(
    "sentences",
    [
        ("He said, “It is over.”", "Then he left."),
        ('He said, "It is over."', "Then he left."),
        ("She asked, “Why now?”", "Nobody answered."),
        ("“We will not rest!”", "The crowd cheered."),
        ("He said “Go.”", "“Now,” she said."),
        ("It was over (for now.)", "Then it began again."),
    ],
    ids=[
        "curly-quotes",
        "straight-quotes",
        "question-in-quotes",
        "exclaim-in-quotes",
        "next-opens-quote",
        "closing-paren",
    ],
)
def test_sentence_ends_after_closing_quote(sentences: tuple[str, ...]) -> None:
    text = " ".join(sentences)
    assert split_sentences(text) == _spans_of(text, *sentences)


@pytest.mark.parametrize(
    "lines",
    [
        ("The U.S. and Israel are at odds over ending the Gaza War", "He looked them in the eye."),
        (
            "Israeli-US diplomatic spat complicates situation in Gaza",
            "",
            "White House officials said.",
        ),
        (
            "Officials said the talks would resume.",
            "Photo: a caption without a stop",
            "The talks resumed.",
        ),
        ("By Jane Doe", "Updated 5 minutes ago", "The mayor resigned."),
    ],
    ids=[
        "headline-single-break",
        "headline-blank-line",
        "caption-between-paragraphs",
        "byline-and-dateline",
    ],
)
def test_lines_without_final_stop_are_sentences(lines: tuple[str, ...]) -> None:
    text = "\n".join(lines)
    assert split_sentences(text) == _spans_of(text, *(line for line in lines if line))


def test_hard_wrapped_paragraph_is_one_sentence() -> None:
    text = (
        "Officials in Washington said on Monday that the delegation would\n"
        "meet with the defense minister at the White House, and that the\n"
        "talks would focus on humanitarian aid. A second meeting is planned."
    )
    first_end = text.index("aid.") + len("aid.")
    assert split_sentences(text) == [(0, first_end), (first_end + 1, len(text))]


def test_long_line_ending_in_stop_is_a_boundary() -> None:
    # One sentence per line (no blank lines), each longer than a headline.
    first = (
        "White House officials said on Monday they were confused and disappointed that "
        "Israeli leaders canceled a delegation."
    )
    second = "But they said they would use three meetings to push their position."
    text = f"{first}\n{second}"
    assert len(first) > 100
    assert split_sentences(text) == _spans_of(text, first, second)


def test_lowercase_after_stop_on_one_line_is_not_a_boundary() -> None:
    text = "The talks ended at 5 p.m. on Monday, officials said."
    assert split_sentences(text) == [(0, len(text))]


def test_spans_slice_to_stripped_sentences() -> None:
    text = "\n\n  Headline  \n\nFirst sentence here.  Second one!\n\n\tCaption text\t\n"
    got = [text[s:e] for s, e in split_sentences(text)]
    assert got == ["Headline", "First sentence here.", "Second one!", "Caption text"]


def test_overlong_run_is_cut_at_clause_breaks() -> None:
    clause = "the harbor budget was cut again"
    text = ", ".join([clause] * 40) + "."
    spans = split_sentences(text)
    assert len(spans) > 1
    assert all(e - s <= MAX_SENTENCE for s, e in spans)
    assert all(text[s:e].endswith(",") for s, e in spans[:-1])
    assert " ".join(text[s:e] for s, e in spans) == text


def test_overlong_token_is_cut_anywhere() -> None:
    text = "x" * (2 * MAX_SENTENCE + 10)
    assert split_sentences(text) == [
        (0, MAX_SENTENCE),
        (MAX_SENTENCE, 2 * MAX_SENTENCE),
        (2 * MAX_SENTENCE, len(text)),
    ]

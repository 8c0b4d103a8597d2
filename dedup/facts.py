"""Facts a sentence states that its words do not: its figures, and what lies inside quotes.

**Figures.** Two sentences that say the same thing with other numbers are different
statements: "Shr 42 cts vs 39 cts" and "Shr 63 cts vs 50 cts", "Chrysler's stock rose $1.50
a share to close at $36 on the New York Stock Exchange" and "IBM stock fell $1.50 to $137.857
on the New York Stock Exchange". A sentence's figures are its numbers, normalised so that
"9,382,000" and "9382000", "1.50" and "1.5" are one figure, each with the words next to it.
A month is a fact too ("December consumer prices" and "January consumer prices", "rainfall
in the 10 days to May 20" and "to June 10"): a capitalised month name, or its abbreviation,
is a figure (its full name), "May" only next to a number, where it cannot be the verb.
Two sentences *conflict* when one has a figure that the other lacks, in the place of one that
the other has and it lacks: the same word before the two, or the same word after them ("div
27 cts" and "div 13 cts"). A copy that drops a figure still copies, and so does one whose
other figures are in text that only one side has (a copy that ends inside a sentence); one
that changes a figure says something else. An amount converted into another currency in
parentheses ("C$5.17 billion ($3.7 billion)") is the same figure again, not one of its own.

**Quotes.** Articles on one story print the same quotes; a passage that is only a shared
quote is reuse of the speaker's words, not of the other article's. ``quote_spans`` finds the
text inside quotation marks (double, wire copy's ``TeX-style'' ones, and single ones where
they are not apostrophes), a quote left open running to the end of its paragraph, as news
prints a quote that goes on in the next one.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

# A number (digits with separators between digit groups: "9,382,000", "12.3"), or a word.
_TOKEN = re.compile(r"(\d+(?:[.,]\d+)*)|[^\W\d_]+")
_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
_MONTHS = (
    {m: m.casefold() for m in _MONTH_NAMES}
    | {m[:3]: m.casefold() for m in _MONTH_NAMES if m != "May"}
    | {"Sept": "september"}
)
_FACT = re.compile(r"\d|\b(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\b")
_NONE: frozenset[tuple[str, str, str]] = frozenset()
_THOUSANDS = re.compile(r"[.,](?=\d{3}(?:\D|$))")
# An amount in another currency, in parentheses: "($3.7 billion)", "(US$1.03 billion)".
_CONVERSION = re.compile(
    r"\((?:about |around |some )?(?:[A-Z]{1,3})?[$£€¥]\s?\d[\d.,]*"
    r"(?:\s?(?:million|billion|trillion|mln|bln|bn|m|k))?\)"
)
Figure = tuple[str, str, str]  # (the number, normalised; the word before it; the word after)


def _number(token: str) -> str:
    number = _THOUSANDS.sub("", token)
    if "," in number or "." in number:
        whole, _, part = number.replace(",", ".").partition(".")
        part = part.replace(".", "").rstrip("0")
        number = f"{whole}.{part}" if part else whole
    whole, dot, part = number.partition(".")
    return (whole.lstrip("0") or "0") + dot + part


def figures(text: str) -> frozenset[Figure]:
    """Return the figures stated in ``text``: each number, normalised, with its neighbours.

    A separator before a group of exactly three digits groups thousands; another one is a
    decimal point, and trailing zeros after it do not count. The neighbours are the nearest
    words (case-folded) before and after the number, other numbers skipped ("Toronto Bureau
    416 941-8104": "bureau" for all three).

    >>> sorted(figures("Net 12.3 mln vs 9,382,000; div 1.50 dlrs"))
    [('1.5', 'div', 'dlrs'), ('12.3', 'net', 'mln'), ('9382000', 'vs', 'div')]
    >>> sorted(figures("Bureau 416 941-8104"))
    [('416', 'bureau', ''), ('8104', 'bureau', ''), ('941', 'bureau', '')]
    >>> figures("No figures here.")
    frozenset()
    >>> sorted(figures("a profit of C$5.17 billion ($3.7 billion)"))
    [('5.17', 'c', 'billion')]
    """
    if _FACT.search(text) is None:
        return _NONE
    if "(" in text:
        text = _CONVERSION.sub(" ", text)
    tokens = [(m.group(1) is not None, m.group()) for m in _TOKEN.finditer(text)]
    if any(t in _MONTHS for _, t in tokens):
        tokens = [
            (numeric or _is_month(tokens, i), token) for i, (numeric, token) in enumerate(tokens)
        ]
    before = [""] * len(tokens)
    after = [""] * len(tokens)
    last = ""
    for i, (numeric, token) in enumerate(tokens):
        before[i] = last
        if not numeric:
            last = token.casefold()
    last = ""
    for i in range(len(tokens) - 1, -1, -1):
        after[i] = last
        if not tokens[i][0]:
            last = tokens[i][1].casefold()
    return frozenset(
        (_MONTHS[token] if token in _MONTHS else _number(token), before[i], after[i])
        for i, (numeric, token) in enumerate(tokens)
        if numeric
    )


def _is_month(tokens: list[tuple[bool, str]], i: int) -> bool:
    """Whether token ``i`` is a month: "May" only next to a number (not the verb)."""
    token = tokens[i][1]
    if token not in _MONTHS:
        return False
    if token != "May":
        return True
    return any(0 <= k < len(tokens) and tokens[k][0] for k in (i - 1, i + 1))


def conflict(a: frozenset[Figure], b: frozenset[Figure]) -> bool:
    """Whether two sentences' figures make them different statements (see above).

    >>> conflict(figures("Qtly div 27 cts vs 27 prior"), figures("Qtly div 13 cts vs 12 prior"))
    True
    >>> conflict(figures("He left in 1964 with 400 men"), figures("He left: 220 pages, 50 cents"))
    False
    >>> conflict(figures("12 were hurt in 2003"), figures("12 were hurt"))
    False
    """
    if not a or not b:
        return False
    numbers_a = {f[0] for f in a}
    numbers_b = {f[0] for f in b}
    only_a = [f for f in a if f[0] not in numbers_b]
    only_b = [f for f in b if f[0] not in numbers_a]
    return any((x[1] and x[1] == y[1]) or (x[2] and x[2] == y[2]) for x in only_a for y in only_b)


_DOUBLE_OPEN = '"“„«'
_DOUBLE_CLOSE = '"”»'
_SINGLE_OPEN = "'‘‚"
_SINGLE_CLOSE = "'’"
_TEX_CLOSE = "''"
_MARK = re.compile(
    "[" + re.escape(_DOUBLE_OPEN + _DOUBLE_CLOSE + _SINGLE_OPEN + _SINGLE_CLOSE + "`") + "]"
)
_PARAGRAPH = re.compile(r"\n\s*\n")


def quote_spans(text: str) -> list[tuple[int, int]]:
    r"""Return the ``(start, end)`` spans of ``text`` inside quotation marks, marks included.

    Single quotes count where they open before a word and close after one, not inside a
    word (an apostrophe) or after a plural's "s" that a word follows.

    >>> text = "He said: \"We will win.\" It's 'a fine day', Mr O'Neill's aide said."
    >>> [text[s:e] for s, e in quote_spans(text)]
    ['"We will win."', "'a fine day'"]
    """
    spans: list[tuple[int, int]] = []
    starts = [0, *(m.end() for m in _PARAGRAPH.finditer(text))]
    ends = [*(m.start() for m in _PARAGRAPH.finditer(text)), len(text)]
    for lo, hi in zip(starts, ends, strict=True):
        spans.extend(_paragraph_quotes(text, lo, hi))
    return spans


def _paragraph_quotes(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    spans = []
    open_at: int | None = None
    closers = ""
    skip = -1  # the second character of a `` or '' pair
    for m in _MARK.finditer(text, lo, hi):
        i = m.start()
        if i <= skip:
            continue
        c = text[i]
        before = text[i - 1] if i > lo else " "
        after = text[i + 1] if i + 1 < hi else " "
        if open_at is None:
            if c == "`" and after == "`":  # ``TeX-style'' quotes, as wire copy prints them
                open_at, closers, skip = i, _TEX_CLOSE, i + 1
            elif c in _DOUBLE_OPEN and not after.isspace():
                open_at, closers = i, _DOUBLE_CLOSE
            elif c in _SINGLE_OPEN and not before.isalnum() and after.isalnum():
                open_at, closers = i, _SINGLE_CLOSE
        elif closers == _TEX_CLOSE:
            if c == "'" and after == "'":
                spans.append((open_at, i + 2))
                open_at, skip = None, i + 1
        elif (
            c in closers
            and not before.isspace()
            and not (after.isalnum() and (before.isalnum() or closers == _SINGLE_CLOSE))
        ):
            spans.append((open_at, i + 1))
            open_at = None
    if open_at is not None:
        spans.append((open_at, hi))
    return spans


def quoted_share(spans: Sequence[tuple[int, int]], text: str, start: int, end: int) -> float:
    """The share of the non-space characters of ``text[start:end]`` inside ``spans``.

    ``spans`` are sorted and do not overlap (as ``quote_spans`` returns them).

    >>> text = 'Police said "the man fled" at noon.'
    >>> round(quoted_share(quote_spans(text), text, 0, len(text)), 2)
    0.41
    """
    total = sum(1 for c in text[start:end] if not c.isspace())
    if not total:
        return 0.0
    inside = 0
    first = max(0, bisect_right(spans, (start, len(text) + 1)) - 1)
    for s, e in spans[first:]:
        if s >= end:
            break
        lo, hi = max(s, start), min(e, end)
        if lo < hi:
            inside += sum(1 for c in text[lo:hi] if not c.isspace())
    return inside / total

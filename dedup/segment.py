"""Sentence segmentation with offsets, for news text.

A careful rule-based splitter (no model, no download). It splits at a stop (``.``, ``!``,
``?``, ``…``) followed by space and the start of a sentence, except after a known abbreviation
("Mr.", "Gen.", "Jan.") or a one-letter initial ("Antony J. Blinken", "U.S."); at every blank
line; and at a single line break that ends a headline, caption or paragraph (the line ends in
terminal punctuation, or is short and the next one starts like a sentence). A line break
inside a hard-wrapped paragraph is not a boundary.
"""

from __future__ import annotations

import re
from itertools import pairwise

_ABBREVIATIONS = frozenset(
    """mr mrs ms mx dr prof sr jr st mt ft gen lt col maj capt cmdr sgt cpl adm gov sen rep
    pres rev hon messrs mme mlle sra sr no nos vol vols fig figs p pp ed eds est approx dept
    univ assn bros inc ltd co corp plc llc vs etc al cf ie eg jan feb mar apr jun jul aug
    sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun ave blvd rd hwy""".split()
)
# A stop, then closing quotes or brackets, then space, then what may open a sentence.
_BOUNDARY = re.compile(r"""([.!?…]+)(["'”’»)\]]*)(\s+)(?=["'“‘«(\[]?[\w¿¡])""")
_BREAK = re.compile(r"\n[ \t]*(\n\s*)?")
_TERMINAL = tuple(".!?…:;\"'”’»)")
_SHORT_LINE = 100  # a line this short without a stop is a headline, caption or byline
# Lists, tables and unpunctuated web text make "sentences" of thousands of characters, and a
# copy may begin anywhere inside one; such runs are cut into pieces of at most this many
# characters, at a clause break where there is one, else between words.
MAX_SENTENCE = 400
_CLAUSE = re.compile(r"[;:,)\]]\s|\s[-–—]\s")


def _is_abbreviation(text: str, stop: int) -> bool:
    """Whether the '.' at ``stop`` ends an abbreviation or an initial, not a sentence."""
    start = stop
    while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "."):
        start -= 1
    token = text[start:stop]
    if not token:
        return False
    if len(token) == 1 or (len(token.replace(".", "")) <= 3 and "." in token):
        return True  # "J." in "Antony J. Blinken"; "U.S", "U.N", "a.m"
    return token.lower() in _ABBREVIATIONS


def _starts_sentence(text: str, pos: int) -> bool:
    c = text[pos : pos + 1]
    return bool(c) and (c.isupper() or c.isdigit() or c in "\"'“‘«([-•*#¿¡" or not c.isalpha())


def _cuts(text: str) -> list[int]:
    """Offsets at which a new sentence may begin."""
    cuts: set[int] = set()
    for m in _BOUNDARY.finditer(text):
        if "\n" in m.group(3):
            continue  # line breaks are judged below
        stops = m.group(1)
        nxt = m.end()
        if stops == "." and _is_abbreviation(text, m.start(1)):
            continue
        if not _starts_sentence(text, nxt):
            continue
        cuts.add(nxt)
    line_start = 0
    for m in _BREAK.finditer(text):
        line = text[line_start : m.start()].rstrip()
        nxt = m.end()
        blank = m.group(1) is not None
        if blank or (
            nxt < len(text)
            and _starts_sentence(text, nxt)
            and (line.endswith(_TERMINAL) or len(line) < _SHORT_LINE)
            and not (line.endswith(".") and _is_abbreviation(line, len(line) - 1))
        ):
            cuts.add(nxt)
        line_start = nxt
    return sorted(cuts)


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut an over-long sentence into pieces of at most ``MAX_SENTENCE`` characters."""
    pieces = []
    while end - start > MAX_SENTENCE:
        window = text[start : start + MAX_SENTENCE]
        clause = [m.end() for m in _CLAUSE.finditer(window, MAX_SENTENCE // 2)]
        space = [i + 1 for i, c in enumerate(window) if c.isspace()]
        cut = (clause or space or [MAX_SENTENCE])[-1]
        piece_end = start + cut
        while text[piece_end - 1].isspace():
            piece_end -= 1
        pieces.append((start, piece_end))
        start += cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        pieces.append((start, end))
    return pieces


def split_sentences(text: str) -> list[tuple[int, int]]:
    r"""Return the ``(start, end)`` offsets of the sentences of ``text``, without outer space.

    >>> text = "U.S. officials met Mr. Blinken. He left.\nA caption\nMore text"
    >>> [text[s:e] for s, e in split_sentences(text)]
    ['U.S. officials met Mr. Blinken.', 'He left.', 'A caption', 'More text']
    """
    spans: list[tuple[int, int]] = []
    bounds = [0, *_cuts(text), len(text)]
    for lo, hi in pairwise(bounds):
        start, end = lo, hi
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end - start > MAX_SENTENCE:
            spans.extend(_pieces(text, start, end))
        elif start < end:
            spans.append((start, end))
    return spans

"""Normalisation that never moves an offset.

Two views of a text are used, and neither changes where a character is:

* ``fold(text)`` maps each character to one character (lower case, ASCII quotes, dashes and
  spaces), so a span of the folded text is the same span of the original.
* ``words(text)`` finds word tokens in the original and normalises each one on its own
  (NFKC, case-folding, one apostrophe), so shingles never need offsets of their own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeVar

# A word: letters and digits, with the combining marks of a decomposed (NFD) accent, and
# inner apostrophes. The marks are recomposed by NFKC in ``normalize_word``.
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_WORD = re.compile(rf"\w[\w{_MARKS}]*(?:['’ʼ]\w[\w{_MARKS}]*)*")
_CHAR_MAP = {
    **dict.fromkeys("‘’‚‛′ʼ`´", "'"),
    **dict.fromkeys("“”„‟″«»", '"'),
    **dict.fromkeys("‐‑‒–—―−", "-"),
}
T = TypeVar("T")

# Function words carry the syntax, not the content: two sentences that share only these
# are not reuse, and a rewording changes them freely.
STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself
    yourselves said says say mr mrs ms""".split()
)


@lru_cache(maxsize=65536)
def _fold_char(c: str) -> str:
    mapped = _CHAR_MAP.get(c)
    if mapped is not None:
        return mapped
    if c.isspace():
        return " "
    low = c.lower()
    return low if len(low) == 1 else c  # 'İ'.lower() has two characters: keep the original


@lru_cache(maxsize=1024)  # the aligner folds an article once per article pair
def fold(text: str) -> str:
    """Return ``text`` case-folded character by character, with the same length.

    >>> fold("“U.S.” — İstanbul")
    '"u.s." - İstanbul'
    """
    table = {ord(c): f for c in set(text) if (f := _fold_char(c)) != c}
    return text.translate(table)


def normalize_word(word: str) -> str:
    """Normalise one word token: NFKC, case-folded, apostrophes unified.

    >>> normalize_word("Netanyahu’s")
    "netanyahu's"
    """
    return unicodedata.normalize("NFKC", word).casefold().replace("’", "'").replace("ʼ", "'")


class _Memo(dict[str, T]):
    """A dict that fills itself from ``fn`` (up to ``limit`` keys): a hit never leaves C.

    A scan looks up tens of millions of tokens, nearly all seen before; ``lru_cache``
    costs a Python-level call for each.
    """

    def __init__(self, fn: Callable[[str], T], limit: int = 1 << 20) -> None:
        super().__init__()
        self._fn = fn
        self._limit = limit

    def __missing__(self, key: str) -> T:
        value = self._fn(key)
        if len(self) < self._limit:
            self[key] = value
        return value


def _content_stem(word: str) -> str | None:
    return None if word in STOP_WORDS else stem(word)


_NORMALIZED: _Memo[str] = _Memo(normalize_word)
_CONTENT_STEMS: _Memo[str | None] = _Memo(_content_stem)


def words(text: str) -> tuple[str, ...]:
    """Return the normalised word tokens of ``text``.

    >>> words("U.S. officials — “oppose” it.")
    ('u', 's', 'officials', 'oppose', 'it')
    """
    return tuple(map(_NORMALIZED.__getitem__, _WORD.findall(text)))


def has_words(text: str) -> bool:
    """Whether ``text`` has a word token (``words(text)`` is not empty), without making them.

    >>> has_words("— “?” —"), has_words("A.")
    (False, True)
    """
    return _WORD.search(text) is not None


def word_spans(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) offsets of the word tokens of ``text``."""
    return [m.span() for m in _WORD.finditer(text)]


def stem(word: str) -> str:
    """Return the Snowball (Porter 2) stem of a normalised word.

    >>> stem("invading"), stem("officials")
    ('invad', 'offici')
    """
    return str(_stemmer().stemWord(word))


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    """Snowball's English stemmer, made on first use (its package loads 30 languages)."""
    import snowballstemmer

    return snowballstemmer.stemmer("english")


def content_stem_set(tokens: tuple[str, ...]) -> frozenset[str]:
    """Return the set of the stems of the content words among ``tokens``.

    >>> sorted(content_stem_set(("the", "officials", "oppose", "official", "plans")))
    ['offici', 'oppos', 'plan']
    """
    found = set(map(_CONTENT_STEMS.__getitem__, tokens))
    found.discard(None)
    return frozenset(found)  # type: ignore[arg-type]  # None is gone


def content_stems(tokens: tuple[str, ...]) -> list[str]:
    """Return the stems of the content words among ``tokens``, in order."""
    return [s for s in map(_CONTENT_STEMS.__getitem__, tokens) if s is not None]


def snap_to_words(text: str, start: int, end: int, bounds: tuple[int, int]) -> tuple[int, int]:
    """Widen ``text[start:end]`` to whole words, and to ``bounds`` over punctuation only."""
    lo, hi = bounds
    while start > lo and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < hi and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    if not any(c.isalnum() for c in text[lo:start]):
        start = lo  # keep an opening quote or dash of the copied sentence
    if not any(c.isalnum() for c in text[end:hi]):
        end = hi  # and its closing stop
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def has_alnum(text: str) -> bool:
    """Whether ``text`` has a letter or digit."""
    return any(c.isalnum() for c in text)

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
from functools import lru_cache

import snowballstemmer

_WORD = re.compile(r"\w+(?:['’ʼ]\w+)*")
_CHAR_MAP = {
    **dict.fromkeys("‘’‚‛′ʼ`´", "'"),
    **dict.fromkeys("“”„‟″«»", '"'),
    **dict.fromkeys("‐‑‒–—―−", "-"),
}
_STEMMER = snowballstemmer.stemmer("english")

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


@lru_cache(maxsize=65536)
def normalize_word(word: str) -> str:
    """Normalise one word token: NFKC, case-folded, apostrophes unified.

    >>> normalize_word("Netanyahu’s")
    "netanyahu's"
    """
    return unicodedata.normalize("NFKC", word).casefold().replace("’", "'").replace("ʼ", "'")


def words(text: str) -> tuple[str, ...]:
    """Return the normalised word tokens of ``text``.

    >>> words("U.S. officials — “oppose” it.")
    ('u', 's', 'officials', 'oppose', 'it')
    """
    return tuple(map(normalize_word, _WORD.findall(text)))


def has_words(text: str) -> bool:
    """Whether ``text`` has a word token (``words(text)`` is not empty), without making them.

    >>> has_words("— “?” —"), has_words("A.")
    (False, True)
    """
    return _WORD.search(text) is not None


def word_spans(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) offsets of the word tokens of ``text``."""
    return [m.span() for m in _WORD.finditer(text)]


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Return the Snowball (Porter 2) stem of a normalised word.

    >>> stem("invading"), stem("officials")
    ('invad', 'offici')
    """
    return str(_STEMMER.stemWord(word))


def content_stems(tokens: tuple[str, ...]) -> list[str]:
    """Return the stems of the content words among ``tokens``, in order."""
    return [stem(w) for w in tokens if w not in STOP_WORDS]

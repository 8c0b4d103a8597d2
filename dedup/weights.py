"""Term weights: how much a shared stem says (the only module using wordfreq).

Two sentences that share a rare name and a figure say more alike than two that share "people"
and "year". With ``Params.weighted`` (off by default: see the README's Accuracy), the stem
overlap of two sentences counts each stem by its inverse document frequency,
``1 + ln(1 / share)``, where ``share`` is the share of documents that hold it:

* in a scan, the corpus's own document frequencies (``corpus_weights``: each article counts
  a stem once; both engines count with ``document_frequencies`` and build the same record);
* in a ``compare`` of two texts, a ``check``, or a scan too small to count on (fewer than
  ``MIN_DOCUMENTS`` articles), word frequencies of English from ``wordfreq``
  (``reference_weights``): a stem's frequency is the sum of its words' among the
  ``REFERENCE_WORDS`` most frequent, and a word of frequency ``f`` is in an article of
  ``_ARTICLE_WORDS`` words with probability ``1 - exp(-f * words)``.

A stem that the frequencies do not know is rarer than any they know (``floor``). ``Weights``
is a plain record, passed down explicitly, so stored frequencies (an index's) plug in the same
way; ``UNIFORM`` weighs every stem 1 (the unweighted overlap).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

MIN_DOCUMENTS = 50  # a scan of fewer articles takes the reference frequencies
REFERENCE_WORDS = 30_000  # words of wordfreq's list that are stemmed (rank 30,000: zipf 3)
_ARTICLE_WORDS = 400  # words of a typical news article, for a word frequency's document share
_RARE_FREQUENCY = 1e-7  # a word outside the list (zipf 2 at most)
# wordfreq's major version is pinned (pyproject.toml); importlib.metadata is slow to import.
REFERENCE_SOURCE = "wordfreq 3.x en"


@dataclass(frozen=True, slots=True)
class Weights:
    """Document shares of stems, and the weight they give.

    Attributes:
        shares: a stem's share of documents (0-1]; stems not in it have ``floor``.
        floor: the share of a stem the frequencies do not know (1 for uniform weights).
        source: where the frequencies come from, as the scan's provenance records it.
    """

    shares: Mapping[str, float] = field(default_factory=dict, repr=False)
    floor: float = 1.0
    source: str = "uniform"

    def weight(self, stem: str) -> float:
        """The inverse document frequency of ``stem``: 1 for a stem in every document.

        >>> w = corpus_weights(Counter({"said": 3, "rafah": 1}), 3)
        >>> round(w.weight("said"), 3), round(w.weight("rafah"), 3), round(w.weight("new"), 3)
        (1.0, 1.693, 2.386)
        >>> UNIFORM.weight("rafah")
        1.0
        """
        return 1.0 - math.log(self.shares.get(stem, self.floor))

    def total(self, stems: Iterable[str]) -> float:
        """The summed weight of ``stems``."""
        return math.fsum(map(self.weight, stems))

    def dice(self, a: frozenset[str], b: frozenset[str]) -> float:
        """The weighted Dice overlap of two stem sets: shared weight over their mean weight.

        >>> UNIFORM.dice(frozenset("abc"), frozenset("bcd"))
        0.6666666666666666
        """
        both = a & b
        if not both:
            return 0.0
        if self.floor == 1.0 and not self.shares:  # uniform: every stem weighs 1, exactly
            return 2 * len(both) / (len(a) + len(b))
        return 2 * self.total(both) / (self.total(a) + self.total(b))


UNIFORM = Weights()


def document_frequencies(documents: Iterable[Iterable[frozenset[str]]]) -> Counter[str]:
    """Count, for each stem, the documents (each an iterable of sentence stem sets) holding it.

    >>> sorted(document_frequencies([[frozenset({"a", "b"}), frozenset({"a"})], [{"a"}]]).items())
    [('a', 2), ('b', 1)]
    """
    counts: Counter[str] = Counter()
    for sentences in documents:
        stems: set[str] = set()
        for features in sentences:
            stems.update(features)
        counts.update(stems)
    return counts


def corpus_weights(frequencies: Mapping[str, int], documents: int) -> Weights:
    """Weights from document frequencies of ``documents`` articles (smoothed by one).

    >>> corpus_weights(Counter({"a": 1}), 3).source
    'corpus document frequencies (3 articles)'
    """
    n = documents + 1
    shares = {stem: (count + 1) / n for stem, count in frequencies.items()}
    return Weights(shares, 1 / n, f"corpus document frequencies ({documents} articles)")


def weights_for(frequencies: Mapping[str, int], documents: int, weighted: bool = True) -> Weights:
    """A scan's weights: the corpus's, the reference for fewer than ``MIN_DOCUMENTS`` articles.

    Both engines call this with the corpus's ``document_frequencies``; ``weighted=False``
    (``Params.weighted``) gives ``UNIFORM``.

    >>> weights_for({}, 100, weighted=False).source
    'uniform'
    """
    if not weighted:
        return UNIFORM
    if documents < MIN_DOCUMENTS:
        return reference_weights()
    return corpus_weights(frequencies, documents)


def _share(frequency: float) -> float:
    return -math.expm1(-frequency * _ARTICLE_WORDS)


@lru_cache(maxsize=1)
def reference_weights() -> Weights:
    """Weights from English word frequencies (``wordfreq``), made once per process.

    >>> w = reference_weights()
    >>> w.weight("year") < w.weight("mayor") < w.weight("zxqv")
    True
    """
    import wordfreq

    from .normalize import content_stem_set, normalize_word

    frequencies: dict[str, float] = {}
    for word in wordfreq.top_n_list("en", REFERENCE_WORDS):
        frequency = wordfreq.word_frequency(word, "en")
        for stem in content_stem_set((normalize_word(word),)):
            frequencies[stem] = frequencies.get(stem, 0.0) + frequency
    shares = {stem: _share(f) for stem, f in frequencies.items()}
    for number in ("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"):
        shares[number] = _share(wordfreq.word_frequency(number, "en"))
    return Weights(shares, _share(_RARE_FREQUENCY), REFERENCE_SOURCE)

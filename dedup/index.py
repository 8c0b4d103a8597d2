"""LSH index over sentence signatures (the only module using datasketch.MinHashLSH).

datasketch picks the number of bands and rows for ``Params.threshold`` by minimising a weighted
sum of the false-positive and false-negative probabilities; we weight false negatives four times
as heavily, because a missed candidate is a missed passage while a false candidate only costs
one alignment that the aligner rejects.

Two ways to the same candidates: ``SentenceIndex`` puts each signature in datasketch's
``MinHashLSH`` (one Python object per sentence: simple, and the reference), and
``candidate_pairs`` bands a whole corpus's signature matrix at once with numpy: for each band,
sort the sentences by their band's values and pair those with equal ones (``dedup.bands``).

``sentence_pairs``, the scan's, first collapses identical sentences into one (``dedup.twins``):
text printed word for word in many places is found and linked to its earliest copy, at a cost
that grows with the copies. A bucket of more than ``MAX_BUCKET`` *distinct* sentences pairs
its first sentence with each other one (pairing them all would cost ``MAX_BUCKET**2 / 2``
alignments, mostly for sentences that share a few common words); such buckets are counted,
and the scan reports the count. Then a sentence with many near copies is linked through the
earliest, and each sentence keeps its closest candidates in an article (``dedup.partners``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from datasketch import LeanMinHash, MinHashLSH

from .bands import Bands, band_pairs, decode, distinct, encode
from .errors import ConfigError
from .evidence import contained, evidence_floor, evident_codes, lone_floor
from .model import (
    DEFAULT_PARAMS,
    MAX_BUCKET,
    Params,
    Sentence,
    SentenceKey,
)
from .partners import closest, earliest_copies
from .twins import find_twins

LSH_WEIGHTS = (0.2, 0.8)  # (false positive, false negative)
_BLOCK = 1 << 16  # candidate rows made into Python values at a time


def bands_rows(params: Params = DEFAULT_PARAMS) -> tuple[int, int]:
    """The (bands, rows) that datasketch chooses for ``params.threshold`` and ``num_perm``.

    >>> bands_rows()
    (42, 3)
    """
    lsh = MinHashLSH(threshold=params.threshold, num_perm=params.num_perm, weights=LSH_WEIGHTS)
    return (int(lsh.b), int(lsh.r))


@dataclass(frozen=True, slots=True)
class SentencePairs:
    """Candidate sentence pairs with their agreement, and what banding collapsed or left out.

    Attributes:
        rows: the pairs ``(x, i, y, j, agreement)`` as a matrix, one row a pair, sorted,
            ``(x, i) < (y, j)``; ``pairs`` gives them as Python values.
        collapsed: sentences banded through the head of their twin group (``dedup.twins``).
        capped: band buckets of more than ``MAX_BUCKET`` distinct sentences, paired through
            their first sentence only.
        capped_sentences: the sentences in them (once for each such bucket).
        pruned: candidates beyond a sentence's ``MAX_PARTNERS`` closest in one article,
            left out (``dedup.partners.closest``).
        near_copies: pairs of near copies left out, each linked through its earliest copy
            instead (``dedup.partners.earliest_copies``).
    """

    rows: np.ndarray
    collapsed: int = 0
    capped: int = 0
    capped_sentences: int = 0
    pruned: int = 0
    near_copies: int = 0

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[tuple[SentenceKey, SentenceKey, int]]:
        """The pairs ``((x, i), (y, j), agreement)``, in order, made a block at a time."""
        for start in range(0, len(self.rows), _BLOCK):
            for x, i, y, j, n in self.rows[start : start + _BLOCK].tolist():
                yield (x, i), (y, j), n

    @property
    def pairs(self) -> list[tuple[SentenceKey, SentenceKey, int]]:
        """All the pairs ``((x, i), (y, j), agreement)``, sorted."""
        return list(self)


def sentence_pairs(
    keys: np.ndarray,
    signatures: np.ndarray,
    params: Params = DEFAULT_PARAMS,
    *,
    ranks: np.ndarray | None = None,
    features: np.ndarray | None = None,
    progress: Callable[[Iterable[int], str], Iterable[int]] | None = None,
    threads: int = 1,
) -> SentencePairs:
    """Candidate pairs of sentence keys (rows of ``keys``: article, index), sorted, ``a < b``.

    Each comes with the number of signature values the two sentences share (``agreement``).
    Only pairs of articles that have one sentence pair at ``evidence_floor`` are returned
    (``dedup.stages.article_pairs`` aligns no other): a large corpus has millions of
    candidates between articles that share words and nothing else, and they never leave numpy.

    ``features`` (each row's number of stems), when given, lets a lone pair that is a copy of
    one sentence inside a longer one count as evidence (``contained``).

    Identical signatures are collapsed first (``dedup.twins``): ``ranks`` (each article's,
    ``twins.article_ranks``; input order by default) decides each group's head. With
    ``params.all_pairs``, the same pairs as ``SentenceIndex.candidates`` (but for buckets
    over ``MAX_BUCKET`` distinct sentences, which are counted in the result).

    Memory stays proportional to the sentences, not to the candidates: the bands are bucketed
    once, then walked twice, band by band: first for the article pairs with evidence, then
    for the candidates of those article pairs. ``threads`` bands are done at a time (numpy
    lets go of the interpreter lock while it sorts and compares); the result is the same.
    """
    _check_width(signatures, params)
    article = keys[:, 0].astype(np.int64)
    width = int(article.max(initial=0)) + 1
    if ranks is None:
        ranks = np.arange(width, dtype=np.int64)
    row_ranks = ranks[article] * (int(keys[:, 1].max(initial=0)) + 1) + keys[:, 1]
    twins = find_twins(signatures, row_ranks, article)
    within = params.within

    def candidates(band: list[np.ndarray]) -> np.ndarray:
        if not params.all_pairs:
            return band_pairs(band, article, within)
        pairs = twins.expand(band_pairs(band, article, True))
        return pairs if within else pairs[article[pairs[:, 0]] != article[pairs[:, 1]]]

    linked = twins.within() if params.all_pairs else twins.star()
    if not within:
        linked = linked[article[linked[:, 0]] != article[linked[:, 1]]]
    with Bands(threads) as bands:
        shape = bands_rows(params)
        buckets = bands.buckets(
            signatures, shape, MAX_BUCKET, progress, rows=twins.heads, star=True
        )
        evident = _evident(
            bands, buckets.bands, candidates, signatures, article, width, params, features
        )
        evident = distinct(np.concatenate([evident, _article_pairs(linked, article, width)]))
        counts = (twins.collapsed, buckets.capped, buckets.capped_rows)
        if not len(evident):
            return SentencePairs(np.empty((0, 5), dtype=np.int64), *counts)

        def evident_pairs(band: list[np.ndarray]) -> np.ndarray:
            pairs = candidates(band)
            codes = _article_pairs(pairs, article, width)
            at = np.minimum(np.searchsorted(evident, codes), len(evident) - 1)
            return encode(pairs[evident[at] == codes], len(keys))

        found = [*bands.map(evident_pairs, buckets.bands), encode(linked, len(keys))]
    pairs = decode(distinct(np.concatenate(found)), len(keys))
    del found
    shared = agreement(signatures, pairs)
    x, i = article[pairs[:, 0]], keys[pairs[:, 0], 1]
    y, j = article[pairs[:, 1]], keys[pairs[:, 1], 1]
    del pairs
    near = 0
    if not params.all_pairs:
        early = earliest_copies(x, i, y, j, shared, ranks)
        x, i, y, j, shared = (c[early] for c in (x, i, y, j, shared))
        near = len(early) - int(early.sum())
    kept = closest(x, i, y, j, shared)
    rows = np.stack([c[kept] for c in (x, i, y, j, shared)], axis=1)
    return SentencePairs(
        rows[np.lexsort((rows[:, 3], rows[:, 2], rows[:, 1], rows[:, 0]))],
        *counts,
        len(kept) - int(kept.sum()),
        near,
    )


def _evident(
    bands: Bands,
    buckets: list[list[np.ndarray]],
    candidates: Callable[[list[np.ndarray]], np.ndarray],
    signatures: np.ndarray,
    article: np.ndarray,
    width: int,
    params: Params,
    features: np.ndarray | None,
) -> np.ndarray:
    """The article pairs (``_article_pairs`` codes, sorted) with evidence (``evident_codes``).

    The candidates at ``evidence_floor`` are collected band by band, once each.
    """
    low = signatures.astype(np.uint8)  # the low byte of each value, for ``reaches``
    floor, n = evidence_floor(params), len(signatures)

    def at_floor(band: list[np.ndarray]) -> np.ndarray:
        pairs = candidates(band)
        return distinct(encode(pairs[reaches(signatures, pairs, floor, low=low)], n))

    hits = list(bands.map(at_floor, buckets))
    if not hits:
        return np.empty(0, dtype=np.int64)
    pairs = decode(distinct(np.concatenate(hits)), n)
    sizes = np.bincount(article, minlength=width)
    x, y = article[pairs[:, 0]], article[pairs[:, 1]]
    shared = agreement(signatures, pairs)
    copy = None
    if features is not None:
        copy = contained(shared, features[pairs[:, 0]], features[pairs[:, 1]], params)
    return evident_codes(x, y, shared, sizes, width, lone_floor(params), copy)


def _article_pairs(pairs: np.ndarray, article: np.ndarray, width: int) -> np.ndarray:
    """The article pair of each pair of rows, as one integer: ``x * width + y``."""
    codes: np.ndarray = article[pairs[:, 0]] * width + article[pairs[:, 1]]
    return codes


def agreement(signatures: np.ndarray, pairs: np.ndarray, chunk: int = 65536) -> np.ndarray:
    """The number of equal values in the signatures of each pair of rows.

    Divided by ``num_perm`` it is MinHash's estimate of the pair's Jaccard similarity.
    """
    out = np.empty(len(pairs), dtype=np.int64)
    for start in range(0, len(pairs), chunk):
        part = pairs[start : start + chunk]
        out[start : start + chunk] = (signatures[part[:, 0]] == signatures[part[:, 1]]).sum(axis=1)
    return out


def reaches(
    signatures: np.ndarray,
    pairs: np.ndarray,
    floor: int,
    chunk: int = 65536,
    *,
    low: np.ndarray | None = None,
) -> np.ndarray:
    """Whether each pair of rows has at least ``floor`` equal signature values.

    The same as ``agreement(signatures, pairs) >= floor``, faster: two equal values have equal
    low bytes, so the count of equal low bytes (a quarter of the memory to read) bounds the
    count from above, and most pairs of a large corpus fall below the floor on it already.

    >>> sig = np.array([[1, 2, 3], [1, 2, 259], [1, 2, 3]], dtype=np.uint32)
    >>> reaches(sig, np.array([[0, 1], [0, 2]]), 3).tolist()
    [False, True]
    """
    if low is None:
        low = signatures.astype(np.uint8)  # the low byte of each value (pass it for many calls)
    out = np.zeros(len(pairs), dtype=bool)
    for start in range(0, len(pairs), chunk):
        part = pairs[start : start + chunk]
        maybe = np.flatnonzero((low[part[:, 0]] == low[part[:, 1]]).sum(axis=1) >= floor)
        if len(maybe):
            out[start + maybe] = agreement(signatures, part[maybe], chunk) >= floor
    return out


def candidate_pairs(
    signatures: np.ndarray,
    groups: np.ndarray,
    params: Params = DEFAULT_PARAMS,
    *,
    max_bucket: int = MAX_BUCKET,
    progress: Callable[[Iterable[int], str], Iterable[int]] | None = None,
) -> np.ndarray:
    """Return the pairs of rows ``(a, b)``, ``a < b``, that share a band, sorted and unique.

    ``groups`` gives each row's article; with ``params.within`` false, pairs in one article
    are left out. The result is an ``(n, 2)`` int64 array. Nothing is collapsed here: the
    plain banding, that ``sentence_pairs`` with ``all_pairs`` equals.

    >>> sig = np.array([[1, 2, 3], [1, 2, 3], [4, 5, 6]], dtype=np.uint32)
    >>> candidate_pairs(sig, np.array([0, 1, 1]), Params(num_perm=3)).tolist()
    [[0, 1]]
    """
    _check_width(signatures, params)
    with Bands(1) as bands:
        buckets = bands.buckets(signatures, bands_rows(params), max_bucket, progress)
    n = len(signatures)
    found = [encode(band_pairs(band, groups, params.within), n) for band in buckets.bands]
    return decode(distinct(np.concatenate(found)) if found else np.empty(0, np.int64), n)


def _check_width(signatures: np.ndarray, params: Params) -> None:
    if signatures.shape[1] != params.num_perm:
        raise ConfigError(
            f"signatures have {signatures.shape[1]} permutations, the index expects "
            f"{params.num_perm}"
        )


class SentenceIndex:
    """An LSH index of sentence signatures; ``candidates`` yields sentence pairs to verify."""

    def __init__(self, params: Params = DEFAULT_PARAMS) -> None:
        self._params = params
        self._lsh = MinHashLSH(
            threshold=params.threshold, num_perm=params.num_perm, weights=LSH_WEIGHTS
        )
        self._sigs: dict[SentenceKey, LeanMinHash] = {}

    @property
    def bands_rows(self) -> tuple[int, int]:
        """The (bands, rows) that datasketch chose for the threshold."""
        return (int(self._lsh.b), int(self._lsh.r))

    def __len__(self) -> int:
        return len(self._sigs)

    def add(self, key: SentenceKey, sig: LeanMinHash) -> None:
        """Index one sentence signature under its key."""
        if len(sig) != self._params.num_perm:
            raise ConfigError(
                f"signature has {len(sig)} permutations, the index expects "
                f"{self._params.num_perm}; were they built with another --num-perm?"
            )
        self._lsh.insert(key, sig)
        self._sigs[key] = sig

    def add_all(self, sentences: Sequence[Sentence], sigs: Sequence[LeanMinHash]) -> None:
        """Index many sentences at once."""
        with self._lsh.insertion_session() as session:
            for s, sig in zip(sentences, sigs, strict=True):
                session.insert(s.key, sig)
                self._sigs[s.key] = sig

    def candidates(self, *, within: bool = True) -> Iterator[tuple[SentenceKey, SentenceKey]]:
        """Yield each candidate pair once, ``a < b``; with ``within``, pairs in one article too."""
        for key in sorted(self._sigs):
            for other in sorted(self._lsh.query(self._sigs[key])):
                if key < other and (within or key[0] != other[0]):
                    yield (key, other)

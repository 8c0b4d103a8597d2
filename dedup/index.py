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
that grows with the copies. A bucket of more than ``MAX_BUCKET`` *distinct* sentences is still
left out (pairing them all would cost ``MAX_BUCKET**2 / 2`` alignments, mostly for sentences
that share a few common words); such buckets are counted, and the scan reports the count.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from datasketch import LeanMinHash, MinHashLSH

from .bands import Bands, band_pairs, decode, distinct, encode
from .errors import ConfigError
from .model import (
    DEFAULT_PARAMS,
    LONE_SCORE,
    MAX_BUCKET,
    SHORT_SENTENCES,
    Params,
    Sentence,
    SentenceKey,
)
from .twins import find_twins

LSH_WEIGHTS = (0.2, 0.8)  # (false positive, false negative)


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
        pairs: ``((x, i), (y, j), agreement)``, sorted, ``(x, i) < (y, j)``.
        collapsed: sentences banded through the head of their twin group (``dedup.twins``).
        capped: band buckets of more than ``MAX_BUCKET`` distinct sentences, left out.
        capped_sentences: the sentences in them (once for each such bucket).
    """

    pairs: list[tuple[SentenceKey, SentenceKey, int]]
    collapsed: int = 0
    capped: int = 0
    capped_sentences: int = 0


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
    (``dedup.pipeline.article_pairs`` aligns no other): a large corpus has millions of
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
        buckets = bands.buckets(signatures, shape, MAX_BUCKET, progress, rows=twins.heads)
        evident = _evident(
            bands, buckets.bands, candidates, signatures, article, width, params, features
        )
        evident = distinct(np.concatenate([evident, _article_pairs(linked, article, width)]))
        counts = (twins.collapsed, buckets.capped, buckets.capped_rows)
        if not len(evident):
            return SentencePairs([], *counts)

        def evident_pairs(band: list[np.ndarray]) -> np.ndarray:
            pairs = candidates(band)
            codes = _article_pairs(pairs, article, width)
            at = np.minimum(np.searchsorted(evident, codes), len(evident) - 1)
            return encode(pairs[evident[at] == codes], len(keys))

        found = [*bands.map(evident_pairs, buckets.bands), encode(linked, len(keys))]
    pairs = decode(distinct(np.concatenate(found)), len(keys))
    shared = agreement(signatures, pairs)
    a, b = keys[pairs[:, 0]].tolist(), keys[pairs[:, 1]].tolist()
    return SentencePairs(
        sorted(
            ((x, i), (y, j), n) for (x, i), (y, j), n in zip(a, b, shared.tolist(), strict=True)
        ),
        *counts,
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


def evidence_floor(params: Params = DEFAULT_PARAMS) -> int:
    """The agreement (equal signature values) a pair of articles needs in one sentence pair.

    A passage starts at a seed: a copy, or a rewording whose stems overlap by ``min_score``
    (Dice; Jaccard ``j = d / (2 - d)``). With ``copies_only`` a seed is a copy, whose stems
    overlap about as much as its characters, ``near_verbatim``. The floor sits three standard
    errors of the MinHash estimate below ``j`` (and never above ``threshold``), so a seed's
    article pair is kept but once in a thousand times, and the many pairs of articles that only
    share a few words, sentence by sentence, are not aligned at all.

    >>> evidence_floor()  # of 128: an estimated Jaccard of 0.258
    33
    >>> evidence_floor(Params(copies_only=True, threshold=0.5))  # capped by the threshold
    64
    """
    d = params.near_verbatim if params.copies_only else params.min_score
    return _floor(d, params, params.threshold)


def lone_floor(params: Params = DEFAULT_PARAMS) -> int:
    """The agreement at which one sentence pair alone is evidence for two longer articles.

    ``dedup.align`` reports a lone reworded sentence pair between two texts of more than
    ``SHORT_SENTENCES`` sentences only if its stems overlap by ``LONE_SCORE``; below it, a
    passage needs two pairs. So an article pair whose only candidate at ``evidence_floor``
    is far below that overlap could not give a passage, and is not aligned (``evident_codes``).
    Three
    standard errors below ``LONE_SCORE``, as for ``evidence_floor``; with ``copies_only``, or a
    ``min_score`` above ``LONE_SCORE``, the same as ``evidence_floor``, and so it is with
    ``summaries``: a summary shares little with any one sentence of its source, and a lone
    candidate may be all the evidence it leaves (PAN's summary part: 0.607 against 0.596).

    >>> lone_floor()  # of 128: an estimated Jaccard of 0.406, rounded up
    53
    """
    floor = evidence_floor(params)
    if params.copies_only or params.summaries:
        return floor
    return max(floor, _floor(LONE_SCORE, params, 1.0))


def _floor(dice: float, params: Params, cap: float) -> int:
    j = dice / (2 - dice)
    error = math.sqrt(j * (1 - j) / params.num_perm)
    return math.ceil(max(0.0, min(cap, j - 3 * error)) * params.num_perm)


def contained(shared: Any, ka: Any, kb: Any, params: Params) -> Any:
    """Whether a sentence pair is a copy of one sentence inside the other, by its stems.

    MinHash estimates the Jaccard similarity ``j`` of two stem sets of sizes ``ka`` and
    ``kb``; the stems they share are about ``j (ka + kb) / (1 + j)``. A pair whose shared stems
    are ``near_verbatim`` of the smaller set is a copy (a sentence quoted inside a longer one),
    which the aligner reports on its own, however low its Jaccard. Scalars or numpy arrays.

    >>> bool(contained(43, 8, 24, DEFAULT_PARAMS))  # 8 stems inside 24: j = 1/3
    True
    >>> bool(contained(43, 16, 16, DEFAULT_PARAMS))  # 16 and 16: only 8 shared
    False
    """
    j = shared / params.num_perm
    return j * (ka + kb) >= params.near_verbatim * (1 + j) * np.minimum(ka, kb)


def evident_codes(
    x: np.ndarray,
    y: np.ndarray,
    shared: np.ndarray,
    sizes: np.ndarray,
    width: int,
    lone: int,
    copy: np.ndarray | None = None,
) -> np.ndarray:
    """The article pairs (``x * width + y``, sorted) whose candidates are evidence.

    Each row is a distinct sentence pair at ``evidence_floor``: its articles ``x`` and ``y``,
    its agreement ``shared``, and whether it is a ``copy`` (``contained``); ``sizes`` are the
    articles' indexable sentences. An article pair has evidence with two or more such pairs
    (a passage of two pairs), or one at ``lone`` (``lone_floor``), or one ``copy``, or one
    inside one article, or one where an article has at most ``SHORT_SENTENCES`` indexable
    sentences (a headline, a sentence compared with a sentence).

    >>> evident_codes(np.array([0, 0, 1, 2]), np.array([1, 1, 2, 3]), np.array([40, 35, 60, 40]),
    ...               np.array([9, 9, 9, 9]), 4, 52).tolist()  # two pairs; one at lone; one
    [1, 6]
    """
    codes = x.astype(np.int64) * width + y
    order = np.argsort(codes, kind="stable")
    codes = codes[order]
    if not len(codes):
        return np.empty(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    counts = np.diff(np.r_[starts, len(codes)])
    best = np.maximum.reduceat(shared[order], starts)
    xs, ys = x[order][starts], y[order][starts]
    copies = (
        np.logical_or.reduceat(copy[order], starts)
        if copy is not None
        else np.zeros(len(starts), dtype=bool)
    )
    keep = (
        (counts >= 2)
        | (best >= lone)
        | copies
        | (xs == ys)
        | (np.minimum(sizes[xs], sizes[ys]) <= SHORT_SENTENCES)
    )
    result: np.ndarray = codes[starts][keep]
    return result


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

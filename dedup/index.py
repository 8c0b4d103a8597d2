"""LSH index over sentence signatures (the only module using datasketch.MinHashLSH).

datasketch picks the number of bands and rows for ``Params.threshold`` by minimising a weighted
sum of the false-positive and false-negative probabilities; we weight false negatives four times
as heavily, because a missed candidate is a missed passage while a false candidate only costs
one alignment that the aligner rejects.

Two ways to the same candidates: ``SentenceIndex`` puts each signature in datasketch's
``MinHashLSH`` (one Python object per sentence: simple, and the reference), and
``candidate_pairs`` bands a whole corpus's signature matrix at once with numpy: for each band,
sort the sentences by their band's values and pair those with equal ones. A band shared by
more than ``MAX_BUCKET`` sentences is left out there: a sentence repeated in that many places
(a newsletter footer, a photo credit) is boilerplate, and pairing all of them would cost
``MAX_BUCKET**2 / 2`` alignments for nothing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import numpy as np
from datasketch import LeanMinHash, MinHashLSH

from .errors import ConfigError
from .model import DEFAULT_PARAMS, Params, Sentence, SentenceKey

LSH_WEIGHTS = (0.2, 0.8)  # (false positive, false negative)
MAX_BUCKET = 500  # sentences sharing one band beyond which the band is boilerplate
T = TypeVar("T")
U = TypeVar("U")


def bands_rows(params: Params = DEFAULT_PARAMS) -> tuple[int, int]:
    """The (bands, rows) that datasketch chooses for ``params.threshold`` and ``num_perm``.

    >>> bands_rows()
    (42, 3)
    """
    lsh = MinHashLSH(threshold=params.threshold, num_perm=params.num_perm, weights=LSH_WEIGHTS)
    return (int(lsh.b), int(lsh.r))


def sentence_pairs(
    keys: np.ndarray,
    signatures: np.ndarray,
    params: Params = DEFAULT_PARAMS,
    *,
    progress: Callable[[Iterable[int], str], Iterable[int]] | None = None,
    threads: int = 1,
) -> list[tuple[SentenceKey, SentenceKey, int]]:
    """Candidate pairs of sentence keys (rows of ``keys``: article, index), sorted, ``a < b``.

    Each comes with the number of signature values the two sentences share (``agreement``).
    Only pairs of articles that have one sentence pair at ``evidence_floor`` are returned
    (``dedup.pipeline.article_pairs`` aligns no other): a large corpus has millions of
    candidates between articles that share words and nothing else, and they never leave numpy.
    Otherwise the same pairs as ``SentenceIndex.candidates`` (but for buckets over
    ``MAX_BUCKET``).

    Memory stays proportional to the sentences, not to the candidates: the bands are bucketed
    once, then walked twice, band by band: first for the article pairs with evidence, then
    for the candidates of those article pairs. ``threads`` bands are done at a time (numpy
    lets go of the interpreter lock while it sorts and compares); the result is the same.
    """
    with _Bands(threads) as bands:
        buckets = bands.buckets(signatures, params, MAX_BUCKET, progress)
        article = keys[:, 0].astype(np.int64)
        width = int(article.max(initial=0)) + 1
        floor = evidence_floor(params)
        evident = _evident(bands, buckets, signatures, article, width, floor, params.within)
        if not len(evident):
            return []

        def evident_pairs(band: list[np.ndarray]) -> np.ndarray:
            pairs = _pairs(band, article, params.within)
            codes = _article_pairs(pairs, article, width)
            at = np.minimum(np.searchsorted(evident, codes), len(evident) - 1)
            return _encode(pairs[evident[at] == codes], len(keys))

        found = list(bands.map(evident_pairs, buckets))
    pairs = _decode(_distinct(np.concatenate(found)), len(keys))
    shared = agreement(signatures, pairs)
    a, b = keys[pairs[:, 0]].tolist(), keys[pairs[:, 1]].tolist()
    return sorted(
        ((x, i), (y, j), n) for (x, i), (y, j), n in zip(a, b, shared.tolist(), strict=True)
    )


def _evident(
    bands: _Bands,
    buckets: list[list[np.ndarray]],
    signatures: np.ndarray,
    article: np.ndarray,
    width: int,
    floor: int,
    within: bool,
) -> np.ndarray:
    """The article pairs (``_article_pairs`` codes, sorted) with a candidate at ``floor``."""
    low = signatures.astype(np.uint8)  # the low byte of each value, for ``reaches``

    def codes(band: list[np.ndarray]) -> np.ndarray:
        pairs = _pairs(band, article, within)
        return _distinct(
            _article_pairs(pairs[reaches(signatures, pairs, floor, low=low)], article, width)
        )

    hits = list(bands.map(codes, buckets))
    return _distinct(np.concatenate(hits)) if hits else np.empty(0, dtype=np.int64)


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


def _distinct(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values (by sorting in place: faster than ``np.unique``'s hashing here)."""
    values.sort()
    return values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values


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
    j = d / (2 - d)
    error = math.sqrt(j * (1 - j) / params.num_perm)
    return math.ceil(max(0.0, min(params.threshold, j - 3 * error)) * params.num_perm)


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
    are left out. The result is an ``(n, 2)`` int64 array.

    >>> sig = np.array([[1, 2, 3], [1, 2, 3], [4, 5, 6]], dtype=np.uint32)
    >>> candidate_pairs(sig, np.array([0, 1, 1]), Params(num_perm=3)).tolist()
    [[0, 1]]
    """
    with _Bands(1) as bands:
        buckets = bands.buckets(signatures, params, max_bucket, progress)
    n = len(signatures)
    found = [_encode(_pairs(band, groups, params.within), n) for band in buckets]
    return _decode(_distinct(np.concatenate(found)) if found else np.empty(0, np.int64), n)


def _encode(pairs: np.ndarray, n: int) -> np.ndarray:
    """Pairs of rows as one integer each: pairs found in several bands then go in one sort."""
    codes: np.ndarray = pairs[:, 0] * n + pairs[:, 1]
    return codes


def _decode(codes: np.ndarray, n: int) -> np.ndarray:
    return np.stack([codes // n, codes % n], axis=1).astype(np.int64, copy=False)


class _Bands:
    """Runs a function over the bands, ``threads`` at a time, results in band order."""

    def __init__(self, threads: int) -> None:
        self._pool = ThreadPoolExecutor(threads) if threads > 1 else None

    def __enter__(self) -> _Bands:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def map(self, fn: Callable[[T], U], items: Sequence[T]) -> Iterator[U]:
        """``fn`` of each item, in order."""
        return self._pool.map(fn, items) if self._pool is not None else map(fn, items)

    def buckets(
        self,
        signatures: np.ndarray,
        params: Params,
        max_bucket: int,
        progress: Callable[[Iterable[int], str], Iterable[int]] | None,
    ) -> list[list[np.ndarray]]:
        """The buckets of each band: for each bucket size, a matrix of a bucket a row.

        A bucket is the rows with equal values in a band, found by sorting the rows by the
        band's values; buckets of one row, or of more than ``max_bucket``, are left out.
        """
        n, num_perm = signatures.shape
        if num_perm != params.num_perm:
            raise ConfigError(
                f"signatures have {num_perm} permutations, the index expects {params.num_perm}"
            )
        bands, rows = bands_rows(params)
        index = np.int32 if n < 2**31 else np.int64

        def bucket(band: int) -> list[np.ndarray]:
            block = np.ascontiguousarray(signatures[:, band * rows : (band + 1) * rows])
            maybe = _maybe_shared(block)
            # One sortable key per row: the band's values, viewed as one opaque byte string.
            keys = block[maybe].view(np.dtype((np.void, block.dtype.itemsize * rows))).ravel()
            by_key = np.argsort(keys, kind="stable")
            order = maybe[by_key].astype(index)
            ordered = keys[by_key]
            starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
            sizes = np.diff(np.r_[starts, len(order)])
            counts = np.bincount(sizes[sizes <= max_bucket], minlength=2)
            return [
                order[starts[sizes == size][:, None] + np.arange(size)]  # a bucket a row
                for size in (np.flatnonzero(counts[2:]) + 2).tolist()
            ]

        done = _Sized(self.map(bucket, range(bands)), bands)
        return list(progress(done, "candidates") if progress else done)


class _Sized:
    """An iterator with a length, for a progress bar's total."""

    def __init__(self, items: Iterator[Any], length: int) -> None:
        self._items = items
        self._length = length

    def __len__(self) -> int:
        return self._length

    def __iter__(self) -> Iterator[Any]:
        return self._items


_MIX = np.uint64(0x9E3779B97F4A7C15)  # an odd 64-bit constant (the golden ratio's)
_SLOTS_PER_ROW = 4


def _maybe_shared(block: np.ndarray) -> np.ndarray:
    """The rows (sorted) whose values may equal another row's: all that do, and a few more.

    Each row is hashed to one of about ``4 n`` slots; a row alone in its slot shares its
    values with no other row. Counting slots takes linear time, so only these rows, a small
    share of a large corpus, need sorting.

    >>> _maybe_shared(np.array([[1, 2], [3, 4], [1, 2]], dtype=np.uint32)).tolist()
    [0, 2]
    """
    n = len(block)
    bits = max(1, (n * _SLOTS_PER_ROW).bit_length())
    hashes = np.zeros(n, dtype=np.uint64)
    for column in block.T:
        hashes ^= column
        hashes *= _MIX
    slots = (hashes >> np.uint64(64 - bits)).astype(np.intp)
    return np.flatnonzero(np.bincount(slots, minlength=1 << bits)[slots] > 1)


def bucket_pairs(members: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of members of each bucket (a row of ``members``): two flat arrays ``a, b``.

    >>> [x.tolist() for x in bucket_pairs(np.array([[5, 6, 7]]))]
    [[5, 5, 6], [6, 7, 7]]
    """
    left, right = np.triu_indices(members.shape[1], k=1)
    return members[:, left].ravel(), members[:, right].ravel()


def _pairs(band: list[np.ndarray], groups: np.ndarray, within: bool) -> np.ndarray:
    """The pairs ``(a, b)``, ``a < b``, of a band's buckets.

    With ``within`` false, pairs of rows of one group (article) are left out.
    """
    found = [np.empty((0, 2), dtype=np.int64)]
    for members in band:
        a, b = (x.astype(np.int64) for x in bucket_pairs(members))
        found.append(np.stack([np.minimum(a, b), np.maximum(a, b)], axis=1))
    pairs = np.concatenate(found)
    if not within:
        pairs = pairs[groups[pairs[:, 0]] != groups[pairs[:, 1]]]
    return pairs


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

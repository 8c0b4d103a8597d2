"""Bucketing a signature matrix band by band with numpy: the work under ``dedup.index``.

For each band, the rows are sorted by the band's values and those with equal values form a
bucket; the pairs of a bucket are candidates. Only the rows that may share their values with
another row (``maybe_shared``, a linear filter) are sorted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

T = TypeVar("T")
U = TypeVar("U")


def distinct(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values (by sorting in place: faster than ``np.unique``'s hashing here)."""
    values.sort()
    return values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values


def encode(pairs: np.ndarray, n: int) -> np.ndarray:
    """Pairs of rows as one integer each: pairs found in several bands then go in one sort."""
    codes: np.ndarray = pairs[:, 0] * n + pairs[:, 1]
    return codes


def decode(codes: np.ndarray, n: int) -> np.ndarray:
    """The pairs of rows that ``encode`` made into ``codes``."""
    return np.stack([codes // n, codes % n], axis=1).astype(np.int64, copy=False)


class Bands:
    """Runs a function over the bands, ``threads`` at a time, results in band order."""

    def __init__(self, threads: int) -> None:
        self._pool = ThreadPoolExecutor(threads) if threads > 1 else None

    def __enter__(self) -> Bands:
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
        shape: tuple[int, int],
        max_bucket: int,
        progress: Callable[[Iterable[int], str], Iterable[int]] | None,
        *,
        rows: np.ndarray | None = None,
        star: bool = False,
    ) -> Buckets:
        """The buckets of each band of ``shape`` (bands, rows a band), over ``rows`` (all rows).

        A bucket is the rows with equal values in a band, found by sorting the rows by the
        band's values; buckets of one row are left out, and so are buckets of more than
        ``max_bucket`` rows, which are counted in the result. With ``star``, such a bucket
        gives instead a bucket of two for each of its rows but the first (the lowest): the
        pairs of its first row with each other one, which grow with the rows, not their square.
        """
        n_bands, width = shape
        if n_bands * width > signatures.shape[1]:
            raise ValueError(
                f"{n_bands} bands of {width} need more than {signatures.shape[1]} values"
            )
        chosen = np.arange(len(signatures)) if rows is None else rows
        index = np.int32 if len(signatures) < 2**31 else np.int64

        def bucket(band: int) -> tuple[list[np.ndarray], int, int]:
            block = np.ascontiguousarray(signatures[chosen, band * width : (band + 1) * width])
            maybe = maybe_shared(block)
            # One sortable key per row: the band's values, viewed as one opaque byte string.
            keys = block[maybe].view(np.dtype((np.void, block.dtype.itemsize * width))).ravel()
            by_key = np.argsort(keys, kind="stable")
            order = chosen[maybe[by_key]].astype(index)
            ordered = keys[by_key]
            starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
            sizes = np.diff(np.r_[starts, len(order)])
            counts = np.bincount(sizes[sizes <= max_bucket], minlength=2)
            over = sizes[sizes > max_bucket]
            found = [
                order[starts[sizes == size][:, None] + np.arange(size)]  # a bucket a row
                for size in (np.flatnonzero(counts[2:]) + 2).tolist()
            ]
            if star and len(over):
                big = sizes > max_bucket
                first = np.repeat(starts[big], sizes[big] - 1)
                others = np.concatenate([start + np.arange(1, size) for start, size in zip(
                    starts[big].tolist(), sizes[big].tolist(), strict=True)])  # fmt: skip
                found.append(np.stack([order[first], order[others]], axis=1))
            return found, len(over), int(over.sum())

        done = _Sized(self.map(bucket, range(n_bands)), n_bands)
        made = list(progress(done, "candidates") if progress else done)
        return Buckets(
            [found for found, _, _ in made],
            sum(over for _, over, _ in made),
            sum(members for _, _, members in made),
        )


@dataclass(frozen=True, slots=True)
class Buckets:
    """The buckets of each band (for each bucket size, a matrix of a bucket a row).

    ``capped`` counts the buckets over the size limit, which are left out (or, with ``star``,
    paired through their first row), and ``capped_rows`` the rows in them (a row once for
    each such bucket it is in).
    """

    bands: list[list[np.ndarray]]
    capped: int = 0
    capped_rows: int = 0


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


def row_hashes(block: np.ndarray) -> np.ndarray:
    """A 64-bit hash of each row's values: equal rows have equal hashes."""
    hashes = np.zeros(len(block), dtype=np.uint64)
    for column in np.ascontiguousarray(block).T:
        hashes ^= column
        hashes *= _MIX
    return hashes


def ordered(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The pairs of rows ``a[k], b[k]`` as an ``(n, 2)`` int64 array, the smaller first."""
    return np.stack([np.minimum(a, b), np.maximum(a, b)], axis=1).astype(np.int64, copy=False)


def maybe_shared(block: np.ndarray) -> np.ndarray:
    """The rows (sorted) whose values may equal another row's: all that do, and a few more.

    Each row is hashed to one of about ``4 n`` slots; a row alone in its slot shares its
    values with no other row. Counting slots takes linear time, so only these rows, a small
    share of a large corpus, need sorting.

    >>> maybe_shared(np.array([[1, 2], [3, 4], [1, 2]], dtype=np.uint32)).tolist()
    [0, 2]
    """
    bits = max(1, (len(block) * _SLOTS_PER_ROW).bit_length())
    slots = (row_hashes(block) >> np.uint64(64 - bits)).astype(np.intp)
    return np.flatnonzero(np.bincount(slots, minlength=1 << bits)[slots] > 1)


def bucket_pairs(members: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of members of each bucket (a row of ``members``): two flat arrays ``a, b``.

    >>> [x.tolist() for x in bucket_pairs(np.array([[5, 6, 7]]))]
    [[5, 5, 6], [6, 7, 7]]
    """
    left, right = np.triu_indices(members.shape[1], k=1)
    return members[:, left].ravel(), members[:, right].ravel()


def band_pairs(band: list[np.ndarray], groups: np.ndarray, within: bool) -> np.ndarray:
    """The pairs ``(a, b)``, ``a < b``, of a band's buckets.

    With ``within`` false, pairs of rows of one group (article) are left out.
    """
    found = [np.empty((0, 2), dtype=np.int64)]
    for members in band:
        found.append(ordered(*(x.astype(np.int64) for x in bucket_pairs(members))))
    pairs = np.concatenate(found)
    if not within:
        pairs = pairs[groups[pairs[:, 0]] != groups[pairs[:, 1]]]
    return pairs

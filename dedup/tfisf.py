"""tf-isf weights over two articles' units, and the cosines and Dice overlaps they give.

A unit is a bag of stems (``dedup.rewrite``). A stem's weight in a unit is its count there
times ``log(n / k)``: ``n`` units in the two articles, ``k`` of them hold it. Stems that more
than ``COMMON`` of the units hold are the pair's common words and weigh nothing (looking them
up would cost the product of their counts, and their weight is low).

``Space`` computes with numpy, without BLAS (whose threads would fight a scan's worker
processes over products this small): the entries of a shared stem in one article are paired
with its entries in the other, and a sort sums each unit pair's products. Its cost is the
number of such products, the same as a postings list's. ``reference_seeds`` is the plain
definition, one unit pair at a time, for tests.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

COMMON = 0.5
_PRODUCTS = 1 << 21  # weight products summed at a time (``Space.seeds``)
_IDS: dict[str, int] = {}  # stems as numbers, in this process


@dataclass(frozen=True, slots=True)
class Bags:
    """One article's units as arrays: for each (unit, stem) its unit, stem number and count."""

    size: int
    unit: np.ndarray
    stem: np.ndarray
    count: np.ndarray
    first: np.ndarray  # first entry of each unit (and the total at the end)


def bags(stems: Sequence[Counter[str]]) -> Bags:
    """The arrays of one article's units' stem counts."""
    ids = _IDS
    unit, stem, count = [], [], []
    first = [0]
    for k, bag in enumerate(stems):
        for t, c in bag.items():
            unit.append(k)
            stem.append(ids.setdefault(t, len(ids)))
            count.append(c)
        first.append(len(unit))
    return Bags(
        len(stems),
        np.array(unit, dtype=np.int64),
        np.array(stem, dtype=np.int64),
        np.array(count, dtype=np.float64),
        np.array(first, dtype=np.int64),
    )


class Space:
    """The weighted units of two articles (``a``, ``b``)."""

    def __init__(self, a: Bags, b: Bags) -> None:
        self.a, self.b = a, b
        n = a.size + b.size
        stems, where = np.unique(np.concatenate([a.stem, b.stem]), return_inverse=True)
        held = np.bincount(where, minlength=len(stems))
        kept = held <= COMMON * n
        isf = np.where(kept, np.log(n / np.maximum(held, 1)), 0.0)
        self._col_a, self._col_b = where[: len(a.stem)], where[len(a.stem) :]
        self._w_a = a.count * isf[self._col_a]
        self._w_b = b.count * isf[self._col_b]
        self._stems = len(stems)
        self.norm_a = np.sqrt(np.bincount(a.unit, self._w_a**2, minlength=a.size))
        self.norm_b = np.sqrt(np.bincount(b.unit, self._w_b**2, minlength=b.size))
        self.len_a = np.bincount(a.unit, kept[self._col_a], minlength=a.size)
        self.len_b = np.bincount(b.unit, kept[self._col_b], minlength=b.size)
        in_a = np.zeros(len(stems), dtype=bool)
        in_a[self._col_a] = True
        in_b = np.zeros(len(stems), dtype=bool)
        in_b[self._col_b] = True
        shared = in_a & in_b & kept
        self._shared_on = shared
        self._shared = int(shared.sum())
        self._column = np.cumsum(shared) - 1  # a shared stem's number among them

    def seeds(self, cosine: float, dice: float) -> list[tuple[int, int]]:
        """The unit pairs ``(i, j)`` whose cosine exceeds ``cosine`` and Dice ``dice``.

        Each stem that both hold pairs its entries in ``a`` with those in ``b``; a pair's
        products are summed by a sort. Blocks of ``a``'s units keep the products at most
        ``_PRODUCTS`` at a time (one unit with more stands alone).
        """
        on_b = self._shared_on[self._col_b]
        if not on_b.any():
            return []
        column = self._column
        col_b = column[self._col_b[on_b]]
        order = np.argsort(col_b, kind="stable")
        unit_b, w_b = self.b.unit[on_b][order], self._w_b[on_b][order]
        per_stem = np.bincount(col_b, minlength=self._shared)
        first_b = np.cumsum(per_stem) - per_stem
        on_a = self._shared_on[self._col_a]
        unit_a, w_a = self.a.unit[on_a], self._w_a[on_a]
        col_a = column[self._col_a[on_a]]
        reps = per_stem[col_a]
        found: list[tuple[int, int]] = []
        for lo, hi in _blocks(unit_a, reps):
            rep = reps[lo:hi]
            entry = np.repeat(np.arange(lo, hi), rep)
            step = np.arange(len(entry)) - np.repeat(np.cumsum(rep) - rep, rep)
            partner = first_b[col_a[entry]] + step
            code = unit_a[entry] * self.b.size + unit_b[partner]
            codes, where = np.unique(code, return_inverse=True)
            dot = np.bincount(where, w_a[entry] * w_b[partner], minlength=len(codes))
            both = np.bincount(where, minlength=len(codes))
            i, j = codes // self.b.size, codes % self.b.size
            ok = (dot > cosine * self.norm_a[i] * self.norm_b[j]) & (
                2 * both > dice * (self.len_a[i] + self.len_b[j])
            )
            found.extend(zip(i[ok].tolist(), j[ok].tolist(), strict=True))
        return found

    def vector(self, side: str, lo: int, hi: int) -> dict[int, float]:
        """The summed weights of units ``lo..hi`` (inclusive) of ``side`` ("a" or "b")."""
        bag, col, w = (
            (self.a, self._col_a, self._w_a) if side == "a" else (self.b, self._col_b, self._w_b)
        )
        start, end = bag.first[lo], bag.first[hi + 1]
        total = np.bincount(col[start:end], w[start:end], minlength=self._stems)
        on = np.nonzero(total)[0]
        return dict(zip(on.tolist(), total[on].tolist(), strict=True))

    def cosine(self, i0: int, i1: int, j0: int, j1: int) -> float:
        """The cosine of the summed units ``i0..i1`` of ``a`` and ``j0..j1`` of ``b``."""
        return _cosine(self.vector("a", i0, i1), self.vector("b", j0, j1))


def _blocks(unit: np.ndarray, reps: np.ndarray) -> list[tuple[int, int]]:
    """Runs of entries, whole units each, with at most ``_PRODUCTS`` products (or one unit)."""
    total = np.cumsum(reps)
    blocks, lo = [], 0
    while lo < len(unit):
        base = total[lo - 1] if lo else 0
        hi = int(np.searchsorted(total, base + _PRODUCTS, side="right"))
        hi = max(hi, lo + 1)
        if hi < len(unit):  # end at a unit's start; if that is lo, take the whole unit
            start = int(np.searchsorted(unit, unit[hi], side="left"))
            hi = start if start > lo else int(np.searchsorted(unit, unit[lo], side="right"))
        blocks.append((lo, hi))
        lo = hi
    return blocks


def _cosine(u: dict[int, float], v: dict[int, float]) -> float:
    if len(u) > len(v):
        u, v = v, u
    dot = math.fsum(w * v.get(t, 0.0) for t, w in u.items())
    norm = math.sqrt(math.fsum(w * w for w in u.values()) * math.fsum(w * w for w in v.values()))
    return dot / norm if norm else 0.0


def reference_seeds(space: Space, cosine: float, dice: float) -> list[tuple[int, int]]:
    """``Space.seeds`` one unit pair at a time, through postings of the shared stems."""
    units_b = [space.vector("b", j, j) for j in range(space.b.size)]
    postings: dict[int, list[int]] = {}
    for j, v in enumerate(units_b):
        for t in v:
            postings.setdefault(t, []).append(j)
    found = []
    for i in range(space.a.size):
        u = space.vector("a", i, i)
        partners = sorted({j for t in u for j in postings.get(t, ())})
        for j in partners:
            v = units_b[j]
            both = sum(1 for t in u if t in v)
            if _cosine(u, v) > cosine and 2 * both > dice * (len(u) + len(v)):
                found.append((i, j))
    return found

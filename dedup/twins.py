"""Identical sentences, collapsed before banding: one representative a text (``dedup.index``).

Text that many articles print word for word (wire copy, a syndicated story, a stock line)
gives many sentences with one signature. Banded as they are, every copy lands in one bucket
per band, and a bucket's pairs grow with the square of its size: 1,000 copies make 499,500
pairs a band. So the sentences with equal signatures form a *twin group*; its first member by
rank (the earliest article: ``article_ranks``) is the group's *head*. Only heads are banded,
and each other member is paired with its head alone, a star: the pairs grow with the copies,
and every copy is still found, linked to the earliest one. A candidate pair of two heads
stands for their groups.

With ``all_pairs``, every pair of a group's members is made, and a candidate pair of two
heads is made for every pair of their members: the candidates of banding every sentence.

The ``Spark`` engine (``dedup.spark``) makes the same groups with the same heads.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from .bands import ordered, row_hashes

_CHUNK = 65536
T = TypeVar("T")


def article_ranks(dates: Sequence[str | None]) -> np.ndarray:
    """Each article's rank: earliest ``date`` first, undated after dated, then input order.

    Dates are compared as text, so ISO 8601 dates (``2024-03-01``, ``2024-03-01T09:30``)
    compare in time order.

    >>> article_ranks(["2024-03-02", None, "2024-03-01", None]).tolist()
    [1, 2, 0, 3]
    """
    order = sorted(range(len(dates)), key=lambda n: (dates[n] is None, dates[n] or "", n))
    ranks = np.empty(len(dates), dtype=np.int64)
    ranks[order] = np.arange(len(dates), dtype=np.int64)
    return ranks


@dataclass(frozen=True, slots=True)
class Twins:
    """Twin groups of rows of a signature matrix.

    Attributes:
        head: each row's head (its own number if it heads its group, alone or not).
        heads: the rows that are heads, sorted.
        members: the rows of groups of two or more, group by group, each head first, then
            by rank.
        starts: where each of these groups starts in ``members``.
        articles: the article of each of ``members``.
    """

    head: np.ndarray
    heads: np.ndarray
    members: np.ndarray
    starts: np.ndarray
    articles: np.ndarray

    @property
    def collapsed(self) -> int:
        """The rows that are not banded (members of a group other than its head)."""
        return len(self.head) - len(self.heads)

    def star(self) -> np.ndarray:
        """The pairs ``(a, b)``, ``a < b``, that link each group's members (``links``), sorted."""
        found: list[tuple[int, int]] = []
        bounds = [*self.starts.tolist(), len(self.members)]
        members = self.members.tolist()
        articles = self.articles.tolist()
        for first, last in itertools.pairwise(bounds):
            found += links(articles[first:last], members[first:last])
        pairs = np.array(found, dtype=np.int64).reshape(-1, 2)
        return _sorted(ordered(pairs[:, 0], pairs[:, 1]))

    def within(self) -> np.ndarray:
        """Every pair ``(a, b)``, ``a < b``, of rows of one group, sorted."""
        sizes = np.diff(np.r_[self.starts, len(self.members)])
        found = [np.empty((0, 2), dtype=np.int64)]
        for size in np.unique(sizes).tolist():
            rows = self.members[self.starts[sizes == size][:, None] + np.arange(size)]
            left, right = np.triu_indices(size, k=1)
            found.append(ordered(rows[:, left].ravel(), rows[:, right].ravel()))
        return _sorted(np.concatenate(found))

    def expand(self, pairs: np.ndarray) -> np.ndarray:
        """Each pair of heads as the pairs of their groups' members (``a < b``, unsorted)."""
        if not len(self.starts) or not len(pairs):
            return pairs
        sizes = np.diff(np.r_[self.starts, len(self.members)])
        group_heads = self.members[self.starts]  # not in row order: sorted for look-ups
        order = np.argsort(group_heads)
        sorted_heads = group_heads[order]

        def group(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            at = np.minimum(np.searchsorted(sorted_heads, rows), len(sorted_heads) - 1)
            grouped = sorted_heads[at] == rows
            g = order[at]
            first = np.where(grouped, self.starts[g], -1)
            count = np.where(grouped, sizes[g], 1)
            return first, count

        fa, ma = group(pairs[:, 0])
        fb, mb = group(pairs[:, 1])
        count = ma * mb
        which = np.repeat(np.arange(len(pairs)), count)
        offset = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
        ia, ib = offset // mb[which], offset % mb[which]
        a = np.where(fa[which] < 0, pairs[which, 0], self.members[fa[which] + ia])
        b = np.where(fb[which] < 0, pairs[which, 1], self.members[fb[which] + ib])
        return ordered(a, b)


def links(articles: Sequence[int], rows: Sequence[T]) -> list[tuple[T, T]]:
    """The pairs of rows that link one twin group: its ``rows`` by rank, with their articles.

    The head article is the first row's. Each other article's copies are paired with the head
    article's in order (its first with the head article's first, its second with the second,
    ...; the last of the shorter side takes the rest of the longer), so that an article pair
    that copies a repeated sentence is aligned copy to copy. Inside one article, each copy
    is paired with the one before it. Pairs grow with the rows: at most two a row.

    >>> links([5, 5, 7, 9, 9, 9], [50, 51, 70, 90, 91, 92])
    [(50, 51), (50, 70), (51, 70), (50, 90), (90, 91), (51, 91), (91, 92), (51, 92)]
    """
    runs: list[list[T]] = []
    for n, (article, row) in enumerate(zip(articles, rows, strict=True)):
        if n and article == articles[n - 1]:
            runs[-1].append(row)
        else:
            runs.append([row])
    head, *others = runs
    found = list(itertools.pairwise(head))
    for run in others:
        for k, row in enumerate(run):
            if k:
                found.append((run[k - 1], row))
            found.append((head[min(k, len(head) - 1)], row))
        found += [(h, run[-1]) for h in head[len(run) :]]
    return found


def find_twins(signatures: np.ndarray, row_ranks: np.ndarray, row_articles: np.ndarray) -> Twins:
    """The twin groups of ``signatures``: rows with equal values, headed by the lowest rank.

    ``row_ranks`` orders the rows (unique values): the rank of each row's article, then its
    sentence; ``row_articles`` gives each row's article. Rows are grouped by a hash of their
    values and then compared value by value, so two rows are in one group only if all their
    values are equal.

    >>> sig = np.array([[1, 2], [3, 4], [1, 2], [1, 2]], dtype=np.uint32)
    >>> t = find_twins(sig, np.array([3, 0, 1, 2]), np.array([0, 1, 2, 3]))
    >>> t.head.tolist(), t.heads.tolist(), t.star().tolist()
    ([2, 1, 2, 2], [1, 2], [[0, 2], [2, 3]])
    """
    n = len(signatures)
    hashes = row_hashes(signatures)
    order = np.lexsort((row_ranks, hashes))
    ordered = hashes[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]]) if n else order
    sizes = np.diff(np.r_[starts, n])
    head = np.empty(n, dtype=np.int64)
    head[order] = order[np.repeat(starts, sizes)]
    # A hash shared by rows with other values: those rows head groups of their own.
    rows = np.flatnonzero(head != np.arange(n))
    for first in range(0, len(rows), _CHUNK):
        part = rows[first : first + _CHUNK]
        other = (signatures[part] != signatures[head[part]]).any(axis=1)
        head[part[other]] = part[other]
    heads = np.flatnonzero(head == np.arange(n))
    grouped = np.flatnonzero(np.bincount(head, minlength=n)[head] > 1)
    members = grouped[np.lexsort((row_ranks[grouped], head[grouped] != grouped, head[grouped]))]
    group_starts = (
        np.flatnonzero(np.r_[True, head[members][1:] != head[members][:-1]])
        if len(members)
        else np.empty(0, dtype=np.int64)
    )
    return Twins(head, heads, members, group_starts, row_articles[members])


def _sorted(pairs: np.ndarray) -> np.ndarray:
    return pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))] if len(pairs) else pairs

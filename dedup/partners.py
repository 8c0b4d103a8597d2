"""The closest partners rule: at most ``MAX_PARTNERS`` candidates a sentence in another article.

A sentence that resembles many sentences of one other article (a market report's line among
a thousand others like it, a live blog's time stamps, one very long article aligned with
itself) gives candidates that grow with the square of that article's length, and the
aligner scores each. Only the ``MAX_PARTNERS`` most alike of a sentence's candidates in one
other article are kept (by their MinHash agreement, ties to the earlier sentence); a
candidate stays if it is among the closest of either of its sentences. A copy, or a rewording,
is its sentence's closest partner, so what is lost is resemblance: the count of candidates
left out is reported (``pruned_candidates``), never silent. The local scan
(``dedup.index``), the Spark engine and ``check`` apply the same function.
"""

from __future__ import annotations

import numpy as np

from .model import MAX_PARTNERS


def closest(
    x: np.ndarray,
    i: np.ndarray,
    y: np.ndarray,
    j: np.ndarray,
    shared: np.ndarray,
    limit: int = MAX_PARTNERS,
) -> np.ndarray:
    """Which candidate pairs ``(x, i)``-``(y, j)`` (articles, sentences) are kept, as a mask.

    ``shared`` is each pair's agreement. A pair is kept if it is one of the ``limit`` most
    alike candidates of sentence ``(x, i)`` in article ``y``, or of ``(y, j)`` in ``x``.

    >>> one = np.zeros(4, dtype=np.int64)
    >>> closest(one, one, one + 1, np.arange(4), np.array([5, 9, 9, 7]), 2).tolist()
    [False, True, True, False]
    """
    if not len(shared):
        return np.ones(0, dtype=bool)
    # Each pair twice, once from each of its sentences: (sentence, other article, partner).
    n = np.arange(len(shared))
    x2, i2, y2, j2 = np.r_[x, y], np.r_[i, j], np.r_[y, x], np.r_[j, i]
    order = np.lexsort((np.r_[n, n], j2, -np.r_[shared, shared].astype(np.int64), y2, i2, x2))
    gx, gi, gy = x2[order], i2[order], y2[order]
    new = np.r_[True, (gx[1:] != gx[:-1]) | (gi[1:] != gi[:-1]) | (gy[1:] != gy[:-1])]
    starts = np.flatnonzero(new)
    rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    kept = np.zeros(len(shared), dtype=bool)
    kept[order[rank < limit] % len(shared)] = True
    return kept

"""The closest partners rule: at most ``MAX_PARTNERS`` candidates a sentence in another article.

A sentence that resembles many sentences of one other article (a market report's line among
a thousand others like it, a live blog's time stamps, one very long article aligned with
itself) gives candidates that grow with the square of that article's length, and the
aligner scores each. Only the ``MAX_PARTNERS`` most alike of a sentence's candidates in one
other article are kept (by their MinHash agreement, ties to the earlier sentence); a
candidate stays if it is among the closest of either of its sentences. A copy, or a rewording,
is its sentence's closest partner, so what is lost is resemblance: the count of candidates
left out is reported (``pruned_candidates``), never silent.

``earliest_copies`` links a sentence copied, nearly word for word, in many places through
the earliest copy (``near_copies``). The local scan (``dedup.index``) and the Spark engine
apply the same functions; ``check``, whose candidates are band hits, applies neither.
"""

from __future__ import annotations

import numpy as np

from .model import MAX_PARTNERS, NEAR_COPY


def closest(
    x: np.ndarray,
    i: np.ndarray,
    y: np.ndarray,
    j: np.ndarray,
    shared: np.ndarray,
    limit: int = MAX_PARTNERS,
) -> np.ndarray:
    """Which candidate pairs ``(x, i)``-``(y, j)`` (articles, sentences) are kept, as a mask.

    Each pair is given once, ``(x, i) < (y, j)``; ``shared`` is each pair's agreement. A pair
    is kept if it is one of the ``limit`` most alike candidates of sentence ``(x, i)`` in
    article ``y``, or of ``(y, j)`` in ``x``.

    Two sentences in each of two articles, all four pairs candidates, each sentence keeping
    its closest one:

    >>> x, i, y, j = np.array([[0, 0, 1, 0], [0, 0, 1, 1], [0, 1, 1, 0], [0, 1, 1, 1]]).T
    >>> closest(x, i, y, j, np.array([9, 5, 5, 9]), limit=1).tolist()
    [True, False, False, True]
    """
    if not len(shared):
        return np.ones(0, dtype=bool)
    # Each pair twice, once from each of its sentences: (sentence, other article, partner);
    # a sentence is one integer. Ties keep input order (a stable sort), so the earlier partner.
    a, b, _ = _numbered(x, i, y, j)
    sentence = np.r_[a, b]
    del a, b
    other = np.r_[y, x].astype(np.int32, copy=False)
    order = np.lexsort((np.r_[j, i], -np.r_[shared, shared].astype(np.int32), other, sentence))
    del other
    sentence = sentence[order]
    new = np.empty(len(order), dtype=bool)
    new[0] = True
    np.not_equal(sentence[1:], sentence[:-1], out=new[1:])
    del sentence
    other = np.r_[y, x][order]
    new[1:] |= other[1:] != other[:-1]
    del other
    starts = np.flatnonzero(new)
    del new
    rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    kept = np.zeros(len(shared), dtype=bool)
    kept[order[rank < limit] % len(shared)] = True
    return kept


def earliest_copies(
    x: np.ndarray,
    i: np.ndarray,
    y: np.ndarray,
    j: np.ndarray,
    shared: np.ndarray,
    ranks: np.ndarray,
    floor: int = NEAR_COPY,
    limit: int = MAX_PARTNERS,
) -> np.ndarray:
    """Which candidate pairs ``(x, i)``-``(y, j)`` are kept, as a mask: copies link to the earliest.

    A pair at ``floor`` agreement or more is a near copy. A sentence with more than ``limit``
    near copies (a line of a story syndicated, lightly edited, into hundreds of articles) is
    linked to its earliest one and not to the others, unless it is theirs or they have few:
    the links grow with the copies, not with their square, and every copy is still in one
    cluster with the others. ``ranks`` are the articles' (``dedup.twins.article_ranks``); a
    sentence ranks as its article, then by its number.
    """
    near = shared >= floor
    kept = np.ones(len(shared), dtype=bool)
    if not near.any():
        return kept
    a, b, step = _numbered(x[near], i[near], y[near], j[near])
    rows, row = np.unique(np.r_[a, b], return_inverse=True)  # each sentence a row
    rank = ranks[rows // step] * step + rows % step
    na, nb = row[: len(a)], row[len(a) :]
    ends, partners = np.r_[na, nb], np.r_[nb, na]
    crowded = np.bincount(ends, minlength=len(rows)) > limit
    best = np.full(len(rows), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(best, ends, rank[partners])  # each sentence's earliest near copy
    kept[near] = ~(crowded[na] & crowded[nb]) | (best[na] == rank[nb]) | (best[nb] == rank[na])
    return kept


def _numbered(
    x: np.ndarray, i: np.ndarray, y: np.ndarray, j: np.ndarray
) -> tuple[np.ndarray, np.ndarray, int]:
    """Each pair's two sentences as one integer each, ``article * step + number``, and ``step``."""
    step = int(max(i.max(), j.max())) + 1
    return x * step + i, y * step + j, step

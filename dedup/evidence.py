"""The evidence rule: which article pairs' candidates could give a passage the aligner keeps.

A scan aligns an article pair only if its candidate sentence pairs are evidence of reuse
(``evident_codes``): the floors are MinHash agreements (equal signature values of
``num_perm``) three standard errors below the similarity a passage needs
(``evidence_floor``, ``lone_floor``); a pair whose shared stems are most of the smaller
sentence is a copy inside a longer one (``contained``). The local scan (``dedup.index``) and
the Spark engine's driver apply the same functions.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .model import DEFAULT_PARAMS, LONE_SCORE, SHORT_SENTENCES, Params


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

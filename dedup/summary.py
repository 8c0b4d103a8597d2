"""Summaries: passages of one text condensed into fewer, shorter sentences of another.

A summary sentence takes its content words from several source sentences, a few from each: its
Dice overlap with any one of them is low, so the sentence-to-sentence aligner (``dedup.align``)
misses it, but its stems are nearly all *contained* in a window of consecutive source sentences.
For each sentence of one text, ``summaries`` finds the window of at most ``WINDOW`` sentences of
the other text that contains the largest weighted share of its stems (``containment``; rare
stems weigh more, ``stem_weights``). The sentences whose best window reaches ``HIT`` are
*hits*; hits that follow each other on the summary side and lie near each other on the source
side (gaps measured in both texts, the source side allowed to be many times longer) form a
cluster. A cluster is validated as a whole: the summary fragment (its first to last hit) must
be contained in the source fragment (the span of its windows) at ``WHOLE``, share ``MIN_SHARED``
stems, and be at most ``1 / CONDENSED`` of its length. Each validated cluster is one passage of
kind ``summary`` with sentence-boundary offsets; passages of reuse that it overlaps on both
sides are taken into it (one case, one passage). This is the lexical scheme of Sanchez-Perez,
Sidorov & Gelbukh (2014): seeds, clustering with gaps in both texts, whole-fragment validation,
and an adaptive mode for summaries.

Summaries are looked for between two articles only, never inside one (a lead paragraph
summarises its own article).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .facts import quote_spans, quoted_share
from .model import RESEMBLANCE, Passage, Sentence
from .normalize import content_stem_set

WINDOW = 3  # source sentences a summary sentence may draw on
HIT = 0.6  # weighted containment of a summary sentence in its best window
MIN_STEMS = 4  # a summary sentence with fewer content stems is no evidence
SUMMARY_GAP = 2  # summary sentences a cluster may skip between two hits
SOURCE_GAP = 30  # source sentences from a hit's window to the cluster's span (summaries reorder)
MIN_HITS = 2  # summary sentences of a cluster
WHOLE = 0.6  # weighted containment of the summary fragment in the source fragment
MIN_SHARED = 20  # content stems the two fragments share
CONDENSED = 3.0  # the source fragment is at least this many times longer
DRAWN = 0.3  # weighted share of a source sentence's stems in the summary: drawn on by it
EXTEND_GAP = 5  # source sentences the extension may skip to reach one drawn on
EXTEND_HIT = 0.5  # containment of a neighbouring summary sentence in the source fragment


@dataclass(frozen=True, slots=True)
class _Hit:
    x: int  # summary-side sentence
    lo: int  # source-side window, first and last sentence
    hi: int
    score: float


def stem_weights(stems: Sequence[frozenset[str]]) -> dict[str, float]:
    """Weights of the stems of two texts' sentences: rare within the pair weighs more.

    An idf over the pair's own sentences (no corpus): a stem in every sentence (the story's
    subject) weighs little, one in a single sentence most.

    >>> w = stem_weights([frozenset({"drought", "farm"}), frozenset({"drought", "bank"})])
    >>> w["farm"] > w["drought"]
    True
    """
    df: Counter[str] = Counter()
    for s in stems:
        df.update(s)
    n = len(stems)
    return {t: math.log(1 + n / k) for t, k in df.items()}


def containment(
    part: frozenset[str], whole: frozenset[str] | set[str], weights: dict[str, float]
) -> float:
    """The weighted share of ``part``'s stems found in ``whole`` (0-1).

    >>> containment(frozenset({"a", "b"}), {"a", "c"}, {"a": 3.0, "b": 1.0})
    0.75
    """
    total = sum(weights[t] for t in part)
    if not total:
        return 0.0
    return sum(weights[t] for t in part if t in whole) / total


def _hits(
    x_stems: Sequence[frozenset[str]],
    y_stems: Sequence[frozenset[str]],
    weights: dict[str, float],
) -> list[_Hit]:
    """The best source window of each summary-side sentence that reaches ``HIT``."""
    where: dict[str, list[int]] = {}
    for j, s in enumerate(y_stems):
        for t in s:
            where.setdefault(t, []).append(j)
    hits = []
    for x, stems in enumerate(x_stems):
        if len(stems) < MIN_STEMS:
            continue
        order = sorted(stems)
        bit = {t: 1 << k for k, t in enumerate(order)}
        total = sum(weights[t] for t in order)
        masks: dict[int, int] = {}
        sums: dict[int, float] = {}  # each source sentence's weight of the stems it shares
        for t in order:
            for j in where.get(t, ()):
                masks[j] = masks.get(j, 0) | bit[t]
                sums[j] = sums.get(j, 0.0) + weights[t]
        need = HIT * total - 1e-9
        best: _Hit | None = None
        for j in sorted(masks):  # the best window; of equal ones, the shortest and first
            mask, bound = 0, 0.0
            for hi in range(j, min(j + WINDOW, len(y_stems))):
                mask |= masks.get(hi, 0)
                bound += sums.get(hi, 0.0)  # at least the window's score: a cheap cut
                if bound < need or mask.bit_count() < MIN_STEMS:
                    continue
                score = sum(weights[t] for t in order if mask & bit[t]) / total
                if (
                    best is None
                    or score > best.score + 1e-9
                    or (score > best.score - 1e-9 and hi - j < best.hi - best.lo)
                ):
                    best = _Hit(x, j, hi, score)
        if best is not None and best.score >= HIT:
            hits.append(best)
    return hits


def _clusters(hits: list[_Hit]) -> list[list[_Hit]]:
    """Hits close on both sides, in summary order: each cluster a run of the summary."""
    clusters: list[list[_Hit]] = []
    for h in hits:
        if clusters:
            last = clusters[-1]
            lo = min(g.lo for g in last)
            hi = max(g.hi for g in last)
            near = h.lo <= hi + SOURCE_GAP and h.hi >= lo - SOURCE_GAP
            if h.x - last[-1].x <= SUMMARY_GAP + 1 and near:
                last.append(h)
                continue
        clusters.append([h])
    return clusters


@dataclass(frozen=True, slots=True)
class _Text:
    id: str
    sentences: Sequence[Sentence]
    stems: Sequence[frozenset[str]]

    def span(self, first: int, last: int) -> tuple[int, int]:
        return self.sentences[first].start, self.sentences[last].end

    def union(self, first: int, last: int) -> set[str]:
        out: set[str] = set()
        for s in self.stems[first : last + 1]:
            out |= s
        return out


def _passage(
    cluster: list[_Hit],
    x: _Text,
    y: _Text,
    weights: dict[str, float],
    x_is_a: bool,
) -> Passage | None:
    """The summary passage of a cluster, if the cluster holds as a whole."""
    if len(cluster) < MIN_HITS:
        return None
    x0, x1 = cluster[0].x, cluster[-1].x
    y0, y1 = min(h.lo for h in cluster), max(h.hi for h in cluster)
    summary = frozenset(x.union(x0, x1))
    source = y.union(y0, y1)
    score = containment(summary, source, weights)
    xs, ys = x.span(x0, x1), y.span(y0, y1)
    if (
        score < WHOLE
        or len(summary & source) < MIN_SHARED
        or ys[1] - ys[0] < CONDENSED * (xs[1] - xs[0])
    ):
        return None
    y0, y1 = _extend_source(y, y0, y1, summary, weights)
    source = y.union(y0, y1)
    x0, x1 = _extend_summary(x, x0, x1, source, weights)
    xs, ys = x.span(x0, x1), y.span(y0, y1)
    if not x_is_a:
        x, y, xs, ys = y, x, ys, xs
    (a_id, a_span), (b_id, b_span) = (x.id, xs), (y.id, ys)
    return Passage(
        a_id, a_span[0], a_span[1], b_id, b_span[0], b_span[1], round(score, 4), "summary",
        len(cluster),
    )  # fmt: skip


def _extend_source(
    y: _Text, y0: int, y1: int, summary: frozenset[str], weights: dict[str, float]
) -> tuple[int, int]:
    """Widen the source fragment to the farthest sentences the summary draws on.

    A source sentence is drawn on when ``DRAWN`` of its weighted stems are in the summary; the
    fragment grows over at most ``EXTEND_GAP`` sentences to reach one.
    """

    def drawn(j: int) -> bool:
        return len(y.stems[j] & summary) >= 2 and containment(y.stems[j], summary, weights) >= DRAWN

    grown = True
    while grown:
        grown = False
        for j in range(y0 - 1, max(-1, y0 - 1 - EXTEND_GAP), -1):
            if drawn(j):
                y0, grown = j, True
                break
        for j in range(y1 + 1, min(len(y.stems), y1 + 1 + EXTEND_GAP)):
            if drawn(j):
                y1, grown = j, True
                break
    return y0, y1


def _extend_summary(
    x: _Text, x0: int, x1: int, source: set[str], weights: dict[str, float]
) -> tuple[int, int]:
    """Widen the summary fragment to neighbouring sentences contained in the source fragment."""

    def held(j: int) -> bool:
        return len(x.stems[j]) >= 2 and containment(x.stems[j], source, weights) >= EXTEND_HIT

    while x0 > 0 and held(x0 - 1):
        x0 -= 1
    while x1 + 1 < len(x.stems) and held(x1 + 1):
        x1 += 1
    return x0, x1


def _overlaps(p: Passage, q: Passage) -> bool:
    a = p.a_start < q.a_end and q.a_start < p.a_end
    return a and p.b_start < q.b_end and q.b_start < p.b_end


def summaries(
    a_id: str,
    a_text: str,
    a_sentences: Sequence[Sentence],
    b_id: str,
    b_text: str,
    b_sentences: Sequence[Sentence],
    passages: Sequence[Passage],
) -> list[Passage]:
    """Add the summary passages between two articles to the ``passages`` found between them.

    Either article may hold the summary. A passage of reuse that a summary passage overlaps on
    both sides is taken into it (the summary's spans widen to cover it); passages of a
    ``RESEMBLANCE`` kind are kept as they are. A summary's ``quoted`` is the share inside
    quotation marks, on the side where it is smaller (as for every passage).
    """
    if a_id == b_id:
        return list(passages)
    a = _Text(a_id, a_sentences, [content_stem_set(s.words) for s in a_sentences])
    b = _Text(b_id, b_sentences, [content_stem_set(s.words) for s in b_sentences])
    weights = stem_weights([*a.stems, *b.stems])
    found: list[Passage] = []
    for x, y, x_is_a in ((a, b, True), (b, a, False)):
        for cluster in _clusters(_hits(x.stems, y.stems, weights)):
            p = _passage(cluster, x, y, weights, x_is_a)
            if p is not None and not any(_overlaps(p, q) for q in found):
                found.append(p)
    if not found:
        return list(passages)
    kept: list[Passage] = []
    for q in passages:
        into = next(
            (n for n, p in enumerate(found) if q.kind not in RESEMBLANCE and _overlaps(p, q)), None
        )
        if into is None:
            kept.append(q)
            continue
        p = found[into]
        found[into] = Passage(
            p.a_id, min(p.a_start, q.a_start), max(p.a_end, q.a_end), p.b_id,
            min(p.b_start, q.b_start), max(p.b_end, q.b_end), p.score, p.kind,
            p.sentence_pairs, p.quoted,
        )  # fmt: skip
    found = [
        replace(
            p,
            quoted=round(
                min(_quoted(a_text, p.a_start, p.a_end), _quoted(b_text, p.b_start, p.b_end)), 4
            ),
        )
        for p in found
    ]
    return sorted([*kept, *found], key=lambda p: (p.a_start, p.b_start))


def _quoted(text: str, start: int, end: int) -> float:
    return quoted_share(quote_spans(text), text, start, end)

"""Reworded passages found whole: seeds by tf-isf cosine and Dice, clusters, fragment checks.

Sentence by sentence, a rewrite that replaces, drops, inserts and shuffles words (or went
through machine translation and back) is often too far from its source for the aligner's
sentence-pair rules, which must hold for each pair. Taken as a whole, the passage is still
plainly the same text. This is the scheme of Sanchez-Perez, Sidorov and Gelbukh (PAN 2014):

1. **Units.** Each article's sentences, a sentence of fewer than ``SHORT_UNIT`` content stems
   joined to the next (a heading, a fragment cut off by an abbreviation).
2. **Weights.** tf-isf: a stem's count in its unit times the log of the units of both
   articles over the units that hold it. A stem that the two articles use everywhere (the
   story's topic) weighs little; no corpus is needed, so one pair of texts is enough.
3. **Seeds.** Unit pairs whose weighted cosine exceeds ``SEED_COSINE`` and whose stem Dice
   exceeds ``SEED_DICE``, unless their figures conflict (``dedup.facts``: other numbers make
   another statement).
4. **Clusters.** Seeds at most ``MAX_GAP`` units apart, in one article and then in the other,
   form one fragment: the units from its first to its last seed on each side.
5. **Checks.** A fragment stands if the cosine of its two sides' summed vectors exceeds
   ``VALID_COSINE``; otherwise its seeds are clustered again with a smaller gap. A fragment of
   one seed must reach ``LONE_COSINE``: two articles on one story hold many a pair of alike
   sentences, but rarely runs of them. Fragments shorter than ``MIN_CHARS`` on either side are
   dropped, and of two that overlap the more similar is kept.

``combine`` puts the fragments with the aligner's passages: a copy that covers most of a
fragment stands for it (its edges are exact), a fragment replaces the copies and sentence-
pair rewordings inside it (one passage, not pieces).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .chain import SentencePair
from .facts import Figure, conflict
from .model import RESEMBLANCE, Passage, Sentence
from .normalize import content_stems
from .tfisf import Bags, Space, bags

SHORT_UNIT = 4
SEED_COSINE = 0.33
SEED_DICE = 0.33
MAX_GAP = 4
VALID_COSINE = 0.5
LONE_COSINE = 0.6
MIN_CHARS = 150
# A fragment that copies (verbatim, near-verbatim) cover this much of, on its first side, is
# reported as those copies.
COPY_SHARE = 0.65
# Sentences between two candidates that hint at one fragment (``worth_looking``): the gap
# between seeds, in sentences rather than units (a short sentence joins the next unit).
_NEAR = 2 * (MAX_GAP + 1)
# A fragment whose side is mostly a copy of other text (a copy that pairs it with another
# place of the other article) is that copy, not also a rewording.
ELSEWHERE = 0.5
_COPIES = frozenset({"verbatim", "near-verbatim"})


@dataclass(frozen=True, slots=True)
class Fragment:
    """A reworded passage ``a[a_start:a_end] ~ b[b_start:b_end]``, ``score`` its cosine."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    score: float
    seeds: int


@dataclass(frozen=True, slots=True)
class _Unit:
    start: int
    end: int
    stems: Counter[str]
    figures: frozenset[Figure]


def units(sentences: Sequence[Sentence]) -> list[_Unit]:
    """An article's sentences with their stem counts, short ones joined to the next.

    >>> from dedup.shingle import make_sentences
    >>> text = "Dr. Jones spoke. He said a lot of things here."
    >>> [(u.start, u.end) for u in units(make_sentences(0, text))]
    [(0, 46)]
    """
    out: list[_Unit] = []
    pending: _Unit | None = None
    for s in sentences:
        unit = _Unit(s.start, s.end, Counter(content_stems(s.words)), s.figures)
        if pending is not None:
            unit = _join(pending, unit)
            pending = None
        if sum(unit.stems.values()) < SHORT_UNIT:
            pending = unit
        else:
            out.append(unit)
    if pending is not None and pending.stems:
        out.append(_join(out.pop(), pending) if out else pending)
    return out


def _join(x: _Unit, y: _Unit) -> _Unit:
    return _Unit(x.start, y.end, x.stems + y.stems, x.figures | y.figures)


def worth_looking(candidates: Sequence[SentencePair]) -> bool:
    """Whether the banding's candidates hint at a rewrite: two pairs that could seed one.

    A reworded passage has seeds in a row, and banding finds most of them: two candidates
    that could seed (stem Dice over ``SEED_DICE``, figures that agree) within ``_NEAR``
    sentences of each other on both sides. Two articles without them are not searched (most
    of a scan's article pairs: two stories on one subject share sentences here and there).
    """
    seeds = sorted((p.i, p.j) for p in candidates if p.overlap > SEED_DICE and not p.conflict)
    for k, (i, j) in enumerate(seeds):
        for i2, j2 in seeds[k + 1 :]:
            if i2 - i > _NEAR:
                break
            if abs(j2 - j) <= _NEAR:
                return True
    return False


class _Recent:
    """The units of the articles aligned last: an article is aligned with many others."""

    def __init__(self, size: int = 256) -> None:
        self._size = size
        self._made: dict[tuple[str, str], tuple[list[_Unit], Bags]] = {}

    def __call__(
        self, key: tuple[str, str], sentences: Sequence[Sentence]
    ) -> tuple[list[_Unit], Bags]:
        found = self._made.pop(key, None)
        if found is None:
            found = _made(sentences)
            if len(self._made) >= self._size:
                del self._made[next(iter(self._made))]
        self._made[key] = found
        return found


def _made(sentences: Sequence[Sentence]) -> tuple[list[_Unit], Bags]:
    made = units(sentences)
    return made, bags([u.stems for u in made])


_recent = _Recent()


def fragments(
    a_sentences: Sequence[Sentence],
    b_sentences: Sequence[Sentence],
    keys: tuple[tuple[str, str], tuple[str, str]] | None = None,
) -> list[Fragment]:
    """The reworded passages between two articles, as character spans (see above).

    ``keys`` (each article's id and text) let the units of an article be made once for its
    many pairs.
    """
    if keys is None:
        (a, a_bags), (b, b_bags) = _made(a_sentences), _made(b_sentences)
    else:
        (a, a_bags), (b, b_bags) = _recent(keys[0], a_sentences), _recent(keys[1], b_sentences)
    if not a or not b:
        return []
    space = Space(a_bags, b_bags)
    seeds = [
        (i, j)
        for i, j in space.seeds(SEED_COSINE, SEED_DICE)
        if not conflict(a[i].figures, b[j].figures)
    ]
    found: list[Fragment] = []

    def check(group: list[tuple[int, int]], gap: int) -> None:
        i0, i1 = min(p[0] for p in group), max(p[0] for p in group)
        j0, j1 = min(p[1] for p in group), max(p[1] for p in group)
        score = space.cosine(i0, i1, j0, j1)
        if score > VALID_COSINE and (len(group) > 1 or score >= LONE_COSINE):
            found.append(
                Fragment(a[i0].start, a[i1].end, b[j0].start, b[j1].end, score, len(group))
            )
        elif gap > 0 and len(group) > 1:
            for smaller in clusters(group, gap - 1):
                check(smaller, gap - 1)

    if seeds:
        for group in clusters(seeds, MAX_GAP):
            check(group, MAX_GAP)
    return _best(found)


def clusters(seeds: list[tuple[int, int]], gap: int) -> list[list[tuple[int, int]]]:
    """Split seeds ``(i, j)`` where more than ``gap`` units lie between two, on either side.

    The split alternates between the sides until no group has such a hole.

    >>> clusters([(0, 0), (1, 9), (2, 1), (9, 2)], 1)
    [[(0, 0), (2, 1)], [(1, 9)], [(9, 2)]]
    """
    groups = [seeds]
    side, calm = 0, 0
    while calm < 2:
        split = []
        for group in groups:
            group = sorted(group, key=lambda p: (p[side], p[1 - side]))
            start = 0
            for k in range(1, len(group)):
                if group[k][side] - group[k - 1][side] > gap + 1:
                    split.append(group[start:k])
                    start = k
            split.append(group[start:])
        calm = calm + 1 if len(split) == len(groups) else 0
        groups, side = split, 1 - side
    return sorted(groups)


def _overlap(x: Fragment | Passage, y: Fragment | Passage) -> bool:
    return (
        x.a_start < y.a_end and y.a_start < x.a_end and x.b_start < y.b_end and y.b_start < x.b_end
    )


def _best(found: list[Fragment]) -> list[Fragment]:
    """The fragments long enough, the more similar of two that overlap."""
    kept: list[Fragment] = []
    for f in sorted(found, key=lambda f: (-f.score, f.a_start, f.b_start)):
        if min(f.a_end - f.a_start, f.b_end - f.b_start) < MIN_CHARS:
            continue
        if not any(_overlap(f, k) for k in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: (f.a_start, f.b_start))


def _span(x: Fragment | Passage, side: str) -> tuple[int, int]:
    return (x.a_start, x.a_end) if side == "a" else (x.b_start, x.b_end)


def _covered(f: Fragment, passages: Sequence[Passage], side: str = "a") -> float:
    """The share of the fragment's side ``side`` ("a" or "b") inside ``passages``' same side."""
    lo, hi = _span(f, side)
    spans = sorted(_span(p, side) for p in passages)
    covered, reach = 0, lo
    for start, end in spans:
        start, end = max(start, reach), min(end, hi)
        if end > start:
            covered += end - start
            reach = end
    return covered / (hi - lo)


def combine(
    passages: Sequence[Passage], found: Sequence[Fragment], make: Callable[[Fragment], Passage]
) -> list[Passage]:
    """The aligner's passages with the fragments (see above), in the order of their starts."""
    out = [p for p in passages if p.kind in _COPIES]
    for f in found:
        near = [p for p in out if p.kind in _COPIES and _overlap(p, f)]
        if near and max(_covered(f, near, "a"), _covered(f, near, "b")) >= COPY_SHARE:
            continue
        copies = [p for p in out if p.kind in _COPIES and p not in near]
        if _covered(f, copies, "a") >= ELSEWHERE or _covered(f, copies, "b") >= ELSEWHERE:
            continue  # mostly text that is a copy of something else
        out = [p for p in out if p not in near]
        out.append(make(f))
    reuse = list(out)
    for p in passages:
        if p.kind in RESEMBLANCE or (
            p.kind not in _COPIES and not any(_overlap(p, q) for q in reuse)
        ):
            out.append(p)
    return sorted(out, key=lambda p: (p.a_start, p.b_start, p.a_end, p.b_end))

"""Runs of sentence pairs: chaining, merging and joining them into passages.

Structure only: which scored sentence pairs (``SentencePair``, made by ``dedup.align``) belong
to one passage. A run goes forward in both articles, with at most ``gap`` sentences skipped
on either side (``chain_pairs``); runs that overlap or nearly touch are merged
(``merge_runs``); passages within a few hundred characters of each other on both sides are
joined (``join_runs``). Inside one article (``same``) the two copies must not overlap.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

Bounds = tuple[int, int, int, int]  # a_start, a_end, b_start, b_end
_CELL = 64  # sentences of a cell of the index of passages in ``merge_runs``


@dataclass(frozen=True, slots=True)
class SentencePair:
    """Two sentences (indexes into their articles) and how alike they are."""

    i: int
    j: int
    char: float  # character similarity of the folded texts, 0-1
    partial: float  # the shorter text's best character match inside the longer one, 0-1
    overlap: float  # Dice overlap of content-word stems, 0-1
    verbatim: bool
    conflict: bool = False  # their figures make them different statements
    shared: int = 0  # content stems the two have in common
    worded: int = 0  # those of them that are not numbers

    @property
    def near(self) -> float:
        """The light-edit similarity: whole-text, or the shorter inside the longer."""
        return max(self.char, self.partial)


def best_partners(pairs: Sequence[SentencePair]) -> set[tuple[int, int]]:
    """The pairs in which each sentence is the other's most similar candidate."""
    best_i: dict[int, SentencePair] = {}
    best_j: dict[int, SentencePair] = {}
    for p in pairs:
        if p.i not in best_i or p.overlap > best_i[p.i].overlap:
            best_i[p.i] = p
        if p.j not in best_j or p.overlap > best_j[p.j].overlap:
            best_j[p.j] = p
    return {(p.i, p.j) for p in best_i.values() if best_j[p.j] is p}


def _key(q: SentencePair, p: SentencePair) -> tuple[float, ...]:
    """How well ``p`` continues a run that ends with ``q``: fewer skipped, then more alike."""
    return (-(p.i - q.i + p.j - q.j), q.overlap + q.char)


def chain_pairs(pairs: Sequence[SentencePair], gap: int, same: bool) -> list[list[SentencePair]]:
    """Group pairs into runs that go forward in both articles, each pair in one run.

    Pairs are taken in order of ``(i, j)``; each joins the run it follows most closely (fewest
    sentences skipped, then the most alike last pair, then the older run), or starts one. Only
    the runs that end within ``gap + 1`` sentences before it on both sides can take it, so they
    are looked up by where they end: the cost grows with the number of pairs, not its square.
    """
    reach = gap + 1
    chains: list[list[SentencePair]] = []
    ends: dict[tuple[int, int], list[int]] = defaultdict(list)  # last (i, j) -> runs
    for p in sorted(pairs, key=lambda p: (p.i, p.j)):
        best = -1
        best_key: tuple[float, ...] = ()
        for qi in range(p.i - reach, p.i + 1):
            for qj in range(p.j - reach, p.j + 1):
                if (qi, qj) == (p.i, p.j):
                    continue  # the same sentences twice do not follow each other
                for n in ends.get((qi, qj), ()):
                    chain = chains[n]
                    if same and p.i >= chain[0].j:
                        continue  # inside one article, the two copies must not overlap
                    key = _key(chain[-1], p)
                    if best < 0 or key > best_key or (key == best_key and n < best):
                        best, best_key = n, key
        if best < 0:
            ends[(p.i, p.j)].append(len(chains))
            chains.append([p])
        else:
            q = chains[best][-1]
            ends[(q.i, q.j)].remove(best)
            chains[best].append(p)
            ends[(p.i, p.j)].append(best)
    return chains


def _overlaps_itself(run: list[SentencePair]) -> bool:
    """Inside one article: whether the run's two copies would share a sentence."""
    return max(p.i for p in run) >= min(p.j for p in run)


def _box(run: list[SentencePair]) -> Bounds:
    """The sentence ranges of a run: first and last ``i``, first and last ``j``."""
    return (
        min(p.i for p in run),
        max(p.i for p in run),
        min(p.j for p in run),
        max(p.j for p in run),
    )


def _near(x: Bounds, y: Bounds, gap: int) -> bool:
    """Whether two runs' sentence ranges overlap or nearly touch in both articles."""
    return (
        y[0] <= x[1] + gap + 1
        and x[0] <= y[1] + gap + 1
        and y[2] <= x[3] + gap + 1
        and x[2] <= y[3] + gap + 1
    )


def extend_runs(
    runs: list[list[SentencePair]],
    extend: Callable[[list[SentencePair]], list[SentencePair]],
    kind: Callable[[list[SentencePair]], object],
) -> list[list[SentencePair]]:
    """``extend`` each run, in order, but for one inside a run already extended.

    A run all of whose pairs are in one earlier extended run of the same ``kind`` (a copy, or
    not) is left out: it would walk the same sentences again, and merge into it. A long copy
    that banding breaks into many runs (a line printed in every article it holds is linked to
    its first copy, not along the copy) is then walked once, not once a run.
    """
    extended: list[list[SentencePair]] = []
    kinds: list[object] = []
    owner: dict[tuple[int, int], int] = {}  # a pair -> the first extended run that holds it
    for run in runs:
        made = kind(run)
        first = owner.get((run[0].i, run[0].j))
        if (
            first is not None
            and kinds[first] == made
            and all(owner.get((p.i, p.j)) == first for p in run)
        ):
            continue
        grown = extend(run)
        for p in grown:
            owner.setdefault((p.i, p.j), len(extended))
        extended.append(grown)
        kinds.append(made)
    return extended


def merge_runs(chains: list[list[SentencePair]], gap: int, same: bool) -> list[list[SentencePair]]:
    """Merge runs that overlap or nearly touch in both articles into one passage each.

    Runs are taken in order of their first pair; each merges into the first passage (in the
    order they were made) that it overlaps or nearly touches, or starts one. Passages are
    looked up by the stretch of ``a`` they cover (in cells of ``_CELL`` sentences), so a run is
    compared only with the passages near it, not with all of them; a merge costs the run's
    length, not the passage's.
    """
    merged: list[dict[tuple[int, int], SentencePair]] = []
    boxes: list[Bounds] = []
    spans: list[tuple[int, int] | None] = []  # the cells each passage is registered in
    cells: dict[int, set[int]] = defaultdict(set)  # a cell of sentences -> passages near it

    def register(n: int) -> None:
        """Add passage ``n`` to the cells its box now reaches and it was not in yet."""
        box = boxes[n]
        low, high = (box[0] - gap - 1) // _CELL, (box[1] + gap + 1) // _CELL
        first, last = spans[n] or (high + 1, high)  # boxes only grow: its cells were inside
        for cell in (*range(low, first), *range(last + 1, high + 1)):
            cells[cell].add(n)
        spans[n] = (low, high)

    for chain in sorted(chains, key=lambda c: (c[0].i, c[0].j)):
        box = _box(chain)
        near: set[int] = set()
        for cell in range(box[0] // _CELL, box[1] // _CELL + 1):
            near |= cells.get(cell, set())
        for n in sorted(near):
            if not _near(boxes[n], box, gap):
                continue  # neither a shared pair nor near: nothing more to look at
            other = merged[n]
            shared = any((p.i, p.j) in other for p in chain)
            after = box[2] >= boxes[n][2]  # and i, by the sort
            if shared or after:
                was = boxes[n]
                low, high = (min(was[0], box[0]), min(was[2], box[2])), (was[1], box[1])
                union = (low[0], max(high), low[1], max(was[3], box[3]))
                if same and union[1] >= union[2]:  # the two copies would share a sentence
                    continue
                other.update(((p.i, p.j), p) for p in chain)
                boxes[n] = union
                register(n)
                break
        else:
            merged.append({(p.i, p.j): p for p in chain})
            boxes.append(box)
            spans.append(None)  # in no cell yet
            register(len(merged) - 1)
    return [sorted(run.values(), key=lambda p: (p.i, p.j)) for run in merged]


def _distance(x: Bounds, y: Bounds) -> int:
    """The larger of the two gaps (in characters) between two passages' spans; 0 if they meet."""
    return max(0, y[0] - x[1], x[0] - y[1], y[2] - x[3], x[2] - y[3])


def _root(parent: list[int], n: int) -> int:
    """The representative of ``n``'s set in a union-find forest (with path halving)."""
    while parent[n] != n:
        parent[n] = parent[parent[n]]
        n = parent[n]
    return n


def join_runs(
    runs: list[list[SentencePair]],
    bounds: Callable[[list[SentencePair]], Bounds],
    is_copy: Callable[[list[SentencePair]], bool],
    reach: int,
    same: bool,
) -> list[list[SentencePair]]:
    """Join passages that lie within ``reach`` characters of each other in both articles.

    ``bounds`` gives a run's character spans in the two articles, ``is_copy`` whether it is a
    copy.

    A rewrite reorders and drops sentences, so its pieces need not follow each other; pieces
    this close on both sides are one passage, whatever their order. Copies are joined only
    when they come in the same order on both sides: copied sentences in another order are
    copies each.
    """
    groups = [list(c) for c in runs]
    while len(groups) > 1:
        spans = [bounds(g) for g in groups]
        order = sorted(range(len(groups)), key=lambda n: spans[n][0])
        parent = list(range(len(groups)))
        for k, x in enumerate(order):
            for y in order[k + 1 :]:
                if spans[y][0] > spans[x][1] + reach:
                    break  # sorted by start in a: the rest are farther still
                if _distance(spans[x], spans[y]) > reach:
                    continue
                forward = (spans[x][0] < spans[y][0]) == (spans[x][2] < spans[y][2])
                if not forward and (is_copy(groups[x]) or is_copy(groups[y])):
                    continue
                parent[_root(parent, y)] = _root(parent, x)
        members: dict[int, list[int]] = {}
        for n in range(len(groups)):
            members.setdefault(_root(parent, n), []).append(n)
        joined = False
        next_groups = []
        for found in members.values():
            union = sorted(
                {(p.i, p.j): p for n in found for p in groups[n]}.values(),
                key=lambda p: (p.i, p.j),
            )
            if len(found) > 1 and not (same and _overlaps_itself(union)):
                next_groups.append(union)
                joined = True
            else:
                next_groups.extend(groups[n] for n in found)
        groups = next_groups
        if not joined:
            break
    return groups

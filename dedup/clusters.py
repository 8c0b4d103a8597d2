"""Reuse clusters: text that three or more articles share, with its origin (the earliest).

A scan links each copy of syndicated text to the earliest article that prints it
(``dedup.twins``), so the passages of one story form a star around it; a cluster gathers
them. The passages' two sides are the pieces of text; two pieces of one article that mostly
overlap (half of the shorter one or more) are one piece, and pieces linked by passages,
directly or through others, are one cluster. A cluster of three or more pieces in two or
more articles is reported (two pieces are one passage already). Its members are its pieces,
earliest first (by ``Article.date``, undated after dated, then input order, then offset):
the first is the origin, the likely source of the others.

``template`` and ``boilerplate`` passages are resemblance, not reuse: they make no cluster,
and neither does reuse inside one article on its own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .model import RESEMBLANCE, Article, Passage

MIN_MEMBERS = 3


@dataclass(frozen=True, slots=True)
class Member:
    """A piece of one article in a cluster: ``text[start:end]`` of article ``id``."""

    id: str
    start: int
    end: int
    date: str | None = None


@dataclass(frozen=True, slots=True)
class Cluster:
    """Text several articles share: its members, the origin (earliest) first.

    Attributes:
        members: the pieces, earliest first; ``members[0]`` is the origin.
        passages: the passages that link them.
    """

    members: tuple[Member, ...]
    passages: int

    @property
    def origin(self) -> Member:
        """The earliest member: the likely source of the others."""
        return self.members[0]

    @property
    def articles(self) -> int:
        """The number of distinct articles among the members."""
        return len({m.id for m in self.members})


def find_clusters(articles: Sequence[Article], passages: Iterable[Passage]) -> list[Cluster]:
    """The clusters of ``passages`` between ``articles`` (in input order), origins first.

    Clusters come in the order of their origins (input order, then offset).

    >>> text = "The harbour bridge will close for repairs on Monday, the council said."
    >>> docs = [Article(k, text, date=d) for k, d in (("a", "2024-03-02"), ("b", "2024-03-01"),
    ...                                                ("c", None))]
    >>> ps = [Passage("b", 0, 70, "a", 0, 70, 1.0, "verbatim"),
    ...       Passage("b", 0, 70, "c", 0, 70, 1.0, "verbatim")]
    >>> [(m.id, m.date) for m in find_clusters(docs, ps)[0].members]
    [('b', '2024-03-01'), ('a', '2024-03-02'), ('c', None)]
    """
    order = {a.id: n for n, a in enumerate(articles)}
    dates = {a.id: a.date for a in articles}
    reuse = [
        p
        for p in passages
        if p.kind not in RESEMBLANCE and p.a_id in order and p.b_id in order and p.a_id != p.b_id
    ]
    sides: dict[str, list[tuple[int, int, int]]] = defaultdict(list)  # id: (start, end, node)
    for k, p in enumerate(reuse):
        sides[p.a_id].append((p.a_start, p.a_end, 2 * k))
        sides[p.b_id].append((p.b_start, p.b_end, 2 * k + 1))
    parent = list(range(2 * len(reuse)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(x: int, y: int) -> None:
        x, y = find(x), find(y)
        if x != y:
            parent[max(x, y)] = min(x, y)

    pieces: dict[int, tuple[str, int, int]] = {}  # a piece's first node: (id, start, end)
    for article_id, found in sides.items():
        found.sort()
        start, end, first = found[0]
        for s, e, node in found[1:]:
            if _mostly_same(start, end, s, e):
                union(first, node)
                start, end = min(start, s), max(end, e)
            else:
                pieces[first] = (article_id, start, end)
                start, end, first = s, e, node
        pieces[first] = (article_id, start, end)
    for k in range(len(reuse)):
        union(2 * k, 2 * k + 1)
    members: dict[int, list[tuple[str, int, int]]] = defaultdict(list)
    for node, piece in pieces.items():
        members[find(node)].append(piece)
    links: dict[int, int] = defaultdict(int)
    for k in range(len(reuse)):
        links[find(2 * k)] += 1

    def rank(piece: tuple[str, int, int]) -> tuple[bool, str, int, int]:
        article_id, start, _ = piece
        date = dates[article_id]
        return (date is None, date or "", order[article_id], start)

    clusters = []
    for root, group in members.items():
        if len(group) < MIN_MEMBERS:
            continue
        group.sort(key=rank)
        ordered = tuple(Member(i, s, e, dates[i]) for i, s, e in group)
        clusters.append(Cluster(ordered, links[root]))
    clusters.sort(key=lambda c: (order[c.origin.id], c.origin.start, c.origin.end))
    return clusters


def _mostly_same(start: int, end: int, s: int, e: int) -> bool:
    """Whether two spans overlap by half of the shorter one or more."""
    overlap = min(end, e) - max(start, s)
    return overlap > 0 and 2 * overlap >= min(end - start, e - s)

"""Reuse clusters: text that three or more articles share, with its origin (the earliest).

A scan links each copy of syndicated text to the earliest article that prints it
(``dedup.twins``), so the passages of one story form a star around it; a cluster gathers
them. The passages' sides are pieces of text; in each article, taken by start (the longest
first), a side that lies mostly (half or more) inside the piece before it is part of it. A
piece that is earlier than every piece it is linked to (by ``Article.date``, undated after
dated, then input order, then offset) is an origin. Its cluster is it and the pieces linked
to it directly, earliest first, if they are in three or more articles (two are one passage
already). Clusters are stars, not chains: pieces linked only through others (a live blog
that quotes one story and then another) do not snowball into one cluster.

``template`` and ``boilerplate`` passages are resemblance, not reuse: they make no cluster,
and neither does reuse inside one article on its own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .model import RESEMBLANCE, Article, Passage

MIN_ARTICLES = 3


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
        linking: the positions of those passages in the passages ``find_clusters`` was given.
    """

    members: tuple[Member, ...]
    passages: int
    linking: tuple[int, ...] = ()

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
    given = [
        (n, p)
        for n, p in enumerate(passages)
        if p.kind not in RESEMBLANCE and p.a_id in order and p.b_id in order and p.a_id != p.b_id
    ]
    reuse = [p for _, p in given]
    sides: dict[str, list[tuple[int, int, int]]] = defaultdict(list)  # id: (start, end, side)
    for k, p in enumerate(reuse):
        sides[p.a_id].append((p.a_start, p.a_end, 2 * k))
        sides[p.b_id].append((p.b_start, p.b_end, 2 * k + 1))
    pieces: list[tuple[str, int, int]] = []  # (id, start, end)
    piece_of = [0] * (2 * len(reuse))
    for article_id, found in sides.items():
        found.sort(key=lambda side: (side[0], -side[1]))
        for s, e, side in found:
            _, start, end = pieces[-1] if pieces else ("", 0, 0)
            if pieces and pieces[-1][0] == article_id and _mostly_inside(s, e, start, end):
                pieces[-1] = (article_id, start, max(end, e))
            else:
                pieces.append((article_id, s, e))
            piece_of[side] = len(pieces) - 1
    links: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    touching: dict[int, list[int]] = defaultdict(list)  # a piece: the passages at it, in order
    for k in range(len(reuse)):
        a, b = piece_of[2 * k], piece_of[2 * k + 1]
        links[a][b] += 1
        links[b][a] += 1
        touching[a].append(given[k][0])
        if b != a:
            touching[b].append(given[k][0])

    def rank(n: int) -> tuple[bool, str, int, int]:
        article_id, start, _ = pieces[n]
        date = dates[article_id]
        return (date is None, date or "", order[article_id], start)

    clusters = []
    for n, linked in links.items():
        mine = rank(n)
        if any(rank(m) < mine for m in linked):
            continue  # linked to an earlier piece: a member of its cluster, not an origin
        group = [n, *sorted(linked, key=rank)]
        if len({pieces[m][0] for m in group}) < MIN_ARTICLES:
            continue
        members = tuple(Member(i, s, e, dates[i]) for i, s, e in (pieces[m] for m in group))
        clusters.append(Cluster(members, sum(linked.values()), tuple(touching[n])))
    clusters.sort(key=lambda c: (order[c.origin.id], c.origin.start, c.origin.end))
    return clusters


def _mostly_inside(s: int, e: int, start: int, end: int) -> bool:
    """Whether half or more of the span ``[s, e)`` lies inside ``[start, end)``."""
    overlap = min(end, e) - max(start, s)
    return overlap > 0 and 2 * overlap >= e - s

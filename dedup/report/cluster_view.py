"""The clusters of the HTML report (``dedup.clusters``): each origin and its copies, by date.

Each cluster is a row: its origin (the earliest member) and the other members in date order,
each with how it differs from the origin: the kind and score of the passage that links the two
(``verbatim`` 1.00: an exact copy; ``near-verbatim`` 0.93: a light edit), and a link to the
pair's side-by-side view, which shows what changed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ..clusters import Member, find_clusters
from ..model import Article, Passage

MAX_MEMBERS = 50  # members listed per cluster; the row says how many more there are


@dataclass(frozen=True, slots=True)
class MemberRow:
    """A member of a cluster: an article's piece, and how it differs from the origin."""

    index: int  # the article's position in the page's data
    id: str
    date: str | None
    start: int
    end: int
    link: str  # the pair view with the origin, or the article's own view
    change: str  # the linking passage's kind and score; empty for the origin


@dataclass(frozen=True, slots=True)
class ClusterRow:
    """A cluster: its origin, the members after it (at most ``MAX_MEMBERS``), and counts."""

    number: int
    origin: MemberRow
    members: tuple[MemberRow, ...]
    articles: int
    more: int  # members not listed


def cluster_rows(
    docs: Sequence[Article],
    passages: Sequence[Passage],
    position: dict[str, int],
    pair_index: dict[tuple[int, int], int],
) -> list[ClusterRow]:
    """The report's clusters; ``pair_index`` gives the pair row of two article positions.

    ``docs`` are in input order (which breaks ties of dates), ``position`` gives each one's
    place in the page's data.
    """
    between: dict[tuple[str, str], list[Passage]] = defaultdict(list)
    for p in passages:
        between[(p.a_id, p.b_id)].append(p)
        between[(p.b_id, p.a_id)].append(p)

    def row(m: Member, origin: Member | None) -> MemberRow:
        n = position[m.id]
        if origin is None:
            return MemberRow(n, m.id, m.date, m.start, m.end, f"#article={n}", "")
        o = position[origin.id]
        pair = pair_index.get((o, n), pair_index.get((n, o)))
        link = f"#pair={pair}" if pair is not None else f"#article={n}"
        return MemberRow(n, m.id, m.date, m.start, m.end, link, _change(between, origin, m))

    rows = []
    for number, c in enumerate(find_clusters(docs, passages), start=1):
        rest = c.members[1:]
        rows.append(
            ClusterRow(
                number,
                row(c.origin, None),
                tuple(row(m, c.origin) for m in rest[:MAX_MEMBERS]),
                c.articles,
                max(0, len(rest) - MAX_MEMBERS),
            )
        )
    return rows


def _change(between: dict[tuple[str, str], list[Passage]], origin: Member, m: Member) -> str:
    """The kind and score of the passage that links ``m`` to the origin, if one does."""
    for p in between.get((origin.id, m.id), ()):
        mine = (p.b_start, p.b_end) if p.b_id == m.id else (p.a_start, p.a_end)
        if mine[0] < m.end and m.start < mine[1]:
            return f"{p.kind} {p.score:.2f}"
    return "through another member"

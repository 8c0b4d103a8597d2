"""Looking up a frequent band key in the index file: how many hold it, and the earliest.

A key that many indexed sentences hold (syndicated copy, a band of frequent words) is not
read whole by a check: ``held`` counts its postings and ``earliest`` finds those in the
earliest articles (``dedup.store_articles.Store.postings``).
"""

from __future__ import annotations

import sqlite3


def held(db: sqlite3.Connection, key: int) -> int:
    """The number of sentences that hold a band key."""
    count = 0
    for table in ("bands", "pending"):
        count += db.execute(
            f"SELECT count(*) FROM {table} WHERE key = ?",
            (key,),
        ).fetchone()[0]
    return int(count)


def earliest(db: sqlite3.Connection, key: int, take: int, *, walk: bool) -> list[tuple[int, int]]:
    """The ``take`` postings of ``key`` in the earliest articles (date, then number).

    With ``walk``, articles are walked in date order on their date index, each probed for
    the key on the bands' primary key, so the walk stops after ``take`` holders: about
    ``take * articles / held`` probes, few for a key that many articles hold. Without it,
    the key's postings are sorted by their articles' dates: ``held`` rows, fewer for a
    key held by a small share of a large index (frequent words in a million articles).
    ``Store.postings`` takes the cheaper. Pending postings (few) are merged in.
    """
    if take <= 0:
        return []
    queries: list[tuple[str, tuple[int, ...]]] = [
        (
            "SELECT a.date, a.n, b.sentence FROM bands AS b JOIN articles AS a "
            "ON a.n = b.article WHERE b.key = ?1 "
            "ORDER BY a.date IS NULL, a.date, a.n, b.sentence LIMIT ?2",
            (key, take),
        )
    ]
    if walk:
        queries = [
            (
                "SELECT a.date, a.n, b.sentence FROM articles AS a CROSS JOIN bands AS b "
                f"ON b.key = ?1 AND b.article = a.n WHERE {where} LIMIT ?2",
                (key, take),
            )
            for where in (
                "a.date IS NOT NULL ORDER BY a.date, a.n",
                "a.date IS NULL ORDER BY a.n",
            )
        ]
    pending = (
        "SELECT a.date, a.n, p.sentence FROM pending AS p JOIN articles AS a "
        "ON a.n = p.article WHERE p.key = ?",
        (key,),
    )

    def ranked(query: str, arguments: tuple[int, ...]) -> list[tuple[bool, str, int, int]]:
        rows = db.execute(query, arguments)
        return [(date is None, date or "", int(n), int(i)) for date, n, i in rows]

    found: list[tuple[bool, str, int, int]] = []
    for query, arguments in queries:
        if len(found) >= take:
            break  # the dated walk found enough: the undated are not walked
        found += ranked(query, arguments)
    found += ranked(*pending)
    return [(n, sentence) for _, _, n, sentence in sorted(found)[:take]]

"""The counts an index keeps of its articles: document frequencies and boilerplate lines.

For term weights (``Index.document_frequencies``): the number of indexed articles, and for
each stem (``dedup.normalize.content_stem_set`` of an article's words: the stems of its content
words, numbers included) the number of indexed articles that contain it. For boilerplate
(``dedup.boilerplate``, ``Index.boilerplate_counts``): for each source and sentence digest
(``dedup.boilerplate.digest`` of a sentence's words) the number of that source's indexed
articles that contain the sentence; articles without a source have none, as in ``scan``.

The counts are changed in the transaction that adds, replaces or removes the article, so they
always equal a recount of the stored articles; a count that falls to zero is deleted, so the
tables hold only stems and lines of indexed articles.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from .boilerplate import digests
from .normalize import content_stem_set, words
from .store_file import ARTICLES_KEY

_CHUNK = 10_000  # values looked up in one query


def article_stems(text: str) -> tuple[str, ...]:
    """The distinct stems an article is counted under, sorted.

    >>> article_stems("The mayors paid 1.5m; the mayor left.")
    ('1', '5m', 'left', 'mayor', 'paid')
    """
    return tuple(sorted(content_stem_set(words(text))))


def article_lines(text: str) -> tuple[int, ...]:
    """The distinct digests of an article's sentences, sorted (signed, as SQLite stores them).

    >>> lines = article_lines("Sign up now. Sign UP now! Read more.")
    >>> len(lines)
    2
    """
    return tuple(sorted({_signed(h) for _, _, h in digests(text)}))


def _signed(digest: int) -> int:
    """A 64-bit digest as a signed integer: SQLite's integers are signed."""
    return digest - (1 << 64) if digest >= 1 << 63 else digest


def count(
    db: sqlite3.Connection,
    stems: Iterable[str],
    lines: Iterable[int],
    source: str | None,
    change: int,
) -> None:
    """Count an article in (``change`` 1) or out (``change`` -1); inside a transaction."""
    db.execute(
        "UPDATE meta SET value = CAST(value AS INTEGER) + ? WHERE key = ?", (change, ARTICLES_KEY)
    )
    count_stems(db, stems, change)
    if source is not None:
        count_lines(db, source, lines, change)


def count_stems(db: sqlite3.Connection, stems: Iterable[str], change: int) -> None:
    """Add ``change`` (1 or -1) to the counts of ``stems`` (distinct)."""
    if change > 0:
        db.executemany(
            "INSERT INTO stems VALUES (?, 1) "
            "ON CONFLICT (stem) DO UPDATE SET articles = articles + 1",
            ((s,) for s in stems),
        )
        return
    wanted = list(stems)
    db.executemany("DELETE FROM stems WHERE stem = ? AND articles <= 1", ((s,) for s in wanted))
    db.executemany(
        "UPDATE stems SET articles = articles - 1 WHERE stem = ?", ((s,) for s in wanted)
    )


def count_lines(db: sqlite3.Connection, source: str, lines: Iterable[int], change: int) -> None:
    """Add ``change`` (1 or -1) to the counts of one source's ``lines`` (distinct)."""
    if change > 0:
        db.executemany(
            "INSERT INTO lines VALUES (?, ?, 1) "
            "ON CONFLICT (source, digest) DO UPDATE SET articles = articles + 1",
            ((source, h) for h in lines),
        )
        return
    wanted = list(lines)
    db.executemany(
        "DELETE FROM lines WHERE source = ? AND digest = ? AND articles <= 1",
        ((source, h) for h in wanted),
    )
    db.executemany(
        "UPDATE lines SET articles = articles - 1 WHERE source = ? AND digest = ?",
        ((source, h) for h in wanted),
    )


def articles(db: sqlite3.Connection) -> int:
    """The number of indexed articles, as counted."""
    row = db.execute("SELECT value FROM meta WHERE key = ?", (ARTICLES_KEY,)).fetchone()
    return int(row[0])


def stem_counts(db: sqlite3.Connection, stems: Iterable[str]) -> dict[str, int]:
    """The number of indexed articles with each of ``stems`` (0 for those none has)."""
    wanted = sorted(set(stems))
    found = dict.fromkeys(wanted, 0)
    query = "SELECT stem, articles FROM stems WHERE stem IN (SELECT value FROM json_each(?))"
    for i in range(0, len(wanted), _CHUNK):
        found.update(db.execute(query, (json.dumps(wanted[i : i + _CHUNK]),)))
    return found


def line_counts(db: sqlite3.Connection, source: str, lines: Iterable[int]) -> dict[int, int]:
    """The number of ``source``'s indexed articles with each of ``lines`` (unsigned digests)."""
    wanted = sorted(set(lines))
    found = dict.fromkeys(wanted, 0)
    back = {_signed(h): h for h in wanted}
    query = (
        "SELECT digest, articles FROM lines "
        "WHERE source = ? AND digest IN (SELECT value FROM json_each(?))"
    )
    for i in range(0, len(wanted), _CHUNK):
        chunk = json.dumps([_signed(h) for h in wanted[i : i + _CHUNK]])
        for h, n in db.execute(query, (source, chunk)):
            found[back[h]] = n
    return found


def distinct_stems(db: sqlite3.Connection) -> int:
    """The number of distinct stems of the indexed articles."""
    return int(db.execute("SELECT count(*) FROM stems").fetchone()[0])

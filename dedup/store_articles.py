"""Storing articles in the index file: adding, replacing, removing, and looking up keys.

``Store`` is the index without its check (``dedup.store.Index`` adds that); the file itself,
its schema and the checks made when it is opened are ``dedup.store_file``'s.

Writing. Band keys are random, so inserting one article's keys into the searchable table
(``bands``, a B-tree on the key) touches as many pages as it has keys. New keys therefore go
first to ``pending``, an append-only table that ``postings`` scans; when it holds more than
``PENDING_ROWS`` keys they are merged into ``bands`` in key order, in one pass, which for a
large build is a sequential write instead of millions of random ones.

Reliability. The file is in WAL mode; each article is written in its own transaction (with
its keys, in ``pending``, and its counts, ``dedup.store_counts``), so a killed writer leaves
every article wholly present or absent; writers wait for each other (``BUSY_TIMEOUT``)
instead of failing.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

from . import store_counts as counts
from .errors import ConfigError, InputError
from .model import DEFAULT_PARAMS, Article, Params, Sentence
from .store_counts import article_lines, article_stems
from .store_file import (
    band_keys,
    check_file,
    connect,
    connect_read_only,
    create,
    errors,
    load_meta,
    now,
    transaction,
)
from .store_lookup import earliest, held
from .store_records import AddResult, IndexInfo, Prepared, StoredArticle, prepare

T = TypeVar("T")
Progress = Callable[[Iterable[T]], Iterable[T]]

PENDING_ROWS = 50_000  # keys kept unmerged (scanned by every check: about 10 ms)


class Store:
    """The articles of an index file, their band keys and counts (``dedup.store.Index`` checks).

    Args:
        path: the SQLite file; made (with ``params``) when it does not exist.
        params: the parameters; those that decide band keys (``INDEX_FIELDS``) must match the
            index's. ``None`` takes the index's own (``DEFAULT_PARAMS`` for a new index).
        read_only: open without writing (no ``add``/``remove``), e.g. for a CI check; an index
            file or folder without write permission is always opened so.

    Raises:
        InputError: the file is missing (read-only), not a dedup index, truncated or damaged.
        ConfigError: the index was built with other parameters, hash scheme or segmenter.
    """

    def __init__(
        self, path: str | Path, params: Params | None = None, *, read_only: bool = False
    ) -> None:
        self.path = Path(path)
        exists = self.path.exists()
        if exists and self.path.is_dir():
            raise InputError(f"{self.path}: is a folder; give the index file")
        if exists:
            check_file(self.path)
        writable = _writable(self.path if exists else self.path.parent)
        self.read_only = read_only or not writable
        if not exists and read_only:
            raise InputError(
                f"{self.path}: no such index; make it with: dedup index add {path} ..."
            )
        if not exists and not writable:
            raise InputError(
                f"{self.path}: cannot make the index here (no such folder, or "
                "no permission to write in it)"
            )
        with errors(self.path):
            self._db = connect_read_only(self.path) if self.read_only else connect(self.path)
            if not self.read_only:
                create(self._db, params or DEFAULT_PARAMS)
            self._meta = load_meta(self._db, self.path, params)
        self.params = self._meta.params
        self.bands, self.rows = self._meta.bands, self._meta.rows

    def _writing(self) -> None:
        if self.read_only:
            raise InputError(f"{self.path}: the index is open read-only")

    def close(self) -> None:
        """Close the file (the last writer to close folds the WAL back into it)."""
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------------------

    def add(
        self,
        articles: Iterable[Article],
        *,
        progress: Progress[Article] | None = None,
        workers: int = 1,
    ) -> AddResult:
        """Add articles; an unchanged one is left alone, a changed one replaces the old.

        Each article is committed on its own, so an interrupted ``add`` keeps those before.
        ``workers`` > 1 computes signatures in that many processes (for large builds).
        """
        self._writing()
        items: Iterable[Article] = progress(articles) if progress else articles
        done: dict[str, list[str]] = {"added": [], "replaced": [], "unchanged": []}
        with errors(self.path):
            for p in self._prepared(self._changed(items, done["unchanged"]), workers):
                done[self._store(p)].append(p.article.id)
            if self._pending() > PENDING_ROWS:
                self.merge()
        return AddResult(*(tuple(done[k]) for k in ("added", "replaced", "unchanged")))

    def _changed(self, articles: Iterable[Article], unchanged: list[str]) -> Iterator[Article]:
        """The articles not already indexed as they are (those need no signatures)."""
        query = "SELECT sha256, source, date, url FROM articles WHERE id = ?"
        for a in articles:
            row = self._db.execute(query, (a.id,)).fetchone()
            digest = hashlib.sha256(a.text.encode("utf-8")).hexdigest()
            if row is not None and tuple(row) == (digest, a.source, a.date, a.url):
                unchanged.append(a.id)
            else:
                yield a

    def _pending(self) -> int:
        """About how many keys are pending (from rowids: counting would read them all)."""
        low, high = self._db.execute("SELECT min(rowid), max(rowid) FROM pending").fetchone()
        return 0 if low is None else int(high - low + 1)

    def merge(self) -> None:
        """Move the pending keys into the searchable table, in key order, in one transaction."""
        self._writing()
        with errors(self.path), transaction(self._db):
            self._db.execute(
                "INSERT OR IGNORE INTO bands SELECT key, article, sentence FROM pending "
                "ORDER BY key, article, sentence"
            )
            self._db.execute("DELETE FROM pending")
        with errors(self.path):
            # executescript steps it to the end: execute() would free a single page.
            self._db.executescript("PRAGMA incremental_vacuum;")

    def _prepared(self, articles: Iterable[Article], workers: int) -> Iterator[Prepared]:
        if workers <= 1:
            for a in articles:
                yield prepare(a, self.params, self.bands, self.rows)
            return
        from concurrent.futures import ProcessPoolExecutor
        from functools import partial

        job = partial(prepare, params=self.params, bands=self.bands, rows=self.rows)
        batch: list[Article] = []
        with ProcessPoolExecutor(workers) as pool:
            for a in articles:  # in batches: pool.map would read all articles first
                batch.append(a)
                if len(batch) == 64 * workers:
                    yield from pool.map(job, batch, chunksize=16)
                    batch = []
            yield from pool.map(job, batch, chunksize=16)

    def _store(self, p: Prepared) -> str:
        a = p.article
        with transaction(self._db):
            row = self._db.execute(
                "SELECT n, sha256, source, date, url FROM articles WHERE id = ?", (a.id,)
            ).fetchone()
            if row is not None and row[1] == p.sha256:
                if tuple(row[2:]) == (a.source, a.date, a.url):
                    return "unchanged"
                self._db.execute(
                    "UPDATE articles SET source = ?, date = ?, url = ? WHERE n = ?",
                    (a.source, a.date, a.url, row[0]),
                )
                if row[2] != a.source:  # its lines move to the other source
                    lines = article_lines(a.text)
                    for source, change in ((row[2], -1), (a.source, 1)):
                        if source is not None:
                            counts.count_lines(self._db, source, lines, change)
                return "replaced"
            if row is not None:
                self._delete(row[0])
            n = self._db.execute(
                "INSERT INTO articles (id, source, date, url, text, sha256, sentences, keys, added)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (a.id, a.source, a.date, a.url, a.text, p.sha256, p.sentences, len(p.keys), now()),
            ).lastrowid
            self._db.executemany(
                "INSERT INTO pending VALUES (?, ?, ?)",
                ((key, n, sentence) for sentence, key in p.keys),
            )
            counts.count(self._db, p.stems, p.lines, a.source, 1)
        return "added" if row is None else "replaced"

    def _delete(self, n: int) -> None:
        """Delete article ``n``, its band keys and counts (recomputed from its text)."""
        text, source = self._db.execute(
            "SELECT text, source FROM articles WHERE n = ?", (n,)
        ).fetchone()
        lines = article_lines(text) if source is not None else ()
        counts.count(self._db, article_stems(text), lines, source, -1)
        _, keys = band_keys(text, self.params, self.bands, self.rows)
        self._db.executemany(
            "DELETE FROM bands WHERE key = ? AND article = ? AND sentence = ?",
            ((key, n, sentence) for sentence, key in keys),
        )
        self._db.execute("DELETE FROM pending WHERE article = ?", (n,))
        self._db.execute("DELETE FROM articles WHERE n = ?", (n,))

    def remove(self, ids: Iterable[str]) -> tuple[str, ...]:
        """Remove articles by id; return the ids that were indexed (others are ignored)."""
        self._writing()
        removed = []
        with errors(self.path):
            for article_id in ids:
                with transaction(self._db):
                    row = self._db.execute(
                        "SELECT n FROM articles WHERE id = ?", (article_id,)
                    ).fetchone()
                    if row is not None:
                        self._delete(row[0])
                        removed.append(article_id)
        return tuple(removed)

    def prune(self, before: str) -> tuple[str, ...]:
        """Remove the articles dated before ``before`` (ISO 8601); undated ones are kept.

        Dates are compared as ISO 8601 strings ("2024-03-01" < "2024-03-01T09:00").
        """
        try:
            datetime.date.fromisoformat(before[:10])
        except ValueError as e:
            raise ConfigError(f"--before must be a date like 2024-03-01, got {before!r}") from e
        with errors(self.path):
            ids = [
                r[0]
                for r in self._db.execute(
                    "SELECT id FROM articles WHERE date IS NOT NULL AND date < ? ORDER BY n",
                    (before,),
                )
            ]
        return self.remove(ids)

    # -- reading ---------------------------------------------------------------------------

    def __len__(self) -> int:
        with errors(self.path):
            return int(self._db.execute("SELECT count(*) FROM articles").fetchone()[0])

    def __contains__(self, article_id: object) -> bool:
        with errors(self.path):
            row = self._db.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,))
            return row.fetchone() is not None

    def ids(self) -> list[str]:
        """The indexed ids, in the order they were added."""
        with errors(self.path):
            return [r[0] for r in self._db.execute("SELECT id FROM articles ORDER BY n")]

    def postings(
        self, keys: Iterable[int], *, limit: int, take: int = 0
    ) -> tuple[dict[int, list[tuple[int, int]]], dict[int, int]]:
        """Return ``(article, sentence)`` for each band key, and the counts of frequent keys.

        A key held by more than ``limit`` sentences is frequent: text that many articles print
        (syndicated copy), or a band of frequent words. Of its postings only the ``take``
        earliest are returned (by the article's date, undated last, then the order they were
        added), and its count goes in the second mapping: the copies of syndicated text are
        found through the earliest, and counted, at a cost that does not grow with them.
        """
        found: dict[int, list[tuple[int, int]]] = {}
        query = "SELECT article, sentence FROM bands WHERE key = ? LIMIT ?"
        wanted = list(keys)
        with errors(self.path):
            for key in wanted:
                rows = self._db.execute(query, (key, limit + 1)).fetchall()
                if rows:
                    found[key] = rows
            if self._db.execute("SELECT EXISTS (SELECT 1 FROM pending)").fetchone()[0]:
                for key, article, sentence in self._db.execute(
                    "SELECT key, article, sentence FROM pending "
                    "WHERE key IN (SELECT value FROM json_each(?))",
                    (json.dumps(wanted),),
                ):
                    found.setdefault(key, []).append((article, sentence))
            frequent = {
                key: held(self._db, key) for key, rows in found.items() if len(rows) > limit
            }
            articles = counts.articles(self._db) if frequent else 0
            for key, n in frequent.items():
                found[key] = self._earliest(key, take, walk=take * articles <= n * n)
        return found, frequent

    def _earliest(self, key: int, take: int, *, walk: bool) -> list[tuple[int, int]]:
        """The ``take`` postings of ``key`` in the earliest articles (``store_lookup``)."""
        return earliest(self._db, key, take, walk=walk)

    def articles(self, numbers: Sequence[int]) -> list[StoredArticle]:
        """Load indexed articles by number (``n``), in the order given."""
        found: dict[int, StoredArticle] = {}
        with errors(self.path):
            for start in range(0, len(numbers), 500):
                chunk = list(numbers[start : start + 500])
                marks = ",".join("?" * len(chunk))
                for row in self._db.execute(
                    f"SELECT n, id, text, source, date, url FROM articles WHERE n IN ({marks})",
                    chunk,
                ):
                    found[row[0]] = StoredArticle(*row)
        return [found[n] for n in numbers if n in found]

    def number(self, article_id: str) -> int | None:
        """The number of an indexed article, or None."""
        with errors(self.path):
            row = self._db.execute("SELECT n FROM articles WHERE id = ?", (article_id,)).fetchone()
        return None if row is None else int(row[0])

    def info(self) -> IndexInfo:
        """Counts, size on disk, parameters and versions of the index."""
        with errors(self.path):
            n, sentences, keys, oldest, newest = self._db.execute(
                "SELECT count(*), coalesce(sum(sentences), 0), coalesce(sum(keys), 0), "
                "min(date), max(date) FROM articles"
            ).fetchone()
            pending = self._pending()
            stems = counts.distinct_stems(self._db)
        size = sum(
            p.stat().st_size
            for p in (self.path, self.path.with_name(self.path.name + "-wal"))
            if p.exists()
        )
        return IndexInfo(
            str(self.path), n, sentences, keys, pending, size, self.params, self.bands, self.rows,
            self._meta.hash_scheme, self._meta.created_by, self._meta.created, oldest, newest,
            self._meta.fingerprint, stems,
        )  # fmt: skip

    def document_count(self) -> int:
        """The number of indexed articles (as ``len``, read from a stored count)."""
        with errors(self.path):
            return counts.articles(self._db)

    def document_frequencies(self, stems: Iterable[str]) -> dict[str, int]:
        """The number of indexed articles containing each of ``stems`` (0 if none does).

        Stems are those of ``dedup.normalize.content_stem_set`` (numbers included); only the
        stems asked for are read.
        """
        with errors(self.path):
            return counts.stem_counts(self._db, stems)

    def boilerplate_counts(self, source: str, digests: Iterable[int]) -> dict[int, int]:
        """The number of ``source``'s indexed articles with each sentence digest (0 if none).

        Digests are ``dedup.boilerplate.digest`` of a sentence's words.
        """
        with errors(self.path):
            return counts.line_counts(self._db, source, digests)

    def keys(
        self, text: str, *, plain: bool = False, sentences: list[Sentence] | None = None
    ) -> tuple[int, list[tuple[int, int]]]:
        """The sentence count and ``(sentence, key)`` band keys of a text, for this index.

        ``plain``: compute them without numpy and datasketch; ``sentences``: the text's, if
        made already (see ``band_keys``).
        """
        return band_keys(text, self.params, self.bands, self.rows, plain=plain, sentences=sentences)


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK)

"""A persistent index of published articles in one SQLite file (``dedup.Index``).

The file holds what a check needs: each article's id, source, date, url and text (to align
and show passages), and the LSH band keys of its sentences' MinHash signatures, with the
parameters and the datasketch hash scheme they were made with. No pickle: every value is a
number or a string, so the file can be read by any SQLite client.

Band keys follow datasketch's ``MinHashLSH``: a signature is cut into ``bands`` bands of
``rows`` values (datasketch's optimal split for the threshold, recorded when the index is
made) and each band is hashed, with its number, to a 47-bit integer (SQLite stores it in six
bytes). Two sentences are candidates when they share a key.

Writing. Band keys are random, so inserting one article's keys into the searchable table
(``bands``, a B-tree on the key) touches as many pages as it has keys. New keys therefore go
first to ``pending``, an append-only table that ``postings`` scans; when it holds more than
``PENDING_ROWS`` keys they are merged into ``bands`` in key order, in one pass, which for a
large build is a sequential write instead of millions of random ones.

Reliability. The file is in WAL mode; each article is written in its own transaction (with
its keys, in ``pending``), so a killed writer leaves every article wholly present or absent;
writers wait for each other (``BUSY_TIMEOUT``) instead of failing. A file that is not an
SQLite database, is truncated, lacks dedup's tables, or was built with other parameters (or
another segmenter or hash scheme, caught by a fingerprint of a probe text) raises an error
instead of answering.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import os
import sqlite3
import struct
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote

from .check import check
from .errors import ConfigError, InputError
from .model import DEFAULT_PARAMS, Article, Params
from .pipeline import __version__
from .shingle import HASH_SCHEME, hash_values, make_sentences, signatures
from .verdicts import DEFAULT_POLICY, CheckResult, Policy

T = TypeVar("T")
Progress = Callable[[Iterable[T]], Iterable[T]]

SCHEMA_VERSION = 1
BUSY_TIMEOUT = 60.0  # seconds a writer waits for another one
PENDING_ROWS = 50_000  # keys kept unmerged (scanned by every check: about 10 ms)
# The fields that decide which band keys a sentence gets; an index answers only for these.
INDEX_FIELDS = ("shingle_size", "num_perm", "seed", "threshold", "min_features")
_KEY_BITS = 47  # SQLite stores a non-negative integer below 2**47 in six bytes
_PROBE = (
    "Officials said the council voted on Tuesday to close the harbour bridge. "
    "Engineers found deep cracks in two of its steel supports during an inspection."
)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    n INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    source TEXT, date TEXT, url TEXT,
    text TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    sentences INTEGER NOT NULL,
    keys INTEGER NOT NULL,
    added TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_date ON articles(date);
CREATE TABLE IF NOT EXISTS bands (
    key INTEGER NOT NULL, article INTEGER NOT NULL, sentence INTEGER NOT NULL,
    PRIMARY KEY (key, article, sentence)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS pending (key INTEGER NOT NULL, article INTEGER NOT NULL,
    sentence INTEGER NOT NULL);
"""


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """An indexed article; ``n`` is its number in the index."""

    n: int
    id: str
    text: str
    source: str | None
    date: str | None
    url: str | None


@dataclass(frozen=True, slots=True)
class AddResult:
    """What ``Index.add`` did: ids added, replaced (changed text or metadata) and unchanged."""

    added: tuple[str, ...] = ()
    replaced: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class IndexInfo:
    """A summary of an index (``dedup index info``)."""

    path: str
    articles: int
    sentences: int
    band_keys: int
    pending_keys: int
    size_bytes: int
    params: Params
    bands: int
    rows: int
    hash_scheme: str
    created_by: str
    created: str
    oldest: str | None
    newest: str | None
    fingerprint: str = ""  # of the parameters, segmenter and hash scheme the keys depend on


@dataclass(frozen=True, slots=True)
class Prepared:
    """An article with its text digest and band keys ``(sentence, key)``, ready to store."""

    article: Article
    sha256: str
    sentences: int
    keys: tuple[tuple[int, int], ...]


def band_keys(
    text: str, params: Params, bands: int, rows: int, *, plain: bool = False
) -> tuple[int, list[tuple[int, int]]]:
    """Return a text's sentence count and the ``(sentence, key)`` band keys of its sentences.

    Sentences with fewer than ``params.min_features`` shingles get no keys, as in ``scan``.
    ``plain`` computes the signatures in plain Python (``shingle.hash_values``), without
    importing numpy and datasketch: the same keys, slower per text, faster for a few texts.

    >>> text = "He left. The council closed the old harbour bridge."
    >>> n, keys = band_keys(text, DEFAULT_PARAMS, 42, 3)
    >>> n, len(keys), {s for s, _ in keys}
    (2, 42, {1})
    >>> band_keys(text, DEFAULT_PARAMS, 42, 3, plain=True) == (n, keys)
    True
    """
    sentences = make_sentences(0, text, params)
    usable = [s for s in sentences if len(s.features) >= params.min_features]
    # Each signature as bytes, 8 a value in a fixed byte order: an index may move to another
    # machine.
    if plain:
        pack = struct.Struct(f"<{params.num_perm}Q").pack
        raws = [pack(*v) for v in hash_values([s.features for s in usable], params)]
    else:
        raws = [sig.hashvalues.astype("<u8").tobytes() for sig in signatures(usable, params)]
    keys: list[tuple[int, int]] = []
    width = rows * 8
    for sentence, raw in zip(usable, raws, strict=True):
        for band in range(bands):
            chunk = raw[band * width : (band + 1) * width]
            salt = band.to_bytes(2, "little")
            digest = hashlib.blake2b(chunk, digest_size=6, salt=salt).digest()
            keys.append((sentence.index, int.from_bytes(digest, "little") >> (48 - _KEY_BITS)))
    return len(sentences), keys


def prepare(article: Article, params: Params, bands: int, rows: int) -> Prepared:
    """Compute what ``Index.add`` stores for one article (picklable, for worker processes)."""
    n, keys = band_keys(article.text, params, bands, rows)
    digest = hashlib.sha256(article.text.encode("utf-8")).hexdigest()
    return Prepared(article, digest, n, tuple(keys))


def _fingerprint(params: Params, bands: int, rows: int) -> str:
    """A digest of the probe text's band keys: it changes with the segmenter or hash scheme."""
    keys = band_keys(_PROBE, params, bands, rows, plain=True)
    return hashlib.sha256(repr(keys).encode()).hexdigest()[:16]


def _check_file(path: Path) -> None:
    """Refuse a file that is not an SQLite database, or is shorter than its header says."""
    size = path.stat().st_size
    if size == 0:
        return  # SQLite treats an empty file as an empty database
    with path.open("rb") as f:
        header = f.read(100)
    if not header.startswith(b"SQLite format 3\0"):
        raise InputError(f"{path}: not a dedup index (not an SQLite database)")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    wal = path.with_name(path.name + "-wal")
    if (size < pages * page_size or size % max(page_size, 1)) and not (
        wal.exists() and wal.stat().st_size
    ):
        raise InputError(
            f"{path}: the index is truncated ({size} bytes, its header says "
            f"{pages * page_size}); restore it from a copy or rebuild it with dedup index add"
        )


class Index:
    """A persistent index of published articles, for ``check``.

    Args:
        path: the SQLite file; made (with ``params``) when it does not exist.
        params: the parameters; those that decide band keys (``INDEX_FIELDS``) must match the
            index's. ``None`` takes the index's own (``DEFAULT_PARAMS`` for a new index).
        read_only: open without writing (no ``add``/``remove``), e.g. for a CI check; an index
            file or folder without write permission is always opened so.

    Raises:
        InputError: the file is missing (read-only), not a dedup index, truncated or damaged.
        ConfigError: the index was built with other parameters, hash scheme or segmenter.

    >>> import tempfile
    >>> story = "The council voted on Tuesday to close the old harbour bridge for repairs. "
    >>> cracks = "Engineers found deep cracks in two of its steel supports during an inspection."
    >>> with tempfile.TemporaryDirectory() as folder, Index(Path(folder, "pub.db")) as index:
    ...     index.add([Article("old", story + cracks, source="Herald")]).added
    ...     result = index.check([Article("new", "In other news. " + story + cracks)])
    ('old',)
    >>> [(v.id, v.passed, v.coverage.share) for v in result.verdicts]
    [('new', False, 0.9102)]
    >>> [(f.other_id, f.kind) for f in result.verdicts[0].findings]
    [('old', 'verbatim')]
    """

    def __init__(
        self, path: str | Path, params: Params | None = None, *, read_only: bool = False
    ) -> None:
        self.path = Path(path)
        exists = self.path.exists()
        if exists and self.path.is_dir():
            raise InputError(f"{self.path}: is a folder; give the index file")
        if exists:
            _check_file(self.path)
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
        with self._errors():
            self._db = self._connect_read_only() if self.read_only else self._connect()
            if not self.read_only:
                self._create(params or DEFAULT_PARAMS)
            self._load_meta(params)

    # -- opening ---------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT, isolation_level=None)
        db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
        # Set before the first table is made; lets merge() give pending's pages back.
        db.execute("PRAGMA auto_vacuum = INCREMENTAL")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")  # WAL: a killed process loses nothing
        db.execute("PRAGMA cache_size = -262144")  # 256 MiB for large builds
        return db

    def _connect_read_only(self) -> sqlite3.Connection:
        uri = f"file:{quote(str(self.path.resolve()))}?mode=ro"
        db = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT, isolation_level=None)
        try:
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError:
            # WAL needs a -shm file beside the index; in a read-only folder it cannot be made.
            # Without a -wal file the database file is complete and can be read as immutable.
            wal = self.path.with_name(self.path.name + "-wal")
            if wal.exists() and wal.stat().st_size:
                raise
            db.close()
            db = sqlite3.connect(
                uri + "&immutable=1", uri=True, timeout=BUSY_TIMEOUT, isolation_level=None
            )
        return db

    def _create(self, params: Params) -> None:
        with self._transaction():
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    self._db.execute(statement)
            if self._db.execute("SELECT count(*) FROM meta").fetchone()[0]:
                return
            from .index import bands_rows  # datasketch (and scipy): only to make an index

            bands, rows = bands_rows(params)
            meta = {
                "format": "dedup index",
                "schema": str(SCHEMA_VERSION),
                "dedup_version": __version__,
                "created": _now(),
                "params": json.dumps(params.to_dict(), sort_keys=True),
                "hash_scheme": HASH_SCHEME,
                "bands": str(bands),
                "rows": str(rows),
                "fingerprint": _fingerprint(params, bands, rows),
            }
            self._db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())

    def _load_meta(self, params: Params | None) -> None:
        tables = {r[0] for r in self._db.execute("SELECT name FROM sqlite_master")}
        if "meta" not in tables:
            raise InputError(f"{self.path}: not a dedup index (an SQLite file without its tables)")
        meta = dict(self._db.execute("SELECT key, value FROM meta"))
        if meta.get("format") != "dedup index":
            raise InputError(f"{self.path}: not a dedup index (its meta table is not dedup's)")
        if (
            meta.get("schema") != str(SCHEMA_VERSION)
            or not {"articles", "bands", "pending"} <= tables
        ):
            raise ConfigError(
                f"{self.path}: index format {meta.get('schema')}, this dedup reads format "
                f"{SCHEMA_VERSION}; rebuild the index with dedup {__version__}"
            )
        known = {f.name for f in dataclasses.fields(Params)}
        stored = Params(**{k: v for k, v in json.loads(meta["params"]).items() if k in known})
        if meta["hash_scheme"] != HASH_SCHEME:
            raise ConfigError(
                f"{self.path}: built with the datasketch hash scheme {meta['hash_scheme']!r}, "
                f"this datasketch uses {HASH_SCHEME!r}; rebuild the index"
            )
        if params is not None:
            for name in INDEX_FIELDS:
                want, have = getattr(params, name), getattr(stored, name)
                if want != have:
                    flag = name.replace("_", "-")
                    raise ConfigError(
                        f"{self.path}: the index was built with {name}={have}, got {name}={want}; "
                        f"use --{flag} {have} (or no --{flag}) with this index, or build a new one"
                    )
        self.params = params if params is not None else stored
        self.bands, self.rows = int(meta["bands"]), int(meta["rows"])
        if _fingerprint(self.params, self.bands, self.rows) != meta["fingerprint"]:
            raise ConfigError(
                f"{self.path}: made by dedup {meta['dedup_version']}, whose sentences or "
                f"signatures differ from this dedup {__version__}'s; rebuild the index"
            )
        self._meta = meta

    # -- plumbing --------------------------------------------------------------------------

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Turn SQLite's errors into ours, naming the file."""
        try:
            yield
        except sqlite3.DatabaseError as e:
            if "readonly" in str(e) or "read-only" in str(e):
                raise InputError(f"{self.path}: the index is read-only ({e})") from e
            raise InputError(
                f"{self.path}: not a dedup index, or a damaged one ({e}); "
                "restore it from a copy or rebuild it with dedup index add"
            ) from e

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")  # take the write lock now: no deadlock in WAL
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _writing(self) -> None:
        if self.read_only:
            raise InputError(f"{self.path}: the index is open read-only")

    def close(self) -> None:
        """Close the file (the last writer to close folds the WAL back into it)."""
        self._db.close()

    def __enter__(self) -> Index:
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
        with self._errors():
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
        with self._errors(), self._transaction():
            self._db.execute(
                "INSERT OR IGNORE INTO bands SELECT key, article, sentence FROM pending "
                "ORDER BY key, article, sentence"
            )
            self._db.execute("DELETE FROM pending")
        with self._errors():
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
        with self._transaction():
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
                return "replaced"
            if row is not None:
                self._delete(row[0])
            n = self._db.execute(
                "INSERT INTO articles (id, source, date, url, text, sha256, sentences, keys, added)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (a.id, a.source, a.date, a.url, a.text, p.sha256, p.sentences, len(p.keys), _now()),
            ).lastrowid
            self._db.executemany(
                "INSERT INTO pending VALUES (?, ?, ?)",
                ((key, n, sentence) for sentence, key in p.keys),
            )
        return "added" if row is None else "replaced"

    def _delete(self, n: int) -> None:
        """Delete article ``n`` and its band keys (recomputed from its text: no second index)."""
        (text,) = self._db.execute("SELECT text FROM articles WHERE n = ?", (n,)).fetchone()
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
        with self._errors():
            for article_id in ids:
                with self._transaction():
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
        with self._errors():
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
        with self._errors():
            return int(self._db.execute("SELECT count(*) FROM articles").fetchone()[0])

    def __contains__(self, article_id: object) -> bool:
        with self._errors():
            row = self._db.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,))
            return row.fetchone() is not None

    def ids(self) -> list[str]:
        """The indexed ids, in the order they were added."""
        with self._errors():
            return [r[0] for r in self._db.execute("SELECT id FROM articles ORDER BY n")]

    def postings(self, keys: Iterable[int], *, limit: int) -> dict[int, list[tuple[int, int]]]:
        """Return ``(article, sentence)`` for each band key.

        A key held by more than ``limit`` sentences is left out: a stop band, made of frequent
        words, joins unrelated sentences as a stop word joins unrelated documents.
        """
        found: dict[int, list[tuple[int, int]]] = {}
        query = "SELECT article, sentence FROM bands WHERE key = ? LIMIT ?"
        wanted = list(keys)
        with self._errors():
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
        return {k: v for k, v in found.items() if len(v) <= limit}

    def articles(self, numbers: Sequence[int]) -> list[StoredArticle]:
        """Load indexed articles by number (``n``), in the order given."""
        found: dict[int, StoredArticle] = {}
        with self._errors():
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
        with self._errors():
            row = self._db.execute("SELECT n FROM articles WHERE id = ?", (article_id,)).fetchone()
        return None if row is None else int(row[0])

    def info(self) -> IndexInfo:
        """Counts, size on disk, parameters and versions of the index."""
        with self._errors():
            n, sentences, keys, oldest, newest = self._db.execute(
                "SELECT count(*), coalesce(sum(sentences), 0), coalesce(sum(keys), 0), "
                "min(date), max(date) FROM articles"
            ).fetchone()
            pending = self._pending()
        size = sum(
            p.stat().st_size
            for p in (self.path, self.path.with_name(self.path.name + "-wal"))
            if p.exists()
        )
        return IndexInfo(
            str(self.path), n, sentences, keys, pending, size, self.params, self.bands, self.rows,
            self._meta["hash_scheme"], self._meta["dedup_version"], self._meta["created"],
            oldest, newest, self._meta["fingerprint"],
        )  # fmt: skip

    def keys(self, text: str, *, plain: bool = False) -> tuple[int, list[tuple[int, int]]]:
        """The sentence count and ``(sentence, key)`` band keys of a text, for this index.

        ``plain``: compute them without numpy and datasketch (see ``band_keys``).
        """
        return band_keys(text, self.params, self.bands, self.rows, plain=plain)

    def check(
        self,
        articles: Iterable[Article],
        policy: Policy = DEFAULT_POLICY,
        *,
        params: Params | None = None,
    ) -> CheckResult:
        """Check new articles against the index and each other; see ``dedup.check.check``."""
        return check(self, list(articles), policy, params=params)


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK)


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")

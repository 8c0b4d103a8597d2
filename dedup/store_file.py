"""The index file (``dedup.store``): its SQLite schema, connections, band keys and checks.

The file holds what a check needs: each article's id, source, date, url and text (to align
and show passages), and the LSH band keys of its sentences' MinHash signatures, with the
parameters and the datasketch hash scheme they were made with; and for term weights and
boilerplate, counts of the articles' stems and of each source's sentences (``stems`` and
``lines``: ``dedup.store_counts``). No pickle: every value is a number or a string, so the
file can be read by any SQLite client.

Band keys follow datasketch's ``MinHashLSH``: a signature is cut into ``bands`` bands of
``rows`` values (datasketch's optimal split for the threshold, recorded when the index is
made) and each band is hashed, with its number, to a 47-bit integer (SQLite stores it in six
bytes). Two sentences are candidates when they share a key.

A file that is not an SQLite database, is truncated, lacks dedup's tables, or was built with
other parameters (or another segmenter or hash scheme, caught by a fingerprint of a probe
text) raises an error instead of answering.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import sqlite3
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from ._version import __version__
from .errors import ConfigError, InputError
from .model import Params, Sentence
from .shingle import HASH_SCHEME, hash_values, make_sentences, signatures

# 2: counts of stems and of each source's sentences (dedup.store_counts), for check.
SCHEMA_VERSION = 2
BUSY_TIMEOUT = 60.0  # seconds a writer waits for another one
# The fields that decide which band keys a sentence gets; an index answers only for these.
INDEX_FIELDS = ("shingle_size", "num_perm", "seed", "threshold", "min_features")
_KEY_BITS = 47  # SQLite stores a non-negative integer below 2**47 in six bytes
_PROBE = (
    "Officials said the council voted on Tuesday to close the harbour bridge. "
    "Engineers found deep cracks in two of its steel supports during an inspection."
)
SCHEMA = """
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
CREATE TABLE IF NOT EXISTS stems (stem TEXT PRIMARY KEY, articles INTEGER NOT NULL)
    WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS lines (
    source TEXT NOT NULL, digest INTEGER NOT NULL, articles INTEGER NOT NULL,
    PRIMARY KEY (source, digest)
) WITHOUT ROWID;
"""
TABLES = frozenset({"articles", "bands", "pending", "stems", "lines"})
ARTICLES_KEY = "articles"  # the meta key of the number of indexed articles (store_counts)


@dataclass(frozen=True, slots=True)
class Meta:
    """What the meta table says of an index, checked against this dedup."""

    params: Params
    bands: int
    rows: int
    hash_scheme: str
    created_by: str
    created: str
    fingerprint: str


def band_keys(
    text: str,
    params: Params,
    bands: int,
    rows: int,
    *,
    plain: bool = False,
    sentences: list[Sentence] | None = None,
) -> tuple[int, list[tuple[int, int]]]:
    """Return a text's sentence count and the ``(sentence, key)`` band keys of its sentences.

    Sentences with fewer than ``params.min_features`` shingles get no keys, as in ``scan``.
    ``plain`` computes the signatures in plain Python (``shingle.hash_values``), without
    importing numpy and datasketch: the same keys, slower per text, faster for a few texts.
    ``sentences``: the text's sentences (``make_sentences``), when the caller has them already.

    >>> from dedup.model import DEFAULT_PARAMS
    >>> text = "He left. The council closed the old harbour bridge."
    >>> n, keys = band_keys(text, DEFAULT_PARAMS, 42, 3)
    >>> n, len(keys), {s for s, _ in keys}
    (2, 42, {1})
    >>> band_keys(text, DEFAULT_PARAMS, 42, 3, plain=True) == (n, keys)
    True
    """
    if sentences is None:
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


def _fingerprint(params: Params, bands: int, rows: int) -> str:
    """A digest of the probe text's band keys: it changes with the segmenter or hash scheme."""
    keys = band_keys(_PROBE, params, bands, rows, plain=True)
    return hashlib.sha256(repr(keys).encode()).hexdigest()[:16]


def check_file(path: Path) -> None:
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


def connect(path: Path) -> sqlite3.Connection:
    """Open the file for writing (made if missing), in WAL mode."""
    db = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)
    db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
    # Set before the first table is made; lets merge() give pending's pages back.
    db.execute("PRAGMA auto_vacuum = INCREMENTAL")
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")  # WAL: a killed process loses nothing
    db.execute("PRAGMA cache_size = -262144")  # 256 MiB for large builds
    return db


def connect_read_only(path: Path) -> sqlite3.Connection:
    """Open the file without writing, even in a folder where no -shm file can be made."""
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    db = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT, isolation_level=None)
    try:
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError:
        # WAL needs a -shm file beside the index; in a read-only folder it cannot be made.
        # Without a -wal file the database file is complete and can be read as immutable.
        wal = path.with_name(path.name + "-wal")
        if wal.exists() and wal.stat().st_size:
            raise
        db.close()
        db = sqlite3.connect(
            uri + "&immutable=1", uri=True, timeout=BUSY_TIMEOUT, isolation_level=None
        )
    return db


@contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[None]:
    """One write transaction, rolled back on any error."""
    db.execute("BEGIN IMMEDIATE")  # take the write lock now: no deadlock in WAL
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


@contextmanager
def errors(path: Path) -> Iterator[None]:
    """Turn SQLite's errors into ours, naming the file."""
    try:
        yield
    except sqlite3.DatabaseError as e:
        if "readonly" in str(e) or "read-only" in str(e):
            raise InputError(f"{path}: the index is read-only ({e})") from e
        raise InputError(
            f"{path}: not a dedup index, or a damaged one ({e}); "
            "restore it from a copy or rebuild it with dedup index add"
        ) from e


def create(db: sqlite3.Connection, params: Params) -> None:
    """Make the tables, and the meta table of a new index, unless they exist."""
    with transaction(db):
        # An existing index is left as it is, whatever its format: load_meta judges it.
        if _has_table(db, "meta") and db.execute("SELECT count(*) FROM meta").fetchone()[0]:
            return
        for statement in SCHEMA.split(";"):
            if statement.strip():
                db.execute(statement)
        from .index import bands_rows  # datasketch (and scipy): only to make an index

        bands, rows = bands_rows(params)
        meta = {
            "format": "dedup index",
            "schema": str(SCHEMA_VERSION),
            "dedup_version": __version__,
            "created": now(),
            "params": json.dumps(params.to_dict(), sort_keys=True),
            "hash_scheme": HASH_SCHEME,
            "bands": str(bands),
            "rows": str(rows),
            "fingerprint": _fingerprint(params, bands, rows),
            ARTICLES_KEY: "0",
        }
        db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())


def _has_table(db: sqlite3.Connection, name: str) -> bool:
    query = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
    return db.execute(query, (name,)).fetchone() is not None


def load_meta(db: sqlite3.Connection, path: Path, params: Params | None) -> Meta:
    """Read and check the meta table; ``params`` (if given) must agree with the index's."""
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
    if "meta" not in tables:
        raise InputError(f"{path}: not a dedup index (an SQLite file without its tables)")
    meta = dict(db.execute("SELECT key, value FROM meta"))
    if meta.get("format") != "dedup index":
        raise InputError(f"{path}: not a dedup index (its meta table is not dedup's)")
    if meta.get("schema") != str(SCHEMA_VERSION) or not tables >= TABLES:
        made = f" (made by dedup {meta['dedup_version']})" if "dedup_version" in meta else ""
        raise ConfigError(
            f"{path}: index format {meta.get('schema')}{made}, this dedup {__version__} reads "
            f"format {SCHEMA_VERSION}; rebuild the index: dedup index add NEW.db INPUT... "
            "(the articles it was made from)"
        )
    known = {f.name for f in dataclasses.fields(Params)}
    stored = Params(**{k: v for k, v in json.loads(meta["params"]).items() if k in known})
    if meta["hash_scheme"] != HASH_SCHEME:
        raise ConfigError(
            f"{path}: built with the datasketch hash scheme {meta['hash_scheme']!r}, "
            f"this datasketch uses {HASH_SCHEME!r}; rebuild the index"
        )
    if params is not None:
        for name in INDEX_FIELDS:
            want, have = getattr(params, name), getattr(stored, name)
            if want != have:
                flag = name.replace("_", "-")
                raise ConfigError(
                    f"{path}: the index was built with {name}={have}, got {name}={want}; "
                    f"use --{flag} {have} (or no --{flag}) with this index, or build a new one"
                )
    chosen = params if params is not None else stored
    bands, rows = int(meta["bands"]), int(meta["rows"])
    if _fingerprint(chosen, bands, rows) != meta["fingerprint"]:
        raise ConfigError(
            f"{path}: made by dedup {meta['dedup_version']}, whose sentences or "
            f"signatures differ from this dedup {__version__}'s; rebuild the index"
        )
    return Meta(
        chosen, bands, rows, meta["hash_scheme"], meta["dedup_version"], meta["created"],
        meta["fingerprint"],
    )  # fmt: skip


def now() -> str:
    """The time now (UTC, ISO 8601, seconds)."""
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")

"""The records of the index (``dedup.store``), and ``prepare``, which signs an article to store.

``prepare`` runs in worker processes for a large ``Index.add``: it is picklable, as its
result is.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from .model import Article, Params
from .store_counts import article_lines, article_stems
from .store_file import band_keys


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
    stems: int = 0  # distinct stems of the indexed articles (document frequencies)


@dataclass(frozen=True, slots=True)
class Prepared:
    """An article with its digest, band keys ``(sentence, key)``, stems and lines, to store."""

    article: Article
    sha256: str
    sentences: int
    keys: tuple[tuple[int, int], ...]
    stems: tuple[str, ...] = ()
    lines: tuple[int, ...] = ()


def prepare(article: Article, params: Params, bands: int, rows: int) -> Prepared:
    """Compute what ``Index.add`` stores for one article (picklable, for worker processes)."""
    n, keys = band_keys(article.text, params, bands, rows)
    digest = hashlib.sha256(article.text.encode("utf-8")).hexdigest()
    lines = article_lines(article.text) if article.source is not None else ()
    return Prepared(article, digest, n, tuple(keys), article_stems(article.text), lines)

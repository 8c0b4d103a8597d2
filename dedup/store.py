"""A persistent index of published articles in one SQLite file (``dedup.Index``).

Modules importing one way: ``dedup.store_file`` (the file: schema, connections, band keys,
and the checks that it is an index of this format and these parameters), then
``dedup.store_counts`` (document frequencies and boilerplate lines), ``dedup.store_records``
(records, and ``prepare``), ``dedup.store_articles`` (``Store``: adding, replacing and
removing articles, looking up band keys and counts), then ``dedup.check`` (checking new
articles against a ``Store``), and this one, whose ``Index`` is a ``Store`` that checks. The
public names of the others are re-exported here.
"""

from __future__ import annotations

from collections.abc import Iterable

from .check import check
from .model import Article, Params
from .store_articles import PENDING_ROWS, Progress, Store
from .store_file import BUSY_TIMEOUT, INDEX_FIELDS, SCHEMA_VERSION, band_keys
from .store_records import AddResult, IndexInfo, Prepared, StoredArticle, prepare
from .verdicts import DEFAULT_POLICY, CheckResult, Policy

__all__ = [
    "BUSY_TIMEOUT",
    "INDEX_FIELDS",
    "PENDING_ROWS",
    "SCHEMA_VERSION",
    "AddResult",
    "Index",
    "IndexInfo",
    "Prepared",
    "Progress",
    "StoredArticle",
    "band_keys",
    "prepare",
]


class Index(Store):
    """A persistent index of published articles, for ``check``.

    Opened as a ``dedup.store_articles.Store`` (the same arguments and errors), which it
    extends with ``check``.

    >>> import tempfile
    >>> from pathlib import Path
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

    def __enter__(self) -> Index:
        return self

    def check(
        self,
        articles: Iterable[Article],
        policy: Policy = DEFAULT_POLICY,
        *,
        params: Params | None = None,
    ) -> CheckResult:
        """Check new articles against the index and each other; see ``dedup.check.check``."""
        return check(self, list(articles), policy, params=params)

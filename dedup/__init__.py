"""dedup: find reused, lightly edited and paraphrased passages in news articles.

>>> import dedup
>>> a = "The mayor resigned on Tuesday after a long dispute with the council."
>>> c = dedup.compare(a, "In other news. " + a)
>>> [(p.kind, p.score) for p in c.passages]
[('verbatim', 1.0)]
"""

from __future__ import annotations

from .errors import ConfigError, DedupError, InputError
from .model import (
    COPY_THRESHOLD,
    DEFAULT_PARAMS,
    Article,
    Comparison,
    Coverage,
    Params,
    Passage,
    Report,
)
from .pipeline import __version__, compare, scan
from .store import Index

__all__ = [
    "COPY_THRESHOLD",
    "DEFAULT_PARAMS",
    "Article",
    "Comparison",
    "ConfigError",
    "Coverage",
    "DedupError",
    "Index",
    "InputError",
    "Params",
    "Passage",
    "Report",
    "__version__",
    "compare",
    "scan",
]

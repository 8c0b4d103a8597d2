"""dedup: find reused, lightly edited and paraphrased passages in news articles.

>>> import dedup
>>> a = "The mayor resigned on Tuesday after a long dispute with the council."
>>> c = dedup.compare(a, "In other news. " + a)
>>> [(p.kind, p.score) for p in c.passages]
[('verbatim', 1.0)]

The names of the pipeline (``scan``, ``compare``, ``Index``, ``__version__``) are imported on
first use, so that ``import dedup`` (and ``dedup --version``) does not load numpy, datasketch
or rapidfuzz before a command needs them.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .clusters import Cluster, Member, find_clusters
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

if TYPE_CHECKING:
    from .pipeline import __version__, compare, scan
    from .store import Index

# The names imported on first use, with the module that defines each.
_LAZY = {"Index": "store", "__version__": "pipeline", "compare": "pipeline", "scan": "pipeline"}

__all__ = [
    "COPY_THRESHOLD",
    "DEFAULT_PARAMS",
    "Article",
    "Cluster",
    "Comparison",
    "ConfigError",
    "Coverage",
    "DedupError",
    "Index",
    "InputError",
    "Member",
    "Params",
    "Passage",
    "Report",
    "__version__",
    "compare",
    "find_clusters",
    "scan",
]


def __getattr__(name: str) -> Any:
    """Import a name of ``_LAZY`` from its module on first use (PEP 562)."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
    globals()[name] = value  # later look-ups do not come here again
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

"""Errors that dedup raises. The CLI turns each into a message and exit code 2."""

from __future__ import annotations


class DedupError(Exception):
    """Base class of every error dedup raises on purpose."""


class InputError(DedupError):
    """An input file or record that cannot be read as articles.

    The message names the file (and the line, for JSONL) and says what to do.
    """


class ConfigError(DedupError, ValueError):
    """Parameters that do not make sense together."""

r"""Reading articles from files, folders, JSONL and stdin; writing results as JSONL, CSV or text.

Inputs (``read_articles``):

* a file: one article. Its id is the path as given. A ``.jsonl`` file is read as JSONL instead;
  a file given by name is read as plain text whatever else its extension is.
* a folder: every ``.txt``, ``.md`` and ``.jsonl`` file under it, recursively, in the order of
  their paths relative to the folder. Other files are skipped silently. The id of a plain-text
  file is its path relative to the folder, in POSIX style (``sub/a.txt``).
* a JSONL file: one JSON object a line, ``{"id": ..., "text": ...}`` with optional ``"source"``,
  ``"date"`` and ``"url"`` (strings or null; other keys are ignored). ``id`` must be a non-empty
  string or an integer (converted to a string); ``text`` must be a string. Blank lines are skipped.
* ``-``: standard input, read as JSONL if its first non-blank character is ``{``, else as one
  plain-text article with id ``-``.

Text is UTF-8; a leading byte-order mark is dropped. Nothing else is changed (``\r\n`` stays),
so every offset dedup reports is a character (code point) offset into the text as read.

Errors. Each raises ``InputError`` naming the file (and line, for JSONL):

* a path that does not exist or cannot be read;
* a binary file (one that contains NUL bytes; UTF-16 text looks like this too);
* bytes that are not UTF-8 (the message gives the byte offset and line);
* a malformed JSONL line: not JSON, not an object, a missing or empty ``id``, ``text`` that is
  not a string, or a ``source``/``date``/``url`` that is not a string;
* the same id twice, anywhere in the inputs (the message names both places);
* a folder without any ``.txt``, ``.md`` or ``.jsonl`` file;
* ``-`` given twice.

Documented skips. These are not errors, because a corpus often holds a few of them; each is
reported through ``on_skip`` with a message naming the file (and line) and then left out:

* an empty file, or one holding only whitespace (also an empty JSONL ``text`` or empty stdin);
* a JSONL file without any record (only blank lines);
* an article without a single word (only punctuation, symbols or whitespace): it cannot have
  even one shingle, so it could never match.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from .errors import InputError
from .model import Article
from .normalize import has_words

TEXT_SUFFIXES = (".txt", ".md")
JSONL_SUFFIX = ".jsonl"
STDIN = "-"
OPTIONAL_FIELDS = ("source", "date", "url")

OnSkip = Callable[[str], None]


def read_articles(
    inputs: Sequence[str | Path],
    *,
    stdin: TextIO | None = None,
    on_skip: OnSkip | None = None,
    on_read: Callable[[Article], None] | None = None,
) -> list[Article]:
    r"""Read articles from files, folders, JSONL files and ``-`` (stdin), in the order given.

    Args:
        inputs: paths of files or folders, or ``-`` for standard input.
        stdin: the stream ``-`` reads (``sys.stdin`` when not given).
        on_skip: called with a message for each input left out (an empty file, an article
            without words); skips are silent without it.
        on_read: called with each article read (for a progress bar).

    Returns:
        The articles, in input order (a folder's files sorted by relative path).

    Raises:
        InputError: a missing, binary or non-UTF-8 file, a malformed JSONL line, a duplicate id,
            a folder without text files, or ``-`` given twice. The message names the file.

    >>> from io import StringIO
    >>> feed = StringIO('{"id": 7, "text": "He left.", "source": "AP"}\n{"id": "x", "text": "?"}')
    >>> skipped = []
    >>> read_articles(["-"], stdin=feed, on_skip=skipped.append)
    [Article(id='7', text='He left.', source='AP', date=None, url=None)]
    >>> skipped
    ['<stdin>:2: no words (only punctuation or symbols), skipped']
    """
    reader = _Reader(stdin, on_skip or _ignore, on_read)
    for item in inputs:
        reader.read(item)
    return reader.articles


def _ignore(_message: str) -> None:
    """Drop a skip message."""


class _Reader:
    """Collects articles across inputs, checking ids for duplicates."""

    def __init__(
        self, stdin: TextIO | None, on_skip: OnSkip, on_read: Callable[[Article], None] | None
    ) -> None:
        self.articles: list[Article] = []
        self._on_read = on_read
        self._places: dict[str, str] = {}
        self._stdin = stdin
        self._stdin_read = False
        self._on_skip = on_skip

    def read(self, item: str | Path) -> None:
        if str(item) == STDIN:
            self._read_stdin()
            return
        path = Path(item)
        if path.is_dir():
            self._read_folder(path)
        elif not path.exists():
            raise InputError(f"{item}: no such file or folder")
        elif path.suffix.lower() == JSONL_SUFFIX:
            self._read_jsonl(read_text_file(path), str(item))
        else:
            self._add(Article(str(item), read_text_file(path)), str(item))

    def _read_folder(self, folder: Path) -> None:
        try:
            files = sorted(
                (p.relative_to(folder).as_posix(), p)
                for p in folder.rglob("*")
                if p.suffix.lower() in (*TEXT_SUFFIXES, JSONL_SUFFIX) and p.is_file()
            )
        except OSError as e:
            raise InputError(f"{folder}: cannot list the folder ({e.strerror})") from e
        if not files:
            raise InputError(
                f"{folder}: folder has no .txt, .md or .jsonl files; "
                "give the folder that holds the articles"
            )
        for rel, path in files:
            if path.suffix.lower() == JSONL_SUFFIX:
                self._read_jsonl(read_text_file(path), str(path))
            else:
                self._add(Article(rel, read_text_file(path)), str(path))

    def _read_stdin(self) -> None:
        if self._stdin_read:
            raise InputError("'-' (standard input) is given twice; it can be read only once")
        self._stdin_read = True
        text = read_stream(self._stdin if self._stdin is not None else sys.stdin)
        if text.lstrip().startswith("{"):
            self._read_jsonl(text, "<stdin>")
        else:
            self._add(Article(STDIN, text), "<stdin>")

    def _read_jsonl(self, text: str, place: str) -> None:
        found = False
        # Split on "\n" only: str.splitlines() would also split inside a JSON string at U+2028.
        for number, line in enumerate(text.split("\n"), start=1):
            if line.strip():
                found = True
                self._add(_parse_record(line, f"{place}:{number}"), f"{place}:{number}")
        if not found:
            self._on_skip(f"{place}: no JSONL records (only blank lines), skipped")

    def _add(self, article: Article, place: str) -> None:
        if not article.text.strip():
            self._on_skip(f"{place}: no text (empty or only whitespace), skipped")
            return
        if not has_words(article.text):
            self._on_skip(f"{place}: no words (only punctuation or symbols), skipped")
            return
        first = self._places.get(article.id)
        if first is not None:
            raise InputError(
                f"{place}: duplicate article id {article.id!r}, first seen at {first}; "
                "ids must be unique across all inputs"
            )
        self._places[article.id] = place
        self.articles.append(article)
        if self._on_read is not None:
            self._on_read(article)


def read_text_file(path: Path) -> str:
    """Read a file as UTF-8 text, exactly as stored (no newline translation)."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"{path}: cannot read the file ({e.strerror})") from e
    return _decode(data, str(path))


def read_stream(stream: TextIO) -> str:
    """Read all of a text stream, from its bytes where it has them (so CRLF stays)."""
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        return _decode(buffer.read(), "<stdin>")
    text = stream.read()
    if "\0" in text:
        raise InputError("<stdin>: input looks binary (it contains NUL bytes); give UTF-8 text")
    return text.removeprefix("\ufeff")


def _decode(data: bytes, place: str) -> str:
    """Decode UTF-8 (a BOM is dropped), refusing binary data with a message naming ``place``."""
    if b"\0" in data:
        raise InputError(
            f"{place}: file looks binary (it contains NUL bytes); dedup reads UTF-8 text. "
            "If it is UTF-16 text, save it as UTF-8"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise InputError(
            f"{place}:{line}: not valid UTF-8 (byte {e.start}: {e.reason}); save the file as UTF-8"
        ) from e


def _parse_record(line: str, place: str) -> Article:
    """Turn one JSONL line into an Article; ``place`` is ``FILE:LINE`` for messages."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as e:
        raise InputError(
            f"{place}: not valid JSON ({e.msg}, column {e.colno}); "
            'each line must be one object like {"id": "a1", "text": "..."}'
        ) from e
    if not isinstance(record, dict):
        raise InputError(
            f"{place}: expected a JSON object with 'id' and 'text', got {type(record).__name__}"
        )
    raw_id = record.get("id")
    if isinstance(raw_id, int) and not isinstance(raw_id, bool):
        raw_id = str(raw_id)
    if not isinstance(raw_id, str) or not raw_id.strip():
        raise InputError(f"{place}: 'id' must be a non-empty string or an integer, got {raw_id!r}")
    text = record.get("text")
    if not isinstance(text, str):
        raise InputError(f"{place}: 'text' must be a string, got {json_type(text)}")
    extra: dict[str, str | None] = {}
    for name in OPTIONAL_FIELDS:
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            raise InputError(f"{place}: {name!r} must be a string or null, got {json_type(value)}")
        extra[name] = value
    return Article(raw_id, text, **extra)


def json_type(value: object) -> str:
    """Name a decoded JSON value's type the way JSON does."""
    if value is None:
        return "null (or nothing)"
    names = {bool: "a boolean", int: "a number", float: "a number", list: "an array"}
    return names.get(type(value), "an object")

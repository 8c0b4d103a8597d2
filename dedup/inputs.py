r"""Reading articles from files, folders, web pages, crawls, JSONL and stdin.

Inputs (``read_articles``):

* a text file: one article. A file given by name is read as text unless its name ends in
  ``.jsonl``, ``.html``/``.htm`` or ``.warc``/``.warc.gz``.
* a web page (``.html``, ``.htm``): one article, the page's main text (``dedup.pages``: title,
  blank line, body; no menus, cookie banners, related links or footers). The page's date,
  canonical URL and site name fill ``date``, ``url`` and ``source``.
* a crawl (``.warc``, ``.warc.gz``, ``dedup.crawl``): every HTML page fetched with HTTP status
  200 is an article, read as a web page, in file order. Its id is the captured URL
  (``WARC-Target-URI``); its date is the one the page states, else the capture's day
  (``WARC-Date``); its URL the canonical one, else the captured one. The file is streamed, one
  record at a time. A URL that is already an article id (the same page captured again) keeps
  its first capture.
* a folder: every file under it whose name ends in one of ``FOLDER_SUFFIXES``, recursively, in
  the order of their paths relative to the folder. Other files are skipped silently.
* a JSONL file: one JSON object a line, ``{"id": ..., "text": ...}`` with optional ``"source"``,
  ``"date"`` and ``"url"`` (strings or null; other keys are ignored). ``id`` must be a non-empty
  string or an integer (converted to a string). Instead of ``text`` a record may give ``html``,
  a web page read as above; the record's own ``source``, ``date`` and ``url`` win over the
  page's. Blank lines are skipped.
* ``-``: standard input, read as JSONL if its first non-blank character is ``{``, else as one
  plain-text article with id ``-``.

Ids. The id of a file (text or page) is its path relative to the current directory, in POSIX
style, with symbolic links resolved (``os.path.relpath`` of the real path): the same whether
the file is given by name, as ``./a.txt`` or found in a folder. A file outside the current
directory gets its absolute path (a ``../../`` chain would name nothing once the directory
changes). The same file reached twice (a folder and a file in it, a link to it) is read once;
the second time is a note through ``on_skip``. JSONL records keep their ``id``; crawl pages
have their URL.

Text. Offsets index the article text: a text file decoded as ``dedup.encodings`` says (UTF-8,
a UTF-8 byte-order mark kept as character 0; UTF-16 or UTF-32 with a byte-order mark), a
page's or record's extracted text. Nothing else is changed (``\r\n`` stays).

Origins. ``origins``, when given, is filled with an ``Origin`` for each article: the file (as
named by the id rule, or ``-``), and for JSONL the line of its record.

Errors. Each raises ``InputError`` naming the file (and line, for JSONL):

* a path that does not exist or cannot be read, or a file that is not a readable WARC file;
* a binary file (NUL bytes without a UTF-16 or UTF-32 byte-order mark);
* bytes that are not valid in the encoding (the message gives the byte offset and line);
* a malformed JSONL line: not JSON, not an object, a missing or empty ``id``, neither or both of
  ``text`` and ``html``, one that is not a string, or a ``source``/``date``/``url`` that is not
  a string;
* the same id twice, anywhere in the inputs (the message names both places), except a crawl's
  repeated URL;
* a folder without any file it can read; ``-`` given twice.

Documented skips, reported through ``on_skip`` with a message naming the file (and line):

* an empty file, or one holding only whitespace (also an empty JSONL ``text`` or empty stdin);
* a JSONL file without any record (only blank lines);
* an article without a single word (only punctuation, symbols or whitespace);
* a web page without article text (only menus, links or an empty body);
* a file already read (a note);
* in a crawl, one message per file counting what it left out: records that are not responses
  (requests, ``warcinfo``, ...), responses that are not HTML or not status 200, pages without
  article text, pages over ``dedup.crawl.MAX_PAGE_BYTES``, repeated URLs.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from .encodings import BOM, read_stream, read_text_file
from .errors import InputError
from .model import Article
from .normalize import has_words

TEXT_SUFFIXES = (".txt", ".md")
JSONL_SUFFIX = ".jsonl"
PAGE_SUFFIXES = (".html", ".htm")
CRAWL_SUFFIXES = (".warc", ".warc.gz")
FOLDER_SUFFIXES = (*TEXT_SUFFIXES, JSONL_SUFFIX, *PAGE_SUFFIXES, *CRAWL_SUFFIXES)
STDIN = "-"
OPTIONAL_FIELDS = ("source", "date", "url")

OnSkip = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class Origin:
    """Where an article came from: a file (or ``-``), and the line its text starts on.

    ``whole_file`` is true when the file is the article's text (a text file or plain stdin),
    so that offsets map to lines and columns of the file; false for a JSONL record, a web page
    or a crawl.
    """

    path: str
    line: int = 1
    whole_file: bool = True


def file_id(path: str | Path) -> str:
    """The id of a file: its real path relative to the current directory, in POSIX style.

    A file outside the current directory gets its absolute (real) path.

    >>> file_id("./dedup/../dedup/inputs.py")
    'dedup/inputs.py'
    """
    real = Path(os.path.realpath(path))
    try:
        return real.relative_to(os.path.realpath(Path.cwd())).as_posix()
    except ValueError:
        return real.as_posix()


def read_articles(
    inputs: Sequence[str | Path],
    *,
    stdin: TextIO | None = None,
    on_skip: OnSkip | None = None,
    on_read: Callable[[Article], None] | None = None,
    origins: dict[str, Origin] | None = None,
) -> list[Article]:
    r"""Read articles from files, folders, pages, crawls, JSONL files and ``-`` (stdin).

    Args:
        inputs: paths of files or folders, or ``-`` for standard input, read in this order.
        stdin: the stream ``-`` reads (``sys.stdin`` when not given).
        on_skip: called with a message for each input left out (an empty file, an article
            without words, a page without text, a file read already); silent without it.
        on_read: called with each article read (for a progress bar).
        origins: if given, filled with each article's ``Origin``, by id.

    Returns:
        The articles, in input order (a folder's files sorted by relative path).

    Raises:
        InputError: a missing, binary or undecodable file, a malformed JSONL line, a duplicate
            id, a folder without files to read, or ``-`` given twice. The message names the file.

    >>> from io import StringIO
    >>> feed = StringIO('{"id": 7, "text": "He left.", "source": "AP"}\n{"id": "x", "text": "?"}')
    >>> skipped, where = [], {}
    >>> read_articles(["-"], stdin=feed, on_skip=skipped.append, origins=where)
    [Article(id='7', text='He left.', source='AP', date=None, url=None)]
    >>> skipped
    ['<stdin>:2: no words (only punctuation or symbols), skipped']
    >>> where
    {'7': Origin(path='-', line=1, whole_file=False)}
    """
    reader = _Reader(stdin, on_skip or _ignore, on_read)
    for item in inputs:
        reader.read(item)
    if origins is not None:
        origins.update(reader.origins)
    return reader.articles


def _ignore(_message: str) -> None:
    """Drop a skip message."""


@dataclass(frozen=True, slots=True)
class _Record:
    """A checked JSONL record: exactly one of ``text`` and ``html`` is set."""

    id: str
    text: str | None
    html: str | None
    fields: dict[str, str | None]


class _Reader:
    """Collects articles across inputs, checking ids for duplicates and files read twice."""

    def __init__(
        self, stdin: TextIO | None, on_skip: OnSkip, on_read: Callable[[Article], None] | None
    ) -> None:
        self.articles: list[Article] = []
        self.origins: dict[str, Origin] = {}
        self._on_read = on_read
        self._places: dict[str, str] = {}
        self._files: set[str] = set()  # ids of the files read already
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
        else:
            self._read_file(path)

    def _read_folder(self, folder: Path) -> None:
        try:
            files = sorted(
                (p.relative_to(folder).as_posix(), p)
                for p in folder.rglob("*")
                if p.name.lower().endswith(FOLDER_SUFFIXES) and p.is_file()
            )
        except OSError as e:
            raise InputError(f"{folder}: cannot list the folder ({e.strerror})") from e
        if not files:
            names = ", ".join(FOLDER_SUFFIXES[:-1]) + f" or {FOLDER_SUFFIXES[-1]}"
            raise InputError(
                f"{folder}: folder has no {names} files; give the folder that holds the articles"
            )
        for _, path in files:
            self._read_file(path)

    def _read_file(self, path: Path) -> None:
        name = file_id(path)  # the real path's: one id however the file is reached
        if name in self._files:
            self._on_skip(f"{path}: already read (id {name!r}); the same file is read once")
            return
        self._files.add(name)
        lower = path.name.lower()
        if lower.endswith(JSONL_SUFFIX):
            self._read_jsonl(read_text_file(path), name, name)
        elif lower.endswith(PAGE_SUFFIXES):
            self._read_page(path, name)
        elif lower.endswith(CRAWL_SUFFIXES):
            self._read_crawl(path, name)
        else:
            self._add(Article(name, read_text_file(path, keep_bom=True)), name, Origin(name))

    def _read_stdin(self) -> None:
        if self._stdin_read:
            raise InputError("'-' (standard input) is given twice; it can be read only once")
        self._stdin_read = True
        text = read_stream(self._stdin if self._stdin is not None else sys.stdin, keep_bom=True)
        if text.removeprefix(BOM).lstrip().startswith("{"):
            self._read_jsonl(text.removeprefix(BOM), "<stdin>", STDIN)
        else:
            self._add(Article(STDIN, text), "<stdin>", Origin(STDIN))

    def _read_jsonl(self, text: str, place: str, path: str) -> None:
        found = False
        # Split on "\n" only: str.splitlines() would also split inside a JSON string at U+2028.
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            found = True
            at, origin = f"{place}:{number}", Origin(path, number, whole_file=False)
            record = _parse_record(line, at)
            if record.text is not None:
                self._add(Article(record.id, record.text, **record.fields), at, origin)
                continue
            given = record.fields
            article = self._page(
                record.html or "", record.id, at, source=given["source"], date=given["date"],
                url=given["url"],
            )  # fmt: skip
            if article is not None:
                self._add(article, at, origin)
        if not found:
            self._on_skip(f"{place}: no JSONL records (only blank lines), skipped")

    def _read_page(self, path: Path, name: str) -> None:
        try:
            html = path.read_bytes()
        except OSError as e:
            raise InputError(f"{path}: cannot read the file ({e.strerror})") from e
        article = self._page(html, name, name)
        if article is not None:
            self._add(article, name, Origin(name, whole_file=False))

    def _page(
        self,
        html: bytes | str,
        article_id: str,
        place: str,
        *,
        quiet: bool = False,
        found_at: str | None = None,
        source: str | None = None,
        date: str | None = None,
        url: str | None = None,
    ) -> Article | None:
        """The article of a web page (given fields win over the page's), or None, a skip."""
        from .pages import extract_page  # trafilatura is slow to import: only for pages

        page = extract_page(html, url=url or found_at)
        if page is None:
            if not quiet:
                why = "no article text in the page (only menus, links or an empty body)"
                self._on_skip(f"{place}: {why}, skipped")
            return None
        return Article(
            article_id, page.text, source or page.site, date or page.date, url or page.url
        )

    def _read_crawl(self, path: Path, name: str) -> None:
        from .crawl import read_captures  # warcio: only for crawls

        skipped: Counter[str] = Counter()
        read = 0
        for capture in read_captures(path, skipped):
            if capture.uri in self._places:
                skipped["repeated URLs (the first capture is kept)"] += 1
                continue
            date = capture.date[:10] if capture.date else None
            article = self._page(capture.html, capture.uri, name, quiet=True, found_at=capture.uri)
            if article is None:
                skipped["pages without article text"] += 1
                continue
            if article.date is None:
                article = Article(article.id, article.text, article.source, date, article.url)
            read += self._add(article, f"{name} ({capture.uri})", Origin(name, whole_file=False))
        if skipped or not read:
            left = ", ".join(f"{reason} ({n})" for reason, n in sorted(skipped.items()))
            self._on_skip(f"{name}: {read} pages read from the crawl; left out: {left or 'none'}")

    def _add(self, article: Article, place: str, origin: Origin) -> bool:
        if not article.text.removeprefix(BOM).strip():
            self._on_skip(f"{place}: no text (empty or only whitespace), skipped")
            return False
        if not has_words(article.text):
            self._on_skip(f"{place}: no words (only punctuation or symbols), skipped")
            return False
        first = self._places.get(article.id)
        if first is not None:
            raise InputError(
                f"{place}: duplicate article id {article.id!r}, first seen at {first}; "
                "ids must be unique across all inputs"
            )
        self._places[article.id] = place
        self.origins[article.id] = origin
        self.articles.append(article)
        if self._on_read is not None:
            self._on_read(article)
        return True


def _parse_record(line: str, place: str) -> _Record:
    """Check one JSONL line; ``place`` is ``FILE:LINE`` for messages."""
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
    text, html = _body(record, place)
    fields: dict[str, str | None] = {}
    for name in OPTIONAL_FIELDS:
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            raise InputError(f"{place}: {name!r} must be a string or null, got {json_type(value)}")
        fields[name] = value
    return _Record(raw_id, text, html, fields)


def _body(record: dict[str, Any], place: str) -> tuple[str | None, str | None]:
    """A record's ``text`` or ``html``: exactly one of them, a string."""
    if "html" in record and "text" in record:
        raise InputError(f"{place}: give 'text' or 'html', not both")
    key = "html" if "html" in record else "text"
    value = record.get(key)
    if not isinstance(value, str):
        raise InputError(f"{place}: {key!r} must be a string, got {json_type(value)}")
    return (None, value) if key == "html" else (value, None)


def json_type(value: object) -> str:
    """Name a decoded JSON value's type the way JSON does."""
    if value is None:
        return "null (or nothing)"
    names = {bool: "a boolean", int: "a number", float: "a number", list: "an array"}
    return names.get(type(value), "an object")

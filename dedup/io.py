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

Writers turn a ``Report`` or ``Comparison`` into records whose snippets are exactly
``text[start:end]``. The JSONL output of a scan starts with a ``meta`` line (dedup version,
parameters and counts), then one ``passage`` line per passage, then one ``coverage`` line per
article, so every result carries the version and parameters that produced it.
"""

from __future__ import annotations

import csv
import json
import sys
import textwrap
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any, TextIO

from .errors import InputError
from .model import KINDS, Article, Comparison, Coverage, Passage, Report
from .normalize import words

TEXT_SUFFIXES = (".txt", ".md")
JSONL_SUFFIX = ".jsonl"
STDIN = "-"
OPTIONAL_FIELDS = ("source", "date", "url")
PASSAGE_FIELDS = (*(f.name for f in fields(Passage)), "a_snippet", "b_snippet")

OnSkip = Callable[[str], None]


def read_articles(
    inputs: Sequence[str | Path],
    *,
    stdin: TextIO | None = None,
    on_skip: OnSkip | None = None,
) -> list[Article]:
    r"""Read articles from files, folders, JSONL files and ``-`` (stdin), in the order given.

    Args:
        inputs: paths of files or folders, or ``-`` for standard input.
        stdin: the stream ``-`` reads (``sys.stdin`` when not given).
        on_skip: called with a message for each input left out (an empty file, an article
            without words); skips are silent without it.

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
    reader = _Reader(stdin, on_skip or _ignore)
    for item in inputs:
        reader.read(item)
    return reader.articles


def _ignore(_message: str) -> None:
    """Drop a skip message."""


class _Reader:
    """Collects articles across inputs, checking ids for duplicates."""

    def __init__(self, stdin: TextIO | None, on_skip: OnSkip) -> None:
        self.articles: list[Article] = []
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
            self._read_jsonl(_read_text(path), str(item))
        else:
            self._add(Article(str(item), _read_text(path)), str(item))

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
                self._read_jsonl(_read_text(path), str(path))
            else:
                self._add(Article(rel, _read_text(path)), str(path))

    def _read_stdin(self) -> None:
        if self._stdin_read:
            raise InputError("'-' (standard input) is given twice; it can be read only once")
        self._stdin_read = True
        text = _read_stream(self._stdin if self._stdin is not None else sys.stdin)
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
        if not words(article.text):
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


def _read_text(path: Path) -> str:
    """Read a file as UTF-8 text, exactly as stored (no newline translation)."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"{path}: cannot read the file ({e.strerror})") from e
    return _decode(data, str(path))


def _read_stream(stream: TextIO) -> str:
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
        raise InputError(f"{place}: 'text' must be a string, got {_json_type(text)}")
    extra: dict[str, str | None] = {}
    for name in OPTIONAL_FIELDS:
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            raise InputError(f"{place}: {name!r} must be a string or null, got {_json_type(value)}")
        extra[name] = value
    return Article(raw_id, text, **extra)


def _json_type(value: object) -> str:
    """Name a decoded JSON value's type the way JSON does."""
    if value is None:
        return "null (or nothing)"
    names = {bool: "a boolean", int: "a number", float: "a number", list: "an array"}
    return names.get(type(value), "an object")


# -- writers ---------------------------------------------------------------------------------


def passage_record(p: Passage, a_text: str, b_text: str) -> dict[str, Any]:
    """Return a passage as a JSON-ready dict, with its two snippets.

    Args:
        p: the passage.
        a_text: the text of article ``p.a_id``.
        b_text: the text of article ``p.b_id``.

    Returns:
        The fields of ``p`` plus ``a_snippet = a_text[a_start:a_end]`` and ``b_snippet``.

    >>> p = Passage("a", 0, 5, "b", 4, 9, 1.0, "verbatim")
    >>> passage_record(p, "Hello world", "Say Hello")["b_snippet"]
    'Hello'
    """
    record = asdict(p)
    record["a_snippet"] = a_text[p.a_start : p.a_end]
    record["b_snippet"] = b_text[p.b_start : p.b_end]
    return record


def coverage_record(c: Coverage) -> dict[str, Any]:
    """Return a coverage as a JSON-ready dict; ``by_article`` maps ids to shares."""
    return {**asdict(c), "by_article": dict(c.by_article)}


def comparison_record(
    c: Comparison, a_text: str, b_text: str, *, a_id: str = "a", b_id: str = "b"
) -> dict[str, Any]:
    """Return the result of ``compare`` as one JSON-ready dict.

    Args:
        c: the comparison.
        a_text: the first text, as passed to ``compare``.
        b_text: the second text.
        a_id: the name to give the first text in the record (a file name, say).
        b_id: the name to give the second text.

    Returns:
        ``version``, ``params``, ``a``/``b`` (the names), ``passages`` with snippets, and
        ``a_coverage``/``b_coverage``.
    """
    names = {"a": a_id, "b": b_id}
    passages = []
    for p in c.passages:
        record = passage_record(p, a_text, b_text)
        record["a_id"], record["b_id"] = names[p.a_id], names[p.b_id]
        passages.append(record)
    a_cov, b_cov = coverage_record(c.a_coverage), coverage_record(c.b_coverage)
    for cov in (a_cov, b_cov):
        cov["id"] = names[cov["id"]]
        cov["by_article"] = {names[k]: v for k, v in cov["by_article"].items()}
    return {
        "version": c.version,
        "params": c.params.to_dict(),
        "a": a_id,
        "b": b_id,
        "passages": passages,
        "a_coverage": a_cov,
        "b_coverage": b_cov,
    }


def _texts(articles: Iterable[Article]) -> dict[str, str]:
    return {a.id: a.text for a in articles}


def _dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False)


def write_scan_jsonl(report: Report, articles: Iterable[Article], out: TextIO) -> None:
    """Write a scan as JSONL: a ``meta`` line, a ``passage`` line each, a ``coverage`` line each.

    Args:
        report: the result of ``scan``.
        articles: the scanned articles (for the snippets).
        out: a text stream; UTF-8 is expected, as the output is not ASCII-escaped.
    """
    texts = _texts(articles)
    meta = {
        "type": "meta",
        "version": report.version,
        "params": report.params.to_dict(),
        "stats": dict(report.stats),
    }
    out.write(_dumps(meta) + "\n")
    for p in report.passages:
        record = passage_record(p, texts[p.a_id], texts[p.b_id])
        out.write(_dumps({"type": "passage", **record}) + "\n")
    for c in report.coverage:
        out.write(_dumps({"type": "coverage", **coverage_record(c)}) + "\n")


def write_scan_csv(report: Report, articles: Iterable[Article], out: TextIO) -> None:
    """Write a scan's passages as CSV with a header row (the fields of ``passage_record``).

    Open ``out`` with ``newline=""``, as the csv module asks.
    """
    texts = _texts(articles)
    writer = csv.DictWriter(out, fieldnames=PASSAGE_FIELDS)
    writer.writeheader()
    for p in report.passages:
        writer.writerow(passage_record(p, texts[p.a_id], texts[p.b_id]))


def _snippet(text: str, indent: str = "      ") -> str:
    """Return a snippet on wrapped, indented lines, its whitespace runs shown as one space."""
    flat = " ".join(text.split())
    return textwrap.fill(flat, width=100, initial_indent=indent, subsequent_indent=indent)


def _passage_text(n: int, p: Passage, a_text: str, b_text: str, a_id: str, b_id: str) -> str:
    return "\n".join(
        (
            f"#{n} {p.kind}  score {p.score:.3f}  ({_plural(p.sentence_pairs, 'sentence pair')})",
            f"  {a_id} [{p.a_start}:{p.a_end}]",
            _snippet(a_text[p.a_start : p.a_end]),
            f"  {b_id} [{p.b_start}:{p.b_end}]",
            _snippet(b_text[p.b_start : p.b_end]),
        )
    )


def _coverage_text(c: Coverage, name: str, names: dict[str, str] | None = None) -> str:
    line = f"  {name}: {c.share:.1%} reused ({c.reused_chars} of {c.length} chars)"
    if c.by_article:
        parts = ", ".join(f"{(names or {}).get(k, k)} {v:.1%}" for k, v in c.by_article)
        line += f"; with {parts}"
    return line


def write_scan_text(report: Report, articles: Iterable[Article], out: TextIO) -> None:
    """Write a scan for people to read: each passage with its snippets, then coverage."""
    texts = _texts(articles)
    out.write(f"dedup {report.version}: {scan_summary(report)}\n")
    for n, p in enumerate(report.passages, start=1):
        out.write("\n" + _passage_text(n, p, texts[p.a_id], texts[p.b_id], p.a_id, p.b_id) + "\n")
    out.write("\nCoverage:\n")
    for c in report.coverage:
        out.write(_coverage_text(c, c.id) + "\n")


def write_comparison_text(
    c: Comparison, a_text: str, b_text: str, out: TextIO, *, a_id: str = "a", b_id: str = "b"
) -> None:
    """Write the result of ``compare`` for people to read; ``a_id``/``b_id`` name the texts."""
    out.write(f"dedup {c.version}: {_plural(len(c.passages), 'passage')} of {a_id} in {b_id}\n")
    for n, p in enumerate(c.passages, start=1):
        out.write("\n" + _passage_text(n, p, a_text, b_text, a_id, b_id) + "\n")
    names = {"a": a_id, "b": b_id}
    out.write("\nCoverage:\n")
    out.write(_coverage_text(c.a_coverage, a_id, names) + "\n")
    out.write(_coverage_text(c.b_coverage, b_id, names) + "\n")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def scan_summary(report: Report) -> str:
    """Return a one-line summary of a scan.

    >>> from dedup.model import DEFAULT_PARAMS
    >>> p = Passage("a", 0, 50, "b", 0, 50, 1.0, "verbatim")
    >>> cov = (Coverage("a", 100, 50, 0.5), Coverage("b", 50, 50, 1.0), Coverage("c", 9, 0, 0.0))
    >>> stats = (("articles", 3), ("sentences", 12))
    >>> scan_summary(Report((p,), cov, DEFAULT_PARAMS, "0.1.0", stats))
    '3 articles, 12 sentences, 1 passage (1 verbatim), 2 articles with reuse'
    """
    stats = dict(report.stats)
    kinds = Counter(p.kind for p in report.passages)
    parts = [
        _plural(stats.get("articles", len(report.coverage)), "article"),
        _plural(stats.get("sentences", 0), "sentence"),
        _plural(len(report.passages), "passage"),
    ]
    if kinds:
        order = sorted(kinds, key=lambda k: (-kinds[k], KINDS.index(k)))
        parts[-1] += " (" + ", ".join(f"{kinds[k]} {k}" for k in order) + ")"
    reused = sum(1 for c in report.coverage if c.reused_chars)
    parts.append(_plural(reused, "article") + " with reuse")
    return ", ".join(parts)

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
import dataclasses
import json
import sys
import textwrap
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, TextIO

from .errors import DedupError, InputError
from .index import bands_rows
from .model import KINDS, Article, Comparison, Coverage, Params, Passage, Report
from .normalize import has_words
from .shingle import HASH_SCHEME

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
    record = _fields(p)
    record["a_snippet"] = a_text[p.a_start : p.a_end]
    record["b_snippet"] = b_text[p.b_start : p.b_end]
    return record


def _fields(record: Passage | Coverage) -> dict[str, Any]:
    """A record's fields as a dict, not copied deeply (``asdict`` is slow for a large scan)."""
    return {f.name: getattr(record, f.name) for f in fields(record)}


def coverage_record(c: Coverage, article: Article | None = None) -> dict[str, Any]:
    """Return a coverage as a JSON-ready dict; ``by_article`` maps ids to shares.

    Args:
        c: the coverage.
        article: the article it describes; when given, its ``source``, ``date``, ``url`` and
            full ``text`` are added, so that a report can be made from the record alone.

    >>> c = Coverage("a", 8, 4, 0.5, (("b", 0.5),))
    >>> coverage_record(c)
    {'id': 'a', 'length': 8, 'reused_chars': 4, 'share': 0.5, 'by_article': {'b': 0.5}}
    >>> coverage_record(c, Article("a", "He left.", source="AP"))["text"]
    'He left.'
    """
    record = {**_fields(c), "by_article": dict(c.by_article)}
    if article is not None:
        record.update(source=article.source, date=article.date, url=article.url, text=article.text)
    return record


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
        ``a_coverage``/``b_coverage`` (each with its full ``text``, so that ``read_results``
        can make a report from the record alone).
    """
    names = {"a": a_id, "b": b_id}
    passages = []
    for p in c.passages:
        record = passage_record(p, a_text, b_text)
        record["a_id"], record["b_id"] = names[p.a_id], names[p.b_id]
        passages.append(record)
    a_cov = coverage_record(c.a_coverage, Article(a_id, a_text))
    b_cov = coverage_record(c.b_coverage, Article(b_id, b_text))
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


def write_scan_jsonl(
    report: Report,
    articles: Iterable[Article],
    out: TextIO,
    *,
    inputs: Sequence[str] = (),
) -> None:
    """Write a scan as JSONL: a ``meta`` line, a ``passage`` line each, a ``coverage`` line each.

    Each ``coverage`` line also carries its article's ``source``, ``date``, ``url`` and full
    ``text``, so that ``read_results`` (and ``dedup report``) can rebuild the scan without the
    inputs.

    Args:
        report: the result of ``scan``.
        articles: the scanned articles (for the snippets and texts).
        out: a text stream; UTF-8 is expected, as the output is not ASCII-escaped.
        inputs: the inputs as given on the command line, recorded in the ``meta`` line.
    """
    by_id = {a.id: a for a in articles}
    bands, rows = bands_rows(report.params)
    meta = {
        "type": "meta",
        "version": report.version,
        "params": report.params.to_dict(),
        "hash_scheme": HASH_SCHEME,  # datasketch's MinHash scheme of the signatures
        "lsh": {"bands": bands, "rows": rows},
        "stats": dict(report.stats),
        "inputs": list(inputs),
    }
    out.write(_dumps(meta) + "\n")
    for p in report.passages:
        record = passage_record(p, by_id[p.a_id].text, by_id[p.b_id].text)
        out.write(_dumps({"type": "passage", **record}) + "\n")
    for c in report.coverage:
        record = coverage_record(c, by_id.get(c.id))
        out.write(_dumps({"type": "coverage", **record}) + "\n")


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
            f"#{n} {p.kind}  score {p.score:.3f}  ({_plural(p.sentence_pairs, 'sentence pair')})"
            + (f"  quoted {p.quoted:.0%}" if p.quoted else ""),
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


# -- reading results back ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Results:
    """Saved results read back by ``read_results``: enough to make a report again.

    Attributes:
        report: the passages, coverage, parameters, dedup version and counts.
        articles: the articles with their full texts, in input order.
        inputs: what the results were made from, as given on the command line (may be empty).
        origin: ``"scan"`` or ``"compare"``: the command that wrote the results.
    """

    report: Report
    articles: tuple[Article, ...]
    inputs: tuple[str, ...] = ()
    origin: str = "scan"


_HINT = "give the output of dedup scan (JSONL) or of dedup compare --format json"
_NO_TEXT = (
    "has no 'text': these results were written without article texts (by an older dedup?); "
    "scan again to make a report"
)


def comparison_results(c: Comparison, a: Article, b: Article) -> Results:
    """Return the result of ``compare`` as ``Results`` whose two articles are ``a`` and ``b``.

    ``a.id`` and ``b.id`` name the texts (file names, say); when they are equal, `` (A)`` and
    `` (B)`` are added so that the two stay apart.

    >>> from dedup.model import DEFAULT_PARAMS
    >>> c = Comparison((), Coverage("a", 3, 0, 0.0), Coverage("b", 3, 0, 0.0), DEFAULT_PARAMS, "1")
    >>> [x.id for x in comparison_results(c, Article("x", "One"), Article("x", "Two")).articles]
    ['x (A)', 'x (B)']
    """
    a_id, b_id = (f"{a.id} (A)", f"{b.id} (B)") if a.id == b.id else (a.id, b.id)
    names = {"a": a_id, "b": b_id}
    passages = tuple(
        dataclasses.replace(p, a_id=names[p.a_id], b_id=names[p.b_id]) for p in c.passages
    )
    coverage = tuple(
        dataclasses.replace(
            x, id=names[x.id], by_article=tuple((names[k], v) for k, v in x.by_article)
        )
        for x in (c.a_coverage, c.b_coverage)
    )
    stats = (("articles", 2), ("passages", len(passages)))
    report = Report(passages, coverage, c.params, c.version, stats)
    articles = (
        Article(a_id, a.text, a.source, a.date, a.url),
        Article(b_id, b.text, b.source, b.date, b.url),
    )
    return Results(report, articles, (a.id, b.id), "compare")


def read_results(path: str | Path, *, stdin: TextIO | None = None) -> Results:
    """Read the results of ``dedup scan`` (JSONL) or ``dedup compare --format json``.

    Args:
        path: the results file, or ``-`` for standard input.
        stdin: the stream ``-`` reads (``sys.stdin`` when not given).

    Returns:
        The report, the articles with their texts, and the inputs they were made from.

    Raises:
        InputError: the file is missing or not UTF-8 JSON, a record lacks a field or has one of
            the wrong type, a passage's offsets or snippets do not fit its article's text, or
            the results carry no article texts. The message names the file and the line.

    >>> from io import StringIO
    >>> from dedup.model import DEFAULT_PARAMS
    >>> c = Comparison(
    ...     (), Coverage("a", 3, 0, 0.0), Coverage("b", 3, 0, 0.0), DEFAULT_PARAMS, "1")
    >>> record = comparison_record(c, "One", "Two", a_id="x.txt", b_id="y.txt")
    >>> results = read_results("-", stdin=StringIO(json.dumps(record)))
    >>> [(a.id, a.text) for a in results.articles], results.origin
    ([('x.txt', 'One'), ('y.txt', 'Two')], 'compare')
    """
    if str(path) == STDIN:
        place = "<stdin>"
        text = _read_stream(stdin if stdin is not None else sys.stdin)
    else:
        place = str(path)
        if not Path(path).is_file():
            raise InputError(f"{place}: no such file")
        text = _read_text(Path(path))
    first = next((line for line in text.split("\n") if line.strip()), None)
    if first is None:
        raise InputError(f"{place}: no results (the file is empty); {_HINT}")
    try:
        whole = json.loads(text)
    except json.JSONDecodeError as e:
        try:
            json.loads(first)
        except json.JSONDecodeError:
            raise InputError(
                f"{place}:{e.lineno}: not valid JSON ({e.msg}, column {e.colno}); {_HINT}"
            ) from e
        whole = None
    if isinstance(whole, dict) and "type" not in whole:
        return _read_comparison(whole, place)
    return _read_scan(text, place)


def _read_scan(text: str, place: str) -> Results:
    """Rebuild a scan from its JSONL: a meta line, passage lines and coverage lines."""
    meta: dict[str, Any] | None = None
    meta_place = place
    passages: list[tuple[str, dict[str, Any]]] = []
    coverage: list[tuple[str, dict[str, Any]]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{place}:{number}"
        record = _object(line, where)
        kind = record.get("type")
        if not isinstance(kind, str):
            raise InputError(f"{where}: a record without a 'type'; {_HINT}")
        if meta is None and kind != "meta":
            raise InputError(f"{where}: expected the 'meta' line first, got {kind!r}; {_HINT}")
        if kind == "meta":
            if meta is not None:
                raise InputError(f"{where}: a second 'meta' line (first at {meta_place})")
            meta, meta_place = record, where
        elif kind == "passage":
            passages.append((where, record))
        elif kind == "coverage":
            coverage.append((where, record))
        # Other record types (from a later dedup) are left alone.
    assert meta is not None  # the first non-blank line was checked to be a meta line
    params, version = _params(meta, meta_place), _str(meta, "version", meta_place)
    stats = _mapping(meta, "stats", int, meta_place)
    inputs = meta.get("inputs", [])
    if not isinstance(inputs, list) or not all(isinstance(x, str) for x in inputs):
        raise InputError(f"{meta_place}: 'inputs' must be a list of strings")
    articles: dict[str, Article] = {}
    covs: list[Coverage] = []
    for where, record in coverage:
        cov, article = _coverage(record, where)
        if article.id in articles:
            raise InputError(f"{where}: a second 'coverage' line for {article.id!r}")
        articles[article.id] = article
        covs.append(cov)
    texts = {k: a.text for k, a in articles.items()}
    report = Report(
        tuple(_passage(record, where, texts) for where, record in passages),
        tuple(covs),
        params,
        version,
        tuple(stats.items()),
    )
    return Results(report, tuple(articles.values()), tuple(inputs), "scan")


def _read_comparison(record: dict[str, Any], place: str) -> Results:
    """Rebuild the result of ``compare`` from its JSON object."""
    params, version = _params(record, place), _str(record, "version", place)
    a_name, b_name = _str(record, "a", place), _str(record, "b", place)
    sides: list[tuple[Coverage, Article]] = []
    for key in ("a_coverage", "b_coverage"):
        value = record.get(key)
        if not isinstance(value, dict):
            raise InputError(f"{place}: {key!r} must be an object, got {_json_type(value)}")
        sides.append(_coverage(value, f"{place}: {key}"))
    (a_cov, a), (b_cov, b) = sides
    raw = record.get("passages")
    if not isinstance(raw, list):
        raise InputError(f"{place}: 'passages' must be an array, got {_json_type(raw)}")
    texts = {a_name: a.text, b_name: b.text}
    passages = []
    for n, item in enumerate(raw):
        where = f"{place}: passages[{n}]"
        if not isinstance(item, dict):
            raise InputError(f"{where}: expected an object, got {_json_type(item)}")
        p = _passage(item, where, texts)
        if (p.a_id, p.b_id) != (a_name, b_name):
            raise InputError(f"{where}: expected ids {a_name!r} and {b_name!r}")
        passages.append(dataclasses.replace(p, a_id="a", b_id="b"))
    internal = (
        dataclasses.replace(a_cov, id="a", by_article=tuple(("b", v) for _, v in a_cov.by_article)),
        dataclasses.replace(b_cov, id="b", by_article=tuple(("a", v) for _, v in b_cov.by_article)),
    )
    c = Comparison(tuple(passages), *internal, params, version)
    return comparison_results(
        c, dataclasses.replace(a, id=a_name), dataclasses.replace(b, id=b_name)
    )


def _object(line: str, where: str) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as e:
        raise InputError(f"{where}: not valid JSON ({e.msg}, column {e.colno}); {_HINT}") from e
    if not isinstance(record, dict):
        raise InputError(f"{where}: expected a JSON object, got {_json_type(record)}; {_HINT}")
    return record


def _str(record: dict[str, Any], name: str, where: str) -> str:
    value = record.get(name)
    if not isinstance(value, str):
        raise InputError(f"{where}: {name!r} must be a string, got {_json_type(value)}")
    return value


def _optional_str(record: dict[str, Any], name: str, where: str) -> str | None:
    value = record.get(name)
    if value is not None and not isinstance(value, str):
        raise InputError(f"{where}: {name!r} must be a string or null, got {_json_type(value)}")
    return value


def _int(record: dict[str, Any], name: str, where: str) -> int:
    value = record.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise InputError(f"{where}: {name!r} must be a whole number >= 0, got {value!r}")
    return value


def _share(record: dict[str, Any], name: str, where: str) -> float:
    value = record.get(name)
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= 1:
        raise InputError(f"{where}: {name!r} must be a number between 0 and 1, got {value!r}")
    return float(value)


def _mapping(record: dict[str, Any], name: str, kind: type, where: str) -> dict[str, Any]:
    value = record.get(name, {})
    ok = isinstance(value, dict) and all(
        isinstance(v, kind) and not isinstance(v, bool) for v in value.values()
    )
    if not ok:
        raise InputError(f"{where}: {name!r} must be an object of {kind.__name__} values")
    return dict(value)


def _params(record: dict[str, Any], where: str) -> Params:
    raw = record.get("params")
    if not isinstance(raw, dict):
        raise InputError(f"{where}: 'params' must be an object, got {_json_type(raw)}")
    known = {f.name for f in fields(Params)}
    try:
        # Parameters this dedup does not know (from a later version) are left out.
        return Params(**{k: v for k, v in raw.items() if k in known})
    except (DedupError, TypeError) as e:
        raise InputError(f"{where}: bad 'params': {e}") from e


def _coverage(record: dict[str, Any], where: str) -> tuple[Coverage, Article]:
    article_id = _str(record, "id", where)
    text = record.get("text")
    if not isinstance(text, str):
        raise InputError(f"{where}: article {article_id!r} {_NO_TEXT}")
    length = _int(record, "length", where)
    if length != len(text):
        raise InputError(
            f"{where}: 'length' is {length} but the text of {article_id!r} has {len(text)} "
            "characters"
        )
    extra = {name: _optional_str(record, name, where) for name in OPTIONAL_FIELDS}
    by_article = _mapping(record, "by_article", float, where) if record.get("by_article") else {}
    if not all(0 <= v <= 1 for v in by_article.values()):
        raise InputError(f"{where}: 'by_article' shares must be between 0 and 1")
    cov = Coverage(
        article_id,
        length,
        _int(record, "reused_chars", where),
        _share(record, "share", where),
        tuple((k, float(v)) for k, v in by_article.items()),
    )
    return cov, Article(article_id, text, **extra)


def _passage(record: dict[str, Any], where: str, texts: dict[str, str]) -> Passage:
    ends = {}
    for side in ("a", "b"):
        article_id = _str(record, f"{side}_id", where)
        if article_id not in texts:
            raise InputError(f"{where}: {side}_id {article_id!r} is not an article of the results")
        start, end = _int(record, f"{side}_start", where), _int(record, f"{side}_end", where)
        text = texts[article_id]
        if not start <= end <= len(text):
            raise InputError(
                f"{where}: [{start}:{end}] does not fit the {len(text)} characters of "
                f"{article_id!r}"
            )
        snippet = record.get(f"{side}_snippet")
        if snippet is not None and snippet != text[start:end]:
            raise InputError(
                f"{where}: {side}_snippet is not the text of {article_id!r} at [{start}:{end}]; "
                "were the results edited?"
            )
        ends[side] = (article_id, start, end)
    kind = record.get("kind")
    if kind not in KINDS:
        raise InputError(f"{where}: 'kind' must be one of {', '.join(KINDS)}, got {kind!r}")
    pairs = record.get("sentence_pairs", 1)
    if not isinstance(pairs, int) or isinstance(pairs, bool) or pairs < 1:
        raise InputError(f"{where}: 'sentence_pairs' must be a whole number >= 1, got {pairs!r}")
    quoted = _share(record, "quoted", where) if "quoted" in record else 0.0
    return Passage(*ends["a"], *ends["b"], _share(record, "score", where), kind, pairs, quoted)

"""Reading saved results back (``dedup scan`` JSONL, ``dedup compare --format json``).

``read_results`` checks every record (fields, types, offsets that fit the texts, snippets that
are the text at their offsets) and rebuilds the report and its articles, so that a report can
be made again without the inputs.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, TextIO

from .encodings import read_stream, read_text_file
from .errors import DedupError, InputError
from .inputs import OPTIONAL_FIELDS, STDIN, json_type
from .model import KINDS, Article, Comparison, Coverage, Params, Passage, Report, Shares


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
            x, id=names[x.id], by_article=Shares((names[k], v) for k, v in x.by_article.items())
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
    >>> from dedup.outputs import comparison_record
    >>> record = comparison_record(c, "One", "Two", a_id="x.txt", b_id="y.txt")
    >>> results = read_results("-", stdin=StringIO(json.dumps(record)))
    >>> [(a.id, a.text) for a in results.articles], results.origin
    ([('x.txt', 'One'), ('y.txt', 'Two')], 'compare')
    """
    if str(path) == STDIN:
        place = "<stdin>"
        text = read_stream(stdin if stdin is not None else sys.stdin)
    else:
        place = str(path)
        if not Path(path).is_file():
            raise InputError(f"{place}: no such file")
        text = read_text_file(Path(path))
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
        _weights(meta),
    )
    return Results(report, tuple(articles.values()), tuple(inputs), "scan")


def _weights(record: dict[str, Any]) -> str:
    """The weights' source of a result (before they were recorded: uniform)."""
    value = record.get("weights")
    return value if isinstance(value, str) else "uniform"


def _read_comparison(record: dict[str, Any], place: str) -> Results:
    """Rebuild the result of ``compare`` from its JSON object."""
    params, version = _params(record, place), _str(record, "version", place)
    a_name, b_name = _str(record, "a", place), _str(record, "b", place)
    sides: list[tuple[Coverage, Article]] = []
    for key in ("a_coverage", "b_coverage"):
        value = record.get(key)
        if not isinstance(value, dict):
            raise InputError(f"{place}: {key!r} must be an object, got {json_type(value)}")
        sides.append(_coverage(value, f"{place}: {key}"))
    (a_cov, a), (b_cov, b) = sides
    raw = record.get("passages")
    if not isinstance(raw, list):
        raise InputError(f"{place}: 'passages' must be an array, got {json_type(raw)}")
    texts = {a_name: a.text, b_name: b.text}
    passages = []
    for n, item in enumerate(raw):
        where = f"{place}: passages[{n}]"
        if not isinstance(item, dict):
            raise InputError(f"{where}: expected an object, got {json_type(item)}")
        p = _passage(item, where, texts)
        if (p.a_id, p.b_id) != (a_name, b_name):
            raise InputError(f"{where}: expected ids {a_name!r} and {b_name!r}")
        passages.append(dataclasses.replace(p, a_id="a", b_id="b"))
    internal = (
        dataclasses.replace(
            a_cov, id="a", by_article=Shares(("b", v) for v in a_cov.by_article.values())
        ),
        dataclasses.replace(
            b_cov, id="b", by_article=Shares(("a", v) for v in b_cov.by_article.values())
        ),
    )
    c = Comparison(tuple(passages), *internal, params, version, _weights(record))
    return comparison_results(
        c, dataclasses.replace(a, id=a_name), dataclasses.replace(b, id=b_name)
    )


def _object(line: str, where: str) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as e:
        raise InputError(f"{where}: not valid JSON ({e.msg}, column {e.colno}); {_HINT}") from e
    if not isinstance(record, dict):
        raise InputError(f"{where}: expected a JSON object, got {json_type(record)}; {_HINT}")
    return record


def _str(record: dict[str, Any], name: str, where: str) -> str:
    value = record.get(name)
    if not isinstance(value, str):
        raise InputError(f"{where}: {name!r} must be a string, got {json_type(value)}")
    return value


def _optional_str(record: dict[str, Any], name: str, where: str) -> str | None:
    value = record.get(name)
    if value is not None and not isinstance(value, str):
        raise InputError(f"{where}: {name!r} must be a string or null, got {json_type(value)}")
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
        raise InputError(f"{where}: 'params' must be an object, got {json_type(raw)}")
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
        Shares((k, float(v)) for k, v in by_article.items()),
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

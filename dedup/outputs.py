"""Writing results: a scan or a comparison as JSONL, CSV, JSON or text for people.

Writers turn a ``Report`` or ``Comparison`` into records whose snippets are exactly
``text[start:end]``. The JSONL output of a scan starts with a ``meta`` line (dedup version,
parameters and counts), then one ``passage`` line per passage, then one ``coverage`` line per
article, so every result carries the version and parameters that produced it.
"""

from __future__ import annotations

import csv
import json
import textwrap
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import fields
from typing import Any, TextIO

from .clusters import Cluster, Member, find_clusters
from .model import KINDS, MAX_BUCKET, MAX_PARTNERS, Article, Comparison, Coverage, Passage, Report
from .shingle import HASH_SCHEME

PASSAGE_FIELDS = (*(f.name for f in fields(Passage)), "a_snippet", "b_snippet")
# A scan's CSV rows: the passage, and the reuse cluster it links to its origin (or empty).
CSV_FIELDS = (*PASSAGE_FIELDS, "cluster", "cluster_origin")


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

    >>> from dedup.model import Shares
    >>> c = Coverage("a", 8, 4, 0.5, Shares([("b", 0.5)]))
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
        "weights": c.weights,
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
    from .index import bands_rows  # datasketch's choice, made when a scan is written

    by_id = {a.id: a for a in articles}
    bands, rows = bands_rows(report.params)
    meta = {
        "type": "meta",
        "version": report.version,
        "params": report.params.to_dict(),
        "weights": report.weights,  # where the stems' weights came from (dedup.weights)
        "hash_scheme": HASH_SCHEME,  # datasketch's MinHash scheme of the signatures
        "lsh": {"bands": bands, "rows": rows},
        "stats": dict(report.stats),
        "inputs": list(inputs),
    }
    out.write(_dumps(meta) + "\n")
    for p in report.passages:
        record = passage_record(p, by_id[p.a_id].text, by_id[p.b_id].text)
        out.write(_dumps({"type": "passage", **record}) + "\n")
    for n, cluster in enumerate(find_clusters(list(by_id.values()), report.passages), start=1):
        out.write(_dumps({"type": "cluster", **cluster_record(n, cluster, by_id)}) + "\n")
    for c in report.coverage:
        record = coverage_record(c, by_id.get(c.id))
        out.write(_dumps({"type": "coverage", **record}) + "\n")


def cluster_record(n: int, c: Cluster, articles: dict[str, Article]) -> dict[str, Any]:
    """A cluster as a JSON-ready dict: its number, origin, members and the origin's text."""
    origin = c.origin
    return {
        "cluster": n,
        "origin": origin.id,
        "articles": c.articles,
        "passages": c.passages,
        "members": [
            {"id": m.id, "start": m.start, "end": m.end, "date": m.date} for m in c.members
        ],
        "snippet": articles[origin.id].text[origin.start : origin.end],
    }


def write_scan_csv(report: Report, articles: Iterable[Article], out: TextIO) -> None:
    """Write a scan's passages as CSV with a header row (``CSV_FIELDS``).

    Each row is a passage (the fields of ``passage_record``) and, for a passage that links a
    member of a reuse cluster to its origin, the cluster's number (as in the JSONL output's
    ``cluster`` records) and origin article; both are empty for other passages. Open ``out``
    with ``newline=""``, as the csv module asks.
    """
    docs = list(articles)
    texts = _texts(docs)
    cluster_of: dict[int, tuple[int, str]] = {}
    for n, cluster in enumerate(find_clusters(docs, report.passages), start=1):
        cluster_of.update(dict.fromkeys(cluster.linking, (n, cluster.origin.id)))
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS)
    writer.writeheader()
    for k, p in enumerate(report.passages):
        number, origin = cluster_of.get(k, ("", ""))
        record = passage_record(p, texts[p.a_id], texts[p.b_id])
        writer.writerow({**record, "cluster": number, "cluster_origin": origin})


def _snippet(text: str, indent: str = "      ") -> str:
    """Return a snippet on wrapped, indented lines, its whitespace runs shown as one space."""
    flat = " ".join(text.split())
    return textwrap.fill(flat, width=100, initial_indent=indent, subsequent_indent=indent)


def _passage_text(n: int, p: Passage, a_text: str, b_text: str, a_id: str, b_id: str) -> str:
    return "\n".join(
        (
            f"#{n} {p.kind}  score {p.score:.3f}  ({plural(p.sentence_pairs, 'sentence pair')})"
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
        parts = ", ".join(f"{(names or {}).get(k, k)} {v:.1%}" for k, v in c.by_article.items())
        line += f"; with {parts}"
    return line


def write_scan_text(report: Report, articles: Iterable[Article], out: TextIO) -> None:
    """Write a scan for people to read: each passage with its snippets, clusters, coverage."""
    docs = list(articles)
    texts = _texts(docs)
    out.write(f"dedup {report.version}: {scan_summary(report)}\n")
    for n, p in enumerate(report.passages, start=1):
        out.write("\n" + _passage_text(n, p, texts[p.a_id], texts[p.b_id], p.a_id, p.b_id) + "\n")
    found = find_clusters(docs, report.passages)
    if found:
        out.write("\nClusters (text that three or more pieces share; the origin first):\n")
    for n, cluster in enumerate(found, start=1):
        origin = cluster.origin
        out.write(
            f"  cluster {n}: {plural(cluster.articles, 'article')}, origin {origin.id} "
            f"[{origin.start}:{origin.end}]{_dated(origin)}\n"
        )
        out.write(_snippet(texts[origin.id][origin.start : origin.end], "      ") + "\n")
        for m in cluster.members[1:]:
            out.write(f"    {m.id} [{m.start}:{m.end}]{_dated(m)}\n")
    out.write("\nCoverage:\n")
    for c in report.coverage:
        out.write(_coverage_text(c, c.id) + "\n")


def _dated(m: Member) -> str:
    return f" ({m.date})" if m.date else ""


def write_comparison_text(
    c: Comparison, a_text: str, b_text: str, out: TextIO, *, a_id: str = "a", b_id: str = "b"
) -> None:
    """Write the result of ``compare`` for people to read; ``a_id``/``b_id`` name the texts."""
    out.write(f"dedup {c.version}: {plural(len(c.passages), 'passage')} of {a_id} in {b_id}\n")
    for n, p in enumerate(c.passages, start=1):
        out.write("\n" + _passage_text(n, p, a_text, b_text, a_id, b_id) + "\n")
    names = {"a": a_id, "b": b_id}
    out.write("\nCoverage:\n")
    out.write(_coverage_text(c.a_coverage, a_id, names) + "\n")
    out.write(_coverage_text(c.b_coverage, b_id, names) + "\n")


def plural(n: int, word: str) -> str:
    """``n`` and ``word``, with an "s" unless ``n`` is 1: "1 passage", "2 passages"."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def scan_summary(report: Report) -> str:
    """Return a one-line summary of a scan.

    >>> from dedup.model import DEFAULT_PARAMS
    >>> p = Passage("a", 0, 50, "b", 0, 50, 1.0, "verbatim")
    >>> cov = (Coverage("a", 100, 50, 0.5), Coverage("b", 50, 50, 1.0), Coverage("c", 9, 0, 0.0))
    >>> stats = (("articles", 3), ("sentences", 12))
    >>> scan_summary(Report((p,), cov, DEFAULT_PARAMS, "0.1.0", stats))
    '3 articles, 12 sentences, 1 passage (1 verbatim), 2 articles with reuse'

    A limit that left candidates out is said at the end (``dedup.model.MAX_BUCKET``,
    ``MAX_PARTNERS``).
    """
    stats = dict(report.stats)
    kinds = Counter(p.kind for p in report.passages)
    parts = [
        plural(stats.get("articles", len(report.coverage)), "article"),
        plural(stats.get("sentences", 0), "sentence"),
        plural(len(report.passages), "passage"),
    ]
    if kinds:
        order = sorted(kinds, key=lambda k: (-kinds[k], KINDS.index(k)))
        parts[-1] += " (" + ", ".join(f"{kinds[k]} {k}" for k in order) + ")"
    reused = sum(1 for c in report.coverage if c.reused_chars)
    parts.append(plural(reused, "article") + " with reuse")
    line = ", ".join(parts)
    if stats.get("capped_buckets"):
        line += (
            f"; {plural(stats['capped_buckets'], 'band bucket')} of more than {MAX_BUCKET} "
            f"distinct sentences paired through their first sentence only "
            f"({plural(stats.get('capped_sentences', 0), 'sentence')})"
        )
    if stats.get("pruned_candidates"):
        line += (
            f"; {plural(stats['pruned_candidates'], 'candidate pair')} beyond a sentence's "
            f"{MAX_PARTNERS} closest in one article left out"
        )
    return line

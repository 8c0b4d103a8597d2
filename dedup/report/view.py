r"""The data of the HTML report, built from a ``Report`` apart from rendering (``html.py``).

``build_view`` turns a report and its articles into frozen view records: provenance, the
articles ranked by reused share, the article pairs ranked by coverage, a histogram of passage
scores, and the data the page's script needs, as one JSON block.

Large results. Only the top ``max_rows`` articles and pairs are rendered as HTML; the rest, and
every side-by-side view, are built by the page's script from the JSON block when they are asked
for (a pair's view only when it is opened), so a report of 10,000 articles opens in about a
second, its size being mostly the texts themselves.

The JSON block is escaped for a ``<script>`` element: ``<``, ``>``, ``&``, U+2028 and U+2029
become ``\uXXXX`` escapes, so no text can close the element or start markup; the script reads
it with ``JSON.parse`` and puts texts into the page as text nodes only.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..model import KINDS, Article, Passage, Report
from .check_rows import CheckView
from .cluster_view import ClusterRow, cluster_rows

MAX_ROWS = 100  # articles and pairs rendered as HTML; the page's script renders the rest
BINS = 20  # histogram bins over scores 0-1
_CHART_WIDTH, _CHART_HEIGHT = 400, 120

_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """An article in the ranking: ``index`` is its position in the input (and in the data)."""

    index: int
    id: str
    source: str | None
    date: str | None
    length: int
    reused_chars: int
    share: float
    share_text: str
    pairs: int
    group: str | None = None  # in a check report: "checked" or "index"


@dataclass(frozen=True, slots=True)
class PairRow:
    """Two articles that share passages (``a == b``: reuse inside one article).

    ``a_share``/``b_share`` are the shares of each article inside the pair's passages;
    ``counts`` gives the passages per kind, in the order of ``dedup.model.KINDS``.
    """

    index: int
    a: int
    b: int
    a_id: str
    b_id: str
    passages: int
    a_share: float
    b_share: float
    a_share_text: str
    b_share_text: str
    counts: tuple[int, ...]

    @property
    def within(self) -> bool:
        """True for reuse inside one article."""
        return self.a == self.b


@dataclass(frozen=True, slots=True)
class Bar:
    """One kind's part of a histogram bin, with its place in the chart (SVG units)."""

    low: float
    high: float
    kind: str
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True, slots=True)
class ReportView:
    """Everything the template shows.

    ``data`` is the JSON block for the script, already escaped for a ``<script>`` element (see
    above), so the template may put it in the page as it is.
    """

    title: str
    version: str
    generated: str
    origin: str
    inputs: tuple[str, ...]
    notes: tuple[tuple[str, str], ...]
    params: tuple[tuple[str, str], ...]
    kinds: tuple[str, ...]
    kind_totals: tuple[tuple[str, int], ...]
    n_articles: int
    n_reused: int
    n_passages: int
    n_pairs: int
    longest: int
    articles: tuple[ArticleRow, ...]
    pairs: tuple[PairRow, ...]
    bars: tuple[Bar, ...]
    bins: int
    max_bin: int
    chart_width: int
    chart_height: int
    max_rows: int
    data: str
    check: CheckView | None = None
    n_checked: int = 0
    clusters: tuple[ClusterRow, ...] = ()
    n_clusters: int = 0


def percent(share: float) -> str:
    """Format a share as a percentage with one decimal, rounding halves up (as the page does).

    >>> percent(0.12345), percent(1.0), percent(0.0)
    ('12.3%', '100.0%', '0.0%')
    """
    exact = Decimal(share * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{exact}%"


def _union(spans: Iterable[tuple[int, int]]) -> int:
    total, reach = 0, -1
    for start, end in sorted(spans):
        if end > reach:
            total += end - max(start, reach)
            reach = end
    return total


def _pair_rows(
    passages: Sequence[Passage], position: dict[str, int], lengths: list[int], ids: list[str]
) -> tuple[list[PairRow], list[list[int]]]:
    """Group passages by article pair; rank pairs by their larger coverage, then size."""
    groups: dict[tuple[int, int], list[int]] = defaultdict(list)
    for n, p in enumerate(passages):
        groups[(position[p.a_id], position[p.b_id])].append(n)
    rows = []
    for (a, b), members in groups.items():
        a_spans = [(passages[n].a_start, passages[n].a_end) for n in members]
        b_spans = [(passages[n].b_start, passages[n].b_end) for n in members]
        if a == b:
            a_share = b_share = _union(a_spans + b_spans) / lengths[a] if lengths[a] else 0.0
        else:
            a_share = _union(a_spans) / lengths[a] if lengths[a] else 0.0
            b_share = _union(b_spans) / lengths[b] if lengths[b] else 0.0
        counts = tuple(sum(passages[n].kind == k for n in members) for k in KINDS)
        rows.append((a, b, members, a_share, b_share, counts))
    rows.sort(key=lambda r: (-max(r[3], r[4]), -len(r[2]), r[0], r[1]))
    out = [
        PairRow(i, a, b, ids[a], ids[b], len(m), sa, sb, percent(sa), percent(sb), counts)
        for i, (a, b, m, sa, sb, counts) in enumerate(rows)
    ]
    return out, [r[2] for r in rows]


def _bars(passages: Sequence[Passage]) -> tuple[list[Bar], int]:
    """A histogram of scores, stacked by kind, as SVG rectangles."""
    counts = [[0] * len(KINDS) for _ in range(BINS)]
    for p in passages:
        counts[min(int(p.score * BINS), BINS - 1)][KINDS.index(p.kind)] += 1
    top = max((sum(c) for c in counts), default=0)
    bars = []
    width = _CHART_WIDTH / BINS
    for i, row in enumerate(counts):
        y = float(_CHART_HEIGHT)
        for kind, count in zip(KINDS, row, strict=True):
            if not count:
                continue
            height = count / top * _CHART_HEIGHT
            y -= height
            bars.append(
                Bar(i / BINS, (i + 1) / BINS, kind, count, i * width + 1, y, width - 2, height)
            )
    return bars, top


def _json_block(data: dict[str, Any]) -> str:
    """Serialise the data for a ``<script type="application/json">`` element.

    One record a line (diffs of golden files stay readable); the characters that could end
    the element or confuse an HTML parser are escaped as JSON allows.
    """

    def dumps(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    parts = []
    for key, value in data.items():
        if isinstance(value, list):
            body = ",\n".join(dumps(item) for item in value)
            parts.append(f"{dumps(key)}:[\n{body}\n]")
        else:
            parts.append(f"{dumps(key)}:{dumps(value)}")
    text = "{" + ",\n".join(parts) + "}"
    for char, escape in _JSON_ESCAPES.items():
        text = text.replace(char, escape)
    return text


def _web_url(url: str | None) -> str | None:
    """Keep only http(s) links, so that a ``javascript:`` url cannot become a link."""
    if url and url.lower().startswith(("http://", "https://")):
        return url
    return None


def article_order(report: Report, articles: Iterable[Article]) -> list[Article]:
    """The articles in the order of the page's data: those with coverage first, as in it."""
    by_id = {a.id: a for a in articles}
    order = [c.id for c in report.coverage if c.id in by_id]
    listed = set(order)
    order += [k for k in by_id if k not in listed]  # articles without a coverage record
    return [by_id[k] for k in order]


def build_view(
    report: Report,
    articles: Iterable[Article],
    *,
    inputs: Sequence[str] = (),
    notes: Sequence[tuple[str, str]] = (),
    origin: str = "scan",
    generated: str | None = None,
    title: str | None = None,
    max_rows: int = MAX_ROWS,
    check: CheckView | None = None,
) -> ReportView:
    """Build the data of a report page from a scan (or comparison) and its articles.

    Args:
        report: the result of ``scan`` (or a comparison as a report, see
            ``dedup.results.comparison_results``).
        articles: the articles of the report, with their full texts.
        inputs: what the results were made from, shown as provenance.
        notes: more provenance, as (label, value) pairs (an index's fingerprint, say).
        origin: the command that made the results (``scan``, ``compare``, ``check``).
        generated: when the report was made (ISO 8601); now, in UTC, when not given.
        title: the page title; one naming the inputs when not given.
        max_rows: articles and pairs rendered as HTML; the page's script shows the rest.
        check: the verdicts of a check (``dedup.report.checks.check_view``): shown first, and
            the checked articles listed apart from the indexed ones.

    Returns:
        The view: frozen records for the template and the JSON block for the script.

    Raises:
        KeyError: a passage or coverage names an article that is not in ``articles``.
    """
    inputs_order = list(articles)
    docs = article_order(report, inputs_order)
    order = [a.id for a in docs]
    position = {a.id: n for n, a in enumerate(docs)}
    lengths = [len(a.text) for a in docs]
    cov = {c.id: c for c in report.coverage}
    pairs, members = _pair_rows(report.passages, position, lengths, order)
    partners: dict[int, set[int]] = defaultdict(set)
    for row in pairs:
        partners[row.a].add(row.b)
        partners[row.b].add(row.a)
    shares = [cov[a.id].share if a.id in cov else 0.0 for a in docs]
    reused = [cov[a.id].reused_chars if a.id in cov else 0 for a in docs]
    checked = check.ids if check else frozenset()
    groups = [None if check is None else "checked" if a.id in checked else "index" for a in docs]
    ranked = [
        ArticleRow(
            n,
            a.id,
            a.source,
            a.date,
            lengths[n],
            reused[n],
            shares[n],
            percent(shares[n]),
            len(partners[n] - {n}),
            groups[n],
        )
        for n, a in enumerate(docs)
    ]
    ranked.sort(key=lambda r: (r.group == "index", -r.share, r.index))
    bars, top = _bars(report.passages)
    kinds = {k: n for n, k in enumerate(KINDS)}
    data = {
        "version": report.version,
        "kinds": list(KINDS),
        "rows": max_rows,
        "articles": [
            [a.id, a.source, a.date, _web_url(a.url), lengths[n], shares[n], reused[n], a.text]
            for n, a in enumerate(docs)
        ],
        "passages": [
            [
                position[p.a_id],
                p.a_start,
                p.a_end,
                position[p.b_id],
                p.b_start,
                p.b_end,
                p.score,
                kinds[p.kind],
                p.sentence_pairs,
                p.quoted,
            ]
            for p in report.passages
        ],
        "pairs": [[r.a, r.b, m] for r, m in zip(pairs, members, strict=True)],
    }
    if check is not None:
        data["checked"] = [
            [v.index, v.passed, v.counted, v.reported, list(v.broken)] for v in check.rows
        ]
    counts = tuple(sum(p.kind == k for p in report.passages) for k in KINDS)
    pair_index = {(r.a, r.b): r.index for r in pairs}
    clusters = cluster_rows(inputs_order, report.passages, position, pair_index)
    if title is None:
        title = "dedup report" + (f": {', '.join(inputs)}" if inputs else "")
    return ReportView(
        title=title,
        version=report.version,
        generated=generated or datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        origin=origin,
        inputs=tuple(inputs),
        notes=tuple(notes),
        params=tuple((k, json.dumps(v)) for k, v in report.params.to_dict().items()),
        kinds=KINDS,
        kind_totals=tuple(zip(KINDS, counts, strict=True)),
        n_articles=len(docs),
        n_reused=sum(1 for r in ranked if r.reused_chars),
        n_passages=len(report.passages),
        n_pairs=len(pairs),
        longest=max(
            (min(p.a_end - p.a_start, p.b_end - p.b_start) for p in report.passages), default=0
        ),
        articles=tuple(ranked[:max_rows]),
        pairs=tuple(pairs[:max_rows]),
        bars=tuple(bars),
        bins=BINS,
        max_bin=top,
        chart_width=_CHART_WIDTH,
        chart_height=_CHART_HEIGHT,
        max_rows=max_rows,
        data=_json_block(data),
        check=check,
        n_checked=len(checked),
        clusters=tuple(clusters[:max_rows]),
        n_clusters=len(clusters),
    )

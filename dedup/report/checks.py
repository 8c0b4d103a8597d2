"""The results of ``dedup check`` as a report: verdicts, then new articles next to old ones.

``check_results`` turns each finding into a passage between the new article (side A) and the
indexed or other new article it reuses (side B); a passage between two new articles, which the
check reports for both, is kept once. Coverage there is the share of each article inside any
passage, counted or not. ``check_view`` builds the verdict table that heads the page: one row
per checked article, with its counted and reported coverage, the budgets and which it broke.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ..model import Article, Passage, Report
from ..results import Results
from ..stages import coverage
from ..verdicts import CheckResult, Verdict
from .check_rows import CheckView, VerdictRow
from .view import article_order, percent


def check_results(
    result: CheckResult,
    articles: Sequence[Article],
    indexed: Sequence[Article],
    *,
    inputs: Sequence[str] = (),
) -> Results:
    """Return a check's findings as ``Results`` that ``render_html`` can show.

    Args:
        result: the result of ``Index.check``.
        articles: the new articles that were checked, with their texts.
        indexed: the indexed articles that findings point to, with their texts (an indexed
            article whose id is also a new one's is shown as ``ID (index)``).
        inputs: what the new articles were read from.

    Returns:
        The new articles first (in input order), then the indexed ones; findings whose
        indexed article is not in ``indexed`` are left out.
    """
    new = {a.id: a for a in articles}
    order = {a.id: n for n, a in enumerate(articles)}
    renamed = {a.id: f"{a.id} (index)" if a.id in new else a.id for a in indexed}
    old = {renamed[a.id]: Article(renamed[a.id], a.text, a.source, a.date, a.url) for a in indexed}
    seen: set[tuple[str, int, int, str, int, int]] = set()
    passages: list[Passage] = []
    used: list[str] = []
    for verdict in result.verdicts:
        for f in verdict.findings:
            a_end = (f.article_id, f.start, f.end)
            if f.in_index:
                other = renamed.get(f.other_id)
                if other is None:
                    continue
                b_end = (other, f.other_start, f.other_end)
                if other not in used:
                    used.append(other)
            elif f.other_id in new:
                b_end = (f.other_id, f.other_start, f.other_end)
                if order[f.other_id] < order[f.article_id]:
                    a_end, b_end = b_end, a_end
            else:
                continue
            key = (*a_end, *b_end)
            if key not in seen:
                seen.add(key)
                passages.append(
                    Passage(*a_end, *b_end, f.score, f.kind, f.sentence_pairs, f.quoted)
                )
    docs = [*articles, *(old[k] for k in used)]
    position = {a.id: n for n, a in enumerate(docs)}
    passages.sort(key=lambda p: (position[p.a_id], position[p.b_id], p.a_start, p.b_start))
    report = Report(
        tuple(passages),
        tuple(coverage(a, passages) for a in docs),
        result.params,
        result.version,
        result.stats,
    )
    return Results(report, tuple(docs), tuple(inputs), "check")


def check_view(result: CheckResult, results: Results) -> CheckView:
    """Build the verdict table of a check report.

    Args:
        result: the result of ``Index.check``.
        results: what ``check_results`` made of it (the page's articles and passages).

    Returns:
        One row per verdict, in input order, linking to the article's place in the page.
    """
    docs = article_order(results.report, results.articles)
    position = {a.id: n for n, a in enumerate(docs)}
    policy = result.policy
    rows = tuple(_row(v, position[v.id], policy.max_coverage, policy.max_source_coverage)
                 for v in result.verdicts)  # fmt: skip
    failed = sum(1 for v in result.verdicts if not v.passed)
    return CheckView(
        rows,
        policy.max_coverage,
        percent(policy.max_coverage),
        policy.max_source_coverage,
        percent(policy.max_source_coverage),
        len(rows) - failed,
        failed,
    )


def _row(v: Verdict, index: int, max_coverage: float, max_source: float) -> VerdictRow:
    """One verdict as a row; the budgets broken are found by the check's own rule."""
    counted = v.coverage.share
    by_article = v.coverage.by_article  # largest first
    top_id, top_share = next(iter(by_article.items()), (None, 0.0))
    # The rule of dedup.check: a budget is broken when a counted share is above it.
    broken = ["max coverage"] if counted > max_coverage else []
    broken += [f"max from one article: {o}" for o, s in by_article.items() if s > max_source]
    excuses = Counter(f.excused for f in v.findings if f.excused is not None)
    excused = sum(excuses.values())
    return VerdictRow(
        index, v.id, v.passed, "PASS" if v.passed else "FAIL",
        counted, percent(counted), v.reported, percent(v.reported),
        top_id, top_share, percent(top_share), tuple(broken), v.over,
        len(v.findings) - excused, excused, tuple(sorted(excuses.items())),
    )  # fmt: skip

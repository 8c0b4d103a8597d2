"""The results of ``dedup check`` as a report: new articles next to the articles they reuse.

Each finding becomes a passage between the new article (side A) and the indexed or other new
article it reuses (side B); a passage between two new articles, which the check reports for
both, is kept once. Coverage is the share of each article inside any passage, counted or not
(the verdicts, with the budgets, are in the check's own output).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Article, Passage, Report
from ..pipeline import coverage
from ..results import Results
from ..verdicts import CheckResult


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

"""The records of a check report's verdict table (``dedup.report.checks`` builds them)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class VerdictRow:
    """A checked article in the verdict table; ``index`` is its position in the page's data.

    Attributes:
        index: the article's position in the data (``#article=INDEX`` opens its passages).
        id: the article's id.
        passed: whether it is within both budgets.
        verdict: ``"PASS"`` or ``"FAIL"``.
        counted: the share of its text inside counted findings (what the budgets judge).
        reported: the share inside any finding, counted or not.
        top_id: the article it takes most from in counted findings, if any.
        top_share: the share of its text from ``top_id`` (0 when none).
        broken: the budgets it broke, as labels (``max coverage``, ``max from one article:
            ID``), in the order of the check's reasons (``Verdict.over``).
        reasons: the check's own words for each broken budget.
        counted_findings: the findings that count against the budgets.
        excused_findings: the findings reported but not counted.
        excuses: why those are not counted, as (reason, count) pairs.
    """

    index: int
    id: str
    passed: bool
    verdict: str
    counted: float
    counted_text: str
    reported: float
    reported_text: str
    top_id: str | None
    top_share: float
    top_share_text: str
    broken: tuple[str, ...]
    reasons: tuple[str, ...]
    counted_findings: int
    excused_findings: int
    excuses: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class CheckView:
    """The verdict table of a check report, with the budgets it was judged by."""

    rows: tuple[VerdictRow, ...]
    max_coverage: float
    max_coverage_text: str
    max_source_coverage: float
    max_source_coverage_text: str
    n_passed: int
    n_failed: int

    @property
    def ids(self) -> frozenset[str]:
        """The ids of the checked articles."""
        return frozenset(r.id for r in self.rows)

"""What a check decides: its policy, findings, verdicts, and the baseline of known findings.

Records and rules only, apart from how candidates are found (``dedup.check``): a ``Policy``
(budgets and what is not counted), a ``Finding`` per reused passage of a new article, a
``Verdict`` per article and a ``CheckResult``; allowlists and baseline files.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from .errors import ConfigError, InputError
from .model import QUOTED_ONLY, RESEMBLANCE, Article, Coverage, Kind, Params, Passage
from .normalize import words
from .stages import coverage

Excuse = Literal["resemblance", "same-source", "allowed", "baseline", "quoted"]
BaselineKey = tuple[str, str, str]  # (new article id, other article id, passage fingerprint)


@dataclass(frozen=True, slots=True)
class Policy:
    """What a check allows.

    Attributes:
        max_coverage: the largest share (0-1) of a new article that may be reused. 0.3 by
            default: a news article routinely repeats a background paragraph or a quote
            (10-20 % of its text); one that takes a third or more from elsewhere is mostly
            someone else's text.
        max_source_coverage: the largest share (0-1) that may come from any one article.
            0.2 by default, below ``max_coverage``: reuse spread over several articles is
            background, a fifth of one article's text taken from another is a rewrite.
        count_same_source: count reuse between articles of the same ``source`` (outlet);
            by default it is reported but not counted, as an outlet reuses its own text.
        allow: ids or sources whose reuse is reported but not counted (a licensed wire).
        baseline: known findings (``Finding.baseline_key``), reported but not counted.
        count_quotes: count passages that are shared quotes (``QUOTED_ONLY`` of them inside
            quotation marks on both sides); by default they are reported but not counted.
    """

    max_coverage: float = 0.3
    max_source_coverage: float = 0.2
    count_same_source: bool = False
    allow: frozenset[str] = frozenset()
    baseline: frozenset[BaselineKey] = frozenset()
    count_quotes: bool = False

    def __post_init__(self) -> None:
        for name in ("max_coverage", "max_source_coverage"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ConfigError(f"{name} must be between 0 and 1, got {value}")


DEFAULT_POLICY = Policy()


@dataclass(frozen=True, slots=True)
class Finding:
    """A passage of a new article (``start``/``end``) reused from another article.

    ``other_*`` describe the article it was reused from, indexed (``in_index``) or another new
    one. ``excused`` says why the passage does not count against the budgets, if it does not.
    ``others``: for text that many indexed articles print, about how many besides ``other_id``
    (the earliest of them) hold it; 0 otherwise.
    """

    article_id: str
    start: int
    end: int
    other_id: str
    other_start: int
    other_end: int
    other_source: str | None
    other_date: str | None
    other_url: str | None
    in_index: bool
    kind: Kind
    score: float
    sentence_pairs: int
    snippet: str
    other_snippet: str
    fingerprint: str
    excused: Excuse | None = None
    quoted: float = 0.0
    others: int = 0

    @property
    def counted(self) -> bool:
        """Whether the passage counts against the budgets."""
        return self.excused is None

    @property
    def baseline_key(self) -> BaselineKey:
        """What a baseline file records of this finding."""
        return (self.article_id, self.other_id, self.fingerprint)


@dataclass(frozen=True, slots=True)
class Verdict:
    """One new article's findings, its counted coverage, and why it is over budget, if it is.

    ``coverage`` counts only counted findings; ``reported`` is the share inside any finding.
    """

    id: str
    source: str | None
    length: int
    findings: tuple[Finding, ...]
    coverage: Coverage
    reported: float
    over: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        """Whether the article is within budget."""
        return not self.over


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The verdicts of a check, in input order, with what produced them."""

    verdicts: tuple[Verdict, ...]
    params: Params
    policy: Policy
    version: str
    stats: tuple[tuple[str, int], ...] = ()

    @property
    def passed(self) -> bool:
        """Whether every article is within budget."""
        return all(v.passed for v in self.verdicts)


def fingerprint(passage_text: str) -> str:
    r"""A short digest of a passage's words (spacing and case do not change it).

    >>> fingerprint("The  Mayor resigned.") == fingerprint("the mayor\nresigned")
    True
    """
    return hashlib.sha256(" ".join(words(passage_text)).encode("utf-8")).hexdigest()[:16]


def finding(
    article: Article,
    p: Passage,
    other_id: str,
    other_text: str,
    other_source: str | None,
    other_date: str | None,
    other_url: str | None,
    in_index: bool,
    policy: Policy,
) -> Finding:
    """A finding from a passage whose ``b`` side is the new article."""
    snippet = article.text[p.b_start : p.b_end]
    fp = fingerprint(snippet)
    excused: Excuse | None = None
    if p.kind in RESEMBLANCE:  # a template or boilerplate: reported on request, never reuse
        excused = "resemblance"
    elif not policy.count_same_source and article.source and article.source == other_source:
        excused = "same-source"
    elif other_id in policy.allow or (other_source is not None and other_source in policy.allow):
        excused = "allowed"
    elif (article.id, other_id, fp) in policy.baseline:
        excused = "baseline"
    elif p.quoted >= QUOTED_ONLY and not policy.count_quotes:
        excused = "quoted"
    return Finding(
        article.id, p.b_start, p.b_end, other_id, p.a_start, p.a_end,
        other_source, other_date, other_url, in_index, p.kind, p.score, p.sentence_pairs,
        snippet, other_text[p.a_start : p.a_end], fp, excused, p.quoted,
    )  # fmt: skip


def verdict(article: Article, findings: list[Finding], policy: Policy) -> Verdict:
    """The verdict on ``article`` from its findings (sorted in place by position)."""
    findings.sort(key=lambda f: (f.start, f.end, f.other_id, f.other_start))
    passages = [
        Passage(
            f.other_id, f.other_start, f.other_end, f.article_id, f.start, f.end, f.score, f.kind
        )
        for f in findings
    ]
    counted = coverage(article, [p for p, f in zip(passages, findings, strict=True) if f.counted])
    reported = coverage(article, passages).share
    over = []
    if counted.share > policy.max_coverage:
        over.append(f"reuses {counted.share:.1%} of its text (budget {policy.max_coverage:.0%})")
    others: dict[str, int] = {}
    for f in findings:
        if f.counted and f.others:
            others[f.other_id] = max(f.others, others.get(f.other_id, 0))
    for other, share in counted.by_article.items():
        if share > policy.max_source_coverage:
            held = (
                f", the earliest of {others[other] + 1:,} that hold it" if other in others else ""
            )
            over.append(
                f"takes {share:.1%} of its text from {other}{held} "
                f"(budget {policy.max_source_coverage:.0%})"
            )
    return Verdict(
        article.id, article.source, len(article.text), tuple(findings), counted, reported,
        tuple(over),
    )  # fmt: skip


def parse_allowlist(text: str) -> frozenset[str]:
    r"""Read an allowlist: one id or source a line; blank lines and ``#`` comments are skipped.

    >>> sorted(parse_allowlist("# licensed wires\nAP\nReuters  # since 2023\n\n"))
    ['AP', 'Reuters']
    """
    entries = (line.split(" #", 1)[0].strip() for line in text.splitlines())
    return frozenset(e for e in entries if e and not e.startswith("#"))


def dump_baseline(result: CheckResult) -> str:
    """Return a baseline (JSON) that makes every current finding pass."""
    keys = sorted({f.baseline_key for v in result.verdicts for f in v.findings})
    records = [{"article": a, "other": o, "passage": fp} for a, o, fp in keys]
    return json.dumps(
        {"dedup_baseline": 1, "version": result.version, "findings": records}, indent=2
    )


def load_baseline(text: str, place: str) -> frozenset[BaselineKey]:
    """Read a baseline written by ``dump_baseline``; ``place`` names it in errors."""
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("dedup_baseline") != 1:
            raise ValueError("not a dedup baseline")
        keys = set()
        for record in data["findings"]:
            key = (record["article"], record["other"], record["passage"])
            if not all(isinstance(k, str) for k in key):
                raise ValueError("article, other and passage must be strings")
            keys.add(key)
    except (ValueError, KeyError, TypeError) as e:
        raise InputError(
            f"{place}: not a baseline file ({e}); write one with dedup check --write-baseline"
        ) from e
    return frozenset(keys)


def with_baseline(policy: Policy, keys: frozenset[BaselineKey]) -> Policy:
    """The policy with ``keys`` added to its baseline."""
    return replace(policy, baseline=policy.baseline | keys)


def accept(result: CheckResult, articles: Sequence[Article]) -> CheckResult:
    """The result as a check with ``dump_baseline(result)`` as its baseline would give it.

    Every finding that counted is excused as ``baseline``, and the verdicts are made again:
    what ``--write-baseline`` reports after recording the findings.

    Args:
        result: the result of ``check``.
        articles: the checked articles (their texts give the coverages).
    """
    keys = frozenset(f.baseline_key for v in result.verdicts for f in v.findings)
    policy = with_baseline(result.policy, keys)
    texts = {a.id: a for a in articles}
    verdicts = []
    for v in result.verdicts:
        findings = [f if f.excused else replace(f, excused="baseline") for f in v.findings]
        verdicts.append(verdict(texts[v.id], findings, policy))
    return replace(result, verdicts=tuple(verdicts), policy=policy)

"""Shared helpers of the evaluation scripts: scoring (pure functions) and running dedup on pairs.

The scoring functions (plagdet, Spearman, the reuse decisions) are pure and unit-tested in
``tests/test_eval_scoring.py``. The data they are run on lives outside the repository (see
``/work/shared/eval/README.md``) and is read through a path argument only.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import math
import multiprocessing
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from tqdm import tqdm

import dedup
from dedup.model import KINDS as KINDS  # re-exported for the scripts

# --------------------------------------------------------------------------------------------
# Ranges and plagdet (Potthast et al. 2010)
# --------------------------------------------------------------------------------------------


class Span(NamedTuple):
    """A passage as two half-open character ranges: a[a_start:a_end] ~ b[b_start:b_end]."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int

    @property
    def length(self) -> int:
        """Characters on both sides together."""
        return max(0, self.a_end - self.a_start) + max(0, self.b_end - self.b_start)


def _ranges_overlap(start1: int, end1: int, start2: int, end2: int) -> bool:
    return max(start1, start2) < min(end1, end2)


def overlaps(x: Span, y: Span) -> bool:
    """True when ``x`` and ``y`` share at least one character on side a AND on side b."""
    return _ranges_overlap(x.a_start, x.a_end, y.a_start, y.a_end) and _ranges_overlap(
        x.b_start, x.b_end, y.b_start, y.b_end
    )


def covered_chars(start: int, end: int, ranges: Iterable[tuple[int, int]]) -> int:
    """Characters of ``[start, end)`` inside the union of ``ranges`` (each counted once)."""
    clipped = sorted((max(start, s), min(end, e)) for s, e in ranges if max(start, s) < min(end, e))
    total, reach = 0, start
    for s, e in clipped:
        if e <= reach:
            continue
        total += e - max(s, reach)
        reach = e
    return total


def _covered_share(target: Span, others: Sequence[Span]) -> float:
    """Share of ``target``'s characters (both sides) covered by ``others`` that overlap it."""
    hits = [o for o in others if overlaps(target, o)]
    if target.length == 0:
        return 0.0
    covered = covered_chars(
        target.a_start, target.a_end, ((o.a_start, o.a_end) for o in hits)
    ) + covered_chars(target.b_start, target.b_end, ((o.b_start, o.b_end) for o in hits))
    return covered / target.length


def case_recalls(cases: Sequence[Span], detections: Sequence[Span]) -> list[float]:
    """Per truth case: share of its characters (both sides) covered by detections overlapping it."""
    return [_covered_share(s, detections) for s in cases]


def detection_precisions(cases: Sequence[Span], detections: Sequence[Span]) -> list[float]:
    """Per detection: share of its characters (both sides) covered by cases overlapping it."""
    return [_covered_share(r, cases) for r in detections]


def detections_per_case(cases: Sequence[Span], detections: Sequence[Span]) -> list[int]:
    """Per truth case: how many detections overlap it on both sides (0 = not detected)."""
    return [sum(1 for r in detections if overlaps(s, r)) for s in cases]


@dataclass(frozen=True)
class Plagdet:
    """Macro-averaged PAN measures over a set of document pairs."""

    precision: float
    recall: float
    granularity: float
    f1: float
    plagdet: float
    cases: int
    detections: int
    detected_cases: int


def f1_score(precision: float, recall: float) -> float:
    """Harmonic mean of precision and recall (0 when both are 0)."""
    if precision + recall == 0:
        return 0.0
    return 2 * precision * recall / (precision + recall)


def plagdet_from_values(
    recalls: Sequence[float], precisions: Sequence[float], counts: Sequence[int]
) -> Plagdet:
    """Aggregate per-case recalls, per-detection precisions and per-case detection counts.

    Follows the PAN conventions: with no cases and no detections precision and recall are 1;
    with only one of the two they are 0; granularity is 1 when no case is detected.
    """
    n_cases, n_det = len(recalls), len(precisions)
    if n_cases == 0 and n_det == 0:
        rec = prec = 1.0
    elif n_cases == 0 or n_det == 0:
        rec = prec = 0.0
    else:
        rec = math.fsum(recalls) / n_cases
        prec = math.fsum(precisions) / n_det
    detected = [c for c in counts if c > 0]
    gran = sum(detected) / len(detected) if detected else 1.0
    f1 = f1_score(prec, rec)
    return Plagdet(
        precision=prec,
        recall=rec,
        granularity=gran,
        f1=f1,
        plagdet=f1 / math.log2(1 + gran),
        cases=n_cases,
        detections=n_det,
        detected_cases=len(detected),
    )


def plagdet(pairs: Iterable[tuple[Sequence[Span], Sequence[Span]]]) -> Plagdet:
    """Plagdet over document pairs, each given as ``(cases, detections)``.

    Cases and detections only meet inside their own pair; the means run over all cases and all
    detections of all pairs (macro averages).
    """
    recalls: list[float] = []
    precisions: list[float] = []
    counts: list[int] = []
    for cases, detections in pairs:
        recalls.extend(case_recalls(cases, detections))
        precisions.extend(detection_precisions(cases, detections))
        counts.extend(detections_per_case(cases, detections))
    return plagdet_from_values(recalls, precisions, counts)


def realigned_cases(pair: dict[str, Any]) -> list[Span]:
    """The truth cases of a PAN pair: the ``*_realigned`` offsets where the set has them
    (pan13-none, whose shipped offsets are off), else PAN's own (pan13-train, exact)."""
    spans = []
    for c in pair["cases"]:
        suffix = "_realigned" if "a_offset_realigned" in c else ""  # pan13-train: exact as shipped
        a0, b0 = c["a_offset" + suffix], c["b_offset" + suffix]
        spans.append(Span(a0, a0 + c["a_length" + suffix], b0, b0 + c["b_length" + suffix]))
    return spans


# --------------------------------------------------------------------------------------------
# Rank correlation
# --------------------------------------------------------------------------------------------


def average_ranks(values: Sequence[float]) -> list[float]:
    """Ranks 1..n, ties sharing the mean of the ranks they span."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        rank = (i + j) / 2 + 1
        for k in range(i, j + 1):
            ranks[order[k]] = rank
        i = j + 1
    return ranks


def pearson(x: Sequence[float], y: Sequence[float]) -> float:
    """Pearson correlation; NaN when either side is constant or has fewer than 2 values."""
    if len(x) != len(y):
        raise ValueError("pearson: sequences differ in length")
    n = len(x)
    if n < 2:
        return math.nan
    mx, my = math.fsum(x) / n, math.fsum(y) / n
    sxy = math.fsum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    sxx = math.fsum((a - mx) ** 2 for a in x)
    syy = math.fsum((b - my) ** 2 for b in y)
    if sxx == 0 or syy == 0:
        return math.nan
    return sxy / math.sqrt(sxx * syy)


def spearman(x: Sequence[float], y: Sequence[float]) -> float:
    """Spearman rank correlation with average ranks for ties (Pearson of the ranks)."""
    return pearson(average_ranks(x), average_ranks(y))


# --------------------------------------------------------------------------------------------
# Decisions on a comparison
# --------------------------------------------------------------------------------------------


class PassageRow(NamedTuple):
    """The fields of a ``dedup.Passage`` the scripts use (plain data, cheap to pickle)."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    score: float
    kind: str

    @property
    def span(self) -> Span:
        """The passage's two ranges."""
        return Span(self.a_start, self.a_end, self.b_start, self.b_end)


class Share(NamedTuple):
    """The part of a ``dedup.Coverage`` the scripts use."""

    share: float


class Result(NamedTuple):
    """What the scripts keep of a ``dedup.Comparison``; it has the same attribute names, so the
    decision functions below take either."""

    passages: tuple[PassageRow, ...]
    a_coverage: Share
    b_coverage: Share


SENTENCE_MIN_SHARE = 0.5


# Kinds that are reuse; ``template`` and ``boilerplate`` passages are resemblance, not reuse.
REUSE_KINDS = frozenset({"verbatim", "near-verbatim", "paraphrase", "summary"})


def is_reuse(comparison: Any) -> bool:
    """The document-level default decision: b reuses a when at least one reuse passage is
    found."""
    return any(p.kind in REUSE_KINDS for p in comparison.passages)


def is_sentence_reuse(comparison: Any, min_share: float = SENTENCE_MIN_SHARE) -> bool:
    """Sentence pairs: reuse when the passages cover most of both sentences."""
    a_share, b_share = comparison.a_coverage.share, comparison.b_coverage.share
    return bool(a_share >= min_share and b_share >= min_share)


def max_score(comparison: Any) -> float:
    """The tool's score for a pair: the highest passage score, 0 when there is no passage."""
    return float(max((p.score for p in comparison.passages), default=0.0))


class Confusion(NamedTuple):
    """Binary confusion counts."""

    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def n(self) -> int:
        """All items."""
        return self.tp + self.fp + self.fn + self.tn

    @property
    def accuracy(self) -> float:
        """Share of correct decisions."""
        return (self.tp + self.tn) / self.n if self.n else math.nan

    @property
    def recall(self) -> float:
        """Share of positives reported."""
        pos = self.tp + self.fn
        return self.tp / pos if pos else math.nan

    @property
    def precision(self) -> float:
        """Share of reported that are positive."""
        rep = self.tp + self.fp
        return self.tp / rep if rep else math.nan


def confusion(truth: Sequence[bool], predicted: Sequence[bool]) -> Confusion:
    """Count true/false positives/negatives."""
    if len(truth) != len(predicted):
        raise ValueError("confusion: sequences differ in length")
    tp = sum(1 for t, p in zip(truth, predicted, strict=True) if t and p)
    fp = sum(1 for t, p in zip(truth, predicted, strict=True) if not t and p)
    fn = sum(1 for t, p in zip(truth, predicted, strict=True) if t and not p)
    return Confusion(tp, fp, fn, len(truth) - tp - fp - fn)


def strictly_decreasing(values: Sequence[float]) -> bool:
    """True when each value is larger than the next."""
    return all(x > y for x, y in itertools.pairwise(values))


CLOUGH_LABELS = ("cut", "light", "heavy", "non")  # from most to least reuse
STS_POSITIVE = 4.0


def detect_kind(labels: Sequence[Any]) -> str:
    """Which labelled set the labels come from: ``clough``, ``msrp`` or ``sts``.

    Raises:
        ValueError: the labels fit none of them.
    """
    if not labels:
        raise ValueError("no labels")
    if all(isinstance(x, str) for x in labels):
        if set(labels) <= set(CLOUGH_LABELS):
            return "clough"
        raise ValueError(f"unknown string labels: {sorted(set(labels))[:5]}")
    numeric = all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in labels)
    if not numeric:
        raise ValueError("labels mix strings and numbers")
    if all(isinstance(x, int) and x in (0, 1) for x in labels):
        return "msrp"
    if all(0 <= x <= 5 for x in labels):
        return "sts"
    raise ValueError("numeric labels outside 0-5")


def is_positive(kind: str, record: dict[str, Any]) -> bool:
    """The gold reuse decision of a labelled pair."""
    if kind == "clough":
        return bool(record["label_binary"])
    if kind == "msrp":
        return bool(record["label"] == 1)
    if kind == "sts":
        return bool(record["label"] >= STS_POSITIVE)
    raise ValueError(f"unknown kind {kind!r}")


# --------------------------------------------------------------------------------------------
# Running dedup (I/O, parameters, multiprocessing)
# --------------------------------------------------------------------------------------------

PARAM_FLAGS: dict[str, type] = {
    "threshold": float,
    "min_score": float,
    "extend_score": float,
    "near_verbatim": float,
    "max_gap": int,
    "join_chars": int,
    "min_length": int,
}


def add_common_args(parser: argparse.ArgumentParser) -> None:
    """Add ``--json``, ``--jobs``, ``--errors`` and the parameter overrides."""
    parser.add_argument("--json", metavar="FILE", type=Path, help="also save the numbers here")
    parser.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="worker processes (default: all CPUs)",
    )
    parser.add_argument(
        "--errors",
        type=int,
        default=0,
        metavar="N",
        help="print N examples of each kind of error to stderr",
    )
    group = parser.add_argument_group("parameter overrides (dedup.Params)")
    for name, kind in PARAM_FLAGS.items():
        group.add_argument("--" + name.replace("_", "-"), dest=name, type=kind, default=None)
    group.add_argument(
        "--summaries", action="store_true", help="as dedup --summaries (summary passages)"
    )
    group.add_argument(
        "--copies-only",
        action="store_true",
        help=f"as dedup --copies-only (threshold {dedup.COPY_THRESHOLD} unless given)",
    )
    group.add_argument(
        "--weighted", action="store_true", help="as dedup --weighted (stems weighed by rarity)"
    )


def overrides_from_args(args: argparse.Namespace) -> dict[str, Any]:
    """The parameter overrides given on the command line."""
    overrides = {k: getattr(args, k) for k in PARAM_FLAGS if getattr(args, k) is not None}
    if getattr(args, "summaries", False):
        overrides = {"summaries": True, **overrides}
    if getattr(args, "copies_only", False):
        overrides = {"copies_only": True, "threshold": dedup.COPY_THRESHOLD, **overrides}
    if getattr(args, "weighted", False):
        overrides["weighted"] = True
    return overrides


def params_from_args(args: argparse.Namespace) -> tuple[dict[str, Any], dedup.Params, str]:
    """The overrides given, the parameters they make, and a line that names them.

    Exits with status 2 and a message on stderr when the parameters are invalid.
    """
    overrides = overrides_from_args(args)
    try:
        params = make_params(overrides)
    except dedup.ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(2) from exc
    changed = ", ".join(f"{k}={v}" for k, v in sorted(overrides.items())) or "defaults"
    return overrides, params, changed


def make_params(overrides: dict[str, Any]) -> dedup.Params:
    """``dedup.DEFAULT_PARAMS`` with ``overrides`` (raises ``dedup.ConfigError`` if invalid)."""
    return dataclasses.replace(dedup.DEFAULT_PARAMS, **overrides)


def read_jsonl(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """Read a JSON-lines file (the first ``limit`` records when given)."""
    records: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            if limit is not None and len(records) >= limit:
                break
            if line.strip():
                records.append(json.loads(line))
    return records


def select_parts(pairs: list[dict[str, Any]], parts: Sequence[str] | None) -> list[dict[str, Any]]:
    """The pairs whose ``obfuscation`` is one of ``parts`` (all of them when ``parts`` is None).

    Raises ``SystemExit`` (status 2) naming a part that no pair has.
    """
    if parts is None:
        return pairs
    known = {str(p.get("obfuscation")) for p in pairs}
    unknown = sorted(set(parts) - known)
    if unknown:
        print(
            f"error: no pairs of part {', '.join(unknown)}; parts: {', '.join(sorted(known))}",
            file=sys.stderr,
        )
        raise SystemExit(2)
    return [p for p in pairs if str(p.get("obfuscation")) in parts]


_worker_params: dedup.Params = dedup.DEFAULT_PARAMS


def _init_worker(overrides: dict[str, Any]) -> None:
    global _worker_params
    _worker_params = make_params(overrides)


def _compare_one(texts: tuple[str, str]) -> Result:
    c = dedup.compare(texts[0], texts[1], _worker_params)
    passages = tuple(
        PassageRow(p.a_start, p.a_end, p.b_start, p.b_end, p.score, p.kind) for p in c.passages
    )
    return Result(passages, Share(c.a_coverage.share), Share(c.b_coverage.share))


def compare_all(
    pairs: Sequence[dict[str, Any]],
    overrides: dict[str, Any],
    jobs: int,
    desc: str = "pairs",
) -> list[Result]:
    """Run ``dedup.compare`` on every pair (in order; results are deterministic)."""
    texts = [(p["a_text"], p["b_text"]) for p in pairs]
    bar = tqdm(total=len(texts), desc=desc, unit="pair", file=sys.stderr, dynamic_ncols=True)
    results: list[Result] = []
    try:
        if jobs <= 1:
            _init_worker(overrides)
            for t in texts:
                results.append(_compare_one(t))
                bar.update()
        else:
            chunk = max(1, min(16, len(texts) // (jobs * 8) or 1))
            with multiprocessing.Pool(jobs, _init_worker, (overrides,)) as pool:
                it: Iterator[Result] = pool.imap(_compare_one, texts, chunksize=chunk)
                for r in it:
                    results.append(r)
                    bar.update()
    finally:
        bar.close()
    return results


def snippet(text: str, start: int = 0, end: int | None = None, width: int = 150) -> str:
    """The first ``width`` characters of ``text[start:end]`` on one line."""
    s = text[start:end][:width]
    s = " ".join(s.split())
    return s + ("…" if (end if end is not None else len(text)) - start > width else "")


def format_table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A plain text table: the first column left-aligned, the others right-aligned."""

    def cell(v: Any) -> str:
        if isinstance(v, float):
            return "nan" if math.isnan(v) else f"{v:.4f}"
        return str(v)

    cells = [[cell(v) for v in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(header)]

    def line(values: Sequence[str]) -> str:
        first, *rest = (
            v.ljust(w) if i == 0 else v.rjust(w)
            for i, (v, w) in enumerate(zip(values, widths, strict=True))
        )
        return "  ".join([first, *rest]).rstrip()

    out = [line(list(header)), "  ".join("-" * w for w in widths)]
    out.extend(line(r) for r in cells)
    return "\n".join(out)


def json_safe(value: Any) -> Any:
    """Replace NaN by None, recursively, so the output is strict JSON."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    return value


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Save ``data`` as indented JSON."""
    path.write_text(
        json.dumps(json_safe(data), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )

"""PAN text-alignment evaluation: plagdet of ``dedup.compare`` against the realigned cases.

Usage:
    python scripts/eval_pan.py /work/shared/eval/pan13-none/pairs.jsonl [--limit N] [--jobs J]
        [--part NAME ...] [--json FILE] [--errors N] [--threshold X --min-score X ...]

Every pair is compared with ``dedup.compare(a_text, b_text, params)``; every passage counts as a
detection. The truth cases are the ``*_realigned`` spans. See ``evaluation.py`` for the measures.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import evaluation as ev


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path, help="pairs.jsonl of a PAN text-alignment set")
    parser.add_argument("--limit", type=int, default=None, metavar="N", help="first N pairs only")
    parser.add_argument(
        "--part",
        action="append",
        default=None,
        metavar="NAME",
        help="only the pairs of this obfuscation part (repeat for several): "
        "no-plagiarism, none, random, translation, summary",
    )
    ev.add_common_args(parser)
    return parser.parse_args(argv)


def print_errors(
    pairs: list[dict[str, Any]],
    cases: list[list[ev.Span]],
    results: list[ev.Result],
    n: int,
) -> None:
    """Print the ``n`` worst-recall cases and ``n`` worst-precision detections to stderr."""

    def err(line: str = "") -> None:
        print(line, file=sys.stderr)

    case_rows = []
    det_rows = []
    for i, (truth, res) in enumerate(zip(cases, results, strict=True)):
        dets = [p.span for p in res.passages]
        for j, (s, rec) in enumerate(zip(truth, ev.case_recalls(truth, dets), strict=True)):
            case_rows.append((rec, -s.length, i, j))
        for j, (r, prec) in enumerate(zip(dets, ev.detection_precisions(truth, dets), strict=True)):
            det_rows.append((prec, -r.length, i, j))
    case_rows.sort()
    det_rows.sort()

    def describe_pair(i: int, shown: int = 6) -> str:
        truth = ", ".join(f"a[{s.a_start}:{s.a_end}]~b[{s.b_start}:{s.b_end}]" for s in cases[i])
        passages = results[i].passages
        found = ", ".join(
            f"a[{p.a_start}:{p.a_end}]~b[{p.b_start}:{p.b_end}] {p.kind} {p.score:.2f}"
            for p in passages[:shown]
        )
        more = f" (+{len(passages) - shown} more)" if len(passages) > shown else ""
        return f"    cases: {truth or '-'}\n    detections: {found or '-'}{more}"

    err(f"== {min(n, len(case_rows))} worst-recall cases ==")
    for rec, _, i, j in case_rows[:n]:
        s, pair = cases[i][j], pairs[i]
        err(
            f"[pair {i} {pair['a_id']} / {pair['b_id']}] case {j} "
            f"a[{s.a_start}:{s.a_end}] b[{s.b_start}:{s.b_end}] recall={rec:.3f}"
        )
        err(describe_pair(i))
        err(f"    A: {ev.snippet(pair['a_text'], s.a_start, s.a_end)}")
        err(f"    B: {ev.snippet(pair['b_text'], s.b_start, s.b_end)}")
        err()
    err(f"== {min(n, len(det_rows))} worst-precision detections ==")
    for prec, _, i, j in det_rows[:n]:
        p, pair = results[i].passages[j], pairs[i]
        err(
            f"[pair {i} {pair['a_id']} / {pair['b_id']}] detection {j} "
            f"a[{p.a_start}:{p.a_end}] b[{p.b_start}:{p.b_end}] {p.kind} score={p.score:.3f} "
            f"precision={prec:.3f}"
        )
        err(describe_pair(i))
        err(f"    A: {ev.snippet(pair['a_text'], p.a_start, p.a_end)}")
        err(f"    B: {ev.snippet(pair['b_text'], p.b_start, p.b_end)}")
        err()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    overrides, params, changed = ev.params_from_args(args)

    pairs = ev.select_parts(ev.read_jsonl(args.path, args.limit), args.part)
    cases = [ev.realigned_cases(p) for p in pairs]
    start = time.perf_counter()
    results = ev.compare_all(pairs, overrides, args.jobs, desc="pan pairs")
    wall = time.perf_counter() - start

    score = ev.plagdet(
        (truth, [p.span for p in res.passages]) for truth, res in zip(cases, results, strict=True)
    )
    # Per obfuscation part (pan13-train): cases of that part, detections in its pairs.
    parts: dict[str, list[int]] = defaultdict(list)
    for i, pair in enumerate(pairs):
        parts[str(pair.get("obfuscation", "all"))].append(i)
    by_part = {
        part: ev.plagdet((cases[i], [p.span for p in results[i].passages]) for i in members)
        for part, members in sorted(parts.items())
    }
    false_in_negatives = {
        part: sum(len(results[i].passages) for i in members)
        for part, members in parts.items()
        if not any(cases[i] for i in members)
    }

    kinds: Counter[str] = Counter()
    kind_prec: dict[str, list[float]] = defaultdict(list)
    for truth, res in zip(cases, results, strict=True):
        dets = [p.span for p in res.passages]
        for p, prec in zip(res.passages, ev.detection_precisions(truth, dets), strict=True):
            kinds[p.kind] += 1
            kind_prec[p.kind].append(prec)

    rows: list[list[Any]] = [
        ["plagdet", score.plagdet],
        ["precision", score.precision],
        ["recall", score.recall],
        ["granularity", score.granularity],
        ["f1", score.f1],
        ["pairs", len(pairs)],
        ["cases", score.cases],
        ["detected cases", score.detected_cases],
        ["detections", score.detections],
    ]
    reuse = ("verbatim", "near-verbatim", "paraphrase", "summary")
    for kind in (*reuse, *sorted(set(kinds) - set(ev.KINDS))):
        rows.append([f"  {kind}", kinds.get(kind, 0)])
    for kind in ev.KINDS:
        values = kind_prec.get(kind, [])
        rows.append(
            [f"  precision {kind}", math.fsum(values) / len(values) if values else math.nan]
        )
    if len(by_part) > 1:
        for part, sc in by_part.items():
            if part in false_in_negatives:
                rows.append([f"part {part}: detections (all false)", false_in_negatives[part]])
            else:
                rows.append(
                    [
                        f"part {part}: plagdet / P / R / gran",
                        f"{sc.plagdet:.3f} / {sc.precision:.3f} / {sc.recall:.3f} / "
                        f"{sc.granularity:.3f}",
                    ]
                )
    rows.append(["wall time (s)", f"{wall:.1f}"])
    print(f"PAN plagdet: {args.path}  (params: {changed}; jobs: {args.jobs})")
    print(ev.format_table(["measure", "value"], rows))

    if args.json:
        ev.write_json(
            args.json,
            {
                "path": str(args.path),
                "limit": args.limit,
                "params": params.to_dict(),
                "overrides": overrides,
                "plagdet": score.plagdet,
                "precision": score.precision,
                "recall": score.recall,
                "granularity": score.granularity,
                "f1": score.f1,
                "pairs": len(pairs),
                "cases": score.cases,
                "detected_cases": score.detected_cases,
                "detections": score.detections,
                "detections_per_kind": dict(sorted(kinds.items())),
                "precision_per_kind": {
                    k: math.fsum(v) / len(v) for k, v in sorted(kind_prec.items()) if v
                },
                "parts": {
                    part: {
                        "plagdet": sc.plagdet,
                        "precision": sc.precision,
                        "recall": sc.recall,
                        "granularity": sc.granularity,
                        "cases": sc.cases,
                        "detections": sc.detections,
                    }
                    for part, sc in by_part.items()
                },
                "wall_s": round(wall, 2),
            },
        )
    if args.errors > 0:
        print_errors(pairs, cases, results, args.errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())

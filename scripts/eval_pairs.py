"""Pair-level evaluation of ``dedup.compare`` on labelled document or sentence pairs.

Usage:
    python scripts/eval_pairs.py FILE.jsonl [FILE.jsonl ...] [--jobs J] [--json FILE]
        [--errors N] [--threshold X --min-score X ...]

The kind of each file is told by its labels:

- Clough & Stevenson (``cut``/``light``/``heavy``/``non``): the answer (b) is reported as reusing
  the source (a) by ``evaluation.is_reuse`` (at least one passage); scored against
  ``label_binary``; also the mean b coverage share per label, which should order
  cut > light > heavy > non. rho: Spearman of the b coverage share with that order.
- MSRP (``0``/``1``) and STS (``0``-``5``): a pair is reported as reuse by
  ``evaluation.is_sentence_reuse`` (passages cover at least half of both sentences); positives are
  label 1 (MSRP) and label >= 4 (STS). rho: Spearman of the max passage score (0 without a
  passage) with the label.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from pathlib import Path
from typing import Any

import evaluation as ev

HEADER = [
    "file",
    "kind",
    "pairs",
    "pos",
    "reported",
    "tp",
    "fp",
    "fn",
    "tn",
    "accuracy",
    "recall",
    "precision",
    "rho",
    "time(s)",
]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", type=Path, nargs="+", help="labelled pairs (*.jsonl)")
    ev.add_common_args(parser)
    return parser.parse_args(argv)


def evaluate_file(
    path: Path, overrides: dict[str, Any], jobs: int
) -> tuple[dict[str, Any], list[dict[str, Any]], list[ev.Result]]:
    records = ev.read_jsonl(path)
    kind = ev.detect_kind([r["label"] for r in records])
    start = time.perf_counter()
    results = ev.compare_all(records, overrides, jobs, desc=path.name)
    wall = time.perf_counter() - start

    truth = [ev.is_positive(kind, r) for r in records]
    if kind == "clough":
        predicted = [ev.is_reuse(res) for res in results]
        order = {label: len(ev.CLOUGH_LABELS) - i for i, label in enumerate(ev.CLOUGH_LABELS)}
        rho = ev.spearman(
            [res.b_coverage.share for res in results], [order[r["label"]] for r in records]
        )
    else:
        predicted = [ev.is_sentence_reuse(res) for res in results]
        rho = ev.spearman([ev.max_score(res) for res in results], [r["label"] for r in records])
    conf = ev.confusion(truth, predicted)
    summary: dict[str, Any] = {
        "path": str(path),
        "kind": kind,
        "pairs": len(records),
        "positives": sum(truth),
        "reported": sum(predicted),
        "tp": conf.tp,
        "fp": conf.fp,
        "fn": conf.fn,
        "tn": conf.tn,
        "accuracy": conf.accuracy,
        "recall": conf.recall,
        "precision": conf.precision,
        "rho": rho,
        "wall_s": round(wall, 2),
    }
    if kind == "clough":
        per_label = {}
        for label in ev.CLOUGH_LABELS:
            shares = [
                res.b_coverage.share
                for r, res in zip(records, results, strict=True)
                if r["label"] == label
            ]
            found = sum(
                1
                for r, res in zip(records, results, strict=True)
                if r["label"] == label and ev.is_reuse(res)
            )
            per_label[label] = {
                "n": len(shares),
                "reported": found,
                "mean_b_share": math.fsum(shares) / len(shares) if shares else math.nan,
            }
        means = [per_label[label]["mean_b_share"] for label in ev.CLOUGH_LABELS]
        summary["per_label"] = per_label
        summary["order_holds"] = ev.strictly_decreasing(means)
    return summary, records, results


def print_clough(summary: dict[str, Any]) -> None:
    rows = [
        [label, v["n"], v["reported"], v["mean_b_share"]]
        for label, v in summary["per_label"].items()
    ]
    print()
    print(f"{summary['path']}: b coverage share by label")
    print(ev.format_table(["label", "n", "reported", "mean b share"], rows))
    verdict = "holds" if summary["order_holds"] else "does NOT hold"
    print(f"order cut > light > heavy > non: {verdict}")


def describe(i: int, record: dict[str, Any], res: ev.Result) -> list[str]:
    label = record["label"]
    lines = [
        f"[{i} {record['a_id']} / {record['b_id']}] label={label} "
        f"score={ev.max_score(res):.3f} a_share={res.a_coverage.share:.3f} "
        f"b_share={res.b_coverage.share:.3f} passages={len(res.passages)}"
    ]
    lines.append(f"    A: {ev.snippet(record['a_text'])}")
    lines.append(f"    B: {ev.snippet(record['b_text'])}")
    for p in res.passages:
        lines.append(
            f"    passage {p.kind} {p.score:.3f} a[{p.a_start}:{p.a_end}] b[{p.b_start}:{p.b_end}]"
        )
        lines.append(f"      a: {ev.snippet(record['a_text'], p.a_start, p.a_end)}")
        lines.append(f"      b: {ev.snippet(record['b_text'], p.b_start, p.b_end)}")
    return lines


def print_errors(
    summary: dict[str, Any], records: list[dict[str, Any]], results: list[ev.Result], n: int
) -> None:
    kind = summary["kind"]
    decide = ev.is_reuse if kind == "clough" else ev.is_sentence_reuse
    fns = [
        i
        for i, (r, res) in enumerate(zip(records, results, strict=True))
        if ev.is_positive(kind, r) and not decide(res)
    ]
    fps = [
        i
        for i, (r, res) in enumerate(zip(records, results, strict=True))
        if not ev.is_positive(kind, r) and decide(res)
    ]
    rng = random.Random(0)
    for name, indices in (("false negatives", fns), ("false positives", fps)):
        chosen = sorted(rng.sample(indices, n)) if len(indices) > n else indices
        print(f"== {summary['path']}: {len(chosen)} of {len(indices)} {name} ==", file=sys.stderr)
        for i in chosen:
            for line in describe(i, records[i], results[i]):
                print(line, file=sys.stderr)
        print(file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    overrides, params, changed = ev.params_from_args(args)

    summaries = []
    for path in args.paths:
        try:
            summary, records, results = evaluate_file(path, overrides, args.jobs)
        except ValueError as exc:
            print(f"error: {path}: {exc}", file=sys.stderr)
            return 2
        summaries.append(summary)
        if args.errors > 0:
            print_errors(summary, records, results, args.errors)

    print(f"pair evaluation  (params: {changed}; jobs: {args.jobs})")
    rows = [
        [
            Path(s["path"]).parent.name + "/" + Path(s["path"]).name,
            s["kind"],
            s["pairs"],
            s["positives"],
            s["reported"],
            s["tp"],
            s["fp"],
            s["fn"],
            s["tn"],
            s["accuracy"],
            s["recall"],
            s["precision"],
            s["rho"],
            f"{s['wall_s']:.1f}",
        ]
        for s in summaries
    ]
    print(ev.format_table(HEADER, rows))
    for s in summaries:
        if s["kind"] == "clough":
            print_clough(s)

    if args.json:
        ev.write_json(
            args.json,
            {"params": params.to_dict(), "overrides": overrides, "files": summaries},
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

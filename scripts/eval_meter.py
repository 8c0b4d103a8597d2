"""METER evaluation: Press Association wire copy against British newspaper stories.

Usage:
    python scripts/eval_meter.py /work/shared/eval/meter-showbiz/pairs.jsonl [--jobs J]
        [--json FILE] [--errors N] [--threshold X --min-score X ...]

Every story is compared with ``dedup.compare(a_text, b_text, params)`` (``a``: the PA copy
of the story's catchline and day, ``b``: the newspaper's story). Only passages that count as
reuse are used (``template`` and ``boilerplate`` passages are not reuse).

Measures (as ``../shared/eval/README.md`` defines them):

* **Document level**, all stories: the tool's own decision (``evaluation.is_reuse``: b reuses
  a when a reuse passage is found) against the journalists' label, derived (wholly or
  partially) or not: accuracy, precision and recall of "derived".
* **Character level**, the stories annotated word by word: the derived characters of the
  newspaper story are its ``verbatim`` and ``rewrite`` spans; the detected ones are those
  inside the ``b`` side of a reported passage. Whitespace is not counted. Precision, recall
  and F1 are pooled over all annotated stories (micro averages); the per-story means are
  given too.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any, NamedTuple

import evaluation as ev


class CharScore(NamedTuple):
    """Non-space characters of one newspaper story: derived, detected, both."""

    truth: int
    found: int
    hit: int


def char_score(text: str, truth: list[tuple[int, int]], found: list[tuple[int, int]]) -> CharScore:
    """Count the non-space characters of ``text`` in ``truth`` spans, ``found`` spans, both.

    >>> char_score("ab cd ef", [(0, 5)], [(3, 8)])
    CharScore(truth=4, found=4, hit=2)
    """
    marked_truth = bytearray(len(text))
    marked_found = bytearray(len(text))
    for start, end in truth:
        marked_truth[start:end] = b"\x01" * (end - start)
    for start, end in found:
        marked_found[start:end] = b"\x01" * (end - start)
    counts = [0, 0, 0]
    for i, c in enumerate(text):
        if c.isspace():
            continue
        t, f = marked_truth[i], marked_found[i]
        counts[0] += t
        counts[1] += f
        counts[2] += t & f
    return CharScore(*counts)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path, help="pairs.jsonl of the METER set")
    ev.add_common_args(parser)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    overrides, params, changed = ev.params_from_args(args)
    stories = ev.read_jsonl(args.path)
    start = time.perf_counter()
    results = ev.compare_all(stories, overrides, args.jobs, desc="meter stories")
    wall = time.perf_counter() - start

    truth = [bool(s["label_binary"]) for s in stories]
    predicted = [ev.is_reuse(r) for r in results]
    doc = ev.confusion(truth, predicted)
    by_label: dict[str, list[float]] = {}
    for s, r in zip(stories, results, strict=True):
        by_label.setdefault(s["label"], []).append(r.b_coverage.share)

    scores: list[CharScore] = []
    worst: list[tuple[float, int]] = []
    for n, (s, r) in enumerate(zip(stories, results, strict=True)):
        if not s.get("annotated"):
            continue
        spans = [(c["b_offset"], c["b_offset"] + c["b_length"]) for c in s["cases"]]
        found = [(p.b_start, p.b_end) for p in r.passages if p.kind in ev.REUSE_KINDS]
        sc = char_score(s["b_text"], spans, found)
        scores.append(sc)
        worst.append((ev.f1_score(_ratio(sc.hit, sc.found), _ratio(sc.hit, sc.truth)), n))
    truth_chars = sum(s.truth for s in scores)
    found_chars = sum(s.found for s in scores)
    hit_chars = sum(s.hit for s in scores)
    precision, recall = _ratio(hit_chars, found_chars), _ratio(hit_chars, truth_chars)
    macro_p = [_ratio(s.hit, s.found) for s in scores if s.found]
    macro_r = [_ratio(s.hit, s.truth) for s in scores if s.truth]

    kinds: Counter[str] = Counter(p.kind for r in results for p in r.passages)
    rows: list[list[Any]] = [
        ["stories", len(stories)],
        ["derived / non-derived", f"{sum(truth)} / {len(truth) - sum(truth)}"],
        ["document accuracy", doc.accuracy],
        ["document precision (derived)", doc.precision],
        ["document recall (derived)", doc.recall],
    ]
    for label in ("wholly_derived", "partially_derived", "non_derived"):
        values = by_label.get(label, [])
        mean = math.fsum(values) / len(values) if values else math.nan
        rows.append([f"mean coverage of b: {label}", mean])
    rows += [
        ["annotated stories", len(scores)],
        ["character precision", precision],
        ["character recall", recall],
        ["character F1", ev.f1_score(precision, recall)],
        ["character precision (story mean)", _mean(macro_p)],
        ["character recall (story mean)", _mean(macro_r)],
    ]
    for kind, count in sorted(kinds.items()):
        rows.append([f"  passages {kind}", count])
    rows.append(["wall time (s)", f"{wall:.1f}"])
    print(f"METER: {args.path}  (params: {changed}; jobs: {args.jobs})")
    print(ev.format_table(["measure", "value"], rows))

    if args.json:
        ev.write_json(
            args.json,
            {
                "path": str(args.path),
                "params": params.to_dict(),
                "overrides": overrides,
                "document_accuracy": doc.accuracy,
                "document_precision": doc.precision,
                "document_recall": doc.recall,
                "char_precision": precision,
                "char_recall": recall,
                "char_f1": ev.f1_score(precision, recall),
                "annotated": len(scores),
                "passages_per_kind": dict(sorted(kinds.items())),
                "wall_s": round(wall, 2),
            },
        )
    if args.errors > 0:
        worst.sort()
        print(f"== {min(args.errors, len(worst))} worst annotated stories ==", file=sys.stderr)
        for f1, n in worst[: args.errors]:
            s, r = stories[n], results[n]
            print(f"[{n}] {s['b_id']} ({s['label']}) F1={f1:.3f}", file=sys.stderr)
            for p in r.passages:
                print(
                    f"    {p.kind} {p.score:.2f} b[{p.b_start}:{p.b_end}] "
                    f"{ev.snippet(s['b_text'], p.b_start, p.b_end, 100)}",
                    file=sys.stderr,
                )
    return 0


def _ratio(x: int, y: int) -> float:
    return x / y if y else 0.0


def _mean(values: list[float]) -> float:
    return math.fsum(values) / len(values) if values else math.nan


if __name__ == "__main__":
    sys.exit(main())

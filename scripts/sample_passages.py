"""Draw random passages from a ``dedup scan`` output and print them side by side, for reading.

Usage:
    python scripts/sample_passages.py reuse.jsonl [--n 100] [--seed 1] [--kinds paraphrase,...]
        [--cross] [--width 400] [--json FILE]

Prints a count of the passages by kind (and cross-article ones by kind), then ``--n`` passages
drawn at random (``--seed``) among those of ``--kinds`` (default: every kind that is reuse),
with ``--cross`` only those between two different articles. Each shows its ids, offsets, kind,
score and quoted share, and both snippets (cut to ``--width`` characters). ``--json`` saves the
sample (ids, offsets, kind, score) with an empty ``verdict`` field to fill in by hand.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path
from typing import Any

REUSE = ("verbatim", "near-verbatim", "paraphrase", "summary")


def read_passages(path: Path) -> list[dict[str, Any]]:
    """The ``passage`` records of a scan's JSON lines."""
    out = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            if record.get("type") == "passage":
                out.append(record)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--kinds", default=",".join(REUSE))
    parser.add_argument("--cross", action="store_true", help="only passages between two articles")
    parser.add_argument("--width", type=int, default=400)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    passages = read_passages(args.path)
    print("passages by kind:", dict(Counter(p["kind"] for p in passages).most_common()))
    cross = [p for p in passages if p["a_id"] != p["b_id"]]
    print("cross-article by kind:", dict(Counter(p["kind"] for p in cross).most_common()))
    kinds = set(args.kinds.split(","))
    pool = [p for p in (cross if args.cross else passages) if p["kind"] in kinds]
    sample = random.Random(args.seed).sample(pool, min(args.n, len(pool)))
    for n, p in enumerate(sample, 1):
        print(
            f"\n#{n} {p['kind']} score {p['score']:.3f} quoted {p.get('quoted', 0):.2f}  "
            f"{p['a_id']} [{p['a_start']}:{p['a_end']}]  ~  "
            f"{p['b_id']} [{p['b_start']}:{p['b_end']}]"
        )
        for side in ("a", "b"):
            text = " ".join(p[f"{side}_snippet"].split())
            cut = text if len(text) <= args.width else text[: args.width] + " …"
            print(f"  {side.upper()}: {cut}")
    if args.json:
        keep = ("a_id", "a_start", "a_end", "b_id", "b_start", "b_end", "kind", "score", "quoted")
        records = [{**{k: p.get(k) for k in keep}, "verdict": ""} for p in sample]
        args.json.write_text(json.dumps(records, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Compare shingle choices on sentence pairs (MSRP): how well each separates paraphrases.

For each kind of shingle, prints the recall on positive pairs and the accuracy of a plain
Jaccard threshold at several thresholds. The kind that keeps most positives above a low
threshold is the best base for LSH candidates; the aligner then verifies them.

    python scripts/tune_shingles.py ../shared/eval/msrp/train.jsonl
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

from dedup.normalize import STOP_WORDS, content_stems, words
from dedup.shingle import shingles


def _ngrams(tokens: tuple[str, ...], n: int) -> set[str]:
    return {" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


KINDS: dict[str, Callable[[str], set[str]]] = {
    "word unigrams": lambda t: set(words(t)),
    "content words": lambda t: {w for w in words(t) if w not in STOP_WORDS},
    "content stems (default)": lambda t: set(shingles(words(t), 1)),
    "content stem bigrams": lambda t: set(shingles(words(t), 2)),
    "word bigrams": lambda t: _ngrams(words(t), 2),
    "word trigrams": lambda t: _ngrams(words(t), 3),
    "char 5-grams": lambda t: _ngrams(tuple(" ".join(words(t))), 5),
    "stems, stop words kept": lambda t: set(content_stems(words(t))) | set(words(t)),
}


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, help="JSONL of sentence pairs with a 0/1 label")
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.path.open(encoding="utf-8") if line.strip()]
    thresholds = (0.2, 0.3, 0.4, 0.5)
    print(f"{'shingles':<26}" + "".join(f"  t={t}: recall  acc" for t in thresholds))
    for name, fn in KINDS.items():
        scores = [(_jaccard(fn(r["a_text"]), fn(r["b_text"])), r["label"] == 1) for r in rows]
        positives = sum(1 for _, y in scores if y)
        cells = []
        for t in thresholds:
            tp = sum(1 for s, y in scores if y and s >= t)
            tn = sum(1 for s, y in scores if not y and s < t)
            cells.append(f"        {tp / positives:.3f}  {(tp + tn) / len(scores):.3f}")
        print(f"{name:<26}" + "".join(cells))


if __name__ == "__main__":
    main()

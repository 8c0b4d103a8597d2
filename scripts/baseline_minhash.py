"""A plain document-level near-duplicate baseline: datasketch MinHash + MinHashLSH.

    python scripts/baseline_minhash.py corpus.jsonl pairs.jsonl
    python scripts/baseline_minhash.py corpus.jsonl - --threshold 0.7 > pairs.jsonl

Reads a JSONL corpus (one ``{"id", "text"}`` object a line, as dedup reads it) and writes one
line per pair of articles that the LSH index puts together, ``{"a_id", "b_id", "jaccard"}``,
where ``a_id`` comes first in the corpus and ``jaccard`` is the MinHash estimate of the two
articles' Jaccard similarity (reported, not used as a filter: the pairs are the LSH candidates,
as datasketch gives them).

Each article is the set of its word 5-grams (words: runs of letters and digits, lower-cased; an
article of fewer than 5 words is one shingle), signed with 128 permutations (seed 1) and indexed
at a Jaccard threshold of 0.5 (datasketch's own choice of bands and rows). Articles are queried
in corpus order before they are added, so each pair comes once. A summary goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

from datasketch import LeanMinHash, MinHash, MinHashLSH

_WORD = re.compile(r"\w+")


def shingles(text: str, size: int = 5) -> set[bytes]:
    """The word ``size``-grams of ``text``, lower-cased, as UTF-8 bytes.

    >>> sorted(shingles("A b c d e F", 5))
    [b'a b c d e', b'b c d e f']
    """
    words = _WORD.findall(text.lower())
    if len(words) < size:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + size]).encode() for i in range(len(words) - size + 1)}


def read_corpus(path: Path) -> Iterator[tuple[str, str]]:
    """Yield ``(id, text)`` for each JSONL record, with a clear error for a bad line."""
    with path.open(encoding="utf-8-sig") as f:
        for number, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                yield str(record["id"]), str(record["text"])
            except (json.JSONDecodeError, KeyError, TypeError) as e:
                message = f"{path}:{number}: not a JSON object with id and text ({e})"
                raise ValueError(message) from e


def find_pairs(
    articles: Iterator[tuple[str, str]], *, num_perm: int, threshold: float, ngram: int, seed: int
) -> Iterator[tuple[str, str, float]]:
    """Yield ``(earlier_id, later_id, estimated_jaccard)`` for each LSH candidate pair."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    signatures: dict[str, LeanMinHash] = {}
    for article_id, text in articles:
        m = MinHash(num_perm=num_perm, seed=seed)
        m.update_batch(list(shingles(text, ngram)))
        sig = LeanMinHash(m)
        for other in sorted(lsh.query(sig)):
            yield other, article_id, sig.jaccard(signatures[other])
        if article_id in signatures:
            raise ValueError(f"duplicate article id {article_id!r}")
        lsh.insert(article_id, sig)
        signatures[article_id] = sig


def _write(pairs: Iterator[tuple[str, str, float]], out: TextIO) -> int:
    count = 0
    for a, b, jaccard in pairs:
        out.write(json.dumps({"a_id": a, "b_id": b, "jaccard": round(jaccard, 4)}) + "\n")
        count += 1
    return count


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="baseline_minhash.py",
        description=(__doc__ or "").split("\n\n")[0],
        epilog="example:\n  python scripts/baseline_minhash.py corpus.jsonl pairs.jsonl",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("corpus", type=Path, help="JSONL corpus, one {id, text} object a line")
    parser.add_argument("out", help="where to write the pairs (JSONL), or - for stdout")
    parser.add_argument("--threshold", type=float, default=0.5, help="LSH Jaccard threshold")
    parser.add_argument("--num-perm", type=int, default=128, help="MinHash permutations")
    parser.add_argument("--ngram", type=int, default=5, help="words per shingle")
    parser.add_argument("--seed", type=int, default=1, help="MinHash seed")
    args = parser.parse_args(argv)
    if not args.corpus.is_file():
        parser.error(f"{args.corpus}: no such file")
    if not 0 < args.threshold <= 1 or args.num_perm < 2 or args.ngram < 1:
        parser.error("need 0 < --threshold <= 1, --num-perm >= 2 and --ngram >= 1")
    started = time.perf_counter()
    pairs = find_pairs(
        read_corpus(args.corpus),
        num_perm=args.num_perm,
        threshold=args.threshold,
        ngram=args.ngram,
        seed=args.seed,
    )
    try:
        if args.out == "-":
            count = _write(pairs, sys.stdout)
        else:
            with Path(args.out).open("w", encoding="utf-8") as out:
                count = _write(pairs, out)
    except (OSError, ValueError) as e:
        print(f"baseline_minhash.py: error: {e}", file=sys.stderr)
        return 2
    seconds = time.perf_counter() - started
    print(f"{count} candidate pairs in {seconds:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

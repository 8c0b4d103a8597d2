"""Benchmark ``dedup check`` of one article against indexes of generated articles.

    python scripts/bench_check.py                 # 10,000 and 100,000 articles
    python scripts/bench_check.py --sizes 10000 --runs 7 --jobs 2
    python scripts/bench_check.py --startup-only  # start-up alone, in seconds

Start-up (always, and alone with ``--startup-only``): the median and min wall time of
``python -c pass`` (the interpreter's floor), ``dedup --version``, and ``dedup check`` of one
article against a small index (``--small``, 100 articles), each run ``--startup-runs`` times.
They run with bytecode caching on, as an installed dedup (pip compiles it on install) even
where ``PYTHONDONTWRITEBYTECODE`` is set; ``--no-bytecode`` keeps the environment as it is
(every start then compiles dedup's modules from source: about 20 ms more).

For each size, builds (or reuses) an index of N generated news-like articles under --dir, then
times ``dedup check`` of one new article as a whole process (start-up included; several runs:
min and median), and the library call ``Index.check`` alone (index already open). The new
article copies two paragraphs of an indexed one, so the timing includes finding and aligning
real reuse. It also prints the index's size on disk per article.

Text is generated deterministically, without downloads: words are drawn, with their
frequencies, from the docstrings and comments of this Python's standard library, into
sentences of 8-28 words, paragraphs of 3-5 sentences and articles of 6-11 paragraphs (about
34 sentences, 4,500 characters, like the samples). Article ``i`` depends only on ``i``.
"""

from __future__ import annotations

import argparse
import bisect
import datetime
import itertools
import os
import re
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from dedup import Article
from dedup.store import Index

_WORD = re.compile(r"[A-Za-z][a-z]{1,15}")
_TEXT = re.compile(r'"""(.*?)"""|#([^\n]*)', re.S)


class Generator:
    """News-like articles from a seeded, frequency-weighted vocabulary."""

    def __init__(self) -> None:
        counts: Counter[str] = Counter()
        for path in sorted(Path(sysconfig.get_paths()["stdlib"]).rglob("*.py")):
            try:
                source = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            for m in _TEXT.finditer(source):
                counts.update(w.lower() for w in _WORD.findall(m.group(1) or m.group(2) or ""))
        self.words = sorted(counts, key=lambda w: (-counts[w], w))
        self.cumulative = list(itertools.accumulate(counts[w] for w in self.words))

    def paragraphs(self, i: int) -> list[str]:
        import random

        rng = random.Random(i)
        total = self.cumulative[-1]

        def word() -> str:
            return self.words[bisect.bisect_right(self.cumulative, rng.random() * total)]

        paragraphs = []
        for _ in range(rng.randint(6, 11)):
            sentences = []
            for _ in range(rng.randint(3, 5)):
                tokens = [word() for _ in range(rng.randint(8, 28))]
                sentences.append(" ".join(tokens).capitalize() + ".")
            paragraphs.append(" ".join(sentences))
        return paragraphs

    def article(self, i: int) -> Article:
        day = datetime.date(2022, 1, 1) + datetime.timedelta(days=i % 730)
        return Article(
            f"gen-{i:06d}", "\n\n".join(self.paragraphs(i)), f"outlet-{i % 50}", day.isoformat()
        )

    def articles(self, n: int) -> Iterator[Article]:
        return (self.article(i) for i in range(n))


def _build(path: Path, n: int, gen: Generator, jobs: int) -> float:
    start = time.perf_counter()
    with Index(path) as index:
        have = len(index)
        if have >= n:
            return 0.0
        done = 0

        def progress(items: Iterator[Article]) -> Iterator[Article]:
            nonlocal done
            for a in items:
                done += 1
                if done % 5000 == 0:
                    rate = done / (time.perf_counter() - start)
                    print(f"  {have + done}/{n} ({rate:.0f} articles/s)", file=sys.stderr)
                yield a

        index.add((gen.article(i) for i in range(have, n)), progress=progress, workers=jobs)
    return time.perf_counter() - start


def _times(command: list[str], runs: int, env: dict[str, str] | None = None) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
        out.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr}")
    return out


def _new_article(gen: Generator, n: int) -> str:
    """Two paragraphs of an indexed article around three new paragraphs."""
    source = gen.paragraphs(n // 2)
    fresh = gen.paragraphs(10**9 + n)
    return "\n\n".join([fresh[0], source[1], fresh[1], source[2], fresh[2]])


def _startup(args: argparse.Namespace, gen: Generator) -> None:
    """Print the start-up table: ``python -c pass``, ``dedup --version``, a small check."""
    path = args.dir / f"index-{args.small}.db"
    _build(path, args.small, gen, 1)
    new = args.dir / f"new-{args.small}.txt"
    new.write_text(_new_article(gen, args.small), encoding="utf-8")
    dedup = [sys.executable, "-m", "dedup"]
    commands = [
        ("`python -c pass`", [sys.executable, "-c", "pass"]),
        ("`dedup --version`", [*dedup, "--version"]),
        (
            f"`dedup check` (index of {args.small})",
            [*dedup, "check", str(new), "--index", str(path)],
        ),
    ]
    print(f"start-up: {args.startup_runs} runs of each command", file=sys.stderr)
    # In turns, one run of each command a round, so that load from other processes on the
    # machine falls on all of them alike.
    env = dict(os.environ)
    if not args.no_bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        for _, command in commands:
            _times(command, 1, env)  # writes the bytecode
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(args.startup_runs):
        for found, (_, command) in zip(times, commands, strict=True):
            found.extend(_times(command, 1, env))
    rows = [(name, found) for (name, _), found in zip(commands, times, strict=True)]
    floor = statistics.median(rows[0][1])
    print("| command | median (s) | min (s) | median / Python's |")
    print("| --- | ---: | ---: | ---: |")
    for name, times in rows:
        median = statistics.median(times)
        print(f"| {name} | {median:.3f} | {min(times):.3f} | {median / floor:.1f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "dedup-bench")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=2, help="processes computing signatures")
    parser.add_argument("--startup-only", action="store_true", help="time start-up alone")
    parser.add_argument("--startup-runs", type=int, default=21)
    parser.add_argument("--small", type=int, default=100, help="articles in the start-up index")
    parser.add_argument("--no-bytecode", action="store_true", help="leave bytecode caching as set")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    gen = Generator()
    _startup(args, gen)
    if args.startup_only:
        return
    rows = []
    for n in args.sizes:
        path = args.dir / f"index-{n}.db"
        print(f"index of {n} articles: {path}", file=sys.stderr)
        built = _build(path, n, gen, args.jobs)
        # The new article: two paragraphs of an indexed one around three new paragraphs.
        text = _new_article(gen, n)
        new = args.dir / f"new-{n}.txt"
        new.write_text(text, encoding="utf-8")
        command = [sys.executable, "-m", "dedup", "check", str(new), "--index", str(path)]
        whole = _times(command, args.runs)
        startup = _times([sys.executable, "-m", "dedup", "--version"], args.runs)
        with Index(path, read_only=True) as index:
            article = Article(str(new), text)
            library = []
            for _ in range(args.runs):
                start = time.perf_counter()
                result = index.check([article])
                library.append(time.perf_counter() - start)
            info = index.info()
        [verdict] = result.verdicts
        found = sorted({f.other_id for f in verdict.findings})
        hits = len(verdict.findings)
        print(f"  found {hits} passage{'' if hits == 1 else 's'} from {found}", file=sys.stderr)
        rows.append((n, built, whole, startup, library, info.size_bytes / max(info.articles, 1)))
    print(
        "| articles | build (s) | check, whole process: min / median (s) | start-up only "
        "(`dedup --version`): median (s) | library call: min / median (ms) | size per article |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for n, built, whole, startup, library, per in rows:
        print(
            f"| {n:,} | {built:.0f} | {min(whole):.2f} / {statistics.median(whole):.2f} | "
            f"{statistics.median(startup):.2f} | {min(library) * 1e3:.0f} / "
            f"{statistics.median(library) * 1e3:.0f} | {per / 1024:.1f} KiB |"
        )


if __name__ == "__main__":
    main()

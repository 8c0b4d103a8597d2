"""Syndication: one story copied into many dated articles, and a draft that copies two paragraphs.

    python scripts/bench_syndication.py --copies 1000 --work /tmp/synd
    python scripts/bench_syndication.py --copies 1000,10000 --work /tmp/synd --check

For each N, writes ``WORK/synd-N.jsonl``: a story (``samples/000_*.txt``, a real article of
this repository) dated 2024-03-01, then N - 1 copies of it in random date order, a third of
them lightly edited (one paragraph dropped, or a word changed in one sentence), and a draft
dated later that copies two of its paragraphs around one of its own. Then runs, each as a
process of its own:

* ``dedup scan`` of the corpus (``--no-within``): wall time, the lines of output per copy, the
  passages, whether the draft's passage names the story (the origin), and the cluster that
  holds it (its origin and size);
* with ``--check``: ``dedup index add`` of the N articles (not the draft), then ``dedup check``
  of the draft: exit code, wall time, lines of output, and whether the FAIL line names the
  origin and the count of the others.

Timings are wall seconds of a 2-core shared machine; compare runs of one session only.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEDUP = Path(sys.executable).parent / "dedup"


def corpus(n: int, seed: int = 1) -> tuple[list[dict[str, str]], str]:
    """The story and its copies as JSONL records, and the draft's text."""
    [story_path] = sorted((ROOT / "samples").glob("000_*.txt"))
    story = story_path.read_text(encoding="utf-8")
    paragraphs = [p for p in story.split("\n") if p.strip()]
    rng = random.Random(seed)
    records = [{"id": "story", "text": story, "source": "Wire", "date": "2024-03-01"}]
    for k in range(1, n):
        mine = list(paragraphs)
        edit = rng.random()
        if edit < 1 / 6 and len(mine) > 3:
            del mine[rng.randrange(1, len(mine))]
        elif edit < 1 / 3:
            at = rng.randrange(len(mine))
            words = mine[at].split(" ")
            words[rng.randrange(len(words))] = rng.choice(["reportedly", "also", "now"])
            mine[at] = " ".join(words)
        day = 2 + rng.randrange(27)
        date = f"2024-{rng.choice(['03', '04', '05'])}-{day:02d}"
        records.append(
            {"id": f"copy{k:05d}", "text": "\n".join(mine), "source": f"Site{k % 97}", "date": date}
        )
    rng.shuffle(records)
    draft = "\n".join(
        [paragraphs[2], "Writing after the talks, our correspondent saw the ruins.", paragraphs[6]]
    )
    return records, draft


def run(args: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)
    return time.perf_counter() - start, done


def bench(n: int, work: Path, check: bool) -> dict[str, object]:
    records, draft = corpus(n)
    path = work / f"synd-{n}.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record) + "\n")
        out.write(json.dumps({"id": "draft", "text": draft, "date": "2024-06-01"}) + "\n")
    result: dict[str, object] = {"copies": n}
    wall, done = run(
        [str(DEDUP), "scan", path.name, "--no-within", "--no-progress", "-o", "scan.jsonl",
         "--force"],
        work,
    )  # fmt: skip
    if done.returncode != 0:
        return {**result, "scan": f"failed: {done.stderr.strip()[-300:]}"}
    lines = (work / "scan.jsonl").read_text(encoding="utf-8").splitlines()
    found = [json.loads(line) for line in lines]
    passages = [r for r in found if r["type"] == "passage"]
    to_draft = [p for p in passages if "draft" in (p["a_id"], p["b_id"])]
    holding = [
        c for c in found if c["type"] == "cluster" and any(m["id"] == "draft" for m in c["members"])
    ]
    result.update(
        scan_s=round(wall, 1),
        lines=len(lines),
        lines_per_copy=round(len(lines) / n, 2),
        passages=len(passages),
        draft_linked_to=sorted(
            {p["a_id"] if p["b_id"] == "draft" else p["b_id"] for p in to_draft}
        ),
        draft_cluster=[(c["origin"], c["articles"]) for c in holding],
    )
    if check:
        index = work / f"synd-{n}.db"
        index.unlink(missing_ok=True)
        published = work / f"published-{n}.jsonl"
        published.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        wall, done = run([str(DEDUP), "index", "add", str(index), str(published), "--jobs", "2",
                          "--no-progress"], work)  # fmt: skip
        result["index_s"] = round(wall, 1)
        (work / "draft.txt").write_text(draft, encoding="utf-8")
        wall, done = run([str(DEDUP), "check", "draft.txt", "--index", str(index)], work)
        out = done.stdout.splitlines()
        fail = [line for line in out if line.startswith("FAIL")]
        result.update(
            check_exit=done.returncode,
            check_s=round(wall, 2),
            check_lines=len(out),
            check_fail_line=fail[0] if fail else None,
        )
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", default="1000", help="sizes, comma-separated")
    parser.add_argument("--work", type=Path, default=Path("/tmp/dedup-synd"))
    parser.add_argument("--check", action="store_true", help="also index and check the draft")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    for n in (int(x) for x in args.copies.split(",")):
        print(json.dumps(bench(n, args.work, args.check), ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

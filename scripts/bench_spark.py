"""Time ``dedup scan --engine spark`` beside the local engine, and measure Spark's shuffles.

    python scripts/bench_spark.py WORK                        # 10k and 50k articles, local[2]
    python scripts/bench_spark.py WORK --sizes 2000 10000 --master 'local[2]' --json out.json
    python scripts/bench_spark.py WORK --sizes 50000 --engines spark --timeout 1800
    python scripts/bench_spark.py WORK --copies-only      # both engines with --copies-only

For each size N, ``WORK/corpus-N-seedS.jsonl`` is made with ``scripts/make_corpus.py`` (or
reused). Then, each in a process of its own, one after the other:

* ``local``: ``dedup scan CORPUS -o WORK/out/local-N.jsonl`` (all CPUs);
* ``spark``: ``dedup scan CORPUS --engine spark --master MASTER -o WORK/out/spark-N.jsonl``
  with Spark's event log on (``WORK/events/``; set through ``PYSPARK_SUBMIT_ARGS``).

Measures: wall time of the whole process (start-up, reading and writing included) and the peak
of the summed resident memory of its process tree (the JVM and Spark's Python workers
included), sampled every 50 ms, as ``scripts/bench.py`` measures. Whether the two outputs are
byte-identical. From the event log, per Spark stage: its job's description (``dedup: ...``,
set by ``dedup.spark``), time, tasks, and bytes written to and read from the shuffle, and the
largest size of data spilled to disk.

A run that passes ``--timeout`` seconds is killed and reported as such.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

SCRIPTS = Path(__file__).resolve().parent
MB = 1024 * 1024


def _bench() -> ModuleType:
    """scripts/bench.py, for its corpus making and process measuring."""
    spec = importlib.util.spec_from_file_location("dedup_bench", SCRIPTS / "bench.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


bench = _bench()


def info(message: str) -> None:
    print(f"[bench_spark] {message}", file=sys.stderr, flush=True)


def dedup_command() -> list[str]:
    return [sys.executable, "-m", "dedup"]


def event_stages(folder: Path) -> list[dict[str, Any]]:
    """The completed stages in the event logs under ``folder``, with their job's description."""
    stages: list[dict[str, Any]] = []
    for log in sorted(p for p in folder.rglob("*") if p.is_file() and p.name[0] not in "._"):
        description: dict[int, str] = {}
        for line in log.read_text(encoding="utf-8").splitlines():
            try:
                event = json.loads(line)
            except json.JSONDecodeError:  # the last line of a log cut short
                continue
            kind = event.get("Event")
            if kind == "SparkListenerJobStart":
                text = (event.get("Properties") or {}).get("spark.job.description") or "?"
                for stage in event.get("Stage IDs", []):
                    description.setdefault(stage, text)
            elif kind == "SparkListenerStageCompleted":
                stage = event["Stage Info"]
                metrics = {a["Name"]: a.get("Value") for a in stage.get("Accumulables", [])}

                def metric(name: str, values: dict[str, Any] = metrics) -> int:
                    return int(values.get(f"internal.metrics.{name}") or 0)

                took = (stage.get("Completion Time") or 0) - (stage.get("Submission Time") or 0)
                stages.append(
                    {
                        "stage": stage["Stage ID"],
                        "job": description.get(stage["Stage ID"], "?"),
                        "name": stage.get("Stage Name", "").split(" at ")[0],
                        "tasks": stage.get("Number of Tasks"),
                        "seconds": round(took / 1000, 1),
                        "shuffle_write_mb": round(metric("shuffle.write.bytesWritten") / MB, 1),
                        "shuffle_read_mb": round(
                            (
                                metric("shuffle.read.remoteBytesRead")
                                + metric("shuffle.read.localBytesRead")
                            )
                            / MB,
                            1,
                        ),
                        "spilled_disk_mb": round(metric("diskBytesSpilled") / MB, 1),
                    }
                )
    return stages


def by_job(stages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The stages' time and shuffle bytes summed per job description, in order of first stage."""
    jobs: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"stages": 0, "seconds": 0.0, "shuffle_write_mb": 0.0, "shuffle_read_mb": 0.0}
    )
    for s in stages:
        job = jobs[s["job"]]
        job["stages"] += 1
        for key in ("seconds", "shuffle_write_mb", "shuffle_read_mb"):
            job[key] = round(job[key] + s[key], 1)
    return [{"job": name, **values} for name, values in jobs.items()]


def run_local(
    work: Path, n: int, corpus: Path, timeout: float, extra: Sequence[str] = ()
) -> dict[str, Any]:
    name = f"local-{n}{'-copies' if extra else ''}"
    out = work / "out" / f"{name}.jsonl"
    command = [*dedup_command(), "scan", str(corpus), "-o", str(out), "--force", *extra]
    info(f"local engine, {n} articles {' '.join(extra)}")
    m = bench.run_measured(command, log=work / "out" / f"{name}.log", timeout=timeout)
    return {"engine": "local", "n": n, "output": str(out), **vars(m)}


def run_spark(
    work: Path,
    n: int,
    corpus: Path,
    timeout: float,
    master: str,
    partitions: int | None,
    extra: Sequence[str] = (),
) -> dict[str, Any]:
    name = f"spark-{n}{'-copies' if extra else ''}"
    out = work / "out" / f"{name}.jsonl"
    events = work / "events" / name
    shutil.rmtree(events, ignore_errors=True)
    events.mkdir(parents=True)
    command = [*dedup_command(), "scan", str(corpus), "-o", str(out), "--force", *extra]
    command += ["--engine", "spark", "--master", master]
    if partitions is not None:
        command += ["--partitions", str(partitions)]
    conf = {
        "spark.eventLog.enabled": "true",
        "spark.eventLog.dir": events.as_uri(),
        "spark.eventLog.rolling.enabled": "false",  # one plain JSON file
        "spark.eventLog.compress": "false",
    }
    env = dict(os.environ)
    env["PYSPARK_SUBMIT_ARGS"] = (
        " ".join(f"--conf {key}={value}" for key, value in conf.items()) + " pyspark-shell"
    )
    info(f"spark engine ({master}), {n} articles {' '.join(extra)}")
    m = bench.run_measured(command, log=work / "out" / f"{name}.log", env=env, timeout=timeout)
    stages = event_stages(events)  # of a killed run: the stages it completed
    return {
        "engine": "spark",
        "n": n,
        "master": master,
        "output": str(out),
        **vars(m),
        "stages": stages,
        "jobs": by_job(stages),
    }


def same_output(a: dict[str, Any], b: dict[str, Any]) -> bool | None:
    if a.get("returncode") != 0 or b.get("returncode") != 0:
        return None
    return Path(a["output"]).read_bytes() == Path(b["output"]).read_bytes()


def report(results: list[dict[str, Any]]) -> str:
    lines = [
        "| articles | engine | wall | peak memory (tree) | exit |",
        "| ---: | --- | ---: | ---: | --- |",
    ]
    for r in results:
        wall = f"> {r['wall_s']:.0f} s (killed)" if r["timed_out"] else f"{r['wall_s']:.1f} s"
        lines.append(
            f"| {r['n']:,} | {r['engine']} | {wall} | {r['peak_rss_mb'] / 1024:.2f} GiB "
            f"| {r['returncode']} |"
        )
    for r in results:
        if r["engine"] != "spark" or not r.get("jobs"):
            continue
        lines += [
            "",
            f"Spark jobs, {r['n']:,} articles ({r['master']}):",
            "",
            "| job | stages | stage time | shuffle write | shuffle read |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        for job in r["jobs"]:
            lines.append(
                f"| {job['job']} | {job['stages']} | {job['seconds']:.1f} s "
                f"| {job['shuffle_write_mb']:,.1f} MiB | {job['shuffle_read_mb']:,.1f} MiB |"
            )
        lines += [
            "",
            "| stage | job | operation | tasks | time | shuffle write | shuffle read | spilled |",
            "| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for s in r["stages"]:
            lines.append(
                f"| {s['stage']} | {s['job']} | {s['name']} | {s['tasks']} | {s['seconds']} s "
                f"| {s['shuffle_write_mb']:,.1f} MiB | {s['shuffle_read_mb']:,.1f} MiB "
                f"| {s['spilled_disk_mb']:,.1f} MiB |"
            )
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bench_spark.py",
        description=(__doc__ or "").split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("work", type=Path, help="folder for the corpora, outputs and event logs")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--seed", type=int, default=1, help="make_corpus.py's seed (default 1)")
    parser.add_argument("--master", default="local[2]", help="Spark master (default local[2])")
    parser.add_argument("--partitions", type=int, default=None, help="dedup's --partitions")
    parser.add_argument(
        "--engines", nargs="+", choices=["local", "spark"], default=["local", "spark"]
    )
    parser.add_argument(
        "--timeout", type=float, default=900, help="seconds a run may take (default 900)"
    )
    parser.add_argument(
        "--copies-only", action="store_true", help="scan with dedup's --copies-only (both engines)"
    )
    parser.add_argument("--json", type=Path, default=None, help="write every result here")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    (args.work / "out").mkdir(parents=True, exist_ok=True)
    results: list[dict[str, Any]] = []
    extra = ["--copies-only"] if args.copies_only else []
    for n in args.sizes:
        corpus, _ = bench.corpus_for(args.work, n, args.seed, False)
        runs = {}
        if "local" in args.engines:
            runs["local"] = run_local(args.work, n, corpus, args.timeout, extra)
        if "spark" in args.engines:
            runs["spark"] = run_spark(
                args.work, n, corpus, args.timeout, args.master, args.partitions, extra
            )
        if len(runs) == 2:
            runs["spark"]["identical_to_local"] = same_output(runs["local"], runs["spark"])
            info(f"{n}: outputs identical: {runs['spark']['identical_to_local']}")
        results.extend(runs.values())
        if args.json is not None:
            args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())

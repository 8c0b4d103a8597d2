"""Benchmark dedup against document-level MinHash tools on generated corpora with planted reuse.

    python scripts/bench.py                                       # 1k, 10k and 50k articles
    python scripts/bench.py --sizes 1000,10000 --work /tmp/bench-work --json bench.json
    python scripts/bench.py --sizes 1000 --tools dedup,datasketch --timeout 900

Corpora. For each size N, ``WORK/corpus-N-seedS.jsonl`` and its truth file
``WORK/corpus-N-seedS.truth.jsonl`` are made with ``scripts/make_corpus.py N ... --seed S``, or
reused when both are there (the name holds N and the seed; ``--regenerate`` makes them anew).
With ``--rewordings R`` a share R of the planted passages is reworded (``rewording`` in the
truth), in ``WORK/corpus-N-seedS-rewordingsR.jsonl``; likewise ``--summaries S`` (``summary``)
and ``--syndication K`` (K stories, each copied into about 200 articles: ``syndication``), in
``...-summariesS`` and ``...-syndicationK`` corpora.

Tools, run one at a time, each as a process of its own, on the same corpus:

* ``dedup``: ``dedup scan CORPUS -o WORK/out/dedup-N.jsonl --force --progress`` (the ``dedup``
  command beside this Python, i.e. of the current virtual environment; ``--jobs J`` is added
  only when ``dedup scan --help`` offers it). The progress bars go to the tool's log, and their
  last state gives each stage's time; ``other`` is the rest (start-up, reading, signatures and
  the LSH index where no bar shows them, writing).
* ``dedup-copies``: the same with ``--copies-only`` (verbatim and lightly edited passages only,
  which is what the corpus plants: the mode for large corpora).
* ``datasketch``: ``scripts/baseline_minhash.py`` (word 5-grams, 128 permutations, MinHashLSH
  at a Jaccard threshold of 0.5): every LSH candidate pair of articles.
* ``textdedup``: text-dedup's MinHash (``python -m text_dedup.minhash``, configured by a
  ``config.toml`` in its run folder: the ``text`` column, word 5-grams, 128 permutations,
  threshold 0.5, ``num_proc`` = --jobs, clusters saved, the rest text-dedup's defaults), in a
  virtual environment of its own, ``WORK/textdedup-venv`` (text-dedup 0.4.1 needs Python 3.12 or
  later, and its pins clash with dedup's). It is made on first use from --textdedup-python or
  the first python3.13/python3.12 found on PATH or under pyenv. Its saved clusters (row ->
  cluster) become pairs: every two articles of one cluster. If it cannot be installed, the
  reason is printed and the other tools go on.

Measures, per tool and size:

* ``wall_s``: seconds from starting the process to its exit.
* ``peak_rss_mb``: the largest sum of the resident set sizes of the process and all its
  descendants, sampled with psutil every 50 ms (a spike shorter than that can be missed; memory
  shared between processes counts in each). ``max_single_rss_mb`` is the largest resident set
  of any one process of the tree, exact, from the kernel (``os.wait4``'s ``ru_maxrss``, which is
  also what ``getrusage(RUSAGE_CHILDREN)`` gives): for a tool that runs several processes it is
  less than the tree's peak, so it is not used as the peak.
* Scoring against the truth file. A truth item is one line of it (one planted passage or
  near-duplicate) between articles a and b. Recall is the share of truth items found, overall
  and per kind: a document-level tool finds an item when it reports the pair {a, b} (either
  order); dedup when it reports a passage between a and b (either order) whose span in a
  overlaps the item's span in a and whose span in b overlaps the item's span in b. Precision is
  the share of the distinct pairs of articles a tool reports that have a truth item (dedup:
  the pairs of different articles with at least one passage; passages inside one article are
  ignored); two copies of one syndicated story share text too, so their pair counts as
  correct. Document-level tools can only find near-duplicates (and copies that make up most of
  an article), which is the point of the comparison.

The table goes to stdout, with dedup's time as a multiple of each other tool's (``dedup/datasketch
= 12.5x``: dedup took 12.5 times as long; ``>`` when dedup hit --timeout); progress to stderr;
everything, with each command and the stage times, to --json. Tool outputs and logs stay in
``WORK/out``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import itertools
import json
import os
import pickle
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
MAKE_CORPUS = HERE / "make_corpus.py"
BASELINE = HERE / "baseline_minhash.py"
TOOLS = ("dedup-copies", "dedup", "datasketch", "textdedup")
DEDUP_TOOLS = {"dedup": [], "dedup-copies": ["--copies-only"]}  # tool -> extra scan options
KINDS = ("verbatim", "light-edit", "rewording", "summary", "near-duplicate", "syndication")
TEXTDEDUP_REQUIREMENT = "text-dedup==0.4.1"
SAMPLE_SECONDS = 0.05
MB = 1024 * 1024
# A tqdm bar: "aligning:  42%|####      | 420/1000 [00:05<00:07, 80.0it/s]".
_BAR = re.compile(
    r"^(?P<stage>[^:\n]{1,40}): +\d+%\|[^|]*\| *(?P<done>\d+)/(?P<total>\d+)"
    r" \[(?P<elapsed>[\d:]+)"
)


class BenchError(Exception):
    """A problem to report in one line, without a traceback."""


def info(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# -- running a tool --------------------------------------------------------------------------


@dataclass
class Measured:
    """One process tree's run: exit code, time and memory."""

    returncode: int | None
    wall_s: float
    peak_rss_mb: float
    max_single_rss_mb: float
    timed_out: bool


def run_measured(
    command: Sequence[str],
    *,
    log: Path,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float | None = None,
) -> Measured:
    """Run ``command`` with stdout and stderr to ``log``; sample its tree's memory meanwhile.

    On timeout the whole process group (the command runs in a session of its own) is killed.
    """
    import psutil

    with log.open("wb") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(
            list(command),
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    done = threading.Event()
    peak = [0]

    def sample() -> None:
        try:
            root = psutil.Process(proc.pid)
        except psutil.Error:
            return
        while not done.is_set():
            total = 0
            try:
                tree = [root, *root.children(recursive=True)]
            except psutil.Error:
                tree = []
            for p in tree:
                with contextlib.suppress(psutil.Error):
                    total += p.memory_info().rss
            peak[0] = max(peak[0], total)
            done.wait(SAMPLE_SECONDS)

    timed_out = threading.Event()

    def kill() -> None:
        timed_out.set()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    timer = threading.Timer(timeout, kill) if timeout else None
    if timer is not None:
        timer.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        wall = time.perf_counter() - started
        if timer is not None:
            timer.cancel()
        done.set()
        sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Measured(
        returncode=proc.returncode,
        wall_s=round(wall, 3),
        peak_rss_mb=round(peak[0] / MB, 1),
        max_single_rss_mb=round(usage.ru_maxrss * 1024 / MB, 1),  # Linux: kilobytes
        timed_out=timed_out.is_set(),
    )


def tail(path: Path, lines: int = 5) -> str:
    """The last lines of a log, with progress-bar redraws collapsed."""
    text = path.read_text(encoding="utf-8", errors="replace").replace("\r", "\n")
    return "\n".join([line for line in text.splitlines() if line.strip()][-lines:])


def progress_stages(log: Path) -> dict[str, dict[str, Any]]:
    """Each tqdm bar's last state in a log: items done and total, elapsed seconds."""
    stages: dict[str, dict[str, Any]] = {}
    text = log.read_text(encoding="utf-8", errors="replace")
    for line in re.split(r"[\r\n]+", text):
        m = _BAR.match(line.strip())
        if m:
            seconds = 0
            for part in m["elapsed"].split(":"):
                seconds = seconds * 60 + int(part)
            stages[m["stage"]] = {
                "done": int(m["done"]),
                "total": int(m["total"]),
                "seconds": seconds,
            }
    return stages


# -- scoring ---------------------------------------------------------------------------------


Pair = frozenset[str]


@dataclass
class Truth:
    """The truth file: its items, and the pairs of articles that share text."""

    items: list[dict[str, Any]]
    pairs: set[Pair] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.pairs = {frozenset((t["a_id"], t["b_id"])) for t in self.items}
        stories: dict[str, list[str]] = defaultdict(list)  # a syndicated story: its copies
        for t in self.items:
            if t["kind"] == "syndication":
                stories[t["a_id"]].append(t["b_id"])
        for copies in stories.values():
            self.pairs.update(frozenset(p) for p in itertools.combinations(sorted(copies), 2))


def read_jsonl(path: Path) -> Iterable[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as e:
                    raise BenchError(f"{path}:{number}: not JSON ({e.msg})") from e


def _overlaps(start: int, end: int, other_start: int, other_end: int) -> bool:
    return start < other_end and other_start < end


def score(truth: Truth, reported: set[Pair], found: Iterable[bool] | None = None) -> dict[str, Any]:
    """Recall (overall, per kind) and precision; ``found`` says per truth item whether it was
    found (default: its pair was reported)."""
    hits = (
        list(found)
        if found is not None
        else [frozenset((t["a_id"], t["b_id"])) in reported for t in truth.items]
    )
    by_kind: dict[str, dict[str, Any]] = {}
    for kind in KINDS:
        flags = [h for h, t in zip(hits, truth.items, strict=True) if t["kind"] == kind]
        by_kind[kind] = {
            "found": sum(flags),
            "total": len(flags),
            "recall": round(sum(flags) / len(flags), 4) if flags else None,
        }
    correct = len(reported & truth.pairs)
    return {
        "reported_pairs": len(reported),
        "correct_pairs": correct,
        "precision": round(correct / len(reported), 4) if reported else None,
        "recall": round(sum(hits) / len(hits), 4) if hits else None,
        "recall_by_kind": by_kind,
    }


PASSAGE_FIELDS = ("a_id", "a_start", "a_end", "b_id", "b_start", "b_end")


def read_dedup_output(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The meta record and the passages of a ``dedup scan`` JSONL output.

    The layout (README, "Output of scan"): a ``meta`` line, a ``passage`` line each (``a_id``,
    ``a_start``, ``a_end``, ``b_id``, ``b_start``, ``b_end``, ``score``, ``kind``, ...),
    ``cluster`` lines, then ``coverage`` lines. The clusters are in ``meta["clusters"]``.
    """
    meta: dict[str, Any] = {}
    clusters: list[dict[str, Any]] = []
    passages = []
    for n, record in enumerate(read_jsonl(path)):
        kind = record.get("type")
        if n == 0 and kind != "meta":
            raise BenchError(f"{path}: dedup output does not start with a meta line")
        if kind == "meta":
            meta = record
        elif kind == "passage":
            missing = [f for f in PASSAGE_FIELDS if f not in record]
            if missing:
                raise BenchError(f"{path}: a passage line lacks {', '.join(missing)}")
            passages.append(record)
        elif kind == "cluster":
            clusters.append(record)
        elif kind != "coverage":
            raise BenchError(f"{path}: unexpected record type {kind!r} in dedup output")
    meta["clusters"] = clusters
    return meta, passages


def score_dedup(
    truth: Truth, passages: list[dict[str, Any]], clusters: Sequence[dict[str, Any]] = ()
) -> dict[str, Any]:
    """Score a dedup scan: a truth item is found by a passage between its two articles that
    overlaps both its spans, or by a cluster with a member overlapping each span (a copy of
    a copy is linked to the earliest copy, and the cluster holds all three).

    Precision counts the article pairs of passages, not those a cluster implies.
    """
    between: dict[Pair, list[dict[str, Any]]] = defaultdict(list)
    for p in passages:
        if p["a_id"] != p["b_id"]:
            between[frozenset((p["a_id"], p["b_id"]))].append(p)
    members: dict[str, list[tuple[int, int, int]]] = defaultdict(list)  # id: (start, end, cluster)
    for n, c in enumerate(clusters):
        for m in c["members"]:
            members[m["id"]].append((m["start"], m["end"], n))

    def in_cluster(t: dict[str, Any]) -> bool:
        a = {
            n for s, e, n in members.get(t["a_id"], ()) if _overlaps(s, e, t["a_start"], t["a_end"])
        }
        b = {
            n for s, e, n in members.get(t["b_id"], ()) if _overlaps(s, e, t["b_start"], t["b_end"])
        }
        return bool(a & b)

    def found(t: dict[str, Any]) -> bool:
        for p in between.get(frozenset((t["a_id"], t["b_id"])), ()):
            a = (p["a_start"], p["a_end"])
            b = (p["b_start"], p["b_end"])
            if p["a_id"] != t["a_id"]:
                a, b = b, a
            if _overlaps(*a, t["a_start"], t["a_end"]) and _overlaps(*b, t["b_start"], t["b_end"]):
                return True
        return in_cluster(t)

    result = score(truth, set(between), (found(t) for t in truth.items))
    result["passages"] = len(passages)
    result["passages_between_articles"] = sum(map(len, between.values()))
    return result


# -- the tools -------------------------------------------------------------------------------


@dataclass
class Context:
    """What every tool run needs."""

    work: Path
    out: Path
    jobs: int
    timeout: float | None
    textdedup_python: str | None
    textdedup: tuple[Path | None, str] | None = None  # (python, version) or (None, reason)


def dedup_command() -> Path | None:
    beside = Path(sys.executable).parent / "dedup"
    if beside.is_file():
        return beside
    found = shutil.which("dedup")
    return Path(found) if found else None


def run_dedup(
    ctx: Context, n: int, corpus: Path, truth: Truth, tool: str = "dedup"
) -> dict[str, Any]:
    exe = dedup_command()
    if exe is None:
        return {"status": "unavailable", "reason": "no dedup command in this environment"}
    output = ctx.out / f"{tool}-{n}.jsonl"
    log = ctx.out / f"{tool}-{n}.log"
    command = [str(exe), "scan", str(corpus), "-o", str(output), "--force", "--progress"]
    command += DEDUP_TOOLS[tool]
    scan_help = subprocess.run(
        [str(exe), "scan", "--help"], capture_output=True, text=True, check=False
    ).stdout
    if "--jobs" in scan_help:
        command += ["--jobs", str(ctx.jobs)]
    output.unlink(missing_ok=True)
    measured = run_measured(command, log=log, timeout=ctx.timeout)
    result: dict[str, Any] = {"command": command, **asdict(measured)}
    stages = progress_stages(log)
    result["stages"] = stages
    result["stage_other_s"] = round(measured.wall_s - sum(s["seconds"] for s in stages.values()), 1)
    if measured.timed_out:
        reason = f"killed after {ctx.timeout:g} s"
        if stages:
            stage, state = list(stages.items())[-1]
            reason += f", in stage {stage} at {state['done']}/{state['total']}"
        return {**result, "status": "timeout", "reason": reason}
    if measured.returncode != 0:
        return {**result, "status": "failed", "reason": tail(log)}
    meta, passages = read_dedup_output(output)
    result["dedup_stats"] = meta.get("stats", {})
    result["summary"] = tail(log, 1)
    result["clusters"] = len(meta["clusters"])
    return {**result, "status": "ok", **score_dedup(truth, passages, meta["clusters"])}


def run_datasketch(ctx: Context, n: int, corpus: Path, truth: Truth) -> dict[str, Any]:
    output = ctx.out / f"datasketch-{n}.pairs.jsonl"
    log = ctx.out / f"datasketch-{n}.log"
    command = [sys.executable, str(BASELINE), str(corpus), str(output)]
    output.unlink(missing_ok=True)
    measured = run_measured(command, log=log, timeout=ctx.timeout)
    result: dict[str, Any] = {"command": command, **asdict(measured)}
    if measured.timed_out:
        return {**result, "status": "timeout", "reason": f"killed after {ctx.timeout:g} s"}
    if measured.returncode != 0:
        return {**result, "status": "failed", "reason": tail(log)}
    reported = {frozenset((r["a_id"], r["b_id"])) for r in read_jsonl(output)}
    return {**result, "status": "ok", **score(truth, reported)}


def _python_version(python: str) -> tuple[int, int] | None:
    try:
        done = subprocess.run(
            [python, "-c", "import sys; print(*sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    parts = done.stdout.split()
    return (int(parts[0]), int(parts[1])) if done.returncode == 0 and len(parts) == 2 else None


def _find_python312(given: str | None) -> str | None:
    """A Python 3.12 or later: the one given, else python3.13/3.12 on PATH or under pyenv."""
    candidates = [given] if given else []
    if not given:
        candidates += [shutil.which(name) for name in ("python3.13", "python3.12")]
        root = os.environ.get("PYENV_ROOT") or str(Path.home() / ".pyenv")
        found = Path(root).glob("versions/3.1[2-9]*/bin/python3")
        candidates += sorted((str(p) for p in found), reverse=True)
    for python in candidates:
        version = _python_version(python) if python else None
        if version is not None and version >= (3, 12):
            return python
    return None


def textdedup_env(ctx: Context) -> tuple[Path | None, str]:
    """The text-dedup environment's Python and text-dedup version, made on first use; or
    ``(None, reason)``."""
    if ctx.textdedup is not None:
        return ctx.textdedup
    venv = ctx.work / "textdedup-venv"
    python = venv / "bin" / "python"
    code = (
        "import importlib.metadata as m, sys, text_dedup.minhash; "
        "print(m.version('text-dedup'), 'on Python', sys.version.split()[0])"
    )
    probe = [str(python), "-c", code]
    if python.is_file():
        done = subprocess.run(probe, capture_output=True, text=True, check=False)
        if done.returncode == 0:
            ctx.textdedup = (python, done.stdout.strip())
            return ctx.textdedup
    base = _find_python312(ctx.textdedup_python)
    if base is None:
        reason = "text-dedup 0.4.1 needs Python >= 3.12, and " + (
            f"{ctx.textdedup_python} is not one"
            if ctx.textdedup_python
            else "none was found (give one with --textdedup-python)"
        )
        ctx.textdedup = (None, reason)
        return ctx.textdedup
    log = ctx.work / "textdedup-install.log"
    info(f"installing {TEXTDEDUP_REQUIREMENT} into {venv} with {base} (log: {log})")
    with log.open("w") as out:
        steps = (
            [base, "-m", "venv", "--clear", str(venv)],
            [str(python), "-m", "pip", "install", TEXTDEDUP_REQUIREMENT],
        )
        for step in steps:
            if subprocess.run(step, stdout=out, stderr=subprocess.STDOUT, check=False).returncode:
                reason = tail(log, 3).replace("\n", " | ")
                ctx.textdedup = (None, f"cannot install {TEXTDEDUP_REQUIREMENT}: {reason}")
                return ctx.textdedup
    done = subprocess.run(probe, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        ctx.textdedup = (None, f"text-dedup installed but does not import: {done.stderr[-300:]}")
    else:
        ctx.textdedup = (python, done.stdout.strip())
    return ctx.textdedup


def _toml(value: str) -> str:
    return json.dumps(value)  # a JSON string is a TOML basic string


def run_textdedup(ctx: Context, n: int, corpus: Path, truth: Truth) -> dict[str, Any]:
    python, version = textdedup_env(ctx)
    if python is None:
        return {"status": "unavailable", "reason": version}
    run = ctx.work / f"textdedup-run-{n}"
    shutil.rmtree(run, ignore_errors=True)
    run.mkdir(parents=True)
    # text-dedup reads JSON lines with Hugging Face datasets, which wants every record to have
    # the same fields: it is given the ids and texts only (made before the timed run).
    given = run / "input.jsonl"
    with given.open("w", encoding="utf-8") as out:
        for record in read_jsonl(corpus):
            out.write(json.dumps({"id": str(record["id"]), "text": record["text"]}) + "\n")
    (run / "config.toml").write_text(
        "\n".join(
            (
                "[input]",
                'input_type = "local_files"',
                'file_type = "json"',
                "[input.read_arguments]",
                'path = "json"',
                f"data_files = {_toml(str(given))}",
                'split = "train"',
                f"cache_dir = {_toml(str(run / 'hf-cache'))}",
                "[algorithm]",
                'algorithm_name = "minhash"',
                'text_column = "text"',
                "num_perm = 128",
                "threshold = 0.5",
                "ngram_size = 5",
                f"num_proc = {ctx.jobs}",
                "[output]",
                f"output_dir = {_toml(str(run / 'out'))}",
                "save_clusters = true",
                "[debug]",
                "enable_profiling = false",
                "",
            )
        ),
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "HF_HOME": str(run / "hf-home"),
        "HF_DATASETS_OFFLINE": "1",
        "HF_HUB_OFFLINE": "1",
        "TQDM_DISABLE": "1",
    }
    command = [str(python), "-m", "text_dedup.minhash"]
    log = ctx.out / f"textdedup-{n}.log"
    measured = run_measured(command, log=log, cwd=run, env=env, timeout=ctx.timeout)
    result: dict[str, Any] = {
        "command": command,
        "config": str(run / "config.toml"),
        "version": version,
        **asdict(measured),
    }
    if measured.timed_out:
        return {**result, "status": "timeout", "reason": f"killed after {ctx.timeout:g} s"}
    clusters_file = run / "out" / "clusters.pickle"
    if measured.returncode != 0 or not clusters_file.is_file():
        return {**result, "status": "failed", "reason": tail(log)}
    ids = [str(r["id"]) for r in read_jsonl(corpus)]
    with clusters_file.open("rb") as f:
        clusters: dict[int, int] = pickle.load(f)  # our own run's output: row -> cluster
    members: dict[int, list[str]] = defaultdict(list)
    for row, cluster in clusters.items():
        members[int(cluster)].append(ids[int(row)])
    reported = {
        frozenset(pair)
        for group in members.values()
        for pair in itertools.combinations(sorted(group), 2)
    }
    with (ctx.out / f"textdedup-{n}.pairs.jsonl").open("w", encoding="utf-8") as f:
        for a, b in sorted(tuple(sorted(p)) for p in reported):
            f.write(json.dumps({"a_id": a, "b_id": b}) + "\n")
    result["clusters"] = len(members)
    return {**result, "status": "ok", **score(truth, reported)}


RUNNERS = {
    "dedup": run_dedup,
    "dedup-copies": lambda ctx, n, corpus, truth: run_dedup(ctx, n, corpus, truth, "dedup-copies"),
    "datasketch": run_datasketch,
    "textdedup": run_textdedup,
}
NAMES = {
    "dedup": "dedup",
    "dedup-copies": "dedup --copies-only",
    "datasketch": "datasketch",
    "textdedup": "text-dedup",
}


# -- corpora, table, main --------------------------------------------------------------------


def corpus_for(
    work: Path,
    n: int,
    seed: int,
    regenerate: bool,
    rewordings: float = 0.0,
    summaries: float = 0.0,
    syndication: int = 0,
) -> tuple[Path, dict[str, Any]]:
    planted = {"rewordings": rewordings, "summaries": summaries, "syndication": syndication}
    named = "".join(f"-{k}{v:g}" for k, v in planted.items() if v)
    corpus = work / f"corpus-{n}-seed{seed}{named}.jsonl"
    truth = corpus.with_name(corpus.name.removesuffix(".jsonl") + ".truth.jsonl")
    if corpus.is_file() and truth.is_file() and not regenerate:
        info(f"reusing {corpus}")
        return corpus, {"path": str(corpus), "made_s": None}
    info(f"making {corpus} ({n} articles, seed {seed})")
    command = [sys.executable, str(MAKE_CORPUS), str(n), str(corpus), "--seed", str(seed)]
    for option, value in planted.items():
        if value:
            command += [f"--{option}", str(value)]
    started = time.perf_counter()
    done = subprocess.run([*command, "--force"], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BenchError(f"make_corpus.py failed: {done.stderr.strip()}")
    return corpus, {"path": str(corpus), "made_s": round(time.perf_counter() - started, 1)}


def _fmt(value: Any, pattern: str = "{}") -> str:
    return "-" if value is None else pattern.format(value)


def table(results: list[dict[str, Any]]) -> str:
    header = (
        "size",
        "tool",
        "status",
        "wall s",
        "peak RSS MB",
        "pairs",
        "precision",
        "recall",
        "verbatim",
        "light-edit",
        "rewording",
        "summary",
        "near-dup",
        "syndication",
    )
    rows = [header]
    for r in results:
        kinds = r.get("recall_by_kind", {})
        rows.append(
            (
                str(r["size"]),
                NAMES[r["tool"]],
                r["status"],
                _fmt(r.get("wall_s"), "{:.1f}"),
                _fmt(r.get("peak_rss_mb"), "{:.0f}"),
                _fmt(r.get("reported_pairs")),
                _fmt(r.get("precision"), "{:.3f}"),
                _fmt(r.get("recall"), "{:.3f}"),
                *(_fmt(kinds.get(k, {}).get("recall"), "{:.3f}") for k in KINDS),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.rjust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def ratios(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each dedup mode's time over each peer's, per size (a lower bound when dedup timed out)."""
    out = []
    by_size: dict[int, dict[str, dict[str, Any]]] = defaultdict(dict)
    for r in results:
        by_size[r["size"]][r["tool"]] = r
    for size, tools in by_size.items():
        for name in DEDUP_TOOLS:
            mine = tools.get(name)
            if mine is None or mine["status"] not in ("ok", "timeout"):
                continue
            for tool, peer in tools.items():
                if tool in DEDUP_TOOLS or peer["status"] != "ok" or not peer["wall_s"]:
                    continue
                out.append(
                    {
                        "size": size,
                        "tool": name,
                        "peer": tool,
                        "ratio": round(mine["wall_s"] / peer["wall_s"], 2),
                        "lower_bound": mine["status"] == "timeout",
                    }
                )
    return out


def _parser() -> argparse.ArgumentParser:
    paragraphs = (__doc__ or "").split("\n\n")
    parser = argparse.ArgumentParser(
        prog="bench.py",
        description="\n\n".join(paragraphs[:1] + paragraphs[2:]),
        epilog="example:\n  python scripts/bench.py --sizes 1000,10000 --work /tmp/bench-work "
        "--json /tmp/bench-work/bench.json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--sizes", default="1000,10000,50000", help="corpus sizes, comma-separated")
    parser.add_argument(
        "--work",
        type=Path,
        default=Path(tempfile.gettempdir()) / "dedup-bench",
        help="folder for corpora, outputs and text-dedup's venv (default: %(default)s)",
    )
    parser.add_argument("--tools", default=",".join(TOOLS), help=f"some of {', '.join(TOOLS)}")
    parser.add_argument("--json", type=Path, help="also write all results to this JSON file")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default: 1)")
    parser.add_argument(
        "--rewordings",
        type=float,
        default=0.0,
        metavar="S",
        help="share of planted passages reworded (make_corpus.py --rewordings; default: 0)",
    )
    parser.add_argument(
        "--summaries",
        type=float,
        default=0.0,
        metavar="S",
        help="share of planted passages that are summaries (make_corpus.py --summaries)",
    )
    parser.add_argument(
        "--syndication",
        type=int,
        default=0,
        metavar="K",
        help="syndicated stories of about 200 copies each (make_corpus.py --syndication)",
    )
    parser.add_argument(
        "--jobs", type=int, default=2, help="worker processes, where a tool has them"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=3600,
        help="seconds before a tool run is killed, counted as timed out (0: never; default 3600)",
    )
    parser.add_argument("--textdedup-python", help="a Python >= 3.12 for text-dedup's venv")
    parser.add_argument("--regenerate", action="store_true", help="make the corpora anew")
    parser.add_argument(
        "--corpus",
        type=Path,
        action="append",
        default=[],
        help="also run the tools on this JSONL corpus of real articles (no truth file: wall "
        "time and memory only; repeatable), e.g. ../shared/eval/realnews-dev/articles.jsonl",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--sizes must be whole numbers separated by commas, got {args.sizes!r}")
    if args.corpus and args.sizes == parser.get_default("sizes"):
        sizes = []  # only the given corpora, unless sizes are asked for too
    if (not sizes and not args.corpus) or (sizes and min(sizes) < 1):
        parser.error("--sizes needs at least one size, each at least 1 (or give --corpus)")
    for path in args.corpus:
        if not path.is_file():
            parser.error(f"--corpus {path}: no such file")
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = [t for t in tools if t not in TOOLS]
    if unknown or not tools:
        named = ", ".join(unknown) or "(none)"
        parser.error(f"unknown tool(s) {named}; choose from {', '.join(TOOLS)}")
    if args.jobs < 1 or args.timeout < 0:
        parser.error("--jobs must be at least 1 and --timeout not negative")
    try:
        import psutil  # noqa: F401
    except ImportError:
        print("bench.py: error: needs psutil (pip install psutil)", file=sys.stderr)
        return 2
    if args.work.exists() and not args.work.is_dir():
        parser.error(f"--work {args.work} is not a folder")
    out = args.work / "out"
    out.mkdir(parents=True, exist_ok=True)
    timeout = args.timeout or None
    ctx = Context(args.work.resolve(), out.resolve(), args.jobs, timeout, args.textdedup_python)

    results: list[dict[str, Any]] = []
    corpora: dict[str, Any] = {}
    runs: list[tuple[int, Path, Truth | None]] = []
    try:
        for n in sizes:
            corpus, made = corpus_for(
                ctx.work, n, args.seed, args.regenerate, args.rewordings, args.summaries,
                args.syndication,
            )  # fmt: skip
            truth_file = corpus.with_name(corpus.name.removesuffix(".jsonl") + ".truth.jsonl")
            truth = Truth(list(read_jsonl(truth_file)))
            corpora[str(n)] = {
                **made,
                "truth_items": len(truth.items),
                "truth_pairs": len(truth.pairs),
            }
            runs.append((n, corpus, truth))
        for path in args.corpus:
            n = sum(1 for line in path.open(encoding="utf-8") if line.strip())
            corpora[str(n)] = {"path": str(path.resolve()), "articles": n, "truth": None}
            runs.append((n, path.resolve(), None))
        for n, corpus, known in runs:
            truth = known if known is not None else Truth([])
            for tool in tools:
                info(f"{n} articles: running {NAMES[tool]}")
                result = {"size": n, "tool": tool, **RUNNERS[tool](ctx, n, corpus, truth)}
                if known is None:  # a real corpus: no truth to score against
                    result.update(precision=None, recall=None, recall_by_kind={})
                results.append(result)
                line = f"{n} articles: {NAMES[tool]} {result['status']}"
                if "wall_s" in result:
                    line += f", {result['wall_s']:.1f} s, peak {result['peak_rss_mb']:.0f} MB"
                if result["status"] != "ok":
                    line += f" ({result.get('reason', '')})"
                info(line)
    except BenchError as e:
        print(f"bench.py: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("bench.py: interrupted", file=sys.stderr)
        return 130

    print(table(results))
    ratio_list = ratios(results)
    for r in ratio_list:
        sign = ">" if r["lower_bound"] else "="
        mode = NAMES[r["tool"]]
        print(f"{r['size']} articles: ({mode})/{NAMES[r['peer']]} {sign} {r['ratio']:.2f}x")
    for r in results:
        if r["status"] not in ("ok",) and r.get("reason"):
            print(f"{r['size']} articles: {NAMES[r['tool']]} {r['status']}: {r['reason']}")
    if args.json:
        record = {
            "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "machine": {
                "python": sys.version.split()[0],
                "platform": platform.platform(),
                "cpus": os.cpu_count(),
            },
            "seed": args.seed,
            "sizes": sizes,
            "tools": tools,
            "jobs": args.jobs,
            "timeout_s": args.timeout or None,
            "corpora": corpora,
            "results": results,
            "ratios": ratio_list,
        }
        args.json.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
        info(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

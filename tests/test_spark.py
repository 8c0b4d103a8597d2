"""The Spark engine (dedup.spark): the same passages, coverage and output as the local scan.

The tests that run Spark share one local[2] session. They are skipped when pyspark or Java 17+
is missing, unless DEDUP_REQUIRE_SPARK=1 (then they fail).
"""

from __future__ import annotations

import dataclasses
import importlib.util
import itertools
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

import dedup
from dedup import spark as dspark
from dedup.cli import cli
from dedup.errors import ConfigError, InputError
from dedup.index import agreement, bands_rows, candidate_pairs
from dedup.inputs import read_articles
from dedup.model import MAX_BUCKET, STOCK_ARTICLES, Article, Params, Report
from dedup.outputs import write_scan_jsonl
from dedup.spark import partitions

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "make_corpus.py"
REQUIRED = os.environ.get("DEDUP_REQUIRE_SPARK") == "1"


def _load_make_corpus() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_corpus", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def _why_no_spark() -> str | None:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install 'dedup-news[spark]')"
    try:
        dspark.check_java()
    except ConfigError as e:
        return str(e)
    return None


NO_SPARK = _why_no_spark()
needs_spark = pytest.mark.skipif(
    NO_SPARK is not None and not REQUIRED, reason=f"no Spark here: {NO_SPARK}"
)


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """One local[2] SparkSession for every test of this session."""
    if NO_SPARK is not None:
        pytest.fail(f"DEDUP_REQUIRE_SPARK=1, but {NO_SPARK}")
    with dspark.spark_session("local[2]", partitions=4) as session:
        yield session


@pytest.fixture(scope="module")
def make_corpus() -> ModuleType:
    return _load_make_corpus()


def _generated(make_corpus: ModuleType, n: int, seed: int) -> list[Article]:
    records, _truth = make_corpus.generate(n, seed)
    return [Article(**record) for record in records]


def _jsonl(report: Report, articles: list[Article]) -> str:
    from io import StringIO

    out = StringIO()
    write_scan_jsonl(report, articles, out, inputs=["corpus.jsonl"])
    return out.getvalue()


def _assert_same(spark_report: Report, local: Report) -> None:
    assert spark_report.passages == local.passages
    assert spark_report.coverage == local.coverage
    assert spark_report.stats == local.stats
    assert spark_report == local


# -- the same results ----------------------------------------------------------------------------


@needs_spark
@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"within": False, "skip_same_source": True, "min_score": 0.7},
        {"copies_only": True, "threshold": dedup.COPY_THRESHOLD},
        {"weighted": True},
    ],
    ids=["defaults", "no-within-skip-same-source", "copies-only", "weighted"],
)
def test_samples_same_as_local(spark: Any, samples_dir: Path, changes: dict[str, Any]) -> None:
    articles = read_articles([samples_dir])
    # Two sources, so that the same-source rule has pairs to leave out, and two articles that
    # copy three paragraphs of the first, one of each source: reuse between articles.
    articles = [dataclasses.replace(a, source="AB"[n % 2]) for n, a in enumerate(articles)]
    lines = [line for line in articles[0].text.split("\n") if line.strip()]
    copied = "\n".join([lines[2], "A line of our own, about the talks.", lines[3], lines[6]])
    articles += [Article("copy-a", copied, source="A"), Article("copy-b", copied, source="B")]
    params = dataclasses.replace(dedup.DEFAULT_PARAMS, **changes)
    local = dedup.scan(articles, params)
    assert dict(local.stats)["candidates"] > 0
    _assert_same(dspark.scan(articles, params, spark=spark), local)


@needs_spark
def test_generated_corpus_same_as_local(spark: Any, make_corpus: ModuleType) -> None:
    articles = _generated(make_corpus, 2000, seed=3)
    local = dedup.scan(articles, jobs=2)
    stats = dict(local.stats)
    assert stats["passages"] > 300
    assert stats["candidates"] > 2_000
    result = dspark.scan(articles, spark=spark)
    _assert_same(result, local)
    assert _jsonl(result, articles) == _jsonl(local, articles)


@needs_spark
def test_syndicated_copies_same_as_local(spark: Any) -> None:
    # Dated copies, read out of date order: the twin groups' heads are the earliest copies.
    from test_twins import _syndicated

    articles = _syndicated(60)[::-1]
    local = dedup.scan(articles)
    stats = dict(local.stats)
    assert stats["collapsed"] > 300
    assert stats["article_pairs"] < 80
    _assert_same(dspark.scan(articles, spark=spark), local)


@needs_spark
def test_the_closest_partners_rule_is_the_same_as_local(spark: Any) -> None:
    # One long article of lines in one shape, aligned with itself, and a second that copies
    # some of them: the rule leaves candidates out, the same ones on both engines.
    from test_partners import _market_report

    text = _market_report(150)
    articles = [Article("markets", text), Article("copy", "\n".join(text.split("\n")[40:46]))]
    local = dedup.scan(articles)
    assert dict(local.stats)["pruned_candidates"] > 0
    assert local.passages
    _assert_same(dspark.scan(articles, spark=spark), local)


@needs_spark
def test_near_copies_link_through_the_earliest_as_local(spark: Any) -> None:
    # Dated notes alike but for a name, read out of date order: each is linked through the
    # earliest of its near copies, the same on both engines.
    from test_partners import _notes

    articles = _notes(40)[::-1]
    local = dedup.scan(articles)
    assert dict(local.stats)["near_copies"] > 0
    _assert_same(dspark.scan(articles, spark=spark), local)


@needs_spark
def test_stock_lines_are_boilerplate_as_local(spark: Any) -> None:
    # A short line that articles without a source print on their own: boilerplate on both.
    from test_resemblance import _stock

    params = dataclasses.replace(dedup.DEFAULT_PARAMS, templates=True)
    articles = _stock(STOCK_ARTICLES)
    local = dedup.scan(articles, params)
    assert {p.kind for p in local.passages} == {"boilerplate"}
    _assert_same(dspark.scan(articles, params, spark=spark), local)


@needs_spark
def test_a_bucket_over_the_limit_is_paired_through_its_first_as_local(spark: Any) -> None:
    from test_partners import _notes

    articles = _notes(MAX_BUCKET + 40)[::-1]
    local = dedup.scan(articles)
    assert dict(local.stats)["capped_buckets"] > 0
    assert local.passages
    _assert_same(dspark.scan(articles, spark=spark), local)


@needs_spark
def test_all_pairs_is_refused_on_spark(spark: Any, samples_dir: Path) -> None:
    articles = read_articles([samples_dir])
    params = dataclasses.replace(dedup.DEFAULT_PARAMS, all_pairs=True)
    with pytest.raises(ConfigError, match="all_pairs is not available on the Spark engine"):
        dspark.scan(articles, params, spark=spark)


@needs_spark
def test_same_source_rule_on_generated_corpus(spark: Any, make_corpus: ModuleType) -> None:
    articles = _generated(make_corpus, 400, seed=5)
    assert len({a.source for a in articles}) > 1
    params = dataclasses.replace(dedup.DEFAULT_PARAMS, skip_same_source=True, within=False)
    local = dedup.scan(articles, params)
    everything = dedup.scan(articles)
    assert 0 < len(local.passages) < len(everything.passages)
    _assert_same(dspark.scan(articles, params, spark=spark, partitions=3), local)


@needs_spark
def test_weighted_corpus_same_as_local(spark: Any) -> None:
    from test_engine import reuse_corpus  # copies, edits and chance overlaps

    articles = reuse_corpus(3, n=60)
    params = dataclasses.replace(dedup.DEFAULT_PARAMS, weighted=True)
    local = dedup.scan(articles, params)
    assert local.weights == "corpus document frequencies (60 articles)"
    assert local.passages != dedup.scan(articles).passages  # the weights change pairs
    _assert_same(dspark.scan(articles, params, spark=spark, partitions=3), local)


# -- the library entry point for Spark jobs --------------------------------------------------


@needs_spark
def test_find_passages_reads_writes_and_covers_like_local(
    spark: Any, make_corpus: ModuleType, tmp_path: Path
) -> None:
    records, _ = make_corpus.generate(300, 7)
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    articles = read_articles([corpus])
    local = dedup.scan(articles)
    assert local.passages

    result = dspark.find_passages(corpus, spark=spark, partitions=3)
    try:
        assert result.stats == local.stats
        assert result.report() == local
        result.write(tmp_path / "jsonl")
        result.write(tmp_path / "parquet", fmt="parquet")
        covs = [row.asDict(recursive=True) for row in result.coverage().collect()]
    finally:
        result.unpersist()

    written = [
        line
        for part in sorted((tmp_path / "jsonl").glob("part-*"))
        for line in part.read_text(encoding="utf-8").splitlines()
    ]
    expected = [
        line for line in _jsonl(local, articles).splitlines() if '"type": "passage"' in line
    ]
    assert written == expected
    parquet = spark.read.parquet(str(tmp_path / "parquet")).collect()
    assert sorted(tuple(r) for r in parquet) == sorted(
        tuple(json.loads(line).values())[1:] for line in expected
    )
    assert [(c["id"], c["length"], c["reused_chars"], c["share"]) for c in covs] == [
        (c.id, c.length, c.reused_chars, c.share) for c in local.coverage
    ]
    assert [tuple((b["id"], b["share"]) for b in c["by_article"]) for c in covs] == [
        tuple(c.by_article.items()) for c in local.coverage
    ]


@needs_spark
def test_find_passages_takes_a_dataframe_and_checks_ids(spark: Any, samples_dir: Path) -> None:
    articles = read_articles([samples_dir])
    frame = spark.createDataFrame([(a.id, a.text) for a in articles], "id string, text string")
    result = dspark.find_passages(frame)
    try:
        assert result.report() == dedup.scan(articles)
    finally:
        result.unpersist()
    twice = spark.createDataFrame([("a", "One text."), ("a", "Another.")], "id string, text string")
    with pytest.raises(InputError, match="duplicate article id 'a'"):
        dspark.find_passages(twice)
    no_text = spark.createDataFrame([("a", None)], "id string, text string")
    with pytest.raises(InputError, match="has no text"):
        dspark.find_passages(no_text)


# -- the command line ----------------------------------------------------------------------------


@needs_spark
def test_cli_spark_output_is_byte_identical(spark: Any, samples_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    local = runner.invoke(cli, ["scan", str(samples_dir), "-o", str(tmp_path / "local.jsonl")])
    assert local.exit_code == 0, local.output
    args = ["scan", str(samples_dir), "-o", str(tmp_path / "spark.jsonl")]
    on_spark = runner.invoke(cli, [*args, "--engine", "spark", "--master", "local[2]"])
    assert on_spark.exit_code == 0, on_spark.output
    assert (tmp_path / "spark.jsonl").read_bytes() == (tmp_path / "local.jsonl").read_bytes()
    assert spark.sparkContext._jsc is not None  # the shared session was not stopped


@pytest.mark.parametrize(
    "extra",
    [["--master", "local[2]"], ["--partitions", "4"], ["--engine", "spark", "--jobs", "2"]],
    ids=["master-without-spark", "partitions-without-spark", "jobs-with-spark"],
)
def test_cli_engine_options_misused(samples_dir: Path, extra: list[str]) -> None:
    result = CliRunner().invoke(cli, ["scan", str(samples_dir), *extra])
    assert result.exit_code == 2
    assert "--engine" in result.output


def _run_cli(
    args: list[str], env: dict[str, str], code: str = ""
) -> subprocess.CompletedProcess[str]:
    program = f"import sys\n{code}\nfrom dedup.cli import cli\ncli(sys.argv[1:])"
    return subprocess.run(
        [sys.executable, "-c", program, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def _env(**changes: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in changes}
    env.update({k: v for k, v in changes.items() if v is not None})
    return env


def test_cli_says_when_java_is_missing(tmp_path: Path) -> None:
    args = ["scan", "samples", "--engine", "spark"]
    done = _run_cli(args, _env(JAVA_HOME=None, PATH=str(tmp_path)))
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    if NO_SPARK is None or "pyspark" not in NO_SPARK:
        assert "needs Java 17 or later, and there is no java on PATH" in done.stderr


def test_cli_says_when_java_is_too_old(tmp_path: Path) -> None:
    java = tmp_path / "bin" / "java"
    java.parent.mkdir()
    java.write_text("#!/bin/sh\necho 'openjdk version \"11.0.22\" 2024-01-16' >&2\n")
    java.chmod(0o755)
    done = _run_cli(["scan", "samples", "--engine", "spark"], _env(JAVA_HOME=str(tmp_path)))
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    if NO_SPARK is None or "pyspark" not in NO_SPARK:
        assert "is Java 11; Spark 4 needs Java 17 or later" in done.stderr


def test_cli_says_how_to_install_pyspark() -> None:
    hide = "sys.modules['pyspark'] = None"
    done = _run_cli(["scan", "samples", "--engine", "spark"], _env(), code=hide)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "pip install 'dedup-news[spark]'" in done.stderr


def test_importing_dedup_does_not_import_pyspark() -> None:
    code = "import sys, dedup, dedup.cli, dedup.spark; print('pyspark' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "False"


def test_java_versions() -> None:
    assert dspark.java_major('openjdk version "21" 2023-09-19') == 21
    assert dspark.java_major('openjdk version "17.0.15" 2025-04-15 LTS') == 17
    assert dspark.java_major('java version "1.8.0_371"') == 8
    assert dspark.java_major("no version here") is None


# -- the candidate stage against the local banding ---------------------------------------------


def _bucket_rows(
    sigs: np.ndarray, keys: list[tuple[int, int]], params: Params, max_bucket: int
) -> list[tuple[Any, ...]]:
    """The rows that Spark hands the candidate stage: (band, key, n, i, sig, k, over), sorted.

    ``k`` (a sentence's number of stems) is made up: the row number.
    """
    bands, rows = bands_rows(params)
    members: dict[tuple[int, bytes], list[int]] = {}
    for band in range(bands):
        for r in range(len(sigs)):
            members.setdefault((band, sigs[r, band * rows : (band + 1) * rows].tobytes()), [])
            members[(band, sigs[r, band * rows : (band + 1) * rows].tobytes())].append(r)
    over: dict[int, list[int]] = {}
    for (band, _), found in members.items():
        if len(found) > max_bucket:
            for r in found:
                over.setdefault(r, []).append(band)
    out = [
        (band, key, *keys[r], sigs[r].tobytes(), r, over.get(r))
        for (band, key), found in members.items()
        if 2 <= len(found) <= max_bucket
        for r in found
    ]
    return sorted(out, key=lambda row: row[:4])


@pytest.mark.parametrize("within", [True, False])
@pytest.mark.parametrize("max_bucket", [3, 6, 1000])
def test_bucket_pairs_equal_candidate_pairs(within: bool, max_bucket: int) -> None:
    params = Params(num_perm=16, threshold=0.3, within=within)
    rng = np.random.default_rng(max_bucket)
    sigs = rng.integers(0, 12, size=(60, params.num_perm)).astype(np.uint32)
    sigs[10:20] = sigs[30]  # copies: more buckets over max_bucket
    keys = [(r // 4, r % 4) for r in range(len(sigs))]  # row order = (article, sentence) order
    groups = np.array([n for n, _ in keys])

    expected = candidate_pairs(sigs, groups, params, max_bucket=max_bucket)
    shared = agreement(sigs, expected)
    want = {(keys[a], keys[b], int(s)) for (a, b), s in zip(expected.tolist(), shared, strict=True)}

    bands, rows = bands_rows(params)
    found = list(
        partitions._pairs_partition(
            params, bands, rows, _bucket_rows(sigs, keys, params, max_bucket)
        )
    )
    got = [
        ((x, i), (y, j), s)
        for c in found
        for x, i, y, j, s in zip(*(v.tolist() for v in (c.x, c.i, c.y, c.j, c.shared)), strict=True)
    ]
    row = {key: r for r, key in enumerate(keys)}
    for c in found:  # each pair carries its sentences' stem counts (here: row numbers)
        assert c.ka.tolist() == [
            row[(x, i)] for x, i in zip(c.x.tolist(), c.i.tolist(), strict=True)
        ]
        assert c.kb.tolist() == [
            row[(y, j)] for y, j in zip(c.y.tolist(), c.j.tolist(), strict=True)
        ]
    assert len(got) == len(set(got))  # each pair once, without a shuffle to deduplicate
    assert set(got) == want
    assert want  # the test has pairs to compare
    assert len(list(itertools.chain(expected))) == len(want)

"""The driver: ``find_passages`` and ``scan`` run the stages as Spark work."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..errors import ConfigError, DedupError, InputError
from ..evidence import contained, evidence_floor, evident_codes, lone_floor
from ..index import bands_rows
from ..inputs import OPTIONAL_FIELDS
from ..model import DEFAULT_PARAMS, MAX_BUCKET, Article, Params, Report
from ..partners import earliest_copies
from ..stages import (
    limits,
    unique_articles,
)
from ..twins import article_ranks
from ..weights import MIN_DOCUMENTS, Weights, weights_for
from .partitions import (
    _ALIGNED,
    _ARTICLES,
    _CANDIDATES,
    _CLOSEST,
    _PARTITION_CHARS,
    _SIGNED,
    _SLICE_CHARS,
    _STARS,
    Candidates,
    _align_partition,
    _as_candidates,
    _at_floor,
    _closest_partition,
    _of_evident,
    _pairs_partition,
    _sign_partition,
    _stars_partition,
    _twin_links,
)
from .result import SparkScan
from .session import _first_line, _pyspark_sql, check_ids, read_articles_frame, spark_session

if TYPE_CHECKING:
    from pyspark.rdd import RDD
    from pyspark.sql import DataFrame, SparkSession


def find_passages(
    articles: DataFrame | str | Path,
    params: Params = DEFAULT_PARAMS,
    *,
    spark: SparkSession | None = None,
    partitions: int | None = None,
) -> SparkScan:
    """Scan articles on Spark; the passages stay on the cluster (``SparkScan``).

    For a Spark job (``spark-submit``). The result's passages, written with
    ``SparkScan.write`` or collected with ``SparkScan.report``, are those of ``dedup.scan`` on
    the same articles in the same order.

    Args:
        articles: a DataFrame with columns ``id`` and ``text`` (and optionally ``source``,
            ``date``, ``url``); or the path of JSONL or Parquet files of them. Input order,
            which decides which article of a pair is ``a`` and how passages are sorted, is the
            order of the DataFrame's rows (for files, the order of Spark's file splits).
        params: the pipeline's parameters.
        spark: the session to read a path with (default: the active one, or a new one).
        partitions: partitions of the articles and of each shuffle (default: the input's, and
            ``spark.sql.shuffle.partitions``).

    Raises:
        InputError: an article without id or text, or two articles with one id.
    """
    if isinstance(articles, (str, Path)):
        if spark is None:
            spark = _pyspark_sql().SparkSession.builder.getOrCreate()
        frame = read_articles_frame(spark, articles)
    else:
        frame = articles
        spark = frame.sparkSession
    return _Run(spark, params, partitions).scan(_numbered(frame))


def scan(
    articles: Iterable[Article],
    params: Params = DEFAULT_PARAMS,
    *,
    master: str | None = None,
    partitions: int | None = None,
    spark: SparkSession | None = None,
) -> Report:
    """``dedup.scan`` on Spark: the same ``Report``, computed by a Spark cluster (or locally).

    Args:
        articles: the corpus; ids must be unique. They are sent from here to the cluster.
        params: the pipeline's parameters.
        master: where to run (``local[2]``, ``spark://HOST:7077``, ``yarn``); default: the
            active session, else ``local[*]``.
        partitions: partitions of the articles and of each shuffle.
        spark: the session to use (default: the active one, or a new one for ``master``,
            stopped at the end).

    Raises:
        InputError: two articles share an id.
        ConfigError: pyspark is missing, Java is missing or too old, or Spark did not start.
        DedupError: a Spark job failed (out of memory, a lost executor...).
    """
    docs = unique_articles(articles)
    try:
        if spark is not None:
            return _scan_on(spark, docs, params, partitions)
        with spark_session(master, partitions=partitions) as session:
            return _scan_on(session, docs, params, partitions)
    except DedupError:
        raise
    except Exception as e:  # a failed Spark job: py4j and Spark raise many kinds
        raise DedupError(f"Spark failed: {_first_line(e)} (Spark's log above has more)") from e


def _scan_on(
    spark: SparkSession, docs: Sequence[Article], params: Params, partitions: int | None
) -> Report:
    context = spark.sparkContext
    chars = sum(len(a.text) for a in docs)
    slices = max(partitions or 2 * context.defaultParallelism, -(-chars // _SLICE_CHARS))
    rows = [(n, a.id, a.text, a.source, a.date, a.url) for n, a in enumerate(docs)]
    frame = spark.createDataFrame(
        context.parallelize(rows, max(1, min(slices, len(rows)))), _ARTICLES, verifySchema=False
    )
    # Spark's default of 200 shuffle partitions costs more than it gives on small corpora.
    shuffles = partitions or max(2 * context.defaultParallelism, -(-chars // _PARTITION_CHARS))
    result = _Run(spark, params, shuffles).scan(frame, checked=True)
    try:
        return result.report(docs)
    finally:
        result.unpersist()


def _numbered(frame: DataFrame) -> DataFrame:
    """The articles with their number ``n`` in input order, all columns as strings."""
    from pyspark.sql import functions as F

    missing = [name for name in ("id", "text") if name not in frame.columns]
    if missing:
        raise InputError(f"the articles have no {' or '.join(missing)} column")
    columns = [
        F.col(name).cast("string") if name in frame.columns else F.lit(None).cast("string")
        for name in ("id", "text", *OPTIONAL_FIELDS)
    ]
    indexed = frame.select(*columns).rdd.zipWithIndex().map(lambda row: (row[1], *row[0]))
    return frame.sparkSession.createDataFrame(indexed, _ARTICLES, verifySchema=False)


class _Run:
    """One scan on one session: the stages as Spark jobs, each with a description."""

    def __init__(self, spark: SparkSession, params: Params, partitions: int | None) -> None:
        if params.all_pairs:
            raise ConfigError(
                "all_pairs is not available on the Spark engine: scan without it (each copy "
                "is linked to the earliest), or use the local engine"
            )
        self.spark = spark
        self.params = params
        self.partitions = partitions

    def _job(self, description: str) -> None:
        self.spark.sparkContext.setJobDescription(f"dedup: {description}")

    def scan(self, frame: DataFrame, *, checked: bool = False) -> SparkScan:
        """Run the stages on articles ``(n, id, text, source, date, url)``."""
        conf = self.spark.conf
        before = conf.get("spark.sql.shuffle.partitions")
        if self.partitions is not None:
            conf.set("spark.sql.shuffle.partitions", str(self.partitions))
        try:
            return self._scan(frame, checked)
        finally:
            if before is None:
                conf.unset("spark.sql.shuffle.partitions")
            else:
                conf.set("spark.sql.shuffle.partitions", before)
            self.spark.sparkContext.setJobDescription(None)  # type: ignore[arg-type]

    def _scan(self, frame: DataFrame, checked: bool) -> SparkScan:
        from pyspark import StorageLevel
        from pyspark.sql import functions as F

        if self.partitions is not None and not checked:
            frame = frame.repartition(self.partitions)
        articles = frame.persist(StorageLevel.MEMORY_AND_DISK)
        self._job("articles")
        count = articles.count()
        if not checked:
            self._job("checking ids")
            check_ids(articles)
        signed, sentences = self._sign(articles)
        weights = self._weights(signed, count)
        heads, twin_links, collapsed = self._twins(articles, signed)
        found, sized = self._candidates(heads)
        capped = (
            sized.filter(F.col("size") > MAX_BUCKET)
            .agg(F.countDistinct("band", "key"), F.count(F.lit(1)))
            .first()
        )
        capped_counts = (int(capped[0]), int(capped[1])) if capped else (0, 0)
        candidates = found.union(twin_links)
        sizes = np.zeros(count, dtype=np.int64)
        for row in signed.select("n", F.size("sigs").alias("k")).toLocalIterator():
            sizes[row["n"]] = row["k"]
        dates = {row["n"]: row["date"] for row in articles.select("n", "date").toLocalIterator()}
        ranks = article_ranks([dates[n] for n in range(count)])
        groups, n_candidates, pruned, near = self._evidence(candidates, count, sizes, ranks)
        sized.unpersist()
        heads.unpersist()
        signed.unpersist()
        found.unpersist()
        twin_links.unpersist()
        aligned = self._align(articles, groups, weights)
        groups.unpersist()
        self._job("aligning")
        counts = aligned.agg(F.count(F.lit(1)), F.sum(F.size("passages"))).first()
        n_pairs, n_passages = (int(counts[0]), int(counts[1] or 0)) if counts else (0, 0)
        stats = (
            ("articles", count),
            ("sentences", sentences),
            ("candidates", n_candidates),
            ("article_pairs", n_pairs),
            ("passages", n_passages),
            *limits(collapsed, *capped_counts, pruned, near),
        )
        return SparkScan(articles, aligned, self.params, stats, weights.source)

    def _sign(self, articles: DataFrame) -> tuple[DataFrame, int]:
        from pyspark import StorageLevel
        from pyspark.sql import functions as F

        work = functools.partial(_sign_partition, self.params)
        rdd = articles.select("n", "text").rdd.mapPartitions(work)
        signed = self.spark.createDataFrame(rdd, _SIGNED, verifySchema=False)
        signed = signed.persist(StorageLevel.MEMORY_AND_DISK)
        self._job("sentences and signatures")
        total = signed.agg(F.sum("sentences")).first()
        return signed, int(total[0] or 0) if total else 0

    def _weights(self, signed: DataFrame, articles: int) -> Weights:
        """The scan's weights, from document frequencies counted on the cluster."""
        from pyspark.sql import functions as F

        if not self.params.weighted or articles < MIN_DOCUMENTS:
            return weights_for({}, articles, self.params.weighted)
        self._job("document frequencies of stems")
        counted = signed.select(F.explode("stems").alias("stem")).groupBy("stem").count()
        frequencies = {row["stem"]: int(row["count"]) for row in counted.toLocalIterator()}
        return weights_for(frequencies, articles, self.params.weighted)

    def _twins(
        self, articles: DataFrame, signed: DataFrame
    ) -> tuple[DataFrame, RDD[Candidates], int]:
        """The heads of the twin groups (``dedup.twins``), their links, and the rows collapsed.

        Heads are rows ``(n, i, sig)``: the first of each group of equal signatures by the
        rank of its article (``article_ranks``: date, then input order) and its number.
        """
        from pyspark import StorageLevel
        from pyspark.sql import Window
        from pyspark.sql import functions as F

        self._job("twin groups of identical sentences")
        by_date = Window.orderBy(F.col("date").isNull(), F.col("date"), F.col("n"))
        ranks = articles.select("n", F.row_number().over(by_date).alias("rank"))
        sigs = signed.select("n", F.inline("sigs")).join(ranks, "n")
        first = Window.partitionBy("sig").orderBy("rank", "i")
        numbered = sigs.withColumn("place", F.row_number().over(first))
        numbered = numbered.persist(StorageLevel.MEMORY_AND_DISK)
        heads = numbered.filter(F.col("place") == 1).select("n", "i", "sig", "k")
        heads = heads.persist(StorageLevel.MEMORY_AND_DISK)
        collapsed = numbered.filter(F.col("place") > 1).count()
        members = numbered.groupBy("sig").agg(
            F.collect_list(F.struct("rank", "i", "n")).alias("members")
        )
        grouped = members.filter(F.size("members") > 1).select("members")
        work = functools.partial(_twin_links, self.params)
        found: RDD[Candidates] = grouped.rdd.mapPartitions(work)
        found = found.persist(StorageLevel.MEMORY_AND_DISK)
        found.count()
        numbered.unpersist()
        return heads, found, collapsed

    def _candidates(self, sigs: DataFrame) -> tuple[RDD[Candidates], DataFrame]:
        from pyspark import StorageLevel
        from pyspark.sql import Window
        from pyspark.sql import functions as F

        self._job("band keys and buckets")  # (adaptive execution runs shuffles at .rdd)
        bands, rows = bands_rows(self.params)
        width = rows * np.dtype(np.uint32).itemsize
        keyed = sigs.select(
            "n", "i", F.explode(F.sequence(F.lit(0), F.lit(bands - 1))).alias("band"), "sig"
        ).select(
            "n", "i", "band", F.expr(f"substring(sig, band * {width} + 1, {width})").alias("key")
        )
        size = F.count(F.lit(1)).over(Window.partitionBy("band", "key"))
        # Kept for the two uses below, so that the window is computed once.
        sized = keyed.withColumn("size", size).filter(F.col("size") >= 2)
        sized = sized.persist(StorageLevel.MEMORY_AND_DISK)
        over = (
            sized.filter(F.col("size") > MAX_BUCKET)
            .groupBy("n", "i")
            .agg(F.collect_list("band").alias("over"))
        )
        members = sized.filter(F.col("size") <= MAX_BUCKET).select("band", "key", "n", "i")
        with_sigs = members.join(sigs.join(over, ["n", "i"], "left"), ["n", "i"])
        ordered = with_sigs.select("band", "key", "n", "i", "sig", "k", "over")
        ordered = (
            ordered.repartition(self.partitions, "band", "key")
            if self.partitions is not None
            else ordered.repartition("band", "key")
        ).sortWithinPartitions("band", "key", "n", "i")
        work = functools.partial(_pairs_partition, self.params, bands, rows)
        found: RDD[Candidates] = ordered.rdd.mapPartitions(work)
        big = sized.filter(F.col("size") > MAX_BUCKET).select("band", "key", "n", "i")
        big = big.join(sigs.join(over, ["n", "i"], "left"), ["n", "i"])
        big = big.select("band", "key", "n", "i", "sig", "k", "over")
        big = big.repartition("band", "key").sortWithinPartitions("band", "key", "n", "i")
        star = functools.partial(_stars_partition, self.params, bands, rows)
        stars = self.spark.createDataFrame(big.rdd.mapPartitions(star), _STARS).distinct()
        found = found.union(stars.rdd.mapPartitions(_as_candidates))
        return found.persist(StorageLevel.MEMORY_AND_DISK), sized

    def _evidence(
        self, candidates: RDD[Candidates], articles: int, sizes: np.ndarray, ranks: np.ndarray
    ) -> tuple[DataFrame, int, int, int]:
        """The candidates of the article pairs with evidence, grouped by pair, and how many.

        Each pair keeps its sentences' closest candidates (``dedup.partners``); the third value
        counts the others, left out, and the fourth the near copies linked through their
        earliest copy instead (``earliest_copies``; ``ranks``: each article's).

        ``sizes`` are the articles' indexable sentences (``dedup.evidence.evident_codes``); each
        candidate pair is in ``candidates`` once, so the driver counts them as they come.
        """
        from pyspark import StorageLevel
        from pyspark.sql import functions as F

        self._job("candidates and evidence")
        floor = evidence_floor(self.params)
        parts = candidates.map(functools.partial(_at_floor, floor)).collect()
        x, y, agree, ka, kb, i, j = np.concatenate([np.empty((0, 7), dtype=np.int64), *parts]).T
        copy = contained(agree, ka, kb, self.params)
        evident = evident_codes(x, y, agree, sizes, articles, lone_floor(self.params), copy)
        shared = self.spark.sparkContext.broadcast(evident)
        far = ~earliest_copies(x, i, y, j, agree, ranks)
        left_out = frozenset(zip(*(c[far].tolist() for c in (x, i, y, j)), strict=True))
        dropped = self.spark.sparkContext.broadcast(left_out)
        rows = candidates.flatMap(functools.partial(_of_evident, shared, dropped, articles))
        frame = self.spark.createDataFrame(rows, _CANDIDATES, verifySchema=False)
        grouped = frame.groupBy("x", "y").agg(
            F.collect_list(F.struct("i", "j", "shared")).alias("candidates")
        )
        closest = grouped.rdd.mapPartitions(_closest_partition)
        groups = self.spark.createDataFrame(closest, _CLOSEST, verifySchema=False)
        groups = groups.persist(StorageLevel.MEMORY_AND_DISK)
        self._job("candidates of evident article pairs")
        total = groups.agg(F.sum(F.size("candidates")), F.sum("pruned")).first()
        counts = (int(total[0] or 0), int(total[1] or 0)) if total else (0, 0)
        return groups, *counts, len(left_out)

    def _align(self, articles: DataFrame, groups: DataFrame, weights: Weights) -> DataFrame:
        from pyspark import StorageLevel
        from pyspark.sql import functions as F

        self._job("joining the texts of article pairs")

        def side(prefix: str, number: str) -> DataFrame:
            return articles.select(
                F.col("n").alias(number),
                F.col("id").alias(f"{prefix}_id"),
                F.col("text").alias(f"{prefix}_text"),
                F.col("source").alias(f"{prefix}_source"),
            )

        work = (
            groups.join(side("a", "x"), "x")
            .join(side("b", "y"), "y")
            .sortWithinPartitions("y", "x")
            .select(
                "x", "y", "candidates", "a_id", "a_text", "a_source", "b_id", "b_text", "b_source"
            )
        )
        shared = self.spark.sparkContext.broadcast(weights)
        rdd = work.rdd.mapPartitions(functools.partial(_align_partition, self.params, shared))
        aligned = self.spark.createDataFrame(rdd, _ALIGNED, verifySchema=False)
        return aligned.persist(StorageLevel.MEMORY_AND_DISK)

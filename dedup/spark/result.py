"""``SparkScan``: the passages of a Spark scan, on the cluster until collected."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .._version import __version__
from ..boilerplate import digests
from ..errors import ConfigError
from ..inputs import OPTIONAL_FIELDS
from ..model import Article, Params, Passage, Report
from ..outputs import PASSAGE_FIELDS
from ..stages import coverage, resemblance
from .partitions import _COVERAGE, _coverage_partition, _jsonl_line, _passage

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

Format = Literal["jsonl", "parquet"]


# -- the driver ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SparkScan:
    """The result of ``find_passages``: passages that stay on the cluster until collected.

    Attributes:
        articles: the articles, numbered in input order (``n``, ``id``, ``text``, ``source``,
            ``date``, ``url``); persisted.
        aligned: one row per aligned article pair (``x``, ``y``: their numbers; ``passages``);
            persisted.
        params: the parameters of the scan.
        stats: the counts of the ``meta`` line of ``dedup scan``: articles, sentences,
            candidates, article_pairs, passages.
        weights: where the stems' weights came from (``dedup.weights.Weights.source``).
    """

    articles: DataFrame
    aligned: DataFrame
    params: Params
    stats: tuple[tuple[str, int], ...]
    weights: str = "uniform"

    def passages(self) -> DataFrame:
        """The passages, one row each with the fields of ``dedup scan``'s passage lines.

        Sorted as ``Report.passages`` (by the articles' input order, then offsets); the
        columns ``x``, ``y`` and ``k`` (article numbers, index in the aligner's output) give
        that order.
        """
        from pyspark.sql import functions as F

        rows = self.aligned.select("x", "y", F.inline("passages"))
        return rows.select(*PASSAGE_FIELDS, "x", "y", "k").orderBy(
            "x", "y", "a_start", "b_start", "k"
        )

    def coverage(self) -> DataFrame:
        """The coverage of every article (as ``dedup.stages.coverage``), in input order."""
        from pyspark.sql import functions as F

        passages = self.passages().select(
            F.explode(F.array_distinct(F.array("a_id", "b_id"))).alias("id"),
            F.struct(*PASSAGE_FIELDS).alias("p"),
        )
        touching = passages.groupBy("id").agg(F.collect_list("p").alias("passages"))
        rows = self.articles.join(touching, "id", "left").select("n", "id", "text", "passages")
        spark = self.articles.sparkSession
        covs = spark.createDataFrame(
            rows.select("id", "text", "passages").rdd.mapPartitions(_coverage_partition),
            _COVERAGE,
            verifySchema=False,
        )
        order = rows.select("id", "n")
        return covs.join(order, "id").orderBy("n").drop("n")

    def write(
        self, path: str | Path, fmt: Format = "jsonl", *, mode: str = "errorifexists"
    ) -> None:
        """Write the passages from the cluster to a folder of part files, in order.

        ``jsonl``: the ``passage`` lines of ``dedup scan``, exactly; ``parquet``: the same
        fields as columns. ``mode`` is Spark's save mode (``overwrite``, ``errorifexists``...).
        """
        passages = self.passages()
        if fmt == "parquet":
            passages.drop("x", "y", "k").write.mode(mode).parquet(str(path))
        elif fmt == "jsonl":
            spark = self.articles.sparkSession
            lines = spark.createDataFrame(passages.rdd.map(_jsonl_line), "value string")
            lines.write.mode(mode).text(str(path))
        else:
            raise ConfigError(f"unknown format {fmt!r}: give jsonl or parquet")

    def report(self, articles: Sequence[Article] | None = None) -> Report:
        """Collect the passages on the driver: the ``Report`` that ``dedup.scan`` gives.

        ``articles`` are the scanned articles in input order (collected when not given).
        """
        if articles is None:
            rows = self.articles.select("n", "id", "text", *OPTIONAL_FIELDS).orderBy("n")
            articles = [Article(*row[1:]) for row in rows.collect()]
        found: list[tuple[tuple[int, int, int, int, int], Passage]] = []
        context = self.articles.sparkSession.sparkContext
        context.setJobDescription("dedup: collecting passages")
        for x, y, passages in self.aligned.select("x", "y", "passages").toLocalIterator():
            for row in passages:
                p = _passage(row)
                found.append(((x, y, p.a_start, p.b_start, row["k"]), p))
        context.setJobDescription(None)  # type: ignore[arg-type]
        found.sort(key=lambda item: item[0])
        passages = [p for _, p in found]
        sourced = ((n, a.source, digests(a.text)) for n, a in enumerate(articles) if a.source)
        passages = resemblance(articles, passages, self.params, sourced)  # as dedup.scan does
        touching: dict[str, list[Passage]] = defaultdict(list)
        for p in passages:
            touching[p.a_id].append(p)
            if p.b_id != p.a_id:
                touching[p.b_id].append(p)
        return Report(
            tuple(passages),
            tuple(coverage(a, touching.get(a.id, ())) for a in articles),
            self.params,
            __version__,
            self.stats,
            self.weights,
        )

    def unpersist(self) -> None:
        """Free the cluster memory that the articles and aligned pairs hold."""
        self.aligned.unpersist()
        self.articles.unpersist()

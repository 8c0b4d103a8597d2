"""``scan`` on Apache Spark: the local pipeline's stages and code, run as Spark work.

The stages are those of ``dedup.pipeline.scan``, each calling the same functions:

1. **Sign** (``mapPartitions``): ``make_sentences`` per article, sentences with at least
   ``min_features`` features, ``Signer.sign`` (one Signer per worker process, as in
   ``dedup.engine``). Each indexable sentence becomes a row ``(n, i, sig)``: article number in
   input order, sentence index, and its ``num_perm`` uint32 values as bytes.
2. **Band** (Spark SQL): for each of ``bands_rows(params)`` bands, the key is the band number
   and the bytes of that band's values. A window counts the sentences of each key; keys held
   by more than ``MAX_BUCKET`` sentences are left out, as ``candidate_pairs`` leaves them out,
   so that boilerplate cannot blow up the shuffle.
3. **Candidates and agreement** (``mapPartitions`` over the buckets, each with its members'
   signatures joined in): every pair of a bucket, ``a < b`` by (article, sentence), without
   same-article pairs unless ``params.within``; ``agreement`` of each. A pair that shares
   several bands is kept once, from the first band it shares whose key is not over
   ``MAX_BUCKET``, so no shuffle is needed to deduplicate pairs.
4. **Evidence**: the article pairs with one sentence pair at ``evidence_floor`` are collected
   and broadcast (few: most candidates are between articles that share only common words);
   the candidates of those article pairs are grouped by article pair.
5. **Align** (``mapPartitions``): the two articles' texts are joined in, their sentences made
   again (``make_sentences``), ``article_pairs`` applies the same-source rule, and ``align``
   returns the passages.

``scan`` collects the passages and computes coverage on the driver, with the same sort and the
same ``coverage`` as the local scan, so its ``Report`` equals ``dedup.pipeline.scan``'s.
``find_passages`` is for a Spark job: it takes a DataFrame (or a path of JSONL or Parquet
articles) and leaves the passages on the cluster, to write as JSONL or Parquet.

pyspark is imported only inside functions here, so ``import dedup`` never needs it.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

import numpy as np

from .align import align
from .bands import bucket_pairs
from .boilerplate import digests
from .errors import ConfigError, DedupError, InputError
from .index import (
    agreement,
    bands_rows,
    contained,
    evidence_floor,
    evident_codes,
    lone_floor,
)
from .inputs import OPTIONAL_FIELDS
from .model import DEFAULT_PARAMS, MAX_BUCKET, Article, Params, Passage, Report, Sentence
from .outputs import PASSAGE_FIELDS, passage_record
from .pipeline import (
    __version__,
    article_pairs,
    coverage,
    limits,
    resemblance,
    unique_articles,
)
from .shingle import make_sentences, shared_signer
from .twins import links
from .weights import MIN_DOCUMENTS, Weights, document_frequencies, weights_for

if TYPE_CHECKING:
    from pyspark.broadcast import Broadcast
    from pyspark.rdd import RDD
    from pyspark.sql import DataFrame, SparkSession

MIN_JAVA = 17
INSTALL_HINT = "pip install 'dedup-news[spark]'"
Format = Literal["jsonl", "parquet"]

_ARTICLES = "n long, id string, text string, source string, date string, url string"
_SIGNED = (
    "n long, sentences int, sigs array<struct<i: int, sig: binary, k: int>>, stems array<string>"
)
_CANDIDATES = "x long, y long, i int, j int, shared int"
_PASSAGE_TYPES = {
    "a_id": "string",
    "a_start": "int",
    "a_end": "int",
    "b_id": "string",
    "b_start": "int",
    "b_end": "int",
    "score": "double",
    "kind": "string",
    "sentence_pairs": "int",
    "quoted": "double",
    "a_snippet": "string",
    "b_snippet": "string",
}
_PASSAGE = ", ".join(f"{name}: {_PASSAGE_TYPES[name]}" for name in PASSAGE_FIELDS)
_ALIGNED = f"x long, y long, passages array<struct<k: int, {_PASSAGE}>>"
_COVERAGE = (
    "id string, length int, reused_chars int, share double, "
    "by_article array<struct<id: string, share: double>>"
)
_BATCH_MEMBERS = 20_000  # bucket members per batch of the candidate stage
_CHUNK_PAIRS = 65_536  # pairs compared at once (a bool matrix of num_perm columns each)
_SLICE_CHARS = 400_000  # text per slice when the driver's articles are sent to the cluster
_PARTITION_CHARS = 16_000_000  # text per shuffle partition, by default, in ``scan``
_SENTENCE_CACHE = 8192  # articles whose sentences an aligning task keeps

# Spark's own logging, for a session made here: warnings and errors, one line each, on stderr;
# the start-up notices of the default profile and Hadoop's native-library warning left out.
_LOG4J2 = """\
rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex
logger.hadoop.name = org.apache.hadoop
logger.hadoop.level = error
logger.netty.name = io.netty
logger.netty.level = error
logger.parquet.name = org.apache.parquet
logger.parquet.level = error
"""


# -- Java, pyspark and the session -------------------------------------------------------------


def java_command(env: Mapping[str, str] | None = None) -> str | None:
    """The ``java`` that Spark starts: ``$JAVA_HOME/bin/java`` if JAVA_HOME is set, else PATH's.

    Returns None when there is none.
    """
    env = os.environ if env is None else env
    home = env.get("JAVA_HOME")
    if home:
        java = Path(home) / "bin" / "java"
        return str(java) if java.is_file() else None
    return shutil.which("java", path=env.get("PATH", os.defpath))


def java_major(version_text: str) -> int | None:
    """The major version in the output of ``java -version``, or None.

    >>> java_major('openjdk version "17.0.15" 2025-04-15')
    17
    >>> java_major('java version "1.8.0_371"')
    8
    """
    found = re.search(r'version "(\d+)(?:\.(\d+))?', version_text)
    if found is None:
        return None
    major = int(found.group(1))
    if major == 1 and found.group(2) is not None:  # "1.8.0" is Java 8
        major = int(found.group(2))
    return major


def check_java(env: Mapping[str, str] | None = None) -> None:
    """Raise ``ConfigError`` unless the ``java`` that Spark would start is Java 17 or later."""
    env = os.environ if env is None else env
    java = java_command(env)
    where = "JAVA_HOME" if env.get("JAVA_HOME") else "PATH"
    if java is None:
        raise ConfigError(
            f"the Spark engine needs Java {MIN_JAVA} or later, and there is no java on {where}; "
            f"install a JDK or JRE {MIN_JAVA}+ (e.g. apt-get install openjdk-17-jre-headless) "
            "or set JAVA_HOME to one"
        )
    try:
        done = subprocess.run(
            [java, "-version"], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        raise ConfigError(f"cannot run {java} -version ({e}); Spark needs Java {MIN_JAVA}+") from e
    major = java_major(done.stderr + done.stdout)
    if major is None:
        raise ConfigError(f"cannot tell which Java {java} is; Spark needs Java {MIN_JAVA}+")
    if major < MIN_JAVA:
        raise ConfigError(
            f"{java} (from {where}) is Java {major}; Spark 4 needs Java {MIN_JAVA} or later: "
            "install a newer JDK or JRE, or set JAVA_HOME to one"
        )


def _pyspark_sql() -> Any:
    """The ``pyspark.sql`` module, or a ``ConfigError`` that says how to install it."""
    try:
        import pyspark
        import pyspark.sql
    except ImportError as e:
        raise ConfigError(
            f"the Spark engine needs pyspark, which is not installed: {INSTALL_HINT}"
        ) from e
    major = pyspark.__version__.split(".")[0]
    if major != "4":
        raise ConfigError(f"dedup needs pyspark 4, found {pyspark.__version__}: {INSTALL_HINT}")
    return pyspark.sql


def _log_config() -> str:
    """A file URI of the log4j2 configuration above, written to the temp folder once."""
    digest = hashlib.sha256(_LOG4J2.encode()).hexdigest()[:12]
    path = Path(tempfile.gettempdir()) / f"dedup-spark-log4j2-{digest}.properties"
    if not path.is_file():
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        partial.write_text(_LOG4J2, encoding="utf-8")
        partial.replace(path)
    return path.as_uri()


def _local_heap() -> str:
    """A quarter of this machine's memory (1 to 16 GiB), for the driver of a local master."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # not on every platform
        return "2g"
    return f"{min(16, max(1, total // 4 // 2**30))}g"


def _is_local(master: str | None) -> bool:
    return master is None or master == "local" or master.startswith("local[")


@contextmanager
def spark_session(
    master: str | None = None,
    *,
    partitions: int | None = None,
    conf: Mapping[str, str] | None = None,
    app_name: str = "dedup",
) -> Iterator[SparkSession]:
    """Yield the active SparkSession, or one made for ``master`` and stopped on exit.

    A session made here runs its Python workers on this interpreter (``PYSPARK_PYTHON``, unless
    set), binds a local master to the loopback interface (``SPARK_LOCAL_IP``, unless set), logs
    only Spark's warnings and errors, shows no progress bars and, for a local master, no web UI.

    Args:
        master: ``local[N]``, ``spark://HOST:PORT``, ``yarn``...; None: ``local[*]``, or the
            master that ``spark-submit`` was given.
        partitions: ``spark.sql.shuffle.partitions`` for a session made here.
        conf: more Spark settings for a session made here (an event log, memory...).
        app_name: the application's name in the cluster manager.

    Raises:
        ConfigError: pyspark is not installed, Java is missing or older than 17, or Spark
            did not start.
    """
    sql = _pyspark_sql()
    active = sql.SparkSession.getActiveSession()
    if active is not None:
        yield active
        return
    check_java()
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    if _is_local(master):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    settings = {
        "spark.ui.showConsoleProgress": "false",
        "spark.driver.extraJavaOptions": f"-Dlog4j2.configurationFile={_log_config()}",
        "spark.log.structuredLogging.enabled": "false",
    }
    if _is_local(master):
        settings["spark.ui.enabled"] = "false"
        # In local mode all of Spark's own work runs in the driver's heap; Spark's 1g default
        # does not hold the shuffles of a few ten thousand articles.
        given = os.environ.get("PYSPARK_SUBMIT_ARGS", "")
        if "driver-memory" not in given and "spark.driver.memory" not in given:
            settings["spark.driver.memory"] = _local_heap()
    if partitions is not None:
        settings["spark.sql.shuffle.partitions"] = str(partitions)
    settings.update(conf or {})
    builder = sql.SparkSession.builder.appName(app_name)
    if master is not None:
        builder = builder.master(master)
    for key, value in settings.items():
        builder = builder.config(key, value)
    try:
        spark = builder.getOrCreate()
    except Exception as e:  # py4j and Spark raise many kinds
        where = master or "local[*]"
        raise ConfigError(f"cannot start Spark (master {where}): {_first_line(e)}") from e
    try:
        yield spark
    finally:
        with contextlib.suppress(Exception):  # after a crash of the JVM, there is none to stop
            spark.stop()


# -- the stages' work in the workers ---------------------------------------------------------


def _sign_partition(
    params: Params, rows: Iterable[tuple[int, str]]
) -> Iterator[tuple[int, int, list[tuple[int, bytes, int]], list[str]]]:
    """Sentences and signatures of each article: ``(n, sentences, [(i, sig, k)], stems)``.

    ``sig`` is the signature's bytes and ``k`` the sentence's number of stems.

    ``stems`` are the article's distinct stems, for the document frequencies of the weights.
    """
    signer = shared_signer(params)
    for n, text in rows:
        sentences = make_sentences(n, text, params)
        usable = [s for s in sentences if len(s.features) >= params.min_features]
        matrix = signer.sign([s.features for s in usable])
        signed = [
            (s.index, row.tobytes(), len(s.features)) for s, row in zip(usable, matrix, strict=True)
        ]
        stems = document_frequencies([[s.features for s in sentences]])
        yield n, len(sentences), signed, sorted(stems)


@dataclass(frozen=True, slots=True)
class Candidates:
    """Candidate sentence pairs ``(x, i) < (y, j)`` with their agreement, as numpy arrays.

    ``ka`` and ``kb`` are the two sentences' numbers of stems (``dedup.index.contained``).
    """

    x: np.ndarray
    i: np.ndarray
    y: np.ndarray
    j: np.ndarray
    shared: np.ndarray
    ka: np.ndarray
    kb: np.ndarray

    def codes(self, articles: int) -> np.ndarray:
        """One integer per pair for its article pair: ``x * articles + y``."""
        codes: np.ndarray = self.x * articles + self.y
        return codes


@dataclass(slots=True)
class _Buckets:
    """A batch of buckets (sentences sharing a band key), their members in global order."""

    bands: int
    rows: int
    num_perm: int
    band: list[int] = field(default_factory=list)  # per bucket
    starts: list[int] = field(default_factory=list)  # per bucket: its first member
    n: list[int] = field(default_factory=list)  # per member
    i: list[int] = field(default_factory=list)
    k: list[int] = field(default_factory=list)  # per member: its sentence's stems
    sigs: list[bytes] = field(default_factory=list)
    over: list[tuple[int, int]] = field(default_factory=list)  # (member, band) over MAX_BUCKET

    def open(self, band: int) -> None:
        self.band.append(band)
        self.starts.append(len(self.n))

    def add(self, n: int, i: int, sig: bytes, over: Sequence[int] | None, k: int) -> None:
        member = len(self.n)
        self.n.append(n)
        self.i.append(i)
        self.k.append(k)
        self.sigs.append(sig)
        self.over.extend((member, band) for band in over or ())

    def pairs(self, within: bool) -> Iterator[Candidates]:
        """The candidate pairs of these buckets that are found first in them.

        A pair is found in each band it shares; it is kept in the first band it shares whose
        key is not over ``MAX_BUCKET`` (the bucket's members know which of their keys are),
        so that the pairs of all batches together are the distinct pairs of ``candidate_pairs``.
        """
        m = len(self.n)
        if m == 0:
            return
        sigs = np.frombuffer(b"".join(self.sigs), dtype=np.uint32).reshape(m, self.num_perm)
        n, i = np.array(self.n, dtype=np.int64), np.array(self.i, dtype=np.int32)
        k = np.array(self.k, dtype=np.int64)
        over = np.zeros((m, self.bands), dtype=bool)
        if self.over:
            members, bands = np.array(self.over, dtype=np.int64).T
            over[members, bands] = True
        starts = np.array(self.starts, dtype=np.int64)
        sizes = np.diff(np.r_[starts, m])
        bucket_band = np.array(self.band, dtype=np.int64)
        found: list[Candidates] = []
        for size in np.unique(sizes[sizes >= 2]).tolist():
            chosen = sizes == size
            members = starts[chosen][:, None] + np.arange(size)  # a bucket a row
            a, b = bucket_pairs(members)
            band = np.repeat(bucket_band[chosen], size * (size - 1) // 2)
            if not within:
                other = n[a] != n[b]
                a, b, band = a[other], b[other], band[other]
            for start in range(0, len(a), _CHUNK_PAIRS):
                chunk = (v[start : start + _CHUNK_PAIRS] for v in (a, b, band))
                found.append(self._first(sigs, over, n, i, k, *chunk))
        if found:
            yield Candidates(*(np.concatenate(columns) for columns in zip(*(
                (c.x, c.i, c.y, c.j, c.shared, c.ka, c.kb) for c in found
            ), strict=True)))  # fmt: skip

    def _first(
        self,
        sigs: np.ndarray,
        over: np.ndarray,
        n: np.ndarray,
        i: np.ndarray,
        k: np.ndarray,
        a: np.ndarray,
        b: np.ndarray,
        band: np.ndarray,
    ) -> Candidates:
        width = self.bands * self.rows
        equal = sigs[a, :width] == sigs[b, :width]
        shares = ~over[a]  # a pair shares a band if its rows' values are all equal
        for row in range(self.rows):
            shares &= equal[:, row :: self.rows]
        keep = shares.argmax(axis=1) == band
        a, b = a[keep], b[keep]
        shared = agreement(sigs, np.stack([a, b], axis=1)).astype(np.int16)
        return Candidates(n[a], i[a], n[b], i[b], shared, k[a], k[b])


def _twin_links(params: Params, groups: Iterable[Sequence[Any]]) -> Iterator[Candidates]:
    """The links of twin groups (``dedup.twins.links``), from rows ``(members)``.

    Each row is one group's members ``(rank, i, n)``; they are linked in rank order, and each
    link is a candidate pair whose signatures agree everywhere.
    """
    columns: tuple[list[int], list[int], list[int], list[int]] = ([], [], [], [])
    for (members,) in groups:
        ordered = sorted((rank, i, n) for rank, i, n in members)
        keys = [(n, i) for _, i, n in ordered]
        for a, b in links([n for n, _ in keys], keys):
            first, second = min(a, b), max(a, b)
            if params.within or first[0] != second[0]:
                for column, value in zip(columns, (*first, *second), strict=True):
                    column.append(value)
    if columns[0]:
        x, i, y, j = (np.array(column, dtype=np.int64) for column in columns)
        shared = np.full(len(x), params.num_perm, dtype=np.int16)
        stems = np.zeros(len(x), dtype=np.int64)  # identical: evidence whatever their size
        yield Candidates(x, i.astype(np.int32), y, j.astype(np.int32), shared, stems, stems)


def _pairs_partition(
    params: Params, bands: int, rows: int, members: Iterable[Sequence[Any]]
) -> Iterator[Candidates]:
    """Candidate pairs from rows ``(band, key, n, i, sig, k, over)``, by band, key, n, i."""
    batch = _Buckets(bands, rows, params.num_perm)
    current: tuple[int, bytes] | None = None
    for band, key, n, i, sig, k, over in members:
        if (band, key) != current:
            if len(batch.n) >= _BATCH_MEMBERS:
                yield from batch.pairs(params.within)
                batch = _Buckets(bands, rows, params.num_perm)
            batch.open(band)
            current = (band, key)
        batch.add(n, i, sig, over, k)
    yield from batch.pairs(params.within)


def _at_floor(floor: int, found: Candidates) -> np.ndarray:
    """The candidates at ``floor``, as rows ``(x, y, shared, ka, kb)`` (see ``evident_codes``)."""
    keep = found.shared >= floor
    columns = (found.x, found.y, found.shared, found.ka, found.kb)
    return np.stack([c[keep].astype(np.int64) for c in columns], axis=1)


def _of_evident(
    evident: Broadcast[np.ndarray], articles: int, found: Candidates
) -> Iterator[tuple[int, int, int, int, int]]:
    """The candidates of evident article pairs, as rows ``(x, y, i, j, shared)``."""
    codes, known = found.codes(articles), evident.value  # sorted and distinct
    at = np.minimum(np.searchsorted(known, codes), max(len(known) - 1, 0))
    keep = known[at] == codes if len(known) else np.zeros(len(codes), dtype=bool)
    columns = (found.x, found.y, found.i, found.j, found.shared)
    yield from zip(*(c[keep].tolist() for c in columns), strict=True)


class _Pair(Sequence[Article]):
    """The two articles of a pair, by article number: what ``article_pairs`` reads of ``docs``."""

    def __init__(self, x: int, a: Article, y: int, b: Article) -> None:
        self._docs = {x: a, y: b}

    @overload
    def __getitem__(self, n: int) -> Article: ...
    @overload
    def __getitem__(self, n: slice) -> Sequence[Article]: ...
    def __getitem__(self, n: int | slice) -> Article | Sequence[Article]:
        if isinstance(n, slice):
            raise TypeError("the articles of a pair cannot be sliced")
        return self._docs[n]

    def __len__(self) -> int:
        return len(self._docs)


def _align_partition(
    params: Params, shared: Broadcast[Weights], rows: Iterable[Sequence[Any]]
) -> Iterator[tuple[Any, ...]]:
    """Align the article pairs of rows ``(x, y, candidates, a_id, a_text, a_source, b_...)``.

    ``shared`` holds the scan's weights (``dedup.weights``), broadcast from the driver.

    Yields ``(x, y, passages)`` for each pair that ``article_pairs`` keeps, each passage the
    record of ``passage_record`` after its index ``k`` in the aligner's output.
    """
    cache: dict[int, list[Sentence]] = {}
    weights = shared.value

    def sentences(n: int, text: str) -> list[Sentence]:
        if n not in cache:
            if len(cache) >= _SENTENCE_CACHE:
                cache.clear()
            cache[n] = make_sentences(n, text, params)
        return cache[n]

    for x, y, found, a_id, a_text, a_source, b_id, b_text, b_source in rows:
        docs = _Pair(x, Article(a_id, a_text, a_source), y, Article(b_id, b_text, b_source))
        pairs = [((x, i), (y, j), shared) for i, j, shared in sorted(found)]
        work = article_pairs(docs, pairs, params)
        if (x, y) not in work:
            continue
        passages = align(
            a_id, a_text, sentences(x, a_text), b_id, b_text, sentences(y, b_text),
            work[(x, y)], params, weights,
        )  # fmt: skip
        records = [(k, *passage_record(p, a_text, b_text).values()) for k, p in enumerate(passages)]
        yield x, y, records


def _coverage_partition(rows: Iterable[Sequence[Any]]) -> Iterator[tuple[Any, ...]]:
    """``coverage`` of each row ``(id, text, passages)``."""
    for article_id, text, found in rows:
        passages = [_passage(p) for p in found or ()]
        c = coverage(Article(article_id, text), passages)
        yield c.id, c.length, c.reused_chars, c.share, list(c.by_article.items())


def _passage(row: Any) -> Passage:
    return Passage(*(row[name] for name in PASSAGE_FIELDS[:-2]))


def _jsonl_line(row: Any) -> tuple[str]:
    record = {"type": "passage", **{name: row[name] for name in PASSAGE_FIELDS}}
    return (json.dumps(record, ensure_ascii=False),)


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
        """The coverage of every article (as ``dedup.pipeline.coverage``), in input order."""
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
        if any(a.source is not None for a in articles):  # as dedup.scan does
            sourced = ((n, a.source, digests(a.text)) for n, a in enumerate(articles) if a.source)
            passages = resemblance(articles, passages, self.params, sourced)
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


def read_articles_frame(spark: SparkSession, path: str | Path) -> DataFrame:
    """Read articles for ``find_passages``: JSONL (``.jsonl``/``.json``) or Parquet files.

    ``path`` may be a file, a folder or a glob; a folder is read as Parquet unless its name
    ends in ``.jsonl`` or ``.json``. Records hold ``id`` and ``text``, optionally ``source``,
    ``date`` and ``url``; a malformed JSON line fails the read.
    """
    name = str(path)
    if name.rstrip("/").endswith((".jsonl", ".json")):
        schema = "id string, text string, source string, date string, url string"
        return spark.read.schema(schema).option("mode", "FAILFAST").json(name)
    return spark.read.parquet(name)


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


def _first_line(e: BaseException) -> str:
    try:
        text = str(e).strip()
    except Exception:  # py4j's exceptions cannot always say what they are
        text = ""
    return text.splitlines()[0] if text else type(e).__name__


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
            self._check(articles)
        signed, sentences = self._sign(articles)
        weights = self._weights(signed, count)
        heads, twin_links, collapsed = self._twins(articles, signed)
        found, sized = self._candidates(heads)
        capped = (
            sized.filter(F.col("size") > MAX_BUCKET)
            .agg(F.countDistinct("band", "key"), F.count(F.lit(1)))
            .first()
        )
        candidates = found.union(twin_links)
        sizes = np.zeros(count, dtype=np.int64)
        for row in signed.select("n", F.size("sigs").alias("k")).toLocalIterator():
            sizes[row["n"]] = row["k"]
        groups, n_candidates = self._evidence(candidates, count, sizes)
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
            *limits(collapsed, int(capped[0]) if capped else 0, int(capped[1]) if capped else 0),
        )
        return SparkScan(articles, aligned, self.params, stats, weights.source)

    def _check(self, articles: DataFrame) -> None:
        from pyspark.sql import functions as F

        self._job("checking ids")
        empty = articles.filter(F.col("id").isNull() | F.col("text").isNull()).first()
        if empty is not None:
            what = "id" if empty["id"] is None else "text"
            raise InputError(f"article number {empty['n'] + 1} (in input order) has no {what}")
        twice = articles.groupBy("id").count().filter(F.col("count") > 1).first()
        if twice is not None:
            raise InputError(f"duplicate article id {twice['id']!r}; ids must be unique")

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
        return found.persist(StorageLevel.MEMORY_AND_DISK), sized

    def _evidence(
        self, candidates: RDD[Candidates], articles: int, sizes: np.ndarray
    ) -> tuple[DataFrame, int]:
        """The candidates of the article pairs with evidence, grouped by pair.

        ``sizes`` are the articles' indexable sentences (``dedup.index.evident_codes``); each
        candidate pair is in ``candidates`` once, so the driver counts them as they come.
        """
        from pyspark import StorageLevel
        from pyspark.sql import functions as F

        self._job("candidates and evidence")
        floor = evidence_floor(self.params)
        parts = candidates.map(functools.partial(_at_floor, floor)).collect()
        x, y, agree, ka, kb = np.concatenate([np.empty((0, 5), dtype=np.int64), *parts]).T
        copy = contained(agree, ka, kb, self.params)
        evident = evident_codes(x, y, agree, sizes, articles, lone_floor(self.params), copy)
        shared = self.spark.sparkContext.broadcast(evident)
        rows = candidates.flatMap(functools.partial(_of_evident, shared, articles))
        frame = self.spark.createDataFrame(rows, _CANDIDATES, verifySchema=False)
        groups = frame.groupBy("x", "y").agg(
            F.collect_list(F.struct("i", "j", "shared")).alias("candidates")
        )
        groups = groups.persist(StorageLevel.MEMORY_AND_DISK)
        self._job("candidates of evident article pairs")
        total = groups.agg(F.sum(F.size("candidates"))).first()
        return groups, int(total[0] or 0) if total else 0

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

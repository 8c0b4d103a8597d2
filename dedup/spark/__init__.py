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

The package: ``session`` (Java, pyspark, the session), ``partitions`` (the stages' work in the
workers), ``run`` (the driver: ``find_passages``, ``scan``) and ``result`` (``SparkScan``).
"""

from __future__ import annotations

from .result import SparkScan
from .run import find_passages, scan
from .session import (
    INSTALL_HINT,
    MIN_JAVA,
    check_java,
    java_command,
    java_major,
    read_articles_frame,
    spark_session,
)

__all__ = [
    "INSTALL_HINT",
    "MIN_JAVA",
    "SparkScan",
    "check_java",
    "find_passages",
    "java_command",
    "java_major",
    "read_articles_frame",
    "scan",
    "spark_session",
]

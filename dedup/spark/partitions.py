"""The stages' work in Spark's workers: signing, candidates, evidence, aligning, coverage."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, overload

import numpy as np

from ..align import align
from ..bands import bucket_pairs
from ..index import (
    agreement,
)
from ..model import Article, Params, Passage, Sentence
from ..outputs import PASSAGE_FIELDS, passage_record
from ..partners import closest
from ..shingle import make_sentences, shared_signer
from ..stages import (
    article_pairs,
    coverage,
)
from ..twins import links
from ..weights import Weights, document_frequencies

if TYPE_CHECKING:
    from pyspark.broadcast import Broadcast

_ARTICLES = "n long, id string, text string, source string, date string, url string"
_SIGNED = (
    "n long, sentences int, sigs array<struct<i: int, sig: binary, k: int>>, stems array<string>"
)
_CANDIDATES = "x long, y long, i int, j int, shared int"
_CLOSEST = "x long, y long, candidates array<struct<i:int,j:int,shared:int>>, pruned long"
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

    ``ka`` and ``kb`` are the two sentences' numbers of stems (``dedup.evidence.contained``).
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


_STARS = "x long, i int, y long, j int, shared int, ka long, kb long"


def _stars_partition(
    params: Params, bands: int, rows: int, members: Iterable[Sequence[Any]]
) -> Iterator[tuple[int, ...]]:
    """Each over-size bucket's first member paired with each other one, as rows of ``_STARS``.

    Rows ``(band, key, n, i, sig, k, over)`` come by band, key, n, i (``Bands.buckets`` with
    ``star``). A pair that shares a band in a bucket within the size limit is left out: the
    buckets' pairs (``_pairs_partition``) hold it. A pair may come from several bands.
    """
    current: tuple[int, bytes] | None = None
    head: tuple[int, int, np.ndarray, int, np.ndarray] | None = None
    width = bands * rows
    for band, key, n, i, sig, k, over in members:
        values = np.frombuffer(sig, dtype=np.uint32)
        if (band, key) != current or head is None:
            flags = np.zeros(bands, dtype=bool)
            flags[list(over or ())] = True
            current, head = (band, key), (n, i, values, k, flags)
            continue
        hn, hi, first, hk, capped = head
        if not params.within and hn == n:
            continue
        in_band = (first[:width] == values[:width]).reshape(bands, rows).all(axis=1)
        if (in_band & ~capped).any():
            continue
        yield hn, hi, n, i, int((first == values).sum()), hk, k


def _as_candidates(found: Iterable[Sequence[Any]]) -> Iterator[Candidates]:
    """Rows of ``_STARS`` as one batch of ``Candidates``."""
    columns = list(zip(*found, strict=True))
    if columns:
        x, i, y, j, shared, ka, kb = (np.array(c, dtype=np.int64) for c in columns)
        yield Candidates(
            x, i.astype(np.int32), y, j.astype(np.int32), shared.astype(np.int16), ka, kb
        )


def _at_floor(floor: int, found: Candidates) -> np.ndarray:
    """The candidates at ``floor``, as rows ``(x, y, shared, ka, kb, i, j)`` (``evident_codes``)."""
    keep = found.shared >= floor
    columns = (found.x, found.y, found.shared, found.ka, found.kb, found.i, found.j)
    return np.stack([c[keep].astype(np.int64) for c in columns], axis=1)


def _of_evident(
    evident: Broadcast[np.ndarray],
    dropped: Broadcast[frozenset[tuple[int, int, int, int]]],
    articles: int,
    found: Candidates,
) -> Iterator[tuple[int, int, int, int, int]]:
    """The candidates of evident article pairs, as rows ``(x, y, i, j, shared)``.

    The near copies that ``earliest_copies`` leaves out, ``(x, i, y, j)`` in ``dropped``, are
    left out.
    """
    codes, known = found.codes(articles), evident.value  # sorted and distinct
    at = np.minimum(np.searchsorted(known, codes), max(len(known) - 1, 0))
    keep = known[at] == codes if len(known) else np.zeros(len(codes), dtype=bool)
    columns = (found.x, found.y, found.i, found.j, found.shared)
    left_out = dropped.value
    for x, y, i, j, shared in zip(*(c[keep].tolist() for c in columns), strict=True):
        if not left_out or (x, i, y, j) not in left_out:
            yield x, y, i, j, shared


def _closest_partition(rows: Iterable[Sequence[Any]]) -> Iterator[tuple[Any, ...]]:
    """Rows ``(x, y, candidates)`` keeping their sentences' closest candidates, and a count.

    ``dedup.partners.closest`` keeps them; the count is of those left out.
    """
    for x, y, found in rows:
        i, j, shared = (np.array(column, dtype=np.int64) for column in zip(*found, strict=True))
        keep = closest(np.full(len(i), x), i, np.full(len(j), y), j, shared).tolist()
        kept = [tuple(c) for c, k in zip(found, keep, strict=True) if k]
        yield x, y, kept, len(found) - len(kept)


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

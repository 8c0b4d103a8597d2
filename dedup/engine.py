"""Running the pipeline's heavy stages on one or more cores, with the same result for any number.

Two stages do nearly all the work of a scan, and both split by article: making sentences and
signing them (each article on its own), and aligning candidate article pairs (each pair on its
own). ``Engine`` runs them in ``jobs`` worker processes (or in this one, for ``jobs=1``) and
hands back their results in input order, so the output does not depend on the job count.

Workers get the articles once, when they start (inherited by ``fork`` where the platform has
it, sent once per worker otherwise); they send back compact results: sentence keys and
signatures as numpy arrays, passages as records. Sentences stay in the worker that made
them (up to a bound: a corpus of 50,000 articles has two million), and the aligning stage
makes again only those of articles it does not hold.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import tempfile
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from .align import align
from .boilerplate import Digest, digest
from .model import Article, Params, Passage, Sentence
from .shingle import make_sentences, shared_signer
from .weights import UNIFORM, Weights, document_frequencies

Progress = Callable[[Iterable[Any], str], Iterable[Any]]
ArticlePair = tuple[int, int]
Work = tuple[ArticlePair, list[tuple[int, int]]]

_CHUNK_ARTICLES = 200  # articles per signing task
_CHUNK_PAIRS = 100  # article pairs per aligning task
_MIN_PARALLEL = 50  # fewer articles are done in this process: starting workers costs more

# Set in each worker (and in this process for jobs=1) by _start.
_docs: Sequence[Article] = ()
_params: Params | None = None
_weights: Weights = UNIFORM  # the aligning stage's, set by _use_weights
_weights_from = ""  # the file they were read from, in a worker
# The sentences of articles this process has made, most recently used last. The signing stage
# fills it, so that the aligning stage in the same process makes again only the sentences of
# articles signed elsewhere (or dropped: it holds at most _STORED articles, about 30 KB each).
# It trades memory for time: at 50,000 articles 16,384 took 0.7 GB more than 4,096 for the same
# time, while at 10,000 in the default mode (each article in many pairs) 4,096 took 1.5 times
# as long as 8,192.
_store: OrderedDict[int, list[Sentence]] = OrderedDict()
_STORED = 8192


def _start(docs: Sequence[Article], params: Params) -> None:
    global _docs, _params
    _docs, _params = docs, params
    _store.clear()


def _use_weights(path: str) -> Weights:
    """The aligning stage's weights: read once per worker from the file ``path``."""
    global _weights, _weights_from
    if path and path != _weights_from:
        with Path(path).open("rb") as f:
            _weights = pickle.load(f)
        _weights_from = path
    return _weights


def _sentences(n: int) -> list[Sentence]:
    found = _store.get(n)
    if found is not None:
        _store.move_to_end(n)
        return found
    assert _params is not None
    made = make_sentences(n, _docs[n].text, _params)
    _store[n] = made
    if len(_store) > _STORED:
        _store.popitem(last=False)
    return made


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector: the stages make millions of objects and no cycles.

    Left on, it scans every stored sentence again and again as the store grows.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


Sourced = list[tuple[int, str | None, list[Digest]]]


@_no_cycle_collection()
def _sign(first: int, last: int) -> tuple[np.ndarray, np.ndarray, int, Sourced, Counter[str]]:
    """Keys ``(article, index, stems)``, signatures and sentence count of articles [first, last).

    Also the sentence digests (``dedup.boilerplate``) of those of them that have a source,
    and, with ``params.weighted``, their document frequencies of stems (``dedup.weights``).
    """
    assert _params is not None
    params = _params
    keys: list[tuple[int, int, int]] = []
    sets: list[frozenset[str]] = []
    sourced: Sourced = []
    total = 0
    made = []
    for n in range(first, last):
        sentences = _sentences(n)
        made.append(s.features for s in sentences)
        total += len(sentences)
        for s in sentences:
            if len(s.features) >= params.min_features:
                keys.append((*s.key, len(s.features)))
                sets.append(s.features)
        source = _docs[n].source
        if source is not None:
            found = [(s.start, s.end, digest(s.words)) for s in sentences if s.words]
            sourced.append((n, source, found))
    matrix = shared_signer(params).sign(sets)
    frequencies = document_frequencies(made) if params.weighted else Counter()
    return np.array(keys, dtype=np.int64).reshape(-1, 3), matrix, total, sourced, frequencies


@_no_cycle_collection()
def _align(work: list[Work], weights_path: str = "") -> list[Passage]:
    assert _params is not None
    weights = _use_weights(weights_path)
    out: list[Passage] = []
    for (x, y), candidates in work:
        a, b = _docs[x], _docs[y]
        out.extend(
            align(
                a.id, a.text, _sentences(x), b.id, b.text, _sentences(y), candidates, _params,
                weights,
            )
        )  # fmt: skip
    return out


class Engine:
    """The sentence/signature and alignment stages over ``docs``, in ``jobs`` processes."""

    def __init__(self, docs: Sequence[Article], params: Params, jobs: int = 1) -> None:
        self._docs = docs
        self._params = params
        self._jobs = 1 if len(docs) < _MIN_PARALLEL else max(1, jobs)
        self._pool: ProcessPoolExecutor | None = None
        self.digests: Sourced = []
        self.frequencies: Counter[str] = Counter()  # of stems, filled by ``sign``
        self.features = np.empty(0, dtype=np.int64)  # each signed sentence's stems, by ``sign``
        if self._jobs > 1:
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
            self._pool = ProcessPoolExecutor(
                self._jobs, mp_context=context, initializer=_start, initargs=(docs, params)
            )
        else:
            _start(docs, params)

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def _map(self, fn: Callable[..., Any], *args: Iterable[Any]) -> Iterator[Any]:
        if self._pool is None:
            return map(fn, *args)
        return self._pool.map(fn, *args)

    def sign(self, progress: Progress) -> tuple[np.ndarray, np.ndarray, int]:
        """Return the keys ``(article, index)`` and signatures of every indexable sentence.

        Also returns the number of sentences, indexable or not; the sentence digests of the
        articles with a source are kept in ``digests``, and each returned sentence's number of
        stems (its shingles) in ``features``.
        """
        bounds = [*range(0, len(self._docs), _CHUNK_ARTICLES), len(self._docs)]
        firsts, lasts = bounds[:-1], bounds[1:]
        keys = _Rows((0, 3), np.int64)
        sigs = _Rows((0, self._params.num_perm), np.uint32)
        total = 0
        weights = [b - a for a, b in zip(firsts, lasts, strict=True)]
        done = iter(lasts)  # articles signed after each chunk (results come in order)
        for result in progress(_Counted(self._map(_sign, firsts, lasts), weights), "sentences"):
            if result is None:
                continue
            k, m, n, sourced, frequencies = result
            self.digests.extend(sourced)
            self.frequencies.update(frequencies)
            scale = len(self._docs) / next(done)
            keys.append(k, scale)
            sigs.append(m, scale)
            total += n
        rows = keys.rows()
        self.features = rows[:, 2]
        return rows[:, :2], sigs.rows(), total

    def align(
        self,
        by_pair: dict[ArticlePair, list[tuple[int, int]]],
        progress: Progress,
        weights: Weights = UNIFORM,
    ) -> list[Passage]:
        """Align each candidate article pair with ``weights``; passages in no particular order.

        Workers read the weights once each, from a temporary file (a task carries its name).
        """
        work: list[Work] = sorted(by_pair.items())
        chunks = [work[i : i + _CHUNK_PAIRS] for i in range(0, len(work), _CHUNK_PAIRS)]
        passages: list[Passage] = []
        sizes = [len(chunk) for chunk in chunks]
        with _shared(weights, self._pool is not None) as path:
            found_all = self._map(_align, chunks, [path] * len(chunks))
            for found in progress(_Counted(found_all, sizes), "aligning"):
                if found is not None:
                    passages.extend(found)
        return passages


@contextmanager
def _shared(weights: Weights, workers: bool) -> Iterator[str]:
    """The name of a temporary file holding ``weights`` for workers (none in this process)."""
    global _weights, _weights_from
    if not workers:
        _weights, _weights_from = weights, ""
        yield ""
        return
    fd, path = tempfile.mkstemp(prefix="dedup-weights-", suffix=".pickle")
    try:
        with os.fdopen(fd, "wb") as f:
            pickle.dump(weights, f, protocol=pickle.HIGHEST_PROTOCOL)
        yield path
    finally:
        Path(path).unlink()


class _Rows:
    """A growing array of rows, filled chunk by chunk in one buffer.

    Concatenating the chunks at the end would hold every row twice, and the freed chunks
    stay with the allocator: at 50,000 articles, 1.4 GB for 0.7 GB of signatures. The buffer
    is sized ahead from how far through the corpus a chunk is; pages of it that are never
    written are never resident.
    """

    def __init__(self, shape: tuple[int, int], dtype: type[np.generic]) -> None:
        self._buffer = np.empty(shape, dtype=dtype)
        self._count = 0

    def append(self, chunk: np.ndarray, scale: float) -> None:
        """Add ``chunk``; ``scale`` estimates the final row count over the count so far."""
        need = self._count + len(chunk)
        if need > len(self._buffer):
            size = max(int(need * scale * 1.2), len(self._buffer) * 5 // 4, need)
            grown = np.empty((size, *self._buffer.shape[1:]), dtype=self._buffer.dtype)
            grown[: self._count] = self._buffer[: self._count]
            self._buffer = grown
        self._buffer[self._count : need] = chunk
        self._count = need

    def rows(self) -> np.ndarray:
        """The rows so far (a view of the buffer)."""
        return self._buffer[: self._count]


class _Counted:
    """Chunk results, each followed by ``weight - 1`` Nones; ``len`` is the total weight.

    A progress bar wrapped around them counts items (articles, article pairs), not chunks.
    """

    def __init__(self, results: Iterator[Any], weights: Iterable[int]) -> None:
        self._results = results
        self._weights = list(weights)

    def __len__(self) -> int:
        return sum(self._weights)

    def __iter__(self) -> Iterator[Any]:
        for result, weight in zip(self._results, self._weights, strict=True):
            yield result
            yield from [None] * (weight - 1)

"""The pipeline as library calls: ``scan`` a corpus, ``compare`` two texts. No I/O here."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from ._version import __version__ as __version__  # re-exported: check, store, cli use it
from .model import (
    DEFAULT_PARAMS,
    Article,
    Comparison,
    Params,
    Passage,
    Report,
)
from .stages import (
    article_pairs,
    coverage,
    limits,
    resemblance,
    unique_articles,
)
from .weights import UNIFORM, Weights, reference_weights, weights_for

# Wraps each stage's items, e.g. in a progress bar: ``progress(items, stage_name)``.
Progress = Callable[[Iterable[Any], str], Iterable[Any]]


def _no_progress(items: Iterable[Any], _stage: str) -> Iterable[Any]:
    return items


def scan(
    articles: Iterable[Article],
    params: Params = DEFAULT_PARAMS,
    *,
    progress: Progress | None = None,
    jobs: int = 1,
    weights: Weights | None = None,
) -> Report:
    """Find reused passages between (and, with ``params.within``, inside) articles.

    Args:
        articles: the corpus; ids must be unique.
        params: the pipeline's parameters.
        progress: wraps each stage's iterable (``progress(items, stage_name)``), e.g. a tqdm
            bar; the stages are "sentences" (articles), "candidates" (bands) and "aligning"
            (article pairs).
        jobs: worker processes for the sentence and alignment stages. The result is the same
            for any number.
        weights: the stems' weights (``dedup.weights``), used when given; by default, with
            ``params.weighted``, the corpus's document frequencies (``weights_for``: the
            reference frequencies for a small corpus), else none. The report's ``weights``
            says which.

    Returns:
        A ``Report``: passages sorted by ids and offsets, and every article's coverage.

    Raises:
        InputError: two articles share an id.

    >>> text = "The mayor resigned on Tuesday after a long dispute with the council."
    >>> r = scan([Article("a", text), Article("b", "Officials said: " + text)])
    >>> [(p.a_id, p.b_id, p.kind, p.b_start) for p in r.passages]
    [('a', 'b', 'verbatim', 16)]
    """
    # Imported here: ``check`` uses this module (``coverage``) without numpy or datasketch.
    from .engine import Engine
    from .index import sentence_pairs
    from .twins import article_ranks

    wrap: Progress = progress or _no_progress
    docs = unique_articles(articles)
    ranks = article_ranks([a.date for a in docs])
    with Engine(docs, params, jobs) as engine:
        keys, signatures, n_sentences = engine.sign(wrap)
        found = sentence_pairs(
            keys,
            signatures,
            params,
            ranks=ranks,
            features=engine.features,
            progress=wrap,
            threads=jobs,
        )
        del keys, signatures
        by_pair = article_pairs(docs, found, params)
        if weights is None:
            weights = weights_for(engine.frequencies, len(docs), params.weighted)
        passages = engine.align(by_pair, wrap, weights)
        passages = resemblance(docs, passages, params, engine.digests)

    order = {a.id: n for n, a in enumerate(docs)}
    passages.sort(key=lambda p: (order[p.a_id], order[p.b_id], p.a_start, p.b_start))
    involved: dict[str, list[Passage]] = defaultdict(list)  # each article's passages, in order
    for p in passages:
        involved[p.a_id].append(p)
        if p.b_id != p.a_id:
            involved[p.b_id].append(p)
    stats = (
        ("articles", len(docs)),
        ("sentences", n_sentences),
        ("candidates", len(found)),
        ("article_pairs", len(by_pair)),
        ("passages", len(passages)),
        *limits(
            found.collapsed, found.capped, found.capped_sentences, found.pruned, found.near_copies
        ),
    )
    return Report(
        tuple(passages),
        tuple(coverage(a, involved.get(a.id, ())) for a in docs),
        params,
        __version__,
        stats,
        weights.source,
    )


def compare(
    a_text: str, b_text: str, params: Params = DEFAULT_PARAMS, *, weights: Weights | None = None
) -> Comparison:
    """Find the passages of ``a_text`` reused in ``b_text``.

    Offsets index the two texts as given. Reuse inside one text is not reported here. Two
    texts are too few for document frequencies: with ``params.weighted`` the stems' weights
    are the reference ones (``dedup.weights.reference_weights``); ``weights`` (an index's,
    say) are used when given.

    >>> a = "Officials oppose invading Rafah. They want precise operations."
    >>> c = compare(a, "Critics agree. " + a)
    >>> [(p.kind, a[p.a_start:p.a_end]) for p in c.passages]
    [('verbatim', 'Officials oppose invading Rafah. They want precise operations.')]
    >>> c.b_coverage.share
    0.8052
    """
    p = replace(params, within=False, skip_same_source=False)
    if weights is None:
        weights = reference_weights() if params.weighted else UNIFORM
    report = scan([Article("a", a_text), Article("b", b_text)], p, weights=weights)
    cov = {c.id: c for c in report.coverage}
    return Comparison(
        report.passages, cov["a"], cov["b"], params, __version__, report.weights
    )  # fmt: skip

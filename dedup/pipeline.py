"""The pipeline as library calls: ``scan`` a corpus, ``compare`` two texts. No I/O here."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any

from ._version import __version__ as __version__  # re-exported: check, store, cli use it
from .boilerplate import Digest, learn, mark, recurring
from .errors import InputError
from .model import (
    DEFAULT_PARAMS,
    RESEMBLANCE,
    Article,
    Comparison,
    Coverage,
    Params,
    Passage,
    Report,
    Sentence,
    SentenceKey,
    Shares,
)
from .weights import UNIFORM, Weights, reference_weights, weights_for

# Wraps each stage's items, e.g. in a progress bar: ``progress(items, stage_name)``.
Progress = Callable[[Iterable[Any], str], Iterable[Any]]


def _no_progress(items: Iterable[Any], _stage: str) -> Iterable[Any]:
    return items


def find_candidates(
    sentences: Sequence[Sentence], params: Params = DEFAULT_PARAMS
) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Return candidate sentence pairs from the LSH index, sorted, each ``a < b``.

    Sentences with fewer than ``params.min_features`` shingles are not indexed.
    """
    from .index import SentenceIndex
    from .shingle import signatures

    usable = [s for s in sentences if len(s.features) >= params.min_features]
    index = SentenceIndex(params)
    index.add_all(usable, signatures(usable, params))
    return sorted(index.candidates(within=params.within))


def unique_articles(articles: Iterable[Article]) -> list[Article]:
    """The articles as a list, in order; raise ``InputError`` if two share an id."""
    docs: list[Article] = []
    seen: set[str] = set()
    for article in articles:
        if article.id in seen:
            raise InputError(f"duplicate article id {article.id!r}; ids must be unique")
        seen.add(article.id)
        docs.append(article)
    return docs


def article_pairs(
    docs: Sequence[Article],
    candidates: Iterable[tuple[SentenceKey, SentenceKey, int]],
    params: Params = DEFAULT_PARAMS,
) -> dict[tuple[int, int], list[tuple[int, int]]]:
    """Group candidate sentence pairs (with their agreement) by the article pair to align.

    An article pair is aligned only if one of its sentence pairs reaches ``evidence_floor``
    (``sentence_pairs`` has kept only the article pairs whose candidates are evidence, by
    ``dedup.evidence.evident_codes``); with ``params.skip_same_source``, pairs of two articles
    of one source are left out.
    """
    from .evidence import evidence_floor

    by_pair: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    evident: set[tuple[int, int]] = set()
    floor = evidence_floor(params)
    for (x, i), (y, j), shared in candidates:
        same_source = docs[x].source is not None and docs[x].source == docs[y].source
        if x != y and params.skip_same_source and same_source:
            continue
        by_pair[(x, y)].append((i, j))
        if shared >= floor:
            evident.add((x, y))
    return {pair: found for pair, found in by_pair.items() if pair in evident}


def coverage(article: Article, passages: Iterable[Passage]) -> Coverage:
    """Return the share of ``article``'s characters inside ``passages`` (either side).

    Passages of a ``RESEMBLANCE`` kind (template, boilerplate) are not reuse and do not count.

    >>> a = Article("a", "x" * 100)
    >>> coverage(a, [Passage("a", 0, 30, "b", 0, 30, 1.0, "verbatim")]).share
    0.3
    """
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for p in passages:
        if p.kind in RESEMBLANCE:
            continue
        if p.a_id == article.id:
            spans[p.b_id].append((p.a_start, p.a_end))
        if p.b_id == article.id:
            spans[p.a_id].append((p.b_start, p.b_end))
    length = len(article.text)
    total = _union(s for group in spans.values() for s in group)
    by_article = sorted(
        ((other, round(_union(group) / length, 4)) for other, group in spans.items()),
        key=lambda kv: (-kv[1], kv[0]),
    )
    share = round(total / length, 4) if length else 0.0
    return Coverage(article.id, length, total, share, Shares(by_article))


def _union(spans: Iterable[tuple[int, int]]) -> int:
    total, reach = 0, -1
    for start, end in sorted(spans):
        if end <= reach:
            continue
        total += end - max(start, reach)
        reach = end
    return total


def resemblance(
    docs: Sequence[Article],
    passages: Iterable[Passage],
    params: Params,
    digests: Iterable[tuple[int, str | None, Sequence[Digest]]],
) -> list[Passage]:
    """Mark boilerplate passages (``dedup.boilerplate``), learnt from the articles' digests.

    Without ``params.templates``, boilerplate and template passages are left out.
    """
    spans = {docs[n].id: found for n, found in learn(digests).items()}
    marked = mark(passages, spans)
    texts = {a.id: a.text for a in docs}
    sources = {a.id: a.source for a in docs}
    again = recurring(marked, texts, sources)
    marked = [
        replace(p, kind="boilerplate") if n in again and p.kind not in RESEMBLANCE else p
        for n, p in enumerate(marked)
    ]
    if params.templates:
        return marked
    return [p for p in marked if p.kind not in RESEMBLANCE]


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
        candidates = found.pairs
        by_pair = article_pairs(docs, candidates, params)
        if weights is None:
            weights = weights_for(engine.frequencies, len(docs), params.weighted)
        passages = engine.align(by_pair, wrap, weights)
        if any(a.source is not None for a in docs):
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
        ("candidates", len(candidates)),
        ("article_pairs", len(by_pair)),
        ("passages", len(passages)),
        *limits(found.collapsed, found.capped, found.capped_sentences),
    )
    return Report(
        tuple(passages),
        tuple(coverage(a, involved.get(a.id, ())) for a in docs),
        params,
        __version__,
        stats,
        weights.source,
    )


def limits(collapsed: int, capped: int, capped_sentences: int) -> tuple[tuple[str, int], ...]:
    """The counts of what banding collapsed and left out, as a report's ``stats`` name them.

    ``collapsed``: sentences identical to an earlier one, banded through it (``dedup.twins``);
    ``capped_buckets``: band buckets of more than ``dedup.index.MAX_BUCKET`` distinct sentences,
    left out; ``capped_sentences``: the sentences in them.
    """
    return (
        ("collapsed", collapsed),
        ("capped_buckets", capped),
        ("capped_sentences", capped_sentences),
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

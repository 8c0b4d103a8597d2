"""The steps between the pipeline's heavy stages, shared by the local engine and Spark's.

Which articles take part (``unique_articles``), which article pairs are aligned
(``article_pairs``), how much of an article is reused (``coverage``), which passages are
resemblance (``resemblance``) and what banding left out (``limits``). ``dedup.pipeline``
runs them in order for a local scan; ``dedup.spark`` calls the same functions, so both give
one result. ``find_candidates`` is the plain reference for the banding (datasketch's index).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace

from .boilerplate import Digest, learn, mark, recurring, stock_lines
from .errors import InputError
from .model import (
    DEFAULT_PARAMS,
    RESEMBLANCE,
    Article,
    Coverage,
    Params,
    Passage,
    Sentence,
    SentenceKey,
    Shares,
)


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
    """Mark boilerplate passages (``dedup.boilerplate``) and stock lines.

    Boilerplate is learnt from the articles' digests; a stock line is a lone short copy that
    many articles print.

    Without ``params.templates``, boilerplate and template passages are left out.
    """
    spans = {docs[n].id: found for n, found in learn(digests).items()}
    marked = mark(passages, spans)
    texts = {a.id: a.text for a in docs}
    sources = {a.id: a.source for a in docs}
    again = recurring(marked, texts, sources) | stock_lines(marked, texts)
    marked = [
        replace(p, kind="boilerplate") if n in again and p.kind not in RESEMBLANCE else p
        for n, p in enumerate(marked)
    ]
    if params.templates:
        return marked
    return [p for p in marked if p.kind not in RESEMBLANCE]


def limits(
    collapsed: int, capped: int, capped_sentences: int, pruned: int, near_copies: int
) -> tuple[tuple[str, int], ...]:
    """The counts of what banding collapsed and left out, as a report's ``stats`` name them.

    ``collapsed``: sentences identical to an earlier one, banded through it (``dedup.twins``);
    ``capped_buckets``: band buckets of more than ``dedup.model.MAX_BUCKET`` distinct
    sentences, paired through their first sentence only; ``capped_sentences``: the sentences
    in them; ``pruned_candidates``: candidates beyond a sentence's
    ``dedup.model.MAX_PARTNERS`` closest in one article; ``near_copies``: pairs of near copies
    of a sentence copied in many places, each linked through its earliest copy instead (both
    ``dedup.partners``).
    """
    return (
        ("collapsed", collapsed),
        ("capped_buckets", capped),
        ("capped_sentences", capped_sentences),
        ("pruned_candidates", pruned),
        ("near_copies", near_copies),
    )

"""Checking new articles against a persistent index: candidates, alignment, budgets, verdicts.

For each new article, ``check`` finds the passages it shares with indexed articles and with
the other new articles, and decides whether it stays within the reuse budgets of a ``Policy``.
Library code: no file or terminal I/O (``dedup.cli_index`` and ``dedup.formats`` do that).

Candidates. Each new sentence's band keys are looked up in the index, as ``MinHashLSH.query``
would. At a low threshold (0.3: a few rows per band) a sentence shares a band with thousands
of unrelated indexed ones through common words, so three measures keep a check of one article
fast against 100,000 indexed ones (``scripts/bench_check.py``):

* a band key held by more than ``STOP_POSTINGS`` indexed sentences is frequent: text that
  many articles print (syndicated copy, boilerplate) or frequent words. Only its
  ``EARLIEST_POSTINGS`` postings in the earliest articles (by date) are looked at, so a copy of
  text held by 10,000 indexed articles is found in the earliest of them, at the cost of a few;
* a stored sentence is a candidate if it shares ``min_band_hits`` bands with a new sentence:
  half the bands that a pair exactly at the threshold shares on average, and at least two
  (3 of datasketch's 59 bands of 2 rows, 2 of 42 bands of 3 rows); or if it shares one band
  fewer and so does a neighbour, in the same order in both articles (a passage);
* before an article is aligned, its candidate sentences' shingles are compared with the new
  ones': one pair must reach ``extend_score`` (Dice), as the aligner needs to keep a pair.

A copied sentence shares nearly all bands, so copies are found as ``scan`` finds them, and so
are reworded passages of two or more sentences. A lone reworded sentence near the threshold is
found less often than by ``scan``: with 42 bands of 3 rows, a pair at a Jaccard of 0.3 is a
candidate one time in three (``scan``: two in three), at 0.4 three in four, at 0.5 nearly always.

Text held by several indexed articles (a wire story and its copies) is one finding, from the
earliest of them, that says how many others hold it (``Finding.others``): a check against an
index of 10,000 copies names one article, not 10,000.

Boilerplate. As in ``scan``, a passage mostly inside sentences that its source repeats in
``MIN_ARTICLES`` or more of its articles, on both sides, is ``boilerplate``: learnt from the
index's counts of each source's sentences and from the new articles
(``dedup.check_boilerplate``), reported only with ``Params.templates`` and never counted.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ._version import __version__
from .check_boilerplate import Boilerplate, Side
from .errors import ConfigError, InputError
from .model import RESEMBLANCE, Article, Params, Passage, Sentence
from .normalize import words
from .segment import split_sentences
from .shingle import make_sentences, shingles
from .store_counts import article_stems
from .store_file import INDEX_FIELDS
from .verdicts import DEFAULT_POLICY, CheckResult, Finding, Policy, finding, verdict
from .weights import MIN_DOCUMENTS, UNIFORM, Weights, corpus_weights, reference_weights

if TYPE_CHECKING:
    from .store_articles import Store

STOP_POSTINGS = 200
EARLIEST_POSTINGS = 8  # postings of a frequent key that are looked at: the earliest articles'
# Up to this many new articles are signed in plain Python (``band_keys(plain=True)``): 5-10 ms
# an article, where numpy and datasketch take about 0.4 s to import and 2 ms an article.
PLAIN_ARTICLES = 32


@dataclass(slots=True)
class _New:
    """A new article, its sentences and band keys."""

    article: Article
    sentences: list[Sentence]
    keys: list[tuple[int, int]]


def check(
    index: Store,
    articles: Sequence[Article],
    policy: Policy = DEFAULT_POLICY,
    *,
    params: Params | None = None,
) -> CheckResult:
    """Check new articles against ``index`` and against each other.

    Args:
        index: the index of published articles.
        articles: the new articles; ids must be unique. A new article whose id is indexed is
            taken as an update of it, and not compared with its own old version.
        policy: budgets and what is not counted.
        params: alignment parameters (``min_score``, ``min_length``, ...); ``None`` takes the
            index's. Those that decide band keys must be the index's.

    Returns:
        A ``CheckResult`` with one ``Verdict`` per article, in input order.

    Raises:
        InputError: two new articles share an id, or the index cannot be read.
        ConfigError: ``params`` disagree with the index.
    """
    params = _params(index, params)
    seen: set[str] = set()
    new: list[_New] = []
    plain = len(articles) <= PLAIN_ARTICLES
    for n, a in enumerate(articles):
        if a.id in seen:
            raise InputError(f"duplicate article id {a.id!r}; ids must be unique")
        seen.add(a.id)
        sentences = make_sentences(n, a.text, params)  # shingles as the index's: same fields
        keys = index.keys(a.text, plain=plain, sentences=sentences)[1]
        new.append(_New(a, sentences, keys))

    found: dict[str, list[Finding]] = {x.article.id: [] for x in new}
    lines = Boilerplate(index, articles)
    aligned = _against_index(index, new, params, policy, lines, found)
    _against_each_other(index, new, min_band_hits(index), params, policy, lines, found)
    verdicts = tuple(verdict(x.article, found[x.article.id], policy) for x in new)
    stats = (
        ("articles", len(new)),
        ("aligned", aligned),
        ("findings", sum(len(v.findings) for v in verdicts)),
    )
    return CheckResult(verdicts, params, policy, __version__, stats)


def _params(index: Store, params: Params | None) -> Params:
    if params is None:
        return index.params

    for name in INDEX_FIELDS:
        if getattr(params, name) != getattr(index.params, name):
            raise ConfigError(
                f"{index.path}: the index was built with {name}={getattr(index.params, name)}, "
                f"got {name}={getattr(params, name)}; leave it out or build a new index"
            )
    return params


def min_band_hits(index: Store) -> int:
    """The bands a sentence pair must share to be a candidate on its own (see above)."""
    expected = index.bands * index.params.threshold**index.rows
    return max(2, math.ceil(expected / 2))


def _select(
    hits: Counter[tuple[int, int, int]], need: int, gap: int
) -> dict[int, list[tuple[int, int, int]]]:
    """Group hit pairs ``(other, i, j)`` by other article; keep the articles worth aligning."""
    by_other: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for (other, i, j), count in hits.items():
        by_other[other].append((i, j, count))
    keep: dict[int, list[tuple[int, int, int]]] = {}
    for other, pairs in by_other.items():
        if any(c >= need for _, _, c in pairs) or _run(pairs, need - 1, gap):
            keep[other] = sorted(pairs, key=lambda p: -p[2])
    return keep


def _run(pairs: list[tuple[int, int, int]], need: int, gap: int) -> bool:
    """Whether two pairs with ``need`` hits follow each other in both articles."""
    spots = {(i, j) for i, j, c in pairs if c >= need}
    return any(
        (i + di, j + dj) in spots
        for i, j in spots
        for di in range(1, gap + 2)
        for dj in range(1, gap + 2)
    )


def _against_index(
    index: Store,
    new: list[_New],
    params: Params,
    policy: Policy,
    lines: Boilerplate,
    found: dict[str, list[Finding]],
) -> int:
    """Align each new article with the indexed articles it shares bands with."""
    from .align import align  # rapidfuzz: imported when there is something to align

    postings, frequent = index.postings(
        sorted({k for x in new for _, k in x.keys}), limit=STOP_POSTINGS, take=EARLIEST_POSTINGS
    )
    need = min_band_hits(index)
    plans: list[tuple[_New, dict[int, list[tuple[int, int, int]]]]] = []
    for x in new:
        own = index.number(x.article.id)
        hits: Counter[tuple[int, int, int]] = Counter()
        for j, key in x.keys:
            for other, i in postings.get(key, ()):
                if other != own:
                    hits[(other, i, j)] += 1
        plans.append((x, _select(hits, need, params.max_gap)))
    stored = {s.n: s for s in index.articles(sorted({n for _, plan in plans for n in plan}))}
    sentences: dict[int, list[Sentence]] = {}
    aligned = 0
    texts = [x.article.text for x in new] + [s.text for s in stored.values()]
    weights = check_weights(params, index, texts) if stored else UNIFORM
    for x, plan in plans:
        before = len(found[x.article.id])
        for n, pairs in plan.items():
            s = stored[n]
            if not _promising(s.text, pairs, x.sentences, params, weights):
                continue
            if n not in sentences:
                sentences[n] = make_sentences(-1, s.text, params)
            aligned += 1
            candidates = sorted((i, j) for i, j, _ in pairs if i < len(sentences[n]))
            for p in align(
                s.id, s.text, sentences[n], x.article.id, x.article.text, x.sentences,
                candidates, params, weights,
            ):  # fmt: skip
                p = lines.mark(p, (s.id, s.text, s.source, True), _side(x.article))
                if params.templates or p.kind not in RESEMBLANCE:
                    found[x.article.id].append(
                        finding(x.article, p, s.id, s.text, s.source, s.date, s.url, True, policy)
                    )
        order = {s.id: (s.date is None, s.date or "", s.n) for s in stored.values()}
        mine = found[x.article.id]
        mine[before:] = _earliest_holders(mine[before:], x.sentences, _held(x, frequent), order)
    return aligned


def _held(x: _New, frequent: dict[int, int]) -> dict[int, int]:
    """For each sentence of ``x`` whose band keys are all frequent, how many indexed hold it.

    A copy of a sentence shares all its bands, so the sentence's least held key counts the
    indexed sentences that are copies of it (and a few that only share that band).
    """
    keys: dict[int, list[int]] = defaultdict(list)
    for j, key in x.keys:
        keys[j].append(key)
    return {
        j: min(frequent[k] for k in mine)
        for j, mine in keys.items()
        if all(k in frequent for k in mine)
    }


def _earliest_holders(
    findings: list[Finding],
    sentences: Sequence[Sentence],
    held: dict[int, int],
    order: dict[str, tuple[bool, str, int]],
) -> list[Finding]:
    """One finding for text that several indexed articles hold: the earliest holder's.

    Findings from indexed articles that cover mostly the same span of the new article (half
    of the shorter one or more) are one passage held by several articles: the finding from
    the earliest (by date, then the order they were indexed) is kept, and ``others`` counts
    the rest, or the indexed copies of its sentences (``held``) where there are more.
    """
    ranked = sorted(range(len(findings)), key=lambda k: (order[findings[k].other_id], k))
    kept: list[int] = []
    others: dict[int, int] = {}
    for k in ranked:
        f = findings[k]
        same = next((m for m in kept if _mostly_same(findings[m], f)), None)
        if same is None:
            kept.append(k)
            others[k] = 0
        else:
            others[same] += 1
    out = []
    for k in sorted(kept):
        f = findings[k]
        inside = [held.get(s.index, 0) for s in sentences if f.start <= s.start < f.end]
        out.append(replace(f, others=max(others[k], max(inside, default=0) - 1)))
    return out


def _mostly_same(a: Finding, b: Finding) -> bool:
    overlap = min(a.end, b.end) - max(a.start, b.start)
    return overlap * 2 >= min(a.end - a.start, b.end - b.start) > 0


def check_weights(params: Params, index: Store | None = None, texts: Sequence[str] = ()) -> Weights:
    """The weights of a check (``Params.weighted``), for the stems of ``texts``.

    The index's document frequencies, which it keeps up to date as articles come and go, once
    it holds ``MIN_DOCUMENTS`` articles (the new articles are not counted: they are what is
    being judged); the reference frequencies before that, or without an index.
    """
    if not params.weighted:
        return UNIFORM
    documents = index.document_count() if index is not None else 0
    if index is None or documents < MIN_DOCUMENTS:
        return reference_weights()
    stems = sorted({stem for text in texts for stem in article_stems(text)})
    return corpus_weights(index.document_frequencies(stems), documents)


def _promising(
    text: str,
    pairs: list[tuple[int, int, int]],
    new: list[Sentence],
    params: Params,
    weights: Weights,
) -> bool:
    """Whether a candidate pair shares enough shingles for the aligner to keep it."""
    bounds = split_sentences(text)
    for i, j, _ in pairs:  # most band hits first
        if i < len(bounds) and j < len(new):
            mine = shingles(words(text[bounds[i][0] : bounds[i][1]]), params.shingle_size)
            theirs = new[j].features
            if weights.dice(mine, theirs) >= params.extend_score:
                return True
    return False


def _against_each_other(
    index: Store,
    new: list[_New],
    need: int,
    params: Params,
    policy: Policy,
    lines: Boilerplate,
    found: dict[str, list[Finding]],
) -> None:
    """Align new articles that share bands with each other; each gets the other's finding."""
    from .align import align

    postings: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for n, x in enumerate(new):
        for j, key in x.keys:
            postings[key].append((n, j))
    hits: dict[int, Counter[tuple[int, int, int]]] = defaultdict(Counter)
    for entries in postings.values():
        for n, i in entries:
            for m, j in entries:
                if n < m:
                    hits[n][(m, i, j)] += 1
    weights = check_weights(params, index, [x.article.text for x in new]) if hits else UNIFORM
    for n in sorted(hits):
        a = new[n]
        for m, pairs in sorted(_select(hits[n], need, params.max_gap).items()):
            b = new[m]
            candidates = sorted((i, j) for i, j, _ in pairs)
            for p in align(
                a.article.id, a.article.text, a.sentences,
                b.article.id, b.article.text, b.sentences, candidates, params, weights,
            ):  # fmt: skip
                p = lines.mark(p, _side(a.article), _side(b.article))
                if not params.templates and p.kind in RESEMBLANCE:
                    continue
                flipped = Passage(
                    p.b_id, p.b_start, p.b_end, p.a_id, p.a_start, p.a_end,
                    p.score, p.kind, p.sentence_pairs, p.quoted,
                )  # fmt: skip
                found[b.article.id].append(finding(b.article, p, *_about(a.article), policy))
                found[a.article.id].append(finding(a.article, flipped, *_about(b.article), policy))


def _side(a: Article) -> Side:
    return (a.id, a.text, a.source, False)


def _about(a: Article) -> tuple[str, str, str | None, str | None, str | None, bool]:
    return (a.id, a.text, a.source, a.date, a.url, False)

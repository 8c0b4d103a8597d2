"""Boilerplate: the lines a source repeats across its own articles.

Newsletter sign-ups, opinion disclaimers, newsroom footers, "Read the full story here": a
source prints them under many of its articles, whatever the story. Two of its articles that
share such a line do not reuse each other's text. A sentence is boilerplate when its words
(normalised, as ``dedup.normalize.words``) appear in at least ``MIN_ARTICLES`` articles of one
``source``. On the real-news dev corpus (``realnews-dev``), sentences repeated in eight or
more articles of a source are footers, sign-ups, bylines and notices; those repeated in four
to seven are a mixture, with background paragraphs and quotes that a newsroom reruns in
follow-up stories (self-reuse, which stays reuse). Articles without a source are never
boilerplate: text repeated across outlets is syndication, the reuse this tool is for.

A passage is ``boilerplate`` when at least half of it, on each side, lies in boilerplate
sentences of its article; or when its text (its words) is that of passages between articles of
one source that link ``MIN_ARTICLES`` or more of them: a disclaimer glued to a different
sentence in each article is no sentence of its own, but it is the same passage each time.

A stock line is boilerplate too, whatever the sources: a short line that articles print on
its own, unchanged, in ``STOCK_ARTICLES`` or more of them ("X did not respond to a request for
comment", a desk's telephone footer, "This article was amended on ...", "China regards Taiwan
as a rebel province"). A lone short copy between two longer articles is ``boilerplate`` when
its text (its words) is that of such copies linking that many articles (``stock_lines``). A
line mostly inside quotation marks is a shared quote, which stays reuse; and a story copied
carries more than one line: two articles that also print another sentence alike, or a
passage of two or more sentence pairs, are never a stock line.

A story that one source runs again and again (a wire story in many editions) is no
boilerplate: an article more than half of whose sentences (and four or more) are such repeated
sentences is a rerun (``standing``), and a passage of four or more sentence pairs that is most
of both its articles is reuse, however often its text recurs.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from .model import QUOTED_ONLY, RESEMBLANCE, SHORT_LINE, STOCK_ARTICLES, Passage
from .normalize import words
from .segment import split_sentences

MIN_ARTICLES = 8
RERUN = 4  # repeated sentences that make an article a rerun of a story (``standing``)
Span = tuple[int, int]
Digest = tuple[int, int, int]  # (start, end, hash of the words)


def digests(text: str) -> list[Digest]:
    """The sentences of ``text`` that have words, with a hash of their words.

    >>> a = digests("Sign up  now. Sign UP now!")
    >>> [(s, e) for s, e, _ in a], a[0][2] == a[1][2]
    ([(0, 13), (14, 26)], True)
    """
    out = []
    for start, end in split_sentences(text):
        tokens = words(text[start:end])
        if tokens:
            out.append((start, end, digest(tokens)))
    return out


def digest(tokens: Sequence[str]) -> int:
    """A 64-bit hash of normalised word tokens (the same in every process and run)."""
    found = hashlib.blake2b(" ".join(tokens).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(found, "little")


def learn(
    articles: Iterable[tuple[int, str | None, Sequence[Digest]]],
    min_articles: int = MIN_ARTICLES,
) -> dict[int, list[Span]]:
    """The boilerplate sentences of each article, from ``(number, source, digests)`` triples.

    >>> texts = [f"Story {n} here. Sign up to our newsletter." for n in range(8)]
    >>> corpus = [(n, "Site", digests(text)) for n, text in enumerate(texts)]
    >>> learn(corpus)[0]
    [(14, 40)]
    >>> learn(corpus[:7])
    {}
    """
    seen: dict[tuple[str, int], set[int]] = defaultdict(set)
    kept: list[tuple[int, str, Sequence[Digest]]] = []
    for n, source, found in articles:
        if source is None:
            continue
        kept.append((n, source, found))
        for _, _, h in found:
            seen[(source, h)].add(n)
    frequent = {key for key, members in seen.items() if len(members) >= min_articles}
    spans: dict[int, list[Span]] = {}
    for n, source, found in kept:
        mine = standing([(s, e) for s, e, h in found if (source, h) in frequent], len(found))
        if mine:
            spans[n] = mine
    return spans


def standing(repeated: list[Span], sentences: int) -> list[Span]:
    """An article's ``repeated`` sentences as its boilerplate, if they are a minority.

    More than half of its ``sentences``, and ``RERUN`` or more: the article is a rerun of one
    story, not a story with a footer (a short item can be mostly its footer), and has none.

    >>> standing([(0, 9), (10, 20)], 3), standing([(0, 9), (10, 20), (21, 30), (31, 40)], 7)
    ([(0, 9), (10, 20)], [])
    """
    rerun = len(repeated) >= RERUN and 2 * len(repeated) > sentences
    return [] if rerun else repeated


def _fingerprint(text: str) -> int:
    return digest(words(text))


def recurring(
    passages: Sequence[Passage],
    texts: Mapping[str, str],
    sources: Mapping[str, str | None],
    min_articles: int = MIN_ARTICLES,
) -> set[int]:
    """The positions in ``passages`` of those whose text a source repeats (see above).

    >>> texts = {f"s{n}": f"Story {n} goes on about its own news at length. Views are the "
    ...          "author's own, not ours." for n in range(8)}
    >>> ps = [Passage(f"s{n}", 46, 83, f"s{n + 1}", 46, 83, 1.0, "verbatim") for n in range(7)]
    >>> sorted(recurring(ps, texts, dict.fromkeys(texts, "Site")))
    [0, 1, 2, 3, 4, 5, 6]
    >>> recurring(ps[:6], texts, dict.fromkeys(texts, "Site"))
    set()
    """
    members: dict[tuple[str, int], set[str]] = defaultdict(set)
    keys: dict[int, list[tuple[str, int]]] = {}
    for n, p in enumerate(passages):
        source = sources.get(p.a_id)
        if p.kind == "template":  # made only on request: it must not change what else is found
            continue
        if p.a_id == p.b_id or source is None or source != sources.get(p.b_id):
            continue
        if p.sentence_pairs >= RERUN and _most(p, texts[p.a_id], texts[p.b_id]):
            continue  # most of both articles: a story run again, not a recurring line
        mine = [
            (source, _fingerprint(texts[p.a_id][p.a_start : p.a_end])),
            (source, _fingerprint(texts[p.b_id][p.b_start : p.b_end])),
        ]
        keys[n] = mine
        members[mine[0]].update((p.a_id, p.b_id))
        members[mine[1]].update((p.a_id, p.b_id))
    return {n for n, mine in keys.items() if any(len(members[k]) >= min_articles for k in mine)}


def stock_lines(
    passages: Sequence[Passage],
    texts: Mapping[str, str],
    min_articles: int = STOCK_ARTICLES,
) -> set[int]:
    """The positions in ``passages`` of lone short copies of a stock line (see above).

    >>> texts = {f"s{n}": f"Story {n} goes on about its own news at some length here. Acme "
    ...          "did not respond to a request for comment." for n in range(4)}
    >>> texts["s0"][56:102]
    'Acme did not respond to a request for comment.'
    >>> ps = [Passage(f"s{n}", 56, 102, f"s{n + 1}", 56, 102, 1.0, "verbatim") for n in range(3)]
    >>> sorted(stock_lines(ps, texts)), stock_lines(ps[:2], texts)
    ([0, 1, 2], set())
    """
    members: dict[int, set[str]] = defaultdict(set)
    keys: dict[int, list[int]] = {}
    made: dict[str, list[Digest]] = {}
    for n, p in enumerate(passages):
        if not _lone_short_copy(p, texts[p.a_id], texts[p.b_id]):
            continue
        for i in (p.a_id, p.b_id):
            if i not in made:
                made[i] = digests(texts[i])
        if _share_more(made[p.a_id], (p.a_start, p.a_end), made[p.b_id], (p.b_start, p.b_end)):
            continue  # the two articles print other text alike: a copy of a story, not a line
        mine = [
            _fingerprint(texts[p.a_id][p.a_start : p.a_end]),
            _fingerprint(texts[p.b_id][p.b_start : p.b_end]),
        ]
        keys[n] = mine
        for k in mine:
            members[k].update((p.a_id, p.b_id))
    return {n for n, mine in keys.items() if any(len(members[k]) >= min_articles for k in mine)}


def _lone_short_copy(p: Passage, a_text: str, b_text: str) -> bool:
    """One copied sentence pair, shorter than ``SHORT_LINE``, not a quote, in longer texts."""
    longest = max(p.a_end - p.a_start, p.b_end - p.b_start)
    return (
        p.a_id != p.b_id
        and p.kind in ("verbatim", "near-verbatim")
        and p.sentence_pairs == 1
        and longest < SHORT_LINE
        and 2 * longest < min(len(a_text), len(b_text))
        and p.quoted < QUOTED_ONLY
    )


def _share_more(a: Sequence[Digest], a_span: Span, b: Sequence[Digest], b_span: Span) -> bool:
    """Whether two articles print a sentence word for word outside the spans of a passage."""
    (a0, a1), (b0, b1) = a_span, b_span
    mine = {h for s, e, h in a if e <= a0 or s >= a1}
    return any(h in mine for s, e, h in b if e <= b0 or s >= b1)


def _most(p: Passage, a_text: str, b_text: str) -> bool:
    return 2 * (p.a_end - p.a_start) >= len(a_text) and 2 * (p.b_end - p.b_start) >= len(b_text)


def _inside(spans: Sequence[Span], start: int, end: int) -> int:
    return sum(max(0, min(e, end) - max(s, start)) for s, e in spans)


def mark(passages: Iterable[Passage], spans: Mapping[str, Sequence[Span]]) -> list[Passage]:
    """The passages, those at least half inside boilerplate on both sides made ``boilerplate``.

    ``spans`` gives each article id's boilerplate sentences.

    >>> p = Passage("a", 0, 40, "b", 10, 50, 1.0, "verbatim")
    >>> [q.kind for q in mark([p], {"a": [(0, 30)], "b": [(10, 35)]})]
    ['boilerplate']
    >>> [q.kind for q in mark([p], {"a": [(0, 30)]})]
    ['verbatim']
    """
    out = []
    for p in passages:
        a, b = spans.get(p.a_id), spans.get(p.b_id)
        if (
            a
            and b
            and p.kind not in RESEMBLANCE
            and 2 * _inside(a, p.a_start, p.a_end) >= p.a_end - p.a_start
            and 2 * _inside(b, p.b_start, p.b_end) >= p.b_end - p.b_start
        ):
            p = replace(p, kind="boilerplate")
        out.append(p)
    return out

"""The fast path of a scan against the straightforward one, and job counts against each other.

The straightforward path is the obvious composition of the stages: ``make_sentences`` per
article, datasketch's ``MinHash`` per sentence, datasketch's ``MinHashLSH`` for candidates,
``align`` per article pair. ``dedup.scan`` signs shingles once each, bands with numpy and runs
in worker processes; it must give exactly the same report.
"""

from __future__ import annotations

import dataclasses
import itertools
import random
from collections import Counter, defaultdict

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_index import make_corpus, sentences_of

import dedup
from dedup import DEFAULT_PARAMS, Article, Params, Passage
from dedup.align import align
from dedup.boilerplate import digests
from dedup.engine import _CHUNK_ARTICLES, _CHUNK_PAIRS, _MIN_PARALLEL, Engine
from dedup.evidence import evidence_floor, lone_floor
from dedup.index import agreement, candidate_pairs, reaches, sentence_pairs
from dedup.model import COPY_THRESHOLD, Sentence
from dedup.shingle import Signer, make_sentences, signatures
from dedup.stages import article_pairs, coverage, find_candidates, resemblance
from dedup.weights import document_frequencies, weights_for


def reference_candidates(
    flat: list[Sentence], params: Params, dates: list[str | None] | None = None
) -> list[tuple[tuple[int, int], tuple[int, int], int]]:
    """Candidates the obvious way: datasketch's LSH over every sentence, then the twin rule.

    Without ``all_pairs``, sentences with equal signatures form a group headed by the article
    that is earliest (by date, then input order); of the LSH pairs only those of two groups'
    first sentences are kept, and each copy is paired with the head article's copy of the same
    number (or its last), and with the copy before it in its own article.
    """
    usable = [s for s in flat if len(s.features) >= params.min_features]
    sigs = dict(zip([s.key for s in usable], signatures(usable, params), strict=True))
    pairs = [
        (a, b, round(sigs[a].jaccard(sigs[b]) * params.num_perm))
        for a, b in find_candidates(usable, params)
    ]
    if params.all_pairs:
        return pairs
    articles = max((s.article for s in usable), default=0) + 1
    dated = dates or [None] * articles
    order = sorted(range(articles), key=lambda n: (dated[n] is None, dated[n] or "", n))
    rank = {n: r for r, n in enumerate(order)}
    groups: dict[tuple[int, ...], list[tuple[int, int]]] = {}
    for s in usable:
        groups.setdefault(tuple(sigs[s.key].hashvalues.tolist()), []).append(s.key)
    kept_pairs = []
    heads = set()
    for members in groups.values():
        members.sort(key=lambda k: (rank[k[0]], k[1]))
        heads.add(members[0])
        by_article: dict[int, list[tuple[int, int]]] = {}
        for k in members:
            by_article.setdefault(k[0], []).append(k)
        first, *rest = by_article.values()
        links = list(itertools.pairwise(first))
        for copies in rest:
            links += list(itertools.pairwise(copies))
            for n in range(max(len(first), len(copies))):
                links.append((first[min(n, len(first) - 1)], copies[min(n, len(copies) - 1)]))
        kept_pairs += [
            (min(a, b), max(a, b), params.num_perm)
            for a, b in links
            if params.within or a[0] != b[0]
        ]
    kept = [(a, b, n) for a, b, n in pairs if a in heads and b in heads]
    return sorted(set(kept + kept_pairs))


def reference_evident(
    candidates: list[tuple[tuple[int, int], tuple[int, int], int]],
    usable: list[Sentence],
    params: Params,
) -> set[tuple[int, int]]:
    """The article pairs with evidence, the obvious way: two candidates at the evidence floor,
    or one at the lone floor, or one whose smaller stem set is (by its estimated shared stems)
    inside the other, or one inside an article or with an article of two sentences.
    """
    floor, lone = evidence_floor(params), lone_floor(params)
    sizes = Counter(s.article for s in usable)
    stems = {s.key: len(s.features) for s in usable}
    count: dict[tuple[int, int], int] = defaultdict(int)
    best: dict[tuple[int, int], int] = defaultdict(int)
    copy: set[tuple[int, int]] = set()
    for a, b, shared in candidates:
        if shared >= floor:
            count[(a[0], b[0])] += 1
            best[(a[0], b[0])] = max(best[(a[0], b[0])], shared)
            j = shared / params.num_perm
            estimated = j * (stems[a] + stems[b]) / (1 + j)
            if estimated >= params.near_verbatim * min(stems[a], stems[b]):
                copy.add((a[0], b[0]))
    return {
        (x, y)
        for (x, y), n in count.items()
        if n >= 2
        or best[(x, y)] >= lone
        or (x, y) in copy
        or x == y
        or min(sizes[x], sizes[y]) <= 2
    }


def straightforward_scan(docs: list[Article], params: Params) -> list[Passage]:
    sentences = [make_sentences(n, a.text, params) for n, a in enumerate(docs)]
    flat = [s for group in sentences for s in group]
    candidates = reference_candidates(flat, params, [a.date for a in docs])
    frequencies = document_frequencies([s.features for s in group] for group in sentences)
    weights = weights_for(frequencies, len(docs), params.weighted)
    passages = []
    usable = [s for s in flat if len(s.features) >= params.min_features]
    evident = reference_evident(candidates, usable, params)
    grouped = article_pairs(docs, candidates, params)
    for (x, y), found in sorted(grouped.items()):
        if (x, y) not in evident:
            continue
        a, b = docs[x], docs[y]
        a_side, b_side = (a.id, a.text, sentences[x]), (b.id, b.text, sentences[y])
        passages += align(*a_side, *b_side, found, params, weights)
    # boilerplate and stock lines: the same stage on the same passages (not what is tested)
    sourced = [(n, a.source, digests(a.text)) for n, a in enumerate(docs) if a.source]
    passages = resemblance(docs, passages, params, sourced)
    order = {a.id: n for n, a in enumerate(docs)}
    passages.sort(key=lambda p: (order[p.a_id], order[p.b_id], p.a_start, p.b_start))
    return passages


def reuse_corpus(seed: int, n: int = 40) -> list[Article]:
    """Articles of sentences from a shared pool: copies, edits and chance overlaps."""
    texts = make_corpus(seed, n_articles=n, per_article=12)
    rng = random.Random(seed)
    sources = ["Herald", "Courier", None]
    return [Article(f"doc{i:03d}", t, source=rng.choice(sources)) for i, t in enumerate(texts)]


def test_signer_gives_datasketchs_signatures_bit_for_bit() -> None:
    params = dataclasses.replace(DEFAULT_PARAMS, num_perm=64, seed=7)
    sentences = [s for s in sentences_of(make_corpus(3), params) if s.features]
    matrix = Signer(params).sign([s.features for s in sentences])
    expected = np.stack([sig.hashvalues for sig in signatures(sentences, params)])
    assert matrix.dtype == expected.dtype
    assert (matrix == expected).all()


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.lists(
            st.lists(st.sampled_from("abcdefghijklmnopqrstuvwxyz"), min_size=1, max_size=3).map(
                "".join
            ),
            min_size=1,
            max_size=30,
        ).map(frozenset),
        max_size=25,
    ),
    st.integers(min_value=1, max_value=3),
)
def test_signer_equals_datasketch_for_sets_of_any_size(
    sets: list[frozenset[str]], calls: int
) -> None:
    # One signer over several calls: later calls meet shingles it has signed before.
    params = dataclasses.replace(DEFAULT_PARAMS, num_perm=32)
    signer = Signer(params)
    for part in (sets[k::calls] for k in range(calls)):
        matrix = signer.sign(part)
        sentences = [Sentence(0, n, 0, 0, (), f) for n, f in enumerate(part)]
        expected = [sig.hashvalues for sig in signatures(sentences, params)]
        assert matrix.shape == (len(part), params.num_perm)
        assert (matrix == np.array(expected, dtype=np.uint32).reshape(matrix.shape)).all()


def test_signer_refuses_an_empty_set() -> None:
    with pytest.raises(ValueError, match="empty"):
        Signer().sign([frozenset()])


@pytest.mark.parametrize("seed", [20240501, 2, 5])
@pytest.mark.parametrize("within", [True, False])
@pytest.mark.parametrize("all_pairs", [True, False])
def test_banding_finds_the_same_candidates_as_datasketchs_lsh(
    seed: int, within: bool, all_pairs: bool
) -> None:
    params = dataclasses.replace(DEFAULT_PARAMS, within=within, all_pairs=all_pairs)
    usable = [
        s for s in sentences_of(make_corpus(seed), params) if len(s.features) >= params.min_features
    ]
    keys = np.array([s.key for s in usable], dtype=np.int64)
    matrix = Signer(params).sign([s.features for s in usable])
    found = sentence_pairs(keys, matrix, params)
    reference = reference_candidates(usable, params)
    evident = reference_evident(reference, usable, params)
    assert found.pairs == [(a, b, n) for a, b, n in reference if (a[0], b[0]) in evident]
    assert len(found.pairs) > 100
    assert found.collapsed > 0  # the corpus has copies: the twin rule is at work
    assert (found.capped, found.capped_sentences) == (0, 0)


def test_article_pairs_without_evidence_are_not_aligned() -> None:
    # Sentences that share a word or two are LSH candidates now and then, but no pair of them
    # could start a passage: their articles are not aligned.
    rng = random.Random(4)
    vocab = [f"word{k}" for k in range(200)]
    texts = [
        " ".join(" ".join(rng.sample(vocab, 8)).capitalize() + "." for _ in range(30))
        for _ in range(6)
    ]
    docs = [Article(f"d{n}", t) for n, t in enumerate(texts)]
    usable = [s for s in sentences_of(texts, DEFAULT_PARAMS) if len(s.features) >= 3]
    proposed = {(a[0], b[0]) for a, b in find_candidates(usable, DEFAULT_PARAMS)}
    keys = np.array([s.key for s in usable], dtype=np.int64)
    found = sentence_pairs(keys, Signer().sign([s.features for s in usable])).pairs
    kept = {(a[0], b[0]) for a, b, _ in found}
    assert len(kept) < len(proposed) / 2
    for pair in kept:
        assert max(n for a, b, n in found if (a[0], b[0]) == pair) >= evidence_floor()
    assert dict(dedup.scan(docs).stats)["article_pairs"] == len(kept)


def test_banding_skips_an_oversized_bucket() -> None:
    rows = np.tile(np.arange(6, dtype=np.uint32), (5, 1))  # five identical signatures
    params = Params(num_perm=6)
    groups = np.arange(5)
    assert len(candidate_pairs(rows, groups, params)) == 10
    assert len(candidate_pairs(rows, groups, params, max_bucket=4)) == 0


@pytest.mark.parametrize(("seed", "n"), [(1, 40), (2, 60)])  # reference and corpus weights
def test_scan_equals_the_straightforward_path(seed: int, n: int) -> None:
    docs = reuse_corpus(seed, n)
    for params in (
        DEFAULT_PARAMS,
        dataclasses.replace(DEFAULT_PARAMS, skip_same_source=True),
        Params(copies_only=True, threshold=COPY_THRESHOLD),
        Params(weighted=True),
    ):
        report = dedup.scan(docs, params)
        expected = straightforward_scan(docs, params)
        assert list(report.passages) == expected
        assert len(expected) > 10
        assert list(report.coverage) == [coverage(a, expected) for a in docs]


def test_jobs_do_not_change_the_report() -> None:
    docs = reuse_corpus(3, n=60)
    one = dedup.scan(docs, jobs=1)
    assert one == dedup.scan(docs, jobs=2)
    assert one == dedup.scan(docs, jobs=3)
    assert len(one.passages) > 10


def test_jobs_do_not_change_the_weighted_report() -> None:
    docs = reuse_corpus(3, n=60)
    params = Params(weighted=True)
    one = dedup.scan(docs, params, jobs=1)
    assert one.weights == "corpus document frequencies (60 articles)"  # read by each worker
    assert one == dedup.scan(docs, params, jobs=2)
    assert one.passages != dedup.scan(docs, jobs=1).passages  # the weights do change pairs


def test_jobs_on_samples(sample_articles: list[Article]) -> None:
    assert dedup.scan(sample_articles, jobs=2) == dedup.scan(sample_articles)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, 5), min_size=2, max_size=6), st.integers(1, 4))
def test_jobs_never_change_the_report_on_small_corpora(picks: list[int], jobs: int) -> None:
    pool = reuse_corpus(9, n=6)
    docs = [dataclasses.replace(pool[k], id=f"d{n}") for n, k in enumerate(picks)]
    assert dedup.scan(docs, jobs=jobs) == dedup.scan(docs, jobs=1)


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 2**31), st.integers(0, 16))
def test_reaches_is_agreement_at_the_floor(seed: int, floor: int) -> None:
    rng = np.random.default_rng(seed)
    # Few distinct values, and values that differ only above the low byte: both kinds of tie.
    signatures = rng.integers(0, 4, size=(30, 16)).astype(np.uint32) * rng.choice([1, 256, 65536])
    pairs = rng.integers(0, 30, size=(200, 2))
    assert (
        reaches(signatures, pairs, floor, chunk=7) == (agreement(signatures, pairs) >= floor)
    ).all()


@pytest.mark.parametrize(("n", "workers"), [(_MIN_PARALLEL - 1, False), (_MIN_PARALLEL, True)])
def test_worker_processes_start_from_min_parallel_articles(n: int, workers: bool) -> None:
    docs = [Article(f"d{k}", f"Story number {k} has a few words of its own.") for k in range(n)]
    with Engine(docs, DEFAULT_PARAMS, jobs=2) as engine:
        assert (engine._pool is not None) is workers


def test_jobs_do_not_change_a_report_of_several_chunks() -> None:
    # more articles than two signing chunks, and more aligned pairs than one aligning chunk,
    # so that two worker processes share the work
    docs = reuse_corpus(7, n=2 * _CHUNK_ARTICLES + 1)
    one = dedup.scan(docs, jobs=1)
    assert dict(one.stats)["article_pairs"] > 2 * _CHUNK_PAIRS
    assert dedup.scan(docs, jobs=2) == one


QUOTE = "I was going to say something extremely rough to Hillary and her family."


def _quoting(n: int, inside: bool) -> Article:
    rng = random.Random(n)
    words = [f"topic{k}" for k in range(400)]
    filler = [" ".join(rng.sample(words, 9)).capitalize() + "." for _ in range(8)]
    if inside:
        quote = (
            f'The candidate told reporters at a rally in Ohio on Tuesday evening that "{QUOTE}" '
            "before turning to trade, taxes, border security and the economy."
        )
    else:
        quote = QUOTE
    return Article(f"q{n}", " ".join([*filler[:4], quote, *filler[4:]]))


def test_a_lone_quote_inside_a_longer_sentence_is_evidence() -> None:
    # One sentence pair, its Jaccard low (the quote is a third of the longer sentence), in two
    # articles of nine sentences: below the lone floor, but a copy, which the aligner reports.
    docs = [_quoting(1, inside=False), _quoting(2, inside=True)]
    report = dedup.scan(docs)
    [p] = report.passages
    quoted = docs[0].text[p.a_start : p.a_end]
    assert quoted in QUOTE
    assert len(quoted) >= len(QUOTE) - 2  # the copy, edges trimmed to what both sides print
    assert docs[1].text[p.b_start : p.b_end] in QUOTE
    params = DEFAULT_PARAMS
    usable = [s for s in sentences_of([d.text for d in docs], params) if len(s.features) >= 3]
    keys = np.array([s.key for s in usable], dtype=np.int64)
    matrix = Signer(params).sign([s.features for s in usable])
    stems = np.array([len(s.features) for s in usable], dtype=np.int64)
    [(_, _, shared)] = sentence_pairs(keys, matrix, params, features=stems).pairs
    assert evidence_floor() <= shared < lone_floor()
    assert sentence_pairs(keys, matrix, params).pairs == []  # without the stem counts

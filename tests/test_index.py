"""LSH candidates against a brute-force exact-Jaccard oracle (RapidFuzz-style differential test).

The oracle is slow and obviously right: exact Jaccard of the shingle sets of every sentence
pair. Banded LSH is probabilistic: a pair of Jaccard ``J`` becomes a candidate with probability
``1 - (1 - J**r)**b`` for the ``b`` bands of ``r`` rows that datasketch picks. So the tests

* demand every pair whose miss probability is negligible (< 1e-6) and every identical pair;
* compare recall and false positives around the threshold, loosely, with what the S-curve
  predicts;
* keep the literal "every pair at or above the threshold" as a known miss (xfail).

Seeds are fixed (corpus and MinHash), so all of this is deterministic.
"""

from __future__ import annotations

import dataclasses
import itertools
import random
from collections.abc import Iterator

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup import DEFAULT_PARAMS, ConfigError, Params
from dedup.bands import maybe_shared as _maybe_shared
from dedup.index import SentenceIndex
from dedup.model import Sentence, SentenceKey
from dedup.normalize import words
from dedup.shingle import make_sentences, shingles, signatures
from dedup.stages import find_candidates

VOCAB = [
    *["harbor", "council", "mayor", "budget", "river", "bridge", "school", "teacher", "storm"],
    *["flood", "farmer", "market", "election", "senator", "court", "judge", "police", "officer"],
    *["hospital", "doctor", "vaccine", "airport", "pilot", "engine", "factory", "worker"],
    *["union", "strike", "museum", "painting", "village", "festival", "railway", "station"],
    *["tunnel", "bank", "loan", "tax", "border", "soldier", "treaty", "minister", "protest"],
    *["student", "library", "garden", "forest", "wildfire", "drought", "reservoir", "pipeline"],
    *["energy", "solar", "wind", "coal", "mine", "harvest", "price", "wage"],
]
FUNCTION_WORDS = ["the", "of", "and", "to", "in", "a", "that", "was", "for", "on", "with", "by"]
SHORT = ["Rafah burns.", "Talks stalled.", "The mayor resigned."]  # < 3 shingles: not indexed

Pair = tuple[SentenceKey, SentenceKey]


def _sentence_words(rng: random.Random) -> list[str]:
    out = []
    for _ in range(rng.randint(7, 13)):
        out.append(rng.choice(VOCAB))
        if rng.random() < 0.3:
            out.append(rng.choice(FUNCTION_WORDS))
    return out


def _edit(rng: random.Random, ws: list[str]) -> list[str]:
    """A near-duplicate: replace or drop 0-3 words (0 gives an exact copy)."""
    ws = list(ws)
    for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
        if rng.random() < 0.5 and len(ws) > 4:
            del ws[rng.randrange(len(ws))]
        else:
            ws[rng.randrange(len(ws))] = rng.choice(VOCAB)
    return ws


def make_corpus(seed: int, n_articles: int = 8, per_article: int = 40) -> list[str]:
    """Articles of random sentences; about a third are edited copies of earlier ones."""
    rng = random.Random(seed)
    pool: list[list[str]] = []
    articles: list[list[str]] = []
    for _ in range(n_articles):
        sentences = []
        for _ in range(per_article):
            ws = (
                _edit(rng, rng.choice(pool))
                if pool and rng.random() < 0.35
                else _sentence_words(rng)
            )
            pool.append(ws)
            sentences.append(" ".join(ws).capitalize() + ".")
        sentences.insert(rng.randrange(len(sentences)), rng.choice(SHORT))
        articles.append(sentences)
    return [" ".join(sentences) for sentences in articles]


def sentences_of(texts: list[str], params: Params) -> list[Sentence]:
    return [s for n, text in enumerate(texts) for s in make_sentences(n, text, params)]


def exact_jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


def all_pairs(sentences: list[Sentence], params: Params) -> Iterator[tuple[Pair, float]]:
    """Every pair of indexable sentences (``a < b``) with its exact Jaccard: the oracle."""
    # Recomputed from the words, independently of Sentence.features.
    sets = {
        s.key: shingles(s.words, params.shingle_size)
        for s in sentences
        if len(shingles(s.words, params.shingle_size)) >= params.min_features
    }
    for a, b in itertools.combinations(sorted(sets), 2):
        yield (a, b), exact_jaccard(sets[a], sets[b])


def _hit_probability(j: float, bands: int, rows: int) -> float:
    return 1 - (1 - j**rows) ** bands


def _sure_jaccard(bands: int, rows: int, miss: float = 1e-6) -> float:
    """The Jaccard above which a pair's chance of being missed is below ``miss``."""
    return float((1 - miss ** (1 / bands)) ** (1 / rows))


PARAMS = {
    "default": DEFAULT_PARAMS,
    "threshold-0.5": dataclasses.replace(DEFAULT_PARAMS, threshold=0.5),
    "num-perm-32": dataclasses.replace(DEFAULT_PARAMS, num_perm=32),
}


@pytest.fixture(scope="module")
def corpus() -> list[str]:
    return make_corpus(seed=20240501)


@pytest.fixture(scope="module", params=list(PARAMS), ids=list(PARAMS))
def oracle(request: pytest.FixtureRequest, corpus: list[str]) -> Oracle:
    params = PARAMS[request.param]
    sentences = sentences_of(corpus, params)
    return Oracle(
        params=params,
        sentences=sentences,
        jaccard=dict(all_pairs(sentences, params)),
        found=find_candidates(sentences, params),
        bands_rows=SentenceIndex(params).bands_rows,
    )


@dataclasses.dataclass
class Oracle:
    params: Params
    sentences: list[Sentence]
    jaccard: dict[Pair, float]  # every indexable pair
    found: list[Pair]
    bands_rows: tuple[int, int]

    def truth(self, floor: float) -> dict[Pair, float]:
        return {pair: j for pair, j in self.jaccard.items() if j >= floor}


def test_corpus_has_pairs_on_both_sides_of_the_threshold(oracle: Oracle) -> None:
    # Guards the generator: the differential tests below are only as good as their data.
    assert 300 <= len(oracle.sentences) <= 400
    t = oracle.params.threshold
    assert len(oracle.truth(1.0)) >= 10
    assert len(oracle.truth(_sure_jaccard(*oracle.bands_rows))) >= 50
    near = [j for j in oracle.jaccard.values() if t <= j < t + 0.15]
    below = [j for j in oracle.jaccard.values() if t - 0.15 <= j < t]
    assert len(near) >= 20
    assert len(below) >= 20


def test_candidates_are_sorted_unique_ordered_pairs_of_indexed_sentences(oracle: Oracle) -> None:
    assert oracle.found == sorted(set(oracle.found))
    assert all(a < b for a, b in oracle.found)
    assert set(oracle.found) <= set(oracle.jaccard)  # only indexable sentences, no self-pairs


def test_identical_feature_sets_are_always_candidates(oracle: Oracle) -> None:
    identical = oracle.truth(1.0)
    assert set(identical) <= set(oracle.found)


def test_candidates_include_every_pair_clear_of_the_threshold(oracle: Oracle) -> None:
    floor = _sure_jaccard(*oracle.bands_rows)
    missed = sorted(set(oracle.truth(floor)) - set(oracle.found))
    assert missed == [], f"pairs with Jaccard >= {floor:.3f} missed by LSH"


# The two tests below compare counts with the S-curve's expectation only loosely: pairs that
# share a sentence (or a cluster of copies) succeed or fail together, so the counts vary far
# more than independent coin flips would. They catch an index that drops or floods candidates.


def test_candidate_recall_at_the_threshold_follows_the_lsh_curve(oracle: Oracle) -> None:
    bands, rows = oracle.bands_rows
    truth = oracle.truth(oracle.params.threshold)
    expected = sum(_hit_probability(j, bands, rows) for j in truth.values()) / len(truth)
    recall = len(set(truth) & set(oracle.found)) / len(truth)
    assert recall >= 0.8
    assert recall >= expected - 0.15, (recall, expected)


def test_false_positives_below_the_threshold_follow_the_lsh_curve(oracle: Oracle) -> None:
    bands, rows = oracle.bands_rows
    t = oracle.params.threshold
    found = set(oracle.found)
    below = {pair: j for pair, j in oracle.jaccard.items() if j < t}
    expected = sum(_hit_probability(j, bands, rows) for j in below.values())
    proposed = sum(pair in found for pair in below)
    assert proposed <= 1.5 * expected, (proposed, expected)
    assert proposed < len(below) / 4  # LSH prunes: most unrelated pairs are never proposed
    unrelated = [pair for pair, j in below.items() if j < t / 3]
    assert sum(pair in found for pair in unrelated) < 0.05 * len(unrelated)


@pytest.mark.xfail(
    strict=True,
    reason="banded LSH is probabilistic: at the default bands/rows (42, 3) a pair with Jaccard "
    "exactly 0.3 is proposed with probability ~0.68, so some pairs at or just above the "
    "threshold are missed (about 1 in 10 on this corpus)",
)
def test_candidates_include_every_pair_at_or_above_the_default_threshold(
    corpus: list[str],
) -> None:
    sentences = sentences_of(corpus, DEFAULT_PARAMS)
    truth = {p for p, j in all_pairs(sentences, DEFAULT_PARAMS) if j >= DEFAULT_PARAMS.threshold}
    assert truth <= set(find_candidates(sentences, DEFAULT_PARAMS))


def test_candidates_are_deterministic(corpus: list[str], small_params: Params) -> None:
    sentences = sentences_of(corpus, small_params)
    assert find_candidates(sentences, small_params) == find_candidates(sentences, small_params)


def test_within_false_excludes_same_article_pairs(corpus: list[str]) -> None:
    within = sentences_of(corpus, DEFAULT_PARAMS)
    across = dataclasses.replace(DEFAULT_PARAMS, within=False)
    with_same = find_candidates(within, DEFAULT_PARAMS)
    without = find_candidates(within, across)
    assert any(a[0] == b[0] for a, b in with_same)
    assert all(a[0] != b[0] for a, b in without)
    assert without == [(a, b) for a, b in with_same if a[0] != b[0]]


@pytest.mark.parametrize("min_features", [1, 3, 5])
def test_sentences_with_fewer_than_min_features_are_not_indexed(min_features: int) -> None:
    params = dataclasses.replace(DEFAULT_PARAMS, min_features=min_features, within=False)
    texts = [
        "Rafah burns. Officials oppose invading Gaza now. Hostage talks resumed in Cairo today.",
        "Rafah burns. Officials oppose invading Gaza now. Hostage talks resumed in Cairo today.",
    ]
    sentences = sentences_of(texts, params)
    n_features = {s.key: len(s.features) for s in sentences}
    assert sorted(set(n_features.values())) == [2, 4, 5]
    found = find_candidates(sentences, params)
    used = {key for pair in found for key in pair}
    assert used == {key for key, n in n_features.items() if n >= min_features}
    # Identical sentences of two articles: found exactly when they have enough shingles.
    assert found == sorted(((0, i), (1, i)) for i in range(3) if n_features[(0, i)] >= min_features)


def test_sentence_with_only_stop_words_is_not_indexed() -> None:
    text = "It was what it was. It was what it was."
    sentences = sentences_of([text, text], DEFAULT_PARAMS)
    assert all(not s.features for s in sentences)
    assert find_candidates(sentences, dataclasses.replace(DEFAULT_PARAMS, min_features=1)) == []


def test_index_rejects_a_signature_with_another_num_perm() -> None:
    (s,) = make_sentences(0, "Officials oppose invading Rafah now.")
    sig = signatures([s], dataclasses.replace(DEFAULT_PARAMS, num_perm=64))[0]
    index = SentenceIndex(DEFAULT_PARAMS)
    with pytest.raises(ConfigError, match="64 permutations"):
        index.add(s.key, sig)
    assert len(index) == 0


def test_index_add_and_add_all_agree() -> None:
    text = "Officials oppose invading Rafah now. Officials oppose invading Rafah soon."
    sentences = make_sentences(0, text)
    sigs = signatures(sentences)
    one_by_one, at_once = SentenceIndex(), SentenceIndex()
    for s, sig in zip(sentences, sigs, strict=True):
        one_by_one.add(s.key, sig)
    at_once.add_all(sentences, sigs)
    assert len(one_by_one) == len(at_once) == 2
    assert list(one_by_one.candidates()) == list(at_once.candidates()) == [((0, 0), (0, 1))]
    assert list(at_once.candidates(within=False)) == []


def test_oracle_shingles_match_sentence_features(corpus: list[str]) -> None:
    # The oracle recomputes shingles from the words; make sure it sees what the index sees.
    for s in sentences_of(corpus[:2], DEFAULT_PARAMS):
        assert s.features == shingles(words(corpus[s.article][s.start : s.end]))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(min_value=0, max_value=3), min_size=4, max_size=4),
        max_size=60,
    )
)
def test_maybe_shared_keeps_every_row_that_has_a_twin(rows: list[list[int]]) -> None:
    block = np.array(rows, dtype=np.uint32).reshape(len(rows), 4)
    kept = set(_maybe_shared(block).tolist())
    for n, row in enumerate(rows):
        if rows.count(row) > 1:
            assert n in kept

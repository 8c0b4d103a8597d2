from __future__ import annotations

import dataclasses

import pytest
from datasketch import MinHash
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup import DEFAULT_PARAMS, Article, Params
from dedup.model import Sentence
from dedup.normalize import words
from dedup.shingle import (
    HASH_SCHEME,
    hash_values,
    make_sentences,
    permutations,
    shingles,
    signatures,
)


@pytest.mark.parametrize(
    ("text", "size", "expected"),
    [
        ("Officials oppose invading Rafah", 1, {"offici", "oppos", "invad", "rafah"}),
        (
            "U.S. officials oppose the invasion of Rafah",
            1,
            {"u", "s", "offici", "oppos", "invas", "rafah"},
        ),
        ("The officials said that they would oppose it", 1, {"offici", "oppos"}),
        ("Officials oppose the invasion", 2, {"offici oppos", "oppos invas"}),
        ("officials oppose the invasion of Rafah", 3, {"offici oppos invas", "oppos invas rafah"}),
        ("Officials oppose", 3, set()),
        ("the of and to in a", 1, set()),
        ("Mr. Netanyahu says he said so", 1, {"netanyahu"}),
        ("Officials officials OFFICIALS", 1, {"offici"}),
    ],
    ids=[
        "unigrams",
        "abbreviation-letters-kept",
        "stop-words-dropped",
        "bigrams-skip-stop-words",
        "trigrams",
        "fewer-stems-than-size",
        "only-stop-words",
        "titles-and-reporting-verbs",
        "duplicates-collapse",
    ],
)
def test_shingles_are_ngrams_of_content_stems(text: str, size: int, expected: set[str]) -> None:
    assert shingles(words(text), size) == frozenset(expected)


def test_shingles_ignore_inflection_case_and_quotes() -> None:
    a = shingles(words("Officials opposed “invading” Rafah\u2019s camps"))
    b = shingles(words("OFFICIAL opposes invade rafah's camp"))
    assert a == b


def test_make_sentences_offsets_words_and_features() -> None:
    text = "Headline here\n\nU.S. officials oppose it. Mr. Blinken left!"
    got = make_sentences(7, text)
    assert [(s.article, s.index, s.start, s.end) for s in got] == [
        (7, 0, 0, 13),
        (7, 1, 15, 40),
        (7, 2, 41, 58),
    ]
    assert [text[s.start : s.end] for s in got] == [
        "Headline here",
        "U.S. officials oppose it.",
        "Mr. Blinken left!",
    ]
    assert got[1].words == ("u", "s", "officials", "oppose", "it")
    assert got[1].features == frozenset({"u", "s", "offici", "oppos"})
    assert got[2].key == (7, 2)


def test_make_sentences_uses_params_shingle_size() -> None:
    params = dataclasses.replace(DEFAULT_PARAMS, shingle_size=2)
    (s,) = make_sentences(0, "Officials oppose the invasion of Rafah.", params)
    assert s.features == frozenset({"offici oppos", "oppos invas", "invas rafah"})


def test_make_sentences_of_empty_text() -> None:
    assert make_sentences(0, "") == []


def _sentence(features: set[str], index: int = 0) -> Sentence:
    return Sentence(0, index, 0, 0, (), frozenset(features))


FEATURES = {"offici", "oppos", "invad", "rafah", "hamas"}


def test_signatures_are_deterministic_across_calls(small_params: Params) -> None:
    first = signatures([_sentence(FEATURES)], small_params)[0]
    again = signatures([_sentence(set(FEATURES))], small_params)[0]
    assert list(first.hashvalues) == list(again.hashvalues)
    assert first.seed == again.seed == small_params.seed


def test_signatures_equal_for_equal_feature_sets() -> None:
    sigs = signatures([_sentence(FEATURES, 0), _sentence({"x", "y"}, 1), _sentence(FEATURES, 2)])
    assert list(sigs[0].hashvalues) == list(sigs[2].hashvalues)
    assert sigs[0].jaccard(sigs[2]) == 1.0
    assert sigs[0].jaccard(sigs[1]) < 0.5


@pytest.mark.parametrize("num_perm", [16, 32, 128])
def test_signatures_have_num_perm_hash_values(num_perm: int) -> None:
    params = dataclasses.replace(DEFAULT_PARAMS, num_perm=num_perm)
    (sig,) = signatures([_sentence(FEATURES)], params)
    assert len(sig) == num_perm


def test_signatures_depend_on_seed() -> None:
    one = signatures([_sentence(FEATURES)], dataclasses.replace(DEFAULT_PARAMS, seed=1))[0]
    two = signatures([_sentence(FEATURES)], dataclasses.replace(DEFAULT_PARAMS, seed=2))[0]
    assert list(one.hashvalues) != list(two.hashvalues)


def test_signature_jaccard_estimates_exact_jaccard() -> None:
    a = {f"w{i}" for i in range(60)}
    b = {f"w{i}" for i in range(20, 80)}  # exact Jaccard 40 / 80 = 0.5
    sa, sb = signatures([_sentence(a), _sentence(b)])  # 128 permutations: sd ~ 0.044
    assert sa.jaccard(sb) == pytest.approx(0.5, abs=0.15)


def test_signatures_of_no_sentences() -> None:
    assert signatures([]) == []


# Oracle tests for the plain-Python signer: datasketch itself, one MinHash per set, fed with
# ``update_batch`` (not the ``bulk`` that ``signatures`` uses), must give the same values.
def _datasketch(features: frozenset[str], num_perm: int, seed: int) -> tuple[int, ...]:
    m = MinHash(num_perm=num_perm, seed=seed, scheme=HASH_SCHEME)
    m.update_batch([f.encode("utf-8") for f in features])
    return tuple(m.hashvalues.tolist())


_SHINGLE = st.text(min_size=1, max_size=12)  # any Unicode: shingles are UTF-8 encoded


@settings(max_examples=200, deadline=None)
@given(
    sets=st.lists(st.frozensets(_SHINGLE, max_size=25), max_size=6),
    seed=st.integers(0, 2**32 - 1),
    num_perm=st.integers(1, 300),
)
def test_hash_values_are_datasketchs_bit_for_bit(
    sets: list[frozenset[str]], seed: int, num_perm: int
) -> None:
    params = dataclasses.replace(DEFAULT_PARAMS, num_perm=num_perm, seed=seed)
    assert hash_values(sets, params) == [_datasketch(s, num_perm, seed) for s in sets]


@settings(max_examples=100, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), num_perm=st.integers(1, 600))
def test_permutations_are_those_minhash_draws(seed: int, num_perm: int) -> None:
    a, b = MinHash(num_perm=num_perm, seed=seed, scheme=HASH_SCHEME).permutations
    assert permutations(num_perm, seed) == (tuple(a.tolist()), tuple(b.tolist()))


@pytest.mark.parametrize("seed", [-1, 2**32])
def test_permutations_refuse_seeds_numpy_refuses(seed: int) -> None:
    with pytest.raises(ValueError, match=r"(?i)seed"):
        MinHash(num_perm=4, seed=seed, scheme=HASH_SCHEME)
    with pytest.raises(ValueError, match=r"(?i)seed"):
        permutations(4, seed)


def test_hash_values_equal_signatures_on_samples(sample_articles: list[Article]) -> None:
    for article in sample_articles:
        sentences = [s for s in make_sentences(0, article.text) if s.features]
        expected = [tuple(sig.hashvalues.tolist()) for sig in signatures(sentences)]
        assert hash_values([s.features for s in sentences]) == expected, article.id


def test_hash_scheme_is_the_one_signatures_use() -> None:
    (sig,) = signatures([_sentence(FEATURES)])
    assert sig.scheme == HASH_SCHEME == "affine32"

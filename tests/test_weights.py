"""Term weights: document frequencies, the reference frequencies, and what they change."""

from __future__ import annotations

from collections import Counter
from importlib.metadata import version
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from test_properties import SETTINGS, WORDS, _check_comparison, prose, two_texts_sharing_chunks

import dedup
from dedup import Article, Params
from dedup.normalize import content_stem_set
from dedup.shingle import make_sentences
from dedup.store import Index
from dedup.weights import (
    MIN_DOCUMENTS,
    UNIFORM,
    Weights,
    corpus_weights,
    document_frequencies,
    reference_weights,
    weights_for,
)

STEMS = sorted(content_stem_set(tuple(WORDS)))
FEW = settings(SETTINGS, max_examples=30)  # each example compares twice


def test_uniform_dice_is_the_plain_dice_of_the_sets() -> None:
    a, b = frozenset({"mayor", "resign", "council"}), frozenset({"mayor", "resign", "harbor", "x"})
    assert UNIFORM.dice(a, b) == 2 * 2 / 7
    assert UNIFORM.dice(a, frozenset()) == 0.0


@given(st.frozensets(st.sampled_from(STEMS), max_size=12), st.frozensets(st.sampled_from(STEMS)))
def test_uniform_dice_counts_as_the_summed_weights_do(a: frozenset[str], b: frozenset[str]) -> None:
    """The uniform shortcut (set sizes) against the general formula (summed weights)."""
    both = a & b
    summed = 2 * UNIFORM.total(both) / (UNIFORM.total(a) + UNIFORM.total(b)) if both else 0.0
    assert UNIFORM.dice(a, b) == summed


def test_a_shared_rare_stem_counts_more_than_a_shared_common_one() -> None:
    w = corpus_weights(Counter({"said": 90, "year": 80, "blinken": 2, "rafah": 1}), 100)
    common = w.dice(frozenset({"said", "rafah"}), frozenset({"said", "blinken"}))
    rare = w.dice(frozenset({"said", "rafah"}), frozenset({"year", "rafah"}))
    assert rare > 0.5 > common


def test_document_frequencies_count_each_document_once() -> None:
    docs = [[frozenset({"a", "b"}), frozenset({"a"})], [frozenset({"a"})], []]
    assert document_frequencies(docs) == Counter({"a": 2, "b": 1})


def test_corpus_weights_follow_document_frequency() -> None:
    w = corpus_weights(Counter({"said": 50, "mayor": 5}), 50)
    assert w.weight("said") < w.weight("mayor") < w.weight("unseen")
    assert w.weight("said") == 1.0
    assert w.source == "corpus document frequencies (50 articles)"


def test_a_small_corpus_takes_the_reference_weights() -> None:
    assert weights_for(Counter(), MIN_DOCUMENTS - 1) is reference_weights()
    assert weights_for(Counter(), MIN_DOCUMENTS).source.startswith("corpus")
    assert weights_for(Counter(), 5, weighted=False) is UNIFORM


def test_reference_weights_know_common_words() -> None:
    w = reference_weights()
    assert w.source == "wordfreq 3.x en"
    assert version("wordfreq").startswith("3.")
    assert w.weight("year") < w.weight("mayor") < w.weight("netanyahu") < w.weight("zzqx")
    assert w.weight("1") < w.weight("1987")


def test_provenance_names_the_weights() -> None:
    text = "The mayor resigned on Tuesday after a long dispute with the council over the harbor."
    weighted = Params(weighted=True)
    assert dedup.compare(text, text, weighted).weights == "wordfreq 3.x en"
    assert dedup.compare(text, text).weights == "uniform"
    docs = [Article("a", text), Article("b", "Officials said: " + text)]
    assert dedup.scan(docs, weighted).weights == "wordfreq 3.x en"  # two: the reference
    assert dedup.scan(docs, weighted, weights=UNIFORM).weights == "uniform"
    assert dedup.scan(docs).weights == "uniform"


def test_uniform_weights_are_the_unweighted_scan(sample_articles: list[Article]) -> None:
    plain = dedup.scan(sample_articles)
    weighted = Params(weighted=True)
    assert plain.passages == dedup.scan(sample_articles, weighted, weights=UNIFORM).passages
    assert plain.passages != dedup.scan(sample_articles, weighted).passages


any_weights = st.builds(
    Weights,
    st.dictionaries(st.sampled_from(STEMS), st.floats(1e-6, 1.0), max_size=len(STEMS)),
    st.floats(1e-6, 1.0),
    st.just("random"),
)


@FEW
@given(two_texts_sharing_chunks(), any_weights)
def test_any_weights_give_valid_offsets_on_sentence_edges(
    texts: tuple[str, str], weights: Weights
) -> None:
    """Weights choose which sentence pairs qualify; a passage's edges stay the text's.

    A reworded passage spans whole sentences of both texts, a copy lies inside them.
    """
    a, b = texts
    c = dedup.compare(a, b, Params(weighted=True), weights=weights)
    _check_comparison(a, b, c)
    starts = {text: {s.start for s in make_sentences(0, text)} for text in (a, b)}
    ends = {text: {s.end for s in make_sentences(0, text)} for text in (a, b)}
    for p in c.passages:
        if p.kind == "paraphrase":
            assert p.a_start in starts[a]
            assert p.a_end in ends[a]
            assert p.b_start in starts[b]
            assert p.b_end in ends[b]


@FEW
@given(prose, any_weights)
def test_weights_never_move_a_copy(text: str, weights: Weights) -> None:
    """A copy is found at the same offsets whatever the weights."""
    other = "Reported earlier. " + text
    found = dedup.compare(text, other, Params(weighted=True), weights=weights).passages
    assert found == dedup.compare(text, other).passages


def test_a_weighted_check_finds_what_a_weighted_compare_finds(tmp_path: Path) -> None:
    story = (
        "The city council voted on Tuesday to close the old harbour bridge for repairs. "
        "Engineers found deep cracks in two of its steel supports during a routine inspection."
    )
    reworded = (
        "On Tuesday the council voted to shut the old harbour bridge for urgent repairs. "
        "Deep cracks were found by engineers in two steel supports during an inspection."
    )
    params = Params(weighted=True, within=False)
    with Index(tmp_path / "index.db") as index:
        index.add([Article("old", story)])
        [v] = index.check([Article("new", reworded)], params=params).verdicts
    found = dedup.compare(story, reworded, params).passages
    assert [(f.other_start, f.other_end, f.start, f.end, f.score) for f in v.findings] == [
        (p.a_start, p.a_end, p.b_start, p.b_end, p.score) for p in found
    ]
    # The weights are in the sentence pairs' overlap (a passage found whole, by the rewrite
    # search, is scored by the pair's own tf-isf weights: ``dedup.rewrite``).
    from dedup.align import score_pair
    from dedup.normalize import fold

    a, b = make_sentences(0, story)[0], make_sentences(1, reworded)[0]
    weighted = score_pair(a, b, fold(story), fold(reworded), reference_weights())
    assert weighted.overlap != score_pair(a, b, fold(story), fold(reworded)).overlap


def test_a_weighted_check_takes_the_index_document_frequencies(tmp_path: Path) -> None:
    from dedup.check import check_weights
    from dedup.weights import MIN_DOCUMENTS

    weighted = Params(weighted=True)
    filler = [f"The council met on day {n} to discuss the harbour budget." for n in range(60)]
    articles = [Article(f"a{n}", text) for n, text in enumerate(filler)]
    draft = "The council discussed the harbour again, and a rare kestrel nested on the roof."
    with Index(tmp_path / "small.db") as index:
        index.add(articles[: MIN_DOCUMENTS - 1])
        assert check_weights(weighted, index, [draft]).source == "wordfreq 3.x en"
        index.add(articles[MIN_DOCUMENTS - 1 :])
        weights = check_weights(weighted, index, [draft])
        assert weights.source == f"corpus document frequencies ({len(articles)} articles)"
        # every indexed article has "council", none has "kestrel": the rare stem weighs more
        assert weights.weight("kestrel") > weights.weight("council")
        assert check_weights(Params(), index, [draft]).source == "uniform"

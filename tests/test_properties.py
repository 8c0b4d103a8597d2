"""Hypothesis invariants: offsets stay honest for any Unicode text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dedup
from dedup.model import KINDS
from dedup.normalize import fold, words
from dedup.segment import MAX_SENTENCE, split_sentences
from dedup.shingle import make_sentences

SETTINGS = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,  # a fixed seed: the same examples on every run
    suppress_health_check=[HealthCheck.too_slow],
)

TRICKY = [
    *["İ", "ß", "ẞ", "é", "e\u0301", "ﬁ", "😀", "👍🏽", "שלום", "مرحبا", "中文", "한국어"],
    *["U.S.", "Mr.", "J.", "“", "”", "\u2019", "—", "…", "!", "?", ".", '"', "(", ")", "-"],
    *[" ", "\n", "\n\n", "\r\n", "\r", "\t", "\u00a0", "\u2028", "\u3000"],
]
WORDS = [
    *["the", "mayor", "resigned", "on", "tuesday", "after", "a", "long", "dispute", "with"],
    *["council", "over", "harbor", "budget", "officials", "oppose", "invading", "rafah"],
    *["hostages", "cease", "fire", "deal", "blinken", "netanyahu", "israel", "gaza", "strike"],
    *["airstrike", "damage", "buildings", "minister", "meeting", "washington", "jerusalem"],
]

tricky_text = st.lists(
    st.one_of(
        st.sampled_from(TRICKY),
        st.sampled_from(WORDS),
        st.text(max_size=8),
        st.text(st.characters(codec="utf-8"), max_size=8),
    ),
    max_size=60,
).map("".join)


# Unpunctuated runs longer than MAX_SENTENCE, which the segmenter cuts into pieces.
long_run = st.lists(
    st.one_of(st.sampled_from(WORDS), st.sampled_from([",", ";", " —", "x" * 60, "\n"])),
    min_size=60,
    max_size=200,
).map(" ".join)
any_text = st.one_of(tricky_text, tricky_text, long_run)


@st.composite
def sentence(draw: st.DrawFn) -> str:
    """A plausible sentence: capitalised, 6-14 words, a final stop."""
    ws = draw(st.lists(st.sampled_from(WORDS), min_size=6, max_size=14))
    stop = draw(st.sampled_from([".", "!", "?", ".”"]))
    return " ".join(ws).capitalize() + stop


prose = st.lists(sentence(), min_size=1, max_size=6).map(" ".join)


@SETTINGS
@given(tricky_text)
def test_fold_keeps_length(text: str) -> None:
    assert len(fold(text)) == len(text)


@SETTINGS
@given(any_text)
def test_sentence_spans_are_in_bounds_ordered_disjoint_and_stripped(text: str) -> None:
    spans = split_sentences(text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        piece = text[start:end]
        assert piece == piece.strip()
        previous_end = end
        assert end - start <= MAX_SENTENCE
    # Nothing but space is left out.
    covered = set().union(*(range(s, e) for s, e in spans)) if spans else set()
    assert all(text[i].isspace() for i in range(len(text)) if i not in covered)


@SETTINGS
@given(any_text)
def test_make_sentences_words_are_the_words_of_the_span(text: str) -> None:
    sentences = make_sentences(3, text)
    assert [(s.start, s.end) for s in sentences] == split_sentences(text)
    for n, s in enumerate(sentences):
        assert (s.article, s.index) == (3, n)
        assert s.words == words(text[s.start : s.end])


@st.composite
def two_texts_sharing_chunks(draw: st.DrawFn) -> tuple[str, str]:
    """Two texts of arbitrary material with some copied prose chunks in both."""
    shared = draw(st.lists(prose, min_size=0, max_size=3))
    parts_a = draw(st.lists(st.one_of(tricky_text, prose), max_size=4)) + shared
    parts_b = draw(st.lists(st.one_of(tricky_text, prose), max_size=4)) + shared
    parts_a = draw(st.permutations(parts_a))
    parts_b = draw(st.permutations(parts_b))
    sep = draw(st.sampled_from([" ", "\n", "\n\n", "\r\n"]))
    return sep.join(parts_a), sep.join(parts_b)


def _check_comparison(a: str, b: str, c: dedup.Comparison) -> None:
    for p in c.passages:
        assert (p.a_id, p.b_id) == ("a", "b")
        assert 0 <= p.a_start < p.a_end <= len(a)
        assert 0 <= p.b_start < p.b_end <= len(b)
        assert a[p.a_start : p.a_end] == a[p.a_start : p.a_end].strip()
        assert b[p.b_start : p.b_end] == b[p.b_start : p.b_end].strip()
        assert 0.0 <= p.score <= 1.0
        assert p.kind in KINDS
        assert p.sentence_pairs >= 1
    for cov, text in ((c.a_coverage, a), (c.b_coverage, b)):
        assert cov.length == len(text)
        assert 0 <= cov.reused_chars <= cov.length
        assert 0.0 <= cov.share <= 1.0
        assert all(0.0 <= share <= cov.share for share in cov.by_article.values())


@SETTINGS
@given(two_texts_sharing_chunks())
def test_compare_offsets_scores_and_coverage_are_valid(texts: tuple[str, str]) -> None:
    a, b = texts
    c = dedup.compare(a, b)
    _check_comparison(a, b, c)
    assert dedup.compare(a, b) == c  # deterministic


def _usable(text: str) -> bool:
    """Whether ``text`` has a sentence that can be reported (enough shingles and length)."""
    p = dedup.DEFAULT_PARAMS
    return any(
        len(s.features) >= p.min_features and s.end - s.start >= p.min_length
        for s in make_sentences(0, text)
    )


@SETTINGS
@given(prose)
def test_compare_text_with_itself_finds_reuse(text: str) -> None:
    c = dedup.compare(text, text)
    _check_comparison(text, text, c)
    if _usable(text):
        assert c.passages


@SETTINGS
@given(prose)
def test_compare_text_with_itself_is_verbatim(text: str) -> None:
    c = dedup.compare(text, text)
    if _usable(text):
        assert any(p.kind == "verbatim" for p in c.passages)
        assert all(p.kind == "verbatim" for p in c.passages)
        assert all((p.a_start, p.a_end) == (p.b_start, p.b_end) for p in c.passages)

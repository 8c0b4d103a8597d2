"""The rewrite search (``dedup.rewrite``, ``dedup.tfisf``): fragments found whole, exact offsets."""

from __future__ import annotations

import math
import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dedup
from dedup import Params, Passage, rewrite, tfisf
from dedup.chain import SentencePair
from dedup.rewrite import (
    SEED_DICE,
    Fragment,
    clusters,
    combine,
    fragments,
    units,
    worth_looking,
)
from dedup.shingle import make_sentences
from dedup.tfisf import Space, bags, reference_seeds

SOURCE = (
    "The regional water authority approved a plan to rebuild the northern reservoir dam. "
    "Engineers warned that the concrete wall had weakened after decades of heavy rainfall. "
    "Construction crews will drain the basin before the autumn storms arrive in the valley. "
    "Farmers downstream asked for compensation because irrigation canals will run dry. "
    "The authority promised temporary pipelines to carry water to the orchards."
)
# The same five sentences, words replaced, dropped and shuffled (PAN's random obfuscation).
REWRITTEN = (
    "A plan to reconstruct the northern reservoir dam was approved by the regional water board. "
    "The concrete wall weakened after decades of rainfall, engineers warned, heavy and long. "
    "Before autumn storms arrive in the valley, crews will drain the basin for construction. "
    "Compensation was asked by farmers downstream since the irrigation canals run dry. "
    "Temporary pipelines will carry water to orchards, the authority promised."
)
OTHER = (
    "Local elections drew a record turnout in the coastal towns this weekend. "
    "Candidates debated housing costs and the future of the fishing harbour. "
    "Results are expected on Monday after a manual count of postal ballots. "
    "Observers praised the calm atmosphere at polling stations across the district. "
    "The new council will meet for the first time next month."
)


# Five sentences on a third subject, for the far side of a lone sentence pair.
FILLER = (
    "The orchestra announced its autumn season with three premieres by young composers. "
    "Tickets for the opening concert went on sale at the box office yesterday morning. "
    "The conductor said rehearsals would begin in the old cathedral next week. "
    "Several soloists from abroad will join the ensemble for the final performance. "
    "A children's programme offers free seats to schools across the region."
)


def _sentences(text: str, n: int = 0) -> list[dedup.Sentence]:
    return make_sentences(n, text)


def test_a_reworded_paragraph_is_one_fragment_covering_both_sides() -> None:
    close = " Tickets for the concert went on sale at noon yesterday."
    a, b = "Lead paragraph about other things entirely. " + SOURCE, REWRITTEN + close
    [f] = fragments(_sentences(a), _sentences(b, 1))
    assert (f.a_start, f.a_end) == (a.index("The regional"), len(a))
    assert (f.b_start, f.b_end) == (0, len(REWRITTEN))
    assert f.seeds >= 4
    [p] = dedup.compare(a, b, Params(within=False)).passages
    assert (p.kind, p.a_start, p.a_end, p.b_start, p.b_end) == (
        "paraphrase", f.a_start, f.a_end, f.b_start, f.b_end,
    )  # fmt: skip


def test_two_texts_on_other_subjects_give_no_fragment() -> None:
    assert fragments(_sentences(SOURCE), _sentences(OTHER, 1)) == []


def test_other_figures_make_no_seed() -> None:
    one = (
        "Engineers warned that the concrete wall of the northern reservoir dam had weakened "
        "badly after {} years of heavy rainfall, and that cracks now ran through its base."
    )
    near = (
        "The concrete wall of the northern reservoir dam has weakened badly after {} years "
        "of heavy rainfall, engineers warned, with cracks running through the base."
    )
    a = _sentences(one.format(40) + " " + OTHER)
    assert len(fragments(a, _sentences(near.format(40) + " " + FILLER, 1))) == 1
    assert fragments(a, _sentences(near.format(25) + " " + FILLER, 1)) == []


def test_a_lone_seed_must_reach_the_lone_cosine(monkeypatch: pytest.MonkeyPatch) -> None:
    one = (
        "Engineers warned that the concrete wall of the northern reservoir dam had weakened "
        "badly after decades of heavy rainfall, and that cracks now ran through its base."
    )
    near = (
        "The concrete wall of the northern reservoir dam has weakened badly after decades of "
        "heavy rainfall, engineers warned, with cracks running through the base."
    )
    a, b = _sentences(one + " " + OTHER), _sentences(near + " " + FILLER, 1)
    [f] = fragments(a, b)  # one seed, the two engineers' sentences
    assert (f.seeds, f.a_start, f.b_start) == (1, 0, 0)
    monkeypatch.setattr(rewrite, "LONE_COSINE", f.score + 0.01)
    assert fragments(a, b) == []


def test_short_sentences_join_the_next_unit() -> None:
    text = "Breaking. The regional water authority approved a plan on Monday."
    [u] = units(_sentences(text))
    assert (u.start, u.end) == (0, len(text))


def test_clusters_split_where_a_gap_is_wider_than_allowed() -> None:
    seeds = [(0, 0), (1, 1), (2, 2), (9, 3), (10, 4)]
    assert clusters(seeds, 4) == [[(0, 0), (1, 1), (2, 2)], [(9, 3), (10, 4)]]
    assert clusters(seeds, 6) == [seeds]


def _passage(kind: str, a: tuple[int, int], b: tuple[int, int]) -> Passage:
    return Passage("a", a[0], a[1], "b", b[0], b[1], 1.0, kind)  # type: ignore[arg-type]


def _make(f: Fragment) -> Passage:
    return Passage("a", f.a_start, f.a_end, "b", f.b_start, f.b_end, f.score, "paraphrase")


def test_a_copy_that_covers_most_of_a_fragment_stands_for_it() -> None:
    copy = _passage("verbatim", (0, 90), (0, 90))
    f = Fragment(0, 100, 0, 100, 0.7, 3)
    assert combine([copy], [f], _make) == [copy]


def test_a_fragment_replaces_the_pieces_inside_it() -> None:
    copy = _passage("near-verbatim", (0, 30), (0, 30))
    piece = _passage("paraphrase", (50, 80), (50, 80))
    elsewhere = _passage("paraphrase", (400, 480), (400, 480))
    f = Fragment(0, 200, 0, 200, 0.7, 5)
    assert combine([copy, piece, elsewhere], [f], _make) == [_make(f), elsewhere]


def test_a_fragment_on_text_copied_from_elsewhere_is_left_out() -> None:
    copy = _passage("verbatim", (500, 600), (0, 100))  # b[0:100] copies a[500:600]
    f = Fragment(0, 120, 0, 120, 0.6, 2)
    assert combine([copy], [f], _make) == [copy]


bag = st.dictionaries(st.sampled_from("abcdefghijklmnop"), st.integers(1, 3), min_size=1)


@settings(max_examples=200, deadline=None)
@given(st.lists(bag, min_size=1, max_size=12), st.lists(bag, min_size=1, max_size=12))
def test_seeds_match_the_one_pair_at_a_time_reference(
    a: list[dict[str, int]], b: list[dict[str, int]]
) -> None:
    space = Space(bags([Counter(x) for x in a]), bags([Counter(y) for y in b]))
    for cosine, dice in ((0.33, 0.33), (0.1, 0.2), (0.6, 0.5)):
        fast, slow = set(space.seeds(cosine, dice)), set(reference_seeds(space, cosine, dice))
        # Small counts can put a cosine exactly on the threshold, where the two sums of the
        # same products may round either way: only those pairs may differ.
        assert all(_on_the_threshold(space, i, j, cosine) for i, j in fast ^ slow)


def _on_the_threshold(space: Space, i: int, j: int, cosine: float) -> bool:
    u, v = space.vector("a", i, i), space.vector("b", j, j)
    dot = sum(w * v.get(t, 0.0) for t, w in u.items())
    return math.isclose(dot, cosine * space.norm_a[i] * space.norm_b[j], rel_tol=1e-9)


@pytest.mark.parametrize("products", [1, 7, 1 << 22])
def test_seeds_are_the_same_in_blocks_of_any_size(
    products: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(3)
    vocabulary = [f"w{k}" for k in range(40)]
    a = [Counter(rng.choices(vocabulary, k=6)) for _ in range(30)]
    b = [Counter(rng.choices(vocabulary, k=6)) for _ in range(30)]
    expected = sorted(reference_seeds(Space(bags(a), bags(b)), 0.2, 0.2))
    monkeypatch.setattr(tfisf, "_PRODUCTS", products)
    assert sorted(Space(bags(a), bags(b)).seeds(0.2, 0.2)) == expected
    assert expected  # the case is not empty


def _candidate(i: int, j: int, overlap: float = 0.5, conflict: bool = False) -> SentencePair:
    return SentencePair(i, j, 0.5, 0.0, overlap, False, conflict)


def test_two_seeding_candidates_near_each_other_are_worth_a_search() -> None:
    near = rewrite._NEAR
    assert worth_looking([_candidate(3, 10), _candidate(3 + near, 10 - near)])
    assert not worth_looking([_candidate(3, 10), _candidate(3 + near + 1, 10)])
    assert not worth_looking([_candidate(3, 10), _candidate(4, 10 + near + 1)])
    assert not worth_looking([_candidate(3, 10), _candidate(4, 11, overlap=SEED_DICE)])
    assert not worth_looking([_candidate(3, 10), _candidate(4, 11, conflict=True)])
    assert not worth_looking([_candidate(3, 10)])

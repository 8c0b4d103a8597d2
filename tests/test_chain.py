"""Runs of sentence pairs (dedup.chain): merging and joining, on hand-made runs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dedup.chain as chain_module
from dedup.chain import Bounds, SentencePair, _box, _near, chain_pairs, join_runs, merge_runs


def _pair(i: int, j: int) -> SentencePair:
    return SentencePair(i, j, char=0.5, partial=0.0, overlap=0.6, verbatim=False)


def _bounds(run: list[SentencePair]) -> Bounds:
    """Each sentence 100 characters long, back to back, in both articles."""
    return (
        min(p.i for p in run) * 100,
        (max(p.i for p in run) + 1) * 100,
        min(p.j for p in run) * 100,
        (max(p.j for p in run) + 1) * 100,
    )


def _keys(runs: list[list[SentencePair]]) -> list[list[tuple[int, int]]]:
    return sorted([(p.i, p.j) for p in run] for run in runs)


def test_runs_within_reach_are_joined_in_any_order_unless_copies() -> None:
    forward = [[_pair(0, 0)], [_pair(3, 3)]]  # 200 characters apart on both sides
    crossing = [[_pair(0, 3)], [_pair(3, 0)]]
    assert _keys(join_runs(forward, _bounds, lambda r: False, 200, False)) == [[(0, 0), (3, 3)]]
    assert _keys(join_runs(forward, _bounds, lambda r: False, 199, False)) == [
        [(0, 0)],
        [(3, 3)],
    ]
    assert _keys(join_runs(crossing, _bounds, lambda r: False, 200, False)) == [[(0, 3), (3, 0)]]
    assert _keys(join_runs(crossing, _bounds, lambda r: True, 200, False)) == [
        [(0, 3)],
        [(3, 0)],
    ]


def test_joining_is_transitive_and_keeps_far_runs_apart() -> None:
    runs = [[_pair(0, 0)], [_pair(2, 2)], [_pair(4, 4)], [_pair(20, 20)]]
    assert _keys(join_runs(runs, _bounds, lambda r: False, 100, False)) == [
        [(0, 0), (2, 2), (4, 4)],
        [(20, 20)],
    ]


def test_inside_one_article_the_two_copies_must_not_overlap() -> None:
    runs = [[_pair(0, 2)], [_pair(2, 4)]]  # joined, sentence 2 would be on both sides
    assert _keys(join_runs(runs, _bounds, lambda r: False, 500, True)) == [[(0, 2)], [(2, 4)]]


def test_merge_joins_overlapping_runs_only_when_near() -> None:
    runs = [[_pair(0, 0), _pair(1, 1)], [_pair(1, 1), _pair(2, 2)], [_pair(9, 9)]]
    assert _keys(merge_runs(runs, 2, False)) == [[(0, 0), (1, 1), (2, 2)], [(9, 9)]]


def test_many_runs_join_in_one_pass_per_round() -> None:
    # 2,000 runs in a row: joining them must not restart after each join (that was cubic).
    runs = [[_pair(n, n)] for n in range(2000)]
    [joined] = join_runs(runs, _bounds, lambda r: False, 0, False)
    assert len(joined) == 2000


# -- oracle: the fast chaining and merging against the obvious quadratic ones ------------------


def _slow_chain(pairs: list[SentencePair], gap: int, same: bool) -> list[list[SentencePair]]:
    """Each pair tried against every run, in the order the runs were made."""
    chains: list[list[SentencePair]] = []
    for p in sorted(pairs, key=lambda p: (p.i, p.j)):
        best: list[SentencePair] | None = None
        best_key: tuple[float, ...] = ()
        for chain in chains:
            q = chain[-1]
            di, dj = p.i - q.i, p.j - q.j
            if not (0 <= di <= gap + 1 and 0 <= dj <= gap + 1 and di + dj > 0):
                continue
            if same and p.i >= chain[0].j:
                continue
            key = (-(di + dj), q.overlap + q.char)
            if best is None or key > best_key:
                best, best_key = chain, key
        if best is None:
            chains.append([p])
        else:
            best.append(p)
    return chains


def _slow_merge(chains: list[list[SentencePair]], gap: int, same: bool) -> list[list[SentencePair]]:
    """Each run tried against every passage made so far, in order."""
    merged: list[list[SentencePair]] = []
    for chain in sorted(chains, key=lambda c: (c[0].i, c[0].j)):
        box = _box(chain)
        for other in merged:
            if not _near(_box(other), box, gap):
                continue
            shared = {(p.i, p.j) for p in other} & {(p.i, p.j) for p in chain}
            if shared or box[2] >= _box(other)[2]:
                union = sorted(
                    {(p.i, p.j): p for p in other + chain}.values(), key=lambda p: (p.i, p.j)
                )
                if same and max(p.i for p in union) >= min(p.j for p in union):
                    continue
                other[:] = union
                break
        else:
            merged.append(list(chain))
    return merged


_pairs = st.lists(
    st.builds(
        SentencePair,
        st.integers(0, 150),
        st.integers(0, 150),
        st.sampled_from([0.2, 0.5, 0.9]),
        st.just(0.0),
        st.sampled_from([0.3, 0.6, 1.0]),
        st.booleans(),
    ),
    max_size=120,
)


@settings(max_examples=300, deadline=None)
@given(_pairs, st.integers(0, 3), st.booleans())
def test_chaining_and_merging_match_the_quadratic_oracles(
    pairs: list[SentencePair], gap: int, same: bool
) -> None:
    if same:
        pairs = [p for p in pairs if p.i < p.j]  # inside one article, a_start < b_start
    fast = chain_pairs(pairs, gap, same)
    assert fast == _slow_chain(pairs, gap, same)
    assert merge_runs(fast, gap, same) == _slow_merge(fast, gap, same)


def _repeats(n: int, block: int = 20) -> list[SentencePair]:
    """An article of ``n`` sentences that repeats a block: each copy pairs with the next one."""
    return [_pair(i, i + block) for i in range(n - block)]


def _work(pairs: list[SentencePair], monkeypatch: pytest.MonkeyPatch) -> tuple[int, int]:
    """How many (run, pair) and (passage, run) comparisons chaining and merging make."""
    counts = {"key": 0, "near": 0}
    key, near = chain_module._key, chain_module._near

    def counted_key(q: SentencePair, p: SentencePair) -> tuple[float, ...]:
        counts["key"] += 1
        return key(q, p)

    def counted_near(x: Bounds, y: Bounds, gap: int) -> bool:
        counts["near"] += 1
        return near(x, y, gap)

    monkeypatch.setattr(chain_module, "_key", counted_key)
    monkeypatch.setattr(chain_module, "_near", counted_near)
    # Many short runs: break the block's diagonal every 4 pairs (a gap wider than max_gap).
    broken = [p for p in pairs if p.i % 8 < 4]
    merge_runs(chain_pairs(broken, 2, True), 2, True)
    monkeypatch.undo()
    return counts["key"], counts["near"]


def test_chaining_and_merging_grow_with_the_pairs_not_their_square(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    small = _work(_repeats(2_000), monkeypatch)
    large = _work(_repeats(8_000), monkeypatch)
    # Four times the pairs: a walk over every run would compare sixteen times as often.
    assert large[0] <= 5 * small[0]
    assert large[1] <= 5 * small[1]

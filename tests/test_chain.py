"""Runs of sentence pairs (dedup.chain): merging and joining, on hand-made runs."""

from __future__ import annotations

from dedup.chain import Bounds, SentencePair, join_runs, merge_runs


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

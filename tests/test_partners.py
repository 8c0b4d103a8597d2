"""The closest partners rule: a sentence keeps its MAX_PARTNERS closest candidates in an article."""

from __future__ import annotations

import dataclasses
from collections import defaultdict

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dedup
from dedup import DEFAULT_PARAMS, Article, Report
from dedup.index import sentence_pairs
from dedup.model import MAX_PARTNERS
from dedup.outputs import scan_summary
from dedup.partners import closest, earliest_copies

Pair = tuple[int, int, int, int]


def _slow_closest(pairs: list[Pair], shared: list[int], limit: int) -> list[bool]:
    """The rule read plainly: rank each sentence's candidates in each other article."""
    groups: dict[tuple[int, int, int], list[tuple[int, int, int]]] = defaultdict(list)
    for n, ((x, i, y, j), s) in enumerate(zip(pairs, shared, strict=True)):
        groups[(x, i, y)].append((-s, j, n))
        groups[(y, j, x)].append((-s, i, n))
    kept: set[int] = set()
    for members in groups.values():
        kept.update(n for _, _, n in sorted(members)[:limit])
    return [n in kept for n in range(len(pairs))]


def _as_scanned(
    drawn: list[Pair], data: st.DataObject
) -> tuple[list[Pair], list[np.ndarray], list[int]]:
    """Drawn pairs as the scan gives them, their columns ``x, i, y, j``, and agreements.

    The scan gives each pair once, its first sentence before its second.
    """
    found = sorted({(*min(a, b), *max(a, b)) for a, b in ((p[:2], p[2:]) for p in drawn) if a != b})
    shared = data.draw(st.lists(st.integers(0, 5), min_size=len(found), max_size=len(found)))
    columns = [np.array(c, dtype=np.int64) for c in zip(*found, strict=True)] or [
        np.empty(0, dtype=np.int64) for _ in range(4)
    ]
    return found, columns, shared


@settings(max_examples=300, deadline=None)
@given(
    found=st.lists(
        st.tuples(st.integers(0, 2), st.integers(0, 6), st.integers(0, 2), st.integers(0, 6)),
        unique=True,
        max_size=60,
    ),
    data=st.data(),
    limit=st.integers(1, 4),
)
def test_closest_keeps_what_ranking_each_sentences_candidates_keeps(
    found: list[Pair], data: st.DataObject, limit: int
) -> None:
    found, columns, shared = _as_scanned(found, data)
    got = closest(*columns, np.array(shared, dtype=np.int64), limit)
    assert got.tolist() == _slow_closest(found, shared, limit)


def _block(size: int) -> tuple[np.ndarray, np.ndarray]:
    """``size`` distinct sentences in each of two articles, every one a candidate of every other.

    Their signatures agree on 60 values of 128 (20 bands) and differ on the rest.
    """
    rows = 2 * size
    rng = np.random.default_rng(size)
    sigs = rng.integers(0, 2**32, size=(rows, 128), dtype=np.uint64).astype(np.uint32)
    sigs[:, :60] = np.arange(60, dtype=np.uint32)
    keys = np.stack([np.repeat([0, 1], size), np.tile(np.arange(size), 2)], axis=1)
    return keys, sigs


@pytest.mark.parametrize("size", [MAX_PARTNERS, MAX_PARTNERS + 1])
def test_a_sentence_keeps_at_most_max_partners_candidates_in_another_article(size: int) -> None:
    keys, sigs = _block(size)
    found = sentence_pairs(keys, sigs)
    pairs = {(a[1], b[1]) for a, b, _ in found.pairs}
    if size <= MAX_PARTNERS:
        assert len(pairs) == size * size
        assert found.pruned == 0
    else:  # ties go to the earlier sentence: only the last sentences' pair is nobody's closest
        assert found.pruned == 1
        assert (size - 1, size - 1) not in pairs
        assert len(pairs) == size * size - 1


def test_the_summary_and_stats_say_what_the_rule_left_out() -> None:
    stats = (("articles", 2), ("sentences", 40), ("pruned_candidates", 3))
    line = scan_summary(Report((), (), DEFAULT_PARAMS, "0", stats))
    assert line.endswith(
        f"; 3 candidate pairs beyond a sentence's {MAX_PARTNERS} closest in one article left out"
    )
    quiet = scan_summary(Report((), (), DEFAULT_PARAMS, "0", (("pruned_candidates", 0),)))
    assert "left out" not in quiet


def _market_report(lines: int) -> str:
    """One long article of ``lines`` market lines in one shape, with other companies and figures."""
    rng = np.random.default_rng(lines)
    names = [f"Company{k}" for k in range(lines)]
    moves = ["rose", "fell", "climbed", "slipped", "gained", "dropped"]
    return "\n".join(
        f"Shares of {names[k]} {moves[k % 6]} {int(rng.integers(1, 90))} cents to close at "
        f"{int(rng.integers(10, 900))} dollars on the New York Stock Exchange on day {k}."
        for k in range(lines)
    )


@pytest.mark.parametrize("lines", [150, 600])
def test_one_long_article_aligned_with_itself_costs_candidates_linear_in_its_sentences(
    lines: int,
) -> None:
    # Every line resembles every other: without the rule, the candidates grow with the
    # square of the lines (all pairs of a band bucket); with it, at most 2 * MAX_PARTNERS
    # a sentence, and the rule says how many it left out.
    report = dedup.scan([Article("markets", _market_report(lines))])
    stats = dict(report.stats)
    assert stats["candidates"] <= 2 * MAX_PARTNERS * lines
    assert stats["pruned_candidates"] > 0
    assert stats["candidates"] + stats["pruned_candidates"] > 2 * MAX_PARTNERS * lines


@pytest.mark.parametrize("block", [1, 7, 1 << 16])
def test_candidates_are_the_same_made_a_block_at_a_time(
    block: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dedup.index

    keys, sigs = _block(MAX_PARTNERS + 3)
    whole = sentence_pairs(keys, sigs)
    monkeypatch.setattr(dedup.index, "_BLOCK", block)
    assert len(whole) > 7
    assert list(whole) == [
        ((int(x), int(i)), (int(y), int(j)), int(n)) for x, i, y, j, n in whole.rows
    ]
    assert whole.pairs == sorted(whole.pairs)


def _slow_earliest(
    pairs: list[Pair], shared: list[int], ranks: list[int], floor: int, limit: int
) -> list[bool]:
    """The near-copies rule read plainly, sentence by sentence."""
    near: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for (x, i, y, j), s in zip(pairs, shared, strict=True):
        if s >= floor:
            near[(x, i)].append((y, j))
            near[(y, j)].append((x, i))

    def earliest(sentence: tuple[int, int]) -> tuple[int, int]:
        return min(near[sentence], key=lambda s: (ranks[s[0]], s[1]))

    def crowded(sentence: tuple[int, int]) -> bool:
        return len(near[sentence]) > limit

    return [
        s < floor or not (crowded(a) and crowded(b)) or earliest(a) == b or earliest(b) == a
        for (a, b), s in (((p[:2], p[2:]), s) for p, s in zip(pairs, shared, strict=True))
    ]


@settings(max_examples=300, deadline=None)
@given(
    found=st.lists(
        st.tuples(st.integers(0, 4), st.integers(0, 3), st.integers(0, 4), st.integers(0, 3)),
        max_size=60,
    ),
    data=st.data(),
    limit=st.integers(1, 4),
)
def test_earliest_copies_keeps_what_the_plain_rule_keeps(
    found: list[Pair], data: st.DataObject, limit: int
) -> None:
    found, columns, shared = _as_scanned(found, data)
    ranks = data.draw(st.permutations(range(5)))
    got = earliest_copies(
        *columns, np.array(shared, dtype=np.int64), np.array(ranks), floor=3, limit=limit
    )
    assert got.tolist() == _slow_earliest(found, shared, ranks, 3, limit)


def _notes(n: int) -> list[Article]:
    """``n`` short notes alike but for a name, one an article, dated in input order."""
    rng = np.random.default_rng(n)
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    return [
        Article(
            f"note{k:04d}",
            "Police are asking anyone who saw the collision on the ring road on Tuesday "
            f"evening to call officer {''.join(rng.choice(letters, 7)).capitalize()} on the "
            "incident line.",
            date=f"2024-01-01T{k // 60:02d}:{k % 60:02d}",
        )
        for k in range(n)
    ]


@pytest.mark.parametrize("n", [MAX_PARTNERS + 1, MAX_PARTNERS + 2])
def test_a_sentence_with_more_than_max_partners_near_copies_links_through_the_earliest(
    n: int,
) -> None:
    report = dedup.scan(_notes(n))
    pairs = {(p.a_id, p.b_id) for p in report.passages}
    if n <= MAX_PARTNERS + 1:  # each note has MAX_PARTNERS near copies: all pairs
        assert len(pairs) == n * (n - 1) // 2
        assert dict(report.stats)["near_copies"] == 0
    else:
        assert len(pairs) < n * (n - 1) // 2
        assert {a for pair in pairs for a in pair} == {note.id for note in _notes(n)}
        assert dict(report.stats)["near_copies"] == n * (n - 1) // 2 - len(pairs)


@pytest.mark.parametrize("n", [60, 240])
def test_near_copies_of_one_note_give_links_linear_in_the_notes_and_one_cluster(n: int) -> None:
    from dedup.clusters import find_clusters

    notes = _notes(n)
    report = dedup.scan(notes)
    assert len(report.passages) <= 2 * n  # all pairs would be n * (n - 1) / 2
    [cluster] = find_clusters(notes, report.passages)
    assert cluster.articles == n
    assert cluster.origin.id == "note0000"
    every = dedup.scan(notes, dataclasses.replace(DEFAULT_PARAMS, all_pairs=True))
    assert len(every.passages) == n * (n - 1) // 2


def test_more_near_copies_than_a_band_bucket_holds_are_all_found_in_one_cluster() -> None:
    # Over MAX_BUCKET distinct sentences share each band: such a bucket was left out, and the
    # notes were not found at all. Now it pairs its first sentence with each other one.
    from dedup.clusters import find_clusters
    from dedup.model import MAX_BUCKET

    notes = _notes(MAX_BUCKET + 100)
    report = dedup.scan(notes)
    assert dict(report.stats)["capped_buckets"] > 0
    assert len(report.passages) <= 4 * len(notes)
    [cluster] = find_clusters(notes, report.passages)
    assert cluster.articles == len(notes)
    assert cluster.origin.id == "note0000"

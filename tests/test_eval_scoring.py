"""Unit tests of the scoring helpers of scripts/evaluation.py, on tiny hand-made data."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

import evaluation as ev

import dedup

Span = ev.Span
CASE = Span(0, 100, 0, 100)


def test_perfect_detection_scores_one() -> None:
    score = ev.plagdet([([CASE], [CASE])])
    assert score.precision == 1.0
    assert score.recall == 1.0
    assert score.granularity == 1.0
    assert score.plagdet == 1.0
    assert (score.cases, score.detections, score.detected_cases) == (1, 1, 1)


def test_half_covered_case() -> None:
    detection = Span(0, 50, 0, 50)
    assert ev.case_recalls([CASE], [detection]) == [0.5]
    assert ev.detection_precisions([CASE], [detection]) == [1.0]
    score = ev.plagdet([([CASE], [detection])])
    assert score.recall == 0.5
    assert score.precision == 1.0
    assert score.granularity == 1.0
    assert score.plagdet == pytest.approx(2 / 3)


def test_sides_are_counted_together() -> None:
    # covers all of a but a fifth of b: (100 + 20) / 200 characters of the case
    detection = Span(0, 100, 80, 100)
    assert ev.case_recalls([CASE], [detection]) == [0.6]
    # a detection reaching past the case on b: 100 of 100 on a, 100 of 200 on b
    longer = Span(0, 100, 0, 200)
    assert ev.detection_precisions([CASE], [longer]) == [pytest.approx(2 / 3)]


def test_two_detections_for_one_case() -> None:
    first, second = Span(0, 50, 0, 50), Span(50, 80, 50, 80)
    score = ev.plagdet([([CASE], [first, second])])
    assert ev.detections_per_case([CASE], [first, second]) == [2]
    assert score.recall == pytest.approx(0.8)
    assert score.precision == 1.0
    assert score.granularity == 2.0
    f1 = 2 * 0.8 / 1.8
    assert score.f1 == pytest.approx(f1)
    assert score.plagdet == pytest.approx(f1 / math.log2(3))


def test_overlapping_detections_are_not_counted_twice() -> None:
    detections = [Span(0, 60, 0, 60), Span(40, 100, 40, 100)]
    assert ev.case_recalls([CASE], detections) == [1.0]
    assert ev.covered_chars(0, 100, [(0, 60), (40, 100), (10, 20)]) == 100
    assert ev.covered_chars(10, 20, [(0, 5), (15, 30)]) == 5


def test_detection_overlapping_one_side_only_does_not_count() -> None:
    one_side = Span(0, 100, 200, 300)  # same a range, elsewhere in b
    assert not ev.overlaps(CASE, one_side)
    score = ev.plagdet([([CASE], [one_side])])
    assert score.recall == 0.0
    assert score.precision == 0.0
    assert score.granularity == 1.0
    assert score.detected_cases == 0
    assert score.plagdet == 0.0
    # next to a true detection it adds nothing to recall and counts as a false detection
    score = ev.plagdet([([CASE], [CASE, one_side])])
    assert score.recall == 1.0
    assert score.precision == 0.5
    assert score.granularity == 1.0


def test_touching_ranges_do_not_overlap() -> None:
    assert not ev.overlaps(CASE, Span(100, 150, 50, 60))
    assert ev.overlaps(CASE, Span(99, 150, 50, 60))


def test_pairs_are_scored_apart_and_macro_averaged() -> None:
    # the same offsets in another pair do not meet; means run over all cases and detections
    pair1 = ([CASE], [CASE])
    pair2 = ([CASE, Span(200, 300, 200, 300)], [Span(0, 50, 0, 50), Span(500, 600, 500, 600)])
    score = ev.plagdet([pair1, pair2])
    assert score.cases == 3
    assert score.detections == 3
    assert score.recall == pytest.approx((1.0 + 0.5 + 0.0) / 3)
    assert score.precision == pytest.approx((1.0 + 1.0 + 0.0) / 3)
    assert score.detected_cases == 2
    assert score.granularity == 1.0


def test_empty_conventions() -> None:
    assert ev.plagdet([]).plagdet == 1.0
    assert ev.plagdet([([CASE], [])]).plagdet == 0.0
    assert ev.plagdet([([], [CASE])]).plagdet == 0.0


def test_realigned_cases() -> None:
    pair = {
        "cases": [
            {
                "a_offset": 0,
                "a_length": 5,
                "a_offset_realigned": 3,
                "a_length_realigned": 10,
                "b_offset_realigned": 20,
                "b_length_realigned": 11,
            }
        ]
    }
    assert ev.realigned_cases(pair) == [Span(3, 13, 20, 31)]


def test_average_ranks() -> None:
    assert ev.average_ranks([10, 30, 20]) == [1.0, 3.0, 2.0]
    assert ev.average_ranks([1, 2, 2, 3]) == [1.0, 2.5, 2.5, 4.0]
    assert ev.average_ranks([5, 5, 5]) == [2.0, 2.0, 2.0]


def test_spearman_without_ties() -> None:
    # 1 - 6 * sum(d^2) / (n (n^2 - 1)) = 1 - 6 * 2 / 60
    assert ev.spearman([1, 2, 3, 4], [1, 3, 2, 4]) == pytest.approx(0.8)
    assert ev.spearman([1, 2, 3], [30, 20, 10]) == pytest.approx(-1.0)
    # monotone, not linear
    assert ev.spearman([1, 2, 3, 4], [1, 10, 100, 1000]) == pytest.approx(1.0)


def test_spearman_with_ties() -> None:
    # ranks [1, 2.5, 2.5, 4] against [1, 2, 3, 4]: 4.5 / sqrt(4.5 * 5) = 3 / sqrt(10)
    assert ev.spearman([1, 2, 2, 3], [1, 2, 3, 4]) == pytest.approx(3 / math.sqrt(10))


def test_spearman_constant_is_nan() -> None:
    assert math.isnan(ev.spearman([1, 1, 1], [1, 2, 3]))
    assert math.isnan(ev.spearman([1], [1]))


def test_spearman_matches_scipy() -> None:
    stats = pytest.importorskip("scipy.stats")
    x = [0.0, 0.0, 0.5, 0.9, 0.9, 1.0, 0.2, 0.0]
    y = [1.2, 0.0, 3.0, 4.6, 5.0, 5.0, 2.0, 0.4]
    assert ev.spearman(x, y) == pytest.approx(stats.spearmanr(x, y).statistic)


def _result(passages: list[tuple[float, str]], a_share: float, b_share: float) -> ev.Result:
    rows = tuple(ev.PassageRow(0, 10, 0, 10, score, kind) for score, kind in passages)
    return ev.Result(rows, ev.Share(a_share), ev.Share(b_share))


def test_decisions() -> None:
    none = _result([], 0.0, 0.0)
    small = _result([(0.7, "paraphrase")], 0.2, 0.9)
    most = _result([(0.9, "near-verbatim"), (1.0, "verbatim")], 0.5, 0.6)
    assert [ev.is_reuse(r) for r in (none, small, most)] == [False, True, True]
    assert [ev.is_sentence_reuse(r) for r in (none, small, most)] == [False, False, True]
    assert [ev.max_score(r) for r in (none, small, most)] == [0.0, 0.7, 1.0]


def test_decisions_on_a_real_comparison() -> None:
    text = "The mayor resigned on Tuesday after a long dispute with the council."
    reused = dedup.compare(text, "Officials said: " + text)
    assert ev.is_reuse(reused)
    assert ev.max_score(reused) == 1.0
    assert ev.is_sentence_reuse(reused)
    unrelated = dedup.compare(text, "Heavy rain flooded three villages in the north overnight.")
    assert not ev.is_reuse(unrelated)
    assert ev.max_score(unrelated) == 0.0


def test_confusion() -> None:
    conf = ev.confusion([True, True, False, False, True], [True, False, True, False, True])
    assert conf == ev.Confusion(tp=2, fp=1, fn=1, tn=1)
    assert conf.accuracy == pytest.approx(3 / 5)
    assert conf.recall == pytest.approx(2 / 3)
    assert conf.precision == pytest.approx(2 / 3)


def test_detect_kind() -> None:
    assert ev.detect_kind(["cut", "non", "heavy"]) == "clough"
    assert ev.detect_kind([0, 1, 1]) == "msrp"
    assert ev.detect_kind([0, 2.6, 5.0]) == "sts"
    assert ev.detect_kind([1.0, 0.0]) == "sts"
    with pytest.raises(ValueError, match="unknown"):
        ev.detect_kind(["yes"])
    with pytest.raises(ValueError, match="outside"):
        ev.detect_kind([7])


def test_is_positive() -> None:
    assert ev.is_positive("clough", {"label": "heavy", "label_binary": 1})
    assert not ev.is_positive("clough", {"label": "non", "label_binary": 0})
    assert ev.is_positive("msrp", {"label": 1})
    assert ev.is_positive("sts", {"label": 4.0})
    assert not ev.is_positive("sts", {"label": 3.8})


def test_strictly_decreasing() -> None:
    assert ev.strictly_decreasing([0.9, 0.5, 0.3, 0.0])
    assert not ev.strictly_decreasing([0.6, 0.8, 0.5, 0.0])
    assert not ev.strictly_decreasing([0.5, 0.5])


def test_snippet() -> None:
    assert ev.snippet("a  b\nc") == "a b c"
    assert ev.snippet("x" * 200, 0, 200, width=10) == "x" * 10 + "…"


def test_pan_cases_use_realigned_offsets_where_given() -> None:
    shipped = {"a_offset": 0, "a_length": 10, "b_offset": 5, "b_length": 10}
    realigned = {
        **shipped,
        "a_offset_realigned": 1,
        "a_length_realigned": 9,
        "b_offset_realigned": 7,
        "b_length_realigned": 8,
    }
    assert ev.realigned_cases({"cases": [shipped]}) == [Span(0, 10, 5, 15)]
    assert ev.realigned_cases({"cases": [realigned]}) == [Span(1, 10, 7, 15)]


def test_only_reuse_kinds_make_a_reuse_decision() -> None:
    def result(kind: str) -> ev.Result:
        row = ev.PassageRow(0, 50, 0, 50, 1.0, kind)
        return ev.Result((row,), ev.Share(0.5), ev.Share(0.5))

    assert ev.is_reuse(result("paraphrase"))
    assert not ev.is_reuse(result("template"))
    assert not ev.is_reuse(result("boilerplate"))


def test_meter_character_score_skips_whitespace() -> None:
    from script_loader import load_script

    meter = load_script("eval_meter")
    text = "ab cd\n\nef gh"
    assert meter.char_score(text, [(0, 5)], [(3, 12)]) == (4, 6, 2)
    assert meter.char_score(text, [], []) == (0, 0, 0)


def test_select_parts() -> None:
    pairs = [{"obfuscation": "none"}, {"obfuscation": "summary"}, {"obfuscation": "random"}]
    assert ev.select_parts(pairs, None) == pairs
    assert ev.select_parts(pairs, ["summary"]) == [pairs[1]]
    assert ev.select_parts(pairs, ["random", "none"]) == [pairs[0], pairs[2]]
    with pytest.raises(SystemExit):
        ev.select_parts(pairs, ["sumary"])

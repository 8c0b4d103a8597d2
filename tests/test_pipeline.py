from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from importlib.metadata import version
from typing import Any

import pytest

import dedup
from dedup import DEFAULT_PARAMS, Article, ConfigError, InputError, Params, Passage, Report
from dedup.stages import coverage

MAYOR = (
    "The mayor resigned on Tuesday after a long dispute with the council over the harbor budget."
)
CAPTION = (
    "Palestinians inspect damage to residential buildings after an Israeli airstrike in Rafah."
)
DEPUTY = "Her deputy will lead the city until a special election is held."
BETWEEN = "\n\nAnalysts say the strike matters to both.\n\n"
AUDITOR = "The state auditor opened an inquiry into the port authority's accounts last year."


def tiny_corpus() -> list[Article]:
    """Input order is not alphabetical, to tell input order from id order."""
    return [
        Article("zeta", f"{MAYOR} {DEPUTY}"),  # 155 chars; MAYOR at 0
        Article("alpha", f"Residents gathered downtown on Monday. {MAYOR}"),  # 130; MAYOR at 39
        Article("mid", f"{CAPTION}{BETWEEN}{CAPTION}"),
        Article("none", "Nothing to see here at all, this is an unrelated article about gardens."),
    ]


@pytest.fixture(scope="module")
def tiny_report() -> Report:
    return dedup.scan(tiny_corpus())


def _key(p: Passage) -> tuple[str, int, str, int]:
    return (p.a_id, p.a_start, p.b_id, p.b_start)


def test_scan_finds_the_copies_of_the_tiny_corpus(tiny_report: Report) -> None:
    mid = tiny_corpus()[2].text
    second = mid.rindex(CAPTION)
    assert [dataclasses.astuple(p) for p in tiny_report.passages] == [
        ("zeta", 0, 91, "alpha", 39, 130, 1.0, "verbatim", 1, 0.0),
        ("mid", 0, len(CAPTION), "mid", second, second + len(CAPTION), 1.0, "verbatim", 1, 0.0),
    ]


def test_scan_coverage_shares_are_exact(tiny_report: Report) -> None:
    corpus = tiny_corpus()
    lengths = {a.id: len(a.text) for a in corpus}
    assert lengths == {
        "zeta": 155,
        "alpha": 130,
        "mid": 2 * len(CAPTION) + len(BETWEEN),
        "none": 71,
    }
    mid = 2 * len(CAPTION)
    assert [
        (*dataclasses.astuple(c)[:4], tuple(c.by_article.items())) for c in tiny_report.coverage
    ] == [
        ("zeta", 155, 91, round(91 / 155, 4), (("alpha", round(91 / 155, 4)),)),
        ("alpha", 130, 91, 0.7, (("zeta", 0.7),)),
        (
            "mid",
            lengths["mid"],
            mid,
            round(mid / lengths["mid"], 4),
            (("mid", round(mid / lengths["mid"], 4)),),
        ),
        ("none", 71, 0, 0.0, ()),
    ]


def test_scan_passages_sorted_by_input_order_then_offsets() -> None:
    filler = "Unrelated words about gardens and weather fill this sentence completely."
    corpus = [
        Article("c", f"{AUDITOR} {filler} {MAYOR}"),
        Article("b", f"{MAYOR} {AUDITOR}"),
        Article("a", f"{AUDITOR} {MAYOR} {CAPTION} {filler} {CAPTION}"),
    ]
    report = dedup.scan(corpus)
    order = {a.id: n for n, a in enumerate(corpus)}
    keys = [(order[p.a_id], order[p.b_id], p.a_start, p.b_start) for p in report.passages]
    assert len(keys) >= 4
    assert keys == sorted(keys)
    for p in report.passages:  # a_id first in input order; inside one article a before b
        assert order[p.a_id] < order[p.b_id] or (p.a_id == p.b_id and p.a_start < p.b_start)
    # b and a copy what c says first: each is linked to c, not to each other
    assert {(p.a_id, p.b_id) for p in report.passages} == {("c", "b"), ("c", "a"), ("a", "a")}
    every = dedup.scan(corpus, dataclasses.replace(DEFAULT_PARAMS, all_pairs=True))
    assert {(p.a_id, p.b_id) for p in every.passages} == {
        ("c", "b"),
        ("c", "a"),
        ("b", "a"),
        ("a", "a"),
    }


def test_scan_is_deterministic() -> None:
    assert dedup.scan(tiny_corpus()) == dedup.scan(tiny_corpus())


def test_scan_accepts_any_iterable() -> None:
    assert dedup.scan(a for a in tiny_corpus()) == dedup.scan(tiny_corpus())


def test_scan_of_no_articles() -> None:
    report = dedup.scan([])
    assert (report.passages, report.coverage) == ((), ())
    assert dict(report.stats) == {
        "articles": 0,
        "sentences": 0,
        "candidates": 0,
        "article_pairs": 0,
        "passages": 0,
        "collapsed": 0,
        "capped_buckets": 0,
        "capped_sentences": 0,
        "pruned_candidates": 0,
        "near_copies": 0,
    }


def test_duplicate_article_id_is_an_input_error() -> None:
    with pytest.raises(InputError, match="duplicate article id 'x'"):
        dedup.scan([Article("x", MAYOR), Article("y", DEPUTY), Article("x", AUDITOR)])


def test_report_carries_version_params_and_stats(tiny_report: Report) -> None:
    assert tiny_report.version == dedup.__version__ == version("dedup-news")
    assert tiny_report.params == DEFAULT_PARAMS
    params = dataclasses.replace(DEFAULT_PARAMS, num_perm=64, min_length=10)
    assert dedup.scan(tiny_corpus(), params).params is params
    stats = dict(tiny_report.stats)
    assert stats["articles"] == 4
    assert stats["passages"] == len(tiny_report.passages) == 2
    assert stats["sentences"] == 8
    assert stats["candidates"] >= 2


def test_comparison_carries_version_and_the_params_given() -> None:
    params = dataclasses.replace(DEFAULT_PARAMS, within=True, min_length=10)
    c = dedup.compare(MAYOR, MAYOR, params)
    assert c.params is params
    assert c.version == dedup.__version__
    assert (c.a_coverage.id, c.b_coverage.id) == ("a", "b")


def test_compare_ignores_reuse_inside_one_text() -> None:
    text = f"{CAPTION}{BETWEEN}{CAPTION}"
    other = "Something else entirely about gardens and the weather."
    assert dedup.compare(text, other).passages == ()


def test_within_false_drops_same_article_passages() -> None:
    params = dataclasses.replace(DEFAULT_PARAMS, within=False)
    report = dedup.scan(tiny_corpus(), params)
    assert [(p.a_id, p.b_id) for p in report.passages] == [("zeta", "alpha")]
    assert report.coverage[2].share == 0.0


@pytest.mark.parametrize(
    ("sources", "skip", "pairs"),
    [
        (("ap", "ap"), True, {("x", "x")}),
        (("ap", "ap"), False, {("x", "y"), ("x", "x")}),
        (("ap", "reuters"), True, {("x", "y"), ("x", "x")}),
        ((None, None), True, {("x", "y"), ("x", "x")}),
        (("ap", None), True, {("x", "y"), ("x", "x")}),
    ],
    ids=["same-source-skipped", "same-source-kept", "other-source", "no-source", "one-source"],
)
def test_skip_same_source(
    sources: tuple[str | None, str | None], skip: bool, pairs: set[tuple[str, str]]
) -> None:
    params = dataclasses.replace(DEFAULT_PARAMS, skip_same_source=skip)
    x = Article("x", f"{CAPTION}\n\n{MAYOR}\n\n{CAPTION}", source=sources[0])
    y = Article("y", f"Earlier today. {MAYOR}", source=sources[1])
    report = dedup.scan([x, y], params)
    # Reuse inside one article is never skipped: it is not between two articles of a source.
    assert {(p.a_id, p.b_id) for p in report.passages} == pairs


def test_progress_wraps_each_stage() -> None:
    stages: list[tuple[str, int]] = []

    def progress(items: Iterable[Any], stage: str) -> Iterable[Any]:
        items = list(items)
        stages.append((stage, len(items)))
        return items

    report = dedup.scan(tiny_corpus(), progress=progress)
    assert stages == [("sentences", 4), ("candidates", 42), ("aligning", 2)]  # 42 LSH bands
    assert report == dedup.scan(tiny_corpus())


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"threshold": 1.5}, "threshold must be between 0 and 1, got 1.5"),
        ({"threshold": -0.1}, "threshold"),
        ({"min_score": 1.01}, "min_score"),
        ({"extend_score": -1.0}, "extend_score"),
        ({"near_verbatim": 2.0}, "near_verbatim"),
        ({"min_score": 0.3, "extend_score": 0.4}, "must not exceed min_score"),
        ({"shingle_size": 0}, "shingle_size must be at least 1, got 0"),
        ({"num_perm": 0}, "num_perm"),
        ({"min_features": 0}, "min_features"),
        ({"max_gap": -1}, "max_gap"),
        ({"min_length": -5}, "min_length"),
    ],
    ids=lambda v: "-".join(f"{k}={x}" for k, x in v.items()) if isinstance(v, dict) else "",
)
def test_invalid_params_raise_config_error(changes: dict[str, Any], match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        dataclasses.replace(DEFAULT_PARAMS, **changes)
    with pytest.raises(ValueError, match=match):  # ConfigError is a ValueError too
        Params(**changes)


@pytest.mark.parametrize(
    "changes",
    [
        {"threshold": 0.0, "min_score": 0.0, "extend_score": 0.0, "near_verbatim": 0.0},
        {"threshold": 1.0, "min_score": 1.0, "extend_score": 1.0, "near_verbatim": 1.0},
        {"max_gap": 0, "min_length": 0, "shingle_size": 1, "num_perm": 1, "min_features": 1},
    ],
    ids=["all-zero", "all-one", "smallest-ints"],
)
def test_boundary_params_are_valid(changes: dict[str, Any]) -> None:
    params = Params(**changes)
    assert Params(**params.to_dict()) == params


def test_params_to_dict_names_every_field() -> None:
    d = DEFAULT_PARAMS.to_dict()
    assert list(d) == [f.name for f in dataclasses.fields(Params)]
    assert Params(**d) == DEFAULT_PARAMS


def _passage(a_id: str, a: tuple[int, int], b_id: str, b: tuple[int, int]) -> Passage:
    return Passage(a_id, a[0], a[1], b_id, b[0], b[1], 1.0, "verbatim")


def test_coverage_counts_the_union_of_spans_on_either_side() -> None:
    article = Article("x", "." * 200)
    passages = [
        _passage("x", (0, 50), "y", (0, 50)),
        _passage("x", (40, 60), "z", (0, 20)),  # overlaps the first by 10
        _passage("w", (0, 30), "x", (100, 130)),  # x on the b side
        _passage("x", (150, 160), "x", (170, 200)),  # inside x: both spans count, as 'x'
        _passage("y", (0, 10), "z", (0, 10)),  # not about x
    ]
    c = coverage(article, passages)
    assert (c.id, c.length) == ("x", 200)
    assert c.reused_chars == 60 + 30 + 10 + 30
    assert c.share == 0.65
    assert list(c.by_article.items()) == [("y", 0.25), ("x", 0.2), ("w", 0.15), ("z", 0.1)]


def test_coverage_by_article_breaks_ties_by_id() -> None:
    article = Article("x", "." * 100)
    passages = [_passage("x", (50, 60), "q", (0, 10)), _passage("x", (0, 10), "b", (0, 10))]
    assert list(coverage(article, passages).by_article.items()) == [("b", 0.1), ("q", 0.1)]


def test_coverage_of_an_untouched_article() -> None:
    c = coverage(Article("x", "abc"), [_passage("y", (0, 3), "z", (0, 3))])
    assert dataclasses.astuple(c) == ("x", 3, 0, 0.0, {})
    assert coverage(Article("e", ""), []).share == 0.0

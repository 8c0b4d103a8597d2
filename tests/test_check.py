"""dedup.check as a library: candidates, policy, verdicts, baseline and renderers."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

import dedup
from dedup import Article, ConfigError, InputError
from dedup.check import min_band_hits
from dedup.formats import escape_data, escape_property, render_github, render_text
from dedup.store import Index
from dedup.verdicts import (
    DEFAULT_POLICY,
    Policy,
    dump_baseline,
    fingerprint,
    load_baseline,
    parse_allowlist,
    with_baseline,
)

STORY = (
    "The city council voted on Tuesday to close the old harbour bridge for repairs. "
    "Engineers found deep cracks in two of its steel supports during a routine inspection. "
    "Drivers face long detours through the town centre for most of the summer."
)
FILLER = (
    "Ferries will run every hour between the two banks of the river until the autumn. "
    "Local shops fear a drop in trade while the works go on, their owners told reporters. "
    "A public meeting about the timetable is planned for next month at the library. "
    "The mayor promised that the school buses would keep their usual routes. "
    "Cyclists may still cross on a temporary walkway beside the eastern pier."
)


@pytest.fixture
def index(tmp_path: Path) -> Index:
    idx = Index(tmp_path / "index.db")
    idx.add([Article("old", STORY, source="Herald", date="2024-01-01", url="https://x.test/1")])
    return idx


def _new(text: str = STORY + " " + FILLER, **kw: str) -> Article:
    return Article("new", text, **kw)


def test_index_is_exported_and_check_finds_the_copy(index: Index) -> None:
    assert dedup.Index is Index
    [v] = index.check([_new()]).verdicts
    [f] = v.findings
    assert (f.other_id, f.kind, f.in_index, f.counted) == ("old", "verbatim", True, True)
    assert (f.other_source, f.other_date, f.other_url) == (
        "Herald",
        "2024-01-01",
        "https://x.test/1",
    )
    assert f.snippet == _new().text[f.start : f.end] == STORY
    assert f.other_snippet == STORY
    assert next(iter(v.coverage.by_article)) == "old"


def test_check_finds_what_scan_finds_for_copies(index: Index) -> None:
    new = _new("Intro line for readers. " + STORY + " " + FILLER)
    params = dataclasses.replace(index.params, within=False)
    report = dedup.scan([Article("old", STORY), new], params)
    [v] = index.check([new]).verdicts
    assert [(f.other_start, f.other_end, f.start, f.end) for f in v.findings] == [
        (p.a_start, p.a_end, p.b_start, p.b_end) for p in report.passages
    ]


def test_budgets(index: Index) -> None:
    [v] = index.check([_new()]).verdicts
    share = v.coverage.share
    assert 0.3 < share < 0.6
    assert not v.passed
    assert any("budget 30%" in reason for reason in v.over)
    assert any("from old (budget 20%)" in reason for reason in v.over)
    loose = Policy(max_coverage=0.9, max_source_coverage=0.9)
    assert index.check([_new()], loose).passed
    only_source = Policy(max_coverage=0.9, max_source_coverage=0.2)
    [v] = index.check([_new()], only_source).verdicts
    assert [r for r in v.over if "from old" in r] == list(v.over)


def test_same_source_reuse_is_reported_not_counted(index: Index) -> None:
    [v] = index.check([_new(source="Herald")]).verdicts
    assert v.passed
    assert [f.excused for f in v.findings] == ["same-source"]
    assert v.coverage.share == 0.0
    assert v.reported > 0.3
    counted = Policy(count_same_source=True)
    assert not index.check([_new(source="Herald")], counted).passed


@pytest.mark.parametrize("entry", ["old", "Herald"], ids=["by-id", "by-source"])
def test_allowlist(index: Index, entry: str) -> None:
    policy = Policy(allow=parse_allowlist(f"# licensed\n{entry}  # wire\n"))
    [v] = index.check([_new()], policy).verdicts
    assert v.passed
    assert [f.excused for f in v.findings] == ["allowed"]


def test_baseline_makes_known_findings_pass_and_only_those(index: Index) -> None:
    result = index.check([_new()])
    keys = load_baseline(dump_baseline(result), "baseline.json")
    assert keys == {("new", "old", fingerprint(STORY))}
    policy = with_baseline(DEFAULT_POLICY, keys)
    assert index.check([_new()], policy).passed
    other = Article("other", STORY + " " + FILLER)  # same passage, another new article
    assert not index.check([other], policy).passed


@pytest.mark.parametrize(
    "text",
    ["[]", '{"dedup_baseline": 2}', '{"dedup_baseline": 1, "findings": [{"article": 1}]}', "{"],
)
def test_bad_baseline_is_an_input_error(text: str) -> None:
    with pytest.raises(InputError, match=r"base\.json: not a baseline file"):
        load_baseline(text, "base.json")


def test_new_articles_are_checked_against_each_other(tmp_path: Path) -> None:
    with Index(tmp_path / "empty.db") as index:
        a = Article("a", STORY + " " + FILLER)
        b = Article("b", "Before. " + STORY)
        c = Article("c", FILLER)
        result = index.check([a, b, c])
    va, vb, vc = result.verdicts
    assert {f.other_id for f in va.findings} == {"b", "c"}
    assert [f.other_id for f in vb.findings] == ["a"]
    assert not vb.findings[0].in_index
    assert vb.findings[0].snippet == STORY
    assert [f.other_id for f in vc.findings] == ["a"]


def test_an_indexed_article_is_not_compared_with_its_old_version(index: Index) -> None:
    [v] = index.check([Article("old", STORY + " " + FILLER)]).verdicts
    assert v.findings == ()


def test_duplicate_new_ids_and_wrong_params_are_refused(index: Index) -> None:
    with pytest.raises(InputError, match="duplicate article id"):
        index.check([_new(), _new()])
    with pytest.raises(ConfigError, match="built with num_perm=128"):
        index.check([_new()], params=dataclasses.replace(index.params, num_perm=64))
    with pytest.raises(ConfigError, match="max_coverage must be between 0 and 1"):
        Policy(max_coverage=1.5)


def test_min_length_drops_short_passages(index: Index) -> None:
    params = dataclasses.replace(index.params, min_length=len(STORY) + 1)
    [v] = index.check([_new()], params=params).verdicts
    assert v.findings == ()


def test_min_band_hits_follow_the_banding(index: Index) -> None:
    need = min_band_hits(index)
    expected = index.bands * index.params.threshold**index.rows
    assert need >= 2
    assert need >= expected / 2


def test_escaping_for_github() -> None:
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_github_annotations_escape_ids_and_snippets(tmp_path: Path) -> None:
    odd = "wire: 50%, Reuters"
    with Index(tmp_path / "i.db") as index:
        index.add([Article(odd, STORY)])
        result = index.check([_new()])
    out = render_github(result, {"new": _new().text})
    lines = out.splitlines()
    assert lines[0].startswith("::error file=new,line=1,title=dedup%3A over budget::")
    finding = next(line for line in lines if "reused from" in line)
    assert "title=dedup%3A reused from wire%3A 50%25%2C Reuters::" in finding
    message = finding.split("::", 2)[2]
    assert "wire: 50%25, Reuters" in message
    assert "\r" not in out
    assert len(lines) == 2


def test_text_report_names_verdicts_and_sources(index: Index) -> None:
    text = render_text(index.check([_new()]))
    assert "FAIL new: reuses" in text
    assert "<-  old [" in text
    assert "counted" in text


def test_json_renderer_round_trips(index: Index) -> None:
    from dedup.formats import render_json

    record = json.loads(render_json(index.check([_new()])))
    [article] = record["verdicts"]
    assert article["passed"] is False
    assert article["findings"][0]["counted"] is True
    assert record["policy"]["max_coverage"] == 0.3


@pytest.mark.parametrize("name", ["002_a21a77e1ce7b1e22.txt", "003_62429cb743f4ab61.txt"])
def test_check_finds_what_scan_finds_on_samples(
    tmp_path: Path, samples_dir: Path, name: str
) -> None:
    """Oracle: split a sample between the two copies of its reused text; ``scan`` of the halves
    is what a check of the second half against an index of the first must report."""
    text = (samples_dir / name).read_text(encoding="utf-8")
    [first, *_] = dedup.scan([Article("x", text)]).passages
    cut = (first.a_end + first.b_start) // 2
    a, b = Article("A", text[:cut]), Article("B", text[cut:])
    expected = dedup.scan([a, b], dataclasses.replace(dedup.DEFAULT_PARAMS, within=False))
    assert expected.passages
    with Index(tmp_path / "index.db") as index:
        index.add([a])
        [v] = index.check([b]).verdicts
    assert [(f.kind, f.score, f.other_start, f.other_end, f.start, f.end) for f in v.findings] == [
        (p.kind, p.score, p.a_start, p.a_end, p.b_start, p.b_end) for p in expected.passages
    ]


def test_plain_signing_of_few_articles_finds_what_datasketch_finds(
    tmp_path: Path, sample_articles: list[Article], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Up to ``PLAIN_ARTICLES`` new articles are signed in plain Python: same verdicts."""
    *published, last = sample_articles
    new = [last, Article("copy", published[0].text[:1500] + " " + FILLER)]
    with Index(tmp_path / "index.db") as index:
        index.add(published)
        plain = index.check(new)
        monkeypatch.setattr(dedup.check, "PLAIN_ARTICLES", 0)
        assert index.check(new) == plain
    assert any(v.findings for v in plain.verdicts)

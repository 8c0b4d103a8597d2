"""Boilerplate in a check (dedup.check_boilerplate): learnt from the index, per source."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dedup import Article
from dedup.boilerplate import MIN_ARTICLES
from dedup.cli import cli
from dedup.store import Index
from dedup.verdicts import CheckResult, Policy

FOOTER = (
    "Sign up for the Harbour Gazette morning briefing to get the top local stories in your "
    "inbox every day. The Harbour Gazette is an independent newsroom funded by readers like you."
)
STORIES = [
    "The ferry to the islands was cancelled after a storm damaged the pier overnight.",
    "A bakery on Mill Lane won the regional prize for its sourdough loaves this spring.",
    "Fishermen protested at the quay against new quotas set by the ministry in May.",
    "The primary school will open a second library after parents raised the money.",
    "Police closed the coast road for hours when a lorry shed its load of timber.",
    "Volunteers counted seals on the sandbank and found the colony growing again.",
    "The lifeboat crew rescued two kayakers caught by the tide near the headland.",
    "A jazz festival returns to the old market hall with twelve bands in August.",
    "The water company promised to fix the leaking main under the high street soon.",
    "Hospital managers said the new maternity ward would take patients from June.",
]
DRAFT = "Traders at the farmers market asked the council for covered stalls before winter."
COUNT = Policy(count_same_source=True)  # so that only boilerplate keeps the footer from counting


def _index(path: Path, n: int) -> Path:
    with Index(path) as index:
        index.add(Article(f"g{k}", f"{STORIES[k]} {FOOTER}", source="Gazette") for k in range(n))
    return path


def _check(path: Path, articles: list[Article], templates: bool = False) -> CheckResult:
    with Index(path, read_only=True) as index:
        params = dataclasses.replace(index.params, templates=templates)
        return index.check(articles, COUNT, params=params)


@pytest.mark.parametrize(
    ("indexed", "boilerplate"),
    [(MIN_ARTICLES - 2, False), (MIN_ARTICLES - 1, True), (MIN_ARTICLES + 2, True)],
    ids=["6-indexed", "7-indexed-and-the-new-one", "10-indexed"],
)
def test_a_footer_the_source_repeats_is_boilerplate(
    tmp_path: Path, indexed: int, boilerplate: bool
) -> None:
    path = _index(tmp_path / "index.db", indexed)
    draft = Article("draft", f"{DRAFT} {FOOTER}", source="Gazette")
    result = _check(path, [draft])
    [v] = result.verdicts
    assert v.passed is boilerplate, v.over
    assert (v.findings == ()) is boilerplate  # boilerplate is not reported unless asked
    # The footer is held by every indexed article: one finding, from the first, counts them.
    if not boilerplate:
        assert {f.kind for f in v.findings} == {"verbatim"}
        assert [(f.other_id, f.others) for f in v.findings] == [("g0", indexed - 1)]
    reported = _check(path, [draft], templates=True).verdicts[0]
    assert [(f.other_id, f.others) for f in reported.findings] == [("g0", indexed - 1)]
    assert {f.kind for f in reported.findings} == {"boilerplate" if boilerplate else "verbatim"}
    assert reported.passed is boilerplate
    if boilerplate:
        assert reported.coverage.share == 0.0  # reported, never counted
        assert {(f.counted, f.excused) for f in reported.findings} == {(False, "resemblance")}
        assert {draft.text[f.start : f.end] for f in reported.findings} == {FOOTER}


@pytest.mark.parametrize("source", ["Tribune", None], ids=["another-source", "no-source"])
def test_the_footer_copied_under_another_source_counts(tmp_path: Path, source: str | None) -> None:
    path = _index(tmp_path / "index.db", MIN_ARTICLES + 2)
    result = _check(path, [Article("draft", f"{DRAFT} {FOOTER}", source=source)], templates=True)
    [v] = result.verdicts
    assert not v.passed
    assert [(f.other_id, f.others) for f in v.findings] == [("g0", MIN_ARTICLES + 1)]
    assert {(f.kind, f.counted) for f in v.findings} == {("verbatim", True)}


@pytest.mark.parametrize(("n", "boilerplate"), [(MIN_ARTICLES - 1, False), (MIN_ARTICLES, True)])
def test_new_articles_of_one_source_teach_each_other(
    tmp_path: Path, n: int, boilerplate: bool
) -> None:
    path = _index(tmp_path / "index.db", 0)
    drafts = [Article(f"d{k}", f"{STORIES[k]} {FOOTER}", source="Gazette") for k in range(n)]
    result = _check(path, drafts, templates=True)
    kinds = {f.kind for v in result.verdicts for f in v.findings}
    assert kinds == {"boilerplate" if boilerplate else "verbatim"}
    assert result.passed is boilerplate


def test_an_update_is_counted_once(tmp_path: Path) -> None:
    """A new version of an indexed article replaces it in the counts: 7 articles, not 8."""
    path = _index(tmp_path / "index.db", MIN_ARTICLES - 1)
    update = Article("g0", f"{STORIES[0]} Updated at noon. {FOOTER}", source="Gazette")
    [v] = _check(path, [update], templates=True).verdicts
    assert {f.kind for f in v.findings} == {"verbatim"}
    assert not v.passed


def test_check_cli_leaves_the_sources_footer_out(tmp_path: Path) -> None:
    records = [
        {"id": f"g{k}", "text": f"{STORIES[k]} {FOOTER}", "source": "Gazette"}
        for k in range(MIN_ARTICLES)
    ]
    published = tmp_path / "published.jsonl"
    published.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    index = tmp_path / "index.db"
    runner = CliRunner()
    assert runner.invoke(cli, ["index", "add", str(index), str(published)]).exit_code == 0
    for source, code in (("Gazette", 0), ("Tribune", 1)):
        draft = tmp_path / f"{source}.jsonl"
        record = {"id": "draft", "text": f"{DRAFT} {FOOTER}", "source": source}
        draft.write_text(json.dumps(record) + "\n", encoding="utf-8")
        args = ["check", str(draft), "--index", str(index), "--count-same-source"]
        result = runner.invoke(cli, args)
        assert result.exit_code == code, (source, result.output)


def test_a_story_the_source_runs_again_and_again_is_not_boilerplate(tmp_path: Path) -> None:
    story = " ".join(STORIES[:6])  # six sentences, all of them in every edition
    path = tmp_path / "index.db"
    with Index(path) as index:
        index.add(
            Article(f"e{k}", f"Edition {k} of the day opens here. {story}", source="Gazette")
            for k in range(MIN_ARTICLES + 2)
        )
    [v] = _check(path, [Article("draft", f"{DRAFT} {story}", source="Gazette")]).verdicts
    assert not v.passed  # a rerun of the story, not a footer
    assert {f.kind for f in v.findings} == {"verbatim"}

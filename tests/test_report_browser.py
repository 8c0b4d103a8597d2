"""The HTML report in a real browser: headless Chromium driven by Selenium.

Skipped when no chromium (or selenium) is found, unless DEDUP_REQUIRE_BROWSER=1 (as in CI),
when that is a failure. Every test also fails on an error in the browser's console.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import find_chromium, severe_console_entries, start_chromium, wait_for
from click.testing import CliRunner
from report_data import HOSTILE, check_corpus, hostile_articles, write_check_report
from script_loader import load_script

from dedup import scan
from dedup.cli import cli
from dedup.inputs import read_articles
from dedup.report import write_html

READY = "return document.documentElement.dataset.ready === 'true'"
OPEN_TIME_LIMIT_S = 5.0

# Is `el` inside the visible part of its scroll container and of the window?
IN_VIEW = """
const el = arguments[0];
const box = el.closest('.pane-text').getBoundingClientRect();
const r = el.getBoundingClientRect();
return r.height > 0 && r.top >= box.top && r.bottom <= box.bottom
    && r.top >= 0 && r.bottom <= window.innerHeight;
"""


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    found = find_chromium()
    if isinstance(found, str):
        if os.environ.get("DEDUP_REQUIRE_BROWSER") == "1":
            pytest.fail(f"DEDUP_REQUIRE_BROWSER=1 but {found}")
        pytest.skip(found)
    chromium = start_chromium(*found)
    try:
        yield chromium
    finally:
        chromium.quit()


@pytest.fixture
def page(driver: Any) -> Iterator[Any]:
    """The browser, with its console checked for errors after the test."""
    severe_console_entries(driver)  # read (and so clear) what earlier tests left
    yield driver
    errors = severe_console_entries(driver)
    assert not errors, f"errors in the browser console: {errors}"


@pytest.fixture(scope="module")
def samples_html(tmp_path_factory: pytest.TempPathFactory, samples_dir: Path) -> Path:
    folder = tmp_path_factory.mktemp("samples-report")
    out, saved = folder / "samples.html", folder / "samples.jsonl"
    result = CliRunner().invoke(
        cli, ["scan", str(samples_dir), "-o", str(saved), "--html", str(out)]
    )
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def samples_passages(samples_html: Path) -> list[dict[str, Any]]:
    lines = (samples_html.parent / "samples.jsonl").read_text(encoding="utf-8").split("\n")
    records = [json.loads(line) for line in lines if line.strip()]
    return [r for r in records if r["type"] == "passage"]


@pytest.fixture(scope="module")
def hostile_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    articles = hostile_articles()
    out = tmp_path_factory.mktemp("hostile-report") / "hostile.html"
    write_html(out, scan(articles), articles)
    return out


@pytest.fixture(scope="module")
def check_html(tmp_path_factory: pytest.TempPathFactory, samples_dir: Path) -> Path:
    return write_check_report(samples_dir, tmp_path_factory.mktemp("check-report"))


def open_report(driver: Any, path: Path, fragment: str = "") -> None:
    driver.get(path.as_uri() + fragment)
    wait_for(driver, READY)


def open_pair(driver: Any, k: int) -> None:
    driver.find_element("css selector", f'#pair-table a[href="#pair={k}"]').click()
    wait_for(driver, f"return document.documentElement.dataset.view === 'pair-{k}'")


def css(driver: Any, selector: str) -> list[Any]:
    return driver.find_elements("css selector", selector)


def table_rows(driver: Any) -> list[list[str]]:
    rows = css(driver, "#pair-table tbody tr")
    return [[cell.text for cell in row.find_elements("css selector", "td")] for row in rows]


def text_of(driver: Any, pane: Any) -> str:
    """The text a pane shows, without the passages' number labels."""
    script = (
        "const copy = arguments[0].cloneNode(true);"
        "copy.querySelectorAll('button').forEach((b) => b.remove());"
        "return copy.textContent;"
    )
    return str(driver.execute_script(script, pane))


def set_min_length(driver: Any, value: int) -> None:
    driver.execute_script(
        "const box = document.getElementById('min-length'); box.value = arguments[0];"
        "box.dispatchEvent(new Event('input', {bubbles: true}));",
        str(value),
    )


def test_samples_report_opens_with_both_tables(page: Any, samples_html: Path) -> None:
    open_report(page, samples_html)
    assert page.title.startswith("dedup report: ")
    assert [Path(row[0]).name[:3] for row in table_rows(page)] == ["002", "003"]
    assert len(css(page, "#article-table tbody tr")) == 5
    assert not css(page, "#view mark")  # no view is built before one is opened
    assert css(page, "#view")[0].get_attribute("hidden") is not None


def test_clicking_a_passage_scrolls_its_counterpart_into_view(
    page: Any, samples_html: Path
) -> None:
    open_report(page, samples_html)
    open_pair(page, 0)  # reuse inside 002: both copies in the one text
    firsts = css(page, '#view button.plabel[data-end="a"]')
    assert len(firsts) == 3
    for label in firsts:
        key = label.get_attribute("data-key")
        page.execute_script("arguments[0].scrollIntoView({block: 'center'})", label)
        label.click()
        [other] = css(page, f'#view button.plabel[data-key="{key}"][data-end="b"]')
        assert "is-active" in other.get_attribute("class").split()
        assert page.execute_script(IN_VIEW, other), f"counterpart of passage {key} not in view"
        assert page.switch_to.active_element == other
        marks = css(page, f'#view mark[data-key="{key}"]')
        assert marks
        assert all("is-active" in m.get_attribute("class").split() for m in marks)
        assert len(css(page, "#view button.plabel.is-active")) == 2  # only this passage


def test_clicking_the_text_of_a_passage_works_too(page: Any, samples_html: Path) -> None:
    open_report(page, samples_html)
    open_pair(page, 1)  # 003's repeated captions
    mark = css(page, '#view mark[data-end="b"]')[-1]
    page.execute_script("arguments[0].scrollIntoView({block: 'center'})", mark)
    mark.click()
    key = mark.get_attribute("data-key")
    [other] = css(page, f'#view button.plabel[data-key="{key}"][data-end="a"]')
    assert "is-active" in other.get_attribute("class")
    assert page.execute_script(IN_VIEW, other)


def test_passages_are_labelled_for_people_and_screen_readers(page: Any, samples_html: Path) -> None:
    open_report(page, samples_html)
    open_pair(page, 0)
    for label in css(page, "#view button.plabel"):
        assert label.text.isdigit()
        assert label.get_attribute("aria-label").startswith(f"Passage {label.text}: paraphrase")
        assert "score 0." in label.get_attribute("title")
    mark = css(page, "#view mark")[0]
    assert "paraphrase, score" in mark.get_attribute("title")


def test_keyboard_opens_the_counterpart(page: Any, samples_html: Path) -> None:
    from selenium.webdriver.common.keys import Keys

    open_report(page, samples_html)
    open_pair(page, 0)
    label = css(page, '#view button.plabel[data-end="b"]')[0]
    page.execute_script("arguments[0].focus()", label)
    page.switch_to.active_element.send_keys(Keys.ENTER)
    key = label.get_attribute("data-key")
    [other] = css(page, f'#view button.plabel[data-key="{key}"][data-end="a"]')
    assert page.switch_to.active_element == other
    assert page.execute_script(IN_VIEW, other)


def test_kind_filter_hides_passages_of_that_kind(page: Any, samples_html: Path) -> None:
    open_report(page, samples_html)
    before = table_rows(page)
    open_pair(page, 0)
    assert css(page, "#view mark.k-paraphrase")
    css(page, '#filters input[name="kind"][value="2"]')[0].click()  # filters apply in the view
    assert not css(page, "#view mark")
    assert not css(page, "#view button.plabel")
    assert "hiding paraphrase" in css(page, "#view .hint")[0].text
    css(page, '#filters input[name="kind"][value="2"]')[0].click()
    assert len(css(page, "#view button.plabel")) == 6
    css(page, '#filters input[name="kind"][value="2"]')[0].click()
    page.execute_script("location.hash = ''")
    wait_for(page, "return !document.getElementById('overview').hidden")
    # 002 repeats by paraphrase only
    assert [Path(row[0]).name[:3] for row in table_rows(page)] == ["003"]
    css(page, '#filters input[name="kind"][value="2"]')[0].click()
    assert table_rows(page) == before  # the script's rows are the server's rows


def test_min_length_filter(
    page: Any, samples_html: Path, samples_passages: list[dict[str, Any]]
) -> None:
    def short(p: dict[str, Any]) -> int:
        return int(min(p["a_end"] - p["a_start"], p["b_end"] - p["b_start"]))

    limit = sorted(short(p) for p in samples_passages)[len(samples_passages) // 2]
    kept = [p for p in samples_passages if short(p) >= limit]
    assert 0 < len(kept) < len(samples_passages)
    open_report(page, samples_html)
    set_min_length(page, limit)
    counts: dict[str, int] = {}
    for p in kept:
        counts[p["a_id"]] = counts.get(p["a_id"], 0) + 1
    rows = {row[0]: int(row[2]) for row in table_rows(page)}
    assert rows == counts
    assert css(page, "#min-length-range")[0].get_attribute("value") == str(limit)
    open_report(page, samples_html, "#pair=0")
    set_min_length(page, limit)
    shown = {int(m.get_attribute("data-key")) for m in css(page, "#view button.plabel")}
    everything = [p for p in samples_passages if Path(p["a_id"]).name.startswith("002")]
    assert len(shown) == sum(1 for p in everything if short(p) >= limit)


def test_sorting_by_clicking_headers(page: Any, samples_html: Path) -> None:
    open_report(page, samples_html)
    header = css(page, '#pair-table th button[data-sort="n"]')[0]
    header.click()
    th = css(page, "#pair-table th")[2]
    assert th.get_attribute("aria-sort") == "descending"
    assert [row[2] for row in table_rows(page)] == ["3", "2"]
    header.click()
    assert th.get_attribute("aria-sort") == "ascending"
    assert [row[2] for row in table_rows(page)] == ["2", "3"]
    css(page, '#pair-table th button[data-sort="a"]')[0].click()
    assert [Path(row[0]).name[:3] for row in table_rows(page)] == ["002", "003"]


def test_article_view_shows_reuse_inside_the_article(page: Any, samples_html: Path) -> None:
    open_report(page, samples_html)
    page.find_element("css selector", '#article-table a[href="#article=3"]').click()
    wait_for(page, "return document.documentElement.dataset.view === 'article-3'")
    assert len(css(page, "#view .pane")) == 1
    labels = css(page, "#view button.plabel")
    assert [x.text for x in labels] == ["1", "1", "2", "2"]  # numbered as they first appear
    labels[0].click()
    key = labels[0].get_attribute("data-key")
    [other] = css(page, f'#view button.plabel[data-key="{key}"][data-end="b"]')
    assert "is-active" in other.get_attribute("class")
    assert page.execute_script(IN_VIEW, other)


def test_two_articles_side_by_side_with_hostile_text(page: Any, hostile_html: Path) -> None:
    open_report(page, hostile_html)
    page.execute_script("window.alerted = false; window.alert = () => { window.alerted = true; };")
    open_pair(page, 0)
    panes = css(page, "#view .pane-text")
    assert len(panes) == 2
    a, b = hostile_articles()
    # The texts are shown literally, as text: no element came from them.
    assert text_of(page, panes[0]) == a.text
    assert HOSTILE in text_of(page, panes[1])
    assert not css(page, "#view script, #view b, #view i, #view textarea")
    assert page.execute_script("return window.alerted") is False
    assert "<i>Wire</i> & Co" in css(page, "#view .pane-head")[0].text
    assert not css(page, '#view a[href^="javascript"]')
    # The highlighted text is exactly the passage, even after an emoji (code point offsets).
    [passage] = scan([a, b]).passages
    marks = css(page, '#view .pane:nth-child(2) mark[data-end="b"]')
    assert (
        "".join(m.get_attribute("textContent") for m in marks)
        == b.text[passage.b_start : passage.b_end]
    )
    # Clicking in A scrolls B's copy into view and marks it.
    label = css(page, '#view button.plabel[data-end="a"]')[0]
    label.click()
    [other] = css(page, '#view button.plabel[data-end="b"]')
    assert "is-active" in other.get_attribute("class")
    assert page.execute_script(IN_VIEW, other)


@pytest.mark.slow
def test_report_of_10k_articles_opens_quickly(
    page: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A real scan of 10,000 generated articles (scripts/make_corpus.py) with planted reuse.
    corpus = tmp_path / "corpus.jsonl"
    assert load_script("make_corpus").main(["10000", str(corpus), "--seed", "1"]) == 0
    articles = read_articles([corpus])
    report = scan(articles, jobs=os.cpu_count() or 1)
    out = tmp_path / "large.html"
    started = time.perf_counter()
    write_html(out, report, articles)
    rendered = time.perf_counter() - started
    size = out.stat().st_size
    page.get("about:blank")
    started = time.perf_counter()
    page.get(out.as_uri())
    wait_for(page, READY, timeout=30)
    opened = time.perf_counter() - started
    between = page.execute_script(
        "const data = JSON.parse(document.getElementById('dedup-data').textContent);"
        "return data.pairs.findIndex((p) => p[0] !== p[1]);"
    )
    started = time.perf_counter()
    page.execute_script("location.hash = arguments[0]", f"#pair={between}")
    wait_for(page, f"return document.documentElement.dataset.view === 'pair-{between}'")
    pair = time.perf_counter() - started
    with capsys.disabled():  # shown in pytest's output without -s
        sys.stdout.write(
            f"\n10k-article report: {size / 2**20:.1f} MiB, {len(report.passages)} passages, "
            f"rendered in {rendered:.1f} s, opened in {opened:.2f} s, a pair view in {pair:.2f} s\n"
        )
    assert opened < OPEN_TIME_LIMIT_S, f"opened in {opened:.2f} s"
    assert len(css(page, "#view .pane")) == 2
    page.execute_script("location.hash = ''")
    wait_for(page, "return !document.getElementById('overview').hidden")
    assert len(css(page, "#pair-table tbody tr")) == 100
    assert len(css(page, "#article-table tbody tr")) == 100
    css(page, "#pair-more")[0].click()
    assert len(css(page, "#pair-table tbody tr")) == 200
    first = [
        c.text for c in css(page, "#article-table tbody tr")[0].find_elements("css selector", "td")
    ]
    css(page, "#article-more")[0].click()
    rows = css(page, "#article-table tbody tr")
    assert len(rows) == 200
    assert [c.text for c in rows[0].find_elements("css selector", "td")] == first


# -- check reports -----------------------------------------------------------------------------

RECT = "return arguments[0].getBoundingClientRect().toJSON()"


def article_groups(driver: Any) -> list[list[list[str]]]:
    """The rows of each group of the article table, as the texts of their cells."""
    return [
        [
            [c.text for c in row.find_elements("css selector", "td, th")]
            for row in body.find_elements("css selector", "tr")
        ]
        for body in css(driver, "#article-table tbody")
    ]


def test_check_verdicts_are_visible_at_the_top_without_clicking(
    page: Any, check_html: Path
) -> None:
    open_report(page, check_html)
    [table] = css(page, "#verdict-table")
    assert table.is_displayed()
    height = page.execute_script("return window.innerHeight")
    rows = css(page, "#verdict-table tbody tr")
    for row in rows:  # every verdict on the first screen, above the filters and the rest
        box = page.execute_script(RECT, row)
        assert box["top"] >= 0, box
        assert box["bottom"] <= height, box
    assert (
        page.execute_script(RECT, table)["bottom"]
        <= page.execute_script(RECT, css(page, "#filters")[0])["top"]
    )
    headers = [th.text for th in css(page, "#verdict-table thead th")]
    assert headers[:4] == ["Article", "Verdict", "Counted coverage", "Reported coverage"]
    assert "Budgets broken" in headers
    cells = [[c.text for c in row.find_elements("css selector", "th, td")] for row in rows]
    assert [(c[0], c[1]) for c in cells] == [
        ("draft-copy", "\u2717 FAIL"),
        ("draft-spread", "\u2717 FAIL"),
        ("draft-own", "\u2713 PASS"),
        ("draft-same-source", "\u2713 PASS"),
    ]
    assert cells[1][7] == "max coverage"
    # FAIL and PASS also differ in colour.
    colour = "return getComputedStyle(arguments[0]).backgroundColor"
    fail, passed = css(page, ".verdict.verdict-fail")[0], css(page, ".verdict.verdict-pass")[0]
    assert page.execute_script(colour, fail) != page.execute_script(colour, passed)


def test_a_fail_row_opens_that_articles_passages(
    page: Any, check_html: Path, samples_dir: Path
) -> None:
    open_report(page, check_html)
    [row] = [r for r in css(page, "#verdict-table tr.verdict-fail") if "draft-copy" in r.text]
    row.find_element("css selector", "a").click()
    wait_for(page, "return document.documentElement.dataset.view === 'article-0'")
    assert not css(page, "#verdict-table")[0].is_displayed()
    head = css(page, "#view .pane-head")[0]
    assert head.find_element("css selector", "h3").text == "draft-copy checked"
    line = head.find_element("css selector", ".verdict-line").text
    assert line.startswith("\u2717 FAIL counted 93.8%")
    assert "broke max coverage; max from one article: pub/000" in line
    # Its two copied paragraphs are marked, each a link to the pair with the indexed article.
    indexed_text = check_corpus(samples_dir)[0][0].text  # pub/000's
    marks = css(page, "#view mark")
    assert marks
    for mark in marks:
        assert mark.get_attribute("textContent") in indexed_text
    assert [b.text for b in css(page, "#view button.plabel")] == ["1", "2"]
    assert [a.text for a in css(page, "#view ul.related a")] == ["with pub/000"]
    css(page, "#view button.plabel")[0].click()  # on to the side-by-side view
    wait_for(page, "return document.documentElement.dataset.view.startsWith('pair-')")
    assert [h.text for h in css(page, "#view .pane-head h3")] == [
        "draft-copy checked",
        "pub/000 from the index",
    ]
    page.execute_script("location.hash = ''")
    wait_for(page, "return !document.getElementById('overview').hidden")
    assert css(page, "#verdict-table")[0].is_displayed()


def test_checked_and_indexed_groups_grow_as_the_server_renders_them(
    page: Any, check_html: Path, tmp_path: Path, samples_dir: Path
) -> None:
    open_report(page, check_html)
    full = article_groups(page)
    assert [len(g) for g in full] == [5, 5]  # a heading row and four articles each
    assert full[0][0] == ["Checked articles (4)"]
    assert all(row[1].endswith(" checked") for row in full[0][1:])
    assert all(row[1].endswith(" from the index") for row in full[1][1:])
    few = write_check_report(samples_dir, tmp_path, max_rows=3)
    open_report(page, few)
    assert [len(g) for g in article_groups(page)] == [4, 1]
    css(page, "#article-more")[0].click()
    assert [len(g) for g in article_groups(page)] == [5, 3]
    css(page, "#article-more")[0].click()
    assert article_groups(page) == full  # the script's rows are the server's rows
    assert not css(page, "#article-more")[0].is_displayed()


@pytest.fixture(scope="module")
def syndicated_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from test_twins import _syndicated

    articles = _syndicated(12)[::-1]
    out = tmp_path_factory.mktemp("syndicated-report") / "syndicated.html"
    write_html(out, scan(articles), articles)
    return out


def test_a_cluster_member_opens_its_pair_with_the_origin(page: Any, syndicated_html: Path) -> None:
    open_report(page, syndicated_html)
    [row] = css(page, "#cluster-table tbody tr")
    assert row.find_element("css selector", "td:nth-child(2) a").text == "wire"
    copies = row.find_elements("css selector", "ol.copies li a")
    assert copies[0].text == "copy0001"  # the earliest copy, dated 2024-03-03
    copies[0].click()
    wait_for(page, "return document.documentElement.dataset.view.startsWith('pair-')")
    heads = {h.text for h in css(page, "#view .pane-head h3")}
    assert heads == {"wire", "copy0001"}

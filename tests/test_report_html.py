from __future__ import annotations

import difflib
import html as html_lib
import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from report_data import HOSTILE, check_corpus, hostile_articles, write_check_report

from dedup import DEFAULT_PARAMS, Article, Passage, Report, __version__, compare, scan
from dedup.cli import cli
from dedup.outputs import comparison_record, write_scan_jsonl
from dedup.report import build_view, check_results, check_view, render_html, write_html
from dedup.results import comparison_results, read_results
from dedup.store import Index

REPO = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden" / "samples_report.html"
CHECK_GOLDEN = GOLDEN.with_name("check_report.html")
UPDATE_HINT = "python scripts/update_golden.py"
DATE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
CREATED = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00")  # an index's creation


def scrub(page: str) -> str:
    """Replace what changes from run to run: the dedup version and the date generated.

    The inline stylesheet and script are static files of the package, copied as they are:
    they are left out too, so that the golden file holds what is rendered.
    """
    version = re.escape(__version__)
    page = re.sub(rf'(dedup |<dd>|"version":"){version}\b', r"\g<1>X.Y.Z", page)
    page = re.sub(r"<style>\n.*?\n</style>", "<style>/* report.css */</style>", page, flags=re.S)
    page = re.sub(r"<script>\n.*?\n</script>", "<script>/* report.js */</script>", page, flags=re.S)
    return DATE.sub("DATE", page)


def _invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def _data(page: str) -> dict[str, object]:
    block = re.search(r'<script type="application/json" id="dedup-data">(.*?)</script>', page, re.S)
    assert block is not None
    return json.loads(block.group(1))  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def check_page(tmp_path_factory: pytest.TempPathFactory, samples_dir: Path) -> str:
    """The page of dedup check --html on ``check_corpus``, its index's folder named TMP."""
    folder = tmp_path_factory.mktemp("check-report")
    page = write_check_report(samples_dir, folder).read_text(encoding="utf-8")
    return page.replace(str(folder), "TMP")


@pytest.fixture(scope="module")
def hostile() -> tuple[Report, list[Article]]:
    articles = hostile_articles()
    return scan(articles), articles


# -- golden file -------------------------------------------------------------------------------


def test_samples_report_matches_golden(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)  # the inputs, as given, are part of the page
    out = tmp_path / "report.html"
    result = _invoke("scan", "samples/", "--html", out, "-o", tmp_path / "scan.jsonl")
    assert result.exit_code == 0, result.output
    _compare_with_golden(scrub(out.read_text(encoding="utf-8")), GOLDEN)


def test_check_report_matches_golden(check_page: str) -> None:
    _compare_with_golden(CREATED.sub("DATE", scrub(check_page)), CHECK_GOLDEN)


def _compare_with_golden(page: str, golden: Path) -> None:
    if os.environ.get("DEDUP_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(page, encoding="utf-8", newline="")
    assert golden.is_file(), f"missing {golden}; make it with {UPDATE_HINT}"
    expected = golden.read_text(encoding="utf-8")
    if page != expected:
        diff = difflib.unified_diff(
            expected.splitlines(), page.splitlines(), "golden", "rendered", lineterm="", n=2
        )
        shown = "\n".join(list(diff)[:80])
        pytest.fail(
            f"the report differs from {golden.name}; if intended, run {UPDATE_HINT}\n{shown}"
        )


def test_scrub_replaces_version_date_and_static_files() -> None:
    page = f'<meta content="dedup {__version__}"> "version":"{__version__}" 2024-03-26T10:00:00Z'
    assert scrub(page) == '<meta content="dedup X.Y.Z"> "version":"X.Y.Z" DATE'
    page = (
        '<style>\nb {}\n</style><script type="application/json">{}</script><script>\nf()\n</script>'
    )
    assert scrub(page) == (
        '<style>/* report.css */</style><script type="application/json">{}</script>'
        "<script>/* report.js */</script>"
    )


# -- escaping ----------------------------------------------------------------------------------


def test_hostile_text_is_escaped_in_the_rendered_file(
    hostile: tuple[Report, list[Article]],
) -> None:
    report, articles = hostile
    assert report.passages, "the two articles should share a passage"
    page = render_html(report, articles)
    # Nothing from the texts or metadata can open or close an element.
    assert "<script>alert" not in page
    assert "</textarea>" not in page
    assert "<b>bold" not in page
    assert "<i>Wire" not in page
    assert page.count("</script>") == 2  # the data block's and the script's own
    assert page.count("<script") == 2
    assert "\u2028" not in page
    # The data block holds the exact texts, and the script reads them back as they were.
    data = _data(page)
    texts = {row[0]: row[7] for row in data["articles"]}  # type: ignore[attr-defined]
    assert texts == {a.id: a.text for a in articles}
    assert HOSTILE in texts["a<b>.txt"]
    # In HTML, ids and sources are escaped by Jinja.
    assert html_lib.escape("a<b>.txt") in page
    assert "b&amp;amp;.txt" in page
    assert "<td>&lt;i&gt;Wire&lt;/i&gt; &amp; Co</td>" in page  # the article table's source


def test_only_web_urls_become_links(hostile: tuple[Report, list[Article]]) -> None:
    data = _data(render_html(*hostile))
    urls = [row[3] for row in data["articles"]]  # type: ignore[attr-defined]
    assert urls == [None, "https://example.org/b?x=1&y=<2>"]


def test_page_is_self_contained(hostile: tuple[Report, list[Article]]) -> None:
    page = render_html(*hostile)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "@import" not in page
    assert "default-src 'none'" in page  # the browser refuses any request the page might make


# -- view data ---------------------------------------------------------------------------------


def test_view_ranks_pairs_by_coverage_and_articles_by_share(sample_articles: list[Article]) -> None:
    report = scan(sample_articles)
    view = build_view(report, sample_articles, generated="2024-01-01T00:00:00Z")
    assert [(r.a_id[:3], r.b_id[:3], r.passages) for r in view.pairs] == [
        ("002", "002", 3),
        ("003", "003", 2),
    ]
    assert all(r.within for r in view.pairs)
    assert view.pairs[0].counts == (0, 0, 3, 0, 0, 0)  # in the order of KINDS
    assert view.pairs[0].a_share_text == "27.8%"
    assert [r.id[:3] for r in view.articles[:2]] == ["002", "003"]
    assert view.articles[0].share == next(c.share for c in report.coverage if c.id[:3] == "002")
    assert sum(b.count for b in view.bars) == len(report.passages)
    assert view.n_articles == 5
    assert view.n_reused == 2
    assert view.n_pairs == 2
    assert view.generated == "2024-01-01T00:00:00Z"


def test_pair_coverage_counts_each_side_once() -> None:
    a = Article("a", "x" * 100)
    b = Article("b", "y" * 50)
    passages = (
        scan_passage("a", 0, 40, "b", 0, 20),
        scan_passage("a", 20, 60, "b", 10, 30),
    )
    report = Report(passages, (), DEFAULT_PARAMS, "1")
    [row] = build_view(report, [a, b]).pairs
    assert (row.a_share, row.b_share) == (0.6, 0.6)
    assert (row.a_share_text, row.b_share_text) == ("60.0%", "60.0%")


def scan_passage(a: str, a0: int, a1: int, b: str, b0: int, b1: int) -> Passage:
    return Passage(a, a0, a1, b, b0, b1, 0.9, "near-verbatim", 1)


def test_max_rows_limits_the_rendered_rows_not_the_data(sample_articles: list[Article]) -> None:
    report = scan(sample_articles)
    view = build_view(report, sample_articles, max_rows=1)
    assert len(view.pairs) == 1
    assert len(view.articles) == 1
    data = json.loads(str(view.data))
    assert len(data["pairs"]) == 2
    assert len(data["articles"]) == 5
    page = render_html(report, sample_articles, max_rows=1)
    assert 'id="pair-more">' in page
    assert 'id="article-more">' in page


def test_json_block_escapes_script_breakers() -> None:
    text = "a </script><!-- & \u2028 \u2029 > b"
    article = Article("x", text + " end of the text here")
    view = build_view(Report((), (), DEFAULT_PARAMS, "1"), [article])
    block = str(view.data)
    for raw in ("<", ">", "&", "\u2028", "\u2029"):
        assert raw not in block
    assert json.loads(block)["articles"][0][7] == article.text


def test_write_html_refuses_to_overwrite(
    tmp_path: Path, hostile: tuple[Report, list[Article]]
) -> None:
    path = tmp_path / "r.html"
    write_html(path, *hostile)
    with pytest.raises(FileExistsError):
        write_html(path, *hostile)
    write_html(path, *hostile, overwrite=True, title="Again")
    assert "<title>Again</title>" in path.read_text(encoding="utf-8")


# -- check reports -----------------------------------------------------------------------------


def test_check_view_has_one_row_per_verdict_with_budgets_broken(
    tmp_path: Path, samples_dir: Path
) -> None:
    indexed, drafts = check_corpus(samples_dir)
    with Index(tmp_path / "i.db") as index:
        index.add(indexed)
        result = index.check(drafts)
    results = check_results(result, drafts, indexed)
    check = check_view(result, results)
    assert [(r.id, r.verdict, r.broken) for r in check.rows] == [
        ("draft-copy", "FAIL", ("max coverage", "max from one article: pub/000")),
        ("draft-spread", "FAIL", ("max coverage",)),
        ("draft-own", "PASS", ()),
        ("draft-same-source", "PASS", ()),
    ]
    assert (check.n_failed, check.n_passed) == (2, 2)
    assert (check.max_coverage_text, check.max_source_coverage_text) == ("30.0%", "20.0%")
    for row, verdict in zip(check.rows, result.verdicts, strict=True):
        # The view names as many broken budgets as the check gives reasons, in the same order.
        assert row.reasons == verdict.over
        assert len(row.broken) == len(verdict.over)
        assert row.passed == verdict.passed
        assert row.counted == verdict.coverage.share
        assert row.reported == verdict.reported
        assert row.counted_findings + row.excused_findings == len(verdict.findings)
    spread = check.rows[1]
    assert (spread.top_id, spread.top_share_text) == ("pub/001", "19.3%")
    assert spread.counted_findings == 3
    same = check.rows[3]
    assert (same.counted_text, same.reported_text) == ("0.0%", "86.7%")
    assert same.excuses == (("same-source", 1),)
    # Each row links to its own article in the page's data.
    view = build_view(results.report, results.articles, origin="check", check=check)
    data = json.loads(view.data)
    assert [data["articles"][r.index][0] for r in check.rows] == [r.id for r in check.rows]
    assert data["checked"][1] == [1, False, spread.counted, spread.reported, ["max coverage"]]
    groups = [(r.id, r.group) for r in view.articles]
    assert [g for _, g in groups] == ["checked"] * 4 + ["index"] * 4  # checked ones first
    assert {i for i, g in groups if g == "index"} == {"pub/000", "pub/001", "pub/002", "pub/003"}
    assert view.n_checked == 4


def test_check_page_shows_verdicts_first_and_groups_the_articles(check_page: str) -> None:
    top = check_page.index('<section id="verdicts"')
    assert top < check_page.index('<form id="filters"') < check_page.index('id="overview"')
    assert '<h2 id="verdicts-title">Verdicts: 2 FAIL, 2 PASS</h2>' in check_page
    table = check_page[top : check_page.index("</section>", top)]
    assert table.count('<th scope="col"') == 10
    assert table.count('<th scope="row"><a href="#article=') == 4
    # A text label and a symbol, not only a colour.
    assert table.count('<span aria-hidden="true">✗</span> FAIL</span>') == 2
    assert table.count('<span aria-hidden="true">✓</span> PASS</span>') == 2
    assert "<li>max from one article: pub/000</li>" in table
    assert '1 <span class="from">(1 same-source)</span>' in table
    articles = check_page[check_page.index('id="article-table"') :]
    assert '<th scope="rowgroup" colspan="7">Checked articles (4)</th>' in articles
    assert '<th scope="rowgroup" colspan="7">From the index (4)</th>' in articles
    assert articles.count('<span class="badge badge-checked">checked</span>') == 4
    assert articles.count('<span class="badge badge-index">from the index</span>') == 4
    assert articles.index("group-checked") < articles.index("group-index")


def test_scan_page_has_no_verdicts(hostile: tuple[Report, list[Article]]) -> None:
    page = render_html(*hostile)
    assert 'id="verdicts"' not in page
    assert "badge" not in scrub(page)  # the stylesheet and script have them, the page has none
    assert "checked" not in _data(page)


# -- reading results back ----------------------------------------------------------------------


def test_scan_results_round_trip(tmp_path: Path, hostile: tuple[Report, list[Article]]) -> None:
    report, articles = hostile
    path = tmp_path / "scan.jsonl"
    with path.open("w", encoding="utf-8", newline="") as f:
        write_scan_jsonl(report, articles, f, inputs=["a.jsonl"])
    results = read_results(path)
    assert results.report == report
    assert list(results.articles) == articles
    assert results.inputs == ("a.jsonl",)
    assert results.origin == "scan"
    assert render_html(results.report, results.articles, generated="D") == render_html(
        report, articles, generated="D"
    )


def test_compare_results_round_trip(tmp_path: Path) -> None:
    a, b = hostile_articles()
    c = compare(a.text, b.text)
    path = tmp_path / "compare.json"
    record = comparison_record(c, a.text, b.text, a_id="old.txt", b_id="new.txt")
    path.write_text(json.dumps(record, indent=2), encoding="utf-8")
    results = read_results(path)
    expected = comparison_results(c, Article("old.txt", a.text), Article("new.txt", b.text))
    assert results == expected
    assert results.report.passages[0].a_id == "old.txt"
    assert results.origin == "compare"


def _scan_lines(tmp_path: Path) -> list[str]:
    report, articles = scan(hostile_articles()), hostile_articles()
    path = tmp_path / "good.jsonl"
    with path.open("w", encoding="utf-8", newline="") as f:
        write_scan_jsonl(report, articles, f)
    # Not splitlines(): that would also split at the U+2028 inside a text.
    return path.read_text(encoding="utf-8").rstrip("\n").split("\n")


def _edit(lines: list[str], number: int, **changes: object) -> list[str]:
    record = json.loads(lines[number - 1])
    for key, value in changes.items():
        if value is None:
            record.pop(key)
        else:
            record[key] = value
    return [*lines[: number - 1], json.dumps(record), *lines[number:]]


BAD_RESULTS = {
    "not-json": (lambda ls: [ls[0], "{oops", *ls[1:]], ":2: not valid JSON"),
    "no-meta": (lambda ls: ls[1:], ":1: expected the 'meta' line first"),
    "no-type": (lambda ls: _edit(ls, 2, type=None), ":2: a record without a 'type'"),
    "bad-offsets": (lambda ls: _edit(ls, 2, a_end=10**6), ":2: [51:1000000] does not fit"),
    "bad-kind": (lambda ls: _edit(ls, 2, kind="copy"), ":2: 'kind' must be one of"),
    "bad-snippet": (lambda ls: _edit(ls, 2, a_snippet="x"), ":2: a_snippet is not the text"),
    "no-text": (lambda ls: _edit(ls, 3, text=None), ":3: article 'a<b>.txt' has no 'text'"),
    "bad-length": (lambda ls: _edit(ls, 3, length=1), ":3: 'length' is 1 but the text"),
    "unknown-id": (lambda ls: [ls[0], ls[1]], ":2: a_id 'a<b>.txt' is not an article"),
    "bad-params": (lambda ls: _edit(ls, 1, params={"threshold": 7}), ":1: bad 'params'"),
    "empty": (lambda ls: ["", ""], ": no results (the file is empty)"),
    "array": (lambda ls: ["[1, 2]"], ":1: expected a JSON object"),
}


@pytest.mark.parametrize("case", list(BAD_RESULTS), ids=list(BAD_RESULTS))
def test_report_rejects_bad_results_naming_file_and_line(tmp_path: Path, case: str) -> None:
    edit, message = BAD_RESULTS[case]
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(edit(_scan_lines(tmp_path))) + "\n", encoding="utf-8")
    result = _invoke("report", path, "--html", tmp_path / "r.html")
    assert result.exit_code == 2, result.output
    assert f"Error: {path}{message}" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "r.html").exists()


def test_report_rejects_broken_compare_json_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_text('{\n  "version": "1",\n  "a": oops\n}\n', encoding="utf-8")
    result = _invoke("report", path, "--html", tmp_path / "r.html")
    assert result.exit_code == 2
    assert f"Error: {path}:3: not valid JSON" in result.stderr


def test_report_reads_results_from_stdin(tmp_path: Path, samples_dir: Path) -> None:
    scanned = _invoke("scan", samples_dir)
    out = tmp_path / "r.html"
    result = CliRunner().invoke(cli, ["report", "-", "--html", str(out)], input=scanned.stdout)
    assert result.exit_code == 0, result.output
    assert "<dt>results</dt><dd><code>&lt;stdin&gt;</code></dd>" in out.read_text(encoding="utf-8")


def test_report_of_a_missing_file_exits_2(tmp_path: Path) -> None:
    result = _invoke("report", tmp_path / "nope.jsonl", "--html", tmp_path / "r.html")
    assert result.exit_code == 2
    assert "nope.jsonl: no such file" in result.stderr


# -- command line ------------------------------------------------------------------------------


def test_report_renders_saved_scan_like_scan_html(tmp_path: Path, samples_dir: Path) -> None:
    scanned, saved = tmp_path / "scan.html", tmp_path / "scan.jsonl"
    result = _invoke("scan", samples_dir, "-o", saved, "--html", scanned)
    assert result.exit_code == 0, result.output
    again = tmp_path / "again.html"
    result = _invoke("report", saved, "--html", again)
    assert result.exit_code == 0, result.output
    assert f"{again}: 5 articles, 5 passages" in result.stderr
    first = scrub(scanned.read_text(encoding="utf-8"))
    second = scrub(again.read_text(encoding="utf-8"))
    # The same page, plus a note naming the results file.
    assert second.replace(f"<dt>results</dt><dd><code>{saved}</code></dd>\n", "") == first


def test_scan_writes_texts_and_inputs_for_reports(samples_dir: Path) -> None:
    result = _invoke("scan", samples_dir)
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records[0]["inputs"] == [str(samples_dir)]
    for record in records:
        if record["type"] == "coverage":
            text = Path(record["id"]).read_text(encoding="utf-8")
            assert record["text"] == text
            assert record["length"] == len(text)


def test_compare_html_and_json_make_the_same_report(tmp_path: Path) -> None:
    a, b = hostile_articles()
    pa, pb = tmp_path / "a.txt", tmp_path / "b.txt"
    pa.write_text(a.text, encoding="utf-8", newline="")
    pb.write_text(b.text, encoding="utf-8", newline="")
    direct = tmp_path / "direct.html"
    result = _invoke("compare", pa, pb, "--format", "json", "--html", direct)
    assert result.exit_code == 0, result.output
    saved = tmp_path / "c.json"
    saved.write_text(result.stdout, encoding="utf-8")
    again = tmp_path / "again.html"
    assert _invoke("report", saved, "--html", again).exit_code == 0
    first = scrub(direct.read_text(encoding="utf-8"))
    second = scrub(again.read_text(encoding="utf-8"))
    assert second.replace(f"<dt>results</dt><dd><code>{saved}</code></dd>\n", "") == first
    data = _data(first)
    assert [row[0] for row in data["articles"]] == [str(pa), str(pb)]  # type: ignore[attr-defined]
    assert len(data["passages"]) == 1  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "command",
    [["scan", "{samples}"], ["compare", "{a}", "{a}"], ["report", "{saved}"]],
    ids=["scan", "compare", "report"],
)
def test_html_never_overwrites_without_force(
    tmp_path: Path, samples_dir: Path, command: list[str]
) -> None:
    saved = tmp_path / "s.jsonl"
    _invoke("scan", samples_dir, "-o", saved)
    out = tmp_path / "r.html"
    out.write_text("keep", encoding="utf-8")
    args = [
        c.format(samples=samples_dir, a=samples_dir / "000_0248cd8ac3f0784d.txt", saved=saved)
        for c in command
    ]
    result = _invoke(*args, "--html", out)
    assert result.exit_code == 2
    assert f"{out} already exists; pass --force to overwrite it" in result.stderr
    assert out.read_text(encoding="utf-8") == "keep"
    result = _invoke(*args, "--html", out, "--force")
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_compare_of_a_file_with_itself_keeps_two_articles(
    tmp_path: Path, samples_dir: Path
) -> None:
    a = samples_dir / "000_0248cd8ac3f0784d.txt"
    out = tmp_path / "r.html"
    assert _invoke("compare", a, a, "--html", out).exit_code == 0
    ids = [row[0] for row in _data(out.read_text(encoding="utf-8"))["articles"]]  # type: ignore[attr-defined]
    assert ids == [f"{a} (A)", f"{a} (B)"]


def test_check_html_shows_new_articles_next_to_indexed_ones(
    tmp_path: Path, samples_dir: Path
) -> None:
    seeds = sorted(samples_dir.glob("*.txt"))
    index = tmp_path / "published.db"
    assert _invoke("index", "add", index, *seeds[:3]).exit_code == 0
    first = [x for x in seeds[0].read_text(encoding="utf-8").split("\n") if len(x) > 200]
    second = [x for x in seeds[1].read_text(encoding="utf-8").split("\n") if len(x) > 200]
    new = tmp_path / "draft.txt"
    new.write_text(
        "A new take on the week.\n" + "\n".join(first[:2] + second[:2]), encoding="utf-8"
    )
    out = tmp_path / "check.html"
    result = _invoke("check", new, "--index", index, "--html", out, "--exit-zero")
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    data = _data(page)
    ids = [row[0] for row in data["articles"]]  # type: ignore[attr-defined]
    assert ids[0] == str(new)
    assert {seeds[0].name, seeds[1].name} <= {Path(i).name for i in ids[1:]}
    assert {(p[0], p[3]) for p in data["passages"]} <= {(0, n) for n in range(1, len(ids))}  # type: ignore[attr-defined]
    assert "<dt>index</dt>" in page
    with Index(index, read_only=True) as opened:
        assert f"fingerprint {opened.info().fingerprint}" in page
        assert len(opened.info().fingerprint) == 16
    assert "<dt>made by</dt><dd>dedup check</dd>" in page
    assert f"<dt>over budget</dt><dd><code>{new}</code></dd>" in page
    # ... and the verdict heads the page, linking to the checked article's passages.
    assert "Verdicts: 1 FAIL, 0 PASS" in page
    assert f'<th scope="row"><a href="#article=0">{new}</a></th>' in page


def test_the_report_lists_a_syndicated_story_as_a_cluster_origin_first() -> None:
    from test_twins import _syndicated

    from dedup.report.cluster_view import MAX_MEMBERS

    docs = _syndicated(MAX_MEMBERS + 5)[::-1]  # newest first: the origin is found by date
    report = scan(docs)
    view = build_view(report, docs, generated="2024-01-01T00:00:00Z")
    [story] = [c for c in view.clusters if c.origin.id == "wire"]
    assert (story.articles, len(story.members), story.more) == (len(docs), MAX_MEMBERS, 5)
    dates = [m.date for m in story.members]
    assert dates == sorted(dates)
    assert story.origin.link.startswith("#article=")
    assert all(m.link.startswith("#pair=") for m in story.members)
    assert {m.change.split()[0] for m in story.members} <= {"verbatim", "near-verbatim"}
    page = render_html(report, docs)
    assert '<section id="clusters"' in page
    assert "and 5 more</p>" in page
    pair = int(story.members[0].link.removeprefix("#pair="))
    row = view.pairs[pair] if pair < len(view.pairs) else None
    assert row is not None
    assert {row.a_id, row.b_id} == {"wire", story.members[0].id}


def test_a_report_without_clusters_has_no_cluster_section(sample_articles: list[Article]) -> None:
    assert '<section id="clusters"' not in render_html(scan(sample_articles), sample_articles)

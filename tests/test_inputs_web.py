"""Web pages and crawls as inputs: main text only, metadata from the page, WARC records streamed.

Every page here is written for these tests: two outlets' stories sharing a paragraph, each
wrapped in the furniture of a news site (a cookie banner, navigation, share buttons, a
newsletter box, related links, comments and a footer).
"""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
from collections import Counter
from io import BytesIO
from pathlib import Path

import pytest
from click.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from dedup import Article, InputError
from dedup.cli import cli
from dedup.crawl import read_captures
from dedup.inputs import Origin, read_articles

SHARED = (
    "The city council voted on Tuesday to close the old harbour bridge for repairs after "
    "engineers found deep cracks in two of its steel supports during a routine inspection."
)
TIDE_BODY = [
    SHARED,
    "Drivers will face long detours through the industrial estate for at least six months, the "
    "council said, and ferries will run every hour between the two quays while the work goes on.",
    "The bridge, opened in 1931, carries about twelve thousand vehicles a day. Local shop owners "
    "fear that the closure will keep customers away from the old town during the summer season.",
]
COURIER_BODY = [
    "Officials published a map of the detours on Wednesday. Lorries will be sent along the ring "
    "road, while buses keep their routes through the old town with extra stops near the quays.",
    SHARED,
    "A public meeting on the closure is planned for next Thursday evening at the town hall, where "
    "residents can put questions to the engineers and the council's transport committee.",
]
# Words of the page furniture: none may reach an article's text.
CHROME = ["cookie", "Home", "Sport", "Related", "Ferry fares", "Copyright", "Privacy",
          "Share on", "newsletter", "Subscribe", "Comments", "Great article"]  # fmt: skip


def news_page(
    title: str,
    body: list[str],
    *,
    site: str | None = None,
    canonical: str | None = None,
    published: str | None = None,
) -> str:
    """A news page around ``body``, with the furniture of a real site."""
    meta = [f"<title>{title} | {site or 'News'}</title>"]
    if site:
        meta.append(f'<meta property="og:site_name" content="{site}">')
    if published:
        meta.append(f'<meta property="article:published_time" content="{published}">')
    if canonical:
        meta.append(f'<link rel="canonical" href="{canonical}">')
    paragraphs = "\n".join(f"<p>{p}</p>" for p in body)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
{chr(10).join(meta)}
</head><body>
<div id="cookie-banner" class="cookie-consent"><p>We use cookies to improve your experience.
Accept all cookies or manage your preferences.</p><button>Accept</button></div>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/sport">Sport</a></li></ul></nav></header>
<main><article>
<h1>{title}</h1>
<div class="share"><a href="#">Share on Facebook</a> <a href="#">Share on X</a></div>
{paragraphs}
<div class="newsletter"><p>Sign up for our morning newsletter.</p><button>Subscribe</button></div>
</article>
<aside class="related"><h2>Related stories</h2><ul><li><a href="/a">Ferry fares to rise in
April</a></li><li><a href="/b">Council approves new cycle lanes</a></li></ul></aside>
<section id="comments"><h3>Comments</h3><p>Great article, thanks!</p></section>
</main>
<footer><p>Copyright 2021 {site or "News"}. All rights reserved.</p>
<p><a href="/privacy">Privacy policy</a> | <a href="/terms">Terms</a></p></footer>
</body></html>
"""


TIDE = news_page(
    "Harbour bridge closed for repairs",
    TIDE_BODY,
    site="The Daily Tide",
    canonical="https://dailytide.example/news/harbour-bridge",
    published="2024-03-05T08:30:00Z",
)
COURIER = news_page(
    "Bridge closure: detours announced",
    COURIER_BODY,
    site="Coast Courier",
    canonical="https://coastcourier.example/local/bridge-detours",
    published="2024-03-06",
)
MENU_ONLY = (
    "<html><head><title>Index</title></head><body><nav><a href='/'>Home</a> "
    "<a href='/b'>Sport</a></nav><footer>Copyright 2023</footer></body></html>"
)


def _text(title: str, body: list[str]) -> str:
    return f"{title}\n\n" + "\n".join(body)


def _write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def _assert_no_chrome(text: str) -> None:
    assert "<" not in text
    assert ">" not in text
    for word in CHROME:
        assert not re.search(rf"\b{word}\b", text, re.IGNORECASE), word


# -- pages -------------------------------------------------------------------------------------


def test_page_is_title_blank_line_and_body_with_the_pages_metadata(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "tide" / "bridge.html", TIDE)
    monkeypatch.chdir(tmp_path)
    origins: dict[str, Origin] = {}
    [article] = read_articles(["tide/bridge.html"], origins=origins)
    assert article == Article(
        "tide/bridge.html",
        _text("Harbour bridge closed for repairs", TIDE_BODY),
        source="The Daily Tide",
        date="2024-03-05",
        url="https://dailytide.example/news/harbour-bridge",
    )
    # Offsets index the extracted text: the shared paragraph starts after title and blank line.
    start = len("Harbour bridge closed for repairs") + 2
    assert article.text[start : start + len(SHARED)] == SHARED
    assert origins == {"tide/bridge.html": Origin("tide/bridge.html", 1, whole_file=False)}


@pytest.mark.parametrize("page", [TIDE, COURIER], ids=["tide", "courier"])
def test_page_text_has_no_markup_and_no_page_furniture(tmp_path: Path, page: str) -> None:
    [article] = read_articles([_write(tmp_path / "p.htm", page)])
    _assert_no_chrome(article.text)


def test_page_without_a_date_or_site_leaves_them_empty(tmp_path: Path) -> None:
    # The footer's "Copyright 2021" is not the page's date.
    page = news_page("Weather turns", TIDE_BODY[1:])
    [article] = read_articles([_write(tmp_path / "w.html", page)])
    assert (article.source, article.date, article.url) == (None, None, None)
    assert article.text == _text("Weather turns", TIDE_BODY[1:])


def test_page_without_article_text_is_a_counted_skip(tmp_path: Path) -> None:
    menu = _write(tmp_path / "menu.html", MENU_ONLY)
    good = _write(tmp_path / "good.html", TIDE)
    skipped: list[str] = []
    articles = read_articles([menu, good], on_skip=skipped.append)
    assert [a.text[:7] for a in articles] == ["Harbour"]
    assert skipped == [
        f"{menu}: no article text in the page (only menus, links or an empty body), skipped"
    ]


def test_jsonl_html_record_is_a_page_and_its_own_fields_win(tmp_path: Path) -> None:
    records = [
        {"id": "t1", "html": TIDE, "source": "Tide wire", "date": None},
        {"id": "m1", "html": MENU_ONLY},
        {"id": "c1", "text": "Plain text still works."},
    ]
    feed = _write(tmp_path / "feed.jsonl", "\n".join(json.dumps(r) for r in records) + "\n")
    skipped: list[str] = []
    origins: dict[str, Origin] = {}
    articles = read_articles([feed], on_skip=skipped.append, origins=origins)
    assert articles[0] == Article(
        "t1",
        _text("Harbour bridge closed for repairs", TIDE_BODY),
        source="Tide wire",  # the record's source wins; its null date takes the page's
        date="2024-03-05",
        url="https://dailytide.example/news/harbour-bridge",
    )
    assert [a.id for a in articles] == ["t1", "c1"]
    assert skipped == [
        f"{feed}:2: no article text in the page (only menus, links or an empty body), skipped"
    ]
    assert origins["c1"] == Origin(str(feed), 3, whole_file=False)


def test_jsonl_record_with_text_and_html_is_an_error(tmp_path: Path) -> None:
    feed = _write(tmp_path / "f.jsonl", json.dumps({"id": "x", "text": "a", "html": "<p>a</p>"}))
    with pytest.raises(InputError, match=r"f\.jsonl:1: give 'text' or 'html', not both"):
        read_articles([feed])


def test_reading_text_imports_neither_trafilatura_nor_warcio() -> None:
    code = (
        "import sys, dedup.inputs, dedup.cli; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('trafilatura', 'warcio')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# -- crawls ------------------------------------------------------------------------------------


def _response(writer: WARCWriter, uri: str, body: bytes, date: str, *, status: str = "200 OK",
              content_type: str = "text/html; charset=utf-8") -> None:  # fmt: skip
    http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        uri, "response", payload=BytesIO(body), http_headers=http,
        warc_headers_dict={"WARC-Date": date},
    )  # fmt: skip
    writer.write_record(record)


def make_crawl(path: Path, *, gzip_records: bool = True) -> Path:
    """A crawl of two outlets: two stories, a menu page, an image, a 404, a recapture."""
    path.parent.mkdir(parents=True, exist_ok=True)
    undated = news_page("Weather turns", TIDE_BODY[1:], site="The Daily Tide")
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=gzip_records)
        writer.write_record(writer.create_warcinfo_record("crawl.warc.gz", {"software": "test"}))
        request = writer.create_warc_record(
            "https://dailytide.example/news/harbour-bridge", "request",
            payload=BytesIO(b"GET /news/harbour-bridge HTTP/1.1\r\nHost: dailytide.example\r\n"),
        )  # fmt: skip
        writer.write_record(request)
        _response(writer, "https://dailytide.example/news/harbour-bridge?utm=x",
                  TIDE.encode(), "2024-03-07T10:00:00Z")  # fmt: skip
        _response(writer, "https://coastcourier.example/menu", MENU_ONLY.encode(),
                  "2024-03-07T10:01:00Z")  # fmt: skip
        _response(writer, "https://coastcourier.example/logo.png", b"\x89PNG\r\n\x1a\n\0\0",
                  "2024-03-07T10:02:00Z", content_type="image/png")  # fmt: skip
        _response(writer, "https://coastcourier.example/gone", b"<html>Not found</html>",
                  "2024-03-07T10:03:00Z", status="404 Not Found")  # fmt: skip
        _response(writer, "https://dailytide.example/weather", undated.encode(),
                  "2024-03-08T06:00:00Z")  # fmt: skip
        recaptured = TIDE.replace("Drivers", "Motorists").encode()
        _response(writer, "https://dailytide.example/news/harbour-bridge?utm=x", recaptured,
                  "2024-03-09T10:00:00Z")  # fmt: skip
    return path


def test_crawl_pages_are_articles_with_the_uri_as_id(tmp_path: Path) -> None:
    crawl = make_crawl(tmp_path / "crawl.warc.gz")
    skipped: list[str] = []
    origins: dict[str, Origin] = {}
    articles = read_articles([crawl], on_skip=skipped.append, origins=origins)
    assert (
        articles
        == [
            Article(
                "https://dailytide.example/news/harbour-bridge?utm=x",
                _text("Harbour bridge closed for repairs", TIDE_BODY),  # the first capture
                source="The Daily Tide",
                date="2024-03-05",  # the page's own date, not the capture's
                url="https://dailytide.example/news/harbour-bridge",  # canonical
            ),
            Article(
                "https://dailytide.example/weather",
                _text("Weather turns", TIDE_BODY[1:]),
                source="The Daily Tide",
                date="2024-03-08",  # no date on the page: the day it was captured
                url="https://dailytide.example/weather",
            ),
        ]
    )
    assert set(origins.values()) == {Origin(str(crawl), 1, whole_file=False)}
    assert skipped == [
        f"{crawl}: 2 pages read from the crawl; left out: image/png responses (1), "
        "pages without article text (1), repeated URLs (the first capture is kept) (1), "
        "request records (1), responses with HTTP status 404 (1), warcinfo records (1)"
    ]


def test_crawl_page_is_decoded_with_the_http_charset(tmp_path: Path) -> None:
    # The page declares no charset; only the HTTP header says Mac Roman, which no one guesses.
    body = "The café on the quay reopens on Monday after a long winter of repairs, said Zoë Müller."
    page = news_page("Café reopens", [body]).replace('<meta charset="utf-8">', "")
    crawl = tmp_path / "mac.warc.gz"
    with crawl.open("wb") as out:
        mac = 'text/html; charset="macintosh"'
        _response(WARCWriter(out), "https://x.example/cafe", page.encode("mac_roman"),
                  "2024-03-07T10:00:00Z", content_type=mac)  # fmt: skip
    [article] = read_articles([crawl], on_skip=lambda _: None)
    assert article.text == _text("Café reopens", [body])


def test_uncompressed_crawl_reads_the_same(tmp_path: Path) -> None:
    gz = read_articles([make_crawl(tmp_path / "a.warc.gz")])
    plain = read_articles([make_crawl(tmp_path / "b.warc", gzip_records=False)])
    assert gz == plain


def test_crawl_is_streamed_record_by_record(tmp_path: Path) -> None:
    # A crawl cut short: the pages before the damage come out before the error does.
    crawl = make_crawl(tmp_path / "cut.warc.gz")
    whole = crawl.read_bytes()
    _write(crawl, whole + gzip.compress(b"Not a WARC record\r\n\r\n"))
    captures = read_captures(crawl, Counter())
    first = next(captures)
    assert first.uri == "https://dailytide.example/news/harbour-bridge?utm=x"
    assert first.date == "2024-03-07T10:00:00Z"
    with pytest.raises(InputError, match=r"cut\.warc\.gz: not a readable WARC file"):
        list(captures)


def test_a_file_that_is_not_a_crawl_is_an_error(tmp_path: Path) -> None:
    fake = _write(tmp_path / "fake.warc", "This is a story, not a crawl.\n")
    with pytest.raises(InputError, match=r"fake\.warc: not a readable WARC file"):
        read_articles([fake])


# -- a newsroom folder -------------------------------------------------------------------------


def test_scan_finds_the_paragraph_two_pages_share_and_nothing_of_the_pages_furniture(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "saved" / "tide" / "bridge.html", TIDE)
    _write(tmp_path / "saved" / "courier" / "detours.htm", COURIER)
    _write(tmp_path / "saved" / "courier" / "menu.html", MENU_ONLY)
    _write(tmp_path / "saved" / "notes.txt", "Editor's notes: check the ferry timetable first.\n")
    make_crawl(tmp_path / "saved" / "crawl" / "day1.warc.gz")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["scan", "saved", "--no-within"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    coverage = {r["id"]: r for r in records if r["type"] == "coverage"}
    assert list(coverage) == [  # in the order of paths in the folder
        "saved/courier/detours.htm",
        "https://dailytide.example/news/harbour-bridge?utm=x",  # saved/crawl/day1.warc.gz
        "https://dailytide.example/weather",
        "saved/notes.txt",
        "saved/tide/bridge.html",
    ]
    assert coverage["saved/tide/bridge.html"]["date"] == "2024-03-05"
    assert coverage["saved/courier/detours.htm"]["url"] == (
        "https://coastcourier.example/local/bridge-detours"
    )
    assert coverage["saved/courier/detours.htm"]["source"] == "Coast Courier"
    passages = [r for r in records if r["type"] == "passage"]
    pairs = {(p["a_id"], p["b_id"]) for p in passages}
    # The crawl holds the bridge story too, dated the same day and read first: both pages that
    # print its paragraph are linked to it (and, with --all-pairs, to each other).
    crawled = "https://dailytide.example/news/harbour-bridge?utm=x"
    assert ("saved/courier/detours.htm", crawled) in pairs
    assert (crawled, "saved/tide/bridge.html") in pairs
    every = CliRunner().invoke(cli, ["scan", "saved", "--no-within", "--all-pairs"])
    assert every.exit_code == 0, every.output
    assert ("saved/courier/detours.htm", "saved/tide/bridge.html") in {
        (r["a_id"], r["b_id"])
        for r in map(json.loads, every.stdout.splitlines())
        if r["type"] == "passage"
    }
    for p in passages:
        for side in "ab":
            _assert_no_chrome(p[f"{side}_snippet"])
            text = coverage[p[f"{side}_id"]]["text"]
            assert p[f"{side}_snippet"] == text[p[f"{side}_start"] : p[f"{side}_end"]]
    [shared] = [
        p for p in passages if (p["a_id"], p["b_id"]) == ("saved/courier/detours.htm", crawled)
    ]
    assert shared["a_snippet"] == SHARED
    assert shared["kind"] == "verbatim"
    start = len("Bridge closure: detours announced\n\n") + len(COURIER_BODY[0]) + 1
    assert (shared["a_start"], shared["a_end"]) == (start, start + len(SHARED))
    assert "saved/courier/menu.html: no article text in the page" in result.stderr

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import TextIO

import pytest

import dedup
from dedup import DEFAULT_PARAMS, Article, Comparison, Coverage, InputError, Passage, Report
from dedup.inputs import read_articles
from dedup.model import Shares
from dedup.outputs import (
    CSV_FIELDS,
    PASSAGE_FIELDS,
    comparison_record,
    passage_record,
    scan_summary,
    write_comparison_text,
    write_scan_csv,
    write_scan_jsonl,
    write_scan_text,
)

TEXT = "The council closed the harbour bridge. Engineers found cracks in its supports."


def _write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def _read(*inputs: str | Path, stdin: TextIO | None = None) -> list[Article]:
    return read_articles(inputs, stdin=stdin)


# -- inputs ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["a.txt", "notes.md", "story.text"], ids=["txt", "md", "other"])
def test_file_is_one_article_with_the_path_as_given_as_id(tmp_path: Path, name: str) -> None:
    path = _write(tmp_path / name, TEXT)
    [article] = _read(str(path))
    assert article == Article(str(path), TEXT)


def test_folder_is_read_recursively_sorted_by_relative_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    _write(corpus / "b.txt", "Bee article.")
    _write(corpus / "a" / "z.md", "Zed article.")
    _write(corpus / "a" / "c.txt", "Cee article.")
    _write(corpus / "a" / "image.png", b"\x89PNG\x00\x00")  # other extensions are skipped
    _write(corpus / "notes.csv", "x,y")
    _write(corpus / "sub" / "feed.jsonl", '{"id": "j1", "text": "From the feed."}\n')
    monkeypatch.chdir(tmp_path)
    articles = _read("corpus")
    # A file's id is its path from the current directory; a record keeps its own id.
    assert [a.id for a in articles] == ["corpus/a/c.txt", "corpus/a/z.md", "corpus/b.txt", "j1"]
    assert articles[0].text == "Cee article."


def test_jsonl_reads_records_with_optional_fields(tmp_path: Path) -> None:
    lines = [
        {"id": "x1", "text": "First story.", "source": "Daily", "date": "2024-03-25", "url": "u"},
        {"id": 42, "text": "Second story.", "source": None, "extra": [1, 2]},
    ]
    body = "\n".join(json.dumps(r) for r in lines)
    path = _write(tmp_path / "feed.jsonl", body.replace("\n", "\n\n  \n") + "\n")
    assert _read(path) == [
        Article("x1", "First story.", source="Daily", date="2024-03-25", url="u"),
        Article("42", "Second story."),
    ]


def test_stdin_plain_text_is_one_article_with_id_dash() -> None:
    raw = "\ufeffLine one of the story.\r\nLine two.\r\n".encode()
    stdin = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8")
    [article] = _read("-", stdin=stdin)
    assert article == Article("-", "\ufeffLine one of the story.\r\nLine two.\r\n")  # BOM kept


def test_stdin_without_a_byte_buffer_is_read_as_text() -> None:
    [article] = _read("-", stdin=io.StringIO("\ufeffJust text."))
    assert article == Article("-", "\ufeffJust text.")


def test_stdin_starting_with_a_brace_is_jsonl() -> None:
    stdin = io.StringIO('\n  {"id": "s1", "text": "One."}\n{"id": "s2", "text": "Two."}\n')
    assert [a.id for a in _read("-", stdin=stdin)] == ["s1", "s2"]


def test_bom_is_kept_and_line_endings_are_kept(tmp_path: Path) -> None:
    path = _write(tmp_path / "win.txt", "\ufeffFirst line.\r\nSecond line.\r\n")
    [article] = _read(path)
    assert article.text == "\ufeffFirst line.\r\nSecond line.\r\n"
    assert article.text == path.open(encoding="utf-8", newline="").read()


def test_inputs_keep_their_order(tmp_path: Path) -> None:
    b = _write(tmp_path / "b.txt", "Bee article.")
    a = _write(tmp_path / "a.txt", "Ay article.")
    assert [x.id for x in _read(b, a)] == [str(b), str(a)]


# -- bad input ---------------------------------------------------------------------------------


def test_missing_path_names_it(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.txt: no such file"):
        _read(tmp_path / "nope.txt")


def test_binary_file_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path / "blob.txt", b"GIF89a\x00\x01\x02")
    with pytest.raises(InputError, match=r"blob\.txt: file looks binary"):
        _read(path)


def test_utf16_without_a_bom_is_reported_as_binary_with_a_hint(tmp_path: Path) -> None:
    path = _write(tmp_path / "u16.txt", "Some text.".encode("utf-16-le"))
    with pytest.raises(InputError, match=r"binary.*UTF-16"):
        _read(path)


def test_invalid_utf8_names_file_line_and_byte(tmp_path: Path) -> None:
    path = _write(tmp_path / "latin.txt", "First line.\nCaf\xe9 au lait.".encode("latin-1"))
    with pytest.raises(InputError, match=r"latin\.txt:2: not valid UTF-8 \(byte 15"):
        _read(path)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"id": "a", "text": "x"', "not valid JSON"),
        ('["a", "x"]', "expected a JSON object.*got list"),
        ('{"text": "x"}', "'id' must be a non-empty string"),
        ('{"id": "  ", "text": "x"}', "'id' must be a non-empty string"),
        ('{"id": true, "text": "x"}', "'id' must be a non-empty string"),
        ('{"id": "a"}', "'text' must be a string, got null"),
        ('{"id": "a", "text": 5}', "'text' must be a string, got a number"),
        ('{"id": "a", "text": "x", "source": ["s"]}', "'source' must be a string or null"),
    ],
    ids=["bad-json", "not-object", "no-id", "blank-id", "bool-id", "no-text", "text-num", "source"],
)
def test_malformed_jsonl_line_names_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = _write(tmp_path / "feed.jsonl", '{"id": "ok", "text": "Fine."}\n\n' + line + "\n")
    with pytest.raises(InputError, match=rf"feed\.jsonl:3: {message}"):
        _read(path)


def test_duplicate_ids_name_both_places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path / "corpus" / "a.txt", "One story.")
    records = '{"id": "x", "text": "Two."}\n{"id": "corpus/a.txt", "text": "Three."}\n'
    _write(tmp_path / "feed.jsonl", records)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match=r"duplicate article id 'corpus/a\.txt'") as err:
        _read("corpus", "feed.jsonl")
    assert str(err.value).startswith("feed.jsonl:2: ")
    assert "first seen at corpus/a.txt" in str(err.value)


def test_folder_without_text_files_is_an_error(tmp_path: Path) -> None:
    _write(tmp_path / "data" / "table.csv", "a,b")
    with pytest.raises(
        InputError,
        match=r"data: folder has no \.txt, \.md, \.jsonl, \.html, \.htm, \.warc or \.warc\.gz ",
    ):
        _read(tmp_path / "data")


def test_stdin_twice_is_an_error() -> None:
    with pytest.raises(InputError, match="given twice"):
        _read("-", "-", stdin=io.StringIO("Some text."))


# -- documented skips --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", "", r"empty\.txt: no text"),
        ("blank.md", "\ufeff \r\n\t\n", r"blank\.md: no text"),
        ("dashes.txt", "--- *** ---\n", r"dashes\.txt: no words"),
        ("feed.jsonl", '{"id": "e", "text": "  "}\n', r"feed\.jsonl:1: no text"),
        ("feed.jsonl", '{"id": "e", "text": "!!!"}\n', r"feed\.jsonl:1: no words"),
        ("feed.jsonl", "\n \n", r"feed\.jsonl: no JSONL records"),
    ],
    ids=["empty", "whitespace", "no-words", "jsonl-empty-text", "jsonl-no-words", "jsonl-blank"],
)
def test_input_without_words_is_skipped_with_a_message(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    bad = _write(tmp_path / name, content)
    good = _write(tmp_path / "good.txt", TEXT)
    skipped: list[str] = []
    articles = read_articles([bad, good], on_skip=skipped.append)
    assert [a.id for a in articles] == [str(good)]
    assert len(skipped) == 1
    assert re.search(message, skipped[0])


def test_skipped_articles_do_not_claim_their_id(tmp_path: Path) -> None:
    feed = _write(tmp_path / "f.jsonl", '{"id": "a", "text": ""}\n{"id": "a", "text": "Real."}\n')
    assert _read(feed) == [Article("a", "Real.")]


# -- writers -----------------------------------------------------------------------------------

A_TEXT = "Intro. The bridge is closed for repairs."
B_TEXT = "The bridge is closed for repairs. More later."
PASSAGE = Passage("a", 7, 40, "b", 0, 33, 1.0, "verbatim", 1)


def _report() -> Report:
    coverage = (
        Coverage("a", len(A_TEXT), 33, 0.825, Shares({"b": 0.825})),
        Coverage("b", len(B_TEXT), 33, 0.7333, Shares({"a": 0.7333})),
    )
    return Report((PASSAGE,), coverage, DEFAULT_PARAMS, "9.9.9", (("articles", 2),))


ARTICLES = [Article("a", A_TEXT), Article("b", B_TEXT)]


def test_passage_record_snippets_slice_the_texts() -> None:
    record = passage_record(PASSAGE, A_TEXT, B_TEXT)
    assert tuple(record) == PASSAGE_FIELDS
    assert record["a_snippet"] == A_TEXT[7:40] == record["b_snippet"]


def test_scan_jsonl_has_meta_first_then_passages_then_coverage() -> None:
    out = io.StringIO()
    write_scan_jsonl(_report(), ARTICLES, out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["type"] for r in records] == ["meta", "passage", "coverage", "coverage"]
    assert records[0]["version"] == "9.9.9"
    assert records[0]["params"] == DEFAULT_PARAMS.to_dict()
    assert records[0]["stats"] == {"articles": 2}
    assert records[1]["b_snippet"] == B_TEXT[0:33]
    assert records[2]["by_article"] == {"b": 0.825}


def test_scan_jsonl_writes_non_ascii_text_as_is() -> None:
    text = "Café “quotes” — the bridge is closed."
    passage = Passage("a", 0, len(text), "a", 0, len(text), 1.0, "verbatim")
    out = io.StringIO()
    write_scan_jsonl(Report((passage,), (), DEFAULT_PARAMS, "1"), [Article("a", text)], out)
    assert text in out.getvalue()


def test_scan_csv_has_a_header_and_one_row_per_passage() -> None:
    out = io.StringIO(newline="")
    write_scan_csv(_report(), ARTICLES, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert len(rows) == 1
    assert tuple(rows[0]) == CSV_FIELDS
    assert rows[0]["a_snippet"] == A_TEXT[7:40]
    assert rows[0]["kind"] == "verbatim"
    assert rows[0]["cluster"] == rows[0]["cluster_origin"] == ""  # two articles: no cluster


def test_scan_csv_names_each_passage_s_cluster_and_origin_as_the_jsonl_does() -> None:
    story = "The harbour bridge will close for repairs on Monday, the council said."
    docs = [
        Article("late", f"Briefly. {story}", date="2024-03-03"),
        Article("wire", story, date="2024-03-01"),
        Article("copy", f"{story} More soon.", date="2024-03-02"),
        Article("other", "A new library opened in the town centre on Friday morning."),
    ]
    report = dedup.scan(docs)
    out = io.StringIO(newline="")
    write_scan_csv(report, docs, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert len(rows) == len(report.passages) == 2  # each copy linked to the wire
    assert {(r["cluster"], r["cluster_origin"]) for r in rows} == {("1", "wire")}
    jsonl = io.StringIO()
    write_scan_jsonl(report, docs, jsonl)
    [cluster] = [json.loads(x) for x in jsonl.getvalue().splitlines() if '"cluster"' in x]
    assert (cluster["cluster"], cluster["origin"]) == (1, "wire")
    assert {r["b_id"] for r in rows} | {r["a_id"] for r in rows} == {"late", "wire", "copy"}


def test_scan_text_shows_offsets_snippets_and_coverage() -> None:
    out = io.StringIO()
    write_scan_text(_report(), ARTICLES, out)
    text = out.getvalue()
    assert "#1 verbatim  score 1.000" in text
    assert "a [7:40]" in text
    assert "b [0:33]" in text
    assert "The bridge is closed for repairs." in text
    assert "a: 82.5% reused (33 of 40 chars); with b 82.5%" in text


def test_comparison_record_names_the_two_texts() -> None:
    report = _report()
    c = Comparison((PASSAGE,), *report.coverage, DEFAULT_PARAMS, "9.9.9")
    record = comparison_record(c, A_TEXT, B_TEXT, a_id="old.txt", b_id="new.txt")
    assert record["version"] == "9.9.9"
    assert record["params"] == DEFAULT_PARAMS.to_dict()
    [p] = record["passages"]
    assert (p["a_id"], p["b_id"]) == ("old.txt", "new.txt")
    assert p["a_snippet"] == A_TEXT[7:40]
    assert record["a_coverage"]["id"] == "old.txt"
    assert record["b_coverage"]["by_article"] == {"old.txt": 0.7333}
    json.dumps(record)


def test_comparison_text_names_the_two_texts() -> None:
    report = _report()
    c = Comparison((PASSAGE,), *report.coverage, DEFAULT_PARAMS, "9.9.9")
    out = io.StringIO()
    write_comparison_text(c, A_TEXT, B_TEXT, out, a_id="old.txt", b_id="new.txt")
    assert "1 passage of old.txt in new.txt" in out.getvalue()
    assert "new.txt: 73.3% reused (33 of 45 chars); with old.txt 73.3%" in out.getvalue()


def test_scan_summary_counts_kinds_largest_first() -> None:
    passages = (
        PASSAGE,
        Passage("a", 0, 5, "b", 0, 5, 0.7, "paraphrase"),
        Passage("a", 9, 20, "b", 9, 20, 0.6, "paraphrase"),
    )
    report = Report(passages, _report().coverage, DEFAULT_PARAMS, "1", (("sentences", 1),))
    assert scan_summary(report) == (
        "2 articles, 1 sentence, 3 passages (2 paraphrase, 1 verbatim), 2 articles with reuse"
    )

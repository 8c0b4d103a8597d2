"""Ids (one file, one id, however its path is typed), encodings with exact offsets, and origins."""

from __future__ import annotations

import codecs
import io
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from dedup import Article, InputError
from dedup.cli import cli
from dedup.inputs import Origin, file_id, read_articles

STORY = "The council closed the harbour bridge. Engineers found cracks in its supports."
SHARED = (
    "The city council voted on Tuesday to close the old harbour bridge for repairs. "
    "Engineers found deep cracks in two of its steel supports during a routine inspection."
)


def _write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A current directory holding ``arts/wire.txt``."""
    _write(tmp_path / "arts" / "wire.txt", STORY)
    monkeypatch.chdir(tmp_path)
    return tmp_path


# -- ids ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["arts/wire.txt", "./arts/wire.txt", "arts/../arts/wire.txt", "{abs}/arts/wire.txt", "arts"],
    ids=["relative", "dot", "dot-dot", "absolute", "folder"],
)
def test_one_file_one_id_however_its_path_is_typed(here: Path, typed: str) -> None:
    [article] = read_articles([typed.format(abs=here)])
    assert article == Article("arts/wire.txt", STORY)


def test_a_folder_and_a_file_in_it_read_the_file_once_with_a_note(here: Path) -> None:
    skipped: list[str] = []
    articles = read_articles(["arts", "arts/wire.txt"], on_skip=skipped.append)
    assert [a.id for a in articles] == ["arts/wire.txt"]
    assert skipped == [
        "arts/wire.txt: already read (id 'arts/wire.txt'); the same file is read once"
    ]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_a_link_to_a_file_read_already_is_read_once(here: Path) -> None:
    Path("latest.txt").symlink_to(here / "arts" / "wire.txt")
    skipped: list[str] = []
    articles = read_articles(["arts", "latest.txt"], on_skip=skipped.append)
    assert [a.id for a in articles] == ["arts/wire.txt"]  # the real path names it
    assert skipped == ["latest.txt: already read (id 'arts/wire.txt'); the same file is read once"]


def test_same_names_in_two_folders_do_not_collide(here: Path) -> None:
    _write(here / "siteA" / "story.txt", "Site A tells the story one way.")
    _write(here / "siteB" / "story.txt", "Site B tells it another way.")
    articles = read_articles(["siteA", "siteB"])
    assert [a.id for a in articles] == ["siteA/story.txt", "siteB/story.txt"]


def test_a_file_outside_the_current_directory_has_its_absolute_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = _write(tmp_path / "elsewhere" / "a.txt", STORY)
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    [article] = read_articles(["../elsewhere/a.txt"])
    assert article.id == Path(os.path.realpath(outside)).as_posix()
    assert article.id == file_id(outside)
    assert Path(article.id).is_absolute()


def test_jsonl_records_keep_their_ids_in_a_folder(here: Path) -> None:
    _write(here / "arts" / "feed.jsonl", json.dumps({"id": "wire.txt", "text": "Another."}))
    assert [a.id for a in read_articles(["arts"])] == ["wire.txt", "arts/wire.txt"]


def test_scan_of_a_folder_and_a_file_in_it_sees_one_article(here: Path) -> None:
    result = CliRunner().invoke(cli, ["scan", "arts", "arts/wire.txt"])
    assert result.exit_code == 0, result.output
    ids = [r["id"] for r in map(json.loads, result.stdout.splitlines()) if r["type"] == "coverage"]
    assert ids == ["arts/wire.txt"]
    assert "warning: arts/wire.txt: already read" in result.stderr


def test_check_of_a_file_finds_the_article_indexed_from_its_folder(here: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["index", "add", "idx.db", "arts"]).exit_code == 0
    # The same id: the article is the indexed one, not a copy of it.
    result = runner.invoke(cli, ["check", "./arts/wire.txt", "--index", "idx.db"])
    assert result.exit_code == 0, result.output
    assert "PASS arts/wire.txt: 0.0% reused" in result.stdout


# -- encodings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
    ids=["utf16-le", "utf16-be", "utf32-le", "utf32-be"],
)
def test_utf16_and_utf32_with_a_bom_are_decoded_without_it(
    tmp_path: Path, bom: bytes, codec: str
) -> None:
    text = "Résumé: “quotes” and 🚢 survive.\r\nSecond line."
    path = _write(tmp_path / "wide.txt", bom + text.encode(codec))
    [article] = read_articles([path])
    assert article.text == text
    # The same text Python reads with the codec named by the BOM.
    assert article.text == path.open(encoding=codec[:6], newline="").read()


def test_invalid_utf16_names_file_and_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "cut.txt", codecs.BOM_UTF16_LE + "One.\nTwo.".encode("utf-16-le") + b"\x00\xd8"
    )
    with pytest.raises(InputError, match=r"cut\.txt:2: not valid UTF-16"):
        read_articles([path])


def test_nul_bytes_without_a_bom_are_still_binary(tmp_path: Path) -> None:
    path = _write(tmp_path / "blob.txt", b"Text\x00\x00with NULs")
    with pytest.raises(InputError, match=r"blob\.txt: file looks binary"):
        read_articles([path])


def test_offsets_index_each_file_as_python_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One shared passage in a UTF-8 file with a BOM and in a UTF-16 file (BOM dropped).
    bom8 = _write(tmp_path / "bom8.txt", "\ufeffIntro line.\r\n" + SHARED + "\r\n")
    wide = _write(tmp_path / "wide.txt", ("Other intro.\n" + SHARED + "\n").encode("utf-16"))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["scan", "bom8.txt", "wide.txt", "--no-within"])
    assert result.exit_code == 0, result.output
    [p] = [r for r in map(json.loads, result.stdout.splitlines()) if r["type"] == "passage"]
    start = len("\ufeffIntro line.\r\n")  # the BOM is character 0
    assert (p["a_id"], p["a_start"], p["a_end"]) == ("bom8.txt", start, start + len(SHARED))
    assert (p["b_id"], p["b_start"], p["b_end"]) == ("wide.txt", 13, 13 + len(SHARED))
    a_text = bom8.open(encoding="utf-8", newline="").read()
    b_text = wide.open(encoding="utf-16", newline="").read()
    assert p["a_snippet"] == a_text[p["a_start"] : p["a_end"]] == SHARED
    assert p["b_snippet"] == b_text[p["b_start"] : p["b_end"]] == SHARED


def test_a_bom_alone_is_an_empty_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "bom.txt", "\ufeff\n")
    skipped: list[str] = []
    assert read_articles([path], on_skip=skipped.append) == []
    assert skipped == [f"{path}: no text (empty or only whitespace), skipped"]


def test_jsonl_with_a_bom_is_read(tmp_path: Path) -> None:
    path = _write(tmp_path / "f.jsonl", "\ufeff" + json.dumps({"id": "a", "text": "One."}))
    assert read_articles([path]) == [Article("a", "One.")]
    stdin = io.TextIOWrapper(io.BytesIO(path.read_bytes()), encoding="utf-8")
    assert read_articles(["-"], stdin=stdin) == [Article("a", "One.")]


# -- origins -----------------------------------------------------------------------------------


def test_origins_name_the_file_and_the_jsonl_line(here: Path) -> None:
    _write(
        here / "feed.jsonl", '\n{"id": "f1", "text": "First."}\n\n{"id": "f2", "text": "Two."}\n'
    )
    origins: dict[str, Origin] = {}
    stdin = io.StringIO('{"id": "s1", "text": "One."}\n\n\n{"id": "s2", "text": "Four."}\n')
    read_articles(["arts", "feed.jsonl", "-"], stdin=stdin, origins=origins)
    assert origins == {
        "arts/wire.txt": Origin("arts/wire.txt"),
        "f1": Origin("feed.jsonl", 2, whole_file=False),
        "f2": Origin("feed.jsonl", 4, whole_file=False),
        "s1": Origin("-", 1, whole_file=False),
        "s2": Origin("-", 4, whole_file=False),
    }


def test_github_annotations_for_stdin_point_at_each_records_line(here: Path) -> None:
    runner = CliRunner()
    _write(here / "pub" / "bridge.txt", SHARED)
    assert runner.invoke(cli, ["index", "add", "idx.db", "pub"]).exit_code == 0
    feed = "\n".join(
        [
            json.dumps({"id": "n1", "text": "Nothing of the kind was seen at the harbour today."}),
            "",
            json.dumps({"id": "n2", "text": "Officials said: " + SHARED}),
            json.dumps({"id": "n3", "text": "Reporters wrote that " + SHARED}),
        ]
    )
    result = runner.invoke(
        cli, ["check", "-", "--index", "idx.db", "--format", "github"], input=feed
    )
    assert result.exit_code == 1, result.output
    lines = {
        line.split("::")[2].split(":")[0]: line
        for line in result.stdout.splitlines()
        if "over budget::" in line
    }
    assert "file=-,line=3," in lines["n2"]
    assert "file=-,line=4," in lines["n3"]

"""Tests of scripts/make_corpus.py: determinism, ground truth, valid dedup input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rapidfuzz import fuzz
from script_loader import load_script

import dedup
from dedup.io import read_articles

mc = load_script("make_corpus")


@pytest.fixture(scope="module")
def topics() -> list[Any]:
    return mc.load_topics()  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def corpus(topics: list[Any]) -> tuple[list[dict[str, str]], list[dict[str, Any]]]:
    return mc.generate(300, 5, topics=topics)  # type: ignore[no-any-return]


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _overlap(span: tuple[int, int], start: int, end: int) -> bool:
    return span[0] < end and start < span[1]


def test_same_seed_same_bytes_other_seed_other_text(tmp_path: Path) -> None:
    paths = [tmp_path / f"{name}.jsonl" for name in ("one", "two", "three")]
    for path, seed in zip(paths, ("4", "4", "5"), strict=True):
        assert mc.main(["80", str(path), "--seed", seed]) == 0
    one, two, three = (p.read_bytes() for p in paths)
    assert one == two
    assert mc.truth_path(paths[0]).read_bytes() == mc.truth_path(paths[1]).read_bytes()
    assert one != three
    assert mc.truth_path(paths[0]).name == "one.truth.jsonl"


def test_written_corpus_is_valid_dedup_input(tmp_path: Path) -> None:
    out = tmp_path / "c.jsonl"
    assert mc.main(["150", str(out), "--seed", "2"]) == 0
    records = _read_jsonl(out)
    articles = read_articles([out])
    assert [a.id for a in articles] == [r["id"] for r in records]
    assert len(articles) == 150
    assert len({a.id for a in articles}) == 150
    assert all(a.source and a.date for a in articles)
    dates = [a.date for a in articles]
    assert dates == sorted(dates)
    truth = _read_jsonl(mc.truth_path(out))
    assert truth
    ids = {a.id for a in articles}
    assert all(t["a_id"] in ids and t["b_id"] in ids for t in truth)


def test_articles_are_news_sized(corpus: tuple[list[dict[str, str]], list[dict[str, Any]]]) -> None:
    articles, _ = corpus
    sizes = [len(a["text"].split()) for a in articles]
    assert 500 <= sum(sizes) / len(sizes) <= 750
    assert min(sizes) >= 250
    assert all("\n\n" in a["text"] for a in articles)


def test_truth_spans_index_the_reused_text(
    corpus: tuple[list[dict[str, str]], list[dict[str, Any]]],
) -> None:
    articles, truth = corpus
    texts = {a["id"]: a["text"] for a in articles}
    order = {a["id"]: n for n, a in enumerate(articles)}
    assert {t["kind"] for t in truth} == {"verbatim", "light-edit", "near-duplicate"}
    for t in truth:
        a_text, b_text = texts[t["a_id"]], texts[t["b_id"]]
        assert order[t["a_id"]] < order[t["b_id"]]
        assert 0 <= t["a_start"] < t["a_end"] <= len(a_text)
        assert 0 <= t["b_start"] < t["b_end"] <= len(b_text)
        source = a_text[t["a_start"] : t["a_end"]]
        reused = b_text[t["b_start"] : t["b_end"]]
        assert source == source.strip()
        assert reused == reused.strip()
        if t["kind"] == "verbatim":
            assert reused == source
        else:
            assert reused != source
            assert fuzz.ratio(source, reused) >= 80, t


def test_reuse_shares(corpus: tuple[list[dict[str, str]], list[dict[str, Any]]]) -> None:
    articles, truth = corpus
    reusers = {t["b_id"] for t in truth if t["kind"] != "near-duplicate"}
    near = {t["b_id"] for t in truth if t["kind"] == "near-duplicate"}
    assert 0.06 <= len(reusers) / len(articles) <= 0.2
    assert 0.005 <= len(near) / len(articles) <= 0.06
    assert not reusers & near


def test_fresh_sentences_do_not_repeat(topics: list[Any]) -> None:
    stats = mc.Stats()
    mc.generate(200, 1, topics=topics, stats=stats)
    report = stats.report()
    assert report["fresh_sentences"] > 4000
    assert report["repeated_rate"] < 0.005
    assert report["sharing_8_word_run_rate"] < 0.02


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["many", "{dir}/c.jsonl"], "N must be a whole number"),
        (["0", "{dir}/c.jsonl"], "N must be between"),
        (["10", "{dir}/c.txt"], "OUT must end in .jsonl"),
        (["10", "{dir}/missing/c.jsonl"], "no such folder"),
        (["10", "{dir}/exists.jsonl"], "exists; use --force"),
    ],
)
def test_user_errors_exit_2_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    (tmp_path / "exists.jsonl").write_text("keep\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        mc.main([a.format(dir=tmp_path) for a in args])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
    assert (tmp_path / "exists.jsonl").read_text(encoding="utf-8") == "keep\n"


def test_force_overwrites(tmp_path: Path) -> None:
    out = tmp_path / "c.jsonl"
    out.write_text("old\n", encoding="utf-8")
    assert mc.main(["5", str(out), "--force"]) == 0
    assert len(_read_jsonl(out)) == 5


def test_dedup_finds_most_planted_verbatim_copies(topics: list[Any]) -> None:
    records, truth = mc.generate(60, 3, topics=topics)
    articles = [dedup.Article(r["id"], r["text"], source=r["source"]) for r in records]
    report = dedup.scan(articles)
    spans: dict[frozenset[str], list[dedup.Passage]] = {}
    for p in report.passages:
        spans.setdefault(frozenset((p.a_id, p.b_id)), []).append(p)

    def found(t: dict[str, Any]) -> bool:
        for p in spans.get(frozenset((t["a_id"], t["b_id"])), []):
            a, b = (p.a_start, p.a_end), (p.b_start, p.b_end)
            if p.a_id != t["a_id"]:
                a, b = b, a
            if _overlap(a, t["a_start"], t["a_end"]) and _overlap(b, t["b_start"], t["b_end"]):
                return True
        return False

    verbatim = [t for t in truth if t["kind"] == "verbatim"]
    assert len(verbatim) >= 3
    assert sum(map(found, verbatim)) >= 0.7 * len(verbatim)

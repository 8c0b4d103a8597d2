from __future__ import annotations

import unicodedata

import pytest

from dedup.normalize import (
    STOP_WORDS,
    content_stems,
    fold,
    normalize_word,
    stem,
    word_spans,
    words,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello World", "hello world"),
        ("İstanbul", "İstanbul"),  # 'İ'.lower() has two characters: kept as is
        ("Straße STRASSE", "straße strasse"),
        ("ẞ", "ß"),
        ("ΣΟΦΊΑ", "σοφία"),
        ("Café 😀 👍🏽 done", "café 😀 👍🏽 done"),
        ("שלום עולם مرحبا", "שלום עולם مرحبا"),
        ("中文字符 日本語 한국어", "中文字符 日本語 한국어"),
        ("Cafe\u0301 nai\u0308ve", "cafe\u0301 nai\u0308ve"),
        ("ﬁne Ⅻ", "ﬁne ⅻ"),
    ],
    ids=[
        "ascii",
        "dotted-I",
        "sharp-s",
        "capital-sharp-s",
        "greek",
        "emoji",
        "rtl",
        "cjk",
        "combining-marks",
        "compatibility-chars",
    ],
)
def test_fold_lowercases_and_keeps_length(text: str, expected: str) -> None:
    folded = fold(text)
    assert folded == expected
    assert len(folded) == len(text)


_NAMES = {"'": "apostrophe", '"': "quote", "-": "hyphen", " ": "space"}


def _each(chars: str, to: str) -> list[object]:
    return [pytest.param(c, to, id=f"U+{ord(c):04X}-to-{_NAMES[to]}") for c in chars]


@pytest.mark.parametrize(
    ("char", "expected"),
    [
        *_each("\u2018\u2019\u201a\u201b\u2032\u02bc`\u00b4", "'"),
        *_each("“”„‟″«»", '"'),
        *_each("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
        *_each("\t\n\r\u00a0\u2028\u3000", " "),
    ],
)
def test_fold_maps_quotes_dashes_and_spaces(char: str, expected: str) -> None:
    assert fold(char) == expected


def test_fold_keeps_offsets_of_a_news_sentence() -> None:
    text = "“U.S. officials” — said Mr. Blinken\u2019s aide\u00a0on Monday."
    folded = fold(text)
    assert folded == '"u.s. officials" - said mr. blinken\'s aide on monday.'
    assert len(folded) == len(text)
    start = text.index("Blinken")
    assert folded[start : start + 7] == "blinken"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("U.S. officials — “oppose” it.", ("u", "s", "officials", "oppose", "it")),
        ("Netanyahu\u2019s plan", ("netanyahu's", "plan")),
        ("Netanyahu's plan", ("netanyahu's", "plan")),
        ("rock \u02bcn roll", ("rock", "'n", "roll")),
        ("cease-fire deal", ("cease", "fire", "deal")),
        ("47 percent, 1,200 people", ("47", "percent", "1", "200", "people")),
        ("Straße", ("strasse",)),
        ("ﬁne", ("fine",)),
        ("😀 emoji!", ("emoji",)),
        ("中文字符 مرحبا", ("中文字符", "مرحبا")),
        ("", ()),
        ("— … !", ()),
    ],
    ids=[
        "abbreviation-and-quotes",
        "curly-apostrophe",
        "straight-apostrophe",
        "modifier-apostrophe",
        "hyphen-splits",
        "numbers",
        "sharp-s-casefolds",
        "ligature-nfkc",
        "emoji-not-a-word",
        "cjk-and-arabic",
        "empty",
        "punctuation-only",
    ],
)
def test_words(text: str, expected: tuple[str, ...]) -> None:
    assert words(text) == expected


def test_word_spans_slice_the_tokens_that_words_normalises() -> None:
    text = "“Mr. Blinken\u2019s” trip — 47 percent."
    spans = word_spans(text)
    assert [text[s:e] for s, e in spans] == ["Mr", "Blinken\u2019s", "trip", "47", "percent"]
    assert tuple(normalize_word(text[s:e]) for s, e in spans) == words(text)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Netanyahu\u2019s", "netanyahu's"),
        ("Netanyahu\u02bcs", "netanyahu's"),
        ("OFFICIALS", "officials"),
        ("Straße", "strasse"),
        ("ﬁne", "fine"),
        ("Ⅻ", "xii"),
        ("cafe\u0301", "caf\u00e9"),  # NFKC composes the combining accent
    ],
    ids=[
        "curly-apostrophe",
        "modifier-apostrophe",
        "upper",
        "sharp-s",
        "ligature",
        "roman-numeral",
        "nfkc-composes",
    ],
)
def test_normalize_word(word: str, expected: str) -> None:
    assert normalize_word(word) == expected


@pytest.mark.parametrize("word", ["naïve", "café", "Bogotá"], ids=["naive", "cafe", "bogota"])
def test_words_equal_for_composed_and_decomposed_text(word: str) -> None:
    nfc = unicodedata.normalize("NFC", word)
    nfd = unicodedata.normalize("NFD", word)
    assert nfc != nfd
    assert words(nfd) == words(nfc) == (normalize_word(nfc),)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("invading", "invad"),
        ("invasion", "invas"),
        ("officials", "offici"),
        ("running", "run"),
        ("runs", "run"),
        ("ponies", "poni"),
        ("hostages", "hostag"),
        ("rafah", "rafah"),
    ],
)
def test_stem_is_snowball_english(word: str, expected: str) -> None:
    assert stem(word) == expected


def test_content_stems_drop_stop_words_and_keep_order() -> None:
    tokens = words("The officials said they oppose the invasion of Rafah, Mr. Miller says.")
    assert content_stems(tokens) == ["offici", "oppos", "invas", "rafah", "miller"]


def test_stop_words_are_normalised_words() -> None:
    assert all(normalize_word(w) == w and words(w) == (w,) for w in STOP_WORDS)
    assert {"the", "said", "says", "mr"} <= STOP_WORDS

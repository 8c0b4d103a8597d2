"""Make a reproducible news-like corpus with planted text reuse, and its ground truth.

    python scripts/make_corpus.py 1000 corpus.jsonl               # corpus.truth.jsonl beside it
    python scripts/make_corpus.py 50000 big.jsonl --seed 7 --force --stats

Writes two files:

* ``OUT`` (must end in ``.jsonl``): the corpus in dedup's input format, one article a line,
  ``{"id": "a000123", "text": ..., "source": "Metro Wire", "date": "2023-04-05"}``. Ids follow
  input order, and dates never go down with it.
* ``OUT`` with ``.jsonl`` replaced by ``.truth.jsonl`` (``corpus.truth.jsonl``): one line per
  planted reuse, ``{"a_id", "a_start", "a_end", "b_id", "b_start", "b_end", "kind"}``, where
  ``text_a[a_start:a_end]`` is the source passage in the earlier article ``a_id`` and
  ``text_b[b_start:b_end]`` its reuse in the later article ``b_id`` (character offsets).
  ``kind`` is ``verbatim`` (an exact copy), ``light-edit`` (the copy has a few word
  substitutions, deletions, insertions and swaps in each sentence), ``rewording`` (with
  ``--rewordings``: about a fifth of each sentence's words replaced, dropped, inserted and
  swapped, like PAN's random obfuscation), ``summary`` (with ``--summaries``: 6-9 sentences
  condensed, each three into one sentence made of a run of about a third of the words of
  each), ``near-duplicate`` (article b is all of article a, lightly edited, perhaps with a new
  first or last paragraph; the spans cover the whole text the two share) or ``syndication``
  (with ``--syndication``: the same, b one of the many copies of the syndicated story a; the
  copies of one story also share text with each other, which the truth does not list: a
  scorer takes the pairs of a story's copies as pairs that share text). Two articles may share
  several lines (several passages).

The same N and seed give byte-identical files with the same Python version (the text comes from
that Python's standard library). Nothing is downloaded.

Text. Sentences of real English are taken from the docstrings and comments of this Python's
standard library and from its help topics (``pydoc_data``), and grouped into topics by module
(small modules pooled). Each article draws all its own sentences from one topic, so articles of
a topic share vocabulary. Each sentence is new: it starts like a real sentence of the topic and
goes on by runs of 2-5 words, jumping after each run, at a word that occurs several times in the
topic, to another place where that word occurs; then 60 % of its content words are replaced by
other words of the topic of the same rough class (capitalised, or by suffix: "-ing", "-ed", "-s",
...). Function words and punctuation stay, so the text keeps the rhythm of English prose without
its sense.

No accidental reuse. Each new sentence is compared, as words (lower-cased, punctuation stripped
from their ends), with the new sentences of all earlier articles: if it shares a run of 8 words
with one, or if both have at most 20 words and are at most 2 word edits apart (substitutions,
insertions, deletions), it is thrown away and another one made, up to 20 times, after which the
last one is kept and counted. Two sentences one edit apart always fail: with over 20 words they
share a run of 8. Planted copies are not compared, and sentences of the same article may repeat
each other. ``--stats`` counts the sentences made again, and measures, independently of the
rule, how often a new sentence equals one of another article or shares a run of 8 words with one.

Planted reuse. About 12 % of articles copy 1-5 passages of 2-8 consecutive sentences, each from
an earlier article, verbatim or lightly edited, as paragraphs of their own between their own
paragraphs; about 2.5 % are near-duplicates of an earlier article. With ``--rewordings S``, a
share S of the copied passages are reworded instead (the default, 0, makes the same corpus as
before the option); with ``--summaries S``, a share S are summaries (made from longer
runs). With ``--syndication K``, K plain articles of the first quarter are syndicated
stories, each copied into about 200 later articles, lightly edited as near-duplicates are
(none of them is a source of other reuse). Sources are articles without
reuse of their own, a sentence is copied at most once, and an article that is near-duplicated is
copied from nowhere else: so the truth file lists every pair of articles that share text.
"""

from __future__ import annotations

import argparse
import bisect
import datetime
import functools
import hashlib
import importlib
import itertools
import json
import os
import re
import string
import sys
import sysconfig
import time
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from random import Random

import numpy as np
import numpy.typing as npt
from rapidfuzz.distance import Levenshtein

TRUTH_SUFFIX = ".truth.jsonl"
SOURCES = (
    "Metro Wire",
    "Daily Courier",
    "Valley Herald",
    "Coastal Times",
    "Evening Post",
    "Capital Review",
    "Harbour Gazette",
    "Northern Ledger",
)
FIRST_DATE = datetime.date(2023, 1, 1)
DAYS = 730  # dates run over two years, in id order
REUSE_SHARE = 0.12  # articles that copy passages
NEAR_DUP_SHARE = 0.025  # articles that are near-duplicates
SYNDICATED_COPIES = 200  # copies of each syndicated story (--syndication)
SUMMARY_GROUP = 3  # source sentences a planted summary condenses into one sentence
SUMMARY_SHARE = 0.3  # of each source sentence's words, a run of which the summary keeps
MIN_TOPIC = 300  # sentences in a topic; smaller modules are pooled
MIN_PIVOT_USES = 3  # a word must occur this often in a topic to be jumped at
MAX_TAIL = 8  # words a sentence may end with from one real sentence
MAX_WORDS = 45  # past this, a sentence ends at the next place it can
REPLACE = 0.6  # share of a new sentence's content words replaced by other words of the topic
RUN = 8  # a new sentence may share no run of this many words with another article's
SHORT = 20  # nor, when both have at most this many words, be within EDITS word edits of one
EDITS = 2
TRIES = 20  # sentences made in place of one that fails, before the last one is kept
SUFFIXES = ("ing", "ed", "ly", "tion", "ness", "ment", "able", "al", "er", "es", "s")
_FUNCTION_WORDS = """
    a about above after again against all also an and any are as at be because been before being
    below between both but by can cannot could did do does doing down during each either else
    even ever every few for from further had has have having he her here hers him his how
    however i if in into is it its itself just least less may might more most much must my
    neither never no nor not now of off on once one only or other otherwise our out over own per
    rather same she should since so some such than that the their them then there these they
    this those though through thus to too two under unless until up upon us very via was we were
    what whatever when where whether which while who whom whose why will with within without
    would yet you your
"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS.split())
SKIP_PARTS = frozenset({"site-packages", "test", "tests", "idle_test", "__pycache__", "this.py"})

_DOC = re.compile(r'"""(.*?)"""|\'\'\'(.*?)\'\'\'|((?:^[ \t]*#[^\n]*\n)+)', re.S | re.M)
_COMMENT_MARK = re.compile(r"^[ \t]*#+ ?", re.M)
_PARAGRAPH = re.compile(r"\n\s*\n")
_SENTENCE_END = re.compile(r"(?<=[a-z][.!?])\s+(?=[A-Z])")
_TOKEN = re.compile(r"(?:[A-Za-z]+(?:['-][A-Za-z]+)*|[0-9]+)[,;:]?")
_LAST = re.compile(r"[A-Za-z]+(?:['-][A-Za-z]+)*\.")
_VOCAB = re.compile(r"[a-z]{3,}")


def truth_path(out: Path) -> Path:
    """The ground-truth file that goes with corpus ``out`` (``x.jsonl`` -> ``x.truth.jsonl``)."""
    return out.with_name(out.name.removesuffix(".jsonl") + TRUTH_SUFFIX)


# -- the sentence pool -----------------------------------------------------------------------


def _key(token: str) -> str:
    return token.rstrip(",;:.").lower()


def word_class(word: str) -> str:
    """The class a content word is replaced within ("" for a function word or a number).

    Capitalised words form one class; others are classed by suffix ("ing", "ed", "s", ...), so
    a replacement keeps roughly the same grammatical role.
    """
    if not word[0].isalpha() or "'" in word or word.lower() in FUNCTION_WORDS:
        return ""
    if word[0].isupper():
        return "C"
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return suffix
    return "w"


def _good(tokens: list[str]) -> bool:
    """A plain prose sentence: 6-40 words, no code, a capital first and a full stop last."""
    return (
        6 <= len(tokens) <= 40
        and tokens[0][0].isupper()
        and _LAST.fullmatch(tokens[-1]) is not None
        and all(_TOKEN.fullmatch(t) for t in tokens[:-1])
    )


def _sentences(text: str) -> list[tuple[str, ...]]:
    found = []
    for paragraph in _PARAGRAPH.split(text):
        for sentence in _SENTENCE_END.split(" ".join(paragraph.split())):
            tokens = sentence.split()
            if tokens and _good(tokens):
                found.append(tuple(tokens))
    return found


@functools.cache
def read_pool() -> dict[str, list[tuple[str, ...]]]:
    """Real sentences (as tokens) by module, from the standard library's docstrings and comments.

    Each sentence appears once, under the first module (in path order) that has it. The result
    is cached (read once per process); do not change it.
    """
    root = Path(sysconfig.get_paths()["stdlib"])
    groups: dict[str, list[tuple[str, ...]]] = {}
    seen: set[tuple[str, ...]] = set()

    def add(group: str, text: str) -> None:
        for sentence in _sentences(text):
            if sentence not in seen:
                seen.add(sentence)
                groups.setdefault(group, []).append(sentence)

    files = sorted(
        (p.relative_to(root).as_posix(), p)
        for p in root.rglob("*.py")
        if not SKIP_PARTS & set(p.relative_to(root).parts)  # this.py: the Zen in rot13
    )
    for rel, path in files:
        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        group = rel.split("/")[0].removesuffix(".py")
        for m in _DOC.finditer(source):
            double, single, comments = m.groups()
            if comments is not None:
                add(group, _COMMENT_MARK.sub("", comments))
            else:
                add(group, double if double is not None else single)
    try:
        help_topics: dict[str, str] = importlib.import_module("pydoc_data.topics").topics
    except ImportError:  # pragma: no cover - a Python without its help topics
        help_topics = {}
    for name in sorted(help_topics):
        add("language reference", help_topics[name])
    return groups


Sentence = tuple[list[str], list[int]]  # a sentence's tokens, and the numbers of their words


class Vocabulary:
    """Words, numbered as met: a word is a token lower-cased, punctuation stripped from its ends.

    Each word has 64 random bits too (from its blake2b digest, so they do not depend on the order
    words are met in), for the hashes of Originality.
    """

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}
        self.bits = array("Q")
        self._values: npt.NDArray[np.uint64] = np.zeros(0, dtype=np.uint64)

    def number(self, token: str) -> int:
        word = token.strip(string.punctuation).lower()
        number = self.numbers.get(word)
        if number is None:
            number = self.numbers[word] = len(self.bits)
            digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
            self.bits.append(int.from_bytes(digest, "little"))
        return number

    def sentence(self, text: str) -> Sentence:
        """A sentence's tokens (split at spaces) and the numbers of their words."""
        tokens = text.split()
        return tokens, [self.number(t) for t in tokens]

    def values(self) -> npt.NDArray[np.uint64]:
        """Word number -> its 64 random bits."""
        if len(self._values) != len(self.bits):
            self._values = np.frombuffer(self.bits, dtype=np.uint64).copy()
        return self._values


VOCABULARY = Vocabulary()


@dataclass
class Topic:
    """Sentences of related text, and where each word occurs in them (for splicing)."""

    name: str
    sentences: list[tuple[str, ...]]
    keys: list[tuple[str, ...]] = field(default_factory=list)
    where: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    pivots: list[list[int]] = field(default_factory=list)  # splice points, per sentence
    vocab: list[str] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)  # sentences with a pivot
    last: list[int] = field(default_factory=list)  # each sentence's last pivot (or -1)
    lengths: list[int] = field(default_factory=list)  # each sentence's length in tokens
    words: dict[str, list[str]] = field(default_factory=dict)  # content words by class
    # Per sentence, per token: the token and the number of its word (in VOCABULARY), and the
    # tokens it may become (the words of its class with its trailing punctuation) and theirs.
    slots: list[tuple[tuple[tuple[str, int], list[tuple[str, int]]], ...]] = field(
        default_factory=list
    )

    def __post_init__(self) -> None:
        self.keys = [tuple(_key(t) for t in s) for s in self.sentences]
        where: dict[str, list[tuple[int, int]]] = {}
        for n, keys in enumerate(self.keys):
            for pos in range(1, len(keys) - 1):
                where.setdefault(keys[pos], []).append((n, pos))
        self.where = {k: v for k, v in where.items() if len(v) >= MIN_PIVOT_USES}
        self.pivots = [
            [pos for pos in range(1, len(keys) - 1) if keys[pos] in self.where]
            for keys in self.keys
        ]
        self.starts = [n for n, ps in enumerate(self.pivots) if ps]
        self.last = [ps[-1] if ps else -1 for ps in self.pivots]
        self.lengths = [len(sentence) for sentence in self.sentences]
        words: dict[str, set[str]] = {}
        classes = []
        for sentence in self.sentences:
            # The first word is classed as a word, not as a name: "Return" like "return".
            cores = [sentence[0].rstrip(",;:.").lower(), *(t.rstrip(",;:.") for t in sentence[1:])]
            classes.append([word_class(core) for core in cores])
            for core, cls in zip(cores, classes[-1], strict=True):
                if cls:
                    words.setdefault(cls, set()).add(core)
        self.words = {cls: sorted(found) for cls, found in sorted(words.items())}
        number = VOCABULARY.number
        numbers = {cls: [number(w) for w in found] for cls, found in self.words.items()}
        choices: dict[tuple[str, str], list[tuple[str, int]]] = {("", ""): []}

        def slot(token: str, cls: str) -> tuple[tuple[str, int], list[tuple[str, int]]]:
            tail = token[len(token.rstrip(",;:.")) :] if cls else ""
            if (cls, tail) not in choices:
                words = self.words[cls]
                choices[cls, tail] = [
                    (w + tail, n) for w, n in zip(words, numbers[cls], strict=True)
                ]
            return (token, number(token)), choices[cls, tail]

        self.slots = [
            tuple(slot(token, cls) for token, cls in zip(sentence, sentence_classes, strict=True))
            for sentence, sentence_classes in zip(self.sentences, classes, strict=True)
        ]
        self.vocab = sorted(
            {w for sentence in self.sentences for t in sentence if _VOCAB.fullmatch(w := _key(t))}
        )


def make_topics(groups: dict[str, list[tuple[str, ...]]]) -> list[Topic]:
    """Modules with at least MIN_TOPIC sentences are topics; smaller ones are pooled in order."""
    topics: list[Topic] = []
    pooled: list[tuple[str, ...]] = []
    names: list[str] = []
    for name in sorted(groups):
        if len(groups[name]) >= MIN_TOPIC:
            topics.append(Topic(name, groups[name]))
            continue
        pooled.extend(groups[name])
        names.append(name)
        if len(pooled) >= MIN_TOPIC:
            topics.append(Topic(f"{names[0]}..{names[-1]}", pooled))
            pooled, names = [], []
    if pooled:
        if topics:
            last = topics.pop()
            topics.append(Topic(f"{last.name}+{names[0]}..{names[-1]}", last.sentences + pooled))
        else:
            topics.append(Topic("all", pooled))
    return topics


@functools.cache
def load_topics() -> list[Topic]:
    """The topics of this Python's text (made once per process; do not change them)."""
    return make_topics(read_pool())


# -- text ------------------------------------------------------------------------------------


class Writer:
    """Makes new sentences and light edits from a topic's text, with one seeded Random."""

    def __init__(self, rng: Random) -> None:
        self.rng = rng

    def sentence(self, topic: Topic) -> str:
        """A new sentence (see ``new``)."""
        return " ".join(self.new(topic)[0])

    def new(self, topic: Topic) -> Sentence:
        """A new sentence, as tokens and word numbers: short runs of the topic's sentences.

        It starts like a real sentence; after a run of 2-5 words it jumps, at a word (pivot)
        that occurs at least MIN_PIVOT_USES times in the topic, to another place where that
        word occurs and goes on from there. Once it has its length (10-30 words), it jumps to
        places near a sentence end, and finishes with an end of at most MAX_TAIL words.
        """
        random, lengths, keys, pivots, where, last = (
            self.rng.random,
            topic.lengths,
            topic.keys,
            topic.pivots,
            topic.where,
            topic.last,
        )
        target = 10 + int(random() * 21)
        n = topic.starts[int(random() * len(topic.starts))]
        pos = 0
        runs: list[tuple[int, int, int]] = []  # (sentence, start, end)
        size = 0
        while True:
            left = lengths[n] - pos
            if left <= MAX_TAIL and (size + left >= target or size > MAX_WORDS):
                break
            ps = pivots[n]
            k = bisect.bisect_left(ps, pos + 2 + int(random() * 4))
            if k == len(ps):  # no pivot as far on: the next one
                k = bisect.bisect_right(ps, pos)
            if k == len(ps):  # no pivot further on: finish here
                break
            stop = ps[k]
            runs.append((n, pos, stop))
            size += stop - pos
            places = where[keys[n][stop]]
            count = len(places)
            here = (n, stop)
            place = places[int(random() * count)]
            if size >= target:  # head for an end: the nearest of a few places
                for _ in range(3):
                    other = places[int(random() * count)]
                    if lengths[other[0]] - other[1] < lengths[place[0]] - place[1]:
                        place = other
            else:  # go on: rather a place with a pivot further on
                for _ in range(3):
                    if last[place[0]] > place[1] and place != here:
                        break
                    place = places[int(random() * count)]
            if place == here:  # somewhere else
                place = places[places.index(here) - 1]
            n, pos = place
        runs.append((n, pos, lengths[n]))
        return self.vary(runs, topic)

    def vary(self, runs: list[tuple[int, int, int]], topic: Topic) -> Sentence:
        """Join runs of the topic's sentences, replacing content words (REPLACE of them).

        A replacement is a word of the same class, drawn from the topic's words.
        """
        random, slots = self.rng.random, topic.slots
        out = [
            choices[int(random() * len(choices))] if choices and random() < REPLACE else token
            for n, start, end in runs
            for token, choices in slots[n][start:end]
        ]
        tokens = [token for token, _ in out]
        first = tokens[0]
        tokens[0] = first[0].upper() + first[1:]
        return tokens, [number for _, number in out]

    def paragraph(self, topic: Topic) -> list[Sentence]:
        """Two to five new sentences."""
        return [self.new(topic) for _ in range(self.rng.randint(2, 5))]

    def edit(self, sentence: str, topic: Topic, most: int = 3) -> str:
        """The sentence with 1 to ``most`` word edits (fewer for short sentences).

        Edits are substitutions by a word of the topic, deletions, insertions and swaps of two
        neighbours; the first and last words stay, so the sentence still starts and ends alike.
        """
        rng, tokens = self.rng, sentence.split(" ")
        for _ in range(rng.randint(1, max(1, min(most, (len(tokens) - 2) // 5)))):
            inner = len(tokens) - 2
            if inner < 2:
                break
            op = rng.randrange(4)
            i = rng.randint(1, inner)
            token = tokens[i]
            bare = token.rstrip(",;:")
            if op == 0 or (bare != token and op != 2):
                tokens[i] = rng.choice(topic.vocab) + token[len(bare) :]
            elif op == 1:
                del tokens[i]
            elif op == 2:
                tokens.insert(i, rng.choice(topic.vocab))
            elif i + 1 <= inner and not tokens[i + 1].endswith((",", ";", ":")):
                tokens[i], tokens[i + 1] = tokens[i + 1], tokens[i]
            else:
                tokens[i] = rng.choice(topic.vocab)
        return " ".join(tokens)

    def reword(self, sentence: str, topic: Topic) -> str:
        """The sentence reworded: two rounds of edits, up to a fifth of its words each."""
        for _ in range(2):
            sentence = self.edit(sentence, topic, most=len(sentence))
        return sentence

    def summarise(self, sentences: Sequence[str]) -> str:
        """A summary: a sentence for each ``SUMMARY_GROUP`` of ``sentences``, made of a run of
        ``SUMMARY_SHARE`` of the words of each, so the source is about three times longer."""
        rng, out = self.rng, []
        for g in range(0, len(sentences), SUMMARY_GROUP):
            parts = []
            for sentence in sentences[g : g + SUMMARY_GROUP]:
                tokens = [t.rstrip(",;:.") for t in sentence.split(" ")]
                k = max(3, round(len(tokens) * SUMMARY_SHARE))
                start = rng.randint(0, max(0, len(tokens) - k))
                parts.append(" ".join(tokens[start : start + k]))
            text = ", ".join(parts)
            out.append(text[0].upper() + text[1:] + ".")
        return " ".join(out)


@dataclass
class Made:
    """An article as made: its text, topic, sentence spans and how it may be reused."""

    text: str
    topic: int
    spans: list[tuple[int, int]]  # every sentence's (start, end) in text
    paragraphs: list[int]  # the index of each paragraph's first sentence
    plain: bool  # all its text is its own: it may be copied from
    claimed: bytearray  # sentences already copied somewhere


def layout(blocks: Sequence[list[str] | str]) -> tuple[str, list[tuple[int, int]], list[int]]:
    """Join paragraphs (lists of sentences, or ready text) with blank lines.

    Returns the text, the spans of the sentences of list paragraphs, and the index of each list
    paragraph's first sentence.
    """
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    firsts: list[int] = []
    at = 0
    for b, block in enumerate(blocks):
        if b:
            parts.append("\n\n")
            at += 2
        if isinstance(block, str):
            parts.append(block)
            at += len(block)
            continue
        firsts.append(len(spans))
        for s, sentence in enumerate(block):
            if s:
                parts.append(" ")
                at += 1
            spans.append((at, at + len(sentence)))
            parts.append(sentence)
            at += len(sentence)
    return "".join(parts), spans, firsts


# -- no accidental reuse --------------------------------------------------------------------

Keys = npt.NDArray[np.uint64]


class KeySet:
    """A set of 64-bit keys other than 0: a numpy table with linear probing, at most half full.

    Python's set takes about 80 bytes a key; this one 16 to 32 (8 a slot). Keys are looked up
    and added a batch at a time: each key's first slot, then WINDOW slots a step for the few
    that go on.
    """

    MIX = np.uint64(0x9E3779B97F4A7C15)
    WINDOW = 8

    def __init__(self, expected: int = 0) -> None:
        """An empty set, its table sized for ``expected`` keys (up to 2 ** 26; it grows)."""
        self.bits = max(16, (2 * min(expected, 1 << 26) - 1).bit_length())
        self.table: Keys = np.zeros(1 << self.bits, dtype=np.uint64)
        self.count = 0
        self.steps = np.arange(self.WINDOW)

    def _home(self, keys: Keys) -> npt.NDArray[np.intp]:
        return ((keys * self.MIX) >> np.uint64(64 - self.bits)).astype(np.intp)

    def contains(self, keys: Keys) -> npt.NDArray[np.bool_]:
        table, mask = self.table, len(self.table) - 1
        slot = self._home(keys)
        seen = table[slot]
        found: npt.NDArray[np.bool_] = seen == keys
        todo = np.flatnonzero(~found & (seen != 0))  # neither found nor an empty slot: go on
        slot = slot[todo] + 1
        while len(todo):  # the few left: WINDOW slots at a time
            window = table[(slot[:, None] + self.steps) & mask]
            hit = (window == keys[todo, None]).any(axis=1)
            found[todo[hit]] = True
            go = ~hit & window.all(axis=1)
            todo, slot = todo[go], slot[go] + self.WINDOW
        return found

    def add(self, keys: Keys) -> None:
        if 2 * (self.count + len(keys)) > len(self.table):
            self._grow(self.count + len(keys))
        self._insert(keys)

    def _grow(self, count: int) -> None:
        """A table at most half full with ``count`` keys; its keys go in in order of home."""
        keys = self.table[self.table != 0]
        self.table = np.zeros(0, dtype=np.uint64)  # let the old table go first
        self.bits = (2 * count - 1).bit_length()
        self.table = np.zeros(1 << self.bits, dtype=np.uint64)
        home = self._home(keys)
        order = np.argsort(home, kind="stable")
        keys, home = keys[order], home[order]
        del order
        at = np.arange(len(keys))
        slot = np.maximum.accumulate(home - at) + at  # the first free slot from home on
        inside = slot < len(self.table)
        self.table[slot[inside]] = keys[inside]
        self.count = int(inside.sum())
        self._insert(keys[~inside])  # past the end: round to the start

    def _insert(self, keys: Keys) -> None:
        """Put keys into their first empty slots, unless they are there already.

        Of keys after the same slot, one gets it and the others go on (a key twice in ``keys``
        goes in once, but is counted twice: ``count`` may be a little high).
        """
        table, mask = self.table, len(self.table) - 1
        slot = self._home(keys)
        seen = table[slot]
        free = seen == 0
        table[slot[free]] = keys[free]
        won = free & (table[slot] == keys)
        self.count += int(won.sum())
        go = ~(won | (seen == keys))
        keys, slot = keys[go], slot[go] + 1
        while len(keys):  # the few left: WINDOW slots at a time
            slots = (slot[:, None] + self.steps) & mask
            window = table[slots]
            there = (window == keys[:, None]).any(axis=1)
            empty = window == 0
            free = empty.any(axis=1) & ~there
            at = slots[np.arange(len(keys)), empty.argmax(axis=1)]
            table[at[free]] = keys[free]
            won = free & (table[at] == keys)
            self.count += int(won.sum())
            go = ~(won | there)  # those that lost a slot look again from the same place
            keys, slot = keys[go], np.where(free, slot, slot + self.WINDOW)[go]


def _probes(m: int) -> list[tuple[int, int, int]]:
    """The segments (tag, start, end) of an m-word sentence that may be a short sentence's.

    A sentence of n words (n - EDITS <= m <= n + EDITS) has segments: its first ``n // 3``
    words (tag 0), its last ``n // 3`` (tag 2) and the rest (tag 1); see Originality.
    """
    found = set()
    for n in range(max(1, m - EDITS), min(SHORT, m + EDITS) + 1):
        third, middle = n // 3, n - 2 * (n // 3)
        found.add((0, 0, third))
        found.add((2, m - third, m))
        for start in range(third - 1, third + 2):
            if start >= 0 and start + middle <= m:
                found.add((1, start, start + middle))
    return sorted(found)


PROBES = [np.array(_probes(m), dtype=np.intp).reshape(-1, 3) for m in range(SHORT + 1)]
TAGS = np.array([0, 0x5BD1E9955BD1E995, 0x2545F4914F6CDD1D], dtype=np.uint64)


class Text:
    """Sentences as word numbers, and hashes of any of their spans (polynomial, mod 2 ** 64).

    A span's hash is the sum of its words' random bits (VOCABULARY.values) times BASE to the
    power of their place in the span: equal spans have equal hashes, wherever they are.
    """

    BASE = 0xD6E8FEB86659FD93  # odd, so its powers can be divided by
    powers: Keys = np.ones(1, dtype=np.uint64)  # BASE ** k, mod 2 ** 64
    inverses: Keys = np.ones(1, dtype=np.uint64)  # BASE ** -k

    def __init__(self, sentences: Sequence[list[int]]) -> None:
        """Sentences as lists of word numbers (of VOCABULARY)."""
        self.lengths = lengths = np.array([len(words) for words in sentences], dtype=np.intp)
        self.starts = np.cumsum(lengths) - lengths
        total = int(lengths.sum())
        self.numbers = numbers = np.fromiter(
            itertools.chain.from_iterable(sentences), dtype=np.intp, count=total
        )
        if len(Text.powers) <= total:
            for name, base in ("powers", self.BASE), ("inverses", pow(self.BASE, -1, 1 << 64)):
                factors = np.full(2 * total + 2, base, dtype=np.uint64)
                factors[0] = 1
                setattr(Text, name, np.cumprod(factors))
        self.prefix = np.zeros(total + 1, dtype=np.uint64)
        np.cumsum(VOCABULARY.values()[numbers] * Text.powers[:total], out=self.prefix[1:])
        # The hashes of all runs of RUN words within a sentence (as keys), and their sentences.
        owner = np.repeat(np.arange(len(lengths)), lengths)
        start = np.flatnonzero(np.arange(total) + RUN <= (self.starts + lengths)[owner])
        self.runs = np.maximum(self.hashes(start, start + RUN), np.uint64(1))
        self.run_owners = owner[start]

    def hashes(self, start: npt.NDArray[np.intp], end: npt.NDArray[np.intp]) -> Keys:
        """The hashes of spans [start, end) of the numbers: the same for the same words."""
        hashes: Keys = (self.prefix[end] - self.prefix[start]) * Text.inverses[start]
        return hashes


class Originality:
    """The new sentences of earlier articles, to keep a new sentence from nearly repeating one.

    Sentences are compared as word numbers. The hash of every run of RUN words of a kept sentence
    goes into a KeySet. A kept sentence of at most SHORT words is also kept whole (in ``store``)
    and under the hashes of three segments: its first third, its middle and its last third
    (``n // 3``, the rest, ``n // 3`` words). A sentence at most 2 edits from it has one of these
    segments whole: its first third at the start, or its last third at the end, or else (one edit
    in each of those) its middle, moved by one word at most. So only kept sentences with such a
    segment are candidates, and rapidfuzz measures their edit distance.
    """

    RUNS_AN_ARTICLE = 450  # about 29 sentences of about 15 runs: to size the table at once

    def __init__(self, expected: int = 0) -> None:
        """An empty index, for about ``expected`` articles."""
        self.runs = KeySet(self.RUNS_AN_ARTICLE * expected)
        self.heads: dict[int, int] = {}  # segment hash -> its last entry (3 * sentence + tag)
        self.chain = array("q")  # entry -> the entry before it with the same hash, or -1
        self.store = array("I")  # the short sentences' words, one sentence after another
        self.ends = array("q", [0])  # where each short sentence ends in store
        self.pending: list[tuple[Text, list[int]]] = []  # this article's sentences, kept

    def failing(self, text: Text) -> dict[int, int]:
        """Which sentences fail: 0 for sharing a run, 1 for a near sentence."""
        failed: dict[int, int] = {}
        if len(text.runs):
            for b in text.run_owners[self.runs.contains(text.runs)].tolist():
                failed[b] = 0
        short = [b for b, m in enumerate(text.lengths.tolist()) if m <= SHORT and b not in failed]
        if not short or not self.heads:
            return failed
        probes = [PROBES[m] for m in text.lengths[short].tolist()]
        owner = np.repeat(short, [len(p) for p in probes])
        tag, start, end = np.concatenate(probes).T
        at = text.starts[owner]
        keys = text.hashes(at + start, at + end) ^ TAGS[tag]
        heads, chain, store, ends = self.heads, self.chain, self.store, self.ends
        entries = list(map(heads.get, keys.tolist()))
        owners = owner.tolist()
        seen: set[int] = set()
        last = -1
        words: list[int] = []
        hits = [(owners[k], entry) for k, entry in enumerate(entries) if entry is not None]
        for b, first_entry in hits:
            if b in failed:
                continue
            if b != last:
                seen.clear()
                last = b
                first = int(text.starts[b])
                words = text.numbers[first : first + int(text.lengths[b])].tolist()
            entry = first_entry
            while entry >= 0:
                s = entry // 3
                if s not in seen:
                    seen.add(s)
                    older = store[ends[s] : ends[s + 1]]
                    if Levenshtein.distance(words, older, score_cutoff=EDITS) <= EDITS:
                        failed[b] = 1
                        break
                entry = chain[entry]
        return failed

    def settle(self, paragraphs: list[list[Sentence]], remake: Callable[[], Sentence]) -> list[int]:
        """Make failing sentences again, in place, until none fails (TRIES times at most).

        The sentences are kept, to be added to the index by ``commit``. Returns how many were
        made again because of a run, because of a near sentence, and how many kept failing.
        """
        counts = [0, 0, 0]
        todo = [(p, s) for p, paragraph in enumerate(paragraphs) for s in range(len(paragraph))]
        for attempt in range(TRIES + 1):
            text = Text([paragraphs[p][s][1] for p, s in todo])
            failed = self.failing(text)
            if attempt == TRIES:
                counts[2] += len(failed)
                failed = {}
            self.pending.append((text, [b for b in range(len(todo)) if b not in failed]))
            if not failed:
                break
            for reason in failed.values():
                counts[reason] += 1
            todo = [todo[b] for b in sorted(failed)]
            for p, s in todo:
                paragraphs[p][s] = remake()
        return counts

    def commit(self) -> None:
        """Add the sentences kept since the last commit (one article's) to the index."""
        runs = []
        heads, chain, store, ends = self.heads, self.chain, self.store, self.ends
        for text, kept in self.pending:
            keep = np.zeros(len(text.lengths), dtype=bool)
            keep[kept] = True
            runs.append(text.runs[keep[text.run_owners]])
            short = np.flatnonzero(keep & (text.lengths <= SHORT))
            if not len(short):
                continue
            first, n = text.starts[short], text.lengths[short]
            third = n // 3
            bounds = np.stack([first, first + third, first + n - third, first + n])
            keys = (text.hashes(bounds[:-1], bounds[1:]) ^ TAGS[:, None]).T.tolist()
            numbers = text.numbers.tolist()
            for (a, b), hashes in zip(bounds[[0, 3]].T.tolist(), keys, strict=True):
                s = len(ends) - 1
                store.extend(numbers[a:b])
                ends.append(len(store))
                for tag, h in enumerate(hashes):
                    chain.append(heads.get(h, -1))
                    heads[h] = 3 * s + tag
        self.pending.clear()
        if runs:
            self.runs.add(np.concatenate(runs))


# -- the corpus ------------------------------------------------------------------------------


@dataclass
class Stats:
    """Accidental overlap between freshly made sentences (planted copies are not counted).

    It is measured on the sentences as kept, independently of Originality, which it should
    leave at zero (but for sentences kept failing); and the work Originality did.
    """

    fresh: int = 0
    repeated: int = 0  # equal to a fresh sentence of another article
    repeated_within: int = 0  # equal to an earlier fresh sentence of the same article
    shared_run: int = 0  # shares 8 consecutive words with a fresh sentence of another article
    remade_for_run: int = 0  # made again: the one before shared a run of RUN words
    remade_for_near: int = 0  # made again: the one before was within EDITS edits of one
    kept_failing: int = 0  # failed TRIES times over, the last one kept
    owners: dict[str, int] = field(default_factory=dict)
    runs: dict[int, int] = field(default_factory=dict)

    def add(self, article: int, sentences: Sequence[str]) -> None:
        for sentence in sentences:
            self.fresh += 1
            owner = self.owners.setdefault(sentence, -1)
            if owner == -1:
                self.owners[sentence] = article
            elif owner == article:
                self.repeated_within += 1
            else:
                self.repeated += 1
            words = sentence.lower().split()
            shared = False
            for k in range(len(words) - 7):
                run_owner = self.runs.setdefault(hash(tuple(words[k : k + 8])), article)
                shared = shared or run_owner != article
            self.shared_run += shared

    def report(self) -> dict[str, float | int]:
        fresh = max(self.fresh, 1)
        return {
            "fresh_sentences": self.fresh,
            "repeated_across_articles": self.repeated,
            "repeated_rate": round(self.repeated / fresh, 6),
            "repeated_within_article": self.repeated_within,
            "sharing_8_word_run": self.shared_run,
            "sharing_8_word_run_rate": round(self.shared_run / fresh, 6),
            "remade": self.remade_for_run + self.remade_for_near,
            "remade_rate": round((self.remade_for_run + self.remade_for_near) / fresh, 6),
            "remade_for_8_word_run": self.remade_for_run,
            "remade_for_near_repeat": self.remade_for_near,
            "retries_exhausted": self.kept_failing,
        }


class Corpus:
    """Makes the articles one by one, planting reuse from earlier ones."""

    def __init__(
        self,
        n: int,
        seed: int,
        topics: list[Topic],
        stats: Stats | None = None,
        rewordings: float = 0.0,
        summaries: float = 0.0,
        syndication: int = 0,
    ) -> None:
        self.n = n
        self.rewordings = rewordings
        self.summaries = summaries
        # Syndicated stories: plain articles made in the first quarter (``wire_slots``), each
        # copied, lightly edited, into about ``SYNDICATED_COPIES`` later articles, chosen by a
        # random stream of their own (so the corpus without them is the one made before).
        self.wire_slots = {(k + 1) * n // (4 * syndication + 4) for k in range(syndication)}
        self.wire_slots.discard(0)
        self.wires: list[int] = []
        self.syndicated_share = min(0.5, syndication * SYNDICATED_COPIES / max(1, 0.75 * n))
        self.syndication_rng = Random(seed + 104_729)
        self.rng = Random(seed)
        self.writer = Writer(self.rng)
        self.topics = topics
        self.made: list[Made] = []
        self.stats = stats
        self.width = max(6, len(str(n - 1)))
        self.originality = Originality(expected=n)

    def id(self, i: int) -> str:
        return f"a{i:0{self.width}d}"

    def fresh(self, topic: Topic, i: int, words: int) -> list[list[str]]:
        """Paragraphs of new sentences, about ``words`` words in all."""
        made: list[list[Sentence]] = []
        count = 0
        while count < words:
            paragraph = self.writer.paragraph(topic)
            count += sum(len(tokens) for tokens, _ in paragraph)
            made.append(paragraph)
        run, near, kept = self.originality.settle(made, lambda: self.writer.new(topic))
        paragraphs = [[" ".join(tokens) for tokens, _ in paragraph] for paragraph in made]
        if self.stats is not None:
            self.stats.add(i, [s for p in paragraphs for s in p])
            self.stats.remade_for_run += run
            self.stats.remade_for_near += near
            self.stats.kept_failing += kept
        return paragraphs

    def article(self, i: int) -> tuple[dict[str, str], list[dict[str, object]]]:
        """Make article ``i``: its JSONL record and its truth lines."""
        rng = self.rng
        words = int(rng.triangular(300, 900, 600))
        roll = rng.random()
        truth: list[dict[str, object]] = []
        made: Made | None = None
        wire = i in self.wire_slots
        if wire:
            pass  # a plain article, made below, copied from nowhere else
        elif self.wires and self.syndication_rng.random() < self.syndicated_share:
            made = self.syndicated(i, truth)
        elif i and roll < NEAR_DUP_SHARE:
            made = self.near_duplicate(i, truth)
        elif i and roll < NEAR_DUP_SHARE + REUSE_SHARE:
            made = self.reuser(i, words, truth)
        if made is None:
            t = rng.randrange(len(self.topics))
            text, spans, firsts = layout(self.fresh(self.topics[t], i, words))
            made = Made(text, t, spans, firsts, True, bytearray(len(spans)))
        self.originality.commit()
        if wire:
            made.claimed[:] = b"\1" * len(made.claimed)  # copied only as a whole, by copies
            self.wires.append(i)
        self.made.append(made)
        day = FIRST_DATE + datetime.timedelta(days=i * DAYS // self.n)
        record = {
            "id": self.id(i),
            "text": made.text,
            "source": SOURCES[rng.randrange(len(SOURCES))],
            "date": day.isoformat(),
        }
        return record, truth

    def _source(self, i: int, length: int) -> tuple[int, int] | None:
        """An earlier plain article and a run of ``length`` sentences of it not yet copied."""
        rng = self.rng
        for _ in range(20):
            j = rng.randrange(i)
            a = self.made[j]
            if not a.plain or len(a.spans) < length:
                continue
            s = rng.randrange(len(a.spans) - length + 1)
            if not any(a.claimed[s : s + length]):
                a.claimed[s : s + length] = b"\1" * length
                return j, s
        return None

    def reuser(self, i: int, words: int, truth: list[dict[str, object]]) -> Made | None:
        """An article of its own paragraphs with 1-5 passages copied from earlier ones."""
        rng = self.rng
        copies: list[tuple[int, int, int, str, str]] = []  # j, a_start, a_end, kind, text
        copied = 0  # words
        for _ in range(rng.choices((1, 2, 3, 4, 5), weights=(40, 25, 15, 10, 10))[0]):
            if copied > words - 250:  # keep most of the article its own
                break
            summarised = bool(self.summaries) and rng.random() < self.summaries
            length = rng.randint(6, 9) if summarised else rng.randint(2, 8)
            found = self._source(i, length)
            if found is None:
                continue
            j, s = found
            a = self.made[j]
            start, end = a.spans[s][0], a.spans[s + length - 1][1]
            reworded = bool(self.rewordings) and rng.random() < self.rewordings
            if summarised:
                spans = a.spans[s : s + length]
                kind, copy = "summary", self.writer.summarise([a.text[x:y] for x, y in spans])
            elif not reworded and rng.random() < 0.5:
                kind, copy = "verbatim", a.text[start:end]
            else:
                topic, pieces = self.topics[a.topic], []
                change = self.writer.reword if reworded else self.writer.edit
                for k in range(s, s + length):
                    if k > s:
                        pieces.append(a.text[a.spans[k - 1][1] : a.spans[k][0]])
                    pieces.append(change(a.text[a.spans[k][0] : a.spans[k][1]], topic))
                kind, copy = ("rewording" if reworded else "light-edit"), "".join(pieces)
            copies.append((j, start, end, kind, copy))
            copied += len(copy.split())
        if not copies:
            return None
        t = rng.randrange(len(self.topics))
        own = self.fresh(self.topics[t], i, max(200, words - copied))
        slots = sorted(rng.randint(1, max(1, len(own) - 1)) for _ in copies)
        blocks: list[list[str] | str] = []
        placed: list[int] = []  # block index of each copy, in slot order
        c = 0
        for p, paragraph in enumerate(own):
            while c < len(copies) and slots[c] == p:
                placed.append(len(blocks))
                blocks.append(copies[c][4])
                c += 1
            blocks.append(paragraph)
        while c < len(copies):
            placed.append(len(blocks))
            blocks.append(copies[c][4])
            c += 1
        text, spans, firsts = layout(blocks)
        starts = _block_starts(blocks)
        for (j, a_start, a_end, kind, copy), b in zip(copies, placed, strict=True):
            b_start = starts[b]
            truth.append(self._truth(j, a_start, a_end, i, b_start, b_start + len(copy), kind))
        return Made(text, t, spans, firsts, False, bytearray(len(spans)))

    def near_duplicate(self, i: int, truth: list[dict[str, object]]) -> Made | None:
        """All of an earlier article, lightly edited, perhaps with a new first or last paragraph."""
        rng = self.rng
        for _ in range(20):
            j = rng.randrange(i)
            a = self.made[j]
            if a.plain and not any(a.claimed) and len(a.paragraphs) >= 3:
                break
        else:
            return None
        a.claimed[:] = b"\1" * len(a.claimed)
        return self._rerun(i, j, truth, "near-duplicate")

    def syndicated(self, i: int, truth: list[dict[str, object]]) -> Made:
        """A copy of a syndicated story (``wires``), lightly edited, as ``near_duplicate``."""
        j = self.wires[self.syndication_rng.randrange(len(self.wires))]
        return self._rerun(i, j, truth, "syndication")

    def _rerun(self, i: int, j: int, truth: list[dict[str, object]], kind: str) -> Made:
        """Article ``j`` again as article ``i``: edited, perhaps with a new first or last
        paragraph."""
        rng, a = self.rng, self.made[j]
        topic = self.topics[a.topic]
        ends = [*a.paragraphs[1:], len(a.spans)]
        paragraphs = [
            [a.text[a.spans[k][0] : a.spans[k][1]] for k in range(first, end)]
            for first, end in zip(a.paragraphs, ends, strict=True)
        ]
        keep_from = 1 if rng.random() < 0.4 else 0
        keep_to = len(paragraphs) - (1 if rng.random() < 0.3 else 0)
        if len(paragraphs) < 3:  # a syndicated story of one or two paragraphs: all of it
            keep_from, keep_to = 0, len(paragraphs)
        kept = [
            [self.writer.edit(s, topic, 2) if rng.random() < 0.35 else s for s in paragraph]
            for paragraph in paragraphs[keep_from:keep_to]
        ]
        head = self.fresh(topic, i, 1) if keep_from else []
        tail = self.fresh(topic, i, 1) if keep_to < len(paragraphs) else []
        blocks = [*head, *kept, *tail]
        text, spans, firsts = layout(blocks)
        b_start = spans[firsts[len(head)]][0]
        b_end = spans[firsts[len(head) + len(kept)] - 1][1] if tail else len(text)
        a_start = a.spans[a.paragraphs[keep_from]][0]
        a_end = a.spans[ends[keep_to - 1] - 1][1]
        truth.append(self._truth(j, a_start, a_end, i, b_start, b_end, kind))
        return Made(text, a.topic, spans, firsts, False, bytearray(len(spans)))

    def _truth(
        self, j: int, a_start: int, a_end: int, i: int, b_start: int, b_end: int, kind: str
    ) -> dict[str, object]:
        return {
            "a_id": self.id(j),
            "a_start": a_start,
            "a_end": a_end,
            "b_id": self.id(i),
            "b_start": b_start,
            "b_end": b_end,
            "kind": kind,
        }


def _block_starts(blocks: Sequence[list[str] | str]) -> list[int]:
    starts, at = [], 0
    for block in blocks:
        starts.append(at)
        at += (len(block) if isinstance(block, str) else sum(map(len, block)) + len(block) - 1) + 2
    return starts


def generate(
    n: int,
    seed: int = 1,
    *,
    stats: Stats | None = None,
    topics: list[Topic] | None = None,
    rewordings: float = 0.0,
    summaries: float = 0.0,
    syndication: int = 0,
) -> tuple[list[dict[str, str]], list[dict[str, object]]]:
    """Make the corpus in memory: the article records and the truth lines."""
    corpus = Corpus(
        n, seed, topics if topics is not None else load_topics(), stats, rewordings, summaries,
        syndication,
    )  # fmt: skip
    articles: list[dict[str, str]] = []
    truth: list[dict[str, object]] = []
    for i in range(n):
        record, lines = corpus.article(i)
        articles.append(record)
        truth.extend(lines)
    return articles, truth


def _dump(record: dict[str, object] | dict[str, str]) -> str:
    return json.dumps(record, ensure_ascii=False) + "\n"


def write(
    n: int,
    seed: int,
    out: Path,
    *,
    stats: Stats | None = None,
    rewordings: float = 0.0,
    summaries: float = 0.0,
    syndication: int = 0,
) -> tuple[int, int]:
    """Write the corpus and its truth file (each through a temporary file, then renamed).

    Returns the number of articles and of truth lines.
    """
    truth_out = truth_path(out)
    corpus = Corpus(n, seed, load_topics(), stats, rewordings, summaries, syndication)
    tmp_out = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    tmp_truth = truth_out.with_name(f".{truth_out.name}.{os.getpid()}.tmp")
    lines = 0
    try:
        with (
            tmp_out.open("w", encoding="utf-8", newline="\n") as f,
            tmp_truth.open("w", encoding="utf-8", newline="\n") as g,
        ):
            for i in range(n):
                record, truth = corpus.article(i)
                f.write(_dump(record))
                g.writelines(_dump(t) for t in truth)
                lines += len(truth)
        tmp_truth.replace(truth_out)
        tmp_out.replace(out)
    finally:
        tmp_out.unlink(missing_ok=True)
        tmp_truth.unlink(missing_ok=True)
    return n, lines


def _parser() -> argparse.ArgumentParser:
    paragraphs = (__doc__ or "").split("\n\n")
    parser = argparse.ArgumentParser(
        prog="make_corpus.py",
        description="\n\n".join(paragraphs[:1] + paragraphs[2:]),
        epilog="example:\n  python scripts/make_corpus.py 10000 /tmp/c10k.jsonl --seed 1\n"
        "  (writes /tmp/c10k.jsonl and /tmp/c10k.truth.jsonl)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("n", metavar="N", help="number of articles (at least 1)")
    parser.add_argument("out", metavar="OUT", help="the corpus to write, a .jsonl file")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    parser.add_argument("--force", action="store_true", help="overwrite OUT and its truth file")
    parser.add_argument(
        "--rewordings",
        type=float,
        default=0.0,
        metavar="S",
        help="share (0-1) of the copied passages that are reworded (default: 0)",
    )
    parser.add_argument(
        "--summaries",
        type=float,
        default=0.0,
        metavar="S",
        help="share (0-1) of the copied passages that are summaries (6-9 source sentences "
        "condensed, three into one; default: 0)",
    )
    parser.add_argument(
        "--syndication",
        type=int,
        default=0,
        metavar="K",
        help=f"plant K syndicated stories, each copied, lightly edited, into about "
        f"{SYNDICATED_COPIES} later articles (default: 0)",
    )
    parser.add_argument(
        "--stats",
        action="store_true",
        help="count sentences made again, measure accidental sentence overlap between "
        "articles (slower, more memory)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        n = int(args.n)
    except ValueError:
        parser.error(f"N must be a whole number of articles, got {args.n!r}")
    if not 1 <= n <= 10_000_000:
        parser.error(f"N must be between 1 and 10,000,000, got {n}")
    out = Path(args.out)
    if out.suffix != ".jsonl":
        parser.error(f"OUT must end in .jsonl (dedup reads JSONL by that suffix), got {out}")
    if not out.parent.is_dir():
        parser.error(f"{out.parent}: no such folder for OUT")
    for path in (out, truth_path(out)):
        if path.is_dir():
            parser.error(f"{path} is a folder")
        if path.exists() and not args.force:
            parser.error(f"{path} exists; use --force to overwrite it")
    for name in ("rewordings", "summaries"):
        if not 0.0 <= getattr(args, name) <= 1.0:
            parser.error(f"--{name} must be between 0 and 1, got {getattr(args, name)}")
    if args.syndication < 0:
        parser.error(f"--syndication must be 0 or more, got {args.syndication}")
    stats = Stats() if args.stats else None
    started = time.perf_counter()
    try:
        articles, lines = write(
            n, args.seed, out, stats=stats, rewordings=args.rewordings, summaries=args.summaries,
            syndication=args.syndication,
        )  # fmt: skip
    except OSError as e:
        print(f"make_corpus.py: error: cannot write {e.filename}: {e.strerror}", file=sys.stderr)
        return 1
    seconds = time.perf_counter() - started
    print(
        f"wrote {articles} articles to {out} and {lines} reuse lines to {truth_path(out)} "
        f"in {seconds:.1f} s",
        file=sys.stderr,
    )
    if stats is not None:
        print(json.dumps(stats.report()), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

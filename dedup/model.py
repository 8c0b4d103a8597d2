"""Records that cross module boundaries: frozen dataclasses, offsets into original texts."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from .errors import ConfigError

Kind = Literal["verbatim", "near-verbatim", "paraphrase", "summary", "template", "boilerplate"]
KINDS: tuple[Kind, ...] = (
    "verbatim", "near-verbatim", "paraphrase", "summary", "template", "boilerplate",
)  # fmt: skip
# Kinds that are resemblance, not reuse: reported only on request (``Params.templates``), never
# counted in coverage or a check's budgets.
RESEMBLANCE: frozenset[str] = frozenset({"template", "boilerplate"})
SentenceKey = tuple[int, int]  # (article number in input order, sentence index)


@dataclass(frozen=True, slots=True)
class Article:
    """One input article. ``source`` is the outlet; ``date`` and ``url`` are kept as given."""

    id: str
    text: str
    source: str | None = None
    date: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of an article.

    ``start``/``end`` index into the original ``Article.text``; ``words`` are its word tokens,
    normalised (NFKC, case-folded, one apostrophe); ``features`` are the shingles it is signed with;
    ``figures`` the numbers it states (``dedup.facts.figures``).
    """

    article: int
    index: int
    start: int
    end: int
    words: tuple[str, ...]
    features: frozenset[str]
    figures: frozenset[tuple[str, str, str]] = frozenset()

    @property
    def key(self) -> SentenceKey:
        """The LSH index key of this sentence."""
        return (self.article, self.index)


@dataclass(frozen=True, slots=True)
class Passage:
    """A reused passage: ``a_text[a_start:a_end]`` is reused as ``b_text[b_start:b_end]``.

    ``score`` is on 0-1 (character similarity for verbatim and near-verbatim passages, the mean
    sentence similarity for paraphrases); ``sentence_pairs`` counts the verified sentence pairs;
    ``quoted`` is the share of the passage inside quotation marks, on the side where it is
    smaller (``dedup.facts.quoted_share``). In a scan, ``a_id`` comes first in input order; for
    reuse inside one article the two ids are equal and ``a_start < b_start``.

    ``kind`` ``template`` (the same wording with other figures) and ``boilerplate`` (a line a
    source repeats across its articles, or a stock line many articles print on its own) are
    resemblance, not reuse (``RESEMBLANCE``).
    """

    a_id: str
    a_start: int
    a_end: int
    b_id: str
    b_start: int
    b_end: int
    score: float
    kind: Kind
    sentence_pairs: int = 1
    quoted: float = 0.0


class Shares(Mapping[str, float]):
    """An immutable mapping of article ids to shares, in a fixed order (largest first).

    It reads like the JSON object that the outputs write (``{"b": 0.5}``), and it can be
    hashed and pickled like the records that hold it.

    >>> s = Shares([("b", 0.5), ("c", 0.25)])
    >>> s["b"], list(s), s == {"c": 0.25, "b": 0.5}
    (0.5, ['b', 'c'], True)
    >>> s
    Shares({'b': 0.5, 'c': 0.25})
    """

    __slots__ = ("_items", "_map")

    def __init__(self, items: Iterable[tuple[str, float]] | Mapping[str, float] = ()) -> None:
        pairs = tuple(items.items() if isinstance(items, Mapping) else items)
        self._items: tuple[tuple[str, float], ...] = pairs
        self._map: dict[str, float] = dict(pairs)

    def __getitem__(self, key: str) -> float:
        return self._map[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._map)

    def __len__(self) -> int:
        return len(self._map)

    def __hash__(self) -> int:
        return hash(self._items)

    def __repr__(self) -> str:
        return f"Shares({self._map!r})"

    def __reduce__(self) -> tuple[type[Shares], tuple[tuple[tuple[str, float], ...]]]:
        return (Shares, (self._items,))


@dataclass(frozen=True, slots=True)
class Coverage:
    """The share of an article's characters that lie inside reused passages.

    ``by_article`` maps each other article's id to its share (the article's own id stands for
    reuse inside it), largest first: the same mapping as the ``by_article`` object of the JSON
    outputs. Pairs or a dict may be given; they are kept as ``Shares``.

    >>> Coverage("a", 8, 4, 0.5, [("b", 0.5)]).by_article["b"]
    0.5
    """

    id: str
    length: int
    reused_chars: int
    share: float
    by_article: Shares = field(default_factory=Shares)

    def __post_init__(self) -> None:
        if not isinstance(self.by_article, Shares):
            object.__setattr__(self, "by_article", Shares(self.by_article))


@dataclass(frozen=True, slots=True)
class Params:
    """Every tunable of the pipeline. Defaults were chosen on the dev data (see the README).

    Attributes:
        shingle_size: words per shingle, taken over the stems of content words
            (stop words dropped). 1 (stem unigrams) recalls paraphrases best on MSRP.
        num_perm: MinHash permutations per sentence signature.
        seed: MinHash seed; signatures made with another seed cannot be compared.
        threshold: the LSH Jaccard threshold (0-1) for candidate sentence pairs; datasketch
            picks bands and rows for it, weighting false negatives over false positives.
        min_score: sentence similarity (0-1) at which a reworded sentence pair is reported
            on its own.
        extend_score: lower similarity (0-1) accepted for a sentence pair that continues a
            passage already found (a neighbour in both articles).
        near_verbatim: character similarity (0-1) from which a pair counts as a light edit.
        max_gap: sentences that may be skipped on either side inside one passage.
        join_chars: passages of two articles at most this many characters apart on both
            sides are joined into one, in any order (copies only in the same order): a
            rewrite reorders and drops sentences. 0 joins only passages that touch.
        min_length: shortest passage to report, in characters of the shorter side.
        min_features: sentences with fewer shingles are not used as evidence.
        within: also report reuse inside one article.
        skip_same_source: ignore reuse between two articles of the same source (outlet).
        templates: also report ``template`` and ``boilerplate`` passages (never counted in
            coverage or budgets).
        weighted: weigh shared stems by their rarity (``dedup.weights``) in the overlap; off
            (the default, chosen on the dev data: see the README), every stem counts the same.
        copies_only: report copies only (verbatim and lightly edited text), never rewordings.
            Copies share most of their stems, so they can be found at a higher ``threshold``
            (``COPY_THRESHOLD``; the CLI's ``--copies-only`` sets it unless ``--threshold`` is
            given), which leaves out the many sentence pairs of one topic that share a few
            words: what makes a scan of a large corpus fast.
        summaries: also report ``summary`` passages (``dedup.summary``: one text condenses a
            passage of another). Off by default: on real news, two articles on one story
            often pass for a summary of each other (see the README).
        all_pairs: report reuse between every two articles that share identical sentences.
            Off (the default), the articles that print one sentence word for word are each
            linked to the earliest of them (by ``Article.date``, then input order) and not to
            each other: output and work grow with the copies, not with their square
            (``dedup.twins``).
    """

    shingle_size: int = 1
    num_perm: int = 128
    seed: int = 1
    threshold: float = 0.3
    min_score: float = 0.55
    extend_score: float = 0.35
    near_verbatim: float = 0.85
    max_gap: int = 2
    join_chars: int = 500
    min_length: int = 40
    min_features: int = 3
    within: bool = True
    skip_same_source: bool = False
    copies_only: bool = False
    templates: bool = False
    weighted: bool = False
    summaries: bool = False
    all_pairs: bool = False

    def __post_init__(self) -> None:
        for name in ("threshold", "min_score", "extend_score", "near_verbatim"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ConfigError(f"{name} must be between 0 and 1, got {value}")
        if self.extend_score > self.min_score:
            raise ConfigError(
                f"extend_score ({self.extend_score}) must not exceed min_score ({self.min_score}); "
                "lower extend_score too"
            )
        for name in ("shingle_size", "num_perm", "min_features"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name} must be at least 1, got {getattr(self, name)}")
        if self.max_gap < 0 or self.min_length < 0 or self.join_chars < 0:
            raise ConfigError("max_gap, join_chars and min_length must not be negative")

    def to_dict(self) -> dict[str, Any]:
        """The parameters as a JSON-ready dict."""
        return asdict(self)


DEFAULT_PARAMS = Params()
# The LSH threshold for ``copies_only``: a light edit (character similarity ``near_verbatim``)
# changes a few words of a sentence and mostly keeps its stems' Jaccard above it (on PAN13's
# copies, plagdet 0.910 copies-only against 0.913 with rewordings: see the README).
COPY_THRESHOLD = 0.5
# Distinct sentences sharing one LSH band beyond which the band's bucket is left out of a scan
# (``dedup.index``), counted in the report's stats: identical sentences are collapsed before
# banding (``dedup.twins``), so such a bucket holds sentences that share a few frequent words.
MAX_BUCKET = 500
# Candidates kept for one sentence in one other article: its most alike by MinHash agreement
# (``dedup.partners``); the rest are left out, counted in the report's stats.
MAX_PARTNERS = 16
# Equal signature values (of 128) from which two sentences are near copies: a sentence with
# more than ``MAX_PARTNERS`` of them is linked through its earliest (``dedup.partners``).
# Jaccard 0.8: a copy with a word or two changed.
NEAR_COPY = 102
# A lone reworded sentence pair in two longer texts must reach this overlap (``dedup.align``).
# Of 100 reported passages of realnews-dev read side by side, lone rewordings below it were
# real reuse 11 times in 36, at or above it 7 times in 9; passages of two or more pairs, 11 in
# 15. A text of at most ``SHORT_SENTENCES`` indexable sentences may be mostly one pair.
LONE_SCORE = 0.7
SHORT_SENTENCES = 2
# A lone reworded sentence pair in two longer texts must also be at least this long
# (characters, its longer side): short lines that say one thing alike are everywhere in news.
# Of the 8 such lines under it in 100 passages of realnews-dev read side by side, 1 was reuse
# (the others two headlines of a series, a credit line, a stock price line, three facts told
# twice); at or above it, 6 of 10;
# on METER, 3 of the 4 it removes are wire copy reworded, one in a story not derived.
SHORT_LINE = 100
# A lone lightly edited line in two longer texts must be at least this long: of 20 such lines
# under it drawn from a realnews-dev scan, 13 were stock lines ("Kellogg officials were not
# immediately available" / "Cisco officials were not immediately available") or footers.
# PAN's and METER's figures do not change.
SHORT_COPY = 60
# A passage this much inside quotation marks on both sides is a shared quote: the speaker's
# words, which every outlet on the story prints, not the other article's (``dedup.verdicts``,
# ``dedup.boilerplate.stock_lines``).
QUOTED_ONLY = 0.75
# A lone short copy (one sentence pair, under ``SHORT_LINE``) whose wording links this many
# articles is a stock line (``dedup.boilerplate.stock_lines``). On realnews-dev, lines printed
# on their own in four or more articles are desk footers, "did not respond to a request for
# comment", corrections notices, helplines and stock background ("China regards Taiwan as a
# rebel province"); in three, shared debate quotes and story facts join them.
STOCK_ARTICLES = 4


@dataclass(frozen=True, slots=True)
class Comparison:
    """The result of comparing two texts (``dedup.compare``)."""

    passages: tuple[Passage, ...]
    a_coverage: Coverage
    b_coverage: Coverage
    params: Params
    version: str
    weights: str = "uniform"  # where the stems' weights came from (``dedup.weights``)


@dataclass(frozen=True, slots=True)
class Report:
    """The result of scanning a corpus (``dedup.scan``): passages sorted by ids and offsets.

    ``weights`` says where the stems' weights came from (``dedup.weights.Weights.source``).
    """

    passages: tuple[Passage, ...]
    coverage: tuple[Coverage, ...]
    params: Params
    version: str
    stats: tuple[tuple[str, int], ...] = field(default=())
    weights: str = "uniform"

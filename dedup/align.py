"""Fuzzy aligner (the only module using rapidfuzz): verify, chain, extend, trim and classify.

For two articles, each candidate sentence pair is scored twice: by character similarity of
the case-folded texts (verbatim and lightly edited copies) and by the Dice overlap of their
content-word stems (reworded copies). A pair that passes ``min_score`` (or ``near_verbatim``)
is a seed; seeds that follow each other in both articles, with at most ``max_gap`` sentences
skipped on either side, are chained into one passage, which then grows into neighbouring
sentence pairs that pass the lower ``extend_score`` (with ``copies_only``, only copies seed and
extend: rewordings are not reported). Weak pairs never stand alone: two articles
on one story share names and phrases sentence by sentence, not in runs. This is the
seed-and-extend scheme of BLAST, as passim and TextPAIR use it for text reuse.

Two sentences whose figures conflict (``dedup.facts``) are different statements however alike
their words: they neither seed nor extend a passage of reuse. Runs of such pairs are
``template`` passages (an earnings table, a market report with other numbers), reported only
with ``Params.templates``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel, Opcode

from .chain import (
    Bounds,
    SentencePair,
    best_partners,
    chain_pairs,
    extend_runs,
    join_runs,
    merge_runs,
)
from .facts import conflict, quote_spans, quoted_share
from .model import LONE_SCORE, SHORT_COPY, SHORT_LINE, Kind, Params, Passage, Sentence
from .normalize import fold, has_alnum, snap_to_words, words
from .rewrite import Fragment, combine, fragments, worth_looking
from .summary import summaries
from .weights import UNIFORM, Weights

_SEED, _WEAK = 2, 1
# A copy's neighbours continue it if they are nearly as close: a sentence with a few more
# edits than `near_verbatim` allows, between two copied ones, is part of the copy.
_LITERAL_SLACK = 0.1
_SOLID = 16  # characters of an exact run that anchor the ends of a copy
# A reworded passage must share this many content stems (its sentence pairs together): a
# single stock phrase ("X has approached Y for comment") shares three.
MIN_SHARED = 4


def score_pair(
    a: Sentence, b: Sentence, a_text: str, b_text: str, weights: Weights = UNIFORM
) -> SentencePair:
    """Score a sentence pair; ``a_text``/``b_text`` are the folded texts of their articles.

    The overlap is the Dice coefficient of their stems, each counted by its weight.
    """
    sa, sb = a_text[a.start : a.end], b_text[b.start : b.end]
    verbatim = bool(a.words) and a.words == b.words
    char = 1.0 if verbatim else fuzz.ratio(sa, sb) / 100
    short, long_ = sorted((len(sa), len(sb)))
    partial = 0.0
    if not verbatim and short >= 20 and short < 0.9 * long_:
        partial = fuzz.partial_ratio(sa, sb) / 100 if short >= 0.3 * long_ else 0.0
    if conflict(a.figures, b.figures):  # a template pair: how alike is its wording?
        overlap = weights.dice(_wording(a.features), _wording(b.features))
        return SentencePair(a.index, b.index, char, partial, overlap, verbatim, True)
    both = a.features & b.features  # the Dice overlap's intersection, counted once
    overlap = weights.dice(a.features, b.features)
    worded = sum(not f.isdigit() for f in both)
    return SentencePair(
        a.index, b.index, char, partial, overlap, verbatim, False, len(both), worded
    )  # fmt: skip


@lru_cache(maxsize=4096)  # a sentence is scored against many (frozensets keep their hash)
def _wording(features: frozenset[str]) -> frozenset[str]:
    """The shingles that are not numbers."""
    return frozenset(f for f in features if not f.isdigit())


def _strength(p: SentencePair, params: Params, template: bool = False) -> int:
    """How a pair may take part in a passage: as a seed, only next to one (weak), or not.

    A pair takes part in passages of reuse when its figures agree, and in ``template``
    passages when they conflict.
    """
    if p.conflict != template:
        return 0
    if _literal(p, params):
        return _SEED
    if params.copies_only and not template:
        return _WEAK if _literal(p, params, slack=_LITERAL_SLACK) else 0
    if p.overlap >= params.min_score:
        return _SEED
    if p.overlap >= params.extend_score or _literal(p, params, slack=_LITERAL_SLACK):
        return _WEAK
    return 0


def _is_seed(
    p: SentencePair, params: Params, best: set[tuple[int, int]], template: bool = False
) -> bool:
    """Whether a pair may start a passage on its own.

    A copy may if it shares ``min_features`` stems that are not numbers: a time stamp
    ("2.02pm BST") or a score line is in many articles, and starts no passage. A rewording
    must be mutually the best match of its two sentences: a template line ("(1087 Words --
    Approx. 4 Pages) ...") or a stock phrase resembles many sentences, a rewritten sentence
    resembles its original most.
    """
    if p.conflict != template:
        return False
    if _literal(p, params):
        return template or p.worded >= params.min_features
    rewording = not params.copies_only or template
    return rewording and p.overlap >= params.min_score and (p.i, p.j) in best


def _literal(p: SentencePair, params: Params, slack: float = 0.0) -> bool:
    """Whether the pair is a copy (verbatim, or edited lightly enough)."""
    return p.verbatim or p.near >= params.near_verbatim - slack


def _copy(chain: list[SentencePair], params: Params) -> bool:
    """Whether most of a run's pairs are copies."""
    return sum(_literal(p, params) for p in chain) * 2 >= len(chain)


def _trim(
    a: str, a_span: tuple[int, int], b: str, b_span: tuple[int, int]
) -> tuple[tuple[int, int], tuple[int, int]]:
    """Trim a copied passage to the first and last stretch that the two sides share.

    Sentence edges are coarse: a copy may begin inside a sentence, and a neighbour that is
    merely similar may have been taken in. The character alignment (LCS, rapidfuzz's Indel)
    says where the shared text begins and ends; runs shorter than ``_SOLID`` characters are
    coincidence (OCR-like noise breaks a true copy into runs far longer than that).
    """
    (a0, a1), (b0, b1) = a_span, b_span
    runs = [
        op
        for op in Indel.opcodes(a[a0:a1], b[b0:b1])
        if op.tag == "equal" and op.src_end - op.src_start >= _SOLID
    ]
    if not runs:
        return a_span, b_span
    first, last = runs[0], runs[-1]
    # An edge that differs by a word or two on both sides is an edit inside the copy; text
    # that only one side has (a lead-in, an added clause) is outside it.
    head_a, head_b = a[a0 : a0 + first.src_start], b[b0 : b0 + first.dest_start]
    if max(len(head_a), len(head_b)) < _SOLID and has_alnum(head_a) and has_alnum(head_b):
        first = Opcode("equal", 0, 0, 0, 0)
    tail_a, tail_b = a[a0 + last.src_end : a1], b[b0 + last.dest_end : b1]
    if max(len(tail_a), len(tail_b)) < _SOLID and has_alnum(tail_a) and has_alnum(tail_b):
        last = Opcode("equal", a1 - a0, a1 - a0, b1 - b0, b1 - b0)
    return (
        snap_to_words(a, a0 + first.src_start, a0 + last.src_end, a_span),
        snap_to_words(b, b0 + first.dest_start, b0 + last.dest_end, b_span),
    )


@dataclass(frozen=True, slots=True)
class _Side:
    id: str
    text: str  # original
    folded: str
    sentences: Sequence[Sentence]

    def quoted(self, start: int, end: int) -> float:
        """The share of ``text[start:end]`` inside quotation marks."""
        return quoted_share(_quotes(self.text), self.text, start, end)


@lru_cache(maxsize=256)  # an article's quotes, for each of its article pairs with a passage
def _quotes(text: str) -> list[tuple[int, int]]:
    return quote_spans(text)


def _bounds(chain: list[SentencePair], a: _Side, b: _Side) -> Bounds:
    return (
        min(a.sentences[p.i].start for p in chain),
        max(a.sentences[p.i].end for p in chain),
        min(b.sentences[p.j].start for p in chain),
        max(b.sentences[p.j].end for p in chain),
    )


def _evidence(chain: list[SentencePair], params: Params) -> int:
    """The content stems that a reworded passage's sentence pairs share, one pair a sentence."""
    return sum(p.shared for p in _one_to_one(chain, params))


def _one_to_one(chain: list[SentencePair], params: Params) -> list[SentencePair]:
    """The best pair of each sentence: what the passage is made of, for its kind and score.

    A merged run also holds cross pairs (a sentence against its copy's neighbour, which tells
    the same story); they widen nothing, but must not make a copy look like a rewording.
    """
    ranked = sorted(chain, key=lambda p: (_literal(p, params), p.near, p.overlap), reverse=True)
    used_i: set[int] = set()
    used_j: set[int] = set()
    kept = []
    for p in ranked:
        if p.i not in used_i and p.j not in used_j:
            kept.append(p)
            used_i.add(p.i)
            used_j.add(p.j)
    return sorted(kept, key=lambda p: (p.i, p.j))


def _passage(
    chain: list[SentencePair], a: _Side, b: _Side, params: Params, template: bool
) -> Passage:
    a_start, a_end, b_start, b_end = _bounds(chain, a, b)
    chain = _one_to_one(chain, params)
    weights = [
        a.sentences[p.i].end
        - a.sentences[p.i].start
        + b.sentences[p.j].end
        - b.sentences[p.j].start
        for p in chain
    ]
    literal = sum(w for p, w in zip(chain, weights, strict=True) if _literal(p, params))
    kind: Kind
    if template:
        kind = "template"
        score = sum(max(p.overlap, p.near) * w for p, w in zip(chain, weights, strict=True)) / sum(
            weights
        )
    elif params.copies_only or 2 * literal >= sum(weights):
        if words(a.text[a_start:a_end]) != words(b.text[b_start:b_end]):
            # Not the same words sentence for sentence (a decomposed accent is): trim.
            (a_start, a_end), (b_start, b_end) = _trim(
                a.folded, (a_start, a_end), b.folded, (b_start, b_end)
            )
        kind, score = _as_copy(a, (a_start, a_end), b, (b_start, b_end))
    else:
        kind = "paraphrase"
        score = sum(max(p.overlap, p.char) * w for p, w in zip(chain, weights, strict=True)) / sum(
            weights
        )
    quoted = min(a.quoted(a_start, a_end), b.quoted(b_start, b_end))
    return Passage(
        a.id, a_start, a_end, b.id, b_start, b_end, round(score, 4), kind, len(chain),
        round(quoted, 4),
    )  # fmt: skip


def align(
    a_id: str,
    a_text: str,
    a_sentences: Sequence[Sentence],
    b_id: str,
    b_text: str,
    b_sentences: Sequence[Sentence],
    candidates: Sequence[tuple[int, int]],
    params: Params,
    weights: Weights = UNIFORM,
) -> list[Passage]:
    """Verify candidate sentence pairs ``(i, j)`` between two articles and return passages.

    Pass the same article twice (with ``i < j`` candidates) for reuse inside one article.
    ``weights`` weigh the stems in the overlap (``dedup.weights``); they change which pairs
    qualify, never an offset.
    """
    same = a_id == b_id
    a = _Side(a_id, a_text, fold(a_text), a_sentences)
    b = a if same else _Side(b_id, b_text, fold(b_text), b_sentences)
    scored: dict[tuple[int, int], SentencePair] = {}

    def pair(i: int, j: int) -> SentencePair:
        if (i, j) not in scored:
            scored[(i, j)] = score_pair(a.sentences[i], b.sentences[j], a.folded, b.folded, weights)
        return scored[(i, j)]

    scored_pairs = [pair(i, j) for i, j in candidates]
    passages = []
    for template in (False, True) if params.templates else (False,):
        kept = [p for p in scored_pairs if _strength(p, params, template) > 0]
        best = best_partners(kept)
        runs = [
            run
            for run in chain_pairs(kept, params.max_gap, same)
            if any(_is_seed(p, params, best, template) for p in run)
        ]
        sizes = (len(a.sentences), len(b.sentences))
        grow = partial(_extend, pair=pair, sizes=sizes, params=params, same=same, template=template)
        chains = extend_runs(runs, grow, lambda run: _copy(run, params))
        merged = merge_runs(chains, params.max_gap, same)
        for chain in join_runs(
            merged,
            lambda run: _bounds(run, a, b),
            lambda run: _copy(run, params),
            params.join_chars,
            same,
        ):
            passage = _passage(chain, a, b, params, template)
            shortest = min(passage.a_end - passage.a_start, passage.b_end - passage.b_start)
            if shortest >= params.min_length and (
                passage.kind in ("verbatim", "template") or _stands(passage, chain, a, b, params)
            ):
                passages.append(passage)
    if not same and not params.copies_only and worth_looking(scored_pairs):
        found = [
            f
            for f in fragments(a.sentences, b.sentences, ((a_id, a_text), (b_id, b_text)))
            if min(f.a_end - f.a_start, f.b_end - f.b_start) >= params.min_length
        ]
        if found:
            passages = combine(passages, found, lambda f: _rewritten(f, a, b, params))
    if params.copies_only or not params.summaries:
        return passages
    return summaries(a_id, a_text, a_sentences, b_id, b_text, b_sentences, passages)


def _as_copy(
    a: _Side, a_span: tuple[int, int], b: _Side, b_span: tuple[int, int]
) -> tuple[Kind, float]:
    """A copy's kind and score: verbatim (the same words), else near-verbatim, its likeness."""
    (a0, a1), (b0, b1) = a_span, b_span
    if words(a.text[a0:a1]) == words(b.text[b0:b1]):
        return "verbatim", 1.0
    return "near-verbatim", fuzz.ratio(a.folded[a0:a1], b.folded[b0:b1]) / 100


def _rewritten(f: Fragment, a: _Side, b: _Side, params: Params) -> Passage:
    """A fragment (``dedup.rewrite``) as a passage: a copy if its texts are one, else reworded."""
    kind, score = _as_copy(a, (f.a_start, f.a_end), b, (f.b_start, f.b_end))
    if score < params.near_verbatim:
        kind, score = "paraphrase", f.score
    quoted = min(a.quoted(f.a_start, f.a_end), b.quoted(f.b_start, f.b_end))
    return Passage(
        a.id, f.a_start, f.a_end, b.id, f.b_start, f.b_end, round(score, 4), kind, f.seeds,
        round(quoted, 4),
    )  # fmt: skip


def _stands(
    passage: Passage, chain: list[SentencePair], a: _Side, b: _Side, params: Params
) -> bool:
    """Whether a lightly edited or reworded passage is evidence enough of reuse.

    A reworded one must share ``MIN_SHARED`` content stems. A lone sentence pair in two longer
    texts must be ``SHORT_COPY`` characters long if lightly edited, ``SHORT_LINE`` and reach
    ``LONE_SCORE`` if reworded: two articles share many a stock line ("X declined to comment")
    or a sentence that says one thing alike, but rarely runs of them. Any pair that is most of
    the shorter text stands (as when two sentences are compared).
    """
    reworded = passage.kind == "paraphrase"
    if reworded and _evidence(chain, params) < MIN_SHARED:
        return False
    longest = max(passage.a_end - passage.a_start, passage.b_end - passage.b_start)
    if passage.sentence_pairs > 1 or 2 * longest >= min(len(a.text), len(b.text)):
        return True
    if reworded:
        return passage.score >= LONE_SCORE and longest >= SHORT_LINE
    return longest >= SHORT_COPY


def _extend(
    chain: list[SentencePair],
    pair: Callable[[int, int], SentencePair],
    sizes: tuple[int, int],
    params: Params,
    same: bool,
    template: bool,
) -> list[SentencePair]:
    """Grow a run into neighbouring sentence pairs that continue it.

    A copy grows into pairs that are nearly copies; a paraphrase into pairs with
    ``extend_score`` of shared content; neither into a pair whose figures conflict (a
    template run only into such pairs).
    """
    copy = _copy(chain, params)

    def continues(p: SentencePair) -> bool:
        if p.conflict != template:
            return False
        if copy:
            return _literal(p, params, slack=_LITERAL_SLACK)
        return _strength(p, params, template) > 0

    before, first, last = [], chain[0], chain[-1]
    while first.i > 0 and first.j > 0:
        p = pair(first.i - 1, first.j - 1)
        if (same and last.i >= p.j) or not continues(p):
            break
        before.append(p)
        first = p
    chain = before[::-1] + chain
    while chain[-1].i + 1 < sizes[0] and chain[-1].j + 1 < sizes[1]:
        p = pair(chain[-1].i + 1, chain[-1].j + 1)
        if (same and p.i >= chain[0].j) or not continues(p):
            break
        chain.append(p)
    return chain

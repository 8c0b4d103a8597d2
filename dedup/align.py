"""Fuzzy aligner (the only module using rapidfuzz): verify, chain, extend, trim and classify.

For two articles, each candidate sentence pair is scored twice: by character similarity of
the case-folded texts (verbatim and lightly edited copies) and by the Dice overlap of their
content-word stems (reworded copies). A pair that passes ``min_score`` (or ``near_verbatim``)
is a seed; seeds that follow each other in both articles, with at most ``max_gap`` sentences
skipped on either side, are chained into one passage, which then grows into neighbouring
sentence pairs that pass the lower ``extend_score``. Weak pairs never stand alone: two articles
on one story share names and phrases sentence by sentence, not in runs. This is the
seed-and-extend scheme of BLAST, as passim and TextPAIR use it for text reuse.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from .model import Kind, Params, Passage, Sentence
from .normalize import fold, word_spans, words

_SEED, _WEAK = 2, 1


@dataclass(frozen=True, slots=True)
class SentencePair:
    """Two sentences (indexes into their articles) and how alike they are."""

    i: int
    j: int
    char: float  # character similarity of the folded texts, 0-1
    partial: float  # the shorter text's best character match inside the longer one, 0-1
    overlap: float  # Dice overlap of content-word stems, 0-1
    verbatim: bool

    @property
    def near(self) -> float:
        """The light-edit similarity: whole-text, or the shorter inside the longer."""
        return max(self.char, self.partial)


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def score_pair(a: Sentence, b: Sentence, a_text: str, b_text: str) -> SentencePair:
    """Score a sentence pair; ``a_text``/``b_text`` are the folded texts of their articles."""
    sa, sb = a_text[a.start : a.end], b_text[b.start : b.end]
    verbatim = bool(a.words) and a.words == b.words
    char = 1.0 if verbatim else fuzz.ratio(sa, sb) / 100
    short, long_ = sorted((len(sa), len(sb)))
    partial = 0.0
    if not verbatim and short >= 20 and short < 0.9 * long_:
        partial = fuzz.partial_ratio(sa, sb) / 100 if short >= 0.3 * long_ else 0.0
    return SentencePair(a.index, b.index, char, partial, _dice(a.features, b.features), verbatim)


def _strength(p: SentencePair, params: Params) -> int:
    if p.verbatim or p.near >= params.near_verbatim or p.overlap >= params.min_score:
        return _SEED
    if p.overlap >= params.extend_score or p.char >= params.near_verbatim - 0.1:
        return _WEAK
    return 0


def _follows(q: SentencePair, p: SentencePair, gap: int) -> bool:
    di, dj = p.i - q.i, p.j - q.j
    # (0, 1) and (1, 0): one sentence of one side matched by two of the other (a split sentence).
    return 0 <= di <= gap + 1 and 0 <= dj <= gap + 1 and di + dj > 0


def _chains(pairs: Sequence[SentencePair], params: Params, same: bool) -> list[list[SentencePair]]:
    """Group pairs into runs that go forward in both articles, each pair in one run."""
    chains: list[list[SentencePair]] = []
    for p in sorted(pairs, key=lambda p: (p.i, p.j)):
        best: list[SentencePair] | None = None
        best_key: tuple[float, ...] = ()
        for chain in chains:
            q = chain[-1]
            if not _follows(q, p, params.max_gap):
                continue
            if same and p.i >= chain[0].j:
                continue  # inside one article, the two copies must not overlap
            key = (-(p.i - q.i + p.j - q.j), q.overlap + q.char)
            if best is None or key > best_key:
                best, best_key = chain, key
        if best is None:
            chains.append([p])
        else:
            best.append(p)
    return chains


def _trim(text: str, lo: int, hi: int, other: str) -> tuple[int, int]:
    """Trim ``text[lo:hi]`` to the part that matches ``other``, snapped to whole words."""
    res = fuzz.partial_ratio_alignment(other, text[lo:hi])
    if res is None or res.dest_end <= res.dest_start:
        return lo, hi
    start, end = lo + res.dest_start, lo + res.dest_end
    spans = [(s + lo, e + lo) for s, e in word_spans(text[lo:hi])]
    for s, e in spans:  # widen to the word the alignment cut into
        if s < start < e:
            start = s
        if s < end < e:
            end = e
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


@dataclass(frozen=True, slots=True)
class _Side:
    id: str
    text: str  # original
    folded: str
    sentences: Sequence[Sentence]


def _passage(chain: list[SentencePair], a: _Side, b: _Side, params: Params) -> Passage:
    first, last = chain[0], chain[-1]
    a_start, b_start = a.sentences[first.i].start, b.sentences[first.j].start
    a_end, b_end = a.sentences[last.i].end, b.sentences[last.j].end
    a_len, b_len = a_end - a_start, b_end - b_start
    literal = [p for p in chain if p.verbatim or p.near >= params.near_verbatim]
    if literal and (first.partial > first.char or last.partial > last.char):
        # A passage that starts or ends inside a longer sentence: keep the aligned part only.
        if first.partial > first.char:
            sa, sb = a.sentences[first.i], b.sentences[first.j]
            if sa.end - sa.start > sb.end - sb.start:
                a_start = _trim(a.folded, sa.start, sa.end, b.folded[sb.start : sb.end])[0]
            else:
                b_start = _trim(b.folded, sb.start, sb.end, a.folded[sa.start : sa.end])[0]
        if last.partial > last.char:
            sa, sb = a.sentences[last.i], b.sentences[last.j]
            if sa.end - sa.start > sb.end - sb.start:
                a_end = _trim(a.folded, sa.start, sa.end, b.folded[sb.start : sb.end])[1]
            else:
                b_end = _trim(b.folded, sb.start, sb.end, a.folded[sa.start : sa.end])[1]
        a_len, b_len = a_end - a_start, b_end - b_start
    seg_a, seg_b = a.text[a_start:a_end], b.text[b_start:b_end]
    kind: Kind
    weights = [
        (a.sentences[p.i].end - a.sentences[p.i].start) + (b.sentences[p.j].end - b.sentences[p.j].start)
        for p in chain
    ]
    literal_weight = sum(w for p, w in zip(chain, weights) if p.verbatim or p.near >= params.near_verbatim)
    if words(seg_a) == words(seg_b):
        kind, score = "verbatim", 1.0
    elif literal_weight * 2 >= sum(weights):
        kind = "near-verbatim"
        score = fuzz.ratio(a.folded[a_start:a_end], b.folded[b_start:b_end]) / 100
    else:
        kind = "paraphrase"
        score = sum(max(p.overlap, p.char) * w for p, w in zip(chain, weights)) / sum(weights)
    del a_len, b_len
    return Passage(
        a.id, a_start, a_end, b.id, b_start, b_end, round(score, 4), kind, len(chain)
    )


def align(
    a_id: str,
    a_text: str,
    a_sentences: Sequence[Sentence],
    b_id: str,
    b_text: str,
    b_sentences: Sequence[Sentence],
    candidates: Sequence[tuple[int, int]],
    params: Params,
    *,
    folded: Callable[[str], str] = fold,
) -> list[Passage]:
    """Verify candidate sentence pairs ``(i, j)`` between two articles and return passages.

    Pass the same article twice (with ``i < j`` candidates) for reuse inside one article.
    """
    same = a_id == b_id and a_text is b_text
    a = _Side(a_id, a_text, folded(a_text), a_sentences)
    b = a if same else _Side(b_id, b_text, folded(b_text), b_sentences)
    scored: dict[tuple[int, int], SentencePair] = {}

    def pair(i: int, j: int) -> SentencePair:
        if (i, j) not in scored:
            scored[(i, j)] = score_pair(a.sentences[i], b.sentences[j], a.folded, b.folded)
        return scored[(i, j)]

    strong = [p for i, j in candidates if _strength(p := pair(i, j), params) == _SEED]
    weak = [p for i, j in candidates if _strength(pair(i, j), params) == _WEAK]
    seeded = {id(c[0]) for c in []}
    del seeded
    chains = _chains(strong + weak, params, same)
    passages = []
    used: set[tuple[int, int]] = set()
    for chain in chains:
        if not any(_strength(p, params) == _SEED for p in chain):
            continue
        chain = _extend(chain, pair, a, b, params, same)
        if any((p.i, p.j) in used for p in chain):
            chain = [p for p in chain if (p.i, p.j) not in used]
            if not chain:
                continue
        used.update((p.i, p.j) for p in chain)
        passage = _passage(chain, a, b, params)
        if min(passage.a_end - passage.a_start, passage.b_end - passage.b_start) >= params.min_length:
            passages.append(passage)
    return passages


def _extend(
    chain: list[SentencePair],
    pair: Callable[[int, int], SentencePair],
    a: _Side,
    b: _Side,
    params: Params,
    same: bool,
) -> list[SentencePair]:
    """Grow a chain into neighbouring sentence pairs that pass ``extend_score``."""
    chain = list(chain)
    while chain[0].i > 0 and chain[0].j > 0:
        i, j = chain[0].i - 1, chain[0].j - 1
        if same and i >= j or (same and j <= chain[-1].i):
            break
        p = pair(i, j)
        if _strength(p, params) < _WEAK:
            break
        chain.insert(0, p)
    while chain[-1].i + 1 < len(a.sentences) and chain[-1].j + 1 < len(b.sentences):
        i, j = chain[-1].i + 1, chain[-1].j + 1
        if same and i >= chain[0].j:
            break
        p = pair(i, j)
        if _strength(p, params) < _WEAK:
            break
        chain.append(p)
    return chain

"""Shingler: sentences -> shingles -> MinHash signatures (the only module using datasketch.MinHash).

Shingles are n-grams of the Snowball stems of a sentence's content words (stop words
dropped). Stem unigrams (n = 1) are the default: on MSRP paraphrases they keep 95 % of the
positive pairs above a Jaccard of 0.3, where word bigrams keep 64 % and word trigrams 44 %
(``scripts/tune_shingles.py``). Reworded sentences keep their content words, not their word order.

Signatures use datasketch's MinHash with a fixed seed and its hash scheme (recorded in every
result as ``HASH_SCHEME``), so signatures made in two runs can be compared.
"""

from __future__ import annotations

from collections.abc import Sequence

from datasketch import LeanMinHash, MinHash

from .model import DEFAULT_PARAMS, Params, Sentence
from .normalize import content_stems, words
from .segment import split_sentences

HASH_SCHEME = str(MinHash(num_perm=1).scheme)


def shingles(tokens: tuple[str, ...], size: int = 1) -> frozenset[str]:
    """Return the shingles of normalised word tokens: n-grams of content-word stems.

    >>> sorted(shingles(("officials", "oppose", "invading", "rafah")))
    ['invad', 'offici', 'oppos', 'rafah']
    >>> sorted(shingles(("officials", "oppose", "the", "invasion"), size=2))
    ['offici oppos', 'oppos invas']
    """
    stems = content_stems(tokens)
    if size == 1:
        return frozenset(stems)
    return frozenset(" ".join(stems[i : i + size]) for i in range(len(stems) - size + 1))


def make_sentences(article: int, text: str, params: Params = DEFAULT_PARAMS) -> list[Sentence]:
    """Split ``text`` into sentences with their tokens and shingles.

    >>> [(s.start, s.end, s.words) for s in make_sentences(0, "He left. She stayed.")]
    [(0, 8, ('he', 'left')), (9, 20, ('she', 'stayed'))]
    """
    out = []
    for index, (start, end) in enumerate(split_sentences(text)):
        tokens = words(text[start:end])
        out.append(
            Sentence(article, index, start, end, tokens, shingles(tokens, params.shingle_size))
        )
    return out


def signatures(sentences: Sequence[Sentence], params: Params = DEFAULT_PARAMS) -> list[LeanMinHash]:
    """Return one MinHash signature per sentence (datasketch, seeded by ``params.seed``).

    >>> s = make_sentences(0, "Officials oppose the invasion of Rafah.")
    >>> sig = signatures(s + s)
    >>> sig[0].jaccard(sig[1])
    1.0
    """
    batches = [[f.encode("utf-8") for f in sorted(s.features)] for s in sentences]
    return [
        LeanMinHash(m) for m in MinHash.bulk(batches, num_perm=params.num_perm, seed=params.seed)
    ]

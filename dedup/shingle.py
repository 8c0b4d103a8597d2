"""Shingler: sentences -> shingles -> MinHash signatures (the only module using datasketch.MinHash).

Shingles are n-grams of the Snowball stems of a sentence's content words (stop words
dropped). Stem unigrams (n = 1) are the default: on MSRP paraphrases they keep 95 % of the
positive pairs above a Jaccard of 0.3, where word bigrams keep 64 % and word trigrams 44 %
(``scripts/tune_shingles.py``). Reworded sentences keep their content words, not their word order.

Signatures use datasketch's MinHash with a fixed seed and its hash scheme (recorded in every
result as ``HASH_SCHEME``), so signatures made in two runs can be compared.

For a corpus, ``Signer`` makes the same signatures faster: a MinHash value is the minimum over
a set's elements of each element's permuted hash, so datasketch signs each distinct shingle
once (as a one-element set) and a sentence's signature is the element-wise minimum of its
shingles' rows. The values are datasketch's own, bit for bit (a test checks it).

``hash_values`` computes the same values in plain Python, from datasketch's definition of its
"affine32" scheme, for a few sentences at a time: importing datasketch imports scipy (a third
of a second), and numpy costs a tenth, more than a check of one article spends signing. Its
permutations are those ``MinHash`` draws from ``numpy.random.RandomState(seed)``: numpy's
frozen legacy stream, the Mersenne Twister seeded by ``init_genrand``, whose 32-bit outputs
Python's ``random`` gives once it is put in the same state. A Hypothesis test checks the
values against datasketch for random shingle sets, seeds and ``num_perm``. numpy and
datasketch are imported by the functions that use them.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import chain
from typing import TYPE_CHECKING

from .facts import figures
from .model import DEFAULT_PARAMS, Params, Sentence
from .normalize import content_stem_set, content_stems, words
from .segment import split_sentences

if TYPE_CHECKING:
    import numpy as np
    from datasketch import LeanMinHash

# datasketch's MinHash permutation scheme, passed to it explicitly (a new default in datasketch
# would otherwise change every signature) and recorded with results and indexes.
HASH_SCHEME = "affine32"
_MASK = 0xFFFFFFFF  # affine32 works modulo 2**32
_MT_N = 624  # words of Mersenne Twister state


def shingles(tokens: tuple[str, ...], size: int = 1) -> frozenset[str]:
    """Return the shingles of normalised word tokens: n-grams of content-word stems.

    >>> sorted(shingles(("officials", "oppose", "invading", "rafah")))
    ['invad', 'offici', 'oppos', 'rafah']
    >>> sorted(shingles(("officials", "oppose", "the", "invasion"), size=2))
    ['offici oppos', 'oppos invas']
    """
    if size == 1:
        return content_stem_set(tokens)
    stems = content_stems(tokens)
    return frozenset(" ".join(stems[i : i + size]) for i in range(len(stems) - size + 1))


def make_sentences(article: int, text: str, params: Params = DEFAULT_PARAMS) -> list[Sentence]:
    """Split ``text`` into sentences with their tokens and shingles.

    >>> [(s.start, s.end, s.words) for s in make_sentences(0, "He left. She stayed.")]
    [(0, 8, ('he', 'left')), (9, 20, ('she', 'stayed'))]
    """
    out = []
    for index, (start, end) in enumerate(split_sentences(text)):
        piece = text[start:end]
        tokens = words(piece)
        features = shingles(tokens, params.shingle_size)
        out.append(Sentence(article, index, start, end, tokens, features, figures(piece)))
    return out


def signatures(sentences: Sequence[Sentence], params: Params = DEFAULT_PARAMS) -> list[LeanMinHash]:
    """Return one MinHash signature per sentence (datasketch, seeded by ``params.seed``).

    >>> s = make_sentences(0, "Officials oppose the invasion of Rafah.")
    >>> sig = signatures(s + s)
    >>> sig[0].jaccard(sig[1])
    1.0
    """
    from datasketch import LeanMinHash, MinHash

    batches = [[f.encode("utf-8") for f in sorted(s.features)] for s in sentences]
    bulk = MinHash.bulk(batches, num_perm=params.num_perm, seed=params.seed, scheme=HASH_SCHEME)
    return [LeanMinHash(m) for m in bulk]


@lru_cache(maxsize=16)
def permutations(num_perm: int, seed: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Return the ``(a, b)`` of datasketch's "affine32" permutations ``h -> a * h + b mod 2**32``.

    ``MinHash`` draws ``a = 2 * randint(0, 2**31) + 1`` (odd) and then ``b = randint(0, 2**32)``,
    ``num_perm`` each, from ``numpy.random.RandomState(seed)``. For these bounds numpy's legacy
    ``randint`` takes one 32-bit output of the generator per value (masked to 31 bits for
    ``a``), and the generator is MT19937 seeded by ``init_genrand``.

    >>> a, b = permutations(2, 1)
    >>> [x % 2 for x in a], len(b)
    ([1, 1], 2)
    """
    if not 0 <= seed <= _MASK:
        raise ValueError(f"seed must be between 0 and 2**32 - 1, got {seed}")
    state = [seed]
    for i in range(1, _MT_N):
        state.append((1812433253 * (state[-1] ^ (state[-1] >> 30)) + i) & _MASK)
    gen = random.Random()
    gen.setstate((3, (*state, _MT_N), None))  # CPython's random is MT19937 too
    a = tuple(((gen.getrandbits(32) & 0x7FFFFFFF) << 1) | 1 for _ in range(num_perm))
    b = tuple(gen.getrandbits(32) for _ in range(num_perm))
    return a, b


def _premix(shingle: str) -> int:
    """The 32-bit hash datasketch gives a shingle: ``sha1_hash32``, then MurmurHash3's finalizer."""
    h = int.from_bytes(hashlib.sha1(shingle.encode("utf-8")).digest()[:4], "little")
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & _MASK
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & _MASK
    return h ^ (h >> 16)


def hash_values(
    sets: Sequence[frozenset[str]], params: Params = DEFAULT_PARAMS
) -> list[tuple[int, ...]]:
    """Return the MinHash values of each shingle set: datasketch's, computed in plain Python.

    Each distinct shingle is hashed and permuted once; a set's value for a permutation is the
    minimum over its shingles (``2**32 - 1`` for an empty set, as in datasketch).

    >>> s = make_sentences(0, "Officials oppose the invasion of Rafah.")
    >>> hash_values([s[0].features]) == [tuple(signatures(s)[0].hashvalues.tolist())]
    True
    """
    a, b = permutations(params.num_perm, params.seed)
    rows: dict[str, list[int]] = {}
    for f in chain.from_iterable(sets):
        if f not in rows:
            h = _premix(f)
            rows[f] = [(x * h + y) & _MASK for x, y in zip(a, b, strict=True)]
    out = []
    for features in sets:
        found = [rows[f] for f in features]
        if len(found) > 1:
            out.append(tuple(map(min, *found)))
        else:
            out.append(tuple(found[0]) if found else (_MASK,) * params.num_perm)
    return out


class Signer:
    """Signs shingle sets in bulk; each distinct shingle is hashed by datasketch once.

    >>> s = make_sentences(0, "Officials oppose the invasion of Rafah. Rafah officials oppose it.")
    >>> matrix = Signer().sign([x.features for x in s])
    >>> matrix.shape, bool((matrix[0] == signatures(s)[0].hashvalues).all())
    ((2, 128), True)
    """

    def __init__(self, params: Params = DEFAULT_PARAMS) -> None:
        import numpy as np

        self._params = params
        self._ids: dict[str, int] = {}
        self._rows = np.empty((0, params.num_perm), dtype=np.uint32)

    def _add(self, shingles: Iterable[str]) -> None:
        import numpy as np
        from datasketch import MinHash

        new = sorted(set(shingles).difference(self._ids))
        if not new:
            return
        bulk = MinHash.bulk(
            [[f.encode("utf-8")] for f in new], num_perm=self._params.num_perm,
            seed=self._params.seed, scheme=HASH_SCHEME,
        )  # fmt: skip
        rows = np.stack([m.hashvalues for m in bulk]).astype(np.uint32, copy=False)
        for f in new:
            self._ids[f] = len(self._ids)
        self._rows = np.concatenate([self._rows, rows])

    def sign(self, sets: Sequence[frozenset[str]]) -> np.ndarray:
        """Return one signature row (``num_perm`` uint32 values) per non-empty shingle set."""
        import numpy as np

        if any(not x for x in sets):
            raise ValueError("cannot sign an empty shingle set")
        self._add(chain.from_iterable(sets))
        if not sets:
            return np.empty((0, self._params.num_perm), dtype=np.uint32)
        lengths = np.fromiter(map(len, sets), dtype=np.int64, count=len(sets))
        flat = np.fromiter(
            map(self._ids.__getitem__, chain.from_iterable(sets)), dtype=np.int64,
            count=int(lengths.sum()),
        )  # fmt: skip
        starts = np.zeros(len(sets), dtype=np.int64)
        np.cumsum(lengths[:-1], out=starts[1:])
        # Longest sets first, then fold in each set's k-th shingle for k = 1, 2, ...: the sets
        # with a k-th shingle are a prefix. Ten times faster than minimum.reduceat on the
        # gathered rows, which copies every shingle's row first.
        order = np.argsort(-lengths, kind="stable")
        lengths, starts = lengths[order], starts[order]
        out = self._rows[flat[starts]]
        for k in range(1, int(lengths[0])):
            n = int(np.searchsorted(-lengths, -k, side="left"))  # sets with more than k
            np.minimum(out[:n], self._rows[flat[starts[:n] + k]], out=out[:n])
        result = np.empty_like(out)
        result[order] = out
        return result


@lru_cache(maxsize=1)
def shared_signer(params: Params = DEFAULT_PARAMS) -> Signer:
    """One ``Signer`` per process and parameters, so each shingle is signed once per process."""
    return Signer(params)

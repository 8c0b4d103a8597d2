"""LSH index over sentence signatures (the only module using datasketch.MinHashLSH).

datasketch picks the number of bands and rows for ``Params.threshold`` by minimising a weighted
sum of the false-positive and false-negative probabilities; we weight false negatives four times
as heavily, because a missed candidate is a missed passage while a false candidate only costs
one alignment that the aligner rejects.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from datasketch import LeanMinHash, MinHashLSH

from .errors import ConfigError
from .model import DEFAULT_PARAMS, Params, Sentence, SentenceKey

LSH_WEIGHTS = (0.2, 0.8)  # (false positive, false negative)


class SentenceIndex:
    """An LSH index of sentence signatures; ``candidates`` yields sentence pairs to verify."""

    def __init__(self, params: Params = DEFAULT_PARAMS) -> None:
        self._params = params
        self._lsh = MinHashLSH(
            threshold=params.threshold, num_perm=params.num_perm, weights=LSH_WEIGHTS
        )
        self._sigs: dict[SentenceKey, LeanMinHash] = {}

    @property
    def bands_rows(self) -> tuple[int, int]:
        """The (bands, rows) that datasketch chose for the threshold."""
        return (int(self._lsh.b), int(self._lsh.r))

    def __len__(self) -> int:
        return len(self._sigs)

    def add(self, key: SentenceKey, sig: LeanMinHash) -> None:
        """Index one sentence signature under its key."""
        if len(sig) != self._params.num_perm:
            raise ConfigError(
                f"signature has {len(sig)} permutations, the index expects "
                f"{self._params.num_perm}; were they built with another --num-perm?"
            )
        self._lsh.insert(key, sig)
        self._sigs[key] = sig

    def add_all(self, sentences: Sequence[Sentence], sigs: Sequence[LeanMinHash]) -> None:
        """Index many sentences at once."""
        with self._lsh.insertion_session() as session:
            for s, sig in zip(sentences, sigs, strict=True):
                session.insert(s.key, sig)
                self._sigs[s.key] = sig

    def candidates(self, *, within: bool = True) -> Iterator[tuple[SentenceKey, SentenceKey]]:
        """Yield each candidate pair once, ``a < b``; with ``within``, pairs in one article too."""
        for key in sorted(self._sigs):
            for other in sorted(self._lsh.query(self._sigs[key])):
                if key < other and (within or key[0] != other[0]):
                    yield (key, other)

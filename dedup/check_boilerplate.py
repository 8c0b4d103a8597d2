"""Boilerplate in a check: the sentences a source repeats, learnt from the index's counts.

As in ``scan`` (``dedup.boilerplate``): a sentence of an article with a ``source`` is
boilerplate when its words appear in ``MIN_ARTICLES`` or more articles of that source, and a
passage at least half inside boilerplate sentences on both sides is ``boilerplate``. The
articles are counted as a scan of the index and the new articles would count them: the index
keeps, for each source, how many of its articles hold each sentence (``dedup.store_counts``),
and the new articles are added (a new article that updates an indexed one in place of it).

Text repeated across sources is syndication, not boilerplate: a source's footer copied under
another source (or none) is no sentence that the other source repeats, so it stays reuse.
Unlike ``scan``, a check does not learn the passages whose text links many articles of one
source (``boilerplate.recurring``): that needs the passages between indexed articles, which
the index does not keep.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .boilerplate import MIN_ARTICLES, Span, digests, mark, standing
from .model import RESEMBLANCE, Article, Passage

if TYPE_CHECKING:
    from .store_articles import Store

# An article as a side of a passage: (id, text, source, whether it is the indexed one).
Side = tuple[str, str, str | None, bool]


class Boilerplate:
    """The boilerplate sentences of the articles of one check, learnt when first needed.

    Args:
        index: the index checked against.
        articles: the new articles.
    """

    def __init__(self, index: Store, articles: Sequence[Article]) -> None:
        self._index = index
        self._articles = articles
        self._extra: Counter[tuple[str, int]] | None = None
        self._spans: dict[tuple[bool, str], list[Span]] = {}

    def _learn(self) -> Counter[tuple[str, int]]:
        """How the new articles change the index's counts (each article once per sentence)."""
        extra: Counter[tuple[str, int]] = Counter()
        for a in self._articles:
            if a.source is not None:
                extra.update({(a.source, h) for _, _, h in digests(a.text)})
        numbers = [n for a in self._articles if (n := self._index.number(a.id)) is not None]
        for old in self._index.articles(numbers):  # the versions the new articles update
            if old.source is not None:
                extra.subtract({(old.source, h) for _, _, h in digests(old.text)})
        return extra

    def spans(self, side: Side) -> list[Span]:
        """The boilerplate sentences (start, end) of one side's article."""
        article_id, text, source, in_index = side
        if source is None:
            return []
        key = (in_index, article_id)
        if key not in self._spans:
            if self._extra is None:
                self._extra = self._learn()
            found = digests(text)
            counts = self._index.boilerplate_counts(source, [h for _, _, h in found])
            repeated = [
                (start, end)
                for start, end, h in found
                if counts[h] + self._extra[(source, h)] >= MIN_ARTICLES
            ]
            self._spans[key] = standing(repeated, len(found))
        return self._spans[key]

    def mark(self, p: Passage, a: Side, b: Side) -> Passage:
        """The passage, made ``boilerplate`` if it is (``a`` and ``b`` are its two sides)."""
        if p.kind in RESEMBLANCE or a[2] is None or b[2] is None:
            return p
        mine = self.spans(a)
        if not mine:
            return p
        return mark([p], {p.a_id: mine, p.b_id: self.spans(b)})[0]

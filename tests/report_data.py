"""Test data for the HTML report: a small hostile corpus and a synthetic large report."""

from __future__ import annotations

import random
import string
from collections import defaultdict

from dedup import DEFAULT_PARAMS, Article, Passage, Report
from dedup.model import KINDS
from dedup.pipeline import coverage

# Markup, quotes and ampersands that must be shown literally; an astral character (two UTF-16
# units in the browser, one code point in dedup's offsets) before the shared passage.
HOSTILE = (
    'The council said <script>alert("x")</script> was found in the "old" bridge & tunnel '
    "report on Tuesday. Engineers found deep cracks in two of its steel supports during a "
    "routine inspection </textarea></script><b>bold</b> of the harbour crossing last week. "
    "The mayor's office said repairs would take 'at least' six months & cost millions."
)
HOSTILE_A = "Breaking news from the harbour front this morning. " + HOSTILE + "\n"
HOSTILE_B = (
    "\U0001f6a2 Ferries replace the bridge \u2028 for now.\n\n"
    + HOSTILE
    + "\nFerries will run every hour until the work is done."
)


def hostile_articles() -> list[Article]:
    """Two articles sharing a passage full of markup, quotes, ``&`` and an emoji before it."""
    return [
        Article("a<b>.txt", HOSTILE_A, source="<i>Wire</i> & Co", url="javascript:alert(1)"),
        Article(
            "b&amp;.txt",
            HOSTILE_B,
            source='"Daily"',
            date="2024-03-26",
            url="https://example.org/b?x=1&y=<2>",
        ),
    ]


def synthetic_report(
    n_articles: int = 10_000, words: int = 600, n_passages: int = 5_000, seed: int = 1
) -> tuple[Report, list[Article]]:
    """A report of ``n_articles`` random articles and ``n_passages`` random passages.

    Built from dataclasses, without scanning: for measuring how the page copes with size.
    """
    rng = random.Random(seed)
    vocabulary = [
        "".join(rng.choices(string.ascii_lowercase, k=rng.randint(2, 10))) for _ in range(5000)
    ]
    articles = []
    for n in range(n_articles):
        tokens = rng.choices(vocabulary, k=words)
        sentences = [" ".join(tokens[i : i + 15]).capitalize() + "." for i in range(0, words, 15)]
        articles.append(Article(f"article-{n:05d}.txt", " ".join(sentences), source=f"S{n % 50}"))
    passages = []
    for _ in range(n_passages):
        a = rng.randrange(n_articles)
        b = a if rng.random() < 0.1 else rng.randrange(n_articles)
        a, b = min(a, b), max(a, b)
        length = rng.randint(40, 600)
        a_len, b_len = len(articles[a].text), len(articles[b].text)
        if a == b:
            a_start = rng.randrange(0, a_len // 2 - length)
            b_start = rng.randrange(a_len // 2, a_len - length)
        else:
            a_start = rng.randrange(0, a_len - length)
            b_start = rng.randrange(0, b_len - length)
        passages.append(
            Passage(
                articles[a].id,
                a_start,
                a_start + length,
                articles[b].id,
                b_start,
                b_start + length,
                round(rng.uniform(0.55, 1.0), 3),
                rng.choice(KINDS),
                rng.randint(1, 4),
            )
        )
    passages.sort(key=lambda p: (p.a_id, p.b_id, p.a_start, p.b_start))
    involved: dict[str, list[Passage]] = defaultdict(list)
    for p in passages:
        involved[p.a_id].append(p)
        if p.b_id != p.a_id:
            involved[p.b_id].append(p)
    covs = tuple(coverage(a, involved[a.id]) for a in articles)
    stats = (("articles", n_articles), ("passages", len(passages)))
    return Report(tuple(passages), covs, DEFAULT_PARAMS, "0.0.0", stats), articles

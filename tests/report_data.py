"""Test data for the HTML report: a small hostile corpus and a synthetic large report."""

from __future__ import annotations

from dedup import Article

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

"""Test data for the HTML report: a small hostile corpus and a synthetic large report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dedup import Article
from dedup.cli_report import save_check_html
from dedup.report import check_results, check_view, write_html
from dedup.store import Index

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


# Text of a checked draft's own, written for the check report: it shares nothing with samples/.
OWN_TEXT = (
    "Our correspondents spent the week talking to farmers, teachers and shop owners about the "
    "price of bread, the cost of heating and the long wait for a bus that rarely comes. "
    "Most of them said the same thing: nobody in the capital seems to be listening. "
    "A baker on the high street keeps a notebook of every price rise since the spring. "
    "The school at the end of the road has lost two teachers and shares a nurse with a town "
    "forty minutes away. A retired engineer repairs bicycles for free on Saturday mornings. "
    "None of them expect much from the next budget, though several plan to vote for the first "
    "time in years, because, as one of them put it, staying at home has not worked either. "
    "The council meets again next month, and residents have asked for a public hearing on "
    "transport. Until then the notebook stays on the counter, next to the till, open to anyone. "
    "The bus company says a new timetable is coming, though it has said so twice before."
)
REWRITTEN = "Writing online after the talks, the top diplomat said civilians must be spared harm."


def check_corpus(samples_dir: Path) -> tuple[list[Article], list[Article]]:
    """Four samples to index (ids ``pub/000``...) and four drafts built from their paragraphs.

    The ids are given here, not taken from paths, so the report does not depend on how paths
    are typed. The drafts: ``draft-copy`` (two paragraphs of 000 around a rewritten one: over
    both budgets), ``draft-spread`` (a paragraph from each of 001, 002, 003 around its own
    text: over the total budget, and 001 over the per-article one), ``draft-own`` (sample 004:
    no reuse) and ``draft-same-source`` (a paragraph of 001 by 001's outlet: reported, not
    counted).
    """
    paths = sorted(samples_dir.glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in paths]
    paras = [[line for line in t.split("\n") if line.strip()] for t in texts]
    indexed = [
        Article(f"pub/{p.name[:3]}", t, source=f"Outlet {'AB'[n % 2]}", date=f"2024-0{n + 1}-15")
        for n, (p, t) in enumerate(zip(paths[:4], texts[:4], strict=True))
    ]
    drafts = [
        Article("draft-copy", "\n".join([paras[0][2], REWRITTEN, paras[0][6]])),
        Article("draft-spread", "\n".join([paras[1][2], OWN_TEXT, paras[2][3], paras[3][1]])),
        Article("draft-own", texts[4], source="Outlet A"),
        Article(
            "draft-same-source",
            "A short update from the desk.\n" + paras[1][3] + "\nMore on this as it develops.",
            source="Outlet B",
        ),
    ]
    return indexed, drafts


def write_check_report(samples_dir: Path, folder: Path, **html: Any) -> Path:
    """Index ``check_corpus``'s four samples in ``folder``, check its drafts, write the page.

    Without ``html`` options the page is written as ``dedup check --html`` writes it; with
    them (``max_rows=2``, say), by ``write_html`` from the check's view.
    """
    indexed, drafts = check_corpus(samples_dir)
    out = folder / "check.html"
    with Index(folder / "published.db") as index:
        index.add(indexed)
        result = index.check(drafts)
        if not html:
            save_check_html(out, result, drafts, index, inputs=["drafts.jsonl"])
            return out
    results = check_results(result, drafts, indexed, inputs=["drafts.jsonl"])
    write_html(
        out, results.report, results.articles, origin="check",
        check=check_view(result, results), overwrite=True, **html,
    )  # fmt: skip
    return out

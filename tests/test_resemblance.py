"""Boilerplate, shared quotes in check, and properties that a broken detector would fail."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dedup
from dedup import DEFAULT_PARAMS, Article
from dedup.boilerplate import MIN_ARTICLES
from dedup.model import RESEMBLANCE, SHORT_LINE, STOCK_ARTICLES
from dedup.store import Index
from dedup.verdicts import QUOTED_ONLY, Policy

TEMPLATES = dataclasses.replace(dedup.DEFAULT_PARAMS, templates=True)
FOOTER = "Sign up to our morning newsletter for the top stories delivered to your inbox each day."
TOPICS = [
    "flooding closed the coastal road near the harbour",
    "the football club appointed a young manager from abroad",
    "a new library opened beside the railway station",
    "teachers voted to strike over pay and workloads",
    "the museum returned stolen bronzes to their owners",
    "farmers warned that the drought would ruin the harvest",
    "a cyber attack took the hospital computers offline",
    "the orchestra cancelled its tour after the conductor fell ill",
    "the city banned cars from its old town centre",
]


def _site(n: int, source: str | None = "Herald") -> list[Article]:
    return [
        Article(f"{source}-{i}", f"On Monday {TOPICS[i]}, officials said.\n\n{FOOTER}", source)
        for i in range(n)
    ]


def test_a_footer_a_source_repeats_is_boilerplate() -> None:
    articles = _site(MIN_ARTICLES)
    assert dedup.scan(articles).passages == ()
    report = dedup.scan(articles, TEMPLATES)
    assert report.passages
    assert {p.kind for p in report.passages} == {"boilerplate"}
    first = articles[0].text
    p = report.passages[0]
    assert first[p.a_start : p.a_end] == FOOTER
    assert all(c.share == 0.0 for c in report.coverage)


def test_a_line_in_fewer_articles_is_reuse() -> None:
    report = dedup.scan(_site(MIN_ARTICLES - 1))
    assert report.passages
    assert {p.kind for p in report.passages} == {"verbatim"}


def test_without_sources_a_repeated_line_is_syndication_not_boilerplate() -> None:
    articles = [dataclasses.replace(a, source=None) for a in _site(MIN_ARTICLES)]
    report = dedup.scan(articles)
    assert {p.kind for p in report.passages} == {"verbatim"}


STOCK = "The company did not respond to a request for comment on Friday."


def _stock(n: int, line: str = STOCK, shared: str = "") -> list[Article]:
    # n articles on different subjects, without a source, that print one line on its own
    return [
        Article(
            f"story-{i}",
            f"On Monday {TOPICS[i]}, officials said. {TOPICS[-1 - i].capitalize()} as well, "
            f"and nobody expected it. {shared}{line}",
        )
        for i in range(n)
    ]


def test_a_short_line_many_articles_print_on_its_own_is_a_stock_line() -> None:
    articles = _stock(STOCK_ARTICLES)
    assert dedup.scan(articles).passages == ()
    report = dedup.scan(articles, TEMPLATES)
    assert report.passages
    assert {p.kind for p in report.passages} == {"boilerplate"}
    for p in report.passages:
        a, b = (next(x.text for x in articles if x.id == i) for i in (p.a_id, p.b_id))
        assert (p.a_start, p.a_end) == (a.index(STOCK), a.index(STOCK) + len(STOCK))
        assert (p.b_start, p.b_end) == (b.index(STOCK), b.index(STOCK) + len(STOCK))


def test_a_short_line_in_fewer_articles_is_reuse() -> None:
    report = dedup.scan(_stock(STOCK_ARTICLES - 1))
    assert len(report.passages) == STOCK_ARTICLES - 2  # each linked to the first that prints it
    assert {p.kind for p in report.passages} == {"verbatim"}


@pytest.mark.parametrize(
    "line",
    [
        "“We will not respond to that request today, or on any other day,” she said.",  # a quote
        "The company did not respond to a request for comment on Friday, a spokesman for the "
        "regional office in the capital said later.",  # not short: SHORT_LINE or more
    ],
)
def test_a_shared_quote_or_a_longer_line_is_no_stock_line(line: str) -> None:
    assert len(line) < SHORT_LINE or len(line) >= SHORT_LINE > len(STOCK)
    report = dedup.scan(_stock(STOCK_ARTICLES, line))
    assert len(report.passages) == STOCK_ARTICLES - 1
    assert {p.kind for p in report.passages} == {"verbatim"}


def test_articles_that_print_other_text_alike_copy_a_story_not_a_stock_line() -> None:
    shared = "The harbour master closed the old pier to walkers until the storm had passed. "
    articles = _stock(STOCK_ARTICLES, shared=shared)
    report = dedup.scan(articles)
    assert report.passages
    assert {p.kind for p in report.passages} <= {"verbatim", "near-verbatim"}


def test_check_does_not_count_a_shared_quote(tmp_path: Path) -> None:
    quote = (
        "“We will rebuild every home that the flood took from us, whatever it costs and "
        "however long it takes, because this town deserves nothing less,”"
    )
    old = f"{quote} the mayor said on Monday. Rain is forecast for the rest of the week."
    new = (
        f"Residents cheered the news. {quote} she told a crowd outside the town hall. "
        "Engineers will inspect the river banks on Tuesday morning before the next storm."
    )
    with Index(tmp_path / "i.db") as index:
        index.add([Article("old", old)])
        [v] = index.check([Article("new", new)]).verdicts
        [f] = v.findings
        assert f.quoted >= QUOTED_ONLY
        assert (f.excused, v.coverage.share, v.passed) == ("quoted", 0.0, True)
        [v] = index.check([Article("new", new)], Policy(count_quotes=True)).verdicts
        assert v.findings[0].counted
        assert not v.passed


# --- properties: a planted chunk is found ------------------------------------------------

VOCABULARY = [
    "harbour",
    "council",
    "budget",
    "ferry",
    "bridge",
    "tunnel",
    "minister",
    "storm",
    "flood",
    "drought",
    "harvest",
    "museum",
    "library",
    "station",
    "orchestra",
    "hospital",
    "teacher",
    "engineer",
    "pilot",
    "senator",
    "court",
    "closed",
    "opened",
    "warned",
    "voted",
    "approved",
    "rejected",
    "delayed",
    "announced",
    "cancelled",
    "northern",
    "ancient",
    "modern",
]
OTHER_WORDS = [
    "garden",
    "painter",
    "violin",
    "castle",
    "river",
    "mountain",
    "village",
    "soldier",
    "doctor",
    "farmer",
    "poet",
    "kitchen",
    "window",
    "winter",
    "summer",
    "evening",
    "morning",
    "golden",
    "silver",
    "wooden",
    "painted",
    "sang",
    "walked",
    "danced",
    "carried",
    "planted",
    "gathered",
    "remembered",
    "forgot",
    "quiet",
    "bright",
    "narrow",
]
EMOJI = ["😀", "👍🏽", "🌊", "—", "…"]


@st.composite
def story(draw: st.DrawFn, sentences: int, vocabulary: list[str]) -> list[str]:
    """Distinct sentences of 8-14 words drawn from a vocabulary, some with an emoji."""
    seed = draw(st.integers(0, 2**32 - 1))
    rng = random.Random(seed)
    out = []
    for _ in range(sentences):
        ws = rng.sample(vocabulary, rng.randint(8, 14))
        if rng.random() < 0.3:
            ws.insert(rng.randrange(len(ws)), rng.choice(EMOJI))
        out.append(" ".join(ws).capitalize() + ".")
    return out


def _edit(sentence: str, rng: random.Random) -> str:
    """A light edit: one word replaced by another."""
    ws = sentence.rstrip(".").split(" ")
    i = rng.randrange(1, len(ws))
    ws[i] = "really" if ws[i] != "really" else "truly"
    return " ".join(ws) + "."


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
@given(
    a_story=story(8, VOCABULARY),
    b_story=story(8, OTHER_WORDS),
    size=st.integers(2, 4),
    at=st.integers(0, 4),
    edited=st.booleans(),
    seed=st.integers(0, 1000),
)
def test_a_planted_chunk_is_found_where_it_was_planted(
    a_story: list[str], b_story: list[str], size: int, at: int, edited: bool, seed: int
) -> None:
    rng = random.Random(seed)
    chunk = a_story[at : at + size]
    copied = [_edit(s, rng) for s in chunk] if edited else chunk
    b_parts = [*b_story[:3], *copied, *b_story[3:]]
    a, b = " ".join(a_story), " ".join(b_parts)
    a_start = a.index(chunk[0])
    a_end = a.index(chunk[-1]) + len(chunk[-1])
    b_start = b.index(copied[0])
    b_end = b.index(copied[-1]) + len(copied[-1])
    found = dedup.compare(a, b).passages
    hits = [
        p
        for p in found
        if p.a_start < a_end and a_start < p.a_end and p.b_start < b_end and b_start < p.b_end
    ]
    assert hits, (a, b, found)
    assert all(p.kind in ("verbatim", "near-verbatim") for p in hits)
    if not edited:
        assert any(p.kind == "verbatim" for p in hits)


def _reference_copies(a: str, b: str) -> list[tuple[int, int, int, int]]:
    """The slow, obvious aligner: every sentence pair with the same words, by exhaustive search."""
    from dedup.shingle import make_sentences

    sa, sb = make_sentences(0, a), make_sentences(1, b)
    return [
        (x.start, x.end, y.start, y.end)
        for x in sa
        for y in sb
        if len(x.words) >= 8 and x.words == y.words
    ]


@pytest.mark.xfail(
    strict=True,
    reason="copied sentences put in another order (a = S0 S1 S2, b = S0 Y S2 Z S1) are merged "
    "into one run (merge_runs joins runs within max_gap in both articles), and a merely "
    "similar neighbour can join a copy's run at its edge; the character alignment that trims "
    "a copy is monotone and matches characters scattered over the extra text, so one copied "
    "sentence is left out (spanning only the copied pairs fixes the second cause but costs "
    "PAN no-obfuscation recall 0.943 -> 0.913)",
)
@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
@given(
    a_story=story(10, VOCABULARY),
    b_story=story(10, OTHER_WORDS),
    picks=st.lists(st.integers(0, 9), min_size=1, max_size=5, unique=True),
)
def test_fast_aligner_covers_every_copy_the_exhaustive_reference_finds(
    a_story: list[str], b_story: list[str], picks: list[int]
) -> None:
    # Copied sentences scattered through b, in another order: every one must be covered.
    b_parts = list(b_story)
    for n, k in enumerate(picks):
        b_parts.insert(2 * n + 1, a_story[k])
    a, b = " ".join(a_story), " ".join(b_parts)
    reference = _reference_copies(a, b)
    found = dedup.compare(a, b).passages
    for a0, a1, b0, b1 in reference:
        assert any(
            p.a_start <= a0 and a1 <= p.a_end and p.b_start <= b0 and b1 <= p.b_end for p in found
        ), (a[a0:a1], found)


# --- evidence rules for a passage --------------------------------------------------------

RAFAH = (
    "Officials oppose an invasion of Rafah, arguing that a targeted operation would work better."
)
REWORDED = (
    "U.S. officials oppose invading Rafah and argue for targeted operations instead of an assault."
)


def test_a_lone_reworded_sentence_is_reuse_when_it_is_the_whole_text() -> None:
    (p,) = dedup.compare(RAFAH, REWORDED).passages
    assert (p.kind, p.a_start, p.a_end, p.b_start, p.b_end) == (
        "paraphrase", 0, len(RAFAH), 0, len(REWORDED),
    )  # fmt: skip
    assert p.score < 0.7


def test_a_lone_reworded_sentence_between_longer_articles_needs_a_higher_overlap() -> None:
    a = (
        f"The harbour bridge will close for repairs in June. {RAFAH} Ferries will run every "
        "hour instead of the bus. Shops near the river expect fewer customers all summer."
    )
    b = (
        "Residents are angry about the plan to build a new stadium downtown. Town planners "
        f"expect crowds of thousands every weekend. {REWORDED} The council meets again next "
        "Thursday to decide on parking."
    )
    assert dedup.compare(a, b).passages == ()
    # the same pair, as all of a shorter text, is reported (the test above)
    assert dedup.compare(RAFAH, b).passages


def test_a_stock_phrase_sharing_three_stems_is_not_a_rewording() -> None:
    a = "The Guardian has approached Saudi authorities for comment."
    b = "Guardian Australia has approached Disney for comment."
    assert (
        dedup.compare(a, b, dataclasses.replace(dedup.DEFAULT_PARAMS, min_length=0)).passages == ()
    )


def test_equal_time_stamps_do_not_start_a_copy() -> None:
    a = (
        "2.02pm BST\nA very good chance for Sterling, who cuts inside and shoots wide of the "
        "post.\n2.00pm BST\nKick-off at Elland Road."
    )
    b = (
        "2.02pm BST\nNeves tries to get the ball around the wall but sends it fizzing inches "
        "wide.\n2.00pm BST\nKick-off in north London."
    )
    assert dedup.compare(a, b).passages == ()
    # min_features=1 lets the time stamps seed: then they make a "copy" of unrelated text.
    loose = dataclasses.replace(dedup.DEFAULT_PARAMS, min_features=1)
    assert [p.kind for p in dedup.compare(a, b, loose).passages] == ["near-verbatim"]


def test_templates_on_request_leave_the_reuse_passages_as_they_are() -> None:
    """Template passages, made only with --templates, do not make a copy recur as boilerplate."""
    line = "Net profit rose to 42 million dollars from 39 million dollars in the quarter."
    own = [
        "The harbour board met on Tuesday to discuss the dredging of the eastern channel.",
        "A new ferry timetable starts next month with two extra crossings every weekday.",
        "Volunteers cleaned the beach at Saltcombe and collected forty bags of rubbish.",
        "The school choir won the county competition for the third year in a row.",
        "Road works on the coast road will close one lane until the end of the month.",
        "The library will open on Sundays from next week after a petition by readers.",
        "Fishermen said the mackerel season had started earlier than anyone could recall.",
        "The town council approved plans for a skate park behind the leisure centre.",
        "A storm brought down power lines across the valley late on Saturday night.",
    ]
    docs = [
        Article("x0", f"{own[0]} {line}", source="Desk"),
        Article("x1", f"{own[1]} {line}", source="Desk"),
    ]
    for k in range(2, 9):
        other = line.replace("42", str(40 + 3 * k)).replace("39", str(30 + k))
        docs.append(Article(f"x{k}", f"{own[k]} {other}", source="Desk"))
    plain = dedup.scan(docs)
    shown = dedup.scan(docs, dataclasses.replace(DEFAULT_PARAMS, templates=True))
    reuse = [p for p in shown.passages if p.kind not in RESEMBLANCE]
    assert [p.kind for p in plain.passages] == ["verbatim"]  # x0 and x1 print one line
    assert reuse == list(plain.passages)
    assert {p.kind for p in shown.passages} == {"verbatim", "template"}

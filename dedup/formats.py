"""Renderers for ``dedup check`` results: text, JSON, GitHub workflow commands, SARIF 2.1.0.

Each renderer turns a ``CheckResult`` into a string; none writes anything. ``origins`` maps a
new article's id to where it came from (a file, and the line its text starts on), so that
annotations and SARIF results point into the repository's files.

GitHub: workflow commands (``::error file=...,line=...::message``) with the escaping that the
Actions runner undoes: ``%``, CR and LF in the message, and also ``:`` and ``,`` in properties.
SARIF: one run, a rule per finding type, regions in Unicode code points (``columnKind``);
findings that are not counted carry a ``suppressions`` entry, baseline ones ``baselineState``.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from .inputs import Origin
from .verdicts import CheckResult, Finding, Verdict

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_EXCUSES = {
    "resemblance": "a template or boilerplate, not reuse",
    "same-source": "same source",
    "allowed": "allowlisted",
    "baseline": "in the baseline",
    "quoted": "a shared quote",
}
_RULES = (
    ("over-budget", "ArticleOverBudget", "A new article reuses more text than the budgets allow."),
    ("reused-passage", "ReusedPassage", "A passage of a new article is reused from another one."),
)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(result: CheckResult) -> str:
    """One line: how many articles were checked and how many are over budget."""
    failed = sum(not v.passed for v in result.verdicts)
    found = sum(len(v.findings) for v in result.verdicts)
    return (
        f"{_plural(len(result.verdicts), 'article')} checked, {_plural(found, 'passage')} "
        f"reused, {failed} over budget"
    )


def _flat(text: str, limit: int = 0) -> str:
    flat = " ".join(text.split())
    return flat if not limit or len(flat) <= limit else flat[: limit - 1] + "…"


def _headline(v: Verdict) -> str:
    if v.over:
        return f"FAIL {v.id}: " + "; ".join(v.over)
    return f"PASS {v.id}: {v.coverage.share:.1%} reused (counted), {v.reported:.1%} reported"


def render_text(result: CheckResult) -> str:
    """A report for people: a verdict line per article, then its passages with snippets."""
    lines = [f"dedup {result.version}: {summary(result)}"]
    for v in result.verdicts:
        lines += ["", _headline(v)]
        for n, f in enumerate(v.findings, start=1):
            note = "counted" if f.counted else f"not counted: {_EXCUSES[f.excused or '']}"
            where = "index" if f.in_index else "new"
            lines += [
                f"  #{n} {f.kind}  score {f.score:.3f}  ({note})",
                f"     {f.article_id} [{f.start}:{f.end}]  <-  {f.other_id} [{f.other_start}:"
                f"{f.other_end}] ({where}{', ' + f.other_source if f.other_source else ''})"
                f"{_held(f)}",
                f"     {_flat(f.snippet, 300)}",
            ]
    return "\n".join(lines) + "\n"


def _finding_record(f: Finding) -> dict[str, Any]:
    return {**asdict(f), "counted": f.counted}


def render_json(result: CheckResult) -> str:
    """One JSON object: version, parameters, policy, and per article its verdict and findings."""
    policy = asdict(result.policy)
    policy["allow"] = sorted(result.policy.allow)
    policy["baseline"] = len(result.policy.baseline)
    record = {
        "version": result.version,
        "passed": result.passed,
        "params": result.params.to_dict(),
        "policy": policy,
        "stats": dict(result.stats),
        "verdicts": [
            {
                "id": v.id,
                "source": v.source,
                "length": v.length,
                "passed": v.passed,
                "coverage": v.coverage.share,
                "reported": v.reported,
                "by_article": dict(v.coverage.by_article),
                "over": list(v.over),
                "findings": [_finding_record(f) for f in v.findings],
            }
            for v in result.verdicts
        ],
    }
    return json.dumps(record, ensure_ascii=False, indent=2) + "\n"


# -- GitHub ------------------------------------------------------------------------------------


def escape_data(text: str) -> str:
    r"""Escape a workflow command's message as the Actions runner expects.

    >>> escape_data("50% of it\r\nreused")
    '50%25 of it%0D%0Areused'
    """
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value (``file=``, ``title=``).

    >>> escape_property("a,b: c%")
    'a%2Cb%3A c%25'
    """
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _lines(text: str, start: int, end: int) -> tuple[int, int, int, int]:
    """1-based start line and column, end line and (exclusive) column of ``text[start:end]``."""

    def at(offset: int) -> tuple[int, int]:
        return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1

    (l1, c1), (l2, c2) = at(start), at(end)
    return l1, c1, l2, c2


def _place(
    v_id: str, text: str, origins: dict[str, Origin], start: int, end: int
) -> tuple[str, int, int, int, int]:
    """The file and region of a span of a new article."""
    origin = origins.get(v_id, Origin(v_id, 1, False))
    if not origin.whole_file:
        return origin.path, origin.line, 1, origin.line, 1
    return (origin.path, *_lines(text, start, end))


def _level(v: Verdict, f: Finding, error: str, warning: str, note: str) -> str:
    if not f.counted:
        return note
    return error if not v.passed else warning


def _held(f: Finding) -> str:
    """What a finding says of the other indexed articles that hold its text, if any."""
    if not f.others:
        return ""
    holds = "article holds" if f.others == 1 else "articles hold"
    return f", and {f.others:,} other indexed {holds} it"


def _message(f: Finding) -> str:
    where = "indexed article" if f.in_index else "new article"
    text = (
        f"{f.kind} passage (score {f.score:.2f}) reused from {where} {f.other_id}"
        f"{' (' + f.other_source + ')' if f.other_source else ''} [{f.other_start}:{f.other_end}]"
        f"{_held(f)}"
    )
    if not f.counted:
        text += f", not counted: {_EXCUSES[f.excused or '']}"
    return text + f': "{_flat(f.snippet, 200)}"'


def render_github(
    result: CheckResult, texts: dict[str, str], origins: dict[str, Origin] | None = None
) -> str:
    """GitHub Actions workflow commands: an annotation per over-budget article and passage.

    Counted passages of an over-budget article are errors, other counted ones warnings, and
    passages that are not counted notices. ``texts`` maps new ids to their texts (for lines).
    """
    places = origins or {}
    out = []
    for v in result.verdicts:
        text = texts.get(v.id, "")
        if v.over:
            path, line, *_ = _place(v.id, text, places, 0, 0)
            title = escape_property("dedup: over budget")
            props = f"file={escape_property(path)},line={line},title={title}"
            out.append(f"::error {props}::{escape_data(v.id + ': ' + '; '.join(v.over))}")
        for f in v.findings:
            path, l1, _, l2, _ = _place(v.id, text, places, f.start, f.end)
            level = _level(v, f, "error", "warning", "notice")
            title = f"dedup: reused from {f.other_id}"
            props = (
                f"file={escape_property(path)},line={l1},endLine={l2},"
                f"title={escape_property(title)}"
            )
            out.append(f"::{level} {props}::{escape_data(_message(f))}")
    return "".join(line + "\n" for line in out)


def _cell(text: str) -> str:
    return _flat(text).replace("|", "\\|")


def github_summary(result: CheckResult) -> str:
    """A Markdown table for ``$GITHUB_STEP_SUMMARY``: one row per article."""
    rows = [
        "## dedup check",
        "",
        summary(result),
        "",
        "| Article | Verdict | Reused (counted) | Most from one article | Passages |",
        "| --- | --- | --- | --- | --- |",
    ]
    for v in result.verdicts:
        verdict = "❌ over budget" if v.over else "✅ within budget"
        top = next(iter(v.coverage.by_article.items()), None)
        most = f"{_cell(top[0])} ({top[1]:.1%})" if top else "-"
        counted = sum(f.counted for f in v.findings)
        rows.append(
            f"| {_cell(v.id)} | {verdict} | {v.coverage.share:.1%} | {most} | "
            f"{len(v.findings)} ({counted} counted) |"
        )
    return "\n".join(rows) + "\n\n"


# -- SARIF -------------------------------------------------------------------------------------


def _uri(path: str) -> str:
    p = PurePath(path)
    if p.is_absolute():
        return "file://" + quote(p.as_posix())
    return quote(p.as_posix())


def _location(path: str, region: dict[str, int]) -> dict[str, Any]:
    return {"physicalLocation": {"artifactLocation": {"uri": _uri(path)}, "region": region}}


def _region(
    v_id: str, text: str, places: dict[str, Origin], start: int, end: int
) -> dict[str, int]:
    _, l1, c1, l2, c2 = _place(v_id, text, places, start, end)
    if v_id in places and not places[v_id].whole_file:
        return {"startLine": l1}
    return {"startLine": l1, "startColumn": c1, "endLine": l2, "endColumn": c2}


def render_sarif(
    result: CheckResult, texts: dict[str, str], origins: dict[str, Origin] | None = None
) -> str:
    """A SARIF 2.1.0 log: a result per over-budget article and per reused passage."""
    places = origins or {}
    results: list[dict[str, Any]] = []
    for v in result.verdicts:
        text = texts.get(v.id, "")
        path = _place(v.id, text, places, 0, 0)[0]
        if v.over:
            results.append(
                {
                    "ruleId": _RULES[0][0],
                    "ruleIndex": 0,
                    "level": "error",
                    "message": {"text": f"{v.id}: " + "; ".join(v.over)},
                    "locations": [_location(path, _region(v.id, text, places, 0, 0))],
                    "properties": {"coverage": v.coverage.share, "reported": v.reported},
                }
            )
        for f in v.findings:
            entry: dict[str, Any] = {
                "ruleId": _RULES[1][0],
                "ruleIndex": 1,
                "level": _level(v, f, "error", "warning", "note"),
                "message": {"text": _message(f)},
                "locations": [_location(path, _region(v.id, text, places, f.start, f.end))],
                "partialFingerprints": {"dedupPassage/v1": f.fingerprint},
                "baselineState": "unchanged" if f.excused == "baseline" else "new",
                "properties": {
                    "otherId": f.other_id,
                    "otherSource": f.other_source,
                    "otherStart": f.other_start,
                    "otherEnd": f.other_end,
                    "inIndex": f.in_index,
                    "kind": f.kind,
                    "score": f.score,
                    "counted": f.counted,
                },
            }
            if f.excused is not None:
                entry["suppressions"] = [{"kind": "external", "justification": _EXCUSES[f.excused]}]
            results.append(entry)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "dedup",
                        "version": result.version,
                        "rules": [
                            {
                                "id": rule_id,
                                "name": name,
                                "shortDescription": {"text": text},
                                "defaultConfiguration": {"level": "error"},
                            }
                            for rule_id, name, text in _RULES
                        ],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"

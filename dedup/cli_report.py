"""The ``dedup report`` command and the ``--html`` output of the other commands.

``dedup report`` renders saved results (``dedup scan`` JSONL, ``dedup compare --format json``)
as one self-contained HTML page, without computing anything again. Exit codes: 0 success,
2 a usage or input error.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from .check import CheckResult
from .errors import DedupError
from .model import Article
from .results import Results, read_results
from .store import Index


class ReportCLIError(click.ClickException):
    """A DedupError or an unwritable file as a click error: ``Error: ...``, exit code 2."""

    exit_code = 2


def html_option(command: Any) -> Any:
    """The ``--html FILE`` option, for commands that can also write an HTML report."""
    return click.option(
        "--html",
        "html",
        metavar="FILE",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Also write an HTML report (one self-contained page) to this file.",
    )(command)


def refuse_existing(path: Path | None, force: bool) -> None:
    """Stop before any work when an output file exists and ``--force`` is not given."""
    if path is not None and path.exists() and not force:
        raise ReportCLIError(f"{path} already exists; pass --force to overwrite it")


def save_html(
    path: Path, results: Results, *, force: bool, notes: Sequence[tuple[str, str]] = ()
) -> None:
    """Write the HTML report of ``results`` to ``path``, as a click error when that fails."""
    from .report import write_html  # jinja2: imported when a report is written

    try:
        write_html(
            path,
            results.report,
            results.articles,
            overwrite=force,
            inputs=results.inputs,
            notes=notes,
            origin=results.origin,
        )
    except FileExistsError as e:
        raise ReportCLIError(f"{path} already exists; pass --force to overwrite it") from e
    except OSError as e:
        raise ReportCLIError(f"{path}: cannot write ({e.strerror})") from e


def save_check_html(
    path: Path,
    result: CheckResult,
    articles: Sequence[Article],
    index: Index,
    *,
    inputs: Sequence[str] = (),
    force: bool = True,
) -> None:
    """Write the HTML report of a check: the new articles next to the ones they reuse.

    The texts of the indexed articles that findings point to are read from the open index.
    Like the check's other reports, the file is overwritten unless ``force`` is false.
    """
    from .report.checks import check_results

    wanted = sorted({f.other_id for v in result.verdicts for f in v.findings if f.in_index})
    numbers = [n for n in (index.number(i) for i in wanted) if n is not None]
    indexed = [Article(a.id, a.text, a.source, a.date, a.url) for a in index.articles(numbers)]
    info = index.info()
    over = [v.id for v in result.verdicts if not v.passed]
    policy = result.policy
    notes = (
        (
            "index",
            f"{info.path}: {info.articles} articles, made by dedup {info.created_by} on "
            f"{info.created}; hash scheme {info.hash_scheme}, {info.bands} bands of {info.rows} "
            f"rows; fingerprint {info.fingerprint}",
        ),
        (
            "budgets",
            f"max coverage {policy.max_coverage}, max from one article "
            f"{policy.max_source_coverage}",
        ),
        ("over budget", ", ".join(over) if over else "none"),
    )
    save_html(
        path, check_results(result, articles, indexed, inputs=inputs), force=force, notes=notes
    )


@click.command(name="report")
@click.argument("results_path", metavar="RESULTS")
@click.option(
    "--html",
    "html",
    metavar="FILE",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the HTML report to this file.",
)
@click.option("--force", is_flag=True, help="Overwrite the --html file if it exists.")
def report_command(results_path: str, html: Path, force: bool) -> None:
    """Render saved results as an HTML report that opens in any browser.

    RESULTS is the JSONL that dedup scan writes, or the JSON of dedup compare --format json,
    or - for stdin. They carry the article texts, so nothing is computed again. The page has
    an overview (provenance, articles by reused share, the article pairs, a histogram of
    scores, filters by kind and length) and shows each pair side by side.

    Example:

    \b
        dedup scan articles/ -o reuse.jsonl
        dedup report reuse.jsonl --html reuse.html
    """
    refuse_existing(html, force)
    try:
        results = read_results(results_path)
    except DedupError as e:
        raise ReportCLIError(str(e)) from e
    notes = (("results", "<stdin>" if results_path == "-" else results_path),)
    save_html(html, results, force=force, notes=notes)
    passages = len(results.report.passages)
    click.echo(f"{html}: {len(results.articles)} articles, {passages} passages", err=True)

"""The ``dedup report`` command and the ``--html`` output of the other commands.

``dedup report`` renders saved results (``dedup scan`` JSONL, ``dedup compare --format json``)
as one self-contained HTML page, without computing anything again. Exit codes: 0 success,
2 a usage or input error.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .cli_common import CLIError, check_output_path, write_file
from .errors import DedupError
from .model import Article
from .outputs import plural
from .results import Results, read_results
from .store import Index
from .verdicts import CheckResult

if TYPE_CHECKING:
    from .report.check_rows import CheckView


def html_option(command: Any) -> Any:
    """The ``--html FILE`` option, for commands that can also write an HTML report."""
    return click.option(
        "--html",
        "html",
        metavar="FILE",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Also write an HTML report (one self-contained page) to this file.",
    )(command)


def save_html(
    path: Path,
    results: Results,
    *,
    force: bool,
    notes: Sequence[tuple[str, str]] = (),
    check: CheckView | None = None,
) -> None:
    """Write the HTML report of ``results`` to ``path``, as a click error when that fails.

    ``check`` (the verdicts of a check) heads the page when given.
    """
    from .report import render_html  # jinja2: imported when a report is written

    page = render_html(
        results.report,
        results.articles,
        inputs=results.inputs,
        notes=notes,
        origin=results.origin,
        check=check,
    )
    write_file(path, page, force=force)


def save_check_html(
    path: Path,
    result: CheckResult,
    articles: Sequence[Article],
    index: Index,
    *,
    inputs: Sequence[str] = (),
    force: bool = True,
) -> None:
    """Write the HTML report of a check: the verdicts, then the new articles and the old ones.

    The texts of the indexed articles that findings point to are read from the open index.
    Like the check's other reports, the file is overwritten unless ``force`` is false.
    """
    from .report.checks import check_results, check_view  # jinja2: imported when needed

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
    results = check_results(result, articles, indexed, inputs=inputs)
    save_html(path, results, force=force, notes=notes, check=check_view(result, results))


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
    check_output_path(html, force)
    try:
        results = read_results(results_path)
    except DedupError as e:
        raise CLIError(str(e)) from e
    notes = (("results", "<stdin>" if results_path == "-" else results_path),)
    save_html(html, results, force=force, notes=notes)
    passages = len(results.report.passages)
    click.echo(
        f"{html}: {plural(len(results.articles), 'article')}, {plural(passages, 'passage')}",
        err=True,
    )

"""The ``dedup`` command line: a thin click layer over the library (inputs, outputs, the pipeline).

Results go to stdout (or ``-o``) as UTF-8; progress bars, warnings, the summary and errors go
to stderr. Exit codes: 0 success, 2 a usage, input or parameter error.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

import click
from click.core import ParameterSource

from .cli_common import CLIError, Group, check_output_path, output, warn
from .cli_index import check_command, index_group
from .cli_progress import progress
from .cli_report import html_option, report_command, save_html
from .errors import DedupError
from .inputs import read_articles
from .model import COPY_THRESHOLD, DEFAULT_PARAMS, Article, Params, Report
from .outputs import (
    comparison_record,
    scan_summary,
    write_comparison_text,
    write_scan_csv,
    write_scan_jsonl,
    write_scan_text,
)
from .pipeline import __version__, compare, scan
from .results import Results, comparison_results

F = Callable[..., Any]


# (Params field, click type, help). Defaults are read from DEFAULT_PARAMS for the help text.
_PARAM_OPTIONS: tuple[tuple[str, click.ParamType[Any, Any], str], ...] = (
    (
        "threshold",
        click.FloatRange(0, 1),
        f"LSH Jaccard threshold for candidate sentence pairs ({COPY_THRESHOLD} with "
        "--copies-only).",
    ),
    ("min_score", click.FloatRange(0, 1), "Similarity at which a sentence pair is reported."),
    ("extend_score", click.FloatRange(0, 1), "Lower similarity that extends a passage."),
    ("near_verbatim", click.FloatRange(0, 1), "Character similarity of a light edit."),
    ("shingle_size", click.IntRange(min=1), "Stems per shingle."),
    ("num_perm", click.IntRange(min=1), "MinHash permutations per sentence."),
    ("seed", click.INT, "MinHash seed."),
    ("max_gap", click.IntRange(min=0), "Sentences a passage may skip on either side."),
    ("join_chars", click.IntRange(min=0), "Join passages this close on both sides (chars)."),
    ("min_length", click.IntRange(min=0), "Shortest passage to report, in characters."),
)


# Switches for every command that finds passages: (Params field, help); each is --NAME.
_MODE_FLAGS = (
    (
        "copies_only",
        "Report copies only (verbatim and lightly edited), not rewordings: much faster on a "
        "large corpus.",
    ),
    ("templates", "Also report template and boilerplate passages (never counted as reuse)."),
    (
        "weighted",
        "Weigh shared stems by rarity: the corpus's document frequencies in a scan, the "
        "index's in check, wordfreq's English frequencies in compare.",
    ),
    ("summaries", "Also report passages that one text summarises (kind summary; slower)."),
)

# Scan-only switches: (Params field, help); each becomes --NAME/--no-NAME.
_CORPUS_FLAGS = (
    ("within", "Also report reuse inside one article."),
    ("skip_same_source", "Ignore reuse between articles of the same source (JSONL 'source')."),
    (
        "all_pairs",
        "Link every two articles that print a sentence word for word (or a near copy of one "
        "printed in many places), not each to the earliest of them.",
    ),
)


def _option(name: str, *, flag: bool = False, **attrs: Any) -> Callable[[F], F]:
    """A click option for a Params field, its default read from DEFAULT_PARAMS."""
    dashed = name.replace("_", "-")
    decl = f"--{dashed}/--no-{dashed}" if flag else f"--{dashed}"
    return click.option(
        decl, name, default=getattr(DEFAULT_PARAMS, name), show_default=True, **attrs
    )


def _switch(name: str, help_: str) -> Callable[[F], F]:
    """A click on/off option (``--NAME``) for a boolean Params field that is off by default."""
    return click.option(f"--{name.replace('_', '-')}", name, is_flag=True, help=help_)


def _as_options(message: str) -> str:
    """A ``Params`` error in the command line's words: each field named by its option.

    >>> _as_options("extend_score (0.35) must not exceed min_score (0.3)")
    '--extend-score (0.35) must not exceed --min-score (0.3)'
    """
    for f in dataclasses.fields(Params):
        message = re.sub(rf"\b{f.name}\b", "--" + f.name.replace("_", "-"), message)
    return message


def params_options(*, corpus: bool) -> Callable[[F], F]:
    """Add the pipeline's tunables as options, folded into one ``params: Params`` argument.

    Only the options given on the command line change ``DEFAULT_PARAMS``; ``corpus`` adds the
    scan-only flags.
    """
    options = [_option(name, type=kind, help=help_) for name, kind, help_ in _PARAM_OPTIONS]
    options += [_switch(name, help_) for name, help_ in _MODE_FLAGS]
    names = [name for name, _, _ in _PARAM_OPTIONS] + [name for name, _ in _MODE_FLAGS]
    if corpus:
        options += [_option(name, flag=True, help=help_) for name, help_ in _CORPUS_FLAGS]
        names += [name for name, _ in _CORPUS_FLAGS]

    def decorate(command: F) -> F:
        @functools.wraps(command)
        def wrapper(**kwargs: Any) -> Any:
            ctx = click.get_current_context()
            values = {name: kwargs.pop(name) for name in names}
            given = {
                name: value
                for name, value in values.items()
                if ctx.get_parameter_source(name) is not ParameterSource.DEFAULT
            }
            if given.get("copies_only") and "threshold" not in given:
                given["threshold"] = COPY_THRESHOLD
            try:
                params = dataclasses.replace(DEFAULT_PARAMS, **given)
            except DedupError as e:
                raise CLIError(_as_options(str(e))) from e
            return command(params=params, **kwargs)

        decorated: F = wrapper
        for option in reversed(options):
            decorated = option(decorated)
        return decorated

    return decorate


def _cpus() -> int:
    """The CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


@contextmanager
def _reading(enabled: bool | None) -> Iterator[Callable[[Article], None]]:
    """Progress on stderr that counts articles as they are read."""
    with progress(None, "reading", enabled, unit="article") as bar:

        def step(_article: Article) -> None:
            bar.update()

        yield step


def _progress(enabled: bool | None) -> Callable[[Iterable[object], str], Iterable[object]]:
    """Return a progress wrapper for ``scan``: one display on stderr per stage."""

    def bar(items: Iterable[object], stage: str) -> Iterable[object]:
        return progress(items, stage, enabled)  # type: ignore[no-any-return]

    return bar


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="dedup")
def cli() -> None:
    """Find reused, lightly edited and paraphrased passages in news articles.

    Every passage comes with exact character offsets into the original texts.

    Example:

    \b
        dedup compare a.txt b.txt
        dedup scan articles/ -o reuse.jsonl
    """


def _read_one(name: str) -> Article:
    """Read the one article that ``compare`` takes from a file or ``-``."""
    skipped: list[str] = []
    articles = read_articles([name], on_skip=skipped.append)
    if len(articles) != 1:
        why = skipped[0] if skipped else f"{name}: holds {len(articles)} articles"
        raise CLIError(f"{why}; compare takes one article per input")
    return articles[0]


@cli.command(name="compare")
@click.argument("a", metavar="A")
@click.argument("b", metavar="B")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@html_option
@click.option("--force", is_flag=True, help="Overwrite the --html file if it exists.")
@params_options(corpus=False)
def compare_command(
    a: str, b: str, fmt: str, html: Path | None, force: bool, params: Params
) -> None:
    """Show the passages of one article reused in another.

    A and B are text files; either may be - for stdin. Text output lists each passage with its
    kind, score, offsets and both snippets, then how much of each text is reused. JSON output is
    one object with the same, plus the dedup version and the parameters.

    Example:

    \b
        dedup compare original.txt rewrite.txt
        dedup compare original.txt rewrite.txt --format json --min-score 0.7
        dedup compare original.txt rewrite.txt --html pair.html
    """
    if a == b == "-":
        raise CLIError("A and B cannot both be - (standard input can be read only once)")
    check_output_path(html, force)
    try:
        first, second = _read_one(a), _read_one(b)
        result = compare(first.text, second.text, params)
    except DedupError as e:
        raise CLIError(str(e)) from e
    with output() as out:
        if fmt == "json":
            record = comparison_record(result, first.text, second.text, a_id=a, b_id=b)
            out.write(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
        else:
            write_comparison_text(result, first.text, second.text, out, a_id=a, b_id=b)
    if html is not None:
        named = (dataclasses.replace(first, id=a), dataclasses.replace(second, id=b))
        save_html(html, comparison_results(result, *named), force=force)


_WRITERS: dict[str, Callable[[Report, list[Article], TextIO], None]] = {
    "jsonl": write_scan_jsonl,
    "csv": write_scan_csv,
    "text": write_scan_text,
}


@cli.command(name="scan")
@click.argument("inputs", metavar="INPUT...", nargs=-1, required=True)
@click.option(
    "-o",
    "--output",
    "output_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the result to this file instead of stdout.",
)
@html_option
@click.option("--force", is_flag=True, help="Overwrite the -o or --html file if it exists.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(_WRITERS)),
    default="jsonl",
    show_default=True,
    help="Output format (csv: passages only).",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show progress bars on stderr.  [default: bars on a terminal; elsewhere (a CI log) "
    "a line every few seconds of a long run]",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes; the result is the same for any number.  [default: all CPUs]",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "spark"]),
    default="local",
    show_default=True,
    help="Where to run: this machine, or Apache Spark (needs pip install 'dedup-news[spark]' and "
    "Java 17+). The result is the same.",
)
@click.option(
    "--master",
    metavar="URL",
    default=None,
    help="Spark master for --engine spark: local[N], spark://HOST:PORT, yarn.  [default: local[*]]",
)
@click.option(
    "--partitions",
    type=click.IntRange(min=1),
    default=None,
    help="Spark partitions of the articles and of each shuffle (--engine spark).  "
    "[default: from the corpus size]",
)
@params_options(corpus=True)
def scan_command(
    inputs: tuple[str, ...],
    output_path: Path | None,
    html: Path | None,
    force: bool,
    fmt: str,
    progress: bool | None,
    jobs: int | None,
    engine: str,
    master: str | None,
    partitions: int | None,
    params: Params,
) -> None:
    """Find reused passages between (and inside) articles.

    INPUT is a .txt/.md file, a web page (.html/.htm), a crawl (.warc/.warc.gz), a folder
    (read recursively), a .jsonl file with one {"id", "text"} object a line, or - for stdin.
    JSONL output has a "meta" line (version, parameters), a "passage" line each, a "cluster"
    line per reuse cluster, then a "coverage" line per article. CSV has a row per passage,
    with the cluster (and its origin) it links to. A summary goes to stderr (the text format
    starts with it instead).

    With --engine spark the same scan runs on Apache Spark (--master local[2], a cluster's
    spark://HOST:PORT, yarn) and gives the same output.

    Example:

    \b
        dedup scan articles/ -o reuse.jsonl
        dedup scan feed.jsonl --format csv --no-within > reuse.csv
        dedup scan articles/ -o reuse.jsonl --html reuse.html
        dedup scan saved-pages/ crawl.warc.gz --format text
        dedup scan feed.jsonl --engine spark --master local[2] -o reuse.jsonl
    """
    if engine == "local" and (master is not None or partitions is not None):
        raise CLIError("--master and --partitions are for --engine spark")
    if engine == "spark" and jobs is not None:
        raise CLIError("--jobs is for --engine local; give Spark its cores with --master local[N]")
    check_output_path(output_path, force)
    check_output_path(html, force)
    try:
        with _reading(progress) as on_read:
            articles = read_articles(inputs, on_skip=warn, on_read=on_read)
        if not articles:
            raise CLIError("no articles to scan: every input was skipped (see the warnings)")
        if engine == "spark":
            from .spark import scan as spark_scan

            report = spark_scan(articles, params, master=master, partitions=partitions)
        else:
            report = scan(articles, params, progress=_progress(progress), jobs=jobs or _cpus())
    except DedupError as e:
        raise CLIError(str(e)) from e
    with output(output_path, force=force) as out:
        if fmt == "jsonl":
            write_scan_jsonl(report, articles, out, inputs=inputs)
        else:
            _WRITERS[fmt](report, articles, out)
    if html is not None:
        save_html(html, Results(report, tuple(articles), inputs), force=force)
    if fmt != "text" or output_path is not None:  # the text output starts with the summary
        click.echo(scan_summary(report), err=True)


cli.add_command(index_group)
cli.add_command(check_command)
cli.add_command(report_command)

"""The ``dedup index`` commands and ``dedup check``: a thin click layer over ``dedup.store``.

Exit codes of ``check``: 0 every article within budget, 1 some article over budget, 2 a usage,
input or index error. Reports go to stdout (or ``-o``); warnings and the summary to stderr.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from .cli_common import CLIError, check_output_path, echo, warn, write_file
from .cli_progress import progress as progress_display
from .cli_report import html_option, save_check_html
from .errors import ConfigError, DedupError, InputError
from .formats import (
    github_summary,
    render_github,
    render_json,
    render_sarif,
    render_text,
    summary,
)
from .inputs import Origin, read_articles
from .model import DEFAULT_PARAMS, Article
from .outputs import plural
from .store import Index
from .verdicts import (
    DEFAULT_POLICY,
    CheckResult,
    accept,
    dump_baseline,
    load_baseline,
    parse_allowlist,
    with_baseline,
)

F = TypeVar("F", bound=Callable[..., Any])


@contextmanager
def _errors() -> Iterator[None]:
    try:
        yield
    except DedupError as e:
        raise CLIError(str(e)) from e


def _index_options(command: F) -> F:
    """The parameters that decide an index's band keys; used when the index is made."""
    for name, kind, help_ in reversed(_INDEX_OPTIONS):
        command = click.option(
            f"--{name.replace('_', '-')}",
            name,
            type=kind,
            default=None,
            help=f"{help_}  [default: {getattr(DEFAULT_PARAMS, name)}, or the index's]",
        )(command)
    return command


_INDEX_OPTIONS: tuple[tuple[str, click.ParamType[Any, Any], str], ...] = (
    ("threshold", click.FloatRange(0, 1), "LSH Jaccard threshold for candidate sentence pairs."),
    ("shingle_size", click.IntRange(min=1), "Stems per shingle."),
    ("num_perm", click.IntRange(min=1), "MinHash permutations per sentence."),
    ("seed", click.INT, "MinHash seed."),
)


def _open(path: Path, given: dict[str, Any], *, read_only: bool) -> Index:
    """Open (or make) an index; parameters given on the command line must be the index's."""
    given = {k: v for k, v in given.items() if v is not None}
    if not path.exists():
        return Index(path, dataclasses.replace(DEFAULT_PARAMS, **given), read_only=read_only)
    index = Index(path, read_only=read_only)
    for name, value in given.items():
        have = getattr(index.params, name)
        if have != value:
            flag = name.replace("_", "-")
            index.close()
            raise ConfigError(
                f"{path}: the index was built with {name}={have}, got --{flag} {value}; "
                f"leave --{flag} out or build a new index"
            )
    return index


def _read(inputs: tuple[str, ...], origins: dict[str, Origin] | None = None) -> list[Article]:
    articles = read_articles(inputs, on_skip=warn, origins=origins)
    if not articles:
        raise InputError("no articles: every input was skipped (see the warnings)")
    return articles


@click.group(name="index")
def index_group() -> None:
    """Build and maintain an index of published articles (one SQLite file).

    Example:

    \b
        dedup index add published.db archive/
        dedup index info published.db
    """


@index_group.command(name="add")
@click.argument("index_path", metavar="INDEX", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("inputs", metavar="INPUT...", nargs=-1, required=True)
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Processes computing signatures (for large builds).")  # fmt: skip
@click.option("--progress/--no-progress", default=None,
              help="Show a progress bar on stderr.  [default: a bar on a terminal, "
              "a line every few seconds of a long run elsewhere]")  # fmt: skip
@_index_options
def add_command(
    index_path: Path, inputs: tuple[str, ...], jobs: int, progress: bool | None, **given: Any
) -> None:
    """Add articles to an index, making the file if it is missing.

    INPUT is read as by dedup scan (text files, web pages, crawls, folders, .jsonl, -). An
    article already indexed with the same text is left alone; one with a changed text
    replaces the old one.

    Example:

    \b
        dedup index add published.db archive/ --progress
        dedup index add published.db feed.jsonl --jobs 2
    """
    with _errors():
        articles = _read(inputs)
        with _open(index_path, given, read_only=False) as index:

            def bar(items: Iterable[Article]) -> Iterable[Article]:
                shown = progress_display(items, "indexing", progress, total=len(articles))
                return shown  # type: ignore[no-any-return]

            done = index.add(articles, progress=bar, workers=jobs)
            total = len(index)
    click.echo(
        f"{len(done.added)} added, {len(done.replaced)} replaced, {len(done.unchanged)} unchanged;"
        f" {index_path} holds {plural(total, 'article')}",
        err=True,
    )


@index_group.command(name="remove")
@click.argument("index_path", metavar="INDEX", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("ids", metavar="ID...", nargs=-1, required=True)
def remove_command(index_path: Path, ids: tuple[str, ...]) -> None:
    """Remove articles from an index by id (ids not in it are reported).

    Example:

    \b
        dedup index remove published.db archive/retracted.txt
    """
    with _errors():
        if not index_path.exists():
            raise InputError(f"{index_path}: no such index")
        with Index(index_path) as index:
            removed = index.remove(ids)
    for missing in sorted(set(ids) - set(removed)):
        warn(f"{missing}: not in {index_path}")
    click.echo(f"{len(removed)} removed", err=True)


@index_group.command(name="prune")
@click.argument("index_path", metavar="INDEX", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--before", required=True, metavar="DATE",
              help="Remove articles dated before this ISO date (undated ones stay).")  # fmt: skip
def prune_command(index_path: Path, before: str) -> None:
    """Remove the articles dated before a date (retention).

    Example:

    \b
        dedup index prune published.db --before 2023-01-01
    """
    with _errors():
        if not index_path.exists():
            raise InputError(f"{index_path}: no such index")
        with Index(index_path) as index:
            removed = index.prune(before)
    click.echo(f"{len(removed)} removed", err=True)


@index_group.command(name="info")
@click.argument("index_path", metavar="INDEX", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")  # fmt: skip
def info_command(index_path: Path, fmt: str) -> None:
    """Show an index's articles, sentences, size on disk, parameters and dedup version.

    Example:

    \b
        dedup index info published.db --format json
    """
    with _errors(), Index(index_path, read_only=True) as index:
        info = index.info()
    record = dataclasses.asdict(info)
    if fmt == "json":
        click.echo(json.dumps(record, indent=2))
        return
    per = info.size_bytes / info.articles if info.articles else 0
    click.echo(
        f"{info.path}: {plural(info.articles, 'article')}, "
        f"{plural(info.sentences, 'sentence')}, {plural(info.band_keys, 'band key')}, "
        f"{plural(info.stems, 'distinct stem')}\n"
        f"size on disk: {info.size_bytes / 2**20:.1f} MiB ({per / 1024:.1f} KiB per article)\n"
        f"dates: {info.oldest or '-'} to {info.newest or '-'}\n"
        f"made by dedup {info.created_by} on {info.created}; hash scheme {info.hash_scheme}, "
        f"{info.bands} bands of {info.rows} rows; fingerprint {info.fingerprint}\n"
        f"parameters: {json.dumps(info.params.to_dict())}"
    )


_FORMATS = ("text", "json", "github", "sarif")


@click.command(name="check")
@click.argument("inputs", metavar="INPUT...", nargs=-1, required=True)
@click.option("--index", "index_path", required=True, metavar="INDEX",
              type=click.Path(dir_okay=False, path_type=Path),
              help="The index of published articles (dedup index add).")  # fmt: skip
@click.option("--max-coverage", type=click.FloatRange(0, 1), show_default=True,
              default=DEFAULT_POLICY.max_coverage,
              help="Largest share of an article that may be reused.")  # fmt: skip
@click.option("--max-source-coverage", type=click.FloatRange(0, 1), show_default=True,
              default=DEFAULT_POLICY.max_source_coverage,
              help="Largest share of an article that may come from any one article.")  # fmt: skip
@click.option("--min-length", type=click.IntRange(min=0), default=None,
              help="Shortest passage to count, in characters.  [default: the index's, "
              f"{DEFAULT_PARAMS.min_length}]")  # fmt: skip
@click.option("--count-same-source", is_flag=True,
              help="Count reuse between articles of the same source (outlet).")  # fmt: skip
@click.option("--count-quotes", is_flag=True,
              help="Count shared quotes (passages 3/4 inside quotation marks).")  # fmt: skip
@click.option("--allow", "allow_file", type=click.Path(dir_okay=False, path_type=Path),
              help="File of ids or sources (one a line) whose reuse is not counted.")  # fmt: skip
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Baseline file: its known findings are not counted.")  # fmt: skip
@click.option("--write-baseline", type=click.Path(dir_okay=False, path_type=Path),
              help="Record every finding in this baseline file (reported as known).")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(_FORMATS), default="text",
              show_default=True, help="Report format.")  # fmt: skip
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to this file instead of stdout.")  # fmt: skip
@html_option
@click.option("--force", is_flag=True,
              help="Overwrite existing -o, --html and --write-baseline files.")  # fmt: skip
@click.option("--exit-zero", is_flag=True, help="Exit 0 even if an article is over budget.")
@click.option("--add", "add_passed", is_flag=True,
              help="Add the articles within budget to the index.")  # fmt: skip
@_index_options
def check_command(
    inputs: tuple[str, ...],
    index_path: Path,
    max_coverage: float,
    max_source_coverage: float,
    min_length: int | None,
    count_same_source: bool,
    count_quotes: bool,
    allow_file: Path | None,
    baseline_file: Path | None,
    write_baseline: Path | None,
    fmt: str,
    output: Path | None,
    html: Path | None,
    force: bool,
    exit_zero: bool,
    add_passed: bool,
    **given: Any,
) -> None:
    """Check new articles against an index of published ones; exit 1 if one reuses too much.

    Each INPUT article is compared with the indexed articles and with the other inputs. Reuse
    between articles of the same source, or from an --allow id or source, or listed in the
    --baseline, and shared quotes (unless --count-quotes) are reported but not counted.
    Exit codes: 0 within budget, 1 over budget, 2 usage, input or index error (also when
    --threshold, --num-perm, --seed or --shingle-size differ from the index's).

    Example:

    \b
        dedup check drafts/*.txt --index published.db
        dedup check new.jsonl --index published.db --format sarif -o dedup.sarif
    """
    for path in (output, html, write_baseline):
        check_output_path(path, force)
    with _errors():
        policy = dataclasses.replace(
            DEFAULT_POLICY,
            max_coverage=max_coverage,
            max_source_coverage=max_source_coverage,
            count_same_source=count_same_source,
            count_quotes=count_quotes,
            allow=parse_allowlist(_read_file(allow_file)) if allow_file else frozenset(),
        )
        if baseline_file is not None:
            policy = with_baseline(
                policy, load_baseline(_read_file(baseline_file), str(baseline_file))
            )
        origins: dict[str, Origin] = {}
        articles = _read(inputs, origins)
        if not index_path.exists():
            raise InputError(f"{index_path}: no such index; make it with dedup index add")
        with _open(index_path, given, read_only=not add_passed) as index:
            params = index.params
            if min_length is not None:
                params = dataclasses.replace(params, min_length=min_length)
            result = index.check(articles, policy, params=params)
            if write_baseline is not None:
                write_file(write_baseline, dump_baseline(result))
                found = sum(len(v.findings) for v in result.verdicts)
                click.echo(f"{write_baseline}: {plural(found, 'finding')} recorded", err=True)
                result = accept(result, articles)  # as a check with that baseline reports it
            if html is not None:
                save_check_html(html, result, articles, index, inputs=inputs)
            if add_passed:
                done = index.add(
                    a for a, v in zip(articles, result.verdicts, strict=True) if v.passed
                )
                click.echo(
                    f"{len(done.added) + len(done.replaced)} added to {index_path}", err=True
                )
        _report(result, articles, origins, fmt, output)
    click.echo(summary(result), err=True)
    if not result.passed and not exit_zero:
        sys.exit(1)


def _report(
    result: CheckResult,
    articles: list[Article],
    origins: dict[str, Origin],
    fmt: str,
    output: Path | None,
) -> None:
    texts = {a.id: a.text for a in articles}
    if fmt == "json":
        report = render_json(result)
    elif fmt == "github":
        report = render_github(result, texts, origins)
        step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if step_summary:
            with Path(step_summary).open("a", encoding="utf-8") as f:
                f.write(github_summary(result))
    elif fmt == "sarif":
        report = render_sarif(result, texts, origins)
    else:
        report = render_text(result)
    if output is None:
        echo(report)
    else:
        write_file(output, report)


def _read_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: cannot read the file ({e})") from e

"""The HTML report: the view records of ``view.py`` rendered into one self-contained page.

``render_html`` renders them with the Jinja2 template ``templates/report.html`` (autoescaped)
into a single page with its CSS and script inline, which opens from disk without a network.
Jinja2 (and its markupsafe) are imported here only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from markupsafe import Markup

from ..model import Article, Report
from .view import MAX_ROWS, build_view

if TYPE_CHECKING:
    from .check_rows import CheckView

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("dedup.report", "templates"),
    autoescape=True,  # explicit: every value is escaped, whatever the template's name
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def render_html(
    report: Report,
    articles: Iterable[Article],
    *,
    inputs: Sequence[str] = (),
    notes: Sequence[tuple[str, str]] = (),
    origin: str = "scan",
    generated: str | None = None,
    title: str | None = None,
    max_rows: int = MAX_ROWS,
    check: CheckView | None = None,
) -> str:
    """Render a report as one self-contained HTML page (inline CSS and script, no network).

    The arguments are those of ``build_view``.

    Returns:
        The page, as text (write it as UTF-8).
    """
    view = build_view(
        report,
        articles,
        inputs=inputs,
        notes=notes,
        origin=origin,
        generated=generated,
        title=title,
        max_rows=max_rows,
        check=check,
    )
    # The JSON block is escaped for its <script> element by build_view (see view.py).
    return _ENV.get_template("report.html").render(view=view, data=Markup(view.data))


def write_html(
    path: str | Path,
    report: Report,
    articles: Iterable[Article],
    *,
    overwrite: bool = False,
    inputs: Sequence[str] = (),
    notes: Sequence[tuple[str, str]] = (),
    origin: str = "scan",
    generated: str | None = None,
    title: str | None = None,
    max_rows: int = MAX_ROWS,
    check: CheckView | None = None,
) -> None:
    """Render a report (see ``render_html``) and write it to ``path`` as UTF-8.

    Raises:
        FileExistsError: ``path`` exists and ``overwrite`` is false.
        OSError: the file cannot be written.
    """
    html = render_html(
        report,
        articles,
        inputs=inputs,
        notes=notes,
        origin=origin,
        generated=generated,
        title=title,
        max_rows=max_rows,
        check=check,
    )
    with Path(path).open("w" if overwrite else "x", encoding="utf-8", newline="") as f:
        f.write(html)

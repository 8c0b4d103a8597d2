"""Self-contained HTML reports of reuse: an overview and side-by-side views of each pair.

>>> from dedup import Article, scan
>>> text = "The mayor resigned on Tuesday after a long dispute with the council."
>>> articles = [Article("a", text), Article("b", "Officials said: " + text)]
>>> html = render_html(scan(articles), articles)
>>> html.startswith("<!DOCTYPE html>")
True
"""

from __future__ import annotations

from .check_rows import CheckView, VerdictRow
from .checks import check_results, check_view
from .html import render_html, write_html
from .view import ArticleRow, Bar, PairRow, ReportView, build_view

__all__ = [
    "ArticleRow",
    "Bar",
    "CheckView",
    "PairRow",
    "ReportView",
    "VerdictRow",
    "build_view",
    "check_results",
    "check_view",
    "render_html",
    "write_html",
]

"""The main text of a web page, extracted with trafilatura (the only module that imports it).

``extract_page`` keeps the article and leaves out the page's furniture: navigation, cookie
banners, share buttons, newsletter boxes, related links, comments and footers. trafilatura is
asked to favour precision over recall, with no comments, tables, images or links, and with
``fast=True``: its fallback extractors (readability, jusText) take the whole page when the main
extractor finds no article, which brings the menus back. A page without an article gives
``None``, and its reader counts it as a skip.

The text of a page is its title, a blank line and the body (paragraphs one a line); a body line
that repeats the title (the page's ``<h1>``) is dropped. The date is the one the page states in
its metadata (``article:published_time``, ``<meta name="date">``, ``<time>``...), never a year
guessed from the copyright line; the URL is the canonical one (``<link rel="canonical">``,
``og:url``), else the one given; the site is the page's name for itself (``og:site_name``...),
else the URL's host name.

Reference: A. Barbaresi, "Trafilatura: A Web Scraping Library and Command-Line Tool for Text
Discovery and Extraction", ACL-IJCNLP 2021 System Demonstrations.
"""

from __future__ import annotations

from dataclasses import dataclass

import trafilatura


@dataclass(frozen=True, slots=True)
class Page:
    """The article of a web page: ``text`` is title, blank line, body; the rest may be None."""

    text: str
    title: str | None = None
    date: str | None = None
    url: str | None = None
    site: str | None = None


def extract_page(html: bytes | str, *, url: str | None = None) -> Page | None:
    """Extract the article of a web page, or None if it has no article text.

    Args:
        html: the page, as bytes (its encoding is read from the page) or text.
        url: where the page was found, if known: the fallback for the page's URL and site,
            and the base of a relative canonical link.

    Returns:
        The page's article, or None for a page without one (only menus, an empty body).

    >>> page = extract_page(
    ...     "<html><head><title>Bridge shut</title></head><body><nav><a href='/'>Home</a></nav>"
    ...     "<article><h1>Bridge shut</h1><p>The old harbour bridge closed on Tuesday after "
    ...     "engineers found cracks in its supports.</p></article></body></html>",
    ...     url="https://news.example/bridge",
    ... )
    >>> print(page.text)
    Bridge shut
    <BLANKLINE>
    The old harbour bridge closed on Tuesday after engineers found cracks in its supports.
    >>> page.url, page.site
    ('https://news.example/bridge', 'news.example')
    """
    doc = trafilatura.bare_extraction(
        html,
        url=url,
        fast=True,
        favor_precision=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        with_metadata=True,
        # Only dates the page states; extensive search would take the copyright year.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if doc is None or isinstance(doc, dict):
        return None
    title = _clean(doc.title)
    lines = [line.strip() for line in (doc.text or "").split("\n")]
    body = [line for line in lines if line]
    if body and title is not None and body[0] == title:
        body = body[1:]
    if not body:
        return None
    text = "\n".join(body) if title is None else f"{title}\n\n" + "\n".join(body)
    return Page(
        text,
        title=title,
        date=_clean(doc.date),
        url=_clean(doc.url) or url,
        site=_clean(doc.sitename) or _clean(doc.hostname),
    )


def _clean(value: object) -> str | None:
    """A metadata string stripped, or None when missing or blank."""
    if not isinstance(value, str):
        return None
    return value.strip() or None

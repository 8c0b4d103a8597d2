"""Web crawls: the HTML pages in a WARC file, read with warcio (the only module that imports it).

``read_captures`` streams a ``.warc`` or ``.warc.gz`` file record by record, so a crawl of many
gigabytes is read in bounded memory: one page body at a time, at most ``MAX_PAGE_BYTES``. It
yields each HTML page a crawler fetched (a ``response`` record with HTTP status 200 and an HTML
content type) and counts every other record by the reason it is not a page, so that the reader
can report them in one line per file.

Reference: ISO 28500:2017, WARC file format 1.1 (https://iipc.github.io/warc-specifications/).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import WARCIterator
from warcio.exceptions import ArchiveLoadFailed

from .errors import InputError

# A news page is well under a megabyte; a larger "text/html" body is a dump, not an article.
MAX_PAGE_BYTES = 16 * 2**20
_HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True, slots=True)
class Capture:
    """One HTML page of a crawl: its URL (``WARC-Target-URI``), ``WARC-Date`` and body.

    The body is text when the HTTP ``Content-Type`` names a charset Python knows (decoded with
    it, bad bytes replaced), else bytes, whose encoding the page itself declares.
    """

    uri: str
    date: str | None
    html: bytes | str


def read_captures(path: Path, skipped: Counter[str]) -> Iterator[Capture]:
    """Yield the HTML pages of a WARC file, in file order, counting the other records.

    Args:
        path: a ``.warc`` or ``.warc.gz`` file (gzip is detected, whatever the name).
        skipped: incremented, for each record that is not a page, under its reason
            (``"request records"``, ``"responses with HTTP status 404"``, ...).

    Yields:
        Each HTML page fetched with HTTP status 200.

    Raises:
        InputError: a file that is not a WARC file, or one cut short.
    """
    try:
        with path.open("rb") as stream:
            # WARCIterator, not ArchiveIterator: that one reads any line of text as an ARC header.
            yield from _captures(WARCIterator(stream), skipped)
    except OSError as e:
        raise InputError(f"{path}: cannot read the file ({e.strerror or e})") from e
    except ArchiveLoadFailed as e:
        raise InputError(f"{path}: not a readable WARC file ({e}); give a .warc or .warc.gz") from e


def _captures(records: WARCIterator, skipped: Counter[str]) -> Iterator[Capture]:
    for record in records:
        kind = record.rec_type
        if kind != "response":
            skipped[f"{kind} records" if kind else "records without WARC-Type"] += 1
            continue
        http = record.http_headers
        if http is None:
            skipped["responses without HTTP headers"] += 1
            continue
        status = http.get_statuscode()
        if status != "200":
            skipped[f"responses with HTTP status {status}"] += 1
            continue
        content_type, *params = (http.get_header("Content-Type") or "").lower().split(";")
        content_type = content_type.strip()
        if content_type not in _HTML_TYPES:
            skipped[f"{content_type or 'untyped'} responses"] += 1
            continue
        body = record.content_stream().read(MAX_PAGE_BYTES + 1)
        if len(body) > MAX_PAGE_BYTES:
            skipped[f"pages over {MAX_PAGE_BYTES // 2**20} MiB"] += 1
            continue
        uri = record.rec_headers.get_header("WARC-Target-URI")
        if not uri:
            skipped["responses without WARC-Target-URI"] += 1
            continue
        html = _decode(body, params)
        yield Capture(uri.strip("<>"), record.rec_headers.get_header("WARC-Date"), html)


def _decode(body: bytes, params: list[str]) -> bytes | str:
    """The body decoded with the charset of its Content-Type, or as it is without one."""
    for param in params:
        name, _, value = param.partition("=")
        if name.strip() == "charset":
            try:
                return body.decode(value.strip().strip('"'), errors="replace")
            except LookupError:  # a charset Python does not know: let the page say
                return body
    return body

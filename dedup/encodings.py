r"""Decoding input bytes to text: UTF-8, and UTF-16 or UTF-32 with a byte-order mark.

The encoding is decided by the first bytes, never guessed:

* a UTF-32 BOM (``FF FE 00 00`` or ``00 00 FE FF``) or a UTF-16 BOM (``FF FE``, ``FE FF``): the
  file is decoded as UTF-32 or UTF-16 and the BOM is dropped, as Python's ``utf-32`` and
  ``utf-16`` codecs drop it (``open(f, encoding="utf-16", newline="")`` reads the same text);
* otherwise UTF-8. A UTF-8 BOM is kept as character 0 (U+FEFF) of a plain-text article, so that
  offsets index the file as ``open(f, encoding="utf-8", newline="")`` reads it and
  ``text[start:end]`` of that string is exactly a reported snippet. JSONL and saved results
  drop it (``keep_bom=False``): their offsets index the texts inside the records.

Data without a BOM that contains a NUL byte is refused as binary. Nothing else is changed
(``\r\n`` stays), so every offset dedup reports is a character (code point) offset.
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import TextIO

from .errors import InputError

BOM = "\ufeff"
# UTF-32 first: its little-endian BOM starts with the UTF-16 one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes, place: str, *, keep_bom: bool = False) -> str:
    r"""Decode input bytes, refusing binary data with a message naming ``place``.

    Args:
        data: the bytes of a file or stream.
        place: the file name (or ``<stdin>``) for messages.
        keep_bom: keep a UTF-8 byte-order mark as character 0 (for plain-text articles).

    Returns:
        The text, with line endings as stored.

    Raises:
        InputError: NUL bytes without a UTF-16/32 BOM, or bytes invalid in the encoding.

    >>> decode("Hi".encode("utf-16"), "a.txt"), decode(b"\xef\xbb\xbfHi", "a.txt")
    ('Hi', 'Hi')
    >>> decode(b"\xef\xbb\xbfHi", "a.txt", keep_bom=True)
    '\ufeffHi'
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode(data, place, encoding)
    if b"\0" in data:
        raise InputError(
            f"{place}: file looks binary (it contains NUL bytes and no UTF-16 or UTF-32 "
            "byte-order mark); dedup reads UTF-8 text, or UTF-16/32 with a byte-order mark"
        )
    return _decode(data, place, "utf-8" if keep_bom else "utf-8-sig")


def _decode(data: bytes, place: str, encoding: str) -> str:
    """Decode with ``encoding``; an error names the line it is on."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        name = "UTF-8" if encoding.startswith("utf-8") else encoding.upper()
        line = data[: e.start].decode(encoding, errors="replace").count("\n") + 1
        raise InputError(
            f"{place}:{line}: not valid {name} (byte {e.start}: {e.reason}); save the file as UTF-8"
        ) from e


def read_text_file(path: Path, *, keep_bom: bool = False) -> str:
    """Read a file as text, exactly as stored (no newline translation); see ``decode``."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"{path}: cannot read the file ({e.strerror})") from e
    return decode(data, str(path), keep_bom=keep_bom)


def read_stream(stream: TextIO, *, keep_bom: bool = False) -> str:
    """Read all of a text stream, from its bytes where it has them (so CRLF stays)."""
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        return decode(buffer.read(), "<stdin>", keep_bom=keep_bom)
    text = stream.read()
    if "\0" in text:
        raise InputError("<stdin>: input looks binary (it contains NUL bytes); give UTF-8 text")
    return text if keep_bom else text.removeprefix(BOM)

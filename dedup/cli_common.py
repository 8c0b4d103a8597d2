"""What every ``dedup`` command shares: its error (exit 2), warnings and writing results safely.

Results are written so that nothing is lost or left half-done, and every failure is a message,
never a traceback:

* an output path is checked before any work: a file that exists is kept unless ``--force``
  is given, and a folder that does not exist or cannot be written to is named at once;
  a device or a pipe (``-o /dev/stdout``) is not a file that could be overwritten;
* a file is written under a temporary name beside it and renamed when complete, so a full
  disk or an interrupted run leaves the old file (or none), never a truncated one;
* a full disk, a closed pipe (``dedup scan ... | head``) or any other write error ends the
  command with ``Error: ...`` and exit code 2.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import click


class CLIError(click.ClickException):
    """A usage, input, parameter or output error: ``Error: ...`` on stderr, exit code 2."""

    exit_code = 2


def warn(message: str) -> None:
    """Print a warning on stderr."""
    click.echo(f"warning: {message}", err=True)


def check_output_path(path: Path | None, force: bool) -> None:
    """Stop before any work when ``path`` could not be written or would be overwritten.

    Raises:
        CLIError: ``path`` is a folder, its folder is missing or not writable, or it is an
            existing file and ``force`` is false.
    """
    if path is None:
        return
    if path.is_dir():
        raise CLIError(f"{path} is a folder; give a file name")
    if path.exists() and not path.is_file():
        return  # a device or a pipe: writing to it overwrites nothing
    if path.exists() and not force:
        raise CLIError(f"{path} already exists; pass --force to overwrite it")
    folder = path.parent
    if not folder.is_dir():
        raise CLIError(f"{path}: cannot write (the folder {folder} does not exist)")
    if not os.access(folder, os.W_OK):
        raise CLIError(f"{path}: cannot write (no permission to write in {folder})")


def _cannot_write(where: str, error: OSError) -> CLIError:
    why = error.strerror or str(error)
    if isinstance(error, BrokenPipeError):
        why = "the pipe was closed before the end of the output"
    return CLIError(f"{where}: cannot write ({why})")


@contextlib.contextmanager
def output(path: Path | None = None, *, force: bool = False) -> Iterator[TextIO]:
    """Open ``path`` (or stdout) for UTF-8 text without newline translation.

    A regular file is written under a temporary name and renamed into place when the block
    ends without an error. Write errors become a ``CLIError`` naming the output.
    """
    if path is None:
        with _stdout() as stream:
            yield stream
        return
    if path.exists() and not path.is_file():  # /dev/stdout, a named pipe
        try:
            with path.open("w", encoding="utf-8", newline="") as handle:
                yield handle
        except OSError as e:
            raise _cannot_write(str(path), e) from e
        return
    check_output_path(path, force)
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as e:
        raise _cannot_write(str(path), e) from e
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
        if not force and path.exists():
            raise CLIError(f"{path} already exists; pass --force to overwrite it")
        Path(temp).replace(path)
    except OSError as e:
        raise _cannot_write(str(path), e) from e
    finally:
        with contextlib.suppress(FileNotFoundError):
            Path(temp).unlink()


@contextlib.contextmanager
def _stdout() -> Iterator[TextIO]:
    """Standard output as UTF-8 text without newline translation; write errors as CLIError."""
    try:
        if not hasattr(sys.stdout, "buffer"):  # stdout replaced by a text-only stream
            yield sys.stdout
            sys.stdout.flush()
            return
        sys.stdout.flush()
        stream = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
        try:
            yield stream
            stream.flush()
        finally:
            stream.detach()  # leave stdout itself open
    except OSError as e:
        silence_stdout()
        raise _cannot_write("standard output", e) from e


def write_file(path: Path, text: str, *, force: bool = True) -> None:
    """Write ``text`` to ``path`` (UTF-8), completely or not at all."""
    with output(path, force=force) as out:
        out.write(text)


def echo(text: str) -> None:
    """Print ``text`` on stdout as it is (no newline added); write errors as CLIError."""
    with _stdout() as out:
        out.write(text)


def silence_stdout() -> None:
    """Point stdout at the null device, so that Python's exit does not flush into an error."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


class Group(click.Group):
    """A click group whose commands end with a message, not a traceback, on a write error."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; flush stdout inside, so a full disk or closed pipe is reported."""
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()
        except OSError as e:
            if e.filename is not None:  # a file that no command turned into a message
                raise CLIError(f"{e.filename}: {e.strerror or e}") from e
            silence_stdout()
            raise _cannot_write("standard output", e) from e
        return result

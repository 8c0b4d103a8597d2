"""Progress on stderr: a bar on a terminal, a plain line every few seconds in a log.

On a terminal (or with ``--progress``) a command shows tqdm bars. When stderr is not a terminal
(a CI log, a pipe, a file) a bar's carriage returns would fill the log with one long line, and
showing nothing leaves a long run silent: there the command prints a line such as
``sentences: 4,000 of 10,805 (37%), 8 s`` every ``PROGRESS_SECONDS``, and a last line when a stage
that printed one ends. A run shorter than that prints nothing. A line comes every few seconds
even while one item takes long (one very long article aligned with itself): the count stays,
the time goes on. ``--no-progress`` turns all of it off.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sized
from typing import Any, TextIO

PROGRESS_SECONDS = 5.0


class Ticker:
    """Counts items of one stage and writes a line to ``out`` at most every ``every`` seconds.

    It wraps an iterable (``for x in Ticker(items, "stage")``) or is fed by ``update``.

    >>> import io
    >>> clock = iter(range(0, 100, 3)).__next__
    >>> out = io.StringIO()
    >>> list(Ticker(range(4), "aligning", out=out, every=5, clock=clock))
    [0, 1, 2, 3]
    >>> print(out.getvalue(), end="")
    aligning: 2 of 4 (50%), 6 s
    aligning: 4 of 4 (100%), 12 s
    """

    def __init__(
        self,
        items: Iterable[Any] | None,
        desc: str,
        *,
        total: int | None = None,
        unit: str = "",
        out: TextIO | None = None,
        every: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._items = items
        self._desc = desc
        self._unit = unit
        self._out = out
        self._every = PROGRESS_SECONDS if every is None else every
        self._clock = clock
        if total is None and isinstance(items, Sized):
            total = len(items)
        self._total = total
        self._done = 0
        self._start = self._last = clock()
        self._shown: int | None = None  # the count the last line showed
        self._lock = threading.Lock()
        self._stop = threading.Event()

    def __iter__(self) -> Iterator[Any]:
        assert self._items is not None
        beat = None
        if self._every > 0 and self._clock is time.monotonic:  # real time: lines while waiting
            beat = threading.Thread(target=self._beat, daemon=True)
            beat.start()
        try:
            for item in self._items:
                yield item
                self.update()
        finally:
            self._stop.set()
            if beat is not None:
                beat.join()
        self.close()

    def _beat(self) -> None:
        """Write a line every ``every`` seconds that passed without one, until the stage ends."""
        while not self._stop.wait(self._every / 4):
            with self._lock:
                now = self._clock()
                if now - self._last >= self._every:
                    self._last = now
                    self._line(now)

    def __enter__(self) -> Ticker:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def update(self, n: int = 1) -> None:
        """Count ``n`` more items; write a line if ``every`` seconds passed since the last."""
        with self._lock:
            self._done += n
            now = self._clock()
            if now - self._last >= self._every:
                self._last = now
                self._line(now)

    def close(self) -> None:
        """Write the last count, if a line was written before and showed fewer (a long stage)."""
        if self._shown is not None and self._shown != self._done:
            self._line(self._clock())

    def _line(self, now: float) -> None:
        count = f"{self._done:,}"
        if self._total:
            count += f" of {self._total:,} ({self._done / self._total:.0%})"
        unit = f" {self._unit}{'' if self._done == 1 else 's'}" if self._unit else ""
        out = self._out if self._out is not None else sys.stderr
        out.write(f"{self._desc}: {count}{unit}, {now - self._start:.0f} s\n")
        out.flush()
        self._shown = self._done


class _Silent:
    """No progress at all (``--no-progress``)."""

    def __init__(self, items: Iterable[Any] | None) -> None:
        self._items = items

    def __iter__(self) -> Iterator[Any]:
        assert self._items is not None
        return iter(self._items)

    def __enter__(self) -> _Silent:
        return self

    def __exit__(self, *_exc: object) -> None:
        pass

    def update(self, n: int = 1) -> None:
        """Count nothing."""


def progress(
    items: Iterable[Any] | None,
    desc: str,
    enabled: bool | None,
    *,
    total: int | None = None,
    unit: str = "",
) -> Any:
    """A progress display for one stage: a tqdm bar, a ``Ticker`` for logs, or nothing.

    Args:
        items: the iterable to wrap, or ``None`` for a display fed with ``update``.
        desc: the stage's name.
        enabled: ``True`` a bar, ``False`` nothing, ``None`` a bar on a terminal and a line every
            few seconds elsewhere.
        total: the number of items, when ``items`` has no length.
        unit: what is counted, singular ("article").
    """
    if enabled is False:
        return _Silent(items)
    if enabled or sys.stderr.isatty():
        from tqdm import tqdm  # imported when a bar is shown

        return tqdm(
            items, desc=desc, total=total, unit=f" {unit}s" if unit else "it", file=sys.stderr
        )
    return Ticker(items, desc, total=total, unit=unit)

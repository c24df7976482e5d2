"""Download progress: a text bar on a terminal, a line at the start and end in logs."""

from __future__ import annotations

import logging
import sys
from typing import IO, Protocol

log = logging.getLogger(__name__)


class Progress(Protocol):
    def start(self, total: int | None, done: int) -> None: ...
    def advance(self, n: int) -> None: ...
    def finish(self) -> None: ...


class TextProgressBar:
    """A one-line text bar redrawn with carriage returns, for a terminal."""

    def __init__(self, label: str, stream: IO[str] | None = None, width: int = 30) -> None:
        self.label, self.stream, self.width = label, stream or sys.stderr, width
        self.total: int | None = None
        self.done = 0

    def start(self, total: int | None, done: int) -> None:
        self.total, self.done = total, done
        self._draw()

    def advance(self, n: int) -> None:
        self.done += n
        self._draw()

    def finish(self) -> None:
        self._draw()
        self.stream.write("\n")
        self.stream.flush()

    def _draw(self) -> None:
        mb = self.done / 1e6
        if self.total:
            share = min(self.done / self.total, 1.0)
            filled = int(share * self.width)
            bar = "#" * filled + "." * (self.width - filled)
            text = f"{self.label} [{bar}] {share:4.0%} {mb:.1f}/{self.total / 1e6:.1f} MB"
        else:
            text = f"{self.label} {mb:.1f} MB"
        self.stream.write("\r" + text)
        self.stream.flush()


class LogProgress:
    """Quiet progress for logs: one line at the start and one at the end."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.total: int | None = None
        self.done = 0

    def start(self, total: int | None, done: int) -> None:
        self.total, self.done = total, done
        resumed = f" (resuming at {done} bytes)" if done else ""
        log.info("downloading %s: %s bytes%s", self.label, total or "unknown", resumed)

    def advance(self, n: int) -> None:
        self.done += n

    def finish(self) -> None:
        log.info("downloaded %s: %d bytes", self.label, self.done)


def make_progress(label: str, progress: bool | Progress | None = None) -> Progress:
    """A text bar on a terminal (or when `progress` is True), log lines otherwise.

    A Progress object given as `progress` is returned as it is.
    """
    if progress is not None and not isinstance(progress, bool):
        return progress
    on_terminal = sys.stderr.isatty() if progress is None else progress
    return TextProgressBar(label) if on_terminal else LogProgress(label)

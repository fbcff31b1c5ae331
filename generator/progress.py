"""Progress of a long stage: a bar on a terminal, a few plain lines in a CI log.

A build of a city's archive takes minutes; a maintainer should see that it moves and
how far it has come. On a terminal one line is redrawn in place; elsewhere (CI, a
pipe) a line is written at every tenth, so a log stays short and readable.
"""
from __future__ import annotations

import sys
import time
from typing import TextIO

BAR_WIDTH = 30
REDRAW_SECONDS = 0.1
LOG_FROM = 1000  # a stage of fewer units is quick: a log gets no lines for it


class Progress:
    """Counts done units of one stage; `done` clears what the terminal showed."""

    def __init__(self, label: str, total: int, stream: TextIO, terminal: bool):
        self.label = label
        self.total = max(total, 1)
        self.stream = stream
        self.terminal = terminal
        self.count = 0
        self.shown_tenth = 0 if total >= LOG_FROM else 10
        self.started = self.drawn_at = time.monotonic()
        self.drawn = False

    def advance(self, units: int = 1) -> None:
        self.count = min(self.total, self.count + units)
        if self.terminal:
            now = time.monotonic()
            if now - self.drawn_at >= REDRAW_SECONDS:
                self.drawn_at = now
                self.drawn = True
                filled = BAR_WIDTH * self.count // self.total
                self.stream.write(f"\r  {self.label:<10} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] "
                                  f"{self.count}/{self.total}")
                self.stream.flush()
            return
        tenth = 10 * self.count // self.total
        if tenth > self.shown_tenth and self.count < self.total:
            self.shown_tenth = tenth
            self.stream.write(f"  {self.label:<10} {self.count}/{self.total} ({tenth * 10} %)\n")
            self.stream.flush()

    def done(self) -> None:
        if self.drawn:
            self.stream.write("\r" + " " * (BAR_WIDTH + 40 + len(self.label)) + "\r")
            self.stream.flush()


class Silent:
    """No progress shown (tests, library use)."""

    def advance(self, units: int = 1) -> None:
        pass

    def done(self) -> None:
        pass


def shown_on(stream: TextIO = sys.stderr):
    """A factory of Progress for `build(progress=...)`, drawing on `stream`."""
    terminal = stream.isatty()
    return lambda label, total: Progress(label, total, stream, terminal)


def silent(label: str, total: int) -> Silent:
    return Silent()

"""Long stages show how far they have come: plain lines in a log, a bar on a terminal."""
from __future__ import annotations

import io
import re

from generator import progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_log_gets_a_line_at_every_tenth_and_nothing_for_short_stages():
    log = io.StringIO()
    shown = progress.shown_on(log)("render", 2000)
    for _ in range(2000):
        shown.advance()
    shown.done()
    lines = log.getvalue().splitlines()
    assert lines[0] == "  render     200/2000 (10 %)"
    assert lines[-1] == "  render     1800/2000 (90 %)"
    assert len(lines) == 9
    short = io.StringIO()
    quick = progress.shown_on(short)("load", 95)
    for _ in range(95):
        quick.advance()
    assert short.getvalue() == ""


def test_a_terminal_gets_one_redrawn_bar_cleared_at_the_end(monkeypatch):
    clock = iter(range(0, 10_000))
    monkeypatch.setattr(progress.time, "monotonic", lambda: next(clock) * 0.05)
    screen = Terminal()
    shown = progress.shown_on(screen)("index", 40)
    for _ in range(40):
        shown.advance()
    drawn = screen.getvalue()
    assert "\n" not in drawn
    bars = re.findall(r"\r  index      \[(#*)\.*\] (\d+)/40", drawn)
    assert len(bars) > 5 and bars[-1][1] in ("39", "40") and len(bars[-1][0]) >= 29
    shown.done()
    assert screen.getvalue().endswith("\r")

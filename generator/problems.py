"""Problems found in content or output: each names a file, a line and a field.

Stages collect problems instead of stopping at the first, so a maintainer sees every
mistake in one run (Zola and Sphinx do the same; Eleventy's one-at-a-time regrets it).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

# One problem, one line: a line break or a terminal escape in a value, a field name or a
# file name is shown escaped ('\n', '\x1b'), never acted on.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    field: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        subject = f" [{self.field}]" if self.field else ""
        hint = f" ({self.hint})" if self.hint else ""
        text = f"{where}:{subject} {self.message}{hint}"
        return _UNPRINTABLE.sub(lambda match: repr(match.group())[1:-1], text)


@dataclass
class Problems:
    items: list[Problem] = field(default_factory=list)

    def add(self, path: str, line: int, field_name: str, message: str, hint: str = "") -> None:
        self.items.append(Problem(str(path), line, field_name, message, hint))

    def extend(self, other: "Problems") -> None:
        self.items.extend(other.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def sorted(self) -> list[Problem]:
        return sorted(set(self.items))


class BuildFailed(Exception):
    """Raised by a stage when its input cannot become a site; carries every problem."""

    def __init__(self, problems: list[Problem], stage: str):
        self.problems = problems
        self.stage = stage
        super().__init__(f"{len(problems)} problem(s) in {stage}")

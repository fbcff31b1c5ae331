"""Party positions: everything a party said, on what, gathered from motions and statements.

A position counts for the party the archive knows (Person.party and Statement.parties),
not for a party a protocol misprinted; the page shows the editorial note beside it.
Each position carries a short excerpt: the first paragraph that speaks of the topic at
hand (by the topic's keywords), or else the statement's opening.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Optional

from .models import Decision, Motion, Statement, Topic

EXCERPT_LENGTH = 280
_MARKUP = re.compile(r"^\s*(?:#{1,6}\s+|\d+\.\s+|[-*]\s+)", re.MULTILINE)


@dataclass(frozen=True)
class Position:
    """A motion a party authored, or a statement it made or stood behind."""

    kind: str  # "motion", or a statement kind: "förslag", "reservation", ...
    party: str
    item: Decision | Motion
    statement: Optional[Statement]
    date: Optional[date]
    board: Optional[str]
    persons: tuple[str, ...]  # those who spoke for the party, as ids
    topics: tuple[str, ...]

    @property
    def sort_key(self) -> tuple:
        # Newest first; undated last; then a stable order by item and statement.
        return (self.date is None, -(self.date.toordinal() if self.date else 0),
                self.item.id, self.statement.id if self.statement else "")


def party_speakers(persons: dict, statement: Statement, party: str) -> tuple:
    """The statement's speakers (models.Speaker) who speak for `party`, as the archive
    knows them."""
    return tuple(sp for sp in statement.speakers if (persons[sp.person].party or sp.party_as_written) == party)


def paragraphs(markdown: str | None) -> list[str]:
    """Plain-text paragraphs of a Markdown text, headings and list markers dropped."""
    if not markdown:
        return []
    result = []
    for block in re.split(r"\n\s*\n", markdown):
        text = " ".join(_MARKUP.sub("", block).split())
        if text and not block.lstrip().startswith("#"):
            result.append(text)
    return result


def statement_paragraphs(statement: Statement) -> list[str]:
    return paragraphs(statement.lead) + list(statement.points) + paragraphs(statement.text)


def motion_paragraphs(motion: Motion) -> list[str]:
    return [motion.title] + list(motion.proposals) + paragraphs(motion.body)


def excerpt(texts: list[str], topic: Topic | None = None) -> str:
    """The paragraph that speaks of the topic, else the first, cut at a word."""
    chosen = texts[0] if texts else ""
    if topic is not None:
        words = [w.lower() for w in (topic.keywords or (topic.name,))]
        for text in texts:
            if any(w in text.lower() for w in words):
                chosen = text
                break
    if len(chosen) <= EXCERPT_LENGTH:
        return chosen
    cut = chosen[:EXCERPT_LENGTH].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + " …"


def position_excerpt(position: Position, topic: Topic | None = None) -> str:
    """What the party argued: the passage on the topic, else the opening argument.

    A lead ("... föreslår att nämnden beslutar följande:") says who, not what, so the
    argument comes first; on a topic, a reservation argues through the proposal it
    supports.
    """
    statement = position.statement
    if statement is None:
        return excerpt(list(position.item.proposals) + motion_paragraphs(position.item), topic)
    texts = paragraphs(statement.text) + list(statement.points)
    if statement.supports and topic is not None:
        supported = next(s for s in position.item.statements if s.id == statement.supports)
        texts += paragraphs(supported.text) + list(supported.points)
    return excerpt(texts or paragraphs(statement.lead), topic)


KIND_HEADINGS = {
    "motion": "Motioner",
    "förslag": "Förslag till beslut",
    "reservation": "Reservationer",
    "särskilt uttalande": "Särskilda uttalanden",
    "ersättaryttrande": "Ersättaryttranden",
}


def counts_by_kind(positions: list[Position]) -> dict[str, int]:
    counts = {kind: 0 for kind in KIND_HEADINGS}
    for position in positions:
        counts[position.kind] += 1
    return counts


# An aggregate page lists at most this many entries per list; the rest is reached
# through search, whose filters (party, topic, board, year) cover every position.
LIST_LIMIT = 200


def grouped(positions: list[Position], attribute: str) -> dict[str, list[Position]]:
    """Positions by party or topic (attribute "party" or "topics"), order kept."""
    groups: dict[str, list[Position]] = {}
    for position in positions:
        keys = getattr(position, attribute)
        for key in (keys if isinstance(keys, tuple) else (keys,)):
            groups.setdefault(key, []).append(position)
    return groups


def by_item(positions: list[Position]) -> list[list[Position]]:
    """Positions grouped by the motion or decision they belong to, newest item first."""
    items: dict[str, list[Position]] = {}
    for position in positions:
        items.setdefault(position.item.id, []).append(position)
    return list(items.values())  # positions are sorted newest first, so are their items

"""Typed records: what validated content becomes. Frozen, so no stage can change them.

Field names match schema.py (a test checks both agree). Lists are tuples; an unknown
value ("uppgift saknas i källan") is None.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Optional

from .schema import REFERENCE_VERBS


@dataclass(frozen=True)
class Origin:
    """Where a record came from, for messages after validation."""

    path: str
    line: int = 1


@dataclass(frozen=True)
class Note:
    date: date
    text: str


@dataclass(frozen=True)
class Record:
    id: str
    origin: Origin
    notes: tuple[Note, ...]
    moved_from: tuple[str, ...]


@dataclass(frozen=True)
class Source(Record):
    title: str
    file: str
    quality: str
    description: Optional[str]


@dataclass(frozen=True)
class Party(Record):
    name: str
    abbreviation: str
    colour: str


@dataclass(frozen=True)
class Board(Record):
    name: str
    kind: str
    serves: Optional[str]
    description: Optional[str]


@dataclass(frozen=True)
class Person(Record):
    name: str
    name_forms: tuple[str, ...]
    party: Optional[str]


@dataclass(frozen=True)
class Topic(Record):
    name: str
    description: Optional[str]
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class Program(Record):
    name: str
    kind: str
    period: Optional[str]
    owner: Optional[str]
    predecessor: Optional[str]
    topics: tuple[str, ...]
    sources: tuple[str, ...]
    body: str


@dataclass(frozen=True)
class Meeting(Record):
    board: str
    date: Optional[date]
    date_source: Optional[str]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Author:
    person: str
    party: str


@dataclass(frozen=True)
class Remiss:
    sender: str
    date: Optional[date]
    deadline: Optional[date]
    bodies: tuple[str, ...]


@dataclass(frozen=True)
class Motion(Record):
    identifier: str
    title: str
    date: Optional[date]
    authors: tuple[Author, ...]
    others: Optional[bool]
    proposal_count: Optional[int]
    proposals: tuple[str, ...]
    proposals_source: Optional[str]
    remiss: tuple[Remiss, ...]
    topics: tuple[str, ...]
    sources: tuple[str, ...]
    body: str


@dataclass(frozen=True)
class Signatory:
    person: str
    title: str


@dataclass(frozen=True)
class Restored:
    part: str
    source: str
    note: str
    ocr_text: Optional[str]


@dataclass(frozen=True)
class Document(Record):
    kind: str
    title: Optional[str]
    subtitle: Optional[str]
    diarienummer: Optional[str]
    board: str
    to_board: Optional[str]
    date: Optional[date]
    signatories: tuple[Signatory, ...]
    proposal: Optional[str]
    summary: Optional[str]
    answers: Optional[str]
    programs: tuple[str, ...]
    topics: tuple[str, ...]
    restored: tuple[Restored, ...]
    sources: tuple[str, ...]
    body: str


@dataclass(frozen=True)
class Speaker:
    person: str
    as_written: str
    role: Optional[str]
    party_as_written: Optional[str]


@dataclass(frozen=True)
class Reference:
    statement: str
    point: Optional[int]
    how: Optional[str]  # one of REFERENCE_VERBS; None: not said, read as the first (the weaker)

    @property
    def verb(self) -> str:
        return self.how or REFERENCE_VERBS[0]

    @property
    def joins(self) -> bool:
        return self.how == REFERENCE_VERBS[1]


@dataclass(frozen=True)
class Statement:
    id: str
    kind: str
    parties: tuple[str, ...]
    speakers: tuple[Speaker, ...]
    lead: Optional[str]
    points: tuple[str, ...]
    text: Optional[str]
    supports: Optional[str]
    refers_to: tuple[Reference, ...]
    topics: tuple[str, ...]


@dataclass(frozen=True)
class Decision(Record):
    meeting: str
    paragraph: int
    diarienummer: Optional[str]
    title: str
    subtitle: Optional[str]
    points: tuple[str, ...]
    points_numbered: Optional[bool]
    statements: tuple[Statement, ...]
    adopted: Optional[str]
    beslutsordning: Optional[str]
    answers: Optional[str]
    programs: tuple[str, ...]
    topics: tuple[str, ...]
    sources: tuple[str, ...]
    body: str


MODELS = {cls.__name__: cls for cls in (
    Note, Source, Party, Board, Person, Topic, Program, Meeting, Author, Remiss, Motion,
    Signatory, Restored, Document, Speaker, Reference, Statement, Decision,
)}

"""The linked archive: every reference resolved both ways, and the derived views pages need.

Validation has already checked that each referenced id exists; this stage builds the
back-links (a motion's answers, a party's statements, a board's remisses) once, so
templates only read.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable

from .models import (Author, Board, Decision, Document, Meeting, Motion, Note, Party, Person,
                     Program, Record, Remiss, Signatory, Source, Speaker, Statement, Topic)
from .positions import Position, party_speakers
from .problems import Problems

KIND_ORDER = ("förslag", "reservation", "särskilt uttalande", "ersättaryttrande")


@dataclass(frozen=True)
class Said:
    """A statement in its decision; `speaker` is set when listed for one person."""

    decision: Decision
    statement: Statement
    speaker: Speaker | None = None


@dataclass(frozen=True)
class BackRef:
    """Another statement that supports or refers to this one (optionally one point)."""

    said: Said
    relation: str  # "supports" | "refers" | "joins"
    point: int | None


@dataclass(frozen=True)
class Signed:
    document: Document
    signatory: Signatory


@dataclass(frozen=True)
class Authored:
    motion: Motion
    author: Author


@dataclass(frozen=True)
class RemissSent:
    motion: Motion
    remiss: Remiss


@dataclass(frozen=True)
class Correction:
    record: Record
    note: Note


@dataclass
class Archive:
    sources: dict[str, Source]
    parties: dict[str, Party]
    boards: dict[str, Board]
    persons: dict[str, Person]
    topics: dict[str, Topic]
    programs: dict[str, Program]
    meetings: dict[str, Meeting]
    motions: dict[str, Motion]
    documents: dict[str, Document]
    decisions: dict[str, Decision]
    views: "Views" = field(default=None)  # type: ignore[assignment]

    def records(self) -> Iterable[Record]:
        for group in (self.sources, self.parties, self.boards, self.persons, self.topics,
                      self.programs, self.meetings, self.motions, self.documents, self.decisions):
            yield from group.values()

    # Labels: plain text, used by pages, feeds and the search index alike.
    def meeting_of(self, decision: Decision) -> Meeting:
        return self.meetings[decision.meeting]

    def board_of(self, decision: Decision) -> Board:
        return self.boards[self.meeting_of(decision).board]

    def meeting_label(self, meeting: Meeting) -> str:
        board = self.boards[meeting.board].name
        return f"{board} {meeting.date.isoformat()}" if meeting.date else f"{board}, datum okänt"

    def decision_label(self, decision: Decision) -> str:
        return f"§ {decision.paragraph} {decision.title}"

    def decision_date(self, decision: Decision) -> date | None:
        return self.meeting_of(decision).date

    def document_label(self, document: Document) -> str:
        if document.title:
            return document.title
        answered = self.motions.get(document.answers or "")
        if answered:
            return f"{document.kind.capitalize()} om motion {answered.identifier}"
        return document.kind.capitalize()

    def party_names(self, ids: Iterable[str]) -> str:
        return ", ".join(self.parties[p].abbreviation for p in ids)


@dataclass
class Views:
    """Back-links, each a list in a stable order."""

    meeting_decisions: dict[str, list[Decision]]
    board_meetings: dict[str, list[Meeting]]
    board_documents: dict[str, list[Document]]
    board_addressed: dict[str, list[Document]]
    board_remisses_received: dict[str, list[RemissSent]]
    board_remisses_sent: dict[str, list[RemissSent]]
    board_servants: dict[str, list[Board]]
    motion_answers: dict[str, list[Document]]
    motion_decisions: dict[str, list[Decision]]
    person_said: dict[str, list[Said]]
    person_signed: dict[str, list[Signed]]
    person_authored: dict[str, list[Authored]]
    party_persons: dict[str, list[Person]]
    party_said: dict[str, list[Said]]
    party_authored: dict[str, list[Authored]]
    topic_records: dict[str, list[Record]]
    topic_said: dict[str, list[Said]]
    program_records: dict[str, list[Record]]
    program_successors: dict[str, list[Program]]
    source_records: dict[str, list[Record]]
    statement_backrefs: dict[tuple[str, str], list[BackRef]]
    corrections: list[Correction]
    latest_decisions: list[Decision]
    party_positions: dict[str, list[Position]]
    topic_positions: dict[str, list[Position]]

    def __post_init__(self) -> None:
        # Plain dicts: a lookup of a missing id must not grow the view during rendering.
        for name, value in vars(self).items():
            if isinstance(value, defaultdict):
                setattr(self, name, dict(value))


def link(models: dict[str, dict[str, Record]], problems: Problems) -> Archive:
    archive = Archive(
        sources=_sorted(models["kallor"]), parties=_sorted(models["partier"]),
        boards=_sorted(models["namnder"]), persons=_sorted(models["personer"]),
        topics=_sorted(models["amnen"]), programs=_sorted(models["program"]),
        meetings=_sorted(models["moten"]), motions=_sorted(models["motioner"]),
        documents=_sorted(models["dokument"]), decisions=_sorted(models["beslut"]),
    )
    _check_cycles(archive, problems)
    _check_unique_paragraphs(archive, problems)
    archive.views = _views(archive)
    return archive


def _sorted(records: dict) -> dict:
    return dict(sorted(records.items()))


def _check_cycles(archive: Archive, problems: Problems) -> None:
    for group, attribute, what in ((archive.programs, "predecessor", "föregångare"),
                                   (archive.boards, "serves", "serves")):
        for start in group.values():
            seen = [start.id]
            current = getattr(start, attribute)
            while current is not None and current in group:
                if current == start.id:
                    problems.add(start.origin.path, start.origin.line, attribute,
                                 f"kedjan av {what} går i cirkel: " + " -> ".join(seen + [current]),
                                 "en post kan inte vara sin egen föregångare")
                    break
                if current in seen:
                    break
                seen.append(current)
                current = getattr(group[current], attribute)


def _check_unique_paragraphs(archive: Archive, problems: Problems) -> None:
    seen: dict[tuple[str, int], Decision] = {}
    for decision in archive.decisions.values():
        key = (decision.meeting, decision.paragraph)
        if key in seen:
            problems.add(decision.origin.path, decision.origin.line, "paragraph",
                         f"§ {decision.paragraph} finns redan för sammanträdet",
                         f"i {seen[key].origin.path}")
        else:
            seen[key] = decision


def _decision_sort_key(archive: Archive):
    def key(decision: Decision):
        day = archive.decision_date(decision)
        # Newest first; decisions whose date is unknown come last, in id order.
        return (day is None, -(day.toordinal() if day else 0), decision.meeting, decision.paragraph)
    return key


def _views(archive: Archive) -> Views:
    lists = lambda: defaultdict(list)  # noqa: E731
    meeting_decisions, board_meetings = lists(), lists()
    board_documents, board_addressed = lists(), lists()
    board_received, board_sent, board_servants = lists(), lists(), lists()
    motion_answers, motion_decisions = lists(), lists()
    person_said, person_signed, person_authored = lists(), lists(), lists()
    party_persons, party_said, party_authored = lists(), lists(), lists()
    topic_records, topic_said = lists(), lists()
    program_records, program_successors, source_records = lists(), lists(), lists()
    backrefs = lists()
    corrections: list[Correction] = []
    by_date = _decision_sort_key(archive)

    for record in archive.records():
        for note in record.notes:
            corrections.append(Correction(record, note))
        for source in getattr(record, "sources", ()):
            source_records[source].append(record)
        for topic in getattr(record, "topics", ()):
            topic_records[topic].append(record)
        for program in getattr(record, "programs", ()):
            program_records[program].append(record)

    for board in archive.boards.values():
        if board.serves:
            board_servants[board.serves].append(board)
    for meeting in archive.meetings.values():
        board_meetings[meeting.board].append(meeting)
    for person in archive.persons.values():
        if person.party:
            party_persons[person.party].append(person)
    for program in archive.programs.values():
        if program.predecessor:
            program_successors[program.predecessor].append(program)

    for motion in archive.motions.values():
        motion_parties: list[str] = []
        for author in motion.authors:
            person_authored[author.person].append(Authored(motion, author))
            # The party the archive knows counts; the record's print is shown beside it.
            party = archive.persons[author.person].party or author.party
            if party not in motion_parties:
                motion_parties.append(party)
                party_authored[party].append(Authored(motion, author))
        for remiss in motion.remiss:
            board_sent[remiss.sender].append(RemissSent(motion, remiss))
            for body in remiss.bodies:
                board_received[body].append(RemissSent(motion, remiss))

    for document in archive.documents.values():
        board_documents[document.board].append(document)
        if document.to_board:
            board_addressed[document.to_board].append(document)
        if document.answers:
            motion_answers[document.answers].append(document)
        for signatory in document.signatories:
            person_signed[signatory.person].append(Signed(document, signatory))

    latest = sorted(archive.decisions.values(), key=by_date)
    for decision in latest:
        meeting_decisions[decision.meeting].append(decision)
        if decision.answers:
            motion_decisions[decision.answers].append(decision)
        for statement in decision.statements:
            said = Said(decision, statement)
            for party in statement.parties:
                party_said[party].append(said)
            for speaker in statement.speakers:
                person_said[speaker.person].append(Said(decision, statement, speaker))
            for topic in statement.topics:
                topic_said[topic].append(said)
            if statement.supports:
                backrefs[(decision.id, statement.supports)].append(BackRef(said, "supports", None))
            for ref in statement.refers_to:
                relation = "joins" if ref.joins else "refers"
                backrefs[(decision.id, ref.statement)].append(BackRef(said, relation, ref.point))

    for meeting_id in meeting_decisions:
        meeting_decisions[meeting_id].sort(key=lambda d: d.paragraph)
    for meetings in board_meetings.values():
        meetings.sort(key=lambda m: (m.date is None, -(m.date.toordinal() if m.date else 0), m.id))

    party_positions, topic_positions = _positions(archive)
    return Views(
        party_positions=party_positions, topic_positions=topic_positions,
        meeting_decisions=meeting_decisions, board_meetings=board_meetings,
        board_documents=board_documents, board_addressed=board_addressed,
        board_remisses_received=board_received, board_remisses_sent=board_sent,
        board_servants=board_servants, motion_answers=motion_answers,
        motion_decisions=motion_decisions, person_said=person_said,
        person_signed=person_signed, person_authored=person_authored,
        party_persons=party_persons, party_said=party_said, party_authored=party_authored,
        topic_records=topic_records, topic_said=topic_said, program_records=program_records,
        program_successors=program_successors, source_records=source_records,
        statement_backrefs=backrefs, corrections=corrections,
        latest_decisions=latest,
    )


def _positions(archive: Archive) -> tuple[dict[str, list[Position]], dict[str, list[Position]]]:
    """Every position by party and by topic, newest first."""
    positions: list[Position] = []
    for motion in archive.motions.values():
        by_party: dict[str, list[str]] = {}
        for author in motion.authors:
            party = archive.persons[author.person].party or author.party
            by_party.setdefault(party, []).append(author.person)
        for party, persons in by_party.items():
            positions.append(Position("motion", party, motion, None, motion.date, None,
                                      tuple(persons), motion.topics))
    for decision in archive.decisions.values():
        meeting = archive.meeting_of(decision)
        by_id = {s.id: s for s in decision.statements}
        for statement in decision.statements:
            # A reservation is about what the proposal it supports is about.
            supported = by_id.get(statement.supports or "")
            topics = tuple(dict.fromkeys(statement.topics + (supported.topics if supported else ())))
            for party in statement.parties:
                persons = tuple(sp.person for sp in party_speakers(archive.persons, statement, party))
                positions.append(Position(statement.kind, party, decision, statement, meeting.date,
                                          meeting.board, persons, topics))
    positions.sort(key=lambda p: p.sort_key)
    by_party: dict[str, list[Position]] = defaultdict(list)
    by_topic: dict[str, list[Position]] = defaultdict(list)
    for position in positions:
        by_party[position.party].append(position)
        for topic in position.topics:
            by_topic[topic].append(position)
    return dict(by_party), dict(by_topic)


def sources_for(archive: Archive, record: Record) -> list[Source]:
    """The source documents a page rests on: its own, or those of the records citing it."""
    own = getattr(record, "sources", None)
    if own is not None and not isinstance(record, Source):
        ids = set(own)
    else:
        ids = set()
        views = archive.views
        related: list[Record] = []
        if isinstance(record, Person):
            related += [s.decision for s in views.person_said.get(record.id, [])]
            related += [s.document for s in views.person_signed.get(record.id, [])]
            related += [a.motion for a in views.person_authored.get(record.id, [])]
        elif isinstance(record, Party):
            related += [s.decision for s in views.party_said.get(record.id, [])]
            related += [a.motion for a in views.party_authored.get(record.id, [])]
        elif isinstance(record, Board):
            related += [d for m in views.board_meetings.get(record.id, [])
                        for d in views.meeting_decisions.get(m.id, [])]
            related += views.board_documents.get(record.id, [])
            related += [r.motion for r in views.board_remisses_received.get(record.id, [])]
        elif isinstance(record, Topic):
            related += views.topic_records.get(record.id, [])
            related += [s.decision for s in views.topic_said.get(record.id, [])]
        for item in related:
            ids.update(getattr(item, "sources", ()))
    return [archive.sources[i] for i in sorted(ids) if i in archive.sources]

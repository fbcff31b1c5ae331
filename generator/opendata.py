"""Open data: every record as a plain dict, and the full dump, written as JSON files.

Field names follow an existing model where one fits; dataschema.py says which, field by
field. OParl 1.1 for boards (Organization), meetings (Meeting), decisions (AgendaItem),
motions and documents (Paper) and sources (File), in camelCase as OParl writes them;
Popolo for parties (Organization), persons (Person) and memberships, in snake_case as
Popolo writes them. Programs and topics have no model that fits: their fields are the
archive's own, in camelCase.

Every reference is the absolute URL of the other record's JSON file (OParl's rule);
`web` is the page a person reads. Markdown fields hold the content's Markdown source.
Unknown values are null, as in the content. Deterministic: records in id order, keys in
a fixed order, nothing from the clock.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Iterable, Iterator

import orjson

from . import cite, depend, ical, urls
from .incremental import Composed, Reused
from .link import Archive
from .models import (Board, Decision, Document, Meeting, Motion, Party, Person, Program,
                     Record, Source, Statement, Topic)
from .pages import title_of

OPARL = "https://schema.oparl.org/1.1/"
POPOLO_ORGANIZATION = "http://www.w3.org/ns/org#Organization"
POPOLO_PERSON = "http://xmlns.com/foaf/0.1/Person"

# The schema name of each record type, and the dump's key for the list of them.
KIND = {Board: "board", Meeting: "meeting", Decision: "decision", Motion: "motion",
        Document: "document", Party: "party", Person: "person", Program: "program",
        Topic: "topic", Source: "source"}
TYPE_URI = {"board": OPARL + "Organization", "meeting": OPARL + "Meeting",
            "decision": OPARL + "AgendaItem", "motion": OPARL + "Paper",
            "document": OPARL + "Paper", "source": OPARL + "File",
            "party": POPOLO_ORGANIZATION, "person": POPOLO_PERSON}
PARTY_MEMBER = "medlem"


@dataclass(frozen=True)
class Export:
    """The archive and the site's address: everything a record's dict is made from."""

    archive: Archive
    site_url: str

    def absolute(self, url: str) -> str:
        return urls.absolute(self.site_url, url)

    def ref(self, record: Record) -> str:
        return self.absolute(urls.json_url(record))

    def ref_id(self, group: dict[str, Record], record_id: str | None) -> str | None:
        return self.ref(group[record_id]) if record_id else None

    def refs(self, records: Iterable[Record]) -> list[str]:
        return list(dict.fromkeys(self.ref(r) for r in records))

    def refs_id(self, group: dict[str, Record], ids: Iterable[str]) -> list[str]:
        return [self.ref(group[i]) for i in ids]

    def web(self, record: Record) -> str:
        return self.absolute(urls.url_for(record))

    def statement_web(self, decision: Decision, statement: Statement) -> str:
        return self.absolute(urls.statement_url(decision, statement))


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _head(x: Export, record: Record) -> dict[str, Any]:
    kind = KIND[type(record)]
    schema = x.absolute(urls.schema_url(kind))
    return {"$schema": schema, "id": x.ref(record), "type": TYPE_URI.get(kind, schema),
            "web": x.web(record)}


def _tail(x: Export, record: Record) -> dict[str, Any]:
    return {
        "notes": [{"date": note.date.isoformat(), "text": note.text} for note in record.notes],
        "citation": cite.record_citation(x.archive, record, x.site_url, title_of(x.archive, record)),
    }


def _feed(x: Export, record: Record) -> str:
    return x.absolute(urls.feed_url(record))


def _board(x: Export, b: Board) -> dict[str, Any]:
    a, v = x.archive, x.archive.views
    calendar = x.absolute(urls.calendar_url(b)) if ical.dated_meetings(a, b) else None
    return {
        **_head(x, b), "name": b.name, "classification": b.kind,
        "serves": x.ref_id(a.boards, b.serves), "description": b.description,
        "servedBy": x.refs(v.board_servants.get(b.id, [])),
        "meetings": x.refs(v.board_meetings.get(b.id, [])),
        "documents": x.refs(v.board_documents.get(b.id, [])),
        "addressedDocuments": x.refs(v.board_addressed.get(b.id, [])),
        "remissesReceived": x.refs(r.motion for r in v.board_remisses_received.get(b.id, [])),
        "remissesSent": x.refs(r.motion for r in v.board_remisses_sent.get(b.id, [])),
        "feed": _feed(x, b), "calendar": calendar, **_tail(x, b),
    }


def _meeting(x: Export, m: Meeting) -> dict[str, Any]:
    a = x.archive
    items = [{"id": x.ref(d), "type": TYPE_URI["decision"], "web": x.web(d),
              "number": str(d.paragraph), "order": d.paragraph, "name": d.title}
             for d in a.views.meeting_decisions.get(m.id, [])]
    return {
        **_head(x, m), "name": a.meeting_label(m), "start": _iso(m.date),
        "dateSource": m.date_source, "organization": [x.ref(a.boards[m.board])],
        "agendaItem": items, "sources": x.refs_id(a.sources, m.sources), **_tail(x, m),
    }


def _statement(x: Export, d: Decision, s: Statement) -> dict[str, Any]:
    a = x.archive
    return {
        "anchor": urls.statement_anchor(s), "web": x.statement_web(d, s), "kind": s.kind,
        "parties": x.refs_id(a.parties, s.parties),
        "speakers": [{"person": x.ref(a.persons[sp.person]), "asWritten": sp.as_written,
                      "role": sp.role, "partyAsWritten": x.ref_id(a.parties, sp.party_as_written)}
                     for sp in s.speakers],
        "lead": s.lead, "points": list(s.points), "text": s.text, "supports": s.supports,
        "refersTo": [{"statement": r.statement, "point": r.point, "how": r.how} for r in s.refers_to],
        "topics": x.refs_id(a.topics, s.topics),
        "citation": cite.decision_citation(a, d, x.site_url, s),
    }


def _decision(x: Export, d: Decision) -> dict[str, Any]:
    a = x.archive
    meeting = a.meeting_of(d)
    return {
        **_head(x, d), "meeting": x.ref(meeting), "organization": x.ref(a.boards[meeting.board]),
        "date": _iso(meeting.date), "number": str(d.paragraph), "order": d.paragraph,
        "name": d.title, "subtitle": d.subtitle, "public": True, "diarienummer": d.diarienummer,
        "resolutionText": "\n\n".join(d.points), "points": list(d.points),
        "pointsNumbered": d.points_numbered is not False,
        "statements": [_statement(x, d, s) for s in d.statements],
        "adopted": d.adopted, "beslutsordning": d.beslutsordning, "body": d.body or None,
        "answers": x.ref_id(a.motions, d.answers), "programs": x.refs_id(a.programs, d.programs),
        "topics": x.refs_id(a.topics, d.topics), "sources": x.refs_id(a.sources, d.sources),
        **_tail(x, d),
    }


def _motion(x: Export, m: Motion) -> dict[str, Any]:
    a, v = x.archive, x.archive.views
    return {
        **_head(x, m), "name": m.title, "reference": m.identifier, "date": _iso(m.date),
        "paperType": "motion", "originatorPerson": x.refs(a.persons[au.person] for au in m.authors),
        "authors": [{"person": x.ref(a.persons[au.person]), "party": x.ref(a.parties[au.party])}
                    for au in m.authors],
        "others": m.others, "proposalCount": m.proposal_count, "proposals": list(m.proposals),
        "proposalsSource": x.ref_id(a.documents, m.proposals_source),
        "remiss": [{"from": x.ref(a.boards[r.sender]), "date": _iso(r.date),
                    "deadline": _iso(r.deadline), "bodies": x.refs_id(a.boards, r.bodies)}
                   for r in m.remiss],
        "answeredBy": x.refs(v.motion_answers.get(m.id, [])),
        "decisions": x.refs(v.motion_decisions.get(m.id, [])),
        "topics": x.refs_id(a.topics, m.topics), "sources": x.refs_id(a.sources, m.sources),
        "body": m.body or None, **_tail(x, m),
    }


def _document(x: Export, d: Document) -> dict[str, Any]:
    a = x.archive
    return {
        **_head(x, d), "name": a.document_label(d), "title": d.title, "subtitle": d.subtitle,
        "reference": d.diarienummer, "date": _iso(d.date), "paperType": d.kind,
        "originatorOrganization": [x.ref(a.boards[d.board])],
        "toOrganization": x.ref_id(a.boards, d.to_board),
        "signatories": [{"person": x.ref(a.persons[s.person]), "title": s.title}
                        for s in d.signatories],
        "proposal": d.proposal, "summary": d.summary, "answers": x.ref_id(a.motions, d.answers),
        "programs": x.refs_id(a.programs, d.programs), "topics": x.refs_id(a.topics, d.topics),
        "restored": [{"part": r.part, "source": x.ref(a.sources[r.source]), "note": r.note,
                      "ocrText": r.ocr_text} for r in d.restored],
        "sources": x.refs_id(a.sources, d.sources), "body": d.body or None, **_tail(x, d),
    }


def _membership(x: Export, person: Person, organization: Record, role: str,
                on_behalf_of: Party | None, sources: list[str]) -> dict[str, Any]:
    return {"person_id": x.ref(person), "organization_id": x.ref(organization), "role": role,
            "on_behalf_of_id": x.ref(on_behalf_of) if on_behalf_of else None,
            "sources": [{"url": url} for url in dict.fromkeys(sources)]}


def memberships(x: Export, p: Person) -> list[dict[str, Any]]:
    """Popolo memberships: the party the archive knows, then each role a source names
    (a speaker's role in a board, a signatory's title in the board that wrote). A role
    is held on behalf of the party the archive counts the person to, as on the pages; the
    party as printed stays in the statement's `partyAsWritten`."""
    a, v = x.archive, x.archive.views
    result = []
    if p.party:
        result.append(_membership(x, p, a.parties[p.party], PARTY_MEMBER, None, []))
    roles: dict[tuple[str, str, str | None], list[str]] = {}
    for said in v.person_said.get(p.id, []):
        if said.speaker and said.speaker.role:
            party = p.party or said.speaker.party_as_written
            key = (a.board_of(said.decision).id, said.speaker.role, party)
            roles.setdefault(key, []).append(x.statement_web(said.decision, said.statement))
    for signed in v.person_signed.get(p.id, []):
        key = (signed.document.board, signed.signatory.title, None)
        roles.setdefault(key, []).append(x.web(signed.document))
    for (board, role, party), sources in roles.items():
        result.append(_membership(x, p, a.boards[board], role,
                                  a.parties[party] if party else None, sources))
    return result


def _party(x: Export, p: Party) -> dict[str, Any]:
    a, v = x.archive, x.archive.views
    members = [_membership(x, person, p, PARTY_MEMBER, None, [])
               for person in v.party_persons.get(p.id, [])]
    return {
        **_head(x, p), "name": p.name, "classification": "parti", "abbreviation": p.abbreviation,
        "colour": p.colour, "memberships": members,
        "statements": [x.statement_web(s.decision, s.statement) for s in v.party_said.get(p.id, [])],
        "motions": x.refs(au.motion for au in v.party_authored.get(p.id, [])),
        "feed": _feed(x, p), **_tail(x, p),
    }


def _person(x: Export, p: Person) -> dict[str, Any]:
    v = x.archive.views
    return {
        **_head(x, p), "name": p.name, "other_names": [{"name": form} for form in p.name_forms],
        "memberships": memberships(x, p),
        "statements": [{"statement": x.statement_web(s.decision, s.statement),
                        "role": s.speaker.role if s.speaker else None,
                        "as_written": s.speaker.as_written if s.speaker else None}
                       for s in v.person_said.get(p.id, [])],
        "signed": [{"document": x.ref(s.document), "title": s.signatory.title}
                   for s in v.person_signed.get(p.id, [])],
        "motions": x.refs(au.motion for au in v.person_authored.get(p.id, [])),
        "feed": _feed(x, p), **_tail(x, p),
    }


def _program(x: Export, p: Program) -> dict[str, Any]:
    a, v = x.archive, x.archive.views
    return {
        **_head(x, p), "name": p.name, "kind": p.kind, "period": p.period,
        "owner": x.ref_id(a.boards, p.owner), "predecessor": x.ref_id(a.programs, p.predecessor),
        "successors": x.refs(v.program_successors.get(p.id, [])),
        "topics": x.refs_id(a.topics, p.topics), "sources": x.refs_id(a.sources, p.sources),
        "body": p.body or None, "mentionedIn": x.refs(v.program_records.get(p.id, [])),
        **_tail(x, p),
    }


def _topic(x: Export, t: Topic) -> dict[str, Any]:
    v = x.archive.views
    return {
        **_head(x, t), "name": t.name, "description": t.description, "keywords": list(t.keywords),
        "records": x.refs(v.topic_records.get(t.id, [])),
        "statements": [x.statement_web(s.decision, s.statement) for s in v.topic_said.get(t.id, [])],
        "feed": _feed(x, t), **_tail(x, t),
    }


def _source(x: Export, s: Source) -> dict[str, Any]:
    return {
        **_head(x, s), "name": s.title, "fileName": s.file, "quality": s.quality,
        "description": s.description,
        "usedBy": x.refs(x.archive.views.source_records.get(s.id, [])), **_tail(x, s),
    }


_BUILDERS = {Board: _board, Meeting: _meeting, Decision: _decision, Motion: _motion,
             Document: _document, Party: _party, Person: _person, Program: _program,
             Topic: _topic, Source: _source}


def record_data(x: Export, record: Record) -> dict[str, Any]:
    return _BUILDERS[type(record)](x, record)


# The dump's lists in the order it holds them, each from one collection of the archive.
DUMP_ORDER = ("boards", "meetings", "decisions", "motions", "documents", "parties", "persons",
              "programs", "topics", "sources")


def dump_chunks(x: Export, compact: Callable[[str], "tuple[bytes | Reused, str]"],
                where: dict[str, tuple[int, int]], identity) -> Iterator["bytes | Reused"]:
    """The dump, every record and every membership, as compact JSON in pieces.

    Written piece by piece: at city scale it is larger than what a build may hold in
    memory. The bytes are what json.dumps gives for the whole dict at once. Each record
    is its own JSON file in compact form, `compact(url)` giving it (compacted(), or
    the same bytes in the last dump, Reused) and that file's hash; `where` gets each
    record's offset and length, for the next build to take them from, and `identity`
    (a hashlib object, incremental.Composed) what the dump is made of. Records next to
    each other in the last dump as here are yielded as one Reused, the comma between
    them included: two records one byte apart there are of one list, that byte a comma.
    """
    def literal(piece: bytes) -> bytes:
        identity.update(b"%d:" % len(piece) + piece)
        return piece

    head = {"$schema": x.absolute(urls.schema_url("arkiv")), "id": x.absolute(urls.DUMP),
            "version": urls.SCHEMA_VERSION, "web": x.absolute(urls.HOME)}
    piece = literal(encode(head, pretty=False)[:-2])  # without the closing "}\n"
    offset = len(piece)
    yield piece
    memberships = []
    for key in DUMP_ORDER:
        piece = literal(f',"{key}":['.encode())
        offset += len(piece)
        yield piece
        run: Reused | None = None  # of the last dump, not yet yielded
        for number, record in enumerate(getattr(x.archive, key).values()):
            url = urls.json_url(record)
            data, file_hash = compact(url)
            identity.update(b"r" + file_hash.encode())  # its bytes follow from the file's
            if key == "persons":
                memberships.extend(orjson.loads(bytes(data))["memberships"])
            if number:
                offset += 1
            where[url] = (offset, len(data))
            offset += len(data)
            if run is not None and isinstance(data, Reused) and data.follows(run, gap=1):
                run = run.through(data)
                continue
            if run is not None:
                yield run
            if number:
                yield b","
            run = data if isinstance(data, Reused) else None
            if run is None:
                yield data
        if run is not None:
            yield run
        offset += 1
        yield b"]"
    yield literal(b',"memberships":' + encode(memberships, pretty=False)[:-1] + b"}\n")


def compacted(data: bytes) -> bytes:
    """A record's JSON file as the dump holds it."""
    return orjson.dumps(orjson.loads(data))


def encode(data: Any, pretty: bool = True) -> bytes:
    """JSON as UTF-8, keys in the order written; the same data gives the same bytes
    (those of json.dumps with ensure_ascii off; orjson makes them several times faster)."""
    return orjson.dumps(data, option=orjson.OPT_INDENT_2 if pretty else 0) + b"\n"


def files(archive: Archive, site_url: str, compact: Callable[[str], "tuple[bytes | Reused, str]"],
          where: dict[str, tuple[int, int]]):
    """(URL, depend.Deferred) of every record's JSON file, and (URL, incremental.Composed)
    of the dump, made from those files once written (dump_chunks)."""
    x = Export(archive, site_url)
    for record in archive.records():
        yield urls.json_url(record), depend.Deferred(lambda r=record: encode(record_data(x, r)), record)
    identity = hashlib.sha1()
    yield urls.DUMP, Composed(dump_chunks(x, compact, where, identity), identity)

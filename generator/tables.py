"""CSV tables for spreadsheets: decisions, statements, motions, persons.

RFC 4180 through the csv module: UTF-8 without BOM, comma-separated, CRLF line ends,
a header row. Each column is declared once with its description, so the header, the
rows and the documentation page cannot disagree. References are record ids (the last
part of the page URL); several values in one cell are separated by "; ", list items of
text (beslutspunkter) by line breaks. Yes/no is "ja"/"nej"; an unknown value is empty.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

from . import cite, depend, urls
from .link import Archive, Said
from .models import Decision, Motion, Person, Record
from .pages import title_of


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    value: Callable[[Archive, str, Any], Any]
    """(archive, site_url, row) -> the cell."""


@dataclass(frozen=True)
class Table:
    name: str
    """The file name: beslut -> /data/beslut.csv."""
    title: str
    columns: tuple[Column, ...]
    rows: Callable[[Archive], Iterable[Any]]


def _many(values: Iterable[Any]) -> str:
    return "; ".join(str(v) for v in values)


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("ja" if value else "nej")


def _web(site_url: str, record: Record) -> str:
    return urls.absolute(site_url, urls.url_for(record))


def _json(site_url: str, record: Record) -> str:
    return urls.absolute(site_url, urls.json_url(record))


def _citation(a: Archive, site_url: str, record: Record) -> str:
    return cite.record_citation(a, record, site_url, title_of(a, record))


def _date(a: Archive, d: Decision) -> str:
    day = a.decision_date(d)
    return day.isoformat() if day else ""


DECISIONS = Table("beslut", "Beslut (protokollsparagrafer)", (
    Column("id", "Beslutets id", lambda a, s, d: d.id),
    Column("url", "Sidan", lambda a, s, d: _web(s, d)),
    Column("json", "Beslutets JSON-fil", lambda a, s, d: _json(s, d)),
    Column("board", "Nämndens id", lambda a, s, d: a.board_of(d).id),
    Column("board_name", "Nämndens namn", lambda a, s, d: a.board_of(d).name),
    Column("meeting", "Sammanträdets id", lambda a, s, d: d.meeting),
    Column("date", "Sammanträdets datum (tomt när källan saknar det)", lambda a, s, d: _date(a, d)),
    Column("paragraph", "Paragrafnummer (§)", lambda a, s, d: d.paragraph),
    Column("diarienummer", "Diarienummer", lambda a, s, d: d.diarienummer or ""),
    Column("title", "Ärendets rubrik", lambda a, s, d: d.title),
    Column("subtitle", "Underrubrik", lambda a, s, d: d.subtitle or ""),
    Column("points", "Beslutspunkterna, en per rad", lambda a, s, d: "\n".join(d.points)),
    Column("answers", "Motionens id", lambda a, s, d: d.answers or ""),
    Column("programs", "Programmens id", lambda a, s, d: _many(d.programs)),
    Column("topics", "Ämnenas id", lambda a, s, d: _many(d.topics)),
    Column("statements", "Uttalandenas ankare", lambda a, s, d: _many(st.id for st in d.statements)),
    Column("adopted", "Förslaget som nämnden beslutade enligt (ankare)", lambda a, s, d: d.adopted or ""),
    Column("sources", "Källornas id", lambda a, s, d: _many(d.sources)),
    Column("citation", "Källhänvisning", lambda a, s, d: cite.decision_citation(a, d, s)),
), lambda a: a.decisions.values())


def _said(a: Archive) -> Iterable[Said]:
    return [Said(d, st) for d in a.decisions.values() for st in d.statements]


STATEMENTS = Table("uttalanden", "Förslag, reservationer och uttalanden", (
    Column("decision", "Beslutets id", lambda a, s, x: x.decision.id),
    Column("anchor", "Uttalandets ankare", lambda a, s, x: x.statement.id),
    Column("url", "Länk till uttalandet", lambda a, s, x: urls.absolute(s, urls.statement_url(x.decision, x.statement))),
    Column("kind", "förslag, reservation, särskilt uttalande eller ersättaryttrande", lambda a, s, x: x.statement.kind),
    Column("parties", "Partiernas id", lambda a, s, x: _many(x.statement.parties)),
    Column("party_abbreviations", "Partiernas förkortningar", lambda a, s, x: a.party_names(x.statement.parties)),
    Column("speakers", "Personernas id", lambda a, s, x: _many(sp.person for sp in x.statement.speakers)),
    Column("speakers_as_written", "Personerna som i källan", lambda a, s, x: _many(sp.as_written for sp in x.statement.speakers)),
    Column("board", "Nämndens id", lambda a, s, x: a.board_of(x.decision).id),
    Column("meeting", "Sammanträdets id", lambda a, s, x: x.decision.meeting),
    Column("date", "Sammanträdets datum", lambda a, s, x: _date(a, x.decision)),
    Column("paragraph", "Paragrafnummer (§)", lambda a, s, x: x.decision.paragraph),
    Column("diarienummer", "Diarienummer", lambda a, s, x: x.decision.diarienummer or ""),
    Column("lead", "Inledningen (Markdown)", lambda a, s, x: (x.statement.lead or "").strip()),
    Column("points", "Punkterna, en per rad", lambda a, s, x: "\n".join(x.statement.points)),
    Column("text", "Texten (Markdown)", lambda a, s, x: (x.statement.text or "").strip()),
    Column("supports", "Förslaget som en reservation stöder", lambda a, s, x: x.statement.supports or ""),
    Column("refers_to", "Förslag som uttalandet hänvisar till, ankare:punkt",
      lambda a, s, x: _many(r.statement + (f":{r.point}" if r.point else "") for r in x.statement.refers_to)),
    Column("topics", "Ämnenas id", lambda a, s, x: _many(x.statement.topics)),
    Column("citation", "Källhänvisning", lambda a, s, x: cite.decision_citation(a, x.decision, s, x.statement)),
    # Last, added after the others: a reader of the columns by position keeps them.
    Column("refers_to_how", "Verbet för varje hänvisning, i samma ordning, som i protokollet (tomt när posten inte anger det)",
      lambda a, s, x: _many(r.how or "" for r in x.statement.refers_to)),
), _said)


def _motion_parties(a: Archive, site_url: str, m: Motion) -> str:
    return _many(dict.fromkeys(a.parties[au.party].abbreviation for au in m.authors))


MOTIONS = Table("motioner", "Motioner", (
    Column("id", "Motionens id", lambda a, s, m: m.id),
    Column("url", "Sidan", lambda a, s, m: _web(s, m)),
    Column("json", "Motionens JSON-fil", lambda a, s, m: _json(s, m)),
    Column("identifier", "Beteckning, t.ex. 2017:54", lambda a, s, m: m.identifier),
    Column("title", "Titel", lambda a, s, m: m.title),
    Column("date", "När motionen väcktes", lambda a, s, m: m.date.isoformat() if m.date else ""),
    Column("authors", "Motionärernas id", lambda a, s, m: _many(au.person for au in m.authors)),
    Column("author_parties", "Partierna som källan anger", _motion_parties),
    Column("others", "”m.fl.” i källan (ja/nej)", lambda a, s, m: _yes_no(m.others)),
    Column("proposal_count", "Antal att-satser", lambda a, s, m: "" if m.proposal_count is None else m.proposal_count),
    Column("proposals", "Kända att-satser, en per rad", lambda a, s, m: "\n".join(m.proposals)),
    Column("answered_by", "Svarande dokuments id", lambda a, s, m: _many(d.id for d in a.views.motion_answers.get(m.id, []))),
    Column("decisions", "Besluts id", lambda a, s, m: _many(d.id for d in a.views.motion_decisions.get(m.id, []))),
    Column("topics", "Ämnenas id", lambda a, s, m: _many(m.topics)),
    Column("citation", "Källhänvisning", lambda a, s, m: _citation(a, s, m)),
), lambda a: a.motions.values())


def _party_abbreviation(a: Archive, site_url: str, p: Person) -> str:
    return a.parties[p.party].abbreviation if p.party else ""


PERSONS = Table("personer", "Personer", (
    Column("id", "Personens id", lambda a, s, p: p.id),
    Column("url", "Sidan", lambda a, s, p: _web(s, p)),
    Column("json", "Personens JSON-fil", lambda a, s, p: _json(s, p)),
    Column("name", "Namnet som arkivet använder", lambda a, s, p: p.name),
    Column("other_names", "Andra namnformer", lambda a, s, p: _many(p.name_forms)),
    Column("party", "Partiets id", lambda a, s, p: p.party or ""),
    Column("party_abbreviation", "Partiets förkortning", _party_abbreviation),
    Column("statements", "Antal uttalanden", lambda a, s, p: len(a.views.person_said.get(p.id, []))),
    Column("motions", "Antal motioner", lambda a, s, p: len(a.views.person_authored.get(p.id, []))),
    Column("signed", "Antal underskrifter", lambda a, s, p: len(a.views.person_signed.get(p.id, []))),
), lambda a: a.persons.values())

TABLES = (DECISIONS, STATEMENTS, MOTIONS, PERSONS)


ROWS_PER_CHUNK = 1000


def render(table: Table, archive: Archive, site_url: str) -> bytes:
    return b"".join(render_chunks(table, archive, site_url))


def render_chunks(table: Table, archive: Archive, site_url: str) -> Iterator[bytes]:
    """The table in pieces of ROWS_PER_CHUNK rows: at city scale the statements alone
    are hundreds of megabytes, more than a build should hold at once."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.name for c in table.columns])
    for number, row in enumerate(table.rows(archive), start=1):
        writer.writerow([c.value(archive, site_url, row) for c in table.columns])
        if number % ROWS_PER_CHUNK == 0:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode("utf-8")


def files(archive: Archive, site_url: str) -> Iterator[tuple[str, depend.Deferred]]:
    """Each table, made on demand: an edit to a record's text leaves every table as it was."""
    for table in TABLES:
        yield urls.csv_url(table.name), depend.Deferred(
            lambda table=table: render_chunks(table, archive, site_url))

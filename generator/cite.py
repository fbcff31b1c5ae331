"""Ready-to-paste Swedish citations: plain text, one format for pages, data and feeds.

A citation names what a reader needs to find the text again in the city's own files
(board, meeting date, §, diarienummer, title) and ends with the permalink. What the
source does not say is said, never guessed:

    Socialnämnden, sammanträde (datum saknas i källan), § 6, dnr 1.7.1-563/2017,
    För ett tryggare ..., reservation (M, L). https://.../beslut/...-par-6/#reservation-m-l
"""
from __future__ import annotations

from datetime import date

from . import urls
from .link import Archive
from .models import Decision, Document, Meeting, Motion, Record, Statement

NO_DATE = "(datum saknas i källan)"
NO_DIARIENUMMER = "dnr saknas i källan"
SITE_NAME = "Beslutsarkivet"


def _day(value: date | None) -> str:
    return value.isoformat() if value else NO_DATE


def _sentence(parts: list[str], permalink: str) -> str:
    text = ", ".join(part for part in parts if part)
    if not text.endswith((".", "!", "?")):
        text += "."
    return f"{text} {permalink}"


def _dnr(value: str | None) -> str:
    return f"dnr {value}" if value else NO_DIARIENUMMER


def statement_label(archive: Archive, statement: Statement) -> str:
    """'reservation (M, L)': the kind as the protocol names it, with its parties."""
    return f"{statement.kind} ({archive.party_names(statement.parties)})"


def decision_citation(archive: Archive, decision: Decision, site_url: str,
                      statement: Statement | None = None) -> str:
    meeting = archive.meeting_of(decision)
    parts = [archive.boards[meeting.board].name, f"sammanträde {_day(meeting.date)}",
             f"§ {decision.paragraph}", _dnr(decision.diarienummer), decision.title]
    target = urls.url_for(decision)
    if statement is not None:
        parts.append(statement_label(archive, statement))
        target = urls.statement_url(decision, statement)
    return _sentence(parts, urls.absolute(site_url, target))


def record_citation(archive: Archive, record: Record, site_url: str, title: str) -> str:
    """The citation of a record's page; `title` is the page title, for plain records."""
    permalink = urls.absolute(site_url, urls.url_for(record))
    if isinstance(record, Decision):
        return decision_citation(archive, record, site_url)
    if isinstance(record, Meeting):
        return _sentence([archive.boards[record.board].name, f"sammanträde {_day(record.date)}"],
                         permalink)
    if isinstance(record, Document):
        return _sentence([archive.boards[record.board].name, f"{record.kind} {_day(record.date)}",
                          _dnr(record.diarienummer), archive.document_label(record)], permalink)
    if isinstance(record, Motion):
        authors = ", ".join(f"{archive.persons[a.person].name} ({archive.parties[a.party].abbreviation})"
                            for a in record.authors)
        others = " m.fl." if record.others else ""
        day = record.date.isoformat() if record.date else NO_DATE.strip("()")
        return _sentence([f"Motion {record.identifier} av {authors}{others}", day, record.title],
                         permalink)
    return page_citation(title, permalink)


def page_citation(title: str, permalink: str) -> str:
    """Pages that are not a dated record: the title and the archive's name."""
    return _sentence([title, SITE_NAME], permalink)

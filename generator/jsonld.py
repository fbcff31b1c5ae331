"""schema.org JSON-LD for each page, and its safe place in a <script> data block.

Decisions are `Legislation` (a protocol paragraph: identifier, date, the board that
decided), documents `Report`, motions and programmes `CreativeWork`, meetings `Event`,
persons `Person`, boards `GovernmentOrganization` (or `Organization` for companies and
outside bodies), parties `Organization`, topics `DefinedTerm`, sources `DigitalDocument`.
The block is data, never executed, so the CSP's ban on inline scripts does not apply;
`<`, `>` and `&` are written as \\u escapes so no title can end the block.
"""
from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from . import urls
from .link import Archive
from .models import (Board, Decision, Document, Meeting, Motion, Party, Person, Program,
                     Record, Source, Topic)
from .pages import Page

GOVERNMENT = {"kommunfullmäktige", "kommunstyrelsen", "nämnd", "stadsdelsnämnd", "förvaltning"}
SITE_NAME = "Beslutsarkivet"


def _organization(archive: Archive, board: Board, site_url: str) -> dict[str, Any]:
    kind = "GovernmentOrganization" if board.kind in GOVERNMENT else "Organization"
    return {"@type": kind, "name": board.name,
            "url": urls.absolute(site_url, urls.url_for(board))}


def _link(site_url: str, record: Record, kind: str, name: str) -> dict[str, Any]:
    return {"@type": kind, "name": name, "url": urls.absolute(site_url, urls.url_for(record))}


def _record(archive: Archive, record: Record, site_url: str) -> dict[str, Any]:
    a = archive
    if isinstance(record, Decision):
        meeting = a.meeting_of(record)
        data = {"@type": "Legislation", "legislationType": "protokollsparagraf",
                "legislationIdentifier": record.diarienummer,
                "legislationDate": meeting.date.isoformat() if meeting.date else None,
                "legislationPassedBy": _organization(a, a.boards[meeting.board], site_url),
                "isPartOf": _link(site_url, meeting, "Event", a.meeting_label(meeting)),
                "hasPart": [{"@type": "CreativeWork", "name": f"{s.kind} ({a.party_names(s.parties)})",
                             "url": urls.absolute(site_url, urls.statement_url(record, s))}
                            for s in record.statements]}
    elif isinstance(record, Document):
        data = {"@type": "Report", "reportNumber": record.diarienummer,
                "dateCreated": record.date.isoformat() if record.date else None,
                "genre": record.kind, "author": _organization(a, a.boards[record.board], site_url)}
    elif isinstance(record, Motion):
        data = {"@type": "CreativeWork", "genre": "motion", "identifier": record.identifier,
                "dateCreated": record.date.isoformat() if record.date else None,
                "author": [_link(site_url, a.persons[au.person], "Person", a.persons[au.person].name)
                           for au in record.authors]}
    elif isinstance(record, Meeting):
        data = {"@type": "Event", "startDate": record.date.isoformat() if record.date else None,
                "organizer": _organization(a, a.boards[record.board], site_url)}
    elif isinstance(record, Person):
        party = a.parties[record.party] if record.party else None
        data = {"@type": "Person", "alternateName": list(record.name_forms),
                "affiliation": _link(site_url, party, "Organization", party.name) if party else None}
    elif isinstance(record, Board):
        data = _organization(a, record, site_url)
    elif isinstance(record, Party):
        data = {"@type": "Organization", "alternateName": record.abbreviation}
    elif isinstance(record, Program):
        data = {"@type": "CreativeWork", "genre": record.kind, "temporalCoverage": record.period}
    elif isinstance(record, Topic):
        data = {"@type": "DefinedTerm"}
    else:
        assert isinstance(record, Source)
        data = {"@type": "DigitalDocument", "encodingFormat": "text/plain"}
    return data


def for_page(archive: Archive, page: Page, site_url: str) -> dict[str, Any]:
    permalink = urls.absolute(site_url, page.url)
    if page.record is not None:
        data = _record(archive, page.record, site_url)
    elif page.url == urls.HOME:
        data = {"@type": "WebSite"}
    elif page.section and page.url == urls.INDEX.get(page.section):
        data = {"@type": "CollectionPage"}
    else:
        data = {"@type": "WebPage"}
    result = {"@context": "https://schema.org", "@type": data.pop("@type"), "@id": permalink,
              "url": permalink, "name": page.title, "inLanguage": "sv"}
    result.update((key, value) for key, value in data.items() if value not in (None, []))
    if page.url != urls.HOME:
        result["isPartOf"] = result.get("isPartOf") or {
            "@type": "WebSite", "name": SITE_NAME, "url": urls.absolute(site_url, urls.HOME)}
    return result


_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_ESCAPE_TABLE = str.maketrans(_ESCAPES)  # translate: a character at a time in C, not in Python


def script_text(data: Any) -> Markup:
    """JSON for a <script type="application/ld+json"> block: the same data, but no
    character sequence in it can close the element or open a comment."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.translate(_ESCAPE_TABLE))

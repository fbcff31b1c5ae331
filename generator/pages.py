"""Every page the site has: one Page per output, owning its URL and its output path."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Optional

from . import urls
from .link import Archive
from .models import Record

SECTION_TITLES = {
    "beslut": "Beslut",
    "motioner": "Motioner",
    "dokument": "Dokument",
    "moten": "Sammanträden",
    "namnder": "Nämnder",
    "partier": "Partier",
    "personer": "Personer",
    "amnen": "Ämnen",
    "program": "Program",
    "kallor": "Källor",
}

# The record folders in the order the navigation and the start page show them.
SECTIONS = tuple(SECTION_TITLES)


@dataclass(frozen=True)
class Page:
    """One output file of the site."""

    url: str
    """Site-relative URL, e.g. /beslut/socialnamnden-2016-12-13-par-11/."""
    template: str
    """The Jinja template that renders it."""
    title: str
    """The page's <title> and <h1>."""
    section: Optional[str] = None
    """The navigation entry this page belongs to (a folder name), for aria-current."""
    record: Optional[Record] = None
    """The record the page shows, for record pages."""

    @property
    def output(self) -> PurePosixPath:
        return urls.output_path(self.url)


def title_of(archive: Archive, record: Record) -> str:
    section = urls.SECTION[type(record)]
    if section == "beslut":
        meeting = archive.meeting_of(record)
        return f"{archive.decision_label(record)}, {archive.meeting_label(meeting)}"
    if section == "moten":
        return f"Sammanträde: {archive.meeting_label(record)}"
    if section == "motioner":
        return f"Motion {record.identifier}: {record.title}"
    if section == "dokument":
        return archive.document_label(record)
    if section == "kallor":
        return f"Källa: {record.title}"
    if section == "amnen":
        return f"Ämne: {record.name}"
    return record.name


def all_pages(archive: Archive) -> list[Page]:
    pages = [
        Page(urls.HOME, "home.html", "Beslutsarkivet"),
        Page(urls.SEARCH, "search.html", "Sök i arkivet", section="sok"),
        Page(urls.ABOUT, "about.html", "Om arkivet", section="om"),
        Page(urls.ACCESSIBILITY, "accessibility.html", "Tillgänglighetsredogörelse", section="om"),
        Page(urls.PARTY_COMPARISON, "party_comparison.html", "Partierna jämförda", section="partier"),
        Page(urls.NOT_FOUND, "404.html", "Sidan finns inte"),
        Page(urls.DATA, "data.html", "Öppna data"),
        Page(urls.CORRECTIONS, "andringar.html", "Ändringar och rättelser"),
    ]
    for section in SECTIONS:
        pages.append(Page(urls.section_url(section), f"index_{section}.html",
                          SECTION_TITLES[section], section=section))
    for record in archive.records():
        section = urls.SECTION[type(record)]
        pages.append(Page(urls.url_for(record), f"{section}.html", title_of(archive, record),
                          section=section, record=record))
    return pages

"""The only place that knows URLs, output paths and anchors.

A URL is a promise: it comes from the record's folder and id, never from a title, and
is lower case, Swedish and ends in '/'. Templates ask `url_for(record)`; nothing else
builds a path.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
import unicodedata
from pathlib import PurePosixPath

from slugify import slugify

from .models import (Board, Decision, Document, Meeting, Motion, Party, Person, Program,
                     Record, Source, Statement, Topic)

SECTION = {
    Source: "kallor", Party: "partier", Board: "namnder", Person: "personer", Topic: "amnen",
    Program: "program", Meeting: "moten", Motion: "motioner", Document: "dokument",
    Decision: "beslut",
}

# Pages that are not records.
HOME = "/"
SEARCH = "/sok/"
ABOUT = "/om/"
ACCESSIBILITY = "/tillganglighet/"
PARTY_COMPARISON = "/jamfor-partier/"
NOT_FOUND = "/404.html"
# The search index: Pagefind's bundle with the index of undated pages, and beside it
# one index per span of time (index.py says why).
SEARCH_INDEX = "/pagefind/"
INDEX = {folder: f"/{folder}/" for folder in SECTION.values()}


def search_shard_url(key: str) -> str:
    """A dated shard's folder: key "2016", "1992_1999" or "2016-07_2016-09" (index.py)."""
    return f"{SEARCH_INDEX}ar-{key}/"


def section_url(folder: str) -> str:
    return INDEX[folder]


def record_url(folder: str, record_id: str) -> str:
    return f"/{folder}/{record_id}/"


def url_for(record: Record) -> str:
    return record_url(SECTION[type(record)], record.id)


def statement_anchor(statement: Statement) -> str:
    return statement.id


def statement_point_anchor(statement: Statement, point: int) -> str:
    return f"{statement.id}-punkt-{point}"


def decision_point_anchor(point: int) -> str:
    return f"beslutspunkt-{point}"


def statement_url(decision: Decision, statement: Statement, point: int | None = None) -> str:
    anchor = statement_point_anchor(statement, point) if point else statement_anchor(statement)
    return f"{url_for(decision)}#{anchor}"


def output_path(url: str) -> PurePosixPath:
    """build/-relative file for a URL: /a/b/ -> a/b/index.html; /404.html -> 404.html."""
    return PurePosixPath(output_file(url))


def output_file(url: str) -> str:
    """output_path as a string, made without pathlib: the link check resolves every
    distinct link of the site (tens of thousands) on every build, and the data files
    are 230,000 at city scale."""
    if url.startswith("/") and "#" not in url and "//" not in url and "/." not in url:
        return url[1:] + "index.html" if url.endswith("/") else url[1:]  # as below, at a third of the cost
    path = url.split("#", 1)[0]
    if not path.strip("/") or path.endswith("/"):
        path += "index.html"
    parts = [part for part in path.split("/") if part and part != "."]
    if ".." in parts:
        raise ValueError(f"URL {url!r} would leave the output folder")
    return "/".join(parts)


@lru_cache(maxsize=65536)
def heading_slug(text: str) -> str:
    """An anchor for a heading in a body: 'Ärendets beredning' -> 'arendets-beredning'.

    Cached: slugify transliterates character by character, and the same headings
    ("Beslut", "Ärendet") stand on thousands of pages."""
    return slugify(text, max_length=60, word_boundary=True) or "avsnitt"


# Open data: each record's JSON in its page's own folder (/beslut/<id>/index.json), not
# beside it: a folder of 60,000 decisions would hold 60,000 files, and Netlify refuses
# a folder of more than 54,000. Feeds and calendars, one per board, party, person or
# topic, stand beside their page: the page's URL without its final '/' plus a suffix.
DEFAULT_SITE_URL = "https://beslutsarkivet.se"
DATA = "/data/"
CORRECTIONS = "/andringar/"
DUMP = "/data/arkiv.json"
SCHEMA_VERSION = "v1"
ARCHIVE_FEED = "/arkiv.atom"
CORRECTIONS_FEED = "/andringar.atom"
SITEMAP = "/sitemap.xml"
ROBOTS = "/robots.txt"
FEED_SECTIONS = ("namnder", "partier", "personer", "amnen")
RESTORED_ANCHOR = "aterstallt"


def _beside(record: Record, suffix: str) -> str:
    return url_for(record).rstrip("/") + suffix


def json_url(record: Record) -> str:
    return url_for(record) + "index.json"


def has_feed(record: Record) -> bool:
    return SECTION[type(record)] in FEED_SECTIONS


def feed_url(record: Record) -> str:
    if not has_feed(record):
        raise ValueError(f"{url_for(record)} has no feed of its own")
    return _beside(record, ".atom")


def calendar_url(board: Board) -> str:
    return _beside(board, ".ics")


def csv_url(table: str) -> str:
    return f"{DATA}{table}.csv"


def schema_url(kind: str) -> str:
    return f"{DATA}schema/{SCHEMA_VERSION}/{kind}.json"


def sitemap_part_url(number: int) -> str:
    return f"/sitemap-{number}.xml"


def absolute(site_url: str, url: str) -> str:
    """https://host + /path: for canonical links, feeds, sitemaps and citations."""
    return site_url.rstrip("/") + url


def note_anchor(number: int) -> str:
    """The n-th (from 1) editorial note on a record's page."""
    return f"anmarkning-{number}"


def note_url(record: Record, number: int) -> str:
    return f"{url_for(record)}#{note_anchor(number)}"


def restored_url(document: Document) -> str:
    return f"{url_for(document)}#{RESTORED_ANCHOR}"


def paragraph_anchor(text: str) -> str:
    """A paragraph's anchor, from its own text only, so editing another paragraph keeps it.

    The text is normalised (Unicode NFKC, runs of white space as one space) so that
    re-wrapping the source lines does not move the anchor.
    """
    normalised = " ".join(unicodedata.normalize("NFKC", text).split())
    return "stycke-" + hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:8]

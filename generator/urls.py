"""The only place that knows URLs, output paths and anchors.

A URL is a promise: it comes from the record's folder and id, never from a title, and
is lower case, Swedish and ends in '/'. Templates ask `url_for(record)`; nothing else
builds a path.
"""
from __future__ import annotations

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
NOT_FOUND = "/404.html"
INDEX = {folder: f"/{folder}/" for folder in SECTION.values()}


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
    path = url.split("#", 1)[0].lstrip("/")
    if not path or path.endswith("/"):
        path += "index.html"
    result = PurePosixPath(path)
    if ".." in result.parts or result.is_absolute():
        raise ValueError(f"URL {url!r} would leave the output folder")
    return result


def heading_slug(text: str) -> str:
    """An anchor for a heading in a body: 'Ärendets beredning' -> 'arendets-beredning'."""
    return slugify(text, max_length=60, word_boundary=True) or "avsnitt"

"""The search index: Pagefind over the staging folder, before the swap into build/.

The Pagefind binary (PyPI `pagefind[bin]`, pinned in pyproject.toml) indexes the written
pages; measured here, that is far faster than feeding pages one by one through its
Python API. Only `data-pagefind-body` regions are indexed, so navigation stays out.
"""
from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .link import Archive
from .models import Board, Decision, Document, Meeting, Motion, Party, Person, Program, Record, Topic

OUTPUT_SUBDIR = "pagefind"
BUNDLE_URL = f"/{OUTPUT_SUBDIR}/"


class IndexFailed(Exception):
    pass


def index_site(staging, current_root: Path, current: dict[str, str], before: dict[str, str],
               pages_changed: bool) -> dict[str, str]:
    """Index the staging folder; returns the index's files (relative path -> hash).

    When no page changed, the current site's index is taken as it is.
    """
    prefix = OUTPUT_SUBDIR + "/"
    previous = {path: digest for path, digest in current.items() if path.startswith(prefix)}
    if previous and not pages_changed:
        for path, digest in previous.items():
            if before.get(path) != digest:
                staging.link_from(current_root, path)
        return previous
    shutil.rmtree(staging.root / OUTPUT_SUBDIR, ignore_errors=True)
    command = [sys.executable, "-m", "pagefind", "--site", str(staging.root),
               "--output-subdir", OUTPUT_SUBDIR, "--quiet"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise IndexFailed(f"Pagefind misslyckades ({result.returncode}):\n{result.stdout}{result.stderr}")
    return _hashes(staging.root, staging.root / OUTPUT_SUBDIR)


def _hashes(root: Path, folder: Path) -> dict[str, str]:
    return {str(path.relative_to(root)): hashlib.sha1(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


@dataclass(frozen=True)
class Facets:
    """What the search index knows about a record's page besides its text."""

    filters: tuple[tuple[str, tuple[str, ...]], ...]
    date: str  # ISO date for sorting, "" when the record has none


def facets(archive: Archive, record: Record) -> Facets:
    """Filters a citizen can combine: type, board, party, person, year, program, topic."""
    kind, boards, parties, persons, day, programs, topics = _facts(archive, record)
    filters = {
        "typ": [kind],
        "nämnd": [archive.boards[b].name for b in boards],
        "parti": [archive.parties[p].abbreviation for p in parties],
        "person": [archive.persons[p].name for p in persons],
        "år": [str(day.year)] if day else [],
        "program": [archive.programs[p].name for p in programs],
        "ämne": [archive.topics[t].name for t in topics],
    }
    ordered = tuple((name, tuple(dict.fromkeys(values))) for name, values in filters.items() if values)
    return Facets(ordered, day.isoformat() if day else "")


def _facts(archive: Archive, record: Record):
    """(type, boards, parties, persons, date, programs, topics) of one record."""
    empty: tuple = ()
    if isinstance(record, Decision):
        meeting = archive.meeting_of(record)
        statements = record.statements
        return ("protokollsparagraf", (meeting.board,),
                [p for s in statements for p in s.parties],
                [sp.person for s in statements for sp in s.speakers],
                meeting.date, record.programs,
                list(record.topics) + [t for s in statements for t in s.topics])
    if isinstance(record, Motion):
        return ("motion", [b for r in record.remiss for b in r.bodies],
                [archive.persons[a.person].party or a.party for a in record.authors],
                [a.person for a in record.authors], record.date, empty, record.topics)
    if isinstance(record, Document):
        boards = [record.board] + ([record.to_board] if record.to_board else [])
        return (record.kind, boards, empty, [s.person for s in record.signatories],
                record.date, record.programs, record.topics)
    if isinstance(record, Meeting):
        return ("sammanträde", (record.board,), empty, empty, record.date, empty, empty)
    if isinstance(record, Program):
        return ("program", [record.owner] if record.owner else empty, empty, empty, None,
                (record.id,), record.topics)
    # A party's or a person's own page is not an item where the party spoke: it is
    # found by its text and its type, so filtering by party keeps only positions.
    if isinstance(record, Person):
        return ("person", empty, empty, empty, None, empty, empty)
    if isinstance(record, Party):
        return ("parti", empty, empty, empty, None, empty, empty)
    if isinstance(record, Board):
        return ("nämnd", (record.id,), empty, empty, None, empty, empty)
    if isinstance(record, Topic):
        return ("ämne", empty, empty, empty, None, empty, (record.id,))
    return ("källa", empty, empty, empty, None, empty, empty)

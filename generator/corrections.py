"""Every correction the archive has made, for the public list and its feed.

Two kinds: editorial notes (`notes`, each with its date) on any record, and the parts
of documents restored from another source (`restored`, which have no date in the
content: the list shows their note and invents none).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from . import urls
from .link import Archive
from .models import Document, Record, Restored

NOTE = "Redaktionell anmärkning"
RESTORED = "Återställd del"


@dataclass(frozen=True)
class Item:
    record: Record
    kind: str
    """NOTE or RESTORED."""
    url: str
    """Where it stands: the note's anchor, or the document's restored section."""
    date: date | None
    text: str
    """Markdown: the note, or the restoration's explanation."""
    key: str
    """Unique within the list: the URL, plus the part's number for restored parts."""
    restored: Restored | None = None


def notes(archive: Archive) -> list[Item]:
    """Every editorial note, newest first (then by page)."""
    items = []
    numbers: dict[str, int] = {}  # notes are numbered per page, as the page shows them
    for correction in archive.views.corrections:
        page = urls.url_for(correction.record)
        numbers[page] = number = numbers.get(page, 0) + 1
        url = urls.note_url(correction.record, number)
        items.append(Item(correction.record, NOTE, url, correction.note.date,
                          correction.note.text.strip(), url))
    return sorted(items, key=lambda i: (-i.date.toordinal(), i.url))


def restored(archive: Archive) -> list[Item]:
    """Every restored part, in document order and the order the document lists them."""
    items = []
    for document in archive.documents.values():
        for number, part in enumerate(document.restored, start=1):
            items.append(_restored_item(document, number, part))
    return items


def _restored_item(document: Document, number: int, part: Restored) -> Item:
    url = urls.restored_url(document)
    return Item(document, RESTORED, url, None, part.note.strip(), f"{url}-{number}", part)

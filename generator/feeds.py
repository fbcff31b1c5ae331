"""Atom feeds (RFC 4287): the whole archive, each board, party, person and topic, and the
corrections.

Dates come from the content, never the clock. An entry is `published` on its own date
(the meeting's date for a decision and its statements, the document's or the motion's
date) and `updated` on the newest of that date and the dates of its editorial notes.
An entry whose record has no date at all (the source does not say) is not left out: it
has no `published`, and its `updated` is the archive's newest date, the newest date that
stands anywhere in the content (meetings, documents, motions, notes). That keeps it in
every feed it belongs to without inventing a date of its own; the entry's summary says
that the date is missing. A feed holds its newest FEED_LIMIT entries.
"""
from __future__ import annotations

import functools
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from typing import Callable, Iterable, Iterator

from . import cite, corrections, depend, urls
from .link import Archive, Said
from .models import Board, Decision, Document, Motion, Party, Person, Record, Topic
from .pages import title_of
from .sitemap import XML_DECLARATION

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SITE_NAME = "Beslutsarkivet"
NO_DATE_NOTE = "Datum saknas i källan."
EPOCH = date(1970, 1, 1)  # only for an archive without a single date
# A feed is polled again and again: it carries the newest entries, and the whole
# history is in the open data (/data/). A city's archive feed would otherwise be tens
# of megabytes.
FEED_LIMIT = 200


@dataclass(frozen=True)
class Entry:
    url: str
    """Site-relative link, with the anchor where the entry is part of a page."""
    title: str
    category: str
    published: date | None
    """The content's own date; None when the source has none."""
    changed: tuple[date, ...]
    """Dates of editorial notes on the record."""
    summary: str
    key: str = ""
    """Site-relative, unique in the feed, when the link is not (restored parts of one
    document share the link to their section)."""

    def updated(self, newest: Callable[[], date]) -> date:
        return _updated(self.published, self.changed, newest)

    def order(self, newest: Callable[[], date]) -> tuple:
        return _newest_first(self.published, self.changed, self.url, self.key, newest)

    def atom_id(self, site_url: str) -> str:
        return urls.absolute(site_url, self.key or self.url)


def _updated(published: date | None, changed: tuple[date, ...], newest: Callable[[], date]) -> date:
    dates = [d for d in (published, *changed) if d]
    return max(dates) if dates else newest()


def _newest_first(published: date | None, changed: tuple[date, ...], url: str, key: str,
                  newest: Callable[[], date]) -> tuple:
    """A feed's order: the newest update first, then the newest publication."""
    return (-_updated(published, changed, newest).toordinal(),
            -(published.toordinal() if published else 0), url, key)


@dataclass(frozen=True)
class Feed:
    url: str
    title: str
    page: str
    """The page the feed follows."""
    entries: tuple[Entry, ...]


def newest_date(archive: Archive) -> date:
    """The newest date anywhere in the content: undated entries are updated on it."""
    dates = [m.date for m in archive.meetings.values() if m.date]
    dates += [d.date for d in archive.documents.values() if d.date]
    dates += [m.date for m in archive.motions.values() if m.date]
    dates += [note.date for record in archive.records() for note in record.notes]
    return max(dates, default=EPOCH)


NEWEST = "the archive's newest date"
DERIVED = {NEWEST: newest_date}  # for depend.Digests, which computes them anew each build


def _summary(citation: str, dated: date | None, *more: str) -> str:
    parts = [citation, *[m for m in more if m]]
    if dated is None:
        parts.append(NO_DATE_NOTE)
    return "\n\n".join(parts)


def _notes(record: Record) -> tuple[date, ...]:
    return tuple(note.date for note in record.notes)


def decision_entry(archive: Archive, d: Decision, site_url: str) -> Entry:
    meeting = archive.meeting_of(d)
    return Entry(urls.url_for(d), f"{archive.decision_label(d)}, {archive.meeting_label(meeting)}",
                 "Beslut", meeting.date, _notes(d),
                 _summary(cite.decision_citation(archive, d, site_url), meeting.date,
                          "Beslutet: " + " ".join(d.points)))


def statement_entry(archive: Archive, said: Said, site_url: str) -> Entry:
    d, s = said.decision, said.statement
    meeting = archive.meeting_of(d)
    label = cite.statement_label(archive, s)
    return Entry(urls.statement_url(d, s),
                 f"{label[0].upper()}{label[1:]} i {archive.decision_label(d)}, "
                 f"{archive.meeting_label(meeting)}",
                 s.kind.capitalize(), meeting.date, _notes(d),
                 _summary(cite.decision_citation(archive, d, site_url, s), meeting.date))


def document_entry(archive: Archive, doc: Document, site_url: str) -> Entry:
    citation = cite.record_citation(archive, doc, site_url, title_of(archive, doc))
    return Entry(urls.url_for(doc), archive.document_label(doc), doc.kind.capitalize(), doc.date,
                 _notes(doc), _summary(citation, doc.date, doc.summary or ""))


def motion_entry(archive: Archive, motion: Motion, site_url: str) -> Entry:
    citation = cite.record_citation(archive, motion, site_url, title_of(archive, motion))
    return Entry(urls.url_for(motion), f"Motion {motion.identifier}: {motion.title}", "Motion",
                 motion.date, _notes(motion), _summary(citation, motion.date))


def _record_entry(archive: Archive, record: Record, site_url: str) -> Entry | None:
    if isinstance(record, Decision):
        return decision_entry(archive, record, site_url)
    if isinstance(record, Document):
        return document_entry(archive, record, site_url)
    if isinstance(record, Motion):
        return motion_entry(archive, record, site_url)
    return None  # boards, programs ... are not news of their own


@dataclass(frozen=True)
class _Candidate:
    """What a feed entry is sorted by, and how to make the entry: a feed keeps its
    newest FEED_LIMIT, and most candidates of a large archive are never made."""

    url: str
    published: date | None
    changed: tuple[date, ...]
    make: Callable[[], Entry]

    def order(self, newest: Callable[[], date]) -> tuple:
        return _newest_first(self.published, self.changed, self.url, "", newest)


def _record_candidate(archive: Archive, record: Record, site_url: str) -> _Candidate | None:
    if isinstance(record, Decision):
        when = archive.meeting_of(record).date
    elif isinstance(record, (Document, Motion)):
        when = record.date
    else:
        return None  # boards, programs ... are not news of their own
    return _Candidate(urls.url_for(record), when, _notes(record),
                      lambda: _record_entry(archive, record, site_url))


def _statement_candidate(archive: Archive, said: Said, site_url: str) -> _Candidate:
    return _Candidate(urls.statement_url(said.decision, said.statement),
                      archive.meeting_of(said.decision).date, _notes(said.decision),
                      lambda: statement_entry(archive, said, site_url))


def correction_entries(archive: Archive, site_url: str) -> list[Entry]:
    """Every editorial note (on its date), and every restored part (which has no date of
    its own in the content, so it is updated on the archive's newest date)."""
    entries = []
    for item in corrections.notes(archive):
        entries.append(Entry(item.url, f"{item.kind}: {title_of(archive, item.record)}", item.kind,
                             item.date, (), item.text))
    for item in corrections.restored(archive):
        assert item.restored is not None
        entries.append(Entry(item.url, f"{item.kind} ({item.restored.part}): "
                                       f"{title_of(archive, item.record)}",
                             item.kind, None, (), item.text, key=item.key))
    return entries


def _collect(archive: Archive, site_url: str, records: Iterable[Record],
             said: Iterable[Said] = (), newest: Callable[[], date] = lambda: EPOCH
             ) -> tuple[Entry, ...]:
    """The feed's newest FEED_LIMIT entries, each link once."""
    candidates: dict[str, _Candidate] = {}
    for record in records:
        candidate = _record_candidate(archive, record, site_url)
        if candidate is not None:
            candidates.setdefault(candidate.url, candidate)
    for item in said:
        candidate = _statement_candidate(archive, item, site_url)
        candidates.setdefault(candidate.url, candidate)
    kept = sorted(candidates.values(), key=lambda c: c.order(newest))[:FEED_LIMIT]
    return tuple(candidate.make() for candidate in kept)


def feed_title(archive: Archive, record: Record) -> str:
    return f"{title_of(archive, record)} – {SITE_NAME}"


def all_feeds(archive: Archive, site_url: str, newest: Callable[[], date]
              ) -> Iterator[tuple[str, Record | None, Callable[[], Feed]]]:
    """Every feed as (URL, the record it follows, how to make it): each is made on
    demand, so an incremental build remakes only the feeds whose entries changed."""
    a, v = archive, archive.views

    def everything() -> Feed:
        records = [*a.decisions.values(), *a.documents.values(), *a.motions.values()]
        return Feed(urls.ARCHIVE_FEED, f"{SITE_NAME}: beslut, dokument och motioner", urls.HOME,
                    _collect(a, site_url, records, newest=newest))

    def corrected() -> Feed:
        return Feed(urls.CORRECTIONS_FEED, f"Ändringar och rättelser – {SITE_NAME}", urls.CORRECTIONS,
                    tuple(correction_entries(a, site_url)))

    def board_feed(board: Board) -> Feed:
        records = [d for m in v.board_meetings.get(board.id, []) for d in v.meeting_decisions.get(m.id, [])]
        records += v.board_documents.get(board.id, []) + v.board_addressed.get(board.id, [])
        records += [r.motion for r in v.board_remisses_received.get(board.id, [])]
        records += [r.motion for r in v.board_remisses_sent.get(board.id, [])]
        return _feed(a, board, _collect(a, site_url, records, newest=newest))

    def party_feed(party: Party) -> Feed:
        return _feed(a, party, _collect(a, site_url, [au.motion for au in v.party_authored.get(party.id, [])],
                                        v.party_said.get(party.id, []), newest))

    def person_feed(person: Person) -> Feed:
        records = [au.motion for au in v.person_authored.get(person.id, [])]
        records += [s.document for s in v.person_signed.get(person.id, [])]
        return _feed(a, person, _collect(a, site_url, records, v.person_said.get(person.id, []), newest))

    def topic_feed(topic: Topic) -> Feed:
        return _feed(a, topic, _collect(a, site_url, v.topic_records.get(topic.id, []),
                                        v.topic_said.get(topic.id, []), newest))

    yield urls.ARCHIVE_FEED, None, everything
    yield urls.CORRECTIONS_FEED, None, corrected
    for collection, make in ((a.boards, board_feed), (a.parties, party_feed),
                             (a.persons, person_feed), (a.topics, topic_feed)):
        for record in collection.values():
            yield urls.feed_url(record), record, functools.partial(make, record)


def _feed(archive: Archive, record: Record, entries: tuple[Entry, ...]) -> Feed:
    return Feed(urls.feed_url(record), feed_title(archive, record), urls.url_for(record), entries)


def _timestamp(day: date) -> str:
    """Atom wants a date-time; the content has a day. Midnight UTC stands for the day."""
    return f"{day.isoformat()}T00:00:00Z"


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = text
    return element


def atom(feed: Feed, site_url: str, newest: Callable[[], date]) -> bytes:
    entries = sorted(feed.entries, key=lambda entry: entry.order(newest))[:FEED_LIMIT]
    updated = max((e.updated(newest) for e in entries)) if entries else newest()
    root = ET.Element("feed", {"xmlns": ATOM, XML_LANG: "sv"})
    _add(root, "id", urls.absolute(site_url, feed.url))
    _add(root, "title", feed.title)
    _add(root, "updated", _timestamp(updated))
    _add(root, "link", rel="self", type="application/atom+xml", href=urls.absolute(site_url, feed.url))
    _add(root, "link", rel="alternate", type="text/html", href=urls.absolute(site_url, feed.page))
    author = _add(root, "author")
    _add(author, "name", SITE_NAME)
    _add(author, "uri", urls.absolute(site_url, urls.HOME))
    for entry in entries:
        item = _add(root, "entry")
        _add(item, "id", entry.atom_id(site_url))
        _add(item, "title", entry.title)
        _add(item, "link", rel="alternate", type="text/html", href=urls.absolute(site_url, entry.url))
        if entry.published:
            _add(item, "published", _timestamp(entry.published))
        _add(item, "updated", _timestamp(entry.updated(newest)))
        _add(item, "category", term=entry.category)
        _add(item, "summary", entry.summary, type="text")
    ET.indent(root)
    # The bytes of tostring(encoding="utf-8", xml_declaration=True), a quarter faster:
    # to bytes ElementTree writes each piece through a text wrapper of its own.
    return (XML_DECLARATION + ET.tostring(root, encoding="unicode") + "\n").encode("utf-8")


def files(archive: Archive, site_url: str) -> Iterator[tuple[str, depend.Deferred]]:
    # A feed with an undated entry depends on the archive's newest date, not on every
    # dated record it is found among.
    newest = depend.derived(NEWEST, lambda: newest_date(archive))
    for url, record, make in all_feeds(archive, site_url, newest):
        yield url, depend.Deferred(lambda make=make: atom(make(), site_url, newest), record)

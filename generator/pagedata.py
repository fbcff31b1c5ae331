"""What templates know about open data, feeds and citations: one call per page.

`template_globals` is added to the Jinja environment by build.py. A page asks
`page_data(page)` for its permalink, its JSON, feed and calendar, its citation and
its JSON-LD; the data page asks `data_docs()`, the corrections page `corrections()`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from markupsafe import Markup

from . import cite, corrections, dataschema, feeds, ical, jsonld, opendata, tables, urls
from .link import Archive
from .models import Board, Decision, Document, Motion, Record, Statement
from .pages import Page, title_of

ARTICLE = (Decision, Document, Motion)
# Objects inside another type's file that the data page documents on their own.
NESTED = {("decision", "statement"): "Uttalande (ett objekt i beslutets statements)",
          ("person", "membership"): "Medlemskap (Popolo Membership, också i partiets memberships)"}


@dataclass(frozen=True)
class Alternate:
    """A <link rel="alternate">: the same thing in another format."""

    url: str
    type: str
    title: str


@dataclass(frozen=True)
class PageData:
    permalink: str
    """The page's absolute, permanent URL."""
    canonical: bool
    """False for the 404 page, which is no place of its own."""
    json: str | None
    """The record's data file, site-relative."""
    feed: Alternate | None
    calendar: str | None
    alternates: tuple[Alternate, ...]
    citation: str
    og_type: str
    json_ld: Markup


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    standard: str
    description: str


@dataclass(frozen=True)
class SchemaDoc:
    kind: dataschema.Kind
    url: str
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class DataDocs:
    """The data page's context: schemas with their fields, tables, examples."""

    schemas: tuple[SchemaDoc, ...]
    tables: tuple[tables.Table, ...]
    example_url: str | None
    example_json: str | None
    example_statement: str | None
    example_citation: str | None
    example_csv: str


def _type_text(prop: dict[str, Any]) -> str:
    if "const" in prop:
        return f"alltid {prop['const']}" if not str(prop["const"]).startswith("http") else "URL (fast)"
    if "enum" in prop:
        return "ett av: " + ", ".join(prop["enum"])
    if "$ref" in prop:
        return "objekt, se nedan"
    kinds = prop.get("type", "object")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    names = {"string": "text", "integer": "heltal", "boolean": "true/false", "object": "objekt",
             "null": "null", "array": "lista"}
    if prop.get("format") == "uri":
        names["string"] = "URL"
    elif prop.get("format") == "date":
        names["string"] = "datum"
    elif prop.get("contentMediaType") == "text/markdown":
        names["string"] = "Markdown"
    text = " eller ".join(names[k] for k in kinds)
    if kinds == ["array"]:
        items = prop.get("items", {})
        text = "lista av " + ("objekt" if "$ref" in items or items.get("type") == "object" else _type_text(items))
    return text


def _fields(properties: dict[str, dict[str, Any]]) -> tuple[Field, ...]:
    return tuple(Field(name, _type_text(prop), prop.get("$comment", ""), prop.get("description", ""))
                 for name, prop in properties.items())


def _text(data: dict[str, Any]) -> str:
    return opendata.encode(data).decode("utf-8").rstrip("\n")


class Context:
    """Computes each page's data once; shared by the head and the footer."""

    def __init__(self, archive: Archive, site_url: str):
        self.archive = archive
        self.site_url = site_url
        self._pages: dict[str, PageData] = {}

    def absolute(self, url: str) -> str:
        return urls.absolute(self.site_url, url)

    def page_data(self, page: Page) -> PageData:
        if page.url not in self._pages:
            self._pages[page.url] = self._compute(page)
        return self._pages[page.url]

    def _feed(self, page: Page) -> Alternate | None:
        record = page.record
        if record is not None and urls.has_feed(record):
            return Alternate(urls.feed_url(record), "application/atom+xml",
                             feeds.feed_title(self.archive, record))
        if page.url == urls.HOME:
            return Alternate(urls.ARCHIVE_FEED, "application/atom+xml", "Beslutsarkivet: senaste")
        if page.url == urls.CORRECTIONS:
            return Alternate(urls.CORRECTIONS_FEED, "application/atom+xml", "Ändringar och rättelser")
        return None

    def _compute(self, page: Page) -> PageData:
        record: Record | None = page.record
        permalink = self.absolute(page.url)
        data = urls.json_url(record) if record is not None else (
            urls.DUMP if page.url == urls.DATA else None)
        feed = self._feed(page)
        calendar = (urls.calendar_url(record) if isinstance(record, Board)
                    and ical.dated_meetings(self.archive, record) else None)
        alternates = []
        if data:
            alternates.append(Alternate(data, "application/json", "Öppna data (JSON)"))
        if feed:
            alternates.append(feed)
        if calendar:
            alternates.append(Alternate(calendar, "text/calendar", "Sammanträden (iCalendar)"))
        citation = (cite.record_citation(self.archive, record, self.site_url, page.title)
                    if record is not None else cite.page_citation(page.title, permalink))
        return PageData(
            permalink=permalink, canonical=page.url != urls.NOT_FOUND,
            json=urls.json_url(record) if record is not None else None, feed=feed,
            calendar=calendar, alternates=tuple(alternates), citation=citation,
            og_type="article" if isinstance(record, ARTICLE) else "website",
            json_ld=jsonld.script_text(jsonld.for_page(self.archive, page, self.site_url)),
        )

    def statement_citation(self, decision: Decision, statement: Statement) -> str:
        return cite.decision_citation(self.archive, decision, self.site_url, statement)

    def data_docs(self) -> DataDocs:
        schemas = dataschema.schemas(self.site_url)
        docs = []
        for kind in dataschema.KINDS:
            schema = schemas[kind.name]
            docs.append(SchemaDoc(kind, urls.schema_url(kind.name), _fields(schema["properties"])))
            for (owner, name), title in NESTED.items():
                if owner == kind.name:
                    nested = dataschema.Kind(f"{owner}-{name}", title, kind.model)
                    docs.append(SchemaDoc(nested, urls.schema_url(owner),
                                          _fields(schema["$defs"][name]["properties"])))
        x = opendata.Export(self.archive, self.site_url)
        meeting = next(iter(self.archive.meetings.values()), None)
        decision = next((d for d in self.archive.decisions.values() if d.statements), None)
        first_table = tables.render(tables.DECISIONS, self.archive, self.site_url).decode("utf-8")
        statement = opendata.record_data(x, decision)["statements"][0] if decision else None
        return DataDocs(
            schemas=tuple(docs), tables=tables.TABLES,
            example_url=urls.json_url(meeting) if meeting else None,
            example_json=_text(opendata.record_data(x, meeting)) if meeting else None,
            example_statement=_text(statement) if statement else None,
            example_citation=statement["citation"] if statement else None,
            example_csv="\n".join(first_table.splitlines()[:2]),
        )

    def corrections(self) -> tuple[list[corrections.Item], list[corrections.Item]]:
        return corrections.notes(self.archive), corrections.restored(self.archive)


def template_globals(archive: Archive, site_url: str) -> dict[str, Callable[..., Any] | str]:
    context = Context(archive, site_url)
    return {
        "site_url": site_url,
        "absolute": context.absolute,
        "page_data": context.page_data,
        "statement_citation": context.statement_citation,
        "data_docs": context.data_docs,
        "corrections": context.corrections,
        "record_title": lambda record: title_of(archive, record),
    }

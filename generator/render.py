"""Pages to HTML: the Jinja environment and Markdown.

Templates own all markup. Jinja autoescapes and is strict about undefined names;
Markdown is rendered with raw HTML off (markdown-it-py's `js-default` preset, which also
refuses `javascript:` and `data:` links) and its headings are moved below the page's own.
"""
from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from html import unescape
from pathlib import Path

import jinja2
from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined
from markdown_it import MarkdownIt
from markupsafe import Markup

from . import depend, feeds, index, positions, urls
from .assets import Asset
from .link import KIND_ORDER, Archive, sources_for
from .pages import SECTION_TITLES, SECTIONS, Page
from .schema import BOARD_KINDS

# The publisher's facts for the about and accessibility pages.
SITE_NAME = "Beslutsarkivet"
CONTACT_EMAIL = "redaktionen@beslutsarkivet.se"
ACCESSIBILITY_ASSESSED = "2026-11-24"  # when the statement's tests and review were last done
ACCESSIBILITY_UPDATED = "2026-11-24"

# The navigation leaves out sources (linked from the footer) to stay short on a phone.
NAV_SECTIONS = tuple(s for s in SECTIONS if s != "kallor")

_markdown = MarkdownIt("js-default")


# Paragraph anchors already given on the page being rendered: a paragraph that stands
# twice on one page gets "-2" on its second anchor, in rendering order.
_paragraph_anchors: ContextVar[dict[str, int] | None] = ContextVar("paragraph_anchors", default=None)


@contextmanager
def page_anchors():
    """One page's rendering: paragraph anchors are unique within it."""
    token = _paragraph_anchors.set({})
    try:
        yield
    finally:
        _paragraph_anchors.reset(token)


def markdown(text: str | None, shift: int = 1, prefix: str = "") -> Markup:
    """Markdown to HTML. `##` becomes h(2+shift-1); headings get ids, `prefix`-ed.

    Each top-level paragraph gets a stable anchor from a hash of its own text
    (urls.paragraph_anchor), so a quote can link to it and editing another paragraph
    does not move it.
    """
    if not text:
        return Markup("")
    tokens = _markdown.parse(text)
    taken: dict[str, int] = {}
    paragraphs = _paragraph_anchors.get()
    if paragraphs is None:
        paragraphs = {}
    for index, token in enumerate(tokens):
        if token.type == "paragraph_open" and token.level == 0:
            anchor = urls.paragraph_anchor(tokens[index + 1].content)
            paragraphs[anchor] = count = paragraphs.get(anchor, 0) + 1
            token.attrSet("id", anchor if count == 1 else f"{anchor}-{count}")
        if token.type in ("heading_open", "heading_close"):
            level = min(6, int(token.tag[1]) + shift - 1)
            token.tag = f"h{level}"
            if token.type == "heading_open":
                inline = tokens[index + 1].content
                slug = (prefix + "-" if prefix else "") + urls.heading_slug(inline)
                taken[slug] = taken.get(slug, 0) + 1
                if taken[slug] > 1:
                    slug = f"{slug}-{taken[slug]}"
                token.attrSet("id", slug)
    return Markup(_markdown.renderer.render(tokens, _markdown.options, {}))


def markdown_inline(text: str | None) -> Markup:
    return Markup(_markdown.renderInline(text or ""))


def iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def _position_excerpt(position: positions.Position, topic=None) -> str:
    if position.statement is None:  # a motion's position is argued in its text
        depend.note_body(position.item)
    return positions.position_excerpt(position, topic)


def environment(templates: Path, archive: Archive, assets: dict[str, Asset] | None = None,
                compiled: Path | None = None) -> Environment:
    """`compiled` is a folder that keeps the templates compiled from build to build:
    compiling them was 0.3 s of an edit. Jinja uses a compiled template only while
    its source is as it was; the folder must change with this code
    (incremental.compiled_templates), and its files are named for Jinja's version."""
    cache = FileSystemBytecodeCache(str(compiled), f"jinja-{jinja2.__version__}-%s.cache") \
        if compiled is not None else None
    env = Environment(
        loader=FileSystemLoader(str(templates)),
        bytecode_cache=cache,
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update(markdown=markdown, markdown_inline=markdown_inline, iso=iso,
                       slug=urls.heading_slug)
    env.tests["contains"] = lambda sequence, item: item in sequence
    assets = assets or {}
    env.globals.update(
        asset=lambda name: assets[name].url,
        nav_sections=NAV_SECTIONS,
        section_titles=SECTION_TITLES,
        section_counts=_Counts(archive),
        board_kinds=BOARD_KINDS,
        site_name=SITE_NAME,
        contact_email=CONTACT_EMAIL,
        accessibility_assessed=ACCESSIBILITY_ASSESSED,
        accessibility_updated=ACCESSIBILITY_UPDATED,
        sources_for=lambda record: sources_for(archive, record),
        search_facets=lambda record: index.facets(archive, record),
        position_excerpt=_position_excerpt,
        party_speakers=lambda statement, party: positions.party_speakers(archive.persons, statement, party),
        position_counts=positions.counts_by_kind,
        position_kinds=positions.KIND_HEADINGS,
        positions_grouped=positions.grouped,
        positions_by_item=positions.by_item,
        list_limit=positions.LIST_LIMIT,
        pagefind_bundle=index.BUNDLE_URL,
        feed_limit=feeds.FEED_LIMIT,
        search_shards=lambda: [urls.search_shard_url(key) for key in index.dated_shards(archive)],
        archive=archive,
        views=archive.views,
        url=urls.url_for,
        section_url=urls.section_url,
        statement_url=urls.statement_url,
        statement_point_anchor=urls.statement_point_anchor,
        decision_point_anchor=urls.decision_point_anchor,
        urls=urls,
        statement_kinds=KIND_ORDER,
    )
    return env


class _Counts:
    """Records per section, counted when a page asks (so the count is a dependency)."""

    def __init__(self, archive: Archive):
        self.archive = archive

    def __getitem__(self, section: str) -> int:
        return len(getattr(self.archive, _ATTRIBUTE[section]))


_ATTRIBUTE = {
    "beslut": "decisions", "motioner": "motions", "dokument": "documents", "moten": "meetings",
    "namnder": "boards", "partier": "parties", "personer": "persons", "amnen": "topics",
    "program": "programs", "kallor": "sources",
}


def render_page(env: Environment, page: Page) -> str:
    template = env.get_template(page.template)
    with page_anchors():
        return template.render(page=page, record=page.record)


# Rendering many pages: worker processes forked after the archive is built share it
# without copying; each renders pages, writes them and reports what a check needs.
PARALLEL_FROM = 400  # fewer pages than this render faster in this process
CHUNK = 16  # pages a worker renders per task
# A forked worker shares the archive with this process until it touches an object
# (reference counts are writes): by the end of a city's render each worker had copied
# most of it, 1.3 GB apiece at 100,000 documents. A worker that has rendered this many
# tasks is replaced by a fresh fork, so a worker holds only what its last pages read.
TASKS_PER_WORKER = 250
_ID = re.compile(r'\sid="([^"]*)"')
_LINK = re.compile(r'<(?:a|link|script|img)\b[^>]*?\s(?:href|src)="([^"]*)"')
_job: tuple | None = None


@dataclass(frozen=True)
class Rendered:
    """One written page: its output's hash, the ids it defines, the links it holds,
    and what it read (depend.py)."""

    url: str
    output: str
    hash: str
    ids: tuple[str, ...]
    links: tuple[str, ...]
    dependencies: frozenset


def render_pages(env: Environment, pages: list[Page], staging, workers: int,
                 progress=None) -> list[Rendered]:
    """Render and write pages into the staging folder (write.Staging), in parallel when
    many; `progress` (progress.py) counts them."""
    global _job
    _job = (env, pages, staging)
    advance = progress.advance if progress is not None else (lambda units=1: None)
    shared: dict = {}
    try:
        if workers <= 1 or len(pages) < PARALLEL_FROM:
            return [_counted(_render_one(index), advance, shared) for index in range(len(pages))]
        for name in env.list_templates(filter_func=lambda name: name.endswith(".html")):
            env.get_template(name)  # compiled once here, not again in every fresh worker
        with multiprocessing.get_context("fork").Pool(workers, maxtasksperchild=TASKS_PER_WORKER) as pool:
            return [_counted(rendered, advance, shared)
                    for rendered in pool.imap(_render_one, range(len(pages)), chunksize=CHUNK)]
    finally:
        _job = None


def _counted(rendered: Rendered, advance, shared: dict) -> Rendered:
    """The page's result, its links and dependencies made one object each across
    pages: most pages link the same menus and read the same records, and a city's
    archive would otherwise hold millions of copies (and pickle them into the state)."""
    advance()
    return Rendered(rendered.url, rendered.output, rendered.hash,
                    tuple(shared.setdefault(i, i) for i in rendered.ids),
                    tuple(shared.setdefault(link, link) for link in rendered.links),
                    frozenset(shared.setdefault(d, d) for d in rendered.dependencies))


def _render_one(index: int) -> Rendered:
    env, pages, staging = _job
    page = pages[index]
    with depend.recording() as dependencies:
        if page.record is not None:
            depend.note_record(page.record)
        html = render_page(env, page)
    data = html.encode("utf-8")
    staging.write(page.output, data)
    return Rendered(page.url, str(page.output), hashlib.sha1(data).hexdigest(),
                    tuple(_ID.findall(html)),
                    tuple(unescape(link) for link in _LINK.findall(html)),
                    frozenset(dependencies))

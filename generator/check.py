"""The built site's own checks: every internal link and anchor must resolve, once.

A broken link in the output is a build error, not a warning (Pelican's warning let
them through for years). An id that stands twice on a page is one too: the anchor
would lead to whichever comes first. Most such mistakes come from a record's own
Markdown, so a problem on a record's page names the record's file, and the line of
the link or heading where it can be found.
"""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Callable, Iterable
from urllib.parse import unquote, urlsplit

from .problems import Problems
from .urls import heading_slug, output_file, output_path

if TYPE_CHECKING:
    from .pages import Page


class _Scan(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.duplicates: list[tuple[int, str]] = []
        self.links: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        for name, value in attrs:
            if name == "id" and value:
                if value in self.ids:
                    self.duplicates.append((self.getpos()[0], value))
                self.ids.add(value)
            elif name in ("href", "src") and value and tag in ("a", "link", "script", "img"):
                self.links.append((self.getpos()[0], value))


def scan(html: str) -> _Scan:
    parser = _Scan()
    parser.feed(html)
    parser.close()
    return parser


class _Reporter:
    """Problems on output pages, named by the content file behind the page where there is one."""

    def __init__(self, problems: Problems, pages: Iterable[Page], content: Path | None):
        self.problems = problems
        self.pages = {page.output: page for page in pages if page.record is not None}
        self.content = content

    def add(self, relative: PurePosixPath, line: int, field: str, message: str, hint: str,
            found) -> None:
        page = self.pages.get(relative)
        if page is None or self.content is None:
            self.problems.add(f"build/{relative}", line, field, message, hint)
            return
        origin = page.record.origin
        where = f"sidan {page.url}, rad {line} i HTML"
        self.problems.add(origin.path, self._line(origin.path, found) or origin.line, field,
                          message, f"{hint}; {where}" if hint else where)

    def _line(self, shown: str, found) -> int:
        """The first line of the content file for which found(line) holds, or 0."""
        # Origin paths start with the content folder's name (load.py shows them so).
        path = self.content.parent / shown
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return 0
        return next((number for number, text in enumerate(lines, start=1) if found(text)), 0)


def _containing(href: str):
    return lambda text: href in text or unquote(href) in text


def _heading_for(anchor: str):
    """A Markdown heading whose slug ends the anchor (bodies prefix their headings' ids)."""
    def found(text: str) -> bool:
        stripped = text.lstrip()
        return stripped.startswith("#") and anchor.endswith(heading_slug(stripped.lstrip("#").strip()))
    return found


def check_links(root: Path, problems: Problems, pages: Iterable[Page] = (),
                content: Path | None = None) -> int:
    """Check every .html under root; returns the number of internal links checked.

    With the site's pages and the content folder, a problem on a record's page names
    the record's file instead of the output file.
    """
    report = _Reporter(problems, pages, content)
    scanned: dict[PurePosixPath, _Scan] = {}
    for path in sorted(root.rglob("*.html")):
        relative = PurePosixPath(path.relative_to(root).as_posix())
        scanned[relative] = scan(path.read_text(encoding="utf-8"))
    checked = 0
    for relative, page in scanned.items():
        for line, anchor in page.duplicates:
            report.add(relative, line, "id", f"ankaret '#{anchor}' finns två gånger på sidan",
                       "byt en av rubrikerna eller id:na", _heading_for(anchor))
        for line, href in page.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc:
                continue  # other hosts: not ours to check here
            if not parts.path and not parts.fragment:
                continue
            checked += 1
            found = _containing(href)
            if parts.path and not parts.path.startswith("/"):
                report.add(relative, line, "href", f"relativ länk '{href}'",
                           "alla interna länkar börjar med /", found)
                continue
            if parts.path and not _exists(root, parts.path):
                report.add(relative, line, "href", f"länken '{href}' leder ingenstans", "", found)
                continue
            target = output_path(unquote(parts.path)) if parts.path else relative
            if parts.fragment:
                ids = scanned[target].ids if target in scanned else set()
                if unquote(parts.fragment) not in ids:
                    report.add(relative, line, "href",
                               f"ankaret '#{parts.fragment}' finns inte på {target}", "", found)
    return checked


def _exists(root: Path, url_path: str) -> bool:
    try:
        return (root / output_path(unquote(url_path))).is_file()
    except (ValueError, OSError):  # '..' that would leave the site; a name too long
        return False


def _anchor(href: str) -> str:
    fragment = href.rpartition("#")[2]
    return unquote(fragment) if "%" in fragment else fragment


_SKIP = object()  # a link to another host, or to nothing
_BAD = object()  # a link that cannot resolve, whatever page holds it


def _resolve(href: str):
    """(output path, or "" for the page itself; anchor), or _SKIP, or _BAD."""
    if href.startswith(("https://", "http://", "mailto:")):
        return _SKIP  # another host's, as urlsplit would say
    if href[:1] in ("/", "#") and href[:2] != "//" and "?" not in href and href.isprintable():
        # A plain path or anchor, as the site's own links are: urlsplit would give the same.
        path, _, fragment = href.partition("#")
    else:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            return _SKIP
        path, fragment = parts.path, parts.fragment
    if not path and not fragment:
        return _SKIP
    if path and not path.startswith("/"):
        return _BAD
    try:
        target = output_file(unquote(path)) if path else ""
    except ValueError:
        return _BAD
    return target, unquote(fragment)


def check_rendered(root: Path, pages_seen: Iterable[tuple[str, tuple, tuple]], files: set[str],
                   problems: Problems, site_pages: Iterable[Page] = (), content: Path | None = None,
                   kept: frozenset[str] = frozenset(), files_ready: Callable[[], None] = lambda: None,
                   gone_anchors: frozenset[str] | None = None) -> int:
    """The same checks from what rendering reported: (output, ids, links) per page, and
    every file the site has. Only a page with a problem is read again, for its lines.
    Each distinct link is parsed once: most pages share most of their links.

    `kept` pages are byte for byte as the last build checked them, so their anchors
    into themselves still hold; their links to other pages are checked once per
    distinct link, as the page or anchor a link names may be gone since. Given
    `gone_anchors`, every file the last build had is still there and only these
    anchors are gone from its pages: the links of kept pages hold as they did then,
    but for those naming such an anchor. `files_ready` is called before the site's
    files are read: some may still be on their way."""
    ids_by_output = {output: ids for output, ids, _ in pages_seen}
    id_sets: dict[str, set[str]] = {}  # made for the pages links name anchors of, only
    resolved: dict[str, object] = {}
    broken: set[str] = set()
    links_of_kept: set[str] = set()
    checked = 0

    def holds(href: str, output: str) -> bool | None:
        """Whether the link resolves, None when it is not ours to check."""
        where = resolved.get(href)
        if where is None:
            where = resolved[href] = _resolve(href)
        if where is _SKIP:
            return None
        if where is _BAD:
            return False
        target, anchor = where
        target = target or output
        return target in files and (not anchor or anchor in _ids(target))

    def _ids(target: str) -> set[str]:
        ids = id_sets.get(target)
        if ids is None:
            ids = id_sets[target] = set(ids_by_output.get(target, ()))
        return ids

    for output, ids, links in pages_seen:
        if output in kept:
            if gone_anchors is None:
                links_of_kept.update(links)
            elif gone_anchors:
                links_of_kept.update(href for href in links if "#" in href and _anchor(href) in gone_anchors)
            continue
        if len(set(ids)) != len(ids):
            broken.add(output)
        for href in links:
            found = holds(href, output)
            if found is not None:
                checked += 1
                if not found:
                    broken.add(output)
    for href in links_of_kept:
        if not href.startswith("#"):
            found = holds(href, "")
            if found is not None:
                checked += 1
                if not found:
                    broken.add(href)
    if broken:
        # Read the whole site the slow way: its messages name files and lines.
        files_ready()
        check_links(root, problems, site_pages, content)
    return checked

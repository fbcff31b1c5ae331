"""The built site's own checks: every internal link and anchor must resolve.

A broken link in the output is a build error, not a warning (Pelican's warning let
them through for years).
"""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from .problems import Problems
from .urls import output_path


class _Scan(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            elif name in ("href", "src") and value and tag in ("a", "link", "script", "img"):
                self.links.append((self.getpos()[0], value))


def scan(html: str) -> _Scan:
    parser = _Scan()
    parser.feed(html)
    parser.close()
    return parser


def check_links(root: Path, problems: Problems) -> int:
    """Check every .html under root; returns the number of internal links checked."""
    pages: dict[PurePosixPath, _Scan] = {}
    for path in sorted(root.rglob("*.html")):
        relative = PurePosixPath(path.relative_to(root).as_posix())
        pages[relative] = scan(path.read_text(encoding="utf-8"))
    checked = 0
    for relative, page in pages.items():
        for line, href in page.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc:
                continue  # other hosts: not ours to check here
            if not parts.path and not parts.fragment:
                continue
            checked += 1
            if parts.path and not parts.path.startswith("/"):
                problems.add(f"build/{relative}", line, "href",
                             f"relativ länk '{href}'", "alla interna länkar börjar med /")
                continue
            target = output_path(unquote(parts.path)) if parts.path else relative
            if parts.path and not (root / target).exists():
                problems.add(f"build/{relative}", line, "href", f"länken '{href}' leder ingenstans")
                continue
            if parts.fragment:
                ids = pages[target].ids if target in pages else set()
                if unquote(parts.fragment) not in ids:
                    problems.add(f"build/{relative}", line, "href",
                                 f"ankaret '#{parts.fragment}' finns inte på {target}")
    return checked

"""Permalinks that last: URLs once published must keep working.

`content/publicerade-urler.txt` lists every URL the site has published. A URL that a
build would no longer produce is an error unless a record says it moved there
(`moved_from`), in which case a Netlify redirect is written. New URLs are added to the
list by the build, for the maintainer to commit.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import urls
from .link import Archive
from .problems import Problems

LIST_NAME = "publicerade-urler.txt"
HEADER = "# Publicerade adresser. Bygget lägger till nya; en adress som försvinner stoppar bygget.\n"


@dataclass(frozen=True)
class Redirect:
    old: str
    new: str


def redirects(archive: Archive, problems: Problems) -> list[Redirect]:
    """Redirects from `moved_from`; an old URL that a page or another move claims is a problem."""
    pages = {urls.url_for(record): record for record in archive.records()}
    claimed: dict[str, object] = {}
    result = []
    for record in archive.records():
        section = urls.SECTION[type(record)]
        for old_id in record.moved_from:
            old = urls.record_url(section, old_id)
            other = pages.get(old) or claimed.get(old)
            if other is not None:
                problems.add(record.origin.path, record.origin.line, "moved_from",
                             f"adressen {old} används redan", f"av {other.origin.path}")
                continue
            claimed[old] = record
            result.append(Redirect(old, urls.url_for(record)))
    return sorted(result, key=lambda r: r.old)


def published(content: Path) -> list[str]:
    path = content / LIST_NAME
    if not path.exists():
        return []
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def check_published(content: Path, produced: set[str], moved: list[Redirect], problems: Problems) -> list[str]:
    """Problems for vanished URLs; returns the URLs new in this build."""
    known = published(content)
    redirected = {r.old for r in moved}
    for url in known:
        if url in produced and url in redirected:
            problems.add(f"content/{LIST_NAME}", 0, "moved_from",
                         f"{url} omdirigeras men används också av en sida")
        elif url not in produced and url not in redirected:
            problems.add(f"content/{LIST_NAME}", 0, "",
                         f"den publicerade adressen {url} skulle försvinna",
                         "ange det gamla id:t i postens moved_from, så skrivs en omdirigering")
    return sorted(produced - set(known))


def record_new(content: Path, new: list[str]) -> None:
    if not new:
        return
    path = content / LIST_NAME
    existing = published(content)
    lines = sorted(set(existing) | set(new))
    path.write_text(HEADER + "".join(url + "\n" for url in lines), encoding="utf-8")


def netlify_redirects(moved: list[Redirect]) -> str:
    return "".join(f"{r.old} {r.new} 301\n" for r in moved)

"""sitemap.xml and robots.txt: every page a search engine should find, and nothing else.

The sitemap lists the site's pages (not the 404 page, not data files or redirects),
in URL order. Past 50,000 URLs, the protocol's limit for one file, /sitemap.xml becomes
a sitemap index of /sitemap-1.xml, /sitemap-2.xml ... No `lastmod`: the content does
not say when a page last changed, and the clock must not.
"""
from __future__ import annotations

from xml.sax.saxutils import escape

from . import urls

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
# What ElementTree writes first with xml_declaration=True (feeds.py writes it too).
XML_DECLARATION = "<?xml version='1.0' encoding='utf-8'?>\n"
LIMIT = 50_000


def _xml(tag: str, child: str, locations: list[str]) -> bytes:
    """The bytes ElementTree gave for this tree, indented, joined as text: one shape
    of tree (never empty: a site has a home page), and ElementTree took 0.4 s of every
    edit at 10,000 documents."""
    entries = "".join(f"  <{child}>\n    <loc>{escape(location)}</loc>\n  </{child}>\n"
                      for location in locations)
    return (f"{XML_DECLARATION}<{tag} xmlns=\"{NAMESPACE}\">\n"
            f"{entries}</{tag}>\n").encode("utf-8")


def listed(page_urls: list[str]) -> list[str]:
    """The pages a sitemap lists, in order."""
    return sorted(url for url in set(page_urls) if url != urls.NOT_FOUND)


def files(page_urls: list[str], site_url: str, limit: int = LIMIT) -> list[tuple[str, bytes]]:
    locations = [urls.absolute(site_url, url) for url in listed(page_urls)]
    if len(locations) <= limit:
        return [(urls.SITEMAP, _xml("urlset", "url", locations))]
    parts = [locations[start:start + limit] for start in range(0, len(locations), limit)]
    result = [(urls.sitemap_part_url(n), _xml("urlset", "url", part))
              for n, part in enumerate(parts, start=1)]
    index = [urls.absolute(site_url, url) for url, _ in result]
    return [(urls.SITEMAP, _xml("sitemapindex", "sitemap", index)), *result]


def robots(site_url: str) -> bytes:
    lines = ["User-agent: *", "Disallow: /pagefind/", "",
             f"Sitemap: {urls.absolute(site_url, urls.SITEMAP)}"]
    return ("\n".join(lines) + "\n").encode("utf-8")

"""Calls the stages in order and times them; no logic of its own.

content/ -> raw records -> models -> linked archive -> pages -> staging folder
-> checks -> search index -> build/
"""
from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import assets as assets_stage
from . import (check, dataschema, feeds, ical, index, link, load, opendata, pagedata, pages,
               permalinks, render, sitemap, tables, urls, validate, write)
from .problems import BuildFailed, Problems

PROJECT = Path(__file__).resolve().parent.parent
TEMPLATES = PROJECT / "templates"
ASSETS = PROJECT / "assets"


@dataclass
class Report:
    timings: list[tuple[str, float]] = field(default_factory=list)
    pages: int = 0
    links: int = 0
    new_urls: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return sum(t for _, t in self.timings)


@contextmanager
def _stage(report: Report, name: str, say: Callable[[str], None]):
    start = time.perf_counter()
    yield
    elapsed = time.perf_counter() - start
    report.timings.append((name, elapsed))
    say(f"  {name:<10} {elapsed:6.2f} s")


def _fail_if(problems: Problems, stage: str) -> None:
    if problems:
        raise BuildFailed(problems.sorted(), stage)


def load_archive(content: Path, report: Report, say: Callable[[str], None]) -> link.Archive:
    problems = Problems()
    with _stage(report, "load", say):
        raw = load.load_content(content, problems)
    with _stage(report, "validate", say):
        models = validate.validate(raw, problems)
    _fail_if(problems, "content")  # linking needs every referenced record present
    with _stage(report, "link", say):
        archive = link.link(models, problems)
    _fail_if(problems, "content")
    return archive


def check_content(content: Path, say: Callable[[str], None] = print) -> Report:
    report = Report()
    archive = load_archive(content, report, say)
    report.pages = len(pages.all_pages(archive))
    return report


def build(content: Path, output: Path, say: Callable[[str], None] = print,
          search: bool = True, site_url: str = urls.DEFAULT_SITE_URL) -> Report:
    """`site_url` is the published address (https://host, no path): canonical links,
    feeds, sitemaps, data files and citations are absolute on it."""
    report = Report()
    with write.build_lock(output):
        archive = load_archive(content, report, say)
        site_pages = pages.all_pages(archive)
        problems = Problems()
        moved = permalinks.redirects(archive, problems)
        report.new_urls = permalinks.check_published(
            content, {p.url for p in site_pages if p.url.endswith("/")}, moved, problems)
        _fail_if(problems, "permalinks")
        staging = write.new_staging(output)
        try:
            with _stage(report, "render", say):
                _render_all(archive, site_pages, staging, moved, site_url)
            with _stage(report, "check", say):
                report.links = check.check_links(staging.root, problems, site_pages, content)
            _fail_if(problems, "check")
            if search:
                with _stage(report, "index", say):
                    index.index_site(staging.root)
            with _stage(report, "write", say):
                write.swap_in(staging, output)
        except BaseException:
            write.discard(staging)
            raise
        permalinks.record_new(content, report.new_urls)
    report.pages = len(site_pages)
    return report


def _render_all(archive, site_pages, staging, moved, site_url) -> None:
    party_css = render.environment(TEMPLATES, archive).get_template("parties.css").render()
    site_assets = assets_stage.collect(ASSETS, {"site.css": party_css.encode("utf-8")})
    env = render.environment(TEMPLATES, archive, site_assets)
    env.globals.update(pagedata.template_globals(archive, site_url))
    for page in site_pages:
        staging.write(page.output, render.render_page(env, page))
    for asset in site_assets.values():
        staging.write(pages.urls.output_path(asset.url), asset.data)
    staging.write(pages.urls.output_path("/_redirects"), permalinks.netlify_redirects(moved))
    # Open data, feeds, calendars and the files for search engines, beside the pages.
    for url, data in (*opendata.files(archive, site_url), *dataschema.files(site_url),
                      *tables.files(archive, site_url), *feeds.files(archive, site_url),
                      *ical.files(archive, site_url),
                      *sitemap.files([p.url for p in site_pages], site_url),
                      (urls.ROBOTS, sitemap.robots(site_url))):
        staging.write(urls.output_path(url), data)

"""Shared fixtures: the fixture archive and the real seed archive, each built once."""
from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.build import build
from generator.write import TRASH_PREFIX

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "archive"
SEEDS = ROOT.parent / "shared" / "seeds"


def names_beside(folder: Path) -> set[str]:
    """What a folder of builds holds, but the trash a build left to be deleted in the
    background (write.put_aside): it may be there or gone at any moment."""
    return {p.name for p in folder.iterdir() if not p.name.startswith(TRASH_PREFIX)}


def trash_left(folder: Path, seconds: float = 30) -> list[Path]:
    """The trash in a folder of builds once its deletion in the background has had
    `seconds` to finish."""
    deadline = time.monotonic() + seconds
    while list(folder.glob(TRASH_PREFIX + "*")) and time.monotonic() < deadline:
        time.sleep(0.02)
    return list(folder.glob(TRASH_PREFIX + "*"))


class Site:
    """A built site, read as a reader's browser would: by URL."""

    def __init__(self, root: Path, content: Path):
        self.root = root
        self.content = content

    def path(self, url: str) -> Path:
        relative = url.split("#")[0].lstrip("/")
        if not relative or relative.endswith("/"):
            relative += "index.html"
        return self.root / relative

    def page(self, url: str) -> BeautifulSoup:
        return BeautifulSoup(self.path(url).read_text(encoding="utf-8"), "html.parser")

    def text(self, url: str) -> str:
        main = self.page(url).find("main")
        return " ".join(main.get_text(" ").split())

    def html_files(self) -> list[Path]:
        return sorted(self.root.rglob("*.html"))


def build_copy(source: Path, workdir: Path, search: bool = False) -> Site:
    content = workdir / "content"
    shutil.copytree(source, content)
    output = workdir / "build"
    build(content, output, say=lambda _: None, search=search)
    return Site(output, content)


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> Site:
    return build_copy(FIXTURE, tmp_path_factory.mktemp("fixture"))


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory) -> Site:
    return build_copy(ROOT / "content", tmp_path_factory.mktemp("seed"), search=True)


@pytest.fixture(scope="session")
def seed_server(seed_site):
    from browser import serve
    with serve(seed_site.root) as url:
        yield url


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright
    from browser import CHROMIUM, CHROMIUM_ARGS
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def watched(chromium):
    from browser import Watched
    context = chromium.new_context(viewport={"width": 360, "height": 800}, locale="sv-SE")
    page = Watched(context.new_page())
    yield page
    context.close()

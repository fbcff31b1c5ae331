"""Hostile text in every text field reaches the pages as text, never as markup.

The fixture archive is copied with every Text and Markdown field of the schema (and
every body, and a note on every record) replaced by strings that would run script if
they were not escaped. The built site is then read as a browser would.
"""
from __future__ import annotations

import csv
import json
import re
import shutil
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import FIXTURE, Site
from generator import schema
from generator.build import build

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
CLOSE = "</script><script>alert(1)</script>"
JINJA = "{{ 7*7 }}"
QUOTES = "O'Brien \"Kalle\""
# One line: Text fields must stay on one.
TEXT = f"{SCRIPT} {ATTRIBUTE} {CLOSE} {JINJA} {QUOTES} <!-- ]]>"
MARKDOWN = f"""{TEXT}

{SCRIPT}

<img src=x onerror=alert(1)>

<a href="javascript:alert(1)">rå länk</a>

[js](javascript:alert(1)) [JS](JaVaScRiPt:alert(1)) [entitet](&#106;avascript:alert(1))
[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) [vb](vbscript:msgbox(1))

<javascript:alert(1)> <data:text/html,alert(1)>

![bild](javascript:alert(1)) ![svg](data:image/svg+xml,<svg onload=alert(1)>)"""
# Bodies only: the same heading in two fields of one page would be one id twice.
HEADING = f"## {SCRIPT} {ATTRIBUTE}"

# Never a value for these: they must be ids.
NOT_TEXT = {"id", "moved_from"}
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "poster", "srcset", "cite", "data",
                  "background", "xlink:href")
OWN_SCRIPTS = ("/assets/", "/pagefind/")
ICS_LINE = re.compile(r"[A-Z][A-Z0-9-]*(;[A-Z-]+=[^:;]*)*:")


def hostile(value, kind):
    if isinstance(kind, schema.Text):
        return f"{value} {TEXT}" if isinstance(value, str) else TEXT
    if isinstance(kind, schema.Markdown):
        return f"{value}\n\n{MARKDOWN}" if isinstance(value, str) else MARKDOWN
    if isinstance(kind, schema.ListOf) and isinstance(value, list):
        return [hostile(item, kind.item) for item in value]
    if isinstance(kind, schema.Struct) and isinstance(value, dict):
        return hostile_fields(value, kind.fields)
    return value


def hostile_fields(data: dict, fields) -> dict:
    for field in fields:
        if field.name in NOT_TEXT:
            continue
        if field.name in data or isinstance(field.type, (schema.Text, schema.Markdown)):
            data[field.name] = hostile(data.get(field.name), field.type)
    return data


def make_hostile(content: Path) -> None:
    for path in sorted(content.rglob("*.*")):
        kind = schema.KINDS[path.parent.name]
        text = path.read_text(encoding="utf-8")
        if kind.has_body:
            _, front, body = text.split("---\n", 2)
        else:
            front, body = text, ""
        data = hostile_fields(yaml.safe_load(front), kind.fields)
        data["notes"] = [{"date": "2021-01-01", "text": MARKDOWN}]
        dumped = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)
        dumped = dumped.replace("'2021-01-01'", "2021-01-01")  # a date, not text
        if kind.has_body:
            path.write_text(f"---\n{dumped}---\n{body}\n{HEADING}\n\n{MARKDOWN}\n", encoding="utf-8")
        else:
            path.write_text(dumped, encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Site:
    workdir = tmp_path_factory.mktemp("hostile")
    shutil.copytree(FIXTURE, workdir / "content")
    make_hostile(workdir / "content")
    build(workdir / "content", workdir / "build", say=lambda _: None, search=False)
    return Site(workdir / "build", workdir / "content")


def _scheme(url: str) -> str:
    # Browsers drop whitespace and control characters before reading the scheme.
    cleaned = re.sub(r"[\x00-\x20]", "", url).lower()
    return cleaned.split(":", 1)[0] if ":" in cleaned else ""


def test_no_hostile_string_becomes_markup(hostile_site):
    pages = hostile_site.html_files()
    assert len(pages) > 20
    for path in pages:
        html = path.read_text(encoding="utf-8")
        soup = BeautifulSoup(html, "html.parser")
        where = path.relative_to(hostile_site.root)
        for script in soup.find_all("script"):
            if script.get("src"):
                assert script["src"].startswith(OWN_SCRIPTS), (where, script)
            else:
                assert script.get("type") == "application/ld+json", (where, script)
                json.loads(script.string)
        for element in soup.find_all(True):
            assert element.name not in ("iframe", "object", "embed", "base", "frame"), (where, element)
            assert not (element.name == "meta" and element.get("http-equiv")), (where, element)
            assert not (element.name == "img" and element.get("src") == "x"), (where, element)
            for name, value in element.attrs.items():
                assert not name.lower().startswith("on"), (where, element.name, name)
                if name in URL_ATTRIBUTES:
                    assert _scheme(str(value)) not in ("javascript", "data", "vbscript"), (where, name, value)
        assert "<script>alert" not in html.lower(), where
        assert "<img src=x" not in html, where


def test_json_ld_cannot_close_its_script_element(hostile_site):
    """Inside <script>, '</script>' or '<!--' in a string would end or bend the element:
    JSON-LD must write every '<' as \\u003c."""
    for path in hostile_site.html_files():
        html = path.read_text(encoding="utf-8")
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
            assert "<" not in block, path


def test_hostile_text_is_shown_where_it_was_written(hostile_site):
    decision = hostile_site.page("/beslut/testnamnden-2020-05-05-par-3/")
    assert TEXT in decision.find("h1").get_text()
    assert TEXT in decision.find("title").get_text()
    for url in ("/beslut/testnamnden-2020-05-05-par-3/", "/motioner/2020-1/", "/amnen/parker/",
                "/personer/anna-alfa/", "/partier/a/", "/namnder/testnamnden/", "/kallor/k1/",
                "/program/parkprogram/", "/dokument/tu-parkbankar/", "/moten/testnamnden-okant/"):
        text = " ".join(hostile_site.page(url).find("main").get_text(" ").split())
        for shown in (SCRIPT, CLOSE, JINJA, QUOTES, "[js](javascript:alert(1))", "<javascript:alert(1)>",
                      '<a href="javascript:alert(1)">rå länk</a>'):
            assert shown in text, (url, shown)
    person = hostile_site.page("/personer/anna-alfa/")
    assert f"Anna Alfa {TEXT}" in person.find("h1").get_text()


def test_other_output_files_still_parse(hostile_site):
    """Feeds, sitemaps, calendars and open data carry the same text: each must still
    parse as itself, with no line or field of the content's making."""
    for path in sorted(hostile_site.root.rglob("*")):
        if path.suffix in (".xml", ".rss", ".atom"):
            ElementTree.parse(path)
        elif path.suffix in (".json", ".jsonld"):
            json.loads(path.read_text(encoding="utf-8"))
        elif path.suffix == ".ics":
            lines = path.read_text(encoding="utf-8").split("\r\n")
            for line in lines[:-1]:
                # A content line is NAME[;params]:value, or a folded continuation.
                assert line.startswith(" ") or ICS_LINE.match(line), (path, line)
            assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT"), path
        elif path.suffix == ".csv":
            with open(path, newline="", encoding="utf-8") as handle:
                rows = list(csv.reader(handle))
            assert rows and all(len(row) == len(rows[0]) for row in rows), path

"""Open data, feeds, calendars, citations and discovery, read from the built seed archive
as a developer, a feed reader, a calendar or a journalist would."""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from conftest import FIXTURE, ROOT, Site, build_copy

SITE = "https://beslutsarkivet.se"
DECISION_6 = "/beslut/socialnamnden-okant-datum-1-par-6/"
FEED_FOLDERS = ("namnder", "partier", "personer", "amnen")


# What the content holds, read without the generator: folders, ids, statements.

def content_records(site: Site) -> list[tuple[str, str]]:
    """(folder, id) of every content file."""
    return sorted((path.parent.name, path.stem) for path in site.content.glob("*/*")
                  if path.suffix in (".yaml", ".md"))


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        text = text.split("---\n")[1]
    return yaml.safe_load(text) or {}


def content_statements(site: Site) -> set[tuple[str, str]]:
    return {(path.stem, s["id"]) for path in (site.content / "beslut").glob("*.md")
            for s in front_matter(path).get("statements", [])}


# Reading the built site.

def local(url: str) -> str:
    """An absolute URL on the site, as a site path with its anchor."""
    assert url.startswith(SITE + "/"), url
    return url[len(SITE):]


def page_url(site: Site, path: Path) -> str:
    relative = "/" + path.relative_to(site.root).as_posix()
    return relative[: -len("index.html")] if relative.endswith("/index.html") else relative


def pages(site: Site) -> list[str]:
    """Every HTML page a reader can reach (not the 404 page)."""
    return [url for url in map(lambda p: page_url(site, p), site.html_files()) if url != "/404.html"]


def exists(site: Site, url: str) -> bool:
    """The page exists and, when the URL has an anchor, so does the anchor."""
    path, _, anchor = url.partition("#")
    if not site.path(path).is_file():
        return False
    return not anchor or site.page(path).find(id=anchor) is not None


def load(site: Site, url: str):
    return json.loads(site.path(url).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validators(seed_site):
    """A validator per schema URL, resolving references between the site's schemas."""
    schemas = {}
    for path in sorted((seed_site.root / "data" / "schema" / "v1").glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(schema)
        schemas[schema["$id"]] = schema
    registry = Registry().with_resources((url, Resource.from_contents(s)) for url, s in schemas.items())
    return {url: Draft202012Validator(schema, registry=registry,
                                      format_checker=Draft202012Validator.FORMAT_CHECKER)
            for url, schema in schemas.items()}


def assert_valid(validators, data: dict, where: str) -> None:
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
              for e in validators[data["$schema"]].iter_errors(data)]
    assert not errors, f"{where}: {errors[:5]}"


# Open data beside every page.

def test_every_record_page_has_its_json_and_it_validates(seed_site, validators):
    records = content_records(seed_site)
    assert len(records) > 50
    for folder, record_id in records:
        url = f"/{folder}/{record_id}/"
        soup = seed_site.page(url)
        alternate = soup.find("link", rel="alternate", type="application/json")
        assert alternate is not None, url
        visible = [a for a in soup.find_all("a", href=alternate["href"]) if "Öppna data" in a.get_text()]
        assert visible, f"{url} has no visible 'Öppna data' link"
        assert alternate["href"] == f"/{folder}/{record_id}/index.json"  # predictable: in the page's folder
        data = load(seed_site, alternate["href"])
        assert_valid(validators, data, alternate["href"])
        assert data["id"] == SITE + alternate["href"]
        assert data["web"] == SITE + url


def test_a_reference_without_the_protocols_verb_says_none(fixture_site, validators):
    # The fixture's ersättaryttrande refers to a point without saying how: the data
    # must not put a verb in the protocol's mouth.
    url = "/beslut/testnamnden-2020-05-05-par-3/index.json"
    data = load(fixture_site, url)
    assert_valid(validators, data, url)
    references = [r for s in data["statements"] for r in s["refersTo"]]
    assert references and all(r["how"] is None for r in references)


def test_references_in_the_data_lead_to_existing_data(seed_site):
    dump = load(seed_site, "/data/arkiv.json")
    decision = next(d for d in dump["decisions"] if d["web"] == SITE + DECISION_6)
    for ref in [decision["meeting"], decision["organization"], *decision["sources"],
                *(p for s in decision["statements"] for p in s["parties"])]:
        assert seed_site.path(local(ref)).is_file(), ref
    for statement in decision["statements"]:
        assert exists(seed_site, local(statement["web"])), statement["web"]
    person = load(seed_site, "/personer/andrea-strom/index.json")
    roles = {(local(m["organization_id"]), m["role"]) for m in person["memberships"]}
    assert ("/partier/m/index.json", "medlem") in roles
    assert ("/namnder/socialnamnden/index.json", "vice ordförande") in roles


def test_the_dump_holds_every_record_and_statement(seed_site, validators):
    dump = load(seed_site, "/data/arkiv.json")
    assert_valid(validators, dump, "/data/arkiv.json")
    in_dump = {local(item["web"]) for key, items in dump.items() if isinstance(items, list)
               and key != "memberships" for item in items}
    assert in_dump == {f"/{folder}/{record_id}/" for folder, record_id in content_records(seed_site)}
    statements = {(local(d["web"]).split("/")[2], s["anchor"]) for d in dump["decisions"]
                  for s in d["statements"]}
    assert statements == content_statements(seed_site)
    for decision in dump["decisions"]:  # the same object as the record's own file
        assert decision == load(seed_site, local(decision["id"]))
    l_proposal = next(s for d in dump["decisions"] if d["web"].endswith("-2016-12-13-par-11/")
                      for s in d["statements"] if s["anchor"] == "forslag-l")
    assert l_proposal["refersTo"] == [{"statement": "forslag-m", "point": 3, "how": "ansluter sig till"}]


def read_csv(site: Site, name: str) -> list[dict]:
    raw = site.path(f"/data/{name}.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))


def test_csv_tables_hold_every_decision_statement_motion_and_person(seed_site):
    ids = lambda folder: {i for f, i in content_records(seed_site) if f == folder}  # noqa: E731
    assert {row["id"] for row in read_csv(seed_site, "beslut")} == ids("beslut")
    assert {row["id"] for row in read_csv(seed_site, "motioner")} == ids("motioner")
    assert {row["id"] for row in read_csv(seed_site, "personer")} == ids("personer")
    statements = read_csv(seed_site, "uttalanden")
    assert {(row["decision"], row["anchor"]) for row in statements} == content_statements(seed_site)
    assert len(statements) == len(content_statements(seed_site))
    reservation = next(r for r in statements if r["anchor"] == "reservation-m-l")
    assert reservation["party_abbreviations"] == "M, L"
    assert reservation["date"] == ""  # unknown, not guessed
    joined = next(r for r in statements if r["anchor"] == "forslag-l")
    assert (joined["refers_to"], joined["refers_to_how"]) == ("forslag-m:3", "ansluter sig till")
    assert exists(seed_site, local(reservation["url"]))


def test_the_data_page_documents_every_format_and_links_every_schema(seed_site):
    soup = seed_site.page("/data/")
    links = {a["href"] for a in soup.find_all("a", href=True)}
    schemas = {"/" + p.relative_to(seed_site.root).as_posix()
               for p in (seed_site.root / "data" / "schema" / "v1").glob("*.json")}
    assert len(schemas) == 11 and schemas <= links
    assert {"/data/arkiv.json", "/data/beslut.csv", "/data/uttalanden.csv", "/data/motioner.csv",
            "/data/personer.csv", "/arkiv.atom", "/andringar.atom"} <= links
    text = seed_site.text("/data/")
    for standard in ("OParl", "Popolo", "AgendaItem", "Membership", "JSON Schema"):
        assert standard in text
    assert '"$schema"' in soup.find("pre").get_text()  # a real example, not a description of one
    assert "/data/" in {a["href"] for a in seed_site.page("/").find("footer").find_all("a")}


# Feeds and calendars.

def feed_files(site: Site) -> list[Path]:
    return sorted(site.root.rglob("*.atom"))


def test_every_feed_parses_and_its_entries_link_to_existing_pages(seed_site):
    files = feed_files(seed_site)
    expected = 2 + sum(1 for folder, _ in content_records(seed_site) if folder in FEED_FOLDERS)
    assert len(files) == expected
    entries = 0
    for path in files:
        feed = feedparser.parse(path.read_bytes())
        assert not feed.bozo, (path, feed.get("bozo_exception"))
        assert feed.version == "atom10"
        assert feed.feed.title and feed.feed.updated_parsed
        self_link = next(l["href"] for l in feed.feed.links if l["rel"] == "self")
        assert self_link == SITE + "/" + path.relative_to(seed_site.root).as_posix()
        ids = [entry.id for entry in feed.entries]
        assert len(ids) == len(set(ids)), path
        for entry in feed.entries:
            assert entry.updated_parsed, (path, entry.link)
            assert exists(seed_site, local(entry.link)), (path, entry.link)
            entries += 1
    assert entries > 20


def test_pages_announce_their_feeds(seed_site):
    for folder, record_id in content_records(seed_site):
        alternate = seed_site.page(f"/{folder}/{record_id}/").find(
            "link", rel="alternate", type="application/atom+xml")
        assert (alternate is not None) == (folder in FEED_FOLDERS), (folder, record_id)
        if alternate is not None:
            assert alternate["href"] == f"/{folder}/{record_id}.atom"
    assert seed_site.page("/").find("link", type="application/atom+xml")["href"] == "/arkiv.atom"
    assert seed_site.page("/andringar/").find("link", type="application/atom+xml")["href"] == "/andringar.atom"


def test_feed_dates_come_from_the_content(fixture_site):
    feed = feedparser.parse(fixture_site.path("/namnder/testnamnden.atom").read_bytes())
    by_link = {local(e.link): e for e in feed.entries}
    decision = by_link["/beslut/testnamnden-2020-05-05-par-3/"]
    assert decision.published.startswith("2020-05-05")  # the meeting's date
    assert decision.updated.startswith("2020-06-01")  # its editorial note's date
    undated = by_link["/dokument/tu-parkbankar/"]
    assert "published" not in undated  # the source has no date: none is invented
    assert undated.updated.startswith("2020-06-01")  # the newest date in the content
    assert "Datum saknas i källan" in undated.summary
    assert feed.feed.updated.startswith("2020-06-01")


def parse_ical(data: bytes) -> list[dict]:
    """RFC 5545, as much as a calendar app needs: unfold, split, nest."""
    text = data.decode("utf-8")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75, line
    lines = text.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    stack, events, calendar = [], [], {}
    for line in lines[:-1]:
        name, _, value = line.partition(":")
        name, *params = name.split(";")
        if name == "BEGIN":
            stack.append(value)
            if value == "VEVENT":
                events.append({})
        elif name == "END":
            assert stack.pop() == value
        elif stack[-1] == "VEVENT":
            events[-1][name] = (value, params)
        else:
            calendar[name] = value
    assert not stack
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    for event in events:
        for required in ("UID", "DTSTAMP", "DTSTART", "SUMMARY", "URL"):
            assert required in event, required
    return events


def test_a_board_calendar_lists_its_dated_meetings(seed_site):
    events = parse_ical(seed_site.path("/namnder/socialnamnden.ics").read_bytes())
    dated = [path.stem for path in (seed_site.content / "moten").glob("*.yaml")
             if front_matter(path)["board"] == "socialnamnden" and front_matter(path)["date"]]
    assert len(events) == len(dated) > 0
    for event in events:
        url = local(event["URL"][0])
        assert exists(seed_site, url)
        day = seed_site.page(url).find("time")["datetime"]
        assert event["DTSTART"] == (day.replace("-", ""), ["VALUE=DATE"])
        assert "Socialnämnden" in event["SUMMARY"][0]
    soup = seed_site.page("/namnder/socialnamnden/")
    assert soup.find("link", type="text/calendar")["href"] == "/namnder/socialnamnden.ics"
    # A board without a dated meeting has no calendar to offer.
    assert not seed_site.path("/namnder/trafiknamnden.ics").exists()
    assert seed_site.page("/namnder/trafiknamnden/").find("link", type="text/calendar") is None


# Corrections.

def test_the_corrections_page_lists_every_note_and_restored_part(seed_site):
    notes, restored = [], []
    for path in seed_site.content.glob("*/*"):
        data = front_matter(path)
        url = f"/{path.parent.name}/{path.stem}/"
        notes += [(url, n + 1, note["date"]) for n, note in enumerate(data.get("notes", []))]
        restored += [(url, part["part"]) for part in data.get("restored", [])]
    assert notes and restored
    soup = seed_site.page("/andringar/")
    links = [a["href"] for a in soup.find("main").find_all("a", href=True)]
    text = seed_site.text("/andringar/")
    for url, number, day in notes:
        assert f"{url}#anmarkning-{number}" in links
        assert day.isoformat() in text
    for url, part in restored:
        assert f"{url}#aterstallt" in links and part in text
    feed = feedparser.parse(seed_site.path("/andringar.atom").read_bytes())
    assert len(feed.entries) == len(notes) + len(restored)
    for entry in feed.entries:
        assert exists(seed_site, local(entry.link))
    footer = [a["href"] for a in seed_site.page(DECISION_6).find("footer").find_all("a", href=True)]
    assert "/andringar/" in footer


# Citations and paragraph anchors.

def statement_article(soup, anchor: str):
    element = soup.find(id=anchor)
    return element if element.name == "article" else element.find_parent("article")


def test_the_citation_of_paragraph_6s_reservation(seed_site):
    soup = seed_site.page(DECISION_6)
    control = statement_article(soup, "reservation-m-l").find("details", class_="cite")
    assert control.find("summary").get_text(" ", strip=True).startswith("Citera")
    citation = control.find(class_="cite-text").get_text()
    assert citation == (
        "Socialnämnden, sammanträde (datum saknas i källan), § 6, dnr 1.7.1-563/2017, "
        "För ett tryggare och säkrare Stockholm, Stockholms stads trygghets- och "
        "säkerhetsprogram 2018-2021, reservation (M, L). "
        f"{SITE}{DECISION_6}#reservation-m-l")
    link = control.find(class_="cite-link").find("a")
    assert link["href"] == f"{DECISION_6}#reservation-m-l"
    assert link.get_text() == f"{SITE}{DECISION_6}#reservation-m-l"
    data = load(seed_site, "/beslut/socialnamnden-okant-datum-1-par-6/index.json")
    assert next(s for s in data["statements"] if s["anchor"] == "reservation-m-l")["citation"] == citation


def test_every_page_and_every_statement_can_be_cited(fixture_site):
    for url in pages(fixture_site):
        soup = fixture_site.page(url)
        control = soup.find("footer").find("details", class_="cite")
        assert control is not None, url
        assert control.find(class_="cite-text").get_text().endswith(" " + SITE + url), url
        assert soup.find("link", rel="canonical")["href"] == SITE + url
    soup = fixture_site.page("/beslut/testnamnden-2020-05-05-par-3/")
    for anchor in ("reservation-b", "ersattaryttrande-a", "forslag-b"):
        control = statement_article(soup, anchor).find("details", class_="cite")
        assert control.find("a")["href"].endswith("#" + anchor)
        assert "1.2.3-4/2020" in control.get_text() and "§ 3" in control.get_text()


def test_citing_needs_no_javascript_and_no_inline_script(seed_site):
    for url in pages(seed_site):
        soup = seed_site.page(url)
        for script in soup.find_all("script"):
            assert script.get("src") or script.get("type") == "application/ld+json", (url, script)
        assert not [tag for tag in soup.find_all(True) if any(a.startswith("on") for a in tag.attrs)]
        for control in soup.find_all("details", class_="cite"):
            assert control.find(class_="cite-text").get_text().strip()  # readable as it is
            assert control.find(class_="cite-actions").has_attr("hidden")  # buttons need the script
    script = seed_site.page(DECISION_6).find("script", src=re.compile(r"/assets/cite\."))
    assert script.has_attr("defer") and seed_site.path(script["src"]).is_file()


def paragraph_ids(soup) -> list[str]:
    return [p["id"] for p in soup.find("main").find_all("p", id=re.compile(r"^stycke-"))]


def test_long_texts_have_paragraph_anchors_unique_on_the_page(seed_site):
    for url in pages(seed_site):
        ids = [tag["id"] for tag in seed_site.page(url).find_all(id=True)]
        assert len(ids) == len(set(ids)), (url, [i for i in ids if ids.count(i) > 1])
    document = seed_site.page("/dokument/socialforvaltningen-dnr-1-7-1-400-1899/")
    assert len(paragraph_ids(document)) > 5


def test_editing_one_paragraph_leaves_the_other_anchors_where_they_were(tmp_path):
    url = "/dokument/tu-parkbankar/"
    before = build_copy(FIXTURE, tmp_path / "before")
    edited = tmp_path / "edited"
    shutil.copytree(before.content, edited)
    path = edited / "dokument" / "tu-parkbankar.md"
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("Motionen kom in i våras.", "Motionen kom in i våras, i april."),
                    encoding="utf-8")
    after = build_copy(edited, tmp_path / "after")
    old, new = paragraph_ids(before.page(url)), paragraph_ids(after.page(url))
    assert len(old) == len(new) >= 3
    assert sum(a != b for a, b in zip(old, new)) == 1  # only the edited paragraph's anchor


def test_paragraph_anchors_come_from_the_paragraphs_own_text():
    from generator.render import markdown, page_anchors
    first, second, third = "Första stycket.", "Andra stycket.", "Tredje stycket."
    ids = lambda html: re.findall(r'<p id="([^"]+)"', str(html))  # noqa: E731
    with page_anchors():
        original = ids(markdown(f"{first}\n\n{second}\n\n{third}"))
    with page_anchors():
        edited = ids(markdown(f"{first}\n\nAndra stycket, ändrat.\n\n{third}"))
    with page_anchors():
        rewrapped = ids(markdown(f"{first}\n\nAndra\nstycket.\n\n{third}"))
    assert len(set(original)) == 3
    assert (edited[0], edited[2]) == (original[0], original[2]) and edited[1] != original[1]
    assert rewrapped == original  # line breaks in the source do not move an anchor
    with page_anchors():  # the same paragraph twice on one page: the second gets -2
        twice = ids(markdown(first)) + ids(markdown(first))
    assert twice == [original[0], original[0] + "-2"]


# Sharing and discovery.

def test_the_sitemap_lists_every_page_and_nothing_else(seed_site):
    root = ET.fromstring(seed_site.path("/sitemap.xml").read_bytes())
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    listed = [local(loc.text) for loc in root.findall("s:url/s:loc", namespace)]
    assert len(listed) == len(set(listed))
    assert set(listed) == set(pages(seed_site))
    robots = seed_site.path("/robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {SITE}/sitemap.xml" in robots.splitlines()


def test_a_sitemap_past_its_limit_becomes_an_index():
    from generator import sitemap
    page_urls = [f"/beslut/b-{n}/" for n in range(6)] + ["/beslut/a&b/", "/", "/404.html"]
    files = dict(sitemap.files(page_urls, SITE, limit=3))
    assert sorted(files) == ["/sitemap-1.xml", "/sitemap-2.xml", "/sitemap-3.xml", "/sitemap.xml"]
    index = ET.fromstring(files["/sitemap.xml"])
    assert index.tag.endswith("sitemapindex")
    parts = [loc.text for loc in index.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert parts == [SITE + name for name in ("/sitemap-1.xml", "/sitemap-2.xml", "/sitemap-3.xml")]
    listed = [loc.text for name in parts for loc in
              ET.fromstring(files[local(name)]).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert sorted(listed) == sorted(SITE + url for url in page_urls if url != "/404.html")


TYPES = {"beslut": "Legislation", "dokument": "Report", "motioner": "CreativeWork", "moten": "Event",
         "personer": "Person", "partier": "Organization", "amnen": "DefinedTerm",
         "program": "CreativeWork", "kallor": "DigitalDocument"}


def test_json_ld_parses_and_describes_the_page(seed_site):
    for url in pages(seed_site):
        soup = seed_site.page(url)
        blocks = soup.find_all("script", type="application/ld+json")
        assert len(blocks) == 1, url
        raw = blocks[0].string
        assert "<" not in raw and ">" not in raw  # nothing in it can end the block
        data = json.loads(raw)
        assert data["@context"] == "https://schema.org" and data["url"] == SITE + url
        assert data["name"] == soup.find("meta", property="og:title")["content"]
        assert soup.find("meta", property="og:url")["content"] == SITE + url
        folder = url.split("/")[1]
        if url.count("/") == 3 and folder in TYPES:
            assert data["@type"] == TYPES[folder], url
        elif url.count("/") == 3 and folder == "namnder":
            assert data["@type"] in ("GovernmentOrganization", "Organization"), url


def test_json_ld_cannot_be_closed_by_a_title():
    from generator.jsonld import script_text
    title = 'Beslut </script><script>alert("x")</script> & <!-- mer'
    text = str(script_text({"name": title}))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"name": title}


def test_the_site_url_comes_from_the_option_then_netlify_then_the_default(tmp_path):
    shutil.copytree(FIXTURE, tmp_path / "content")

    def build(*args, env_url=None):
        env = {k: v for k, v in os.environ.items() if k != "URL"}
        env["PYTHONPATH"] = str(ROOT)
        if env_url:
            env["URL"] = env_url
        return subprocess.run([sys.executable, "-m", "generator", "build", "--no-search", *args],
                              cwd=tmp_path, capture_output=True, text=True, env=env)

    def canonical() -> str:
        html = (tmp_path / "build" / "index.html").read_text(encoding="utf-8")
        return re.search(r'<link rel="canonical" href="([^"]+)"', html).group(1)

    assert build(env_url="https://preview.example.net").returncode == 0
    assert canonical() == "https://preview.example.net/"
    assert build("--site-url", "https://arkiv.example.org/", env_url="https://x.example").returncode == 0
    assert canonical() == "https://arkiv.example.org/"
    feed = (tmp_path / "build" / "arkiv.atom").read_text(encoding="utf-8")
    assert "https://arkiv.example.org/beslut/" in feed and SITE not in feed
    assert build().returncode == 0 and canonical() == SITE + "/"
    bad = build("--site-url", "beslutsarkivet.se/sida")
    assert bad.returncode == 2 and "webbplatsadress" in bad.stderr


def test_the_same_content_gives_byte_identical_data_files(seed_site, tmp_path):
    again = build_copy(ROOT / "content", tmp_path)
    suffixes = {".json", ".csv", ".atom", ".ics", ".xml", ".txt"}
    first = {p.relative_to(seed_site.root): p.read_bytes() for p in seed_site.root.rglob("*")
             if p.suffix in suffixes and "pagefind" not in p.parts}
    second = {p.relative_to(again.root): p.read_bytes() for p in again.root.rglob("*")
              if p.suffix in suffixes and "pagefind" not in p.parts}
    assert len(first) > 100 and first == second


def test_a_feed_carries_its_newest_entries_only(tmp_path, monkeypatch):
    from conftest import FIXTURE, build_copy
    from generator import feeds
    whole = feedparser.parse((build_copy(FIXTURE, tmp_path / "whole").root / "arkiv.atom").read_bytes())
    monkeypatch.setattr(feeds, "FEED_LIMIT", 2)
    cut = feedparser.parse((build_copy(FIXTURE, tmp_path / "cut").root / "arkiv.atom").read_bytes())
    assert len(whole.entries) > 2
    assert [e.id for e in cut.entries] == [e.id for e in whole.entries[:2]]
    assert cut.entries[0].updated_parsed >= cut.entries[1].updated_parsed

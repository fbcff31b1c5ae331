"""Golden examples: a small archive built once, its pages read and asserted."""
from __future__ import annotations

import re

from conftest import ROOT

DECISION = "/beslut/testnamnden-2020-05-05-par-3/"
MOTION = "/motioner/2020-1/"
DOCUMENT = "/dokument/tu-parkbankar/"


def article(soup, anchor):
    """The statement whose heading carries the anchor."""
    return soup.find(id=anchor).find_parent("article")


def hrefs(soup):
    return [a["href"] for a in soup.find_all("a", href=True)]


def test_every_page_is_swedish_and_has_one_h1(fixture_site):
    for path in fixture_site.html_files():
        soup = fixture_site.page("/" + path.relative_to(fixture_site.root).as_posix())
        assert soup.html["lang"] == "sv", path
        assert len(soup.find_all("h1")) == 1, path


def test_decision_page_has_anchors_for_points_and_statements(fixture_site):
    soup = fixture_site.page(DECISION)
    assert soup.find("h1").get_text(" ", strip=True) == "§ 3 Svar på motion om fler parkbänkar"
    points = soup.select("#beslutet ~ ol li, section ol.points li")
    assert soup.find(id="beslutspunkt-1").get_text(strip=True) == "Nämnden överlämnar tjänsteutlåtandet till kommunstyrelsen."
    assert soup.find(id="beslutspunkt-2") is not None and points
    for anchor in ("reservation-b", "ersattaryttrande-a", "forslag-b", "forslag-b-punkt-2"):
        assert soup.find(id=anchor) is not None, anchor


def test_reservation_links_to_the_proposal_it_supports_and_back(fixture_site):
    soup = fixture_site.page(DECISION)
    reservation = article(soup, "reservation-b")
    assert f"{DECISION}#forslag-b" in hrefs(reservation)
    proposal = article(soup, "forslag-b")
    assert f"{DECISION}#reservation-b" in hrefs(proposal)


def test_reference_to_a_point_links_to_that_point(fixture_site):
    statement = article(fixture_site.page(DECISION), "ersattaryttrande-a")
    assert f"{DECISION}#forslag-b-punkt-2" in hrefs(statement)
    assert "punkt 2" in statement.get_text(" ")


def test_party_printed_wrongly_gets_an_editorial_note(fixture_site):
    statement = article(fixture_site.page(DECISION), "ersattaryttrande-a")
    note = statement.find(class_="editorial")
    assert note is not None
    assert "protokollet anger Anna Alfa som (B)" in note.get_text(" ")
    assert "Alfapartiet" in note.get_text(" ")


def test_motion_reaches_its_answer_and_decision_and_they_link_back(fixture_site):
    motion = fixture_site.page(MOTION)
    links = hrefs(motion)
    assert DOCUMENT in links and DECISION in links
    assert "/namnder/testnamnden/" in links
    assert MOTION in hrefs(fixture_site.page(DOCUMENT))
    assert MOTION in hrefs(fixture_site.page(DECISION))
    text = fixture_site.text(MOTION)
    assert "Motionen har 2 att-satser; 1 av dem återges här" in text
    assert "sista svarsdag 2020-04-01" in text


def test_unknown_values_say_so(fixture_site):
    text = fixture_site.text(DOCUMENT)
    assert "Förslagets text: uppgift saknas i källan" in text
    assert "Dokumentets titel saknas i källan" in text
    meeting = fixture_site.text("/moten/testnamnden-okant/")
    assert "uppgift saknas i källan" in meeting


def test_raw_html_in_markdown_is_shown_as_text(fixture_site):
    soup = fixture_site.page(DOCUMENT)
    assert soup.find("main").find("script") is None  # the site's own scripts are in <head>
    assert '<script>alert("x")</script>' in soup.find("main").get_text()


def test_document_headings_and_numbered_points_survive(fixture_site):
    soup = fixture_site.page(DOCUMENT)
    assert soup.find("h2", id="bakgrund").get_text() == "Bakgrund"
    items = [li.get_text() for li in soup.select(".body ol li")]
    assert items == ["Bänkar är bra.", "Bänkar kostar."]


def test_party_pages_list_positions_and_a_silent_party_says_so(fixture_site):
    beta = fixture_site.page("/partier/b/")
    assert f"{DECISION}#reservation-b" in hrefs(beta)
    assert f"{DECISION}#forslag-b" in hrefs(beta)
    alfa = fixture_site.page("/partier/a/")
    assert MOTION in hrefs(alfa)
    assert f"{DECISION}#ersattaryttrande-a" in hrefs(alfa)
    silent = fixture_site.text("/partier/tyst/")
    assert "Tysta partiet har inte lagt fram några motioner, förslag, reservationer eller uttalanden" in silent


def test_person_page_shows_the_name_form_used(fixture_site):
    text = fixture_site.text("/personer/anna-alfa/")
    assert "”Ersättaren Anna A. Alfa (B)”" in text
    assert "ersättare" in text


def test_board_page_lists_meetings_documents_and_remisses(fixture_site):
    links = hrefs(fixture_site.page("/namnder/testnamnden/"))
    assert "/moten/testnamnden-2020-05-05/" in links
    assert DECISION in links and DOCUMENT in links and MOTION in links
    assert "/namnder/testforvaltningen/" in links


def test_every_page_names_its_source(fixture_site):
    for url in (DECISION, MOTION, DOCUMENT):
        assert "/kallor/k1/" in hrefs(fixture_site.page(url)), url
    assert DECISION in hrefs(fixture_site.page("/kallor/k1/"))


def test_navigation_marks_the_current_section(fixture_site):
    nav = fixture_site.page(DECISION).find("nav")
    current = nav.find(attrs={"aria-current": True})
    assert current.get_text() == "Beslut"
    assert fixture_site.page("/beslut/").find("nav").find(attrs={"aria-current": "page"}).get_text() == "Beslut"


def test_templates_never_write_site_paths_by_hand():
    for template in (ROOT / "templates").glob("*.html"):
        assert not re.search(r'href="/', template.read_text()), template


def test_same_content_gives_byte_identical_output(fixture_site, tmp_path):
    from conftest import FIXTURE, build_copy
    again = build_copy(FIXTURE, tmp_path)
    first = {p.relative_to(fixture_site.root): p.read_bytes() for p in fixture_site.root.rglob("*") if p.is_file()}
    second = {p.relative_to(again.root): p.read_bytes() for p in again.root.rglob("*") if p.is_file()}
    assert first == second

"""What each party said, on what, and where the parties differ: on the seed archive."""
from __future__ import annotations

import shutil

import pytest

D6 = "/beslut/socialnamnden-okant-datum-1-par-6/"
D11 = "/beslut/socialnamnden-2016-12-13-par-11/"


def entry_links(site, url):
    return [a["href"] for a in site.page(url).select(".position a[href]")]


def anchors_exist(site, hrefs):
    for href in hrefs:
        if "#" in href:
            path, anchor = href.split("#")
            assert site.page(path).find(id=anchor) is not None, href


def test_m_page_has_its_motion_reservations_and_what_they_support(seed_site):
    links = entry_links(seed_site, "/partier/m/")
    assert "/motioner/2017-54/" in links
    assert f"{D6}#reservation-m-l" in links and f"{D11}#reservation-m" in links
    assert f"{D6}#forslag-m-l" in links and f"{D11}#forslag-m" in links
    text = seed_site.text("/partier/m/")
    assert "Till förmån för förslag (M)" in text and "Till förmån för förslag (M, L)" in text
    assert "Staden står inför stora utmaningar" in text  # the argument of M's proposal
    anchors_exist(seed_site, links)


def test_l_page_has_its_reservations_and_the_point_it_joined(seed_site):
    links = entry_links(seed_site, "/partier/l/")
    assert f"{D6}#reservation-m-l" in links and f"{D11}#reservation-l" in links
    assert f"{D11}#forslag-m-punkt-3" in links
    # The protocol's verb: L "ansluter sig till" (joins) M's point 3, C only "hänvisar till" it.
    assert "Ansluter sig till förslag (M), punkt 3" in seed_site.text("/partier/l/")
    assert "Hänvisar till förslag (M), punkt 3" in seed_site.text("/partier/c/")
    anchors_exist(seed_site, links)


def test_the_proposal_says_who_joined_it_and_who_referred_to_it(seed_site):
    proposal = seed_site.page(D11).find(id="forslag-m").find_parent("article")
    relations = [" ".join(li.get_text().split()) for li in proposal.select(".relations li")]
    assert "Hänvisas till av: Ersättaryttrande (C) (punkt 3)" in relations
    assert "Får anslutning av: Förslag (L) (punkt 3)" in relations


@pytest.mark.parametrize("party, anchor, refers", [
    ("c", f"{D11}#ersattaryttrande-c", f"{D11}#forslag-m-punkt-3"),
    ("kd", f"{D6}#ersattaryttrande-kd", f"{D6}#forslag-m-l"),
])
def test_substitutes_statements_and_what_they_refer_to(seed_site, party, anchor, refers):
    links = entry_links(seed_site, f"/partier/{party}/")
    assert anchor in links and refers in links
    anchors_exist(seed_site, links)


@pytest.mark.parametrize("party, anchors", [
    ("mp", [f"{D6}#sarskilt-uttalande-mp-s-v", f"{D11}#sarskilt-uttalande-mp-s-v-fi"]),
    ("s", [f"{D6}#sarskilt-uttalande-mp-s-v", f"{D11}#sarskilt-uttalande-mp-s-v-fi"]),
    ("v", [f"{D6}#sarskilt-uttalande-mp-s-v", f"{D11}#sarskilt-uttalande-mp-s-v-fi"]),
    ("fi", [f"{D11}#sarskilt-uttalande-mp-s-v-fi"]),
])
def test_majority_parties_have_their_special_statements(seed_site, party, anchors):
    links = entry_links(seed_site, f"/partier/{party}/")
    for anchor in anchors:
        assert anchor in links
    anchors_exist(seed_site, links)


def test_independents_have_their_motion(seed_site):
    assert "/motioner/ks-2019-1899/" in entry_links(seed_site, "/partier/oberoende/")


def test_positions_are_newest_first(seed_site):
    dates = [t["datetime"] for t in seed_site.page("/partier/m/").select("#efter-arende ~ * time, .position time")]
    assert dates == sorted(dates, reverse=True)


def test_misprinted_party_counts_for_the_known_party_with_the_note(seed_site):
    m_text = seed_site.text("/partier/m/")
    assert "protokollet anger Andréa Ström som (L); ställningstagandet räknas för Moderaterna" in m_text
    l_entries = seed_site.page("/partier/l/").select(".position")
    for entry in l_entries:
        assert "Andréa Ström" not in entry.select_one(".position-meta").get_text()


def test_decision_page_sets_the_parties_side_by_side(seed_site):
    soup = seed_site.page(D11)
    section = soup.find(id="stallningstaganden").parent
    assert ("Nämnden beslutade enligt förslag (MP): Ordföranden Åsa Lindhagen (MP) föreslår att nämnden "
            "beslutar enligt förvaltningens förslag.") in " ".join(section.get_text().split())
    rows = {row.th.get_text(strip=True): " ".join(row.td.get_text().split())
            for row in section.select("tbody tr")}
    assert rows["M"].startswith("Reservation till förmån för förslag (M)")
    assert "Förslag, ansluter sig till förslag (M) punkt 3: Frida Johansson Metso, Inga-Lill Persson" in rows["L"]
    assert "som ersättare, utan rätt att yrka" in rows["C"]
    assert "Förslag (bifallet)" in rows["MP"]
    assert "Stina Bengtsson" in rows["C"] and "Stina Bengtsson" not in rows["MP"]


def test_the_adopted_proposal_is_quoted_as_the_protocol_words_it(seed_site):
    # § 6 names only "Ordföranden"; the reader must see that the board followed the
    # administration, not a party's own proposal.
    section = seed_site.page(D6).find(id="stallningstaganden").parent
    said = section.find("p")
    assert " ".join(said.get_text().split()) == ("Nämnden beslutade enligt förslag (MP): Ordföranden föreslår "
                                                 "att nämnden beslutar enligt förvaltningens förslag.")
    assert said.a["href"].endswith(D6 + "#forslag-mp") and said.q is not None


def test_an_adopted_proposal_with_points_is_named_not_cut_short(tmp_path):
    # M's proposal in § 11 is a lead ("…beslutar följande:") and points: quoting the
    # lead alone would end mid-sentence.
    from conftest import ROOT, build_copy
    content = tmp_path / "source"
    shutil.copytree(ROOT / "content", content)
    decision = content / "beslut/socialnamnden-2016-12-13-par-11.md"
    decision.write_text(decision.read_text(encoding="utf-8").replace("adopted: forslag-mp", "adopted: forslag-m"),
                        encoding="utf-8")
    site = build_copy(content, tmp_path / "site")
    said = site.page(D11).find(id="stallningstaganden").parent.find("p")
    assert " ".join(said.get_text().split()) == "Nämnden beslutade enligt förslag (M)." and said.q is None


def test_a_speaker_the_protocol_does_not_name_is_shown_with_its_words(seed_site):
    def persons(anchor):
        meta = seed_site.page(D6).find(id=anchor).find_parent("article").select_one(".statement-meta")
        return " ".join(meta.get_text().split())
    assert "Åsa Lindhagen (MP), ordförande (i protokollet: ”Ordföranden”)" in persons("forslag-mp")
    assert "i protokollet" not in persons("forslag-m-l")  # "Vice ordföranden Andréa Ström m.fl. (L)"
    # The side-by-side table names the same speaker: with the same words beside the name.
    table = seed_site.page(D6).find(id="stallningstaganden").parent
    rows = {row.th.get_text(strip=True): " ".join(row.td.get_text().split()) for row in table.select("tbody tr")}
    assert "Förslag (bifallet): Åsa Lindhagen (i protokollet: ”Ordföranden”)" in rows["MP"]
    assert "i protokollet" not in rows["L"]


@pytest.mark.parametrize("topic", [
    "hemloshet", "hedersrelaterat-vald-och-fortryck", "sociala-insatsgrupper", "olagliga-boplatser",
    "mikamottagningen-och-prostitution", "trygghet", "valdsbejakande-extremism", "ensamkommande-barn",
    "eu-medborgare",
])
def test_topic_pages_show_parties_side_by_side(seed_site, topic):
    soup = seed_site.page(f"/amnen/{topic}/")
    columns = soup.select(".side-by-side .party-column")
    assert columns, topic
    for column in columns:
        anchors_exist(seed_site, [a["href"] for a in column.select(".position-head a[href]")])


def test_topic_excerpt_is_the_paragraph_on_the_topic(seed_site):
    soup = seed_site.page("/amnen/hedersrelaterat-vald-och-fortryck/")
    c_column = soup.find(id="parti-c").parent
    assert "hedersrelaterat våld och förtryck" in c_column.select_one(".excerpt").get_text().lower()


def test_party_comparison_counts_each_kind(seed_site):
    soup = seed_site.page("/jamfor-partier/")
    headers = [th.get_text() for th in soup.select("table.counts thead th")]
    rows = {tr.th.get_text(strip=True): [td.get_text() for td in tr.find_all("td")]
            for tr in soup.select("table.counts tbody tr")}
    m = dict(zip(headers[1:], rows["Moderaterna"]))
    assert m == {"Motioner": "1", "Förslag till beslut": "2", "Reservationer": "2",
                 "Särskilda uttalanden": "0", "Ersättaryttranden": "0", "Totalt": "5"}
    assert rows["Kristdemokraterna"][-1] == "1"
    assert soup.select_one("table.counts caption") is not None


def test_a_count_of_one_takes_the_singular(seed_site):
    """Moderaterna wrote one motion and Centerpartiet made one statement in the seed."""
    text = seed_site.text("/partier/")
    assert "1 motion)" in text and "1 motioner" not in text
    assert "(1 förslag eller uttalande," in text and "(1 förslag och uttalanden" not in text
    assert "(4 förslag och uttalanden, 1 motion)" in text

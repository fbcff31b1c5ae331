"""Search as a citizen uses it: real Chromium, the built seed site, netlify.toml's CSP."""
from __future__ import annotations

import re
from urllib.parse import quote

from playwright.sync_api import expect

MOTION = "/motioner/2017-54/"
ANSWER = "/dokument/socialforvaltningen-svar-motion-2017-54/"


def search(watched, server, query: str = "", wait_for_results: bool = True):
    page = watched.page
    page.goto(f"{server}/sok/{query}")
    expect(page.locator(".search-status")).to_have_text(re.compile("träff|Skriv"))
    return page


def result_urls(page) -> list[str]:
    return page.eval_on_selector_all(".result-title a", "links => links.map(a => new URL(a.href).pathname)")


def test_boplatser_finds_the_motion_and_its_answer(watched, seed_server):
    page = search(watched, seed_server, "?q=boplatser")
    urls = result_urls(page)
    assert MOTION in urls and ANSWER in urls
    assert page.input_value("#sokord") == "boplatser"
    assert watched.errors == []


def test_swedish_stemming_finds_other_forms(watched, seed_server):
    page = search(watched, seed_server, "?q=boplats")
    assert ANSWER in result_urls(page)


def test_typing_a_query_writes_it_to_the_url_and_back_works(watched, seed_server):
    page = search(watched, seed_server)
    page.fill("#sokord", "Mikamottagningen")
    page.keyboard.press("Enter")
    expect(page.locator(".search-status")).to_contain_text("Mikamottagningen")
    assert "q=Mikamottagningen" in page.url
    page.fill("#sokord", "boplatser")
    page.keyboard.press("Enter")
    expect(page.locator(".search-status")).to_contain_text("boplatser")
    page.go_back()
    expect(page.locator(".search-status")).to_contain_text("Mikamottagningen")
    assert page.input_value("#sokord") == "Mikamottagningen"
    assert watched.errors == []


def test_filter_by_party_keeps_only_items_where_the_party_spoke(watched, seed_server):
    page = search(watched, seed_server, "?q=stockholm")
    everything = set(result_urls(page))
    page.click("summary:has-text('Filtrera träffarna')")
    page.check("input[name='parti'][value='M']")
    page.wait_for_url("**parti=M**")
    expect(page.locator(".search-status")).to_contain_text("träff")
    filtered = set(result_urls(page))
    assert filtered and filtered < everything
    for url in filtered:
        html = page.request.get(seed_server + url).text()
        assert 'data-pagefind-filter="parti:M"' in html, url
    assert "/beslut/socialnamnden-okant-datum-1-par-6/" in filtered
    assert ANSWER not in filtered
    label = page.text_content("label[for^='filter-parti-M']")
    assert label.startswith("M (")


def test_filters_from_the_url_are_applied(watched, seed_server):
    page = search(watched, seed_server, "?parti=KD")
    assert result_urls(page) == ["/beslut/socialnamnden-okant-datum-1-par-6/"]
    assert page.is_checked("input[name='parti'][value='KD']")
    assert page.text_content(".filter-panel summary") == "Filtrera träffarna (1 valda)"
    assert watched.errors == []


def test_a_person_name_finds_their_statement_with_its_anchor(watched, seed_server):
    page = search(watched, seed_server, "?q=" + quote("Stina Bengtsson"))
    urls = result_urls(page)
    assert "/beslut/socialnamnden-2016-12-13-par-11/" in urls
    subs = page.eval_on_selector_all(".sub-results a", "links => links.map(a => new URL(a.href).pathname + new URL(a.href).hash)")
    assert "/beslut/socialnamnden-2016-12-13-par-11/#ersattaryttrande-c" in subs


def test_results_are_newest_first_and_titles_say_what_they_are(watched, seed_server):
    page = search(watched, seed_server, "?q=socialnämnden")
    titles = page.eval_on_selector_all(".result-title a", "links => links.map(a => a.textContent)")
    assert "§ 11 Verksamhetsplan för socialnämnden 2017, Socialnämnden 2016-12-13" in titles
    dates = page.eval_on_selector_all(".result-date", "ps => ps.map(p => p.textContent)")
    assert dates == sorted(dates, reverse=True)


def test_navigation_header_and_footer_are_not_indexed(watched, seed_server):
    for only_in_chrome in ("Hoppa",):  # only the skip link "Hoppa till innehållet" has it
        page = search(watched, seed_server, f"?q={only_in_chrome}")
        assert result_urls(page) == [], only_in_chrome
        assert page.text_content(".search-status") == f"Inga träffar för ”{only_in_chrome}”."


def test_without_javascript_the_page_says_search_needs_it(chromium, seed_server):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(seed_server + "/sok/")
    assert "Sökningen behöver JavaScript" in page.inner_text("main")
    context.close()


def test_every_page_links_to_search_from_its_header(seed_site):
    for path in seed_site.html_files():
        header = seed_site.page("/" + path.relative_to(seed_site.root).as_posix()).find("header")
        assert header.find("a", href="/sok/") is not None, path


def test_excerpts_highlight_hits_and_keep_the_spaces_around_them(watched, seed_server):
    page = search(watched, seed_server, "?q=boplatser")
    excerpt = page.text_content(".result .result-excerpt")
    assert re.search(r"\w <?boplats\w*", excerpt) or re.search(r"boplats\w* \w", excerpt)
    assert not re.search(r"boplats\w*(och|för|vid)\b", excerpt)
    assert page.locator(".result .result-excerpt mark").count() > 0

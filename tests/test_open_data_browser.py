"""The "Citera" control in a real browser, under the site's CSP: with JavaScript it
copies, without it the citation and the link are still there to read and select."""
from __future__ import annotations

from playwright.sync_api import expect

DECISION_6 = "/beslut/socialnamnden-okant-datum-1-par-6/"
SITE = "https://beslutsarkivet.se"


def clipboard_becomes(page, expected: str) -> bool:
    for _ in range(40):
        if page.evaluate("navigator.clipboard.readText()") == expected:
            return True
        page.wait_for_timeout(50)
    return False


def test_citera_copies_the_citation_and_the_anchor_link(chromium, seed_server):
    context = chromium.new_context(locale="sv-SE")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=seed_server)
    page = context.new_page()
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.goto(seed_server + DECISION_6)
    article = page.locator("article", has=page.locator("#reservation-m-l"))
    article.locator("summary").click()
    citation = article.locator(".cite-text").inner_text()
    assert citation.endswith(f"{SITE}{DECISION_6}#reservation-m-l")

    article.get_by_role("button", name="Kopiera källhänvisningen").click()
    expect(article.locator(".cite-status")).to_have_text("Kopierat.")
    assert page.evaluate("navigator.clipboard.readText()") == citation

    article.get_by_role("button", name="Kopiera länken").click()
    assert clipboard_becomes(page, f"{SITE}{DECISION_6}#reservation-m-l")

    # A quote's paragraph can be linked: each anchored paragraph gets a link to itself.
    link = page.locator("main p[id^='stycke-'] a.paragraph-link").first
    anchor = link.get_attribute("href")
    link.click()
    assert page.url.endswith(anchor) and anchor.startswith("#stycke-")
    assert problems == []
    context.close()


def test_citera_without_javascript_shows_the_citation_and_the_link(chromium, seed_server):
    context = chromium.new_context(locale="sv-SE", java_script_enabled=False)
    page = context.new_page()
    page.goto(seed_server + DECISION_6)
    control = page.locator("footer details.cite")
    control.locator("summary").click()
    assert control.locator(".cite-text").is_visible()
    assert control.locator(".cite-text").inner_text().endswith(f"{SITE}{DECISION_6}")
    assert control.locator(".cite-link a").get_attribute("href") == DECISION_6
    assert not control.get_by_role("button", name="Kopiera länken").is_visible()
    context.close()

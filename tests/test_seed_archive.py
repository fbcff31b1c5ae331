"""The real seed documents, built from content/: every sentence on the site, in its page.

The seeds are raw PDF text. Each is split into words (furniture removed, line-end
hyphens kept as the PDF has them); a word counts as on the page when a run of
WINDOW words around it stands there unchanged. What is left over must be exactly the
headings that the page shows as structure (a labelled heading, a field), listed below:
any lost or reworded sentence fails.
"""
from __future__ import annotations

import re
import unicodedata

import pytest

from conftest import SEEDS

WINDOW = 5
LIST_MARKER = re.compile(r"^(?:\d+\.|-)\s+")
DOCUMENT_2017_54 = "/dokument/socialforvaltningen-svar-motion-2017-54/"
DOCUMENT_1899 = "/dokument/socialforvaltningen-dnr-1-7-1-400-1899/"
DECISION_6 = "/beslut/socialnamnden-okant-datum-1-par-6/"
DECISION_11 = "/beslut/socialnamnden-2016-12-13-par-11/"

FURNITURE = {
    "001_2ce21c430fed5752.txt": ["Tjänsteutlåtande", "Dnr 1.7.1-400/1899", "Sida 2 (3)",
                                 "Error! Use the Home tab to apply Rubrik 1 to",
                                 "the text that you want to appear here."],
    "004_2d45ea5536d0590f.txt": ["Socialnämnden", "Protokoll", "2016-12-13", "Sida 36 (45)"],
}

# Seed text the page shows as structure rather than running text, per page.
STRUCTURE = {
    "000_794834f851509b4d.txt": (DOCUMENT_2017_54, [
        # A heading followed by the unknown proposal, then the signatures laid out by name.
        "Förvaltningens förslag till beslut Gillis Hammar Veronica Wolgast Karlberg förvaltningschef",
    ]),
    "001_2ce21c430fed5752.txt": (DOCUMENT_1899, []),
    "003_01ad77eb7e9a80d4.txt": (DECISION_6, [
        "Dnr 1.7.1-563/2017",  # shown as the field "Diarienummer"
        "Reservation", "Särskilt uttalande", "Ersättaryttrande",  # headed "Reservation (M, L)" etc.
    ]),
    "004_2d45ea5536d0590f.txt": (DECISION_11, [
        "Dnr 1.3.1-585/2016",
        "Reservation", "Reservation", "Särskilt uttalande", "Ersättaryttrande",
    ]),
}


def article(soup, anchor):
    """The statement whose heading carries the anchor."""
    return soup.find(id=anchor).find_parent("article")


def seed_words(name: str) -> list[str]:
    lines = (SEEDS / name).read_text(encoding="utf-8").splitlines()
    furniture = set(FURNITURE.get(name, []))
    text = ""
    for raw in lines:
        line = raw.strip()
        if not line or line in furniture:
            continue
        line = LIST_MARKER.sub("", line)  # the page shows these as <ol>/<ul> items
        if text.endswith("-") and not text.endswith(" -") and line[:1].isalpha():
            text += line  # "Spånga-" + "Tensta": the hyphen is part of the name
        else:
            text += " " + line
        if raw.endswith(" "):
            text += " "  # "trygghets- " + "och": a hyphen before a space stays apart
    return text.split()


def page_words(site, url: str) -> list[str]:
    return site.text(url).split()


def uncovered_runs(words: list[str], page: list[str]) -> list[str]:
    grams = {tuple(page[i:i + WINDOW]) for i in range(len(page) - WINDOW + 1)}
    covered = [False] * len(words)
    for i in range(len(words) - WINDOW + 1):
        if tuple(words[i:i + WINDOW]) in grams:
            for j in range(i, i + WINDOW):
                covered[j] = True
    runs, current = [], []
    for word, ok in zip(words, covered):
        if ok:
            if current:
                runs.append(" ".join(current))
            current = []
        else:
            current.append(word)
    if current:
        runs.append(" ".join(current))
    return runs


@pytest.mark.parametrize("name", sorted(STRUCTURE))
def test_every_sentence_of_the_seed_is_on_its_page(seed_site, name):
    url, structure = STRUCTURE[name]
    assert uncovered_runs(seed_words(name), page_words(seed_site, url)) == structure


DAMAGED = "é6&|"  # characters the OCR put where å, ä, ö (or I) stood


def matches_ocr(restored: str, ocr: str) -> bool:
    """True when the restored text reads as the OCR text with its diacritics mended."""
    def plain(text: str) -> str:
        text = unicodedata.normalize("NFD", text)
        return "".join(c for c in text if not unicodedata.combining(c))
    pattern = "".join("." if c in DAMAGED else re.escape(c) for c in plain(" ".join(ocr.split())))
    return re.fullmatch(pattern, plain(" ".join(restored.split()))) is not None


def test_matches_ocr_tells_a_mended_word_from_a_changed_one():
    assert matches_ocr("över motion om områden", "6ver motion om omraden")
    assert not matches_ocr("över motioner om områden", "6ver motion om omraden")


def test_the_ocr_copy_supplies_the_missing_first_page_restored(seed_site):
    soup = seed_site.page(DOCUMENT_1899)
    ocr_seed = " ".join(seed_words("002_d3f736d54951bbbc.txt"))
    restored = {
        "titel": soup.find("h1").get_text(),
        "undertitel": soup.find(class_="subtitle").get_text(),
        "förslag till beslut": soup.find(id="forvaltningens-forslag").find_next("p").get_text(),
        "underskrifter": " ".join(li.get_text(" ") for li in soup.select(".signatures li")),
    }
    assert restored["titel"] == "Motion om att ta tillbaka utsatta områden"
    items = soup.select(".restored li")
    assert len(items) == 4
    for item in items:
        ocr = " ".join(item.find(class_="ocr").get_text().split())
        assert ocr in ocr_seed  # the OCR text is quoted as the copy has it
        assert "002_d3f736d54951bbbc.txt" in seed_site.text(item.find("a")["href"])
    quoted = [" ".join(li.find(class_="ocr").get_text().split()) for li in items]
    assert matches_ocr(restored["titel"], quoted[0])
    assert matches_ocr(restored["undertitel"], quoted[1])
    assert matches_ocr(restored["förslag till beslut"], quoted[2])
    signatures = " ".join(restored["underskrifter"].split())
    assert "Lena Lundström Stoltz förvaltningschef" in signatures
    assert "Gunilla Ekstrand avdelningschef" in signatures


def test_the_record_keeps_andrea_strom_as_printed_and_explains(seed_site):
    statement = article(seed_site.page(DECISION_6), "forslag-m-l")
    assert "Vice ordföranden Andréa Ström m.fl. (L)" in statement.get_text(" ")
    assert "protokollet anger Andréa Ström som (L); arkivet räknar uttalandet för Moderaterna" in \
        " ".join(statement.find(class_="editorial").get_text(" ").split())
    person = seed_site.text("/personer/andrea-strom/")
    assert "Redaktionell anmärkning" in person


def test_unknown_facts_are_marked_not_guessed(seed_site):
    assert "Datum uppgift saknas i källan" in seed_site.text(DECISION_6)
    text = seed_site.text(DOCUMENT_2017_54)
    assert "Förslagets text: uppgift saknas i källan" in text
    assert "Diarienummer uppgift saknas i källan" in text


def test_meeting_date_comes_from_the_running_header(seed_site):
    assert "2016-12-13" in seed_site.page(DECISION_11).find("time")["datetime"]


@pytest.mark.parametrize("motion, answer", [
    ("/motioner/2017-54/", DOCUMENT_2017_54),
    ("/motioner/ks-2019-1899/", DOCUMENT_1899),
])
def test_from_each_motion_a_reader_reaches_its_answer_and_back(seed_site, motion, answer):
    links = [a["href"] for a in seed_site.page(motion).find_all("a", href=True)]
    assert answer in links
    assert motion in [a["href"] for a in seed_site.page(answer).find_all("a", href=True)]
    assert "/namnder/socialnamnden/" in links
    received = [a["href"] for a in seed_site.page("/namnder/socialnamnden/").find_all("a", href=True)]
    assert motion in received


def test_statements_link_to_what_they_refer_to(seed_site):
    soup = seed_site.page(DECISION_11)
    assert f"{DECISION_11}#forslag-m-punkt-3" in [a["href"] for a in article(soup, "ersattaryttrande-c").find_all("a")]
    assert f"{DECISION_11}#forslag-m-punkt-3" in [a["href"] for a in article(soup, "forslag-l").find_all("a")]
    assert f"{DECISION_11}#forslag-l" in [a["href"] for a in article(soup, "reservation-l").find_all("a")]
    six = seed_site.page(DECISION_6)
    assert f"{DECISION_6}#forslag-m-l" in [a["href"] for a in article(six, "ersattaryttrande-kd").find_all("a")]


def test_search_index_is_written_with_the_site(seed_site):
    assert (seed_site.root / "pagefind" / "pagefind.js").exists()
    assert list((seed_site.root / "pagefind").glob("wasm.sv.pagefind"))

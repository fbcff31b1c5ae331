"""The sharded search index: one Pagefind index a span of time, merged by the search page.

A small synthetic archive spread over many years is built with search; Chromium
searches it as a citizen would, across every shard, in both orders and with filters.
"""
from __future__ import annotations

import os
import random
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import names_beside
from generator import index, write
from generator.build import build
from generator.problems import BuildFailed
from generator.synth import synthesize

WORD = "socialnämnden"  # in every synthetic body
QUIET = dict(say=lambda _: None, search=True)


@pytest.fixture(scope="module")
def sharded(tmp_path_factory):
    """Built with shards of a few pages, so the searches below run across spans of
    years, a year, and parts of a year alike."""
    folder = tmp_path_factory.mktemp("sharded")
    synthesize(80, 3, folder / "content")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(index, "SHARD_PAGES", 3)
        build(folder / "content", folder / "build", **QUIET)
    return folder


@pytest.fixture(scope="module")
def sharded_server(sharded):
    from browser import serve
    with serve(sharded / "build") as url:
        yield url


def shard_hashes(root):
    """Each shard folder's files and their bytes."""
    shards = {}
    for path in sorted((root / "pagefind").rglob("*")):
        if path.is_file():
            relative = path.relative_to(root / "pagefind")
            shard = relative.parts[0] if relative.parts[0].startswith("ar-") else "odaterat"
            shards.setdefault(shard, {})[str(relative)] = path.read_bytes()
    return shards


def span(shard: str) -> tuple[str, str]:
    """The first and last month a shard's folder name says it covers:
    ar-1992_1999, ar-2016, ar-2016-07_2016-09, ar-2016-07."""
    first, _, last = shard[3:].partition("_")
    last = last or first
    return (first if len(first) > 4 else f"{first}-01", last if len(last) > 4 else f"{last}-12")


def covering(shards, day: str) -> str:
    [shard] = [name for name in shards if name.startswith("ar-") and span(name)[0] <= day[:7] <= span(name)[1]]
    return shard


def searched(watched, server, query):
    page = watched.page
    page.goto(f"{server}/sok/{query}")
    expect(page.locator(".search-status")).to_have_text(re.compile("träff"))
    return page


def results(page):
    """(url, date or '') of every shown result, in order."""
    return page.eval_on_selector_all(
        ".result", "items => items.map(li => [new URL(li.querySelector('a').href).pathname,"
                   " li.querySelector('.result-date')?.textContent || ''])")


def count(page) -> int:
    return int(re.match(r"(\d+)", page.text_content(".search-status")).group(1))


def test_dated_pages_are_cut_into_spans_of_time_and_no_folder_holds_them_all(sharded):
    shards = shard_hashes(sharded / "build")
    spans = sorted(span(name) for name in shards if name.startswith("ar-"))
    assert all(earlier[1] < later[0] for earlier, later in zip(spans, spans[1:]))  # no overlap
    kinds = {("years" if first[:4] != last[:4] else "year" if (first[5:], last[5:]) == ("01", "12")
              else "month" if first == last else "months") for first, last in spans}
    assert kinds == {"years", "year", "months", "month"}
    bundle = sharded / "build" / "pagefind"
    for name in shards:
        if name.startswith("ar-") and span(name)[0] != span(name)[1]:
            pages = len(list((bundle / name / "fragment").iterdir())) - 1  # the sentinel's
            assert 1 <= pages <= 3, name
    assert (bundle / "pagefind.js").exists() and (bundle / "wasm.sv.pagefind").exists()
    some_shard = next(name for name in shards if name.startswith("ar-"))
    assert not (bundle / some_shard / "pagefind.js").exists()  # a shard is its index alone
    assert not (bundle / "pagefind-ui.js").exists()  # Pagefind's own UI is not used
    fragments = [len(list(folder.iterdir())) for folder in bundle.rglob("fragment")]
    assert max(fragments) < sum(fragments) * 3 / 4


def months(layout: dict[int, str]) -> dict[str, list[int]]:
    shards: dict[str, list[int]] = {}
    for month, key in sorted(layout.items()):
        shards.setdefault(key, []).append(month)
    return shards


def test_a_city_scale_archive_is_cut_into_some_fifty_shards_none_over_the_limit():
    # 30 years of about 280 dated pages a month, busier in spring: 100,000 documents.
    rng = random.Random(4)
    pages = Counter({(1995 + year) * 12 + month: rng.randint(180, 380) for year in range(30) for month in range(12)})
    limit = index.shard_limit(sum(pages.values()))
    assert limit > index.SHARD_PAGES  # the limit was doubled
    shards = months(index.layout(pages))
    assert len(shards) <= 2 * index.SHARDS_WANTED
    for key, covered in shards.items():
        assert sum(pages[month] for month in covered) <= limit, key
        assert covered == list(range(covered[0], covered[0] + len(covered)))  # a span
        assert covered[0] % len(covered) == 0 and len(covered) in index.SPANS  # aligned
    # A small archive keeps the small limit, and a quiet decade goes in one shard.
    small = Counter({month: 5 for month in range(2000 * 12, 2008 * 12, 5)})
    assert list(months(index.layout(small))) == ["2000_2007"]


def test_an_added_page_moves_the_shards_of_its_own_eight_years_at_most():
    rng = random.Random(9)
    for _ in range(200):
        pages = Counter({rng.randrange(1990 * 12, 2030 * 12): rng.randint(1, 300) for _ in range(120)})
        before = index.layout(pages)
        month = rng.choice(list(pages))
        pages[month] += rng.randint(1, 400)
        if index.shard_limit(sum(pages.values())) != index.shard_limit(sum(pages.values()) - 1):
            continue
        after = index.layout(pages)
        moved = {m for m in pages if before[m] != after[m]}
        assert all(m // 96 == month // 96 for m in moved)


def test_newest_first_runs_across_all_years_with_undated_pages_last(watched, sharded_server):
    page = searched(watched, sharded_server, f"?q={WORD}")
    shown = results(page)
    dates = [day for _, day in shown if day]
    assert dates == sorted(dates, reverse=True)
    assert len({day[:4] for day in dates}) >= 3
    first_undated = next((i for i, (_, day) in enumerate(shown) if not day), len(shown))
    assert all(not day for _, day in shown[first_undated:])
    assert watched.errors == []


def test_best_match_first_finds_the_same_pages(watched, sharded_server):
    page = searched(watched, sharded_server, f"?q={WORD}")
    newest = count(page)
    page = searched(watched, sharded_server, f"?q={WORD}&ordning=relevans")
    assert count(page) == newest
    assert len({day[:4] for _, day in results(page) if day}) >= 2
    assert watched.errors == []


def test_a_year_filter_counts_and_keeps_that_years_pages_only(watched, sharded_server):
    page = searched(watched, sharded_server, f"?q={WORD}")
    page.click("summary:has-text('Filtrera träffarna')")
    label = page.locator("label[for^='filter-år-']").first
    year, expected = re.match(r"(\d{4}) \((\d+)\)", label.text_content()).groups()
    label.click()
    page.wait_for_url(f"**={year}**")
    expect(page.locator(".search-status")).to_have_text(re.compile(f"^{expected} träff"))
    assert {day[:4] for _, day in results(page)} == {year}
    assert watched.errors == []


@pytest.mark.parametrize("in_memory", [True, False])
def test_an_edit_reindexes_its_own_year_and_search_finds_the_new_word(tmp_path, chromium, monkeypatch,
                                                                       in_memory):
    """Alike whether the edit's shards are indexed in memory (a folder stands in for
    /dev/shm) or, when there are too many pages for that, on the disk."""
    from browser import Watched, serve
    memory = tmp_path / "memory"
    memory.mkdir()
    monkeypatch.setattr(write, "MEMORY_ROOT", memory)
    if not in_memory:
        monkeypatch.setattr(index, "IN_MEMORY_PAGES", 0)
    content = tmp_path / "content"
    synthesize(80, 3, content)
    build(content, tmp_path / "build", **QUIET)
    before = shard_hashes(tmp_path / "build")
    decision = sorted((content / "beslut").glob("*.md"))[0]
    text = decision.read_text(encoding="utf-8")
    decision.write_text(text.rstrip("\n") + "\n\nKvarnstensfrågan utreds vidare.\n", encoding="utf-8")
    killed_build = write.memory_scratch(tmp_path / "build")  # a build killed in there: never left
    killed = killed_build.__enter__()
    (killed / "sida.html").write_text("kvar", encoding="utf-8")
    build(content, tmp_path / "build", **QUIET)
    after = shard_hashes(tmp_path / "build")
    assert list(memory.iterdir()) == []  # its folder, and the killed one's, removed
    changed = {shard for shard in after if after[shard] != before.get(shard)}
    day = re.search(r"-(\d{4}-\d\d-\d\d)-", decision.name).group(1)
    assert covering(after, day) in changed
    assert len(changed) <= 2 < len(after)  # its span, and the undated pages that list it

    clean = tmp_path / "clean"
    shutil.copytree(content, clean / "content")
    build(clean / "content", clean / "build", incremental_builds=False, **QUIET)
    assert shard_hashes(clean / "build").keys() == after.keys()

    context = chromium.new_context(viewport={"width": 360, "height": 800}, locale="sv-SE")
    watched = Watched(context.new_page())
    with serve(tmp_path / "build") as server:
        page = searched(watched, server, "?q=kvarnstensfrågan")
        assert [url for url, _ in results(page)] == [f"/beslut/{decision.stem}/"]
    context.close()
    assert watched.errors == []


def site_files(root):
    return {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("large", [False, True])
def test_a_check_that_fails_while_the_index_is_made_leaves_the_site_as_it_was(tmp_path, monkeypatch,
                                                                               large):
    """An edit's shards are indexed beside the data files and the link check (a large
    build's wait for the check): when the check fails, build/ keeps every byte, index
    included, and nothing is left beside it. (Pagefind names its files by hashes that
    differ from run to run: the index is compared by shard.)"""
    if large:  # as if the site were a city's
        monkeypatch.setattr(index, "BESIDE_PAGES", 0)
        monkeypatch.setattr(index, "SMALL_SITE", 0)
    content = tmp_path / "content"
    synthesize(80, 3, content)
    build(content, tmp_path / "build", **QUIET)
    before = site_files(tmp_path / "build")
    beside = names_beside(tmp_path)
    decision = sorted((content / "beslut").glob("*.md"))[0]
    text = decision.read_text(encoding="utf-8")
    decision.write_text(text.rstrip("\n") + "\n\nSe [beslutet](/beslut/finns-inte/).\n", encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        build(content, tmp_path / "build", **QUIET)
    assert failed.value.stage == "check" and "/beslut/finns-inte/" in str(failed.value.problems[0])
    assert site_files(tmp_path / "build") == before
    assert names_beside(tmp_path) <= beside  # nothing left behind (the spare may go)

    decision.write_text(text.rstrip("\n") + "\n\nKvarnstensfrågan utreds vidare.\n", encoding="utf-8")
    build(content, tmp_path / "build", **QUIET)
    clean = tmp_path / "clean"
    shutil.copytree(content, clean / "content")
    build(clean / "content", clean / "build", incremental_builds=False, **QUIET)
    assert shard_hashes(tmp_path / "build").keys() == shard_hashes(clean / "build").keys()
    ours, theirs = site_files(tmp_path / "build"), site_files(clean / "build")
    assert {k: v for k, v in ours.items() if k.parts[0] != "pagefind"} == \
        {k: v for k, v in theirs.items() if k.parts[0] != "pagefind"}


def test_newest_first_runs_across_the_shards_of_a_busy_year(watched, sharded, sharded_server):
    shards = [name for name in shard_hashes(sharded / "build") if name.startswith("ar-")]
    cut = Counter(span(name)[0][:4] for name in shards if span(name)[0][:4] == span(name)[1][:4])
    year = max(year for year, parts in cut.items() if parts >= 2)
    page = searched(watched, sharded_server, f"?q={WORD}&år={year}")
    dates = [day for _, day in results(page) if day]
    assert dates == sorted(dates, reverse=True) and {day[:4] for day in dates} == {year}
    assert len({covering(shards, day) for day in dates}) >= 2  # results of each part are shown
    assert watched.errors == []


@pytest.mark.parametrize("guess", ["right", "wrong"])
def test_an_edit_indexed_ahead_finds_what_a_clean_build_finds(tmp_path, chromium, monkeypatch, guess):
    """The unchanged pages of an edit's shard are indexed while the archive loads
    (index.Ahead), the edited page added once rendered. A wrong guess (here: the
    edited page itself taken for unchanged) is caught, and the shard indexed anew."""
    from browser import Watched, serve
    monkeypatch.setattr(write, "MEMORY_ROOT", tmp_path / "memory")
    (tmp_path / "memory").mkdir()
    content = tmp_path / "content"
    synthesize(80, 3, content)
    build(content, tmp_path / "build", **QUIET)
    decision = sorted((content / "beslut").glob("*.md"))[0]
    text = decision.read_text(encoding="utf-8")
    decision.write_text(text.rstrip("\n") + "\n\nKvarnstensfrågan utreds vidare.\n", encoding="utf-8")
    if guess == "wrong":
        right = index.likely_reindexed
        monkeypatch.setattr(index, "likely_reindexed", lambda shards, pages, changed: {
            key: shards[key].pages for key in right(shards, pages, changed)})
    finished = []
    real_finish = index._OpenIndex.finish
    monkeypatch.setattr(index._OpenIndex, "finish", lambda self, *a: finished.append(self) or real_finish(self, *a))
    build(content, tmp_path / "build", **QUIET)
    assert len(finished) == (1 if guess == "right" else 0)

    clean = tmp_path / "clean"
    shutil.copytree(content, clean / "content")
    build(clean / "content", clean / "build", incremental_builds=False, **QUIET)
    context = chromium.new_context(viewport={"width": 360, "height": 800}, locale="sv-SE")
    watched = Watched(context.new_page())
    found = {}
    for name, site in (("edited", tmp_path / "build"), ("clean", clean / "build")):
        with serve(site) as server:
            page = searched(watched, server, "?q=kvarnstensfrågan")
            found[name, "new word"] = results(page)
            page = searched(watched, server, f"?q={WORD}")  # newest first, across the shards
            found[name, WORD] = (count(page), results(page))
    context.close()
    assert [url for url, _ in found["edited", "new word"]] == [f"/beslut/{decision.stem}/"]
    assert found["edited", "new word"] == found["clean", "new word"]
    assert found["edited", WORD] == found["clean", WORD] and found["clean", WORD][0] > 50
    assert watched.errors == []


def pagefinds_of_this_process() -> list[str]:
    """The Pagefind processes this process started that are still there (running, or
    ended and never waited for)."""
    found = []
    for folder in Path("/proc").glob("[0-9]*"):
        try:
            parent = (folder / "stat").read_text().rsplit(")", 1)[1].split()[1]
            name = (folder / "comm").read_text().strip()
        except (OSError, IndexError):
            continue
        if parent == str(os.getpid()) and name == "pagefind":
            found.append(folder.name)
    return found


def test_a_build_that_fails_after_it_began_an_index_ahead_leaves_no_pagefind_behind(tmp_path):
    """A text edit begins its shard ahead, as the archive loads; a bad date in another
    file then stops the build. The Pagefind begun is stopped with it, and the site is
    as it was."""
    content = tmp_path / "content"
    synthesize(80, 3, content)
    build(content, tmp_path / "build", **QUIET)
    before = {p.relative_to(tmp_path / "build"): p.read_bytes() for p in (tmp_path / "build").rglob("*") if p.is_file()}
    decision = sorted((content / "beslut").glob("*.md"))[0]
    decision.write_text(decision.read_text(encoding="utf-8").rstrip("\n") + "\n\nEn mening till.\n", encoding="utf-8")
    meeting = sorted((content / "moten").glob("*.yaml"))[-1]
    meeting.write_text(re.sub(r"^date: .*$", "date: 2019-13-45", meeting.read_text(encoding="utf-8"), flags=re.M),
                       encoding="utf-8")
    begun = []
    real = index.Ahead.__init__
    def spied(self, likely, output):
        begun.append(sorted(likely))
        real(self, likely, output)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(index.Ahead, "__init__", spied)
        with pytest.raises(BuildFailed) as failed:
            build(content, tmp_path / "build", **QUIET)
    assert begun and begun[0]  # a shard was begun ahead
    problem = str(failed.value.problems[0])
    assert meeting.name in problem and "date" in problem, problem
    assert pagefinds_of_this_process() == []
    after = {p.relative_to(tmp_path / "build"): p.read_bytes() for p in (tmp_path / "build").rglob("*") if p.is_file()}
    assert after == before


def test_the_index_is_the_same_whatever_pagefind_settings_the_maintainer_has(tmp_path, monkeypatch):
    """Pagefind reads PAGEFIND_* variables and a pagefind.yml where it runs; the build's
    Pagefinds read neither, so every shard is indexed as Swedish, as the pages say."""
    monkeypatch.setenv("PAGEFIND_FORCE_LANGUAGE", "en")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pagefind.yml").write_text("force_language: en\n", encoding="utf-8")
    content = tmp_path / "content"
    synthesize(30, 3, content)
    build(content, tmp_path / "build", **QUIET)
    metadata = [path.name for path in (tmp_path / "build" / "pagefind").rglob("*.pf_meta")]
    assert metadata and all(name.startswith("pagefind.sv_") for name in metadata), metadata

"""The sharded search index: one Pagefind index a year, merged by the search page.

A small synthetic archive spread over many years is built with search; Chromium
searches it as a citizen would, across every shard, in both orders and with filters.
"""
from __future__ import annotations

import re
import shutil

import pytest
from playwright.sync_api import expect

from generator import index
from generator.build import build
from generator.problems import BuildFailed
from generator.synth import synthesize

WORD = "socialnämnden"  # in every synthetic body
QUIET = dict(say=lambda _: None, search=True)


@pytest.fixture(scope="module")
def sharded(tmp_path_factory):
    """Built with busy years cut in halves at a few pages, so the searches below run
    across whole years and half-years alike."""
    folder = tmp_path_factory.mktemp("sharded")
    synthesize(80, 3, folder / "content")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(index, "SPLIT_FROM", 3)
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


def test_every_year_has_a_shard_of_its_own_and_no_folder_holds_them_all(sharded):
    shards = shard_hashes(sharded / "build")
    years = [name for name in shards if name.startswith("ar-")]
    assert len(years) >= 5
    halves = {name[3:7] for name in years if re.fullmatch(r"ar-\d{4}-[12]", name)}
    assert halves and not halves & {name[3:] for name in years}  # a year is whole or in halves
    bundle = sharded / "build" / "pagefind"
    assert (bundle / "pagefind.js").exists() and (bundle / "wasm.sv.pagefind").exists()
    assert not (bundle / years[0] / "pagefind.js").exists()  # a shard is its index alone
    assert not (bundle / "pagefind-ui.js").exists()  # Pagefind's own UI is not used
    fragments = [len(list(folder.iterdir())) for folder in bundle.rglob("fragment")]
    assert max(fragments) < sum(fragments) * 3 / 4


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


def test_an_edit_reindexes_its_own_year_and_search_finds_the_new_word(tmp_path, chromium):
    from browser import Watched, serve
    content = tmp_path / "content"
    synthesize(80, 3, content)
    build(content, tmp_path / "build", **QUIET)
    before = shard_hashes(tmp_path / "build")
    decision = sorted((content / "beslut").glob("*.md"))[0]
    text = decision.read_text(encoding="utf-8")
    decision.write_text(text.rstrip("\n") + "\n\nKvarnstensfrågan utreds vidare.\n", encoding="utf-8")
    build(content, tmp_path / "build", **QUIET)
    after = shard_hashes(tmp_path / "build")
    changed = {shard for shard in after if after[shard] != before.get(shard)}
    year = re.search(r"-(\d{4})-\d\d-\d\d-", decision.name).group(1)
    assert f"ar-{year}" in changed
    assert len(changed) <= 2 < len(after)  # that year, and the undated pages that list it

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


@pytest.mark.parametrize("beside", [index.BESIDE_PAGES, 0])
def test_a_check_that_fails_while_the_index_is_made_leaves_the_site_as_it_was(tmp_path, monkeypatch,
                                                                               beside):
    """An edit's shards are indexed beside the data files and the link check (a larger
    build's wait for the check): when the check fails, build/ keeps every byte, index
    included, and nothing is left beside it. (Pagefind names its files by hashes that
    differ from run to run: the index is compared by shard.)"""
    monkeypatch.setattr(index, "BESIDE_PAGES", beside)
    content = tmp_path / "content"
    synthesize(80, 3, content)
    build(content, tmp_path / "build", **QUIET)
    before = site_files(tmp_path / "build")
    beside = sorted(p.name for p in tmp_path.iterdir())
    decision = sorted((content / "beslut").glob("*.md"))[0]
    text = decision.read_text(encoding="utf-8")
    decision.write_text(text.rstrip("\n") + "\n\nSe [beslutet](/beslut/finns-inte/).\n", encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        build(content, tmp_path / "build", **QUIET)
    assert failed.value.stage == "check" and "/beslut/finns-inte/" in str(failed.value.problems[0])
    assert site_files(tmp_path / "build") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == beside

    decision.write_text(text.rstrip("\n") + "\n\nKvarnstensfrågan utreds vidare.\n", encoding="utf-8")
    build(content, tmp_path / "build", **QUIET)
    clean = tmp_path / "clean"
    shutil.copytree(content, clean / "content")
    build(clean / "content", clean / "build", incremental_builds=False, **QUIET)
    assert shard_hashes(tmp_path / "build").keys() == shard_hashes(clean / "build").keys()
    ours, theirs = site_files(tmp_path / "build"), site_files(clean / "build")
    assert {k: v for k, v in ours.items() if k.parts[0] != "pagefind"} == \
        {k: v for k, v in theirs.items() if k.parts[0] != "pagefind"}


def test_newest_first_runs_across_the_halves_of_a_busy_year(watched, sharded, sharded_server):
    halved = sorted({name[3:7] for name in shard_hashes(sharded / "build") if re.fullmatch(r"ar-\d{4}-2", name)})
    assert halved
    page = searched(watched, sharded_server, f"?q={WORD}&år={halved[-1]}")
    dates = [day for _, day in results(page) if day]
    assert dates == sorted(dates, reverse=True)
    assert {int(day[5:7]) > 6 for day in dates} == {True, False}  # both halves are shown
    assert watched.errors == []

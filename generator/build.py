"""Calls the stages in order and times them; no logic of its own.

content/ -> raw records -> models -> linked archive -> pages -> staging folder
-> checks -> search index -> build/
"""
from __future__ import annotations

import ctypes
import ctypes.util
import gc
import hashlib
import os
import time
from contextlib import ExitStack, closing, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Callable, NamedTuple

from . import assets as assets_stage
from . import progress as progress_stage
from . import (check, dataschema, depend, feeds, ical, incremental, index, link, load, opendata,
               pagedata, pages, permalinks, render, sitemap, tables, urls, validate, write)
from .problems import BuildFailed, Problems

PROJECT = Path(__file__).resolve().parent.parent
TEMPLATES = PROJECT / "templates"
ASSETS = PROJECT / "assets"


@dataclass
class Report:
    timings: list[tuple[str, float]] = field(default_factory=list)
    pages: int = 0
    links: int = 0
    new_urls: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rendered: int = 0  # pages rendered; the others were unchanged
    unchanged: bool = False  # nothing in content/ changed: nothing was done
    # The build's own time: not the stages' sum, as the index is made beside others.
    seconds: float = 0.0


@contextmanager
def _stage(report: Report, name: str, say: Callable[[str], None]):
    start = time.perf_counter()
    yield
    _record(report, name, time.perf_counter() - start, say)


def _record(report: Report, name: str, elapsed: float, say: Callable[[str], None]) -> None:
    report.timings.append((name, elapsed))
    say(f"  {name:<10} {elapsed:6.2f} s")


def _fail_if(problems: Problems, stage: str) -> None:
    if problems:
        raise BuildFailed(problems.sorted(), stage)


def load_archive(content: Path, report: Report, say: Callable[[str], None],
                 cache: incremental.FileCache | None = None, progress=None,
                 workers: int = 1) -> link.Archive:
    # At 100,000 documents the cycle collector was most of the load's time.
    with incremental.no_cycle_collection():
        return _load_archive(content, report, say, cache, progress, workers)


def _load_archive(content, report, say, cache, progress, workers) -> link.Archive:
    problems = Problems()
    with _stage(report, "load", say):
        raw = load.load_content(content, problems, cache, progress, workers)
    with _stage(report, "validate", say):
        models = validate.validate(raw, problems, cache)
    _fail_if(problems, "content")  # linking needs every referenced record present
    with _stage(report, "link", say):
        archive = link.link(models, problems)
    _fail_if(problems, "content")
    return archive


def check_content(content: Path, say: Callable[[str], None] = print) -> Report:
    report = Report()
    try:
        archive = load_archive(content, report, say, workers=os.cpu_count() or 1)
        report.pages = len(pages.all_pages(archive))
    finally:
        gc.unfreeze()
    return report


def build(content: Path, output: Path, say: Callable[[str], None] = print,
          search: bool = True, site_url: str = urls.DEFAULT_SITE_URL,
          workers: int | None = None, incremental_builds: bool = True,
          progress: Callable = progress_stage.silent, memory: incremental.Memory | None = None) -> Report:
    """`site_url` is the published address (https://host, no path): canonical links,
    feeds, sitemaps, data files and citations are absolute on it. An incremental build
    (the default) redoes only what changed since the last build of the same output;
    its result is byte for byte what a clean build gives. `progress` (progress.py)
    shows how far the long stages have come. `memory` (incremental.Memory), in a
    process that builds again and again, keeps what a build saved for the next."""
    start = time.perf_counter()
    try:
        report = _build(content, output, say, search, site_url, workers or os.cpu_count() or 1,
                        incremental_builds, progress, memory if incremental_builds else None)
        report.seconds = time.perf_counter() - start
        return report
    finally:
        gc.unfreeze()  # what the build froze (no_cycle_collection) may go once it is unused


def _build(content, output, say, search, site_url, workers, incremental_builds, progress, memory) -> Report:
    report = Report()
    with write.build_lock(output):
        code = incremental.code_fingerprint(site_url, search, str(content.resolve()))
        scan = incremental.scan_content(content, output if incremental_builds else None)
        inputs = scan.hashes
        unchanged = incremental.unchanged_pages(output, code, inputs) if incremental_builds else None
        if unchanged is not None:
            report.unchanged = True
            report.pages = unchanged
            return report
        state = incremental.load_state(output, code, memory) if incremental_builds else None
        mirror = write.Mirror(output) if _spare_is_far(state) else None
        # A clean build compiles the templates anew, as it does everything.
        compiled = incremental.compiled_templates(output, code) if incremental_builds else None
        ahead = None
        try:  # until the mirror is the staging folder, a failure leaves it behind
            planned = _load_and_plan(content, output, code, state, inputs, report, say, progress, workers,
                                     incremental_builds, compiled, memory, search)
            ahead = planned.ahead
            incremental.spare_in_flux(output)  # from here until the state is saved
            staging, before, reused_spare = _staging(output, state, mirror)
        except BaseException:
            if mirror is not None:
                mirror.discard()
            if ahead is not None:
                ahead.close()
            raise
        archive, site_pages, moved, digests, site_assets, assets_key, dirty, kept, inputs, ahead = planned
        del planned  # what the index waits with is let go of by name (below)
        problems = Problems()
        manifest: dict[str, str] = {}
        shards: dict = {}
        made: dict[str, incremental.FileMade] = {}
        dump_where: dict[str, tuple[int, int]] = {}
        swapping = False
        next_spare: write.Mirror | None = None
        try:
            with _stage(report, f"render ({len(dirty)} sidor)", say):
                env = _environment(archive, site_url, site_assets, compiled)
                shown = progress("render", len(dirty))
                rendered = render.render_pages(env, dirty, staging, workers, shown)
                shown.done()
                entries = _page_entries(site_pages, rendered, kept, digests, assets_key)
                written = {r.output for r in rendered}
                for entry in entries.values():
                    manifest[entry.output] = entry.hash
                    if entry.output not in written and before.get(entry.output) != entry.hash:
                        staging.link_later(output, entry.output)
            by_shard = _pages_by_shard(archive, site_pages, entries) if search else {}
            with ExitStack() as beside:  # the index is made beside the data files and the check
                indexing = beside.enter_context(index.Indexing(
                    staging, output, beside.enter_context(write.scratch_folder(output)),
                    beside.enter_context(write.memory_scratch(output)), by_shard,
                    state.shards if state else {}, before, written, workers, ahead)) if search else None
                with _stage(report, "data", say), closing(incremental.OldPieces(
                        output / urls.output_path(urls.DUMP), state.dump if state else None)) as old_dump:
                    def compact(url: str):  # a record's JSON file in the dump, or its bytes in the last dump; its hash
                        relative = urls.output_file(url)
                        unchanged = state is not None and made[relative] is state.made.get(relative)
                        # An unchanged file is build/'s, and its link into staging may be on its way.
                        reused = old_dump.span(url) if unchanged else None
                        if reused is None:
                            folder = output if unchanged else staging.root
                            reused = opendata.compacted((folder / relative).read_bytes())
                        return reused, made[relative].hash

                    _write_data(_other_files(archive, site_assets, site_pages, moved, site_url, compact,
                                             dump_where), staging, output, state, digests, before, manifest, made)
                    dump = incremental.Pieces(dump_where, incremental.file_identity(
                        staging.root / urls.output_file(urls.DUMP)))
                with _stage(report, "check", say):
                    seen = [(e.output, e.ids, e.links) for e in entries.values()]
                    report.links = check.check_rendered(staging.root, seen, set(manifest), problems,
                                                        site_pages, content,
                                                        frozenset(entry.output for entry in kept.values()),
                                                        staging.links_done, _gone_anchors(state, entries, manifest))
                _fail_if(problems, "check")
                next_spare = _mirror_for_next_build(staging, output, before, manifest, indexing is not None)
                report.pages, report.rendered = len(site_pages), len(dirty)
                # The index needs only each shard's paths and hashes: what the archive took
                # goes back to the system before Pagefind has every core, when Pagefind
                # is to index many pages (collecting takes 0.2 s at 10,000 documents).
                snapshot = digests.now  # for the next build, which compares with it
                del archive, site_pages, dirty, kept, rendered, digests, env, moved
                if indexing is not None and indexing.large:
                    if memory is not None:  # the parsed files, at city scale over a gigabyte
                        memory.clear()
                    _give_back_memory()
                # The index of an edit runs on: this process waits, so the state's
                # pages are pickled now. (A large index waits with less memory held.)
                pages_ahead = incremental.pickle_ahead(entries, state) \
                    if indexing is not None and not indexing.large else None
                if incremental_builds:
                    incremental.settle_content_times(content, output, scan)
                if indexing is not None:
                    shown = progress("index", len(entries))
                    files, shards = indexing.finish(shown)
                    shown.done()
                    _record(report, "index", indexing.seconds, say)
                    manifest.update(files)
            staging.links_done()
            gone = set(before) - set(manifest)
            for relative in gone:
                staging.remove(relative)
            write.prune_empty_folders(staging.root, gone)
            with _stage(report, "write", say):
                if next_spare is not None:
                    next_spare.wait()
                swapping = True
                spare_holds = write.swap_in(staging, output)
            spare = _spare(spare_holds, state)
            if next_spare is not None:
                next_spare.add(output, index.shard_folder(None))  # from where the swap put it
                if next_spare.take() is not None:
                    spare = dict(manifest)
        except BaseException:
            if ahead is not None:
                ahead.close()
            if next_spare is not None:
                next_spare.discard()
            if not reused_spare:
                write.discard(staging)
            # Once the swap has begun, build/ may be the new site: the in-flux marker
            # stays, and the next build trusts nothing of the old state.
            if state is not None and not swapping:  # build/ is as it was; only the spare is not
                incremental.save_state(output, replace(state, spare=None), memory=memory, last=state)
            raise
        finally:
            staging.settle()
        permalinks.record_new(content, report.new_urls)
        if report.new_urls:  # the list of published URLs is one of the inputs
            listed = str(content / permalinks.LIST_NAME)
            inputs[listed] = incremental.input_hash(listed)
        incremental.save_state(output, incremental.State(
            code=code, pages=entries, current=manifest, shards=shards, made=made,
            spare=spare, dump=dump, snapshot=snapshot), inputs, pages_ahead, memory,
            last=state)
    return report


class _Planned(NamedTuple):
    """The archive loaded and linked, and what of it this build renders."""

    archive: link.Archive
    site_pages: list[pages.Page]
    moved: dict  # permalinks.redirects
    digests: depend.Digests
    site_assets: dict
    assets_key: tuple  # every asset's hashed URL: a new asset is a new page
    dirty: list[pages.Page]  # to render
    kept: dict[str, incremental.PageEntry]  # URL -> the page as the last build made it
    inputs: dict[str, str]  # content file -> hash, as the build read it
    ahead: index.Ahead | None  # the shards begun while the archive loaded


def _load_and_plan(content, output, code, state, inputs, report, say, progress, workers,
                   incremental_builds, compiled, memory, search) -> _Planned:
    """Load the content (a file parsed before and unchanged is not parsed again), check
    the permalinks, and plan: the pages whose every dependency is as the last build
    saw it are kept, the others rendered. `compiled`: the compiled templates' folder.
    The shards an edit is likely to index again are begun first (index.Ahead)."""
    cache = incremental.FileCache(incremental.load_files(output, code, memory) if incremental_builds else None,
                                  inputs)
    ahead = _index_ahead(cache, content, output, state) if search else None
    try:
        archive = load_archive(content, report, say, cache, progress, workers)
        changed = cache.changed_pieces()
        if changed:
            incremental.save_files(output, code, cache.entries, changed, memory)
        record_digests = cache.record_digests()
        inputs = cache.inputs_as_read()
        del cache  # the archive holds what the build needs of it
        site_pages = pages.all_pages(archive)
        problems = Problems()
        moved = permalinks.redirects(archive, problems)
        report.new_urls = permalinks.check_published(
            content, {p.url for p in site_pages if p.url.endswith("/")}, moved, problems)
        _fail_if(problems, "permalinks")

        depend.track(archive)
        digests = depend.Digests(archive, record_digests, feeds.DERIVED, state.snapshot if state else None)
        site_assets = _assets(archive, compiled)
        assets_key = tuple(sorted(asset.url for asset in site_assets.values()))
        with _stage(report, "plan", say):
            dirty, kept = _plan(site_pages, state, digests, assets_key)
        return _Planned(archive, site_pages, moved, digests, site_assets, assets_key, dirty, kept, inputs, ahead)
    except BaseException:
        if ahead is not None:
            ahead.close()
        raise


def _index_ahead(cache, content: Path, output: Path, state) -> index.Ahead | None:
    changed = cache.changed_records(content) if state is not None else None
    likely = index.likely_reindexed(state.shards, state.pages, changed) if changed else {}
    return index.Ahead(likely, output) if likely else None


def _give_back_memory() -> None:
    """Collect what was freed and return it to the system (glibc keeps a process's
    freed heap otherwise)."""
    gc.collect()
    try:
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: the memory is reused, not returned
        pass


# From this many files that the spare folder holds otherwise than build/, build/ is
# mirrored to make it (write.Mirror) rather than the files linked one by one.
MIRROR_FROM = 1000


def _spare_is_far(state) -> bool:
    if state is None:
        return False
    spare = state.spare or {}
    return sum(1 for path, digest in state.current.items() if spare.get(path) != digest) >= MIRROR_FROM


def _mirror_for_next_build(staging: write.Staging, output: Path, before: dict[str, str],
                           manifest: dict[str, str], indexing: bool) -> write.Mirror | None:
    """A build that began in an empty folder (a clean build) leaves as its spare the
    site before it, or nothing: far from the new site, and the first edit after it
    would wait for build/ to be mirrored. The staging folder is mirrored instead, once
    its pages and data files are complete, beside the index (whose folder is added
    once the site is swapped in), to be the spare the swap leaves. (A build without
    the index has nothing to mirror beside: its next edit mirrors build/ as it loads.)"""
    if before or not indexing or len(manifest) < MIRROR_FROM:
        return None
    staging.links_done()  # nothing is on its way into the folder
    # The index's folder, which holds the whole index, is the last to be complete.
    return write.Mirror(output, source=staging.root, leaving_out=index.shard_folder(None))


def _staging(output: Path, state, mirror: write.Mirror | None):
    """The folder to build in; what it holds (output path -> hash); whether it is the
    spare folder kept (else it goes if the build fails)."""
    staging = mirror.take() if mirror is not None else None
    if staging is not None:
        return staging, dict(state.current), False
    if state is not None and state.spare is not None:
        return write.reuse_spare(output), state.spare, True
    return write.fresh_spare(output), {}, False


def _spare(holds: str | None, state) -> dict[str, str] | None:
    """The spare folder's manifest after the swap, None when it is not known."""
    if holds == "empty":
        return {}
    return state.current if holds == "previous" and state is not None else None


def _plan(site_pages, state, digests, assets_key):
    """Pages to render, and those whose every dependency is as it was."""
    dirty, kept = [], {}
    for page in site_pages:
        old = state.pages.get(page.url) if state else None
        if old is not None and old.signature == _signature(page, assets_key) and \
                digests.unchanged(old.dependencies, old.digest):
            kept[page.url] = old
        else:
            dirty.append(page)
    return dirty, kept


def _write_data(files, staging, output: Path, state, digests, before: dict[str, str],
                manifest: dict[str, str], made: dict[str, incremental.FileMade]) -> None:
    """Stage what `files` (_other_files) yields: bytes, a file in pieces, or a Deferred
    made anew or kept from build/. Each file's hash (a Composed one's digest) goes into
    `manifest`, and what a Deferred read into `made`, for the next build."""
    for url, data in files:
        relative = urls.output_file(url)
        if isinstance(data, depend.Deferred):
            made[relative] = _made(data, state.made.get(relative) if state else None, digests, staging,
                                   relative)
            manifest[relative] = made[relative].hash
            if before.get(relative) != manifest[relative] and PurePosixPath(relative) not in staging.written:
                staging.link_later(output, relative)
        elif isinstance(data, bytes):
            manifest[relative] = hashlib.sha1(data).hexdigest()
            if before.get(relative) != manifest[relative]:
                staging.write(PurePosixPath(relative), data)
        else:  # incremental.Composed: a file too large to hold, in pieces (the dump)
            staging.write_chunks(PurePosixPath(relative), data.chunks, hashed=False)
            manifest[relative] = data.digest()


def _made(deferred: depend.Deferred, old: incremental.FileMade | None, digests, staging,
          relative: str) -> incremental.FileMade:
    """A file made from the archive, or as the last build made it when all it read is
    unchanged (then it is not written here: the caller takes it from build/)."""
    if old is not None and digests.unchanged(old.dependencies, old.digest):
        return old
    with depend.recording() as dependencies:
        if deferred.record is not None:
            depend.note_record(deferred.record)
        data = deferred.make()
        if isinstance(data, bytes):
            staging.write(PurePosixPath(relative), data)
            digest = hashlib.sha1(data).hexdigest()
        else:  # pieces of a file too large to hold, made as they are written
            digest = staging.write_chunks(PurePosixPath(relative), data)
    return incremental.FileMade(digests.shared(dependencies), digests.for_later(dependencies), digest)


def _pages_by_shard(archive, site_pages, entries):
    """Each search shard's pages, as (output path, hash)."""
    shards: dict = {}
    shard_of = index.sharding(archive)
    for page in site_pages:
        entry = entries[page.url]
        shards.setdefault(shard_of(page.record), []).append((entry.output, entry.hash))
    return shards


def _gone_anchors(state, entries, manifest: dict[str, str]) -> frozenset[str] | None:
    """The anchors the last build's pages had and this one's do not, when every file
    it had is here still (None otherwise): what may break a link of a page kept, which
    that build checked. (The search index, not yet in the manifest, is no link's target.)"""
    if state is None:
        return None
    index_files = {path for shard in state.shards.values() for path in shard.files}
    if any(path not in manifest and path not in index_files for path in state.current):
        return None
    gone: set[str] = set()
    for url, entry in entries.items():
        old = state.pages.get(url)
        if old is not None and old is not entry:
            gone.update(set(old.ids) - set(entry.ids))
    return frozenset(gone)


def _signature(page: pages.Page, assets_key: tuple) -> tuple:
    record = page.record
    return (page.url, page.template, page.title, page.section,
            (type(record).__name__, record.id) if record is not None else None, assets_key)


def _page_entries(site_pages, rendered, kept, digests, assets_key):
    by_url = {r.url: r for r in rendered}
    entries = {}
    for page in site_pages:
        if page.url in kept:
            entries[page.url] = kept[page.url]
            continue
        r = by_url[page.url]
        entries[page.url] = incremental.PageEntry(
            _signature(page, assets_key), r.dependencies, digests.for_later(r.dependencies), r.output, r.hash,
            r.ids, r.links)
    return entries


def _assets(archive, compiled: Path | None):
    env = render.environment(TEMPLATES, archive, compiled=compiled)
    party_css = env.get_template("parties.css").render()
    return assets_stage.collect(ASSETS, {"site.css": party_css.encode("utf-8")})


def _environment(archive, site_url, site_assets, compiled: Path | None):
    env = render.environment(TEMPLATES, archive, site_assets, compiled)
    env.globals.update(pagedata.template_globals(archive, site_url))
    return env


def _other_files(archive, site_assets, site_pages, moved, site_url, compact, dump_where):
    """Everything beside the pages: assets, redirects, open data, feeds, sitemaps."""
    for asset in site_assets.values():
        yield asset.url, asset.data
    yield "/_redirects", permalinks.netlify_redirects(moved).encode("utf-8")
    # One producer at a time: at city scale their files together outgrow memory.
    yield from opendata.files(archive, site_url, compact, dump_where)
    yield from dataschema.files(site_url)
    yield from tables.files(archive, site_url)
    yield from feeds.files(archive, site_url)
    yield from ical.files(archive, site_url)
    yield from sitemap.files([p.url for p in site_pages], site_url)
    yield urls.ROBOTS, sitemap.robots(site_url)

"""The search index: Pagefind indexes of spans of time, merged by the search page.

One Pagefind index over the whole site does not scale: Pagefind holds all of it in
memory while it builds (more than 24 GiB for 100,000 pages here), writes one fragment
file per page into one folder (Netlify refuses a folder of more than 54,000 files) and
cannot be updated, so any edit would index everything again. Pages are therefore
indexed in shards: the pages without a date (parties, persons, topics, listings) in
Pagefind's own bundle at /pagefind/, and the dated pages by span of time, in
/pagefind/ar-1992_1999/, /pagefind/ar-2016/ or /pagefind/ar-2016-07_2016-09/ (`layout`
says how the spans are chosen), which the search page merges with Pagefind's
`mergeIndex` (assets/search.js). Shards are indexed in parallel, beside the build's
last stages, and a shard whose pages are byte for byte as they were is taken from the
current site as it is: an edit re-indexes the shards it touches.

The Pagefind binary (PyPI `pagefind[bin]`, pinned in pyproject.toml) indexes the
written pages, hard-linked into a folder per shard; measured here, that is far faster
than feeding pages one by one through its Python API. Only `data-pagefind-body`
regions are indexed, so navigation stays out.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Callable

from . import depend, urls, write
from .link import Archive
from .models import Board, Decision, Document, Meeting, Motion, Party, Person, Program, Record, Topic

BUNDLE_URL = urls.SEARCH_INDEX
# What the search page loads of Pagefind's bundle; its prebuilt UIs go unused.
BUNDLE_FILES = ("pagefind.js", "pagefind-worker.js")
BUNDLE_SUFFIXES = (".pagefind",)  # the WebAssembly per language
# What mergeIndex loads of a shard.
SHARD_FILES = ("pagefind-entry.json",)
SHARD_SUFFIXES = (".pf_meta",)
SHARD_FOLDERS = ("index", "filter", "fragment")

# Position 0 of every shard's date order (assets/search.js says why): a page that
# sorts before every date and holds one word nobody types, as a page without
# words is not indexed.
SENTINEL = PurePosixPath("_/index.html")
SENTINEL_HTML = ('<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>-</title></head>'
                 '<body><div data-pagefind-body><span data-pagefind-sort="datum:-"></span>ꙮ</div>'
                 '</body></html>')

ShardKey = str | None  # a span's name ("1992_1999", "2016", "2016-07_2016-09"); None undated
# The spans a shard may cover, in months, each aligned to its own length: eight years,
# four, two, one, a half-year, a quarter, a month. A span of more pages than the limit
# is cut into the next shorter spans.
SPANS = (96, 48, 24, 12, 6, 3, 1)
# The limit. Pagefind takes about 2.3 ms a page here and an edit re-indexes its shard
# whole, so shards are kept small; but every shard costs a first search some 40 KB
# (its metadata, filters and an index chunk): at 10,000 documents, 24 shards of at
# most 600 pages cost a first search 1.8 MB, 54 of at most 300 pages 3.0 MB. So a
# city-scale archive may not be cut into hundreds: the limit is doubled until at most
# SHARDS_WANTED full shards would hold the dated pages (600 pages up to 28,800 dated
# pages, 2,400 at 100,000). A doubling re-indexes every dated page once.
SHARD_PAGES = 600
SHARDS_WANTED = 48
# Pages a build may index while it still holds the archive, on all cores but one.
# Pagefind's memory grows with its pages: beside a city-scale archive, the undated
# pages' shard (some 11,000 pages) took a cold build from 5.3 to 6.6 GiB, so there an
# edit's few shards only. A site of at most SMALL_SITE pages is indexed beside
# whatever it re-indexes: a 10,000-document archive (11,400 pages) holds under 1 GiB.
BESIDE_PAGES = 5000
SMALL_SITE = 20000
# At most this many pages to index (an edit's shards) are laid out and indexed in
# memory (write.memory_scratch): some 20 KB a page and 7 KB of Pagefind's files.
IN_MEMORY_PAGES = 3000


class IndexFailed(Exception):
    pass


@dataclass(frozen=True)
class Shard:
    """An indexed shard: the files it is, and the pages it was made from."""

    files: dict  # output-relative path -> hash
    pages: frozenset  # (output path, hash)


def shard_folder(key: ShardKey) -> str:
    """Output-relative folder of a shard: pagefind, pagefind/ar-2016, pagefind/ar-2016-07_2016-09."""
    return (urls.search_shard_url(key) if key is not None else urls.SEARCH_INDEX).strip("/")


def sharding(archive: Archive) -> Callable[[Record | None], ShardKey]:
    """The shard of a page's record (None for a page without one)."""
    days = {id(record): record_date(archive, record) for record in archive.records()}
    key_of = layout(Counter(_month(day) for day in days.values() if day))

    def shard_of(record: Record | None) -> ShardKey:
        day = days.get(id(record)) if record is not None else None
        return key_of[_month(day)] if day is not None else None
    return shard_of


def layout(pages_by_month: Counter) -> dict[int, str]:
    """Each month's shard, from the dated pages a month holds (months counted from year
    0). A shard is a span of SPANS, cut while it holds more than the limit; as spans
    are aligned, an edit's counts move the shards of its own eight years at most."""
    limit = shard_limit(sum(pages_by_month.values()))
    key_of: dict[int, str] = {}

    def place(start: int, spans: tuple[int, ...]) -> None:
        length = spans[0]
        pages = sum(pages_by_month.get(month, 0) for month in range(start, start + length))
        if pages == 0:
            return
        if pages <= limit or len(spans) == 1:
            key = span_key(start, length)
            key_of.update((month, key) for month in range(start, start + length))
            return
        for part in range(start, start + length, spans[1]):
            place(part, spans[1:])

    blocks = {month - month % SPANS[0] for month in pages_by_month}
    for block in sorted(blocks):
        place(block, SPANS)
    return key_of


def shard_limit(dated_pages: int) -> int:
    limit = SHARD_PAGES
    while dated_pages > limit * SHARDS_WANTED:
        limit *= 2
    return limit


def span_key(start: int, length: int) -> str:
    """A span's name: its years ("1992_1999", "2016") or its months ("2016-07_2016-09",
    "2016-07")."""
    first, last = divmod(start, 12), divmod(start + length - 1, 12)
    if length % 12 == 0:
        return str(first[0]) if length == 12 else f"{first[0]}_{last[0]}"
    months = [f"{year}-{month + 1:02d}" for year, month in (first, last)]
    return months[0] if length == 1 else "_".join(months)


def _month(day: date) -> int:
    return day.year * 12 + day.month - 1


def dated_shards(archive: Archive) -> list[str]:
    """Every dated shard, newest first: the order the search page merges them, which
    keeps "newest first" a date order across shards (assets/search.js). Spans do not
    overlap and every name starts with its first year and month, so the names sort as
    their spans do."""
    shard_of = sharding(archive)
    shards = {shard_of(record) for record in archive.records()} - {None}
    return sorted(shards, reverse=True)


# At most this many pages of an edit's shards are indexed before the edit is rendered
# (Ahead): two shards of SHARD_PAGES. At 100,000 documents, where a shard holds 2,400
# pages and an edit is mostly this process's loading, Pagefind beside it (walking
# build/'s 350,000 files for the glob) only slowed it: alternating, 37.3 and 29.7 s
# with it, 35.9 and 28.9 s without.
AHEAD_PAGES, AHEAD_SHARDS = 2 * SHARD_PAGES, 2
# Paths Ahead names in a glob as they are (a slug's characters, none special to one).
_PLAIN_PATH = re.compile(r"[A-Za-z0-9._/-]+")
_COLLECTION_OF_FOLDER = {urls.SECTION[kind]: name for kind, name in depend.COLLECTION_OF.items()}


def likely_reindexed(shards: dict[ShardKey, Shard], pages: dict, changed: set[tuple[str, str]]
                     ) -> dict[ShardKey, frozenset]:
    """The shards an edit of these records (content folder, id) is likely to index
    again, each with its pages likely to keep their bytes: all but those that read
    an edited record's text (depend's ("body", ...)), as every text edit changes
    them. `pages`: the last build's (incremental.PageEntry). Nothing when that is
    more pages than AHEAD_PAGES or shards than AHEAD_SHARDS: a large edit is indexed
    as a clean build is."""
    read = {("body", _COLLECTION_OF_FOLDER[folder], name) for folder, name in changed
            if folder in _COLLECTION_OF_FOLDER}
    if not read:
        return {}
    touched = {entry.output for entry in pages.values() if not read.isdisjoint(entry.dependencies)}
    likely = {}
    for key, shard in shards.items():
        if any(path in touched for path, _ in shard.pages) and \
                all(_PLAIN_PATH.fullmatch(path) for path, _ in shard.pages):
            kept = frozenset(page for page in shard.pages if page[0] not in touched)
            if kept:  # else nothing to begin with
                likely[key] = kept
    fits = len(likely) <= AHEAD_SHARDS and sum(len(kept) for kept in likely.values()) <= AHEAD_PAGES
    return likely if fits else {}


class Ahead:
    """The shards an edit is likely to index again (likely_reindexed), their pages
    that keep their bytes indexed from build/ while this process loads and links the
    archive: an edit at 10,000 documents spent 0.7 s on that before Pagefind could
    start, and Pagefind 1.0 to 1.3 s on its shard after. Once the pages are rendered,
    Indexing adds the shard's other pages to the open index and has it written
    (Pagefind's service mode). A guess is checked, not trusted: Indexing takes a
    shard from here only when every page indexed ahead is among the shard's pages
    with the same hash, and indexes it anew otherwise."""

    def __init__(self, likely: dict[ShardKey, frozenset], output: Path):
        self._open: dict[ShardKey, _OpenIndex] = {}
        try:
            for key, kept in likely.items():
                self._open[key] = _OpenIndex(kept, output)
        except BaseException:
            self.close()
            raise

    def take(self, key: ShardKey, members) -> "_OpenIndex | None":
        """The shard's open index, when all it holds is among `members` as it was."""
        held = self._open.pop(key, None)
        if held is not None and not held.pages <= set(members):
            held.close()
            return None
        return held

    def close(self) -> None:
        """Stop what was not taken."""
        for held in self._open.values():
            held.close()
        self._open.clear()


class _OpenIndex:
    """One index in a Pagefind of its own in service mode (`pagefind --service`),
    begun in a thread with `pages` of build/ (`output`), named by a glob: laying them
    out beside this process's loading took it 0.1 s, in a thread 0.9 s. Requests and
    answers are base64 JSON ended by a comma, as Pagefind's own Python and Node
    clients send them (the Python client polls for answers every 0.1 s, so it is not
    used)."""

    def __init__(self, pages: frozenset, output: Path):
        self.pages = pages
        self._process = subprocess.Popen([_pagefind(), "--service"], stdin=subprocess.PIPE,
                                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                          **_alike(output))
        self._sent = 0
        self._failed: IndexFailed | None = None
        self._id = None
        self._begun = threading.Thread(target=self._begin, args=(output,), daemon=True)
        self._begun.start()

    def _begin(self, output: Path) -> None:
        try:
            self._id = self._ask({"type": "NewIndex", "config": None})["index_id"]
            self._add({"path": os.path.abspath(output),
                       "glob": "{" + ",".join(sorted(path for path, _ in self.pages)) + "}"}, len(self.pages))
        except IndexFailed as failed:
            self._failed = failed

    def _add(self, folder: dict, pages: int) -> None:
        """Index a folder's pages, which must be `pages` many: Pagefind says nothing of
        a page it does not find, and indexing one page twice it never ends."""
        indexed = self._ask({"type": "AddDir", "index_id": self._id, **folder}).get("page_count")
        if indexed != pages:
            raise IndexFailed(f"Pagefind (--service) indexerade {indexed} sidor av {pages}")

    def finish(self, site: Path, made_in: Path) -> None:
        """Add the pages of `site` and write the index into `made_in`."""
        self._begun.join()
        try:
            if self._failed is not None:
                raise self._failed
            self._add({"path": os.path.abspath(site)}, sum(1 for _ in site.rglob("*.html")))
            self._ask({"type": "WriteFiles", "index_id": self._id, "output_path": os.path.abspath(made_in)})
        finally:
            self.close()

    def _ask(self, payload: dict) -> dict:
        self._sent += 1
        request = json.dumps({"message_id": self._sent, "payload": payload}).encode()
        answer = bytearray()
        try:
            self._process.stdin.write(base64.b64encode(request) + b",")
            self._process.stdin.flush()
            while not answer.endswith(b","):
                chunk = os.read(self._process.stdout.fileno(), 1 << 16)
                if not chunk:
                    raise IndexFailed(f"Pagefind (--service) slutade: {self._process.poll()}")
                answer += chunk
            reply = json.loads(base64.b64decode(bytes(answer[:-1])))["payload"]
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise IndexFailed(f"Pagefind (--service) svarade inte: {error}") from error
        if reply.get("type") == "Error":
            raise IndexFailed(f"Pagefind (--service): {reply.get('message')}")
        return reply

    def close(self) -> None:
        """Stop the Pagefind, as often as called."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        self._begun.join()  # it reads the pipe until the end: then it may be closed
        for pipe in (self._process.stdin, self._process.stdout):
            try:
                pipe.close()
            except OSError:
                pass


class Indexing:
    """The search index being made beside the rest of the build, shard by shard.

    Pagefind runs in processes of its own, so the shards are indexed while this
    process makes the data files and checks the links, on all cores but one (unless
    the build is `large`, see BESIDE_PAGES); from `finish` on all. Beside that work
    the threads only wait for Pagefind: a shard's folder of pages is laid out before,
    and its files hashed in `finish`, as a thread's many small system calls beside
    the data files each waited for the interpreter. `pages` holds each shard's pages
    as (output path, hash); `previous` the shards of the current site (build/);
    `before` what the staging folder holds now. The pages in `written` are read from
    the staging folder, the others from build/, as they may not be linked into
    staging yet. A shard whose pages are byte for byte as they were is taken from
    build/ at once. Leaving the `with` block stops what has not started and waits
    for the rest.
    """

    def __init__(self, staging, current_root: Path, scratch: Path, in_memory: Path | None,
                 pages: dict[ShardKey, list[tuple[str, str]]], previous: dict[ShardKey, Shard],
                 before: dict[str, str], written: set[str], workers: int, ahead: Ahead | None = None):
        self.shards: dict[ShardKey, Shard] = {}
        self._lock = threading.Lock()
        self._count = 0  # pages indexed, or in a reused shard
        self._shown = None  # the progress shown once someone waits
        self._started = time.perf_counter()
        self.seconds = 0.0  # from the start to the last shard, known after finish
        todo = []
        for key, members in pages.items():
            old = previous.get(key)
            if old is not None and old.pages == frozenset(members):
                for path, digest in old.files.items():
                    if before.get(path) != digest:
                        staging.link_later(current_root, path)
                self.shards[key] = old
                self._count += len(members)
            else:
                todo.append((key, members))
        todo.sort(key=lambda job: -len(job[1]))  # the largest first: the cores stay busy
        to_index = sum(len(job[1]) for job in todo)
        # Many pages to index in a large site: the build gives its memory back before
        # Pagefind runs.
        self.large = to_index > BESIDE_PAGES and sum(len(members) for members in pages.values()) > SMALL_SITE
        # Shards indexed beside the data files are laid out first: a thread making an
        # edit's thousand links beside that work took 1.5 s at 10,000 documents, 0.08 s here.
        self._staging, self._root, self._current_root, self._written, self._scratch, self._previous = \
            staging, staging.root, current_root, written, scratch, previous
        # A few shards, as of an edit, are indexed in memory and moved in (_moved_in).
        self._in_memory = in_memory if to_index <= IN_MEMORY_PAGES else None
        self._opened: list[_OpenIndex] = []
        try:
            todo = [self._job(*job, ahead) for job in todo]
        except BaseException:
            self._close_opened()
            raise
        finally:
            if ahead is not None:
                ahead.close()  # what it guessed wrong stops taking the cores
        self._cores_later = 1 if not self.large and workers > 1 else workers
        self._cores = threading.Semaphore(workers - self._cores_later)  # the rest at finish
        self._workers = workers
        self._stopping = self._finished = False
        self._one_thread = len(todo) >= workers  # a Pagefind a core (_run_pagefind)
        self._pool = ThreadPoolExecutor(max_workers=max(1, min(workers, len(todo))))
        self._jobs = [(job[0], job[1], self._pool.submit(self._index, job)) for job in todo]

    def _job(self, key: ShardKey, members, ahead: Ahead | None) -> tuple:
        """A shard to index: its key, pages, the folder of pages laid out
        for Pagefind (None: laid out when its turn comes), and its open index when
        Ahead began it (the folder then holds only the pages it lacks)."""
        begun = ahead.take(key, members) if ahead is not None and self._in_memory is not None else None
        if begun is None:
            return key, members, None if self.large else self._site(key, members), None
        self._opened.append(begun)  # closed on the way out, whether its job ran or not
        return key, members, self._site(key, [m for m in members if m not in begun.pages]), begun

    def _source(self, relative: str) -> Path:
        return self._root if relative in self._written else self._current_root

    def _site(self, key: ShardKey, members) -> Path:
        return _shard_site(self._root, self._source, self._in_memory or self._scratch, key, members,
                           self._current_root, copy=self._in_memory is not None)

    def _made_in(self, key: ShardKey) -> Path:
        """Where Pagefind writes a shard: its folder in staging, or in memory."""
        if self._in_memory is None:
            return self._root / shard_folder(key)
        return self._in_memory / ("index-" + shard_folder(key).replace("/", "-"))

    def _index(self, job) -> Path | None:
        """Pagefind over one shard; the site it indexed (_shard_site), or None when the
        build stopped first (then finish is not called)."""
        key, members, site, begun = job
        with self._cores:
            if self._stopping:
                return None
            if begun is not None:
                try:
                    begun.finish(site, self._made_in(key))
                except IndexFailed:  # indexed anew, as if never begun (unless the build stops)
                    if self._stopping:
                        return None
                    shutil.rmtree(self._made_in(key), ignore_errors=True)
                    shutil.rmtree(site)
                    begun = site = None
            if begun is None:
                site = site or self._site(key, members)
                _run_pagefind(site, self._made_in(key), key, self._one_thread)
        with self._lock:
            self._count += len(members)
            if self._shown is not None:
                self._shown.advance(len(members))
        return site

    def finish(self, progress) -> tuple[dict[str, str], dict[ShardKey, Shard]]:
        """Wait for every shard, counting pages on `progress` (progress.py), and prune and
        hash each as it is done. Returns the index's files (relative path -> hash) and the
        shards, for the next build."""
        self._cores.release(self._cores_later)  # this process does nothing else from here
        with self._lock:
            progress.advance(self._count)
            self._shown = progress
        for key, members, job in self._jobs:
            job.result()
            self.shards[key] = _indexed_shard(self._root, key, members) if self._in_memory is None \
                else _moved_in(self._made_in(key), self._staging, self._current_root, key, members,
                               self._previous.get(key))
        self._pool.shutdown()
        self._finished = True
        self.seconds = time.perf_counter() - self._started
        files = {path: digest for shard in self.shards.values() for path, digest in shard.files.items()}
        return files, self.shards

    def __enter__(self) -> "Indexing":
        return self

    def __exit__(self, *exc) -> None:
        if not self._finished:
            self._stopping = True  # a shard waiting for a core gives up instead
            self._cores.release(self._workers)
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._close_opened()

    def _close_opened(self) -> None:
        for opened in self._opened:
            opened.close()


def _shard_site(root: Path, source: Callable[[str], Path], scratch: Path, key: ShardKey, members,
                output: Path, copy: bool = False) -> Path:
    """A folder of a shard's pages for Pagefind to index, hard links (or in memory,
    `copy`, copies), and the SENTINEL; source(page) is the folder that holds the page.
    The shard's old files in root go first (output: build/, beside which they are put
    aside)."""
    _clear(root / shard_folder(key), keep_shards=key is None, output=output)
    site = scratch / (shard_folder(key).replace("/", "-"))
    site.mkdir(parents=True)
    place = shutil.copyfile if copy else os.link
    for relative, _ in members:
        target = site / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        place(source(relative) / relative, target)
    (site / SENTINEL).parent.mkdir(parents=True, exist_ok=True)
    (site / SENTINEL).write_text(SENTINEL_HTML, encoding="utf-8")
    return site


def _run_pagefind(site: Path, made_in: Path, key: ShardKey, one_thread: bool) -> None:
    """Index a shard's site into the folder `made_in`. `one_thread` (Rayon's setting)
    when the build runs a Pagefind a core: side by side, Pagefind's own threads only
    contend (on 600 pages, 1.25 s of processor time on one thread, 1.42 s on two).
    Fewer shards than cores, as in most edits, are done sooner on all threads."""
    command = [_pagefind(), "--site", os.path.abspath(site), "--output-path", os.path.abspath(made_in), "--quiet"]
    alike = _alike(site)
    if one_thread:
        alike["env"]["RAYON_NUM_THREADS"] = "1"
    result = subprocess.run(command, capture_output=True, text=True, **alike)
    if result.returncode != 0:
        raise IndexFailed(f"Pagefind misslyckades för {shard_folder(key)}/ "
                          f"({result.returncode}):\n{result.stdout}{result.stderr}")


def _alike(folder: Path) -> dict:
    """How every Pagefind runs, the binary over a shard's folder as the service: with
    none of the maintainer's PAGEFIND_* settings, and in a folder of the build's,
    where no pagefind.yml of theirs is read (the service reads neither)."""
    env = {name: value for name, value in os.environ.items() if not name.upper().startswith("PAGEFIND_")}
    return {"env": env, "cwd": os.path.abspath(folder)}


def _indexed_shard(root: Path, key: ShardKey, members) -> Shard:
    """A shard Pagefind has indexed into root: its folder pruned."""
    folder = root / shard_folder(key)
    _prune(folder, bundle=key is None)
    return Shard(_hashes(root, folder, skip_shards=key is None), frozenset(members))


def _moved_in(made: Path, staging, current: Path, key: ShardKey, members,
              old: Shard | None) -> Shard:
    """A shard Pagefind has indexed in memory, pruned and moved into the staging
    folder's shard folder. A file the shard had in the current site (build/) with the same hash
    (`old`, as the last build recorded it) is linked from there: an edit changes one
    fragment and some chunks of the shard's 600 files, and only those become new
    files on the disk."""
    _prune(made, bundle=key is None)
    files = {}
    for dirpath, _, filenames in os.walk(made):
        for name in filenames:
            path = Path(dirpath) / name
            relative = os.path.join(shard_folder(key), os.path.relpath(path, made))
            data = path.read_bytes()
            files[relative] = hashlib.sha1(data).hexdigest()
            if old is not None and old.files.get(relative) == files[relative]:
                staging.link_from(current, relative)
            else:  # a new file: _clear took the old one away
                target = staging.root / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
    return Shard(dict(sorted(files.items())), frozenset(members))


@functools.cache
def _pagefind() -> str:
    """The Pagefind binary. Not `python -m pagefind`: that starts a Python per shard
    only to exec the binary, 0.1 s each of the 40 to 60 shards of a city-scale build."""
    try:
        from pagefind_bin import get_executable
        return str(get_executable())
    except (ImportError, FileNotFoundError) as error:
        raise IndexFailed(f"Pagefind saknas ({error}); installera projektet med pip install -e .") from error


def _clear(folder: Path, keep_shards: bool, output: Path) -> None:
    """Take a shard's old files away before Pagefind writes, as they may be hard links
    into build/: its folders of chunks and fragments put aside, deleted once the
    build is done (write.put_aside)."""
    if not folder.is_dir():
        return
    aside = []
    for entry in folder.iterdir():
        if keep_shards and entry.is_dir() and _is_shard(entry.name):
            continue
        if entry.is_dir():
            aside.append(entry)
        else:
            entry.unlink()
    write.put_aside(aside, output, now=False)


def _is_shard(name: str) -> bool:
    return name.startswith("ar-")


def _prune(folder: Path, bundle: bool) -> None:
    """Keep what the search page loads: the bundle's script and WebAssembly in the
    undated shard, and in every shard its entry, metadata and chunks."""
    names = SHARD_FILES + (BUNDLE_FILES if bundle else ())
    suffixes = SHARD_SUFFIXES + (BUNDLE_SUFFIXES if bundle else ())
    for entry in folder.iterdir():
        if entry.is_dir():
            if entry.name not in SHARD_FOLDERS and not (bundle and _is_shard(entry.name)):
                shutil.rmtree(entry)
        elif entry.name not in names and not entry.name.endswith(suffixes):
            entry.unlink()


def _hashes(root: Path, folder: Path, skip_shards: bool) -> dict[str, str]:
    result = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        if skip_shards and Path(dirpath) == folder:
            dirnames[:] = [name for name in dirnames if not _is_shard(name)]
        for name in filenames:
            path = Path(dirpath) / name
            result[str(path.relative_to(root))] = hashlib.sha1(path.read_bytes()).hexdigest()
    return dict(sorted(result.items()))


@dataclass(frozen=True)
class Facets:
    """What the search index knows about a record's page besides its text."""

    filters: tuple[tuple[str, tuple[str, ...]], ...]
    date: str  # ISO date for sorting, "" when the record has none


def facets(archive: Archive, record: Record) -> Facets:
    """Filters a citizen can combine: type, board, party, person, year, program, topic."""
    kind, boards, parties, persons, day, programs, topics = _facts(archive, record)
    filters = {
        "typ": [kind],
        "nämnd": [archive.boards[b].name for b in boards],
        "parti": [archive.parties[p].abbreviation for p in parties],
        "person": [archive.persons[p].name for p in persons],
        "år": [str(day.year)] if day else [],
        "program": [archive.programs[p].name for p in programs],
        "ämne": [archive.topics[t].name for t in topics],
    }
    ordered = tuple((name, tuple(dict.fromkeys(values))) for name, values in filters.items() if values)
    return Facets(ordered, day.isoformat() if day else "")


def record_date(archive: Archive, record: Record) -> date | None:
    """The date search files a record by (its shard, the date sort): a decision's is its
    meeting's. Apart from _facts: every build asks it of every record."""
    if isinstance(record, Decision):
        return archive.meeting_of(record).date
    if isinstance(record, (Motion, Document, Meeting)):
        return record.date
    return None


def _facts(archive: Archive, record: Record):
    """(type, boards, parties, persons, date, programs, topics) of one record."""
    empty: tuple = ()
    if isinstance(record, Decision):
        meeting = archive.meeting_of(record)
        statements = record.statements
        return ("protokollsparagraf", (meeting.board,),
                [p for s in statements for p in s.parties],
                [sp.person for s in statements for sp in s.speakers],
                record_date(archive, record), record.programs,
                list(record.topics) + [t for s in statements for t in s.topics])
    if isinstance(record, Motion):
        return ("motion", [b for r in record.remiss for b in r.bodies],
                [archive.persons[a.person].party or a.party for a in record.authors],
                [a.person for a in record.authors], record_date(archive, record), empty, record.topics)
    if isinstance(record, Document):
        boards = [record.board] + ([record.to_board] if record.to_board else [])
        return (record.kind, boards, empty, [s.person for s in record.signatories],
                record_date(archive, record), record.programs, record.topics)
    if isinstance(record, Meeting):
        return ("sammanträde", (record.board,), empty, empty, record_date(archive, record), empty, empty)
    if isinstance(record, Program):
        return ("program", [record.owner] if record.owner else empty, empty, empty, None,
                (record.id,), record.topics)
    # A party's or a person's own page is not an item where the party spoke: it is
    # found by its text and its type, so filtering by party keeps only positions.
    if isinstance(record, Person):
        return ("person", empty, empty, empty, None, empty, empty)
    if isinstance(record, Party):
        return ("parti", empty, empty, empty, None, empty, empty)
    if isinstance(record, Board):
        return ("nämnd", (record.id,), empty, empty, None, empty, empty)
    if isinstance(record, Topic):
        return ("ämne", empty, empty, empty, None, empty, (record.id,))
    return ("källa", empty, empty, empty, None, empty, empty)

"""Beslutsarkivet at city scale, side by side with Hugo + Pagefind (issue 9).

For each archive size N this writes a synthetic archive (`arkiv synth --documents N
--seed 1`) and measures, in one run on one machine so that the ratios are fair:

- our side: a cold build with search (wall time, pages per second, the time of every
  stage the build prints, peak memory), a no-op rebuild, and a rebuild after one
  sentence of one decision changed (search included); then three more edits of that
  sentence while `arkiv serve` runs, as a maintainer previews, each timed from the save
  to serve's line that the site is rebuilt;
- our search index: the index stage's time, its size and file count (every folder
  named pagefind* under build/), the largest file count of any one folder in build/
  (Netlify refuses a deploy with more than 54,000 files in one folder), and the bytes
  headless Chromium downloads for a first search of a common word on /sok/;
- Hugo's side: the same Markdown bodies as plain Hugo pages, `hugo` cold and again
  (Hugo re-renders everything), then the Pagefind CLI over Hugo's output. Only the
  bodies: what a decision's front matter holds (points, statements) and the listing
  and cross-linking pages are ours alone, so our side renders and indexes more;
- the ratios the issue sets targets for: our cold build and our one-edit rebuild over
  Hugo + Pagefind cold, and our no-op over Hugo's no-op.

Peak memory is sampled from /proc (RSS every 50 ms, PSS every second) over the measured process's whole tree
(the build forks render workers and runs Pagefind), twice: the largest sum of
proportional set sizes (PSS: a page that forked workers share with their parent
counts once, split between them), which is what the tree takes of the machine, and
the largest sum of resident set sizes, which counts shared pages in every process and
so errs high. A tree whose RSS sum passes --memory-cap-gib is killed and reported as
such: Pagefind over 100,000 Hugo pages needs more memory than this machine has.

    .venv/bin/python benchmarks/scale.py --sizes 1000,10000,100000 --workdir /tmp/bench \
        --json /tmp/bench/scale.json

Prints progress as it goes, then a Markdown table and the stage times per size.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import quote

import yaml
from pagefind_bin import get_executable
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from browser import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402

ARKIV = str(Path(sys.executable).with_name("arkiv"))
PAGEFIND = [str(get_executable())]  # the binary our build runs too (generator/index.py)
SEARCH_WORD = "socialnämnden"  # in every synthetic body's vocabulary (generator/synth.py)
EDITED_SENTENCE = "Denna mening ändrades för att mäta ett inkrementellt bygge."
NETLIFY_FOLDER_LIMIT = 54_000
POLL_SECONDS = 0.05
PSS_EVERY = 20  # samples: once a second
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
GIB = 2 ** 30

STAGE_LINE = re.compile(r"^  (\S.*?)\s+(\d+(?:\.\d+)?) s$")
PAGES_LINE = re.compile(r"(\d+) sidor")
FRONT_MATTER = re.compile(r"\A---\n(.*?\n)---\n", re.S)


def say(text: str) -> None:
    print(text, flush=True)


# Measuring one command: wall time and the peak memory of its process tree.

@dataclass
class Run:
    wall: float
    peak_bytes: int
    killed: bool = False
    peak_pss_bytes: int = 0
    output: list[str] = field(default_factory=list, repr=False)


def _processes() -> dict[int, tuple[int, int]]:
    """Every process: pid -> (parent pid, resident bytes)."""
    found = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:  # the process ended meanwhile
            continue
        fields = stat[stat.rfind(b")") + 2:].split()  # after "pid (name) "
        found[int(entry.name)] = (int(fields[1]), int(fields[21]) * PAGE_SIZE)
    return found


def _tree(root: int, processes: dict[int, tuple[int, int]]) -> list[int]:
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in processes.items():
        children.setdefault(parent, []).append(pid)
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        if pid in processes:
            tree.append(pid)
            todo.extend(children.get(pid, ()))
    return tree


def _pss(pid: int) -> int:
    """Proportional set size: pages shared by forked workers counted once, not per worker."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            for line in handle:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class MemoryWatch(threading.Thread):
    """Samples the summed RSS of a process tree; kills the tree above the cap. Also the
    summed PSS, which counts the copy-on-write pages forked workers share once: RSS
    summed over a parent and its forked workers counts them in every process."""

    def __init__(self, root: int, cap_bytes: int):
        super().__init__(daemon=True)
        self.root, self.cap_bytes = root, cap_bytes
        self.peak_bytes = 0
        self.peak_pss_bytes = 0
        self.killed = False
        self.done = threading.Event()

    def run(self) -> None:
        samples = 0
        while not self.done.is_set():
            processes = _processes()
            tree = _tree(self.root, processes)
            total = sum(processes[pid][1] for pid in tree)
            self.peak_bytes = max(self.peak_bytes, total)
            samples += 1
            if samples % PSS_EVERY == 0:  # reading PSS walks the page tables: not every time
                self.peak_pss_bytes = max(self.peak_pss_bytes, sum(_pss(pid) for pid in tree))
            if total > self.cap_bytes and not self.killed:
                self.killed = True
                self._kill(tree)
            self.done.wait(POLL_SECONDS)

    def _kill(self, tree: list[int]) -> None:
        for pid in [self.root, *tree]:  # the group, and any member that left it
            try:
                (os.killpg if pid == self.root else os.kill)(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


class CommandFailed(Exception):
    pass


def measure(command: list[str], cap_bytes: int, cwd: Path | None = None) -> Run:
    """Run a command to its end, echoing its output, and measure it."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, start_new_session=True)
    watch = MemoryWatch(process.pid, cap_bytes)
    watch.start()
    output = []
    for line in process.stdout:
        output.append(line.rstrip("\n"))
        say("      " + output[-1])
    process.wait()
    wall = time.perf_counter() - start
    watch.done.set()
    watch.join()
    if process.returncode != 0 and not watch.killed:
        tail = "\n".join(output[-20:])
        raise CommandFailed(f"{' '.join(command)} exited with {process.returncode}:\n{tail}")
    return Run(wall, watch.peak_bytes, watch.killed, peak_pss_bytes=watch.peak_pss_bytes, output=output)


# Reading what the build printed.

def stages(output: list[str]) -> list[tuple[str, float]]:
    """Every "  name  1.23 s" line, in order; other lines (progress, summary) are skipped."""
    return [(m[1], float(m[2])) for m in map(STAGE_LINE.match, output) if m]


def index_seconds(timings: list[tuple[str, float]]) -> float | None:
    """The stage named "index"; else the sum of those whose names start with it."""
    exact = [t for name, t in timings if name == "index"]
    if exact:
        return sum(exact)
    parts = [t for name, t in timings if name.startswith("index")]
    return sum(parts) if parts else None


def page_count(output: list[str]) -> int | None:
    summary = [line for line in output if line.startswith("Klart:")]
    match = PAGES_LINE.search(summary[-1]) if summary else None
    return int(match[1]) if match else None


# Files on disk.

def index_folders(site: Path) -> list[Path]:
    """Folders named pagefind* under site/, none inside another."""
    found = sorted(p for p in site.rglob("pagefind*") if p.is_dir())
    return [p for p in found if not any(q in p.parents for q in found)]


def folder_size(folders: list[Path]) -> tuple[int, int]:
    """(bytes, files) of everything under the folders."""
    files = [p for folder in folders for p in folder.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def largest_folder(site: Path) -> tuple[int, str]:
    """The most files any one folder holds, and that folder relative to site/."""
    return max((len(names), os.path.relpath(path, site)) for path, _, names in os.walk(site))


def edit_one_decision(content: Path, sentence: str = EDITED_SENTENCE) -> Path:
    """Replace the first sentence of the first prose paragraph of the first decision."""
    path = sorted((content / "beslut").glob("*.md"))[0]
    text = path.read_text(encoding="utf-8")
    body_start = FRONT_MATTER.match(text).end()
    for match in re.finditer(r"^[A-ZÅÄÖ][^\n]*?\.(?= |$)", text[body_start:], re.M):
        start, end = body_start + match.start(), body_start + match.end()
        path.write_text(text[:start] + sentence + text[end:], encoding="utf-8")
        return path
    raise RuntimeError(f"no sentence to edit in {path}")


# The browser: what a first search downloads.

def first_search(site: Path, word: str) -> dict:
    """Bytes of all responses, and of Pagefind's, until the results are shown."""
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            responses = []
            page.on("response", lambda response: responses.append(response))
            page.goto(f"{base}/sok/?q={quote(word)}")
            page.wait_for_selector(".results .result", timeout=300_000)
            page.wait_for_load_state("networkidle", timeout=300_000)
            results = page.locator(".results .result").count()
            status = page.locator(".search-status").inner_text()
            sizes = [(r.url, len(r.body())) for r in responses if r.url.startswith("http")]
        finally:
            browser.close()
    pagefind = [size for url, size in sizes if "/pagefind" in url]
    return {"word": word, "status": status, "results_shown": results,
            "pagefind_bytes": sum(pagefind), "pagefind_requests": len(pagefind),
            "total_bytes": sum(size for _, size in sizes), "requests": len(sizes)}


# Our side.

def our_side(folder: Path, synth: Path, cap_bytes: int) -> dict:
    content, output = folder / "content", folder / "build"
    shutil.copytree(synth, content)  # the build appends to content/publicerade-urler.txt
    command = [ARKIV, "build", "--content", str(content), "--output", str(output)]
    say("  our cold build (search included)")
    cold = measure(command, cap_bytes)
    figures = {"cold": run_figures(cold)}
    if cold.killed:
        return figures
    figures["cold"]["stages"] = stages(cold.output)
    figures["pages"] = page_count(cold.output)
    say("  our no-op rebuild")
    figures["noop"] = run_figures(measure(command, cap_bytes))
    edited = edit_one_decision(content)
    say(f"  our rebuild after editing one sentence of {edited.relative_to(content)}")
    edit = measure(command, cap_bytes)
    figures["edit"] = {**run_figures(edit), "stages": stages(edit.output), "file": str(edited)}
    say(f"  {SERVE_EDITS} edits of the same sentence while arkiv serve runs")
    figures["serve"] = serve_edits(content, output)
    figures["search"] = search_figures(output, figures["cold"]["stages"])
    return figures


SERVE_EDITS = 3
SERVE_PORT = 18_931
SERVED = re.compile(r"^Byggt: \d+ sidor på (\d+(?:\.\d+)?) s$")


def serve_edits(content: Path, output: Path) -> list[dict]:
    """Edits while `arkiv serve` runs on the built site, as a maintainer previews: for
    each, the seconds from the file's save to serve's line that the site is rebuilt
    (its polling included: "wall"), and the build's own ("build")."""
    process = subprocess.Popen([ARKIV, "serve", "--content", str(content), "--output", str(output),
                                "--port", str(SERVE_PORT)], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    lines: list[str] = []
    arrived = threading.Condition()

    def read() -> None:
        for line in process.stdout:
            with arrived:
                lines.append(line.rstrip("\n"))
                arrived.notify_all()

    def wait_for(pattern: re.Pattern, after: int) -> re.Match:
        with arrived:
            while True:
                found = [m for m in map(pattern.match, lines[after:]) if m]
                if found:
                    return found[0]
                if process.poll() is not None or not arrived.wait(timeout=300):
                    raise CommandFailed("arkiv serve: " + "\n".join(lines[-20:]))

    threading.Thread(target=read, daemon=True).start()
    edits = []
    try:
        wait_for(re.compile("^Förhandsgranskning"), 0)
        for number in range(SERVE_EDITS):
            time.sleep(1)  # the edits of a person, not of a script
            seen = len(lines)
            edit_one_decision(content, EDITED_SENTENCE.replace("mäta", f"mäta ({number + 2})"))
            saved = time.perf_counter()
            built = wait_for(SERVED, seen)
            edits.append({"wall": time.perf_counter() - saved, "build": float(built[1])})
            say(f"      edit {number + 1}: rebuilt {edits[-1]['wall']:.2f} s after the save "
                f"(the build {edits[-1]['build']:.2f} s)")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    return edits


def search_figures(site: Path, cold_stages: list[tuple[str, float]]) -> dict:
    folders = index_folders(site)
    size, files = folder_size(folders)
    most, where = largest_folder(site)
    say(f"  first search for '{SEARCH_WORD}' in headless Chromium")
    browser = first_search(site, SEARCH_WORD)
    say(f"      {browser['status']} {browser['pagefind_bytes'] / 1000:.0f} KB from Pagefind, "
        f"{browser['total_bytes'] / 1000:.0f} KB in all")
    return {"index_seconds": index_seconds(cold_stages),
            "index_folders": [str(f.relative_to(site)) for f in folders],
            "index_bytes": size, "index_files": files,
            "largest_folder_files": most, "largest_folder": where,
            "first_search": browser}


def run_figures(run: Run) -> dict:
    return {"wall": run.wall, "peak_bytes": run.peak_bytes, "peak_pss_bytes": run.peak_pss_bytes,
            "killed": run.killed}


# Hugo's side.

HUGO_CONFIG = """baseURL = "http://localhost/"
languageCode = "sv"
title = "Beslutsarkivet i Hugo"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]
"""
HUGO_LAYOUT = """<!DOCTYPE html>
<html lang="sv">
<head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main data-pagefind-body><h1>{{ .Title }}</h1>{{ .Content }}</main></body>
</html>
"""


def title_of(front_matter: str, body: str, fallback: str) -> str:
    """The front matter's title (or name), else the first heading, else the file name."""
    for key in ("title", "name"):
        line = re.search(rf"^{key}: (.+)$", front_matter, re.M)
        if line:
            return str(yaml.safe_load(line[1]))
    heading = re.search(r"^#+ (.+)$", body, re.M)
    return heading[1] if heading else fallback


def lay_out_hugo_site(synth: Path, site: Path) -> int:
    """Every Markdown file's body as a plain Hugo page with its title; returns the count."""
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for name in ("single.html", "list.html"):
        (site / "layouts" / "_default" / name).write_text(HUGO_LAYOUT, encoding="utf-8")
    count = 0
    for source in sorted(synth.rglob("*.md")):
        text = source.read_text(encoding="utf-8")
        front = FRONT_MATTER.match(text)
        front_matter, body = (front[1], text[front.end():]) if front else ("", text)
        title = title_of(front_matter, body, source.stem)
        target = site / "content" / source.relative_to(synth)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n---\n{body}",
                          encoding="utf-8")
        count += 1
    return count


def hugo_side(folder: Path, synth: Path, cap_bytes: int) -> dict:
    site = folder / "hugo"
    pages = lay_out_hugo_site(synth, site)
    say(f"  hugo cold ({pages} Markdown pages)")
    cold = measure(["hugo", "--quiet"], cap_bytes, cwd=site)
    figures = {"markdown_pages": pages, "cold": run_figures(cold)}
    if cold.killed:
        return figures
    say("  hugo again (no-op: Hugo re-renders everything)")
    figures["noop"] = run_figures(measure(["hugo", "--quiet"], cap_bytes, cwd=site))
    say("  pagefind over Hugo's output")
    public = site / "public"
    index = measure([*PAGEFIND, "--site", str(public), "--output-subdir", "pagefind", "--quiet"],
                    cap_bytes)
    figures["pagefind"] = run_figures(index)
    if not index.killed:
        size, files = folder_size([public / "pagefind"])
        most, where = largest_folder(public)
        figures["pagefind"].update(index_bytes=size, index_files=files,
                                   largest_folder_files=most, largest_folder=where)
    return figures


# Ratios and the report.

def ratios(ours: dict, hugo: dict) -> dict:
    """Ours over theirs. A killed run of theirs lasted at least that long: the ratio is
    then an upper bound ("bound": "<=")."""
    theirs = [hugo["cold"], *([hugo["pagefind"]] if "pagefind" in hugo else [])]
    bound = "<=" if any(run["killed"] for run in theirs) else "="
    both = sum(run["wall"] for run in theirs)

    def ratio(mine: dict | None, other: float | None, sign: str) -> dict | None:
        if not mine or mine["killed"] or not other:
            return None
        return {"value": mine["wall"] / other, "bound": sign}

    noop = hugo.get("noop")
    return {"cold": ratio(ours["cold"], both, bound),
            "edit": ratio(ours.get("edit"), both, bound),
            "noop": ratio(ours.get("noop"), noop["wall"] if noop else None, "=")}


def measure_size(documents: int, workdir: Path, cap_bytes: int) -> dict:
    folder = workdir / str(documents)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    synth = folder / "synth"
    say(f"N = {documents}: arkiv synth --documents {documents} --seed 1")
    measure([ARKIV, "synth", "--documents", str(documents), "--seed", "1", str(synth)], cap_bytes)
    ours = our_side(folder, synth, cap_bytes)
    hugo = hugo_side(folder, synth, cap_bytes)
    return {"documents": documents, "ours": ours, "hugo": hugo, "ratios": ratios(ours, hugo)}


def _seconds(run: dict | None) -> str:
    if run is None:
        return "–"
    if run["killed"]:
        return f"killed at {run['peak_bytes'] / GIB:.1f} GiB after {run['wall']:.0f} s"
    return f"{run['wall']:.2f}" if run["wall"] < 10 else f"{run['wall']:.1f}"


def _serve(edits: list[dict] | None) -> str:
    """The builds' own times, and from save to rebuilt (serve's polling included)."""
    if not edits:
        return "–"
    return (", ".join(f"{edit['build']:.2f}" for edit in edits) + " (after the save: "
            + ", ".join(f"{edit['wall']:.2f}" for edit in edits) + ")")


def _gib(run: dict | None, key: str = "peak_bytes") -> str:
    return "–" if run is None else f"{run[key] / GIB:.2f}"


def _ratio(ratio: dict | None) -> str:
    if ratio is None:
        return "–"
    return ("≤ " if ratio["bound"] == "<=" else "") + f"{ratio['value']:.3f}"


def _number(value, scale: float = 1, digits: int = 0) -> str:
    return "–" if value is None else f"{value / scale:,.{digits}f}"


COLUMNS = ("documents", "our pages", "our cold s", "pages/s", "peak GiB (PSS)", "peak GiB (RSS summed)",
           "no-op s", "edit s", "edit in serve s",
           "index s", "index MB", "index files", "largest folder files", "first-search KB",
           "page load KB", "Hugo s", "Hugo peak GiB", "Pagefind-on-Hugo s", "Pagefind peak GiB",
           "ratio cold", "ratio edit", "Hugo no-op s", "ratio no-op")


def table_row(result: dict) -> list[str]:
    ours, hugo = result["ours"], result["hugo"]
    cold, pages = ours["cold"], ours.get("pages")
    search = ours.get("search", {})
    browser = search.get("first_search", {})
    rate = pages / cold["wall"] if pages and not cold["killed"] else None
    return [_number(result["documents"]), _number(pages), _seconds(cold), _number(rate),
            _gib(cold, "peak_pss_bytes"), _gib(cold), _seconds(ours.get("noop")), _seconds(ours.get("edit")),
            _serve(ours.get("serve")),
            _number(search.get("index_seconds"), digits=2),
            _number(search.get("index_bytes"), 1e6, 1), _number(search.get("index_files")),
            _number(search.get("largest_folder_files")),
            _number(browser.get("pagefind_bytes"), 1e3), _number(browser.get("total_bytes"), 1e3),
            _seconds(hugo["cold"]), _gib(hugo["cold"]), _seconds(hugo.get("pagefind")),
            _gib(hugo.get("pagefind")), _ratio(result["ratios"]["cold"]),
            _ratio(result["ratios"]["edit"]), _seconds(hugo.get("noop")),
            _ratio(result["ratios"]["noop"])]


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = [header, ["---"] * len(header), *rows]
    return "\n".join("| " + " | ".join(cells) + " |" for cells in lines)


STAGE_DETAIL = re.compile(r"^(.*?) \((.*)\)$")


def stage_table(ours: dict) -> str:
    """One row per stage name, "render (15 sidor)" under "render"; cold and edit columns."""
    columns: list[dict[str, str]] = []
    for run in ("cold", "edit"):
        cells: dict[str, str] = {}
        for name, seconds in ours.get(run, {}).get("stages", []):
            detail = STAGE_DETAIL.match(name)
            key, note = (detail[1], f" ({detail[2]})") if detail else (name, "")
            cells[key] = (cells[key] + " + " if key in cells else "") + f"{seconds:.2f}{note}"
        columns.append(cells)
    names = list(dict.fromkeys([*columns[0], *columns[1]]))
    rows = [[name, *(cells.get(name, "–") for cells in columns)] for name in names]
    return markdown_table(["stage", "cold", "one edit"], rows)


def report(results: list[dict], machine: dict) -> str:
    parts = [f"Scale benchmark, {machine['date']}, {machine['cores']} cores, "
             f"{machine['memory_gib']:.0f} GiB, {machine['hugo']}, Pagefind {machine['pagefind']}",
             "", markdown_table(list(COLUMNS), [table_row(r) for r in results])]
    for result in results:
        parts += ["", f"Stages at N = {result['documents']:,}, seconds:", ""]
        parts.append(stage_table(result["ours"]))
    over = [r["documents"] for r in results
            if r["ours"].get("search", {}).get("largest_folder_files", 0) > NETLIFY_FOLDER_LIMIT]
    if over:
        parts += ["", f"Over Netlify's {NETLIFY_FOLDER_LIMIT:,} files in one folder at N = {over}."]
    return "\n".join(parts)


def machine() -> dict:
    memory_kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[1])
    hugo = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.split()
    pagefind = subprocess.run([*PAGEFIND, "--version"], capture_output=True, text=True).stdout
    return {"date": date.today().isoformat(), "cores": os.cpu_count(),
            "memory_gib": memory_kib / 2 ** 20, "platform": platform.platform(),
            "hugo": " ".join(hugo[:2]), "pagefind": pagefind.strip().split()[-1]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000",
                        help="archive sizes, comma-separated (default 1000,10000)")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/arkiv-scale"),
                        help="where each size gets a folder (emptied first)")
    parser.add_argument("--json", type=Path, help="write every figure as JSON here")
    parser.add_argument("--memory-cap-gib", type=float, default=16,
                        help="kill a measured process tree above this summed RSS (default 16)")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    cap_bytes = int(args.memory_cap_gib * GIB)
    about = machine()
    results = []
    for documents in sizes:
        results.append(measure_size(documents, args.workdir, cap_bytes))
        if args.json:  # after every size, so a long run keeps what it measured
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps({"machine": about, "results": results}, indent=2,
                                            ensure_ascii=False), encoding="utf-8")
    say("")
    say(report(results, about))
    return 0


if __name__ == "__main__":
    sys.exit(main())

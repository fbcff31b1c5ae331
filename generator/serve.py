"""`arkiv serve`: build, serve build/ on localhost, rebuild when a source file changes.

Changes are found by the system's file notifications (inotify, FSEvents, through
`watchfiles`), then confirmed by every file's size and modification time. Polling
those twice a second, as serve did, left a save waiting 0.25 s on average, and each
poll walked the whole content folder: at 100,000 documents 0.66 s a poll, more than
half a core all the while serve waited. Where notifications cannot be had, serve polls. The preview is served by a process of its own (`python -m generator.serve`): while the
builder's process collects its heap, seconds at city scale, none of its threads runs.
"""
from __future__ import annotations

import functools
import gc
import http.server
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Iterator

from . import incremental, permalinks
from .build import ASSETS, TEMPLATES, build
from .cli import print_problems
from .problems import BuildFailed


POLL_SECONDS = 0.5
# A save is built once the folders have been quiet this long (an editor's save can be
# several writes), or at most after the longer wait.
QUIET_MS, AT_MOST_MS = 50, 400


def _fingerprint(folders: list[Path]) -> dict[str, tuple]:
    """Every file's path, and its inode, size and modification time. With os.walk, not
    Path.rglob: 0.08 s a poll at 10,000 documents, not 0.17."""
    seen = {}
    for folder in folders:
        for dirpath, _, filenames in os.walk(folder):
            for name in filenames:
                path = os.path.join(dirpath, name)
                try:
                    seen[path] = incremental.file_identity(path)
                except OSError:  # gone since the walk: the next poll sees it gone
                    continue
    return seen


def _watched(content: Path) -> list[Path]:
    return [content, TEMPLATES, ASSETS]


def _rebuilt(content: Path, output: Path, search: bool, memory: incremental.Memory,
             seen: dict[str, tuple]) -> dict[str, tuple]:
    """Build and say how it went. Returns what the next poll compares with: `seen`,
    the files as they were before the build, so that a file saved while it ran (or
    while the heap settles after it, seconds at city scale) is built next; only the
    build's own addition to the list of published URLs is taken in."""
    try:
        report = build(content, output, say=lambda _: None, search=search, memory=memory)
        print(f"Byggt: {report.pages} sidor på {report.seconds:.2f} s", flush=True)
        if report.new_urls:
            listed = str(content / permalinks.LIST_NAME)
            seen = {**seen, listed: incremental.file_identity(listed)}
    except BuildFailed as failure:
        print_problems(failure)
    finally:
        _settle_heap()
    return seen


def _settle_heap() -> None:
    """Collect cycles now, while serve waits for an edit, and freeze what is left (the
    state the memory keeps): else the next build's first full collection scans all of
    it, 0.4 s of an edit at 10,000 documents. build() unfreezes it at its end."""
    gc.collect()
    gc.freeze()


def watch(content: Path, output: Path, search: bool, memory: incremental.Memory,
          seen: dict[str, tuple], stop: threading.Event) -> None:
    """Rebuild whenever a file in content/, the templates or the assets changes from
    `seen`, until `stop` is set."""
    watched = _watched(content)
    for _ in _changes(watched, stop):
        now = _fingerprint(watched)
        if now != seen:
            seen = _rebuilt(content, output, search, memory, now)


def _changes(folders: list[Path], stop: threading.Event) -> Iterator[None]:
    """Once after each change in the folders (what changed is not said: serve compares
    every file with the last build's), and once as soon as the watching has begun, for
    what changed before it; until `stop` is set. Changes made while the caller builds
    are kept for the next. By the system's notifications, watched anew when a folder
    is replaced (`mv content.ny content`: the old one was watched), or where they
    cannot be had (no watchfiles, the system's limit of watches reached), by polling."""
    try:
        import watchfiles
    except ImportError as missing:
        yield from _polled(stop, missing)
        return
    while not stop.is_set():
        folders_now = _identities(folders)
        try:
            begun = False
            for changed in watchfiles.watch(*folders, stop_event=stop, debounce=AT_MOST_MS, step=QUIET_MS,
                                            rust_timeout=int(POLL_SECONDS * 1000), yield_on_timeout=True,
                                            raise_interrupt=True, ignore_permission_denied=True):
                if changed or not begun:
                    begun = True
                    yield
                elif _identities(folders) != folders_now:
                    break
        except (OSError, RuntimeError) as failure:
            yield from _polled(stop, failure)
            return


def _polled(stop: threading.Event, why: Exception) -> Iterator[None]:
    print(f"Ändringar söks var {POLL_SECONDS} s: systemets besked om ändrade filer "
          f"gick inte att få ({why})", file=sys.stderr, flush=True)
    while not stop.wait(POLL_SECONDS):
        yield


def _identities(folders: list[Path]) -> list[tuple | None]:
    identities = []
    for folder in folders:
        try:
            found = os.stat(folder)
            identities.append((found.st_dev, found.st_ino))
        except OSError:
            identities.append(None)
    return identities


def serve(content: Path, output: Path, port: int, search: bool = True) -> int:
    memory = incremental.Memory()  # the state between rebuilds, not unpickled again
    seen = _rebuilt(content, output, search, memory, _fingerprint(_watched(content)))
    incremental.remember(output, memory)
    preview, stopping = start_preview(output, port), threading.Event()
    threading.Thread(target=_say_if_it_stops, args=(preview, stopping), daemon=True).start()
    print(f"Förhandsgranskning på http://127.0.0.1:{port}/ (Ctrl-C avslutar)", flush=True)
    try:
        watch(content, output, search, memory, seen, threading.Event())
    except KeyboardInterrupt:
        pass
    finally:
        stopping.set()
        preview.terminate()
        preview.wait()
    return 0


def start_preview(output: Path, port: int) -> subprocess.Popen:
    """The preview server's process, serving `output` on localhost. The port is taken
    here, so that a port in use is this command's error. In a session of its own, as
    Ctrl-C is serve's to handle; with -P, so that a folder `generator` where serve runs
    is not what it imports."""
    listening = socket.create_server(("127.0.0.1", port))
    try:
        return subprocess.Popen([sys.executable, "-P", "-m", "generator.serve", str(listening.fileno()),
                                 str(output.resolve()), str(os.getpid())],
                                pass_fds=(listening.fileno(),), start_new_session=True)
    finally:
        listening.close()  # the preview's now


def _say_if_it_stops(preview: subprocess.Popen, stopping: threading.Event) -> None:
    code = preview.wait()
    if not stopping.is_set():
        print(f"Förhandsgranskningen stannade (kod {code}); starta om arkiv serve", file=sys.stderr, flush=True)


def _preview(listening: int, directory: str, parent: int) -> None:
    """Serve `directory` on the listening socket inherited as `listening`, until the
    process `parent` that started this one is gone (killed, it could not say so)."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=directory)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler, bind_and_activate=False)
    server.socket.close()
    server.socket = socket.socket(fileno=listening)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    while os.getppid() == parent:
        time.sleep(POLL_SECONDS)


if __name__ == "__main__":
    _preview(int(sys.argv[1]), sys.argv[2], int(sys.argv[3]))

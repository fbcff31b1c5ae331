"""`arkiv serve`: build, serve build/ on localhost, rebuild when a source file changes.

Changes are found by polling modification times twice a second: the preview needs no
more, and it works the same on every system without a file-watching dependency.
"""
from __future__ import annotations

import functools
import http.server
import threading
import time
from pathlib import Path

from . import incremental
from .build import ASSETS, TEMPLATES, build
from .cli import print_problems
from .problems import BuildFailed


def _fingerprint(folders: list[Path]) -> tuple:
    return tuple(sorted((str(p), p.stat().st_mtime_ns) for folder in folders
                        for p in folder.rglob("*") if p.is_file()))


def _rebuild(content: Path, output: Path, search: bool, memory: incremental.Memory) -> None:
    try:
        report = build(content, output, say=lambda _: None, search=search, memory=memory)
        print(f"Byggt: {report.pages} sidor på {report.seconds:.2f} s", flush=True)
    except BuildFailed as failure:
        print_problems(failure)


def serve(content: Path, output: Path, port: int, search: bool = True) -> int:
    memory = incremental.Memory()  # the state between rebuilds, not unpickled again
    _rebuild(content, output, search, memory)
    incremental.remember(output, memory)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(output.resolve()))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Förhandsgranskning på http://127.0.0.1:{port}/ (Ctrl-C avslutar)", flush=True)
    watched = [content, TEMPLATES, ASSETS]
    seen = _fingerprint(watched)
    try:
        while True:
            time.sleep(0.5)
            now = _fingerprint(watched)
            if now != seen:
                seen = now
                _rebuild(content, output, search, memory)
                seen = _fingerprint(watched)  # the build may add to publicerade-urler.txt
    except KeyboardInterrupt:
        server.shutdown()
    return 0

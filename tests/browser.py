"""Real headless Chromium (Debian's) driven by Playwright, and a local server that
serves a built site with the headers netlify.toml gives it (the CSP above all)."""
from __future__ import annotations

import functools
import http.server
import threading
import tomllib
from contextlib import contextmanager
from fnmatch import fnmatch
from pathlib import Path

from conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-quic", "--disable-sync"]


def netlify_headers() -> list[tuple[str, dict]]:
    config = tomllib.loads((ROOT / "netlify.toml").read_text(encoding="utf-8"))
    return [(rule["for"], rule["values"]) for rule in config.get("headers", [])]


class _Handler(http.server.SimpleHTTPRequestHandler):
    rules: list = []

    def end_headers(self) -> None:
        path = self.path.split("?")[0]
        for pattern, values in self.rules:
            if fnmatch(path, pattern):
                for name, value in values.items():
                    self.send_header(name, value)
        super().end_headers()

    def send_error(self, code, message=None, explain=None):
        # Netlify serves /404.html for a missing page; so does this server.
        not_found = Path(self.directory) / "404.html"
        if code == 404 and not_found.exists():
            body = not_found.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def log_message(self, *args) -> None:
        pass


@contextmanager
def serve(folder: Path):
    handler = functools.partial(type("Handler", (_Handler,), {"rules": netlify_headers()}),
                                directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class Watched:
    """A page whose console errors and CSP violations are collected."""

    def __init__(self, page):
        self.page = page
        self.errors: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation', e =>"
            " console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));")

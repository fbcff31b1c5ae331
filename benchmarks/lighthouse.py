"""Lighthouse scores for the start, motion, decision, party and search pages.

Builds the seed archive, serves it locally with netlify.toml's headers, and runs
Lighthouse (npm `lighthouse`, installed into .cache/ on first use) with Debian's
chromium. Prints the four category scores per page. Usage:

    .venv/bin/python benchmarks/lighthouse.py [--form-factor mobile|desktop]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from browser import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402
from generator.build import build  # noqa: E402

LIGHTHOUSE_VERSION = "12"
CACHE = ROOT / ".cache" / "lighthouse"
PAGES = {
    "start": "/",
    "motion": "/motioner/2017-54/",
    "decision": "/beslut/socialnamnden-okant-datum-1-par-6/",
    "party": "/partier/m/",
    "search": "/sok/?q=boplatser",
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def lighthouse() -> Path:
    binary = CACHE / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(CACHE),
                        f"lighthouse@{LIGHTHOUSE_VERSION}"], check=True)
    return binary


def scores(binary: Path, url: str, form_factor: str) -> dict[str, int]:
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        flags = " ".join(CHROMIUM_ARGS + ["--headless=new"])
        command = [str(binary), url, "--output=json", f"--output-path={report}", "--quiet",
                   f"--chrome-flags={flags}", f"--only-categories={','.join(CATEGORIES)}"]
        if form_factor == "desktop":
            command.append("--preset=desktop")
        subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": CHROMIUM})
        data = json.loads(report.read_text())
    return {c: round(data["categories"][c]["score"] * 100) for c in CATEGORIES}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--form-factor", choices=("mobile", "desktop"), default="mobile")
    args = parser.parse_args()
    binary = lighthouse()
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "build"
        build(ROOT / "content", output, say=lambda _: None)
        with serve(output) as base:
            print(f"Lighthouse {LIGHTHOUSE_VERSION}, {args.form_factor}, Debian chromium")
            print(f"{'page':<10}" + "".join(f"{c:>16}" for c in CATEGORIES))
            for name, path in PAGES.items():
                result = scores(binary, base + path, args.form_factor)
                print(f"{name:<10}" + "".join(f"{result[c]:>16}" for c in CATEGORIES), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

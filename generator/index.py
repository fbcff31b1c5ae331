"""The search index: Pagefind over the staging folder, before the swap into build/.

The Pagefind binary (PyPI `pagefind[bin]`, pinned in pyproject.toml) indexes the written
pages; measured here, that is far faster than feeding pages one by one through its
Python API. Only `data-pagefind-body` regions are indexed, so navigation stays out.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

OUTPUT_SUBDIR = "pagefind"


class IndexFailed(Exception):
    pass


def index_site(root: Path) -> None:
    command = [sys.executable, "-m", "pagefind", "--site", str(root),
               "--output-subdir", OUTPUT_SUBDIR, "--quiet"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise IndexFailed(f"Pagefind misslyckades ({result.returncode}):\n{result.stdout}{result.stderr}")

"""Static assets with a content hash in their names, so they can be cached for a year."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Asset:
    name: str  # as templates ask for it: site.css
    url: str  # /assets/site.3f9a2c1b.css
    data: bytes


def fingerprint(name: str, data: bytes) -> Asset:
    digest = hashlib.sha256(data).hexdigest()[:10]
    stem, dot, suffix = name.rpartition(".")
    return Asset(name, f"/assets/{stem}.{digest}.{suffix}", data)


def collect(folder: Path, generated: dict[str, bytes]) -> dict[str, Asset]:
    """Assets from the folder, each extended by generated text of the same name."""
    result = {}
    names = sorted({p.name for p in folder.iterdir() if p.is_file()} | set(generated))
    for name in names:
        path = folder / name
        data = path.read_bytes() if path.is_file() else b""
        data += generated.get(name, b"")
        result[name] = fingerprint(name, data)
    return result

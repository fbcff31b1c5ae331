"""The staging folder and the swap into build/: a failed or killed build changes nothing.

Pages are written into a fresh folder beside build/. Only when every stage succeeded is
it exchanged with build/ in one atomic rename (Linux renameat2 RENAME_EXCHANGE), so a
reader or a crash never sees half a site. A lock keeps two builds from racing.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import fcntl
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

STAGING_PREFIX = ".arkiv-staging-"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class BuildLocked(Exception):
    pass


class Staging:
    """A folder that accepts each output path once (a second write is a bug)."""

    def __init__(self, root: Path):
        self.root = root
        self.written: set[PurePosixPath] = set()

    def write(self, relative: PurePosixPath, data: bytes | str) -> None:
        if relative in self.written:
            raise RuntimeError(f"two pages would write {relative}")
        target = (self.root / relative).resolve()
        if not target.is_relative_to(self.root.resolve()):
            raise RuntimeError(f"{relative} would be written outside the output folder")
        self.written.add(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


@contextmanager
def build_lock(output: Path):
    """Refuse, with a reason, when another build of the same output is running."""
    output.parent.mkdir(parents=True, exist_ok=True)
    lock_path = output.parent / f".{output.name}.lock"
    with open(lock_path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildLocked(f"ett annat bygge av {output} pågår (låset {lock_path} är taget); "
                              "vänta tills det är klart") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def new_staging(output: Path) -> Staging:
    remove_leftovers(output)
    folder = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX + output.name + "-", dir=output.parent))
    return Staging(folder)


def remove_leftovers(output: Path) -> None:
    """Staging folders of builds that were killed; safe under the build lock."""
    for leftover in output.parent.glob(STAGING_PREFIX + output.name + "-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def discard(staging: Staging) -> None:
    shutil.rmtree(staging.root, ignore_errors=True)


def swap_in(staging: Staging, output: Path) -> None:
    """Make the staging folder build/, atomically where the system allows."""
    staging.root.chmod(0o755)  # mkdtemp makes it private; the site is public
    if output.exists() and _exchange(staging.root, output):
        shutil.rmtree(staging.root)  # now holds the previous site
        return
    if output.exists():
        previous = output.with_name(STAGING_PREFIX + output.name + "-old")
        os.rename(output, previous)
        os.rename(staging.root, output)
        shutil.rmtree(previous)
    else:
        os.rename(staging.root, output)


def _exchange(a: Path, b: Path) -> bool:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0

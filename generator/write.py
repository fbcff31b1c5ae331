"""The staging folder and the swap into build/: a failed or killed build changes nothing.

Pages are written into a staging folder beside build/. Only when every stage
succeeded is it exchanged with build/ in one atomic rename (Linux renameat2
RENAME_EXCHANGE), so a reader or a crash never sees half a site. After the swap the
staging folder holds the previous site; the next build brings it up to date by
writing only what differs (incremental.py knows both folders' manifests) and swaps
again. A lock keeps two builds from racing.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import glob
import hashlib
import os
import queue
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

STAGING_PREFIX = ".arkiv-staging-"
TRASH_PREFIX = ".arkiv-trash-"  # folders being deleted in the background
SCRATCH_PREFIX = ".arkiv-scratch-"
# What tempfile.mkdtemp adds to a prefix. (Not glob's "?" * 8, which matches "-" too:
# build's pattern would take build-prod's ".arkiv-staging-build-prod-old".)
MKDTEMP = re.compile(r"[a-z0-9_]{8}")


def made_beside(output: Path, prefix: str) -> list[Path]:
    """The folders mkdtemp made beside `output` for it, named prefix + its name + "-"."""
    start = prefix + output.name + "-"
    return [path for path in output.parent.glob(glob.escape(start) + "*")
            if MKDTEMP.fullmatch(path.name[len(start):])]
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class BuildLocked(Exception):
    pass


# A piece copied from the last build's file shorter than this is read into the block.
SHORT_RUN = 1 << 16


def _blocks(chunks: Iterable, size: int) -> Iterator:
    """The chunks joined into blocks of at least `size` bytes (the last may be less).
    A long chunk that is not bytes (incremental.Reused: bytes of the file the last
    build wrote, to be copied as they are) comes as it is, between blocks."""
    held: list[bytes] = []
    count = 0
    for chunk in chunks:
        if not isinstance(chunk, bytes):
            if len(chunk) < SHORT_RUN:  # as the bytes around it: one write, not three
                chunk = bytes(chunk)
            else:
                if held:
                    yield b"".join(held)
                    held, count = [], 0
                yield chunk
                continue
        held.append(chunk)
        count += len(chunk)
        if count >= size:
            yield b"".join(held)
            held, count = [], 0
    if held:
        yield b"".join(held)


# What copy_file_range raises where it cannot copy: an older kernel, another file
# system, a container whose seccomp profile forbids it (EPERM).
_NO_COPY_RANGE = {errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.EPERM}
_copy_file_range = getattr(os, "copy_file_range", None)  # Linux only: macOS has none


def _copied(run, handle: int) -> bool:
    """A run of the last build's file (incremental.Reused) appended to the open file
    `handle` by the kernel: through Python's buffers, the dump's 1.1 GB was a second
    of an edit at 100,000 documents. False when the kernel cannot (nothing copied);
    the caller then reads and writes the run, which also finds a source too short."""
    if _copy_file_range is None:
        return False
    source, offset, left = run.source.handle.fileno(), run.offset, run.length
    try:
        while left:
            copied = _copy_file_range(source, handle, left, offset)
            if copied == 0:
                if left == run.length:  # some file systems say so instead of failing
                    return False
                raise OSError(f"{run.source.path} is shorter than the last build wrote it")
            offset, left = offset + copied, left - copied
    except OSError as error:
        if error.errno in _NO_COPY_RANGE and left == run.length:
            return False
        raise
    return True


def _write_all(handle: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(handle, view):]


class Staging:
    """A folder that accepts each output path once (a second write is a bug)."""

    def __init__(self, root: Path):
        self.root = root
        self.written: set[PurePosixPath] = set()
        self._folders: set[str] = set()  # made, or known to exist
        self._links: queue.SimpleQueue | None = None  # of link_later, for the linker thread
        self._linker: threading.Thread | None = None
        self._link_error: BaseException | None = None

    def settle(self) -> None:
        """Wait for the links being made in the background; their errors no longer matter."""
        self._stop_linker()
        self._link_error = None

    def link_later(self, source: Path, relative: str) -> None:
        """link_from, by a thread of its own: the first edit after a clean build takes
        every unchanged file from build/, tens of thousands of system calls that the
        stages need not wait for. links_done() waits for them."""
        if self._linker is None:
            self._links = queue.SimpleQueue()
            self._linker = threading.Thread(target=self._link_queued, name="links", daemon=True)
            self._linker.start()
        self._links.put((source, relative))

    def links_done(self) -> None:
        """Wait for every link_later; raise what stopped one."""
        self._stop_linker()
        if self._link_error is not None:
            error, self._link_error = self._link_error, None
            raise error

    def _link_queued(self) -> None:
        while (job := self._links.get()) is not None:
            if self._link_error is None:
                try:
                    self.link_from(*job)
                except BaseException as error:  # raised where links_done is called
                    self._link_error = error

    def _stop_linker(self) -> None:
        if self._linker is not None:
            self._links.put(None)
            self._linker.join()
            self._linker = None

    def write(self, relative: PurePosixPath, data: bytes | str) -> None:
        target = self._new_file(relative)
        target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)

    def _new_file(self, relative: PurePosixPath) -> Path:
        if relative in self.written:
            raise RuntimeError(f"two pages would write {relative}")
        # Told by its parts, not by resolving the path: the staging folder holds no
        # links of its own, and a realpath a file was a second of a city-scale build.
        if relative.is_absolute() or ".." in relative.parts:
            raise RuntimeError(f"{relative} would be written outside the output folder")
        self.written.add(relative)
        target = self.root / relative
        self._make_folder(str(target.parent))
        # A new file, never the old inode: the staging folder may share it with build/.
        try:
            os.unlink(target)
        except FileNotFoundError:
            pass
        return target

    def write_chunks(self, relative: PurePosixPath, chunks, hashed: bool = True) -> str | None:
        """Write a file piece by piece (one too large to hold); returns its sha1 unless
        not `hashed` (incremental.Composed knows its own). The pieces (the dump's: one a
        record) are joined into blocks first, as hashing and writing each alone took
        more time than the bytes do; long runs of the last build's file are copied."""
        target = self._new_file(relative)
        digest = hashlib.sha1() if hashed else None
        handle = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        try:
            for block in _blocks(chunks, 1 << 20):
                if digest is None and not isinstance(block, bytes) and _copied(block, handle):
                    continue
                for part in (block,) if isinstance(block, bytes) else block.blocks():
                    if digest is not None:
                        digest.update(part)
                    _write_all(handle, part)
        finally:
            os.close(handle)
        return digest.hexdigest() if digest is not None else None

    def link_from(self, source: Path, relative: str) -> None:
        """Take an unchanged file from the current site (a hard link: no copy). A first
        edit after a clean build links every file: one system call each where it can."""
        target = os.path.join(self.root, relative)
        self._make_folder(os.path.dirname(target))
        origin = os.path.join(source, relative)
        for _ in range(2):
            try:
                os.link(origin, target)
                return
            except FileExistsError:  # never written into: it may share its inode with build/
                os.unlink(target)
            except OSError:  # another file system, or one without hard links
                break
        shutil.copyfile(origin, target)  # the target is gone: a new file

    def _make_folder(self, folder: str) -> None:
        if folder not in self._folders:
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)

    def remove(self, relative: str) -> None:
        try:
            os.unlink(self.root / relative)
        except FileNotFoundError:
            pass


@contextmanager
def build_lock(output: Path):
    """Refuse, with a reason, when another build of the same output is running. Once
    the build is done, failed or not, what it put aside (put_aside) is deleted."""
    output.parent.mkdir(parents=True, exist_ok=True)
    lock_path = output.parent / f".{output.name}.lock"
    with open(lock_path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildLocked(f"ett annat bygge av {output} pågår (låset {lock_path} är taget); "
                              "vänta tills det är klart") from None
        remove_stale_mirrors(output)
        try:
            yield
        finally:
            empty_trash(output)
            fcntl.flock(handle, fcntl.LOCK_UN)


def new_staging(output: Path) -> Staging:
    remove_leftovers(output)
    folder = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX + output.name + "-", dir=output.parent))
    return Staging(folder)


@contextmanager
def scratch_folder(output: Path):
    """A folder for a stage's temporary files, put aside afterwards (and after a kill,
    removed with the leftovers of the next build)."""
    folder = Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX + output.name + "-", dir=output.parent))
    try:
        yield folder
    finally:
        put_aside([folder], output, now=False)


# A file system in memory (tmpfs), where making and dropping files costs no journal.
MEMORY_ROOT = Path("/dev/shm")


@contextmanager
def memory_scratch(output: Path):
    """A scratch folder in memory for a stage that makes many small files only to
    drop most of them, or None where the system has no such folder. Creating a file
    on this machine's disk (ext4 with `discard`) took up to 0.8 ms at times: an edit's
    shard of 600 pages and Pagefind's 600 fragments then cost more than indexing them.
    Named for the output: a killed build's folder is removed by the next build,
    which holds the build lock."""
    if not (MEMORY_ROOT.is_dir() and os.access(MEMORY_ROOT, os.W_OK | os.X_OK)):
        yield None
        return
    prefix = "arkiv-" + hashlib.sha1(str(output.resolve()).encode()).hexdigest()[:16] + "-"
    for stale in MEMORY_ROOT.glob(prefix + "*"):
        shutil.rmtree(stale, ignore_errors=True)
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=MEMORY_ROOT))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def put_aside(folders: list[Path], output: Path, now: bool = True) -> None:
    """Move folders out of the way at once, into trash beside `output`, deleted by a
    process of its own that the build does not wait for: `now`, or else once the
    build is done (build_lock). (An edit's search index unlinked a shard's
    600 old files and its folder of pages, 0.15 s; an rm beside it made laying out
    the next shard's pages 0.2 to 0.3 s slower.)"""
    folders = [folder for folder in folders if folder.exists()]
    if not folders:
        return
    aside = Path(tempfile.mkdtemp(prefix=TRASH_PREFIX + output.name + "-", dir=output.parent))
    for number, folder in enumerate(folders):
        os.rename(folder, aside / str(number))
    if now:
        _remove_in_background(aside)


def empty_trash(output: Path) -> None:
    """Delete what builds put aside beside `output`, in the background."""
    for trash in made_beside(output, TRASH_PREFIX):
        _remove_in_background(trash)


def spare_folder(output: Path) -> Path:
    return output.parent / f".arkiv-spare-{output.name}"


def reuse_spare(output: Path) -> Staging:
    """The spare folder (the site before last) as staging, kept as it is."""
    remove_leftovers(output)
    folder = spare_folder(output)
    folder.mkdir(exist_ok=True)
    return Staging(folder)


def fresh_spare(output: Path, filled: Path | None = None) -> Staging:
    """An empty spare folder as staging: what a clean build writes into; or the folder
    `filled`, made the spare. What the spare held is moved aside at once, as trash
    deleted by a process of its own that the build does not wait for: after a clean
    build it is a whole old site (350,000 files at 100,000 documents, and the next
    edit spent 29 s of its 64 s waiting for their deletion). Trash still there when
    a build starts, its deletion stopped, is deleted again."""
    remove_leftovers(output)
    folder = spare_folder(output)
    staging = Staging(folder)
    put_aside([folder], output)
    if filled is not None:
        os.rename(filled, folder)
    else:
        folder.mkdir()
    return staging


MIRROR_PREFIX = ".arkiv-mirror-"


class Mirror:
    """A folder hard-linked from `source` (build/ by default) by `cp -al`, processes of
    their own, to become the spare folder. Of build/, while an edit loads, when the
    spare is far from build/: else the edit would link every unchanged file, 35,000
    at 10,000 documents, one system call at a time in this process. Of the staging
    folder, while a clean build indexes: then the spare the swap leaves is the new
    site, not the old one or nothing, and the first edit after a clean build starts
    from it (at 10,000 documents that edit waited 3.9 s for a mirror of build/,
    with the clean build's writes still going to the disk). `leaving_out`, a
    top-level entry of `source` not yet complete, is added later (add); `cp` goes
    by names, so a source is not renamed before wait()."""

    def __init__(self, output: Path, source: Path | None = None, leaving_out: str | None = None):
        self._output = output
        self.folder: Path | None = Path(tempfile.mkdtemp(prefix=MIRROR_PREFIX + output.name + "-",
                                                         dir=output.parent))
        self._copies: list[subprocess.Popen] = []
        self._failed = False
        source = source or output
        try:
            if leaving_out is None:
                self._copy([f"{source}/."])
            else:
                self._copy([os.path.join(source, name) for name in sorted(os.listdir(source))
                            if name != leaving_out])
        except BaseException:
            self.discard()
            raise

    def add(self, source: Path, name: str) -> None:
        """Mirror the entry `name` of `source` too (the one left out)."""
        if not self._failed and os.path.lexists(source / name):
            self._copy([str(source / name)])

    def _copy(self, entries: list[str]) -> None:
        if not entries:
            return
        try:
            self._copies.append(subprocess.Popen(["cp", "-al", "--", *entries, str(self.folder)],
                                                 stderr=subprocess.DEVNULL))
        except OSError:  # no cp here: the build links file by file instead
            self._failed = True

    def wait(self) -> None:
        """Wait for the copies started so far: before their source is renamed."""
        for copy in self._copies:
            copy.wait()

    def take(self) -> Staging | None:
        """The mirror as the spare folder, once complete; None when it could not be made."""
        self.wait()
        if self._failed or any(copy.returncode != 0 for copy in self._copies):
            self.discard()
            return None
        staging = fresh_spare(self._output, filled=self.folder)
        self.folder = None
        return staging

    def discard(self) -> None:
        """Stop making the mirror (of a build that failed) and delete it, if not taken."""
        for copy in self._copies:
            if copy.poll() is None:
                copy.kill()
                copy.wait()
        if self.folder is not None:
            put_aside([self.folder], self._output)
            self.folder = None


def remove_stale_mirrors(output: Path) -> None:
    """Mirrors of `output` left by a build that was stopped (a killed build's `cp` may
    even have completed one): deleted in the background, as the build lock is taken.
    Matched by mkdtemp's eight characters, not by a wildcard: the mirrors of an output
    named build-prod beside build are another build's."""
    put_aside(made_beside(output, MIRROR_PREFIX), output)


def _remove_in_background(folder: Path) -> None:
    """Start `rm -rf` of a folder, not waited for (a process of its own, not a thread:
    render forks its workers meanwhile); without rm here, delete it now. Two may
    delete the same folder: what one finds gone is not an error."""
    try:
        # Not holding the build's output open: a pipe reading it would wait for rm.
        subprocess.Popen(["rm", "-rf", "--", str(folder)], stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)


def prune_empty_folders(root: Path, removed: Iterable[str]) -> None:
    """Remove the folders that removing these files left empty. The rest of the tree
    was a whole site or is new, so it holds no empty folder: it is not walked (a
    city's site is tens of thousands of folders)."""
    for relative in removed:
        folder = (root / relative).parent
        while folder != root:
            try:
                os.rmdir(folder)  # only ever an empty one
            except OSError:
                break
            folder = folder.parent


def remove_leftovers(output: Path) -> None:
    """Staging folders of builds of `output` that were killed; safe under the build
    lock. Matched by name exactly: the staging folder of an output named build-prod
    beside build is another build's, which may be running."""
    swapped_out = output.with_name(STAGING_PREFIX + output.name + "-old")  # swap_in's
    for leftover in [*made_beside(output, STAGING_PREFIX), *made_beside(output, SCRATCH_PREFIX), swapped_out]:
        shutil.rmtree(leftover, ignore_errors=True)
    empty_trash(output)


def discard(staging: Staging) -> None:
    staging.settle()  # nothing may still be linking into it
    shutil.rmtree(staging.root, ignore_errors=True)


def swap_in(staging: Staging, output: Path) -> str | None:
    """Make the staging folder build/, atomically where the system allows.

    Returns what the staging folder's place holds afterwards: "previous", the site
    before (the next incremental build starts from it); "empty", when there was no site
    before; None when the previous site is gone.
    """
    staging.root.chmod(0o755)  # mkdtemp makes it private; the site is public
    if output.exists() and _exchange(staging.root, output):
        return "previous"
    if output.exists():
        previous = output.with_name(STAGING_PREFIX + output.name + "-old")
        os.rename(output, previous)
        os.rename(staging.root, output)
        shutil.rmtree(previous)
        return None
    os.rename(staging.root, output)
    staging.root.mkdir()
    return "empty"


def _exchange(a: Path, b: Path) -> bool:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0

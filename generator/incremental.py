"""What the last build knew, so the next one redoes only what changed.

The state lives beside the output (`.arkiv-state-<name>.pickle`) and holds each
page's dependencies (depend.py) with their digest, its output's hash, ids and links,
and the manifest (path -> hash) of build/ and of the spare folder the next build is
written into; its pages and the data files it made in pieces beside it (`.pages/`,
`.made/`), each piece saved again only when an entry in it changed. Each content
file's hash and parsed record are saved beside it (`.files/`, in pieces), as soon as
the content is read. Anything the
state cannot vouch for is rebuilt: a changed generator, template, asset or option
starts from nothing, and so does a state that cannot be read.
"""
from __future__ import annotations

import functools
import gc
import hashlib
import importlib.util
import os
import pickle
import shutil
import stat
import sys
import time
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .load import MAX_FILE_BYTES, RawRecord, shown_path

STATE_VERSION = 12
PROJECT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class FileEntry:
    record: RawRecord  # its `digest` is the hash of the bytes it was parsed from
    # Its validated record (validate.py), and the records it names: a reference is
    # checked to exist, and nothing else outside the file is read to validate it.
    model: Any = None
    references: frozenset = frozenset()  # (folder, id)

    def __reduce__(self):
        # With its model saved, a record's parsed front matter is read again only if
        # the record must be validated anew: saved as bytes, it is not unpickled
        # otherwise (a fifth less unpickling: 6.0 s of an edit at 100,000 documents
        # became 4.7 s, 0.48 s at 10,000 became 0.39 s).
        if self.model is None:
            return FileEntry, (self.record,)
        return FileEntry, (_PackedRecord.of(self.record), self.model, self.references)


class _PackedRecord(RawRecord):
    """A RawRecord whose `data` and `lines` are unpickled when first read."""

    @classmethod
    def of(cls, record: RawRecord) -> "_PackedRecord":
        if isinstance(record, _PackedRecord):
            return record
        return _packed_record({name: getattr(record, name) for name in _UNPACKED_FIELDS},
                              pickle.dumps((record.data, record.lines), protocol=pickle.HIGHEST_PROTOCOL))

    def __reduce__(self):
        return _packed_record, ({name: getattr(self, name) for name in _UNPACKED_FIELDS}, self.packed)

    @functools.cached_property
    def _unpacked(self) -> tuple[dict, dict]:
        return pickle.loads(self.packed)

    @property
    def data(self) -> dict:
        return self._unpacked[0]

    @property
    def lines(self) -> dict:
        return self._unpacked[1]


_UNPACKED_FIELDS = tuple(name for name in RawRecord.__dataclass_fields__ if name not in ("data", "lines"))


def _packed_record(fields: dict, packed: bytes) -> _PackedRecord:
    record = object.__new__(_PackedRecord)
    for name, value in fields.items():
        object.__setattr__(record, name, value)
    object.__setattr__(record, "packed", packed)
    return record


@dataclass(frozen=True)
class PageEntry:
    signature: tuple
    dependencies: frozenset
    digest: str | None  # of the dependencies' digests when the page was rendered (for_later)
    output: str  # relative output path
    hash: str  # of the output bytes
    ids: tuple[str, ...]
    links: tuple[str, ...]


@dataclass(frozen=True)
class FileMade:
    """A file made from the archive (depend.Deferred), as the last build made it."""

    dependencies: frozenset
    digest: str | None  # depend.Digests.for_later
    hash: str


@dataclass(frozen=True)
class Pieces:
    """Where each record's bytes lie in a file the last build wrote (the dump), and
    that file's identity then: its bytes are taken again only from that very file."""

    where: dict[str, tuple[int, int]]  # URL -> (offset, length)
    identity: tuple


def file_identity(path: Path | str) -> tuple:
    return _identity(os.stat(path))


def _identity(info: os.stat_result) -> tuple:
    return (info.st_ino, info.st_size, info.st_mtime_ns)


class OldPieces:
    """Pieces of a file of build/, by where the last build wrote them, to be copied
    into the new file as they are (Reused)."""

    def __init__(self, path: Path, pieces: Pieces | None):
        self.path = path
        self.pieces = pieces
        self.handle = None

    def span(self, key: str) -> "Reused | None":
        """Where the piece lies in the very file the last build wrote, or None."""
        where = self.pieces.where.get(key) if self.pieces is not None else None
        if where is None:
            return None
        if self.handle is None:
            try:
                self.handle = open(self.path, "rb")
                # The very file opened, not whatever the path names a moment later.
                if _identity(os.fstat(self.handle.fileno())) != self.pieces.identity:  # changed outside a build
                    self.pieces = None
                    return None
            except OSError:
                self.pieces = None
                return None
        return Reused(self, *where)

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()


@dataclass(frozen=True)
class Reused:
    """Bytes of the file the last build wrote (OldPieces), to be copied as they are:
    a run of unchanged records is one copy, not a read, a slice and a write each
    (at 100,000 documents the dump is 230,000 records, 1.1 GB)."""

    source: OldPieces
    offset: int
    length: int

    def __len__(self) -> int:
        return self.length

    def __bytes__(self) -> bytes:
        return b"".join(self.blocks())

    def blocks(self, size: int = 1 << 20):
        """The bytes, `size` at a time; OSError when the file is shorter than it was."""
        end = self.offset + self.length
        for at in range(self.offset, end, size):
            block = os.pread(self.source.handle.fileno(), min(size, end - at), at)
            if len(block) != min(size, end - at):
                raise OSError(f"{self.source.path} is shorter than the last build wrote it")
            yield block

    def follows(self, other: "Reused", gap: int) -> bool:
        """Whether these bytes come `gap` bytes after `other`'s in the same file."""
        return self.source is other.source and self.offset == other.offset + other.length + gap

    def through(self, later: "Reused") -> "Reused":
        """These bytes, what lies between, and `later`'s."""
        return Reused(self.source, self.offset, later.offset + later.length - self.offset)


@dataclass(frozen=True)
class Composed:
    """A file too large to hold, as its pieces (bytes, or Reused runs of the last
    build's file), and a digest of what they are made of, complete once every piece
    has been taken: a record by its JSON file's hash, other bytes as they are. The
    same digest, the same bytes; hashing the bytes themselves took 0.2 s of an edit at
    10,000 documents and more than a second at 100,000 (the dump: 1.1 GB)."""

    chunks: Any  # an iterator of bytes and Reused
    identity: Any  # a hashlib object, updated as the chunks are made

    def digest(self) -> str:
        return self.identity.hexdigest()


@dataclass
class State:
    code: str
    pages: dict[str, PageEntry] = field(default_factory=dict)
    current: dict[str, str] = field(default_factory=dict)  # build/: path -> hash
    spare: dict[str, str] | None = None  # the spare folder, None when unknown
    shards: dict = field(default_factory=dict)  # the search index's shards (index.Shard)
    made: dict[str, FileMade] = field(default_factory=dict)  # output path -> file made
    dump: Pieces | None = None  # the records in build/'s dump
    snapshot: Any = None  # depend.Snapshot: the records and derived values it was built from
    # Each of IN_PIECES as its pieces were saved: the SHA-1 of each piece's bytes.
    pieces: dict[str, tuple] = field(default_factory=dict)
    version: int = STATE_VERSION


# The state's two largest parts, saved in pieces beside it (in_pieces_path) as the parsed
# files are: an edit pickles again only the pieces with an entry changed. At 100,000
# documents the pages alone were 145 MB of pickle, 1.9 s of every edit.
IN_PIECES = ("pages", "made")


def state_path(output: Path) -> Path:
    return output.parent / f".arkiv-state-{output.name}.pickle"


def files_path(output: Path) -> Path:
    return output.parent / f".arkiv-state-{output.name}.files"


def in_pieces_path(output: Path, part: str) -> Path:
    return output.parent / f".arkiv-state-{output.name}.{part}"


def compiled_templates(output: Path, code: str) -> Path:
    """The folder, made, of the templates as this code compiles them
    (render.environment), those of other code removed. Jinja checks a compiled
    template against its source only, not against the environment and filters it
    was compiled with."""
    root = output.parent / f".arkiv-state-{output.name}.templates"
    folder = root / code
    if root.is_dir():
        for entry in root.iterdir():
            if entry != folder:
                shutil.rmtree(entry, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# The parsed files are saved in this many pieces, a file's piece fixed by its path: an
# edit saves again the one piece that holds it, not the whole (87 MB at 10,000 documents).
FILE_PIECES = 64


def piece_of(shown: str) -> int:
    return zlib.crc32(shown.encode()) % FILE_PIECES


class Memory:
    """What a process that builds again and again (arkiv serve) saved to the state's
    files or read from them, taken again instead of unpickled while the file is the
    very one it saved or read: an edit's rebuild at 10,000 documents spent 0.7 s
    unpickling what the same process had just pickled. A file written since by any
    build has another identity (written atomically, it is a new inode). What is kept
    here is not changed afterwards: a changed state is a new object (replace)."""

    def __init__(self):
        self._kept: dict[Path, tuple[tuple, Any]] = {}

    def recall(self, path: Path) -> Any:
        """The object kept for `path`, or _UNKNOWN when the file is not the one kept."""
        kept = self._kept.get(path)
        try:
            return kept[1] if kept is not None and kept[0] == file_identity(path) else _UNKNOWN
        except OSError:
            return _UNKNOWN

    def clear(self) -> None:
        self._kept.clear()

    def keep(self, path: Path, value: Any) -> None:
        try:
            self._kept[path] = (file_identity(path), value)
        except OSError:
            self._kept.pop(path, None)


_UNKNOWN = object()
# What reading a pickle of another version or a damaged file may raise.
_UNREADABLE = (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError)


def remember(output: Path, memory: Memory) -> None:
    """Read the state and the parsed files into `memory` ahead of the next build: a
    build that changed nothing (as the first of arkiv serve often is) read neither."""
    pieces = [_piece_file(files_path(output), piece) for piece in range(FILE_PIECES)]
    with no_cycle_collection():
        for path in [state_path(output), *pieces]:
            try:
                _load_pickle(path, memory)
            except _UNREADABLE:
                pass  # the build reads it, and finds what is wrong
        _whole_state(output, memory)


def _load_pickle(path: Path, memory: Memory | None) -> Any:
    """Unpickle the file at `path` (raising what reading and unpickling raise), or take
    what `memory` holds of that very file."""
    if memory is not None:
        value = memory.recall(path)
        if value is not _UNKNOWN:
            return value
    with open(path, "rb") as handle:
        value = pickle.load(handle)
    if memory is not None:
        memory.keep(path, value)
    return value


def _save_pickle(path: Path, data: bytes, value: Any, memory: Memory | None) -> None:
    """Write `data` atomically to `path`: a pickle that unpickles as `value`."""
    _write_atomically(path, data)
    if memory is not None:
        memory.keep(path, value)


def save_files(output: Path, code: str, entries: dict[str, FileEntry], pieces: set[int],
               memory: Memory | None = None) -> None:
    """The parsed content files of the given pieces, saved apart from the state and as
    soon as they are read: the build then lets go of them (at city scale over a
    gigabyte) before the search index runs. Entries carry the hash they were parsed from, so
    they hold whatever becomes of the build."""
    folder = files_path(output)
    if not folder.is_dir():
        folder.unlink(missing_ok=True)  # a single file, as builds before pieces saved it
        folder.mkdir()
    for piece, held in _grouped_by_piece(entries, pieces).items():
        saved = (STATE_VERSION, code, held)
        _save_pickle(_piece_file(folder, piece), pickle.dumps(saved, protocol=pickle.HIGHEST_PROTOCOL),
                     saved, memory)


def _piece_file(folder: Path, piece: int) -> Path:
    return folder / f"{piece:02d}.pickle"


def load_files(output: Path, code: str, memory: Memory | None = None) -> dict[str, FileEntry] | None:
    """The parsed files of every piece that is readable and of this code."""
    folder = files_path(output)
    if not folder.is_dir():
        return None
    entries: dict[str, FileEntry] = {}
    with no_cycle_collection():
        for piece in range(FILE_PIECES):
            try:
                version, old_code, held = _load_pickle(_piece_file(folder, piece), memory)
            except _UNREADABLE:
                continue
            if (version, old_code) == (STATE_VERSION, code):
                entries.update(held)
    return entries


@contextmanager
def no_cycle_collection():
    """For building millions of objects and no cycles (unpickling a state, loading an
    archive): Python's cycle collector would scan the growing heap again and again.
    What was built is then frozen, kept out of later collections (build.build thaws
    it): else the first allocation after would start a full collection, 0.4 s of an
    edit's build at 10,000 documents, and forked workers would copy the pages that
    collections touch."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def flux_path(output: Path) -> Path:
    return output.parent / f".arkiv-spare-{output.name}.in-flux"


def load_state(output: Path, code: str, memory: Memory | None = None) -> State | None:
    if flux_path(output).exists():
        # A build stopped between touching the spare folder and saving the state: it
        # may even have swapped build/ already. Nothing in the state can be vouched for.
        return None
    with no_cycle_collection():
        state = _whole_state(output, memory)
    if state is None or state.code != code:
        return None
    return state if _holds_every_file(output, state.current) else None


def _whole_state(output: Path, memory: Memory | None) -> State | None:
    """The state with the parts saved in pieces read back into it, None when it cannot
    be read or a piece does not hold the bytes it saved (a piece of another build, put
    back). A copied folder is read as it was. (_load_pickle: the state file as read
    just now, or held by `memory`, which then holds the whole.)"""
    path = state_path(output)
    try:
        state = _load_pickle(path, memory)
    except _UNREADABLE:
        return None
    if not isinstance(state, State) or getattr(state, "version", None) != STATE_VERSION:
        return None
    if all(getattr(state, part) is not None for part in IN_PIECES):
        return state  # whole already: as this process saved it
    parts = {}
    for part in IN_PIECES:
        parts[part] = _read_pieces(in_pieces_path(output, part), state.pieces.get(part))
        if parts[part] is None:
            return None
    whole = replace(state, **parts)
    if memory is not None and memory.recall(path) is state:
        memory.keep(path, whole)
    return whole


def _read_pieces(folder: Path, digests: tuple | None) -> dict | None:
    if digests is None or len(digests) != FILE_PIECES:
        return None
    whole: dict = {}
    for piece, digest in enumerate(digests):
        try:
            data = _piece_file(folder, piece).read_bytes()
            if hashlib.sha1(data).hexdigest() != digest:
                return None
            whole.update(pickle.loads(data))
        except _UNREADABLE:
            return None
    return whole


def _holds_every_file(output: Path, manifest: dict[str, str]) -> bool:
    """Whether build/ still holds every file the state lists: someone may have deleted
    build/ or a part of it, and a build trusting the state would take files from it,
    and then make it the spare folder, as if whole. (0.1 s at 10,000 documents.)"""
    try:
        folder = os.open(output, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return False
    try:
        for relative in manifest:
            os.stat(relative, dir_fd=folder, follow_symlinks=False)
    except OSError:
        return False
    finally:
        os.close(folder)
    return True


def spare_in_flux(output: Path) -> None:
    """Mark the state as no longer vouching for the output folders, until save_state.

    A marker file rather than the whole state saved again: at city scale the state
    is hundreds of megabytes."""
    flux_path(output).touch()


def save_state(output: Path, state: State, inputs: dict[str, str] | None = None,
               pages_ahead: dict[int, bytes] | None = None, memory: Memory | None = None,
               last: State | None = None) -> None:
    """Save the state; with `inputs` (content file -> hash), build/ was built from them,
    which the summary a no-op build reads then says. Without, the summary stands.
    `last` is the state as the last build saved it: only the pieces (IN_PIECES) that
    hold an entry other than its are saved again. `pages_ahead` is pickle_ahead's."""
    digests = {part: _saved_pieces(in_pieces_path(output, part), getattr(state, part), last, part,
                                   pages_ahead if part == "pages" else None)
                  for part in IN_PIECES}
    state = replace(state, pieces=digests)
    saved = replace(state, **{part: None for part in IN_PIECES})
    _save_pickle(state_path(output), pickle.dumps(saved, protocol=pickle.HIGHEST_PROTOCOL), state, memory)
    if inputs is not None:
        _write_atomically(summary_path(output), pickle.dumps(_summary(state.code, inputs, len(state.pages),
                                                                      file_identity(output))))
    flux_path(output).unlink(missing_ok=True)


def pickle_ahead(pages: dict[str, PageEntry], last: State | None) -> dict[int, bytes]:
    """The pieces of the state's pages that save_state will save, pickled while the
    build still waits for the search index: off the build's end."""
    return _pickled_pieces(pages, last, "pages")


def _pickled_pieces(entries: dict, last: State | None, part: str) -> dict[int, bytes]:
    return {piece: pickle.dumps(held, protocol=pickle.HIGHEST_PROTOCOL)
            for piece, held in _changed_pieces(entries, last, part).items()}


def _changed_pieces(entries: dict, last: State | None, part: str) -> dict[int, dict]:
    """The pieces of `entries` that hold an entry other than `last`'s, or lost one; all
    of them without a last state (its entries are the very objects a build keeps)."""
    before = getattr(last, part) if _saved_digests(last, part) is not None else None
    if before is None:
        changed = set(range(FILE_PIECES))
    else:
        changed = {piece_of(key) for key, entry in entries.items() if before.get(key) is not entry}
        changed.update(piece_of(key) for key in before.keys() - entries.keys())
    return _grouped_by_piece(entries, changed)


def _grouped_by_piece(entries: dict, pieces: set[int]) -> dict[int, dict]:
    """The entries of each of these pieces (piece_of their key), a piece with none empty."""
    grouped: dict[int, dict] = {piece: {} for piece in pieces}
    for key, entry in entries.items():
        held = grouped.get(piece_of(key))
        if held is not None:
            held[key] = entry
    return grouped


def _saved_digests(last: State | None, part: str) -> tuple | None:
    """The digests of the pieces of `part` as the last state saved them, if it did."""
    return last.pieces.get(part) if last is not None else None


def _saved_pieces(folder: Path, entries: dict, last: State | None, part: str,
                  ahead: dict[int, bytes] | None) -> tuple:
    """Save the changed pieces of `entries`; every piece's digest."""
    if ahead is None:
        ahead = _pickled_pieces(entries, last, part)
    digests = list(_saved_digests(last, part) or [None] * FILE_PIECES)
    folder.mkdir(exist_ok=True)
    for piece, data in ahead.items():
        _write_atomically(_piece_file(folder, piece), data)
        digests[piece] = hashlib.sha1(data).hexdigest()
    return tuple(digests)


def _write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def summary_path(output: Path) -> Path:
    return output.parent / f".arkiv-state-{output.name}.summary"


def _summary(code: str, inputs: dict[str, str], pages: int, folder: tuple) -> tuple:
    """`folder` is build/'s file_identity: another folder in its place, or an entry of it
    removed or added (rm -rf build/*), changes it. What lies deeper load_state checks."""
    return (STATE_VERSION, code, hashlib.sha1(repr(sorted(inputs.items())).encode()).hexdigest(), pages,
            folder)


def unchanged_pages(output: Path, code: str, inputs: dict[str, str]) -> int | None:
    """The number of pages, when the last build was of exactly these inputs and this
    code, into this very build/: a no-op build reads a few bytes instead of the whole
    state."""
    if flux_path(output).exists() or not output.is_dir():
        return None
    try:
        saved = pickle.loads(summary_path(output).read_bytes())
        pages = saved[3]
        now = _summary(code, inputs, pages, file_identity(output))
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError,
            IndexError):
        return None
    return pages if now == saved else None


# The libraries whose code shapes the pages, the data files and the index (importable
# names). Upgrading one must redo what the last build made with it, as an edit of
# generator/ does: the names of the installed distributions beside them are part of
# the code (any upgrade there counts, as the folder cannot say whose is whose).
OUTPUT_LIBRARIES = ("jinja2", "markupsafe", "markdown_it", "mdurl", "orjson", "yaml", "slugify",
                    "text_unidecode", "pagefind_bin")


def installed_libraries() -> list[str]:
    """The distributions (name-version.dist-info) in the folders OUTPUT_LIBRARIES are
    installed in, and Python's version."""
    folders = set()
    for name in OUTPUT_LIBRARIES:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        if spec is not None and spec.origin:
            # A package's origin is its __init__; a single module's, itself.
            folders.add(Path(spec.origin).parent.parent if spec.submodule_search_locations
                        else Path(spec.origin).parent)
    found = [sys.version]
    for folder in sorted(folders):
        try:
            found.extend(sorted(name for name in os.listdir(folder) if name.endswith((".dist-info", ".egg-info"))))
        except OSError:
            found.append(f"{folder}: unreadable")
    return found


def code_fingerprint(*options: object) -> str:
    """The generator, its templates and assets, the libraries they use, and the
    build's options."""
    digest = hashlib.sha1(repr((options, installed_libraries())).encode())
    for folder in ("generator", "templates", "assets"):
        for path in sorted((PROJECT / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(PROJECT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class ContentScan:
    """Every content file's hash, and what the files' times could not vouch for."""

    hashes: dict[str, str]
    taken_at: int  # time.time_ns() as the walk began
    young: int  # files whose times were then under RACY_NS old (not ahead): trusted once saved aged


def scan_content(content: Path, output: Path | None = None) -> ContentScan:
    """Every file under content/ and the hash of its bytes: what a no-op build compares.

    Hashes, not modification times: two edits within one clock tick, or a file
    restored from git with an old time, must still count as changes. A file is read
    again unless its inode, size, mode, modification and change times are all as
    when it was last hashed for `output`, and those times were then already
    RACY_NS old: a file written in the same tick as that hashing is read again, as
    git does with its index. The change time cannot be set back, as the
    modification time can (tar, rsync -t). The times are saved again only once
    STATS_SAVED_FROM files old enough to be vouched for next time were hashed anew:
    they are only a cache, and at 100,000 documents saving them took some 0.5 s of
    every edit, for one file's hash.
    """
    known, taken_at = _load_stats(output) if output is not None else ({}, 0)
    now = time.time_ns()
    result, stats, hashed, young, ahead = {}, {}, 0, 0, 0
    for dirpath, dirnames, filenames in os.walk(content):
        dirnames.sort()
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            try:
                info = os.lstat(path)
            except OSError:
                result[path] = input_hash(path)
                continue
            key = (info.st_ino, info.st_size, info.st_mode, info.st_mtime_ns, info.st_ctime_ns)
            newest = max(key[3], key[4])
            young += now - RACY_NS <= newest <= now
            ahead += newest > now  # from a clock ahead of this one: untrusted until it has passed
            old = known.get(path)
            if old is not None and old[0] == key and newest < taken_at - RACY_NS:
                result[path] = old[1]
            else:
                result[path] = input_hash(path)
                hashed += 1
            stats[path] = (key, result[path])
    # Young files are hashed at every build until a save after they have aged: with
    # "stats != known" as the rule, files hashed again only for their age (the same
    # times, the same hash) were never saved, and a build begun just after a checkout
    # left every later build to read them all again.
    if output is not None and (hashed - young - ahead >= STATS_SAVED_FROM or not known):
        _save_stats(output, stats, now)
    return ContentScan(result, now, young)


def settle_content_times(content: Path, output: Path, scan: ContentScan) -> None:
    """Hash again the files too young to be vouched for as the build began, and save
    their times, once they are old enough: a build begun within seconds of a checkout
    or a copy otherwise leaves every file to be read by the next no-op (in the
    benchmark, which copies the content just before, 1.02 s at 10,000 documents
    against 0.14 s). The build calls it while it waits for the index; the hashes are
    only a cache, so a file changed meanwhile is simply seen as changed next time."""
    if scan.young >= STATS_SAVED_FROM and time.time_ns() - scan.taken_at >= RACY_NS:
        scan_content(content, output)


RACY_NS = 2_000_000_000  # the coarsest file times in use (FAT's two seconds)
# Files hashed again at every build until the times are saved: some milliseconds.
STATS_SAVED_FROM = 64


def stats_path(output: Path) -> Path:
    return output.parent / f".arkiv-state-{output.name}.stats"


def _load_stats(output: Path) -> tuple[dict, int]:
    try:
        version, taken_at, stats = pickle.loads(stats_path(output).read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError):
        return {}, 0
    return (stats, taken_at) if version == STATE_VERSION else ({}, 0)


def _save_stats(output: Path, stats: dict, taken_at: int) -> None:
    try:
        _write_atomically(stats_path(output), pickle.dumps((STATE_VERSION, taken_at, stats),
                                                           protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:  # only a cache: the next build hashes every file again
        pass


def input_hash(path: str) -> str:
    """One content file's entry in scan_content."""
    try:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
            # A link (to /dev/zero?), a pipe (open() would wait for a writer), a file too
            # large: load.py reports it without reading, and so do we.
            return f"not read: {info.st_mode} {info.st_size} {info.st_mtime_ns}"
        with open(path, "rb") as handle:
            return hashlib.sha1(handle.read(MAX_FILE_BYTES + 1)).hexdigest()
    except OSError:  # gone since the walk, or not readable: load.py reports it
        return "unreadable"


class FileCache:
    """Reads content files, reusing the parsed record of any file whose bytes are unchanged."""

    def __init__(self, previous: dict[str, FileEntry] | None, hashes: dict[str, str]):
        self.previous = previous or {}
        self.hashes_by_path = hashes
        self.entries: dict[str, FileEntry] = {}
        self.parsed: dict[str, str] = {}  # path -> hash of the bytes parsed

    def cached(self, root: Path, path: str) -> RawRecord | None:
        """The record of a file read before whose bytes are unchanged, or None."""
        shown = shown_path(root, path)
        digest = self.hashes_by_path.get(path)
        old = self.previous.get(shown)
        if old is not None and digest is not None and old.record.digest == digest:
            self.entries[shown] = old
            return old.record
        return None

    def store(self, root: Path, path: str, record: RawRecord) -> None:
        # The hash of the bytes parsed, not of those hashed before: a file saved in
        # between must not be cached, nor recorded as built, under its old hash.
        self.entries[shown_path(root, path)] = FileEntry(record)
        self.parsed[path] = record.digest

    def changed_records(self, root: Path) -> set[tuple[str, str]] | None:
        """The records (folder, id) of the files read before whose bytes have changed
        or which are gone, before any is read; None when no file was read before."""
        if not self.previous:
            return None
        prefix, cut = f"{root}/", len(root.name) + 1  # shown_path the other way
        return {(entry.record.folder, entry.record.id) for shown, entry in self.previous.items()
                if self.hashes_by_path.get(prefix + shown[cut:]) != entry.record.digest}

    def inputs_as_read(self) -> dict[str, str]:
        """The content's hashes as the build read the files (scan_content's otherwise)."""
        return {**self.hashes_by_path, **self.parsed}

    def changed_pieces(self) -> set[int]:
        """The pieces (piece_of) holding a file parsed anew, or one no longer there."""
        changed = {piece_of(shown) for shown, entry in self.entries.items()
                   if self.previous.get(shown) is not entry}
        changed.update(piece_of(shown) for shown in self.previous.keys() - self.entries.keys())
        return changed

    def model(self, record: RawRecord, ids: dict[str, set[str]]):
        """The validated record of an unchanged file, while every record it names exists."""
        entry = self.entries.get(record.path)
        if entry is not None and entry.record is record and entry.model is not None and \
                all(name in ids[folder] for folder, name in entry.references):
            return entry.model
        return None

    def keep_model(self, record: RawRecord, model, references: frozenset) -> None:
        entry = self.entries.get(record.path)
        if entry is not None and entry.record is record:
            self.entries[record.path] = FileEntry(record, model, references)

    def record_digests(self) -> dict[str, tuple[str, str]]:
        """Each file's digests of its front matter and of its body (depend.Digests)."""
        return {shown: (entry.record.head_digest, entry.record.body_digest)
                for shown, entry in self.entries.items()}

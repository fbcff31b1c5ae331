"""What each output reads, so an incremental build redoes exactly what an edit affects.

Before rendering, the archive's collections and back-link views are wrapped in
place: every lookup notes a key in the current output's dependency set
(("get", collection, id) or ("all", collection)). After an edit, an output is
unchanged when the digest of every dependency it noted is unchanged; those digests
come from the content files' own hashes, so the check needs no rendering at all.

A record's digest is that of its front matter: its text (the Markdown body) is a
dependency of its own, ("body", collection, id), noted by whoever reads it (the
record's own page and data file through note_record, a motion's excerpt through
note_body), so a page that lists a decision keeps when only its text is edited.

The views (link.py) are made from the records' front matter alone. So when no
record's front matter changed and no record came or went, the views are as they
were, and an output is unchanged when none of the few dependencies that did change
(the edited texts, a derived value) is among its own: no digest of the archive's
views is computed at all (Digests.changed).
A hypothesis test compares incremental with clean builds byte for byte.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
from datetime import date
from collections.abc import Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

from .link import Archive
from .models import (Board, Decision, Document, Meeting, Motion, Party, Person, Program, Record,
                     Source, Topic)

Dependency = tuple  # ("get", name, key), ("all", name), ("body", name, key) or ("derived", name)

_current: set | None = None

COLLECTION_OF = {Source: "sources", Party: "parties", Board: "boards", Person: "persons",
                 Topic: "topics", Program: "programs", Meeting: "meetings", Motion: "motions",
                 Document: "documents", Decision: "decisions"}
COLLECTIONS = tuple(COLLECTION_OF.values())


@dataclass(frozen=True)
class Deferred:
    """A file made on demand from the archive, about `record` when it has one: an
    incremental build reuses it while all it read as it was made is unchanged. `make`
    gives its bytes, or pieces of them when the file is too large to hold."""

    make: Callable[[], bytes | Iterable[bytes]]
    record: Record | None = None


def derived(name: str, compute: Callable[[], Any]) -> Callable[[], Any]:
    """A value derived from much of the archive (the feeds' newest date), computed once.
    Who reads it depends on the value, ("derived", name), not on everything it is
    derived from: Digests computes it anew (its `derived` functions) to compare."""
    value: list = []

    def read() -> Any:
        _note(("derived", name))
        if not value:
            with recording():  # what computing it reads is not the reader's dependency
                value.append(compute())
        return value[0]
    return read


def _note(dependency: Dependency) -> None:
    if _current is not None:
        _current.add(dependency)


def note_record(record: Record) -> None:
    """What a page or file is about is read whether or not it is looked up, its text too."""
    _note(("get", COLLECTION_OF[type(record)], record.id))
    note_body(record)


def note_body(record: Record) -> None:
    """The record's body is read: who reads a record's text beside its own page must say so."""
    _note(("body", COLLECTION_OF[type(record)], record.id))


@contextmanager
def recording() -> Iterator[set]:
    """Collect the dependencies of what is produced inside the block."""
    global _current
    previous, _current = _current, set()
    try:
        yield _current
    finally:
        _current = previous


class TrackedMapping(Mapping):
    __slots__ = ("name", "data")

    def __init__(self, name: str, data: dict):
        self.name = name
        self.data = data

    def __getitem__(self, key):
        _note(("get", self.name, key))
        return self.data[key]

    def get(self, key, default=None):
        _note(("get", self.name, key))
        return self.data.get(key, default)

    def __contains__(self, key) -> bool:
        _note(("get", self.name, key))
        return key in self.data

    def __iter__(self):
        _note(("all", self.name))
        return iter(self.data)

    def __len__(self) -> int:
        _note(("all", self.name))
        return len(self.data)

    def keys(self):
        _note(("all", self.name))
        return self.data.keys()

    def values(self):
        _note(("all", self.name))
        return self.data.values()

    def items(self):
        _note(("all", self.name))
        return self.data.items()


class TrackedSequence(Sequence):
    __slots__ = ("name", "data")

    def __init__(self, name: str, data: list):
        self.name = name
        self.data = data

    def __getitem__(self, index):
        _note(("all", self.name))
        return self.data[index]

    def __iter__(self):
        _note(("all", self.name))
        return iter(self.data)

    def __len__(self) -> int:
        _note(("all", self.name))
        return len(self.data)


def track(archive: Archive) -> None:
    """Wrap the archive's collections and views in place (the archive is built once)."""
    for name in COLLECTIONS:
        setattr(archive, name, TrackedMapping(name, getattr(archive, name)))
    views = archive.views
    for field in dataclasses.fields(views):
        value = getattr(views, field.name)
        name = "views." + field.name
        if isinstance(value, dict):
            setattr(views, field.name, TrackedMapping(name, value))
        elif isinstance(value, list):
            setattr(views, field.name, TrackedSequence(name, value))


@dataclass(frozen=True)
class Snapshot:
    """What the build knew of the archive's records and derived values, for the next."""

    records: dict  # (collection, id) -> (front matter digest, body digest)
    derived: dict  # name -> digest


class Digests:
    """Digests of dependencies in one archive; a record's digest is its front matter's,
    its body's a dependency of its own (`record_digests`: file -> (front matter, body))."""

    def __init__(self, archive: Archive, record_digests: dict[str, tuple[str, str]],
                 derived: Mapping[str, Callable[[Archive], Any]] | None = None,
                 previous: Snapshot | None = None):
        self.archive = archive
        self.derived = derived or {}
        self.record_digests = record_digests
        self.memo: dict[Any, str] = {}
        self.values: dict[int, tuple[Any, str]] = {}  # id -> (the value, kept alive; digest)
        self.lines: dict[Dependency, str] = {}
        self.canonical: dict[Dependency, Dependency] = {}
        self._owners: dict[int, tuple[Any, str]] | None = None
        self.now = self._snapshot()
        self.changed = self._changed_since(previous)

    def unchanged(self, dependencies, digest: str | None) -> bool:
        """Whether all these dependencies, of that digest then, are as they were. A
        digest of None was not made (for_later): the file is made again."""
        if self.changed is not None:
            return self.changed.isdisjoint(dependencies)
        return digest is not None and self.of_all(dependencies) == digest

    def for_later(self, dependencies) -> str | None:
        """The digest a later build compares, in `unchanged`; None when this build knows
        what changed without digests. Digesting a page that reads a view of statements
        digests every record (0.3 s of an edit at 10,000 documents), and a later build
        that needs a digest not made makes that file again instead."""
        return None if self.changed is not None else self.of_all(dependencies)

    def _snapshot(self) -> Snapshot:
        records = {(name, key): self._digests_of(record)
                   for name in COLLECTIONS for key, record in self._container(name).items()}
        return Snapshot(records, {name: self.of(("derived", name)) for name in self.derived})

    def _changed_since(self, previous: Snapshot | None) -> frozenset | None:
        """The dependencies that changed, when only texts and derived values did; None
        when some front matter changed or records came or went (every digest then)."""
        if previous is None or previous.records.keys() != self.now.records.keys():
            return None
        changed = set()
        for key, (head, body) in self.now.records.items():
            old_head, old_body = previous.records[key]
            if head != old_head:
                return None
            if body != old_body:
                changed.add(("body",) + key)
        changed.update(("derived", name) for name, digest in self.now.derived.items()
                       if previous.derived.get(name) != digest)
        return frozenset(changed)

    def shared(self, dependencies) -> frozenset:
        """The same dependencies, each one object however many files read it: at city
        scale 100,000 data files each keep their own set until the state is saved."""
        canonical = self.canonical
        return frozenset(canonical.setdefault(d, d) for d in dependencies)

    def of(self, dependency: Dependency) -> str:
        if dependency not in self.memo:
            self.memo[dependency] = self._compute(dependency)
        return self.memo[dependency]

    def of_all(self, dependencies) -> str:
        lines = self.lines
        parts = []
        for dependency in dependencies:
            line = lines.get(dependency)
            if line is None:  # each dependency's line is made once, shared by every page
                line = lines[dependency] = f"{dependency!r}={self.of(dependency)}"
            parts.append(line)
        parts.sort()
        return hashlib.sha1("\n".join(parts).encode()).hexdigest()

    def _container(self, name: str):
        if name.startswith("views."):
            return getattr(self.archive.views, name[6:]).data
        return getattr(self.archive, name).data

    def _compute(self, dependency: Dependency) -> str:
        kind, name = dependency[0], dependency[1]
        if kind == "derived":
            compute = self.derived.get(name)
            return "missing" if compute is None else repr(compute(self.archive))
        container = self._container(name)
        if kind in ("get", "body"):
            key = dependency[2]
            try:
                value = container.get(key, _MISSING) if isinstance(container, dict) else _MISSING
            except TypeError:  # an unhashable key asked for: it is in no dict
                value = _MISSING
            if value is _MISSING:
                return "missing"
            return self.value(value) if kind == "get" else self._digests_of(value)[1]
        if isinstance(container, dict):
            items = [(repr(k), self.value(v)) for k, v in container.items()]
        else:
            items = [self.value(v) for v in container]
        return hashlib.sha1(repr(items).encode()).hexdigest()

    def value(self, value: Any) -> str:
        """A digest of a view value: records by their file hash, the rest by content."""
        if type(value) in _PLAIN:
            return repr(value)
        key = id(value)
        cached = self.values.get(key)
        if cached is not None and cached[0] is value:
            return cached[1]
        if isinstance(value, Record):
            result = self._record_digest(value)
        else:
            result = self._part_of(value) or self._composite(value)
        self.values[key] = (value, result)
        return result

    def _composite(self, value: Any) -> str:
        names = _field_names(type(value))
        if names is not None:
            parts = [self.value(getattr(value, name)) for name in names]
        elif isinstance(value, (list, tuple)):
            parts = [self.value(v) for v in value]
        elif isinstance(value, dict):
            parts = sorted((repr(k), self.value(v)) for k, v in value.items())
        else:
            return repr(value)
        return hashlib.sha1(repr(parts).encode()).hexdigest()

    def _record_digest(self, record: Record) -> str:
        return f"{type(record).__name__}:{record.id}:{self._digests_of(record)[0]}"

    def _digests_of(self, record: Record) -> tuple[str, str]:
        return self.record_digests.get(record.origin.path, ("?", "?"))

    def _part_of(self, value: Any) -> str | None:
        """A record's statement, signatory, author ... is digested as its place in the
        record: the record's file fixes its content. Views list statements by the
        thousand, and digesting their text again on every build was most of the plan."""
        if self._owners is None:
            self._owners = {}
            for name in COLLECTIONS:
                for record in self._container(name).values():
                    self._note_parts(record)
        owner = self._owners.get(id(value))
        return owner[1] if owner is not None and owner[0] is value else None

    def _note_parts(self, record: Record) -> None:
        digest = self._record_digest(record)
        for name in _field_names(type(record)):
            value = getattr(record, name)
            if isinstance(value, tuple):
                for number, part in enumerate(value):
                    if _field_names(type(part)) is not None:
                        self._owners[id(part)] = (part, f"{digest}:{name}[{number}]")


@functools.cache
def _field_names(cls: type) -> tuple[str, ...] | None:
    """A dataclass's field names (None for other types), asked for once per type."""
    return tuple(f.name for f in dataclasses.fields(cls)) if dataclasses.is_dataclass(cls) else None


_MISSING = object()
_PLAIN = frozenset({str, int, float, bool, type(None), date})

"""Content files to raw records: YAML values with the line each value stands on.

Reading is strict where YAML is lax: duplicate keys, aliases, tabs, a missing closing
`---` and files that are not UTF-8 are problems, each with its file and line. Nothing
here knows field names; `validate` checks the values against the schema.
"""
from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .problems import Problems
from .schema import KINDS, KNOWN_FILES

MAX_FILE_BYTES = 2 * 1024 * 1024
# The schema nests four deep; libyaml's composer recurses and crashes the process
# (SIGSEGV) on a file of 100 000 '[', so depth is checked on the flat event stream first.
MAX_DEPTH = 16
# C0 and C1 control characters other than tab and line ends: a browser shows them as
# garbage and an HTML validator rejects them (pdftotext leaves form feeds between pages).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

try:  # the C parser is several times faster; both give the same nodes
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

_constructor = yaml.constructor.SafeConstructor()

KeyPath = tuple[Any, ...]

# What plain YAML resolves to by itself; an explicit other tag (!!binary, !!set,
# !!python/...) asks for a type no field has.
_PLAIN_TAGS = frozenset("tag:yaml.org,2002:" + name for name in
                        ("str", "int", "float", "bool", "null", "timestamp", "seq", "map"))

# Stands for a value already reported (an alias, an unreadable value), so validation
# does not report it again.
_ALIAS = object()
ALREADY_REPORTED = _ALIAS


@dataclass(frozen=True)
class RawRecord:
    folder: str
    id: str
    path: str  # relative to the content root's parent, as messages show it
    data: dict
    lines: dict  # KeyPath -> line of that value (1-based)
    body: str
    body_line: int
    digest: str = ""  # sha1 of the bytes parsed: the build's digests are of what it read
    # sha1 of the front matter and of the body apart: a page that reads a record but
    # not its text (a party's page listing a decision) need not change with its text.
    head_digest: str = ""
    body_digest: str = ""

    def line(self, *keys: Any) -> int:
        """The line of the value at keys, or of its nearest parent that has one."""
        while keys:
            if keys in self.lines:
                return self.lines[keys]
            keys = keys[:-1]
        return self.lines.get((), 1)


def load_content(root: Path, problems: Problems, cache=None, progress=None,
                 workers: int = 1) -> list[RawRecord]:
    """Every record under root, in a stable order; problems for what cannot be read.

    `cache` (incremental.FileCache) gives the record of a file it has read before and
    that has not changed since, instead of parsing it again; the others are parsed on
    `workers` processes when there are many. `progress` (progress.py) counts files.
    """
    paths = _content_files(root, problems)
    shown = progress("load", len(paths)) if progress is not None else None
    records: list[RawRecord | None] = [None] * len(paths)
    todo = []
    for number, path in enumerate(paths):
        records[number] = cache.cached(root, path) if cache is not None else None
        if records[number] is None:
            todo.append(number)
        elif shown is not None:
            shown.advance()
    for number, (record, found) in zip(todo, _parse_all(root, [Path(paths[n]) for n in todo], workers, shown)):
        problems.items.extend(found)
        if record is not None:
            records[number] = record
            if cache is not None:
                cache.store(root, paths[number], record)
    if shown is not None:
        shown.done()
    return [record for record in records if record is not None]


# Parsing is the cost of a cold load (YAML above all); worker processes forked for it
# pay for themselves from a few thousand files.
PARALLEL_FROM = 2000
_root: Path | None = None


def _parse_all(root: Path, paths: list[Path], workers: int, shown):
    global _root
    _root = root
    try:
        with ExitStack() as stack:
            if workers > 1 and len(paths) >= PARALLEL_FROM:
                pool = stack.enter_context(multiprocessing.get_context("fork").Pool(workers))
                results = pool.imap(_parse_one, paths, chunksize=64)
            else:
                results = map(_parse_one, paths)
            for result in results:
                if shown is not None:
                    shown.advance()
                yield result
    finally:
        _root = None


def _parse_one(path: Path) -> tuple[RawRecord | None, list]:
    found = Problems()
    return read_record(_root, path, found), found.items


def _content_files(root: Path, problems: Problems) -> list[str]:
    """Every record file's path under root, folder by folder, in name order; problems
    for what does not belong. os.scandir, not os.walk and a stat per file: a folder's
    entries say what they are, and an edit's build walks 100,000 files. Paths as
    strings: a Path each was 0.4 to 0.6 s of an edit at 100,000 documents."""
    if not root.is_dir():
        problems.add(str(root), 0, "", "innehållsmappen finns inte")
        return []
    files: list[str] = []

    def walk(folder: str, at_root: bool) -> None:
        try:
            with os.scandir(folder) as found:
                entries = sorted(found, key=lambda entry: entry.name)
        except OSError as error:  # a folder not read is said, not skipped
            problems.add(_shown(root, Path(folder)), 0, "",
                         f"mappen kan inte läsas ({error.strerror})", "kontrollera behörigheterna")
            return
        folders = []
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                folders.append(entry)
            elif not entry.name.startswith(".") or entry.is_symlink() and entry.is_dir():
                _content_file(root, entry, at_root, files, problems)
        for entry in folders:
            if at_root and entry.name in KINDS:
                walk(entry.path, at_root=False)
            elif not entry.name.startswith("."):
                problems.add(_shown(root, Path(entry.path)), 0, "", "okänd mapp i innehållet",
                             "mapparna är: " + ", ".join(sorted(KINDS)))

    walk(str(root), at_root=True)
    return files


def _content_file(root: Path, entry: os.DirEntry, at_root: bool, files: list[str], problems: Problems) -> None:
    path = entry.path
    if entry.is_symlink():
        kind = "mappen" if entry.is_dir() else "filen"
        problems.add(_shown(root, path), 0, "", "symboliska länkar tillåts inte i innehållet",
                     f"kopiera in {kind} i stället")
    elif not entry.is_file(follow_symlinks=False):
        # A named pipe would block the build forever on reading.
        problems.add(_shown(root, path), 0, "", "inte en vanlig fil", "ta bort den")
    elif at_root:
        if entry.name not in KNOWN_FILES:
            problems.add(_shown(root, path), 0, "", "okänd fil i innehållsmappens topp",
                         "poster hör hemma i en av mapparna " + ", ".join(sorted(KINDS)))
    else:
        files.append(path)  # a record file, read or taken from the cache by load_content


def shown_path(root: Path, path: Path | str) -> str:
    """A content file's path as messages and origins show it: content/beslut/x.md"""
    return _shown(root, path)


def _shown(root: Path, path: Path | str) -> str:
    text, prefix = str(path), f"{root}/"
    if text.startswith(prefix):  # as the walk's paths do: pathlib took 0.1 s of an edit
        return f"{root.name}/{text[len(prefix):]}"
    return str(Path(root.name) / Path(path).relative_to(root))


def read_record(root: Path, path: Path, problems: Problems) -> RawRecord | None:
    shown = _shown(root, path)
    folder = path.parent.name
    kind = KINDS[folder]
    if path.suffix != kind.suffix:
        problems.add(shown, 0, "", f"fel filändelse för mappen {folder}/",
                     f"poster här är {kind.suffix}-filer")
        return None
    read = _read_text(path, shown, problems)
    if read is None:
        return None
    text, digest = read
    if kind.has_body:
        split = _split_front_matter(text, shown, problems)
        if split is None:
            return None
        front, body, offset, body_line = split
    else:
        front, body, offset, body_line = text, "", 0, 0
    parsed = _parse_yaml(front, shown, offset, problems)
    if parsed is None:
        return None
    data, lines = parsed
    head_digest = hashlib.sha1(front.encode()).hexdigest() if kind.has_body else digest
    return RawRecord(folder, path.stem, shown, data, lines, body, body_line, digest, head_digest,
                     hashlib.sha1(body.encode()).hexdigest() if kind.has_body else "")


def _read_text(path: Path, shown: str, problems: Problems) -> tuple[str, str] | None:
    """The file's text and the sha1 of its bytes, or None (with a problem)."""
    try:
        with open(path, "rb") as handle:
            # Read at most one byte past the limit: a file that grows after a stat()
            # cannot make us hold more than that in memory.
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        problems.add(shown, 0, "", f"filen kan inte läsas ({error.strerror})", "kontrollera behörigheterna")
        return None
    if len(raw) > MAX_FILE_BYTES:
        size = max(path.stat().st_size, len(raw))
        problems.add(shown, 0, "", f"filen är för stor ({size} byte, högst {MAX_FILE_BYTES})",
                     "dela upp den i flera poster")
        return None
    digest = hashlib.sha1(raw).hexdigest()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problems.add(shown, line, "", "filen är inte UTF-8",
                     "spara den som UTF-8 i editorn")
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        problems.add(shown, 1, "", "filen är tom")
        return None
    control = CONTROL.search(text)
    if control:
        problems.add(shown, text.count("\n", 0, control.start()) + 1, "",
                     f"filen innehåller styrtecknet U+{ord(control.group()):04X}",
                     "ta bort det; det syns inte i editorn men förstör sidan")
        return None
    return text, digest


def _split_front_matter(text: str, shown: str, problems: Problems):
    """(front matter, body, line offset of the front matter, first line of the body)."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        problems.add(shown, 1, "", "filen börjar inte med '---'",
                     "en .md-post börjar med YAML-huvudet mellan två rader '---'")
        return None
    for number, line in enumerate(lines[1:], start=2):
        if line.rstrip() == "---":
            front = "\n".join(lines[1: number - 1])
            body = "\n".join(lines[number:]).strip("\n")
            return front, body, 1, number + 1
    problems.add(shown, 1, "", "YAML-huvudet avslutas aldrig",
                 "lägg till en rad '---' efter huvudets sista fält")
    return None


def _parse_yaml(text: str, shown: str, offset: int, problems: Problems):
    loader = _Loader(text)
    try:
        deep = _too_deep(text)
        if deep is not None:
            problems.add(shown, deep.line + 1 + offset, "",
                         f"YAML är nästlat mer än {MAX_DEPTH} nivåer djupt",
                         "inget fält i arkivet är så djupt; kontrollera hakparenteser och indrag")
            return None
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = (mark.line + 1 + offset) if mark else offset + 1
        problems.add(shown, line, "", "YAML kan inte läsas: " + _yaml_reason(error), _yaml_hint(error))
        return None
    except yaml.YAMLError as error:
        problems.add(shown, offset + 1, "", f"YAML kan inte läsas: {error}")
        return None
    finally:
        loader.dispose()
    if node is None:
        problems.add(shown, offset + 1, "", "YAML-huvudet är tomt")
        return None
    if not isinstance(node, yaml.MappingNode):
        problems.add(shown, node.start_mark.line + 1 + offset, "",
                     "posten ska vara en samling fält (nyckel: värde)")
        return None
    lines: dict = {(): node.start_mark.line + 1 + offset}
    seen: set[int] = set()
    try:
        data = _value(node, (), lines, seen, offset, shown, problems)
    finally:
        # The shared constructor caches every node it built; let this file's go.
        _constructor.constructed_objects.clear()
        _constructor.recursive_objects.clear()
    return data, lines


def _too_deep(text: str):
    """The mark of the first collection nested deeper than MAX_DEPTH, or None."""
    events = _Loader(text)
    try:
        depth = 0
        while events.check_event():
            event = events.get_event()
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
        return None
    finally:
        events.dispose()


def _value(node, keys: KeyPath, lines: dict, seen: set, offset: int, shown: str, problems: Problems):
    line = node.start_mark.line + 1 + offset
    if id(node) in seen:
        # The C composer resolves *alias to the anchored node itself, whose line is the
        # anchor's: the alias stands in its parent, so name the parent's line.
        line = lines.get(keys[:-1], line)
        lines[keys] = line
        problems.add(shown, line, _field(keys), "YAML-alias (&/*) tillåts inte",
                     "skriv ut värdet där det används")
        return _ALIAS
    lines[keys] = line
    seen.add(id(node))
    if node.tag not in _PLAIN_TAGS:
        problems.add(shown, line, _field(keys), f"YAML-taggen {_tag(node.tag)} tillåts inte",
                     "ta bort taggen (!!...) före värdet")
        return _ALIAS
    if isinstance(node, yaml.MappingNode):
        result: dict = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1 + offset
            if key_node.tag == "tag:yaml.org,2002:merge":
                problems.add(shown, key_line, "<<", "YAML-sammanslagning (<<) tillåts inte")
                continue
            key = _key(key_node)
            if not isinstance(key, str):
                written = (f"'{key_node.value or _tag(key_node.tag)}'" if isinstance(key_node, yaml.ScalarNode)
                           else "en lista eller samling")
                problems.add(shown, key_line, _field(keys), f"fältnamnet {written} är inte text",
                             "fältnamn skrivs med a-z och _, utan citattecken")
                continue
            if key in result:
                problems.add(shown, key_line, _field(keys + (key,)), "fältet står två gånger",
                             f"första gången på rad {lines[keys + (key,)]}")
                continue
            result[key] = _value(value_node, keys + (key,), lines, seen, offset, shown, problems)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_value(item, keys + (index,), lines, seen, offset, shown, problems)
                for index, item in enumerate(node.value)]
    try:
        return _constructor.construct_object(node)
    except (yaml.YAMLError, ValueError) as error:
        if node.tag == "tag:yaml.org,2002:timestamp":
            problems.add(shown, line, _field(keys), f"datumet {node.value} finns inte ({error})",
                         "skriv ett datum som finns, ÅÅÅÅ-MM-DD")
        else:
            problems.add(shown, line, _field(keys), f"värdet kan inte läsas: {error}",
                         "skriv det inom citattecken om det är text")
        return _ALIAS  # reported: validation must not add "värdet saknas"


def _key(node) -> Any:
    """A mapping key's value; None when it is not a scalar or cannot be read (2020-02-30)."""
    if not isinstance(node, yaml.ScalarNode):
        return None
    try:
        return _constructor.construct_object(node)
    except (yaml.YAMLError, ValueError):
        return None


def _tag(tag: str) -> str:
    """A tag as it is written: tag:yaml.org,2002:binary -> !!binary"""
    return tag.replace("tag:yaml.org,2002:", "!!", 1)


def _field(keys: KeyPath) -> str:
    """A field path as messages show it: statements[2].speakers[0].person"""
    out = ""
    for key in keys:
        out += f"[{key}]" if isinstance(key, int) else (("." if out else "") + str(key))
    return out


field_path = _field


def _yaml_reason(error: yaml.MarkedYAMLError) -> str:
    return (error.problem or error.context or "okänt fel").strip()


def _yaml_hint(error: yaml.MarkedYAMLError) -> str:
    reason = _yaml_reason(error)
    if "\\t" in reason or "\t" in reason or "tab" in reason:
        return "YAML tillåter inte tabbar för indrag; använd mellanslag"
    if "mapping values are not allowed" in reason:
        return "sätt text som innehåller ': ' inom citattecken"
    if "could not find expected ':'" in reason or "expected <block end>" in reason:
        return "kontrollera indraget och att varje fält har 'namn: värde'"
    return ""

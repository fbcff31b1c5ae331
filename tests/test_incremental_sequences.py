"""Randomised edit sequences: an incremental build is never stale (issue 9).

A hypothesis state machine starts from the fixture archive, built, and applies up to
STEPS operations, building incrementally after each one:
- edit a slot: a body sentence (decision, motion, document, programme, a statement's
  text) or a field that listing pages show (a person's, topic's, board's or party's
  name, a party's abbreviation or colour, a meeting's date, a decision's title or
  paragraph number, a motion's title or identifier);
- revert the latest edit that still stands;
- add a record (person, topic with keywords, party, decision paragraph in an existing
  meeting, motion, document), referring to records that exist now;
- delete a record that nothing refers to, mostly one the sequence added (or one of
  FIXTURE_DELETABLE), with its URLs taken off publicerade-urler.txt: a record that was
  never published for good;
- rename a record's file: every reference follows, and the record names its old ids in
  `moved_from`, as the published-URL list requires;
- break the content (a person that does not exist, a dead internal link, an unknown
  field, a paragraph number taken twice, a published record deleted): the build must
  raise BuildFailed at the expected stage and leave build/ byte for byte as it was;
  the next step repairs it (by undoing, or by completing it: adding the missing
  person, renumbering, unpublishing) and must give clean-build output again;
- rebuild with nothing changed (a file rewritten with its own bytes): nothing is done;
- lose the incremental state (deleted, or unreadable as after an upgrade): the build
  starts over, and the builds after it must still be right.

After every successful build, every file in build/ is compared byte for byte with a
clean build (incremental_builds=False) of a copy of the same content, the list of
published URLs included; and each operation names a listing page that must show what
it changed, so a stale listing also fails with a readable message. What the sequences
found is kept at the end as plain tests.

The run is deterministic (derandomize, no example database). ARKIV_SEQUENCE_EXAMPLES
raises the number of sequences, by hand or in a nightly job; ARKIV_SEQUENCE_SHRINK=1
shrinks a failing sequence to a minimal one (slow: minutes).
"""
from __future__ import annotations

import difflib
import hashlib
import os
import re
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, precondition, rule, run_state_machine_as_test

from conftest import FIXTURE
from generator.build import build
from generator.incremental import Memory, code_fingerprint, files_path, state_path
from generator.problems import BuildFailed

EXAMPLES = int(os.environ.get("ARKIV_SEQUENCE_EXAMPLES", "8"))
# Shrinking replays a failing sequence for up to five minutes; by default the test fails
# fast with the sequence it found (each step is listed), ARKIV_SEQUENCE_SHRINK=1 shrinks it.
SHRINK = os.environ.get("ARKIV_SEQUENCE_SHRINK") == "1"
STEPS = 6
SEQUENCES = settings(max_examples=EXAMPLES, stateful_step_count=STEPS, deadline=None,
                     derandomize=True, database=None,
                     # No explain phase: it replays a failing sequence many times over.
                     phases=[Phase.explicit, Phase.generate] + ([Phase.shrink] if SHRINK else []),
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
QUIET = dict(say=lambda _: None, search=False)
LIST = "publicerade-urler.txt"

WORDS = ["bänkar", "lekplatser", "träd", "belysning", "fontäner", "gångvägar", "cykelställ", "ängar"]
FIRST = ["Greta", "Åsa", "Örjan", "Nils", "Märta"]
LAST = ["Grön", "Ek", "Lind", "Ström"]
words = st.sampled_from(WORDS)

# Reference fields and the folder they point into; every reference in the archive is
# one of these, written `field: id` or `field: [id, id]`.
REF_FIELDS = {"person": "personer", "party": "partier", "party_as_written": "partier",
              "answers": "motioner", "meeting": "moten", "board": "namnder", "to_board": "namnder",
              "owner": "namnder", "serves": "namnder", "from": "namnder", "predecessor": "program",
              "proposals_source": "dokument"}
LIST_FIELDS = {"parties": "partier", "topics": "amnen", "programs": "program", "bodies": "namnder",
               "sources": "kallor"}
REF = re.compile(r"(?<![\w-])(" + "|".join(REF_FIELDS) + r"): ([a-z0-9-]+)(?=[\s,}\]]|$)")
REFS = re.compile(r"(?<![\w-])(" + "|".join(LIST_FIELDS) + r"): \[([^\]\n]*)\]")
MOVED = re.compile(r"^moved_from: \[([^\]\n]*)\]\n", re.M)


# ---------------------------------------------------------------- slots that edits change

@dataclass(frozen=True, repr=False)
class Slot:
    """A value in a record's file: `template.format(value)` stands there exactly once."""
    name: str
    record: str  # the record's key: its folder and id in the fixture, "personer/anna-alfa"
    template: str
    initial: str
    values: st.SearchStrategy  # new values; "{n}" becomes a serial number, so each is new
    shown: tuple[str, ...]  # where the value must show: a URL, or a record's key (its page)
    needle: Callable[[str], str] = str.strip  # the part of the value those pages show as it is

    def __repr__(self) -> str:
        return f"Slot({self.name!r})"


sentence = words.map(lambda w: w.capitalize() + " nummer {n} behövs i parken.")
person_name = st.builds(lambda f, l: f"{f} {l} {{n}}", st.sampled_from(FIRST), st.sampled_from(LAST))
a_date = st.dates(date(2010, 1, 1), date(2030, 12, 31)).map(date.isoformat)

SLOTS = [
    Slot("decision body", "beslut/testnamnden-2020-05-05-par-3", "\n{}\n",
         "Förvaltningen har yttrat sig över motionen.", sentence, ("beslut/testnamnden-2020-05-05-par-3",)),
    Slot("statement text (B)", "beslut/testnamnden-2020-05-05-par-3", "\n      {}\n", "Parker är bra.",
         sentence, ("partier/b", "beslut/testnamnden-2020-05-05-par-3")),
    Slot("statement text (A)", "beslut/testnamnden-2020-05-05-par-3", "    text: {}\n",
         "Ersättaren hänvisar till Betapartiets förslag punkt 2.", sentence,
         ("partier/a", "amnen/parker")),
    Slot("decision title", "beslut/testnamnden-2020-05-05-par-3", "title: {}\n",
         "Svar på motion om fler parkbänkar", words.map(lambda w: "Beslut om " + w + " {n}"),
         ("/beslut/", "moten/testnamnden-2020-05-05", "namnder/testnamnden", "motioner/2020-1")),
    Slot("decision paragraph", "beslut/testnamnden-2020-05-05-par-3", "paragraph: {}\n", "3",
         st.integers(1, 9).map(str), ()),
    Slot("motion body", "motioner/2020-1", "\n---\n{}", "", sentence.map(lambda s: s + "\n"),
         ("motioner/2020-1",)),
    Slot("motion title", "motioner/2020-1", "title: {}\n", "Motion om fler parkbänkar",
         words.map(lambda w: "Motion om " + w + " {n}"), ("/motioner/", "partier/a"),
         lambda title: title.removeprefix("Motion ")),  # shown as "Motion 2020:1 om ..."
    Slot("motion identifier", "motioner/2020-1", 'identifier: "{}"\n', "2020:1",
         st.just("2019:{n}"), ("/motioner/",)),
    Slot("document body", "dokument/tu-parkbankar", "\n{}\n", "Motionen kom in i våras.", sentence,
         ("dokument/tu-parkbankar",)),
    Slot("programme body", "program/parkprogram", "\n{}\n", "Programmet nämns i § 3.", sentence,
         ("program/parkprogram",)),
    Slot("person name (Anna)", "personer/anna-alfa", "name: {}\n", "Anna Alfa", person_name,
         ("/personer/", "partier/a")),
    Slot("person name (Bertil)", "personer/bertil-beta", "name: {}\n", "Bertil Beta", person_name,
         ("/personer/",)),
    Slot("person name (Cecilia)", "personer/chef", "name: {}\n", "Cecilia Chef", person_name,
         ("/personer/",)),
    Slot("topic name", "amnen/parker", "name: {}\n", "parker", words.map(lambda w: w + " {n}"),
         ("/amnen/", "partier/a")),
    Slot("topic description", "amnen/parker", "description: {}\n", "Stadens parker och grönområden.",
         sentence, ("amnen/parker",)),
    Slot("board name", "namnder/testnamnden", "name: {}\n", "Testnämnden",
         words.map(lambda w: w.capitalize() + "nämnden {n}"), ("/namnder/", "namnder/testnamnden")),
    Slot("party name (A)", "partier/a", "name: {}\n", "Alfapartiet",
         words.map(lambda w: w.capitalize() + "partiet {n}"), ("/partier/", "personer/anna-alfa")),
    Slot("party name (B)", "partier/b", "name: {}\n", "Betapartiet",
         words.map(lambda w: w.capitalize() + "partiet {n}"), ("/partier/", "/jamfor-partier/")),
    Slot("party abbreviation (B)", "partier/b", "abbreviation: {}\n", "B", st.just("B{n}"),
         ("/partier/",)),
    Slot("party colour (A)", "partier/a", 'colour: "{}"\n', "#aa0000",
         st.integers(0, 0xFFFFFF).map("#{:06x}".format), ()),
    Slot("meeting date", "moten/testnamnden-2020-05-05", "date: {}\n", "2020-05-05",
         a_date | st.just("null"), ("/moten/", "namnder/testnamnden")),
    Slot("undated meeting's date", "moten/testnamnden-okant", "date: {}\n", "null",
         a_date | st.just("null"), ("/moten/",)),
]
SLOT = {slot.name: slot for slot in SLOTS}
# Fixture records a sequence may delete once nothing refers to them. The others stay, so
# that the pages the slots name keep listing what they list (a party's positions ...).
FIXTURE_DELETABLE = {"partier/tyst", "moten/testnamnden-okant", "beslut/testnamnden-2020-05-05-par-3"}


# ---------------------------------------------------------------- files and builds

def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def content_key(content: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(content.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(content).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


CLEAN: dict[tuple[str, str], dict[str, str]] = {}  # (code, content) -> snapshot of its clean build


def clean_build(content: Path, root: Path) -> Path:
    """A clean build of a copy of content/ (the list of published URLs included)."""
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(content, root / "content")
    build(root / "content", root / "build", incremental_builds=False, **QUIET)
    return root / "build"


def differences(mine: Path, clean: Path) -> str:
    """What differs between two builds, with a diff of the first differing text file."""
    a, b = snapshot(mine), snapshot(clean)
    only_mine, only_clean = sorted(set(a) - set(b)), sorted(set(b) - set(a))
    changed = sorted(p for p in set(a) & set(b) if a[p] != b[p])
    lines = [f"only in the incremental build: {only_mine}", f"only in the clean build: {only_clean}",
             f"different: {changed}"]
    if changed:
        first = changed[0]
        old = (clean / first).read_text(encoding="utf-8", errors="replace").splitlines()
        new = (mine / first).read_text(encoding="utf-8", errors="replace").splitlines()
        diff = list(difflib.unified_diff(old, new, f"clean/{first}", f"incremental/{first}", lineterm="", n=1))
        lines += [line[:300] for line in diff[:60]]
    return "\n".join(lines)


def main_text(html: str) -> str:
    main = BeautifulSoup(html, "html.parser").find("main")
    return " ".join(main.get_text(" ").split()) if main else ""


def page_file(output: Path, url: str) -> Path:
    relative = url.lstrip("/")
    return output / (relative + "index.html" if not relative or relative.endswith("/") else relative)


def references(text: str):
    """(folder, id) of every reference in a content file."""
    for match in REF.finditer(text):
        yield REF_FIELDS[match.group(1)], match.group(2)
    for match in REFS.finditer(text):
        for item in match.group(2).split(","):
            if item.strip():
                yield LIST_FIELDS[match.group(1)], item.strip()


def rewrite_references(text: str, folder: str, old: str, new: str) -> str:
    def one(match):
        if REF_FIELDS[match.group(1)] == folder and match.group(2) == old:
            return f"{match.group(1)}: {new}"
        return match.group(0)

    def many(match):
        if LIST_FIELDS[match.group(1)] != folder:
            return match.group(0)
        items = [new if item.strip() == old else item.strip() for item in match.group(2).split(",")]
        return f"{match.group(1)}: [{', '.join(items)}]"
    return REFS.sub(many, REF.sub(one, text))


def front_matter_line(text: str, line: str, markdown: bool) -> str:
    """The text with a line added to its YAML (at the end, or first in a front matter)."""
    if markdown:
        assert text.startswith("---\n")
        return "---\n" + line + text[4:]
    return text + ("" if text.endswith("\n") else "\n") + line


@dataclass
class Broken:
    what: str
    stage: str
    saved: dict[str, str | None]  # files as they were: text, or None where there was none
    paths: dict[str, str]
    complete: Callable[[], None] | None = None  # another way to make it valid again


# ---------------------------------------------------------------- the machine

class EditSequences(RuleBasedStateMachine):
    memory: Memory | None = None  # what a process building again and again keeps (serve)

    def __init__(self, root: Path):
        super().__init__()
        self.root = root
        site = root / "site"
        shutil.rmtree(site, ignore_errors=True)
        # The built fixture with its incremental state, at the path it was built at.
        shutil.copytree(root / "base", site, symlinks=True)
        self.content = site / "content"
        self.output = site / "build"
        # A copied site: build/ may have another inode than the folder its state was saved
        # beside (or the one just freed), so the first build may be no no-op: it checks
        # all and renders nothing. After it, rebuild_unchanged can expect a no-op.
        before = snapshot(self.output)
        assert build(self.content, self.output, memory=self.memory, **QUIET).rendered == 0
        assert snapshot(self.output) == before
        self.files = {p.relative_to(self.content).as_posix(): p.read_text(encoding="utf-8")
                      for p in sorted(self.content.rglob("*.*")) if p.parent != self.content}
        self.paths = {name.rsplit(".", 1)[0]: name for name in self.files}  # record key -> file
        self.values = {slot.name: slot.initial for slot in SLOTS}
        self.undo: list[tuple[str, str]] = []
        self.broken: Broken | None = None
        self.serial = 0
        self.added: set[str] = set()  # keys of the records this sequence added
        self.expected: list[tuple[str, str, str, bool]] = []
        self.done: list[str] = []

    # ---- helpers

    def next(self) -> int:
        self.serial += 1
        return self.serial

    def write(self, relative: str, text: str | None) -> None:
        path = self.content / relative
        if text is None:
            self.files.pop(relative, None)
            path.unlink()
        else:
            self.files[relative] = text
            path.parent.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")

    def ids(self, folder: str) -> list[str]:
        return sorted(name.split("/")[1].rsplit(".", 1)[0] for name in self.files if name.startswith(folder + "/"))

    def current_id(self, key: str) -> str:
        return self.paths[key].split("/")[1].rsplit(".", 1)[0]

    def url(self, where: str) -> str:
        if where.startswith("/"):
            return where
        folder = where.split("/")[0]
        return f"/{folder}/{self.current_id(where)}/"

    def referenced(self) -> set[tuple[str, str]]:
        return {ref for text in self.files.values() for ref in references(text)}

    def removable(self) -> list[str]:
        """Keys of records that nothing refers to and that may go."""
        used = self.referenced()
        return sorted(key for key, name in self.paths.items()
                      if (key in self.added or key in FIXTURE_DELETABLE)
                      and (name.split("/")[0], self.current_id(key)) not in used)

    def deletable(self, data) -> str:
        """A removable record: mostly one this sequence added, when there is one."""
        candidates = self.removable()
        added = [key for key in candidates if key in self.added]
        if added and data.draw(st.integers(0, 3), "prefer an added record") > 0:
            candidates = added
        return data.draw(st.sampled_from(candidates), "record")

    def expect_text(self, where: str, text: str) -> None:
        self.expected.append(("text", self.url(where), text, True))

    def expect_link(self, where: str, href: str, present: bool = True) -> None:
        self.expected.append(("raw", self.url(where), f'href="{href}"', present))

    def slots(self) -> list[Slot]:
        return [slot for slot in SLOTS if slot.record in self.paths]

    def set_slot(self, slot: Slot, value: str) -> None:
        name = self.paths[slot.record]
        text = self.files[name]
        old = slot.template.format(self.values[slot.name])
        assert text.count(old) == 1, f"{slot.name}: {old!r} is not once in {name}"
        self.write(name, text.replace(old, slot.template.format(value)))
        self.values[slot.name] = value
        if value not in ("", "null") and slot.shown:
            for where in slot.shown:
                self.expect_text(where, slot.needle(value))

    def unpublish(self, folder: str, record_id: str, moved_from: list[str]) -> None:
        gone = {f"/{folder}/{i}/" for i in [record_id, *moved_from]}
        path = self.content / LIST
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text("".join(line for line in lines if line.strip() not in gone), encoding="utf-8")

    def moved_from(self, text: str) -> list[str]:
        match = MOVED.search(text)
        return [i.strip() for i in match.group(1).split(",")] if match else []

    def log(self, what: str) -> None:
        self.done.append(what)

    # ---- builds

    def build_ok(self) -> None:
        """Build incrementally; the result must be what a clean build gives."""
        try:
            build(self.content, self.output, memory=self.memory, **QUIET)
        except BuildFailed as failed:
            raise AssertionError(f"the build failed after {self.done}:\n"
                                 + "\n".join(map(str, failed.problems))) from None
        assert not list(self.output.parent.glob(".arkiv-staging-*"))
        key = (code_fingerprint(), content_key(self.content))  # templates are read from disk
        if key not in CLEAN:
            CLEAN[key] = snapshot(clean_build(self.content, self.root / "clean"))
        if snapshot(self.output) != CLEAN[key]:
            clean = clean_build(self.content, self.root / "clean")
            assert snapshot(clean) == CLEAN[key], "two clean builds of the same content differ"
            raise AssertionError(f"incremental build differs from a clean build after {self.done}:\n"
                                 + differences(self.output, clean))
        for kind, url, needle, present in self.expected:
            html = page_file(self.output, url).read_text(encoding="utf-8")
            shown = main_text(html) if kind == "text" else html
            found = needle.casefold() in shown.casefold()  # topic names are capitalised
            assert found == present, (f"after {self.done}, {url} should {'' if present else 'not '}"
                                      f"show {needle!r}; its main text is: {main_text(html)[:800]}")
        self.expected = []

    def build_fails(self, stage: str) -> None:
        before = snapshot(self.output)
        with pytest.raises(BuildFailed) as failed:
            build(self.content, self.output, memory=self.memory, **QUIET)
        assert failed.value.stage == stage, (self.done, failed.value.stage, failed.value.problems)
        assert snapshot(self.output) == before, f"a failed build changed build/ after {self.done}"
        assert not list(self.output.parent.glob(".arkiv-staging-*"))

    # ---- rules

    def valid(self) -> bool:
        return self.broken is None

    @precondition(lambda self: self.valid() and self.slots())
    @rule(data=st.data())
    def edit(self, data):
        slot = data.draw(st.sampled_from(self.slots()), "slot")
        value = data.draw(slot.values, "value").format(n=self.next())
        self.log(f"edit {slot.name}: {value!r}")
        self.undo.append((slot.name, self.values[slot.name]))
        self.set_slot(slot, value)
        self.build_ok()

    @precondition(lambda self: self.valid() and any(SLOT[name].record in self.paths for name, _ in self.undo))
    @rule()
    def revert(self):
        while True:
            name, value = self.undo.pop()
            if SLOT[name].record in self.paths:  # not deleted since
                break
        self.log(f"revert {name} to {value!r}")
        self.set_slot(SLOT[name], value)
        self.build_ok()

    @precondition(valid)
    @rule(data=st.data())
    def add(self, data):
        n = self.next()
        kind = data.draw(st.sampled_from(["person", "topic", "party", "decision", "motion", "document"]), "kind")
        word = data.draw(words, "word")
        pick = lambda folder, label: data.draw(st.sampled_from(self.ids(folder)), label)  # noqa: E731
        maybe = lambda: data.draw(st.booleans(), "optional")  # noqa: E731
        if kind == "person":
            name = data.draw(person_name, "name").format(n=n)
            party = f"party: {pick('partier', 'party')}\n" if maybe() else ""
            folder, record_id, text = "personer", f"person-{n}", f"name: {name}\n{party}"
            self.expect_text("/personer/", name)
            if party:
                self.expect_text(f"/partier/{party.split()[1]}/", name)
        elif kind == "topic":
            keywords = f"keywords: [{data.draw(words, 'keyword')}]\n" if maybe() else ""
            folder, record_id = "amnen", f"amne-{n}"
            text = f"name: {word} {n}\ndescription: Om {word}.\n{keywords}"
            self.expect_text("/amnen/", f"{word} {n}")
        elif kind == "party":
            colour = data.draw(st.integers(0, 0xFFFFFF), "colour")
            folder, record_id = "partier", f"parti-{n}"
            text = f'name: {word.capitalize()}partiet {n}\nabbreviation: P{n}\ncolour: "#{colour:06x}"\n'
            self.expect_text("/partier/", f"{word.capitalize()}partiet {n}")
        elif kind == "decision":
            meeting = pick("moten", "meeting")
            folder, record_id = "beslut", f"{meeting}-par-{10 + n}"
            title = f"Beslut om {word} {n}"
            lines = ["---", f"meeting: {meeting}", f"paragraph: {10 + n}", "diarienummer: null",
                     f"title: {title}", "points:", f"  - Nämnden beslutar om {word}."]
            if maybe():
                party = pick("partier", "party")
                person = pick("personer", "person")
                lines += ["statements:", f"  - id: reservation-{party}", "    kind: reservation",
                          f"    parties: [{party}]", "    speakers:",
                          f'      - {{person: {person}, as_written: "Ledamoten {n}", role: ledamot}}',
                          f"    text: Vi vill ha fler {word}."]
                self.expect_text(f"/partier/{party}/", f"Vi vill ha fler {word}.")
            if maybe():
                lines.append(f"answers: {pick('motioner', 'motion')}")
            if maybe():
                lines.append(f"topics: [{pick('amnen', 'topic')}]")
            lines += [f"sources: [{pick('kallor', 'source')}]", "---", f"Ärendet gäller {word}.", ""]
            text = "\n".join(lines)
            self.expect_text(f"/moten/{meeting}/", title)
            self.expect_text("/beslut/", title)
        elif kind == "motion":
            folder, record_id = "motioner", f"motion-{n}"
            title = f"Motion om {word} {n}"
            author = f"{{person: {pick('personer', 'author')}, party: {pick('partier', 'party')}}}"
            topics = f"topics: [{pick('amnen', 'topic')}]\n" if maybe() else ""
            text = (f'---\nidentifier: "2021:{n}"\ntitle: {title}\nauthors:\n  - {author}\n{topics}---\n'
                    f"Vi föreslår fler {word}.\n")
            self.expect_text("/motioner/", f"om {word} {n}")  # "Motion 2021:n om ..."
        else:
            folder, record_id = "dokument", f"dokument-{n}"
            title = f"Skrivelse om {word} {n}"
            answers = f"answers: {pick('motioner', 'motion')}\n" if maybe() else ""
            when = data.draw(a_date | st.just("null"), "date")
            text = (f"---\nkind: skrivelse\ntitle: {title}\ndiarienummer: null\n"
                    f"board: {pick('namnder', 'board')}\ndate: {when}\nproposal: null\n{answers}"
                    f"sources: [{pick('kallor', 'source')}]\n---\nSkrivelsen gäller {word}.\n")
            self.expect_text("/dokument/", title)
        name = f"{folder}/{record_id}.{'md' if text.startswith('---') else 'yaml'}"
        self.log(f"add {name}")
        self.paths[name.rsplit(".", 1)[0]] = name
        self.added.add(name.rsplit(".", 1)[0])
        self.write(name, text)
        self.build_ok()

    @precondition(lambda self: self.valid() and self.removable())
    @rule(data=st.data())
    def delete(self, data):
        key = self.deletable(data)
        name = self.paths.pop(key)
        folder, record_id = name.split("/")[0], self.current_id_of(name)
        self.log(f"delete {name}")
        self.unpublish(folder, record_id, self.moved_from(self.files[name]))
        self.write(name, None)
        self.expect_link(f"/{folder}/", f"/{folder}/{record_id}/", present=False)
        self.build_ok()

    @staticmethod
    def current_id_of(name: str) -> str:
        return name.split("/")[1].rsplit(".", 1)[0]

    @precondition(valid)
    @rule(data=st.data())
    def rename(self, data):
        key = data.draw(st.sampled_from(sorted(self.paths)), "record")
        name = self.paths[key]
        folder, old = name.split("/")[0], self.current_id(key)
        new = f"{key.split('/')[1]}-v{self.next()}"
        suffix = name.rsplit(".", 1)[1]
        self.log(f"rename {name} to {new}")
        text = self.files[name]
        earlier = self.moved_from(text)
        moved = f"moved_from: [{', '.join(earlier + [old])}]\n"
        text = MOVED.sub(moved, text) if earlier else front_matter_line(text, moved, suffix == "md")
        for other, other_text in list(self.files.items()):
            if other != name:
                changed = rewrite_references(other_text, folder, old, new)
                if changed != other_text:
                    self.write(other, changed)
        self.write(name, None)
        self.paths[key] = f"{folder}/{new}.{suffix}"
        self.write(self.paths[key], rewrite_references(text, folder, old, new))
        self.expect_link(f"/{folder}/", f"/{folder}/{new}/")
        self.expect_link(f"/{folder}/", f"/{folder}/{old}/", present=False)
        self.build_ok()
        redirects = (self.output / "_redirects").read_text(encoding="utf-8")
        assert f"/{folder}/{old}/ /{folder}/{new}/ 301\n" in redirects, redirects

    @precondition(valid)
    @rule(data=st.data())
    def rebuild_unchanged(self, data):
        name = data.draw(st.sampled_from(sorted(self.files)), "file rewritten as it was")
        self.log(f"rewrite {name} unchanged")
        self.write(name, self.files[name])
        before = snapshot(self.output)
        assert build(self.content, self.output, memory=self.memory, **QUIET).unchanged
        assert snapshot(self.output) == before

    @precondition(valid)
    @rule(how=st.sampled_from(["deleted", "unreadable", "a piece of the parsed files unreadable", "not used"]))
    def state_lost(self, how):
        """The incremental state is gone, or from another version, or not used (a build
        from nothing into the existing build/): the builds after it must still be right."""
        self.log(f"state {how}")
        if how == "deleted":  # and whatever else the build keeps beside it
            for path in self.output.parent.glob(f"{state_path(self.output).stem}*"):
                shutil.rmtree(path) if path.is_dir() else path.unlink()
        elif how == "unreadable":
            state_path(self.output).write_bytes(b"not a pickle")
        elif how.startswith("a piece"):
            for piece in sorted(files_path(self.output).iterdir())[:1]:
                piece.write_bytes(b"not a pickle")
        else:
            build(self.content, self.output, memory=self.memory, incremental_builds=False, **QUIET)
        self.build_ok()

    @precondition(valid)
    @rule(data=st.data())
    def break_content(self, data):
        kinds = ["dead link", "unknown field"]
        if any("person: " in text for text in self.files.values()):
            kinds.append("missing person")
        if any(name.startswith("beslut/") for name in self.files):
            kinds.append("paragraph taken twice")
        if self.removable():
            kinds.append("published record deleted")
        what = data.draw(st.sampled_from(kinds), "how")
        n = self.next()
        saved_paths = dict(self.paths)
        if what == "missing person":
            name = data.draw(st.sampled_from(sorted(f for f, t in self.files.items() if "person: " in t)), "file")
            self.broken = Broken(what, "content", {name: self.files[name]}, saved_paths)
            missing = f"saknas-{n}"
            self.write(name, re.sub(r"(?<![\w-])person: [a-z0-9-]+", f"person: {missing}", self.files[name], count=1))

            def complete():
                self.paths[f"personer/{missing}"] = f"personer/{missing}.yaml"
                self.added.add(f"personer/{missing}")
                self.write(f"personer/{missing}.yaml", f"name: Ny Person {n}\n")
                self.expect_text("/personer/", f"Ny Person {n}")
            self.broken.complete = complete
        elif what == "dead link":
            name = data.draw(st.sampled_from(sorted(f for f in self.files if f.endswith(".md"))), "file")
            self.broken = Broken(what, "check", {name: self.files[name]}, saved_paths)
            self.write(name, self.files[name] + f"\nSe [beslutet](/beslut/finns-inte-{n}/).\n")
        elif what == "unknown field":
            name = data.draw(st.sampled_from(sorted(self.files)), "file")
            self.broken = Broken(what, "content", {name: self.files[name]}, saved_paths)
            self.write(name, front_matter_line(self.files[name], "okant_falt: ja\n", name.endswith(".md")))
        elif what == "paragraph taken twice":
            other = data.draw(st.sampled_from(sorted(f for f in self.files if f.startswith("beslut/"))), "decision")
            meeting = re.search(r"^meeting: (\S+)$", self.files[other], re.M).group(1)
            paragraph = re.search(r"^paragraph: (\d+)$", self.files[other], re.M).group(1)
            name = f"beslut/dubblett-{n}.md"
            self.broken = Broken(what, "content", {name: None}, saved_paths)
            text = (f"---\nmeeting: {meeting}\nparagraph: {paragraph}\ndiarienummer: null\n"
                    f"title: Dubblett {n}\npoints: [Nämnden beslutar.]\nsources: [{self.ids('kallor')[0]}]\n---\n")
            self.write(name, text)

            def complete():
                self.paths[f"beslut/dubblett-{n}"] = name
                self.added.add(f"beslut/dubblett-{n}")
                self.write(name, text.replace(f"paragraph: {paragraph}\n", f"paragraph: {10 + n}\n"))
                self.expect_text(f"/moten/{meeting}/", f"Dubblett {n}")
            self.broken.complete = complete
        else:
            key = self.deletable(data)
            name = self.paths.pop(key)
            self.broken = Broken(what, "permalinks", {name: self.files[name]}, saved_paths)
            moved = self.moved_from(self.files[name])
            self.write(name, None)

            def complete():
                folder = name.split("/")[0]
                record_id = self.current_id_of(name)
                self.unpublish(folder, record_id, moved)
                self.expect_link(f"/{folder}/", f"/{folder}/{record_id}/", present=False)
            self.broken.complete = complete
        self.log(f"break: {what} ({', '.join(self.broken.saved)})")
        self.build_fails(self.broken.stage)

    @precondition(lambda self: self.broken is not None)
    @rule(data=st.data())
    def repair(self, data):
        broken, self.broken = self.broken, None
        ways = ["undo"] + (["complete"] if broken.complete else [])
        how = data.draw(st.sampled_from(ways), "repair")
        self.log(f"repair by {how}")
        if how == "undo":
            for name, text in broken.saved.items():
                if text is not None or name in self.files:
                    self.write(name, text)
            self.paths = broken.paths
        else:
            broken.complete()
        self.build_ok()


# ---------------------------------------------------------------- the tests

@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """site/ (content, build and incremental state) built once, kept in base/ to start from."""
    root = tmp_path_factory.mktemp("sequences")
    shutil.copytree(FIXTURE, root / "site" / "content")
    build(root / "site" / "content", root / "site" / "build", **QUIET)
    shutil.copytree(root / "site", root / "base", symlinks=True)
    return root


def test_every_slot_stands_once_in_the_fixture():
    for slot in SLOTS:
        files = [p for p in FIXTURE.glob(slot.record + ".*")]
        assert len(files) == 1, slot.name
        assert files[0].read_text(encoding="utf-8").count(slot.template.format(slot.initial)) == 1, slot.name


def test_random_edit_sequences_match_clean_builds(workdir):
    run_state_machine_as_test(lambda: EditSequences(workdir), settings=SEQUENCES)


class WarmEditSequences(EditSequences):
    """The sequences in one process that keeps the state between builds (arkiv serve)."""

    def __init__(self, root: Path):
        self.memory = Memory()
        super().__init__(root)


def test_random_edit_sequences_in_one_process_match_clean_builds(workdir):
    run_state_machine_as_test(lambda: WarmEditSequences(workdir), settings=SEQUENCES)


def test_random_edit_sequences_from_mirrors_match_clean_builds(workdir, monkeypatch):
    """The sequences with every spare folder a `cp -al` mirror: of build/ when an
    edit starts (the spare one build behind counts as far), of the site a clean build
    made when it ends (write.Mirror). The fixture is far smaller than MIRROR_FROM."""
    from generator import build as build_stage
    monkeypatch.setattr(build_stage, "MIRROR_FROM", 1)
    run_state_machine_as_test(lambda: EditSequences(workdir), settings=SEQUENCES)


def test_listing_pages_show_an_edit_after_an_incremental_build(workdir, tmp_path):
    """The readable version: a party's new name on the party list, a new statement text on its page."""
    shutil.copytree(workdir / "base", tmp_path / "site")  # a different path: the first build is clean
    content, output = tmp_path / "site" / "content", tmp_path / "site" / "build"
    build(content, output, **QUIET)
    party = content / "partier" / "b.yaml"
    party.write_text(party.read_text(encoding="utf-8").replace("Betapartiet", "Bänkpartiet"), encoding="utf-8")
    decision = content / "beslut" / "testnamnden-2020-05-05-par-3.md"
    decision.write_text(decision.read_text(encoding="utf-8").replace("Parker är bra.", "Bänkar är bättre."),
                        encoding="utf-8")
    report = build(content, output, **QUIET)
    assert 0 < report.rendered < report.pages
    parties = main_text((output / "partier" / "index.html").read_text(encoding="utf-8"))
    assert "Bänkpartiet" in parties and "Betapartiet" not in parties, f"/partier/ shows: {parties}"
    positions = main_text((output / "partier" / "b" / "index.html").read_text(encoding="utf-8"))
    assert "Bänkar är bättre." in positions and "Parker är bra." not in positions, f"/partier/b/ shows: {positions}"


# ---------------------------------------------------------------- what the sequences found

def _start(workdir: Path, tmp_path: Path) -> tuple[Path, Path]:
    shutil.copytree(workdir / "base", tmp_path / "site")
    content, output = tmp_path / "site" / "content", tmp_path / "site" / "build"
    build(content, output, **QUIET)  # at a new path the state does not count: a build from nothing
    return content, output


def _assert_clean(content: Path, output: Path, root: Path) -> None:
    clean = clean_build(content, root)
    assert snapshot(output) == snapshot(clean), differences(output, clean)


def test_a_record_deleted_after_a_build_without_state_leaves_no_page(workdir, tmp_path):
    """Found as: state deleted, then delete partier/tyst.yaml. A build without a usable
    state (deleted, from another version of the generator, or incremental_builds=False)
    swaps the previous site into the spare folder but records the spare as empty, so the
    next build keeps the deleted party's page, data, feed and old stylesheet."""
    content, output = _start(workdir, tmp_path)
    build(content, output, incremental_builds=False, **QUIET)  # a build from nothing
    (content / "partier" / "tyst.yaml").unlink()
    published = content / LIST
    published.write_text(published.read_text(encoding="utf-8").replace("/partier/tyst/\n", ""), encoding="utf-8")
    build(content, output, **QUIET)
    assert not (output / "partier" / "tyst" / "index.html").exists(), \
        "build/partier/tyst/index.html is still there after the party was deleted"
    _assert_clean(content, output, tmp_path / "clean")


def test_a_record_page_shows_an_edit_of_its_own_body(workdir, tmp_path):
    """Found as: a document's signatory changed. A record page does not depend on its own
    record unless another lookup reaches it, so the document page kept its old text
    (and the link check, reading the old page, let a dead link in the new text through)."""
    content, output = _start(workdir, tmp_path)
    document = content / "dokument" / "tu-parkbankar.md"
    document.write_text(document.read_text(encoding="utf-8").replace("i våras", "i höstas"), encoding="utf-8")
    build(content, output, **QUIET)
    text = main_text((output / "dokument" / "tu-parkbankar" / "index.html").read_text(encoding="utf-8"))
    assert "Motionen kom in i höstas." in text, f"/dokument/tu-parkbankar/ shows: {text}"
    _assert_clean(content, output, tmp_path / "clean")
    document.write_text(document.read_text(encoding="utf-8") + "\nSe [beslutet](/beslut/finns-inte/).\n",
                        encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        build(content, output, **QUIET)
    assert failed.value.stage == "check"

"""Fuzzing: generated content, valid and broken, ends in a sound site or in named problems.

Each example starts from the fixture archive and its built site, changes a few files
(a field's value, raw text, a new file, a Markdown body) and builds in-process. The
build must end one of two ways, never in an exception:
- exit 0, and every page parses, has one h1 with text, and carries no script, handler
  or javascript:/data: link of the content's making (check.py has already made sure
  every internal link and anchor resolves, and no id stands twice);
- exit 1, every problem a line `N. content/path:line: ...`, and build/ byte for byte
  as before. Problems about a whole file (a symlink, an unknown folder, a wrong suffix,
  a file too large) have no line, as Problem.__str__ prints line 0; they are listed in
  WHOLE_FILE.

The budget is bounded (BUDGET examples per test, about 0.2 s each) so the file runs
in well under a minute on two cores; a failing example is kept in .hypothesis/ and
replayed first on the next run. REGRESSIONS, at the end, are what fuzzing found.
"""
from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import shutil
import tempfile
from datetime import date
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, Phase, currently_in_test_context, event, given, settings
from hypothesis import strategies as st

from conftest import FIXTURE
from generator import schema
from generator.cli import main

# ARKIV_FUZZ_EXAMPLES=2000 fuzzes for longer, by hand or in a nightly job.
BUDGET = int(os.environ.get("ARKIV_FUZZ_EXAMPLES", "20"))
# No explain phase: it reruns a failing example dozens of times to annotate lines.
FUZZ = settings(max_examples=BUDGET, deadline=None,
                phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much])

FILES = sorted(p.relative_to(FIXTURE).as_posix() for p in FIXTURE.rglob("*.*"))
MARKDOWN_FILES = [f for f in FILES if f.endswith(".md")]
IDS = sorted({Path(f).stem for f in FILES})
PROBLEM = re.compile(r"(\d+)\. (content/[^:\n]+?)(?::(\d+))?: (.*)")
SUMMARY = re.compile(r"Bygget stoppades: (\d+) problem \(\w+\)\. Ingenting i build/ ändrades\.")
WHOLE_FILE = ("symboliska länkar", "okänd mapp", "okänd fil", "fel filändelse", "filen är för stor",
              "inte en vanlig fil", "filen kan inte läsas", "mappen kan inte läsas",
              "den publicerade adressen", "omdirigeras men")
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "poster", "srcset", "cite", "data")


# ---------------------------------------------------------------- the base and the run

@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """The fixture archive, built once: content/, build/ and its list of published URLs."""
    root = tmp_path_factory.mktemp("fuzz-base")
    shutil.copytree(FIXTURE, root / "content")
    assert _build(root)[0] == 0
    return root


def _build(root: Path) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(["build", "--no-search", "--content", str(root / "content"),
                     "--output", str(root / "build")])
    return code, err.getvalue()


def _snapshot(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def build_changed(base: Path, change) -> None:
    """Copy the base, apply change(content), build, and check how the build ended."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(base / "content", root / "content")
        shutil.copytree(base / "build", root / "build")
        before = _snapshot(root / "build")
        change(root / "content")
        code, err = _build(root)
        assert code in (0, 1), err
        if currently_in_test_context():  # --hypothesis-show-statistics shows the mix
            event(f"exit {code}")
        if code == 0:
            assert_sound_site(root / "build")
        else:
            assert_named_problems(err)
            assert _snapshot(root / "build") == before
        assert not list(root.glob(".arkiv-staging-*"))


def assert_named_problems(err: str) -> None:
    lines = err.strip().split("\n")
    assert "Traceback" not in err
    summary = SUMMARY.fullmatch(lines[-1])
    assert summary, err
    problems = [PROBLEM.fullmatch(line) for line in lines[:-1]]
    # Problem.__str__ escapes line breaks, so a generated field name cannot split one.
    assert all(problems), err
    assert [int(p.group(1)) for p in problems] == list(range(1, len(problems) + 1))
    assert int(summary.group(1)) == len(problems)
    for problem in problems:
        line = problem.group(3)
        assert (line is not None and int(line) >= 1) or any(w in problem.group(4) for w in WHOLE_FILE), \
            problem.group(0)


def _scheme(url: str) -> str:
    cleaned = re.sub(r"[\x00-\x20]", "", url).lower()
    return cleaned.split(":", 1)[0] if ":" in cleaned else ""


def assert_sound_site(output: Path) -> None:
    for path in output.rglob("*.html"):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        h1 = soup.find_all("h1")
        assert len(h1) == 1 and h1[0].get_text(strip=True), path
        for script in soup.find_all("script"):
            assert script.get("src", "").startswith(("/assets/", "/pagefind/")) or \
                script.get("type") == "application/ld+json", (path, script)
        for element in soup.find_all(True):
            for name, value in element.attrs.items():
                assert not name.startswith("on"), (path, element)
                if name in URL_ATTRIBUTES:
                    assert _scheme(str(value)) not in ("javascript", "data", "vbscript"), (path, element)


# ---------------------------------------------------------------- what to generate

# Characters that mean something to YAML or Markdown, and some that tempt encoders.
SPECIAL = ":-[]{}#&*!|>'\"%@`,?\\\t\n <>()_~=/.åäöÅÄÖé–—…\u00a0\u2028\ufeff😀"
texts = st.text(alphabet=st.sampled_from(SPECIAL) | st.characters(codec="utf-8", exclude_categories=("Cs",)),
                max_size=24)
plain_texts = st.text(alphabet="abcåäö ABC 0123456789-:,.()'\"<>&", min_size=1, max_size=24)
any_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | texts | plain_texts | st.dates()
    | st.sampled_from(IDS),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["id", "name", "x"]) | texts,
                                                                inner, max_size=3),
    max_leaves=6)


def valid_value(kind) -> st.SearchStrategy:
    """A value of the field's own type (references: some id of the archive)."""
    if isinstance(kind, (schema.Text, schema.Markdown)):
        return plain_texts
    if isinstance(kind, schema.Date):
        return st.dates(date(1800, 1, 1), date(2199, 12, 31)) | st.dates()
    if isinstance(kind, schema.Integer):
        return st.integers(min_value=kind.minimum - 1, max_value=10**12)
    if isinstance(kind, schema.Boolean):
        return st.booleans()
    if isinstance(kind, schema.Colour):
        return st.from_regex(r"#[0-9a-fA-F]{6}", fullmatch=True)
    if isinstance(kind, schema.Choice):
        return st.sampled_from(kind.options)
    if isinstance(kind, (schema.Ref, schema.LocalRef)):
        return st.sampled_from(IDS + ["forslag-b", "reservation-b", "arendet"])
    if isinstance(kind, schema.ListOf):
        return st.lists(valid_value(kind.item), max_size=3)
    if isinstance(kind, schema.Struct):
        return st.fixed_dictionaries({f.name: valid_value(f.type) for f in kind.fields if f.required},
                                     optional={f.name: valid_value(f.type) for f in kind.fields if not f.required})
    return any_value


def field_type(fields, keys):
    """The schema type at a key path, or None where the schema has no such field."""
    kind = schema.Struct("", tuple(fields))
    for key in keys:
        if isinstance(kind, schema.ListOf) and isinstance(key, int):
            kind = kind.item
        elif isinstance(kind, schema.Struct):
            kind = next((f.type for f in kind.fields if f.name == key), None)
        else:
            return None
    return kind


def key_paths(value, keys=()):
    yield keys
    if isinstance(value, dict):
        for key, item in value.items():
            yield from key_paths(item, keys + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from key_paths(item, keys + (index,))


def split(text: str) -> tuple[str, str | None]:
    if text.startswith("---\n"):
        _, front, body = text.split("---\n", 2)
        return front, body
    return text, None


def join(front: str, body: str | None) -> str:
    return front if body is None else f"---\n{front}---\n{body}"


def internal_urls() -> list[str]:
    return ["/", "/beslut/", "/beslut/testnamnden-2020-05-05-par-3/", "/motioner/2020-1/",
            "/beslut/testnamnden-2020-05-05-par-3/#forslag-b-punkt-2", "#beslutet", "#finns-inte",
            "/beslut/finns-inte/", "relativ/", "/../../etc/passwd", "https://example.com/a?b=c",
            "mailto:a@example.com", "javascript:alert(1)", "data:text/html,x", "/%2e%2e/", "/" + "a" * 300]


fragments = st.one_of(
    texts, plain_texts,
    st.builds("## {}".format, plain_texts), st.builds("### {}".format, texts),
    st.builds("[{}]({})".format, plain_texts, st.sampled_from(internal_urls())),
    st.builds("<{}>".format, st.sampled_from(internal_urls())),
    st.builds("- {}\n- {}".format, texts, plain_texts),
    st.builds("```\n{}\n```".format, texts),
    st.sampled_from(["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "{{ 7*7 }}",
                     "<!-- x", "&amp; &#0; &#xD800;", "***", "> citat", "| a | b |\n|---|---|\n| 1 | 2 |"]),
)
markdown = st.lists(fragments, max_size=6).map("\n\n".join)


# ---------------------------------------------------------------- the tests

@FUZZ
@given(data=st.data())
def test_field_values(base, data):
    """A field gets a value, of its own type or any other; or goes; or an unknown one comes."""
    name = data.draw(st.sampled_from(FILES), "file")
    kind = schema.KINDS[name.split("/")[0]]
    front, body = split((FIXTURE / name).read_text(encoding="utf-8"))
    record = yaml.safe_load(front)
    edits = data.draw(st.integers(1, 3), "edits")
    for _ in range(edits):
        paths = list(key_paths(record))[1:]
        keys = data.draw(st.sampled_from(paths), "keys")
        parent = record
        for key in keys[:-1]:
            parent = parent[key]
        how = data.draw(st.sampled_from(["own type", "any value", "remove", "new field"]), "how")
        if how == "remove":
            del parent[keys[-1]]
        elif how == "new field" and isinstance(parent, dict):
            parent[data.draw(texts | st.sampled_from(["titel", "notes", "moved_from"]), "field")] = \
                data.draw(any_value, "value")
        else:
            own = field_type(schema.fields_of(kind), keys)
            strategy = valid_value(own) if how == "own type" and own is not None else any_value
            parent[keys[-1]] = data.draw(strategy, "value")
        if not isinstance(record, dict) or not record:
            break
    front = yaml.safe_dump(record, allow_unicode=True, sort_keys=False)
    build_changed(base, lambda content: (content / name).write_text(join(front, body), encoding="utf-8"))


@FUZZ
@given(data=st.data())
def test_raw_text(base, data):
    """A file's text is cut, spliced, has a line doubled or dropped, or becomes bytes."""
    name = data.draw(st.sampled_from(FILES), "file")
    raw = (FIXTURE / name).read_bytes()
    how = data.draw(st.sampled_from(["cut", "insert", "double a line", "drop a line", "bytes"]), "how")
    if how == "bytes":
        raw = data.draw(st.binary(max_size=300) | st.just(b"\xef\xbb\xbf" + raw.replace(b"\n", b"\r\n")), "bytes")
    else:
        lines = raw.decode("utf-8").split("\n")
        at = data.draw(st.integers(0, len(lines) - 1), "line")
        if how == "cut":
            text = "\n".join(lines[:at])
        elif how == "insert":
            column = data.draw(st.integers(0, len(lines[at])), "column")
            lines[at] = lines[at][:column] + data.draw(texts, "text") + lines[at][column:]
            text = "\n".join(lines)
        elif how == "double a line":
            text = "\n".join(lines[:at + 1] + lines[at:])
        else:
            text = "\n".join(lines[:at] + lines[at + 1:])
        raw = text.encode("utf-8")
    build_changed(base, lambda content: (content / name).write_bytes(raw))


file_names = st.text(alphabet="abcxyz019-_. ABÅä~", min_size=1, max_size=16).filter(lambda n: n not in (".", ".."))


@FUZZ
@given(data=st.data())
def test_new_files_and_bodies(base, data):
    """New files under any name, in any folder; Markdown bodies with links and headings."""
    changes = []
    for _ in range(data.draw(st.integers(1, 3), "changes")):
        how = data.draw(st.sampled_from(["new file", "body", "symlink"]), "how")
        if how == "body":
            name = data.draw(st.sampled_from(MARKDOWN_FILES), "file")
            front, _ = split((FIXTURE / name).read_text(encoding="utf-8"))
            changes.append((name, join(front, data.draw(markdown, "body"))))
            continue
        folder = data.draw(st.sampled_from(sorted(schema.KINDS) + ["", "okand"]), "folder")
        name = data.draw(file_names, "name") + data.draw(st.sampled_from([".md", ".yaml", ".txt", ""]), "suffix")
        like = [f for f in FILES if f.startswith(folder + "/")] or FILES
        copied = data.draw(st.sampled_from(like), "copy of")
        if how == "symlink":
            changes.append((f"{folder}/{name}".lstrip("/"), Path(copied)))
        else:
            changes.append((f"{folder}/{name}".lstrip("/"), (FIXTURE / copied).read_text(encoding="utf-8")))

    def change(content: Path) -> None:
        for name, what in changes:
            path = content / name
            if path.is_dir():
                continue  # a generated name that is a folder of the archive
            path.parent.mkdir(exist_ok=True)
            if path.is_symlink() or path.exists():
                path.unlink()
            if isinstance(what, Path):
                path.symlink_to(content / what)
            else:
                path.write_text(what, encoding="utf-8")
    build_changed(base, change)


# ---------------------------------------------------------------- what fuzzing found

REGRESSIONS = {
    # libyaml's composer recursed until the process died (SIGSEGV).
    "deep nesting": ("amnen/parker.yaml", "name: x\ndescription: " + "[" * 100_000 + "]" * 100_000),
    # A mapping key that YAML reads as a date that does not exist raised ValueError.
    "key that is no date": ("amnen/parker.yaml", "name: x\n2020-02-30: y\n"),
    "key with a Python tag": ("amnen/parker.yaml", "name: x\n!!python/name:os.system : y\n"),
    # The iCalendar feed added a day to 9999-12-31 (OverflowError).
    "date at the end of time": ("moten/testnamnden-2020-05-05.yaml", "board: testnamnden\ndate: 9999-12-31\n"),
    # A field name with a line break or a terminal escape was printed as it was.
    "field name with a line break": ("amnen/parker.yaml", 'name: x\n"\\n\\e[31m": y\n'),
    # A statement without a usable id, or a reference without a statement, raised TypeError.
    "statement without id": ("beslut/testnamnden-2020-05-05-par-3.md", None),
    "reference without statement": ("beslut/testnamnden-2020-05-05-par-3.md", None),
    # A link leaving the site made output_path raise ValueError inside the check.
    "link out of the site": ("motioner/2020-1.md", None),
    "link with a very long name": ("motioner/2020-1.md", None),
}
EDITS = {
    "statement without id": ("  - id: reservation-b\n    kind", "  - kind"),
    "reference without statement": ("{statement: forslag-b, point: 2}", "{point: 2}"),
    "link out of the site": ("---\n", "---\n[x](/../../etc/passwd)\n\n"),
    "link with a very long name": ("---\n", "---\n[x](/" + "a" * 300 + "/)\n\n"),
}


@pytest.mark.parametrize("case", list(REGRESSIONS))
def test_what_fuzzing_found(base, case):
    name, text = REGRESSIONS[case]
    if text is None:
        old, new = EDITS[case]
        original = (FIXTURE / name).read_text(encoding="utf-8")
        # Body edits replace the closing '---' of the front matter: the last one.
        head, sep, tail = original.rpartition(old) if old == "---\n" else ("", "", "")
        text = head + new + tail if sep else original.replace(old, new, 1)
        assert text != original
    build_changed(base, lambda content: (content / name).write_text(text, encoding="utf-8"))

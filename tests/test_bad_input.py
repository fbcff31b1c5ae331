"""Each kind of bad content: exit 1, its exact message, and build/ left as it was."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURE
from generator.cli import main

DECISION = "beslut/testnamnden-2020-05-05-par-3.md"
MOTION = "motioner/2020-1.md"


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--no-search"]) == 0
    return tmp_path


def snapshot(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


CASES = {
    "broken YAML": (
        lambda c: replace(c / MOTION, 'title: Motion om fler parkbänkar', 'title: [Motion om'),
        "content/motioner/2020-1.md:4: YAML kan inte läsas"),
    "tab in YAML": (
        lambda c: replace(c / MOTION, "others: true", "others:\ttrue\n\tx: 1"),
        "(YAML tillåter inte tabbar för indrag; använd mellanslag)"),
    "front matter never closed": (
        lambda c: (c / MOTION).write_text("---\nidentifier: '2020:1'\n", encoding="utf-8"),
        "content/motioner/2020-1.md:1: YAML-huvudet avslutas aldrig (lägg till en rad '---' efter huvudets sista fält)"),
    "empty file": (
        lambda c: (c / "amnen/parker.yaml").write_text("", encoding="utf-8"),
        "content/amnen/parker.yaml:1: filen är tom"),
    "not UTF-8": (
        lambda c: (c / "amnen/parker.yaml").write_bytes("name: gr\xf6nt\n".encode("latin-1")),
        "content/amnen/parker.yaml:1: filen är inte UTF-8 (spara den som UTF-8 i editorn)"),
    "missing field": (
        lambda c: replace(c / "namnder/testnamnden.yaml", "kind: nämnd\n", ""),
        "content/namnder/testnamnden.yaml:1: fältet 'kind' saknas"),
    "unknown field with a hint": (
        lambda c: replace(c / MOTION, "title:", "titel:"),
        "content/motioner/2020-1.md:3: [titel] okänt fält (menade du 'title'?)"),
    "time read as a number": (
        lambda c: replace(c / MOTION, 'identifier: "2020:1"', "identifier: 18:30"),
        "content/motioner/2020-1.md:2: [identifier] ska vara text, inte talet 1110 "
        "(YAML läser 18:30 och 2017:54 som tal (bas 60); skriv texten inom citattecken)"),
    "no read as false": (
        lambda c: replace(c / "partier/a.yaml", "abbreviation: A", "abbreviation: no"),
        "content/partier/a.yaml:2: [abbreviation] ska vara text, inte sant/falskt (false) "
        "(YAML läser no/yes/on/off som sant/falskt; skriv texten inom citattecken)"),
    "date that does not exist": (
        lambda c: replace(c / "moten/testnamnden-2020-05-05.yaml", "2020-05-05", "2020-02-30"),
        "content/moten/testnamnden-2020-05-05.yaml:2: [date] datumet 2020-02-30 finns inte"),
    "duplicate key": (
        lambda c: replace(c / "amnen/parker.yaml", "name: parker", "name: parker\nname: parkerna"),
        "content/amnen/parker.yaml:2: [name] fältet står två gånger (första gången på rad 1)"),
    "reference to a missing id": (
        lambda c: replace(c / DECISION, "meeting: testnamnden-2020-05-05", "meeting: testnamnden-2020-05-06"),
        "content/beslut/testnamnden-2020-05-05-par-3.md:2: [meeting] 'testnamnden-2020-05-06' finns inte i moten/ "
        "(menade du 'testnamnden-2020-05-05'?)"),
    "reference to a missing statement point": (
        lambda c: replace(c / DECISION, "{statement: forslag-b, point: 2}", "{statement: forslag-b, point: 5}"),
        "[statements[1].refers_to[0].point] 'forslag-b' har ingen punkt 5 (den har 2 punkter)"),
    "wrong choice": (
        lambda c: replace(c / DECISION, "kind: reservation", "kind: reservaton"),
        "[statements[0].kind] 'reservaton' är inte ett av: förslag, reservation, särskilt uttalande, "
        "ersättaryttrande (menade du 'reservation'?)"),
    "id that cannot be a URL": (
        lambda c: (c / "amnen/parker.yaml").rename(c / "amnen/Parker Och Träd.yaml"),
        "content/amnen/Parker Och Träd.yaml:1: [id] filnamnet 'Parker Och Träd' kan inte bli ett id"),
    "file in an unknown place": (
        lambda c: (c / "beslutt").mkdir() or (c / "beslutt/x.md").write_text("---\n---\n"),
        "content/beslutt: okänd mapp i innehållet"),
    "alias": (
        lambda c: replace(c / "personer/anna-alfa.yaml", "name: Anna Alfa\nname_forms: [Anna A. Alfa]",
                          "name: &n Anna Alfa\nname_forms: [*n]"),
        "content/personer/anna-alfa.yaml:2: [name_forms[0]] YAML-alias (&/*) tillåts inte"),
    "cycle": (
        lambda c: replace(c / "namnder/testnamnden.yaml", "kind: nämnd", "kind: nämnd\nserves: testforvaltningen"),
        "[serves] kedjan av serves går i cirkel"),
    "two records claim one URL": (
        lambda c: replace(c / "amnen/parker.yaml", "name: parker", "name: parker\nmoved_from: [parker]"),
        "content/amnen/parker.yaml:1: [moved_from] adressen /amnen/parker/ används redan"),
    "published URL disappears": (
        lambda c: (c / "partier/tyst.yaml").rename(c / "partier/tysta.yaml"),
        "den publicerade adressen /partier/tyst/ skulle försvinna (ange det gamla id:t i postens moved_from"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_content_is_reported_and_changes_nothing(name, workspace, capsys):
    mutate, message = CASES[name]
    before = snapshot(workspace / "build")
    capsys.readouterr()
    mutate(workspace / "content")
    assert main(["build", "--no-search"]) == 1
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
    assert snapshot(workspace / "build") == before
    assert not list(workspace.glob(".arkiv-staging-*"))


def test_check_reports_the_same_problems_without_writing(workspace, capsys):
    replace(workspace / "content" / MOTION, "title:", "titel:")
    assert main(["check"]) == 1
    assert "[titel] okänt fält (menade du 'title'?)" in capsys.readouterr().err


def test_every_problem_is_listed_at_once(workspace, capsys):
    replace(workspace / "content" / MOTION, "title:", "titel:")
    replace(workspace / "content" / "amnen/parker.yaml", "name: parker", "name: 12")
    assert main(["build", "--no-search"]) == 1
    err = capsys.readouterr().err
    assert "content/amnen/parker.yaml:1: [name] ska vara text, inte talet 12" in err
    assert "content/motioner/2020-1.md:3: [titel] okänt fält" in err
    assert "content/motioner/2020-1.md:2: fältet 'title' saknas" in err
    assert "Bygget stoppades: 3 problem" in err


def test_moved_record_keeps_its_old_url_working(workspace):
    content = workspace / "content"
    (content / "amnen/parker.yaml").rename(content / "amnen/parkerna.yaml")
    replace(content / "amnen/parkerna.yaml", "name: parker", "name: parker\nmoved_from: [parker]")
    for path in content.rglob("*.*"):
        if path.suffix in (".md", ".yaml"):
            path.write_text(path.read_text(encoding="utf-8").replace("[parker]", "[parkerna]"), encoding="utf-8")
    replace(content / "amnen/parkerna.yaml", "moved_from: [parkerna]", "moved_from: [parker]")
    assert main(["build", "--no-search"]) == 0
    assert "/amnen/parker/ /amnen/parkerna/ 301" in (workspace / "build/_redirects").read_text()
    assert (workspace / "build/amnen/parkerna/index.html").exists()


def test_crlf_and_bom_simply_work(workspace):
    path = workspace / "content" / "amnen/parker.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    assert main(["build", "--no-search"]) == 0


def test_second_build_at_once_refuses(workspace, capsys):
    import fcntl
    with open(workspace / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        assert main(["build", "--no-search"]) == 1
    assert "ett annat bygge av build pågår" in capsys.readouterr().err

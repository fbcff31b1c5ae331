"""Each kind of bad content: exit 1, its exact message, and build/ left as it was."""
from __future__ import annotations

import errno
import hashlib
import os
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURE
from generator import check, write
from generator.cli import main
from generator.load import MAX_FILE_BYTES
from generator.problems import Problems
from generator.validate import DECISION_PAGE_ANCHORS

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


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def symlink_folder(content: Path) -> None:
    """content/amnen points to a folder outside content/."""
    shutil.move(content / "amnen", content.parent / "amnen-utanfor")
    (content / "amnen").symlink_to(content.parent / "amnen-utanfor", target_is_directory=True)


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
    "date outside the archive's time": (
        lambda c: replace(c / "moten/testnamnden-2020-05-05.yaml", "2020-05-05", "9999-12-31"),
        "content/moten/testnamnden-2020-05-05.yaml:2: [date] datumet 9999-12-31 ligger utanför 1800–2199 "
        "(kontrollera årtalet)"),
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
    "a reference's verb that is not the protocol's": (
        lambda c: replace(c / DECISION, "{statement: forslag-b, point: 2}", "{statement: forslag-b, point: 2, how: stöder}"),
        "[statements[1].refers_to[0].how] 'stöder' är inte ett av: hänvisar till, ansluter sig till"),
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
    "symlink to a file": (
        lambda c: (c / "amnen/lank.yaml").symlink_to("/etc/passwd"),
        "content/amnen/lank.yaml: symboliska länkar tillåts inte i innehållet (kopiera in filen i stället)"),
    "symlink to a folder": (
        symlink_folder,
        "content/amnen: symboliska länkar tillåts inte i innehållet (kopiera in mappen i stället)"),
    "named pipe": (
        lambda c: os.mkfifo(c / "amnen/ror.yaml"),
        "content/amnen/ror.yaml: inte en vanlig fil (ta bort den)"),
    "oversized file": (
        lambda c: (c / "amnen/parker.yaml").write_bytes(b"name: " + b"x" * MAX_FILE_BYTES),
        f"content/amnen/parker.yaml: filen är för stor ({MAX_FILE_BYTES + 6} byte, högst {MAX_FILE_BYTES}) "
        "(dela upp den i flera poster)"),
    "nested so deep that libyaml would crash": (
        lambda c: (c / "amnen/parker.yaml").write_text("name: parker\ndescription: " + "[" * 100_000 + "]" * 100_000),
        "content/amnen/parker.yaml:2: YAML är nästlat mer än 16 nivåer djupt "
        "(inget fält i arkivet är så djupt; kontrollera hakparenteser och indrag)"),
    "YAML tag that asks for a Python object": (
        lambda c: replace(c / "amnen/parker.yaml", "name: parker", "name: !!python/object/apply:os.system [echo]"),
        "content/amnen/parker.yaml:1: [name] YAML-taggen !!python/object/apply:os.system tillåts inte "
        "(ta bort taggen (!!...) före värdet)"),
    "field name that is a date that does not exist": (
        lambda c: append(c / "amnen/parker.yaml", "2020-02-30: x\n"),
        "content/amnen/parker.yaml:3: fältnamnet '2020-02-30' är inte text "
        "(fältnamn skrivs med a-z och _, utan citattecken)"),
    "control character from a PDF conversion": (
        lambda c: append(c / MOTION, "\nSida 1\x0cSida 2\n"),
        "content/motioner/2020-1.md:18: filen innehåller styrtecknet U+000C "
        "(ta bort det; det syns inte i editorn men förstör sidan)"),
    "control character written as an escape": (
        lambda c: replace(c / "amnen/parker.yaml", "name: parker", 'name: "par\\x1bker"'),
        "content/amnen/parker.yaml:1: [name] texten innehåller styrtecknet U+001B (ta bort det)"),
    "field name with a line break and a terminal escape": (
        lambda c: append(c / "amnen/parker.yaml", '"\\n\\e[31m": x\n'),
        "content/amnen/parker.yaml:3: [\\n\\x1b[31m] okänt fält (fälten är: "),
    "wrong suffix": (
        lambda c: (c / "amnen/parker.yaml").rename(c / "amnen/parker.md"),
        "content/amnen/parker.md: fel filändelse för mappen amnen/ (poster här är .yaml-filer)"),
    "file at the top of content/": (
        lambda c: (c / "anteckningar.txt").write_text("att göra\n"),
        "content/anteckningar.txt: okänd fil i innehållsmappens topp"),
    "statement id that is a section of the decision page": (
        lambda c: replace(c / DECISION, "id: ersattaryttrande-a", "id: arendet"),
        "content/beslut/testnamnden-2020-05-05-par-3.md:15: [statements[1].id] 'arendet' är redan ett ankare "
        "på beslutets sida (välj ett id efter slag och parti, t.ex. reservation-m)"),
    "statement id that is another statement's point": (
        lambda c: replace(c / DECISION, "id: ersattaryttrande-a", "id: forslag-b-punkt-2"),
        "content/beslut/testnamnden-2020-05-05-par-3.md:15: [statements[1].id] 'forslag-b-punkt-2' är redan "
        "ankaret för en punkt i 'forslag-b'"),
    "statement without an id": (
        lambda c: replace(c / DECISION, "  - id: reservation-b\n    kind", "  - kind"),
        "content/beslut/testnamnden-2020-05-05-par-3.md:10: [statements[0]] fältet 'id' saknas"),
    "reference to a statement that is not text": (
        lambda c: replace(c / DECISION, "{statement: forslag-b, point: 2}", "{statement: 12, point: 2}"),
        "content/beslut/testnamnden-2020-05-05-par-3.md:22: [statements[1].refers_to[0].statement] "
        "ska vara ett uttalandes id, inte talet 12"),
    "moved_from that would write a redirect elsewhere": (
        lambda c: append(c / "amnen/parker.yaml", "moved_from: ['x/ https://example.com/ 302']\n"),
        "content/amnen/parker.yaml:3: [moved_from[0]] 'x/ https://example.com/ 302' kan inte vara ett id"),
    "program that is its own predecessor": (
        lambda c: replace(c / "program/parkprogram.md", "kind: program", "kind: program\npredecessor: parkprogram"),
        "content/program/parkprogram.md:2: [predecessor] kedjan av föregångare går i cirkel: "
        "parkprogram -> parkprogram"),
    "link in a body to a page that does not exist": (
        lambda c: append(c / MOTION, "\nSe [beslutet](/beslut/finns-inte/).\n"),
        "content/motioner/2020-1.md:18: [href] länken '/beslut/finns-inte/' leder ingenstans "
        "(sidan /motioner/2020-1/, rad "),
    "link in a body that leaves the site": (
        lambda c: append(c / MOTION, "\nSe [lösenorden](/../../etc/passwd).\n"),
        "content/motioner/2020-1.md:18: [href] länken '/../../etc/passwd' leder ingenstans"),
    "relative link in a body": (
        lambda c: append(c / MOTION, "\nSe [beslutet](beslut/x/).\n"),
        "content/motioner/2020-1.md:18: [href] relativ länk 'beslut/x/' (alla interna länkar börjar med /; "
        "sidan /motioner/2020-1/, rad "),
    "link in a body to an anchor that does not exist": (
        lambda c: append(c / MOTION, "\nSe [punkt 9](/beslut/testnamnden-2020-05-05-par-3/#beslutspunkt-9).\n"),
        "content/motioner/2020-1.md:18: [href] ankaret '#beslutspunkt-9' finns inte på "
        "beslut/testnamnden-2020-05-05-par-3/index.html"),
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


@pytest.mark.parametrize("name", ["Parker", "par ker", "par.ker", "par..ker", "-parker", "parker-",
                                  "par--ker", "pärker", "p" * 81])
def test_file_name_that_cannot_be_a_url(name, workspace, capsys):
    before = snapshot(workspace / "build")
    content = workspace / "content"
    shutil.copy(content / "amnen/parker.yaml", content / f"amnen/{name}.yaml")
    assert main(["build", "--no-search"]) == 1
    assert (f"content/amnen/{name}.yaml:1: [id] filnamnet '{name}' kan inte bli ett id "
            "(använd bara a-z, 0-9 och enkla bindestreck, högst 80 tecken") in capsys.readouterr().err
    assert snapshot(workspace / "build") == before


def test_bom_and_crlf_in_a_markdown_record_simply_work(workspace):
    path = workspace / "content" / MOTION
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    assert main(["build", "--no-search"]) == 0
    assert "Motion om fler parkbänkar" in (workspace / "build/motioner/2020-1/index.html").read_text()


def _fail_after(count: int, error: BaseException):
    """A Staging.write that writes `count` files, then raises `error`."""
    real = write.Staging.write

    def failing(self, relative, data):
        if len(self.written) >= count:
            raise error
        real(self, relative, data)
    return failing


def _edit_a_topic(workspace: Path) -> None:
    """A change that several pages show, so the next build has pages to write."""
    replace(workspace / "content/amnen/parker.yaml", "Stadens parker och grönområden.", "Stadens parker.")


def test_full_disk_stops_the_build_with_one_line(workspace, monkeypatch, capsys, tmp_path_factory):
    before = snapshot(workspace / "build")
    _edit_a_topic(workspace)
    disk_full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "build/beslut/x/index.html")
    with monkeypatch.context() as patch:
        patch.setattr(write.Staging, "write", _fail_after(2, disk_full))
        capsys.readouterr()
        assert main(["build", "--no-search"]) == 1
    err = capsys.readouterr().err
    assert err == "arkiv: bygget stoppades: disken är full (build/beslut/x/index.html)\n"
    assert snapshot(workspace / "build") == before
    assert not list(workspace.glob(".arkiv-staging-*"))
    # With space again, the next build gives what a build from nothing gives.
    assert main(["build", "--no-search"]) == 0
    clean = tmp_path_factory.mktemp("clean")
    shutil.copytree(workspace / "content", clean / "content")
    assert main(["build", "--no-search", "--content", str(clean / "content"),
                 "--output", str(clean / "build")]) == 0
    assert snapshot(workspace / "build") == snapshot(clean / "build")


def test_ctrl_c_midway_leaves_build_and_no_staging(workspace, monkeypatch, capsys):
    """In-process and exact; tests/test_cli.py sends a real SIGINT to a running build."""
    before = snapshot(workspace / "build")
    _edit_a_topic(workspace)
    monkeypatch.setattr(write.Staging, "write", _fail_after(2, KeyboardInterrupt()))
    capsys.readouterr()
    assert main(["build", "--no-search"]) == 130
    assert capsys.readouterr().err == "arkiv: bygget avbröts (Ctrl-C)\n"
    assert snapshot(workspace / "build") == before
    assert not list(workspace.glob(".arkiv-staging-*"))


def test_an_id_twice_on_a_page_is_a_problem(tmp_path):
    """The last line of defence when Markdown headings and template anchors meet."""
    (tmp_path / "a").mkdir()
    (tmp_path / "a/index.html").write_text('<h2 id="skal">Skäl</h2>\n<p>text</p>\n<h2 id="skal">Skäl</h2>\n')
    problems = Problems()
    check.check_links(tmp_path, problems)
    assert [str(p) for p in problems.sorted()] == [
        "build/a/index.html:3: [id] ankaret '#skal' finns två gånger på sidan (byt en av rubrikerna eller id:na)"]


def test_reserved_anchors_cover_every_id_on_the_decision_page(fixture_site):
    """A statement may not take an anchor the page uses itself: validate.py lists them."""
    page = fixture_site.page("/beslut/testnamnden-2020-05-05-par-3/")
    statements = ("reservation-b", "ersattaryttrande-a", "forslag-b")
    own = [element["id"] for element in page.find_all(id=True)
           if not any(element["id"] == s or element["id"].startswith(s + "-") for s in statements)]
    assert own
    missing = [anchor for anchor in own if not DECISION_PAGE_ANCHORS.match(anchor)]
    assert not missing, f"add these to DECISION_PAGE_ANCHORS in generator/validate.py: {missing}"

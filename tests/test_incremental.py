"""An incremental build gives byte for byte what a clean build of the same content gives."""
from __future__ import annotations

import errno
import os
import shutil

import pytest

from conftest import FIXTURE, names_beside, trash_left
from generator import incremental, permalinks, write
from generator.build import build
from generator.problems import BuildFailed


def files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def empty_folders(folder):
    return [p for p in folder.rglob("*") if p.is_dir() and not any(p.iterdir())]


def edit(content, relative, old, new):
    path = content / relative
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_edits_additions_and_deletions_match_a_clean_build(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    quiet = dict(say=lambda _: None, search=False)
    build(content, tmp_path / "build", **quiet)
    steps = [
        lambda: edit(content, "personer/anna-alfa.yaml", "Anna Alfa", "Anna Alfasson"),
        lambda: edit(content, "amnen/parker.yaml", "grönområden", "lekplatser"),
        lambda: (content / "partier/ny.yaml").write_text('name: Nya partiet\nabbreviation: N\ncolour: "#123456"\n'),
        lambda: edit(content, "beslut/testnamnden-2020-05-05-par-3.md", "Parker är bra.", "Parker är mycket bra."),
        lambda: (content / "partier/ny.yaml").unlink() or (content / "partier/nya.yaml").write_text(
            'name: Nya partiet\nabbreviation: N\ncolour: "#123456"\nmoved_from: [ny]\n'),
    ]
    for number, step in enumerate(steps):
        step()
        report = build(content, tmp_path / "build", **quiet)
        clean = tmp_path / f"clean-{number}"
        shutil.copytree(content, clean / "content")  # with the same list of published URLs
        build(clean / "content", clean / "build", incremental_builds=False, **quiet)
        assert files(tmp_path / "build") == files(clean / "build"), f"after step {number}"
        assert empty_folders(tmp_path / "build") == empty_folders(clean / "build") == [], f"after step {number}"


def test_a_person_rename_rebuilds_the_pages_that_show_the_name(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    build(content, tmp_path / "build", say=lambda _: None, search=False)
    edit(content, "personer/bertil-beta.yaml", "Bertil Beta", "Bertil Betasson")
    report = build(content, tmp_path / "build", say=lambda _: None, search=False)
    assert 0 < report.rendered < report.pages
    page = (tmp_path / "build/beslut/testnamnden-2020-05-05-par-3/index.html").read_text()
    assert "Bertil Betasson" in page


def test_an_undated_entry_follows_the_newest_date_wherever_it_moves(tmp_path):
    """A feed's undated entry is updated on the archive's newest date: a newer document
    on another board changes that feed too, though nothing in the feed itself changed."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    quiet = dict(say=lambda _: None, search=False)
    build(content, tmp_path / "build", **quiet)
    feed = tmp_path / "build/personer/anna-alfa.atom"
    before = feed.read_text(encoding="utf-8")
    (content / "dokument/senare.md").write_text(
        "---\nkind: tjänsteutlåtande\ntitle: Ett senare utlåtande\ndiarienummer: \"9.9.9-9/2031\"\n"
        "board: kommunstyrelsen\nto_board: kommunstyrelsen\ndate: 2031-01-01\nsignatories: []\n"
        "proposal: null\nsummary: null\nsources: [k1]\n---\nSenare text.\n", encoding="utf-8")
    build(content, tmp_path / "build", **quiet)
    after = feed.read_text(encoding="utf-8")
    assert "2031-01-01T00:00:00Z" not in before and "2031-01-01T00:00:00Z" in after
    clean = tmp_path / "clean"
    shutil.copytree(content, clean / "content")
    build(clean / "content", clean / "build", incremental_builds=False, **quiet)
    assert files(tmp_path / "build") == files(clean / "build")


def test_a_build_stopped_right_after_the_swap_leaves_nothing_stale(tmp_path):
    """Ctrl-C as the last stage is reported: build/ is already the new site, so the old
    state must not be saved as if it still described it."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    build(content, tmp_path / "build", say=lambda _: None, search=False)
    edit(content, "personer/anna-alfa.yaml", "Anna Alfa", "Anna Alfasson")

    def stopped_at_write(line):
        if line.strip().startswith("write"):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build(content, tmp_path / "build", say=stopped_at_write, search=False)
    edit(content, "personer/anna-alfa.yaml", "Anna Alfasson", "Anna Alfa")
    build(content, tmp_path / "build", say=lambda _: None, search=False)
    clean = tmp_path / "clean"
    shutil.copytree(content, clean / "content")
    build(clean / "content", clean / "build", say=lambda _: None, search=False, incremental_builds=False)
    built = files(tmp_path / "build")
    assert not [name for name, data in built.items() if b"Alfasson" in data]
    assert built == files(clean / "build")


def test_a_file_saved_while_the_build_reads_is_not_cached_under_its_old_hash(tmp_path, monkeypatch):
    """The content is hashed first and parsed after: an editor saving in between must not
    leave the newer text cached under the hash of the bytes before it."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    build(content, tmp_path / "build", say=lambda _: None, search=False)
    edit(content, "personer/anna-alfa.yaml", "Anna Alfa", "Anna Andersdotter")
    hashed_before_the_save = incremental.scan_content(content)
    edit(content, "personer/anna-alfa.yaml", "Anna Andersdotter", "Anna Alfasson")
    scans = iter([hashed_before_the_save])
    real = incremental.scan_content
    monkeypatch.setattr(incremental, "scan_content", lambda folder, output=None: next(scans, None) or real(folder, output))
    build(content, tmp_path / "build", say=lambda _: None, search=False)
    edit(content, "personer/anna-alfa.yaml", "Anna Alfasson", "Anna Andersdotter")  # those bytes again
    build(content, tmp_path / "build", say=lambda _: None, search=False)
    page = (tmp_path / "build/personer/anna-alfa/index.html").read_text(encoding="utf-8")
    assert "Anna Andersdotter" in page and "Alfasson" not in page


@pytest.mark.parametrize("link, take_away", [
    ("/amnen/bibliotek/", lambda c: (c / "amnen/bibliotek.yaml").unlink() or (c / "amnen/bocker.yaml").write_text(
        "name: böcker\ndescription: Stadens bibliotek.\nmoved_from: [bibliotek]\n", encoding="utf-8")),
    ("/amnen/bibliotek/#stycke-50c63c70",  # the anchor of its description's paragraph
     lambda c: edit(c, "amnen/bibliotek.yaml", "Stadens bibliotek.", "Stadens boksamlingar.")),
    ("/dokument/tu-parkbankar/#bakgrund",  # a heading of its text, the front matter unchanged
     lambda c: edit(c, "dokument/tu-parkbankar.md", "## Bakgrund", "## Historik")),
])
def test_a_link_written_in_a_kept_page_is_checked_again_when_its_target_goes(tmp_path, link, take_away):
    """Kept pages' links are not checked again while everything the last build had is
    still there; once a page moves or an anchor goes, a hand-written link to it must fail
    the build, though the page that holds it is not rendered again."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    (content / "amnen/bibliotek.yaml").write_text("name: bibliotek\ndescription: Stadens bibliotek.\n",
                                                  encoding="utf-8")
    with open(content / "program/parkprogram.md", "a", encoding="utf-8") as body:
        body.write(f"\nSe [där]({link}).\n")
    quiet = dict(say=lambda _: None, search=False)
    build(content, tmp_path / "build", **quiet)
    take_away(content)
    with pytest.raises(BuildFailed) as failed:
        build(content, tmp_path / "build", **quiet)
    said = "\n".join(str(problem) for problem in failed.value.problems)
    assert failed.value.stage == "check" and "content/program/parkprogram.md" in said
    assert link.split("#")[-1] in said


def test_a_motion_text_edit_reaches_the_excerpt_on_its_topic_page(tmp_path):
    """A record's text is a dependency apart from its front matter: the topic page
    quotes the motion's paragraph on parks, and reads nothing else of its text."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    with open(content / "motioner/2020-1.md", "a", encoding="utf-8") as body:
        body.write("\nStadens parker behöver fler bänkar.\n")
    quiet = dict(say=lambda _: None, search=False)
    build(content, tmp_path / "build", **quiet)
    topic = tmp_path / "build/amnen/parker/index.html"
    assert "Stadens parker behöver fler bänkar." in topic.read_text(encoding="utf-8")
    edit(content, "motioner/2020-1.md", "behöver fler bänkar", "behöver många fler bänkar")
    report = build(content, tmp_path / "build", **quiet)
    assert "Stadens parker behöver många fler bänkar." in topic.read_text(encoding="utf-8")
    assert report.rendered < report.pages / 2  # a text edit leaves the lists that only name it
    clean = tmp_path / "clean"
    shutil.copytree(content, clean / "content")
    build(clean / "content", clean / "build", incremental_builds=False, **quiet)
    assert files(tmp_path / "build") == files(clean / "build")


def test_a_reference_to_a_record_deleted_since_fails_though_its_file_is_unchanged(tmp_path):
    """A validated record is reused only while the content's ids are as they were."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    quiet = dict(say=lambda _: None, search=False)
    build(content, tmp_path / "build", **quiet)
    (content / "personer/bertil-beta.yaml").unlink()
    with pytest.raises(BuildFailed) as failed:
        build(content, tmp_path / "build", **quiet)
    said = "\n".join(str(problem) for problem in failed.value.problems)
    assert failed.value.stage == "content"
    # The line is the saved record's, read again to validate it anew.
    decision = content / "beslut/testnamnden-2020-05-05-par-3.md"
    line = next(number for number, text in enumerate(decision.read_text().splitlines(), 1)
                if "bertil-beta" in text)
    assert f"content/beslut/testnamnden-2020-05-05-par-3.md:{line}:" in said and "bertil-beta" in said


def test_a_dump_changed_outside_a_build_is_not_copied_from(tmp_path):
    """Unchanged records are copied from build/'s dump by offset, but only from the
    very file the last build wrote."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    quiet = dict(say=lambda _: None, search=False)
    build(content, tmp_path / "build", **quiet)
    dump = tmp_path / "build/data/arkiv.json"
    dump.write_bytes(dump.read_bytes().replace(b"Anna Alfa", b"Xxxx Xxxx"))
    edit(content, "amnen/parker.yaml", "grönområden", "lekplatser")
    build(content, tmp_path / "build", **quiet)
    clean = tmp_path / "clean"
    shutil.copytree(content, clean / "content")
    build(clean / "content", clean / "build", incremental_builds=False, **quiet)
    assert b"Xxxx" not in dump.read_bytes()
    assert files(tmp_path / "build") == files(clean / "build")


def _forbidden(*_):
    raise OSError(errno.EPERM, "forbidden by seccomp")


@pytest.mark.parametrize("kernel", [os.copy_file_range, lambda *_: 0, _forbidden, None],
                         ids=["copy_file_range", "a file system that copies nothing", "forbidden", "macOS"])
def test_a_dump_copied_from_the_last_in_long_runs_matches_a_clean_build(tmp_path, monkeypatch, kernel):
    """At city scale the runs of unchanged records are long, and copied by the kernel
    from build/'s dump; or read and written where the kernel cannot (a file system
    that does not, a container that forbids it, a system without the call). Here
    every run counts as long."""
    monkeypatch.setattr(write, "SHORT_RUN", 1)
    copies = []

    def copy(*args):
        copies.append(args)
        return kernel(*args)
    monkeypatch.setattr(write, "_copy_file_range", copy if kernel is not None else None)
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    quiet = dict(say=lambda _: None, search=False)
    build(content, tmp_path / "build", **quiet)
    edit(content, "personer/anna-alfa.yaml", "Anna Alfa", "Anna Alfasson")
    build(content, tmp_path / "build", **quiet)
    clean = tmp_path / "clean"
    shutil.copytree(content, clean / "content")
    build(clean / "content", clean / "build", incremental_builds=False, **quiet)
    assert bool(copies) == (kernel is not None), "no run of the last dump was copied"
    assert b"Anna Alfasson" in (tmp_path / "build/data/arkiv.json").read_bytes()
    assert files(tmp_path / "build") == files(clean / "build")


def test_the_states_pages_are_read_only_from_the_pieces_it_saved(tmp_path):
    """The state's pages are saved in pieces, and an edit saves again only the pieces
    with a page it changed. A piece put back from an older build (readable, the bytes
    that build saved) is not trusted: the page it holds would be kept as then."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    quiet = dict(say=lambda _: None, search=False)
    build(content, tmp_path / "build", **quiet)
    pieces = incremental.in_pieces_path(tmp_path / "build", "pages")
    older = {path.name: path.read_bytes() for path in pieces.iterdir()}
    edit(content, "amnen/parker.yaml", "grönområden", "lekplatser")
    build(content, tmp_path / "build", **quiet)
    saved_again = [name for name, data in older.items() if (pieces / name).read_bytes() != data]
    assert 0 < len(saved_again) < len(older) // 2
    edit(content, "amnen/parker.yaml", "lekplatser", "bryggor")  # the spare is not the first build's
    build(content, tmp_path / "build", **quiet)
    for name in saved_again:
        (pieces / name).write_bytes(older[name])
    edit(content, "amnen/parker.yaml", "bryggor", "grönområden")
    build(content, tmp_path / "build", **quiet)
    page = (tmp_path / "build/amnen/parker/index.html").read_text(encoding="utf-8")
    assert "Stadens parker och grönområden." in page
    clean = tmp_path / "clean"
    shutil.copytree(content, clean / "content")
    build(clean / "content", clean / "build", incremental_builds=False, **quiet)
    assert files(tmp_path / "build") == files(clean / "build")


def test_a_file_rewritten_with_its_old_size_and_time_is_read_again(tmp_path, monkeypatch):
    """Unchanged files are known by their inode, size and times, not read again; a
    rewrite that keeps the size and sets the old modification time back (tar, rsync -t)
    still changes the change time, which cannot be set."""
    monkeypatch.setattr(incremental, "RACY_NS", 0)  # no waiting out the racy window here
    monkeypatch.setattr(incremental, "STATS_SAVED_FROM", 1)  # the times saved at every build
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    quiet = dict(say=lambda _: None, search=False)
    build(content, tmp_path / "build", **quiet)
    build(content, tmp_path / "build", **quiet)  # reads the list of URLs the first one wrote
    read = []
    real_hash = incremental.input_hash
    monkeypatch.setattr(incremental, "input_hash", lambda path: read.append(path) or real_hash(path))
    assert build(content, tmp_path / "build", **quiet).unchanged and read == []
    person = content / "personer/anna-alfa.yaml"
    before = person.stat()
    person.write_text(person.read_text(encoding="utf-8").replace("Anna Alfa", "Anna Olfa"), encoding="utf-8")
    os.utime(person, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert person.stat().st_size == before.st_size and person.stat().st_mtime_ns == before.st_mtime_ns
    report = build(content, tmp_path / "build", **quiet)
    assert not report.unchanged and read == [str(person)]
    assert "Anna Olfa" in (tmp_path / "build/personer/anna-alfa/index.html").read_text(encoding="utf-8")


def test_a_file_changed_since_the_times_were_saved_is_read_at_every_build(tmp_path, monkeypatch):
    """An edit hashes one file anew, and the files' times are not saved again for it
    (incremental.STATS_SAVED_FROM): the file is then read at every build, and a
    rewrite of it that keeps its size and modification time is still seen."""
    monkeypatch.setattr(incremental, "RACY_NS", 0)
    content, output = tmp_path / "content", tmp_path / "build"
    shutil.copytree(FIXTURE, content)
    quiet = dict(say=lambda _: None, search=False)
    build(content, output, **quiet)
    build(content, output, **quiet)
    saved = os.stat(incremental.stats_path(output)).st_ino
    person = content / "personer/anna-alfa.yaml"
    edit(content, "personer/anna-alfa.yaml", "Anna Alfa", "Anna Olfa")
    assert not build(content, output, **quiet).unchanged
    assert os.stat(incremental.stats_path(output)).st_ino == saved
    read = []
    real_hash = incremental.input_hash
    monkeypatch.setattr(incremental, "input_hash", lambda path: read.append(path) or real_hash(path))
    listed = content / permalinks.LIST_NAME  # written by the first build, read by the second
    assert build(content, output, **quiet).unchanged and sorted(read) == sorted([str(listed), str(person)])
    before = person.stat()
    edit(content, "personer/anna-alfa.yaml", "Anna Olfa", "Anna Ulfa")
    os.utime(person, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert not build(content, output, **quiet).unchanged
    assert "Anna Ulfa" in (output / "personer/anna-alfa/index.html").read_text(encoding="utf-8")


def test_a_build_begun_just_after_a_copy_leaves_the_next_no_op_nothing_to_read(tmp_path, monkeypatch):
    """Files copied just before a build are too young for their times to vouch for
    them then; by the build's end they are not, and the build hashes them again and
    saves their times, so the no-op after it reads no file. A file saved meanwhile is
    still seen as changed."""
    import time

    monkeypatch.setattr(incremental, "RACY_NS", 200_000_000)
    monkeypatch.setattr(incremental, "STATS_SAVED_FROM", 1)
    real_settle = incremental.settle_content_times
    saved_meanwhile = []

    def settle_later(content, output, scan):
        time.sleep(0.3)  # the build outlives the racy window, as a large one does
        for relative, old, new in saved_meanwhile:
            edit(content, relative, old, new)
        real_settle(content, output, scan)
    monkeypatch.setattr(incremental, "settle_content_times", settle_later)
    content, output = tmp_path / "content", tmp_path / "build"
    shutil.copytree(FIXTURE, content)
    quiet = dict(say=lambda _: None, search=False)
    build(content, output, **quiet)  # writes the list of published URLs at its end
    read = []
    real_hash = incremental.input_hash
    monkeypatch.setattr(incremental, "input_hash", lambda path: read.append(path) or real_hash(path))
    assert build(content, output, **quiet).unchanged
    assert read == [str(content / permalinks.LIST_NAME)]
    saved_meanwhile.append(("personer/anna-alfa.yaml", "Anna Alfa", "Anna Olfa"))
    edit(content, "amnen/parker.yaml", "grönområden", "lekplatser")
    assert not build(content, output, **quiet).unchanged
    assert "Anna Olfa" not in (output / "personer/anna-alfa/index.html").read_text(encoding="utf-8")
    saved_meanwhile.clear()
    assert not build(content, output, **quiet).unchanged  # the save during the last one
    assert "Anna Olfa" in (output / "personer/anna-alfa/index.html").read_text(encoding="utf-8")


def test_files_read_again_only_for_their_age_are_saved_once_they_are_old(tmp_path, monkeypatch):
    """Files rewritten with the same bytes (a checkout) just before a build that ends
    while they are young cannot be vouched for by their times; the next build reads
    them again and saves their times then, though neither times nor bytes changed
    since: the build after it reads none."""
    import time

    monkeypatch.setattr(incremental, "RACY_NS", 200_000_000)
    monkeypatch.setattr(incremental, "STATS_SAVED_FROM", 1)
    monkeypatch.setattr(incremental, "settle_content_times", lambda *_: None)  # ends young
    content, output = tmp_path / "content", tmp_path / "build"
    shutil.copytree(FIXTURE, content)
    quiet = dict(say=lambda _: None, search=False)
    build(content, output, **quiet)
    time.sleep(0.3)
    build(content, output, **quiet)  # the list of published URLs, written by the first, aged
    for path in content.rglob("*.*"):
        path.write_bytes(path.read_bytes())
    assert build(content, output, **quiet).unchanged
    time.sleep(0.3)
    read = []
    real_hash = incremental.input_hash
    monkeypatch.setattr(incremental, "input_hash", lambda path: read.append(path) or real_hash(path))
    assert build(content, output, **quiet).unchanged and len(read) > 10
    read.clear()
    assert build(content, output, **quiet).unchanged and read == []


def test_files_linked_in_the_background_are_all_in_place_before_the_swap(tmp_path, monkeypatch):
    """Unchanged files are linked into the staging folder by a thread of its own (the
    first edit after a clean build takes every one from build/): slowed down, the
    last of them must still be there when the staging folder becomes build/."""
    import time

    from generator import write
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    quiet = dict(say=lambda _: None, search=False)
    build(content, tmp_path / "build", **quiet)
    edit(content, "beslut/testnamnden-2020-05-05-par-3.md", "Parker är bra.", "Parker är mycket bra.")
    link_from = write.Staging.link_from

    def slowly(self, source, relative):
        time.sleep(0.002)
        link_from(self, source, relative)
    monkeypatch.setattr(write.Staging, "link_from", slowly)
    build(content, tmp_path / "build", **quiet)
    clean = tmp_path / "clean"
    shutil.copytree(content, clean / "content")
    build(clean / "content", clean / "build", incremental_builds=False, **quiet)
    assert files(tmp_path / "build") == files(clean / "build")


def test_a_build_from_a_mirror_of_build_matches_a_clean_build(tmp_path, monkeypatch):
    """The first edit after a clean build starts from build/ hard-linked by `cp -al`
    (write.Mirror); it must give what a clean build gives, with search, and a build that
    fails on the way leaves build/ and its folder as they were."""
    from generator import build as build_stage, write
    monkeypatch.setattr(build_stage, "MIRROR_FROM", 1)  # the fixture is far smaller than 1,000 files
    # The clean build leaves its spare far from build/, as one whose mirror failed.
    monkeypatch.setattr(build_stage, "_mirror_for_next_build", lambda *args: None)
    taken = []
    real_take = write.Mirror.take
    monkeypatch.setattr(write.Mirror, "take", lambda self: taken.append(real_take(self)) or taken[-1])
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    quiet = dict(say=lambda _: None, search=True)
    build(content, tmp_path / "build", **quiet)
    before = files(tmp_path / "build")
    beside = names_beside(tmp_path)
    edit(content, "beslut/testnamnden-2020-05-05-par-3.md", "Parker är bra.", "Parker är bra. Och [hit](/saknas/).")
    with pytest.raises(BuildFailed):
        build(content, tmp_path / "build", **quiet)
    assert files(tmp_path / "build") == before
    assert names_beside(tmp_path) <= beside  # nothing left behind (the spare may go)
    edit(content, "beslut/testnamnden-2020-05-05-par-3.md", " Och [hit](/saknas/).", "")
    edit(content, "personer/anna-alfa.yaml", "Anna Alfa", "Anna Alfasson")
    build(content, tmp_path / "build", **quiet)
    assert taken and all(staging is not None for staging in taken)
    clean = tmp_path / "clean"
    shutil.copytree(content, clean / "content")
    build(clean / "content", clean / "build", incremental_builds=False, **quiet)
    ours, theirs = files(tmp_path / "build"), files(clean / "build")
    assert {k: v for k, v in ours.items() if "pagefind" not in k} == \
        {k: v for k, v in theirs.items() if "pagefind" not in k}
    assert names_beside(tmp_path) == beside | {"clean"}


def test_a_clean_build_leaves_the_new_site_as_its_spare(tmp_path, monkeypatch):
    """A clean build mirrors what it made into the spare folder, so the first edit
    after it starts there as any edit does: it neither mirrors build/ nor links the
    files it did not change, and gives what a clean build gives. A clean build whose
    index fails leaves no mirror behind."""
    from generator import build as build_stage, index
    monkeypatch.setattr(build_stage, "MIRROR_FROM", 1)  # the fixture is far smaller than 1,000 files
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    quiet = dict(say=lambda _: None, search=True)
    output = tmp_path / "build"
    build(content, output, **quiet)
    site, spare = files(output), write.spare_folder(output)
    assert files(spare) == site
    assert all(os.stat(output / path).st_ino == os.stat(spare / path).st_ino for path in site)

    mirrors, linked = [], []
    real_mirror, real_link = write.Mirror.__init__, write.Staging.link_from
    monkeypatch.setattr(write.Mirror, "__init__", lambda self, *args, **kwargs: mirrors.append(args) or
                        real_mirror(self, *args, **kwargs))
    monkeypatch.setattr(write.Staging, "link_from", lambda self, source, relative: linked.append(relative) or
                        real_link(self, source, relative))
    edit(content, "beslut/testnamnden-2020-05-05-par-3.md", "Parker är bra.", "Parker är mycket bra.")
    build(content, output, **quiet)
    assert mirrors == []
    assert [path for path in linked if not path.startswith("pagefind/")] == []
    clean = tmp_path / "clean"
    shutil.copytree(content, clean / "content")
    build(clean / "content", clean / "build", incremental_builds=False, **quiet)
    assert {k: v for k, v in files(output).items() if "pagefind" not in k} == \
        {k: v for k, v in files(clean / "build").items() if "pagefind" not in k}

    def failing(site, made_in, key, one_thread):
        raise index.IndexFailed("Pagefind stopped")
    monkeypatch.setattr(index, "_run_pagefind", failing)
    before = files(clean / "build")
    with pytest.raises(index.IndexFailed):
        build(clean / "content", clean / "build", incremental_builds=False, **quiet)
    assert mirrors  # the failed build had begun its mirror
    assert files(clean / "build") == before
    assert [name for name in names_beside(clean) if name.startswith(write.MIRROR_PREFIX)] == []


@pytest.mark.parametrize("take_away", ["build", "build/*", "build/beslut"])
def test_a_build_after_build_was_deleted_by_hand_is_whole(tmp_path, take_away):
    """rm -rf of build/, of what it holds or of one section: the next builds put back
    everything, though the state saved beside build/ says it was all there."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    quiet = dict(say=lambda _: None, search=False)
    output = tmp_path / "build"
    build(content, output, **quiet)
    edit(content, "beslut/testnamnden-2020-05-05-par-3.md", "parkbänkar", "parkbänkar i parken")
    build(content, output, **quiet)  # the spare folder now holds the site before the edit
    for path in tmp_path.glob(take_away):
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    build(content, output, **quiet)
    clean = tmp_path / "clean"
    build(content, clean, incremental_builds=False, **quiet)
    assert files(output) == files(clean)
    edit(content, "beslut/testnamnden-2020-05-05-par-3.md", "i parken", "i stadens parker")
    build(content, output, **quiet)  # from the spare folder: build/ as it was before
    build(content, clean, incremental_builds=False, **quiet)
    assert files(output) == files(clean)


def test_an_edited_template_shows_on_the_next_build(tmp_path, monkeypatch):
    """The templates are kept compiled from build to build; an edited one is compiled anew."""
    from generator import build as build_module
    project = tmp_path / "project"
    shutil.copytree(build_module.TEMPLATES, project / "templates")
    shutil.copytree(build_module.ASSETS, project / "assets")
    monkeypatch.setattr(incremental, "PROJECT", project)
    monkeypatch.setattr(build_module, "TEMPLATES", project / "templates")
    monkeypatch.setattr(build_module, "ASSETS", project / "assets")
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    quiet = dict(say=lambda _: None, search=False)
    footer = "Texterna är källornas egna"
    build(content, tmp_path / "build", **quiet)
    assert any((tmp_path / ".arkiv-state-build.templates").rglob("*.cache"))
    page = tmp_path / "build" / "beslut" / "testnamnden-2020-05-05-par-3" / "index.html"
    assert footer in page.read_text(encoding="utf-8")
    edit(project, "templates/base.html", footer, "Allt här är källornas eget")
    build(content, tmp_path / "build", **quiet)
    assert footer not in page.read_text(encoding="utf-8")
    assert "Allt här är källornas eget" in page.read_text(encoding="utf-8")
    # compiled by this code only: what other code compiled is gone
    assert len(list((tmp_path / ".arkiv-state-build.templates").iterdir())) == 1


def test_an_upgraded_library_renders_every_page_again(tmp_path, monkeypatch):
    """A page kept from a build made with markdown-it-py 4.2 beside pages made with 4.3
    would differ from a clean build: an upgrade is a change of code."""
    libraries = tmp_path / "site-packages"
    (libraries / "markdownish").mkdir(parents=True)
    (libraries / "markdownish" / "__init__.py").write_text("", encoding="utf-8")
    (libraries / "markdownish-1.0.dist-info").mkdir()
    monkeypatch.syspath_prepend(str(libraries))
    monkeypatch.setattr(incremental, "OUTPUT_LIBRARIES", (*incremental.OUTPUT_LIBRARIES, "markdownish"))
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    quiet = dict(say=lambda _: None, search=False)
    build(content, tmp_path / "build", **quiet)
    assert build(content, tmp_path / "build", **quiet).rendered == 0
    (libraries / "markdownish-1.0.dist-info").rename(libraries / "markdownish-1.1.dist-info")
    report = build(content, tmp_path / "build", **quiet)
    assert report.rendered == report.pages > 0


def test_a_process_that_keeps_its_state_sees_a_build_made_by_another(tmp_path):
    """arkiv serve keeps what its last build saved (incremental.Memory); a build by
    another process in between (a terminal, a git hook) must not leave a page stale:
    here the motion's page, as serve's last build made it, is no longer in build/."""
    content, output = tmp_path / "content", tmp_path / "build"
    shutil.copytree(FIXTURE, content)
    quiet = dict(say=lambda _: None, search=False)
    memory = incremental.Memory()
    motion, page = "motioner/2020-1.md", output / "motioner/2020-1/index.html"
    with open(content / motion, "a", encoding="utf-8") as body:
        body.write("\nStadens parker behöver fler bänkar.\n")
    build(content, output, **quiet)
    edit(content, motion, "behöver fler bänkar", "behöver nya bänkar")
    build(content, output, memory=memory, **quiet)  # serve
    edit(content, motion, "behöver nya bänkar", "behöver många fler bänkar")
    build(content, output, **quiet)  # the other process
    edit(content, motion, "behöver många fler bänkar", "behöver nya bänkar")  # as serve saw it last
    report = build(content, output, memory=memory, **quiet)
    assert 0 < report.rendered < report.pages  # an incremental build, not one from nothing
    assert "nya bänkar" in page.read_text(encoding="utf-8")
    clean = tmp_path / "clean"
    shutil.copytree(content, clean / "content")
    build(clean / "content", clean / "build", incremental_builds=False, **quiet)
    assert files(output) == files(clean / "build")


def test_what_an_edit_put_aside_is_deleted_after_it(tmp_path):
    """The search index puts an edited shard's old files and its folder of pages aside
    (write.put_aside); once the build is done they are deleted, not left beside build/."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    quiet = dict(say=lambda _: None, search=True)
    build(content, tmp_path / "build", **quiet)
    edit(content, "beslut/testnamnden-2020-05-05-par-3.md", "Parker är bra.", "Parker är mycket bra.")
    build(content, tmp_path / "build", **quiet)  # the spare folder now holds a site with an index
    edit(content, "beslut/testnamnden-2020-05-05-par-3.md", "Parker är mycket bra.", "Parker är bra.")
    put_aside = []
    real_put_aside = write.put_aside
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(write, "put_aside", lambda folders, output, now=True:
                      put_aside.extend(folders) or real_put_aside(folders, output, now))
        build(content, tmp_path / "build", **quiet)
    assert any(folder.name == "fragment" for folder in put_aside)  # the shard's old files
    assert not trash_left(tmp_path)
    assert not list(tmp_path.glob(write.STAGING_PREFIX + "*")) and not list(tmp_path.glob(write.SCRATCH_PREFIX + "*"))

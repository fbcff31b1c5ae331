"""The staging folder takes unchanged files from build/ without ever writing into them."""
from __future__ import annotations

import errno
import os

from conftest import trash_left
from generator import write


def test_where_hard_links_fail_an_unchanged_file_is_copied_and_build_is_untouched(tmp_path, monkeypatch):
    site, staging_root = tmp_path / "build", tmp_path / "spare"
    (site / "beslut").mkdir(parents=True)
    (site / "beslut/index.html").write_text("ny", encoding="utf-8")
    (staging_root / "beslut").mkdir(parents=True)
    os.link(site / "beslut/index.html", staging_root / "beslut/index.html")  # as after a swap
    staging = write.Staging(staging_root)

    def no_hard_links(source, target):
        if os.path.exists(target):
            raise FileExistsError(errno.EEXIST, "exists", target)
        raise PermissionError(errno.EPERM, "no hard links on this file system", target)

    monkeypatch.setattr(write.os, "link", no_hard_links)
    staging.link_from(site, "beslut/index.html")
    assert (staging_root / "beslut/index.html").read_text(encoding="utf-8") == "ny"
    assert not (staging_root / "beslut/index.html").samefile(site / "beslut/index.html")
    assert (site / "beslut/index.html").read_text(encoding="utf-8") == "ny"


def test_a_file_is_never_written_outside_the_staging_folder(tmp_path):
    from pathlib import PurePosixPath

    import pytest
    staging = write.Staging(tmp_path / "staging")
    for relative in ("../utanfor.html", "beslut/../../utanfor.html", "/tmp/utanfor.html"):
        with pytest.raises(RuntimeError, match="outside the output folder"):
            staging.write(PurePosixPath(relative), b"x")
    assert not (tmp_path / "utanfor.html").exists()
    staging.write(PurePosixPath("beslut/x/index.html"), b"x")
    assert (tmp_path / "staging/beslut/x/index.html").read_bytes() == b"x"


def test_the_old_spare_and_trash_a_stopped_deletion_left_are_deleted_in_the_background(tmp_path):
    output = tmp_path / "build"
    output.mkdir()
    old_spare = write.spare_folder(output)
    (old_spare / "beslut").mkdir(parents=True)
    (old_spare / "beslut/index.html").write_text("förra sajten", encoding="utf-8")
    left = tmp_path / f"{write.TRASH_PREFIX}build-avbruten"  # its rm was killed
    (left / "site").mkdir(parents=True)
    (left / "site/index.html").write_text("x", encoding="utf-8")
    staging = write.fresh_spare(output)
    assert staging.root == old_spare and not any(staging.root.iterdir())
    assert not trash_left(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["build", old_spare.name])


def test_a_stopped_builds_mirror_goes_at_the_next_build_and_another_outputs_stays(tmp_path):
    """A build killed while `cp -al` mirrored its site leaves the mirror (cp runs on);
    the next build of that output removes it, not the live mirror of an output named
    build-prod beside it, which another build's lock guards."""
    stale = tmp_path / (write.MIRROR_PREFIX + "build-abcd1234")
    other = tmp_path / (write.MIRROR_PREFIX + "build-prod-abcd1234")
    for folder in (stale, other):
        (folder / "beslut").mkdir(parents=True)
        (folder / "beslut/index.html").write_text("x", encoding="utf-8")
    with write.build_lock(tmp_path / "build"):
        assert not stale.exists()
    assert other.exists()
    assert trash_left(tmp_path) == []


def test_a_killed_builds_staging_goes_and_another_outputs_stays(tmp_path):
    """The staging and scratch folders of a killed build of build/ are removed when the
    next build of it stages; those of build-prod beside it, whose build may be
    running, are not touched."""
    ours = [tmp_path / name for name in (write.STAGING_PREFIX + "build-k3j9x0qa", write.STAGING_PREFIX + "build-old",
                                          write.SCRATCH_PREFIX + "build-z81mm2ck")]
    # "prod-old" is eight characters, as mkdtemp adds: a glob of "?" would take it.
    theirs = [tmp_path / name for name in (write.STAGING_PREFIX + "build-prod-k3j9x0qa",
                                            write.STAGING_PREFIX + "build-prod-old",
                                            write.SCRATCH_PREFIX + "build-prod-z81mm2ck")]
    for folder in ours + theirs:
        (folder / "beslut").mkdir(parents=True)
        (folder / "beslut/index.html").write_text("x", encoding="utf-8")
    with write.build_lock(tmp_path / "build"):
        staging = write.new_staging(tmp_path / "build")
        assert not any(folder.exists() for folder in ours)
        assert all((folder / "beslut/index.html").read_text(encoding="utf-8") == "x" for folder in theirs)
        write.discard(staging)

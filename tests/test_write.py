"""The staging folder takes unchanged files from build/ without ever writing into them."""
from __future__ import annotations

import errno
import os

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

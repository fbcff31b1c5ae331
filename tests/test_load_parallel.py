"""Content parsed on several processes reads as it does on one, problems included."""
from __future__ import annotations

import shutil

from conftest import FIXTURE
from generator import load
from generator.problems import Problems


def test_parallel_parsing_gives_the_same_records_and_problems(tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    (content / "personer" / "trasig.yaml").write_text("name: [Anna\n", encoding="utf-8")
    (content / "amnen" / "tom.yaml").write_text("\n", encoding="utf-8")
    one, many = Problems(), Problems()
    serial = load.load_content(content, one, workers=1)
    monkeypatch.setattr(load, "PARALLEL_FROM", 1)
    parallel = load.load_content(content, many, workers=2)
    assert parallel == serial and len(serial) > 10
    assert many.sorted() == one.sorted()
    assert {p.path for p in one.items} == {"content/personer/trasig.yaml", "content/amnen/tom.yaml"}

"""The commands as a maintainer runs them."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import FIXTURE, ROOT


def run(*args, cwd):
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd,
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_build_prints_stage_times_and_a_summary(tmp_path):
    shutil.copytree(FIXTURE, tmp_path / "content")
    result = run("build", "--no-search", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    for stage in ("load", "validate", "link", "render", "check", "write"):
        assert any(line.split()[0] == stage and line.endswith(" s") for line in lines[:-2]), stage
    pages = len(list((tmp_path / "build").rglob("*.html")))
    assert lines[-1].startswith(f"Klart: {pages} sidor, ")
    assert "0 varningar" in lines[-1] and lines[-1].endswith("-> build/")


def test_usage_error_exits_2(tmp_path):
    assert run("bygg", cwd=tmp_path).returncode == 2


def _start_a_long_build(tmp_path):
    """A build of the fixture archive, then a second one running while staging is written."""
    shutil.copytree(FIXTURE, tmp_path / "content")
    assert run("build", "--no-search", cwd=tmp_path).returncode == 0
    before = {p: p.read_bytes() for p in (tmp_path / "build").rglob("*") if p.is_file()}
    # Enough pages that rendering takes a while: the signal lands while staging is written.
    for number in range(300):
        (tmp_path / f"content/amnen/amne-{number}.yaml").write_text(
            f"name: ämne {number}\ndescription: |\n" + "  Text om ämnet. " * 20000 + "\n")
    # SIGINT as a terminal gives it: a suite started in the background (`cmd &` in a
    # script) ignores SIGINT, and a Python started so never raises KeyboardInterrupt.
    process = subprocess.Popen([sys.executable, "-m", "generator", "build", "--no-search"], cwd=tmp_path,
                               env={**os.environ, "PYTHONPATH": str(ROOT)},
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    # The new topics' pages appear in the staging folder (whatever write.py names it).
    while not list(tmp_path.glob(".arkiv-*/amnen/amne-*")) and time.time() < deadline:
        time.sleep(0.01)
    assert process.poll() is None, "the build ended before it could be stopped"
    return process, before


def test_killed_build_leaves_the_previous_site_intact(tmp_path):
    process, before = _start_a_long_build(tmp_path)
    process.send_signal(signal.SIGKILL)
    process.communicate()
    after = {p: p.read_bytes() for p in (tmp_path / "build").rglob("*") if p.is_file()}
    assert after == before
    # The next build clears what the killed one left behind.
    for extra in (tmp_path / "content/amnen").glob("amne-*.yaml"):
        extra.unlink()
    assert run("build", "--no-search", cwd=tmp_path).returncode == 0
    assert not list(tmp_path.glob(".arkiv-staging-*"))


def test_ctrl_c_leaves_the_previous_site_intact_and_cleans_up(tmp_path):
    process, before = _start_a_long_build(tmp_path)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate()
    assert process.returncode == 130, err
    assert err == "arkiv: bygget avbröts (Ctrl-C)\n"
    after = {p: p.read_bytes() for p in (tmp_path / "build").rglob("*") if p.is_file()}
    assert after == before
    assert not list(tmp_path.glob(".arkiv-staging-*"))  # no next build needed to clean up


def test_serve_previews_and_rebuilds_on_change(tmp_path):
    shutil.copytree(FIXTURE, tmp_path / "content")
    port = 18765
    process = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--no-search", "--port", str(port)],
                               cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)},
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = f"http://127.0.0.1:{port}/amnen/parker/"
        page = _fetch(url)
        assert "Stadens parker och grönområden." in page
        topic = tmp_path / "content/amnen/parker.yaml"
        topic.write_text(topic.read_text().replace("grönområden", "lekplatser"))
        deadline = time.time() + 20
        while "lekplatser" not in _fetch(url) and time.time() < deadline:
            time.sleep(0.2)
        assert "Stadens parker och lekplatser." in _fetch(url)
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_preview_answers_while_the_builder_is_held_and_ends_with_it(tmp_path):
    """The preview is a process of its own: it answers while serve's process is held
    (as by a collection of its heap, seconds at city scale), and goes once serve is
    killed, freeing the port."""
    shutil.copytree(FIXTURE, tmp_path / "content")
    port = 18766
    process = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--no-search", "--port", str(port)],
                               cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)},
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/amnen/parker/"
    try:
        assert "Stadens parker" in _fetch(url)
        process.send_signal(signal.SIGSTOP)
        with urllib.request.urlopen(url, timeout=5) as response:
            assert "Stadens parker" in response.read().decode("utf-8")
    finally:
        process.kill()
        process.wait(timeout=10)
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1).close()
        except OSError:
            break
        time.sleep(0.2)
    else:
        raise AssertionError("the preview still answers after serve was killed")


def test_serve_says_so_when_its_preview_stops(tmp_path):
    """A preview that stops (killed, or failing to start) is not left unsaid: serve
    would go on rebuilding a site nobody is shown."""
    shutil.copytree(FIXTURE, tmp_path / "content")
    port = 18767
    process = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--no-search", "--port", str(port)],
                               cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)},
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True).start()
    try:
        _fetch(f"http://127.0.0.1:{port}/")
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
        assert len(children) == 1
        os.kill(int(children[0]), signal.SIGKILL)
        deadline = time.time() + 10
        while not any("Förhandsgranskningen stannade" in line for line in lines) and time.time() < deadline:
            time.sleep(0.1)
        assert any("Förhandsgranskningen stannade" in line for line in lines), lines
    finally:
        process.kill()
        process.wait(timeout=10)


@pytest.mark.parametrize("found_by", ["notifications", "polling"])
def test_serve_builds_an_edit_saved_while_it_was_rebuilding(tmp_path, monkeypatch, found_by):
    """A maintainer saves again before serve's rebuild of the last save is done (at
    city scale a rebuild takes seconds): the second save is built too. Alike where the
    system's notifications of changed files cannot be had and serve polls. (The first
    save comes as the watching begins: what changed before it is built as well.)"""
    if found_by == "polling":
        monkeypatch.setitem(sys.modules, "watchfiles", None)  # import fails
    from generator import serve
    from generator.build import build
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    topic = content / "amnen/parker.yaml"
    text = topic.read_text(encoding="utf-8")
    built = []

    def build_while_the_maintainer_saves(*args, **kwargs):
        report = build(*args, **kwargs)
        if len(built) == 1:  # the rebuild of the first save, just done: the second save
            topic.write_text(text.replace("grönområden", "bryggor"), encoding="utf-8")
        built.append(report)
        return report

    monkeypatch.setattr(serve, "build", build_while_the_maintainer_saves)
    page = tmp_path / "build/amnen/parker/index.html"
    with _watching(content, tmp_path / "build"):
        topic.write_text(text.replace("grönområden", "lekplatser"), encoding="utf-8")
        _wait_for(page, "bryggor")
    assert len(built) == 3
    assert "Stadens parker och bryggor." in page.read_text(encoding="utf-8")


def _fetch(url: str) -> str:
    deadline = time.time() + 20
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.2)


def test_synth_writes_an_archive_that_builds(tmp_path):
    result = run("synth", "--documents", "60", "--seed", "3", "content", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "content/beslut").glob("*.md"))) > 10
    built = run("build", "--no-search", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    again = run("build", "--no-search", cwd=tmp_path)
    assert "inget har ändrats" in again.stdout


def test_serve_builds_a_content_folder_put_in_place_of_the_old(tmp_path):
    """A maintainer replaces the whole folder (`mv content.ny content`, as a script that
    unpacks an export does): the old folder was the one watched, and the new one's
    edit is built all the same."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    page = tmp_path / "build/amnen/parker/index.html"
    with _watching(content, tmp_path / "build"):
        time.sleep(1.5)  # watching the old folder by now
        shutil.copytree(content, tmp_path / "content.ny")
        content.rename(tmp_path / "content.gammal")
        (tmp_path / "content.ny").rename(content)
        time.sleep(2)  # whatever the swap itself set off is done
        topic = content / "amnen/parker.yaml"
        topic.write_text(topic.read_text(encoding="utf-8").replace("grönområden", "lekplatser"), encoding="utf-8")
        _wait_for(page, "lekplatser")
    assert "Stadens parker och lekplatser." in page.read_text(encoding="utf-8")


@contextmanager
def _watching(content: Path, output: Path):
    """serve's watching (after its first build) in a thread, until the block ends."""
    from generator import incremental, serve
    memory = incremental.Memory()
    seen = serve._rebuilt(content, output, False, memory, serve._fingerprint(serve._watched(content)))
    stop = threading.Event()
    watching = threading.Thread(target=serve.watch, args=(content, output, False, memory, seen, stop))
    watching.start()
    try:
        yield
    finally:
        stop.set()
        watching.join(timeout=30)


def _wait_for(page: Path, word: str) -> None:
    deadline = time.time() + 30
    while word not in page.read_text(encoding="utf-8") and time.time() < deadline:
        time.sleep(0.2)

"""The switch from one release to the next in the output folder: a build killed outright (kill -9) at each step
of putting the new release in place leaves a folder that every reader sees as the whole old release or the
whole new one, and a reader that comes while a build is switching waits for it."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from exporter.pipeline.build import build
from tests.support import VALID, bump_version, copy_card_set, edit, outputs, run, snapshot

# A build that stops itself (SIGKILL: nothing is cleaned up; or SIGSTOP: held until continued) just before its
# n-th rename, unlink or rmdir of a path in the output folder: each is one step of the switch.
STOPPING_BUILD = """
import os, signal, sys
cards, out, step, how = sys.argv[1], os.path.abspath(sys.argv[2]), int(sys.argv[3]), getattr(signal, sys.argv[4])
steps = 0
def counted(real):
    def call(*args, **kwargs):
        global steps
        if str(args[0]).startswith(out):
            steps += 1
            if steps == step:
                os.kill(os.getpid(), how)
        return real(*args, **kwargs)
    return call
os.replace, os.unlink, os.rmdir = counted(os.replace), counted(os.unlink), counted(os.rmdir)
from exporter.cli import main
main(["build", cards, "-o", out])
"""
#: the journal's rename (the commit), the six files' renames, the journal's removal, the staging folder's
SWITCH_STEPS = 9
#: the step from which the folder holds the new release: once the journal is in place
COMMITTED_AT = 2


def stopping_build(cards: Path, out: Path, step: int, how: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", STOPPING_BUILD, str(cards), str(out), str(step), how],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def releases(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, Path, Path]]:
    """The card set (as its next release), the folder holding its last release and the one after (each whole)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764000000")
    cards = copy_card_set(VALID, tmp_path / "cards")
    old = tmp_path / "old"
    build(cards, old, cache=False)
    bump_version(cards, "1.1.0")
    edit(cards / "02-principles.yaml", "They help create", "They help to create")
    new = tmp_path / "new"
    shutil.copytree(old, new)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764100000")
    build(cards, new, cache=False)
    assert all(outputs(old)[name] != outputs(new)[name] for name in outputs(new)), "every file changes"
    yield cards, old, new


READERS = {
    "build --check": lambda cards, out: run("build", str(cards), "-o", str(out), "--check"),
    "diff": lambda cards, out: run("diff", str(cards), "-o", str(out)),
    "review": lambda cards, out: run("review", str(cards), "-o", str(out / "review.html")),
    "build": lambda cards, out: run("build", str(cards), "-o", str(out)),
}


def read(reader: str, cards: Path, state: Path, folder: Path) -> tuple[tuple[int, str, str], dict[str, bytes]]:
    """What the reader says of a copy of the folder state (always at the same path), and the release after."""
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(state, folder, symlinks=True)
    said = READERS[reader](cards, folder)
    (folder / "review.html").unlink(missing_ok=True)
    return said, snapshot(folder)


@pytest.mark.slow
def test_a_build_killed_at_any_step_of_the_switch_leaves_one_whole_release(
    releases: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    cards, old, new = releases
    whole = {
        name: {reader: read(reader, cards, state, tmp_path / "reader") for reader in READERS}
        for name, state in (("old", old), ("new", new))
    }
    assert whole["old"]["build --check"][0][0] == 1 and whole["new"]["build --check"][0][0] == 0

    killed_at = []
    for step in range(1, SWITCH_STEPS + 2):
        out = tmp_path / f"killed-{step}"
        shutil.copytree(old, out)
        process = stopping_build(cards, out, step, "SIGKILL")
        stdout, stderr = process.communicate(timeout=120)
        if process.returncode == 0:
            assert snapshot(out) == snapshot(new)
            break
        assert process.returncode == -signal.SIGKILL, stderr
        killed_at.append(step)
        assert snapshot(out) != snapshot(old), "killed while switching, not before"
        expected = "new" if step >= COMMITTED_AT else "old"
        for reader in READERS:
            assert read(reader, cards, out, tmp_path / "reader") == whole[expected][reader], (step, reader)
    assert killed_at == list(range(1, SWITCH_STEPS + 1))


def test_a_reader_waits_for_a_switch_under_way(releases: tuple[Path, Path, Path], tmp_path: Path) -> None:
    cards, old, new = releases
    out = tmp_path / "dist"
    shutil.copytree(old, out)
    building = stopping_build(cards, out, COMMITTED_AT + 2, "SIGSTOP")  # two files of six in place
    try:
        _wait_until_stopped(building.pid)
        checking = subprocess.Popen(
            [sys.executable, "-m", "exporter", "build", str(cards), "-o", str(out), "--check"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        _wait_until_blocked_on_lock(checking.pid)
        assert checking.poll() is None
    finally:
        building.send_signal(signal.SIGCONT)
    assert building.wait(timeout=60) == 0
    stdout, stderr = checking.communicate(timeout=120)
    assert (checking.returncode, stdout, stderr) == (0, f"ok: {out} is exactly what {cards} builds\n", "")
    assert snapshot(out) == snapshot(new)


def _wait_until_stopped(pid: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "T":
            return
        time.sleep(0.01)
    pytest.fail("the build never reached the step it was to stop at")


def _wait_until_blocked_on_lock(pid: int) -> None:
    """Wait until the kernel lists the process as waiting for a lock (a '->' line in /proc/locks)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if any("->" in line and f" {pid} " in line for line in Path("/proc/locks").read_text().splitlines()):
            return
        time.sleep(0.01)
    pytest.fail("the reader never waited for the lock")

"""The output folder under stress: folders that cannot be written, a full disk, Ctrl-C and SIGTERM in the middle
of writing, two builds at once, and a card folder that cannot be read. Real processes, real signals, real mounts
(tmpfs, as root; those tests skip elsewhere)."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from exporter.errors import ExporterError
from exporter.pipeline.build import build
from tests.support import VALID, bump_version, copy_card_set, run, snapshot

PYTHON = sys.executable


def add_cards(cards: Path, files: int, per_file: int) -> None:
    """Add generated topic files of basic cards (a build of a few thousand takes about a second)."""
    for number in range(files):
        body = "".join(
            f"  - id: generated-{number}-{index}\n    kind: basic\n"
            f"    question: What is generated fact {number}.{index} about the mission?\n"
            f"    answer: It is fact {index} of set {number}, worth remembering.\n"
            f"    source: {{slide: {index % 40 + 1}}}\n"
            for index in range(per_file)
        )
        (cards / f"5{number}-generated.yaml").write_text(f"subdeck: Generated {number}\ncards:\n{body}")


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A tiny file system of our own (1 MB), mounted for the test; skipped where mounting is not allowed."""
    mount_point = tmp_path / "mnt"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount_point)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=True)


def fill(file_system: Path) -> None:
    """Take every page left on a file system."""
    with (file_system / "filler").open("wb") as filler:
        try:
            while True:
                filler.write(b"\0" * 65536)
                filler.flush()
        except OSError:
            pass


def test_output_folder_that_is_a_file(valid_cards: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("notes.txt").write_text("keep me")
    assert run("build", "cards", "-o", "notes.txt") == (
        1,
        "",
        "notes.txt: this is a file, not a folder; give an output folder with -o\nfailed: 1 problem\n",
    )
    assert Path("notes.txt").read_text() == "keep me"


def test_output_folder_under_a_file(valid_cards: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("notes.txt").write_text("keep me")
    assert run("build", "cards", "-o", "notes.txt/dist") == (
        1,
        "",
        "notes.txt/dist: cannot create the output folder: Not a directory\nfailed: 1 problem\n",
    )


@pytest.mark.parametrize("folder", ["/proc/flashcards-dist", "/sys/flashcards-dist"])
def test_output_folder_on_a_system_file_system(valid_cards: Path, folder: str) -> None:
    if not Path(folder).parent.is_dir():
        pytest.skip(f"no {Path(folder).parent} here")
    code, out, err = run("build", str(valid_cards), "-o", folder)
    # the reason is the kernel's, and depends on who asks: "No such file or directory", "permission denied; ..."
    assert (code, out) == (1, "")
    assert err.startswith(f"{folder}: cannot create the output folder: ") and err.endswith("\nfailed: 1 problem\n")
    assert len(err.splitlines()) == 2


def test_full_disk_changes_nothing(valid_cards: Path, tmpfs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmpfs)
    assert run("build", str(valid_cards), "-o", "dist")[0] == 0
    before = snapshot(tmpfs / "dist")
    fill(tmpfs)
    bump_version(valid_cards, "1.0.1")
    add_cards(valid_cards, 1, 10)

    assert run("build", str(valid_cards), "-o", "dist") == (
        1,
        "",
        "dist: cannot write the output: the disk is full; free some space and build again; nothing in the "
        "folder was changed\nfailed: 1 problem\n",
    )
    assert snapshot(tmpfs / "dist") == before


def test_read_only_file_system_changes_nothing(
    valid_cards: Path, tmpfs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmpfs)
    assert run("build", str(valid_cards), "-o", "dist")[0] == 0
    before = snapshot(tmpfs / "dist")
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)

    assert run("build", str(valid_cards), "-o", "dist") == (
        1,
        "",
        "dist: cannot write the output: the file system is read-only; build into another folder with -o; "
        "nothing in the folder was changed\nfailed: 1 problem\n",
    )
    assert snapshot(tmpfs / "dist") == before


@pytest.mark.parametrize(
    ("unreadable", "expected"),
    [
        (".", "cards: cannot list the folder: Permission denied"),
        ("01-acronyms.yaml", "cards/01-acronyms.yaml: cannot read the file: Permission denied"),
    ],
)
def test_card_folder_that_cannot_be_read(tmp_path: Path, unreadable: str, expected: str) -> None:
    copy_card_set(VALID, tmp_path / "cards")
    (tmp_path / "cards" / unreadable).chmod(0)
    command = [PYTHON, "-m", "exporter", "validate", "cards"]
    if os.getuid() == 0:
        # Root reads whatever the permissions say; without these two capabilities it obeys them like anyone.
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv to give up the right to read anything")
        command = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", *command]
    try:
        result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True)
    finally:
        (tmp_path / "cards" / unreadable).chmod(0o755)
    assert (result.returncode, result.stdout, result.stderr) == (1, "", f"{expected}\nfailed: 1 problem\n")


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_interrupt_while_writing_keeps_the_last_build(
    valid_cards: Path, tmp_path: Path, stop: signal.Signals
) -> None:
    out = tmp_path / "dist"
    build(valid_cards, out)
    before = snapshot(out)
    shutil.copytree(out, tmp_path / "old")
    bump_version(valid_cards, "1.1.0")
    add_cards(valid_cards, 4, 1000)

    for _attempt in range(3):
        process = subprocess.Popen(
            [PYTHON, "-m", "exporter", "build", str(valid_cards), "-o", str(out)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        caught = _signal_when_writing(process, out, stop)
        stdout, stderr = process.communicate(timeout=60)
        if caught:
            break
        assert process.returncode == 0, stderr  # it finished before it was seen writing: again, from the old build
        shutil.rmtree(out)
        shutil.copytree(tmp_path / "old", out)
    else:
        pytest.fail("the build was never seen writing; make the generated card set bigger")

    assert process.returncode == 130
    assert stdout == "" and "Traceback" not in stderr
    assert not [path.name for path in out.iterdir() if path.name.endswith(".tmp")]
    if stderr == f"interrupted; nothing was changed in {out}\n":
        assert snapshot(out) == before
    else:  # the signal came while the files were being renamed into place: held back until all were
        assert stderr == f"interrupted after the new build was written; {out} holds it in full\n"
        assert snapshot(out) != before


def test_temporary_files_of_a_killed_build_are_cleared(valid_cards: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    build(valid_cards, out)
    leftover = out / ".test-deck.apkg.0a1b2c3d.tmp"
    leftover.write_bytes(b"half a package, from a build killed with kill -9")
    (out / ".notes.tmp").write_text("not ours: kept")
    build(valid_cards, out)
    assert not leftover.exists() and (out / ".notes.tmp").exists()


def _signal_when_writing(process: subprocess.Popen[str], out: Path, stop: signal.Signals) -> bool:
    """Send the signal the moment a temporary file appears in the output folder; False if the build ended first."""
    while process.poll() is None:
        if any(name.endswith(".tmp") for name in os.listdir(out)):
            process.send_signal(stop)
            return True
    return False


def test_a_second_build_waits_for_the_first(valid_cards: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    build(valid_cards, out)
    before = snapshot(out)
    bump_version(valid_cards, "1.0.1")
    add_cards(valid_cards, 1, 5)
    holder = os.open(out, os.O_RDONLY)
    fcntl.flock(holder, fcntl.LOCK_EX)  # as a build in progress holds it
    try:
        process = subprocess.Popen(
            [PYTHON, "-m", "exporter", "build", str(valid_cards), "-o", str(out)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        _wait_until_blocked_on_lock(process.pid)
        assert process.poll() is None
        assert snapshot(out) == before
    finally:
        os.close(holder)
    stdout, stderr = process.communicate(timeout=60)
    assert (process.returncode, stderr) == (0, "")
    assert stdout.startswith("built Test Deck 1.0.1: 10 notes")
    assert snapshot(out) != before


def _wait_until_blocked_on_lock(pid: int) -> None:
    """Wait until the kernel lists the process as waiting for a lock (a '->' line in /proc/locks)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if any("->" in line and f" {pid} " in line for line in Path("/proc/locks").read_text().splitlines()):
            return
        time.sleep(0.01)
    pytest.fail("the second build never waited for the lock")


@pytest.mark.slow
def test_two_builds_at_once_leave_one_whole_release(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    copy_card_set(VALID, first)
    add_cards(first, 2, 1000)
    shutil.copytree(first, second)
    bump_version(second, "1.1.0")
    add_cards(second, 3, 1000)
    # what the folder holds after the two builds one after the other, in either order (1.0.0 after 1.1.0 is
    # refused: versions go up)
    in_turn = []
    for order in ((first, second), (second, first)):
        out = tmp_path / f"in-turn-{len(in_turn)}"
        for cards in order:
            with contextlib.suppress(ExporterError):
                build(cards, out)
        in_turn.append(snapshot(out))

    out = tmp_path / "dist"
    processes = [
        subprocess.Popen(
            [PYTHON, "-m", "exporter", "build", str(cards), "-o", str(out)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for cards in (first, second)
    ]
    results = [
        (process.wait(timeout=120), process.stderr.read() if process.stderr else "") for process in processes
    ]
    for process in processes:
        if process.stderr:
            process.stderr.close()

    lower = "'version' 1.0.0 is lower than 1.1.0"
    assert results[1] == (0, "")
    assert results[0] == (0, "") or (results[0][0] == 1 and lower in results[0][1])
    assert snapshot(out) in in_turn


def test_full_scratch_folder_changes_nothing(
    valid_cards: Path, tmpfs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    monkeypatch.chdir(tmp_path)
    assert run("build", str(valid_cards), "-o", "dist")[0] == 0
    before = snapshot(tmp_path / "dist")
    monkeypatch.setattr(tempfile, "tempdir", str(tmpfs))  # where the build keeps its scratch databases
    fill(tmpfs)
    bump_version(valid_cards, "1.0.1")
    add_cards(valid_cards, 1, 10)

    code, out, err = run("build", str(valid_cards), "-o", "dist")
    # SQLite's own words for it vary with the step that found the disk full
    assert (code, out, err.split(" (")[0]) == (1, "", f"{tmpfs}: cannot write the build's scratch files")
    assert err.endswith("); free some space there, or set TMPDIR to a folder with room\nfailed: 1 problem\n")
    assert snapshot(tmp_path / "dist") == before
    assert sorted(path.name for path in tmpfs.iterdir()) == ["filler"], "no scratch file is left behind"

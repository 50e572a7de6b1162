"""The switch from one release to the next in the output folder, whole or not at all, even across kill -9.

A release is written into a staging folder inside the output folder. One rename then commits it: that of a
journal naming the staging folder and its files. The files are then renamed into place one by one, and the
journal removed. Whoever next holds the folder (a build, or a reader: build --check, diff, review) finds a
journal left by a killed build and finishes the renames it lists; a staging folder with no journal is a
release never committed, and is removed. So the folder holds the old release or the new one, never a mix.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
from collections.abc import Iterable
from pathlib import Path

#: the staging folders' names begin with it and end in .tmp; the journal's is it and "journal"
_PREFIX = ".flashcards-release."
JOURNAL = f"{_PREFIX}journal"


def new_staging(out_dir: Path) -> Path:
    """A new, empty staging folder inside the output folder (on its file system, so renames from it are atomic)."""
    staging = out_dir / f"{_PREFIX}{secrets.token_hex(4)}.tmp"
    staging.mkdir()
    return staging


def commit(out_dir: Path, staging: Path, names: Iterable[str]) -> None:
    """Record, in one rename, that the files in staging are the new release (all written and synced before)."""
    pending = out_dir / f"{JOURNAL}.tmp"
    data = json.dumps({"staging": staging.name, "files": list(names)}).encode()
    descriptor = os.open(pending, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        try:
            os.write(descriptor, data)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        os.replace(pending, out_dir / JOURNAL)
    except OSError:
        pending.unlink(missing_ok=True)  # (the disk is full, say): nothing committed, nothing left
        raise
    sync_folder(out_dir)


def finish(out_dir: Path) -> bool:
    """Put a committed release in place (what is left of it) and clear away what builds left; the caller holds
    the folder alone. True if a journal was found."""
    journal = out_dir / JOURNAL
    try:
        recorded = json.loads(journal.read_bytes())
        staging, names = out_dir / Path(recorded["staging"]).name, [Path(name).name for name in recorded["files"]]
    except FileNotFoundError:
        recorded = None
    except (ValueError, KeyError, TypeError):  # cut short before its rename: it committed nothing
        recorded = None
        journal.unlink()
    if recorded is not None:
        for name in names:
            if os.path.lexists(staging / name):
                os.replace(staging / name, out_dir / name)
        sync_folder(out_dir)
        journal.unlink()
        sync_folder(out_dir)
    for leftover in leftovers(out_dir):
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover)
        else:
            leftover.unlink()
    return recorded is not None


def leftovers(out_dir: Path) -> list[Path]:
    """What killed builds left in the folder: a journal, staging folders, a journal being written."""
    try:
        names = os.listdir(out_dir)
    except FileNotFoundError:
        return []
    return [out_dir / name for name in sorted(names) if name.startswith(_PREFIX)]


def sync_folder(out_dir: Path) -> None:
    """Make renames in the folder durable: a power cut after cannot bring back what was there before."""
    try:
        descriptor = os.open(out_dir, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # some systems cannot open folders; the renames are done all the same
    try:
        with contextlib.suppress(OSError):
            os.fsync(descriptor)
    finally:
        os.close(descriptor)

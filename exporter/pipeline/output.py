"""The output folder: one build at a time, the release replaced whole, and an interrupt that leaves it as it was.

Every file is written into a staging folder, then the release switched in one step (switch.py) with Ctrl-C and
SIGTERM held back. A second build into the same folder waits for the first (an advisory lock on the folder
itself); readers (build --check, diff, review) share the lock, so they wait for a switch under way, and finish
the switch of a build that was killed outright.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import shutil
import signal
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from exporter.errors import ExporterError, Location
from exporter.pipeline.release_files import is_release_file
from exporter.pipeline.switch import JOURNAL, commit, finish, leftovers, new_staging, sync_folder

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks, builds must not overlap
    fcntl = None  # type: ignore[assignment]

_DEFERRED_SIGNALS = {signal.SIGINT, signal.SIGTERM}
_WRITE_PROBLEMS = {
    getattr(errno, name, -1): text
    for name, text in (
        ("ENOSPC", "the disk is full; free some space and build again"),
        ("EDQUOT", "the disk quota is used up; free some space and build again"),
        ("EROFS", "the file system is read-only; build into another folder with -o"),
        ("EACCES", "permission denied; build into a folder you may write to, with -o"),
        ("EPERM", "permission denied; build into a folder you may write to, with -o"),
    )
}


class Interrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM during a build; the message says what became of the output folder."""


def refuse_card_folder(cards_dir: Path, output: Path, example: str) -> None:
    """ExporterError if the output (a folder or a file) is in the card folder: it would be written among, or
    over, the card files, the media and the card set's release history."""
    if output.resolve().is_relative_to(Path(cards_dir).resolve()):
        raise ExporterError(
            Location(str(output)),
            f"this is inside the card folder {cards_dir}, where outputs would mix with (or overwrite) the card "
            f"files; give -o a path outside it, for example {example}",
        )


def refuse_file_output(cards_dir: Path, output: Path, what: str, example: str) -> None:
    """ExporterError if a file (what: "the review page", say) written at output would land in the card folder or
    replace a release file; example is a name to suggest instead."""
    refuse_card_folder(cards_dir, output, f"dist/{example}")
    if is_release_file(output.name):
        raise ExporterError(
            Location(str(output)),
            f"a release file has this name, and {what} would replace it; give -o another file, for "
            f"example {output.parent / example}",
        )


@contextmanager
def locked_output(out_dir: Path) -> Iterator[None]:
    """Hold the output folder (creating it) for one build; a second build waits, an interrupt says what was kept."""
    try:
        descriptor, created = _lock(out_dir)
        succeeded = False
        try:
            yield
            succeeded = True
        finally:
            if created and not succeeded:
                _remove_if_empty(out_dir)
            os.close(descriptor)
    except Interrupted:
        raise
    except KeyboardInterrupt:
        raise Interrupted(f"interrupted; nothing was changed in {out_dir}") from None


def _lock(out_dir: Path) -> tuple[int, bool]:
    while True:
        created = _make_folder(out_dir)
        try:
            descriptor = os.open(out_dir, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        except OSError as error:
            raise ExporterError(
                Location(str(out_dir)), f"cannot open the output folder: {_reason(error)}"
            ) from None
        if fcntl is None:
            return descriptor, created
        locked = False
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)  # waits while another build holds it
            # The build that held it may have removed the folder it had created; then lock the one there now.
            locked = _is_still_at(descriptor, out_dir)
        finally:
            if not locked:
                os.close(descriptor)
        if locked:
            try:
                _finish_switch(out_dir)
            except BaseException:
                os.close(descriptor)
                raise
            return descriptor, created


def _is_still_at(descriptor: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(descriptor), os.stat(path))
    except FileNotFoundError:
        return False


@contextmanager
def reading_release(out_dir: Path) -> Iterator[None]:
    """Hold the output folder for reading the release in it: no build switches releases meanwhile, and the switch
    of a build killed outright is finished first. Nothing is held if there is no such folder."""
    try:
        descriptor = os.open(out_dir, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # none yet, or not one: the reader finds no release, or says what is wrong
        descriptor = None
    if descriptor is None:
        yield
        return
    try:
        if fcntl is not None:
            fcntl.flock(descriptor, fcntl.LOCK_SH)  # waits while a build holds it
        if leftovers(out_dir):
            if fcntl is not None:
                fcntl.flock(descriptor, fcntl.LOCK_EX)
            _finish_switch(out_dir)
            if fcntl is not None:
                fcntl.flock(descriptor, fcntl.LOCK_SH)
        yield
    finally:
        os.close(descriptor)


def _finish_switch(out_dir: Path) -> None:
    """Finish what a killed build left (holding the folder alone); ExporterError if a release stays half in place."""
    try:
        finish(out_dir)
    except OSError as error:
        if (out_dir / JOURNAL).exists():
            raise ExporterError(
                Location(str(out_dir)),
                f"a build was stopped while putting its release in place, and the rest cannot be put in place "
                f"({_reason(error)}); run 'flashcards build' where the folder can be written",
            ) from None


def _make_folder(out_dir: Path) -> bool:
    if out_dir.is_dir():
        return False
    if out_dir.exists():
        raise ExporterError(Location(str(out_dir)), "this is a file, not a folder; give an output folder with -o")
    try:
        out_dir.mkdir(parents=True)
    except FileExistsError:
        return False
    except OSError as error:
        raise ExporterError(Location(str(out_dir)), f"cannot create the output folder: {_reason(error)}") from None
    return True


def _remove_if_empty(out_dir: Path) -> None:
    # not empty (another build wrote into it) or already gone: either way, leave it
    with contextlib.suppress(OSError):
        out_dir.rmdir()


def write_files(out_dir: Path, files: dict[str, bytes]) -> list[Path]:
    """Write each file into a staging folder, then switch them all in; on any failure, change nothing.

    Call it holding the folder (locked_output).
    """
    with staged_files(out_dir, files) as staged:
        for name, data in files.items():
            _write_whole(staged[name], data)
        return install(out_dir, staged)


@contextmanager
def staged_files(out_dir: Path, names: Iterable[str]) -> Iterator[dict[str, Path]]:
    """A path in a new staging folder to write each file at; unless install() switched to them, the folder is
    removed at the end, and a failure to write says that nothing was changed.

    Call it holding the folder (locked_output): it removes temporary files that earlier, killed builds left behind.
    """
    names = list(names)
    staging = None
    try:
        try:
            _remove_leftovers(out_dir, names)
            with _signals_deferred():  # a Ctrl-C between the mkdir and the assignment would leave it behind
                staging = new_staging(out_dir)
            yield {name: staging / name for name in names}
        except OSError as error:
            raise ExporterError(
                Location(str(out_dir)),
                f"cannot write the output: {_reason(error)}; nothing in the folder was changed",
            ) from None
    finally:
        # (once committed, the journal names the folder: the next command puts the rest in place)
        with _signals_deferred():
            if staging is not None and staging.exists() and not (out_dir / JOURNAL).exists():
                shutil.rmtree(staging, ignore_errors=True)


def install(out_dir: Path, staged: Mapping[str, Path]) -> list[Path]:
    """Switch to the written files (staged_files' paths), all or (an interrupt or failure permitting) none."""
    committed = False
    try:
        for temporary in staged.values():
            _sync(temporary)
        staging = next(iter(staged.values())).parent
        sync_folder(staging)
        with _signals_deferred():
            commit(out_dir, staging, staged)
            committed = True
            finish(out_dir)
    except KeyboardInterrupt:
        if not committed:
            raise
        raise Interrupted(f"interrupted after the new build was written; {out_dir} holds it in full") from None
    except OSError as error:
        kept = (
            "nothing in the folder was changed"
            if not committed
            else "the new release is only partly in place; build again to put the rest in place"
        )
        raise ExporterError(Location(str(out_dir)), f"cannot write the output: {_reason(error)}; {kept}") from None
    return [out_dir / name for name in staged]


def _remove_leftovers(out_dir: Path, names: Iterable[str]) -> None:
    """Delete the temporary files that builds before the staging folder left beside their targets when killed
    outright; the caller holds the folder, so no build is writing them now."""
    for name in names:
        for leftover in out_dir.glob(f".{glob.escape(name)}.*.tmp"):
            leftover.unlink(missing_ok=True)


def _sync(path: Path) -> None:
    with open(path, "rb") as stream:
        os.fsync(stream.fileno())


def _write_whole(path: Path, data: bytes) -> None:
    # 0o644, not mkstemp's private 0o600: decks are for sharing
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o644)
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(data)


@contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM back until the block is done; a held signal is raised when it ends."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _DEFERRED_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _reason(error: OSError) -> str:
    return _WRITE_PROBLEMS.get(error.errno or 0, error.strerror or str(error))

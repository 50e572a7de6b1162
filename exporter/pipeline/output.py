"""The output folder: one build at a time, each file replaced whole, and an interrupt that leaves it as it was.

Every file is written beside its target under a temporary name, then all are renamed into place with Ctrl-C
and SIGTERM held back, so a reader (or the next build) sees the old release or the new one, never a mix. A
second build into the same folder waits for the first (an advisory lock on the folder itself).
"""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import secrets
import signal
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from exporter.errors import ExporterError, Location

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
            return descriptor, created


def _is_still_at(descriptor: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(descriptor), os.stat(path))
    except FileNotFoundError:
        return False


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
    """Write each file beside its target, then rename them all into place; on any failure, change nothing.

    Call it holding the folder (locked_output).
    """
    with staged_files(out_dir, files) as staged:
        for name, data in files.items():
            _write_whole(staged[name], data)
        return install(out_dir, staged)


@contextmanager
def staged_files(out_dir: Path, names: Iterable[str]) -> Iterator[dict[str, Path]]:
    """A temporary path beside each target to write the new file at; whatever install() did not rename is
    removed at the end, and a failure to write says that nothing was changed.

    Call it holding the folder (locked_output): it removes temporary files that earlier, killed builds left behind.
    """
    names = list(names)
    staged = {name: out_dir / f".{name}.{secrets.token_hex(4)}.tmp" for name in names}
    try:
        try:
            _remove_leftovers(out_dir, names)
            yield staged
        except OSError as error:
            raise ExporterError(
                Location(str(out_dir)),
                f"cannot write the output: {_reason(error)}; nothing in the folder was changed",
            ) from None
    finally:
        with _signals_deferred():
            for temporary in staged.values():
                if os.path.lexists(temporary):
                    os.unlink(temporary)


def install(out_dir: Path, staged: Mapping[str, Path]) -> list[Path]:
    """Rename the written files into place, all or (an interrupt or failure permitting) none."""
    replaced = 0
    try:
        for temporary in staged.values():
            _sync(temporary)
        with _signals_deferred():
            for name, temporary in staged.items():
                os.replace(temporary, out_dir / name)
                replaced += 1
            _sync_folder(out_dir)
    except KeyboardInterrupt:
        if not replaced:
            raise
        raise Interrupted(f"interrupted after the new build was written; {out_dir} holds it in full") from None
    except OSError as error:
        # Renames in one folder do not fail once the files are written; should one, say so rather than hide it.
        kept = (
            "nothing in the folder was changed"
            if not replaced
            else f"only {replaced} of {len(staged)} files were replaced; build again"
        )
        raise ExporterError(Location(str(out_dir)), f"cannot write the output: {_reason(error)}; {kept}") from None
    return [out_dir / name for name in staged]


def _remove_leftovers(out_dir: Path, names: Iterable[str]) -> None:
    """Delete the temporary files of a build that was killed outright (kill -9 cannot be caught); the caller holds
    the folder, so no build is writing them now."""
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


def _sync_folder(out_dir: Path) -> None:
    """Make the renames durable: a power cut after the build cannot bring back the old files."""
    try:
        descriptor = os.open(out_dir, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # some systems cannot open folders; the renames are done all the same
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


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

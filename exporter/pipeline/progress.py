"""A build's progress as the progress bar shows it."""

from __future__ import annotations

from exporter.pipeline.checked_stream import Progress


class BuildProgress:
    """Progress in bytes of card files read, then three steps of writing (compared, written, installed), each
    worth a tenth of the reading."""

    def __init__(self, progress: Progress, byte_count: int, editions: int = 1) -> None:
        self._progress = progress
        self._step = max(1, byte_count // 10)
        self.total = editions * (byte_count + 2 * self._step) + self._step
        self.done = 0

    def read(self, size: int) -> None:
        self.done += size
        self._progress(self.done, self.total)

    def step(self) -> None:
        self.done += self._step
        self._progress(self.done, self.total)

    def finish(self) -> None:
        self.done = self.total
        self._progress(self.total, self.total)


def no_progress(done: int, total: int) -> None:
    pass

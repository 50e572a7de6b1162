"""Where a problem is, and the one exception type that carries problems to the user."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Literal, NamedTuple

Severity = Literal["error", "warning"]


# Named tuples, not dataclasses: every command imports this module, `flashcards --help` too, and a frozen ordered
# dataclass is built by generating and compiling code at import; a named tuple is as immutable and as ordered.
class Location(NamedTuple):
    """A place in a file; line and column count from 1, column 0 means the whole line or file."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.path
        return f"{self.path}:{self.line}:{self.column or 1}"


class Problem(NamedTuple):
    """One thing wrong with the input, with where it is and how to fix it."""

    location: Location
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{self.location}: {prefix}{self.message}"


class KeyPlaces(Mapping[str, Location]):
    """Where each key of a mapping was written; a Location is made only when one is asked for, as few ever are."""

    __slots__ = ("_path", "_keys", "_places")

    def __init__(self, path: str, keys: tuple[str, ...], places: tuple[int, ...]) -> None:
        self._path = path
        self._keys = keys
        #: line and column of each key in turn
        self._places = places

    def __getitem__(self, key: str) -> Location:
        try:
            index = 2 * self._keys.index(key)
        except ValueError:
            raise KeyError(key) from None
        return Location(self._path, self._places[index], self._places[index + 1])

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __reduce__(self) -> tuple[type[KeyPlaces], tuple[str, tuple[str, ...], tuple[int, ...]]]:
        return KeyPlaces, (self._path, self._keys, self._places)


class ExporterError(Exception):
    """Bad input or an export that cannot be done; never a bug in the exporter."""

    def __init__(self, location: Location, message: str) -> None:
        self.problems: tuple[Problem, ...] = (Problem(location, message),)
        super().__init__(str(self))

    @classmethod
    def from_problems(cls, problems: Iterable[Problem]) -> ExporterError:
        """Gather several problems into one error, sorted by place."""
        error = cls.__new__(cls)
        error.problems = tuple(sorted(problems))
        Exception.__init__(error, str(error))
        return error

    @property
    def location(self) -> Location:
        return self.problems[0].location

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)


_ONE_LINE = str.maketrans({"\n": " ", "\r": " ", "\t": " "})


def shorten(text: str, width: int = 60) -> str:
    """A value as a message may quote it: on one line, and cut with '…' when long."""
    flat = text[: width + 1].translate(_ONE_LINE)
    return flat if len(flat) <= width else flat[: width - 1] + "…"

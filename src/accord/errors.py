"""Errors that reach users: every one names where the mistake is and what was expected."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["AccordError", "Location", "Problem", "ScenarioError", "format_path"]


@dataclass(frozen=True)
class Location:
    """A place in a file; ``line`` and ``column`` count from 1."""

    file: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        if self.line is None:
            return self.file
        if self.column is None:
            return f"{self.file}:{self.line}"
        return f"{self.file}:{self.line}:{self.column}"


PathPart = str | int
Path = tuple[PathPart, ...]


def format_path(path: Sequence[PathPart]) -> str:
    """``("parties", 0, "id")`` → ``parties[0].id``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text or "(top level)"


@dataclass(frozen=True)
class Problem:
    """One mistake: where it is, what is wrong, and (when we can tell) what was meant."""

    message: str
    path: Path = ()
    location: Location | None = None
    hint: str | None = None

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        field = f"{format_path(self.path)}: " if self.path else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}{field}{self.message}{hint}"


class AccordError(Exception):
    """Base class of every error accord raises for a user's mistake."""


class ScenarioError(AccordError):
    """A scenario (or any input file) is invalid; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(self._summary())

    def _summary(self) -> str:
        count = len(self.problems)
        head = "1 problem" if count == 1 else f"{count} problems"
        return head + ":\n" + "\n".join(f"  {p}" for p in self.problems)

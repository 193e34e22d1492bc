"""Located parsing helpers shared by the stakeholder-file readers: fields with their
columns, numbers with range checks, problems collected and raised together, and the
assembly of a :class:`~accord.forecast.data.StakeholderTable` with its checks."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from accord.errors import Location, Problem, ScenarioError
from accord.forecast.data import StakeholderTable
from accord.render.safe import refuse_invisible

__all__ = [
    "MAX_MAGNITUDE",
    "MAX_ROWS",
    "Cell",
    "Field",
    "Problems",
    "build_table",
    "check_range",
    "check_row_count",
    "checked_name",
    "column_of",
    "parse_number",
    "split_fields",
]

MAX_PROBLEMS = 50
MAX_ROWS = 100_000
"""Most data rows of a stakeholder file (actors x issues): beyond the size either model
can run (:data:`accord.forecast.run.MAX_EU_ACTORS`, ``MAX_EXCHANGE_PAIRS``), refused
before they are parsed (reading 100,000 rows takes a few seconds)."""
MAX_MAGNITUDE = 1e12
"""Largest magnitude of any number in a stakeholder file: positions, capabilities and
issue bounds beyond it would overflow the models' differences and products (the range
of positions ±1e308 is infinite). Real data are scales of 0..100 or a few thousand."""


@dataclass(frozen=True)
class Field:
    text: str
    column: int


class Problems:
    """Collects located problems and raises them together."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.items: list[Problem] = []

    def add(self, message: str, line: int | None = None, column: int | None = None) -> None:
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(Problem(message, location=Location(self.name, line, column)))

    def raise_if_any(self) -> None:
        if self.items:
            raise ScenarioError(self.items)


def split_fields(line: str, delimiter: str) -> list[Field]:
    """Split one line into fields, remembering each field's 1-based column.

    A field that starts with a quote (``"`` or ``'``) runs to the matching quote."""
    fields: list[Field] = []
    i, n = 0, len(line)
    while True:
        while i < n and line[i] == " ":
            i += 1
        start = i
        if i < n and line[i] in "\"'":
            quote = line[i]
            end = line.find(quote, i + 1)
            end = n if end < 0 else end
            value = line[i + 1 : end]
            i = line.find(delimiter, end + 1)
        else:
            j = line.find(delimiter, i)
            value = line[i : (n if j < 0 else j)].strip()
            i = j
        fields.append(Field(value, start + 1))
        if i < 0 or i >= n:
            return fields
        i += 1


def parse_number(
    problems: Problems,
    row: Sequence[Field],
    index: int,
    what: str,
    line: int,
    *,
    comma_decimal: bool = False,
) -> float | None:
    if index >= len(row):
        problems.add(f"{what}: missing value", line, None)
        return None
    field = row[index]
    text = field.text.replace(",", ".") if comma_decimal else field.text
    try:
        value = float(text)
    except ValueError:
        problems.add(f"{what}: expected a number, found {field.text!r}", line, field.column)
        return None
    if not math.isfinite(value):
        problems.add(f"{what}: expected a finite number, found {field.text!r}", line, field.column)
        return None
    if abs(value) > MAX_MAGNITUDE:
        problems.add(
            f"{what}: {value:g} is beyond the limit of ±{MAX_MAGNITUDE:g}", line, field.column
        )
        return None
    return value


def check_row_count(problems: Problems, rows: int, line: int) -> None:
    """Refuse more than :data:`MAX_ROWS` data rows before parsing them; ``line`` is the
    first row too many."""
    if rows > MAX_ROWS:
        problems.add(
            f"{rows:,} data rows; stakeholder files are limited to {MAX_ROWS:,} "
            "(actors x issues: more than either forecast model can run)",
            line,
        )
        problems.raise_if_any()


def check_range(
    problems: Problems,
    value: float | None,
    what: str,
    line: int,
    column: int | None,
    low: float,
    high: float | None,
) -> float | None:
    if value is None:
        return None
    if value < low or (high is not None and value > high):
        bound = f"in [{low:g}, {high:g}]" if high is not None else f"at least {low:g}"
        problems.add(f"{what}: expected a number {bound}, found {value:g}", line, column)
        return None
    return value


def checked_name(problems: Problems, field: Field, what: str, line: int) -> str | None:
    """An actor or issue name, or None (with a located problem) when it holds control
    or invisible formatting characters (they would be echoed raw to a terminal)."""
    name = field.text.strip()
    try:
        return refuse_invisible(name, f"{what} name")
    except ValueError as error:
        problems.add(f"{what}: {error}", line, field.column)
        return None


def column_of(row: Sequence[Field], index: int) -> int | None:
    return row[index].column if index < len(row) else None


@dataclass
class Cell:
    x: float
    s: float
    c: float
    line: int
    column: int | None


def build_table(
    problems: Problems,
    actors: list[str],
    issues: list[str],
    cells: dict[tuple[str, str], Cell],
    bounds: dict[str, tuple[float, float, int]],
    notes: tuple[str, ...] = (),
) -> StakeholderTable:
    shape = (len(actors), len(issues))
    x, s, c = np.full(shape, np.nan), np.zeros(shape), np.zeros(shape)
    lower, upper = np.zeros(len(issues)), np.zeros(len(issues))
    row_of = {actor: a for a, actor in enumerate(actors)}
    column_of_issue = {issue: d for d, issue in enumerate(issues)}
    positions: list[list[float]] = [[] for _ in issues]
    for (_, issue), cell in cells.items():
        positions[column_of_issue[issue]].append(cell.x)
    for d, issue in enumerate(issues):
        if issue in bounds:
            lower[d], upper[d] = bounds[issue][:2]
        else:
            lower[d], upper[d] = min(0.0, *positions[d]), max(100.0, *positions[d])
    for (actor, issue), cell in cells.items():
        a, d = row_of[actor], column_of_issue[issue]
        if not lower[d] <= cell.x <= upper[d]:
            problems.add(
                f"position {cell.x:g} of {actor!r} lies outside issue {issue!r}'s "
                f"scale {lower[d]:g}..{upper[d]:g}",
                cell.line,
                cell.column,
            )
        x[a, d], s[a, d], c[a, d] = cell.x, cell.s, cell.c
    for d, issue in enumerate(issues):
        if float(np.sum(s[:, d] * c[:, d])) <= 0:
            problems.add(f"issue {issue!r}: every actor has zero power or zero salience")
    problems.raise_if_any()
    return StakeholderTable(
        tuple(actors), tuple(issues), x, s, c, lower, upper, source=problems.name, notes=notes
    )

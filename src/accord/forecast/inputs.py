"""Readers for stakeholder data: the CSV layouts of the datasets and Decide files.

Three layouts are read, each into a :class:`~accord.forecast.data.StakeholderTable`:

* one issue, one row per actor: ``actor,capability,position,salience`` (the layout of
  the expected-utility datasets, e.g. Bueno de Mesquita's 1994 EC emissions table);
* many issues, one row per actor and issue:
  ``actor,issue,position,salience,power[,issue_lower,issue_upper]`` (``capability`` is
  accepted for ``power``); without bounds an issue's scale is 0..100, widened to the
  data when positions fall outside;
* the Decide input format of Stokman's exchange-model software
  (:mod:`accord.forecast.decide`).

Every mistake becomes a :class:`~accord.errors.ScenarioError` whose problems name the
file, line and column — never a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

import numpy as np

from accord.errors import Location, Problem, ScenarioError
from accord.forecast.data import StakeholderTable
from accord.forecast.decide import is_decide_text, parse_decide
from accord.forecast.located import (
    MAX_ROWS,
    Cell,
    Field,
    Problems,
    build_table,
    check_range,
    check_row_count,
    checked_name,
    column_of,
    parse_number,
    split_fields,
)

__all__ = [
    "MAX_INPUT_BYTES",
    "MAX_ROWS",
    "is_decide_text",
    "parse_decide",
    "parse_stakeholder_csv",
    "read_forecast_input",
]

MAX_INPUT_BYTES = 32 * 1024 * 1024
"""Stakeholder files larger than this are refused (real ones are a few kB)."""


_SINGLE = ("actor", "capability", "position", "salience")
_MULTI = ("actor", "issue", "position", "salience", "power")


def read_forecast_input(path: str | Path) -> StakeholderTable:
    """Read a stakeholder CSV file (either layout) or a Decide file."""
    path = Path(path)
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            _fail(
                name,
                f"file is {size:,} bytes; stakeholder files are limited to {MAX_INPUT_BYTES:,}",
            )
        raw = path.read_bytes()
    except OSError as error:
        _fail(name, f"cannot read the file: {error.strerror or error}")
    return parse_forecast_bytes(raw, name)


def parse_forecast_bytes(raw: bytes, name: str) -> StakeholderTable:
    if b"\x00" in raw[:8192]:
        _fail(name, "not a text file (binary content); expected CSV or Decide text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        _fail(name, "not UTF-8 text; save the file as UTF-8 CSV", line)
    if not text.strip():
        _fail(name, "the file is empty; expected a CSV header or Decide rows")
    if is_decide_text(text):
        return parse_decide(text, name)
    return parse_stakeholder_csv(text, name)


def _fail(name: str, message: str, line: int | None = None) -> NoReturn:
    raise ScenarioError([Problem(message, location=Location(name, line))])


def _delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d])


def parse_stakeholder_csv(text: str, name: str = "<csv>") -> StakeholderTable:
    """Parse either CSV layout (chosen by the header)."""
    problems = Problems(name)
    lines = [(number, line) for number, line in enumerate(text.splitlines(), 1) if line.strip()]
    header_line, header = lines[0]
    delimiter = _delimiter(header)
    columns = [f.text.strip().lower() for f in split_fields(header, delimiter)]
    columns = ["power" if c == "capability" and "issue" in columns else c for c in columns]
    layout = _MULTI if "issue" in columns else _SINGLE
    missing = [c for c in layout if c not in columns]
    if missing:
        expected = ",".join(layout)
        problems.add(
            f"missing column(s) {', '.join(missing)}; expected a header like "
            f"'{expected}' (or 'actor,capability,position,salience')",
            header_line,
            1,
        )
        problems.raise_if_any()
    if len(lines) == 1:
        problems.add("no data rows after the header", header_line)
        problems.raise_if_any()
    check_row_count(problems, len(lines) - 1, lines[min(MAX_ROWS + 1, len(lines) - 1)][0])
    index = {c: columns.index(c) for c in columns}
    rows = [(number, split_fields(line, delimiter)) for number, line in lines[1:]]
    if layout is _SINGLE:
        return _single_issue(problems, rows, index)
    return _multi_issue(problems, rows, index)


def _actor(problems: Problems, row: Sequence[Field], index: int, line: int) -> str | None:
    if index >= len(row) or not row[index].text.strip():
        problems.add("actor: missing name", line, row[index].column if index < len(row) else None)
        return None
    return checked_name(problems, row[index], "actor", line)


def _single_issue(
    problems: Problems, rows: list[tuple[int, list[Field]]], index: dict[str, int]
) -> StakeholderTable:
    actors: list[str] = []
    seen: set[str] = set()
    values: list[tuple[float, float, float]] = []
    for line, row in rows:
        actor = _actor(problems, row, index["actor"], line)
        x = parse_number(problems, row, index["position"], "position", line)
        s = parse_number(problems, row, index["salience"], "salience", line)
        c = parse_number(problems, row, index["capability"], "capability", line)
        s = check_range(problems, s, "salience", line, column_of(row, index["salience"]), 0.0, 1.0)
        c = check_range(
            problems, c, "capability", line, column_of(row, index["capability"]), 0.0, None
        )
        if actor is not None and actor in seen:
            problems.add(f"actor {actor!r} appears twice", line, column_of(row, index["actor"]))
        elif None not in (actor, x, s, c):
            assert actor is not None
            assert x is not None
            assert s is not None
            assert c is not None
            actors.append(actor)
            seen.add(actor)
            values.append((x, s, c))
    problems.raise_if_any()
    data = np.array(values)
    if float(np.sum(data[:, 1] * data[:, 2])) <= 0:
        problems.add("every actor has zero capability or zero salience: nothing to weigh")
        problems.raise_if_any()
    return StakeholderTable.single_issue(
        actors, data[:, 0], data[:, 1], data[:, 2], source=problems.name
    )


def _multi_issue(
    problems: Problems, rows: list[tuple[int, list[Field]]], index: dict[str, int]
) -> StakeholderTable:
    cells: dict[tuple[str, str], Cell] = {}
    bounds: dict[str, tuple[float, float, int]] = {}
    has_bounds = "issue_lower" in index and "issue_upper" in index
    for line, row in rows:
        actor = _actor(problems, row, index["actor"], line)
        issue_field = row[index["issue"]] if index["issue"] < len(row) else None
        issue = issue_field.text.strip() if issue_field else ""
        if not issue:
            problems.add("issue: missing name", line, column_of(row, index["issue"]))
        elif issue_field is not None:
            issue = checked_name(problems, issue_field, "issue", line) or ""
        x = parse_number(problems, row, index["position"], "position", line)
        s = parse_number(problems, row, index["salience"], "salience", line)
        c = parse_number(problems, row, index["power"], "power", line)
        s = check_range(problems, s, "salience", line, column_of(row, index["salience"]), 0.0, 1.0)
        c = check_range(problems, c, "power", line, column_of(row, index["power"]), 0.0, None)
        if has_bounds and issue:
            _read_bounds(problems, row, index, line, issue, bounds)
        if actor is None or not issue or None in (x, s, c):
            continue
        assert x is not None
        assert s is not None
        assert c is not None
        if (actor, issue) in cells:
            problems.add(
                f"actor {actor!r} has two rows for issue {issue!r} (first on line "
                f"{cells[actor, issue].line})",
                line,
                column_of(row, index["issue"]),
            )
            continue
        cells[actor, issue] = Cell(x, s, c, line, column_of(row, index["position"]))
    problems.raise_if_any()
    actors = list(dict.fromkeys(actor for actor, _ in cells))  # first appearance order
    issues = list(dict.fromkeys(issue for _, issue in cells))
    return build_table(problems, actors, issues, cells, bounds)


def _read_bounds(
    problems: Problems,
    row: Sequence[Field],
    index: dict[str, int],
    line: int,
    issue: str,
    bounds: dict[str, tuple[float, float, int]],
) -> None:
    low = parse_number(problems, row, index["issue_lower"], "issue_lower", line)
    high = parse_number(problems, row, index["issue_upper"], "issue_upper", line)
    if low is None or high is None:
        return
    if high <= low:
        problems.add(
            f"issue {issue!r}: issue_upper ({high:g}) must exceed issue_lower ({low:g})",
            line,
            column_of(row, index["issue_upper"]),
        )
        return
    seen = bounds.setdefault(issue, (low, high, line))
    if seen[:2] != (low, high):
        problems.add(
            f"issue {issue!r}: bounds {low:g}..{high:g} differ from "
            f"{seen[0]:g}..{seen[1]:g} on line {seen[2]}",
            line,
            column_of(row, index["issue_lower"]),
        )

"""The Decide input format of Stokman's exchange-model software (``decide-exchange-model``):
``#A`` actor rows, ``#P`` issue rows, ``#M`` issue scale points (their minimum and
maximum are the bounds), ``#D`` rows ``actor, issue, position, salience, power``; ``#/``
rows are comments. Fields are separated by ``;``, tabs or commas and may be quoted. As
in Decide, a ``#D`` row with salience ``0`` means the actor takes no part in the issue.
"""

from __future__ import annotations

from accord.forecast.data import StakeholderTable
from accord.forecast.located import (
    MAX_ROWS,
    Cell,
    Field,
    Problems,
    build_table,
    check_range,
    check_row_count,
    checked_name,
    parse_number,
    split_fields,
)

__all__ = ["DECIDE_TAGS", "is_decide_text", "parse_decide"]

DECIDE_TAGS = ("#A", "#P", "#M", "#D", "#/")


def is_decide_text(text: str) -> bool:
    """True when the first non-blank line is a Decide ``#A``/``#P``/``#M``/``#D``/``#/`` row."""
    for line in text.splitlines():
        stripped = line.strip().lstrip("'\"")
        if stripped:
            return stripped[:2] in DECIDE_TAGS
    return False


def _decide_delimiter(text: str) -> str:
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        for tag in DECIDE_TAGS:
            for quoted in (tag, f"'{tag}'", f'"{tag}"'):
                if stripped.startswith(quoted) and len(stripped) > len(quoted):
                    return stripped[len(quoted)]
        break
    return ";"


def parse_decide(text: str, name: str = "<decide>") -> StakeholderTable:
    """Parse a Decide input file (``#A``, ``#P``, ``#M``, ``#D`` rows)."""
    problems = Problems(name)
    delimiter = _decide_delimiter(text)
    comma = delimiter != ","
    actors: dict[str, None] = {}  # declared ids in order (a dict: O(1) membership)
    issues: dict[str, None] = {}
    scale: dict[str, list[float]] = {}
    data_rows: list[tuple[int, list[Field]]] = []
    for line, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        row = split_fields(raw.strip(), delimiter)
        tag = row[0].text.strip()
        if tag == "#A" or tag == "#P":
            _declare(
                problems,
                row,
                line,
                actors if tag == "#A" else issues,
                "actor" if tag == "#A" else "issue",
            )
        elif tag == "#M":
            _scale_point(problems, row, line, issues, scale, comma)
        elif tag == "#D":
            data_rows.append((line, row))
        elif not tag.startswith("#/"):
            problems.add(_not_understood(tag, delimiter), line, row[0].column)
    if len(data_rows) > MAX_ROWS:
        check_row_count(problems, len(data_rows), data_rows[MAX_ROWS][0])
    cells: dict[tuple[str, str], Cell] = {}
    known = (set(actors), set(issues))
    for line, row in data_rows:
        _decide_cell(problems, row, line, known, cells, comma)
    if not data_rows and not problems.items:
        problems.add("no #D data rows (expected '#D;actor;issue;position;salience;power')")
    problems.raise_if_any()
    with_rows = {actor for actor, _ in cells}, {issue for _, issue in cells}
    used_actors = [a for a in actors if a in with_rows[0]]
    used_issues = [i for i in issues if i in with_rows[1]]
    dropped = [a for a in actors if a not in used_actors] + [
        i for i in issues if i not in used_issues
    ]
    notes = (f"left out (no #D rows with salience > 0): {', '.join(dropped)}",) if dropped else ()
    bounds = {i: (min(v), max(v), 0) for i, v in scale.items() if len(v) >= 2 and max(v) > min(v)}
    return build_table(problems, used_actors, used_issues, cells, bounds, notes)


def _not_understood(tag: str, delimiter: str) -> str:
    """The problem with a line that is no Decide row (it is reported, never skipped)."""
    shown = tag if len(tag) <= 30 else tag[:30] + "…"
    for known in DECIDE_TAGS[:4]:
        if tag.startswith(known) and len(tag) > 2:
            return (
                f"{known} row separated by {tag[2]!r}, but this file's rows are separated "
                f"by {delimiter!r} (as on its first row): {shown!r}"
            )
    return f"line not understood: {shown!r} (expected a row beginning #A, #P, #M, #D or #/)"


def _declare(
    problems: Problems, row: list[Field], line: int, names: dict[str, None], what: str
) -> None:
    if len(row) < 2 or not row[1].text.strip():
        problems.add(f"#{what[0].upper()} row: missing {what} id", line, None)
        return
    ident = checked_name(problems, row[1], what, line)
    if ident is None:
        return
    if ident in names:
        problems.add(f"{what} {ident!r} is declared twice", line, row[1].column)
    else:
        names[ident] = None


def _scale_point(
    problems: Problems,
    row: list[Field],
    line: int,
    issues: dict[str, None],
    scale: dict[str, list[float]],
    comma: bool,
) -> None:
    if len(row) < 3:
        problems.add("#M row: expected '#M;issue;position;meaning'", line, None)
        return
    issue = row[1].text.strip()
    if issue not in issues:
        problems.add(f"#M row names issue {issue!r}, which no #P row declares", line, row[1].column)
        return
    value = parse_number(problems, row, 2, "#M position", line, comma_decimal=comma)
    if value is not None:
        scale.setdefault(issue, []).append(value)


def _decide_cell(
    problems: Problems,
    row: list[Field],
    line: int,
    known: tuple[set[str], set[str]],
    cells: dict[tuple[str, str], Cell],
    comma: bool,
) -> None:
    actors, issues = known
    if len(row) < 6:
        problems.add("#D row: expected '#D;actor;issue;position;salience;power'", line, None)
        return
    actor, issue = row[1].text.strip(), row[2].text.strip()
    if actor not in actors:
        problems.add(f"#D row names actor {actor!r}, which no #A row declares", line, row[1].column)
    if issue not in issues:
        problems.add(f"#D row names issue {issue!r}, which no #P row declares", line, row[2].column)
    x = parse_number(problems, row, 3, "position", line, comma_decimal=comma)
    s = parse_number(problems, row, 4, "salience", line, comma_decimal=comma)
    c = parse_number(problems, row, 5, "power", line, comma_decimal=comma)
    s = check_range(problems, s, "salience", line, row[4].column, 0.0, 1.0)
    c = check_range(problems, c, "power", line, row[5].column, 0.0, None)
    if actor not in actors or issue not in issues or None in (x, s, c) or s == 0:
        return
    assert x is not None
    assert s is not None
    assert c is not None
    if (actor, issue) in cells:
        problems.add(
            f"actor {actor!r} has two #D rows for issue {issue!r} (first on line "
            f"{cells[actor, issue].line})",
            line,
            row[2].column,
        )
        return
    cells[actor, issue] = Cell(x, s, c, line, row[3].column)

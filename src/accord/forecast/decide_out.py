"""Writing a stakeholder table in the Decide input format (the inverse of
:func:`accord.forecast.decide.parse_decide`).

``#A`` declares each actor, ``#P`` each issue, ``#M`` the issue's scale points (its
labelled points when the table has them, else its bounds: the reader takes the lowest and
highest as the bounds), and ``#D`` one row ``actor;issue;position;salience;power`` per
actor taking part. Fields are separated by ``;``; numbers are written in full
(``repr``), so reading the file back gives the same table. Names are written exactly:
these files are read by programs, so a name is quoted (never altered) when it holds the
separator or begins with a quote, and a name the format cannot hold (a line break,
both quote characters, leading or trailing spaces, which the reader strips) is an error.
"""

from __future__ import annotations

import math

from accord.errors import AccordError
from accord.forecast.data import StakeholderTable

__all__ = ["DECIDE_SEPARATOR", "decide_text"]

DECIDE_SEPARATOR = ";"


def _field(name: str) -> str:
    """``name`` as one Decide field, quoted when needed; refused when it cannot be held."""
    if "\n" in name or "\r" in name or name != name.strip() or not name:
        raise AccordError(
            f"the name {name!r} cannot be written to a Decide file (line breaks, leading "
            "or trailing spaces and empty names are not kept by Decide readers)"
        )
    if DECIDE_SEPARATOR not in name and name[0] not in "\"'":
        return name
    for quote in ('"', "'"):
        if quote not in name:
            return f"{quote}{name}{quote}"
    raise AccordError(f"the name {name!r} holds the separator and both quote characters")


def _number(value: float) -> str:
    return repr(float(value))


def decide_text(table: StakeholderTable) -> tuple[str, list[str]]:
    """The Decide file of ``table`` and the notes on what it leaves out (a salience of
    0, which Decide reads as taking no part)."""
    sep = DECIDE_SEPARATOR
    lines = [f"#/{sep}accord stakeholder table {table.source}"]
    lines += [f"#A{sep}{_field(actor)}{sep}{_field(actor)}" for actor in table.actors]
    lines += [f"#P{sep}{_field(issue)}{sep}{_field(issue)}" for issue in table.issues]
    for j, issue in enumerate(table.issues):
        points = table.scale_labels.get(issue) or (
            (float(table.lower[j]), ""),
            (float(table.upper[j]), ""),
        )
        for point, meaning in points:
            label = f"{sep}{_field(meaning)}" if meaning else ""
            lines.append(f"#M{sep}{_field(issue)}{sep}{_number(point)}{label}")
    dropped: list[str] = []
    for i, actor in enumerate(table.actors):
        for j, issue in enumerate(table.issues):
            position = float(table.position[i, j])
            if math.isnan(position):
                continue
            salience = float(table.salience[i, j])
            if salience == 0:
                dropped.append(f"{actor} on {issue}: salience 0 (Decide reads: no part)")
            row = (actor, issue, position, salience, float(table.capability[i, j]))
            lines.append(
                sep.join(["#D", _field(row[0]), _field(row[1]), *(_number(v) for v in row[2:])])
            )
    return "\n".join(lines) + "\n", dropped

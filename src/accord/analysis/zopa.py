"""Why a zone of possible agreement is empty: the constraints that collide.

Each chosen party contributes constraints: each of its red lines (outcomes that match
it are excluded) and its reservation value (outcomes below it are excluded). When no
outcome survives them all, the constraints *cover* the outcome space. We report a
small cover: chosen greedily (the constraint excluding most outcomes not yet excluded,
the classic ln(n)-approximation for set cover, Johnson 1974), then pruned so that no
constraint in it is redundant. For each constraint of the cover we also count the
outcomes that would become acceptable to all if that constraint alone were lifted.

Every pass streams over the outcome space in chunks, so memory stays bounded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from accord.analysis.pareto import TIE_TOLERANCE
from accord.engine.compiled import CompiledModel, Condition

__all__ = ["Constraint", "constraints_for", "minimal_cover", "sole_exclusions"]

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Constraint:
    """A red line (``line`` set) or a reservation value (``line`` is None) of one party."""

    party: int
    red_line_number: int | None
    line: Condition | None


def constraints_for(model: CompiledModel, parties: Sequence[int]) -> list[Constraint]:
    """The chosen parties' constraints, in party order: red lines, then the reservation."""
    constraints: list[Constraint] = []
    for party in parties:
        own = [line for line in model.red_lines if line.party == party]
        constraints += [Constraint(party, n, line) for n, line in enumerate(own)]
        constraints.append(Constraint(party, None, None))
    return constraints


def _excluded(
    model: CompiledModel, options: IntArray, constraints: Sequence[Constraint]
) -> BoolArray:
    """``excluded[b, c]``: outcome b is excluded by constraint c."""
    parties = sorted({c.party for c in constraints})
    utilities = model.utilities(options, parties)
    column = {party: position for position, party in enumerate(parties)}
    result = np.empty((options.shape[0], len(constraints)), dtype=bool)
    for position, constraint in enumerate(constraints):
        if constraint.line is not None:
            result[:, position] = constraint.line.matches(options)
        else:
            floor = model.reservations[constraint.party] - TIE_TOLERANCE
            result[:, position] = utilities[:, column[constraint.party]] < floor
    return result


def _uncovered_counts(
    model: CompiledModel, constraints: Sequence[Constraint], chosen: Sequence[int]
) -> IntArray:
    """For each constraint, how many outcomes it excludes that ``chosen`` do not."""
    counts = np.zeros(len(constraints), dtype=np.int64)
    for _, options in model.chunks():
        excluded = _excluded(model, options, constraints)
        open_rows = ~excluded[:, list(chosen)].any(axis=1) if chosen else slice(None)
        counts += excluded[open_rows].sum(axis=0)
    return counts


def minimal_cover(model: CompiledModel, constraints: Sequence[Constraint]) -> list[int]:
    """Positions of a small set of constraints that together exclude every outcome.

    Call only when the zone of agreement is empty (the whole set then covers).
    """
    chosen: list[int] = []
    while True:
        counts = _uncovered_counts(model, constraints, chosen)
        counts[chosen] = 0
        if counts.max() == 0:
            break
        chosen.append(int(np.argmax(counts)))
    for position in list(reversed(chosen)):
        rest = [c for c in chosen if c != position]
        if rest and _covers(model, constraints, rest):
            chosen = rest
    return chosen


def _covers(model: CompiledModel, constraints: Sequence[Constraint], chosen: list[int]) -> bool:
    for _, options in model.chunks():
        if not _excluded(model, options, constraints)[:, chosen].any(axis=1).all():
            return False
    return True


def sole_exclusions(
    model: CompiledModel, constraints: Sequence[Constraint]
) -> tuple[IntArray, IntArray]:
    """Per constraint: outcomes it excludes, and outcomes *only* it excludes.

    The second count is the size the zone of agreement would have if that
    constraint alone were lifted.
    """
    excludes = np.zeros(len(constraints), dtype=np.int64)
    only = np.zeros(len(constraints), dtype=np.int64)
    for _, options in model.chunks():
        excluded = _excluded(model, options, constraints)
        excludes += excluded.sum(axis=0)
        single = excluded.sum(axis=1) == 1
        only += excluded[single].sum(axis=0)
    return excludes, only

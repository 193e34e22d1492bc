"""The zone of possible agreement without enumeration: examples, or why it is empty.

*Examples* are the lowest-numbered acceptable outcomes, as the enumerating path lists
them: found by lexicographic solves, each excluded before the next.

*Why it is empty.* The chosen parties' red lines and reservation values are the
constraints; when no outcome satisfies them all, some subset already cannot be
satisfied together. We report an irreducible one (an IIS: every constraint in it is
needed) found by the deletion filter (Chinneck & Dravnieks 1991): try each constraint
in turn, and drop it for good when the rest still admit no outcome. The enumerating
path reports a greedy, pruned cover (:mod:`accord.analysis.zopa`); both are
irreducible, and may name different constraints when several subsets collide. Counts
of excluded outcomes need enumeration and are not computed here; what can be decided
exactly is whether lifting one constraint alone opens the zone (``opens``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from accord.analysis.structured.encoding import Encoding
from accord.analysis.structured.program import Interrupt
from accord.analysis.structured.search import Search, first_member, lowest_member
from accord.analysis.zopa import Constraint

__all__ = ["Collided", "colliding_constraints", "zone_examples"]

IntArray = npt.NDArray[np.int64]
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Collided:
    """An irreducible set of constraints that no outcome satisfies together."""

    constraints: tuple[Constraint, ...]
    opens: tuple[bool, ...]
    """For each: would lifting it alone leave some outcome acceptable to all?"""
    exact: bool


def zone_examples(search: Search, count: int = 5) -> list[IntArray]:
    """The ``count`` lowest-numbered acceptable outcomes (fewer when there are fewer)."""
    encoding = search.encoding
    rows: list[IntArray] = []
    with encoding.program.scope():
        while len(rows) < count:
            row = lowest_member(search, lambda r: bool(encoding.verify(r)[0]))
            if row is None:
                break
            rows.append(row)
            encoding.no_good(row)
    return rows


def _feasible(encoding: Encoding, interrupt: Interrupt) -> bool:
    search = Search(encoding, interrupt)
    return first_member(search, {}, lambda r: bool(encoding.verify(r)[0])) is not None


def colliding_constraints(
    build: Callable[[Sequence[Constraint]], Encoding],
    constraints: Sequence[Constraint],
    interrupt: Interrupt,
) -> Collided:
    """An irreducible infeasible subset of ``constraints`` (deletion filter)."""
    kept = list(constraints)
    for constraint in constraints:
        if interrupt.requested:
            break
        trial = [c for c in kept if c is not constraint]
        if not _feasible(build(trial), interrupt) and not interrupt.requested:
            kept = trial
    opens = []
    for constraint in kept:
        rest = [c for c in constraints if c is not constraint]
        opens.append(not interrupt.requested and _feasible(build(rest), interrupt))
    return Collided(tuple(kept), tuple(opens), exact=not interrupt.requested)

"""Verified searches over a program: best member, all near-optimal members, lowest index.

The solver decides within its tolerances; the analysis must decide exactly as the
enumerating path does. So every outcome a solve returns is checked by a predicate in
exact arithmetic (``is_member``). An outcome that fails is cut off — a "no-good" cut
(Balas & Jeroslow 1972), plus any criterion-specific cuts (``refine``: the Nash
tangents, Kelley 1960) — and the solve is repeated. Searches stop early, returning
what they have, once the user interrupts (``Interrupt``).

*Lexicographic order.* Outcomes are numbered in mixed radix, first issue slowest, so
the lowest number is the lexicographically smallest option vector. It is found by
minimising the partial index of consecutive blocks of issues, fixing each block before
the next (preemptive goal programming, Ignizio 1976); blocks are small enough
(``BLOCK_SPAN``) for the partial index to be exact in double precision.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from accord.analysis.structured.encoding import Encoding
from accord.analysis.structured.program import Interrupt, SolverError, solve

__all__ = ["Found", "Search", "collect", "first_member", "lowest_member"]

IntArray = npt.NDArray[np.int64]
Member = Callable[[IntArray], bool]
Refine = Callable[[IntArray], None]

MAX_REJECTED = 2000
"""Outcomes rejected by the exact check before a search gives up (never reached in
practice: rejections need utilities within 1e-8 of a bound, yet not within 1e-12)."""
_REJECTED = f"the exact check rejected {MAX_REJECTED} outcomes the solver proposed"


@dataclass
class Search:
    """An encoding, the shared interrupt flag and a counter of solves."""

    encoding: Encoding
    interrupt: Interrupt

    @property
    def interrupted(self) -> bool:
        return self.interrupt.requested


@dataclass(frozen=True)
class Found:
    """Members found; ``complete`` when the solver proved there are no others."""

    rows: list[IntArray]
    complete: bool


def _nothing(_row: IntArray) -> None:
    return None


def first_member(
    search: Search,
    objective: dict[int, float],
    is_member: Member,
    refine: Refine = _nothing,
    maximise: bool = True,
) -> IntArray | None:
    """The first verified member the solver finds optimising ``objective``
    (None when there is none, or when interrupted before one was found)."""
    encoding = search.encoding
    for _ in range(MAX_REJECTED):
        solved = solve(
            encoding.program,
            encoding.objective(objective),
            maximise=maximise,
            interrupt=search.interrupt,
        )
        if solved.values is None:
            return None
        row = encoding.decode(solved.values)
        if is_member(row):
            return row
        if solved.status == "interrupted":
            return None
        refine(row)
        encoding.no_good(row)
    raise SolverError(_REJECTED)


def collect(
    search: Search,
    objective: dict[int, float],
    is_member: Member,
    known: list[IntArray],
    limit: int,
    refine: Refine = _nothing,
) -> Found:
    """All members (``known`` first), up to ``limit``. The cuts it adds are dropped."""
    encoding = search.encoding
    rows = list(known)
    with encoding.program.scope():
        for row in rows:
            encoding.no_good(row)
        rejected = 0
        while len(rows) < limit and rejected < MAX_REJECTED:
            solved = solve(
                encoding.program,
                encoding.objective(objective),
                maximise=True,
                interrupt=search.interrupt,
            )
            if solved.status == "infeasible":
                return Found(rows, True)
            if solved.values is None or solved.status == "interrupted":
                return Found(rows, False)
            row = encoding.decode(solved.values)
            encoding.no_good(row)
            if is_member(row):
                rows.append(row)
            else:
                rejected += 1
                refine(row)
    return Found(rows, False)


def lowest_member(search: Search, is_member: Member, refine: Refine = _nothing) -> IntArray | None:
    """The verified member with the lowest outcome number (None: none, or interrupted)."""
    encoding = search.encoding
    for _ in range(MAX_REJECTED):
        row = _lexicographic_min(search)
        if row is None:
            return None
        if is_member(row):
            return row
        refine(row)
        encoding.no_good(row)
    raise SolverError(_REJECTED)


def _lexicographic_min(search: Search) -> IntArray | None:
    encoding = search.encoding
    radix = encoding.model.radix
    with encoding.program.scope():
        row = np.zeros(len(radix), dtype=np.int64)
        for block in encoding.blocks():
            weights: dict[int, float] = {}
            place = 1
            for i in reversed(block):
                for o in range(1, radix[i]):
                    weights[encoding.column(i, o)] = float(o * place)
                place *= radix[i]
            solved = solve(
                encoding.program,
                encoding.objective(weights),
                maximise=False,
                interrupt=search.interrupt,
            )
            if solved.values is None or solved.status != "optimal":
                return None
            chosen = encoding.decode(solved.values)
            row[block] = chosen[block]
            encoding.fix(block, chosen[block].tolist())
        return row

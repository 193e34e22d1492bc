"""The compiled model as a mixed-integer program over one-hot option choices.

Variables (Nemhauser & Wolsey 1988, ch. I.1 for the linearisations):

* ``x[i, o]`` ∈ {0, 1}, one per option, with Σ_o x[i, o] = 1 for every issue i;
* for a condition over issues S with allowed option sets A_i, ``a_i = Σ_{o∈A_i} x[i, o]``
  says whether issue i is inside the condition, and the condition holds when every
  a_i is 1. An interaction term over two or more issues gets ``y ∈ [0, 1]`` with
  ``y ≤ a_i`` for each i and ``y ≥ Σ_i a_i − (|S| − 1)``: both directions, so y equals
  the conjunction whatever the sign of its bonus; over one issue, y is a_i itself;
* a red line is a forbidden combination: ``Σ_i a_i ≤ |S| − 1``;
* utility u_p = Σ_{i,o} tables[i][p, o]·x[i, o] + Σ_k b_k·y_k, the compiled model's
  weighted tables and interaction bonuses;
* the capped utility ``v_p`` (GENIUS clamps at 1): v_p ≤ u_p and v_p ≤ cap. Every
  criterion maximised here is non-decreasing in each v_p, so at an optimum
  v_p = min(u_p, cap) exactly; acceptability v_p ≥ r_p is u_p ≥ r_p when cap ≥ r_p.

Acceptability uses the enumerating path's tolerance (``TIE_TOLERANCE``) plus the
solver's own, so no acceptable outcome is ever cut off; every solution is then
checked in exact floating point by the compiled model itself (:meth:`Encoding.verify`),
and the rare outcome that passes only within solver tolerance is excluded by a
"no-good" cut (Balas & Jeroslow 1972) and the solve repeated.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from accord.analysis.pareto import TIE_TOLERANCE
from accord.analysis.structured.program import INF, SOLVER_TOLERANCE, Program
from accord.analysis.zopa import Constraint, constraints_for
from accord.engine.compiled import CompiledModel, Condition

__all__ = [
    "BLOCK_SPAN",
    "SLACK",
    "Encoding",
    "flat_index",
    "lowest",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

SLACK = 10 * SOLVER_TOLERANCE
"""How far below a bound the program lets an outcome go (then checked exactly)."""

BLOCK_SPAN = 1 << 20
"""Largest partial mixed-radix index minimised in one solve (exact in double precision)."""


class Encoding:
    """The base program of one analysis: options, conditions, utilities, constraints.

    ``parties`` are the compiled model's party indices analysed; ``constraints`` the
    red lines and reservation values enforced (default: all of theirs).
    """

    def __init__(
        self,
        model: CompiledModel,
        parties: Sequence[int],
        constraints: Sequence[Constraint] | None = None,
    ) -> None:
        self.model = model
        self.parties = list(parties)
        self.offsets = np.concatenate(([0], np.cumsum(model.radix))).astype(np.int64)
        self.program = Program()
        self.program.add_columns(int(self.offsets[-1]), 0.0, 1.0, True)
        for i in range(len(model.radix)):
            self.program.add_row(self._options(i), np.ones(model.radix[i]), 1.0, 1.0)
        self.utility = [self._utility(p) for p in self.parties]
        self.capped = self._capped()
        self.constraints = (
            list(constraints) if constraints is not None else constraints_for(model, self.parties)
        )
        for constraint in self.constraints:
            self.enforce(constraint)

    def _options(self, issue: int) -> IntArray:
        return np.arange(self.offsets[issue], self.offsets[issue + 1], dtype=np.int64)

    def column(self, issue: int, option: int) -> int:
        return int(self.offsets[issue]) + option

    def _inside(self, issue: int, allowed: BoolArray) -> IntArray:
        return np.asarray(self._options(issue)[np.asarray(allowed, dtype=bool)], dtype=np.int64)

    def _utility(self, party: int) -> dict[int, float]:
        """Party's (uncapped) utility as sparse coefficients over the columns."""
        coefficients: dict[int, float] = {}
        for i, table in enumerate(self.model.tables):
            for o in range(table.shape[1]):
                coefficients[self.column(i, o)] = float(table[party, o])
        for term in self.model.interactions:
            if term.party == party:
                column = self.conjunction(term)
                coefficients[column] = coefficients.get(column, 0.0) + term.value
        return coefficients

    def objective(self, coefficients: dict[int, float]) -> FloatArray:
        """A dense objective over the program's current columns."""
        vector = np.zeros(self.program.n_columns)
        for column, value in coefficients.items():
            vector[column] = value
        return vector

    def conjunction(self, condition: Condition) -> int:
        """A column equal to 1 exactly when ``condition`` holds (issues of one option
        set that allows every option are always inside and are skipped)."""
        parts = [
            self._inside(i, mask)
            for i, mask in zip(condition.issues, condition.allowed, strict=True)
            if not np.all(mask)
        ]
        y = self.program.add_columns(1, 0.0, 1.0, True)
        if not parts:
            self.program.add_row([y], [1.0], 1.0, 1.0)
            return y
        for inside in parts:
            self.program.add_row(
                np.append(inside, y), np.append(-np.ones(len(inside)), 1.0), -INF, 0.0
            )
        every = np.concatenate(parts)
        self.program.add_row(
            np.append(every, y), np.append(-np.ones(len(every)), 1.0), -(len(parts) - 1.0), INF
        )
        return y

    def _capped(self) -> list[int]:
        """Columns v_p ≤ min(u_p, cap): the utility as the analysis measures it."""
        cap = INF if self.model.cap is None else float(self.model.cap)
        first = self.program.add_columns(len(self.parties), -INF, cap, False)
        for j in range(len(self.parties)):
            self.add_linear({first + j: 1.0}, self.utility[j], upper=0.0)
        return [first + j for j in range(len(self.parties))]

    def add_linear(
        self,
        plus: dict[int, float],
        minus: dict[int, float] | None = None,
        lower: float = -INF,
        upper: float = INF,
    ) -> None:
        """Add the row ``lower ≤ Σ plus − Σ minus ≤ upper`` (sparse coefficients)."""
        coefficients = dict(plus)
        for column, value in (minus or {}).items():
            coefficients[column] = coefficients.get(column, 0.0) - value
        columns = np.fromiter(coefficients, dtype=np.int64, count=len(coefficients))
        values = np.fromiter(coefficients.values(), dtype=np.float64, count=len(coefficients))
        self.program.add_row(columns, values, lower, upper)

    def enforce(self, constraint: Constraint) -> None:
        """Add one red line (forbidden combination) or reservation value (lower bound)."""
        if constraint.line is not None:
            parts = [
                self._inside(i, mask)
                for i, mask in zip(constraint.line.issues, constraint.line.allowed, strict=True)
            ]
            every = np.concatenate(parts)
            self.program.add_row(every, np.ones(len(every)), -INF, len(parts) - 1.0)
            return
        j = self.parties.index(constraint.party)
        floor = float(self.model.reservations[constraint.party]) - TIE_TOLERANCE
        if self.model.cap is not None and self.model.cap < floor:
            floor = float(self.model.cap) + 1.0  # the cap keeps every outcome below it
        self.add_linear({self.capped[j]: 1.0}, lower=floor - SLACK)

    def no_good(self, row: IntArray) -> None:
        """Exclude exactly this outcome (Balas & Jeroslow 1972)."""
        columns = [self.column(i, int(o)) for i, o in enumerate(row)]
        self.program.add_row(columns, np.ones(len(columns)), -INF, len(columns) - 1.0)

    def fix(self, issues: Sequence[int], options: Sequence[int]) -> None:
        for i, o in zip(issues, options, strict=True):
            self.program.add_row([self.column(i, int(o))], [1.0], 1.0, 1.0)

    def decode(self, values: FloatArray) -> IntArray:
        """The option chosen for each issue in a solution."""
        return np.asarray(
            [
                int(np.argmax(values[self.offsets[i] : self.offsets[i + 1]]))
                for i in range(len(self.model.radix))
            ],
            dtype=np.int64,
        )

    def blocks(self) -> list[list[int]]:
        """Consecutive issues whose partial mixed-radix index stays below ``BLOCK_SPAN``."""
        blocks: list[list[int]] = [[]]
        span = 1
        for i, size in enumerate(self.model.radix):
            if blocks[-1] and span * size > BLOCK_SPAN:
                blocks.append([])
                span = 1
            blocks[-1].append(i)
            span *= size
        return blocks

    def verify(self, rows: IntArray) -> BoolArray:
        """Which outcomes every enforced constraint accepts, in exact arithmetic."""
        rows = np.atleast_2d(rows)
        evaluation = self.model.evaluate(rows, self.parties)
        ok = np.ones(rows.shape[0], dtype=bool)
        for constraint in self.constraints:
            if constraint.line is not None:
                ok &= ~constraint.line.matches(rows)
            else:
                j = self.parties.index(constraint.party)
                floor = self.model.reservations[constraint.party] - TIE_TOLERANCE
                ok &= evaluation.utilities[:, j] >= floor
        return ok


def flat_index(model: CompiledModel, row: Sequence[int] | IntArray) -> int:
    """The mixed-radix outcome number as a Python int (spaces may exceed 2**63)."""
    index = 0
    for size, option in zip(model.radix, row, strict=True):
        index = index * size + int(option)
    return index


def lowest(rows: IntArray) -> int:
    """Position of the row with the lowest outcome number (lexicographic order)."""
    rows = np.atleast_2d(rows)
    order = np.lexsort(rows.T[::-1])
    return int(order[0])

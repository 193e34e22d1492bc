"""The amendment program: per issue an option or (open issues) "left open", robustly.

Columns: ``x[i, o]`` as in :mod:`.encoding`; ``s_i`` = 1 when open issue i stays open,
with Σ_o x[i, o] + s_i = 1 (settled issues: Σ_o x[i, o] = 1). Cost: the settled issues
whose option changes, plus the open issues that get settled. A principal's red line
can be crossed by some completion when every issue in it is settled inside it or left
open: Σ_i (Σ_{o∈A_i} x[i, o] + s_i) ≤ |S| − 1. A completion ω found below a principal's
reservation value adds the cut "the outcome that takes ω on the issues left open is
acceptable", with a conjunction column per interaction (both linearisations).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from accord.analysis.pareto import TIE_TOLERANCE
from accord.analysis.structured.encoding import SLACK, Encoding
from accord.analysis.structured.program import INF, Interrupt, Program, solve
from accord.analysis.structured.search import Search, first_member
from accord.engine.compiled import CompiledModel

__all__ = ["AmendProgram", "Decision", "expected_utilities", "worst_completion"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

ENUMERATE_COMPLETIONS = 100_000
"""Completions enumerated directly (else found by a program) when checking a candidate."""


@dataclass(frozen=True)
class Decision:
    settled: dict[int, int]
    """Every issue the amended draft settles, with its option."""


class AmendProgram:
    def __init__(
        self,
        model: CompiledModel,
        fixed: dict[int, int],
        principals: list[int],
        interrupt: Interrupt,
    ) -> None:
        self.model, self.fixed, self.principals, self.interrupt = (
            model,
            fixed,
            principals,
            interrupt,
        )
        self.offsets = np.concatenate(([0], np.cumsum(model.radix))).astype(np.int64)
        self.program = Program()
        self.program.add_columns(int(self.offsets[-1]), 0.0, 1.0, True)
        self.open = [i for i in range(len(model.radix)) if i not in fixed]
        first = self.program.add_columns(len(self.open), 0.0, 1.0, True)
        self.stay = {issue: first + n for n, issue in enumerate(self.open)}
        for i in range(len(model.radix)):
            columns = list(range(int(self.offsets[i]), int(self.offsets[i + 1])))
            extra = [self.stay[i]] if i in self.stay else []
            self.program.add_row(columns + extra, np.ones(len(columns) + len(extra)), 1.0, 1.0)
        for line in model.red_lines:
            if line.party in principals:
                self._forbid(line.issues, line.allowed)
        for party in principals:
            self._reservation_possible(party)
            self.add_scenario(party, self._pessimistic(party))

    def _inside(self, issue: int, allowed: npt.NDArray[np.bool_]) -> list[int]:
        return [int(self.offsets[issue]) + int(o) for o in np.flatnonzero(allowed)]

    def _forbid(self, issues: tuple[int, ...], allowed: tuple[npt.NDArray[np.bool_], ...]) -> None:
        columns: list[int] = []
        for issue, mask in zip(issues, allowed, strict=True):
            columns += self._inside(issue, mask) + (
                [self.stay[issue]] if issue in self.stay else []
            )
        self.program.add_row(columns, np.ones(len(columns)), -INF, len(issues) - 1.0)

    def _reservation_possible(self, party: int) -> None:
        cap = self.model.cap
        if cap is not None and cap < self.model.reservations[party] - TIE_TOLERANCE:
            self.program.add_row([0], [0.0], 1.0, INF)  # 0 ≥ 1: no amendment can help

    def _pessimistic(self, party: int) -> IntArray:
        """A first completion to guard against: each issue's worst option for ``party``."""
        return np.asarray([int(np.argmin(t[party])) for t in self.model.tables], dtype=np.int64)

    def add_scenario(self, party: int, completion: IntArray) -> None:
        """Require ``party`` to accept the outcome taking ``completion`` where left open."""
        coefficients: dict[int, float] = {}
        for i, table in enumerate(self.model.tables):
            for o in range(table.shape[1]):
                coefficients[int(self.offsets[i]) + o] = float(table[party, o])
            if i in self.stay:
                coefficients[self.stay[i]] = float(table[party, completion[i]])
        for term in self.model.interactions:
            if term.party == party:
                y = self._conjunction(term.issues, term.allowed, completion)
                coefficients[y] = coefficients.get(y, 0.0) + term.value
        floor = float(self.model.reservations[party]) - TIE_TOLERANCE - SLACK
        columns = list(coefficients)
        self.program.add_row(columns, [coefficients[c] for c in columns], floor, INF)

    def _conjunction(
        self,
        issues: tuple[int, ...],
        allowed: tuple[npt.NDArray[np.bool_], ...],
        completion: IntArray,
    ) -> int:
        y = self.program.add_columns(1, 0.0, 1.0, True)
        parts = []
        for issue, mask in zip(issues, allowed, strict=True):
            inside = self._inside(issue, mask)
            if issue in self.stay and mask[completion[issue]]:
                inside.append(self.stay[issue])
            parts.append(inside)
            self.program.add_row([y, *inside], [1.0] + [-1.0] * len(inside), -INF, 0.0)
        every = [c for part in parts for c in part]
        self.program.add_row([y, *every], [1.0] + [-1.0] * len(every), 1.0 - len(parts), INF)
        return y

    def _cost_row(self) -> tuple[list[int], list[float]]:
        kept = [int(self.offsets[i]) + o for i, o in self.fixed.items()]
        columns = kept + list(self.stay.values())
        return columns, [-1.0] * len(columns)

    def cap_cost(self, size: int) -> None:
        columns, values = self._cost_row()
        self.program.add_row(columns, values, -INF, size - len(self.model.radix))

    def solve(self) -> Decision | None:
        columns, values = self._cost_row()
        objective = np.zeros(self.program.n_columns)
        objective[columns] = values
        solved = solve(self.program, objective, maximise=False, interrupt=self.interrupt)
        if solved.values is None or solved.status != "optimal":
            return None
        settled = {}
        for i in range(len(self.model.radix)):
            if i in self.stay and solved.values[self.stay[i]] > 0.5:
                continue
            block = solved.values[self.offsets[i] : self.offsets[i + 1]]
            settled[i] = int(np.argmax(block))
        return Decision(settled)

    def cost(self, decision: Decision) -> int:
        return len(self.changes(decision)[0])

    def changes(self, decision: Decision) -> tuple[tuple[int, ...], tuple[int, ...]]:
        issues = tuple(i for i, o in sorted(decision.settled.items()) if self.fixed.get(i) != o)
        return issues, tuple(decision.settled[i] for i in issues)

    def exclude(self, decision: Decision) -> None:
        columns = [
            int(self.offsets[i]) + decision.settled[i] if i in decision.settled else self.stay[i]
            for i in range(len(self.model.radix))
        ]
        self.program.add_row(columns, np.ones(len(columns)), -INF, len(columns) - 1.0)

    def accepts(self, party: int, row: IntArray) -> bool:
        utility = self.model.utilities(row[None, :], [party])[0, 0]
        return bool(utility >= self.model.reservations[party] - TIE_TOLERANCE)


def _grid(model: CompiledModel, settled: dict[int, int]) -> IntArray:
    free = [i for i in range(len(model.radix)) if i not in settled]
    shape = [model.radix[i] for i in free]
    rows = np.zeros((math.prod(shape), len(model.radix)), dtype=np.int64)
    for issue, option in settled.items():
        rows[:, issue] = option
    if free:
        rows[:, free] = np.indices(shape).reshape(len(free), -1).T
    return rows


def _open_count(model: CompiledModel, settled: dict[int, int]) -> int:
    return math.prod(model.radix[i] for i in range(len(model.radix)) if i not in settled)


def worst_completion(
    model: CompiledModel, settled: dict[int, int], party: int, interrupt: Interrupt
) -> IntArray | None:
    """The completion of the open issues that ``party`` likes least."""
    if _open_count(model, settled) <= ENUMERATE_COMPLETIONS:
        rows = _grid(model, settled)
        return np.asarray(rows[int(np.argmin(model.utilities(rows, [party])[:, 0]))])
    encoding = Encoding(model, [party], [])
    encoding.fix(list(settled), list(settled.values()))
    return first_member(
        Search(encoding, interrupt), encoding.utility[0], lambda _: True, maximise=False
    )


def expected_utilities(
    model: CompiledModel, settled: dict[int, int], parties: list[int]
) -> FloatArray:
    """Mean utility over the uniform completions of the open issues.

    Enumerated (capped utilities, as the frameworks module computes them) up to
    ``ENUMERATE_COMPLETIONS`` completions; beyond, in closed form: each open issue
    contributes its mean value and each interaction its bonus times the probability
    that a uniform completion matches it (exact when the cap does not bind).
    """
    if _open_count(model, settled) <= ENUMERATE_COMPLETIONS:
        return np.asarray(model.utilities(_grid(model, settled), parties).mean(axis=0))
    column = {p: j for j, p in enumerate(parties)}
    total = np.zeros(len(parties))
    for i, table in enumerate(model.tables):
        total += table[parties, settled[i]] if i in settled else table[parties].mean(axis=1)
    for term in model.interactions:
        if term.party in column:
            chance = 1.0
            for issue, mask in zip(term.issues, term.allowed, strict=True):
                chance *= float(mask[settled[issue]]) if issue in settled else float(mask.mean())
            total[column[term.party]] += term.value * chance
    return total if model.cap is None else np.minimum(total, model.cap)

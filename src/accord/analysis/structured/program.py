"""Mixed-integer programs as plain data, and their solution with HiGHS.

A :class:`Program` is a list of columns (bounds, integrality) and sparse rows with
lower and upper limits. Searches add rows inside a :meth:`Program.scope` and drop them
when the scope ends, so one base model serves many solves. :func:`solve` hands the
program to HiGHS (Huangfu & Hall 2018, branch-and-cut; `highspy`) with tight
tolerances and returns the solution or the proof that there is none.

HiGHS was chosen over OR-Tools CP-SAT by measurement (docs/benchmarks.md): on the
30-issue, 5-party benchmark instance it proves the utilitarian optimum in 30–50 ms
where CP-SAT takes 100–300 ms on two workers, it works in floating point (CP-SAT needs
integer coefficients, so utilities would have to be rounded), and it is one small
wheel with no further dependencies.

Ctrl-C during a solve asks HiGHS to stop (its interrupt callback); the solve then
returns its best incumbent with status ``interrupted`` and :class:`Interrupt` remembers,
so the searches above stop early and mark their answers as not proven optimal.
"""

from __future__ import annotations

import contextlib
import importlib
import math
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from accord.errors import AccordError
from accord.interrupts import received

__all__ = [
    "SOLVER_TOLERANCE",
    "Interrupt",
    "Program",
    "Solved",
    "SolverError",
    "solve",
    "solving",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

SOLVER_TOLERANCE = 1e-9
"""HiGHS's primal and integer feasibility tolerance here (its minimum is 1e-10)."""

INF = math.inf


class Interrupt:
    """Shared by the solves of one analysis: set once the user pressed Ctrl-C.

    Also set, for every analysis of the process, once a stop signal was received inside
    :func:`accord.interrupts.signals_as_interrupts` (every CLI command): a command that
    chains several analyses (``amend`` runs ``analyze`` after its own search) stops them
    all, not only the one the signal happened to interrupt."""

    def __init__(self) -> None:
        self._requested = False
        self.solves = 0

    @property
    def requested(self) -> bool:
        return self._requested or received() is not None

    @requested.setter
    def requested(self, value: bool) -> None:
        self._requested = value


@dataclass
class Program:
    """Columns and sparse rows of a mixed-integer linear program (built, then solved)."""

    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    integer: list[bool] = field(default_factory=list)
    rows: list[tuple[IntArray, FloatArray, float, float]] = field(default_factory=list)

    @property
    def n_columns(self) -> int:
        return len(self.lower)

    def add_columns(self, count: int, lower: float, upper: float, integer: bool) -> int:
        """Add ``count`` columns; return the index of the first."""
        first = len(self.lower)
        self.lower += [lower] * count
        self.upper += [upper] * count
        self.integer += [integer] * count
        return first

    def add_row(
        self,
        columns: Sequence[int] | IntArray,
        values: Sequence[float] | FloatArray,
        lower: float = -INF,
        upper: float = INF,
    ) -> None:
        self.rows.append(
            (
                np.asarray(columns, dtype=np.int64),
                np.asarray(values, dtype=np.float64),
                lower,
                upper,
            )
        )

    @contextlib.contextmanager
    def scope(self) -> Iterator[Program]:
        """Rows and columns added inside are removed on exit."""
        columns, rows = len(self.lower), len(self.rows)
        try:
            yield self
        finally:
            del self.lower[columns:], self.upper[columns:], self.integer[columns:]
            del self.rows[rows:]


@dataclass(frozen=True)
class Solved:
    """A solve's outcome: ``status`` is optimal, infeasible or interrupted."""

    status: str
    values: FloatArray | None
    objective: float
    bound: float

    @property
    def found(self) -> bool:
        return self.values is not None


_highs_module: Any = None


def _highspy() -> Any:
    """Import highspy once, its start-up banner (printed on stdout by C++) silenced."""
    global _highs_module
    if _highs_module is None:
        highspy: Any = importlib.import_module("highspy")
        with _quiet_stdout():
            highspy.Highs()
        _highs_module = highspy
    return _highs_module


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    try:
        saved = os.dup(1)
    except OSError:  # no file descriptor 1 (embedded use): nothing to silence
        yield
        return
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def _lp(program: Program, objective: FloatArray, maximise: bool) -> Any:
    core = _highspy()._core
    lp = core.HighsLp()
    n, m = program.n_columns, len(program.rows)
    lp.num_col_, lp.num_row_ = n, m
    lp.col_cost_ = objective
    lp.col_lower_ = np.asarray(program.lower, dtype=np.float64)
    lp.col_upper_ = np.asarray(program.upper, dtype=np.float64)
    lp.row_lower_ = np.asarray([row[2] for row in program.rows], dtype=np.float64)
    lp.row_upper_ = np.asarray([row[3] for row in program.rows], dtype=np.float64)
    lengths = [len(row[0]) for row in program.rows]
    matrix = lp.a_matrix_
    matrix.format_ = core.MatrixFormat.kRowwise
    matrix.num_col_, matrix.num_row_ = n, m
    matrix.start_ = np.concatenate(([0], np.cumsum(lengths))).astype(np.int32)
    empty_i, empty_f = np.zeros(0, np.int64), np.zeros(0, np.float64)
    matrix.index_ = np.concatenate([r[0] for r in program.rows] or [empty_i]).astype(np.int32)
    matrix.value_ = np.concatenate([r[1] for r in program.rows] or [empty_f])
    lp.sense_ = core.ObjSense.kMaximize if maximise else core.ObjSense.kMinimize
    kinds = core.HighsVarType
    lp.integrality_ = [kinds.kInteger if i else kinds.kContinuous for i in program.integer]
    return lp


def solve(
    program: Program,
    objective: FloatArray,
    *,
    maximise: bool,
    interrupt: Interrupt,
    tolerance: float = SOLVER_TOLERANCE,
) -> Solved:
    """Solve ``program`` for ``objective`` (dense, one coefficient per column).

    Every HiGHS model status is handled here, in one place (:func:`_classify`):
    *optimal* and *interrupted* are answers; *infeasible* is an answer only once
    confirmed without presolve; anything else (a solve error, an unbounded or
    ambiguous verdict, a limit) is retried on the same program with the same
    tolerances — without presolve, then with another random seed — and, if no
    attempt gives an answer, raises :class:`SolverError`. Retrying is sound: each
    attempt solves the same program to the same tolerances, only by another path.

    Why retries are needed (HiGHS 1.16): with presolve its branch-and-cut may
    restart, reduce the rows of a free continuous column maximised by the objective
    (the Nash tangents' ``t``) to a bound relaxed by the feasibility tolerance, and
    return a point exactly that far outside the row; its own final check then finds
    the violation (1e-10 plus rounding) above the tolerance and reports "Solve
    error" for a program it solved (``accord analyze --lift ukraine:1 --method
    structured``). A proof of infeasibility from presolve is not trusted either: an
    amendment program with continuous conjunction columns ("untransformed
    violations" after postsolve), and a Nash tie band whose tangent cuts meet the
    band's floor to within the tolerance, were declared infeasible although feasible
    (tests/property/test_structured_equals_enumeration.py).
    """
    if interrupt.requested:
        return Solved("interrupted", None, math.nan, math.nan)
    highspy = _highspy()
    highs = highspy.Highs()
    for name, value in _OPTIONS.items():
        highs.setOptionValue(name, value)
    highs.setOptionValue("primal_feasibility_tolerance", tolerance)
    highs.setOptionValue("mip_feasibility_tolerance", tolerance)
    highs.passModel(_lp(program, np.asarray(objective, dtype=np.float64), maximise))
    statuses = []
    for attempt, options in enumerate(_ATTEMPTS):
        for name, value in options.items():
            highs.setOptionValue(name, value)
        if attempt:
            highs.clearSolver()
        result, status = _run(highs, highspy, interrupt)
        statuses.append(status)
        if result is not None and (result.status != "infeasible" or attempt > 0):
            return result
        if interrupt.requested:
            return Solved("interrupted", None, math.nan, math.nan)
    raise SolverError(_failed_attempts(statuses))


_ATTEMPTS: tuple[dict[str, Any], ...] = (
    {},
    {"presolve": "off"},
    {"presolve": "off", "random_seed": 1},
)
"""Options of each attempt, applied in turn to the same program (see :func:`solve`)."""


class SolverError(AccordError):
    """The solver gave no answer for a program, even on retry; names what was solved.

    ``detail`` says what went wrong (HiGHS's statuses of each attempt, or the
    search that gave up); ``concept`` what was being computed (set by
    :func:`solving`), so the message a user reads names the solution concept.
    """

    def __init__(self, detail: str, concept: str | None = None) -> None:
        self.detail = detail
        self.concept = concept
        target = f"the {concept}" if concept else "a program"
        super().__init__(
            f"the structured analysis could not compute {target}: {detail}. This is a "
            "solver failure, not a property of the scenario; where the space is small "
            "enough to enumerate, --method enumerate gives the answer"
        )


def _failed_attempts(statuses: Sequence[str]) -> str:
    tried = ", ".join(f"{s!r}" for s in statuses)
    return f"HiGHS stopped with statuses {tried} (with presolve, without, with another seed)"


@contextlib.contextmanager
def solving(concept: str) -> Iterator[None]:
    """Name ``concept`` in any :class:`SolverError` raised inside (innermost name wins)."""
    try:
        yield
    except SolverError as error:
        if error.concept is not None:
            raise
        raise SolverError(error.detail, concept) from None


def _run(highs: Any, highspy: Any, interrupt: Interrupt) -> tuple[Solved | None, str]:
    highs.HandleUserInterrupt = True
    thread = highs.startSolve()
    try:
        while not highs.wait(0.05)[0]:
            pass
    except KeyboardInterrupt:
        interrupt.requested = True
        highs.cancelSolve()
        highs.joinSolve(thread, interrupt_limit=0)
    interrupt.solves += 1
    status = highs.getModelStatus()
    return _classify(highs, highspy, status, interrupt), highs.modelStatusToString(status)


def _classify(highs: Any, highspy: Any, status: Any, interrupt: Interrupt) -> Solved | None:
    """The answer a model status gives, or None when it gives none (retry or fail).

    Optimal needs a primal solution; infeasible is only HiGHS's ``kInfeasible`` (an
    "unbounded or infeasible" verdict is ambiguous, so no answer); an interrupt keeps
    the incumbent, if any. Every other status (solve, presolve or postsolve error,
    unbounded, time, iteration, solution or memory limit, unknown) gives no answer.
    """
    kinds = highspy.HighsModelStatus
    info = highs.getInfo()
    solution = highs.getSolution()
    values = np.asarray(solution.col_value, dtype=np.float64) if solution.value_valid else None
    if status == kinds.kOptimal and values is not None:
        return Solved("optimal", values, info.objective_function_value, info.mip_dual_bound)
    if status == kinds.kInfeasible:
        return Solved("infeasible", None, math.nan, math.nan)
    if interrupt.requested or status in (kinds.kInterrupt, kinds.kHighsInterrupt):
        interrupt.requested = True
        objective = info.objective_function_value if values is not None else math.nan
        return Solved("interrupted", values, objective, info.mip_dual_bound)
    return None


_OPTIONS: dict[str, Any] = {
    "output_flag": False,
    "mip_rel_gap": 0.0,
    "mip_abs_gap": 1e-12,
    "primal_feasibility_tolerance": SOLVER_TOLERANCE,
    "mip_feasibility_tolerance": SOLVER_TOLERANCE,
    "threads": 1,
}

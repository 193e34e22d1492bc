"""Every HiGHS model status is handled deliberately (accord.analysis.structured.program).

HiGHS 1.16 reported "Solve error" for Nash programs it had solved (``accord analyze
--lift ukraine:1 --method structured``): a presolve-restart incumbent one feasibility
tolerance outside a tangent, rejected by its own final check. The statuses are mapped
in one place; a status that gives no answer is retried on the same program (without
presolve, then with another seed); if none answers, a typed error names the concept.
"""

from __future__ import annotations

import importlib.metadata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from accord import AccordError, analyze, load_scenario
from accord.analysis.structured import bargaining, program
from accord.analysis.structured.program import Interrupt, Program, SolverError, solve
from accord.cli.main import app
from accord.model.whatif import lift_red_lines

INTERRUPTS = {"kInterrupt", "kHighsInterrupt"}


@dataclass
class _Info:
    objective_function_value: float = 1.0
    mip_dual_bound: float = 1.0


@dataclass
class _Solution:
    value_valid: bool
    col_value: tuple[float, ...] = (1.0,)


class _FakeHighs:
    def __init__(self, valid: bool) -> None:
        self.valid = valid

    def getInfo(self) -> _Info:  # noqa: N802 (HiGHS's name)
        return _Info()

    def getSolution(self) -> _Solution:  # noqa: N802
        return _Solution(self.valid)


def _statuses() -> list[str]:
    highspy = program._highspy()
    return list(highspy.HighsModelStatus.__members__)


@pytest.mark.parametrize("valid", [True, False])
def test_every_model_status_maps_to_an_answer_or_to_none(valid: bool) -> None:
    highspy = program._highspy()
    for name in _statuses():
        status = highspy.HighsModelStatus.__members__[name]
        interrupt = Interrupt()
        result = program._classify(_FakeHighs(valid), highspy, status, interrupt)
        answer = None if result is None else result.status
        if name == "kOptimal":
            assert answer == ("optimal" if valid else None), name
        elif name == "kInfeasible":
            assert answer == "infeasible", name
        elif name in INTERRUPTS:
            assert answer == "interrupted", name
            assert interrupt.requested
        else:
            # Errors, limits, "unbounded or infeasible", unknown: no answer, so retry.
            assert answer is None, name
            assert not interrupt.requested


def _tiny() -> Program:
    """max x over x ∈ {0, 1}: optimal at 1."""
    p = Program()
    p.add_columns(1, 0.0, 1.0, True)
    p.add_row([0], [1.0], 0.0, 1.0)
    return p


def _scripted(monkeypatch: pytest.MonkeyPatch, script: list[str]) -> list[str]:
    """Make the first attempts report ``script``'s statuses; later ones really solve."""
    real = program._run
    seen: list[str] = []

    def run(highs: Any, highspy: Any, interrupt: Interrupt) -> tuple[Any, str]:
        seen.append(str(highs.getOptionValue("presolve")))
        if len(seen) <= len(script):
            status = script[len(seen) - 1]
            if status == "Infeasible":
                return program.Solved("infeasible", None, np.nan, np.nan), status
            return None, status
        return real(highs, highspy, interrupt)

    monkeypatch.setattr(program, "_run", run)
    return seen


def test_a_solve_error_is_retried_without_presolve(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _scripted(monkeypatch, ["Solve error"])
    solved = solve(_tiny(), np.array([1.0]), maximise=True, interrupt=Interrupt())
    assert solved.status == "optimal"
    assert solved.values is not None
    assert solved.values[0] == pytest.approx(1.0)
    assert "off" in seen[1]


def test_infeasible_with_presolve_is_confirmed_without(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _scripted(monkeypatch, ["Infeasible"])
    solved = solve(_tiny(), np.array([1.0]), maximise=True, interrupt=Interrupt())
    assert solved.status == "optimal", "a presolve verdict of infeasible is not trusted"
    assert len(seen) == 2


def test_no_answer_in_any_attempt_is_a_typed_error(monkeypatch: pytest.MonkeyPatch) -> None:
    _scripted(monkeypatch, ["Solve error", "Unknown", "Postsolve error"])
    with pytest.raises(SolverError) as caught:
        solve(_tiny(), np.array([1.0]), maximise=True, interrupt=Interrupt())
    assert isinstance(caught.value, AccordError)
    assert "'Solve error', 'Unknown', 'Postsolve error'" in str(caught.value)


def _nash_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_args: Any) -> Any:
        raise SolverError("HiGHS stopped with statuses 'Solve error'")

    monkeypatch.setattr(bargaining, "_outer_approximation", fail)


def test_the_error_names_the_solution_concept(monkeypatch: pytest.MonkeyPatch) -> None:
    _nash_fails(monkeypatch)
    scenario, _ = lift_red_lines(load_scenario("berlin-2025"), [("russia", 3)])  # a zone
    with pytest.raises(SolverError) as caught:
        analyze(scenario, method="structured")
    assert caught.value.concept == "Nash bargaining solution"
    assert "Nash bargaining solution" in str(caught.value)


def test_cli_reports_a_solver_failure_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _nash_fails(monkeypatch)
    args = ["analyze", "--lift", "russia:3", "--method", "structured"]  # opens a zone
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert "Nash bargaining solution" in result.stderr
    assert "--method enumerate" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize(
    "lifts",
    [["ukraine:1"], ["ukraine:1", "ukraine:2"], ["ukraine:1", "russia:1"], ["russia:3"]],
)
def test_the_reported_lifts_run_structured(lifts: list[str]) -> None:
    """The three commands of the report, end to end (no solver fault reaches the user)."""
    args = ["analyze", "--method", "structured", "-f", "json"]
    for lift in lifts:
        args += ["--lift", lift]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert '"nash"' in result.stdout


FIXTURE = Path(__file__).parent / "fixtures" / "nash-solve-error.mps"
"""The Nash outer-approximation program of ``analyze --lift ukraine:1 --method
structured`` on the Berlin scenario as it was (utilities 0.592 and 0.76 at the optimum),
written by HiGHS when it reported "Solve error"."""


def _program_from_mps(path: Path) -> tuple[Program, np.ndarray]:
    highspy = program._highspy()
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.readModel(str(path))
    lp = highs.getLp()
    matrix = lp.a_matrix_
    p = Program()
    kinds = highspy.HighsVarType
    for j in range(lp.num_col_):
        integer = len(lp.integrality_) > 0 and lp.integrality_[j] == kinds.kInteger
        p.add_columns(1, lp.col_lower_[j], lp.col_upper_[j], integer)
    rows: list[tuple[list[int], list[float]]] = [([], []) for _ in range(lp.num_row_)]
    for j in range(lp.num_col_):  # HiGHS reads MPS column-wise
        for k in range(matrix.start_[j], matrix.start_[j + 1]):
            rows[matrix.index_[k]][0].append(j)
            rows[matrix.index_[k]][1].append(matrix.value_[k])
    for i, (cols, values) in enumerate(rows):
        p.add_row(cols, values, lp.row_lower_[i], lp.row_upper_[i])
    return p, np.asarray(lp.col_cost_, dtype=np.float64)


def _statuses_seen(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    real = program._run
    seen: list[str] = []

    def run(highs: Any, highspy: Any, interrupt: Interrupt) -> tuple[Any, str]:
        result, status = real(highs, highspy, interrupt)
        seen.append(status)
        return result, status

    monkeypatch.setattr(program, "_run", run)
    return seen


def test_the_reported_nash_program_is_solved(monkeypatch: pytest.MonkeyPatch) -> None:
    """The program HiGHS 1.16 answered with "Solve error" (first attempt, with presolve)
    is solved by the retry: the Nash tangents' optimum, log-product −2.437942890770."""
    seen = _statuses_seen(monkeypatch)
    p, objective = _program_from_mps(FIXTURE)
    solved = solve(p, objective, maximise=True, interrupt=Interrupt(), tolerance=1e-10)
    assert solved.status == "optimal"
    assert solved.objective == pytest.approx(-2.4379428907702794, abs=1e-9)
    assert solved.values is not None
    np.testing.assert_allclose(solved.values[18:20], [0.592, 0.76], atol=1e-9)
    assert seen[-1] == "Optimal"


@pytest.mark.skipif(
    importlib.metadata.version("highspy") != "1.16.0",
    reason="the reproduction is of HiGHS 1.16.0's behaviour",
)
def test_highs_1_16_reports_solve_error_with_presolve(monkeypatch: pytest.MonkeyPatch) -> None:
    """Why the retry exists: with presolve, HiGHS 1.16.0 rejects its own optimum."""
    seen = _statuses_seen(monkeypatch)
    p, objective = _program_from_mps(FIXTURE)
    solve(p, objective, maximise=True, interrupt=Interrupt(), tolerance=1e-10)
    assert seen == ["Solve error", "Optimal"]

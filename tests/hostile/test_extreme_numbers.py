"""NaN, infinities and numbers too large, in every numeric flag and field (issue 11,
items 2, 6, 7, 8): refused with a located message and status 2, never a traceback,
never a non-finite number in an output."""

from __future__ import annotations

import math
import re
import warnings
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.main import get_command
from typer.testing import CliRunner

from accord.cli.main import app
from accord.errors import AccordError, ScenarioError
from accord.forecast import forecast
from accord.forecast.inputs import parse_stakeholder_csv
from accord.forecast.located import MAX_MAGNITUDE
from accord.io.load import load_scenario
from accord.io.scenario_file import parse_scenario
from accord.protocols.spec import SessionSpec
from accord.scenarios import builtin_text
from accord.tournament import read_spec

runner = CliRunner()

FRAMEWORK = "berlin-2025-us-proposal"
SPEC = """\
name: tiny
rounds: 5
strategies: [boulware]
scenarios: [berlin-2025]
"""


def _numeric_options() -> list[tuple[str, str, str, object]]:
    """(command, flag, 'int' or 'float', the parameter) for every numeric option."""
    found = []
    for name, command in get_command(app).commands.items():  # type: ignore[attr-defined]
        for param in getattr(command, "params", []):
            kind = param.bare_type()
            if kind in ("int", "float") and param.opts[0].startswith("--"):
                found.append((name, param.opts[0], kind, param))
    return found


NUMERIC = _numeric_options()


def test_every_numeric_option_is_declared_bounded() -> None:
    assert len(NUMERIC) >= 12  # analyze, amend, mediate, simulate, tournament, forecast
    for command, flag, kind, param in NUMERIC:
        if kind == "float":
            assert getattr(param.callback, "__name__", "") == "finite", (command, flag)  # type: ignore[attr-defined]
        else:
            assert param.max is not None, (command, flag)  # type: ignore[attr-defined]


def _base_args(command: str, folder: Path) -> list[str]:
    if command == "tournament":
        spec = folder / "spec.yaml"
        spec.write_text(SPEC, encoding="utf-8")
        return [command, str(spec), "-o", str(folder / "r.csv")]
    if command in ("review", "amend", "mediate"):
        return [command, FRAMEWORK]
    return [command]


@pytest.mark.parametrize(
    ("command", "flag", "kind"), [(c, f, k) for c, f, k, _ in NUMERIC], ids=lambda v: str(v)
)
@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e400", "9" * 5000])
def test_numeric_flags_refuse_extremes(
    tmp_path: Path, command: str, flag: str, kind: str, value: str
) -> None:
    result = runner.invoke(app, [*_base_args(command, tmp_path), flag, value])
    assert result.exit_code == 2, (command, flag, value, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert flag in result.output
    assert not (tmp_path / "r.csv").exists()


def test_simulate_rounds_are_bounded_as_in_tournaments() -> None:
    result = runner.invoke(app, ["simulate", "--rounds", "1000000000000"])
    assert result.exit_code == 2
    assert "--rounds" in result.output
    with pytest.raises(AccordError, match=r"rounds must be in 1\.\.1,000,000"):
        SessionSpec(rounds=10**12).check(["ukraine"])


@pytest.mark.parametrize("rate", [1e308, -1e308, 1e7])
@pytest.mark.parametrize("flag", ["--delay-cost", "--reservation-drift"])
def test_session_rates_beyond_the_limit_are_refused(flag: str, rate: float) -> None:
    result = runner.invoke(app, ["simulate", flag, f"all={rate}"])
    assert result.exit_code == 2
    assert "beyond the limit" in result.output


# --- scenario files ---------------------------------------------------------------


def _berlin_with(old: str, new: str) -> str:
    text = builtin_text("berlin-2025")
    assert old in text
    return text.replace(old, new, 1)


SALIENCE = "salience: {sequencing: 0.25,"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1.0e+308", "less than or equal to 1000000"),
        ("-1.0e+308", "greater than or equal to -1000000"),
        (".inf", "finite number"),
        (".nan", "finite number"),
        ("9" * 5000, "integer of 5,000 digits is too large"),
        ("9" * 400, "expected a number"),
    ],
)
def test_extreme_scenario_numbers_are_located(value: str, message: str) -> None:
    text = _berlin_with(SALIENCE, f"salience: {{sequencing: {value},")
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "hostile.yaml")
    problem = caught.value.problems[0]
    assert message in problem.message
    assert problem.location is not None
    assert problem.location.line is not None
    assert "salience.sequencing" in str(problem)


def test_huge_integer_in_every_yaml_reader_is_located(tmp_path: Path) -> None:
    digits = "9" * 5000
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC.replace("rounds: 5", f"rounds: {digits}"), encoding="utf-8")
    with pytest.raises(ScenarioError, match="integer of 5,000 digits"):
        read_spec(str(spec))  # a str path is accepted too
    result = runner.invoke(app, ["tournament", str(spec)])
    assert result.exit_code == 2
    assert "spec.yaml:2:" in result.output
    scenario = tmp_path / "s.yaml"
    scenario.write_text(_berlin_with(SALIENCE, f"salience: {{sequencing: {digits},"))
    for args in (["validate", str(scenario)], ["analyze", str(scenario)]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, args
        assert "s.yaml:" in result.output
        assert "too large" in result.output


def test_invalid_dates_are_located() -> None:
    text = _berlin_with('date: "2025-12-14"', "date: 2025-13-45")
    with pytest.raises(ScenarioError, match="not a valid date"):
        parse_scenario(text, "dates.yaml")


def test_unnormalised_huge_saliences_are_refused_before_analysis(tmp_path: Path) -> None:
    text = _berlin_with(
        "title: Berlin talks", "utility: {normalize_salience: false}\ntitle: Berlin talks"
    )
    text = text.replace(SALIENCE, "salience: {sequencing: 1.0e+308,", 1)
    path = tmp_path / "big.yaml"
    path.write_text(text, encoding="utf-8")
    draft = builtin_framework_text().replace("scenario: berlin-2025", "scenario: big.yaml")
    (tmp_path / "draft.yaml").write_text(draft, encoding="utf-8")
    for args in (["analyze", str(path)], ["review", str(tmp_path / "draft.yaml")]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, args
        assert "big.yaml:" in result.output
        assert "less than or equal to 1000000" in result.output


def builtin_framework_text() -> str:
    from importlib.resources import files

    return (files("accord.frameworks.builtin") / f"{FRAMEWORK}.yaml").read_text(encoding="utf-8")


# --- forecast inputs -----------------------------------------------------------------


@pytest.mark.parametrize("column", ["position", "capability"])
@pytest.mark.parametrize("value", ["1e308", "-1e308", "1e13", "nan", "inf"])
def test_extreme_stakeholder_numbers_are_located(column: str, value: str) -> None:
    row = {"actor": "a", "capability": "1", "position": "50", "salience": "0.5"}
    row[column] = value
    text = "actor,capability,position,salience\n" + ",".join(row.values()) + "\nb,1,40,0.5\n"
    with pytest.raises(ScenarioError) as caught:
        parse_stakeholder_csv(text, "hostile.csv")
    problem = caught.value.problems[0]
    assert str(problem.location).startswith("hostile.csv:2:")
    assert column in problem.message


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_stakeholder_numbers_are_accepted_exactly_when_finite_and_bounded(value: float) -> None:
    text = f"actor,capability,position,salience\na,1,{value!r},0.5\nb,1,40,0.5\n"
    acceptable = math.isfinite(value) and abs(value) <= MAX_MAGNITUDE
    try:
        table = parse_stakeholder_csv(text, "h.csv")
    except ScenarioError:
        assert not acceptable
    else:
        assert acceptable
        assert math.isfinite(float(table.position[0, 0]))


@pytest.mark.parametrize(
    "settings",
    [
        {"q": math.nan},
        {"q": math.inf},
        {"q": -1e308},
        {"shock_probability": math.nan},
        {"rounds": 10**12},
        {"seed": -1},
        {"seed": 2**64},
    ],
)
def test_the_forecast_api_refuses_what_the_cli_refuses(settings: dict[str, float]) -> None:
    table = parse_stakeholder_csv("actor,capability,position,salience\na,1,0,1\nb,1,100,1\n")
    with pytest.raises(AccordError):
        forecast(table, "eu", **settings)  # type: ignore[arg-type]


def test_forecast_p_nan_is_refused() -> None:
    result = runner.invoke(app, ["forecast", "--p", "nan"])
    assert result.exit_code == 2
    assert "not a finite number" in result.output


def test_a_scenario_still_loads() -> None:
    assert load_scenario("berlin-2025").id == "berlin-2025"


# --- no RuntimeWarning reaches stderr -------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["simulate", "--discount", "all=0.5", "--rounds", "3000", "-s", "all=hardliner"],
        ["simulate", "--delay-cost", "all=1000000", "--discount", "all=0.01", "--rounds", "500"],
        ["simulate", "--reservation-drift", "all=-1000000", "--rounds", "1000", "-f", "json"],
        ["forecast", "--q", "0", "--shocks", "1", "--seed", "1"],
    ],
    ids=lambda a: " ".join(a[:3]),
)
def test_extreme_accepted_settings_raise_no_runtime_warning(args: list[str]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert result.exception is None
    assert re.search(r"\b(nan|inf|infinity)\b", result.stdout, re.IGNORECASE) is None

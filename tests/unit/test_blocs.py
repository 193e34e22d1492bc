"""Blocs count once (issue 10 §5): scenario ``blocs`` section, forecasts, CLI output.

Germany, France and the United Kingdom share the ``European partners`` bloc and one
profile in the Berlin scenario. Counted once, they are one actor in a forecast built
from the scenario and weigh 1/3 each in the bargaining solutions; counted as members
(``--count-bloc-members``), each is a party. Every output says which was done.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from accord import ScenarioError, analyze, load_scenario
from accord.cli.main import app
from accord.forecast import forecast, load_forecast_input, table_from_scenario
from accord.io.scenario_file import parse_scenario, read_scenario_file
from accord.model.whatif import lift_red_lines

EUROPE = ("germany", "france", "united-kingdom")
BLOC = "European partners"

TWO_MEMBERS = """\
accord: 1
id: blocs
title: Bloc talks
parties:
  - id: a
    name: A
    role: principal
    bloc: North
    capability: 0.2
    preferences:
      salience: {level: 1, side: 3}
      values:
        level: {low: 1, mid: 0, high: 0}
        side: {left: 1, right: 0}
  - id: b
    name: B
    role: principal
    bloc: North
    capability: 0.6
    preferences:
      salience: {level: 1}
      values:
        level: {low: 0, mid: 0, high: 1}
  - id: c
    name: C
    role: principal
    capability: 1
    preferences:
      salience: {level: 1, side: 1}
      values:
        level: {low: 0, mid: 1, high: 0}
        side: {left: 0, right: 1}
issues:
  - id: level
    ordered: true
    options: [{id: low}, {id: mid}, {id: high}]
  - id: side
    options: [{id: left}, {id: right}]
"""


def _parse(text: str) -> object:
    return parse_scenario(text, "blocs.yaml")


def test_a_bloc_is_one_actor_in_a_forecast_from_the_berlin_scenario() -> None:
    berlin = load_scenario("berlin-2025")
    table = table_from_scenario(berlin)
    assert BLOC in table.actors
    assert not set(EUROPE) & set(table.actors)
    row = table.actors.index(BLOC)
    members = table_from_scenario(berlin, count_bloc_members=True)
    assert set(EUROPE) <= set(members.actors)
    assert BLOC not in members.actors
    rows = [members.actors.index(m) for m in EUROPE]
    np.testing.assert_allclose(table.position[row], members.position[rows].mean(axis=0))
    np.testing.assert_allclose(table.salience[row], members.salience[rows].mean(axis=0))
    capabilities = [berlin.party(m).capability.value for m in EUROPE]  # type: ignore[union-attr]
    np.testing.assert_allclose(table.capability[row], np.mean(capabilities))
    assert table.blocs is not None
    assert table.blocs.counted == "once"
    assert table.blocs.groups == {BLOC: EUROPE}
    assert any(note.startswith("Blocs counted once") for note in table.notes)


def test_members_mean_position_skips_members_outside_an_issue() -> None:
    table = table_from_scenario(_parse(TWO_MEMBERS))  # type: ignore[arg-type]
    assert table.actors == ("North", "c")
    level, side = table.issues.index("level"), table.issues.index("side")
    # a prefers low (0), b high (100): mean 50; only a takes part in `side` (left = 0).
    assert table.position[0, level] == pytest.approx(50.0)
    assert table.position[0, side] == pytest.approx(0.0)
    # a's salience: level 1/4, side 3/4; b's: level 1, side 0. Means: 5/8 and 3/8.
    np.testing.assert_allclose(table.salience[0], [5 / 8, 3 / 8])
    np.testing.assert_allclose(table.capability[0], 0.4)  # mean of 0.2 and 0.6


def test_the_scenario_can_give_a_bloc_its_capability() -> None:
    text = TWO_MEMBERS + "blocs:\n  - name: North\n    capability: 0.9\n"
    table = table_from_scenario(_parse(text))  # type: ignore[arg-type]
    np.testing.assert_allclose(table.capability[0], 0.9)
    assert any("given in the scenario's blocs" in note for note in table.notes)
    members = table_from_scenario(_parse(text), count_bloc_members=True)  # type: ignore[arg-type]
    assert members.actors == ("a", "b", "c")


@pytest.mark.parametrize(
    ("section", "message", "line", "hint"),
    [
        ("blocs:\n  - name: Nort\n", "unknown bloc 'Nort'", 2, "did you mean 'North'?"),
        (
            "blocs:\n  - name: North\n  - name: North\n",
            "duplicate bloc 'North'",
            3,
            None,
        ),
        ("blocs:\n  - name: North\n    capability: 3\n", "capability must lie in [0, 1]", 3, None),
        ("blocs:\n  - name: North\n    power: 3\n", "power", 3, None),
    ],
)
def test_bad_blocs_sections_are_located(
    tmp_path: Path, section: str, message: str, line: int, hint: str | None
) -> None:
    file = tmp_path / "blocs.yaml"
    file.write_text(TWO_MEMBERS + section, encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        read_scenario_file(file)
    problem = caught.value.problems[0]
    assert message in str(problem)
    assert problem.location is not None
    assert problem.location.line == TWO_MEMBERS.count("\n") + line  # line within `section`
    if hint is not None:
        assert problem.hint is not None
        assert hint in problem.hint


def test_forecast_results_say_how_blocs_were_counted() -> None:
    once = forecast(load_forecast_input("berlin-2025"), rounds=2)
    members = forecast(load_forecast_input("berlin-2025", count_bloc_members=True), rounds=2)
    assert once.blocs is not None
    assert members.blocs is not None
    assert (once.blocs.counted, members.blocs.counted) == ("once", "members")


def test_analysis_weights_the_bloc_once() -> None:
    scenario = load_scenario("berlin-2025")
    parties = [p.id for p in scenario.parties if p.preferences is not None]
    once = analyze(scenario, parties)
    assert once.blocs.groups[BLOC] == EUROPE
    np.testing.assert_allclose(
        once.blocs.weights(list(once.parties)), [1, 1, 1, 1 / 3, 1 / 3, 1 / 3]
    )
    members = analyze(scenario, parties, count_bloc_members=True)
    np.testing.assert_allclose(members.blocs.weights(list(members.parties)), 1.0)
    lifted, _ = lift_red_lines(scenario, [("russia", 3)])
    for method in ("enumerate", "structured"):
        weighted = analyze(lifted, parties, method=method).solutions
        plain = analyze(lifted, parties, method=method, count_bloc_members=True).solutions
        assert weighted["nash"] is not None
        assert plain["nash"] is not None
        assert "asymmetric" in weighted["nash"].citation
        assert "asymmetric" not in plain["nash"].citation


runner = CliRunner()


def _json(*args: str) -> dict[str, object]:
    result = runner.invoke(app, [*args, "-f", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize(
    ("flag", "counted"), [((), "once"), (("--count-bloc-members",), "members")]
)
def test_cli_analyze_reports_blocs(flag: tuple[str, ...], counted: str) -> None:
    data = _json("analyze", "--parties", "all", "--lift", "russia:3", *flag)
    assert data["blocs"] == {"counted": counted, "groups": {BLOC: list(EUROPE)}}
    text = runner.invoke(app, ["analyze", "--parties", "all", "--lift", "russia:3", *flag])
    assert text.exit_code == 0
    expected = "Blocs counted once" if counted == "once" else "Bloc members counted each"
    assert expected in text.stdout
    markdown = runner.invoke(app, ["analyze", "--parties", "all", "-f", "markdown", *flag])
    assert expected in markdown.stdout


def test_cli_analyze_without_blocs_says_so_in_json() -> None:
    assert _json("analyze")["blocs"] == {"counted": "once", "groups": {}}


def test_cli_the_flag_changes_the_utilitarian_solution() -> None:
    """Counting the European profile three times pulls the utilitarian solution its way
    (in the Berlin scenario as it stands; the weighted Nash product is checked against
    brute force in tests/property/test_bloc_solutions.py)."""
    args = ("analyze", "--parties", "all", "--lift", "russia:3")
    once = _json(*args)["solutions"]
    members = _json(*args, "--count-bloc-members")["solutions"]
    assert once["utilitarian"]["outcome"] != members["utilitarian"]["outcome"]  # type: ignore[index]


@pytest.mark.parametrize(
    ("flag", "counted"), [((), "once"), (("--count-bloc-members",), "members")]
)
def test_cli_forecast_reports_blocs(flag: tuple[str, ...], counted: str) -> None:
    data = _json("forecast", "--rounds", "2", *flag)
    assert data["blocs"] == {"counted": counted, "groups": {BLOC: list(EUROPE)}}
    text = runner.invoke(app, ["forecast", "--rounds", "2", *flag])
    assert text.exit_code == 0
    expected = "Blocs counted once" if counted == "once" else "Bloc members counted each"
    assert expected in text.stdout


def test_cli_forecast_from_a_table_has_no_blocs(tmp_path: Path) -> None:
    table = tmp_path / "table.csv"
    table.write_text("actor,capability,position,salience\na,1,0,1\nb,1,100,1\n", encoding="utf-8")
    assert _json("forecast", str(table), "--rounds", "1")["blocs"] is None

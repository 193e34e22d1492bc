"""Writing a scenario and reading it back loses nothing: load → dump → load is lossless."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings

from accord.io.scenario_file import dump_scenario, parse_scenario, read_scenario_file
from accord.model.checks import check_scenario
from accord.model.scenario import Role, Scenario
from strategies import scenarios


@given(scenarios())
def test_generated_scenarios_are_valid(scenario: Scenario) -> None:
    assert check_scenario(scenario) == []
    assert any(p.role is Role.PRINCIPAL and p.preferences for p in scenario.parties)


@given(scenarios())
def test_dump_then_parse_gives_the_same_scenario(scenario: Scenario) -> None:
    text = dump_scenario(scenario)
    assert parse_scenario(text, "dumped.yaml") == scenario


@given(scenarios())
def test_dumping_is_stable(scenario: Scenario) -> None:
    text = dump_scenario(scenario)
    assert dump_scenario(parse_scenario(text, "dumped.yaml")) == text


@settings(max_examples=30)
@given(scenarios())
def test_a_written_file_reads_back_the_same(scenario: Scenario) -> None:
    with tempfile.TemporaryDirectory() as folder:
        file = Path(folder) / "scenario.yaml"
        file.write_text(dump_scenario(scenario), encoding="utf-8")
        assert read_scenario_file(file) == scenario

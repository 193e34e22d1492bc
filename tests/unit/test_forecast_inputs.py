"""Stakeholder inputs: the CSV layouts, the Decide format, scenarios, and located errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from accord import load_scenario, parse_scenario
from accord.errors import AccordError, ScenarioError
from accord.forecast import (
    StakeholderTable,
    load_forecast_input,
    parse_decide,
    parse_stakeholder_csv,
    read_forecast_input,
    table_from_scenario,
)

EC_CSV = """actor,capability,position,salience
North,0.2,3,0.6
South,0.1,8,0.5
East,0.4,3,0.9
West,0.3,12,0.2
"""

LONG_CSV = """actor,issue,position,salience,power,issue_lower,issue_upper
A,toll,3.0,0.7,1.0,0.5,7.0
A,ring,75,0.9,1.0,0,100
B,toll,5.0,0.9,0.6,0.5,7.0
B,ring,100,0.9,0.6,0,100
"""

DECIDE = """'#A'\t'Actor-1'\t'Actor-1'\t''
'#A'\t'Actor-2'\t'Actor-2'\t''
'#P'\t'Issue-1'\t'Issue-1'\t'Issue-1'
'#M'\t'Issue-1'\t0
'#M'\t'Issue-1'\t100
'#P'\t'Issue-2'\t'Issue-2'\t'Issue-2'
'#D'\t'Actor-1'\t'Issue-1'\t0.0\t0.1\t1
'#D'\t'Actor-1'\t'Issue-2'\t0.0\t0.9\t1
'#D'\t'Actor-2'\t'Issue-1'\t100.0\t0.6\t1
'#D'\t'Actor-2'\t'Issue-2'\t100.0\t0.5\t1
"""


def problems_of(error: pytest.ExceptionInfo[ScenarioError]) -> list[str]:
    return [str(p) for p in error.value.problems]


def test_single_issue_layout() -> None:
    table = parse_stakeholder_csv(EC_CSV, "ec.csv")
    assert table.actors[:2] == ("North", "South")
    assert table.issues == ("issue",)
    assert table.position[:, 0].tolist() == [3, 8, 3, 12]
    assert table.lower[0] == 3
    assert table.upper[0] == 12
    assert table.capability[1, 0] == 0.1
    assert table.salience[1, 0] == 0.5


def test_headers_are_case_insensitive_and_semicolons_work() -> None:
    text = "Actor;Capability;Position;Salience\n'A';1;2;0.5\n\"B\";2;4;1\n"
    table = parse_stakeholder_csv(text)
    assert table.actors == ("A", "B")
    assert table.position[:, 0].tolist() == [2, 4]


def test_multi_issue_layout_keeps_bounds_and_scales() -> None:
    table = parse_stakeholder_csv(LONG_CSV)
    assert table.issues == ("toll", "ring")
    assert table.lower.tolist() == [0.5, 0.0]
    assert table.upper.tolist() == [7.0, 100.0]
    np.testing.assert_allclose(table.scaled()[:, 0], [(3 - 0.5) * 100 / 6.5, (5 - 0.5) * 100 / 6.5])
    assert table.unscale(table.scaled()[:, 0], 0).tolist() == pytest.approx([3.0, 5.0])


def test_multi_issue_without_bounds_uses_0_to_100_widened_to_the_data() -> None:
    text = "actor,issue,position,salience,capability\nA,x,10,0.5,1\nB,x,140,0.5,1\nA,y,5,1,1\n"
    table = parse_stakeholder_csv(text)
    assert table.lower.tolist() == [0, 0]
    assert table.upper.tolist() == [140, 100]
    assert np.isnan(table.position[1, 1])  # B takes no part in y
    assert table.present.tolist() == [[True, True], [True, False]]


def test_decide_format_with_tabs_quotes_and_scale_points() -> None:
    table = parse_decide(DECIDE, "toy.txt")
    assert table.actors == ("Actor-1", "Actor-2")
    assert table.issues == ("Issue-1", "Issue-2")
    assert table.salience.tolist() == [[0.1, 0.9], [0.6, 0.5]]
    assert table.upper.tolist() == [100.0, 100.0]


def test_decide_comma_decimals_and_zero_salience_rows() -> None:
    text = (
        "#A;a;a;\n#A;b;b;\n#A;c;c;\n#P;x;x;\n#P;y;y;\n#M;x;0;\n#M;x;10;\n"
        "#D;a;x;2,5;0,5;1\n#D;b;x;5;1;1\n#D;a;y;10;0,5;1\n#D;b;y;90;1;1\n"
        "#D;c;y;50;0;1\n#D;c;x;5;0;1\n"
    )
    table = parse_decide(text)
    assert table.actors == ("a", "b")
    assert table.position[0, 0] == 2.5
    assert table.upper[0] == 10
    assert any("c" in note for note in table.notes)


def test_read_forecast_input_detects_the_format(tmp_path: Path) -> None:
    (tmp_path / "ec.csv").write_text(EC_CSV, encoding="utf-8")
    (tmp_path / "toy.txt").write_text(DECIDE, encoding="utf-8")
    assert read_forecast_input(tmp_path / "ec.csv").issues == ("issue",)
    assert read_forecast_input(tmp_path / "toy.txt").issues == ("Issue-1", "Issue-2")


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        ("actor,capability,position,salience\nA,1,x,0.5\n", "bad.csv:2:", "expected a number"),
        ("actor,capability,position,salience\nA,1,2,1.5\n", "bad.csv:2:", "in [0, 1]"),
        ("actor,capability,position,salience\nA,-1,2,0.5\n", "bad.csv:2:", "at least 0"),
        ("actor,capability,position,salience\nA,1,nan,0.5\n", "bad.csv:2:", "finite"),
        ("actor,position,salience\nA,1,0.5\n", "bad.csv:1:1", "missing column(s) capability"),
        ("actor,capability,position,salience\n", "bad.csv:1", "no data rows"),
        (
            "actor,capability,position,salience\nA,1,2,0.5\nA,1,3,0.5\n",
            "bad.csv:3:",
            "appears twice",
        ),
        ("actor,capability,position,salience\n,1,2,0.5\n", "bad.csv:2:", "missing name"),
        (
            "actor,issue,position,salience,power,issue_lower,issue_upper\nA,x,120,1,1,0,100\n",
            "bad.csv:2:",
            "outside issue 'x'",
        ),
        (
            "actor,issue,position,salience,power,issue_lower,issue_upper\nA,x,1,1,1,0,100\n"
            "B,x,1,1,1,0,50\n",
            "bad.csv:3:",
            "bounds 0..50 differ",
        ),
        (
            "actor,issue,position,salience,power\nA,x,1,1,1\nA,x,2,1,1\n",
            "bad.csv:3:",
            "two rows for issue",
        ),
        (
            "actor,capability,position,salience\nA,0,2,0.5\nB,0,3,1\n",
            "bad.csv",
            "zero capability or zero salience",
        ),
    ],
)
def test_csv_mistakes_are_located(text: str, where: str, words: str) -> None:
    with pytest.raises(ScenarioError) as error:
        parse_stakeholder_csv(text, "bad.csv")
    found = problems_of(error)
    assert any(p.startswith(where) and words in p for p in found), found


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        ("#A;a;a;\n#P;x;x;\n#D;b;x;1;1;1\n", "d.txt:3:4", "actor 'b', which no #A row"),
        ("#A;a;a;\n#P;x;x;\n#D;a;z;1;1;1\n", "d.txt:3:6", "issue 'z', which no #P row"),
        ("#A;a;a;\n#P;x;x;\n#M;q;0;\n#D;a;x;1;1;1\n", "d.txt:3:4", "issue 'q'"),
        ("#A;a;a;\n#P;x;x;\n#D;a;x;one;1;1\n", "d.txt:3:8", "expected a number"),
        ("#A;a;a;\n#A;a;a;\n#P;x;x;\n#D;a;x;1;1;1\n", "d.txt:2:4", "declared twice"),
        ("#A;a;a;\n#P;x;x;\n#D;a;x;1\n", "d.txt:3", "#D row: expected"),
        ("#A;a;a;\n#P;x;x;\n", "d.txt", "no #D data rows"),
    ],
)
def test_decide_mistakes_are_located(text: str, where: str, words: str) -> None:
    with pytest.raises(ScenarioError) as error:
        parse_decide(text, "d.txt")
    found = problems_of(error)
    assert any(p.startswith(where) and words in p for p in found), found


def test_every_problem_is_reported_at_once() -> None:
    text = "actor,capability,position,salience\nA,x,1,0.5\nB,1,y,0.5\nC,1,2,z\n"
    with pytest.raises(ScenarioError) as error:
        parse_stakeholder_csv(text, "bad.csv")
    assert [p.location.line for p in error.value.problems if p.location] == [2, 3, 4]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "empty"),
        (b"  \n\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
        (b"actor,capability\n\xff\xfe\xfa", "not UTF-8"),
    ],
)
def test_empty_binary_and_undecodable_files(tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(content)
    with pytest.raises(ScenarioError) as error:
        read_forecast_input(path)
    assert words in str(error.value)
    assert str(path) in str(error.value)


def test_missing_file_is_a_located_error(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="cannot read"):
        read_forecast_input(tmp_path / "absent.csv")


def test_table_checks_shapes_and_names() -> None:
    with pytest.raises(ValueError, match="shape"):
        StakeholderTable(
            ("a",),
            ("x",),
            np.zeros((2, 1)),
            np.zeros((1, 1)),
            np.zeros((1, 1)),
            np.zeros(1),
            np.ones(1),
        )
    with pytest.raises(ValueError, match="unique"):
        StakeholderTable(
            ("a", "a"),
            ("x",),
            np.zeros((2, 1)),
            np.zeros((2, 1)),
            np.zeros((2, 1)),
            np.zeros(1),
            np.ones(1),
        )
    table = StakeholderTable.single_issue(["a", "b"], [5, 5], [1, 1], [1, 1])
    assert table.lower[0] < 5 < table.upper[0]
    assert not table.position.flags.writeable


def test_berlin_scenario_maps_to_scales() -> None:
    table = table_from_scenario(load_scenario("berlin-2025"))
    assert table.issues == ("nato", "guarantees", "forces", "line", "army", "sequencing")
    assert "canada" not in table.actors
    assert "japan" not in table.actors
    assert any("canada" in note for note in table.notes)
    ukraine, russia = table.actors.index("ukraine"), table.actors.index("russia")
    nato, guarantees = table.issues.index("nato"), table.issues.index("guarantees")
    assert table.position[ukraine, nato] == 0.0  # pursue membership, first of three options
    assert table.position[russia, nato] == 100.0  # renounced
    assert table.position[ukraine, guarantees] == 100.0  # both, last of five options
    np.testing.assert_allclose(table.salience.sum(axis=1), 1.0)
    assert table.capability[russia, 0] == pytest.approx(0.6)
    assert dict(table.scale_labels["nato"])[50.0].startswith("Membership deferred")


SMALL = """
accord: 1
id: small
title: Small talks
parties:
  - id: a
    name: A
    role: principal
    capability: 0.5
    preferences:
      salience: {level: 3, kind: 1}
      values:
        level: {low: 0.2, mid: 1, high: 1}
        kind: {x: 1, y: 0, z: 0.5}
  - id: b
    name: B
    role: principal
    preferences:
      salience: {level: 1}
      values:
        level: {low: 1, mid: 0, high: 0}
  - id: c
    name: C
    role: mediator
    capability: 1
    preferences:
      salience: {level: 1}
      values:
        level: {low: 0, mid: 0, high: 1}
issues:
  - id: level
    ordered: true
    options: [{id: low}, {id: mid}, {id: high}]
  - id: kind
    options: [{id: x}, {id: y}, {id: z}]
"""


def test_scenario_mapping_skips_unordered_issues_and_parties_without_capability() -> None:
    table = table_from_scenario(parse_scenario(SMALL, "small.yaml"))
    assert table.issues == ("level",)
    assert table.actors == ("a", "c")
    assert table.position[:, 0].tolist() == [50.0, 100.0]  # ties go to the first listed
    assert table.salience[:, 0].tolist() == [0.75, 1.0]
    assert any("kind" in note for note in table.notes)
    assert any(note == "b: left out (no capability)" for note in table.notes)


def test_scenario_without_forecastable_parties_is_an_error() -> None:
    text = SMALL.replace("capability: 0.5", "").replace("capability: 1", "")
    with pytest.raises(AccordError, match="nobody to forecast"):
        table_from_scenario(parse_scenario(text, "small.yaml"))


def test_load_forecast_input_takes_names_files_and_yaml(tmp_path: Path) -> None:
    assert load_forecast_input("berlin-2025").source == "scenario berlin-2025"
    (tmp_path / "small.yaml").write_text(SMALL, encoding="utf-8")
    assert load_forecast_input(tmp_path / "small.yaml").issues == ("level",)
    with pytest.raises(ScenarioError, match="no such file"):
        load_forecast_input(tmp_path / "nothing-here")


def test_public_namespace_is_what_is_documented() -> None:
    import accord.forecast as forecast_api

    assert sorted(forecast_api.__all__) == sorted(set(forecast_api.__all__))
    for name in forecast_api.__all__:
        assert hasattr(forecast_api, name), name
    assert {
        "forecast",
        "expected_utility",
        "exchange_model",
        "StakeholderTable",
        "table_from_scenario",
        "read_forecast_input",
        "table_baselines",
    } <= set(forecast_api.__all__)

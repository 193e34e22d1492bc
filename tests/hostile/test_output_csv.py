"""CSV files meant for people and spreadsheets: text cells that a spreadsheet would run
as a formula (``=``, ``+``, ``-``, ``@``, tab, carriage return; OWASP) are neutralised with
a leading quote, in every such CSV; numbers stay numbers, negative ones included."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from accord.cli.main import app
from accord.render.spreadsheet import FORMULA_STARTS, spreadsheet_cell
from accord.tournament.results import COLUMNS

runner = CliRunner()
DOC = Path(__file__).resolve().parents[2] / "docs" / "scenario-format.md"
FORMULA_CELL = re.compile(r"^[=+\-@\t\r]")


@given(st.text(max_size=12))
def test_a_neutralised_cell_never_starts_a_formula_and_keeps_its_text(text: str) -> None:
    cell = spreadsheet_cell(text)
    assert not cell.startswith(FORMULA_STARTS)
    assert cell in (text, "'" + text)
    assert (cell != text) == text.startswith(FORMULA_STARTS)


def _hostile_scenario(folder: Path) -> Path:
    """The documented example scenario with parties named like formulas."""
    block = re.findall(r"^```yaml\n(.*?)^```", DOC.read_text(encoding="utf-8"), re.M | re.S)[0]
    block = re.sub(r"(?<![/\w])aravia(?![\w/])", '"=HYPERLINK(1)"', block)
    block = re.sub(r"(?<![/\w])belmar(?![\w/])", '"@SUM(A1)"', block)
    path = folder / "hostile.yaml"
    path.write_text(block, encoding="utf-8")
    return path


def test_tournament_csv_neutralises_text_and_keeps_negative_numbers(tmp_path: Path) -> None:
    scenario = _hostile_scenario(tmp_path)
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "name: hostile\nseed: 1\nrepetitions: 1\nrounds: 10\n"
        "strategies: [boulware, conceder]\nprotocols: [alternating]\n"
        "time:\n  reservation_drift: {all: -0.5}\n"
        f"scenarios:\n  - scenario: {scenario.name}\n    label: '-2+3'\n",
        encoding="utf-8",
    )
    out = tmp_path / "r.csv"
    result = runner.invoke(app, ["tournament", str(spec), "--workers", "1", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows
    kinds = dict(COLUMNS)
    assert {row["party"] for row in rows} == {"'=HYPERLINK(1)", "'@SUM(A1)"}
    assert {row["scenario"] for row in rows} == {"'-2+3"}
    negative = 0
    for row in rows:
        for column, cell in row.items():
            if kinds[column] == "str":
                assert not FORMULA_CELL.match(cell), (column, cell)
            elif kinds[column] == "float" and cell:
                negative += float(cell) < 0  # a number, not a quoted text
    assert negative > 0  # the drift makes reservations negative: written as numbers


def test_forecast_csv_neutralises_actor_names_and_keeps_negative_numbers(
    tmp_path: Path,
) -> None:
    table = tmp_path / "actors.csv"
    table.write_text(
        "actor,capability,position,salience\n"
        "=1+2,0.9,-10,0.8\n"
        "+cmd,0.5,60,0.6\n"
        "-minus,0.4,80,0.9\n"
        "@SUM(A1),0.7,30,0.5\n"
        "plain,0.6,95,0.7\n",
        encoding="utf-8",
    )
    out = tmp_path / "f.csv"
    result = runner.invoke(app, ["forecast", str(table), "-f", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    actors = {row["actor"] for row in rows if row["series"] == "position"}
    assert actors == {"'=1+2", "'+cmd", "'-minus", "'@SUM(A1)", "plain"}
    for row in rows:
        for column in ("model", "issue", "series", "actor", "move_type", "partner"):
            assert not FORMULA_CELL.match(row[column]), (column, row[column])
        float(row["value"])  # numbers stay numbers
    assert any(row["value"] == "-10.0" for row in rows if row["series"] == "position")


@pytest.mark.parametrize("name", ["\tTAB", "\rCR"])
def test_tab_and_carriage_return_are_neutralised_too(name: str) -> None:
    from accord.forecast.render import _csv_cell

    assert _csv_cell(name) == "'" + name
    assert _csv_cell(-1.5) == "-1.5"

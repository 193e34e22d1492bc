"""Decide export: the file holds exactly the table a forecast uses, names kept exactly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from accord.cli.main import app
from accord.forecast.data import StakeholderTable
from accord.forecast.decide import parse_decide
from accord.forecast.decide_out import decide_text
from accord.forecast.run import load_forecast_input

_NAMES = st.text("ab ;'\"é-_.", min_size=1, max_size=6).filter(
    lambda n: (
        n == n.strip()
        and not ('"' in n and "'" in n and ";" in n)
        and not ('"' in n and "'" in n and n[0] in "\"'")
    )
)


def _assert_same_table(after: StakeholderTable, before: StakeholderTable) -> None:
    assert after.actors == before.actors
    assert after.issues == before.issues
    np.testing.assert_array_equal(after.position, before.position)
    np.testing.assert_array_equal(after.salience, before.salience)
    np.testing.assert_array_equal(after.capability, before.capability)
    np.testing.assert_array_equal(after.lower, before.lower)
    np.testing.assert_array_equal(after.upper, before.upper)


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_any_table_reads_back_the_same(data: st.DataObject) -> None:
    actors = data.draw(st.lists(_NAMES, min_size=1, max_size=4, unique=True))
    issues = data.draw(st.lists(_NAMES, min_size=1, max_size=3, unique=True))
    shape = (len(actors), len(issues))
    cell = st.floats(0.0, 100.0)
    position = np.array(
        data.draw(st.lists(cell, min_size=shape[0] * shape[1], max_size=shape[0] * shape[1]))
    ).reshape(shape)
    salience = np.full(shape, data.draw(st.floats(0.01, 1.0)))
    capability = np.full(shape, data.draw(st.floats(0.01, 5.0)))
    table = StakeholderTable(
        tuple(actors),
        tuple(issues),
        position,
        salience,
        capability,
        np.zeros(len(issues)),
        np.full(len(issues), 100.0),
    )
    text, dropped = decide_text(table)
    assert dropped == []
    _assert_same_table(parse_decide(text, "x"), table)


def test_berlin_export_is_the_forecast_table(tmp_path: Path) -> None:
    out = tmp_path / "berlin.decide"
    result = CliRunner().invoke(app, ["export", "decide", "berlin-2025", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Blocs counted once" in result.stderr
    _assert_same_table(load_forecast_input(out), load_forecast_input("berlin-2025"))

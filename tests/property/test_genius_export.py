"""GENIUS XML export: import(export(s)) gives every package the same utility, for
generated additive scenarios and for every shared GENIUS domain; what GENIUS cannot
hold is reported and kept beside the XML."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from accord.cli.main import app
from accord.engine.compiled import compile_scenario
from accord.io.genius import read_genius_folder
from accord.io.genius.export import EXTRAS_FILE, export_genius
from accord.io.load import load_scenario
from accord.model.scenario import Scenario
from shared import shared_dir

GENIUS = shared_dir("data", "genius")
TOLERANCE = 1e-12

_IDS = st.text("abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1, max_size=8)
_UNIT = st.floats(0.0, 1.0)
_OPTION_IDS = st.lists(_IDS, min_size=1, max_size=4, unique=True)


@st.composite
def additive_scenarios(draw: st.DrawFn) -> Scenario:
    """Additive scenarios (no interactions, no red lines) of 1–3 parties and issues."""
    issues = [
        {"id": issue, "options": [{"id": o} for o in draw(_OPTION_IDS)]}
        for issue in draw(st.lists(_IDS, min_size=1, max_size=3, unique=True))
    ]
    normalize = draw(st.booleans())
    parties = []
    for party in draw(st.lists(_IDS, min_size=1, max_size=3, unique=True)):
        salience = {i["id"]: draw(st.floats(0.0, 3.0)) for i in issues}
        salience[issues[0]["id"]] += 0.5  # not all zero
        values = {i["id"]: {o["id"]: draw(_UNIT) for o in i["options"]} for i in issues}
        reservation = {"value": draw(_UNIT)}
        preferences = {"salience": salience, "values": values, "reservation": reservation}
        parties.append(
            {"id": party, "name": party, "role": "principal", "preferences": preferences}
        )
    utility = {"normalize_salience": normalize, "cap": None if normalize else 1.0}
    data = {
        "id": "generated",
        "title": "t",
        "utility": utility,
        "parties": parties,
        "issues": issues,
    }
    return Scenario.model_validate(data)


def _round_trip(scenario: Scenario) -> Scenario:
    exported = export_genius(scenario)
    with tempfile.TemporaryDirectory() as folder:
        for name, text in exported.files.items():
            (Path(folder) / name).write_text(text, encoding="utf-8")
        return read_genius_folder(folder)


def _utilities(scenario: Scenario) -> dict[str, np.ndarray]:
    model = compile_scenario(scenario)
    options = model.decode(np.arange(model.n_outcomes, dtype=np.int64))
    table = model.utilities(options)
    return {party: table[:, p] for p, party in enumerate(model.party_ids)}


def _assert_same_utilities(before: Scenario, after: Scenario) -> None:
    assert [i.option_ids() for i in after.issues] == [i.option_ids() for i in before.issues]
    expected, got = _utilities(before), _utilities(after)
    assert set(got) == set(expected)
    for party, utilities in expected.items():
        np.testing.assert_allclose(got[party], utilities, rtol=0, atol=TOLERANCE)
        reservation = before.party(party).preferences
        assert reservation is not None
        after_prefs = after.party(party).preferences
        assert after_prefs is not None
        assert after_prefs.reservation.value == reservation.reservation.value


@settings(max_examples=40, deadline=None)
@given(additive_scenarios())
def test_import_of_export_gives_every_package_the_same_utility(scenario: Scenario) -> None:
    _assert_same_utilities(scenario, _round_trip(scenario))


def _domains() -> list[str]:
    if not GENIUS.is_dir():
        return ["(no GENIUS data)"]
    return sorted(p.name for p in GENIUS.iterdir() if p.is_dir())


@pytest.mark.parametrize("domain", _domains())
def test_every_shared_genius_domain_survives_export_and_import(domain: str) -> None:
    if not GENIUS.is_dir():
        pytest.skip(f"GENIUS reference data not found at {GENIUS} (set ACCORD_SHARED)")
    scenario = read_genius_folder(GENIUS / domain)
    _assert_same_utilities(scenario, _round_trip(scenario))


def test_export_of_berlin_reports_and_keeps_what_genius_cannot_hold(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["export", "genius", "berlin-2025", "-o", str(tmp_path / "out")]
    )
    assert result.exit_code == 0, result.output
    assert "red lines" in result.stderr
    assert EXTRAS_FILE in result.stderr
    extras = yaml.safe_load((tmp_path / "out" / EXTRAS_FILE).read_text("utf-8"))
    berlin = load_scenario("berlin-2025")
    assert extras["scenario"]["id"] == berlin.id
    assert any("red lines" in item for item in extras["dropped"])
    imported = read_genius_folder(tmp_path / "out")
    without_terms = berlin.model_copy(
        update={
            "parties": tuple(
                p
                if p.preferences is None
                else p.model_copy(
                    update={
                        "preferences": p.preferences.model_copy(
                            update={"interactions": (), "red_lines": ()}
                        )
                    }
                )
                for p in berlin.parties
            )
        }
    )
    _assert_same_utilities(without_terms, imported)


def test_export_to_a_file_is_a_located_error(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x", encoding="utf-8")
    result = CliRunner().invoke(app, ["export", "genius", "berlin-2025", "-o", str(target)])
    assert result.exit_code != 0
    assert "not a folder" in result.stderr
    assert target.read_text("utf-8") == "x"

"""GeniusWeb JSON in and out: import(export(s)) gives every package the same utility
(linear additive and sum-of-groups profiles), GeniusWeb's own spellings and semantics
are read as GeniusWeb reads them, and bad files give located errors."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_genius_export import _utilities, additive_scenarios
from typer.testing import CliRunner

from accord.cli.main import app
from accord.errors import ScenarioError
from accord.io.geniusweb import export_geniusweb, read_geniusweb
from accord.model.scenario import Interaction, Scenario

DOMAIN = {
    "name": "jobs",
    "issuesValues": {
        "lease car": {"values": ["yes", "no"]},
        "fte": {"range": {"low": 1, "high": 3, "step": 1}},
    },
}


def _round_trip(scenario: Scenario) -> Scenario:
    exported = export_geniusweb(scenario)
    with tempfile.TemporaryDirectory() as folder:
        for name, text in exported.files.items():
            (Path(folder) / name).write_text(text, encoding="utf-8")
        return read_geniusweb(folder)


def _normalised(scenario: Scenario) -> Scenario:
    return scenario.model_copy(
        update={
            "utility": scenario.utility.model_copy(update={"normalize_salience": True, "cap": None})
        }
    )


@settings(max_examples=30, deadline=None)
@given(additive_scenarios())
def test_linear_additive_round_trip_keeps_every_utility(scenario: Scenario) -> None:
    scenario = _normalised(scenario)
    dropped = export_geniusweb(scenario).dropped
    after = _round_trip(scenario)
    expected, got = _utilities(scenario), _utilities(after)
    for party, utilities in expected.items():
        np.testing.assert_allclose(got[party], utilities, rtol=0, atol=1e-12)
        prefs = scenario.party(party).preferences
        assert prefs is not None
        if prefs.reservation.value > utilities.max():
            assert f"{party}: reservation value above every outcome" in " ".join(dropped)
            continue
        # The reservation bid keeps exactly the acceptable set.
        reservation = after.party(party).preferences.reservation.value  # type: ignore[union-attr]
        kept = got[party] >= reservation - 1e-12
        assert np.array_equal(kept, utilities >= prefs.reservation.value)


@settings(max_examples=30, deadline=None)
@given(additive_scenarios(), st.data())
def test_interactions_become_groups_and_come_back(scenario: Scenario, data: st.DataObject) -> None:
    scenario = _normalised(scenario)
    party = scenario.parties[0]
    assert party.preferences is not None
    issues = scenario.issues
    when = {issues[0].id: issues[0].option_ids()[0], issues[-1].id: issues[-1].option_ids()[-1]}
    bonus = data.draw(st.floats(-0.3, 0.3))
    prefs = party.preferences.model_copy(
        update={"interactions": (Interaction(when=when, value=bonus),)}
    )
    changed = party.model_copy(update={"preferences": prefs})
    scenario = scenario.model_copy(update={"parties": (changed, *scenario.parties[1:])})
    exported = export_geniusweb(scenario)
    if any(f"{party.id}: 1 interactions" in d for d in exported.dropped):
        # GeniusWeb needs every group util in [0, 1] and the largest total at most 1
        assert bonus < 0 or _utilities(scenario)[party.id].max() > 1
        return
    _assert_utilities(scenario, _round_trip(scenario))


def _assert_utilities(before: Scenario, after: Scenario) -> None:
    expected, got = _utilities(before), _utilities(after)
    for party, utilities in expected.items():
        np.testing.assert_allclose(got[party], utilities, rtol=0, atol=1e-12)


def _write(folder: Path, name: str, data: object) -> Path:
    path = folder / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_older_spellings_number_utilities_and_reservation_bid(tmp_path: Path) -> None:
    profile = {
        "LinearAdditiveUtilitySpace": {
            "domain": DOMAIN,
            "name": "jobs1",
            "issueUtilities": {
                "lease car": {"discreteutils": {"valueUtilities": {"yes": 1, "no": 0.25}}},
                "fte": {
                    "numberutils": {
                        "lowValue": 1,
                        "lowUtility": 0.2,
                        "highValue": 2,
                        "highUtility": 1,
                    }
                },
            },
            "issueWeights": {"lease car": 0.4, "fte": 0.6},
            "reservationBid": {"issuevalues": {"lease car": "no", "fte": 2}},
        }
    }
    scenario = read_geniusweb(_write(tmp_path, "jobs1.json", profile))
    prefs = scenario.party("jobs1").preferences
    assert prefs is not None
    assert prefs.values["fte"]["1"].value == pytest.approx(0.2)
    assert prefs.values["fte"]["2"].value == pytest.approx(1.0)
    assert prefs.values["fte"]["3"].value == 0.0  # outside [lowValue, highValue]
    assert prefs.reservation.value == pytest.approx(0.4 * 0.25 + 0.6 * 1.0)


def test_sum_of_groups_profile_is_read_as_interactions(tmp_path: Path) -> None:
    rows = [{"values": ["yes", 1], "util": 0.9}, {"values": ["no", 3], "util": 0.3}]
    profile = {
        "SumOfGroupsUtilitySpace": {
            "domain": DOMAIN,
            "name": "grouped",
            "partUtilities": {
                "g": {"partsutils": {"issues": ["lease car", "fte"], "utilslist": rows}}
            },
            "reservationBid": None,
        }
    }
    scenario = read_geniusweb(_write(tmp_path, "g.json", profile))
    utilities = _utilities(scenario)["grouped"]
    # outcomes in issue order: lease car (yes, no) × fte (1, 2, 3)
    np.testing.assert_allclose(utilities, [0.9, 0, 0, 0, 0, 0.3])


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "not valid JSON"),
        (json.dumps({"Other": {}}), "not a GeniusWeb profile"),
        (
            json.dumps(
                {
                    "LinearAdditiveUtilitySpace": {
                        "domain": DOMAIN,
                        "issueWeights": {},
                        "issueUtilities": {},
                    }
                }
            ),
            "no weight",
        ),
    ],
)
def test_bad_files_give_located_errors(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        read_geniusweb(path)
    assert expected in str(caught.value)
    assert "bad.json" in str(caught.value)


def test_cli_round_trip_of_berlin(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["export", "geniusweb", "berlin-2025", "-o", str(tmp_path / "gw")])
    assert result.exit_code == 0, result.output
    assert "red lines" in result.stderr
    out = tmp_path / "berlin.yaml"
    result = runner.invoke(app, ["import", "geniusweb", str(tmp_path / "gw"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text("utf-8").startswith("accord: 1")
    bad = runner.invoke(app, ["import", "geniusweb", str(tmp_path / "missing")])
    assert bad.exit_code != 0
    assert "no such file" in bad.stderr

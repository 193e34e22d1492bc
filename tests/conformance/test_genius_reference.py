"""Conformance with GENIUS: imported ANAC domains against independent reference results.

For every domain folder of the shared GENIUS data (``<shared>/data/genius``, where
``<shared>`` is ``$ACCORD_SHARED`` or the ``shared`` folder beside the repository),
the imported scenario must reproduce ``expected.json``: each profile's weights and
value utilities, utility ranges and frontier utilities (compiled model, 1e-9), the
Pareto frontier as a set of outcomes and the Nash outcome (``accord.analysis``), for
``party_sets.all`` and, where present, ``party_sets.first3``.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from accord.analysis.analyze import analyze
from accord.analysis.results import Analysis
from accord.engine.compiled import compile_scenario
from accord.io.genius import read_genius_folder
from accord.model.scenario import Scenario, UtilitySettings
from shared import shared_dir

TOLERANCE = 1e-9
"""The reference data's comparison tolerance for utility numbers (README)."""


GENIUS = shared_dir("data", "genius")
MISSING = "(no GENIUS data)"


def _domains(key: str = "party_sets") -> list[str]:
    if not GENIUS.is_dir():
        return [MISSING]
    names = sorted(p.name for p in GENIUS.iterdir() if (p / "expected.json").is_file())
    return [name for name in names if key in _expected(name)]


@functools.cache
def _expected(domain: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((GENIUS / domain / "expected.json").read_text("utf-8"))
    return data


@functools.cache
def _scenario(domain: str, clamp: bool = True) -> Scenario:
    scenario = read_genius_folder(GENIUS / domain)
    if clamp:
        return scenario
    return scenario.model_copy(update={"utility": UtilitySettings(normalize_salience=False)})


@functools.cache
def _analysis(domain: str, party_set: str, clamp: bool = True) -> Analysis:
    return analyze(_scenario(domain, clamp), parties=_parties(domain, party_set))


def _load(domain: str) -> dict[str, Any]:
    if domain == MISSING:
        pytest.skip(f"GENIUS reference data not found at {GENIUS} (set ACCORD_SHARED)")
    expected = _expected(domain)
    if expected.get("skipped"):
        pytest.skip(f"{domain}: {expected.get('skip_reason')}")
    return expected


def _stem(file: str) -> str:
    return Path(file).stem


def _parties(domain: str, party_set: str) -> list[str]:
    return [_stem(f) for f in _expected(domain)["party_sets"][party_set]["profile_files"]]


def _outcomes(items: Any) -> set[frozenset[tuple[str, str]]]:
    return {frozenset(item.items()) for item in items}


@pytest.mark.parametrize("domain", _domains())
def test_structure(domain: str) -> None:
    """Issues, values and party order (profile files sorted by name) as in the reference."""
    expected = _load(domain)
    scenario = _scenario(domain)
    assert scenario.id == domain
    assert [p.id for p in scenario.parties] == [_stem(f) for f in expected["profile_files"]]
    assert [i.id for i in scenario.issues] == [i["name"] for i in expected["issues"]]
    for issue, reference in zip(scenario.issues, expected["issues"], strict=True):
        assert list(issue.option_ids()) == reference["values"]
        assert issue.ordered == (reference["type"] == "integer")
    assert [s.title for s in scenario.sources] == [
        expected["domain_file"],
        *expected["profile_files"],
    ]


@pytest.mark.parametrize("domain", _domains())
def test_profiles(domain: str) -> None:
    """Weights as written, value utilities, reservation values and discount factors."""
    expected = _load(domain)
    scenario = _scenario(domain)
    for profile in expected["profiles"]:
        party = scenario.party(_stem(profile["file"]))
        prefs = party.preferences
        assert prefs is not None
        weights = {issue: w.value for issue, w in prefs.salience.items()}
        assert weights.keys() == profile["weights"].keys()
        for issue, weight in profile["weights"].items():
            assert weights[issue] == pytest.approx(weight, abs=TOLERANCE)
        for issue, values in profile["value_utilities"].items():
            ours = {option: v.value for option, v in prefs.values[issue].items()}
            assert ours.keys() == values.keys()
            for option, value in values.items():
                assert ours[option] == pytest.approx(value, abs=TOLERANCE), (issue, option)
        assert prefs.reservation.value == pytest.approx(profile["reservation_value"], abs=0)
        assert f"Discount factor {float(profile['discount_factor'])!r}" in (party.description or "")


@pytest.mark.parametrize("domain", _domains())
def test_utilities(domain: str) -> None:
    """Compiled utilities: each party's range over all outcomes and the frontier's vectors."""
    expected = _load(domain)
    model = compile_scenario(_scenario(domain))
    assert model.n_outcomes == expected["n_outcomes"]
    _, options = next(model.chunks(size=max(model.n_outcomes, 1)))
    everything = model.utilities(options)
    for party_set in expected["party_sets"].values():
        chosen = [model.party_index(_stem(f)) for f in party_set["profile_files"]]
        low, high = everything[:, chosen].min(axis=0), everything[:, chosen].max(axis=0)
        ranges = np.asarray(party_set["utility_ranges"])
        np.testing.assert_allclose(low, ranges[:, 0], rtol=0, atol=TOLERANCE)
        np.testing.assert_allclose(high, ranges[:, 1], rtol=0, atol=TOLERANCE)
        points = party_set["pareto"]["outcomes"]
        indices = np.asarray([point["index"] for point in points], dtype=np.int64)
        rows = np.concatenate([model.outcome_options(point["outcome"]) for point in points])
        np.testing.assert_array_equal(model.encode(rows), indices)
        reference = np.asarray([point["utilities"] for point in points])
        np.testing.assert_allclose(everything[indices][:, chosen], reference, atol=TOLERANCE)


@pytest.mark.parametrize("domain", _domains())
def test_pareto_frontier(domain: str) -> None:
    """The frontier of all outcomes, compared as a set of outcomes (ties kept)."""
    expected = _load(domain)
    for name, party_set in expected["party_sets"].items():
        analysis = _analysis(domain, name)
        ours = [point.outcome for point in analysis.pareto_frontier]
        reference = [point["outcome"] for point in party_set["pareto"]["outcomes"]]
        assert len(ours) == party_set["pareto"]["size"], name
        assert _outcomes(ours) == _outcomes(reference), name


@pytest.mark.parametrize("domain", _domains())
def test_nash(domain: str) -> None:
    """The Nash outcome with reservation values as disagreement point (any tied outcome)."""
    expected = _load(domain)
    for name, party_set in expected["party_sets"].items():
        nash = party_set["solutions"]["reserved"]["nash"]
        solution = _analysis(domain, name).solutions["nash"]
        if nash is None:
            assert solution is None, name
            continue
        assert solution is not None, name
        assert frozenset(solution.point.outcome.items()) in _outcomes(
            point["outcome"] for point in nash["outcomes"]
        ), name
        assert solution.value == pytest.approx(nash["value"], abs=TOLERANCE), name


@pytest.mark.parametrize("domain", _domains("unclamped_party_sets"))
def test_clamp_at_one(domain: str) -> None:
    """``cap: 1.0`` reproduces ``party_sets``; without it, ``unclamped_party_sets``."""
    expected = _load(domain)
    assert _scenario(domain).utility.cap == 1.0
    for name, party_set in expected["unclamped_party_sets"].items():
        analysis = _analysis(domain, name, clamp=False)
        reference = party_set["pareto"]["outcomes"]
        assert _outcomes(p.outcome for p in analysis.pareto_frontier) == _outcomes(
            point["outcome"] for point in reference
        )
        ours = {p.index: list(p.utilities.values()) for p in analysis.pareto_frontier}
        for point in reference:
            assert ours[point["index"]] == pytest.approx(point["utilities"], abs=TOLERANCE)
        nash = party_set["solutions"]["reserved"]["nash"]
        solution = analysis.solutions["nash"]
        assert solution is not None
        assert frozenset(solution.point.outcome.items()) in _outcomes(
            point["outcome"] for point in nash["outcomes"]
        )
        clamped = _analysis(domain, name)
        assert max(max(p.utilities.values()) for p in clamped.pareto_frontier) == 1.0
        assert max(max(p.utilities.values()) for p in analysis.pareto_frontier) > 1.0

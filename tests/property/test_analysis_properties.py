"""Property tests: on random small scenarios the analysis equals brute force.

The reference below evaluates every outcome in plain Python straight from the
Scenario (not the compiled model), so it checks compilation and kernels together.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from accord import Scenario, analyze
from accord.analysis.pareto import pareto_mask
from brute import brute as _brute
from brute import matches as _matches
from brute import small_scenarios

TOL = 1e-9


def _dominated(u: np.ndarray, row: np.ndarray) -> bool:
    return bool(((u >= row - 1e-12).all(axis=1) & (u > row + 1e-12).any(axis=1)).any())


@settings(max_examples=60)
@given(small_scenarios())
def test_frontier_equals_brute_force(scenario: Scenario) -> None:
    outcomes, u, _ = _brute(scenario)
    expected = {i for i in range(len(outcomes)) if not _dominated(u, u[i])}
    result = analyze(scenario)
    assert {p.index for p in result.pareto_frontier} == expected
    for point in result.pareto_frontier:
        assert point.outcome == outcomes[point.index]
        np.testing.assert_allclose(list(point.utilities.values()), u[point.index], atol=TOL)


@settings(max_examples=60)
@given(small_scenarios())
def test_zopa_and_acceptable_counts(scenario: Scenario) -> None:
    _, u, acceptable = _brute(scenario)
    result = analyze(scenario)
    assert result.zopa.size == int(acceptable.sum())
    assert result.outcome_count == len(u)
    for j, summary in enumerate(result.party_summaries):
        assert math.isclose(summary.best.utilities[summary.id], u[:, j].max(), abs_tol=TOL)
        assert math.isclose(summary.worst.utilities[summary.id], u[:, j].min(), abs_tol=TOL)


@settings(max_examples=60)
@given(small_scenarios())
def test_solutions_are_optimal_among_acceptable(scenario: Scenario) -> None:
    _, u, acceptable = _brute(scenario)
    result = analyze(scenario)
    if not acceptable.any():
        assert all(s is None for s in result.solutions.values())
        assert result.zopa.reasons, "an empty zone must be explained"
        return
    d = np.array([p.preferences.reservation.value for p in scenario.parties])  # type: ignore[union-attr]
    gains = np.maximum(u[acceptable] - d, 0)
    ideal = gains.max(axis=0)
    span = np.where(ideal > 1e-12, ideal, 1.0)
    shares = np.where(ideal > 1e-12, gains / span, 1.0)
    best = {
        "nash": gains.prod(axis=1).max(),
        "egalitarian": gains.min(axis=1).max(),
        "utilitarian": gains.sum(axis=1).max(),
        "kalai_smorodinsky": shares.min(axis=1).max(),
    }
    for name, value in best.items():
        solution = result.solutions[name]
        assert solution is not None
        assert solution.point.acceptable
        assert math.isclose(solution.value, value, rel_tol=1e-9, abs_tol=1e-12), name


@settings(max_examples=40)
@given(small_scenarios(), st.data())
def test_zopa_reasons_cover_the_space(scenario: Scenario, data: st.DataObject) -> None:
    """When the zone is empty, the named constraints really exclude every outcome,
    and lifting one alone opens exactly the number of outcomes it reports."""
    outcomes, u, acceptable = _brute(scenario)
    result = analyze(scenario)
    if acceptable.any():
        assert result.zopa.reasons == ()
        return
    ids = [p.id for p in scenario.parties]
    for outcome_index, outcome in enumerate(outcomes):
        assert any(
            _excludes(scenario, reason, outcome, u[outcome_index, ids.index(reason.party)])
            for reason in result.zopa.reasons
        )


def _excludes(scenario: Scenario, reason: Any, outcome: dict[str, str], utility: float) -> bool:
    prefs = scenario.party(reason.party).preferences
    assert prefs is not None
    if reason.kind == "reservation":
        return utility < prefs.reservation.value - 1e-12
    return any(
        r.reason == reason.description and _matches(r.when, outcome) for r in prefs.red_lines
    )


@settings(max_examples=60)
@given(small_scenarios(), st.data())
def test_trades_improve_both_parties(scenario: Scenario, data: st.DataObject) -> None:
    outcomes, u, _ = _brute(scenario)
    reference = data.draw(st.sampled_from(outcomes))
    result = analyze(scenario, reference=reference)
    assert result.trades is not None
    ref_index = outcomes.index(reference)
    a, b = (0, 1)
    for trade in result.trades.trades:
        index = trade.result.index
        assert u[index, a] > u[ref_index, a]
        assert u[index, b] > u[ref_index, b]
        changed = [i for i in reference if outcomes[index][i] != reference[i]]
        assert 1 <= len(changed) <= 2
        assert {c.issue for c in trade.changes} == set(changed)
    gains = [t.joint_gain for t in result.trades.trades]
    assert gains == sorted(gains, reverse=True)


@settings(max_examples=30)
@given(st.integers(2, 4), st.integers(0, 2**32 - 1))
def test_prefilter_path_matches_direct_path(parties: int, seed: int) -> None:
    """Above the prefilter threshold the frontier is the same as without it."""
    from accord.analysis import pareto

    rng = np.random.default_rng(seed)
    u = np.round(rng.random((60_000, parties)), 2)  # many exact ties
    fast = pareto_mask(u)
    threshold = pareto._PREFILTER_FROM
    try:
        pareto._PREFILTER_FROM = 10**9
        slow = pareto_mask(u)
    finally:
        pareto._PREFILTER_FROM = threshold
    assert (fast == slow).all()

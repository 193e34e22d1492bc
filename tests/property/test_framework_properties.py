"""Property tests of framework review, amendment, mediation and diff against brute force."""

from __future__ import annotations

import itertools
import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from accord import Scenario, compile_scenario
from accord.frameworks.amend import amend_framework
from accord.frameworks.diff import diff_frameworks
from accord.frameworks.draft import compile_draft
from accord.frameworks.mediation import mediate_text
from accord.frameworks.model import Framework
from accord.frameworks.review import review_framework
from brute import brute, completions, drafts, evaluate

TOL = 1e-9


@settings(max_examples=50)
@given(drafts())
def test_review_numbers_equal_direct_evaluation(case: tuple[Scenario, Framework]) -> None:
    scenario, framework = case
    rows = [evaluate(scenario, outcome) for outcome in completions(scenario, framework)]
    utilities = np.array([u for u, _ in rows])
    accepts = np.array([ok for _, ok in rows])
    review = review_framework(framework, scenario)
    for j, party in enumerate(review.parties):
        lo, hi = party.utility_range
        assert math.isclose(lo, utilities[:, j].min(), abs_tol=TOL)
        assert math.isclose(hi, utilities[:, j].max(), abs_tol=TOL)
        assert math.isclose(party.expected_utility, utilities[:, j].mean(), abs_tol=TOL)
        if len(rows) == 1:
            assert party.utility is not None
            assert math.isclose(party.utility, utilities[0, j], abs_tol=TOL)
        assert party.acceptable == bool(accepts[:, j].all())
        assert party.possibly_acceptable == bool(accepts[:, j].any())
        assert len(party.points) == len(framework.points)
        assert all(p.delta <= TOL for p in party.points)
    principals_ok = accepts.all(axis=0)
    assert review.acceptable_to_all_principals == bool(principals_ok.all())


def _acceptable_draft(scenario: Scenario, settled: dict[str, str]) -> bool:
    names = [i.id for i in scenario.issues]
    choices = [
        [settled[i.id]] if i.id in settled else list(i.option_ids()) for i in scenario.issues
    ]
    return all(
        all(evaluate(scenario, dict(zip(names, combo, strict=True)))[1])
        for combo in itertools.product(*choices)
    )


def _brute_minimal(scenario: Scenario, framework: Framework) -> tuple[int | None, int]:
    settled = {i: o for i, (o, _) in framework.settlement().items()}
    issues = scenario.issues
    for size in range(len(issues) + 1):
        count = 0
        for chosen in itertools.combinations(issues, size):
            alternatives = [
                [o for o in issue.option_ids() if o != settled.get(issue.id)] for issue in chosen
            ]
            for options in itertools.product(*alternatives):
                amended = {**settled, **{i.id: o for i, o in zip(chosen, options, strict=True)}}
                count += _acceptable_draft(scenario, amended)
        if count:
            return size, count
    return None, 0


@settings(max_examples=40)
@given(drafts())
def test_amendments_are_minimal_and_work(case: tuple[Scenario, Framework]) -> None:
    scenario, framework = case
    result = amend_framework(framework, scenario, limit=1000)
    size, count = _brute_minimal(scenario, framework)
    assert result.size == size
    assert result.total_found == count
    for amendment in result.amendments:
        assert len(amendment.changes) == size
        assert _acceptable_draft(scenario, amendment.settled_after)
    nash = [a.nash_product for a in result.amendments]
    assert nash == sorted(nash, reverse=True)
    if size is None:
        assert result.collisions


@settings(max_examples=40)
@given(drafts(), st.integers(0, 2**16))
def test_full_information_mediation_ends_pareto_optimal(
    case: tuple[Scenario, Framework], seed: int
) -> None:
    scenario, framework = case
    model = compile_scenario(scenario)
    principals = list(range(len(model.party_ids)))
    result = mediate_text(
        model,
        principals,
        compile_draft(framework, model).settled,
        500,
        np.random.default_rng(seed),
        knows_preferences=True,
    )
    outcomes, u, acceptable = brute(scenario)
    index = {tuple(o.values()): n for n, o in enumerate(outcomes)}
    path = [index[tuple(model.describe(d.row).values())] for d in result.drafts]
    start, final = path[0], path[-1]
    assert "round limit" not in result.stop_reason
    if acceptable.any():
        assert acceptable[final]
        better = (u[acceptable] >= u[final] - 1e-12).all(axis=1) & (
            u[acceptable] > u[final] + 1e-12
        ).any(axis=1)
        assert not better.any(), "an acceptable package dominates the final draft"
    if acceptable[start]:
        assert (u[final] >= u[start] - 1e-12).all()


@settings(max_examples=30)
@given(drafts())
def test_diff_with_itself_is_empty(case: tuple[Scenario, Framework]) -> None:
    scenario, framework = case
    diff = diff_frameworks(framework, framework, scenario)
    assert diff.differences == ()
    assert diff.expected_before == diff.expected_after

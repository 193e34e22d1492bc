"""Properties of the forecast models and baselines, on hypothesis-generated tables."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.forecast import (
    StakeholderTable,
    exchange_model,
    expected_utility,
    median_voter,
    weighted_mean,
    weighted_median,
)
from accord.forecast import eu_kernel as kernel
from accord.forecast.baselines import condorcet_positions

positions = st.sampled_from([0.0, 5.0, 12.5, 25.0, 40.0, 50.0, 75.0, 90.0, 100.0])
weights = st.floats(0.05, 1.0, allow_nan=False).map(lambda v: round(v, 3))


@st.composite
def issue(
    draw: st.DrawFn, low: int = 2, high: int = 9
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = draw(st.integers(low, high))
    x = np.array(draw(st.lists(positions, min_size=n, max_size=n)))
    c = np.array(draw(st.lists(weights, min_size=n, max_size=n)))
    s = np.array(draw(st.lists(weights, min_size=n, max_size=n)))
    return x, c, s


@given(issue(), st.randoms(use_true_random=False))
def test_weighted_mean_and_median_ignore_the_order_of_actors(
    data: tuple[np.ndarray, np.ndarray, np.ndarray], rnd: object
) -> None:
    x, c, s = data
    order = np.arange(len(x))
    rnd.shuffle(order)  # type: ignore[attr-defined]
    w = c * s
    assert np.isclose(weighted_mean(x, w), weighted_mean(x[order], w[order]), atol=1e-12)
    assert weighted_median(x, w) == weighted_median(x[order], w[order])
    assert condorcet_positions(x, w) == condorcet_positions(x[order], w[order])
    assert median_voter(x, w) in condorcet_positions(x, w)


@given(issue(low=1), st.sampled_from(["scholz", "scholz-capitulation", "gdm"]))
@settings(max_examples=40)
def test_with_everybody_at_one_position_nothing_moves(
    data: tuple[np.ndarray, np.ndarray, np.ndarray], variant: str
) -> None:
    _, c, s = data
    x = np.full(len(c), 42.0)
    table = StakeholderTable.single_issue([f"a{k}" for k in range(len(c))], x, s, c)
    result = expected_utility(table, rounds=3, variant=variant).issues[0]
    assert all(not r.moves for r in result.rounds)
    assert result.outcome.forecast == 42.0


@given(st.integers(2, 7), st.integers(2, 4), st.data())
@settings(max_examples=25)
def test_exchange_with_everybody_at_one_position_nothing_moves(
    n: int, m: int, data: st.DataObject
) -> None:
    point = data.draw(st.lists(positions, min_size=m, max_size=m))
    s = np.array(
        data.draw(st.lists(st.lists(weights, min_size=m, max_size=m), min_size=n, max_size=n))
    )
    x = np.tile(np.array(point), (n, 1))
    table = StakeholderTable(
        tuple(f"a{k}" for k in range(n)),
        tuple(f"d{k}" for k in range(m)),
        x,
        s,
        np.ones((n, m)),
        np.zeros(m),
        np.full(m, 100.0),
    )
    result = exchange_model(table, rounds=2)
    assert all(r.n_realized_exchanges == 0 for r in result.rounds)
    assert list(result.forecast.values()) == pytest.approx(point)
    assert result.rounds[-1].positions_after_round == result.initial_positions


@given(st.lists(st.floats(-50, 50, allow_nan=False), min_size=2, max_size=30))
def test_risk_exponents_stay_in_half_to_two(security: list[float]) -> None:
    r = kernel.risk_exponents(np.array(security))
    if r is not None:
        assert np.all(r >= 0.5)
        assert np.all(r <= 2.0)


@given(issue(low=3), st.sampled_from(["scholz", "gdm"]))
@settings(max_examples=30)
def test_model_risk_exponents_stay_in_half_to_two(
    data: tuple[np.ndarray, np.ndarray, np.ndarray], variant: str
) -> None:
    x, c, s = data
    table = StakeholderTable.single_issue([f"a{k}" for k in range(len(x))], x, s, c)
    for r in expected_utility(table, rounds=3, variant=variant).issues[0].rounds:
        values = np.array(list(r.risk_exponent_r.values()))
        assert np.all(values >= 0.5)
        assert np.all(values <= 2.0)


@given(issue(low=2, high=8), st.lists(st.floats(0.5, 2.0), min_size=8, max_size=8))
def test_pairwise_support_is_the_sum_of_positive_votes(
    data: tuple[np.ndarray, np.ndarray, np.ndarray], exponents: list[float]
) -> None:
    x, c, s = data
    r = np.array(exponents[: len(x)])
    delta = max(float(np.ptp(x)), 1.0)
    geometry = kernel.Geometry(x, delta)
    loss = (c * s)[:, None] * (np.abs(x[:, None] - x[None, :]) / delta) ** r[:, None]
    direct = np.maximum(loss[:, None, :] - loss[:, :, None], 0.0).sum(axis=0)
    direct[x[:, None] == x[None, :]] = 0.0
    got = kernel.pairwise_support(geometry, kernel.vote_values(geometry, c * s, r))
    np.testing.assert_allclose(got, direct, atol=1e-12)

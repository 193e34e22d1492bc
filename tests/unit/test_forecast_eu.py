"""The expected-utility model against a plain scalar reading of its specification.

``ScalarScholz`` below follows the formulas of Bueno de Mesquita (1994) as replicated
by Scholz, Calbert & Smith (2011) — one actor, one pair at a time — so the vectorised
kernels are checked without the reference data.
"""

from __future__ import annotations

import numpy as np
import pytest

from accord.forecast import (
    OutcomeKind,
    StakeholderTable,
    expected_utility,
    median_voter,
)
from accord.forecast import eu_kernel as kernel


class ScalarScholz:
    """One round of the Scholz reading, written straight from the formulas."""

    def __init__(self, x: list[float], c: list[float], s: list[float], delta: float) -> None:
        self.x, self.c, self.s, self.delta = list(x), c, s, delta
        self.n = len(x)

    def vote(self, k: int, a: float, b: float, r: list[float]) -> float:
        d = self.delta
        return (
            self.c[k]
            * self.s[k]
            * ((abs(self.x[k] - b) / d) ** r[k] - (abs(self.x[k] - a) / d) ** r[k])
        )

    def probability(self, i: int, j: int, r: list[float]) -> float:
        if self.x[i] == self.x[j]:
            return 0.0
        top = sum(max(0.0, self.vote(k, self.x[i], self.x[j], r)) for k in range(self.n))
        bottom = sum(
            abs(self.vote(k, self.x[m], self.x[o], r))
            for k in range(self.n)
            for m in range(self.n)
            for o in range(self.n)
        )
        return top / bottom

    def eu(self, perspective: int, i: int, j: int, r: list[float]) -> float:
        rho = r[perspective]
        d = abs(self.x[i] - self.x[j]) / self.delta
        success = 2 - 4 * (0.5 - 0.5 * d) ** rho
        failure = 2 - 4 * (0.5 + 0.5 * d) ** rho
        status_quo = 2 - 4 * 0.5**rho
        p = self.probability(i, j, r)
        return (
            self.s[j] * (p * success + (1 - p) * failure) + (1 - self.s[j]) * success - status_quo
        )

    def risk(self) -> list[float]:
        ones = [1.0] * self.n
        security = [
            sum(self.eu(i, j, i, ones) for j in range(self.n) if j != i) for i in range(self.n)
        ]
        high, low = max(security), min(security)
        big = [(2 * v - high - low) / (high - low) for v in security]
        return [(1 - b / 3) / (1 + b / 3) for b in big]

    def round(self, capitulation: bool = False) -> tuple[list[float], list[float]]:
        r = self.risk()
        new = list(self.x)
        for i in range(self.n):
            offers: dict[str, list[tuple[float, int, float]]] = {"c": [], "m": [], "k": []}
            for j in range(self.n):
                if self.x[j] == self.x[i]:
                    continue
                a, b = self.eu(i, i, j, r), self.eu(i, j, i, r)
                if b > a > 0:
                    offers["c"].append((abs(self.x[i] - self.x[j]), j, self.x[j]))
                elif b > 0 > a and b > abs(a):
                    key = (abs(a) * self.x[i] + abs(b) * self.x[j]) / (abs(a) + abs(b))
                    offers["m"].append((key, j, self.x[i] + (self.x[j] - self.x[i]) * abs(a / b)))
                elif capitulation and b > 0 > a and b < abs(a):
                    offers["k"].append((abs(self.x[i] - self.x[j]), j, self.x[j]))
            for kind in "cmk":
                if offers[kind]:
                    new[i] = min(offers[kind], key=lambda o: (o[0], o[1]))[2]
                    break
        return r, new


def random_issue(seed: int, n: int) -> tuple[list[float], list[float], list[float]]:
    rng = np.random.default_rng(seed)
    x = rng.choice([0.0, 10.0, 25.0, 40.0, 55.0, 70.0, 100.0], size=n).tolist()
    x[0], x[1] = 0.0, 100.0
    c = rng.uniform(0.1, 1.0, n).round(2).tolist()
    s = rng.uniform(0.1, 1.0, n).round(2).tolist()
    return x, c, s


def table_of(x: list[float], c: list[float], s: list[float]) -> StakeholderTable:
    return StakeholderTable.single_issue([f"a{k}" for k in range(len(x))], x, s, c)


@pytest.mark.parametrize("seed", range(6))
def test_pairwise_support_equals_the_direct_sum(seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = rng.choice([1.0, 2.0, 2.5, 4.0, 7.0], size=9)
    w = rng.uniform(0, 1, 9)
    r = rng.uniform(0.5, 2.0, 9)
    geometry = kernel.Geometry(x, 6.0)
    values = kernel.vote_values(geometry, w, r)
    direct = w[:, None] * (np.abs(x[:, None] - x[None, :]) / 6.0) ** r[:, None]
    expected = np.maximum(direct[:, None, :] - direct[:, :, None], 0.0).sum(axis=0)
    expected[x[:, None] == x[None, :]] = 0.0
    np.testing.assert_allclose(kernel.pairwise_support(geometry, values), expected, atol=1e-12)


@pytest.mark.parametrize("seed", range(4))
def test_probabilities_follow_the_definitions(seed: int) -> None:
    x, c, s = random_issue(seed, 6)
    scalar = ScalarScholz(x, c, s, 100.0)
    r = np.random.default_rng(seed).uniform(0.5, 2.0, 6)
    geometry = kernel.Geometry(np.array(x), 100.0)
    w = np.array(c) * np.array(s)
    p = kernel.scholz_probability(geometry, w, r)
    for i in range(6):
        for j in range(6):
            assert p[i, j] == pytest.approx(scalar.probability(i, j, r.tolist()), abs=1e-14)
    gdm = kernel.gdm_probability(geometry, w)
    for i in range(6):
        for j in range(6):
            votes = [w[k] * (abs(x[k] - x[j]) - abs(x[k] - x[i])) for k in range(6)]
            total = sum(abs(v) for v in votes)
            want = 0.0 if x[i] == x[j] else max(0.0, sum(votes)) / total
            assert gdm[i, j] == pytest.approx(want, abs=1e-14)


def test_expected_utility_of_a_challenge_by_hand() -> None:
    """Two actors 0 and 100 apart, Δ = 100, r = 1: U_s = 2, U_f = −2, U_sq = 0 and
    E = s_j[P·2 + (1 − P)(−2)] + (1 − s_j)·2."""
    geometry = kernel.Geometry(np.array([0.0, 100.0]), 100.0)
    p = np.array([[0.0, 0.25], [0.75, 0.0]])
    s = np.array([0.4, 0.8])
    eu = kernel.challenge_eu(geometry, s, p, kernel.Utilities(geometry, None))
    assert eu[0, 1] == pytest.approx(0.8 * (0.5 - 1.5) + 0.2 * 2)
    assert eu[1, 0] == pytest.approx(0.4 * (1.5 - 0.5) + 0.6 * 2)
    received = kernel.challenge_eu(geometry, s, p, kernel.Utilities(geometry, None), received=True)
    assert received[0, 1] == pytest.approx(eu[1, 0])
    r = np.array([2.0, 0.5])
    curved = kernel.challenge_eu(geometry, s, p, kernel.Utilities(geometry, r))
    status_quo = 2 - 4 * 0.5**2.0
    assert curved[0, 1] == pytest.approx(0.8 * (0.25 * 2 + 0.75 * (2 - 4)) + 0.2 * 2 - status_quo)


def test_risk_exponents_span_half_to_two_and_stop_when_undefined() -> None:
    r = kernel.risk_exponents(np.array([-3.0, 0.0, 5.0]))
    assert r is not None
    assert r[0] == pytest.approx(2.0)
    assert r[2] == pytest.approx(0.5)
    assert r[1] == pytest.approx((1 - (-0.25) / 3) / (1 + (-0.25) / 3))
    assert kernel.risk_exponents(np.array([1.0, 1.0, 1.0])) is None


@pytest.mark.parametrize("capitulation", [False, True])
@pytest.mark.parametrize("seed", range(5))
def test_a_round_equals_the_scalar_reading(seed: int, capitulation: bool) -> None:
    x, c, s = random_issue(seed, 7)
    scalar = ScalarScholz(x, c, s, 100.0)
    r, positions = scalar.round(capitulation)
    variant = "scholz-capitulation" if capitulation else "scholz"
    result = expected_utility(table_of(x, c, s), rounds=1, variant=variant).issues[0]
    assert list(result.rounds[0].risk_exponent_r.values()) == pytest.approx(r, abs=1e-12)
    assert list(result.rounds[0].positions.values()) == pytest.approx(positions, abs=1e-10)


def test_capitulation_is_off_as_published_and_on_when_asked() -> None:
    """A strong, resolute challenger facing a weak actor who stands to lose a lot."""
    x, c, s = [0.0, 100.0, 100.0, 50.0], [0.05, 1.0, 1.0, 0.3], [0.2, 1.0, 1.0, 0.5]
    scalar = ScalarScholz(x, c, s, 100.0)
    _, with_fix = scalar.round(capitulation=True)
    _, published = scalar.round(capitulation=False)
    fixed = expected_utility(table_of(x, c, s), rounds=1, variant="scholz-capitulation")
    plain = expected_utility(table_of(x, c, s), rounds=1)
    assert list(fixed.issues[0].rounds[0].positions.values()) == pytest.approx(with_fix)
    assert list(plain.issues[0].rounds[0].positions.values()) == pytest.approx(published)
    kinds = {m.actor: m.type.value for m in fixed.issues[0].rounds[0].moves}
    assert kinds["a3"] == "capitulation"
    assert "capitulation" not in {m.type.value for m in plain.issues[0].rounds[0].moves}


def test_median_voter_is_the_weighted_median_of_actor_positions() -> None:
    x = np.array([1.0, 2.0, 3.0, 10.0])
    assert median_voter(x, np.array([1.0, 1.0, 1.0, 1.0])) in (2.0, 3.0)
    assert median_voter(x, np.array([1.0, 1.0, 5.0, 1.0])) == 3.0
    assert median_voter(x, np.array([10.0, 1.0, 1.0, 1.0])) == 1.0


def test_consensus_is_a_fixed_point_and_nothing_moves() -> None:
    result = expected_utility(
        table_of([5.0, 5.0, 5.0], [1, 2, 3], [0.5, 0.5, 0.5]), rounds=5
    ).issues[0]
    assert result.rounds == ()
    assert result.outcome.kind is OutcomeKind.FIXED_POINT
    assert result.outcome.forecast == 5.0


def test_a_cycle_is_reported_with_its_mean() -> None:
    x, c, s = [0.0, 0.0, 100.0, 100.0, 60.0], [1.0, 1.0, 1.0, 1.0, 0.4], [0.9, 0.9, 0.9, 0.9, 0.3]
    result = expected_utility(table_of(x, c, s), rounds=12, variant="scholz-capitulation")
    issue = result.issues[0]
    outcome = issue.outcome
    assert outcome.kind is OutcomeKind.CYCLE
    assert outcome.period == 8
    assert outcome.first_round == 1
    assert outcome.rounds_used == tuple(range(2, 10))
    medians = [issue.rounds[k - 1].median_voter for k in outcome.rounds_used]
    assert outcome.forecast == pytest.approx(np.mean(medians))
    states = [issue.rounds[k - 1].positions for k in (1, 9)]
    assert states[0] == pytest.approx(states[1])


def test_a_fixed_point_is_reported_where_positions_stop() -> None:
    x, c, s = [0.0, 0.0, 100.0, 100.0, 60.0], [1.0, 1.0, 1.0, 1.0, 0.4], [0.9, 0.9, 0.9, 0.9, 0.3]
    outcome = expected_utility(table_of(x, c, s), rounds=6, variant="gdm").issues[0].outcome
    assert outcome.kind is OutcomeKind.FIXED_POINT
    assert outcome.period == 1


def test_recurrence_detection_finds_fixed_points_and_cycles() -> None:
    from accord.forecast.eu import _recurrence

    a, b = np.array([1.0, 2.0]), np.array([2.0, 1.0])
    assert _recurrence([a, b, a, b], 1.0) == (0, 2)
    assert _recurrence([a, b, b], 1.0) == (1, 1)
    assert _recurrence([a, b, np.array([3.0, 3.0])], 1.0) is None


def test_unsettled_runs_report_the_later_half() -> None:
    x, c, s = random_issue(3, 8)
    outcome = expected_utility(table_of(x, c, s), rounds=6).issues[0].outcome
    assert outcome.kind is OutcomeKind.NOT_SETTLED
    assert outcome.rounds_used == (4, 5, 6)
    assert outcome.median_voter_min <= outcome.forecast <= outcome.median_voter_max


def test_salience_shocks_are_seeded() -> None:
    x, c, s = random_issue(1, 8)
    table = table_of(x, c, s)
    first = expected_utility(table, rounds=4, shock_probability=0.5, seed=7)
    again = expected_utility(table, rounds=4, shock_probability=0.5, seed=7)
    other = expected_utility(table, rounds=4, shock_probability=0.5, seed=8)
    paths = [[r.salience for r in f.issues[0].rounds] for f in (first, again, other)]
    assert paths[0] == paths[1] != paths[2]
    assert first.issues[0].outcome.kind is OutcomeKind.NOT_SETTLED
    assert "shocks" in first.issues[0].outcome.note


def test_status_quo_weight_changes_the_utilities() -> None:
    x, c, s = random_issue(2, 6)
    geometry = kernel.Geometry(np.array(x), 100.0)
    p = kernel.scholz_probability(geometry, np.array(c) * np.array(s), None)
    u = kernel.Utilities(geometry, None)
    base = kernel.challenge_eu(geometry, np.array(s), p, u, q=1.0)
    half = kernel.challenge_eu(geometry, np.array(s), p, u, q=0.5, t=1.0, mu=50.0)
    spread = 0.25 * (np.abs(np.array(x) - 50.0)[:, None] / 100.0 + geometry.distance)
    u_best = 2 - 4 * np.clip(0.5 - spread, 0, None)
    np.testing.assert_allclose(half, base + 0.5 * 0.0 - 0.5 * u_best, atol=1e-12)


def test_bad_settings_are_refused() -> None:
    table = table_of([0.0, 1.0], [1, 1], [1, 1])
    with pytest.raises(ValueError, match="variant"):
        expected_utility(table, variant="nope")
    with pytest.raises(ValueError, match="shock"):
        expected_utility(table, shock_probability=2.0)


def test_progress_reports_every_issue_round() -> None:
    table = StakeholderTable(
        ("a", "b", "c"),
        ("p", "q"),
        np.array([[0.0, 10], [50, 60], [100, 90]]),
        np.full((3, 2), 0.5),
        np.ones((3, 2)),
        np.zeros(2),
        np.full(2, 100.0),
    )
    seen: list[tuple[int, int]] = []
    expected_utility(table, rounds=4, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (8, 8)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)

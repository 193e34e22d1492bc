"""The exchange model (Stokman & Van Oosten 1994) on cases worked out by hand, and the
candidate kernel against a scalar reading of the Equal Gain rules."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest

from accord.forecast import StakeholderTable, exchange_model
from accord.forecast import exchange_kernel as kernel
from accord.forecast.exchange_eval import calculate


def table(
    actors: list[str],
    issues: list[str],
    x: list[list[float]],
    s: list[list[float]],
    c: list[list[float]],
) -> StakeholderTable:
    m = len(issues)
    return StakeholderTable(
        tuple(actors),
        tuple(issues),
        np.array(x, dtype=float),
        np.array(s, dtype=float),
        np.array(c, dtype=float),
        np.zeros(m),
        np.full(m, 100.0),
    )


TWO = table(
    ["A", "B"], ["one", "two"], [[20, 10], [80, 90]], [[0.2, 0.8], [0.7, 0.4]], [[1, 1], [1, 1]]
)


def test_two_actor_exchange_worked_by_hand() -> None:
    """NBS₁ = (20·0.2 + 80·0.7)/0.9 = 66.67, NBS₂ = (10·0.8 + 90·0.4)/1.2 = 36.67; A is
    left of both, B right. A's s₁/s₂ = 0.25 < B's 1.75, so A supplies issue one: all the
    way to 80, ΔO₁ = 60·0.2/0.9 = 13.33. Equal gain: ΔO₂ = 13.33·(0.2 + 0.7)/(0.8 + 0.4)
    = 10, so B moves 10·1.2/0.4 = 30, from 90 to 60. Both gain 0.7·13.33 − 0.4·10 =
    0.8·10 − 0.2·13.33 = 16/3. Next start: A 20 + 0.42·60 = 45.2, B 90 − 0.34·30 = 79.8."""
    result = exchange_model(TWO, rounds=1)
    first = result.rounds[0]
    assert result.initial_nbs == pytest.approx({"one": 60 / 0.9, "two": 44 / 1.2})
    assert first.n_candidate_exchanges == 1
    assert first.n_realized_exchanges == 1
    (e,) = first.realized
    assert (e.i, e.i_supply, e.j, e.j_supply) == ("B", "two", "A", "one")
    assert (e.i_y, e.j_y) == pytest.approx((60.0, 80.0))
    assert e.gain == pytest.approx(16 / 3)
    assert first.nbs_voting == pytest.approx({"one": 80.0, "two": 32 / 1.2})
    assert first.positions_after_round == {
        "one": {"A": pytest.approx(45.2), "B": 80.0},
        "two": {"A": 10.0, "B": pytest.approx(79.8)},
    }


def test_the_nbs_cap_stops_the_outcome_at_the_partner() -> None:
    """J (0, heavy) moving all the way to I's 60 on p would carry O_p from 44.5 to 69.1,
    past I; the cap stops it so O_p lands on 60: ΔO_p = 60 − 98/2.2, J moves
    ΔO_p·2.2/0.9. I's shift follows from equal gain: ΔO_q = ΔO_p·1.7/1.6."""
    t = table(
        ["J", "I", "K"],
        ["p", "q"],
        [[0, 0], [60, 100], [100, np.nan]],
        [[0.9, 1.0], [0.8, 0.6], [0.5, 0.0]],
        [[1, 1], [1, 1], [1, 0]],
    )
    (e,) = exchange_model(t, rounds=1).rounds[0].realized
    shift_p = 60 - 98 / 2.2
    shift_q = shift_p * 1.7 / 1.6
    assert (e.j, e.j_supply, e.i, e.i_supply) == ("J", "p", "I", "q")
    assert e.j_y == pytest.approx(shift_p * 2.2 / 0.9)
    assert e.i_y == pytest.approx(100 - shift_q * 1.6 / 0.6)
    assert e.gain == pytest.approx(0.8 * shift_p - 0.6 * shift_q)
    voting = exchange_model(t, rounds=1).rounds[0].nbs_voting
    assert voting["p"] == pytest.approx(60.0)


def scalar_candidates(x: np.ndarray, s: np.ndarray, c: np.ndarray) -> list[dict[str, float]]:
    """Every round-start candidate with its Equal Gain moves, written out per pair."""
    cs = c * s
    w = cs.sum(axis=0)
    nbs = (cs * x).sum(axis=0) / w
    left = x <= nbs
    found = []
    for p, q in combinations(range(x.shape[1]), 2):
        group = [int(left[a, p]) + 2 * int(left[a, q]) for a in range(len(x))]
        for g1, g2 in ((0, 3), (1, 2)):
            for i in [a for a in range(len(x)) if group[a] == g1]:
                for j in [a for a in range(len(x)) if group[a] == g2]:
                    if s[i, p] / s[i, q] < s[j, p] / s[j, q]:
                        big_i, big_j = j, i
                    else:
                        big_i, big_j = i, j
                    found.append(_equal_gain(x, s, cs, w, nbs, big_i, big_j, p, q))
    return found


def _equal_gain(
    x: np.ndarray,
    s: np.ndarray,
    cs: np.ndarray,
    w: np.ndarray,
    nbs: np.ndarray,
    i: int,
    j: int,
    p: int,
    q: int,
) -> dict[str, float]:
    dp = abs(x[i, p] - x[j, p]) * cs[j, p] / w[p]
    dq = dp * (s[j, p] + s[i, p]) / (s[j, q] + s[i, q])
    move_i, move_j = dq * w[q] / cs[i, q], abs(x[i, p] - x[j, p])
    if move_i > abs(x[j, q] - x[i, q]):
        dq = abs(x[j, q] - x[i, q]) * cs[i, q] / w[q]
        dp = dq * (s[i, q] + s[j, q]) / (s[i, p] + s[j, p])
        move_i, move_j = abs(x[j, q] - x[i, q]), dp * w[p] / cs[j, p]
    y_i = x[i, q] + (move_i if x[j, q] > x[i, q] else -move_i)
    y_j = x[j, p] + (move_j if x[i, p] > x[j, p] else -move_j)
    return {
        "i": i,
        "j": j,
        "p": p,
        "q": q,
        "y_i": y_i,
        "y_j": y_j,
        "gain": abs(s[i, p] * dp - s[i, q] * dq),
        "gain_j": abs(s[j, q] * dq - s[j, p] * dp),
    }


@pytest.mark.parametrize("seed", range(4))
def test_candidate_kernel_equals_the_scalar_rules(seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = rng.choice([0.0, 20.0, 35.0, 50.0, 80.0, 100.0], size=(7, 3))
    s = rng.uniform(0.2, 1.0, (7, 3)).round(2)
    c = np.repeat(rng.uniform(0.2, 1.0, (7, 1)).round(2), 3, axis=1)
    state = kernel.RoundState.start(x, s, c)
    cands = kernel.generate(state, np.ones((7, 3), dtype=bool))
    calculate(cands, state, np.arange(len(cands)))
    expected = scalar_candidates(x, s, c)
    assert len(cands) == len(expected)
    for k, want in enumerate(expected):
        assert (cands.actor[0, k], cands.actor[1, k]) == (want["i"], want["j"])
        assert (cands.supply[0, k], cands.supply[1, k]) == (want["q"], want["p"])
        assert want["gain"] == pytest.approx(want["gain_j"])
        row = cands.data[k]
        capped = not np.isclose(row[kernel.GAIN], want["gain"])
        if not capped:  # the NBS cap, tested above, changes the rest
            assert row[kernel.col(0, kernel.Y)] == pytest.approx(want["y_i"])
            assert row[kernel.col(1, kernel.Y)] == pytest.approx(want["y_j"])


def realised_invariants(t: StakeholderTable, rounds: int = 3) -> None:
    result = exchange_model(t, rounds=rounds)
    for r in result.rounds:
        for e in r.realized:
            assert e.gain >= kernel.MIN_GAIN
            assert e.gain_i == pytest.approx(e.gain)
            assert e.gain_j == pytest.approx(e.gain)
            assert 0.0 <= e.i_y <= 100.0
            assert 0.0 <= e.j_y <= 100.0
        for issue in t.issues:
            for x in r.positions_after_round[issue].values():
                assert -1e-9 <= x <= 100.0 + 1e-9


@pytest.mark.parametrize("seed", range(3))
def test_realised_exchanges_keep_the_model_invariants(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, m = 9, 4
    t = table(
        [f"a{k}" for k in range(n)],
        [f"d{k}" for k in range(m)],
        rng.uniform(0, 100, (n, m)).round(0).tolist(),
        rng.uniform(0.1, 1, (n, m)).round(2).tolist(),
        np.repeat(rng.uniform(0.1, 1, (n, 1)), m, axis=1).round(2).tolist(),
    )
    realised_invariants(t)


def test_no_exchange_when_everybody_agrees() -> None:
    t = table(["A", "B", "C"], ["p", "q"], [[40, 60]] * 3, [[0.5, 0.7]] * 3, [[1, 1]] * 3)
    result = exchange_model(t, rounds=3)
    assert all(r.n_realized_exchanges == 0 for r in result.rounds)
    assert result.settled_after == 0
    assert result.forecast == pytest.approx({"p": 40.0, "q": 60.0})


def test_rex_is_seeded_and_differs_from_equal_gain() -> None:
    rng = np.random.default_rng(5)
    n, m = 8, 3
    t = table(
        [f"a{k}" for k in range(n)],
        [f"d{k}" for k in range(m)],
        rng.uniform(0, 100, (n, m)).round(0).tolist(),
        rng.uniform(0.1, 1, (n, m)).round(2).tolist(),
        [[1] * m] * n,
    )
    one = exchange_model(t, rounds=3, variant="rex", p=0.8, seed=1)
    again = exchange_model(t, rounds=3, variant="rex", p=0.8, seed=1)
    other = exchange_model(t, rounds=3, variant="rex", p=0.8, seed=2)
    equal = exchange_model(t, rounds=3)
    assert one.forecast == again.forecast
    assert one.forecast != other.forecast or one.forecast != equal.forecast
    for e in one.rounds[0].realized:
        assert e.gain_i >= -1e-12
        assert e.gain_j >= -1e-12


def test_random_ties_are_seeded() -> None:
    """Four identical actors make every gain tie."""
    t = table(
        ["A", "B", "C", "D"],
        ["p", "q"],
        [[0, 0], [0, 0], [100, 100], [100, 100]],
        [[0.3, 0.9], [0.3, 0.9], [0.8, 0.4], [0.8, 0.4]],
        [[1, 1]] * 4,
    )
    pairs = [(e.i, e.j) for e in exchange_model(t, rounds=1).rounds[0].realized]
    assert pairs == [("C", "A"), ("D", "B")]  # the candidate generated first wins
    picks = {
        tuple(
            (e.i, e.j)
            for e in exchange_model(t, rounds=1, random_ties=True, seed=k).rounds[0].realized
        )
        for k in range(8)
    }
    assert picks == {(("C", "A"), ("D", "B")), (("C", "B"), ("D", "A"))}
    assert (
        exchange_model(t, rounds=2, random_ties=True, seed=3).forecast
        == exchange_model(t, rounds=2, random_ties=True, seed=3).forecast
    )


def test_bad_settings_are_refused() -> None:
    one_issue = StakeholderTable.single_issue(["a", "b"], [0, 1], [1, 1], [1, 1])
    with pytest.raises(ValueError, match="two issues"):
        exchange_model(one_issue)
    with pytest.raises(ValueError, match="p in"):
        exchange_model(TWO, variant="rex", p=1.5)
    with pytest.raises(ValueError, match="rex variant only"):
        exchange_model(TWO, p=0.5)
    with pytest.raises(ValueError, match="variant"):
        exchange_model(TWO, variant="random-rate")


def test_progress_reports_every_round() -> None:
    seen: list[tuple[int, int]] = []
    exchange_model(TWO, rounds=3, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]

"""One-at-a-time stability intervals, in closed form (issue 14 §2).

Move one number, everything else at its point value. Only its owner's utilities
change, and for every kind of number the owner's gain over its reservation, times a
positive factor common to all outcomes, is *affine* in the number:

- an option value ``v``, an interaction value ``b`` or the reservation ``r`` enter
  the additive utility linearly (Raiffa 1982);
- a salience ``w_i`` enters as ``(R + w_i·v_i)/(S' + w_i)`` when weights are
  normalised; multiplying the gain by ``S' + w_i > 0`` makes it affine.

So the zone verdict flips where some outcome's affine gain crosses zero (an outcome
acceptable to the others enters or leaves the owner's acceptable set), and the Nash
package (Nash 1950) changes where its product of gains, ``g_o·(α_o + β_o·x)`` with the
others' gains ``g_o`` fixed, is overtaken by another outcome's line. Both thresholds
are solved exactly, for every outcome at once. With a utility cap the cap is ignored
and the interval is marked approximate.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from accord.analysis.pareto import TIE_TOLERANCE
from accord.model.uncertainty import BOUNDS
from accord.robustness.inputs import Layout, UncertainNumber
from accord.robustness.kernel import Space, acceptable, choose, utilities
from accord.robustness.results import Stability

__all__ = ["PointState", "affine_gain", "point_state", "stability_intervals"]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class PointState:
    """Utilities, acceptability and choices with every number at its point value."""

    values: FloatArray  # (chosen parties, outcomes)
    ok: BoolArray  # (chosen parties, outcomes)
    reservations: FloatArray
    nash: int  # −1 when the zone is empty
    theta: FloatArray


def point_state(layout: Layout, space: Space) -> PointState:
    theta = layout.point[None, :]
    holds = np.ones((1, layout.holds.shape[0]), dtype=bool)
    values = utilities(layout, space, theta)
    ok = acceptable(layout, space, theta, holds, values)
    reservations = theta[0, layout.reservation[space.chosen]]
    gains = np.maximum(values - reservations[None, :, None], 0.0)
    nash = int(choose(gains, np.all(ok, axis=1), space.weights)[0][0])
    return PointState(values[0], ok[0], reservations, nash, layout.point)


def stability_intervals(
    layout: Layout,
    space: Space,
    state: PointState,
    party_ids: Sequence[str],
    describe: Callable[[int], str],
) -> Iterator[Stability]:
    """Zone and Nash intervals for every uncertain number of an analysed party
    (``party_ids``: the compiled model's parties; ``describe`` names an outcome)."""
    party_row = {party_ids[int(p)]: j for j, p in enumerate(space.chosen)}
    zone = bool(state.ok.all(axis=0).any())
    for number in layout.numbers:
        row = party_row.get(number.party)
        if row is None or number.kind == "capability":
            continue
        with np.errstate(invalid="ignore", over="ignore"):  # absurd weights give nan: no flip
            alpha, beta = affine_gain(layout, space, state, number, row)
        others = np.delete(state.ok, row, axis=0).all(axis=0)
        candidates = others & _not_crossed(state, row, layout, space)
        low, high = _zone_interval(alpha[candidates], beta[candidates], number.value, zone)
        yield _stability(number, "zone_nonempty", low, high, space, "exists" if zone else "empty")
        if state.nash >= 0:
            low, high = _nash_interval(
                state, row, alpha, beta, candidates, number.value, space.weights
            )
            yield _stability(number, "nash", low, high, space, describe(state.nash))


def _not_crossed(state: PointState, row: int, layout: Layout, space: Space) -> BoolArray:
    """Outcomes crossing none of the owner's red lines (all hold at the point)."""
    if space.red_lines.shape[0] == 0:
        return np.ones(space.size, dtype=bool)
    owned = space.line_owner[:, row] > 0.5
    crossed: BoolArray = np.any(space.red_lines[owned] > 0.5, axis=0)
    return ~crossed


def affine_gain(
    layout: Layout, space: Space, state: PointState, number: UncertainNumber, row: int
) -> tuple[FloatArray, FloatArray]:
    """``α, β`` with the owner's gain (times a positive factor) ``= α + β·x`` per outcome."""
    party = int(space.chosen[row])
    theta = state.theta
    u0 = state.values[row]
    r = float(state.reservations[row])
    if number.kind == "reservation":
        return u0.copy(), -np.ones_like(u0)
    raw = np.maximum(theta[layout.salience[party]], 0.0)
    total = float(raw.sum())
    scale = 1.0 / total if layout.normalize and total > 0 else 1.0
    if number.kind == "value":
        issue = _issue_index(layout, number, party)
        option = int(np.flatnonzero(layout.values[issue][party] == number.slot)[0])
        slope = raw[issue] * scale * (space.options[:, issue] == option)
        return u0 - r - slope * number.value, slope
    if number.kind == "interaction":
        term = int(np.flatnonzero(layout.interaction_slot == number.slot)[0])
        match = space.interactions[term]
        return u0 - r - match * number.value, match.copy()
    issue = int(np.flatnonzero(layout.salience[party] == number.slot)[0])
    own_values = theta[layout.values[issue][party]][space.options[:, issue]]
    inter = _interaction_part(layout, space, theta, party)
    if not layout.normalize:
        return u0 - r - number.value * own_values, own_values
    rest = total - raw[issue]
    weighted = (u0 - inter) * total - raw[issue] * own_values
    return weighted + (inter - r) * rest, own_values + inter - r


def _issue_index(layout: Layout, number: UncertainNumber, party: int) -> int:
    for issue, table in enumerate(layout.values):
        if (table[party] == number.slot).any():
            return issue
    raise ValueError(number.path)


def _interaction_part(layout: Layout, space: Space, theta: FloatArray, party: int) -> FloatArray:
    total = np.zeros(space.size)
    for term, (slot, owner) in enumerate(
        zip(layout.interaction_slot, layout.interaction_party, strict=True)
    ):
        if owner == party:
            total += theta[slot] * space.interactions[term]
    return total


def _zone_interval(
    alpha: FloatArray, beta: FloatArray, x0: float, zone: bool
) -> tuple[float, float]:
    """Around ``x0``, where the zone keeps its verdict: the union over candidates of the
    half-lines ``α + β·x ≥ 0`` is the set of ``x`` with a zone."""
    flat = np.abs(beta) <= 1e-15
    if (flat & (alpha >= -TIE_TOLERANCE)).any():
        return -np.inf, np.inf  # some outcome is acceptable whatever x
    rising, falling = beta > 1e-15, beta < -1e-15
    lower = float((-alpha[rising] / beta[rising]).min()) if rising.any() else np.inf
    upper = float((-alpha[falling] / beta[falling]).max()) if falling.any() else -np.inf
    if lower <= upper:
        return -np.inf, np.inf
    if zone:
        return (lower, np.inf) if x0 >= lower - 1e-12 else (-np.inf, upper)
    return upper, lower


def _nash_interval(
    state: PointState,
    row: int,
    alpha: FloatArray,
    beta: FloatArray,
    candidates: BoolArray,
    x0: float,
    weights: FloatArray,
) -> tuple[float, float]:
    """Around ``x0``, where the Nash package stays the Nash package: every other
    candidate's line ``g_o·(α_o + β_o·x)`` stays below its own, which stays ≥ 0.

    With weights (asymmetric Nash), ``Π_q gain_q^{w_q}`` is compared through its
    ``1/w_owner`` power, which keeps the order and makes the owner's factor affine."""
    gains = np.maximum(state.values - state.reservations[:, None], 0.0)
    rest = np.delete(gains, row, axis=0) ** np.delete(weights, row)[:, None]
    others = np.prod(rest, axis=0) ** (1.0 / weights[row])
    star = state.nash
    rows = candidates.copy()
    rows[star] = False
    c = others[rows] * alpha[rows] - others[star] * alpha[star]
    s = others[rows] * beta[rows] - others[star] * beta[star]
    c = np.append(c, -alpha[star])  # its own gain stays non-negative: −α − β·x ≤ 0
    s = np.append(s, -beta[star])
    up, down = s > 1e-15, s < -1e-15
    high = float((-c[up] / s[up]).min()) if up.any() else np.inf
    low = float((-c[down] / s[down]).max()) if down.any() else -np.inf
    return min(low, x0), max(high, x0)


def _stability(
    number: UncertainNumber,
    verdict: str,
    low: float,
    high: float,
    space: Space,
    answer: str,
) -> Stability:
    floor, ceiling = BOUNDS[number.kind]
    return Stability(
        party=number.party,
        path=number.path,
        value=number.value,
        verdict=verdict,
        low=None if not np.isfinite(low) or (floor is not None and low <= floor) else low,
        high=None if not np.isfinite(high) or (ceiling is not None and high >= ceiling) else high,
        exact=space.cap is None,
        answer=answer,
        range=(number.low, number.high),
    )

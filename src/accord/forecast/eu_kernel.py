"""Array kernels of Bueno de Mesquita's expected-utility model (one issue, one round).

Notation follows Bueno de Mesquita (1994, 2002) and the replication by Scholz, Calbert
& Smith (2011): actor *i* has position ``x_i``, capability ``c_i``, salience ``s_i``
and risk exponent ``r_i``; ``Δ`` is the range of the initial positions.

Everything here works on whole ``(n × n)`` matrices. The win probabilities, which the
reference code computes in O(n³) per pair of positions (O(n⁶) per round for the risk
step), take O(n² log n) here: with distances on a line, voter *k* prefers ``x_a`` to
``x_b`` exactly when it stands on ``x_a``'s side of their midpoint, so each pair's vote
is a difference of prefix sums over the voters sorted by position.
"""

from __future__ import annotations

import functools

import numpy as np
from numpy.typing import NDArray

from accord.forecast.data import FloatArray

__all__ = [
    "Geometry",
    "IntArray",
    "Responses",
    "Utilities",
    "challenge_eu",
    "gdm_probability",
    "gdm_responses",
    "linear_spread",
    "median_by_order",
    "pairwise_support",
    "risk_exponents",
    "scholz_probability",
    "scholz_responses",
    "security_levels",
    "vote_values",
]

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

NO_MOVE, CONFLICT, COMPROMISE, CAPITULATION = 0, 1, 2, 3
"""Response codes of :func:`scholz_responses` and :func:`gdm_responses`."""


class Geometry:
    """What one round's positions imply, shared by every probability of the round: the
    actors sorted by position, each pair's midpoint and how many voters lie below it
    (as flat indices into the prefix sums), and the scaled distances."""

    def __init__(self, x: FloatArray, delta: float) -> None:
        n = len(x)
        self.x, self.delta, self.n = x, delta, n
        self.order = np.argsort(x, kind="stable")
        xs = x[self.order]
        low, high = _upper_pairs(n)
        mid = xs[low]
        mid += xs[high]
        mid *= 0.5
        below = np.searchsorted(xs, mid, side="left") * n
        upto = np.searchsorted(xs, mid, side="right") * n
        self.apart = xs[low] < xs[high]
        self.low, self.high = low, high
        self.below_low, self.below_high = below + low, below + high
        self.upto_low, self.upto_high = upto + low, upto + high
        first, second = self.order[low], self.order[high]
        self.pair_low, self.pair_high = first * n + second, second * n + first
        self.gap = np.subtract.outer(x, x)
        np.abs(self.gap, out=self.gap)
        self.distance = self.gap / delta
        self.sorted_distance = np.subtract.outer(xs, xs)
        np.abs(self.sorted_distance, out=self.sorted_distance)
        self.sorted_distance /= delta


@functools.lru_cache(maxsize=8)
def _upper_pairs(n: int) -> tuple[IntArray, IntArray]:
    """Index pairs (a, b) with a < b, cached: an issue keeps its actors every round."""
    low, high = np.triu_indices(n, 1)
    return low.astype(np.int64), high.astype(np.int64)


def vote_values(geometry: Geometry, weight: FloatArray, r: FloatArray | None) -> FloatArray:
    """``V[k, a] = w_k (|x_k − x_a| / Δ)^{r_k}`` (voter k's loss at a), rows and columns
    in position order; ``r=None`` means every exponent is 1."""
    order = geometry.order
    if r is None:
        values = geometry.sorted_distance * weight[order][:, None]
    else:
        values = np.power(geometry.sorted_distance, r[order][:, None])
        values *= weight[order][:, None]
    return values


def pairwise_support(geometry: Geometry, values: FloatArray) -> FloatArray:
    """``N[a, b] = Σ_k max(0, V[k, b] − V[k, a])``: the votes for ``x_a`` over ``x_b``.

    Voter k's loss grows with distance, so k votes for a exactly when it stands on a's
    side of the midpoint of a and b; the sum is a difference of prefix sums of V over
    the voters sorted by position (O(n² log n) instead of O(n³)). ``values`` come from
    :func:`vote_values`; the result is in input order."""
    g = geometry
    n = g.n
    prefix = np.zeros((n + 1, n))
    np.cumsum(values, axis=0, out=prefix[1:])
    flat = prefix.ravel()
    total = prefix[n]
    for_low = np.take(flat, g.below_high)
    for_low -= np.take(flat, g.below_low)
    for_high = np.take(total, g.low)
    for_high -= np.take(flat, g.upto_low)
    for_high -= np.take(total, g.high)
    for_high += np.take(flat, g.upto_high)
    for part in (for_low, for_high):
        np.maximum(part, 0.0, out=part)
        part[~g.apart] = 0.0
    support = np.zeros(n * n)
    support[g.pair_low] = for_low
    support[g.pair_high] = for_high
    return support.reshape(n, n)


def _pairwise_abs_total(values: FloatArray) -> float:
    """Σ_k Σ_m Σ_l |V[k, m] − V[k, l]| by sorting each row (O(n² log n))."""
    n = values.shape[1]
    ranks = 2.0 * np.arange(n) - n + 1.0
    return float(2.0 * np.sum(np.sort(values, axis=1) @ ranks))


def scholz_probability(geometry: Geometry, weight: FloatArray, r: FloatArray | None) -> FloatArray:
    """Win probabilities as in Scholz's code (Scholz, Calbert & Smith 2011):
    ``P[a, b] = Σ_k max(0, v_k(a, b)) / Σ_k Σ_m Σ_l |v_k(m, l)|`` with votes
    ``v_k(a, b) = c_k s_k[(|x_k − x_b|/Δ)^{r_k} − (|x_k − x_a|/Δ)^{r_k}]``; the
    denominator runs over every pair of actors, duplicates included. 0 when x_a = x_b."""
    values = vote_values(geometry, weight, r)
    total = _pairwise_abs_total(values)
    if total <= 0:
        return np.zeros((geometry.n, geometry.n))
    support = pairwise_support(geometry, values)
    support /= total
    return support


def gdm_probability(geometry: Geometry, weight: FloatArray) -> FloatArray:
    """Win probabilities of the GDM code (Bueno de Mesquita 1994 as coded by Masad):
    linear votes ``v_k = c_k s_k(|x_k − x_j| − |x_k − x_i|)`` normalised per contest,
    ``P[i, j] = max(0, Σ_k v_k) / Σ_k |v_k|``; 0 when x_i = x_j."""
    support = pairwise_support(geometry, vote_values(geometry, weight, None))
    spread = geometry.distance @ weight
    net = np.maximum(spread[None, :] - spread[:, None], 0.0)
    total = support + support.T
    return np.divide(net, total, out=np.zeros_like(net), where=total > 0)


class Utilities:
    """``U_s``, ``U_f`` and ``U_sq`` of every challenge, row i with exponent ``r[i]``
    (Bueno de Mesquita 1994): ``U_s = 2 − 4(0.5 − 0.5d)^r``, ``U_f = 2 − 4(0.5 + 0.5d)^r``,
    ``U_sq = 2 − 4·0.5^r`` with ``d = |x_i − x_j|/Δ``; ``r=None`` means r = 1."""

    def __init__(self, geometry: Geometry, r: FloatArray | None) -> None:
        half = 0.5 * geometry.distance
        self.success = _utility(0.5 - half, r)
        half += 0.5
        self.failure = _utility(half, r)
        self.r = np.ones(geometry.n) if r is None else r
        self.status_quo: FloatArray = (
            np.zeros((geometry.n, 1)) if r is None else 2.0 - 4.0 * 0.5 ** r[:, None]
        )


def _utility(base: FloatArray, r: FloatArray | None) -> FloatArray:
    """``2 − 4·base^r`` computed in place."""
    if r is not None:
        np.power(base, r[:, None], out=base)
    base *= -4.0
    base += 2.0
    result: FloatArray = base
    return result


def challenge_eu(
    geometry: Geometry,
    salience: FloatArray,
    probability: FloatArray,
    utilities: Utilities,
    *,
    received: bool = False,
    q: float = 1.0,
    t: float = 1.0,
    mu: float = 0.0,
    slip: float = -1.0,
) -> FloatArray:
    """Expected utilities of challenges, every one seen with the exponent of row i.

    ``E[i, j]`` is i's expected utility of challenging j, or — with ``received`` — of j
    challenging i, both from i's point of view (Scholz's receiver perspective).
    Bueno de Mesquita (1994): ``E = s_t[P U_s + (1 − P) U_f] + (1 − s_t) U_s − Q U_sq
    − (1 − Q)[T U_b + (1 − T) U_w]`` for challenger c and target t, where
    ``U_b, U_w = 2 − 4(0.5 ∓ 0.25(|x_c − μ| + |x_c − x_t|)/Δ)^r``. ``slip = +1`` gives
    the GDM code's sign of the (1 − Q) term; at Q = 1 (the references) it vanishes."""
    u = utilities
    s = salience[:, None] if received else salience[None, :]
    p = probability.T if received else probability
    eu = u.failure - u.success
    eu *= 1.0 - p
    eu *= s
    eu += u.success
    eu -= q * u.status_quo
    if q != 1.0:
        rr = u.r[:, None]
        off_median = np.abs(geometry.x - mu) / geometry.delta
        challenger = off_median[None, :] if received else off_median[:, None]
        spread = 0.25 * (challenger + geometry.distance)
        u_best = 2.0 - 4.0 * np.clip(0.5 - spread, 0.0, None) ** rr
        u_worst = 2.0 - 4.0 * (0.5 + spread) ** rr
        eu = eu + slip * (1.0 - q) * (t * u_best + (1.0 - t) * u_worst)
    return eu


def security_levels(challenged: FloatArray) -> FloatArray:
    """``S_i = Σ_{j≠i} E[i, j]`` of a matrix of challenges received (Bueno de Mesquita
    1994: the expected attacks on i's position, its insecurity)."""
    levels: FloatArray = np.sum(challenged, axis=1) - np.diag(challenged)
    return levels


def risk_exponents(security: FloatArray) -> FloatArray | None:
    """Risk exponents from security levels (Bueno de Mesquita 1994; Scholz et al. 2011):
    ``R_i = (2S_i − max S − min S)/(max S − min S)``, ``r_i = (1 − R_i/3)/(1 + R_i/3)``,
    which lies in [0.5, 2]. ``None`` when every actor is equally secure (undefined)."""
    high, low = float(np.max(security)), float(np.min(security))
    if high - low <= 1e-14 * max(abs(high), abs(low), 1e-300):
        return None
    big_r = (2.0 * security - high - low) / (high - low)
    return np.clip((1.0 - big_r / 3.0) / (1.0 + big_r / 3.0), 0.5, 2.0)


class Responses:
    """Each actor's response in a round: code, partner index, new position, EUs."""

    def __init__(
        self,
        code: IntArray,
        partner: IntArray,
        position: FloatArray,
        eu_ij: FloatArray,
        eu_ji: FloatArray,
    ) -> None:
        self.code, self.partner, self.position = code, partner, position
        self.eu_ij, self.eu_ji = eu_ij, eu_ji


def _nearest(distance: FloatArray, mask: BoolArray) -> tuple[IntArray, BoolArray]:
    """Per row, the first column with the smallest distance where ``mask`` holds."""
    masked = np.where(mask, distance, np.inf)
    found: BoolArray = np.any(mask, axis=1)
    return np.argmin(masked, axis=1).astype(np.int64), found


def _first_min(key: FloatArray, mask: BoolArray) -> tuple[IntArray, BoolArray]:
    """Per row, the column of the smallest ``key`` (one value per entry of ``mask``, in
    ``np.nonzero`` order) — the first such column on ties, as Python's ``min`` over
    actors in input order — and whether the row has any entry."""
    rows, cols = np.nonzero(mask)
    n = mask.shape[0]
    chosen = np.zeros(n, dtype=np.int64)
    found = np.zeros(n, dtype=bool)
    if len(rows):
        keys = key
        order = np.lexsort((cols, keys, rows))
        first = order[np.r_[True, rows[order][1:] != rows[order][:-1]]]
        chosen[rows[first]] = cols[first]
        found[rows[first]] = True
    return chosen, found


def scholz_responses(
    x: FloatArray,
    eu_ij: FloatArray,
    eu_ji: FloatArray,
    *,
    capitulation: bool,
    gap: FloatArray | None = None,
) -> Responses:
    """Responses as in Scholz's code: receiver i weighs each j (x_j ≠ x_i) with
    a = E^i(U_ij), b = E^i(U_ji). Conflict lost when b > a > 0 (nearest j first), else
    compromise when b > 0 > a and b > |a| (the j minimising (|a|x_i + |b|x_j)/(|a|+|b|),
    a quirk of Scholz's code), else capitulation when b > 0 > a and b < |a| — which the
    published code never reaches (a typo); ``capitulation=True`` enables it. ``gap`` is
    ``|x_i − x_j|`` when already at hand."""
    n = len(x)
    a, b = eu_ij, eu_ji
    distinct = x[:, None] != x[None, :]
    distance = np.abs(np.subtract.outer(x, x)) if gap is None else gap
    conflict = distinct & (b > a) & (a > 0)
    j_conflict, has_conflict = _nearest(distance, conflict)
    challenged = distinct & (b > 0) & (a < 0) & ~has_conflict[:, None]
    compromise = challenged & (b > -a)
    rows, cols = np.nonzero(compromise)
    weights = np.abs(a[rows, cols]), b[rows, cols]
    key = (weights[0] * x[rows] + weights[1] * x[cols]) / (weights[0] + weights[1])
    j_compromise, has_compromise = _first_min(key, compromise)
    capitulate = challenged & (b < -a) & ~has_compromise[:, None] & capitulation
    j_capitulate, has_capitulate = _nearest(distance, capitulate)
    code = np.select(
        [has_conflict, has_compromise, has_capitulate],
        [CONFLICT, COMPROMISE, CAPITULATION],
        NO_MOVE,
    ).astype(np.int64)
    partner = np.select(
        [has_conflict, has_compromise], [j_conflict, j_compromise], j_capitulate
    ).astype(np.int64)
    rows = np.arange(n)
    ui, uj = a[rows, partner], b[rows, partner]
    with np.errstate(divide="ignore", invalid="ignore"):
        compromised = x + (x[partner] - x) * np.abs(ui / uj)
    position = np.select([code == COMPROMISE, code == NO_MOVE], [compromised, x], x[partner])
    return Responses(code, partner, position, ui, uj)


def gdm_responses(x: FloatArray, own_eu: FloatArray, gap: FloatArray | None = None) -> Responses:
    """Responses of the GDM code: j challenges i when its own ``E_ji > 0``; i keeps the
    challenges with the largest sender EU (nearest sender on ties) and, with its own
    ``E_ij``: loses the conflict if 0 < E_ij < E_ji, compromises if E_ij < 0 and
    |E_ij| < E_ji, capitulates if E_ij < 0 and |E_ij| > E_ji; otherwise stays."""
    n = len(x)
    sender_eu = own_eu.T  # [i, j] = E_ji, j's expected utility of challenging i
    offers = (sender_eu > 0) & ~np.eye(n, dtype=bool)
    best = np.max(np.where(offers, sender_eu, -np.inf), axis=1)
    keep = offers & (sender_eu == best[:, None])
    distance = np.abs(np.subtract.outer(x, x)) if gap is None else gap
    partner, has_offer = _nearest(distance, keep)
    rows = np.arange(n)
    ui, uj = own_eu[rows, partner], sender_eu[rows, partner]
    code = np.select(
        [
            has_offer & (ui > 0) & (ui < uj),
            has_offer & (ui < 0) & (np.abs(ui) < uj),
            has_offer & (ui < 0) & (np.abs(ui) > uj),
        ],
        [CONFLICT, COMPROMISE, CAPITULATION],
        NO_MOVE,
    ).astype(np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        compromise = x + (x[partner] - x) * np.abs(ui / uj)
    position = np.select([code == COMPROMISE, code == NO_MOVE], [compromise, x], x[partner])
    return Responses(code, partner, position, ui, uj)


def linear_spread(x: FloatArray, weight: FloatArray, points: FloatArray) -> FloatArray:
    """``F(p) = Σ_k w_k |x_k − p|`` for each point p: one position beats another in a
    weighted vote with linear utilities exactly when its F is smaller."""
    return np.abs(x[None, :] - points[:, None]) @ weight


def median_by_order(x: FloatArray, weight: FloatArray, order: list[float]) -> float:
    """Median voter found as in the reference code: a single king-of-the-hill pass over
    the distinct positions in ``order`` — a position replaces the incumbent when it wins
    the linear weighted vote outright (ties keep the incumbent)."""
    points = np.array(order)
    spread = linear_spread(x, weight, points)
    tolerance = 1e-12 * max(float(np.max(np.abs(spread))), 1e-300)
    best = 0
    for k in range(1, len(points)):
        if spread[k] < spread[best] - tolerance:
            best = k
    return float(points[best])

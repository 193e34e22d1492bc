"""Bargaining solutions over candidate outcomes, gains measured from disagreement points.

Each solution is chosen among acceptable outcomes. Every maximiser of these criteria
is attained on the Pareto frontier of the acceptable set (an outcome that dominates
another is at least as good on each criterion), so the candidates passed in are that
frontier; ties are broken by the larger (weighted) total gain, then by the lowest
outcome index.

*Weights* (``weights``, one per party, default 1) count a bloc once: each of its k
members weighs 1/k (:mod:`accord.analysis.blocs`).

* Nash: the asymmetric Nash product Π_i g_i^{w_i}, i.e. Σ_i w_i log g_i maximised
  (Nash 1950; asymmetric: Kalai 1977, Roth 1979). With unit weights it is the
  symmetric product.
* Kalai–Smorodinsky (Kalai & Smorodinsky 1975) and egalitarian (Kalai 1977): a bloc
  is one coordinate, its worst-off member's (normalised) gain. The minimum over
  blocs of the minimum over their members is the minimum over all parties, so these
  values do not depend on the weights; only the tie-break by total gain does.
* Utilitarian (Harsanyi 1955): Σ_i w_i g_i.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = [
    "CITATIONS",
    "SOLUTION_NAMES",
    "Choice",
    "choose_solutions",
    "citation",
    "nash_product",
    "weighted_total",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

SOLUTION_NAMES = ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian")

CITATIONS = {
    "nash": "Nash (1950): maximise the product of gains over the disagreement point",
    "kalai_smorodinsky": (
        "Kalai & Smorodinsky (1975): maximise the smallest gain as a share of each "
        "party's ideal gain"
    ),
    "egalitarian": "Kalai (1977); Rawls (1971): maximise the smallest gain (max-min)",
    "utilitarian": "Harsanyi (1955): maximise the sum of utilities",
}

WEIGHTED_CITATIONS = {
    **CITATIONS,
    "nash": (
        "Nash (1950), asymmetric (Kalai 1977; Roth 1979): maximise the product of gains, "
        "each raised to its party's weight (1/k for each of a bloc's k members)"
    ),
    "utilitarian": (
        "Harsanyi (1955): maximise the weighted sum of utilities (1/k for each of a "
        "bloc's k members)"
    ),
}


def citation(name: str, weights: FloatArray | None = None) -> str:
    """The theory behind solution ``name``; the weighted form when a weight is not 1."""
    weighted = weights is not None and bool(np.any(np.asarray(weights) != 1.0))
    return (WEIGHTED_CITATIONS if weighted else CITATIONS)[name]


_RELATIVE_TIE = 1e-12


@dataclass(frozen=True)
class Choice:
    """The candidate chosen by one criterion: its row, criterion value and tie count."""

    row: int
    value: float
    ties: int


def nash_product(gains: FloatArray, weights: FloatArray | None = None) -> FloatArray:
    """Π_i g_i^{w_i} per row: the (asymmetric, Kalai 1977; Roth 1979) Nash product.

    Unit weights give the plain product (computed as such, bit for bit)."""
    gains = np.atleast_2d(gains)
    if weights is None or np.all(weights == 1.0):
        return np.asarray(np.prod(gains, axis=1), dtype=np.float64)
    return np.asarray(np.prod(gains**weights, axis=1), dtype=np.float64)


def _nash(gains: FloatArray, _ideal: FloatArray, weights: FloatArray) -> FloatArray:
    return nash_product(gains, weights)


def _kalai_smorodinsky(gains: FloatArray, ideal: FloatArray, _weights: FloatArray) -> FloatArray:
    span = ideal.copy()
    flat = span <= 1e-12
    span[flat] = 1.0
    shares = gains / span
    shares[:, flat] = 1.0  # a party that cannot gain anything does not constrain the others
    return np.asarray(shares.min(axis=1), dtype=np.float64)


def _egalitarian(gains: FloatArray, _ideal: FloatArray, _weights: FloatArray) -> FloatArray:
    return np.asarray(gains.min(axis=1), dtype=np.float64)


def _utilitarian(gains: FloatArray, _ideal: FloatArray, weights: FloatArray) -> FloatArray:
    return weighted_total(gains, weights)


def weighted_total(gains: FloatArray, weights: FloatArray | None = None) -> FloatArray:
    """Σ_i w_i g_i per row (unit weights: the plain sum, bit for bit)."""
    gains = np.atleast_2d(gains)
    if weights is None or np.all(weights == 1.0):
        return np.asarray(gains.sum(axis=1), dtype=np.float64)
    return np.asarray((gains * weights).sum(axis=1), dtype=np.float64)


_CRITERIA: dict[str, Callable[[FloatArray, FloatArray, FloatArray], FloatArray]] = {
    "nash": _nash,
    "kalai_smorodinsky": _kalai_smorodinsky,
    "egalitarian": _egalitarian,
    "utilitarian": _utilitarian,
}


def choose_solutions(
    utilities: FloatArray,
    disagreement: FloatArray,
    indices: IntArray,
    weights: FloatArray | None = None,
) -> dict[str, Choice]:
    """Nash, Kalai–Smorodinsky, egalitarian and utilitarian choices among candidates.

    ``utilities`` is candidates × parties (all acceptable, so at or above
    ``disagreement`` up to rounding); ``indices`` are their outcome indices, used to
    break ties deterministically; ``weights`` (default 1 each) weigh the parties in
    the Nash product, the utilitarian sum and the total gain that breaks ties. The
    ideal point for Kalai–Smorodinsky is the best gain each party gets among the
    candidates.
    """
    if utilities.shape[0] == 0:
        return {}
    w = np.ones(utilities.shape[1]) if weights is None else np.asarray(weights, dtype=np.float64)
    gains = np.maximum(utilities - disagreement, 0.0)
    ideal = gains.max(axis=0)
    total = weighted_total(gains, w)
    return {
        name: _best(criterion(gains, ideal, w), total, indices)
        for name, criterion in _CRITERIA.items()
    }


def _best(values: FloatArray, secondary: FloatArray, indices: IntArray) -> Choice:
    top = float(values.max())
    tied = values >= top - _RELATIVE_TIE * max(1.0, abs(top))
    rows = np.flatnonzero(tied)
    best_secondary = secondary[rows].max()
    rows = rows[secondary[rows] >= best_secondary - _RELATIVE_TIE * max(1.0, best_secondary)]
    row = int(rows[np.argmin(indices[rows])])
    return Choice(row=row, value=float(values[row]), ties=int(tied.sum()))

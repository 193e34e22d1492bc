"""Baseline forecasts: weighted and unweighted means and medians of positions.

Forecasting studies compare every model against these (Thomson et al. 2006, *The
European Union Decides*; Achen 2006): the capability·salience-weighted mean
(Stokman's compromise model, also the exchange model's Nash bargaining solution), the
weighted median (Black's median voter) and the unweighted mean and median.
"""

from __future__ import annotations

import numpy as np

from accord.forecast.data import FloatArray, StakeholderTable
from accord.forecast.results import Baselines

__all__ = [
    "condorcet_positions",
    "issue_baselines",
    "table_baselines",
    "weighted_mean",
    "weighted_median",
]

_TIE = 1e-12


def weighted_mean(x: FloatArray, w: FloatArray) -> float:
    """Σ w·x / Σ w (0 when every weight is 0)."""
    total = float(np.sum(w))
    return float(np.sum(w * x) / total) if total > 0 else 0.0


def weighted_median(x: FloatArray, w: FloatArray) -> float:
    """The smallest position at which the cumulative weight (actors sorted by position)
    reaches half the total weight."""
    order = np.argsort(x, kind="stable")
    cumulative = np.cumsum(w[order])
    half = 0.5 * cumulative[-1] * (1.0 - _TIE)
    return float(x[order][int(np.searchsorted(cumulative, half, side="left"))])


def condorcet_positions(x: FloatArray, w: FloatArray) -> tuple[float, ...]:
    """Actor positions p that no other actor position q beats in the weighted vote
    Σ_k w_k (|x_k − q| − |x_k − p|) ≥ 0 (ascending). With linear utilities on a line
    these are the minimisers of Σ w |x − p|: the weighted median(s)."""
    candidates = np.unique(x)
    spread = np.abs(x[None, :] - candidates[:, None]) @ w
    scale = max(float(np.max(np.abs(x))), 1.0) * max(float(np.sum(w)), 1e-300)
    best = float(np.min(spread))
    return tuple(float(p) for p in candidates[spread <= best + _TIE * scale])


def issue_baselines(
    issue: str, x: FloatArray, salience: FloatArray, capability: FloatArray
) -> Baselines:
    """Every baseline for one issue's present actors."""
    cs = capability * salience
    return Baselines(
        issue=issue,
        weighted_mean_cs=weighted_mean(x, cs),
        weighted_median_cs=weighted_median(x, cs),
        capability_weighted_mean=weighted_mean(x, capability),
        unweighted_mean=float(np.mean(x)),
        unweighted_median=float(np.median(x)),
        condorcet_median_voter_positions=condorcet_positions(x, cs),
        n_actors=len(x),
    )


def table_baselines(table: StakeholderTable) -> dict[str, Baselines]:
    """Baselines of every issue of a table, on the issues' own scales."""
    result: dict[str, Baselines] = {}
    for d, issue in enumerate(table.issues):
        _, x, s, c = table.column(d)
        result[issue] = issue_baselines(issue, x, s, c)
    return result

"""Dominance pruning with a safety margin, grid thinning, and hypervolume.

Partial frontiers are pruned while they are built (:mod:`.frontier`). A partial
utility vector p is dropped only when some q is at least as good for every party and
better by more than ``MARGIN`` for one party ``k`` on which the difference cannot be
absorbed later by the utility cap (``eligible[p, k]``): then every completion of q
dominates the same completion of p, and no chain of near-ties within the analysis's
tolerance (1e-12) can make the two equal. Near-ties are kept; the final exact filter
(:func:`accord.analysis.pareto.pareto_mask`) decides them as the enumerating path does.

Two parties: one sort and two suffix maxima (Kung, Luccio & Preparata 1975). More
parties: sort by decreasing sum, since a dominator has the larger sum, and compare
in blocks ("sort-filter-skyline", Chomicki et al. 2003).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from accord.analysis.pareto import TIE_TOLERANCE

__all__ = ["MARGIN", "prune"]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

MARGIN = 1000 * TIE_TOLERANCE
_BLOCK = 1024
_ELITES = 256


class _BudgetExceededError(Exception):
    pass


def prune(
    utilities: FloatArray, eligible: BoolArray | None = None, budget: int | None = None
) -> BoolArray:
    """``keep[n]``: row n is not dominated with margin by another row.

    With more than two parties, stops early (returning every row) once more than
    ``budget`` rows are known to be kept: the caller is about to give up anyway.
    """
    n, k = utilities.shape
    if n <= 1:
        return np.ones(n, dtype=bool)
    if eligible is None:
        eligible = np.ones((n, k), dtype=bool)
    if k == 2:
        return _prune_2d(utilities, eligible)
    try:
        return _prune_nd(utilities, eligible, budget)
    except _BudgetExceededError:
        return np.ones(n, dtype=bool)


def _prune_2d(u: FloatArray, eligible: BoolArray) -> BoolArray:
    order = np.argsort(u[:, 0], kind="stable")
    first = u[order, 0]
    suffix = np.maximum.accumulate(u[order, 1][::-1])[::-1]
    suffix = np.append(suffix, -np.inf)
    # (a) some q better by the margin for party 0 and at least as good for party 1
    beyond = np.searchsorted(first, u[:, 0] + MARGIN, side="right")
    by_first = eligible[:, 0] & (suffix[beyond] >= u[:, 1])
    # (b) some q at least as good for party 0 and better by the margin for party 1
    level = np.searchsorted(first, u[:, 0], side="left")
    by_second = eligible[:, 1] & (suffix[level] > u[:, 1] + MARGIN)
    return np.asarray(~(by_first | by_second), dtype=bool)


def _dominates(by: FloatArray, rows: FloatArray, eligible: BoolArray) -> BoolArray:
    """For each of ``rows``: is some row of ``by`` a margin-dominator?"""
    geq = np.ones((rows.shape[0], by.shape[0]), dtype=bool)
    gt = np.zeros_like(geq)
    for column in range(rows.shape[1]):
        r = rows[:, column][:, None]
        b = by[:, column][None, :]
        geq &= b >= r
        gt |= (b > r + MARGIN) & eligible[:, column][:, None]
    return np.asarray((geq & gt).any(axis=1), dtype=bool)


def _elite_survivors(u: FloatArray, eligible: BoolArray) -> IntArray:
    """Rows not dominated by one of the ``_ELITES`` rows of largest sum: a cheap first
    pass (a row dominated by any row, itself dominated or not, can go)."""
    order = np.argsort(-u.sum(axis=1), kind="stable")
    if len(order) <= 2 * _ELITES:
        return order
    elites = u[order[:_ELITES]]
    alive = np.ones(len(u), dtype=bool)
    step = max(1, (1 << 22) // _ELITES)
    for start in range(0, len(u), step):
        rows = slice(start, start + step)
        alive[rows] = ~_dominates(elites, u[rows], eligible[rows])
    return order[alive[order]]


def _prune_nd(u: FloatArray, eligible: BoolArray, budget: int | None) -> BoolArray:
    order = _elite_survivors(u, eligible)
    kept: list[IntArray] = []
    kept_rows = np.zeros((0, u.shape[1]))
    for start in range(0, len(order), _BLOCK):
        block = order[start : start + _BLOCK]
        alive = np.ones(len(block), dtype=bool)
        step = max(1, (1 << 22) // max(1, len(block)))
        for first in range(0, kept_rows.shape[0], step):
            alive &= ~_dominates(kept_rows[first : first + step], u[block], eligible[block])
        block = block[alive]
        block = block[~_dominates(u[block], u[block], eligible[block])]
        kept.append(block)
        kept_rows = np.concatenate((kept_rows, u[block]))
        if budget is not None and kept_rows.shape[0] > budget:
            raise _BudgetExceededError
    keep = np.zeros(len(u), dtype=bool)
    if kept:
        keep[np.concatenate(kept)] = True
    return keep

"""Dominance pruning with a safety margin, grid thinning, and hypervolume.

Partial frontiers are pruned while they are built (:mod:`.frontier`). A partial
utility vector p is dropped only when some q is at least as good for every party and
better by more than ``MARGIN`` for one party ``k`` on which the difference cannot be
absorbed later by the utility cap (``eligible[p, k]``): then every completion of q
dominates the same completion of p, and no chain of near-ties within the analysis's
tolerance (1e-12) can make the two equal. Near-ties are kept; the final exact filter
(:func:`accord.analysis.pareto.pareto_mask`) decides them as the enumerating path does.

Two parties: one sort and two suffix maxima (Kung, Luccio & Preparata 1975). More
parties: a compiled sort-filter-skyline (Chomicki et al. 2003). Rows are visited in
order of decreasing sum, since a dominator's sum is at least as large (floating-point
addition is monotone), and each is compared with the rows kept so far, stopping at the
first dominator. Dominance with margin is transitive (if q dominates p, so does any r
that dominates q), so a row dominated by a dropped row is also dominated by a kept
one: the kept rows alone decide. They are searched in a k-d tree (Bentley 1975) that
skips every subtree whose componentwise maximum does not dominate the row (branch and
bound, as in the BBS skyline of Papadias et al. 2005).
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
_ELITES = 256  # a first pass against the rows of largest sum


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
    return _prune_nd(utilities, eligible, n if budget is None else budget)


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


def _prune_nd(u: FloatArray, eligible: BoolArray, budget: int) -> BoolArray:
    keys = -u.sum(axis=1)
    order = np.argsort(keys, kind="stable")
    rows = u[order]
    # q beats p by the margin on column c when q[c] > above[p, c]
    above = np.where(eligible[order], rows + MARGIN, np.inf)
    elites = _ELITES if len(u) > 2 * _ELITES else 0
    kept = np.zeros(len(u), dtype=bool)
    # Imported here: the compiled kernel brings Numba, which the many commands that
    # never prune a frontier of 3+ parties need not load.
    from accord.analysis.structured.skyline import skyline

    if skyline(rows, above, keys[order], elites, budget, kept):
        return np.ones(len(u), dtype=bool)
    keep = np.empty(len(u), dtype=bool)
    keep[order] = kept
    return keep

"""The compiled sort-filter-skyline behind :func:`accord.analysis.pareto.pareto_mask`.

Rows are integer tie ranks in order of decreasing sum. Row q dominates row p when it
is at least as large on every column and larger on one; then its sum is strictly
larger, so every dominator comes earlier in the order, and equal rows never dominate
each other. Dominance is transitive, so a dominated row has a dominator that no row
dominates: each row need only be compared with the rows kept so far, stopping at the
first dominator (Chomicki et al. 2003).

The first ``_ELITES`` kept rows are compared with every later row in a plain loop:
they have the largest sums and dominate most of what is dominated. The kept rows after
them are searched in a k-d tree (Bentley 1975) that skips every subtree whose
componentwise maximum does not dominate the row (branch and bound, as in the BBS
skyline of Papadias et al. 2005), so large frontiers cost about n log n comparisons
rather than n².
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from accord.engine.jit import jit
from accord.engine.kdtree import median_split

__all__ = ["skyline"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

_ELITES = 32  # kept rows of largest sum, compared with every row in a plain loop


@jit
def skyline(rows: IntArray) -> BoolArray:
    """``kept[p]``: no row of ``rows`` (sorted by decreasing sum) dominates row p."""
    n, k = rows.shape
    kept = np.zeros(n, dtype=np.bool_)
    elites = np.empty(_ELITES, dtype=np.int64)
    count = 0
    p = 0
    while p < n and count < _ELITES:
        if not _dominated_by_any(rows, elites[:count], p):
            kept[p] = True
            elites[count] = p
            count += 1
        p += 1
    candidates = np.empty(n - p, dtype=np.int64)
    size = 0
    for q in range(p, n):
        if not _dominated_by_any(rows, elites[:count], q):
            candidates[size] = q
            size += 1
    # the candidates' dominators that are kept are candidates too (the elites are out)
    points = np.empty((size, k), dtype=np.int64)
    for s in range(size):
        points[s] = rows[candidates[s]]
    kept_candidates = _tree_skyline(points)
    for s in range(size):
        kept[candidates[s]] = kept_candidates[s]
    return kept


@jit
def _dominates(by: IntArray, q: int, rows: IntArray, p: int) -> bool:
    """``by[q]`` is at least ``rows[p]`` everywhere and larger somewhere."""
    larger = False
    for c in range(rows.shape[1]):
        if by[q, c] < rows[p, c]:
            return False
        larger |= by[q, c] > rows[p, c]
    return larger


@jit
def _dominated_by_any(rows: IntArray, by: IntArray, p: int) -> bool:
    """Does one of the rows numbered in ``by`` dominate row p?"""
    i = 0
    while i < len(by) and not _dominates(rows, by[i], rows, p):
        i += 1
    return i < len(by)


@jit
def _tree_skyline(rows: IntArray) -> BoolArray:
    """:func:`skyline` with every kept row in a k-d tree.

    The tree (:mod:`accord.engine.kdtree`) holds every row; only the kept ones count.
    ``corner[i]`` is the componentwise maximum of node ``i``'s kept rows (−1, below
    every rank, while there are none): a node can hold a dominator of row p only when
    its corner dominates p.
    """
    n, k = rows.shape
    order, start, stop, leaves, depth = median_split(rows)
    points = rows[order]  # points[s] is row order[s], so a leaf's rows are contiguous
    slot_of = np.empty(n, dtype=np.int64)
    slot_of[order] = np.arange(n)
    active = np.zeros(n, dtype=np.bool_)
    corner = np.full((2 * leaves + 1, k), -1, dtype=np.int64)
    stack = np.empty(depth + 2, dtype=np.int64)
    kept = np.zeros(n, dtype=np.bool_)
    for p in range(n):
        dominated = False
        stack[0] = 0
        top = 1
        while top and not dominated:
            top -= 1
            node = stack[top]
            if not _dominates(corner, node, rows, p):
                continue
            if node < leaves:
                stack[top], stack[top + 1] = 2 * node + 2, 2 * node + 1
                top += 2
                continue
            for s in range(start[node], stop[node]):
                if active[s] and _dominates(points, s, rows, p):
                    dominated = True
                    break
        if dominated:
            continue
        kept[p] = True
        slot = slot_of[p]
        active[slot] = True
        node = 0
        while True:  # the corners on the path from the root to the slot's leaf
            for c in range(k):
                corner[node, c] = max(corner[node, c], points[slot, c])
            if node >= leaves:
                break
            node = 2 * node + 1 if slot < stop[2 * node + 1] else 2 * node + 2
    return kept

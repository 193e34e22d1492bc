"""The layout of a static k-d tree (Bentley 1975), compiled, shared by the skylines.

Node ``i`` has children ``2i + 1`` and ``2i + 2`` and holds the points
``order[start[i]:stop[i]]``; each split halves a node at the median of its widest
column, until a node holds at most ``LEAF`` points. Nodes from ``leaves`` on are
leaves, so a node's points are contiguous once the points are taken in ``order``.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from accord.engine.jit import jit

__all__ = ["LEAF", "median_split"]

IntArray = npt.NDArray[np.int64]

LEAF = 16
"""Points per leaf at most."""


@jit
def median_split(points: np.ndarray) -> tuple[IntArray, IntArray, IntArray, int, int]:
    """``(order, start, stop, leaves, depth)`` of the tree over ``points`` (rows)."""
    m, k = points.shape
    depth = 0
    while (m >> depth) > LEAF:
        depth += 1
    leaves = (1 << depth) - 1
    start = np.zeros(2 * leaves + 1, dtype=np.int64)
    stop = np.zeros(2 * leaves + 1, dtype=np.int64)
    stop[0] = m
    order = np.arange(m)
    for node in range(leaves):  # parents before children
        lo, hi = start[node], stop[node]
        mid = (lo + hi) // 2
        widest, spread = 0, -1.0
        for c in range(k):
            low, high = np.inf, -np.inf
            for s in range(lo, hi):
                low = min(low, points[order[s], c])
                high = max(high, points[order[s], c])
            if high - low > spread:
                widest, spread = c, high - low
        _select(order, points[:, widest], lo, hi, mid)
        start[2 * node + 1], stop[2 * node + 1] = lo, mid
        start[2 * node + 2], stop[2 * node + 2] = mid, hi
    return order, start, stop, leaves, depth


@jit
def _select(order: IntArray, values: np.ndarray, lo: int, hi: int, kth: int) -> None:
    """Reorders ``order[lo:hi]`` so that position ``kth`` splits it by ``values``
    (Hoare's quickselect, 1961); any split is correct, a median one is fast."""
    while hi - lo > 1:
        pivot = values[order[(lo + hi) // 2]]
        i, j = lo, hi - 1
        while i <= j:
            while i < hi and values[order[i]] < pivot:
                i += 1
            while j > lo and pivot < values[order[j]]:
                j -= 1
            if i <= j:
                order[i], order[j] = order[j], order[i]
                i += 1
                j -= 1
        if kth <= j:
            hi = j + 1
        elif kth >= i:
            lo = i
        else:
            return

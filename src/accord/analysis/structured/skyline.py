"""The compiled sort-filter-skyline behind :func:`accord.analysis.structured.dominance.prune`.

See that module for the margin semantics. Rows arrive sorted by decreasing sum; each
is compared with the rows kept so far, stopping at the first dominator (Chomicki et al.
2003). The kept rows are searched in a k-d tree (Bentley 1975) that skips every subtree
whose componentwise maximum does not dominate the row (branch and bound, as in the BBS
skyline of Papadias et al. 2005).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from accord.engine.jit import jit
from accord.engine.kdtree import median_split

__all__ = ["skyline"]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

_BLOCK = 1024  # candidates are staged in blocks: they decide only between equal sums


@jit
def skyline(
    rows: FloatArray, above: FloatArray, keys: FloatArray, elites: int, budget: int, kept: BoolArray
) -> bool:
    """Marks in ``kept`` the rows (sorted by decreasing sum, ``keys`` the negated sums)
    no other row dominates; returns True instead once more than ``budget`` are kept.

    Rows dominated by one of the first ``elites`` rows go first. The others, the
    candidates, are staged in consecutive blocks of ``_BLOCK`` candidates: one goes
    when a candidate of its own block or of an earlier one dominates it, that is (by
    transitivity) when a kept one does. A dominator comes later in the order only when
    its sum is the same (or NaN, from ±inf), so only then do the blocks matter, and
    only then is a later candidate looked at.
    """
    n = rows.shape[0]
    candidate = np.ones(n, dtype=np.bool_)
    if elites:
        # the elites no other elite dominates dominate the same rows (transitivity)
        champions = np.ones(elites, dtype=np.bool_)
        for e in range(elites):
            for f in range(elites):
                if _dominates(rows, f, rows, above, e):
                    champions[e] = False
                    break
        tree = _kd_tree(rows[np.flatnonzero(champions)])
        for slot in range(len(tree.order)):
            _activate(tree, slot)
        for p in range(n):
            candidate[p] = not _tree_dominates(tree, rows, above, p)
    block_of = np.empty(n, dtype=np.int64)
    seen = 0
    for p in range(n):
        block_of[p] = seen // _BLOCK
        seen += candidate[p]
    nan_from = n  # NaN sums are sorted last
    for p in range(n - 1, -1, -1):
        if np.isnan(keys[p]):
            nan_from = p

    # elites do not dominate candidates: the tree holds the other kept candidates
    others = np.flatnonzero(candidate[elites:]) + elites
    tree = _kd_tree(rows[others])
    slot_of = np.full(n, -1)
    slot_of[others[tree.order]] = np.arange(len(others))
    size = 0
    for p in range(n):
        if not candidate[p]:
            continue
        dominated = _tree_dominates(tree, rows, above, p)
        q = p + 1  # later candidates of the same block with the same sum
        while not dominated and q < n and keys[q] == keys[p] and block_of[q] == block_of[p]:
            dominated = candidate[q] and _dominates(rows, q, rows, above, p)
            q += 1
        q = max(p + 1, nan_from)  # or a NaN sum
        while not dominated and q < n and block_of[q] == block_of[p]:
            dominated = candidate[q] and _dominates(rows, q, rows, above, p)
            q += 1
        if dominated:
            continue
        kept[p] = True
        size += 1
        if size > budget:
            return True
        if slot_of[p] >= 0:
            _activate(tree, slot_of[p])
    return False


@jit
def _dominates(by: FloatArray, q: int, rows: FloatArray, above: FloatArray, p: int) -> bool:
    """``by[q]`` is at least as good as ``rows[p]`` everywhere and beats it by the
    margin somewhere."""
    beats = False
    for c in range(rows.shape[1]):
        if not by[q, c] >= rows[p, c]:  # also for NaN
            return False
        beats |= by[q, c] > above[p, c]
    return beats


class _KdTree(NamedTuple):
    """A k-d tree over fixed points (:mod:`accord.engine.kdtree`), of which only the
    *active* ones count. Node ``i`` holds ``points[start[i]:stop[i]]`` (``points[s]`` is
    input point ``order[s]``). ``corner[i]``
    is the componentwise maximum of node ``i``'s active points (NaN left out: it never
    dominates).
    """

    points: FloatArray
    order: IntArray
    start: IntArray
    stop: IntArray
    leaves: int
    active: BoolArray
    corner: FloatArray
    stack: IntArray  # scratch for the search


@jit
def _kd_tree(points: FloatArray) -> _KdTree:
    order, start, stop, leaves, depth = median_split(points)
    return _KdTree(
        points[order],
        order,
        start,
        stop,
        leaves,
        np.zeros(points.shape[0], dtype=np.bool_),
        np.full((2 * leaves + 1, points.shape[1]), -np.inf),
        np.empty(depth + 2, dtype=np.int64),
    )


@jit
def _activate(tree: _KdTree, slot: int) -> None:
    tree.active[slot] = True
    node = 0
    while True:
        for c in range(tree.points.shape[1]):
            if tree.points[slot, c] > tree.corner[node, c]:
                tree.corner[node, c] = tree.points[slot, c]
        if node >= tree.leaves:
            return
        node = 2 * node + 1 if slot < tree.stop[2 * node + 1] else 2 * node + 2


@jit
def _tree_dominates(tree: _KdTree, rows: FloatArray, above: FloatArray, p: int) -> bool:
    """Does an active point of ``tree`` dominate ``rows[p]``?"""
    stack = tree.stack
    stack[0] = 0
    top = 1
    while top:
        top -= 1
        node = stack[top]
        if not _dominates(tree.corner, node, rows, above, p):
            continue
        if node < tree.leaves:
            stack[top], stack[top + 1] = 2 * node + 2, 2 * node + 1
            top += 2
            continue
        for slot in range(tree.start[node], tree.stop[node]):
            if tree.active[slot] and _dominates(tree.points, slot, rows, above, p):
                return True
    return False

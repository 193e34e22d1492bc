"""A 16-ary max-tournament tree over a fixed set of slots, compiled.

Level 0 holds one value per slot (``-inf`` for an empty one); each node of level
``l + 1`` holds the largest of its 16 children on level ``l``, which sit next to each
other — one or two cache lines — so an update reads a handful of lines instead of one
per level of a binary tree. The top finds the leftmost slot with the largest value
(numpy's ``argmax`` rule) by descending from the root; every slot holding at least a
given value is found by descending only into nodes that do.
"""

from __future__ import annotations

import numpy as np

from accord.engine.jit import jit
from accord.forecast.data import FloatArray
from accord.forecast.exchange_kernel import IntArray

__all__ = [
    "FANOUT",
    "layout",
    "tree_at_least",
    "tree_build",
    "tree_refresh",
    "tree_root",
    "tree_set",
    "tree_top",
]

FANOUT = 16


def layout(n: int) -> IntArray:
    """Offsets of each level in the flat array (the last entry is its size)."""
    sizes = [max(1, -(-n // FANOUT)) * FANOUT]
    while sizes[-1] > FANOUT:
        sizes.append(-(-sizes[-1] // FANOUT // FANOUT) * FANOUT)
    sizes.append(1)
    return np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)


@jit
def _node_max(tree: FloatArray, first: int) -> float:
    best: float = tree[first]
    for k in range(first + 1, first + FANOUT):
        if tree[k] > best:
            best = tree[k]
    return best


@jit
def tree_build(tree: FloatArray, offsets: IntArray, values: FloatArray, alive: np.ndarray) -> None:
    """Fill the tree: slot c holds ``values[c]`` where ``alive[c]``, else -inf."""
    tree[:] = -np.inf
    for c in range(len(values)):
        if alive[c]:
            tree[c] = values[c]
    for level in range(len(offsets) - 2):
        below, above = offsets[level], offsets[level + 1]
        for node in range((offsets[level + 1] - below) // FANOUT):
            tree[above + node] = _node_max(tree, below + node * FANOUT)


@jit
def tree_set(tree: FloatArray, offsets: IntArray, c: int, value: float) -> None:
    """Set slot ``c`` and update its ancestors (stopping where nothing changes)."""
    tree[c] = value
    i = c
    for level in range(len(offsets) - 2):
        node = i // FANOUT
        at = offsets[level + 1] + node
        new = _node_max(tree, offsets[level] + node * FANOUT)
        if tree[at] == new:
            return
        tree[at] = new
        i = node


@jit
def tree_refresh(tree: FloatArray, offsets: IntArray, slots: IntArray) -> None:
    """Update the ancestors of ``slots`` (ascending) after their values were written
    directly into level 0. Writing all the slots first and then climbing level by level
    lets the scattered writes proceed together instead of one climb at a time."""
    span = 1
    for level in range(len(offsets) - 2):
        span *= FANOUT
        last = -1
        for k in range(len(slots)):
            node = slots[k] // span
            if node != last:
                tree[offsets[level + 1] + node] = _node_max(tree, offsets[level] + node * FANOUT)
                last = node


@jit
def tree_root(tree: FloatArray, offsets: IntArray) -> float:
    """The largest value (-inf when every slot is empty)."""
    root: float = tree[offsets[len(offsets) - 2]]
    return root


@jit
def tree_top(tree: FloatArray, offsets: IntArray) -> int:
    """The leftmost slot holding the largest value."""
    i = 0
    for level in range(len(offsets) - 2, 0, -1):
        best = tree[offsets[level] + i]
        first = offsets[level - 1] + i * FANOUT
        k = 0
        while k < FANOUT - 1 and tree[first + k] != best:
            k += 1
        i = i * FANOUT + k
    return i


@jit
def tree_at_least(tree: FloatArray, offsets: IntArray, threshold: float, out: IntArray) -> int:
    """Write the slots holding at least ``threshold`` into ``out`` (ascending) and return
    how many: a depth-first descent that enters only nodes whose maximum qualifies, so
    it costs a few nodes per slot found."""
    top = len(offsets) - 2
    if tree[offsets[top]] < threshold:
        return 0
    levels = np.empty(FANOUT * (top + 1), dtype=np.int64)
    nodes = np.empty(FANOUT * (top + 1), dtype=np.int64)
    levels[0], nodes[0] = top, 0
    depth, count = 1, 0
    while depth > 0:
        depth -= 1
        level, node = levels[depth], nodes[depth]
        if level == 0:
            out[count] = node
            count += 1
            continue
        first = offsets[level - 1] + node * FANOUT
        for k in range(FANOUT - 1, -1, -1):  # pushed right to left: popped left to right
            if tree[first + k] >= threshold:
                levels[depth], nodes[depth] = level - 1, node * FANOUT + k
                depth += 1
    return count

"""Evaluating candidate exchanges, one compiled pass per set of candidates.

For each candidate (a row of :attr:`Candidates.data <accord.forecast.exchange_kernel.Candidates>`)
this computes, in order (Stokman & Van Oosten 1994; Decide's ``calculate``):

1. the **Equal Gain** shifts: the supplier I of issue q moves towards J on q and J
   towards I on p, at rates that give both the same utility gain, a shift being
   capped at a full move onto the partner's position; each shift's validity
   (:func:`side_valid`) and the gain's threshold;
2. the **NBS cap** (Decide's ``check_nbs``), side I then side J: a shift that would
   carry its issue's NBS — as the demanding partner has seen the other actors move this
   round — strictly past the partner's position shrinks so the NBS lands there, and the
   partner's shift is recomputed from the equal-gain relation (with Decide's two
   quirks, :func:`_cap_at_nbs`);
3. with REX (p > 0), the randomised gain split of :mod:`accord.forecast.rex`.

Rows are independent except for REX's random draws, which are taken in row order as
numpy's ``Generator.random((3, count))`` would give them: the first ``count`` are the u,
the next the v, then the z of the ``count`` rows that passed step 1.

The code is scalar per row and compiled (:mod:`accord.engine.jit`); every expression
keeps the operation order of the formulas, so results do not depend on how rows are
batched.
"""

from __future__ import annotations

import numpy as np

from accord.engine.jit import jit, jit_inline
from accord.forecast.data import FloatArray
from accord.forecast.exchange_kernel import (
    CS,
    EDGE,
    GAIN,
    MIN_GAIN,
    PER_SIDE,
    S_DEM,
    S_SUP,
    SGAIN,
    TOTAL,
    VALID,
    WIDTH,
    X_START,
    XD,
    XS,
    Candidates,
    IntArray,
    RoundState,
    W,
    Y,
)
from accord.forecast.exchange_rows import nbs_seen, side_valid, store_move
from accord.forecast.rex import randomise_row

__all__ = ["Draws", "calculate", "evaluate_rows"]

DRAW_BLOCK = 1 << 16
"""Uniform draws fetched from the generator at a time."""


class Draws:
    """Uniform draws on [0, 1) from a seeded generator, fetched in blocks and consumed
    in order: the same sequence as drawing each value when it is needed (numpy's
    ``Generator.random`` turns one 64-bit output into one double, whatever the block
    size)."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.buffer: FloatArray = np.empty(0)
        self.pos = 0

    def ensure(self, count: int) -> None:
        """Make at least ``count`` unused draws available from ``pos``."""
        if len(self.buffer) - self.pos < count:
            fresh = self.rng.random(max(DRAW_BLOCK, count))
            self.buffer = np.concatenate((self.buffer[self.pos :], fresh))
            self.pos = 0

    def next(self) -> float:
        self.ensure(1)
        self.pos += 1
        return float(self.buffer[self.pos - 1])


_NO_DRAWS: FloatArray = np.empty(0)


def calculate(
    cands: Candidates,
    state: RoundState,
    idx: IntArray,
    p: float = 0.0,
    draws: Draws | None = None,
) -> None:
    """Evaluate candidates ``idx`` (Equal Gain, the caps, validity; REX's split with
    ``p > 0``, drawing from ``draws``)."""
    g_off, g_val = state.g_off.ravel(), state.g_val.ravel()
    if p <= 0.0:
        evaluate_rows(cands.data, cands.seen, g_off, g_val, idx, 0.0, _NO_DRAWS, 0)
        return
    if draws is None:
        raise ValueError("REX needs draws")
    draws.ensure(3 * len(idx))
    draws.pos = evaluate_rows(cands.data, cands.seen, g_off, g_val, idx, p, draws.buffer, draws.pos)


@jit
def _equal_gain(data: FloatArray, e: int) -> bool:
    """Equal Gain shifts of both sides; writes moves, voting positions and the gain and
    returns whether both moves are valid and the gain is worth realising."""
    o1 = PER_SIDE
    xs0, xs1 = data[e, XS], data[e, o1 + XS]
    target0, target1 = data[e, o1 + XD], data[e, XD]
    cs0, cs1 = data[e, CS], data[e, o1 + CS]
    w0, w1 = data[e, W], data[e, o1 + W]
    full0, full1 = abs(target0 - xs0), abs(target1 - xs1)
    fcw0, fcw1 = full0 * cs0 / w0, full1 * cs1 / w1
    sup0, sup1 = data[e, S_SUP], data[e, o1 + S_SUP]
    dem0, dem1 = data[e, S_DEM], data[e, o1 + S_DEM]
    num0, num1 = sup0 + dem1, sup1 + dem0
    den0, den1 = dem0 + sup1, dem1 + sup0
    dq = fcw1 * num1 / den1
    move_i = dq * w0 / cs0
    over = move_i > full0
    if over:  # I's full move is the binding one: I lands on J's position
        dq = fcw0
        dp = dq * num0 / den0
        size0, size1 = full0, dp * w1 / cs1
    else:  # J lands on I's position
        dp = fcw1
        size0, size1 = move_i, full1
    store_move(data, e, 0, size0, target0, over)
    store_move(data, e, o1, size1, target1, not over)
    data[e, GAIN] = abs(dq * sup0 - dp * dem0)
    return side_valid(data, e, 0) and side_valid(data, e, o1) and data[e, GAIN] >= MIN_GAIN


@jit_inline
def _cap_at_nbs(data: FloatArray, e: int, shifts: FloatArray, a: int) -> None:
    """Decide's ``check_nbs`` for side ``a``: when its shift would carry its supply
    issue's NBS strictly past the partner's position, shrink it so the NBS lands exactly
    there and recompute the partner's shift from the equal-gain relation.

    Two details follow Decide's arithmetic (``adjusted_nbs_by_position``): an NBS
    within ``EDGE`` of the position counts as on it, so nothing is cut (Decide's exact
    test when an earlier cap put the NBS there); and the shrunk shift is measured with
    the supplier where the partner last saw it move this round, if it did — Decide's
    ``updates`` override the supplier's own position in that sum, so the NBS is then
    the one the partner has seen, ``(Σcsx + shifts seen) / W`` — while the shift still
    starts from the supplier's current position. (A seen position is a realised
    voting position, never the start position: realised moves are not zero.)"""
    o, ob = a * PER_SIDE, (1 - a) * PER_SIDE
    target = data[e, ob + XD]
    nbs0 = nbs_seen(data, e, o, shifts, data[e, o + XS])
    nbs1 = nbs_seen(data, e, o, shifts, data[e, o + Y])
    if abs(target - nbs0) <= EDGE or not (target - nbs0) * (target - nbs1) < 0.0:
        return
    nbs_from = nbs0
    if shifts[e, a, 1] != data[e, o + X_START]:  # the partner saw this actor move
        nbs_from = (data[e, o + TOTAL] + shifts[e, a, 0]) / data[e, o + W]
    ratio_a = abs(target - nbs_from)
    ratio_b = (
        ratio_a
        * (data[e, o + S_SUP] + data[e, ob + S_DEM])
        / (data[e, o + S_DEM] + data[e, ob + S_SUP])
    )
    store_move(data, e, o, ratio_a * data[e, o + W] / data[e, o + CS], target, False)
    store_move(data, e, ob, ratio_b * data[e, ob + W] / data[e, ob + CS], data[e, o + XD], False)
    data[e, GAIN] = abs(ratio_b * data[e, ob + S_SUP] - ratio_a * data[e, ob + S_DEM])


@jit
def evaluate_rows(
    data: FloatArray,
    seen: IntArray,
    g_off: FloatArray,
    g_val: FloatArray,
    idx: IntArray,
    p: float,
    draws: FloatArray,
    pos: int,
) -> int:
    """Evaluate candidates ``idx`` (ascending) in place (moves, voting positions, gains,
    validity); with ``p > 0`` take REX's draws from ``draws[pos:]`` and return the new
    position.

    Rows are taken in blocks. Scattered rows are copied into a small contiguous buffer,
    evaluated there and copied back: the copy is a tight loop of independent loads, so
    the processor fetches many rows at once, where the arithmetic alone would wait for
    each row in turn. A block of consecutive rows is evaluated where it is."""
    n = len(idx)
    buffer = np.empty((min(n, _BLOCK), WIDTH))
    shifts = np.empty((min(n, _BLOCK), 2, 2))
    checked = np.zeros(n, dtype=np.bool_)
    for first in range(0, n, _BLOCK):
        rows = min(_BLOCK, n - first)
        block = _block(data, idx, first, rows, buffer, seen, g_off, g_val, shifts)
        for k in range(rows):
            checked[first + k] = _equal_gain(block, k)
            valid = False
            if checked[first + k]:
                _cap_at_nbs(block, k, shifts, 0)
                _cap_at_nbs(block, k, shifts, 1)
                valid = side_valid(block, k, 0) and side_valid(block, k, PER_SIDE)
            block[k, VALID] = 1.0 if valid else 0.0
            block[k, SGAIN] = block[k, GAIN]
            block[k, PER_SIDE + SGAIN] = block[k, GAIN]
        _put_back(block, data, idx, first, rows)
    count = int(checked.sum())
    if p <= 0.0 or count == 0:
        return pos
    j = 0
    for first in range(0, n, _BLOCK):
        rows = min(_BLOCK, n - first)
        block = _block(data, idx, first, rows, buffer, seen, g_off, g_val, shifts)
        for k in range(rows):
            if checked[first + k]:
                u, v, z = draws[pos + j], draws[pos + count + j], draws[pos + 2 * count + j]
                randomise_row(block, k, shifts, p, u, v, z)
                j += 1
        _put_back(block, data, idx, first, rows)
    return pos + 3 * count


_BLOCK = 256
"""Candidate rows evaluated per block (about 60 KiB: they stay in the L2 cache)."""


@jit
def _block(
    data: FloatArray,
    idx: IntArray,
    first: int,
    rows: int,
    buffer: FloatArray,
    seen: IntArray,
    g_off: FloatArray,
    g_val: FloatArray,
    shifts: FloatArray,
) -> FloatArray:
    """Rows ``idx[first:first + rows]``: a view of ``data`` when they are consecutive,
    else copied into ``buffer``. Fills ``shifts`` with the NBS shifts their sides'
    partners have seen."""
    for k in range(rows):
        e = idx[first + k]
        for side in range(2):
            shifts[k, side, 0] = g_off[seen[e, side, 0]]
            shifts[k, side, 1] = g_val[seen[e, side, 1]]
    if _consecutive(idx, first, rows):
        return data[idx[first] : idx[first] + rows]
    for k in range(rows):  # one field per cache line first: many rows in flight at once
        e = idx[first + k]
        for f in range(0, WIDTH, 8):
            buffer[k, f] = data[e, f]
        buffer[k, WIDTH - 1] = data[e, WIDTH - 1]
    for k in range(rows):
        e = idx[first + k]
        for f in range(WIDTH):
            buffer[k, f] = data[e, f]
    return buffer[:rows]


@jit
def _put_back(block: FloatArray, data: FloatArray, idx: IntArray, first: int, rows: int) -> None:
    """Copy a block back unless it is a view of ``data``."""
    if _consecutive(idx, first, rows):
        return
    for k in range(rows):
        e = idx[first + k]
        for f in range(WIDTH):
            data[e, f] = block[k, f]


@jit
def _consecutive(idx: IntArray, first: int, rows: int) -> bool:
    """Whether ``idx[first:first + rows]`` (ascending, distinct) are consecutive rows, so
    the block is a view of the table."""
    return bool(idx[first + rows - 1] - idx[first] == rows - 1)

"""Per-side primitives of the exchange model's candidate rows, compiled.

A candidate row (:mod:`accord.forecast.exchange_kernel`) holds two sides of
``PER_SIDE`` fields; ``o`` is a side's offset (0 for I, ``PER_SIDE`` for J). Functions
take the whole table and a row number rather than a row view: a view costs a
reference-count update, which is most of the time of these few arithmetic operations.
"""

from __future__ import annotations

from accord.engine.jit import jit
from accord.forecast.data import FloatArray
from accord.forecast.exchange_kernel import (
    CS,
    EDGE,
    HNEG,
    HPOS,
    HSUM,
    MIN_MOVE,
    MOVE,
    TOTAL,
    X_START,
    XS,
    W,
    Y,
)

__all__ = ["nbs_seen", "side_valid", "store_move"]


@jit
def side_valid(data: FloatArray, e: int, o: int) -> bool:
    """Decide's ``is_move_valid`` for the side at offset ``o``: a move of 1e-10..100 that
    stays on the scale and keeps the actor's moves on this supply issue in one
    direction and within a total of 100."""
    move = data[e, o + MOVE]
    y = data[e, o + Y]
    size = abs(move)
    one_way = data[e, o + HPOS] == 0.0 if move < 0.0 else data[e, o + HNEG] == 0.0
    return bool(
        size <= 100.0
        and size > MIN_MOVE
        and y >= -EDGE
        and y <= 100.0 + EDGE
        and data[e, o + HSUM] + move <= 100.0 + EDGE
        and one_way
    )


@jit
def store_move(data: FloatArray, e: int, o: int, size: float, target: float, full: bool) -> None:
    """Signed move of ``size`` towards ``target``; a full move lands exactly on it."""
    xs = data[e, o + XS]
    move = -size if xs > target else size
    data[e, o + MOVE] = move
    data[e, o + Y] = target if full else xs + move


@jit
def nbs_seen(data: FloatArray, e: int, o: int, shifts: FloatArray, at: float) -> float:
    """NBS of the supply issue of the side at offset ``o`` with that side at ``at`` and
    the other actors where the partner (the demander) has seen them move this round
    (Decide's ``adjusted_nbs``); ``shifts[e, side]`` holds the partner's summed shifts
    on the issue and where it has seen this side's actor (the round state's ``g_off``
    and ``g_val`` entries)."""
    side = 0 if o == 0 else 1
    cs = data[e, o + CS]
    start = data[e, o + X_START]
    shift = shifts[e, side, 0] - cs * (shifts[e, side, 1] - start)
    nbs: float = (data[e, o + TOTAL] + shift + cs * (at - start)) / data[e, o + W]
    return nbs

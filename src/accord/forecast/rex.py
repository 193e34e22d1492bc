"""Randomised Equal Gain (REX), Stokman's exchange model with a random gain split.

In Equal Gain both partners gain the same. REX (the ``randomized_value`` p of the
Decide software, Stokman et al.) draws u, v, z ~ U(0, 1): u picks the randomised
actor X (I when u < 0.5, else J), and X's gain becomes ``G + p·z·(G_max − G)`` when
v < 0.5, otherwise ``G − p·z·G``, where ``G_max`` is X's gain when its partner Y is
driven to indifference (zero gain). X shifts all the way to Y's position and Y's shift
is re-derived from X's new gain (``r_Y = (G' + r_X s_X,sup)/s_X,dem``); shifts are
capped at full moves and at the partner's position for the NBS, as in Equal Gain.
p = 0 is Equal Gain. The exchange keeps its equal gain G as its priority.

Compiled per row (:mod:`accord.engine.jit`); :func:`accord.forecast.exchange_eval.evaluate_rows`
calls it for each candidate that passed the Equal Gain checks, with its draws.

The Decide code's own ``eu_max`` formula and its NBS-cap branch differ from this
reading (see ``docs/how-to/forecast.md``); its REX runs are therefore compared as
distributions, not value by value.
"""

from __future__ import annotations

from accord.engine.jit import jit
from accord.forecast.data import FloatArray
from accord.forecast.exchange_kernel import (
    CS,
    PER_SIDE,
    S_DEM,
    S_SUP,
    SGAIN,
    VALID,
    XD,
    XS,
    W,
    Y,
)
from accord.forecast.exchange_rows import nbs_seen, side_valid, store_move

__all__ = ["randomise_row"]


@jit
def randomise_row(
    data: FloatArray,
    e: int,
    shifts: FloatArray,
    p: float,
    u: float,
    v: float,
    z: float,
) -> None:
    """Re-split the gain of candidate ``e`` with draws ``u, v, z``; writes both sides'
    moves, voting positions and gains (``SGAIN``) and the candidate's validity."""
    a = 0 if u < 0.5 else 1
    o, ob = a * PER_SIDE, (1 - a) * PER_SIDE
    equal = data[e, SGAIN]
    s_a_sup, s_a_dem = data[e, o + S_SUP], data[e, o + S_DEM]
    s_b_sup, s_b_dem = data[e, ob + S_SUP], data[e, ob + S_DEM]
    full_x = abs(data[e, ob + XD] - data[e, o + XS]) * data[e, o + CS] / data[e, o + W]
    full_y = abs(data[e, o + XD] - data[e, ob + XS]) * data[e, ob + CS] / data[e, ob + W]
    if v < 0.5:
        best = _max_gain(full_x, full_y, s_a_sup, s_a_dem, s_b_sup, s_b_dem)
        target = equal + p * z * (best - equal)
    else:
        target = equal - p * z * equal
    r_x = full_x
    r_y = (target + r_x * s_a_sup) / s_a_dem
    over = r_y > full_y
    if over:
        r_y = full_y
        r_x = _at_least_zero((s_a_dem * r_y - target) / s_a_sup)
    _place(data, e, o, ob, r_x, r_y, not over, over)
    for side in (a, 1 - a):  # keep each issue's NBS from passing the partner
        os, oo = side * PER_SIDE, (1 - side) * PER_SIDE
        nbs0 = nbs_seen(data, e, os, shifts, data[e, os + XS])
        nbs1 = nbs_seen(data, e, os, shifts, data[e, os + Y])
        partner = data[e, oo + XD]
        if not (partner - nbs0) * (partner - nbs1) < 0.0:
            continue
        room = abs(partner - nbs0)
        if side == a:  # the other shift is re-derived so that X keeps its drawn gain
            r_x = room
            r_y = (target + r_x * s_a_sup) / s_a_dem
        else:
            r_y = room
            r_x = _at_least_zero((s_a_dem * r_y - target) / s_a_sup)
        _place(data, e, o, ob, r_x, r_y, False, False)
    gain_x = s_a_dem * r_y - s_a_sup * r_x
    gain_y = s_b_dem * r_x - s_b_sup * r_y
    data[e, o + SGAIN] = gain_x
    data[e, ob + SGAIN] = gain_y
    valid = (
        side_valid(data, e, o) and side_valid(data, e, ob) and gain_x >= -1e-12 and gain_y >= -1e-12
    )
    data[e, VALID] = 1.0 if valid else 0.0


@jit
def _max_gain(
    full_x: float, full_y: float, s_a_sup: float, s_a_dem: float, s_b_sup: float, s_b_dem: float
) -> float:
    """X's gain when Y gains nothing (Y's shift ``r_Y = r_X s_Y,dem/s_Y,sup``), with X
    shifting fully unless that would need more than Y's full shift."""
    r_y = full_x * s_b_dem / s_b_sup
    if r_y > full_y:
        r_y = full_y
        r_x = r_y * s_b_sup / s_b_dem
    else:
        r_x = full_x
    return s_a_dem * r_y - s_a_sup * r_x


@jit
def _at_least_zero(value: float) -> float:
    return 0.0 if value < 0.0 else value


@jit
def _place(
    data: FloatArray, e: int, o: int, ob: int, r_x: float, r_y: float, full_x: bool, full_y: bool
) -> None:
    """X (offset ``o``) shifts ``r_x`` towards Y's position, Y shifts ``r_y`` towards X's
    (shifts in NBS units, moves on the 0..100 scale)."""
    store_move(data, e, o, r_x * data[e, o + W] / data[e, o + CS], data[e, ob + XD], full_x)
    store_move(data, e, ob, r_y * data[e, ob + W] / data[e, ob + CS], data[e, o + XD], full_y)

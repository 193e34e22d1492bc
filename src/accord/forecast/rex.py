"""Randomised Equal Gain (REX), Stokman's exchange model with a random gain split.

In Equal Gain both partners gain the same. REX (the ``randomized_value`` p of the
Decide software, Stokman et al.) draws u, v, z ~ U(0, 1): u picks the randomised
actor X (I when u < 0.5, else J), and X's gain becomes ``G + p·z·(G_max − G)`` when
v < 0.5, otherwise ``G − p·z·G``, where ``G_max`` is X's gain when its partner Y is
driven to indifference (zero gain). X shifts all the way to Y's position and Y's shift
is re-derived from X's new gain (``r_Y = (G' + r_X s_X,sup)/s_X,dem``); shifts are
capped at full moves and at the partner's position for the NBS, as in Equal Gain.
p = 0 is Equal Gain. The exchange keeps its equal gain G as its priority.

The Decide code's own ``eu_max`` formula and its NBS-cap branch differ from this
reading (see ``docs/how-to/forecast.md``); its REX runs are therefore compared as
distributions, not value by value.
"""

from __future__ import annotations

import numpy as np

from accord.forecast.data import FloatArray
from accord.forecast.exchange_kernel import (
    SGAIN,
    VALID,
    Block,
    BoolArray,
    RoundState,
    Sides,
    Y,
    adjusted_nbs,
    move_valid,
    nbs_passes,
    store_move,
)

__all__ = ["randomise"]


def randomise(
    block: Block, state: RoundState, rows: BoolArray, p: float, rng: np.random.Generator
) -> None:
    """Re-split the gains of the block's ``rows`` (draws u, v, z for each, in order)."""
    count = int(np.count_nonzero(rows))
    if count == 0:
        return
    draws = np.zeros((3, len(rows)))
    draws[:, rows] = rng.random((3, count))
    u, v, z = draws
    for a, pick in ((0, rows & (u < 0.5)), (1, rows & (u >= 0.5))):
        if np.any(pick):
            _randomise_side(block, state, a, pick, v, z, p)


def _randomise_side(
    block: Block, state: RoundState, a: int, pick: BoolArray, v: FloatArray, z: FloatArray, p: float
) -> None:
    sd = Sides(block, state, a)
    equal = block.rows[:, SGAIN]
    full_x = np.abs(sd.xd_b - sd.xs_a) * sd.cs_a / sd.w_a
    full_y = np.abs(sd.xd_a - sd.xs_b) * sd.cs_b / sd.w_b
    target = np.where(
        v < 0.5, equal + p * z * (_max_gain(sd, full_x, full_y) - equal), equal - p * z * equal
    )
    r_x = full_x
    with np.errstate(divide="ignore", invalid="ignore"):
        r_y = (target + r_x * sd.s_a_sup) / sd.s_a_dem
        over = r_y > full_y
        r_y = np.where(over, full_y, r_y)
        r_x = np.where(over, np.maximum((sd.s_a_dem * r_y - target) / sd.s_a_sup, 0.0), r_x)
    _place(block, sd, r_x, r_y, pick, full_x=~over, full_y=over)
    r_x, r_y = _nbs_caps(block, state, sd, r_x, r_y, target, pick)
    gain_x = sd.s_a_dem * r_y - sd.s_a_sup * r_x
    gain_y = sd.s_b_dem * r_x - sd.s_b_sup * r_y
    block.put(a, SGAIN, gain_x, pick)
    block.put(sd.b, SGAIN, gain_y, pick)
    valid = move_valid(block, a) & move_valid(block, sd.b) & (gain_x >= -1e-12) & (gain_y >= -1e-12)
    block.rows[pick, VALID] = valid[pick]


def _max_gain(sd: Sides, full_x: FloatArray, full_y: FloatArray) -> FloatArray:
    """X's gain when Y gains nothing (Y's shift ``r_Y = r_X s_Y,dem/s_Y,sup``), with X
    shifting fully unless that would need more than Y's full shift."""
    r_y = full_x * sd.s_b_dem / sd.s_b_sup
    capped = r_y > full_y
    r_y = np.where(capped, full_y, r_y)
    r_x = np.where(capped, r_y * sd.s_b_sup / sd.s_b_dem, full_x)
    result: FloatArray = sd.s_a_dem * r_y - sd.s_a_sup * r_x
    return result


def _place(
    block: Block,
    sd: Sides,
    r_x: FloatArray,
    r_y: FloatArray,
    pick: BoolArray,
    *,
    full_x: BoolArray,
    full_y: BoolArray,
) -> None:
    xs_a, xs_b = sd.xs_a.copy(), sd.xs_b.copy()
    store_move(block, sd.a, r_x * sd.w_a / sd.cs_a, xs_a, sd.xd_b, full=full_x, mask=pick)
    store_move(block, sd.b, r_y * sd.w_b / sd.cs_b, xs_b, sd.xd_a, full=full_y, mask=pick)


def _nbs_caps(
    block: Block,
    state: RoundState,
    sd: Sides,
    r_x: FloatArray,
    r_y: FloatArray,
    target: FloatArray,
    pick: BoolArray,
) -> tuple[FloatArray, FloatArray]:
    """Keep each issue's NBS from passing the demanding partner's position; the other
    shift is re-derived so that X keeps its drawn gain."""
    none = np.zeros(len(pick), dtype=bool)
    for side in (sd.a, sd.b):
        view = sd if side == sd.a else Sides(block, state, side)
        nbs0 = adjusted_nbs(view, view.xs_a)
        y = block.get(side, Y)
        passes = pick & nbs_passes(view.xd_b, nbs0, adjusted_nbs(view, y))
        if not np.any(passes):
            continue
        room = np.abs(view.xd_b - nbs0)
        if side == sd.a:
            r_x = np.where(passes, room, r_x)
            r_y = np.where(passes, (target + r_x * sd.s_a_sup) / sd.s_a_dem, r_y)
        else:
            r_y = np.where(passes, room, r_y)
            r_x = np.where(passes, np.maximum((sd.s_a_dem * r_y - target) / sd.s_a_sup, 0.0), r_x)
        _place(block, sd, r_x, r_y, passes, full_x=none, full_y=none)
    return r_x, r_y

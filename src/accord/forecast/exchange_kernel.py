"""Array kernels of Stokman's exchange model, Equal Gain (Stokman & Van Oosten 1994).

Positions are on 0..100. On issue d the outcome is the Nash bargaining solution
``O_d = Σ c s x / W_d`` with ``W_d = Σ c s`` (Stokman & Van den Bos 1992). Two actors
on opposite sides of O on two issues p and q can exchange: the one with the smaller
``s_p/s_q`` (J) shifts on p towards the other's position, the other (I) on q, at
exchange rates that give both the same utility gain.

Every candidate exchange of a round is one row of :attr:`Candidates.data` (its two
sides' positions, moves, move history and constants); :func:`calculate` gathers the
rows of any subset once, evaluates them together and writes them back. Side 0 of a
candidate is I (supplies q, demands p), side 1 is J (supplies p, demands q), as in the
Decide software of Stokman's group (``decide-exchange-model``).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
from numpy.typing import NDArray

from accord.forecast.data import FloatArray

__all__ = [
    "Block",
    "Candidates",
    "RoundState",
    "Sides",
    "adjusted_nbs",
    "calculate",
    "col",
    "evaluate",
    "generate",
    "move_valid",
    "nbs_passes",
    "store_move",
]

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

MIN_GAIN = 1e-10
"""Exchanges with a smaller gain are not worth realising (Decide)."""
MIN_MOVE = 1e-10
EDGE = 1e-9
"""Float slack on the 0..100 scale edges and the 100-point move budget."""

(XS, XD, HSUM, HPOS, HNEG, MOVE, Y, SGAIN, CS, W, S_SUP, S_DEM, X_START, TOTAL) = range(14)
"""Per-side fields of a candidate row: supply and demand positions, the kept moves'
sum and whether any was ≥ 0 / ≤ 0, the current move, voting position and gain, and the
constants c·s, W and Σcsx of the supply issue, the saliences on the supply and demand
issues and the start position."""
PER_SIDE = 14
GAIN, VALID = 2 * PER_SIDE, 2 * PER_SIDE + 1
WIDTH = 2 * PER_SIDE + 2
CHUNK = 16384
"""Rows evaluated per call of the kernels (without REX, larger sets are split)."""


def col(side: int, field: int) -> int:
    """Column of ``field`` for ``side`` in a candidate row."""
    return side * PER_SIDE + field


@dataclass
class RoundState:
    """Start-of-round positions and the NBS shifts realised exchanges have announced.

    ``g_val[b, d, a]`` is where demander b has seen supplier a move on issue d in the
    round's realised exchanges (its start position until then); every candidate in
    which b demands d computes d's NBS with those positions (Decide's per-exchange
    ``updates``, which are the same for all of them). ``g_off[b, d]`` sums their shifts
    ``c·s·(g_val − x)``."""

    x: FloatArray
    s: FloatArray
    c: FloatArray
    cs: FloatArray
    w: FloatArray
    total: FloatArray
    g_val: FloatArray
    g_has: NDArray[np.bool_]
    g_off: FloatArray

    @classmethod
    def start(cls, x: FloatArray, s: FloatArray, c: FloatArray) -> RoundState:
        n, m = x.shape
        cs = c * s
        seen = np.broadcast_to(x.T[None, :, :], (n, m, n)).copy()
        return cls(
            x,
            s,
            c,
            cs,
            cs.sum(axis=0),
            (cs * x).sum(axis=0),
            seen,
            np.zeros((n, m, n), dtype=bool),
            np.zeros((n, m)),
        )

    @property
    def nbs(self) -> FloatArray:
        return np.divide(self.total, self.w, out=np.zeros_like(self.w), where=self.w > 0)

    def announce(self, demander: int, issue: int, supplier: int, y: float) -> None:
        """Record that ``supplier`` moved on ``issue`` to ``y`` in an exchange with
        ``demander``. A second move keeps the value nearer the start position
        (Decide's ``update_updates``)."""
        start = float(self.x[supplier, issue])
        seen = float(self.g_val[demander, issue, supplier])
        if self.g_has[demander, issue, supplier]:
            new = min(seen, y) if start <= seen else max(seen, y)
        else:
            new = y
        self.g_off[demander, issue] += self.cs[supplier, issue] * (new - seen)
        self.g_val[demander, issue, supplier] = new
        self.g_has[demander, issue, supplier] = True


@dataclass
class Candidates:
    """Every candidate exchange of a round: ``actor``/``supply``/``demand`` indexed
    ``[side, candidate]``, one ``data`` row per candidate (columns :func:`col`) and, per
    side, the flat keys of the NBS shifts its partner has seen (``seen[c, side]``)."""

    actor: IntArray
    supply: IntArray
    demand: IntArray
    data: FloatArray
    seen: IntArray

    def __len__(self) -> int:
        return int(self.actor.shape[1])

    def field(self, side: int, name: int, idx: IntArray | slice = slice(None)) -> FloatArray:
        return self.data[idx, col(side, name)]


def generate(state: RoundState, eligible: BoolArray) -> Candidates:
    """All candidate exchanges, in Decide's order: issue pairs (p, q) in input order;
    within each, actors right of O on both (group A) × left on both (D), then left on
    p only (B) × left on q only (C), actors in input order. ``eligible[a, d]``: actor a
    takes part in issue d with c·s > 0. "Left" means x ≤ O."""
    left = state.x <= state.nbs[None, :]
    parts: list[tuple[IntArray, IntArray, int, int]] = []
    for first_issue, second_issue in combinations(range(state.x.shape[1]), 2):
        both = eligible[:, first_issue] & eligible[:, second_issue]
        group = left[:, first_issue].astype(np.int64) + 2 * left[:, second_issue].astype(np.int64)
        for g1, g2 in ((0, 3), (1, 2)):
            first = np.flatnonzero(both & (group == g1))
            second = np.flatnonzero(both & (group == g2))
            pairs = (np.repeat(first, len(second)), np.tile(second, len(first)))
            parts.append((*pairs, first_issue, second_issue))
    i = np.concatenate([part[0] for part in parts]).astype(np.int64)
    j = np.concatenate([part[1] for part in parts]).astype(np.int64)
    p = np.concatenate([np.full(len(part[0]), part[2]) for part in parts]).astype(np.int64)
    q = np.concatenate([np.full(len(part[0]), part[3]) for part in parts]).astype(np.int64)
    return _assign_roles(state, i, j, p, q)


def _assign_roles(
    state: RoundState, i: IntArray, j: IntArray, p: IntArray, q: IntArray
) -> Candidates:
    """The actor with the smaller s_p/s_q supplies p (J); the other supplies q (I)."""
    s, x = state.s, state.x
    n_actors, m = x.shape
    swap = s[i, p] / s[i, q] < s[j, p] / s[j, q]
    actor = np.stack([np.where(swap, j, i), np.where(swap, i, j)])
    supply, demand = np.stack([q, p]), np.stack([p, q])
    data = np.zeros((len(i), WIDTH))
    for side in (0, 1):
        a, sup, dem = actor[side], supply[side], demand[side]
        for name, values in (
            (XS, x[a, sup]),
            (XD, x[a, dem]),
            (CS, state.cs[a, sup]),
            (W, state.w[sup]),
            (S_SUP, s[a, sup]),
            (S_DEM, s[a, dem]),
            (X_START, x[a, sup]),
            (TOTAL, state.total[sup]),
        ):
            data[:, col(side, name)] = values
    seen_by = actor[::-1] * m + supply
    seen = np.stack([seen_by, seen_by * n_actors + actor], axis=-1).transpose(1, 0, 2)
    return Candidates(actor, supply, demand, data, np.ascontiguousarray(seen))


class Block:
    """The rows of a subset of candidates, gathered once and written back once."""

    def __init__(self, cands: Candidates, idx: IntArray) -> None:
        self.cands, self.idx = cands, idx
        # Field-major copy: every column the kernels read or write is contiguous.
        self.columns = np.ascontiguousarray(np.take(cands.data, idx, axis=0).T)
        self.rows = self.columns.T
        self.seen = np.take(cands.seen, idx, axis=0)

    def get(self, side: int, name: int) -> FloatArray:
        return self.rows[:, col(side, name)]

    def put(self, side: int, name: int, values: FloatArray, mask: BoolArray | None = None) -> None:
        target = self.rows[:, col(side, name)]
        if mask is None:
            target[:] = values
        else:
            target[mask] = values[mask] if values.shape == mask.shape else values

    def commit(self) -> None:
        self.cands.data[self.idx] = self.rows


class Sides:
    """A block seen from a supplying side ``a`` and its partner ``b`` (``*_a`` are a's
    values on its supply issue, ``s_a_dem`` a's salience on b's supply issue)."""

    def __init__(self, block: Block, state: RoundState, a: int) -> None:
        b = 1 - a
        self.block, self.a, self.b = block, a, b
        get = block.get
        self.cs_a, self.cs_b = get(a, CS), get(b, CS)
        self.w_a, self.w_b = get(a, W), get(b, W)
        self.s_a_sup, self.s_a_dem = get(a, S_SUP), get(a, S_DEM)
        self.s_b_sup, self.s_b_dem = get(b, S_SUP), get(b, S_DEM)
        self.start_a, self.total_a = get(a, X_START), get(a, TOTAL)
        self.xd_a, self.xd_b = get(a, XD), get(b, XD)
        keys = block.seen[:, a]
        self.shift_seen = np.take(state.g_off, keys[:, 0]) - self.cs_a * (
            np.take(state.g_val, keys[:, 1]) - self.start_a
        )

    @property
    def xs_a(self) -> FloatArray:
        return self.block.get(self.a, XS)

    @property
    def xs_b(self) -> FloatArray:
        return self.block.get(self.b, XS)


def adjusted_nbs(sides: Sides, position: FloatArray) -> FloatArray:
    """NBS of side a's supply issue with a at ``position`` and the other actors where
    the partner (the demander) has seen them move this round (Decide's
    ``adjusted_nbs``)."""
    sd = sides
    return (sd.total_a + sd.shift_seen + sd.cs_a * (position - sd.start_a)) / sd.w_a


def calculate(
    cands: Candidates,
    state: RoundState,
    idx: IntArray,
    rex: tuple[float, np.random.Generator] | None = None,
) -> None:
    """Evaluate candidates ``idx``: Equal Gain rates, full-move caps, the NBS overshoot
    cap, validity, and (with ``rex = (p, rng)``) the randomised gain split."""
    evaluate(cands, state, idx, rex)


def evaluate(
    cands: Candidates,
    state: RoundState,
    idx: IntArray,
    rex: tuple[float, np.random.Generator] | None = None,
) -> tuple[BoolArray, FloatArray]:
    """:func:`calculate`, returning the candidates' new validity and gains.

    Both sides are evaluated at once as ``(rows, 2)`` arrays (side 0 is I, side 1 is
    J; ``[:, ::-1]`` is the partner): the per-call numpy overhead, not the arithmetic,
    dominates the small blocks of the realisation phase."""
    if rex is None and len(idx) > CHUNK:  # cache-sized pieces (REX draws per call)
        parts = [evaluate(cands, state, idx[k : k + CHUNK]) for k in range(0, len(idx), CHUNK)]
        return np.concatenate([v for v, _ in parts]), np.concatenate([g for _, g in parts])
    block = Block(cands, idx)
    both = _Both(block)
    checked = _equal_gain(both) & (block.rows[:, GAIN] >= MIN_GAIN)
    valid = _caps(both, state, checked) if checked.any() else checked
    columns = block.columns
    columns[VALID] = valid
    columns[col(0, SGAIN)] = columns[GAIN]
    columns[col(1, SGAIN)] = columns[GAIN]
    if rex is not None and rex[0] > 0:
        from accord.forecast.rex import randomise

        randomise(block, state, checked, rex[0], rex[1])
    block.commit()
    return columns[VALID] > 0, columns[GAIN].copy()


_SIDE_I = np.array([True, False])


class _Both:
    """A block's per-side fields as ``(rows, 2)`` views (side 0 = I, side 1 = J)."""

    def __init__(self, block: Block) -> None:
        self.block = block
        columns = block.columns
        self.sides = columns[: 2 * PER_SIDE].reshape(2, PER_SIDE, columns.shape[1])

    def get(self, name: int) -> FloatArray:
        return self.sides[:, name, :].T


def _equal_gain(both: _Both) -> BoolArray:
    """Equal Gain rates and full-move caps for both sides; writes moves, voting
    positions and gains, and returns whether both moves are valid."""
    get = both.get
    xs, xd, cs, w = get(XS), get(XD), get(CS), get(W)
    target = xd[:, ::-1]
    full = np.abs(target - xs)
    fcw = full * cs / w
    s_sup, s_dem = get(S_SUP), get(S_DEM)
    num, den = s_sup + s_dem[:, ::-1], s_dem + s_sup[:, ::-1]
    dq = fcw[:, 1] * num[:, 1] / den[:, 1]
    move_i = dq * w[:, 0] / cs[:, 0]
    over = move_i > full[:, 0]
    dq = np.where(over, fcw[:, 0], dq)
    dp = np.where(over, dq * num[:, 0] / den[:, 0], fcw[:, 1])
    size = np.empty_like(full)
    size[:, 0] = np.where(over, full[:, 0], move_i)
    size[:, 1] = np.where(over, dp * w[:, 1] / cs[:, 1], full[:, 1])
    move = np.where(xs > target, -size, size)
    lands = np.equal(over[:, None], _SIDE_I)
    get(MOVE)[:] = move
    get(Y)[:] = np.where(lands, target, xs + move)
    both.block.rows[:, GAIN] = np.abs(dq * s_sup[:, 0] - dp * s_dem[:, 0])
    return _valid_pairs(both)


def _caps(both: _Both, state: RoundState, checked: BoolArray) -> BoolArray:
    """Decide's ``check_nbs`` on the ``checked`` rows, side 0 then side 1; returns
    which of them stay valid."""
    block = both.block
    passes = checked[:, None] & _overshoots(both, state)
    if passes[:, 0].any():  # a cap on side 0 can change side 1's voting position
        _cap_at_nbs(block, state, 0, checked)
        _cap_at_nbs(block, state, 1, checked)
    elif passes[:, 1].any():
        _cap_at_nbs(block, state, 1, checked)
    else:
        return checked
    valid: BoolArray = checked & _both_valid(block)
    return valid


def _valid_pairs(both: _Both) -> BoolArray:
    """:func:`move_valid` for both sides at once, and-ed per row."""
    get = both.get
    move, y = get(MOVE), get(Y)
    size = np.abs(move)
    one_way = np.where(move < 0, get(HPOS) == 0, get(HNEG) == 0)
    valid: BoolArray = (
        (size <= 100.0)
        & (size > MIN_MOVE)
        & (y >= -EDGE)
        & (y <= 100.0 + EDGE)
        & (get(HSUM) + move <= 100.0 + EDGE)
        & one_way
    )
    ok: BoolArray = valid[:, 0] & valid[:, 1]
    return ok


def _overshoots(both: _Both, state: RoundState) -> BoolArray:
    """:func:`nbs_passes` of each side's move, before any cap (``(rows, 2)``)."""
    get = both.get
    keys = both.block.seen
    cs, start, xs = get(CS), get(X_START), get(XS)
    shift = np.take(state.g_off, keys[:, :, 0]) - cs * (np.take(state.g_val, keys[:, :, 1]) - start)
    base, w = get(TOTAL) + shift, get(W)
    nbs0 = (base + cs * (xs - start)) / w
    nbs1 = (base + cs * (get(Y) - start)) / w
    return nbs_passes(get(XD)[:, ::-1], nbs0, nbs1)


def store_move(
    block: Block,
    side: int,
    size: FloatArray,
    xs: FloatArray,
    target: FloatArray,
    *,
    full: BoolArray,
    mask: BoolArray | None = None,
) -> None:
    """Signed move towards ``target``; a full move lands exactly on it. With ``mask``,
    only those rows change."""
    move = np.where(xs > target, -size, size)
    block.put(side, MOVE, move, mask)
    block.put(side, Y, np.where(full, target, xs + move), mask)


def move_valid(block: Block, side: int) -> BoolArray:
    """Decide's ``is_move_valid``: a move of 1e-10..100 that stays on the scale, keeps
    the actor's moves on this exchange's supply issue in one direction and within a
    total of 100."""
    get = block.get
    move, y = get(side, MOVE), get(side, Y)
    size = np.abs(move)
    one_way = np.where(move < 0, get(side, HPOS) == 0, get(side, HNEG) == 0)
    valid: BoolArray = (
        (size <= 100.0)
        & (size > MIN_MOVE)
        & (y >= -EDGE)
        & (y <= 100.0 + EDGE)
        & (get(side, HSUM) + move <= 100.0 + EDGE)
        & one_way
    )
    return valid


def _both_valid(block: Block) -> BoolArray:
    both: BoolArray = move_valid(block, 0) & move_valid(block, 1)
    return both


def nbs_passes(target: FloatArray, nbs0: FloatArray, nbs1: FloatArray) -> BoolArray:
    """Whether moving the NBS from ``nbs0`` to ``nbs1`` carries it strictly past
    ``target``, the demanding partner's position (Decide's ``check_nbs`` test). An NBS
    standing exactly on the target does not count: Decide's result there hangs on
    ``Decimal`` rounding, and the strict test agrees with its published runs in more
    cases (see ``docs/how-to/forecast.md``)."""
    return (target - nbs0) * (target - nbs1) < 0


def _cap_at_nbs(block: Block, state: RoundState, a: int, rows: BoolArray) -> None:
    """Decide's ``check_nbs``: when side a's shift would carry its supply issue's NBS past
    the partner's position, shrink it so the NBS lands exactly there and recompute the
    partner's shift from the equal-gain relation. Only ``rows`` are checked."""
    sd = Sides(block, state, a)
    nbs0 = adjusted_nbs(sd, sd.xs_a)
    passes = rows & nbs_passes(sd.xd_b, nbs0, adjusted_nbs(sd, block.get(a, Y)))
    if not np.any(passes):
        return
    ratio_a = np.abs(sd.xd_b - nbs0)
    ratio_b = ratio_a * (sd.s_a_sup + sd.s_b_dem) / (sd.s_a_dem + sd.s_b_sup)
    partial = np.zeros(len(passes), dtype=bool)
    xs_a, xs_b = sd.xs_a.copy(), sd.xs_b.copy()
    store_move(block, a, ratio_a * sd.w_a / sd.cs_a, xs_a, sd.xd_b, full=partial, mask=passes)
    store_move(block, sd.b, ratio_b * sd.w_b / sd.cs_b, xs_b, sd.xd_a, full=partial, mask=passes)
    gain = np.abs(ratio_b * sd.s_b_sup - ratio_a * sd.s_b_dem)
    block.rows[passes, GAIN] = gain[passes]

"""The candidate table of Stokman's exchange model, Equal Gain (Stokman & Van Oosten 1994).

Positions are on 0..100. On issue d the outcome is the Nash bargaining solution
``O_d = Σ c s x / W_d`` with ``W_d = Σ c s`` (Stokman & Van den Bos 1992). Two actors
on opposite sides of O on two issues p and q can exchange: the one with the smaller
``s_p/s_q`` (J) shifts on p towards the other's position, the other (I) on q, at
exchange rates that give both the same utility gain.

Every candidate exchange of a round is one row of :attr:`Candidates.data` (its two
sides' positions, moves, move history and constants), written by one compiled pass
(:func:`generate`); :func:`accord.forecast.exchange_eval.evaluate_rows` evaluates any
subset of them. Side 0 of a
candidate is I (supplies q, demands p), side 1 is J (supplies p, demands q), as in the
Decide software of Stokman's group (``decide-exchange-model``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from accord.engine.jit import jit
from accord.forecast.data import FloatArray

__all__ = ["Buffers", "Candidates", "RoundState", "col", "generate"]

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


def col(side: int, field: int) -> int:
    """Column of ``field`` for ``side`` in a candidate row."""
    return side * PER_SIDE + field


class Buffers:
    """Arrays reused from round to round. A round's arrays are large (a row of 30
    numbers per candidate exchange) and a fresh array costs a page fault per 4 KiB the
    first time it is written, which on a virtual machine can take longer than the
    round's arithmetic; these keep their memory between rounds and grow when a round
    needs more."""

    def __init__(self) -> None:
        self._store: dict[str, np.ndarray] = {}

    def get(self, name: str, shape: tuple[int, ...], dtype: type = np.float64) -> np.ndarray:
        """An uninitialised C-contiguous array of ``shape``, backed by buffer ``name``."""
        size = int(np.prod(shape))
        buffer = self._store.get(name)
        if buffer is None or buffer.size < size or buffer.dtype != np.dtype(dtype):
            buffer = np.empty(size + size // 4 + 1, dtype=dtype)
            self._store[name] = buffer
        return buffer[:size].reshape(shape)

    def arange(self, n: int) -> IntArray:
        """``0, 1, …, n − 1``, a view of a kept range."""
        kept = self._store.get("arange")
        if kept is None or kept.size < n:
            kept = np.arange(n + n // 4 + 1, dtype=np.int64)
            self._store["arange"] = kept
        view: IntArray = kept[:n]
        return view

    def grow(self, name: str, current: np.ndarray, size: int) -> np.ndarray:
        """A 1-D array of ``size`` backed by buffer ``name`` that starts with the
        values of ``current`` (a view of the same buffer)."""
        kept = current.copy() if self._store[name].size < size else current
        grown = self.get(name, (size,), current.dtype.type)
        grown[: len(kept)] = kept
        return grown


@dataclass
class RoundState:
    """Start-of-round positions and the NBS shifts realised exchanges have announced.

    ``g_val[b, d, a]`` is where demander b has seen supplier a move on issue d in the
    round's realised exchanges (its start position until then); every candidate in
    which b demands d computes d's NBS with those positions (Decide's per-exchange
    ``updates``, which are the same for all of them). ``g_off[b, d]`` sums their shifts
    ``c·s·(g_val − x)``; ``g_has`` says whether b has seen a move yet. The realisation
    loop (:mod:`accord.forecast.realise`) updates them in place."""

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
    def start(
        cls, x: FloatArray, s: FloatArray, c: FloatArray, buffers: Buffers | None = None
    ) -> RoundState:
        n, m = x.shape
        buffers = buffers or Buffers()
        cs = c * s
        seen = buffers.get("g_val", (n, m, n))
        seen[:] = x.T[None, :, :]
        seen_any = buffers.get("g_has", (n, m, n), np.bool_)
        seen_any[:] = False
        return cls(
            x, s, c, cs, cs.sum(axis=0), (cs * x).sum(axis=0), seen, seen_any, np.zeros((n, m))
        )

    @property
    def nbs(self) -> FloatArray:
        return np.divide(self.total, self.w, out=np.zeros_like(self.w), where=self.w > 0)


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


def generate(state: RoundState, eligible: BoolArray, buffers: Buffers | None = None) -> Candidates:
    """All candidate exchanges, in Decide's order: issue pairs (p, q) in input order;
    within each, actors right of O on both (group A) × left on both (D), then left on
    p only (B) × left on q only (C), actors in input order. ``eligible[a, d]``: actor a
    takes part in issue d with c·s > 0. "Left" means x ≤ O. The actor with the smaller
    s_p/s_q supplies p (side 1, J); the other supplies q (side 0, I)."""
    buffers = buffers or Buffers()
    left = np.ascontiguousarray(state.x <= state.nbs[None, :])
    eligible = np.ascontiguousarray(eligible)
    n = _count_pairs(left, eligible)
    cands = Candidates(
        buffers.get("actor", (2, n), np.int64),
        buffers.get("supply", (2, n), np.int64),
        buffers.get("demand", (2, n), np.int64),
        buffers.get("data", (n, WIDTH)),
        buffers.get("seen", (n, 2, 2), np.int64),
    )
    x, s, cs = (np.ascontiguousarray(a) for a in (state.x, state.s, state.cs))
    rows = (cands.actor, cands.supply, cands.demand, cands.data, cands.seen)
    _fill_rows(left, eligible, x, s, cs, state.w, state.total, rows)
    return cands


@jit
def _group(left: BoolArray, eligible: BoolArray, a: int, p: int, q: int) -> int:
    """Actor a's side of the NBS on issues p and q (0 right of both, 1 left of p only,
    2 left of q only, 3 left of both), or -1 when it takes no part in one of them."""
    if not (eligible[a, p] and eligible[a, q]):
        return -1
    return (1 if left[a, p] else 0) + (2 if left[a, q] else 0)


@jit
def _count_pairs(left: BoolArray, eligible: BoolArray) -> int:
    """How many candidate exchanges :func:`generate` makes."""
    n_actors, m = left.shape
    total = 0
    for p in range(m):
        for q in range(p + 1, m):
            counts = np.zeros(4, dtype=np.int64)
            for a in range(n_actors):
                g = _group(left, eligible, a, p, q)
                if g >= 0:
                    counts[g] += 1
            total += counts[0] * counts[3] + counts[1] * counts[2]
    return total


@jit
def _fill_rows(
    left: BoolArray,
    eligible: BoolArray,
    x: FloatArray,
    s: FloatArray,
    cs: FloatArray,
    w: FloatArray,
    total: FloatArray,
    out: tuple[IntArray, IntArray, IntArray, FloatArray, IntArray],
) -> None:
    """Every candidate's sides, its row of fields and its keys into the round state, in
    :func:`generate`'s order."""
    n_actors, m = x.shape
    out[3][:] = 0.0  # the row fields not set below start at zero
    members = np.empty((4, n_actors), dtype=np.int64)  # actors by group, in input order
    size = np.zeros(4, dtype=np.int64)
    e = 0
    for p in range(m):
        for q in range(p + 1, m):
            size[:] = 0
            for a in range(n_actors):
                g = _group(left, eligible, a, p, q)
                if g >= 0:
                    members[g, size[g]] = a
                    size[g] += 1
            for g1, g2 in ((0, 3), (1, 2)):
                for i in members[g1, : size[g1]]:
                    for j in members[g2, : size[g2]]:
                        _fill_row(i, j, p, q, e, x, s, cs, w, total, out)
                        e += 1


@jit
def _fill_row(
    i: int,
    j: int,
    p: int,
    q: int,
    e: int,
    x: FloatArray,
    s: FloatArray,
    cs: FloatArray,
    w: FloatArray,
    total: FloatArray,
    out: tuple[IntArray, IntArray, IntArray, FloatArray, IntArray],
) -> None:
    n_actors, m = x.shape
    actor, supply, demand, data, seen = out
    swap = s[i, p] / s[i, q] < s[j, p] / s[j, q]
    actor[0, e], actor[1, e] = (j, i) if swap else (i, j)
    supply[0, e], supply[1, e] = q, p
    demand[0, e], demand[1, e] = p, q
    for side in range(2):
        a, sup, dem = actor[side, e], supply[side, e], demand[side, e]
        o = side * PER_SIDE
        data[e, o + XS] = x[a, sup]
        data[e, o + XD] = x[a, dem]
        data[e, o + CS] = cs[a, sup]
        data[e, o + W] = w[sup]
        data[e, o + S_SUP] = s[a, sup]
        data[e, o + S_DEM] = s[a, dem]
        data[e, o + X_START] = x[a, sup]
        data[e, o + TOTAL] = total[sup]
        partner = actor[1 - side, e]
        seen[e, side, 0] = partner * m + sup
        seen[e, side, 1] = (partner * m + sup) * n_actors + a

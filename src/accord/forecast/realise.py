"""The realisation phase of a round of the exchange model (Stokman & Van Oosten 1994).

Repeatedly realise the valid candidate exchange with the highest gain; every remaining
candidate that shares an (actor, supply issue) with it starts from the new voting
position, every one that shares an (actor, demand issue) sees the NBS shift it caused,
and all of them are recalculated together; invalid ones are dropped. Candidates are
found through per-key indexes, and the search for the best one runs over a live set
that is compacted as candidates die, so each step costs little more than the
candidates it touches.

Ties follow Decide's stable sort: among equal gains the candidate that was ahead in
the previous step's order wins — by earlier gains, then by generation order.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cmp_to_key

import numpy as np

from accord.forecast.data import FloatArray
from accord.forecast.exchange_kernel import (
    GAIN,
    HNEG,
    HPOS,
    HSUM,
    MOVE,
    PER_SIDE,
    SGAIN,
    VALID,
    WIDTH,
    XS,
    Candidates,
    IntArray,
    RoundState,
    Y,
    col,
    evaluate,
)

__all__ = ["TIE", "Realised", "realise"]

TIE = 1e-12
"""Relative difference below which two gains count as equal (Decide compares Decimals)."""


@dataclass(frozen=True)
class Realised:
    """A realised exchange on the 0..100 scale (indices into the table)."""

    i: int
    i_supply: int
    i_x: float
    i_y: float
    j: int
    j_supply: int
    j_x: float
    j_y: float
    gain: float
    gain_i: float
    gain_j: float


class _Index:
    """Candidate sides by (actor, issue) key, as CSR lists of side offsets and candidates."""

    def __init__(self, keys: IntArray, n_keys: int) -> None:
        flat = keys.ravel()
        order = np.argsort(flat, kind="stable")
        self.starts: list[int] = np.searchsorted(flat[order], np.arange(n_keys + 1)).tolist()
        self.cands: IntArray = order % keys.shape[1]
        self.base: IntArray = self.cands * WIDTH + order // keys.shape[1] * PER_SIDE
        """Flat offset in ``Candidates.data`` of each side's first field."""

    def find(self, key: int) -> tuple[IntArray, IntArray]:
        """The (side offsets, candidates) whose key is ``key``."""
        lo, hi = self.starts[key], self.starts[key + 1]
        return self.base[lo:hi], self.cands[lo:hi]


class _Live:
    """The live candidates' gains, compacted when half of them have died. Every live
    candidate is a member; dead members score -inf."""

    def __init__(self, gain: FloatArray, valid: np.ndarray) -> None:
        self.position = np.full(len(gain), -1, dtype=np.int64)
        self._rebuild(np.flatnonzero(valid), gain)

    def _rebuild(self, members: IntArray, gain: FloatArray) -> None:
        self.position[:] = -1
        self.members = members
        self.position[members] = np.arange(len(members))
        self.score = gain[members].astype(np.float64)
        self.count = len(members)

    def best(self) -> tuple[int, float, float]:
        """The best live candidate, its gain and the best gain of the others."""
        if self.count == 0:
            return -1, -np.inf, -np.inf
        score = self.score
        k = int(np.argmax(score))
        top = float(score[k])
        score[k] = -np.inf
        second = float(np.max(score))
        score[k] = top
        return int(self.members[k]), top, second

    def tied(self, threshold: float) -> IntArray:
        return self.members[self.score >= threshold]

    def kill(self, top: int) -> None:
        self.score[self.position[top]] = -np.inf
        self.count -= 1

    def update(self, idx: IntArray, now: np.ndarray, new: FloatArray, gain: FloatArray) -> None:
        """Live candidates ``idx`` are now alive where ``now``, with gains ``new``."""
        self.score[self.position[idx]] = np.where(now, new, -np.inf)
        self.count += int(np.count_nonzero(now)) - len(idx)
        if self.count * 2 < len(self.members):
            self._rebuild(self.members[self.score > -np.inf], gain)


class _Gains:
    """The log of gain changes, to replay Decide's stable-sort order on ties."""

    def __init__(self, cands: Candidates) -> None:
        self.initial = cands.data[:, GAIN].copy()
        self.log: list[tuple[int, IntArray, FloatArray]] = []

    def record(self, step: int, idx: IntArray, gains: FloatArray) -> None:
        self.log.append((step, idx, gains.copy()))

    def history(self, tied: IntArray, step: int) -> FloatArray:
        """Gains of ``tied`` at the start of steps 0..step-1 (columns)."""
        table = np.repeat(self.initial[tied][:, None], max(step, 1), axis=1)
        for when, idx, gains in self.log:
            if when >= step:
                continue
            hit = np.isin(idx, tied)
            for c, g in zip(idx[hit], gains[hit], strict=True):
                table[np.flatnonzero(tied == c)[0], when:] = g
        return table[:, :step]


def realise(
    cands: Candidates,
    state: RoundState,
    rex: tuple[float, np.random.Generator] | None,
    tie_rng: np.random.Generator | None,
) -> list[Realised]:
    """Realise exchanges until no valid candidate is left; returns them in order."""
    n_issues = state.x.shape[1]
    n_keys = state.x.shape[0] * n_issues
    by_supply = _Index(cands.actor * n_issues + cands.supply, n_keys)
    by_demand = _Index(cands.actor * n_issues + cands.demand, n_keys)
    alive = cands.data[:, VALID] > 0
    gain = cands.data[:, GAIN]
    live = _Live(gain, alive)
    gains = _Gains(cands)
    done: list[Realised] = []
    step = 0
    while True:
        top, best, second = live.best()
        if top < 0 or best == -np.inf:
            return done
        threshold = best - TIE * abs(best)
        if second >= threshold:
            top = _break_tie(live.tied(threshold), gains, step, tie_rng)
        alive[top] = False
        live.kill(top)
        done.append(_snapshot(cands, top))
        affected = _touch(cands, state, top, by_supply, by_demand, alive, n_issues)
        now, new = evaluate(cands, state, affected, rex)
        alive[affected] = now
        live.update(affected, now, new, cands.data[:, GAIN])
        step += 1
        gains.record(step, affected, new)


def _snapshot(cands: Candidates, e: int) -> Realised:
    row = cands.data[e]
    return Realised(
        int(cands.actor[0, e]),
        int(cands.supply[0, e]),
        float(row[col(0, XS)]),
        float(row[col(0, Y)]),
        int(cands.actor[1, e]),
        int(cands.supply[1, e]),
        float(row[col(1, XS)]),
        float(row[col(1, Y)]),
        float(row[GAIN]),
        float(row[col(0, SGAIN)]),
        float(row[col(1, SGAIN)]),
    )


def _touch(
    cands: Candidates,
    state: RoundState,
    e: int,
    by_supply: _Index,
    by_demand: _Index,
    alive: np.ndarray,
    n_issues: int,
) -> IntArray:
    """Apply realised exchange ``e`` to the candidates it affects; return them
    (sorted)."""
    actors: list[int] = cands.actor[:, e].tolist()
    supplies: list[int] = cands.supply[:, e].tolist()
    demands: list[int] = cands.demand[:, e].tolist()
    ys = (float(cands.data[e, col(0, Y)]), float(cands.data[e, col(1, Y)]))
    restart: list[tuple[IntArray, IntArray, float]] = []
    touched: list[IntArray] = []
    for k in (0, 1):
        actor, supply = actors[k], supplies[k]
        state.announce(actors[1 - k], supply, actor, ys[k])
        offsets, same = by_supply.find(actor * n_issues + supply)
        keep = alive[same]
        restart.append((offsets[keep], same[keep], ys[k]))
        _, demand = by_demand.find(actor * n_issues + demands[k])
        touched += [restart[-1][1], demand[alive[demand]]]
    _restart(cands, restart)
    return _sorted_unique(np.concatenate(touched))


def _restart(cands: Candidates, restart: list[tuple[IntArray, IntArray, float]]) -> None:
    """Restart the given candidate sides (flat offsets) from their supplier's new
    voting position.

    Decide keeps the candidate's current move in the actor's ``moves`` list (direction
    and budget checks) and restarts it from the voting position."""
    (base0, _, y0), (base1, _, y1) = restart
    if len(base0) + len(base1) == 0:
        return
    flat = cands.data.ravel()
    base = np.concatenate([base0, base1])
    move = flat[base + MOVE]
    flat[base + HSUM] += move
    flat[base + HPOS] = np.maximum(flat[base + HPOS], move >= 0)
    flat[base + HNEG] = np.maximum(flat[base + HNEG], move <= 0)
    flat[base + XS] = np.repeat([y0, y1], [len(base0), len(base1)])


def _sorted_unique(values: IntArray) -> IntArray:
    """``np.unique`` for small integer arrays (a sort and a mask beat its hash table)."""
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    unique: IntArray = ordered[keep]
    return unique


def _break_tie(
    tied: IntArray, gains: _Gains, step: int, tie_rng: np.random.Generator | None
) -> int:
    """The first of equal-gain candidates in Decide's list order (earlier gains, then
    generation order); with ``tie_rng``, a fair coin between the first two."""
    history = gains.history(tied, step)

    def compare(a: int, b: int) -> int:
        for step_back in range(history.shape[1] - 1, -1, -1):
            ga, gb = history[a, step_back], history[b, step_back]
            if abs(ga - gb) > TIE * max(abs(ga), abs(gb)):
                return -1 if ga > gb else 1
        return -1 if tied[a] < tied[b] else 1

    ranked = sorted(range(len(tied)), key=cmp_to_key(compare))
    if tie_rng is not None and tie_rng.random() >= 0.5:
        return int(tied[ranked[1]])
    return int(tied[ranked[0]])

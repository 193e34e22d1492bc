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
    calculate,
    col,
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
    """Candidate sides by (actor, issue) key, as CSR lists of ``side * N + candidate``."""

    def __init__(self, keys: IntArray, n_keys: int) -> None:
        flat = keys.ravel()
        self.order = np.argsort(flat, kind="stable")
        self.starts = np.searchsorted(flat[self.order], np.arange(n_keys + 1))
        self.size = keys.shape[1]

    def find(self, key: int) -> tuple[IntArray, IntArray]:
        """The (sides, candidates) whose key is ``key``."""
        hits = self.order[self.starts[key] : self.starts[key + 1]]
        return hits // self.size, hits % self.size


class _Live:
    """The live candidates' gains, compacted when half of them have died."""

    def __init__(self, gain: FloatArray, valid: np.ndarray) -> None:
        self.position = np.full(len(gain), -1, dtype=np.int64)
        self._rebuild(np.flatnonzero(valid), gain)

    def _rebuild(self, members: IntArray, gain: FloatArray) -> None:
        self.position[:] = -1
        self.members = members
        self.position[members] = np.arange(len(members))
        self.score = gain[members].astype(np.float64)
        self.count = len(members)

    def best(self) -> tuple[int, float]:
        if self.count == 0:
            return -1, -np.inf
        k = int(np.argmax(self.score))
        return int(self.members[k]), float(self.score[k])

    def runner_up(self, top: int) -> float:
        k = self.position[top]
        saved, self.score[k] = self.score[k], -np.inf
        second = float(np.max(self.score))
        self.score[k] = saved
        return second

    def tied(self, threshold: float) -> IntArray:
        return self.members[self.score >= threshold]

    def update(self, idx: IntArray, gain: FloatArray, alive: np.ndarray) -> None:
        k = self.position[idx]
        keep = k >= 0
        was = self.score[k[keep]] > -np.inf
        now = alive[idx[keep]]
        self.score[k[keep]] = np.where(now, gain[idx[keep]], -np.inf)
        self.count += int(np.count_nonzero(now)) - int(np.count_nonzero(was))
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
        top, best = live.best()
        if top < 0 or best == -np.inf:
            return done
        threshold = best - TIE * abs(best)
        if live.runner_up(top) >= threshold:
            top = _break_tie(live.tied(threshold), gains, step, tie_rng)
        alive[top] = False
        done.append(_snapshot(cands, top))
        affected = _touch(cands, state, top, by_supply, by_demand, alive, n_issues)
        calculate(cands, state, affected, rex)
        gain = cands.data[:, GAIN]
        alive[affected] = cands.data[affected, VALID] > 0
        live.update(np.append(affected, top), gain, alive)
        step += 1
        gains.record(step, affected, gain[affected])


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
    """Apply realised exchange ``e`` to the candidates it affects; return them."""
    touched: list[IntArray] = []
    flat = cands.data.ravel()
    for k in (0, 1):
        actor, supply = int(cands.actor[k, e]), int(cands.supply[k, e])
        y = float(cands.data[e, col(k, Y)])
        state.announce(int(cands.actor[1 - k, e]), supply, actor, y)
        sides, same = by_supply.find(actor * n_issues + supply)
        keep = alive[same]
        sides, same = sides[keep], same[keep]
        if len(same):
            # Decide keeps the candidate's current move in the actor's ``moves`` list
            # (direction and budget checks) and restarts it from the voting position.
            base = same * WIDTH + sides * PER_SIDE
            move = flat[base + MOVE]
            flat[base + HSUM] += move
            flat[base + HPOS] = np.maximum(flat[base + HPOS], move >= 0)
            flat[base + HNEG] = np.maximum(flat[base + HNEG], move <= 0)
            flat[base + XS] = y
        _, demand = by_demand.find(actor * n_issues + int(cands.demand[k, e]))
        touched += [same, demand[alive[demand]]]
    return np.unique(np.concatenate(touched))


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

"""The realisation phase of a round of the exchange model (Stokman & Van Oosten 1994).

Repeatedly realise the valid candidate exchange with the highest gain; every remaining
candidate that shares an (actor, supply issue) with it starts from the new voting
position, every one that shares an (actor, demand issue) sees the NBS shift it caused,
and all of them are recalculated together; invalid ones are dropped.

The loop is sequential by definition — each realisation changes the candidates the
next choice depends on — so it is compiled (:mod:`accord.engine.jit`): candidates are
found through per-key indexes (a counting sort of the (actor, issue) keys), the best
one through a 16-ary max-tournament tree over the live candidates' gains
(:mod:`accord.forecast.maxtree`: leftmost maximum, a few cache lines per change), so a
realisation costs little more than the candidates it touches.

Ties follow Decide's stable sort: among equal gains the candidate that was ahead in
the previous step's order wins — by its gain at the latest earlier step where the two
differed, then by generation order. The loop keeps, for every candidate, the chain of
its gain changes in a log, and decides a tie in place: the tied candidates are found in
the tree, and two are compared by walking their chains back (:func:`_ahead`), a cost in
the number of their changes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.engine.jit import jit
from accord.forecast.data import FloatArray
from accord.forecast.exchange_eval import Draws, evaluate_rows
from accord.forecast.exchange_kernel import (
    GAIN,
    HNEG,
    HPOS,
    HSUM,
    MOVE,
    PER_SIDE,
    SGAIN,
    VALID,
    XS,
    Buffers,
    Candidates,
    IntArray,
    RoundState,
    Y,
)
from accord.forecast.maxtree import (
    layout,
    tree_at_least,
    tree_build,
    tree_refresh,
    tree_root,
    tree_set,
    tree_top,
)

__all__ = ["TIE", "Realised", "realise"]

TIE = 1e-12
"""Relative difference below which two gains count as equal (Decide compares Decimals)."""

_DONE, _GROW_LOG, _NEED_DRAWS = range(3)
"""Why the compiled loop returned."""
_STEP, _LOG_LEN, _DRAW_POS, _N_DONE = range(4)
"""Slots of the loop's counters (kept between calls)."""
_FIELDS = (XS, Y, PER_SIDE + XS, PER_SIDE + Y, GAIN, SGAIN, PER_SIDE + SGAIN)
"""Row fields recorded for each realised exchange, as :attr:`Realised.values` columns."""


@dataclass(frozen=True)
class Realised:
    """The exchanges realised in a round, in order (indices into the table; positions
    on 0..100): candidate ``index``, actors and supply issues ``[k, side]``, and
    ``values[k]`` = (i_x, i_y, j_x, j_y, gain, gain_i, gain_j)."""

    index: IntArray
    actor: IntArray
    supply: IntArray
    values: FloatArray

    def __len__(self) -> int:
        return len(self.index)


def realise(
    cands: Candidates,
    state: RoundState,
    p: float,
    draws: Draws | None,
    random_ties: bool,
    buffers: Buffers | None = None,
) -> Realised:
    """Realise exchanges until no valid candidate is left (REX's split with ``p > 0``;
    ``random_ties``: a fair coin between the first two of tied candidates; both draw
    from ``draws``)."""
    if draws is None and (p > 0.0 or random_ties):
        raise ValueError("REX and random ties need draws")
    loop = _Loop(cands, state, p, draws, random_ties, buffers or Buffers())
    while True:
        status = loop.run()
        if status == _DONE:
            return loop.result()
        if status == _GROW_LOG:
            loop.grow_log()
        else:
            loop.refill()


class _Loop:
    """The compiled loop's arrays and counters for one round."""

    def __init__(
        self,
        cands: Candidates,
        state: RoundState,
        p: float,
        draws: Draws | None,
        random_ties: bool,
        buffers: Buffers,
    ) -> None:
        n_issues, n_actors = state.x.shape[1], state.x.shape[0]
        n_keys = n_actors * n_issues
        self.cands, self.p, self.draws, self.random_ties = cands, p, draws, random_ties
        self.n_issues, self.n_actors = n_issues, n_actors
        keys = buffers.get("keys", cands.actor.shape, np.int64)
        np.multiply(cands.actor, n_issues, out=keys)
        self.by_supply = _index(np.add(keys, cands.supply, out=keys), n_keys, buffers, "sup")
        np.multiply(cands.actor, n_issues, out=keys)
        self.by_demand = _index(np.add(keys, cands.demand, out=keys), n_keys, buffers, "dem")
        widest = [
            int(np.diff(index[0]).max(initial=0)) for index in (self.by_supply, self.by_demand)
        ]
        self.max_affected = 2 * sum(widest)
        self.draws_needed = (3 * self.max_affected if p > 0.0 else 0) + int(random_ties)
        n = len(cands)
        self.buffers = buffers
        self.alive = buffers.get("alive", (n,), np.bool_)
        np.greater(cands.data[:, VALID], 0.0, out=self.alive)
        self.initial = buffers.get("initial", (n,))
        self.initial[:] = cands.data[:, GAIN]
        self.last_change = buffers.get("last_change", (n,), np.int64)
        self.last_change[:] = -1
        self.tied = buffers.get("tied", (n,), np.int64)
        self.offsets = layout(n)
        self.tree = buffers.get("tree", (int(self.offsets[-1]),))
        tree_build(self.tree, self.offsets, self.initial, self.alive)
        self.scratch = buffers.get("scratch", (max(self.max_affected, 1),), np.int64)
        self.done_idx = buffers.get("done_idx", (n,), np.int64)
        self.done_values = buffers.get("done_values", (n, len(_FIELDS)))
        capacity = max(1 << 16, 4 * self.max_affected)
        self.log_when = buffers.get("log_when", (capacity,), np.int64)
        self.log_prev = buffers.get("log_prev", (capacity,), np.int64)
        self.log_gain = buffers.get("log_gain", (capacity,))
        self.counters = np.zeros(4, dtype=np.int64)
        self.state = state
        self.x = np.ascontiguousarray(state.x).ravel()
        self.cs = np.ascontiguousarray(state.cs).ravel()

    def run(self) -> int:
        draws = self.draws
        buffer = draws.buffer if draws is not None else np.empty(0)
        if draws is not None:
            self.counters[_DRAW_POS] = draws.pos
        cands, state = self.cands, self.state
        status: int = _run(
            cands.data,
            cands.seen,
            (cands.actor, cands.supply, cands.demand),
            self.by_supply,
            self.by_demand,
            self.alive,
            (self.tree, self.offsets),
            (self.scratch, self.tied),
            (state.g_off.ravel(), state.g_val.ravel(), state.g_has.ravel(), self.x, self.cs),
            self.n_issues,
            self.n_actors,
            self.done_idx,
            self.done_values,
            (self.initial, self.last_change, self.log_when, self.log_prev, self.log_gain),
            self.p,
            self.random_ties,
            buffer,
            self.counters,
            self.max_affected,
            self.draws_needed,
        )
        if draws is not None:
            draws.pos = int(self.counters[_DRAW_POS])
        return status

    def grow_log(self) -> None:
        size = 2 * len(self.log_when)
        self.log_when = self.buffers.grow("log_when", self.log_when, size)
        self.log_prev = self.buffers.grow("log_prev", self.log_prev, size)
        self.log_gain = self.buffers.grow("log_gain", self.log_gain, size)

    def refill(self) -> None:
        if self.draws is None:
            raise RuntimeError("REX and random ties need draws")
        self.draws.ensure(self.draws_needed)

    def result(self) -> Realised:
        n = int(self.counters[_N_DONE])
        index = self.done_idx[:n].copy()
        return Realised(
            index,
            self.cands.actor[:, index].T.copy(),
            self.cands.supply[:, index].T.copy(),
            self.done_values[:n].copy(),
        )


def _index(
    keys: IntArray, n_keys: int, buffers: Buffers, name: str
) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """Candidate sides by (actor, issue) key: ``(starts, ends, candidate, side)``; key
    k's entries are ``starts[k]:ends[k]``. Entries of dead candidates are dropped as
    they are met (:func:`_live_entries`), so ``ends`` shrinks."""
    n = keys.shape[1]
    starts = buffers.get(f"{name}_starts", (n_keys + 1,), np.int64)
    ends = buffers.get(f"{name}_ends", (n_keys,), np.int64)
    cand = buffers.get(f"{name}_cand", (2 * n,), np.int64)
    side = buffers.get(f"{name}_side", (2 * n,), np.int64)
    _counting_sort(keys, starts, ends, cand, side)
    return starts, ends, cand, side


@jit
def _counting_sort(
    keys: IntArray, starts: IntArray, ends: IntArray, cand: IntArray, side: IntArray
) -> None:
    """Fill a key index by counting sort (side 0 first, candidates ascending)."""
    n = keys.shape[1]
    starts[:] = 0
    for which in range(2):
        for c in range(n):
            starts[keys[which, c] + 1] += 1
    for k in range(len(ends)):
        starts[k + 1] += starts[k]
    ends[:] = starts[:-1]
    for which in range(2):
        for c in range(n):
            t = ends[keys[which, c]]
            cand[t] = c
            side[t] = which
            ends[keys[which, c]] += 1


@jit
def _live_entries(
    index: tuple[IntArray, IntArray, IntArray, IntArray], key: int, alive: np.ndarray
) -> tuple[int, int]:
    """The range of key ``key``'s entries after dropping those of dead candidates (a
    dead candidate never comes back: only live ones are recalculated). Entry order
    does not matter to the callers."""
    starts, ends, cand, side = index
    t, end = starts[key], ends[key]
    while t < end:
        if alive[cand[t]]:
            t += 1
        else:
            end -= 1
            cand[t], side[t] = cand[end], side[end]
    ends[key] = end
    return starts[key], end


@jit
def _announce(
    shifts: tuple[FloatArray, FloatArray, np.ndarray, FloatArray, FloatArray],
    demander: int,
    issue: int,
    supplier: int,
    y: float,
    n_issues: int,
    n_actors: int,
) -> None:
    """Record that ``supplier`` moved on ``issue`` to ``y`` in an exchange with
    ``demander``. A second move keeps the value nearer the start position (Decide's
    ``update_updates``)."""
    g_off, g_val, g_has, x, cs = shifts
    key = demander * n_issues + issue
    at = key * n_actors + supplier
    start = x[supplier * n_issues + issue]
    seen = g_val[at]
    new = y
    if g_has[at] and start <= seen:  # keep the nearer to the start: the smaller
        new = y if y < seen else seen
    elif g_has[at]:  # the larger
        new = y if y > seen else seen
    g_off[key] += cs[supplier * n_issues + issue] * (new - seen)
    g_val[at] = new
    g_has[at] = True


@jit
def _restart(data: FloatArray, c: int, o: int, y: float) -> None:
    """Restart a candidate side from its supplier's new voting position. Decide keeps
    the candidate's current move in the actor's ``moves`` list (direction and budget
    checks) and restarts it from the voting position."""
    move = data[c, o + MOVE]
    data[c, o + HSUM] += move
    if move >= 0.0:
        data[c, o + HPOS] = 1.0
    if move <= 0.0:
        data[c, o + HNEG] = 1.0
    data[c, o + XS] = y


@jit
def _touch(
    data: FloatArray,
    e: int,
    actor: IntArray,
    supply: IntArray,
    demand: IntArray,
    by_supply: tuple[IntArray, IntArray, IntArray, IntArray],
    by_demand: tuple[IntArray, IntArray, IntArray, IntArray],
    alive: np.ndarray,
    out: IntArray,
    shifts: tuple[FloatArray, FloatArray, np.ndarray, FloatArray, FloatArray],
    n_issues: int,
    n_actors: int,
) -> int:
    """Apply realised exchange ``e``: announce both shifts, restart the live candidate
    sides with the same (actor, supply issue); write the candidates to recalculate
    into ``out`` (ascending, each once) and return how many."""
    count = 0
    for k in range(2):
        a = actor[k, e]
        y = data[e, k * PER_SIDE + Y]
        _announce(shifts, actor[1 - k, e], supply[k, e], a, y, n_issues, n_actors)
        first, end = _live_entries(by_supply, a * n_issues + supply[k, e], alive)
        for t in range(first, end):
            _restart(data, by_supply[2][t], by_supply[3][t] * PER_SIDE, y)
            out[count] = by_supply[2][t]
            count += 1
        first, end = _live_entries(by_demand, a * n_issues + demand[k, e], alive)
        for t in range(first, end):
            out[count] = by_demand[2][t]
            count += 1
    return _sort_unique(out[:count])


@jit
def _sort_unique(values: IntArray) -> int:
    """Sort ``values`` in place, move the distinct ones to the front; return how many."""
    values.sort()
    kept = 0
    for k in range(len(values)):
        if kept == 0 or values[k] != values[kept - 1]:
            values[kept] = values[k]
            kept += 1
    return kept


@jit
def _ahead(
    a: int,
    b: int,
    step: int,
    order: tuple[FloatArray, IntArray, IntArray, IntArray, FloatArray],
) -> bool:
    """Whether tied candidate ``a`` stands ahead of ``b`` in Decide's list: the higher
    gain at the latest earlier step (column ``step − 1`` back to 0) where their gains
    differed by more than ``TIE``, else the one generated first. Each candidate's
    changes form a chain in the log (newest first); a value holds from the step its
    entry was written until the next change."""
    initial, last_change, log_when, log_prev, log_gain = order
    ea, eb = last_change[a], last_change[b]
    while ea >= 0 and log_when[ea] >= step:  # this step's recalculation: the tied gain
        ea = log_prev[ea]
    while eb >= 0 and log_when[eb] >= step:
        eb = log_prev[eb]
    while True:
        va = log_gain[ea] if ea >= 0 else initial[a]
        vb = log_gain[eb] if eb >= 0 else initial[b]
        if abs(va - vb) > TIE * max(abs(va), abs(vb)):
            return bool(va > vb)
        since_a = log_when[ea] if ea >= 0 else 0
        since_b = log_when[eb] if eb >= 0 else 0
        earlier = max(since_a, since_b) - 1
        if earlier < 0:
            return a < b
        if since_a > earlier:
            ea = log_prev[ea]
        if since_b > earlier:
            eb = log_prev[eb]


@jit
def _choose(
    maxtree: tuple[FloatArray, IntArray],
    best: float,
    tied: IntArray,
    step: int,
    order: tuple[FloatArray, IntArray, IntArray, IntArray, FloatArray],
    coin: float,
) -> int:
    """The first of the candidates whose gain ties ``best`` in Decide's list order; with
    a ``coin`` in [0, 1) (random ties), the second of them when it is at least 0.5."""
    tree, offsets = maxtree
    count = tree_at_least(tree, offsets, best - TIE * abs(best), tied)
    first, second = tied[0], -1
    for k in range(1, count):
        c = tied[k]
        if _ahead(c, first, step, order):
            first, second = c, first
        elif second < 0 or _ahead(c, second, step, order):
            second = c
    return second if coin >= 0.5 else first


@jit
def _record(
    data: FloatArray,
    affected: IntArray,
    alive: np.ndarray,
    tree: FloatArray,
    order: tuple[FloatArray, IntArray, IntArray, IntArray, FloatArray],
    at: int,
    step: int,
) -> int:
    """Take the recalculated candidates' gains and validity into ``alive`` and the
    tree's slots; log the gains that changed (from this step on) in each candidate's
    chain. Returns the new log length."""
    _, last_change, log_when, log_prev, log_gain = order
    for k in range(len(affected)):
        c = affected[k]
        gain = data[c, GAIN]
        now = data[c, VALID] > 0.0
        if now and gain != tree[c]:  # the slot still holds the gain before this step
            log_when[at], log_prev[at], log_gain[at] = step, last_change[c], gain
            last_change[c] = at
            at += 1
        alive[c] = now
        tree[c] = gain if now else -np.inf
    return at


@jit
def _run(
    data: FloatArray,
    seen: IntArray,
    sides: tuple[IntArray, IntArray, IntArray],
    by_supply: tuple[IntArray, IntArray, IntArray, IntArray],
    by_demand: tuple[IntArray, IntArray, IntArray, IntArray],
    alive: np.ndarray,
    maxtree: tuple[FloatArray, IntArray],
    scratch: tuple[IntArray, IntArray],
    shifts: tuple[FloatArray, FloatArray, np.ndarray, FloatArray, FloatArray],
    n_issues: int,
    n_actors: int,
    done_idx: IntArray,
    done_values: FloatArray,
    order: tuple[FloatArray, IntArray, IntArray, IntArray, FloatArray],
    p: float,
    random_ties: bool,
    draws: FloatArray,
    counters: IntArray,
    max_affected: int,
    draws_needed: int,
) -> int:
    """Realise exchanges until none is valid (``_DONE``) or the log or the draws need
    more room; ties are decided in place (:func:`_choose`)."""
    actor, supply, demand = sides
    tree, offsets = maxtree
    g_off, g_val = shifts[0], shifts[1]
    while True:
        if counters[_LOG_LEN] + max_affected > len(order[2]):
            return _GROW_LOG
        if draws_needed > 0 and counters[_DRAW_POS] + draws_needed > len(draws):
            return _NEED_DRAWS
        best = tree_root(tree, offsets)
        if best == -np.inf:
            return _DONE
        top = tree_top(tree, offsets)
        tree_set(tree, offsets, top, -np.inf)
        second = tree_root(tree, offsets)
        tree_set(tree, offsets, top, best)
        if second >= best - TIE * abs(best):
            coin = 0.0
            if random_ties:
                coin = draws[counters[_DRAW_POS]]
                counters[_DRAW_POS] += 1
            top = _choose(maxtree, best, scratch[1], counters[_STEP], order, coin)
        alive[top] = False
        tree_set(tree, offsets, top, -np.inf)
        n_done = counters[_N_DONE]
        done_idx[n_done] = top
        for k in range(len(_FIELDS)):
            done_values[n_done, k] = data[top, _FIELDS[k]]
        counters[_N_DONE] = n_done + 1
        step = counters[_STEP] + 1
        count = _touch(
            data, top, actor, supply, demand, by_supply, by_demand, alive, scratch[0], shifts,
            n_issues, n_actors,
        )  # fmt: skip
        affected = scratch[0][:count]
        counters[_DRAW_POS] = evaluate_rows(
            data, seen, g_off, g_val, affected, p, draws, counters[_DRAW_POS]
        )
        counters[_LOG_LEN] = _record(data, affected, alive, tree, order, counters[_LOG_LEN], step)
        tree_refresh(tree, offsets, affected)
        counters[_STEP] = step

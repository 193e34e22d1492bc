"""The exchange model's compiled realisation loop against a brute-force one.

The compiled loop (:mod:`accord.forecast.realise`) recalculates only the candidates a
realised exchange touches, finds the best through a tournament tree and keeps a log of
gain changes for ties. The reference here recalculates *every* live candidate after
every realisation and keeps the whole gain table, so it also checks that the touched
set is complete: a candidate left alone must not change.
"""

from __future__ import annotations

from functools import cmp_to_key

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.forecast.exchange_eval import Draws, calculate
from accord.forecast.exchange_kernel import (
    GAIN,
    HNEG,
    HPOS,
    HSUM,
    MOVE,
    PER_SIDE,
    VALID,
    XS,
    Candidates,
    RoundState,
    Y,
    generate,
)
from accord.forecast.maxtree import (
    layout,
    tree_at_least,
    tree_build,
    tree_root,
    tree_set,
    tree_top,
)
from accord.forecast.realise import TIE, realise

positions = st.sampled_from([0.0, 10.0, 25.0, 40.0, 50.0, 60.0, 75.0, 100.0])
weights = st.sampled_from([0.25, 0.5, 0.75, 1.0])


@st.composite
def round_inputs(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A small table with coarse values, so that equal gains (ties) are common."""
    n, m = draw(st.integers(3, 7)), draw(st.integers(2, 4))
    x = np.array(draw(st.lists(positions, min_size=n * m, max_size=n * m))).reshape(n, m)
    s = np.array(draw(st.lists(weights, min_size=n * m, max_size=n * m))).reshape(n, m)
    c = np.repeat(np.array(draw(st.lists(weights, min_size=n, max_size=n)))[:, None], m, 1)
    return x, s, c


def _announce(state: RoundState, demander: int, issue: int, supplier: int, y: float) -> None:
    start, seen = state.x[supplier, issue], state.g_val[demander, issue, supplier]
    new = y
    if state.g_has[demander, issue, supplier]:
        new = min(seen, y) if start <= seen else max(seen, y)
    state.g_off[demander, issue] += state.cs[supplier, issue] * (new - seen)
    state.g_val[demander, issue, supplier] = new
    state.g_has[demander, issue, supplier] = True


def _first(tied: np.ndarray, history: np.ndarray, coin: float = 0.0) -> int:
    """Decide's stable-sort order: the latest differing gain decides, then generation;
    a ``coin`` of at least 0.5 takes the second in that order (random ties)."""

    def compare(a: int, b: int) -> int:
        for column in range(history.shape[0] - 1, -1, -1):
            ga, gb = history[column, tied[a]], history[column, tied[b]]
            if abs(ga - gb) > TIE * max(abs(ga), abs(gb)):
                return -1 if ga > gb else 1
        return -1 if tied[a] < tied[b] else 1

    ranked = sorted(range(len(tied)), key=cmp_to_key(compare))
    return int(tied[ranked[1] if coin >= 0.5 else ranked[0]])


def brute_force(
    cands: Candidates, state: RoundState, coins: Draws | None = None
) -> list[tuple[int, float, float, float]]:
    """Realise by recalculating every live candidate after every step; ``coins``: a
    coin from it for every tie (random ties)."""
    alive = cands.data[:, VALID] > 0
    history = [cands.data[:, GAIN].copy()]
    done = []
    while alive.any():
        gain = cands.data[:, GAIN]
        best = np.max(np.where(alive, gain, -np.inf))
        tied = np.flatnonzero(alive & (gain >= best - TIE * abs(best)))
        earlier = np.array(history[:-1]).reshape(len(history) - 1, len(gain))
        coin = coins.next() if coins is not None and len(tied) > 1 else 0.0
        top = _first(tied, earlier, coin)
        row = cands.data[top]
        done.append((int(top), row[Y], row[PER_SIDE + Y], row[GAIN]))
        alive[top] = False
        for k in (0, 1):
            actor, supply = cands.actor[k, top], cands.supply[k, top]
            y = row[k * PER_SIDE + Y]
            _announce(state, cands.actor[1 - k, top], supply, actor, y)
            for side in (0, 1):
                hit = np.flatnonzero(
                    alive & (cands.actor[side] == actor) & (cands.supply[side] == supply)
                )
                o = side * PER_SIDE
                move = cands.data[hit, o + MOVE]
                cands.data[hit, o + HSUM] += move
                cands.data[hit, o + HPOS] = np.maximum(cands.data[hit, o + HPOS], move >= 0)
                cands.data[hit, o + HNEG] = np.maximum(cands.data[hit, o + HNEG], move <= 0)
                cands.data[hit, o + XS] = y
        calculate(cands, state, np.flatnonzero(alive))
        alive &= cands.data[:, VALID] > 0
        history.append(cands.data[:, GAIN].copy())
    return done


def _round(x: np.ndarray, s: np.ndarray, c: np.ndarray) -> tuple[Candidates, RoundState]:
    state = RoundState.start(x, s, c)
    cands = generate(state, np.ones(x.shape, dtype=bool))
    calculate(cands, state, np.arange(len(cands)))
    return cands, state


@settings(max_examples=40)
@given(round_inputs())
def test_compiled_realisation_equals_recalculating_everything(
    table: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> None:
    x, s, c = table
    cands, state = _round(x, s, c)
    fast = realise(cands, state, 0.0, None, random_ties=False)
    cands, state = _round(x, s, c)
    slow = brute_force(cands, state)
    assert fast.index.tolist() == [e[0] for e in slow]
    for k, (_, i_y, j_y, gain) in enumerate(slow):
        assert fast.values[k, 1] == i_y
        assert fast.values[k, 3] == j_y
        assert fast.values[k, 4] == gain


@settings(max_examples=30)
@given(round_inputs(), st.integers(0, 2**32))
def test_random_ties_take_the_same_coins_as_recalculating_everything(
    table: tuple[np.ndarray, np.ndarray, np.ndarray], seed: int
) -> None:
    x, s, c = table
    cands, state = _round(x, s, c)
    fast = realise(cands, state, 0.0, Draws(np.random.default_rng(seed)), random_ties=True)
    cands, state = _round(x, s, c)
    slow = brute_force(cands, state, Draws(np.random.default_rng(seed)))
    assert fast.index.tolist() == [e[0] for e in slow]


@given(
    st.lists(st.sampled_from([-np.inf, 0.0, 0.5, 1.0, 2.0]), min_size=1, max_size=300),
    st.lists(st.tuples(st.integers(0, 299), st.sampled_from([-np.inf, 0.0, 1.0, 3.0]))),
)
def test_tournament_tree_finds_the_leftmost_maximum_and_every_slot_above_a_value(
    values: list[float], updates: list[tuple[int, float]]
) -> None:
    slots = np.array(values)
    offsets = layout(len(slots))
    tree = np.empty(int(offsets[-1]))
    tree_build(tree, offsets, slots, np.isfinite(slots))
    for slot, value in updates:
        if slot < len(slots):
            slots[slot] = value
            tree_set(tree, offsets, slot, value)
        assert tree_root(tree, offsets) == slots.max()
        if slots.max() > -np.inf:
            assert tree_top(tree, offsets) == int(np.argmax(slots))
        for threshold in (0.0, 0.75, 2.0, 3.0):
            found = np.empty(len(slots), dtype=np.int64)
            count = tree_at_least(tree, offsets, threshold, found)
            assert found[:count].tolist() == np.flatnonzero(slots >= threshold).tolist()


@given(st.integers(0, 2**32), st.lists(st.integers(1, 70_000), min_size=1, max_size=6))
def test_draws_in_blocks_are_the_generators_sequence(seed: int, takes: list[int]) -> None:
    draws = Draws(np.random.default_rng(seed))
    got = []
    for count in takes:
        draws.ensure(count)
        got.append(draws.buffer[draws.pos : draws.pos + count].copy())
        draws.pos += count
    got.append(np.array([draws.next()]))
    expected = np.random.default_rng(seed).random(sum(takes) + 1)
    assert np.array_equal(np.concatenate(got), expected)

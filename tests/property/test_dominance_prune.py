"""Property tests: the compiled margin-dominance pruning equals the reference.

The reference is the earlier numpy implementation (less its chunking for memory):
rows in order of decreasing sum, a pass against the 256 rows of largest sum, then
blocks of 1024 compared with the rows kept so far and with themselves. The compiled skyline must
return the same mask for every input, so the inputs are made to hit its corners:
exact ties and duplicates, near-ties around ``MARGIN``, random ``eligible`` masks,
budgets, ±inf and NaN, and values so large that a dominator's sum rounds to the sum
of the row it dominates (then only the block staging decides, and the reference
keeps a row that another row dominates).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis.structured.dominance import MARGIN, prune

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

_BLOCK = 1024
_ELITES = 256


class _BudgetExceededError(Exception):
    pass


def _reference(u: FloatArray, eligible: BoolArray | None, budget: int | None) -> BoolArray:
    n, k = u.shape
    if n <= 1:
        return np.ones(n, dtype=bool)
    if eligible is None:
        eligible = np.ones((n, k), dtype=bool)
    try:
        return _reference_nd(u, eligible, budget)
    except _BudgetExceededError:
        return np.ones(n, dtype=bool)


def _dominates(by: FloatArray, rows: FloatArray, eligible: BoolArray) -> BoolArray:
    geq = np.ones((rows.shape[0], by.shape[0]), dtype=bool)
    gt = np.zeros_like(geq)
    for column in range(rows.shape[1]):
        r = rows[:, column][:, None]
        b = by[:, column][None, :]
        geq &= b >= r
        gt |= (b > r + MARGIN) & eligible[:, column][:, None]
    return np.asarray((geq & gt).any(axis=1), dtype=bool)


def _elite_survivors(u: FloatArray, eligible: BoolArray) -> npt.NDArray[np.int64]:
    order = np.argsort(-u.sum(axis=1), kind="stable")
    if len(order) <= 2 * _ELITES:
        return order
    alive = ~_dominates(u[order[:_ELITES]], u, eligible)
    return order[alive[order]]


def _reference_nd(u: FloatArray, eligible: BoolArray, budget: int | None) -> BoolArray:
    order = _elite_survivors(u, eligible)
    kept: list[npt.NDArray[np.int64]] = []
    kept_rows = np.zeros((0, u.shape[1]))
    for start in range(0, len(order), _BLOCK):
        block = order[start : start + _BLOCK]
        if kept_rows.shape[0]:
            block = block[~_dominates(kept_rows, u[block], eligible[block])]
        block = block[~_dominates(u[block], u[block], eligible[block])]
        kept.append(block)
        kept_rows = np.concatenate((kept_rows, u[block]))
        if budget is not None and kept_rows.shape[0] > budget:
            raise _BudgetExceededError
    keep = np.zeros(len(u), dtype=bool)
    keep[np.concatenate(kept)] = True
    return keep


def _utilities(kind: str, n: int, k: int, rng: np.random.Generator) -> FloatArray:
    grid = rng.integers(0, 4, (n, k)) / 4
    if kind == "grid":  # exact ties and duplicates
        return grid
    if kind == "near":  # differences of a fraction to a few margins
        return grid + rng.integers(0, 5, (n, k)) * (MARGIN / 2)
    if kind == "spread":  # anti-correlated: large frontiers
        return rng.dirichlet(np.ones(k), size=n) + rng.random((n, k)) / 10
    if kind == "special":
        values = np.array([-np.inf, np.inf, np.nan])
        special = rng.random((n, k)) < 0.05
        return np.where(special, values[rng.integers(0, 3, (n, k))], grid)
    # "absorbed": utilities near 2**30, in units u of its spacing; rows of equal
    # sums in multiples of 4u, then copies of some rows one u better on one column,
    # whose sums round back to the same value
    base = 4 * rng.multinomial(60, np.ones(k) / k, size=n)
    copies = rng.integers(0, n, n // 10)
    better = base[copies] + np.eye(k, dtype=np.int64)[rng.integers(0, k, len(copies))]
    units = np.concatenate((base, better))[:n]
    return 2.0**30 + units * np.spacing(2.0**30)


@settings(max_examples=150)
@given(
    kind=st.sampled_from(["grid", "near", "spread", "special", "absorbed"]),
    n=st.one_of(st.integers(0, 40), st.integers(500, 2600)),
    k=st.integers(3, 5),
    ineligible=st.sampled_from([None, 0.0, 0.2, 0.6]),
    budget_share=st.one_of(st.none(), st.floats(0, 1.2)),
    seed=st.integers(0, 2**32 - 1),
)
def test_prune_equals_reference(
    kind: str, n: int, k: int, ineligible: float | None, budget_share: float | None, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    u = _utilities(kind, n, k, rng)
    eligible = None if ineligible is None else rng.random((n, k)) >= ineligible
    budget = None if budget_share is None else int(budget_share * n)
    with np.errstate(invalid="ignore"):  # inf - inf in the sums
        expected = _reference(u, eligible, budget)
        assert np.array_equal(prune(u, eligible, budget), expected)
        if budget is not None:  # the budget only turns a mask of too many rows to all
            unlimited = _reference(u, eligible, None)
            assert np.array_equal(expected, unlimited) or unlimited.sum() > budget


def test_block_staging_keeps_a_row_dominated_later_in_the_order() -> None:
    """Equal sums put a dominator after 1,024 other rows: the row stays, as before."""
    k, total = 3, 50
    chain = [(a, b, total - a - b) for a in range(total + 1) for b in range(total + 1 - a)]
    base = 4 * np.array(chain)  # 1,326 rows of exactly equal sums, none dominated
    better = base[:5] + np.eye(k, dtype=np.int64)[[0, 1, 2, 0, 1]]  # same rounded sums
    u = 2.0**30 + np.concatenate((base, better)) * np.spacing(2.0**30)
    keep = prune(u)
    assert keep.all()
    assert np.array_equal(keep, _reference(u, None, None))

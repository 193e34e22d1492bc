"""Property tests: the compiled n-party Pareto filter equals the numpy one it replaced.

The reference is the earlier implementation of :func:`accord.analysis.pareto.pareto_mask`
for three or more parties below the prefilter's threshold: tie ranks, then rows in
order of decreasing rank sum in blocks of 2048, each compared with the frontier so far
and with itself. The compiled skyline must return the same mask for every input, so
the inputs are made to hit its corners: exact ties and duplicates, chains of near-ties
just inside and just outside the tolerance, many rows of equal rank sum, large
frontiers (the k-d tree) and small ones (the elites), ±inf and NaN.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis import pareto
from accord.analysis.pareto import TIE_TOLERANCE, pareto_mask

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

_BLOCK = 2048


def _tie_ranks(values: FloatArray, tolerance: float) -> IntArray:
    ranks = np.empty(values.shape, dtype=np.int64)
    for column in range(values.shape[1]):
        distinct, inverse = np.unique(values[:, column], return_inverse=True)
        group = np.concatenate(([0], np.cumsum(np.diff(distinct) > tolerance)))
        ranks[:, column] = group[inverse.ravel()]
    return ranks


def _dominated_by(candidates: IntArray, by: IntArray) -> BoolArray:
    if by.shape[0] == 0 or candidates.shape[0] == 0:
        return np.zeros(candidates.shape[0], dtype=bool)
    geq = np.ones((candidates.shape[0], by.shape[0]), dtype=bool)
    gt = np.zeros_like(geq)
    for column in range(candidates.shape[1]):
        c = candidates[:, column][:, None]
        b = by[:, column][None, :]
        geq &= b >= c
        gt |= b > c
    return np.asarray((geq & gt).any(axis=1), dtype=bool)


def _reference(values: FloatArray, tolerance: float = TIE_TOLERANCE) -> BoolArray:
    if values.shape[0] == 0:
        return np.zeros(0, dtype=bool)
    ranks = _tie_ranks(values, tolerance)
    order = np.argsort(-ranks.sum(axis=1), kind="stable")
    frontier: list[IntArray] = []
    frontier_rows = np.zeros((0, ranks.shape[1]), dtype=np.int64)
    for start in range(0, len(order), _BLOCK):
        block = order[start : start + _BLOCK]
        rows = ranks[block]
        alive = ~_dominated_by(rows, frontier_rows)
        block, rows = block[alive], rows[alive]
        alive = ~_dominated_by(rows, rows)
        block, rows = block[alive], rows[alive]
        frontier.append(block)
        frontier_rows = np.concatenate((frontier_rows, rows))
    mask = np.zeros(ranks.shape[0], dtype=bool)
    mask[np.concatenate(frontier)] = True
    return mask


def _utilities(kind: str, n: int, k: int, rng: np.random.Generator) -> FloatArray:
    grid = rng.integers(0, 4, (n, k)) / 4
    if kind == "grid":  # exact ties and duplicates
        return grid
    if kind == "near":  # chains of steps just inside and just outside the tolerance
        steps = rng.choice([0.5, 0.9, 1.1, 2.0], size=(n, k)) * TIE_TOLERANCE
        return grid + rng.integers(0, 4, (n, k)) * steps
    if kind == "equal-sums":  # integer utilities, many rows of the same rank sum
        base = rng.multinomial(12, np.ones(k) / k, size=n)
        better = base + (rng.random((n, k)) < 0.05)
        return np.asarray(np.where(rng.random((n, 1)) < 0.8, base, better), dtype=np.float64)
    if kind == "spread":  # anti-correlated: large frontiers
        return rng.dirichlet(np.ones(k), size=n) + rng.random((n, k)) / 10
    if kind == "duplicates":  # a few distinct rows, each many times
        return rng.random((max(1, n // 20), k))[rng.integers(0, max(1, n // 20), n)]
    if kind == "uniform":  # small frontiers
        return rng.random((n, k))
    values = np.array([-np.inf, np.inf, np.nan])  # "special"
    special = rng.random((n, k)) < 0.05
    return np.where(special, values[rng.integers(0, 3, (n, k))], grid)


@settings(max_examples=120)
@given(
    kind=st.sampled_from(
        ["grid", "near", "equal-sums", "spread", "duplicates", "uniform", "special"]
    ),
    n=st.one_of(st.integers(0, 60), st.integers(1000, 3000)),
    k=st.integers(3, 6),
    compiled_from=st.sampled_from([0, pareto._COMPILED_FROM]),
    seed=st.integers(0, 2**32 - 1),
)
def test_pareto_mask_equals_reference(
    kind: str, n: int, k: int, compiled_from: int, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    u = _utilities(kind, n, k, rng)
    threshold = pareto._COMPILED_FROM
    try:
        pareto._COMPILED_FROM = compiled_from  # 0: the compiled kernel on small inputs too
        mask = pareto_mask(u)
    finally:
        pareto._COMPILED_FROM = threshold
    assert np.array_equal(mask, _reference(u))


def test_compiled_kernel_keeps_ties_and_drops_dominated_rows() -> None:
    """Equal rows are all kept; a row one rank better on one column drops its copies."""
    rng = np.random.default_rng(0)
    base = rng.multinomial(30, np.ones(4) / 4, size=1500).astype(np.float64)
    u = np.concatenate((base, base[:700], base[:10] + np.eye(4)[rng.integers(0, 4, 10)]))
    mask = pareto_mask(u)
    assert np.array_equal(mask, _reference(u))
    assert mask[len(base) : len(base) + 700].sum() == mask[:700].sum()
    assert not mask[:10].any()

"""Pareto frontiers of utility vectors, vectorised.

An outcome is on the frontier when no other outcome is at least as good for every
party and strictly better for one (Pareto 1906; weak dominance excluded). Outcomes
with equal utility vectors are all kept.

Utilities closer than a tolerance are treated as equal, chained in sorted order
(as in GENIUS-based reference evaluators): each party's utilities become dense
integer *tie ranks*, and dominance is decided exactly on those ranks. This makes the
frontier independent of floating-point noise of order 1e-16.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["TIE_TOLERANCE", "pareto_mask", "tie_ranks"]

TIE_TOLERANCE = 1e-12

_ELITE_CANDIDATES = 4096
_BLOCK = 2048
_PREFILTER_FROM = 50_000
_ELITES_PER_PASS = 4
_COMPILED_FROM = 1024  # rows; below, the numpy blocks take a few ms, less than loading Numba


def tie_ranks(
    utilities: npt.NDArray[np.float64], tolerance: float = TIE_TOLERANCE
) -> npt.NDArray[np.int64]:
    """Per column, dense integer ranks where values within ``tolerance`` (chained) tie."""
    values = np.atleast_2d(np.asarray(utilities, dtype=np.float64))
    ranks = np.empty(values.shape, dtype=np.int64)
    for column in range(values.shape[1]):
        distinct, inverse = np.unique(values[:, column], return_inverse=True)
        group = np.concatenate(([0], np.cumsum(np.diff(distinct) > tolerance)))
        ranks[:, column] = group[inverse.ravel()]
    return ranks


def pareto_mask(
    utilities: npt.NDArray[np.float64], tolerance: float = TIE_TOLERANCE
) -> npt.NDArray[np.bool_]:
    """``mask[n]`` is True when row n of ``utilities`` (outcomes × parties) is non-dominated."""
    values = np.asarray(utilities, dtype=np.float64)
    if values.ndim != 2:
        raise ValueError("utilities must be a 2-D array (outcomes × parties)")
    if values.shape[0] == 0:
        return np.zeros(0, dtype=bool)
    if values.shape[1] == 1:
        return np.asarray(values[:, 0] >= values[:, 0].max() - tolerance, dtype=bool)
    survivors = _prefilter(values, tolerance) if values.shape[0] > _PREFILTER_FROM else None
    candidates = values if survivors is None else values[survivors]
    ranks = tie_ranks(candidates, tolerance)
    keep = _pareto_2d(ranks) if ranks.shape[1] == 2 else _pareto_nd(ranks)
    if survivors is None:
        return keep
    mask = np.zeros(values.shape[0], dtype=bool)
    mask[survivors[keep]] = True
    return mask


def _prefilter(values: npt.NDArray[np.float64], tolerance: float) -> npt.NDArray[np.int64]:
    """Indices of rows not clearly dominated by a few strong rows.

    The strong rows ("elites") are the frontier of the rows with the largest sum or
    the largest dominated volume. A row is discarded only when an elite is at least
    as good for every party and better by more than ``1000 × tolerance`` for one, so
    no chain of near-ties could make the two equal: the exact frontier of the
    survivors is the exact frontier of all rows.
    """
    columns = [np.ascontiguousarray(values[:, c]) for c in range(values.shape[1])]
    volume = np.zeros(values.shape[0])
    total = np.zeros(values.shape[0])
    for column in columns:  # column by column: row-wise reductions are many times slower
        low = column.min()
        scaled = (column - low) / max(column.max() - low, tolerance)
        total += scaled
        volume += np.log(scaled + 1e-3)
    top = min(_ELITE_CANDIDATES, values.shape[0] - 1)
    pool = np.union1d(np.argpartition(-volume, top)[:top], np.argpartition(-total, top)[:top])
    elite = pool[pareto_mask(values[pool], tolerance)]
    elite = elite[np.argsort(-volume[elite], kind="stable")]
    margin = 1000 * tolerance
    survivors = np.arange(values.shape[0])
    for first in range(0, len(elite), _ELITES_PER_PASS):
        alive = np.ones(len(survivors), dtype=bool)
        for row in values[elite[first : first + _ELITES_PER_PASS]]:
            covered = np.ones(len(survivors), dtype=bool)
            beyond = np.zeros(len(survivors), dtype=bool)
            for column, best in zip(columns, row, strict=True):
                covered &= column <= best
                beyond |= column < best - margin
            alive &= ~(covered & beyond)
        survivors = survivors[alive]
        columns = [column[alive] for column in columns]
    return survivors


def _pareto_2d(ranks: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    """Sweep in order of decreasing first rank, keeping each group's best second rank
    when it beats every group before it (Kung, Luccio & Preparata 1975)."""
    first, second = ranks[:, 0], ranks[:, 1]
    order = np.lexsort((-second, -first))
    first_sorted = first[order]
    second_sorted = second[order]
    starts = np.flatnonzero(np.concatenate(([True], first_sorted[1:] != first_sorted[:-1])))
    group_best = second_sorted[starts]  # sorted by -second within a group: first is max
    previous_best = np.concatenate(([-1], np.maximum.accumulate(group_best)[:-1]))
    sizes = np.diff(np.concatenate((starts, [len(order)])))
    keep_sorted = (second_sorted == np.repeat(group_best, sizes)) & (
        np.repeat(group_best > previous_best, sizes)
    )
    mask = np.zeros(len(order), dtype=bool)
    mask[order[keep_sorted]] = True
    return mask


def _dominated_by(
    candidates: npt.NDArray[np.int64], by: npt.NDArray[np.int64]
) -> npt.NDArray[np.bool_]:
    """For each candidate row: is some row of ``by`` ≥ on every column and > on one?"""
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


def _pareto_nd(ranks: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    """Non-dominated rows for 3+ parties: a sort-filter-skyline (Chomicki et al. 2003)
    in order of decreasing rank sum, since a row can only be dominated by one with a
    strictly larger sum; compiled (:mod:`accord.analysis.rank_skyline`) from
    ``_COMPILED_FROM`` rows, below that in numpy blocks."""
    order = np.argsort(-ranks.sum(axis=1), kind="stable")
    if len(order) < _COMPILED_FROM:
        return _pareto_nd_blocks(ranks, order)
    # Imported here: the compiled kernel brings Numba, which small analyses need not load.
    from accord.analysis.rank_skyline import skyline

    kept = skyline(np.ascontiguousarray(ranks[order]))
    mask = np.zeros(ranks.shape[0], dtype=bool)
    mask[order[kept]] = True
    return mask


def _pareto_nd_blocks(
    ranks: npt.NDArray[np.int64], order: npt.NDArray[np.int64]
) -> npt.NDArray[np.bool_]:
    """Rows in ``order`` (of decreasing sum) in blocks, each tested against the
    frontier so far and then against itself."""
    frontier: list[npt.NDArray[np.int64]] = []
    frontier_rows = np.zeros((0, ranks.shape[1]), dtype=np.int64)
    for start in range(0, len(order), _BLOCK):
        block = order[start : start + _BLOCK]
        rows = ranks[block]
        alive = ~_dominated_in_blocks(rows, frontier_rows)
        block, rows = block[alive], rows[alive]
        alive = ~_dominated_by(rows, rows)
        block, rows = block[alive], rows[alive]
        frontier.append(block)
        frontier_rows = np.concatenate((frontier_rows, rows))
    mask = np.zeros(ranks.shape[0], dtype=bool)
    if frontier:
        mask[np.concatenate(frontier)] = True
    return mask


def _dominated_in_blocks(
    candidates: npt.NDArray[np.int64], by: npt.NDArray[np.int64]
) -> npt.NDArray[np.bool_]:
    """:func:`_dominated_by` in row blocks so the comparison matrix stays small."""
    result = np.zeros(candidates.shape[0], dtype=bool)
    if by.shape[0] == 0:
        return result
    step = max(1, (1 << 22) // by.shape[0])
    for start in range(0, candidates.shape[0], step):
        result[start : start + step] = _dominated_by(candidates[start : start + step], by)
    return result

"""A well-spread approximation of a large frontier, with its quality bounded.

When the exact frontier of three or more parties is too large to list, we list
*supported* frontier outcomes: for many weight vectors w > 0 spread over the simplex
(a fixed-seed Dirichlet sample, plus one near each party's own corner), the outcome
maximising Σ_p w_p·u_p is Pareto-optimal (Geoffrion 1968). Each weighted sum is
maximised exactly by dynamic programming over the issues, with the interaction
states of :mod:`.frontier`, for all weight vectors at once.

Quality: every outcome satisfies w·u ≤ max w·u for each w solved, and u_p ≤ ideal_p,
so the region dominated by the true frontier lies inside the intersection of those
half-spaces. The ratio of the hypervolume dominated by the listed outcomes to the
volume of that outer region is therefore a lower bound on how much of the true
frontier's hypervolume (Zitzler & Thiele 1998) the list covers; it is estimated from
uniform samples (fixed seed, reproducible).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from accord.analysis.pareto import pareto_mask
from accord.analysis.structured.terms import Terms, split_terms
from accord.engine.compiled import CompiledModel

__all__ = ["SAMPLES", "Supported", "supported_frontier"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

SAMPLES = 20_000


@dataclass(frozen=True)
class Supported:
    rows: IntArray
    weights: int
    hypervolume_ratio: float


def supported_frontier(
    model: CompiledModel,
    parties: list[int],
    count: int,
    bounds: tuple[FloatArray, FloatArray],
    seed: int = 0,
) -> Supported:
    """Up to ``count`` supported frontier outcomes, in outcome order, and their quality.

    ``bounds`` are each party's worst and best utility over all outcomes.
    """
    k = len(parties)
    rng = np.random.default_rng(seed)
    corners = np.full((k, k), 1e-3) + np.eye(k)
    weights = np.vstack((corners, rng.dirichlet(np.ones(k), size=max(count - k, 1))))
    weights /= weights.sum(axis=1, keepdims=True)
    terms = split_terms(model, parties)
    rows, best = _maximise(terms, weights, len(model.radix))
    rows = np.unique(rows, axis=0)
    utilities = model.utilities(rows, parties)
    keep = pareto_mask(utilities)
    rows, utilities = rows[keep], utilities[keep]
    order = np.lexsort(rows.T[::-1])
    ratio = _coverage(utilities, weights, best, bounds[0], bounds[1], rng)
    return Supported(np.asarray(rows[order], dtype=np.int64), len(weights), ratio)


def _maximise(terms: Terms, weights: FloatArray, n_issues: int) -> tuple[IntArray, FloatArray]:
    """For each weight vector, an outcome maximising the weighted utility, and the maximum."""
    w = weights.T  # parties × W
    alive = np.ones((1, len(terms.multi)), dtype=bool)
    values = (terms.constant @ w)[None, :]
    steps: list[tuple[IntArray, IntArray]] = []
    for position, issue in enumerate(terms.order):
        table = terms.tables[issue]
        size = table.shape[1]
        n = alive.shape[0]
        candidate = (values[:, None, :] + (table.T @ w)[None, :, :]).reshape(n * size, -1)
        options = np.tile(np.arange(size), n)
        parents = np.repeat(np.arange(n), size)
        state = np.repeat(alive, size, axis=0)
        for c in terms.touching[issue]:
            state[:, c] &= terms.multi[c].mask(issue)[options]
        for c in terms.closing[position]:
            candidate += state[:, c][:, None] * (terms.multi[c].bonus @ w)[None, :]
        alive, values, parent, option = _best_per_state(
            candidate, state, terms.open_after[position], parents, options
        )
        steps.append((parent, option))
    final = np.argmax(values, axis=0)
    rows = np.zeros((w.shape[1], n_issues), dtype=np.int64)
    columns = np.arange(w.shape[1])
    current = final
    for position in range(len(terms.order) - 1, -1, -1):
        parent, option = steps[position]
        rows[:, terms.order[position]] = option[current, columns]
        current = parent[current, columns]
    return rows, values[final, columns]


def _best_per_state(
    candidate: FloatArray,
    state: BoolArray,
    open_terms: list[int],
    parents: IntArray,
    options: IntArray,
) -> tuple[BoolArray, FloatArray, IntArray, IntArray]:
    """Group candidates by open-term state; keep, per state and weight, the best."""
    keys = np.zeros(len(candidate), dtype=np.int64)
    for bit, c in enumerate(open_terms):
        keys |= state[:, c].astype(np.int64) << bit
    unique, inverse = np.unique(keys, return_inverse=True)
    width = candidate.shape[1]
    alive = np.zeros((len(unique), state.shape[1]), dtype=bool)
    values = np.empty((len(unique), width))
    parent = np.empty((len(unique), width), dtype=np.int64)
    option = np.empty((len(unique), width), dtype=np.int64)
    for g in range(len(unique)):
        members = np.flatnonzero(inverse == g)
        best = members[np.argmax(candidate[members], axis=0)]
        alive[g] = state[members[0]]
        values[g] = candidate[best, np.arange(width)]
        parent[g], option[g] = parents[best], options[best]
    return alive, values, parent, option


def _coverage(
    points: FloatArray,
    weights: FloatArray,
    best: FloatArray,
    reference: FloatArray,
    ideal: FloatArray,
    rng: np.random.Generator,
) -> float:
    """Hypervolume dominated by ``points`` over the volume of the outer bound (estimate)."""
    top = np.maximum(ideal, reference + 1e-12)
    box = rng.uniform(reference, top, size=(SAMPLES, points.shape[1]))
    inside = np.zeros(SAMPLES, dtype=bool)
    for start in range(0, points.shape[0], 128):
        chunk = points[start : start + 128]
        covered: BoolArray = np.all(chunk[None, :, :] >= box[:, None, :], axis=2)
        inside |= np.any(covered, axis=1)
    outer = np.ones(SAMPLES, dtype=bool)
    for start in range(0, weights.shape[0], 256):
        chunk = weights[start : start + 256]
        outer &= (box @ chunk.T <= best[start : start + 256][None, :] + 1e-12).all(axis=1)
    return float((inside & outer).sum() / max(1, outer.sum()))

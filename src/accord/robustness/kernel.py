"""The Monte Carlo kernel: verdicts of many draws over every outcome, in one pass.

The outcome space is enumerated once (option indices, interaction and red-line
matches); per chunk of draws only the numbers change. Utilities of all outcomes for
a chunk of draws are one array ``(draws, parties, outcomes)`` built by gathering the
drawn weighted value tables (additive utility, Raiffa 1982) and adding the drawn
interaction terms; acceptability, the zone of agreement and the four bargaining
solutions (Nash 1950; Kalai & Smorodinsky 1975; Kalai 1977; Harsanyi 1955) are
array reductions over the outcome axis, with the tie-breaking of
:mod:`accord.analysis.solutions`. Results are integer tallies, so chunks add up to
the same totals in any order and on any executor.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from accord.analysis.pareto import TIE_TOLERANCE, pareto_mask
from accord.analysis.solutions import SOLUTION_NAMES
from accord.engine.compiled import CompiledModel
from accord.robustness.inputs import Layout

__all__ = ["Space", "Tally", "chunk_draws", "enumerate_space", "tally_chunk"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

CELL_BUDGET = 1 << 20
"""Draw × party × outcome cells per chunk: bounds each working array at 8 MB."""

_RELATIVE_TIE = 1e-12


@dataclass(frozen=True)
class Space:
    """The enumerated outcome space and everything about it that draws do not change."""

    options: IntArray  # (outcomes, issues)
    interactions: FloatArray  # (terms, outcomes): 1.0 where the term's condition matches
    red_lines: FloatArray  # (lines, outcomes)
    chosen: IntArray  # analysed parties (rows of the compiled model)
    line_owner: FloatArray  # (lines, chosen parties): 1.0 for the line's party
    cap: float | None
    weights: FloatArray  # per chosen party: 1/k for a member of a bloc of k counted once

    @property
    def size(self) -> int:
        return int(self.options.shape[0])


def enumerate_space(
    model: CompiledModel, chosen: Sequence[int], weights: FloatArray | None = None
) -> Space:
    """Enumerate ``model``'s outcomes once (call only for spaces that fit in memory);
    ``weights`` weigh the chosen parties in the solutions (:mod:`accord.analysis.blocs`)."""
    options = model.decode(np.arange(model.n_outcomes, dtype=np.int64))
    return space_of(model, options, chosen, weights)


def space_of(
    model: CompiledModel,
    options: IntArray,
    chosen: Sequence[int],
    weights: FloatArray | None = None,
) -> Space:
    """A space of the given outcomes (rows of option indices), e.g. a draft's completions."""
    column = {party: j for j, party in enumerate(chosen)}
    owner = np.zeros((len(model.red_lines), len(chosen)))
    for n, line in enumerate(model.red_lines):
        if line.party in column:
            owner[n, column[line.party]] = 1.0
    return Space(
        options=options,
        interactions=_matches(model.interactions, options),
        red_lines=_matches(model.red_lines, options),
        chosen=np.asarray(chosen, dtype=np.int64),
        line_owner=owner,
        cap=model.cap,
        weights=np.ones(len(chosen)) if weights is None else np.asarray(weights, dtype=float),
    )


def _matches(conditions: Sequence[object], options: IntArray) -> FloatArray:
    rows = [condition.matches(options) for condition in conditions]  # type: ignore[attr-defined]
    if not rows:
        return np.zeros((0, options.shape[0]))
    return np.asarray(rows, dtype=np.float64)


def chunk_draws(space: Space) -> int:
    """Draws per chunk: fixed by the space alone, so every executor cuts alike."""
    return max(1, CELL_BUDGET // max(1, space.size * len(space.chosen)))


@dataclass
class Tally:
    """Counts over draws: zone, acceptable-to-all and solution wins per outcome."""

    draws: int
    zone: int
    acceptable: IntArray
    solutions: IntArray  # (solutions, outcomes)
    pareto: IntArray  # for the packages asked about

    def add(self, other: Tally) -> Tally:
        return Tally(
            self.draws + other.draws,
            self.zone + other.zone,
            self.acceptable + other.acceptable,
            self.solutions + other.solutions,
            self.pareto + other.pareto,
        )


def utilities(layout: Layout, space: Space, theta: FloatArray) -> FloatArray:
    """Utilities ``(draws, chosen parties, outcomes)`` of every outcome in every draw."""
    chosen = space.chosen
    weights = np.maximum(theta[:, layout.salience[chosen]], 0.0)  # (draws, parties, issues)
    if layout.normalize:
        total = weights.sum(axis=2, keepdims=True)
        weights = np.divide(weights, total, out=np.zeros_like(weights), where=total > 0)
    result = np.zeros((theta.shape[0], len(chosen), space.size))
    for issue, slots in enumerate(layout.values):
        table = weights[:, :, issue, None] * theta[:, slots[chosen]]  # (draws, parties, options)
        result += np.take(table, space.options[:, issue], axis=2)
    for term, (slot, party) in enumerate(
        zip(layout.interaction_slot, layout.interaction_party, strict=True)
    ):
        rows = np.flatnonzero(chosen == party)
        if rows.size:
            result[:, rows[0], :] += theta[:, slot, None] * space.interactions[term]
    if space.cap is not None:
        np.minimum(result, space.cap, out=result)
    return result


def acceptable(
    layout: Layout, space: Space, theta: FloatArray, holds: BoolArray, values: FloatArray
) -> BoolArray:
    """``(draws, chosen parties, outcomes)``: no red line that holds is crossed and the
    utility is at least the drawn reservation value."""
    reservations = theta[:, layout.reservation[space.chosen]]
    ok = values >= reservations[:, :, None] - TIE_TOLERANCE
    if space.red_lines.shape[0]:
        owned = holds[:, :, None] * space.line_owner[None, :, :]  # (draws, lines, parties)
        crossed = np.matmul(owned.transpose(0, 2, 1), space.red_lines) > 0.5
        ok &= ~crossed
    return ok


def tally_chunk(
    layout: Layout,
    space: Space,
    rng: np.random.Generator,
    count: int,
    packages: IntArray | None = None,
) -> Tally:
    """Draw ``count`` readings and count the verdicts; with ``packages``, also count how
    often each of them is Pareto-optimal (among the analysed parties)."""
    theta, holds = layout.draw(rng, count)
    values = utilities(layout, space, theta)
    ok_all: BoolArray = np.all(acceptable(layout, space, theta, holds, values), axis=1)
    reservations = theta[:, layout.reservation[space.chosen]]
    gains = np.maximum(values - reservations[:, :, None], 0.0)
    winners = choose(gains, ok_all, space.weights)
    solutions = np.zeros((len(SOLUTION_NAMES), space.size), dtype=np.int64)
    for row, chosen in enumerate(winners):
        solutions[row] = np.bincount(chosen[chosen >= 0], minlength=space.size)
    pareto = np.zeros(0 if packages is None else packages.shape[0], dtype=np.int64)
    if packages is not None:
        pareto = pareto_counts(values, packages)
    return Tally(
        draws=count,
        zone=int(ok_all.any(axis=1).sum()),
        acceptable=ok_all.sum(axis=0).astype(np.int64),
        solutions=solutions,
        pareto=pareto,
    )


def pareto_counts(values: FloatArray, packages: IntArray) -> IntArray:
    """For each package, in how many draws no outcome dominates it."""
    counts = np.zeros(packages.shape[0], dtype=np.int64)
    for n, package in enumerate(packages):
        own = values[:, :, package, None]
        covers = np.all(values >= own - TIE_TOLERANCE, axis=1)
        dominated = covers & np.any(values > own + TIE_TOLERANCE, axis=1)
        counts[n] = int(np.sum(~np.any(dominated, axis=1)))
    return counts


def choose(gains: FloatArray, ok: BoolArray, weights: FloatArray) -> list[IntArray]:
    """Per solution concept, the outcome chosen in each draw (−1 where the zone is empty),
    as :func:`accord.analysis.solutions.choose_solutions` chooses: ``gains`` is
    ``(draws, parties, outcomes)``, ``weights`` the parties' weights (asymmetric Nash
    product and weighted total for blocs counted once)."""
    masked = np.where(ok[:, None, :], gains, 0.0)
    ideal = masked.max(axis=2, keepdims=True)
    span = np.where(ideal > 1e-12, ideal, 1.0)
    shares = np.where(ideal > 1e-12, gains / span, 1.0)
    unit = bool(np.all(weights == 1.0))
    w = weights[None, :, None]
    total = gains.sum(axis=1) if unit else (gains * w).sum(axis=1)
    nash = gains.prod(axis=1) if unit else (gains**w).prod(axis=1)
    criteria = (nash, shares.min(axis=1), gains.min(axis=1), total)
    return [_best(criterion, total, ok, gains) for criterion in criteria]


def _best(values: FloatArray, secondary: FloatArray, ok: BoolArray, gains: FloatArray) -> IntArray:
    """The lowest-numbered outcome among the best (then the largest total gain), per draw."""
    with np.errstate(invalid="ignore"):  # draws without a zone compare −∞ with −∞
        return _best_rows(values, secondary, ok, gains)


def _best_rows(
    values: FloatArray, secondary: FloatArray, ok: BoolArray, gains: FloatArray
) -> IntArray:
    values = np.where(ok, values, -np.inf)
    top = values.max(axis=1, keepdims=True)
    tied = ok & (values >= top - _RELATIVE_TIE * np.maximum(1.0, np.abs(top)))
    _drop_dominated(tied, gains)
    second = np.where(tied, secondary, -np.inf)
    best = second.max(axis=1, keepdims=True)
    rows = tied & (second >= best - _RELATIVE_TIE * np.maximum(1.0, best))
    chosen: IntArray = np.argmax(rows, axis=1).astype(np.int64)
    chosen[~np.any(ok, axis=1)] = -1
    return chosen


def _drop_dominated(tied: BoolArray, gains: FloatArray) -> None:
    """Analysis chooses among the Pareto frontier of the acceptable outcomes (within
    ``TIE_TOLERANCE``); an outcome tied on a criterion up to rounding may be dominated.
    Only draws with several tied outcomes (degenerate ties) need this, one at a time."""
    for draw in np.flatnonzero(tied.sum(axis=1) > 1):
        rows = np.flatnonzero(tied[draw])
        keep = pareto_mask(gains[draw][:, rows].T)
        tied[draw, rows[~keep]] = False

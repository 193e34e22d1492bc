"""The outcome space as the negotiators see it, precomputed once per session.

Strategies ask two questions thousands of times a session: "what is this offer worth
to me?" and "which outcome is worth about x to me?". Neither may scan the outcome
space in Python (DESIGN §4), so a session computes, once:

* every negotiator's utility and red-line crossings of every outcome, as arrays, by
  broadcasting the additive tables over the mixed-radix grid (no decoding, no
  per-outcome Python; bit-identical to :meth:`CompiledModel.utilities`);
* per negotiator, lazily, a :class:`SortedTable` of the outcomes that cross none of
  its red lines and can ever clear its floor, sorted by its utility, so "an outcome
  worth at least x" is one :func:`numpy.searchsorted`.

Spaces larger than :data:`FULL_LIMIT` are not enumerated. The session then works on
a candidate set (bounded memory): a seeded uniform sample of the space, plus, for each
negotiator, its :data:`BEAM_WIDTH` best outcomes found by a beam search over the
additive structure (exact for additive utilities; interaction terms are added after).
Negotiators offer only candidates; outcomes from elsewhere (a mediator's
reformulation) are evaluated directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from accord.analysis.pareto import TIE_TOLERANCE, pareto_mask
from accord.analysis.solutions import choose_solutions
from accord.engine.compiled import CHUNK_SIZE, CompiledModel, Condition
from accord.protocols.spec import SimulationError

__all__ = [
    "BEAM_WIDTH",
    "FULL_LIMIT",
    "SAMPLE_SIZE",
    "Reference",
    "SortedTable",
    "UtilitySpace",
    "grid_crossed",
    "grid_utilities",
    "sort_with_ties_by_index",
    "top_outcomes",
]

FULL_LIMIT = 1 << 21
"""Largest space held whole: about 25 MB per negotiator."""
SAMPLE_SIZE = 1 << 18
BEAM_WIDTH = 1 << 15
MAX_OUTCOMES = 2**63 - 1
"""Outcomes are int64 flat indices."""

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]


class SortedTable:
    """One negotiator's offerable outcomes in ascending order of its utility."""

    def __init__(self, utilities: FloatArray, outcomes: IntArray) -> None:
        self.utilities = utilities
        self.outcomes = outcomes
        self.best = float(utilities[-1])
        self.worst = float(utilities[0])

    def position(self, level: float) -> int:
        """The position of the least outcome worth at least ``level`` (the best if none)."""
        found = int(self.utilities.searchsorted(level - TIE_TOLERANCE))
        return min(found, len(self.utilities) - 1)


@dataclass(frozen=True)
class Reference:
    """The Pareto frontier over the negotiators and the Nash point (Nash 1950).

    The Nash point is chosen among outcomes every negotiator can accept (no red line
    crossed, at least its reservation value), as :func:`accord.analyze` does; it is
    None when there are none.
    """

    frontier: IntArray
    frontier_utilities: FloatArray
    frontier_crossed: BoolArray
    nash: int | None
    nash_utilities: FloatArray | None


class UtilitySpace:
    """Every negotiator's utilities and red-line crossings over the (candidate) space."""

    def __init__(
        self,
        model: CompiledModel,
        parties: Sequence[int],
        min_floors: FloatArray,
        rng: np.random.Generator,
        full_limit: int = FULL_LIMIT,
        sample_size: int = SAMPLE_SIZE,
        beam_width: int = BEAM_WIDTH,
    ) -> None:
        if model.n_outcomes > MAX_OUTCOMES:
            raise SimulationError(
                f"the outcome space has {model.n_outcomes:.3g} outcomes; simulation "
                f"supports at most 2**63 - 1"
            )
        self.model = model
        self.parties = tuple(parties)
        self.min_floors = np.asarray(min_floors, dtype=np.float64)
        self.reservations = model.reservations[list(parties)]
        self.outcomes: IntArray | None = None
        if model.n_outcomes <= full_limit:
            self.values = np.stack([grid_utilities(model, p) for p in parties])
            self.crossed = np.stack([grid_crossed(model, p) for p in parties])
        else:
            self.outcomes = _candidates(model, parties, rng, sample_size, beam_width)
            self.values, self.crossed = _evaluate(model, self.outcomes, parties)
        self.rows = list(self.values)
        """Per negotiator, its utilities by position (fast access for the views)."""
        self.crossed_rows = list(self.crossed)
        self._tables: dict[int, SortedTable] = {}
        self._reference: Reference | None = None

    @property
    def enumerated(self) -> bool:
        """True when the whole space is held, False for a candidate sample."""
        return self.outcomes is None

    def position(self, outcome: int) -> int:
        """Where ``outcome`` is held, or -1 when it is not a candidate."""
        if self.outcomes is None:
            return outcome
        found = int(self.outcomes.searchsorted(outcome))
        held = found < self.outcomes.shape[0] and int(self.outcomes[found]) == outcome
        return found if held else -1

    def utility(self, j: int, outcome: int) -> float:
        """Negotiator j's (static) utility of ``outcome``."""
        where = self.position(outcome)
        if where >= 0:
            return float(self.rows[j][where])
        return float(self.evaluate(np.asarray([outcome], dtype=np.int64))[0][0, j])

    def crosses(self, j: int, outcome: int) -> bool:
        """Does ``outcome`` cross one of negotiator j's red lines?"""
        where = self.position(outcome)
        if where >= 0:
            return bool(self.crossed_rows[j][where])
        return bool(self.evaluate(np.asarray([outcome], dtype=np.int64))[1][0, j])

    def evaluate(self, outcomes: IntArray) -> tuple[FloatArray, BoolArray]:
        """Utilities and crossings (outcomes × negotiators) of any outcomes."""
        if self.outcomes is None:
            return self.values[:, outcomes].T, self.crossed[:, outcomes].T
        options = self.model.decode(outcomes)
        evaluation = self.model.evaluate(options, self.parties)
        return evaluation.utilities, evaluation.crossed

    def options_of(self, outcome: int) -> list[int]:
        """The option chosen on each issue (pure Python: fast for one outcome)."""
        row: list[int] = []
        rest = outcome
        for size in reversed(self.model.radix):
            rest, option = divmod(rest, size)
            row.append(option)
        row.reverse()
        return row

    def table(self, j: int) -> SortedTable:
        """Negotiator j's :class:`SortedTable` (built on first use)."""
        table = self._tables.get(j)
        if table is None:
            table = self._tables[j] = self._build_table(j)
        return table

    def _build_table(self, j: int) -> SortedTable:
        values, allowed = self.rows[j], ~self.crossed_rows[j]
        if not allowed.any():
            party = self.model.party_ids[self.parties[j]]
            raise SimulationError(f"every outcome crosses one of {party}'s red lines")
        keep = allowed & (values >= self.min_floors[j] - TIE_TOLERANCE)
        if not keep.any():  # nothing will ever be acceptable: keep its best, to offer
            keep = allowed & (values >= values[allowed].max())
        positions = np.flatnonzero(keep)
        positions = positions[sort_with_ties_by_index(values[positions])]
        return SortedTable(np.ascontiguousarray(values[positions]), self.ids(positions))

    def reference(self) -> Reference:
        """The frontier and Nash point over the negotiators (computed on first use)."""
        if self._reference is None:
            self._reference = self._build_reference()
        return self._reference

    def _build_reference(self) -> Reference:
        utilities = np.ascontiguousarray(self.values.T)
        frontier = np.flatnonzero(pareto_mask(utilities))
        acceptable = ~self.crossed.any(axis=0)
        acceptable &= (utilities >= self.reservations - TIE_TOLERANCE).all(axis=1)
        rows = np.flatnonzero(acceptable)
        nash: int | None = None
        if rows.shape[0]:
            rows = rows[pareto_mask(utilities[rows])]
            choice = choose_solutions(utilities[rows], self.reservations, self.ids(rows))["nash"]
            nash = int(rows[choice.row])
        return Reference(
            frontier=self.ids(frontier),
            frontier_utilities=utilities[frontier],
            frontier_crossed=np.ascontiguousarray(self.crossed[:, frontier].T),
            nash=None if nash is None else int(self.ids(np.asarray([nash]))[0]),
            nash_utilities=None if nash is None else utilities[nash].copy(),
        )

    def ids(self, positions: IntArray) -> IntArray:
        """Outcome indices of held positions."""
        held = positions if self.outcomes is None else self.outcomes[positions]
        return np.asarray(held, dtype=np.int64)


def sort_with_ties_by_index(values: FloatArray) -> IntArray:
    """``argsort(values)`` with equal values in index order, whatever the sort algorithm.

    The fast (SIMD, unstable) sort orders ties differently on different processors;
    re-sorting only the tied stretches by index makes the order a function of the
    data alone, so every machine of a cluster offers the same outcomes.
    """
    order = np.argsort(values)
    ordered = values[order]
    tie = ordered[1:] == ordered[:-1]
    if tie.any():
        tied = np.flatnonzero(np.concatenate(([False], tie)) | np.concatenate((tie, [False])))
        group = np.cumsum(np.concatenate(([True], ~tie)))[tied]
        order[tied] = order[tied][np.lexsort((order[tied], group))]
    return np.asarray(order, dtype=np.int64)


def _grid_mask(condition: Condition, shape: tuple[int, ...]) -> BoolArray:
    """Which outcomes of the whole space match ``condition``, by broadcasting."""
    mask = np.ones((1,) * len(shape), dtype=bool)
    for issue, allowed in zip(condition.issues, condition.allowed, strict=True):
        view = [1] * len(shape)
        view[issue] = shape[issue]
        mask = mask & allowed.reshape(view)
    return np.asarray(np.broadcast_to(mask, shape).ravel(), dtype=bool)


def grid_utilities(model: CompiledModel, party: int) -> FloatArray:
    """``party``'s utility of every outcome, in outcome-index order.

    Outer sums issue by issue, in the same order of additions as
    :meth:`CompiledModel.utilities`, so the results agree to the last bit.
    """
    total = np.zeros(1, dtype=np.float64)
    for table in model.tables:
        total = (total[:, None] + table[party][None, :]).ravel()
    for term in model.interactions:
        if term.party == party:
            total += term.value * _grid_mask(term, model.radix)
    if model.cap is not None:
        np.minimum(total, model.cap, out=total)
    return total


def grid_crossed(model: CompiledModel, party: int) -> BoolArray:
    """Does each outcome cross one of ``party``'s red lines?"""
    crossed = np.zeros(model.n_outcomes, dtype=bool)
    for line in model.red_lines:
        if line.party == party:
            crossed |= _grid_mask(line, model.radix)
    return crossed


def top_outcomes(model: CompiledModel, party: int, width: int = BEAM_WIDTH) -> IntArray:
    """``party``'s best outcomes by its additive utility: a beam search over issues.

    Keeps the ``width`` best prefixes after each issue; exact for additive utilities
    (a best outcome's prefix is among the best prefixes). Ties keep lower indices.
    """
    prefixes = np.zeros(1, dtype=np.int64)
    sums = np.zeros(1, dtype=np.float64)
    for table in model.tables:
        values = table[party]
        sums = (sums[:, None] + values[None, :]).ravel()
        prefixes = (prefixes[:, None] * values.shape[0] + np.arange(values.shape[0])).ravel()
        if sums.shape[0] > width:
            keep = np.sort(np.argsort(-sums, kind="stable")[:width])
            sums, prefixes = sums[keep], prefixes[keep]
    return prefixes


def _candidates(
    model: CompiledModel,
    parties: Sequence[int],
    rng: np.random.Generator,
    sample_size: int,
    beam_width: int,
) -> IntArray:
    parts = [rng.integers(0, model.n_outcomes, size=sample_size, dtype=np.int64)]
    parts += [top_outcomes(model, party, beam_width) for party in parties]
    return np.unique(np.concatenate(parts))


def _evaluate(
    model: CompiledModel, outcomes: IntArray, parties: Sequence[int]
) -> tuple[FloatArray, BoolArray]:
    values = np.empty((len(parties), outcomes.shape[0]), dtype=np.float64)
    crossed = np.empty((len(parties), outcomes.shape[0]), dtype=bool)
    for start in range(0, outcomes.shape[0], CHUNK_SIZE):
        part = slice(start, start + CHUNK_SIZE)
        evaluation = model.evaluate(model.decode(outcomes[part]), parties)
        values[:, part] = evaluation.utilities.T
        crossed[:, part] = evaluation.crossed.T
    return values, crossed

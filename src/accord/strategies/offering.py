"""Offering strategies: which outcome a negotiator offers, and at what utility level.

Each picks a *level* (a utility to itself) and then an outcome worth at least that
level from its sorted utility table with one :func:`numpy.searchsorted`; with an
opponent model, among the few outcomes just above the level it offers the one the
model rates best for the other side (the BOA "bidding with an opponent model",
Baarslag et al. 2014).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from accord.analysis.solutions import choose_solutions
from accord.protocols.space import SortedTable
from accord.strategies.base import OpponentModel, PartyView, Turn

__all__ = ["Frontier", "Hardline", "RandomOffers", "Reciprocal", "TimeBased", "pick"]

WINDOW = 16
"""Outcomes near the level an opponent model chooses among."""
BAND = 0.02
"""... when within this share of the negotiator's utility range of the level."""

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def pick(table: SortedTable, level: float, opponent: OpponentModel) -> int:
    """An outcome worth at least ``level`` (the least such, or the one the opponent
    model prefers among those just above it); the best outcome if none is."""
    first = table.position(level)
    if opponent.ready():
        band = level + BAND * (table.best - table.worst)
        last = max(1, int(table.utilities[first : first + WINDOW].searchsorted(band, "right")))
        candidates = table.outcomes[first : first + last]
        return int(candidates[int(np.argmax(opponent.scores(candidates)))])
    return int(table.outcomes[first])


def _floor(table: SortedTable, turn: Turn) -> float:
    """The lowest level it may go to now: its floor, within its table's range."""
    return min(max(turn.floor, table.worst), table.best)


@dataclass
class TimeBased:
    """Time-dependent concession (Faratin, Sierra & Jennings 1998, polynomial family).

    The level falls from the best outcome's utility to the floor as
    ``best − (best − floor)·t^(1/β)``: β < 1 is Boulware (holds firm until the
    deadline nears), β = 1 linear, β > 1 a conceder.
    """

    beta: float
    _table: SortedTable | None = field(default=None, repr=False)

    def reset(self, view: PartyView) -> None:
        self._table = view.table()

    def observe(self, offer: int, utility: float) -> None:
        pass

    def level(self, turn: Turn) -> float:
        table = self._table
        assert table is not None
        low = _floor(table, turn)
        return table.best - (table.best - low) * float(turn.time ** (1.0 / self.beta))

    def propose(self, turn: Turn, opponent: OpponentModel) -> int:
        assert self._table is not None
        return pick(self._table, self.level(turn), opponent)


@dataclass
class Reciprocal:
    """Tit-for-tat on concessions (Faratin et al. 1998, absolute tit-for-tat; Axelrod
    1984). It mirrors the other side's last move as measured in its own utility: when
    an offer is worth ``x`` more (less) to it than the previous one, it lowers (raises)
    its level by ``x``. It is *nice*: its first move concedes ``opening`` of its range,
    so two reciprocators do not stare at each other until the deadline.
    """

    opening: float = 0.05
    _table: SortedTable | None = field(default=None, repr=False)
    _level: float = 0.0
    _last: float | None = None

    def reset(self, view: PartyView) -> None:
        self._table = view.table()
        self._level = self._table.best
        self._last = None

    def observe(self, offer: int, utility: float) -> None:
        table = self._table
        assert table is not None
        if self._last is None:
            move = self.opening * (table.best - table.worst)
        else:
            move = utility - self._last
        self._level = min(table.best, self._level - move)
        self._last = utility

    def level(self, turn: Turn) -> float:
        assert self._table is not None
        return max(self._level, _floor(self._table, turn))

    def propose(self, turn: Turn, opponent: OpponentModel) -> int:
        assert self._table is not None
        return pick(self._table, self.level(turn), opponent)


@dataclass
class Hardline:
    """Always its best outcome: the hard-liner of the bargaining literature (Raiffa
    1982, "boulware" taken to the limit)."""

    _table: SortedTable | None = field(default=None, repr=False)

    def reset(self, view: PartyView) -> None:
        self._table = view.table()

    def observe(self, offer: int, utility: float) -> None:
        pass

    def level(self, turn: Turn) -> float:
        assert self._table is not None
        return self._table.best

    def propose(self, turn: Turn, opponent: OpponentModel) -> int:
        assert self._table is not None
        return int(self._table.outcomes[-1])


@dataclass
class RandomOffers:
    """A uniformly random outcome among those it could accept (a baseline)."""

    _view: PartyView | None = field(default=None, repr=False)

    def reset(self, view: PartyView) -> None:
        self._view = view

    def observe(self, offer: int, utility: float) -> None:
        pass

    def level(self, turn: Turn) -> float:
        assert self._view is not None
        return _floor(self._view.table(), turn)

    def propose(self, turn: Turn, opponent: OpponentModel) -> int:
        assert self._view is not None
        table = self._view.table()
        first = table.position(self.level(turn))
        return int(table.outcomes[int(self._view.rng.integers(first, table.outcomes.shape[0]))])


@dataclass
class Frontier:
    """Principled negotiation (Fisher & Ury 1981): offers only Pareto-efficient
    outcomes, moving along the frontier from its own best towards the Nash point
    (Nash 1950), which it reaches by half time and never goes past: the Nash point
    is its objective standard of fairness. It assumes complete information:
    the frontier and Nash point are the analyst's (:meth:`PartyView.reference`).
    When no outcome is acceptable to all, it heads for the Nash point of the frontier
    outcomes that cross no negotiator's red lines, with zero as disagreement point.
    """

    _view: PartyView | None = field(default=None, repr=False)
    _utilities: FloatArray = field(default_factory=lambda: np.zeros(0), repr=False)
    _outcomes: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64), repr=False)
    _target: float = 0.0

    def reset(self, view: PartyView) -> None:
        self._view = view
        reference = view.reference()
        own = ~reference.frontier_crossed[:, view.position]
        if not own.any():  # no efficient outcome it can offer: fall back on its table
            table = view.table()
            self._utilities, self._outcomes = table.utilities, table.outcomes
            self._target = table.best
            return
        utilities = reference.frontier_utilities[own, view.position]
        order = np.argsort(utilities, kind="stable")
        self._utilities = np.ascontiguousarray(utilities[order])
        self._outcomes = reference.frontier[own][order]
        self._target = _nash_level(view)

    def observe(self, offer: int, utility: float) -> None:
        pass

    def level(self, turn: Turn) -> float:
        best = float(self._utilities[-1])
        target = min(self._target, best)
        return max(best - (best - target) * min(1.0, 2.0 * turn.time), min(turn.floor, best))

    def propose(self, turn: Turn, opponent: OpponentModel) -> int:
        found = int(self._utilities.searchsorted(self.level(turn) - 1e-12))
        return int(self._outcomes[min(found, self._outcomes.shape[0] - 1)])


def _nash_level(view: PartyView) -> float:
    """Its utility at the Nash point (or the fallback described in :class:`Frontier`)."""
    reference = view.reference()
    if reference.nash_utilities is not None:
        return float(reference.nash_utilities[view.position])
    rows = np.flatnonzero(~reference.frontier_crossed.any(axis=1))
    if rows.shape[0] == 0:
        rows = np.flatnonzero(~reference.frontier_crossed[:, view.position])
    utilities = reference.frontier_utilities[rows]
    zero = np.minimum(utilities.min(axis=0), 0.0)
    choice = choose_solutions(utilities, zero, reference.frontier[rows])["nash"]
    return float(utilities[choice.row, view.position])

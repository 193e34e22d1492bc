"""The negotiator: a small object built from an offering, an acceptance and an
opponent-model part (the BOA architecture of Baarslag, Hindriks, Hendrikx, Dirkzwager
& Jonker 2014, which decoupled the ANAC agents into exactly these components).

A protocol asks a negotiator two things: :meth:`Negotiator.propose` (make an offer)
and :meth:`Negotiator.respond` (accept or reject the standing offer). Two guarantees
hold for every strategy because they are enforced here, not in each component: a
negotiator never offers an outcome that crosses one of its own red lines, and never
accepts one that does, or one worth less to it than its floor (its reservation value
as of this round, see :mod:`accord.protocols.spec`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

import numpy as np
import numpy.typing as npt

from accord.analysis.pareto import TIE_TOLERANCE
from accord.protocols.space import Reference, SortedTable, UtilitySpace

__all__ = [
    "Acceptance",
    "Action",
    "Negotiator",
    "Offering",
    "OpponentModel",
    "PartyView",
    "Turn",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


class Action(StrEnum):
    ACCEPT = "accept"
    REJECT = "reject"


@dataclass(frozen=True, slots=True)
class Turn:
    """When a negotiator acts: the round (from 1), the relative time in [0, 1]
    (Faratin et al.'s t / t_max), and its floor: the least static utility worth its
    reservation value in this round. ``patience`` and ``cost`` turn a static utility
    agreed one round later into today's terms (see :meth:`waited`)."""

    round: int
    time: float
    floor: float
    patience: float = 1.0
    cost: float = 0.0

    def waited(self, utility: float) -> float:
        """The static utility now worth as much as ``utility`` agreed a round later:
        with ``u_t = δ^e·u − c·e``, that is ``δ·u − c/δ^e`` (Rubinstein 1982: a
        responder takes an offer worth at least what waiting would bring)."""
        return utility * self.patience - self.cost


class PartyView:
    """What one negotiator knows: its own utilities over the outcome space, its red
    lines, the deadline, and its random generator (seeded, so every run replays)."""

    def __init__(
        self,
        space: UtilitySpace,
        position: int,
        party: str,
        deadline: int,
        seed: np.random.SeedSequence,
    ) -> None:
        self._space = space
        self.position = position
        self.party = party
        self.deadline = deadline
        self._seed = seed
        self.rng = np.random.default_rng(seed)
        # With the whole space held, an outcome's position is its index: read directly.
        self._row = space.rows[position] if space.enumerated else None
        self._crossed = space.crossed_rows[position] if space.enumerated else None

    def reset_rng(self) -> None:
        self.rng = np.random.default_rng(self._seed)

    @property
    def radix(self) -> tuple[int, ...]:
        return self._space.model.radix

    def utility(self, outcome: int) -> float:
        if self._row is not None:
            return float(self._row[outcome])
        return self._space.utility(self.position, outcome)

    def crosses(self, outcome: int) -> bool:
        if self._crossed is not None:
            return bool(self._crossed[outcome])
        return self._space.crosses(self.position, outcome)

    def table(self) -> SortedTable:
        """Its offerable outcomes sorted by its utility."""
        return self._space.table(self.position)

    def options_of(self, outcome: int) -> list[int]:
        return self._space.options_of(outcome)

    def options(self, outcomes: IntArray) -> IntArray:
        return self._space.model.decode(outcomes)

    def reference(self) -> Reference:
        """The Pareto frontier and Nash point of the analyst's model. Only strategies
        that assume complete information (principled) look at this."""
        return self._space.reference()


class OpponentModel(Protocol):
    """Learns about the other side from its offers."""

    def reset(self, view: PartyView) -> None: ...
    def observe(self, offer: int) -> None: ...
    def ready(self) -> bool:
        """Has it learnt enough to score outcomes?"""
        ...

    def scores(self, outcomes: IntArray) -> FloatArray:
        """Estimated value to the other side of each outcome (when :meth:`ready`)."""
        ...


class Offering(Protocol):
    """Decides which outcome to offer."""

    def reset(self, view: PartyView) -> None: ...
    def observe(self, offer: int, utility: float) -> None:
        """An offer received, with its utility to this negotiator."""
        ...

    def level(self, turn: Turn) -> float:
        """The utility (to itself) of what it would offer at ``turn``."""
        ...

    def propose(self, turn: Turn, opponent: OpponentModel) -> int: ...


class Acceptance(Protocol):
    """Decides whether to accept an offer that clears the floor and no red line."""

    def reset(self, view: PartyView) -> None: ...
    def accept(self, turn: Turn, utility: float, next_level: float) -> bool: ...


@dataclass
class Negotiator:
    """A negotiator composed of its parts; :meth:`start` gives it its view of a session."""

    name: str
    offering: Offering
    acceptance: Acceptance
    opponent: OpponentModel
    view: PartyView | None = field(default=None, repr=False)

    def start(self, view: PartyView) -> None:
        """Join a session (and forget any earlier one)."""
        self.view = view
        self.reset()

    def reset(self) -> None:
        """Back to the state it had when the session started, random generator included."""
        view = self._view()
        view.reset_rng()
        self.opponent.reset(view)
        self.offering.reset(view)
        self.acceptance.reset(view)

    def propose(self, turn: Turn) -> int:
        outcome = self.offering.propose(turn, self.opponent)
        if self._view().crosses(outcome):  # tables hold no such outcomes: a bug if so
            raise AssertionError(f"{self.name} offered an outcome crossing its red lines")
        return outcome

    def respond(self, turn: Turn, offer: int) -> Action:
        view = self._view()
        utility = view.utility(offer)
        self.opponent.observe(offer)
        self.offering.observe(offer, utility)
        if utility < turn.floor - TIE_TOLERANCE or view.crosses(offer):
            return Action.REJECT
        level = turn.waited(self.offering.level(turn))
        return Action.ACCEPT if self.acceptance.accept(turn, utility, level) else Action.REJECT

    def _view(self) -> PartyView:
        if self.view is None:
            raise RuntimeError(f"negotiator {self.name!r} has not been started")
        return self.view

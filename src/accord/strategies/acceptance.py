"""Acceptance conditions: whether to take an offer that clears the floor and no red line.

Baarslag, Hindriks & Jonker (2011), "Acceptance conditions in automated negotiation",
compare such conditions across the ANAC agents; AC_next is their baseline.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from accord.analysis.pareto import TIE_TOLERANCE
from accord.strategies.base import PartyView, Turn

__all__ = ["NextOffer", "RandomAcceptance"]


@dataclass
class NextOffer:
    """AC_next: accept an offer worth at least as much as the offer it would make next.

    With ``end`` set, it is AC_combi(T): from relative time ``end`` on it also accepts
    any offer above its floor, since a breakdown would be worth less.
    """

    end: float | None = None

    def reset(self, view: PartyView) -> None:
        pass

    def accept(self, turn: Turn, utility: float, next_level: float) -> bool:
        if self.end is not None and turn.time >= self.end:
            return True  # the negotiator has already checked the floor
        return utility >= next_level - TIE_TOLERANCE


@dataclass
class RandomAcceptance:
    """Accept with a fixed probability (the floor and red lines still apply)."""

    probability: float = 0.5
    _view: PartyView | None = field(default=None, repr=False)

    def reset(self, view: PartyView) -> None:
        self._view = view

    def accept(self, turn: Turn, utility: float, next_level: float) -> bool:
        assert self._view is not None
        return bool(self._view.rng.random() < self.probability)

"""Typed results of the core analysis. Renderers turn these into text, JSON or Markdown."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from accord.model.scenario import Party

FloatArray = npt.NDArray[np.float64]

__all__ = [
    "Analysis",
    "Assumption",
    "BlocCount",
    "Collision",
    "FrontierInfo",
    "OutcomePoint",
    "PartySummary",
    "Solution",
    "Trade",
    "TradeChange",
    "Trades",
    "Zopa",
]


ONCE = "once"
MEMBERS = "members"


@dataclass(frozen=True)
class BlocCount:
    """How blocs were counted: ``counted`` is ``"once"`` or ``"members"``; ``groups``
    maps each bloc with a member among the parties considered to those members."""

    counted: str = ONCE
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def shared(self) -> dict[str, tuple[str, ...]]:
        """The blocs with two or more members among the parties considered."""
        return {bloc: members for bloc, members in self.groups.items() if len(members) > 1}

    def weights(self, parties: Sequence[str]) -> FloatArray:
        """Each party's weight: 1/k for a member of a bloc of k counted once, else 1."""
        weights = np.ones(len(parties))
        if self.counted != ONCE:
            return weights
        for members in self.groups.values():
            for j, party in enumerate(parties):
                if party in members:
                    weights[j] = 1.0 / len(members)
        return weights

    def described(self, names: dict[str, str] | None = None) -> str:
        """``bloc (Member, Member); ...`` for the blocs with two or more members."""
        names = names or {}
        return "; ".join(
            f"{bloc} ({', '.join(names.get(m, m) for m in members)})"
            for bloc, members in self.shared.items()
        )

    def sentence(
        self, how: str, names: dict[str, str] | None = None, unit: str = "a party"
    ) -> str | None:
        """One line for text and Markdown reports, ``how`` saying what counting once
        means there (None when no bloc has two members among the parties)."""
        if not self.shared:
            return None
        described = self.described(names)
        if self.counted == ONCE:
            return (
                f"Blocs counted once: {described}: {how} (--count-bloc-members counts "
                f"each member as {unit})."
            )
        return f"Bloc members counted each as {unit} (--count-bloc-members): {described}."

    def to_data(self) -> dict[str, object]:
        """The JSON form: ``{"counted": ..., "groups": {bloc: [party ids]}}``."""
        return {
            "counted": self.counted,
            "groups": {bloc: list(members) for bloc, members in self.groups.items()},
        }


@dataclass(frozen=True)
class OutcomePoint:
    """One outcome (package) with the chosen parties' utilities.

    ``acceptable`` means no chosen party's red line is crossed and every chosen party
    is at or above its reservation value.
    """

    index: int
    outcome: dict[str, str]
    utilities: dict[str, float]
    acceptable: bool


@dataclass(frozen=True)
class Assumption:
    """A number or position that is a modelling assumption, with its rationale."""

    path: str
    rationale: str


@dataclass(frozen=True)
class PartySummary:
    id: str
    name: str
    role: str
    reservation: float
    reservation_label: str
    best: OutcomePoint
    worst: OutcomePoint
    acceptable_count: int | None
    """None when not counted: the structured path does not enumerate the space."""
    crossing_red_lines: int | None
    below_reservation: int | None

    @classmethod
    def of(
        cls,
        party: Party,
        reservation: float,
        best: OutcomePoint,
        worst: OutcomePoint,
        counts: tuple[int, int, int] | None = None,
    ) -> PartySummary:
        """The summary of ``party`` (which has preferences); ``counts`` are its
        acceptable, red-line-crossing and below-reservation outcomes, when counted."""
        assert party.preferences is not None
        acceptable, crossing, below = counts if counts is not None else (None, None, None)
        return cls(
            id=party.id,
            name=party.name,
            role=party.role.value,
            reservation=reservation,
            reservation_label=party.preferences.reservation.label,
            best=best,
            worst=worst,
            acceptable_count=acceptable,
            crossing_red_lines=crossing,
            below_reservation=below,
        )


@dataclass(frozen=True)
class Collision:
    """One constraint in a minimal set that together excludes every outcome.

    ``kind`` is ``"red_line"`` or ``"reservation"``; ``zopa_if_dropped`` is how many
    outcomes every chosen party would accept if this constraint alone were lifted.
    The counts are None when not computed (the structured path does not enumerate);
    ``opens_if_dropped`` then still says whether lifting it alone opens the zone.
    """

    party: str
    kind: str
    description: str
    excludes: int | None
    zopa_if_dropped: int | None
    evidence: tuple[str, ...] = ()
    assumed: str | None = None
    red_line: int | None = None
    """The red line's number within its party's list, from 1 (for ``--lift``)."""
    opens_if_dropped: bool | None = None


@dataclass(frozen=True)
class Zopa:
    """The zone of possible agreement: outcomes acceptable to every chosen party.

    ``size`` is None when the zone is not empty but was not counted (structured path).
    """

    size: int | None
    reasons: tuple[Collision, ...] = ()
    examples: tuple[OutcomePoint, ...] = ()
    method: str = "enumerate"
    exact: bool = True

    @property
    def empty(self) -> bool:
        return self.size == 0


@dataclass(frozen=True)
class Solution:
    """A bargaining solution chosen among acceptable outcomes; gains from reservations."""

    name: str
    point: OutcomePoint
    gains: dict[str, float]
    value: float
    ties: int | None
    """Tied acceptable frontier outcomes; None when too many to count (structured)."""
    citation: str
    method: str = "enumerate"
    exact: bool = True
    """False when the search was interrupted: the best outcome found, not proven optimal."""


@dataclass(frozen=True)
class FrontierInfo:
    """How the Pareto frontier was computed and, when approximate, how well.

    ``error_bound``: every true frontier point is within this (additive, per party) of
    a listed one; ``hypervolume_ratio``: a lower bound on the listed points' dominated
    hypervolume over the true frontier's.
    """

    method: str
    exact: bool
    size: int
    limit: int | None = None
    error_bound: float | None = None
    hypervolume_ratio: float | None = None
    note: str | None = None


@dataclass(frozen=True)
class TradeChange:
    issue: str
    before: str
    after: str


@dataclass(frozen=True)
class Trade:
    """Changing one or two issues of the reference outcome so both parties gain.

    ``logroll`` is true for a pair of changes in which each change alone would hurt
    one of the two parties: each concedes on the issue it cares less about.
    """

    changes: tuple[TradeChange, ...]
    gains: dict[str, float]
    joint_gain: float
    logroll: bool
    result: OutcomePoint


@dataclass(frozen=True)
class Trades:
    parties: tuple[str, str]
    reference_label: str
    reference: OutcomePoint
    trades: tuple[Trade, ...]
    total_found: int


@dataclass(frozen=True)
class Analysis:
    """Everything ``accord analyze`` reports about one scenario and a set of parties."""

    scenario_id: str
    title: str
    parties: tuple[str, ...]
    outcome_count: int
    party_summaries: tuple[PartySummary, ...]
    zopa: Zopa
    pareto_frontier: tuple[OutcomePoint, ...]
    solutions: dict[str, Solution | None]
    trades: Trades | None
    assumptions: tuple[Assumption, ...] = ()
    cited: int = 0
    unsupported: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())
    method: str = "enumerate"
    """``enumerate`` or ``structured``: how the outcome space was analysed."""
    pareto_frontier_info: FrontierInfo | None = None
    blocs: BlocCount = field(default_factory=BlocCount)
    """How parties sharing a bloc were counted (:mod:`accord.analysis.blocs`)."""

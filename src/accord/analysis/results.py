"""Typed results of the core analysis. Renderers turn these into text, JSON or Markdown."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "Analysis",
    "Assumption",
    "Collision",
    "OutcomePoint",
    "PartySummary",
    "Solution",
    "Trade",
    "TradeChange",
    "Trades",
    "Zopa",
]


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
    acceptable_count: int
    crossing_red_lines: int
    below_reservation: int


@dataclass(frozen=True)
class Collision:
    """One constraint in a minimal set that together excludes every outcome.

    ``kind`` is ``"red_line"`` or ``"reservation"``; ``zopa_if_dropped`` is how many
    outcomes every chosen party would accept if this constraint alone were lifted.
    """

    party: str
    kind: str
    description: str
    excludes: int
    zopa_if_dropped: int
    evidence: tuple[str, ...] = ()
    assumed: str | None = None
    red_line: int | None = None
    """The red line's number within its party's list, from 1 (for ``--lift``)."""


@dataclass(frozen=True)
class Zopa:
    """The zone of possible agreement: outcomes acceptable to every chosen party."""

    size: int
    reasons: tuple[Collision, ...] = ()
    examples: tuple[OutcomePoint, ...] = ()


@dataclass(frozen=True)
class Solution:
    """A bargaining solution chosen among acceptable outcomes; gains from reservations."""

    name: str
    point: OutcomePoint
    gains: dict[str, float]
    value: float
    ties: int
    citation: str


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

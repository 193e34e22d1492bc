"""Typed results of the forecast models (frozen dataclasses, plain values).

The field names follow the reference runs in ``../shared/data/forecast`` so that a
result's JSON (:mod:`accord.forecast.render`) and a reference compare key by key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from accord.analysis.results import BlocCount

__all__ = [
    "Baselines",
    "EuForecast",
    "EuIssueForecast",
    "EuMove",
    "EuRound",
    "ExchangeForecast",
    "ExchangeRound",
    "MoveType",
    "Outcome",
    "OutcomeKind",
    "RealizedExchange",
]


@dataclass(frozen=True)
class Baselines:
    """The simple forecasts every model is measured against, on the issue's own scale.

    ``weighted_mean_cs`` is Σcsx/Σcs — the "mean voter", Stokman's compromise model
    and the exchange model's initial NBS; ``weighted_median_cs`` is the smallest
    position where the cumulative c·s weight reaches half (the weighted median voter);
    ``condorcet_median_voter_positions`` are the actor positions no other position
    beats in a c·s-weighted vote with linear utilities (Black 1958; Bueno de Mesquita
    1994's median voter).
    """

    issue: str
    weighted_mean_cs: float
    weighted_median_cs: float
    capability_weighted_mean: float
    unweighted_mean: float
    unweighted_median: float
    condorcet_median_voter_positions: tuple[float, ...]
    n_actors: int


class MoveType(StrEnum):
    """Why an actor moved (Bueno de Mesquita 1994: the response to a challenge)."""

    CONFLICT = "conflict"
    """The actor expects to lose a conflict and takes the challenger's position."""
    COMPROMISE = "compromise"
    """The actor meets the challenger part of the way."""
    CAPITULATION = "capitulation"
    """The actor gives in without a fight."""
    EXCHANGE = "exchange"
    """The actor shifts on one issue in return for a partner's shift on another."""


@dataclass(frozen=True)
class EuMove:
    """One actor's move in a round of the expected-utility model.

    ``eu_ij`` is the mover's expected utility of challenging ``with_``, ``eu_ji`` of
    being challenged by it (for the GDM variant: the sender's own expected utility)."""

    actor: str
    type: MoveType
    with_: str
    eu_ij: float
    eu_ji: float
    old_position: float
    new_position: float


@dataclass(frozen=True)
class EuRound:
    """The state after one round: risk exponents used, positions reached, moves made."""

    round: int
    risk_exponent_r: dict[str, float]
    positions: dict[str, float]
    moves: tuple[EuMove, ...]
    median_voter: float
    weighted_mean: float
    salience: dict[str, float] | None = None
    vote: float | None = None


class OutcomeKind(StrEnum):
    FIXED_POINT = "fixed_point"
    """Positions stopped changing; the forecast is the median voter there."""
    CYCLE = "cycle"
    """Positions repeat with a period; the forecast is the mean over one cycle."""
    NOT_SETTLED = "not_settled"
    """Neither within the rounds run; the forecast is the mean over the later half."""
    STOPPED = "stopped"
    """The model cannot continue (every actor equally secure: no risk exponents)."""


@dataclass(frozen=True)
class Outcome:
    """What a run settled on, reported honestly: a fixed point, a cycle and its mean,
    or the band of an unsettled path — never an arbitrary last value."""

    kind: OutcomeKind
    forecast: float
    weighted_mean: float
    first_round: int | None
    period: int | None
    rounds_used: tuple[int, ...]
    median_voter_min: float
    median_voter_max: float
    note: str


@dataclass(frozen=True)
class EuIssueForecast:
    """The expected-utility model's run on one issue."""

    issue: str
    actors: tuple[str, ...]
    initial_positions: dict[str, float]
    initial_median_voter: float
    initial_weighted_mean: float
    position_range: float
    rounds: tuple[EuRound, ...]
    outcome: Outcome
    baselines: Baselines


@dataclass(frozen=True)
class EuForecast:
    """Bueno de Mesquita's expected-utility model over every issue of a table."""

    variant: str
    settings: dict[str, float | int | str | bool | None]
    issues: tuple[EuIssueForecast, ...]
    source: str
    notes: tuple[str, ...] = ()
    blocs: BlocCount | None = None
    """How blocs were counted (tables built from a scenario; None otherwise)."""
    model: str = field(default="eu", init=False)


@dataclass(frozen=True)
class RealizedExchange:
    """One exchange realised in a round, on the issues' own scales.

    Actor ``i`` shifts on ``i_supply`` from ``i_x`` to its voting position ``i_y``
    and ``j`` on ``j_supply``; both gain ``gain`` (Equal Gain) or ``gain_i``/``gain_j``
    (randomised)."""

    i: str
    i_supply: str
    i_x: float
    i_y: float
    j: str
    j_supply: str
    j_x: float
    j_y: float
    gain: float
    gain_i: float
    gain_j: float


@dataclass(frozen=True)
class ExchangeRound:
    """One round of the exchange model (issue scales as in the input)."""

    round: int
    nbs_start: dict[str, float]
    nbs_voting: dict[str, float]
    n_candidate_exchanges: int
    n_valid_candidates: int
    n_realized_exchanges: int
    realized: tuple[RealizedExchange, ...]
    voting_positions: dict[str, dict[str, float]]
    positions_after_round: dict[str, dict[str, float]]


@dataclass(frozen=True)
class ExchangeForecast:
    """Stokman's exchange model over the issues of a table."""

    variant: str
    settings: dict[str, float | int | str | bool | None]
    issues: tuple[str, ...]
    actors: tuple[str, ...]
    initial_positions: dict[str, dict[str, float]]
    initial_nbs: dict[str, float]
    rounds: tuple[ExchangeRound, ...]
    baselines: dict[str, Baselines]
    forecast: dict[str, float]
    nbs_after_last_round: dict[str, float]
    settled_after: int | None
    source: str
    notes: tuple[str, ...] = ()
    blocs: BlocCount | None = None
    """How blocs were counted (tables built from a scenario; None otherwise)."""
    model: str = field(default="exchange", init=False)

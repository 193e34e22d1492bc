"""Session settings: the deadline and the pressure of time.

Time pressure is a property of a *session* (how these talks are run), not of the
scenario (what the parties want), so it lives here and the scenario schema is left
alone. Three per-party settings, each optional, model the costs of delay; with
``e = round - 1`` rounds elapsed before an agreement in ``round``:

* ``delay_cost`` c: an agreement is worth ``c·e`` less (a fixed bargaining cost per
  period, Rubinstein 1982 §3);
* ``discount`` δ in (0, 1]: an agreement, and no agreement, are worth ``δ^e`` times
  as much (Rubinstein's discounting; the GENIUS discount factor, which GENIUS applies
  to the reservation value too);
* ``reservation_drift`` d: no agreement is worth ``d·e`` more (negative when the
  alternative worsens, e.g. the war's cost; positive when waiting improves it).

Each maps party ids (or ``"all"``, for every negotiator not named) to its rate.

So for party p the value of outcome o agreed in round t is
``u_t(o) = δ^e · u(o) − c·e``, and its reservation value then is
``r_t = δ^e · r + d·e``. A party's *floor* is the static (undiscounted) utility an
outcome needs to be worth at least ``r_t``: ``r + (d + c)·e / δ^e``. Discounting alone
leaves the floor where it is but makes waiting costly: a negotiator accepts an offer
worth at least what its own next offer would be worth a round later
(:meth:`accord.strategies.base.Turn.waited`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from accord.errors import AccordError

__all__ = [
    "ALL",
    "DEFAULT_ROUNDS",
    "MAX_RATE",
    "MAX_ROUNDS",
    "Pressure",
    "SessionSpec",
    "SimulationError",
]

DEFAULT_ROUNDS = 100
MAX_ROUNDS = 1_000_000
"""The longest deadline a session (or a tournament's) may have."""
MAX_RATE = 1e6
"""Largest magnitude of a delay cost or reservation drift per round: utilities are sums
of weights times values in [0, 1], so a rate far beyond is a typing mistake, and
``rate x rounds`` stays finite."""
ALL = "all"
"""The key that sets a rate (or a strategy) for every negotiator not named."""

FloatArray = npt.NDArray[np.float64]


class SimulationError(AccordError):
    """A session or tournament cannot run as asked (unknown name, bad setting, ...)."""


@dataclass(frozen=True)
class SessionSpec:
    """How one session runs: the deadline, who negotiates, and the costs of delay.

    ``parties`` are the negotiators in turn order (default: the principals that have
    preferences); ``mediator`` the go-between of the shuttle and single-text
    protocols (default: the scenario's first mediator, else a neutral one).
    """

    rounds: int = DEFAULT_ROUNDS
    parties: tuple[str, ...] | None = None
    mediator: str | None = None
    delay_cost: Mapping[str, float] = field(default_factory=dict)
    reservation_drift: Mapping[str, float] = field(default_factory=dict)
    discount: Mapping[str, float] = field(default_factory=dict)
    mediator_knows_preferences: bool = True

    def check(self, known: Sequence[str]) -> None:
        """Raise :class:`SimulationError` for a bad deadline, party or rate."""
        if isinstance(self.rounds, bool) or not 1 <= self.rounds <= MAX_ROUNDS:
            raise SimulationError(f"rounds must be in 1..{MAX_ROUNDS:,}, found {self.rounds}")
        for flag, rates in self.settings().items():
            for party, value in rates.items():
                if party != ALL and party not in known:
                    raise SimulationError(_unknown_party(flag, party, known))
                if not math.isfinite(value):
                    raise SimulationError(f"{flag} {party}: expected a finite number")
                if abs(value) > MAX_RATE:
                    raise SimulationError(
                        f"{flag} {party}: {value:g} is beyond the limit of ±{MAX_RATE:g} per round"
                    )
        for party, value in self.discount.items():
            if not 0.0 < value <= 1.0:
                raise SimulationError(f"discount {party}: expected a number in (0, 1]")

    def settings(self) -> dict[str, Mapping[str, float]]:
        return {
            "delay-cost": self.delay_cost,
            "reservation-drift": self.reservation_drift,
            "discount": self.discount,
        }


def _unknown_party(flag: str, party: str, known: Sequence[str]) -> str:
    from accord.model.checks import suggest

    hint = suggest(party, known) or "negotiating parties: " + ", ".join(known)
    return f"{flag}: party {party!r} does not negotiate in this session ({hint})"


@dataclass(frozen=True)
class Pressure:
    """The costs of delay for the negotiators, as arrays (one entry per negotiator)."""

    reservations: FloatArray
    cost: FloatArray
    drift: FloatArray
    discount: FloatArray

    @classmethod
    def build(cls, spec: SessionSpec, parties: Sequence[str], reservations: FloatArray) -> Pressure:
        def rates(values: Mapping[str, float], default: float) -> FloatArray:
            default = values.get(ALL, default)
            return np.asarray([float(values.get(p, default)) for p in parties], dtype=np.float64)

        return cls(
            reservations=np.asarray(reservations, dtype=np.float64),
            cost=rates(spec.delay_cost, 0.0),
            drift=rates(spec.reservation_drift, 0.0),
            discount=rates(spec.discount, 1.0),
        )

    def value(self, j: int, utility: float, round_: int) -> float:
        """What an agreement with static ``utility`` in ``round_`` is worth to negotiator j."""
        elapsed = round_ - 1
        return float(self.discount[j] ** elapsed * utility - self.cost[j] * elapsed)

    def reservation(self, j: int, round_: int) -> float:
        """Negotiator j's value of no agreement as of ``round_``."""
        elapsed = round_ - 1
        return float(self.discount[j] ** elapsed * self.reservations[j] + self.drift[j] * elapsed)

    def waiting_costs(self, rounds: int) -> FloatArray:
        """``costs[j, t]``: ``c/δ^e``, the static utility a round's delay costs j in round t."""
        _, factor = self._decay(rounds)
        with np.errstate(over="ignore"):
            return _beyond_reach(self.cost[:, None] / factor)

    def floors(self, rounds: int) -> FloatArray:
        """``floors[j, t]``: the static utility j needs in round t (index 0 unused)."""
        elapsed, factor = self._decay(rounds)
        with np.errstate(over="ignore"):
            extra = _beyond_reach((self.drift[:, None] + self.cost[:, None]) * elapsed / factor)
        return np.asarray(self.reservations[:, None] + extra, dtype=np.float64)

    def _decay(self, rounds: int) -> tuple[FloatArray, FloatArray]:
        """Rounds elapsed, and ``δ^e`` kept above the smallest normal float: after
        enough rounds ``δ^e`` underflows to 0, and ``0/0`` would make a floor NaN."""
        elapsed = np.maximum(np.arange(rounds + 1, dtype=np.float64) - 1.0, 0.0)
        factor = np.maximum(self.discount[:, None] ** elapsed, np.finfo(np.float64).tiny)
        return elapsed, factor


BEYOND_REACH = 1e300
"""A floor or cost this large is out of reach of every utility (they are sums of weights
of at most 1e6 times values in [0, 1]): it stands for "no longer acceptable"."""


def _beyond_reach(values: FloatArray) -> FloatArray:
    """``values`` (infinite where they overflowed) clipped to ±:data:`BEYOND_REACH`."""
    return np.asarray(np.clip(values, -BEYOND_REACH, BEYOND_REACH), dtype=np.float64)

"""Typed results of ``accord robustness`` (issue 14 §2)."""

from __future__ import annotations

from dataclasses import dataclass

from accord.robustness.inputs import UncertainNumber

__all__ = [
    "PackageOdds",
    "PartyAcceptance",
    "PointBlocking",
    "Robustness",
    "SolutionShare",
    "Stability",
]


@dataclass(frozen=True)
class SolutionShare:
    """A package that is a solution in some draws, and the share of draws it is."""

    outcome: dict[str, str]
    probability: float


@dataclass(frozen=True)
class PackageOdds:
    """How often a package is acceptable to every analysed party, and Pareto-optimal."""

    outcome: dict[str, str]
    acceptable_to_all: float
    pareto: float


@dataclass(frozen=True)
class Stability:
    """One-at-a-time stability interval (everything else at its point value).

    The verdict (``zone_nonempty``, a solution's name, or ``accepts``) keeps the answer
    it has at the point value while the number stays in ``[low, high]``; ``None`` means
    unbounded up to the field's limits. ``exact`` is false where the interval is found
    numerically. ``answer`` is the verdict's point answer, for reading.
    """

    party: str
    path: str
    value: float
    verdict: str
    low: float | None
    high: float | None
    exact: bool
    answer: str
    range: tuple[float, float]

    @property
    def flip_share(self) -> float:
        """The share of the number's range outside the interval (where the verdict flips)."""
        low, high = self.range
        width = high - low
        if width <= 0:
            return 0.0
        inside_low = low if self.low is None else max(low, self.low)
        inside_high = high if self.high is None else min(high, self.high)
        return 1.0 - max(0.0, inside_high - inside_low) / width

    @property
    def distance(self) -> float | None:
        """How far the number can move before the verdict flips (None: nowhere in bounds)."""
        gaps = [abs(bound - self.value) for bound in (self.low, self.high) if bound is not None]
        return min(gaps) if gaps else None


@dataclass(frozen=True)
class PartyAcceptance:
    id: str
    p_accept: float


@dataclass(frozen=True)
class PointBlocking:
    number: int
    p_blocking: float


@dataclass(frozen=True)
class Robustness:
    """Monte Carlo answers over the uncertain inputs, and one-at-a-time stability."""

    scenario_id: str
    title: str
    draws: int
    seed: int
    lifted: tuple[str, ...]
    parties: tuple[str, ...]
    zone_nonempty: float
    solutions: dict[str, tuple[SolutionShare, ...]]
    packages: tuple[PackageOdds, ...]
    stability: tuple[Stability, ...]
    uncertain: tuple[UncertainNumber, ...]
    notes: tuple[str, ...] = ()
    framework: str | None = None
    party_acceptance: tuple[PartyAcceptance, ...] = ()
    points: tuple[PointBlocking, ...] = ()

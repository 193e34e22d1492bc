"""Robustness of the analysis to its uncertain inputs (issue 14): Monte Carlo draws
over ranges of readings, and one-at-a-time stability intervals in closed form."""

from __future__ import annotations

from accord.robustness.results import (
    PackageOdds,
    PartyAcceptance,
    PointBlocking,
    Robustness,
    SolutionShare,
    Stability,
)
from accord.robustness.run import DEFAULT_DRAWS, robustness

__all__ = [
    "DEFAULT_DRAWS",
    "PackageOdds",
    "PartyAcceptance",
    "PointBlocking",
    "Robustness",
    "SolutionShare",
    "Stability",
    "robustness",
]

"""Simulated negotiation sessions: protocols × strategies × time pressure.

from accord.simulation import SessionSpec, simulate
result = simulate(load_scenario("berlin-2025"), "shuttle", "boulware",
                  spec=SessionSpec(rounds=50), seed=1)
result.agreement, result.round, result.metrics.gains
"""

from __future__ import annotations

from accord.protocols.registry import PROTOCOLS, ProtocolInfo
from accord.protocols.spec import Pressure, SessionSpec, SimulationError
from accord.protocols.trace import Event, Kind
from accord.simulation.results import Metrics, SessionResult
from accord.simulation.session import ALL, simulate
from accord.strategies.registry import REGISTRY, StrategyInfo, make_negotiator, strategy_names

__all__ = [
    "ALL",
    "PROTOCOLS",
    "REGISTRY",
    "Event",
    "Kind",
    "Metrics",
    "Pressure",
    "ProtocolInfo",
    "SessionResult",
    "SessionSpec",
    "SimulationError",
    "StrategyInfo",
    "make_negotiator",
    "simulate",
    "strategy_names",
]

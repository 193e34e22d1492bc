"""The explicit registry of strategies, each with its metadata.

No metaclass and no import-time side effects (DESIGN §5, unlike Axelrod's): the
registry is one immutable mapping written out below. To add a strategy, write a
builder that composes a :class:`~accord.strategies.base.Negotiator` from its parts and
add a :class:`StrategyInfo` line; the shared contract test then covers it once a test
class names it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from accord.model.checks import suggest
from accord.protocols.spec import SimulationError
from accord.strategies.acceptance import NextOffer, RandomAcceptance
from accord.strategies.base import Negotiator
from accord.strategies.offering import Frontier, Hardline, RandomOffers, Reciprocal, TimeBased
from accord.strategies.opponent import FrequencyModel, NoModel

__all__ = ["REGISTRY", "StrategyInfo", "make_negotiator", "strategy_names"]

FARATIN = (
    "Faratin, Sierra & Jennings (1998), Negotiation decision functions for autonomous "
    "agents, Robotics and Autonomous Systems 24(3-4)"
)


@dataclass(frozen=True)
class StrategyInfo:
    """A strategy's name, family, citation, one-line description and builder."""

    name: str
    family: str
    citation: str
    description: str
    build: Callable[[], Negotiator]


def _boulware() -> Negotiator:
    return Negotiator("boulware", TimeBased(beta=0.2), NextOffer(), NoModel())


def _linear() -> Negotiator:
    return Negotiator("linear", TimeBased(beta=1.0), NextOffer(), NoModel())


def _conceder() -> Negotiator:
    return Negotiator("conceder", TimeBased(beta=5.0), NextOffer(), NoModel())


def _tit_for_tat() -> Negotiator:
    return Negotiator("tit-for-tat", Reciprocal(), NextOffer(end=0.99), FrequencyModel())


def _hardliner() -> Negotiator:
    return Negotiator("hardliner", Hardline(), NextOffer(), NoModel())


def _principled() -> Negotiator:
    return Negotiator("principled", Frontier(), NextOffer(), NoModel())


def _random() -> Negotiator:
    return Negotiator("random", RandomOffers(), RandomAcceptance(0.5), NoModel())


REGISTRY: Mapping[str, StrategyInfo] = MappingProxyType(
    {
        info.name: info
        for info in (
            StrategyInfo(
                "boulware",
                "time-based",
                FARATIN,
                "Concedes little until the deadline nears (β = 0.2).",
                _boulware,
            ),
            StrategyInfo(
                "linear",
                "time-based",
                FARATIN,
                "Concedes at a constant rate from its best outcome to its floor (β = 1).",
                _linear,
            ),
            StrategyInfo(
                "conceder",
                "time-based",
                FARATIN,
                "Concedes most of the way early (β = 5).",
                _conceder,
            ),
            StrategyInfo(
                "tit-for-tat",
                "reciprocal",
                f"{FARATIN}; Axelrod (1984), The Evolution of Cooperation",
                "Mirrors the other side's concessions; picks among equal offers with a "
                "frequency opponent model (Hindriks & Tykhonov 2008); takes any offer "
                "above its floor in the last 1% of the time (AC_combi).",
                _tit_for_tat,
            ),
            StrategyInfo(
                "hardliner",
                "hard-line",
                "Raiffa (1982), The Art and Science of Negotiation, ch. 5",
                "Always offers its best outcome and accepts nothing less.",
                _hardliner,
            ),
            StrategyInfo(
                "principled",
                "principled",
                "Fisher & Ury (1981), Getting to Yes; Nash (1950), The Bargaining Problem",
                "Offers only Pareto-efficient outcomes, reaching the Nash point by half "
                "time (assumes complete information).",
                _principled,
            ),
            StrategyInfo(
                "random",
                "random",
                "Baarslag et al. (2014), Decoupling negotiating agents (random baseline)",
                "Offers a random outcome it could accept; accepts with probability 0.5.",
                _random,
            ),
        )
    }
)


def strategy_names() -> tuple[str, ...]:
    return tuple(REGISTRY)


def make_negotiator(name: str) -> Negotiator:
    """A fresh negotiator of strategy ``name``; :class:`SimulationError` if unknown."""
    info = REGISTRY.get(name)
    if info is None:
        hint = suggest(name, REGISTRY) or "strategies: " + ", ".join(REGISTRY)
        raise SimulationError(f"unknown strategy {name!r} ({hint})")
    return info.build()

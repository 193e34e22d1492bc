"""The protocols a session can run, by name, each with its citation."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from accord.model.checks import suggest
from accord.protocols.alternating import run_alternating
from accord.protocols.multilateral import run_multilateral
from accord.protocols.session import Session
from accord.protocols.shuttle import run_shuttle
from accord.protocols.single_text import run_single_text
from accord.protocols.spec import SimulationError
from accord.protocols.trace import ProtocolRun

__all__ = ["PROTOCOLS", "ProtocolInfo", "protocol_info"]


@dataclass(frozen=True)
class ProtocolInfo:
    name: str
    citation: str
    description: str
    run: Callable[[Session], ProtocolRun]
    mediated: bool = False
    """Does it need a mediator (the scenario's, or a neutral one)?"""
    bilateral: bool = False


PROTOCOLS: Mapping[str, ProtocolInfo] = MappingProxyType(
    {
        info.name: info
        for info in (
            ProtocolInfo(
                "alternating",
                "Rubinstein (1982); the SAOP of ANAC (Baarslag et al. 2015)",
                "Two parties take turns: accept the standing offer or counter it.",
                run_alternating,
                bilateral=True,
            ),
            ProtocolInfo(
                "multilateral",
                "Aydoğan, Festen, Hindriks & Jonker (2017), stacked alternating offers",
                "Each party in turn accepts the standing offer or replaces it; agreed "
                "when all others accept.",
                run_multilateral,
            ),
            ProtocolInfo(
                "single-text",
                "Raiffa (1982), ch. 14; Fisher's one-text procedure (Camp David, 1978)",
                "The mediator drafts one text from the principals' criticism; they then "
                "accept or reject it each round.",
                run_single_text,
                mediated=True,
            ),
            ProtocolInfo(
                "shuttle",
                "Raiffa (1982), ch. 14; Kissinger's shuttle diplomacy (1973-75)",
                "Offers travel only through the mediator, who may reformulate them.",
                run_shuttle,
                mediated=True,
            ),
        )
    }
)


def protocol_info(name: str) -> ProtocolInfo:
    info = PROTOCOLS.get(name)
    if info is None:
        hint = suggest(name, PROTOCOLS) or "protocols: " + ", ".join(PROTOCOLS)
        raise SimulationError(f"unknown protocol {name!r} ({hint})")
    return info

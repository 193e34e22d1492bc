"""Stacked alternating offers among n parties (Aydoğan, Festen, Hindriks & Jonker 2017).

Each party in turn accepts the standing offer or makes a new one; an offer is agreed
when every other party has accepted it. It shares its core with bilateral alternating
offers (:func:`accord.protocols.alternating.exchange_offers`): one implementation.
"""

from __future__ import annotations

from accord.protocols.alternating import exchange_offers
from accord.protocols.session import Session
from accord.protocols.spec import SimulationError
from accord.protocols.trace import ProtocolRun

__all__ = ["run_multilateral"]


def run_multilateral(session: Session) -> ProtocolRun:
    """Stacked alternating offers among two or more negotiators."""
    if len(session.parties) < 2:
        raise SimulationError("multilateral offers need at least two negotiating parties")
    return exchange_offers(session)

"""Alternating offers: Rubinstein's protocol and its stacked multilateral form.

Bilateral alternating offers (Rubinstein 1982; the SAOP of the ANAC competitions,
Baarslag et al. 2015): the parties take turns; each either accepts the standing offer
or rejects it by making a counter-offer. The stacked alternating offers protocol
(Aydoğan, Festen, Hindriks & Jonker 2017) is the same with n parties in a fixed
order: each in turn accepts the standing offer or replaces it with its own, and an
offer is agreed when all the others have accepted it in turn. With two parties the two
coincide, so both run on :func:`exchange_offers` (the multilateral entry point is
:func:`accord.protocols.multilateral.run_multilateral`).

A round is one turn of every party, so the deadline counts rounds as NegMAS's
``n_steps`` does; the session breaks down when the deadline passes.
"""

from __future__ import annotations

from accord.protocols.session import Session
from accord.protocols.spec import SimulationError
from accord.protocols.trace import Event, Kind, ProtocolRun
from accord.strategies.base import Action

__all__ = ["exchange_offers", "run_alternating"]


def run_alternating(session: Session) -> ProtocolRun:
    """Bilateral alternating offers between exactly two negotiators."""
    if len(session.parties) != 2:
        raise SimulationError(
            f"alternating offers is bilateral: it needs exactly two negotiating parties, "
            f"found {len(session.parties)} ({', '.join(session.parties)}); choose two with "
            f"--parties, or use --protocol multilateral"
        )
    return exchange_offers(session)


def exchange_offers(session: Session) -> ProtocolRun:
    """Run stacked alternating offers; offers and acceptances go to every other party."""
    parties, negotiators = session.parties, session.negotiators
    needed = len(parties) - 1
    others = [session.others(j) for j in range(len(parties))]
    events: list[Event] = []
    append = events.append
    standing, accepted = -1, 0
    for round_ in range(1, session.rounds + 1):
        for j, negotiator in enumerate(negotiators):
            turn = session.turn(j, round_)
            if standing >= 0 and negotiator.respond(turn, standing) is Action.ACCEPT:
                append(Event(round_, parties[j], others[j], Kind.ACCEPT, standing))
                accepted += 1
                if accepted == needed:
                    return ProtocolRun(standing, round_, tuple(events), _notes(session))
                continue
            standing, accepted = negotiator.propose(turn), 0
            append(Event(round_, parties[j], others[j], Kind.OFFER, standing))
    return ProtocolRun(None, session.rounds, tuple(events), _notes(session))


def _notes(session: Session) -> tuple[str, ...]:
    return tuple(
        f"{a} and {b} do not talk directly in this scenario; this protocol assumes they "
        f"do (use --protocol shuttle to route offers through a mediator)"
        for a, b in session.closed_pairs()
    )

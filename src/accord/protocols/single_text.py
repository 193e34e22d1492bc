"""Single-text mediation as a protocol (Raiffa 1982, ch. 14; Fisher's one-text
procedure, Camp David 1978).

The drafting is :func:`accord.frameworks.mediation.mediate_text`, the same one-text
procedure ``accord mediate`` runs on a framework (one implementation, not two): the
mediator circulates a draft, each principal criticises it, the mediator revises, until
no revision helps. The mediator knows the principals' preferences or, with
``mediator_knows_preferences=False``, sees only their criticism and yes/no answers.

The protocol adds the clock and the decision. Each draft takes a round (the drafts
reflect the principals' static preferences); then the mediator puts the last draft
to the principals every round until all have accepted it or the deadline passes.
Whether and when a principal accepts is its strategy's call against its floor for
that round, so Boulware principals hold out longer, and costs of delay
(:mod:`accord.protocols.spec`) bring acceptance forward.
"""

from __future__ import annotations

from accord.frameworks.mediation import MediationDraft, mediate_text
from accord.protocols.session import Session
from accord.protocols.spec import SimulationError
from accord.protocols.trace import Event, Kind, ProtocolRun
from accord.strategies.base import Action

__all__ = ["run_single_text"]

_REQUESTS_SHOWN = 3


def run_single_text(session: Session) -> ProtocolRun:
    """Draft with the one-text procedure, then vote on the last draft each round."""
    mediator = session.mediator or "mediator"
    for party in session.parties:
        if not session.talks_directly(mediator, party):
            raise SimulationError(
                f"the scenario's channels forbid direct talks between the mediator "
                f"{mediator!r} and {party!r}, who would never see the text"
            )
    try:
        result = mediate_text(
            session.model,
            session.principals,
            dict(session.start),
            max(session.rounds - 1, 0),
            session.rng,
            session.mediator_knows_preferences,
        )
    except ValueError as error:  # the full-information mediator enumerates the space
        raise SimulationError(
            f"{error}; run the single text with a mediator who sees only criticism"
        ) from None
    events: list[Event] = []
    for draft in result.drafts:
        events += _draft_events(session, mediator, draft)
    last = int(session.model.encode(result.drafts[-1].row[None, :])[0])
    note = f"single-text mediation: {result.stop_reason}"
    if not result.final:
        rejecting = ", ".join(session.model.party_ids[a.party] for a in result.rejected_by)
        note += f"; the last draft, put to the vote, is not a final text ({rejecting} reject it)"
    return _vote(session, mediator, last, len(result.drafts), events, (note,))


def _draft_events(session: Session, mediator: str, draft: MediationDraft) -> list[Event]:
    round_ = draft.number + 1
    outcome = int(session.model.encode(draft.row[None, :])[0])
    issues = session.model.issue_ids
    changes = [
        f"{issues[c.issue]} → {session.model.option_ids[c.issue][c.after]}" for c in draft.changes
    ]
    message = f"draft {draft.number}" + (f": {', '.join(changes)}" if changes else "")
    events = [Event(round_, mediator, session.parties, Kind.DRAFT, outcome, message)]
    for j, party in enumerate(session.principals):
        requests = draft.criticism.get(party)
        if requests is None:
            continue
        asks = [
            f"{issues[r.issue]} → {session.model.option_ids[r.issue][r.option]}"
            for r in requests[:_REQUESTS_SHOWN]
        ]
        text = "asks " + "; ".join(asks) if asks else "asks for no change"
        events.append(Event(round_, session.parties[j], (mediator,), Kind.CRITICISM, outcome, text))
    return events


def _vote(
    session: Session,
    mediator: str,
    final: int,
    first_round: int,
    events: list[Event],
    notes: tuple[str, ...],
) -> ProtocolRun:
    accepted: set[int] = set()
    for round_ in range(first_round, session.rounds + 1):
        for j, negotiator in enumerate(session.negotiators):
            if j in accepted:
                continue
            action = negotiator.respond(session.turn(j, round_), final)
            kind = Kind.ACCEPT if action is Action.ACCEPT else Kind.REJECT
            events.append(Event(round_, session.parties[j], (mediator,), kind, final))
            if action is Action.ACCEPT:
                accepted.add(j)
        if len(accepted) == len(session.negotiators):
            events.append(Event(round_, mediator, session.parties, Kind.AGREEMENT, final))
            return ProtocolRun(final, round_, tuple(events), notes)
    return ProtocolRun(None, session.rounds, tuple(events), notes)

"""Shuttle diplomacy: every offer travels through the mediator.

When principals do not talk directly (Kyiv and Moscow in December 2025), a mediator
carries each proposal from one capital to the other (Kissinger's shuttles of 1973–75;
Raiffa 1982, ch. 14 on the mediator as channel). Here the principals take turns as in
stacked alternating offers, but a principal's offer goes to the mediator only; the
mediator forwards it to the others, and may *reformulate* it first: when it crosses
red lines the principals have stated publicly, the mediator changes the fewest issues
that bring the number of red lines crossed down as far as possible, breaking ties by
its own utility when it has preferences (the go-between's interests are part of the
story). A reformulated text is sent to every principal, its proposer included, and
needs everyone's acceptance; an unchanged offer counts as accepted by its proposer.

The trace shows who saw what: a principal's offer is addressed to the mediator alone,
and a forward names the proposal it was reformulated from.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from accord.engine.compiled import CompiledModel
from accord.protocols.session import Session
from accord.protocols.spec import SimulationError
from accord.protocols.trace import Event, Kind, ProtocolRun
from accord.strategies.base import Action

__all__ = ["REPAIR_LIMIT", "Reformulator", "run_shuttle"]

REPAIR_LIMIT = 1 << 16
"""Most alternative texts the mediator weighs for one reformulation."""

IntArray = npt.NDArray[np.int64]


def run_shuttle(session: Session) -> ProtocolRun:
    """Run shuttle diplomacy between the negotiators through ``session.mediator``."""
    mediator = _check_channels(session)
    parties, negotiators = session.parties, session.negotiators
    reformulate = Reformulator(session.model, session.principals, session.mediator_index)
    to_mediator = (mediator,)
    events: list[Event] = []
    standing, accepted = -1, set[int]()
    for round_ in range(1, session.rounds + 1):
        for j, negotiator in enumerate(negotiators):
            if j in accepted:
                continue
            turn = session.turn(j, round_)
            if standing >= 0 and negotiator.respond(turn, standing) is Action.ACCEPT:
                events.append(Event(round_, parties[j], to_mediator, Kind.ACCEPT, standing))
                accepted.add(j)
                if len(accepted) == len(parties):
                    events.append(Event(round_, mediator, parties, Kind.AGREEMENT, standing))
                    return ProtocolRun(standing, round_, tuple(events))
                continue
            offer = negotiator.propose(turn)
            events.append(Event(round_, parties[j], to_mediator, Kind.OFFER, offer))
            text, reason = reformulate(offer)
            changed = text != offer
            receivers = parties if changed else session.others(j)
            original = offer if changed else None
            events.append(Event(round_, mediator, receivers, Kind.FORWARD, text, reason, original))
            standing, accepted = text, (set() if changed else {j})
    return ProtocolRun(None, session.rounds, tuple(events))


def _check_channels(session: Session) -> str:
    mediator = session.mediator
    if mediator is None:
        raise SimulationError("shuttle diplomacy needs a mediator (--mediator)")
    if mediator in session.parties:
        raise SimulationError(f"the mediator {mediator!r} cannot also be a negotiating party")
    for party in session.parties:
        if not session.talks_directly(mediator, party):
            raise SimulationError(
                f"the scenario's channels forbid direct talks between the mediator "
                f"{mediator!r} and {party!r}: a shuttle cannot reach it"
            )
    return mediator


class Reformulator:
    """The mediator's reformulation of offers (see the module docstring); memoised."""

    def __init__(self, model: CompiledModel, principals: list[int], mediator: int | None) -> None:
        self.model = model
        self.lines = [line for line in model.red_lines if line.party in principals]
        self.mediator = mediator
        self._memo: dict[int, tuple[int, str | None]] = {}

    def __call__(self, offer: int) -> tuple[int, str | None]:
        if offer not in self._memo:
            self._memo[offer] = self._reformulate(offer)
        return self._memo[offer]

    def crossings(self, rows: IntArray) -> npt.NDArray[np.int64]:
        """How many of the principals' red lines each row crosses."""
        count = np.zeros(rows.shape[0], dtype=np.int64)
        for line in self.lines:
            count += line.matches(rows)
        return count

    def _reformulate(self, offer: int) -> tuple[int, str | None]:
        row = self.model.decode(np.asarray([offer], dtype=np.int64))[0]
        crossed = int(self.crossings(row[None, :])[0])
        if crossed == 0:
            return offer, None
        rows = self._alternatives(row)
        if rows is None:
            return offer, "forwarded as proposed (too many alternatives to weigh)"
        counts = self.crossings(rows)
        if counts.min() >= crossed:
            return offer, "forwarded as proposed: no rewording crosses fewer red lines"
        keep = np.flatnonzero(counts == counts.min())
        changes = (rows[keep] != row).sum(axis=1)
        keep = keep[changes == changes.min()]
        if self.mediator is not None and keep.shape[0] > 1:
            utility = self.model.utilities(rows[keep], [self.mediator])[:, 0]
            keep = keep[utility >= utility.max() - 1e-12]
        best = rows[keep]
        chosen = best[np.argmin(self.model.encode(best))]
        issues = [self.model.issue_ids[i] for i in np.flatnonzero(chosen != row)]
        reason = (
            f"reformulated ({', '.join(issues)}) to cross {int(counts.min())} of the "
            f"principals' red lines instead of {crossed}"
        )
        return int(self.model.encode(chosen[None, :])[0]), reason

    def _alternatives(self, row: IntArray) -> IntArray | None:
        """Every rewording of ``row`` on the issues the red lines mention."""
        issues = sorted({i for line in self.lines for i in line.issues})
        sizes = [self.model.radix[i] for i in issues]
        if math.prod(sizes) > REPAIR_LIMIT:
            return None
        combos = np.indices(sizes, dtype=np.int64).reshape(len(issues), -1).T
        rows = np.repeat(row[None, :], combos.shape[0], axis=0)
        rows[:, issues] = combos
        return rows

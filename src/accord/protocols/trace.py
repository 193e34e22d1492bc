"""What a protocol records: every offer, response and message, with its round.

An :class:`Event` says who sent what to whom, so a trace shows who saw what: in the
shuttle protocol a principal's offer goes to the mediator, and only the mediator's
(possibly reformulated) forward reaches the other principals.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["Event", "Kind", "ProtocolRun"]


class Kind(StrEnum):
    """The kinds of event a trace holds."""

    OFFER = "offer"
    """A proposal (it rejects the standing offer, if any)."""
    ACCEPT = "accept"
    REJECT = "reject"
    FORWARD = "forward"
    """The mediator passes an offer on, as proposed or reformulated (shuttle)."""
    DRAFT = "draft"
    """The mediator circulates a single negotiating text (single-text)."""
    CRITICISM = "criticism"
    """A principal's criticism of the text: its vetoes and the changes it wants."""
    AGREEMENT = "agreement"
    """The mediator announces that every principal accepted (mediated protocols)."""


@dataclass(frozen=True, slots=True)
class Event:
    """One message: in ``round``, ``sender`` told ``to`` about ``outcome``.

    ``outcome`` is a flat outcome index (see :class:`~accord.engine.compiled.CompiledModel`)
    or None for messages about no particular outcome; ``original`` is the outcome as
    first proposed when a mediator reformulated it; ``message`` is free text (a
    criticism, the reason for a reformulation).
    """

    round: int
    sender: str
    to: tuple[str, ...]
    kind: Kind
    outcome: int | None = None
    message: str | None = None
    original: int | None = None


@dataclass(frozen=True)
class ProtocolRun:
    """What a protocol returns: the agreement (or None), its round, and the trace."""

    agreement: int | None
    round: int
    """The round of the agreement, or the last round run."""
    events: tuple[Event, ...]
    notes: tuple[str, ...] = ()

"""The one place that decides what a role may read and do.

Three roles: the case's **mediator**, the **delegation** of party P of case C (an
invitation token), and **nobody** (no valid token, or a case one was not invited to).
Every route asks here; none decides on its own. Rules (issue 15):

* a case is visible to its mediator and its delegations; to anyone else it does not
  exist (404, the same answer as for an unknown id);
* a party's preferences are readable by that delegation; by the mediator when its
  disclosure is ``mediator`` or ``all``; by every delegation of the case at ``all``;
* utilities in the neutral analysis and draft evaluations follow the same rule;
* responses to a draft are each visible to their author, and to everyone in the case
  once every principal has answered.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy.orm import Session

from accord.service.auth import Caller
from accord.service.errors import ApiError, not_found
from accord.service.models import Case

__all__ = [
    "Level",
    "may_read_preferences",
    "require_delegation_of",
    "require_mediator",
    "visible_case",
]


class Level(StrEnum):
    """Disclosure chosen by a delegation for its own preferences."""

    PRIVATE = "private"
    MEDIATOR = "mediator"
    ALL = "all"


def _invited(caller: Caller, case: Case) -> bool:
    if caller.is_mediator:
        return case.mediator_id == caller.mediator_id
    return case.id == caller.case_id


def visible_case(session: Session, caller: Caller, case_id: str, *, lock: bool = False) -> Case:
    """The case, if the caller was invited to it; otherwise 404 (never 403)."""
    case = session.get(Case, case_id, with_for_update=lock or None)
    if case is None or not _invited(caller, case):
        raise not_found()
    return case


def require_mediator(caller: Caller) -> None:
    if not caller.is_mediator:
        raise ApiError(403, "only the case's mediator may do this")


def require_delegation_of(caller: Caller, party: str) -> None:
    if caller.party != party:
        raise ApiError(403, f"only the delegation of {party!r} may do this")


def may_read_preferences(caller: Caller, party: str, level: Level) -> bool:
    """Numbers of ``party`` (preferences, utilities) for this caller of the same case."""
    if caller.party == party:
        return True
    if caller.is_mediator:
        return level in (Level.MEDIATOR, Level.ALL)
    return level == Level.ALL


def may_read_responses(caller: Caller, party: str, revealed: bool) -> bool:
    return revealed or caller.party == party


def may_read_utility(caller: Caller, party: str, level: Level, submitted: bool) -> bool:
    """A utility computed from ``party``'s input. The mediator may always see what its
    own estimates give; a delegation never sees the mediator's estimate of anyone, its
    own included."""
    if not submitted:
        return caller.is_mediator
    return may_read_preferences(caller, party, level)

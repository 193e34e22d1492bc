"""Who is calling: a bearer token resolved to a mediator or a delegation, or 401.

A token is looked up by its hash only; a missing, malformed, unknown, expired or
revoked token gets the same kind of answer (401), so nothing is learnt by probing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.service.errors import ApiError
from accord.service.models import Invitation, Mediator
from accord.service.tokens import DELEGATION, MEDIATOR, hash_token, token_kind

__all__ = ["Caller", "now", "resolve_token"]


def now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Caller:
    """A mediator (``mediator_id``) or the delegation of ``party`` in ``case_id``."""

    kind: str
    actor: str
    """How the audit names the caller: ``mediator:NAME`` or ``delegation:PARTY``."""
    mediator_id: int | None = None
    case_id: str | None = None
    party: str | None = None

    @property
    def is_mediator(self) -> bool:
        return self.kind == "mediator"


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def resolve_token(session: Session, header: str | None) -> Caller:
    if not header:
        raise ApiError(401, "missing bearer token (Authorization: Bearer TOKEN)")
    scheme, _, token = header.partition(" ")
    kind = token_kind(token.strip()) if scheme.lower() == "bearer" else None
    if kind is None:
        raise ApiError(401, "malformed bearer token")
    digest = hash_token(token.strip())
    if kind == MEDIATOR:
        mediator = session.scalars(select(Mediator).where(Mediator.token_hash == digest)).first()
        if mediator is None or mediator.revoked_at is not None:
            raise ApiError(401, "unknown or revoked token")
        return Caller("mediator", f"mediator:{mediator.name}", mediator_id=mediator.id)
    assert kind == DELEGATION
    invitation = session.scalars(select(Invitation).where(Invitation.token_hash == digest)).first()
    if invitation is None or invitation.revoked_at is not None:
        raise ApiError(401, "unknown or revoked token")
    if _aware(invitation.expires_at) <= now():
        raise ApiError(401, "expired token: ask the mediator for a new invitation")
    return Caller(
        "delegation",
        f"delegation:{invitation.party}",
        case_id=invitation.case_id,
        party=invitation.party,
    )

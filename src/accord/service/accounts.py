"""Mediator accounts: created and revoked from the command line, never over the API."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from accord.errors import AccordError
from accord.service.auth import now
from accord.service.database import Database
from accord.service.models import Mediator
from accord.service.tokens import MEDIATOR, hash_password, hash_token, new_token

__all__ = ["add_mediator", "revoke_mediator"]


def add_mediator(database: Database, name: str, password: str | None) -> str:
    """Create mediator ``name``; return its API token (stored only as a hash)."""
    name = name.strip()
    if not name or len(name) > 200:
        raise AccordError("a mediator's name must have 1 to 200 characters")
    token = new_token(MEDIATOR)
    try:
        with database.write() as session:
            session.add(
                Mediator(
                    name=name,
                    password_hash=hash_password(password) if password else None,
                    token_hash=hash_token(token),
                    created_at=now(),
                )
            )
    except IntegrityError:
        raise AccordError(f"a mediator named {name!r} already exists") from None
    return token


def revoke_mediator(database: Database, name: str) -> None:
    with database.write() as session:
        mediator = session.scalars(select(Mediator).where(Mediator.name == name)).first()
        if mediator is None:
            raise AccordError(f"no mediator named {name!r}")
        if mediator.revoked_at is None:
            mediator.revoked_at = now()

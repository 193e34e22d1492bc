"""Request dependencies: the service context and the caller behind the bearer token."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Request

from accord.service.auth import Caller, resolve_token
from accord.service.database import Database
from accord.service.vault import Vault

__all__ = ["CallerDep", "Context", "ContextDep"]


@dataclass(frozen=True)
class Context:
    database: Database
    vault: Vault


def _context(request: Request) -> Context:
    context = request.app.state.context
    assert isinstance(context, Context)
    return context


ContextDep = Annotated[Context, Depends(_context)]


def _caller(
    context: ContextDep,
    authorization: Annotated[
        str | None, Header(description="Bearer TOKEN (a mediator's or a delegation's)")
    ] = None,
) -> Caller:
    with context.database.read() as session:
        return resolve_token(session, authorization)


CallerDep = Annotated[Caller, Depends(_caller)]

"""The FastAPI application of the neutral site.

The app holds no state outside the database (and the key), so several worker processes
or machines can serve one PostgreSQL database behind a load balancer. Route functions
are plain ``def``: FastAPI runs them in its thread pool, each with its own SQLAlchemy
session and transaction.
"""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI

from accord.service.database import Database
from accord.service.deps import Context
from accord.service.errors import install_error_handlers
from accord.service.limits import MAX_BODY_BYTES, BodyLimit
from accord.service.vault import Vault, load_or_create_key

__all__ = ["DB_ENV", "KEY_FILE_ENV", "create_app", "create_app_from_environment"]

DB_ENV = "ACCORD_SERVICE_DB"
KEY_FILE_ENV = "ACCORD_SERVICE_KEY_FILE"


def create_app(database: Database, vault: Vault, max_body: int = MAX_BODY_BYTES) -> FastAPI:
    """The application over an already-migrated ``database``."""
    from accord.service import routes_cases, routes_drafts, routes_parties

    app = FastAPI(
        title="accord neutral site",
        version="1",
        description="Confidential mediation: private preferences, neutral analysis, "
        "single-text drafts, secret answers and a hash-chained audit log.",
    )
    app.state.context = Context(database, vault)
    install_error_handlers(app)
    app.include_router(routes_cases.router)
    app.include_router(routes_parties.router)
    app.include_router(routes_drafts.router)
    app.add_middleware(BodyLimit, limit=max_body)
    return app


def create_app_from_environment() -> FastAPI:
    """For uvicorn workers (``factory=True``): the database URL and key file from the
    environment ``accord serve`` sets; migrations were applied before they started."""
    database = Database(os.environ[DB_ENV])
    key, _ = load_or_create_key(Path(os.environ.get(KEY_FILE_ENV, "accord-service.key")))
    return create_app(database, Vault(key))

"""Service test fixtures: every service test runs on SQLite and on PostgreSQL.

The PostgreSQL server comes from ``ACCORD_TEST_POSTGRES_URL`` (``.ci/run`` starts one);
each test gets a fresh database on it. Without the variable the PostgreSQL tests skip
with a reason, except under ``CI=true``, where they fail instead.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from servicekit import Service

POSTGRES_ENV = "ACCORD_TEST_POSTGRES_URL"


def postgres_server() -> str:
    url = os.environ.get(POSTGRES_ENV)
    if url:
        return url
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but {POSTGRES_ENV} is not set: .ci/run must start PostgreSQL")
    pytest.skip(f"no PostgreSQL server: set {POSTGRES_ENV}=postgresql://USER@HOST:PORT/postgres")


def fresh_postgres(server: str) -> Iterator[str]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from accord.service.database import normalise_url

    name = f"accord_test_{secrets.token_hex(6)}"
    admin = create_engine(normalise_url(server), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database of each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'service.db'}"
        return
    yield from fresh_postgres(postgres_server())


@pytest.fixture
def service(database_url: str) -> Iterator[Service]:
    from cryptography.fernet import Fernet
    from fastapi.testclient import TestClient

    from accord.service.accounts import add_mediator
    from accord.service.app import create_app
    from accord.service.database import Database, migrate
    from accord.service.vault import Vault

    database = Database(database_url)
    migrate(database)
    vault = Vault(Fernet.generate_key())
    mediator = add_mediator(database, "mia", "correct horse")
    with TestClient(create_app(database, vault, max_body=256 * 1024)) as client:
        yield Service(client, database, vault, mediator, database_url)
    database.dispose()

"""The service's commands: mediator accounts, serve's refusals, and a light ``import accord``."""

from __future__ import annotations

import subprocess
import sys

from sqlalchemy import select
from typer.testing import CliRunner

from accord.cli.main import app
from accord.service.auth import resolve_token
from accord.service.database import Database
from accord.service.models import Mediator


def test_mediators_add_prints_the_token_last_and_stores_hashes(database_url: str) -> None:
    runner = CliRunner()
    result = runner.invoke(
        app,
        ["mediators", "add", "mia", "--db", database_url, "--password-stdin"],
        input="s3cret password\n",
    )
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert token.startswith("acm_")
    assert len(token) >= 4 + 43  # 256 random bits
    database = Database(database_url)
    with database.read() as session:
        row = session.scalars(select(Mediator)).one()
        assert row.password_hash is not None
        assert row.password_hash.startswith("$argon2id$")
        assert token not in (row.token_hash, row.password_hash)
        assert resolve_token(session, f"Bearer {token}").actor == "mediator:mia"
    again = runner.invoke(app, ["mediators", "add", "mia", "--db", database_url])
    assert again.exit_code == 2
    assert "already exists" in again.output
    assert runner.invoke(app, ["mediators", "revoke", "mia", "--db", database_url]).exit_code == 0
    with database.read() as session:
        assert session.scalars(select(Mediator)).one().revoked_at is not None
    missing = runner.invoke(app, ["mediators", "revoke", "nobody", "--db", database_url])
    assert missing.exit_code == 2
    database.dispose()


def test_bad_database_urls_are_clear_errors() -> None:
    runner = CliRunner()
    for url, words in [
        ("mysql://x/y", "unsupported database"),
        ("nonsense", "not a database URL"),
        ("postgresql://nobody:pw@127.0.0.1:1/none", "cannot use the database"),
    ]:
        result = runner.invoke(app, ["mediators", "add", "x", "--db", url])
        assert result.exit_code == 2, result.output
        assert words in result.output
        assert "Traceback" not in result.output
        assert "pw@" not in result.output  # passwords are never echoed


def test_import_accord_does_not_load_the_web_stack() -> None:
    code = (
        "import sys, accord, accord.cli.main; heavy = [m for m in sys.modules if "
        "m.split('.')[0] in ('fastapi', 'uvicorn', 'sqlalchemy', 'alembic', 'argon2', "
        "'cryptography', 'psycopg')]; print(heavy)"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert output.strip() == "[]"

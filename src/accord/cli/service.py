"""``accord serve``, ``accord mediators`` and ``accord audit``: the neutral site's commands.

The web stack (FastAPI, uvicorn, SQLAlchemy, Alembic) is imported only when one of
these commands runs, so ``import accord`` and the other commands stay light.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from accord.errors import AccordError

if TYPE_CHECKING:
    from accord.service.database import Database

__all__ = ["audit_app", "mediators_app", "serve_command"]

DEFAULT_DB = "sqlite:///accord-service.db"
DEFAULT_KEY_FILE = Path("accord-service.key")

mediators_app = typer.Typer(help="Mediator accounts of the neutral site.", no_args_is_help=True)
audit_app = typer.Typer(help="Audit logs of the neutral site.", no_args_is_help=True)

DbOption = Annotated[
    str,
    typer.Option(
        "--db", help="Database URL: sqlite:///FILE (default) or postgresql://USER@HOST/NAME."
    ),
]


def _say(message: str) -> None:
    typer.echo(message, err=True)


def _open_database(url: str) -> Database:
    """Connect and apply the migrations; a clear message when the database is unreachable."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    from accord.service.database import Database, migrate

    database = Database(url)
    shown = make_url(database.url).render_as_string(hide_password=True)
    try:
        migrate(database)
    except SQLAlchemyError as error:
        first = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        raise AccordError(f"cannot use the database {shown}: {first}") from None
    return database


def serve_command(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    key_file: Annotated[
        Path,
        typer.Option(
            help="Key encrypting private payloads (created on first start), unless "
            "ACCORD_SERVICE_KEY is set."
        ),
    ] = DEFAULT_KEY_FILE,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes.")] = 1,
) -> None:
    """Run the confidential mediation service (JSON API, OpenAPI at /openapi.json)."""
    from accord.cli.main import _user_errors

    with _user_errors():
        import uvicorn

        from accord.service.app import DB_ENV, KEY_FILE_ENV
        from accord.service.vault import Vault, load_or_create_key

        database = _open_database(db)
        database.dispose()
        key, created = load_or_create_key(key_file)
        Vault(key)  # refuse a bad key before listening
        if created:
            _say(created)
        os.environ[DB_ENV] = db
        os.environ[KEY_FILE_ENV] = str(key_file.resolve())
        _say(f"accord neutral site on http://{host}:{port} (API docs at /docs)")
        uvicorn.run(
            "accord.service.app:create_app_from_environment",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="info",
        )


@mediators_app.command("add")
def add_mediator_command(
    name: Annotated[str, typer.Argument(help="The mediator's name (unique).")],
    db: DbOption = DEFAULT_DB,
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin",
            help="Read a password (for the web pages) from the first line of standard input.",
        ),
    ] = False,
) -> None:
    """Create a mediator account; its API token is printed once, on the last line."""
    from accord.cli.main import _user_errors

    with _user_errors():
        from accord.service.accounts import add_mediator

        password = None
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
            if not password:
                raise AccordError("--password-stdin: the first line of standard input is empty")
        token = add_mediator(_open_database(db), name, password)
        typer.echo(f"mediator {name!r} created; its API token (shown once, keep it secret):")
        typer.echo(token)


@mediators_app.command("revoke")
def revoke_mediator_command(
    name: Annotated[str, typer.Argument(help="The mediator's name.")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Revoke a mediator's token: it is refused from now on."""
    from accord.cli.main import _user_errors

    with _user_errors():
        from accord.service.accounts import revoke_mediator

        revoke_mediator(_open_database(db), name)
        typer.echo(f"mediator {name!r} revoked")


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise AccordError(f"{path}: cannot read: {error.strerror or error}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise AccordError(f"{path}: not JSON ({error})") from None


@audit_app.command("verify")
def verify_audit_command(
    file: Annotated[Path, typer.Argument(help="An exported audit log (GET …/audit).")],
    earlier: Annotated[
        Path | None,
        typer.Option(help="An earlier export of the same case that must be a prefix of FILE."),
    ] = None,
) -> None:
    """Verify an exported audit log offline: exit 0 when intact, 1 when broken."""
    from accord.cli.main import _user_errors
    from accord.service.audit_chain import verify_export

    with _user_errors():
        data = _read_json(file)
        check = verify_export(data, _read_json(earlier) if earlier else None)
    if not check.ok:
        typer.echo(f"BROKEN: {file}: {check.problem}")
        raise typer.Exit(1)
    typer.echo(f"ok: {check.entries} entries, chain intact (head {check.head})")

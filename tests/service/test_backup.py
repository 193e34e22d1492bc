"""Backup and restore, as docs/how-to/serve.md describes them: the restored database with
the same key serves the same case, private preferences and intact audit chain."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi.testclient import TestClient
from servicekit import NORTH_PRIVATE, Service
from sqlalchemy.engine import make_url

from accord.service.app import create_app
from accord.service.database import Database, migrate
from conftest import fresh_postgres, postgres_server

PG_BIN = Path(os.environ.get("ACCORD_PG_BIN", "/usr/lib/postgresql/15/bin"))


def _backup_sqlite(url: str, folder: Path) -> str:
    """``sqlite3 accord-service.db ".backup backup.db"``: an online, consistent copy."""
    source = sqlite3.connect(make_url(url).database or "")
    target = sqlite3.connect(folder / "backup.db")
    with target:
        source.backup(target)
    source.close()
    target.close()
    restored = folder / "restored.db"
    shutil.copyfile(folder / "backup.db", restored)
    return f"sqlite:///{restored}"


@contextmanager
def _restored_postgres(url: str, folder: Path) -> Iterator[str]:
    """``pg_dump -Fc`` then ``pg_restore`` into a new database."""
    dump = folder / "backup.dump"
    subprocess.run([str(PG_BIN / "pg_dump"), "-Fc", "-f", str(dump), "-d", url], check=True)
    with contextmanager(fresh_postgres)(postgres_server()) as restored:
        subprocess.run(
            [str(PG_BIN / "pg_restore"), "--no-owner", "-d", restored, str(dump)], check=True
        )
        yield restored


@contextmanager
def _restore(service: Service, folder: Path) -> Iterator[str]:
    if service.url.startswith("sqlite"):
        yield _backup_sqlite(service.url, folder)
    else:
        with _restored_postgres(service.url, folder) as restored:
            yield restored


def test_backup_and_restore(service: Service, tmp_path: Path) -> None:
    case = service.open_case()
    north = service.invite(case, "north")
    service.call("PUT", f"/api/cases/{case}/parties/north/preferences", north, json=NORTH_PRIVATE)
    with _restore(service, tmp_path) as restored_url:
        database = Database(restored_url)
        migrate(database)  # a no-op on a current backup
        with TestClient(create_app(database, service.vault)) as client:
            headers = {"Authorization": f"Bearer {north}"}
            versions = client.get(
                f"/api/cases/{case}/parties/north/preferences", headers=headers
            ).json()["versions"]
            assert versions[0]["preferences"]["reservation"]["value"] == 0.2468
            assert client.get(f"/api/cases/{case}/audit/verify", headers=headers).json()["ok"]
        database.dispose()

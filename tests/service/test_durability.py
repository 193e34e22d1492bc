"""Nothing acknowledged is lost: SIGKILL the real server during a burst of concurrent
writes, restart it, and find every write it acknowledged (SQLite WAL and PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.fernet import Fernet
from servicekit import HARBOUR, NORTH_PRIVATE, SOUTH_PRIVATE, RunningServer

from accord.service.accounts import add_mediator
from accord.service.database import Database, migrate


@pytest.fixture
def prepared(database_url: str, tmp_path: Path) -> Iterator[dict[str, Any]]:
    database = Database(database_url)
    migrate(database)
    mediator = add_mediator(database, "mia", None)
    database.dispose()
    key = Fernet.generate_key().decode()
    server = RunningServer(database_url, tmp_path, key)
    try:
        auth = {"Authorization": f"Bearer {mediator}"}
        case = httpx.post(
            f"{server.base}/api/cases", headers=auth, json={"title": "Durable", "scenario": HARBOUR}
        ).json()["id"]
        tokens = {
            party: httpx.post(
                f"{server.base}/api/cases/{case}/invitations", headers=auth, json={"party": party}
            ).json()["token"]
            for party in ("north", "south")
        }
        yield {
            "server": server,
            "case": case,
            "tokens": tokens,
            "key": key,
            "url": database_url,
            "dir": tmp_path,
        }
    finally:
        server.stop()


def _submit(
    base: str, case: str, party: str, token: str, n: int, failures: list[int]
) -> tuple[str, int, str] | None:
    prefs = NORTH_PRIVATE if party == "north" else SOUTH_PRIVATE
    label = f"burst write {n}"
    body = {**prefs, "reservation": {"value": 0.2, "label": label}}
    try:
        response = httpx.put(
            f"{base}/api/cases/{case}/parties/{party}/preferences",
            headers={"Authorization": f"Bearer {token}"},
            json=body,
            timeout=30,
        )
    except httpx.HTTPError:
        return None  # not acknowledged: the server died first
    if response.status_code >= 500:
        failures.append(response.status_code)
    return (party, int(response.json()["version"]), label) if response.status_code == 200 else None


def test_sigkill_during_concurrent_writes_loses_no_acknowledged_write(
    prepared: dict[str, Any],
) -> None:
    server, case, tokens = prepared["server"], prepared["case"], prepared["tokens"]
    acknowledged: list[tuple[str, int, str]] = []
    failures: list[int] = []
    enough = threading.Event()

    def write(n: int) -> None:
        party = ("north", "south")[n % 2]
        result = _submit(server.base, case, party, tokens[party], n, failures)
        if result is not None:
            acknowledged.append(result)
            if len(acknowledged) >= 15:
                enough.set()

    with ThreadPoolExecutor(max_workers=12) as pool:
        for n in range(400):
            pool.submit(write, n)
        enough.wait(timeout=120)
        server.kill()  # mid-burst: writes are in flight
    assert len(acknowledged) >= 15
    assert not failures, failures
    restarted = RunningServer(prepared["url"], prepared["dir"], prepared["key"])
    try:
        for party in ("north", "south"):
            stored = httpx.get(
                f"{restarted.base}/api/cases/{case}/parties/{party}/preferences",
                headers={"Authorization": f"Bearer {tokens[party]}"},
            ).json()["versions"]
            found = {
                (party, v["version"], v["preferences"]["reservation"]["label"]) for v in stored
            }
            assert {a for a in acknowledged if a[0] == party} <= found
            assert [v["version"] for v in stored] == list(range(1, len(stored) + 1))
        logged = b"".join(p.read_bytes() for p in prepared["dir"].glob("server-*.log"))
        assert b"PUT /api/cases/" in logged  # the access log is there, and holds no secret
        for secret in [*tokens.values(), *(label for _, _, label in acknowledged)]:
            assert secret.encode() not in logged
        verdict = httpx.get(
            f"{restarted.base}/api/cases/{case}/audit/verify",
            headers={"Authorization": f"Bearer {tokens['north']}"},
        ).json()
        assert verdict["ok"] is True
    finally:
        restarted.stop()

"""Under load: 50 delegations writing and reading at once for a bounded time, against the
real server. No 5xx, no lost write; the p95 latency is reported (never asserted)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx
import yaml
from cryptography.fernet import Fernet
from servicekit import RunningServer

from accord.service.accounts import add_mediator
from accord.service.database import Database, migrate

DELEGATIONS = 50
SECONDS = 4.0


def _scenario() -> str:
    parties = [
        {"id": f"d{n:02d}", "name": f"Delegation {n}", "role": "principal"}
        for n in range(DELEGATIONS)
    ]
    issues = [
        {"id": "fees", "options": [{"id": "low"}, {"id": "mid"}, {"id": "high"}]},
        {"id": "berths", "options": [{"id": "two"}, {"id": "six"}]},
    ]
    return yaml.safe_dump(
        {"accord": 1, "id": "crowd", "title": "Crowd", "parties": parties, "issues": issues}
    )


class Delegation(threading.Thread):
    def __init__(self, base: str, case: str, party: str, token: str, stop: float) -> None:
        super().__init__()
        self.base, self.case, self.party, self.stop_at = base, case, party, stop
        self.headers = {"Authorization": f"Bearer {token}"}
        self.latencies: list[float] = []
        self.statuses: list[int] = []
        self.written: list[int] = []

    def _timed(self, client: httpx.Client, method: str, path: str, **kw: object) -> httpx.Response:
        started = time.perf_counter()
        response = client.request(method, self.base + path, headers=self.headers, **kw)  # type: ignore[arg-type]
        self.latencies.append(time.perf_counter() - started)
        self.statuses.append(response.status_code)
        return response

    def run(self) -> None:
        n = 0
        with httpx.Client(timeout=60) as client:
            while time.monotonic() < self.stop_at:
                n += 1
                prefs = {
                    "salience": {"fees": 1, "berths": n % 5},
                    "values": {
                        "fees": {"low": 1, "mid": 0.5, "high": 0},
                        "berths": {"two": 0, "six": 1},
                    },
                    "reservation": {"value": 0.1, "label": f"{self.party} round {n}"},
                }
                path = f"/api/cases/{self.case}/parties/{self.party}/preferences"
                response = self._timed(client, "PUT", path, json=prefs)
                if response.status_code == 200:
                    self.written.append(int(response.json()["version"]))
                self._timed(client, "GET", path)
                self._timed(client, "GET", f"/api/cases/{self.case}")


def test_fifty_concurrent_delegations(database_url: str, tmp_path: Path) -> None:
    database = Database(database_url)
    migrate(database)
    mediator = add_mediator(database, "mia", None)
    database.dispose()
    server = RunningServer(database_url, tmp_path, Fernet.generate_key().decode())
    try:
        auth = {"Authorization": f"Bearer {mediator}"}
        case = httpx.post(
            f"{server.base}/api/cases",
            headers=auth,
            json={"title": "Crowd", "scenario": _scenario()},
        ).json()["id"]
        tokens = {
            f"d{n:02d}": httpx.post(
                f"{server.base}/api/cases/{case}/invitations",
                headers=auth,
                json={"party": f"d{n:02d}"},
            ).json()["token"]
            for n in range(DELEGATIONS)
        }
        stop = time.monotonic() + SECONDS
        crowd = [Delegation(server.base, case, p, t, stop) for p, t in tokens.items()]
        for delegation in crowd:
            delegation.start()
        for delegation in crowd:
            delegation.join()
        statuses = [s for d in crowd for s in d.statuses]
        assert statuses
        assert all(s < 500 for s in statuses), sorted(set(statuses))
        for delegation in crowd:
            stored = httpx.get(
                f"{server.base}/api/cases/{case}/parties/{delegation.party}/preferences",
                headers=delegation.headers,
            ).json()["versions"]
            assert [v["version"] for v in stored] == delegation.written
        latencies = sorted(x for d in crowd for x in d.latencies)
        p95 = latencies[int(0.95 * (len(latencies) - 1))]
        backend = database_url.split(":", 1)[0]
        print(
            f"\nload ({backend}): {len(latencies)} requests by {DELEGATIONS} delegations in "
            f"{SECONDS:g} s, p95 latency {p95 * 1000:.0f} ms"
        )
    finally:
        server.stop()

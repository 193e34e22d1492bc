"""Benchmark: requests per second of ``accord serve`` on SQLite and on PostgreSQL.

Each backend gets a fresh database and a real ``accord serve`` process (uvicorn, one
worker, on 127.0.0.1). ``--clients`` delegations of one case then loop for
``--seconds``: submit a new preferences version (a write: one transaction with its audit
entry), read its own preferences, read the case status, and every fourth round read the
neutral analysis (computed once per new submission, then served from the database).
The script prints requests per second, and p50/p95 latency, for writes and reads.

PostgreSQL comes from ``--postgres URL`` (a server URL; a throw-away database is created
on it and dropped) or ``ACCORD_TEST_POSTGRES_URL``; ``.ci/postgres.sh`` starts one::

    bash -c 'source .ci/postgres.sh && .venv/bin/python bench/service.py'
    .venv/bin/python bench/service.py --seconds 5 --clients 10   # SQLite only, if no server
"""

from __future__ import annotations

import argparse
import os
import platform
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import yaml
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from accord.service.accounts import add_mediator
from accord.service.database import Database, migrate, normalise_url


def _scenario(clients: int) -> str:
    parties = [{"id": f"d{n:03d}", "name": f"D{n}", "role": "principal"} for n in range(clients)]
    issues = [
        {"id": "fees", "options": [{"id": "low"}, {"id": "mid"}, {"id": "high"}]},
        {"id": "berths", "options": [{"id": "two"}, {"id": "four"}, {"id": "six"}]},
    ]
    data = {"accord": 1, "id": "bench", "title": "Bench", "parties": parties, "issues": issues}
    return str(yaml.safe_dump(data))


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve(url: str, folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _port()
    command = [
        sys.executable,
        "-c",
        "from accord.cli.main import main; main()",
        "serve",
        "--db",
        url,
        "--port",
        str(port),
    ]
    env = {**os.environ, "ACCORD_SERVICE_KEY": Fernet.generate_key().decode()}
    log = (folder / f"serve-{port}.log").open("wb")
    process = subprocess.Popen(command, cwd=folder, env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(base + "/api/health", timeout=1).status_code == 200:
                return process, base
        except httpx.HTTPError:
            time.sleep(0.05)
    raise SystemExit("the server did not start")


class Client(threading.Thread):
    def __init__(self, base: str, case: str, party: str, token: str, stop: float) -> None:
        super().__init__()
        self.base, self.case, self.party, self.stop_at = base, case, party, stop
        self.headers = {"Authorization": f"Bearer {token}"}
        self.writes: list[float] = []
        self.reads: list[float] = []
        self.errors = 0

    def _call(
        self, client: httpx.Client, kind: list[float], method: str, path: str, body: object = None
    ) -> None:
        started = time.perf_counter()
        response = client.request(method, self.base + path, headers=self.headers, json=body)
        kind.append(time.perf_counter() - started)
        self.errors += response.status_code >= 400

    def run(self) -> None:
        prefs_path = f"/api/cases/{self.case}/parties/{self.party}/preferences"
        round_ = 0
        with httpx.Client(timeout=120) as client:
            while time.monotonic() < self.stop_at:
                round_ += 1
                body = {
                    "salience": {"fees": 1, "berths": 1 + round_ % 3},
                    "values": {
                        "fees": {"low": 1, "mid": 0.5, "high": 0},
                        "berths": {"two": 0, "four": 0.5, "six": 1},
                    },
                    "reservation": {"value": 0.2},
                }
                self._call(client, self.writes, "PUT", prefs_path, body)
                self._call(client, self.reads, "GET", prefs_path)
                self._call(client, self.reads, "GET", f"/api/cases/{self.case}")
                if round_ % 4 == 0:
                    self._call(client, self.reads, "GET", f"/api/cases/{self.case}/analysis")


def _run(url: str, clients: int, seconds: float) -> dict[str, float]:
    database = Database(url)
    migrate(database)
    mediator = add_mediator(database, "bench", None)
    database.dispose()
    with tempfile.TemporaryDirectory() as folder:
        process, base = _serve(url, Path(folder))
        try:
            auth = {"Authorization": f"Bearer {mediator}"}
            case = httpx.post(
                f"{base}/api/cases",
                headers=auth,
                timeout=60,
                json={"title": "Bench", "scenario": _scenario(clients)},
            ).json()["id"]
            tokens = {
                f"d{n:03d}": httpx.post(
                    f"{base}/api/cases/{case}/invitations",
                    headers=auth,
                    json={"party": f"d{n:03d}"},
                    timeout=60,
                ).json()["token"]
                for n in range(clients)
            }
            stop = time.monotonic() + seconds
            crowd = [Client(base, case, p, t, stop) for p, t in tokens.items()]
            started = time.monotonic()
            for c in crowd:
                c.start()
            for c in crowd:
                c.join()
            elapsed = time.monotonic() - started
        finally:
            process.terminate()
            process.wait(timeout=30)
    writes = sorted(x for c in crowd for x in c.writes)
    reads = sorted(x for c in crowd for x in c.reads)
    return {
        "rps": (len(writes) + len(reads)) / elapsed,
        "writes/s": len(writes) / elapsed,
        "reads/s": len(reads) / elapsed,
        "write p50 ms": _pct(writes, 0.5),
        "write p95 ms": _pct(writes, 0.95),
        "read p50 ms": _pct(reads, 0.5),
        "read p95 ms": _pct(reads, 0.95),
        "errors": sum(c.errors for c in crowd),
    }


def _pct(values: list[float], q: float) -> float:
    return 1000 * values[int(q * (len(values) - 1))] if values else float("nan")


def _postgres_database(server: str) -> tuple[str, str]:
    name = f"accord_bench_{secrets.token_hex(4)}"
    admin = create_engine(normalise_url(server), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(server).set(database=name).render_as_string(hide_password=False), name


def _drop(server: str, name: str) -> None:
    admin = create_engine(normalise_url(server), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--postgres", default=os.environ.get("ACCORD_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    print(
        f"# accord serve: {args.clients} clients for {args.seconds:g} s, one worker "
        f"({platform.processor() or platform.machine()}, {os.cpu_count()} cores)"
    )
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        results["SQLite (WAL)"] = _run(f"sqlite:///{folder}/bench.db", args.clients, args.seconds)
    if args.postgres:
        url, name = _postgres_database(args.postgres)
        try:
            results["PostgreSQL"] = _run(url, args.clients, args.seconds)
        finally:
            _drop(args.postgres, name)
    else:
        print("(PostgreSQL skipped: no --postgres URL or ACCORD_TEST_POSTGRES_URL)")
    keys = list(next(iter(results.values())))
    print("| backend | " + " | ".join(keys) + " |")
    print("|---|" + "---|" * len(keys))
    for backend, row in results.items():
        print(f"| {backend} | " + " | ".join(f"{row[k]:.1f}" for k in keys) + " |")


if __name__ == "__main__":
    main()

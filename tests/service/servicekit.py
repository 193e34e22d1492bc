"""Shared pieces of the service tests: the test scenario, private inputs, a client wrapper."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HARBOUR = (Path(__file__).parent / "harbour.yaml").read_text()


@dataclass
class Service:
    """An app over a migrated database, with a test client and one mediator."""

    client: Any
    database: Any
    vault: Any
    mediator: str
    url: str
    tokens: dict[str, str] = field(default_factory=dict)

    def call(self, method: str, path: str, token: str | None = None, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.client.request(method, path, headers=headers, **kwargs)

    def open_case(self, scenario: str = HARBOUR, title: str = "Harbour") -> str:
        response = self.call(
            "POST", "/api/cases", self.mediator, json={"title": title, "scenario": scenario}
        )
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    def invite(self, case: str, party: str) -> str:
        response = self.call(
            "POST", f"/api/cases/{case}/invitations", self.mediator, json={"party": party}
        )
        assert response.status_code == 201, response.text
        return str(response.json()["token"])


NORTH_PRIVATE = {
    "salience": {"fees": 0.7, "berths": 0.3},
    "values": {
        "fees": {"low": 1.0, "mid": 0.4123, "high": 0.0},
        "berths": {"two": 0.0, "four": 0.6789, "six": 1.0},
    },
    "red_lines": [{"when": {"fees": "high"}, "reason": "North's secret red line on fees"}],
    "reservation": {"value": 0.2468, "label": "North's secret fallback"},
}
SOUTH_PRIVATE = {
    "salience": {"fees": 0.4, "berths": 0.6},
    "values": {
        "fees": {"low": 0.0, "mid": 0.5791, "high": 1.0},
        "berths": {"two": 1.0, "four": 0.3579, "six": 0.0},
    },
    "reservation": {"value": 0.1357, "label": "South's secret fallback"},
}


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RunningServer:
    """``accord serve`` in a subprocess on 127.0.0.1 (the real uvicorn stack)."""

    def __init__(self, database_url: str, workdir: Path, key: str) -> None:
        import os
        import sys

        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = (workdir / f"server-{self.port}.log").open("wb")
        command = [
            sys.executable,
            "-c",
            "from accord.cli.main import main; main()",
            "serve",
            "--db",
            database_url,
            "--port",
            str(self.port),
        ]
        env = {**os.environ, "ACCORD_SERVICE_KEY": key}
        import subprocess

        self.process = subprocess.Popen(
            command, cwd=workdir, env=env, stdout=self.log, stderr=subprocess.STDOUT
        )
        self._wait()

    def _wait(self) -> None:
        import time

        import httpx

        for _ in range(600):
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}")
            try:
                if httpx.get(self.base + "/api/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise RuntimeError("server did not start in 30 s")

    def kill(self) -> None:
        import signal

        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        self.log.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except Exception:
                self.kill()
        self.log.close()

"""Running the real ``accord`` entry point as a child process, signalling it, and
checking that it leaves no process behind (tests/hostile).

No timing assertions: every wait is bounded only so that a broken build fails instead
of hanging, and the readiness of a child is read from ``/proc`` (its caught-signal
mask), not guessed from a sleep.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import psutil
import yaml

__all__ = ["Child", "accord_executable", "generated_scenario", "start"]

STARTUP_LIMIT = 120.0
"""Seconds a child may take to import accord (2 cores shared by many processes)."""
EXIT_LIMIT = 60.0
"""Seconds a signalled child may take to write what it has and exit."""


def accord_executable() -> str:
    """The console script installed beside this interpreter (the real entry point)."""
    script = Path(sys.executable).with_name("accord")
    return str(script) if script.exists() else "accord"


@dataclass
class Child:
    process: subprocess.Popen[bytes]
    folder: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def wait_until_ready(self) -> None:
        """Until accord's signal handlers are installed (bit of SIGTERM in SigCgt)."""
        deadline = time.monotonic() + STARTUP_LIMIT
        bit = 1 << (signal.SIGTERM - 1)
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"accord exited early: {self.stderr()}")
            try:
                status = Path(f"/proc/{self.pid}/status").read_text()
            except OSError:
                status = ""
            for line in status.splitlines():
                if line.startswith("SigCgt:") and int(line.split()[1], 16) & bit:
                    return
            time.sleep(0.05)
        raise AssertionError("accord never installed its signal handlers")

    def descendants(self) -> list[psutil.Process]:
        try:
            return psutil.Process(self.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return []

    def wait_for_descendants(self, count: int) -> list[psutil.Process]:
        deadline = time.monotonic() + STARTUP_LIMIT
        while time.monotonic() < deadline:
            found = self.descendants()
            if len(found) >= count or self.process.poll() is not None:
                return found
            time.sleep(0.05)
        return self.descendants()

    def finish(self) -> int:
        try:
            return self.process.wait(timeout=EXIT_LIMIT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError("accord did not exit after the signal") from None

    def stderr(self) -> str:
        return (self.folder / "stderr.txt").read_text(errors="replace")

    def stdout(self) -> str:
        return (self.folder / "stdout.txt").read_text(errors="replace")


def start(args: list[str], folder: Path) -> Child:
    """``accord ARGS`` in ``folder``, its own process group, output to files there."""
    with (folder / "stdout.txt").open("wb") as out, (folder / "stderr.txt").open("wb") as err:
        process = subprocess.Popen(
            [accord_executable(), *args],
            cwd=folder,
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            env={**os.environ, "COLUMNS": "120"},
        )
    return Child(process, folder)


def left_running(processes: list[psutil.Process]) -> list[psutil.Process]:
    """Those of ``processes`` still alive after a bounded wait (zombies count as gone:
    they no longer run, and only their new parent can reap them)."""
    deadline = time.monotonic() + 10.0
    alive = processes
    while alive and time.monotonic() < deadline:
        alive = [p for p in alive if _running(p)]
        time.sleep(0.05)
    return alive


def _running(process: psutil.Process) -> bool:
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def generated_scenario(n_issues: int, n_parties: int, seed: int = 0) -> str:
    """Scenario YAML: ``n_issues`` issues of 4 options, principals with random weights
    and values, two red lines and two interaction terms each (a hard structured
    analysis when large)."""
    rng = np.random.default_rng(seed)
    issues = [
        {"id": f"i{i}", "options": [{"id": f"o{o}"} for o in range(4)]} for i in range(n_issues)
    ]

    def condition() -> dict[str, list[str]]:
        chosen = rng.choice(n_issues, size=2, replace=False)
        return {
            f"i{i}": [f"o{o}" for o in sorted(rng.choice(4, size=2, replace=False))] for i in chosen
        }

    parties = []
    for p in range(n_parties):
        weights = rng.dirichlet(np.ones(n_issues))
        values = rng.random((n_issues, 4))
        preferences = {
            "salience": {f"i{i}": float(weights[i]) for i in range(n_issues)},
            "values": {
                f"i{i}": {f"o{o}": float(values[i, o]) for o in range(4)} for i in range(n_issues)
            },
            "reservation": {"value": 0.5},
            "interactions": [
                {"when": condition(), "value": float(rng.uniform(-0.1, 0.1))} for _ in range(2)
            ],
            "red_lines": [{"when": condition(), "reason": f"red line {n}"} for n in range(2)],
        }
        parties.append(
            {"id": f"p{p}", "name": f"P{p}", "role": "principal", "preferences": preferences}
        )
    data = {
        "accord": 1,
        "id": f"generated-{n_issues}",
        "title": "generated",
        "utility": {"normalize_salience": False},
        "parties": parties,
        "issues": issues,
    }
    return yaml.safe_dump(data, sort_keys=False)

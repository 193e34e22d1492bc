"""SIGTERM, SIGHUP and Ctrl-C during every long command (issue 11, item 3).

Each case runs the real ``accord`` entry point in its own process group on an input
that takes far longer than the test waits, signals it once its handlers are in place,
and checks the exit status (128 + the signal), that what was written is whole (or that
nothing was), and that no process it started is left running.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import time
from pathlib import Path

import pytest

from processes import generated_scenario, left_running, start

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/status").exists(), reason="needs Linux /proc to see signal handlers"
)

SIGNALS = {"SIGINT": 130, "SIGHUP": 129, "SIGTERM": 143}

FRAMEWORK = """\
accord: 1
id: big-draft
title: A draft of the generated scenario
scenario: {scenario}
draft: 1
points:
  - id: one
    title: One
    text: The first point.
    settles: {{i0: o1}}
  - id: two
    title: Two
    text: The second point.
    settles: {{i1: o2}}
"""

TOURNAMENT = """\
name: long
seed: 1
repetitions: 400
rounds: 200
strategies: [boulware, conceder, tit-for-tat, random]
protocols: [alternating]
scenarios:
  - scenario: berlin-2025
    parties: [ukraine, russia]
"""


def _files(folder: Path) -> None:
    (folder / "big.yaml").write_text(generated_scenario(40, 8), encoding="utf-8")
    (folder / "mid.yaml").write_text(generated_scenario(12, 5), encoding="utf-8")
    (folder / "wide.yaml").write_text(generated_scenario(200, 10), encoding="utf-8")
    (folder / "big-draft.yaml").write_text(FRAMEWORK.format(scenario="big.yaml"))
    (folder / "wide-draft.yaml").write_text(FRAMEWORK.format(scenario="wide.yaml"))
    (folder / "mid-draft.yaml").write_text(FRAMEWORK.format(scenario="mid.yaml"))
    rng_rows = "\n".join(
        f"a{i},{1 + (i * 37) % 97},{(i * 53) % 101},{((i * 29) % 10 + 1) / 10}" for i in range(800)
    )
    (folder / "actors.csv").write_text("actor,capability,position,salience\n" + rng_rows + "\n")
    (folder / "spec.yaml").write_text(TOURNAMENT)


def _interrupt(args: list[str], folder: Path, name: str, settle: float = 1.5) -> tuple[int, str]:
    _files(folder)
    child = start(args, folder)
    child.wait_until_ready()
    time.sleep(settle)  # into the work (a signal even earlier must be handled the same)
    started = child.descendants()
    child.process.send_signal(getattr(signal, name))
    code = child.finish()
    assert left_running(started) == []
    return code, child.stderr()


def _whole_json_or_nothing(path: Path) -> dict[str, object] | None:
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("SIGTERM", ["analyze", "big.yaml", "--frontier-limit", "100000"]),
        ("SIGHUP", ["amend", "big-draft.yaml", "--limit", "50"]),
        ("SIGINT", ["review", "mid-draft.yaml"]),
    ],
)
def test_analyses_stop_with_the_signal_and_write_whole_or_nothing(
    tmp_path: Path, name: str, args: list[str]
) -> None:
    code, err = _interrupt([*args, "-f", "json", "-o", "out.json"], tmp_path, name)
    assert code == SIGNALS[name], err
    assert "Traceback" not in err
    assert f"interrupted ({name})" in err
    data = _whole_json_or_nothing(tmp_path / "out.json")
    if data is not None:  # partial answers are marked as such
        assert data.get("exact") is False or any("Interrupted" in n for n in data["notes"])  # type: ignore[union-attr]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("SIGHUP", ["simulate", "-s", "all=hardliner", "--rounds", "1000000", "-f", "json"]),
        ("SIGTERM", ["forecast", "actors.csv", "--rounds", "100000", "-f", "json"]),
        ("SIGINT", ["mediate", "wide-draft.yaml", "--rounds", "10000", "-f", "json"]),
    ],
)
def test_sessions_and_forecasts_stop_with_the_signal(
    tmp_path: Path, name: str, args: list[str]
) -> None:
    code, err = _interrupt([*args, "-o", "out.json"], tmp_path, name, settle=0.2)
    assert code == SIGNALS[name], err
    assert "Traceback" not in err
    assert err.count("interrupted") == 1
    _whole_json_or_nothing(tmp_path / "out.json")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize("name", list(SIGNALS))
def test_a_tournament_keeps_its_finished_runs_and_ends_its_workers(
    tmp_path: Path, name: str
) -> None:
    _files(tmp_path)
    child = start(["tournament", "spec.yaml", "-o", "r.csv", "--workers", "2"], tmp_path)
    child.wait_until_ready()
    workers = child.wait_for_descendants(4)  # resource tracker, fork server, 2 workers
    time.sleep(1.0)
    workers = child.descendants()
    # The whole group, as a closed terminal or Ctrl-C does; the workers must not die
    # before the parent has collected what they finished.
    os.killpg(child.pid, getattr(signal, name))
    code = child.finish()
    err = child.stderr()
    assert code == SIGNALS[name], err
    assert "Traceback" not in err
    assert left_running(workers) == []
    finished = int(err.split("interrupted: ")[1].split(" of ")[0])
    if finished:
        with (tmp_path / "r.csv").open() as stream:
            rows = list(csv.DictReader(stream))
        assert len(rows) == 2 * finished
        assert all(
            None not in row.values() and "" not in (row["run"], row["utility"]) for row in rows
        )
    else:
        assert not (tmp_path / "r.csv").exists()


def test_sigterm_to_the_parent_alone_ends_its_workers(tmp_path: Path) -> None:
    _files(tmp_path)
    child = start(["tournament", "spec.yaml", "-o", "r.csv", "--workers", "2"], tmp_path)
    child.wait_until_ready()
    child.wait_for_descendants(4)
    workers = child.descendants()
    child.process.send_signal(signal.SIGTERM)
    assert child.finish() == 143, child.stderr()
    assert left_running(workers) == []


def test_workers_do_not_outlive_a_killed_parent(tmp_path: Path) -> None:
    """SIGKILL cannot be handled: the workers notice their owner's end by themselves."""
    _files(tmp_path)
    child = start(["tournament", "spec.yaml", "-o", "r.csv", "--workers", "2"], tmp_path)
    child.wait_until_ready()
    child.wait_for_descendants(4)
    workers = child.descendants()
    child.process.kill()
    child.finish()
    assert left_running(workers) == []

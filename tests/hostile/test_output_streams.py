"""A full, closed or vanished standard output, through the installed ``accord`` script,
for every command that prints: one line and status 1 for a full device or a closed
descriptor; quiet status 141 for a pipe closed by its reader (as Unix tools do)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = shutil.which("accord", path=str(Path(sys.executable).parent))
pytestmark = pytest.mark.skipif(SCRIPT is None, reason="the accord console script is not installed")

SPEC = """\
name: tiny
seed: 7
repetitions: 1
rounds: 10
strategies: [boulware, conceder]
protocols: [alternating]
scenarios:
  - scenario: berlin-2025
    parties: [ukraine, united-states]
"""

DRAFT = "berlin-2025-berlin-draft"
PRINTING = {
    "analyze": ["analyze"],
    "analyze-json": ["analyze", "-f", "json"],
    "show": ["show", "-f", "yaml"],
    "schema": ["schema"],
    "scenarios": ["scenarios"],
    "validate": ["validate", "berlin-2025"],
    "frameworks": ["frameworks"],
    "diff": ["diff", "berlin-2025-us-proposal", DRAFT, "-f", "json"],
    "review": ["review", DRAFT],
    "amend": ["amend", DRAFT, "-f", "markdown"],
    "mediate": ["mediate", "berlin-2025-us-proposal"],
    "simulate": ["simulate", "-r", "20", "-f", "jsonl"],
    "tournament": ["tournament", "{spec}", "--workers", "1", "-o", "{out}/r.csv"],
    "forecast": ["forecast", "-f", "csv"],
    "help": ["--help"],
}


def command(name: str, folder: Path) -> list[str]:
    spec = folder / "tiny.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    assert SCRIPT is not None
    return [SCRIPT, *(a.format(spec=spec, out=folder) for a in PRINTING[name])]


def run(args: list[str], stdout: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=300, check=False
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize("name", sorted(PRINTING))
def test_a_full_standard_output_is_one_line_and_status_1(name: str, tmp_path: Path) -> None:
    with open("/dev/full", "wb") as full:  # only as a stream: never named by -o
        done = run(command(name, tmp_path), full.fileno())
    assert done.returncode == 1, done.stderr
    assert done.stderr == "error: cannot write to standard output: No space left on device\n"


@pytest.mark.parametrize("name", sorted(PRINTING))
def test_a_pipe_closed_by_its_reader_ends_quietly_with_141(name: str, tmp_path: Path) -> None:
    reader, writer = os.pipe()
    os.close(reader)  # the reader is gone before the first byte: every write is EPIPE
    try:
        done = run(command(name, tmp_path), writer)
    finally:
        os.close(writer)
    assert done.returncode == 141, done.stderr
    assert done.stderr == ""


@pytest.mark.parametrize("name", ["analyze", "simulate", "forecast"])
def test_a_closed_descriptor_is_one_line_and_status_1(name: str, tmp_path: Path) -> None:
    assert SCRIPT is not None
    done = subprocess.run(
        ["/bin/sh", "-c", '"$@" >&-', "sh", *command(name, tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr == "error: cannot write to standard output: Bad file descriptor\n"


def test_with_a_closed_descriptor_a_file_output_still_works(tmp_path: Path) -> None:
    """Nothing goes to standard output, so nothing fails; the file is whole."""
    assert SCRIPT is not None
    target = tmp_path / "a.json"
    done = subprocess.run(
        ["/bin/sh", "-c", '"$@" >&-', "sh", SCRIPT, "analyze", "-f", "json", "-o", str(target)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert target.read_text(encoding="utf-8").startswith("{")
    assert sorted(os.listdir(tmp_path)) == ["a.json"]


def test_a_link_to_standard_output_as_output_writes_into_the_pipe(tmp_path: Path) -> None:
    """``-o /dev/stdout`` (here a link of our own to /proc/self/fd/1, never the system's
    /dev/stdout): the pipe is written in place, never renamed over."""
    if not Path("/proc/self/fd/1").exists():
        pytest.skip("no /proc/self/fd on this system")
    assert SCRIPT is not None
    link = tmp_path / "stdout"
    link.symlink_to("/proc/self/fd/1")
    done = subprocess.run(
        [SCRIPT, "analyze", "-f", "json", "-o", str(link)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["scenario"]["id"] == "berlin-2025"
    assert link.is_symlink()
    assert os.listdir(tmp_path) == ["stdout"]


def test_a_very_long_file_name_still_gets_its_temporary_file(tmp_path: Path) -> None:
    assert SCRIPT is not None
    target = tmp_path / ("x" * 250)
    done = subprocess.run(
        [SCRIPT, "analyze", "-f", "json", "-o", str(target)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert os.listdir(tmp_path) == [target.name]

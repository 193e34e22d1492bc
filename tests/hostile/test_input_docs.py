"""The examples of the "Inputs" section of docs/limits.md run as written."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "limits.md"
BIN = Path(sys.executable).parent


def inputs_section() -> str:
    text = DOC.read_text(encoding="utf-8")
    start = text.index("## Inputs\n")
    following = text.find("\n## ", start + 1)
    return text[start : following if following != -1 else len(text)]


def examples() -> list[tuple[str, str]]:
    """(command, expected output) pairs of the section's console blocks."""
    pairs: list[tuple[str, list[str]]] = []
    for block in re.findall(r"^```console\n(.*?)^```", inputs_section(), re.M | re.S):
        for line in block.splitlines():
            if line.startswith("$ "):
                pairs.append((line[2:], []))
            else:
                pairs[-1][1].append(line)
    return [(command, "\n".join(lines)) for command, lines in pairs]


@pytest.mark.skipif(shutil.which("accord", path=str(BIN)) is None, reason="no accord script")
def test_the_input_examples_run_as_documented(tmp_path: Path) -> None:
    pairs = examples()
    assert len(pairs) >= 5
    environment = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    for command, expected in pairs:
        done = subprocess.run(
            ["/bin/sh", "-c", command],
            cwd=tmp_path,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.stdout.strip() == expected.strip(), command
        assert (done.returncode == 0) == (not expected.startswith("error:")), command


def test_the_documented_bounds_are_the_code_s() -> None:
    from accord.cli.numbers import MAX_SEED, MAX_WORKERS
    from accord.forecast.located import MAX_MAGNITUDE, MAX_ROWS
    from accord.forecast.run import MAX_EU_ACTORS, MAX_EXCHANGE_PAIRS
    from accord.model.scenario import MAX_NUMBER
    from accord.protocols.spec import MAX_RATE, MAX_ROUNDS

    section = inputs_section()
    assert MAX_SEED == 2**63 - 1
    for shown in (
        f"{MAX_WORKERS:,}",
        f"{MAX_ROWS:,}",
        f"{MAX_EU_ACTORS:,}",
        f"{MAX_EXCHANGE_PAIRS:,}",
        f"{MAX_ROUNDS:,}",
        f"{int(MAX_NUMBER):,}",
        f"{int(MAX_RATE):,}",
    ):
        assert shown in section, shown
    assert MAX_MAGNITUDE == 1e12
    assert "10¹²" in section

"""docs/how-to/robustness.md runs: every command, the Python block, and its claims."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.main import app

PAGE = Path(__file__).resolve().parents[2] / "docs" / "how-to" / "robustness.md"


def test_every_command_in_the_how_to_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    commands = [
        line.split("#", 1)[0].split()[1:]
        for line in PAGE.read_text(encoding="utf-8").splitlines()
        if line.startswith(".venv/bin/accord ")
    ]
    assert len(commands) == 4
    monkeypatch.chdir(tmp_path)
    for args in commands:
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, (args, result.output)
    assert (tmp_path / "tornado.svg").exists()


def test_the_python_block_runs() -> None:
    block = PAGE.read_text(encoding="utf-8").split("```python\n", 1)[1].split("```", 1)[0]
    exec(compile(block, str(PAGE), "exec"), {})

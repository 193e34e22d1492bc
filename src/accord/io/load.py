"""One entry point for scenarios: a built-in name, a scenario file, or a GENIUS folder."""

from __future__ import annotations

from pathlib import Path

from accord.io.packaged import not_found
from accord.io.scenario_file import parse_scenario, read_scenario_file
from accord.model.scenario import Scenario
from accord.scenarios import DEFAULT_SCENARIO, builtin_names, builtin_text

__all__ = ["load_scenario"]


def load_scenario(spec: str | Path | None = None) -> Scenario:
    """Load a scenario from a built-in name (default ``berlin-2025``), a YAML file, or a
    folder of GENIUS XML files. Raises :class:`~accord.errors.ScenarioError` with
    located problems when the input is invalid."""
    if spec is None:
        spec = DEFAULT_SCENARIO
    path = Path(spec)
    if isinstance(spec, str) and spec in builtin_names() and not path.exists():
        return parse_scenario(builtin_text(spec), f"<built-in {spec}>")
    if path.is_dir():
        from accord.io.genius import read_genius_folder

        return read_genius_folder(path)
    if path.exists():
        return read_scenario_file(path)
    raise not_found(str(spec), "scenario", builtin_names())

"""Framework files: built-in names or YAML files, validated against their scenario."""

from __future__ import annotations

from pathlib import Path

from accord.errors import Location, Problem, ScenarioError
from accord.frameworks.checks import check_framework
from accord.frameworks.model import Framework
from accord.io.load import load_scenario
from accord.io.packaged import not_found, packaged_names, packaged_text
from accord.io.scenario_file import validate_document
from accord.io.yaml_source import decode_text, parse_yaml
from accord.model.scenario import Scenario

__all__ = ["builtin_frameworks", "load_framework", "parse_framework"]

_PACKAGE = "accord.frameworks.builtin"


def builtin_frameworks() -> list[str]:
    """Names of the built-in frameworks, sorted."""
    return packaged_names(_PACKAGE)


def parse_framework(
    text: str, file: str, scenario: Scenario | None = None, base: Path | None = None
) -> tuple[Framework, Scenario]:
    """Validate framework YAML ``text`` and the scenario it names (or ``scenario``)."""
    data, source_map = parse_yaml(text, file)
    framework = validate_document(Framework, data, source_map)
    if scenario is None:
        scenario = _scenario_of(framework, base, source_map.locate(("scenario",)))
    problems = check_framework(framework, scenario)
    if problems:
        raise ScenarioError(
            Problem(p.message, p.path, source_map.locate(p.path), p.hint) for p in problems
        )
    return framework, scenario


def _scenario_of(framework: Framework, base: Path | None, where: Location) -> Scenario:
    candidate = (base / framework.scenario) if base is not None else None
    try:
        if candidate is not None and candidate.exists():
            return load_scenario(candidate)
        return load_scenario(framework.scenario)
    except ScenarioError as error:
        if any(p.message.startswith("no such file") for p in error.problems):
            raise ScenarioError(
                [
                    Problem(
                        f"scenario {framework.scenario!r} not found",
                        ("scenario",),
                        where,
                        error.problems[0].hint,
                    )
                ]
            ) from None
        raise


def load_framework(
    spec: str | Path, scenario: Scenario | None = None
) -> tuple[Framework, Scenario]:
    """A built-in framework name or a framework YAML file, with its scenario."""
    path = Path(spec)
    if isinstance(spec, str) and spec in builtin_frameworks() and not path.exists():
        return parse_framework(packaged_text(_PACKAGE, spec), f"<built-in {spec}>", scenario)
    if path.is_file():
        text = decode_text(path.read_bytes(), str(path))
        return parse_framework(text, str(path), scenario, base=path.parent)
    raise not_found(str(spec), "framework", builtin_frameworks())

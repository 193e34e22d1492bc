"""YAML files shipped inside the package (built-in scenarios and frameworks)."""

from __future__ import annotations

from importlib import resources

from accord.errors import Location, Problem, ScenarioError
from accord.model.checks import suggest

__all__ = ["not_found", "packaged_names", "packaged_text"]


def packaged_names(package: str) -> list[str]:
    """Names (file names without ``.yaml``) of the YAML files in ``package``, sorted."""
    return sorted(
        entry.name.removesuffix(".yaml")
        for entry in resources.files(package).iterdir()
        if entry.name.endswith(".yaml")
    )


def packaged_text(package: str, name: str) -> str:
    """The text of ``name``.yaml in ``package``; KeyError when there is none."""
    if name not in packaged_names(package):
        raise KeyError(name)
    return resources.files(package).joinpath(f"{name}.yaml").read_text(encoding="utf-8")


def not_found(spec: str, what: str, names: list[str]) -> ScenarioError:
    """The error for a spec that is neither a file nor a built-in, with a "did you mean"."""
    hint = suggest(spec, names) or f"built-in {what}s: " + ", ".join(names)
    return ScenarioError(
        [Problem(f"no such file or built-in {what}", location=Location(spec), hint=hint)]
    )

"""Built-in scenarios, shipped as YAML files inside the package."""

from __future__ import annotations

from importlib import resources

__all__ = ["DEFAULT_SCENARIO", "builtin_names", "builtin_text"]

DEFAULT_SCENARIO = "berlin-2025"


def builtin_names() -> list[str]:
    """Names of the built-in scenarios (file names without ``.yaml``), sorted."""
    folder = resources.files(__name__)
    return sorted(
        entry.name.removesuffix(".yaml")
        for entry in folder.iterdir()
        if entry.name.endswith(".yaml")
    )


def builtin_text(name: str) -> str:
    """The YAML text of built-in scenario ``name``; KeyError when there is none."""
    if name not in builtin_names():
        raise KeyError(name)
    return resources.files(__name__).joinpath(f"{name}.yaml").read_text(encoding="utf-8")

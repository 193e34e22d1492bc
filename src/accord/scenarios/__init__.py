"""Built-in scenarios, shipped as YAML files inside the package."""

from __future__ import annotations

from accord.io.packaged import packaged_names, packaged_text

__all__ = ["DEFAULT_SCENARIO", "builtin_names", "builtin_text"]

DEFAULT_SCENARIO = "berlin-2025"


def builtin_names() -> list[str]:
    """Names of the built-in scenarios (file names without ``.yaml``), sorted."""
    return packaged_names(__name__)


def builtin_text(name: str) -> str:
    """The YAML text of built-in scenario ``name``; KeyError when there is none."""
    return packaged_text(__name__, name)

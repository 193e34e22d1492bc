"""Compare nested JSON data with a tolerance on floats (for golden files)."""

from __future__ import annotations

import math
from typing import Any

__all__ = ["assert_close"]


def assert_close(actual: Any, expected: Any, where: str = "") -> None:
    """Equal structure and values; floats equal to 1e-9 relative (1e-12 absolute)."""
    if isinstance(expected, float) or isinstance(actual, float):
        assert math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-12), where
    elif isinstance(expected, dict):
        assert isinstance(actual, dict), where
        assert set(actual) == set(expected), where
        for key in expected:
            assert_close(actual[key], expected[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list), where
        assert len(actual) == len(expected), where
        for n, (a, e) in enumerate(zip(actual, expected, strict=True)):
            assert_close(a, e, f"{where}[{n}]")
    else:
        assert actual == expected, where

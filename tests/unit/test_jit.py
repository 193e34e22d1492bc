"""The compiled-kernel wrapper: cached where it can be, still working where it cannot."""

from __future__ import annotations

import numba.core.caching
import numpy as np
import pytest

from accord.engine.jit import jit, jit_inline


def _add_one(values: np.ndarray) -> np.ndarray:
    return values + 1.0


def test_compiled_function_gives_the_python_result() -> None:
    values = np.array([0.5, -2.0])
    assert np.array_equal(jit(_add_one)(values), _add_one(values))


def test_no_writable_cache_location_still_compiles(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(numba.core.caching.CacheImpl, "_locator_classes", [])
    with pytest.raises(RuntimeError, match="no locator"):
        numba.njit(cache=True)(_add_one)
    assert np.array_equal(jit(_add_one)(np.array([1.0])), np.array([2.0]))


def test_division_by_zero_follows_numpy() -> None:
    """numpy's error model: inf, not ZeroDivisionError (the kernels rely on it)."""

    def ratio(a: float, b: float) -> float:
        return a / b

    assert jit(ratio)(1.0, 0.0) == np.inf


_inlined_add_one = jit_inline(_add_one)


def _add_two(values: np.ndarray) -> np.ndarray:
    result: np.ndarray = _inlined_add_one(_inlined_add_one(values))
    return result


def test_an_inlined_function_gives_the_python_result_inside_a_compiled_caller() -> None:
    values = np.array([0.5, -2.0])
    assert np.array_equal(jit(_add_two)(values), values + 2.0)
    assert np.array_equal(_inlined_add_one(values), values + 1.0)

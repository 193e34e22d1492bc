"""Compiled kernels for the few loops that are sequential by nature.

Most of accord's kernels are numpy array operations. A handful of algorithms are
inherently one-step-at-a-time — the exchange model's realisations, where each realised
exchange changes the candidates the next choice depends on, and sort-filter dominance
tests with early exit — and there the per-call overhead of numpy dominates. Those loops
are compiled with Numba (``nopython`` mode, no fast-math, so every floating-point
operation is the IEEE operation numpy would perform and results are bit-identical;
numpy's error model, so a division by zero gives inf or nan as it would in numpy).

Compiled code is cached next to the module (``cache=True``), so the compile cost is
paid once per installation. Setting ``NUMBA_DISABLE_JIT=1`` runs the same functions as
plain Python, for debugging.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import numba

__all__ = ["jit", "jit_inline"]

F = TypeVar("F", bound=Callable[..., Any])


def jit(function: F) -> F:
    """Compile ``function`` in nopython mode with caching; the signature is kept for
    the type checker. Where no cache location is writable (a read-only installation
    and no writable home or ``NUMBA_CACHE_DIR``), it compiles on each run instead."""
    return _compile(function, {})


def jit_inline(function: F) -> F:
    """As :func:`jit`, and inlined into every compiled caller (Numba's
    ``inline="always"``): for a per-row primitive called in a hot loop, which the
    compiler would otherwise call rather than inline once it grows past a few lines."""
    return _compile(function, {"inline": "always"})


def _compile(function: F, options: dict[str, Any]) -> F:
    try:
        compiled = numba.njit(cache=True, nogil=True, error_model="numpy", **options)(function)
    except RuntimeError:  # Numba: "cannot cache function ...: no locator available"
        compiled = numba.njit(cache=False, nogil=True, error_model="numpy", **options)(function)
    return cast(F, compiled)

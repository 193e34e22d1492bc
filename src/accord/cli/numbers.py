"""Numeric command-line values: one place that refuses NaN, infinities and absurd sizes.

Click's ``FloatRange`` lets ``nan`` through (every comparison with NaN is false), and
``inf`` when a side is open; Python's ``int`` has no size limit, so a count or seed can
be far beyond what numpy or the compiled kernels take. Every float option of every
command therefore takes ``callback=finite``, and every integer option a ``max``
(seeds: ``max=MAX_SEED``); ``tests/hostile/test_extreme_numbers.py`` walks the commands
and checks that none is declared otherwise.
"""

from __future__ import annotations

import math

import typer

__all__ = ["MAX_SEED", "MAX_WORKERS", "finite"]

MAX_SEED = 2**63 - 1
"""Seeds are 64-bit signed integers where they reach compiled code (as in tournament specs)."""
MAX_WORKERS = 1024
"""Most local worker processes a tournament starts (each one is a Python process)."""


def finite(value: float | None) -> float | None:
    """Typer callback of every float option: NaN and infinities are refused."""
    if value is not None and not math.isfinite(value):
        raise typer.BadParameter(f"{value!r} is not a finite number")
    return value

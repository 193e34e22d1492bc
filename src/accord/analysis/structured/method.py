"""Choosing between enumeration and the structured solvers.

Enumeration counts everything (acceptable outcomes per party, outcomes each colliding
constraint excludes) and is the reference; the structured solvers answer the same
questions without enumerating, so their cost hardly grows with the size of the space.
``auto`` enumerates up to ``AUTO_ENUMERATE_MAX`` outcomes and uses the structure beyond.
"""

from __future__ import annotations

from typing import Literal

__all__ = ["AUTO_ENUMERATE_MAX", "METHODS", "Method", "resolve_method"]

Method = Literal["auto", "enumerate", "structured"]
METHODS: tuple[str, ...] = ("auto", "enumerate", "structured")

AUTO_ENUMERATE_MAX = 1_000_000
"""Measured with ``bench/scale.py`` (threshold section, 2 cores, median of 3 seeds): a
whole ``analyze`` of the generated 5-party scenarios (20 interaction terms, 10 red
lines) takes, enumerating / structured, 0.95 s / 3.76 s at 4^9 = 262,144 outcomes,
3.29 s / 2.78 s at 4^10 = 1,048,576 and 21.4 s / 6.15 s at 4^11. Enumeration time
grows with the space (about 3 µs an outcome); the structured path's barely does, so
they cross just under 10^6, where enumeration also still gives its exact counts."""


def resolve_method(method: str, n_outcomes: int, max_outcomes: int) -> str:
    """``enumerate`` or ``structured`` for a space of ``n_outcomes``."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    if method != "auto":
        return method
    return "enumerate" if n_outcomes <= min(AUTO_ENUMERATE_MAX, max_outcomes) else "structured"

"""Minimal amendments by enumeration, for spaces small enough to evaluate every outcome.

The acceptability of every outcome to every principal is computed once, as an array
shaped by the issues. For each set C of issues, by increasing size, the array is fixed
at the draft's options outside C and reduced with ``all`` over the issues left open:
what remains is exactly the new options for C that every completion accepts.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import numpy.typing as npt

from accord.analysis.pareto import TIE_TOLERANCE
from accord.engine.compiled import CompiledModel

__all__ = ["enumerate_amendments"]

BoolArray = npt.NDArray[np.bool_]
Pair = tuple[tuple[int, ...], tuple[int, ...]]


def _acceptability(model: CompiledModel, principals: list[int]) -> BoolArray:
    floor = model.reservations[principals] - TIE_TOLERANCE
    flat = np.empty(model.n_outcomes, dtype=bool)
    for indices, options in model.chunks():
        evaluation = model.evaluate(options, principals)
        flat[indices] = (~evaluation.crossed & (evaluation.utilities >= floor)).all(axis=1)
    return flat.reshape(model.radix)


def enumerate_amendments(
    model: CompiledModel, fixed: dict[int, int], principals: list[int], limit: int
) -> tuple[int | None, list[Pair], bool]:
    """Minimal size, the amendments of that size (at most ``limit``), whether all."""
    accept = _acceptability(model, principals)
    n_issues = len(model.radix)
    for size in range(n_issues + 1):
        found: list[Pair] = []
        for chosen in combinations(range(n_issues), size):
            found += _valid(fixed, accept, chosen)
        if found:
            return size, found[:limit], len(found) <= limit
    return None, [], True


def _valid(fixed: dict[int, int], accept: BoolArray, chosen: tuple[int, ...]) -> list[Pair]:
    index: list[int | slice] = []
    kept: list[int] = []
    for issue in range(accept.ndim):
        if issue in fixed and issue not in chosen:
            index.append(fixed[issue])
        else:
            index.append(slice(None))
            kept.append(issue)
    table = accept[tuple(index)]
    still_open = tuple(n for n, issue in enumerate(kept) if issue not in chosen)
    valid = table.all(axis=still_open) if still_open else table
    valid = np.array(valid, dtype=bool, copy=True).reshape([accept.shape[i] for i in chosen])
    for axis, issue in enumerate(chosen):
        if issue in fixed:  # a change must change something
            np.moveaxis(valid, axis, 0)[fixed[issue]] = False
    return [(chosen, tuple(int(x) for x in row)) for row in np.argwhere(valid)]

"""Each party's best and worst outcome over the whole space, without enumerating it.

Maximise (minimise) the party's capped utility; then, as the enumerating path does,
take the lowest-numbered outcome within ``TIE_TOLERANCE`` of the optimum: the tied
outcomes are collected when few, else found by lexicographic solves.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from accord.analysis.pareto import TIE_TOLERANCE
from accord.analysis.structured.bargaining import TIE_LIMIT
from accord.analysis.structured.encoding import SLACK, lowest
from accord.analysis.structured.search import Search, collect, first_member, lowest_member

__all__ = ["extreme_outcomes"]

IntArray = npt.NDArray[np.int64]


def extreme_outcomes(search: Search) -> list[tuple[IntArray, IntArray]]:
    """``(best row, worst row)`` for each party of the (unconstrained) encoding."""
    result = []
    for j in range(len(search.encoding.parties)):
        result.append((_best(search, j), _worst(search, j)))
    return result


def _capped(search: Search, row: IntArray, j: int) -> float:
    encoding = search.encoding
    return float(encoding.model.utilities(row[None, :], [encoding.parties[j]])[0, 0])


def _best(search: Search, j: int) -> IntArray:
    encoding = search.encoding
    column = encoding.capped[j]
    row = first_member(search, {column: 1.0}, lambda _: True)
    if row is None:  # interrupted before any solution: the first outcome stands in
        return np.zeros(len(encoding.model.radix), dtype=np.int64)
    floor = _capped(search, row, j) - TIE_TOLERANCE

    def member(candidate: IntArray) -> bool:
        return _capped(search, candidate, j) >= floor

    with encoding.program.scope():
        encoding.add_linear({column: 1.0}, lower=floor - SLACK)
        return _lowest_of(search, {column: 1.0}, member, row)


def _worst(search: Search, j: int) -> IntArray:
    encoding = search.encoding
    utility = encoding.utility[j]
    row = first_member(search, utility, lambda _: True, maximise=False)
    zeros = np.zeros(len(encoding.model.radix), dtype=np.int64)
    if row is None:
        return zeros
    ceiling = _capped(search, row, j) + TIE_TOLERANCE
    cap = encoding.model.cap
    if cap is not None and ceiling >= cap:
        return zeros  # every outcome is within the tolerance of the worst

    def member(candidate: IntArray) -> bool:
        return _capped(search, candidate, j) <= ceiling

    with encoding.program.scope():
        encoding.add_linear(utility, upper=ceiling + SLACK)
        negated = {column: -value for column, value in utility.items()}
        return _lowest_of(search, negated, member, row)


def _lowest_of(
    search: Search, objective: dict[int, float], member: Callable[[IntArray], bool], row: IntArray
) -> IntArray:
    found = collect(search, objective, member, [row], TIE_LIMIT)
    if found.complete or search.interrupted:
        rows = np.asarray(found.rows)
        return np.asarray(rows[lowest(rows)], dtype=np.int64)
    chosen = lowest_member(search, member)
    return row if chosen is None else chosen

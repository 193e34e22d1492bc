"""Exact bargaining solutions over the acceptable outcomes, without enumerating them.

For each criterion (:mod:`accord.analysis.structured.criteria`) the choice follows the
enumerating path (:mod:`accord.analysis.solutions`) exactly:

1. maximise the criterion (for Nash, by outer approximation until the gap closes);
2. collect every acceptable outcome whose value is within the tie tolerance
   (1e-12 relative) of the best — the solver proposes, the exact check disposes,
   cuts exclude each one found, until the solver proves no other exists;
3. among those, the larger total gain (within 1e-12 relative), then the lowest
   outcome number. ``ties`` counts the tied outcomes on the acceptable frontier.

When more than ``tie_limit`` outcomes tie (a party with no possible gain makes every
outcome tie on Nash, for instance), step 3 runs as lexicographic follow-up solves
instead: fix the criterion at its optimum, maximise the total gain, fix that, then
find the lowest outcome number issue block by issue block; ``ties`` is then None (not
counted). An interrupted search returns its best outcome so far, ``exact`` False.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from accord.analysis.pareto import TIE_TOLERANCE, pareto_mask
from accord.analysis.solutions import SOLUTION_NAMES, choose_solutions, nash_product
from accord.analysis.structured.criteria import (
    NASH_GAP,
    NASH_TOLERANCE,
    Criterion,
    Egalitarian,
    KalaiSmorodinsky,
    Nash,
    Utilitarian,
)
from accord.analysis.structured.encoding import lowest
from accord.analysis.structured.program import solve, solving
from accord.analysis.structured.search import Search, collect, first_member, lowest_member
from accord.engine.compiled import CompiledModel

__all__ = [
    "RELATIVE_TIE",
    "TIE_LIMIT",
    "Pick",
    "bargaining_solutions",
    "ideal_gains",
    "solutions_on_frontier",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

RELATIVE_TIE = 1e-12
"""As ``accord.analysis.solutions``: values this close (relative) tie."""

TIE_LIMIT = 24
"""Tied outcomes collected one by one before switching to lexicographic solves."""

CONCEPTS = {
    "nash": "Nash bargaining solution",
    "kalai_smorodinsky": "Kalai–Smorodinsky solution",
    "egalitarian": "egalitarian solution",
    "utilitarian": "utilitarian solution",
}
"""What a user reads when the solver fails on a criterion's program."""


@dataclass(frozen=True)
class Pick:
    """The outcome a criterion chooses, its exact value, tie count and proof status."""

    row: IntArray
    value: float
    ties: int | None
    exact: bool


def _tolerance(value: float) -> float:
    return RELATIVE_TIE * max(1.0, abs(value))


def ideal_gains(search: Search, d: FloatArray) -> tuple[FloatArray, list[IntArray]]:
    """Each party's best gain among acceptable outcomes (the Kalai–Smorodinsky ideal),
    and the outcomes that give it."""
    encoding = search.encoding
    ideal = np.zeros(len(d))
    rows = []
    for j, column in enumerate(encoding.capped):
        with solving("Kalai–Smorodinsky ideal point"):
            row = first_member(search, {column: 1.0}, _acceptable(search))
        if row is None:
            break
        gain = encoding.model.utilities(row[None, :], encoding.parties)[0, j] - d[j]
        ideal[j] = max(float(gain), 0.0)
        rows.append(row)
    return ideal, rows


def solutions_on_frontier(
    model: CompiledModel,
    parties: list[int],
    frontier: IntArray,
    weights: FloatArray | None = None,
) -> dict[str, Pick | None] | None:
    """The four solutions read off an exact Pareto frontier, when that is valid.

    Without red lines acceptability is monotone (an outcome that dominates an
    acceptable one is acceptable), so the Pareto frontier of the acceptable outcomes is
    the frontier's acceptable part, and the enumerating path's own choice
    (:func:`accord.analysis.solutions.choose_solutions`) applies to it as it is. Returns
    None when the parties have red lines (use the programs instead).
    """
    if any(line.party in parties for line in model.red_lines):
        return None
    utilities = model.utilities(frontier, parties)
    d = model.reservations[parties]
    acceptable = (utilities >= d - TIE_TOLERANCE).all(axis=1)
    if not acceptable.any():
        return dict.fromkeys(SOLUTION_NAMES)
    rows, utilities = frontier[acceptable], utilities[acceptable]
    # Rows come in outcome order, so their positions order them as outcome numbers do.
    positions = np.arange(len(rows), dtype=np.int64)
    choices = choose_solutions(utilities, d, positions, weights)
    return {name: Pick(rows[c.row], c.value, c.ties, True) for name, c in choices.items()}


def _acceptable(search: Search) -> Callable[[IntArray], bool]:
    return lambda row: bool(search.encoding.verify(row)[0])


def bargaining_solutions(
    search: Search,
    d: FloatArray,
    ideal: FloatArray,
    known: list[IntArray],
    weights: FloatArray | None = None,
) -> dict[str, Pick | None]:
    """Nash, Kalai–Smorodinsky, egalitarian and utilitarian picks (zone non-empty);
    ``weights`` per party (1/k for the k members of a bloc counted once)."""
    encoding = search.encoding
    result: dict[str, Pick | None] = {}
    for criterion in (
        Utilitarian(encoding, d, weights),
        Egalitarian(encoding, d, weights),
        KalaiSmorodinsky(encoding, d, ideal, weights),
    ):
        with solving(CONCEPTS[criterion.name]):
            result[criterion.name] = _pick(search, criterion, known)
        known = known + [p.row for p in result.values() if p is not None]
    with solving(CONCEPTS["nash"]):
        result["nash"] = _nash(search, Nash(encoding, d, ideal, 0.0, weights), known)
    return {
        name: result[name] for name in ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian")
    }


def _pick(search: Search, criterion: Criterion, known: list[IntArray]) -> Pick | None:
    with search.encoding.program.scope():
        criterion.prepare()
        row = first_member(search, criterion.objective(), _acceptable(search), criterion.refine)
        if row is None:
            return _best_known(criterion, known) if search.interrupted else None
        return _ties(search, criterion, row, exact=not search.interrupted)


def _best_known(criterion: Criterion, rows: list[IntArray]) -> Pick | None:
    """When interrupted: the best of the outcomes already known acceptable."""
    if not rows:
        return None
    values = criterion.exact(criterion.gains(np.asarray(rows)))
    best = int(np.argmax(values))
    return Pick(rows[best], float(values[best]), None, False)


def _ties(search: Search, criterion: Criterion, row: IntArray, exact: bool) -> Pick:
    """Steps 2 and 3 of the module docstring, from a (near-)optimal ``row``."""
    top = criterion.value(row)
    theta = top - _tolerance(top)
    accept = _acceptable(search)

    def member(candidate: IntArray) -> bool:
        return accept(candidate) and criterion.value(candidate) >= theta

    with search.encoding.program.scope():
        criterion.at_least(theta)
        found = collect(search, criterion.objective(), member, [row], TIE_LIMIT, criterion.refine)
        if not found.complete:
            chosen = _lexicographic(search, criterion, member) if not search.interrupted else None
            if chosen is None:
                return Pick(row, top, None, False)
            return Pick(chosen, criterion.value(chosen), None, exact and not search.interrupted)
    rows = np.asarray(found.rows)
    gains = criterion.gains(rows)
    values = criterion.exact(gains)
    tied = values >= values.max() - _tolerance(float(values.max()))
    rows, gains, values = rows[tied], gains[tied], values[tied]
    total = criterion.total(gains)
    best = total >= total.max() - _tolerance(float(total.max()))
    position = np.flatnonzero(best)[lowest(rows[best])]
    utilities = search.encoding.model.utilities(rows, search.encoding.parties)
    ties = int(pareto_mask(utilities).sum())
    return Pick(rows[position], float(values[position]), ties, exact and not search.interrupted)


def _lexicographic(
    search: Search, criterion: Criterion, member: Callable[[IntArray], bool]
) -> IntArray | None:
    """Many ties: maximise the total gain among them, then take the lowest number."""
    row = first_member(search, criterion.total_objective(), member, criterion.refine)
    if row is None:
        return None
    total = float(criterion.total(criterion.gains(row))[0])
    floor = total - _tolerance(total)
    criterion.total_at_least(floor)

    def best_total(candidate: IntArray) -> bool:
        return member(candidate) and float(criterion.total(criterion.gains(candidate))[0]) >= floor

    return lowest_member(search, best_total, criterion.refine)


def _nash(search: Search, flat: Nash, known: list[IntArray]) -> Pick | None:
    """The Nash pick; ``flat`` is the criterion at floor 0 (its d, ideal and weights)."""
    if not known:
        return None
    d, ideal, weights = flat.d, flat.ideal, flat.w
    products = flat.exact(flat.gains(np.asarray(known)))
    floor = float(products.max())
    if floor <= 0 or float(nash_product(ideal, weights)[0]) <= RELATIVE_TIE:
        # Every product is at most Π ideal^w ≤ 1e-12, so within the tie tolerance of 0
        # (or no outcome gives every party a gain): all acceptable outcomes tie.
        return _ties(search, flat, known[0], True)
    start = known[int(np.argmax(products))]
    with search.encoding.program.scope():
        nash = Nash(search.encoding, d, ideal, floor, weights)
        nash.prepare()
        row, proven = _outer_approximation(search, nash, start)
    top = nash.value(row)
    theta = top - _tolerance(top)
    if theta <= 0:
        return _ties(search, flat, row, proven)
    with search.encoding.program.scope():
        band = Nash(search.encoding, d, ideal, theta, weights)
        band.prepare()
        return _ties(search, band, row, proven)


def _outer_approximation(search: Search, nash: Nash, start: IntArray) -> tuple[IntArray, bool]:
    """Refine tangents until the relaxation's bound meets the best exact log-product."""
    encoding = search.encoding
    best, best_log = start, math.log(nash.value(start))
    seen: set[bytes] = set()
    while True:
        solved = solve(
            encoding.program,
            encoding.objective(nash.objective()),
            maximise=True,
            interrupt=search.interrupt,
            tolerance=NASH_TOLERANCE,
        )
        if solved.values is None:
            return best, not search.interrupted and solved.status == "infeasible"
        row = encoding.decode(solved.values)
        acceptable = bool(encoding.verify(row)[0])
        value = nash.value(row) if acceptable else 0.0
        if value > 0 and math.log(value) > best_log:
            best, best_log = row, math.log(value)
        if solved.status != "optimal":
            return best, False
        if max(solved.objective, solved.bound) <= best_log + NASH_GAP or row.tobytes() in seen:
            # A row seen before has exact tangents: the bound is its value, up to the
            # solver's tolerance, so nothing better remains.
            return best, True
        seen.add(row.tobytes())
        nash.refine(row)
        if not acceptable:
            encoding.no_good(row)

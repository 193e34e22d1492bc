"""The structured analysis: every part of ``accord analyze`` without enumerating outcomes.

Party best and worst outcomes, the zone of agreement (examples, or an irreducible set
of colliding constraints), the four bargaining solutions and the Pareto frontier, each
from the structure of the compiled model (:mod:`.encoding`, :mod:`.frontier`). What
needs enumeration — counting acceptable outcomes, and how many outcomes each
colliding constraint excludes — is reported as not counted (None), never guessed.

A Ctrl-C stops the search in progress; the parts already found are kept, the part
interrupted returns its best answer so far, and everything not proven optimal is
marked ``exact`` False.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from accord.analysis.results import FrontierInfo, OutcomePoint, PartySummary, Solution, Zopa
from accord.analysis.solutions import SOLUTION_NAMES, citation
from accord.analysis.structured.bargaining import (
    Pick,
    bargaining_solutions,
    ideal_gains,
    solutions_on_frontier,
)
from accord.analysis.structured.criteria import (
    Egalitarian,
    KalaiSmorodinsky,
    Nash,
    Utilitarian,
)
from accord.analysis.structured.encoding import Encoding
from accord.analysis.structured.extremes import extreme_outcomes
from accord.analysis.structured.frontier import (
    DEFAULT_FRONTIER_LIMIT,
    FrontierTooLargeError,
    pareto_frontier,
)
from accord.analysis.structured.points import Points, describe_collision
from accord.analysis.structured.program import Interrupt, solving
from accord.analysis.structured.search import Search
from accord.analysis.structured.supported import SAMPLES, supported_frontier
from accord.analysis.structured.zone import colliding_constraints, zone_examples
from accord.analysis.zopa import Constraint, constraints_for
from accord.engine.compiled import CompiledModel
from accord.model.scenario import Scenario

__all__ = ["StructuredParts", "structured_parts"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
Progress = Callable[..., None]
T = TypeVar("T")

METHOD = "structured"
FRONTIER_SOLUTIONS = True
"""Read the solutions off an exact frontier when there are no red lines (tests turn it
off to exercise the programs)."""
APPROXIMATE_POINTS = 1_000
"""Weight vectors solved when a frontier is too large to list exactly."""


@dataclass(frozen=True)
class StructuredParts:
    summaries: tuple[PartySummary, ...]
    zopa: Zopa
    frontier: tuple[OutcomePoint, ...]
    frontier_info: FrontierInfo
    solutions: dict[str, Solution | None]
    notes: tuple[str, ...]


class _Run:
    """One structured analysis: shared interrupt flag, progress and points."""

    def __init__(
        self,
        model: CompiledModel,
        chosen: list[int],
        progress: Progress | None,
        weights: FloatArray | None = None,
    ) -> None:
        self.model = model
        self.chosen = chosen
        self.weights = np.ones(len(chosen)) if weights is None else weights
        self.interrupt = Interrupt()
        self.points = Points(model, chosen)
        self.progress = progress
        self.done = 0
        self.found: list[IntArray] = []
        """Acceptable outcomes found along the way (for answers after an interruption)."""
        self.total = 3 * len(chosen) + 6 + len(model.radix)

    def step(self, label: str, count: int = 1) -> None:
        self.done += count
        if self.progress is not None:
            self.progress(min(self.done, self.total), self.total, label)

    def guard(self, work: Callable[[], T], fallback: T) -> T:
        """Run ``work``; a Ctrl-C outside a solve also stops the run, keeping ``fallback``."""
        if self.interrupt.requested:
            return fallback
        try:
            return work()
        except KeyboardInterrupt:
            self.interrupt.requested = True
            return fallback

    def search(self, constrained: bool) -> Search:
        constraints: list[Constraint] | None = None if constrained else []
        return Search(Encoding(self.model, self.chosen, constraints), self.interrupt)


def structured_parts(
    scenario: Scenario,
    model: CompiledModel,
    chosen: list[int],
    frontier_limit: int = DEFAULT_FRONTIER_LIMIT,
    progress: Progress | None = None,
    weights: FloatArray | None = None,
) -> StructuredParts:
    """Summaries, zone, frontier and solutions of ``chosen`` parties, structurally;
    ``weights`` weigh the parties in the solutions (:mod:`accord.analysis.blocs`)."""
    run = _Run(model, chosen, progress, weights)
    zeros = np.zeros(len(model.radix), dtype=np.int64)
    with solving("parties' best and worst packages"):
        extremes = run.guard(
            lambda: extreme_outcomes(run.search(False)), [(zeros, zeros)] * len(chosen)
        )
    run.step("best and worst outcomes", 2 * len(chosen))
    search = run.search(True)
    none: list[IntArray] = []
    with solving("zone of agreement"):
        examples = run.guard(lambda: zone_examples(search), none)
    run.found += examples
    run.step("zone of agreement")
    with solving("Pareto frontier"):
        frontier, info, exact_rows = _frontier(run, extremes, frontier_limit)
    picks: dict[str, Pick | None] = dict.fromkeys(SOLUTION_NAMES)
    zopa = Zopa(size=None, examples=tuple(run.points.rows(np.asarray(examples))), method=METHOD)
    if examples:
        picks = _picks(run, search, examples, exact_rows)
    elif not run.interrupt.requested:
        with solving("constraints that empty the zone of agreement"):
            zopa = _empty_zone(scenario, run)
        run.step("colliding constraints", len(chosen) + 4)
    notes: tuple[str, ...] = ()
    if run.interrupt.requested:
        notes = (
            "Interrupted: the structured search was stopped; answers marked exact: false, "
            "and the parties' best and worst packages, are the best found so far, not "
            "proven optimal.",
        )
    return StructuredParts(
        summaries=tuple(_summaries(scenario, run, extremes)),
        zopa=zopa if not run.interrupt.requested else _inexact(zopa),
        frontier=frontier,
        frontier_info=info,
        solutions=_solutions(run, picks),
        notes=notes,
    )


def _picks(
    run: _Run, search: Search, examples: list[IntArray], frontier: IntArray | None
) -> dict[str, Pick | None]:
    """The four solutions: read off the exact frontier when that is exact, else solved."""
    d = run.model.reservations[run.chosen]
    if frontier is not None and FRONTIER_SOLUTIONS:
        picks = solutions_on_frontier(run.model, run.chosen, frontier, run.weights)
        if picks is not None:
            run.step("bargaining solutions", len(run.chosen) + 4)
            return picks
    nothing: tuple[FloatArray, list[IntArray]] = (np.zeros(len(run.chosen)), [])
    ideal, rows = run.guard(lambda: ideal_gains(search, d), nothing)
    run.step("ideal point", len(run.chosen))
    none: dict[str, Pick | None] = dict.fromkeys(SOLUTION_NAMES)
    known = examples + rows
    picks = run.guard(lambda: bargaining_solutions(search, d, ideal, known, run.weights), none)
    if run.interrupt.requested:
        picks = _best_known(search, d, known, picks, run.weights)
    run.step("bargaining solutions", 4)
    return picks


def _best_known(
    search: Search,
    d: FloatArray,
    rows: list[IntArray],
    picks: dict[str, Pick | None],
    weights: FloatArray,
) -> dict[str, Pick | None]:
    """Interrupted: each solution not found is the best of the acceptable outcomes known."""
    known = np.asarray(rows)
    gains = np.maximum(run_utilities(search, known) - d, 0.0)
    ideal = gains.max(axis=0)
    criteria = {
        "nash": Nash(search.encoding, d, ideal, 0.0, weights),
        "kalai_smorodinsky": KalaiSmorodinsky(search.encoding, d, ideal, weights),
        "egalitarian": Egalitarian(search.encoding, d, weights),
        "utilitarian": Utilitarian(search.encoding, d, weights),
    }
    result = dict(picks)
    for name, criterion in criteria.items():
        if result.get(name) is None:
            values = criterion.exact(gains)
            best = int(np.argmax(values))
            result[name] = Pick(known[best], float(values[best]), None, False)
    return result


def run_utilities(search: Search, rows: IntArray) -> FloatArray:
    return search.encoding.model.utilities(rows, search.encoding.parties)


def _inexact(zopa: Zopa) -> Zopa:
    return Zopa(zopa.size, zopa.reasons, zopa.examples, zopa.method, exact=False)


def _empty_zone(scenario: Scenario, run: _Run) -> Zopa:
    constraints = constraints_for(run.model, run.chosen)
    collided = colliding_constraints(
        lambda subset: Encoding(run.model, run.chosen, subset), constraints, run.interrupt
    )
    reasons = tuple(
        describe_collision(scenario, run.model, c.party, c.red_line_number, None, None, opens)
        for c, opens in zip(collided.constraints, collided.opens, strict=True)
    )
    return Zopa(size=0, reasons=reasons, method=METHOD, exact=collided.exact)


def _summaries(
    scenario: Scenario, run: _Run, extremes: list[tuple[IntArray, IntArray]]
) -> list[PartySummary]:
    return [
        PartySummary.of(
            scenario.party(run.model.party_ids[p]),
            float(run.model.reservations[p]),
            run.points.row(best),
            run.points.row(worst),
        )
        for p, (best, worst) in zip(run.chosen, extremes, strict=True)
    ]


def _solutions(run: _Run, picks: dict[str, Pick | None]) -> dict[str, Solution | None]:
    d = run.model.reservations[run.chosen]
    result: dict[str, Solution | None] = {}
    for name in SOLUTION_NAMES:
        pick = picks.get(name)
        if pick is None:
            result[name] = None
            continue
        point = run.points.row(pick.row)
        gains = {
            party: utility - float(d[j])
            for j, (party, utility) in enumerate(point.utilities.items())
        }
        result[name] = Solution(
            name,
            point,
            gains,
            pick.value,
            pick.ties,
            citation(name, run.weights),
            METHOD,
            pick.exact,
        )
    return result


def _frontier(
    run: _Run, extremes: list[tuple[IntArray, IntArray]], limit: int
) -> tuple[tuple[OutcomePoint, ...], FrontierInfo, IntArray | None]:
    """The frontier's points and quality, and its rows when exact."""

    def step(done: int, total: int) -> None:
        run.step("Pareto frontier", 1)

    def exact() -> IntArray | None:
        try:
            return pareto_frontier(run.model, run.chosen, limit, step)
        except FrontierTooLargeError:
            return None

    rows = run.guard(exact, None)
    if rows is not None:
        points = tuple(run.points.rows(rows))
        return points, FrontierInfo(METHOD, True, len(points), limit), rows
    if run.interrupt.requested:
        return (*_known_frontier(run, extremes, limit), None)
    best = run.model.utilities(np.asarray([b for b, _ in extremes]), run.chosen)
    worst = run.model.utilities(np.asarray([w for _, w in extremes]), run.chosen)
    bounds = (np.diag(worst).copy(), np.diag(best).copy())
    count = min(limit, APPROXIMATE_POINTS)
    found = run.guard(lambda: supported_frontier(run.model, run.chosen, count, bounds), None)
    if found is None:
        return (*_known_frontier(run, extremes, limit), None)
    points = tuple(run.points.rows(found.rows))
    note = (
        f"more than {limit:,} partial outcomes: {len(points):,} supported frontier outcomes "
        f"from {found.weights:,} weighted sums; hypervolume ratio against the weighted-sum "
        f"bound estimated from {SAMPLES:,} samples"
    )
    info = FrontierInfo(
        METHOD, False, len(points), limit, hypervolume_ratio=found.hypervolume_ratio, note=note
    )
    return points, info, None


def _known_frontier(
    run: _Run, extremes: list[tuple[IntArray, IntArray]], limit: int
) -> tuple[tuple[OutcomePoint, ...], FrontierInfo]:
    """Interrupted: the non-dominated outcomes among those already found."""
    from accord.analysis.pareto import pareto_mask

    rows = [b for b, _ in extremes] + run.found
    options = np.unique(np.asarray(rows), axis=0)
    options = options[pareto_mask(run.model.utilities(options, run.chosen))]
    points = tuple(run.points.rows(options))
    note = "interrupted: the non-dominated outcomes among those found so far"
    return points, FrontierInfo(METHOD, False, len(points), limit, note=note)

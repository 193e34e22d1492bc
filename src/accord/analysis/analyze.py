"""The core analysis: acceptable sets, zone of agreement, frontier, solutions and trades.

Two methods (``method``): *enumerate* (below) and *structured*
(:mod:`accord.analysis.structured`: solvers that use the additive structure and never
enumerate, for spaces of any size); ``auto`` picks by the size of the space.

One streaming pass over the outcome space (in chunks, memory bounded) gathers each
party's best and worst outcomes and acceptable counts, the size of the zone of
possible agreement, the Pareto frontier of all outcomes, and the frontier of the
acceptable outcomes, from which the bargaining solutions are chosen
(:mod:`accord.analysis.solutions`). Further passes run only to explain an empty zone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt

from accord.analysis.blocs import bloc_count
from accord.analysis.pareto import TIE_TOLERANCE, pareto_mask
from accord.analysis.provenance import cited_count, collect_assumptions, unsupported_numbers
from accord.analysis.results import (
    Analysis,
    FrontierInfo,
    PartySummary,
    Solution,
    Trade,
    TradeChange,
    Trades,
    Zopa,
)
from accord.analysis.solutions import SOLUTION_NAMES, choose_solutions, citation
from accord.analysis.structured.analysis import structured_parts
from accord.analysis.structured.frontier import DEFAULT_FRONTIER_LIMIT
from accord.analysis.structured.method import resolve_method
from accord.analysis.structured.points import Points, describe_collision
from accord.analysis.trades import find_trades
from accord.analysis.zopa import constraints_for, minimal_cover, sole_exclusions
from accord.engine.compiled import CompiledModel, compile_scenario
from accord.errors import AccordError
from accord.model.scenario import Scenario

__all__ = ["DEFAULT_MAX_OUTCOMES", "AnalysisError", "analyze"]

DEFAULT_MAX_OUTCOMES = 50_000_000
"""Largest outcome space enumerated by default (about a minute on two cores)."""

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
Progress = Callable[..., None]
"""Called as ``progress(done, total)`` (enumeration) or ``progress(done, total, label)``."""


class AnalysisError(AccordError):
    """The analysis cannot run as asked (unknown party, space too large, ...)."""


def analyze(
    scenario: Scenario,
    parties: Sequence[str] | None = None,
    *,
    reference: Mapping[str, str] | None = None,
    trade_parties: tuple[str, str] | None = None,
    max_trades: int = 10,
    max_outcomes: int = DEFAULT_MAX_OUTCOMES,
    progress: Progress | None = None,
    method: str = "auto",
    frontier_limit: int = DEFAULT_FRONTIER_LIMIT,
    count_bloc_members: bool = False,
) -> Analysis:
    """Analyse ``scenario`` over ``parties`` (default: the principals).

    ``reference`` (default: the scenario's ``reference``) is the outcome trades are
    measured from; ``trade_parties`` the two parties that trade (default: the first
    two chosen). ``method`` is ``enumerate``, ``structured`` or ``auto`` (enumerate
    small spaces, see :mod:`accord.analysis.structured.method`); ``frontier_limit``
    bounds an exact structured frontier of three or more parties. Parties sharing a
    ``bloc`` count once in the bargaining solutions (each of k members weighs 1/k,
    :mod:`accord.analysis.blocs`) unless ``count_bloc_members``. Raises
    :class:`AnalysisError` for parties that are unknown or have no preferences, and
    when asked to enumerate a space larger than ``max_outcomes``.
    """
    model = compile_scenario(scenario)
    chosen = _choose_parties(scenario, model, parties)
    try:
        resolved = resolve_method(method, model.n_outcomes, max_outcomes)
    except ValueError as error:
        raise AnalysisError(str(error)) from None
    if resolved == "enumerate" and model.n_outcomes > max_outcomes:
        raise AnalysisError(
            f"the outcome space has {model.n_outcomes:,} outcomes; accord enumerates at most "
            f"{max_outcomes:,} (raise the limit with --max-outcomes, or use --method structured)"
        )
    points = Points(model, chosen)
    blocs = bloc_count(scenario, [model.party_ids[p] for p in chosen], count_bloc_members)
    weights = blocs.weights([model.party_ids[p] for p in chosen])
    if resolved == "enumerate":
        analysis = _enumerated(scenario, model, chosen, points, progress, weights)
    else:
        parts = structured_parts(scenario, model, chosen, frontier_limit, progress, weights)
        analysis = _analysis(scenario, model, chosen, parts.summaries, parts.zopa)
        analysis = replace(
            analysis,
            pareto_frontier=parts.frontier,
            solutions=parts.solutions,
            notes=parts.notes,
            method="structured",
            pareto_frontier_info=parts.frontier_info,
        )
    trades = _trades(scenario, model, chosen, points, reference, trade_parties, max_trades)
    return replace(analysis, trades=trades, blocs=blocs)


def _enumerated(
    scenario: Scenario,
    model: CompiledModel,
    chosen: list[int],
    points: Points,
    progress: Progress | None,
    weights: FloatArray,
) -> Analysis:
    scan = _scan(model, chosen, progress)
    summaries = tuple(_summaries(scenario, model, chosen, scan, points))
    analysis = _analysis(
        scenario, model, chosen, summaries, _zopa(scenario, model, chosen, scan, points)
    )
    frontier = tuple(points.many(scan.frontier.indices))
    return replace(
        analysis,
        pareto_frontier=frontier,
        solutions=_solutions(model, chosen, scan, points, weights),
        pareto_frontier_info=FrontierInfo("enumerate", True, len(frontier)),
    )


def _analysis(
    scenario: Scenario,
    model: CompiledModel,
    chosen: list[int],
    summaries: tuple[PartySummary, ...],
    zopa: Zopa,
) -> Analysis:
    chosen_ids = tuple(model.party_ids[p] for p in chosen)
    return Analysis(
        scenario_id=scenario.id,
        title=scenario.title,
        parties=chosen_ids,
        outcome_count=model.n_outcomes,
        party_summaries=summaries,
        zopa=zopa,
        pareto_frontier=(),
        solutions=dict.fromkeys(SOLUTION_NAMES),
        trades=None,
        assumptions=tuple(collect_assumptions(scenario, chosen_ids)),
        cited=cited_count(scenario, chosen_ids),
        unsupported=tuple(unsupported_numbers(scenario, chosen_ids)),
    )


def _choose_parties(
    scenario: Scenario, model: CompiledModel, parties: Sequence[str] | None
) -> list[int]:
    if parties is None:
        parties = [p.id for p in scenario.principals() if p.preferences is not None]
        if not parties:
            parties = list(model.party_ids)
        if not parties:
            raise AnalysisError("no party in the scenario has preferences to analyse")
    chosen: list[int] = []
    known = [p.id for p in scenario.parties]
    for party in parties:
        if party not in known:
            raise AnalysisError(f"unknown party {party!r}; parties are: {', '.join(known)}")
        if party not in model.party_ids:
            raise AnalysisError(f"party {party!r} has no preferences in this scenario")
        if model.party_index(party) in chosen:
            raise AnalysisError(f"party {party!r} is named twice")
        chosen.append(model.party_index(party))
    return chosen


@dataclass
class _Frontier:
    """A running Pareto frontier: merging chunk frontiers gives the global one."""

    indices: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    utilities: FloatArray | None = None

    def add(self, indices: IntArray, utilities: FloatArray, keep: BoolArray | None = None) -> None:
        """Merge a chunk; ``keep`` is the chunk's own frontier mask when already known."""
        if indices.shape[0] == 0:
            return
        keep = pareto_mask(utilities) if keep is None else keep
        indices, utilities = indices[keep], utilities[keep]
        if self.utilities is not None:
            indices = np.concatenate((self.indices, indices))
            utilities = np.concatenate((self.utilities, utilities))
            keep = pareto_mask(utilities)
            indices, utilities = indices[keep], utilities[keep]
        order = np.argsort(indices, kind="stable")
        self.indices, self.utilities = indices[order], utilities[order]


@dataclass
class _Extreme:
    """The lowest-numbered outcome within ``TIE_TOLERANCE`` of the largest value, streamed.

    That outcome is a strict prefix maximum of the stream (every earlier value is below
    the final maximum minus the tolerance), so only the prefix maxima within the
    tolerance of the running maximum are kept: a handful, whatever the space.
    """

    top: float = -np.inf
    records: list[tuple[float, int]] = field(default_factory=list)

    def add(self, indices: IntArray, values: FloatArray) -> None:
        if values.shape[0] == 0 or values.max() < self.top - TIE_TOLERANCE:
            return
        before = np.concatenate(([self.top], np.maximum.accumulate(values)[:-1]))
        record = np.flatnonzero(values > np.maximum(before, self.top))
        self.records += [(float(values[n]), int(indices[n])) for n in record]
        self.top = max(self.top, float(values.max()))
        self.records = [r for r in self.records if r[0] >= self.top - TIE_TOLERANCE]

    @property
    def index(self) -> int:
        return self.records[0][1]


@dataclass
class _Scan:
    best: list[_Extreme]
    worst: list[_Extreme]
    acceptable: IntArray
    crossing: IntArray
    below: IntArray
    zopa_size: int = 0
    zopa_examples: list[int] = field(default_factory=list)
    frontier: _Frontier = field(default_factory=_Frontier)
    acceptable_frontier: _Frontier = field(default_factory=_Frontier)


def _scan(model: CompiledModel, chosen: list[int], progress: Progress | None) -> _Scan:
    k = len(chosen)
    scan = _Scan(
        best=[_Extreme() for _ in range(k)],
        worst=[_Extreme() for _ in range(k)],
        acceptable=np.zeros(k, dtype=np.int64),
        crossing=np.zeros(k, dtype=np.int64),
        below=np.zeros(k, dtype=np.int64),
    )
    floor = model.reservations[chosen] - TIE_TOLERANCE
    for indices, options in model.chunks():
        evaluation = model.evaluate(options, chosen)
        utilities = evaluation.utilities
        below = utilities < floor
        ok = ~evaluation.crossed & ~below
        scan.acceptable += ok.sum(axis=0)
        scan.crossing += evaluation.crossed.sum(axis=0)
        scan.below += below.sum(axis=0)
        _track_extremes(scan, indices, utilities)
        all_ok = ok.all(axis=1)
        scan.zopa_size += int(all_ok.sum())
        if len(scan.zopa_examples) < 5:
            scan.zopa_examples += indices[all_ok][: 5 - len(scan.zopa_examples)].tolist()
        chunk_frontier = pareto_mask(utilities)
        scan.frontier.add(indices, utilities, chunk_frontier)
        if all_ok.all():  # the same chunk frontier serves both
            scan.acceptable_frontier.add(indices, utilities, chunk_frontier)
        else:
            scan.acceptable_frontier.add(indices[all_ok], utilities[all_ok])
        if progress is not None:
            progress(int(indices[-1]) + 1, model.n_outcomes)
    return scan


def _track_extremes(scan: _Scan, indices: IntArray, utilities: FloatArray) -> None:
    """Best and worst outcome per party: the lowest-numbered within ``TIE_TOLERANCE``."""
    for j in range(utilities.shape[1]):
        scan.best[j].add(indices, utilities[:, j])
        scan.worst[j].add(indices, -utilities[:, j])


def _summaries(
    scenario: Scenario, model: CompiledModel, chosen: list[int], scan: _Scan, points: Points
) -> list[PartySummary]:
    return [
        PartySummary.of(
            scenario.party(model.party_ids[p]),
            float(model.reservations[p]),
            points.one(scan.best[j].index),
            points.one(scan.worst[j].index),
            (int(scan.acceptable[j]), int(scan.crossing[j]), int(scan.below[j])),
        )
        for j, p in enumerate(chosen)
    ]


def _zopa(
    scenario: Scenario, model: CompiledModel, chosen: list[int], scan: _Scan, points: Points
) -> Zopa:
    examples = tuple(points.many(scan.zopa_examples))
    if scan.zopa_size > 0:
        return Zopa(size=scan.zopa_size, examples=examples)
    constraints = constraints_for(model, chosen)
    cover = minimal_cover(model, constraints)
    excludes, only = sole_exclusions(model, constraints)
    reasons = [
        describe_collision(
            scenario,
            model,
            constraints[position].party,
            constraints[position].red_line_number,
            int(excludes[position]),
            int(only[position]),
            bool(only[position] > 0),
        )
        for position in cover
    ]
    return Zopa(size=0, reasons=tuple(reasons))


def _solutions(
    model: CompiledModel, chosen: list[int], scan: _Scan, points: Points, weights: FloatArray
) -> dict[str, Solution | None]:
    frontier = scan.acceptable_frontier
    if frontier.utilities is None:
        return dict.fromkeys(SOLUTION_NAMES)
    disagreement = model.reservations[chosen]
    choices = choose_solutions(frontier.utilities, disagreement, frontier.indices, weights)
    result: dict[str, Solution | None] = {}
    for name in SOLUTION_NAMES:
        choice = choices[name]
        point = points.one(int(frontier.indices[choice.row]))
        gains = {
            party: utility - float(disagreement[j])
            for j, (party, utility) in enumerate(point.utilities.items())
        }
        cited = citation(name, weights)
        result[name] = Solution(name, point, gains, choice.value, choice.ties, cited)
    return result


def _trades(
    scenario: Scenario,
    model: CompiledModel,
    chosen: list[int],
    points: Points,
    reference: Mapping[str, str] | None,
    trade_parties: tuple[str, str] | None,
    limit: int,
) -> Trades | None:
    label = "reference outcome"
    if reference is None and scenario.reference is not None:
        reference, label = scenario.reference.outcome, scenario.reference.label
    if reference is None:
        return None
    pair = _trade_pair(model, chosen, trade_parties)
    if pair is None:
        return None
    reference_row = _reference_row(model, reference)
    candidates = find_trades(model, reference_row[0], pair)
    trades = []
    for candidate in candidates[:limit]:
        changes = tuple(
            TradeChange(
                issue=model.issue_ids[i],
                before=model.option_ids[i][int(reference_row[0, i])],
                after=model.option_ids[i][int(candidate.options[i])],
            )
            for i in candidate.issues
        )
        ids = (model.party_ids[pair[0]], model.party_ids[pair[1]])
        trades.append(
            Trade(
                changes=changes,
                gains=dict(zip(ids, candidate.gains, strict=True)),
                joint_gain=sum(candidate.gains),
                logroll=candidate.logroll,
                result=points.row(candidate.options),
            )
        )
    return Trades(
        parties=(model.party_ids[pair[0]], model.party_ids[pair[1]]),
        reference_label=label,
        reference=points.row(reference_row),
        trades=tuple(trades),
        total_found=len(candidates),
    )


def _trade_pair(
    model: CompiledModel, chosen: list[int], trade_parties: tuple[str, str] | None
) -> tuple[int, int] | None:
    if trade_parties is None:
        return (chosen[0], chosen[1]) if len(chosen) >= 2 else None
    for party in trade_parties:
        if party not in model.party_ids:
            raise AnalysisError(f"trade party {party!r} is unknown or has no preferences")
    if trade_parties[0] == trade_parties[1]:
        raise AnalysisError("trades need two different parties")
    return model.party_index(trade_parties[0]), model.party_index(trade_parties[1])


def _reference_row(model: CompiledModel, reference: Mapping[str, str]) -> IntArray:
    for issue, options in zip(model.issue_ids, model.option_ids, strict=True):
        if issue not in reference:
            raise AnalysisError(f"the reference outcome does not choose an option for {issue!r}")
        if reference[issue] not in options:
            raise AnalysisError(
                f"the reference outcome chooses unknown option {reference[issue]!r} for {issue!r}"
            )
    unknown = [issue for issue in reference if issue not in model.issue_ids]
    if unknown:
        raise AnalysisError(f"the reference outcome names unknown issues: {', '.join(unknown)}")
    return model.outcome_options(reference)

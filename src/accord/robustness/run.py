"""``accord.robustness``: which conclusions survive the guesses (issue 14).

Monte Carlo over the uncertain inputs, as SMAA does for multi-criteria choice
(Lahdelma & Salminen 2001): every draw is one reading of the numbers; the share of
draws in which a package is a bargaining solution is its rank acceptability. Beside
it, one-at-a-time stability intervals in closed form (:mod:`.stability`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import numpy.typing as npt

from accord.analysis.analyze import AnalysisError, _choose_parties
from accord.analysis.blocs import bloc_count
from accord.analysis.solutions import SOLUTION_NAMES
from accord.engine.compiled import CompiledModel, compile_scenario
from accord.frameworks.draft import compile_draft
from accord.frameworks.flags import required_parties
from accord.frameworks.model import Framework
from accord.model.scenario import Scenario
from accord.model.whatif import lift_red_lines, parse_lift
from accord.robustness.execute import Progress, ScenarioJob, run_draws
from accord.robustness.framework import framework_job, verdict_intervals
from accord.robustness.inputs import build_layout, with_spread
from accord.robustness.kernel import Tally, enumerate_space
from accord.robustness.results import (
    PackageOdds,
    PartyAcceptance,
    PointBlocking,
    Robustness,
    SolutionShare,
)
from accord.robustness.stability import point_state, stability_intervals

__all__ = ["DEFAULT_DRAWS", "MAX_OUTCOMES", "framework_robustness", "robustness"]

DEFAULT_DRAWS = 10_000
MAX_OUTCOMES = 2_000_000
"""Largest outcome space the Monte Carlo enumerates (a few hundred MB of working arrays)."""

TOP_PACKAGES = 10

IntArray = npt.NDArray[np.int64]


def robustness(
    scenario: Scenario,
    parties: Sequence[str] | None = None,
    *,
    draws: int = DEFAULT_DRAWS,
    seed: int = 0,
    spread: float = 0.0,
    lift: Sequence[str] = (),
    scheduler: str | None = None,
    progress: Progress | None = None,
    count_bloc_members: bool = False,
) -> Robustness:
    """Monte Carlo over ``scenario``'s uncertain numbers (ranges, ``holds``, ``spread``).

    ``parties``, ``lift`` (``"PARTY:N"``) and ``count_bloc_members`` are as in
    :func:`accord.analyze`; the same
    ``seed`` gives the same answer locally and on the Dask cluster at ``scheduler``.
    """
    if draws < 1:
        raise AnalysisError(f"--draws must be at least 1 (found {draws})")
    if not 0 <= seed < 2**63:
        raise AnalysisError(f"--seed must be a non-negative integer below 2**63 (found {seed})")
    lifted, described = lift_red_lines(with_spread(scenario, spread), [parse_lift(x) for x in lift])
    model = compile_scenario(lifted)
    chosen = _choose_parties(lifted, model, parties)
    if model.n_outcomes > MAX_OUTCOMES:
        raise AnalysisError(
            f"the outcome space has {model.n_outcomes:,} outcomes; robustness enumerates at "
            f"most {MAX_OUTCOMES:,}"
        )
    layout = build_layout(lifted, model.party_ids)
    ids = [model.party_ids[p] for p in chosen]
    weights = bloc_count(lifted, ids, count_bloc_members).weights(ids)
    space = enumerate_space(model, chosen, weights)
    tally = run_draws(ScenarioJob(layout, space), draws, seed, scheduler, progress)
    top = _top_packages(tally)
    pareto = None
    if top.size:
        pareto = run_draws(ScenarioJob(layout, space, top), draws, seed, scheduler).pareto
    state = point_state(layout, space)

    def describe(index: int) -> str:
        return ", ".join(f"{k}={v}" for k, v in _outcome(model, index).items())

    stability = tuple(stability_intervals(layout, space, state, model.party_ids, describe))
    return Robustness(
        scenario_id=scenario.id,
        title=scenario.title,
        draws=draws,
        seed=seed,
        lifted=tuple(lift),
        parties=tuple(model.party_ids[p] for p in chosen),
        zone_nonempty=tally.zone / draws,
        solutions=_solutions(model, tally),
        packages=_packages(model, tally, top, pareto),
        stability=stability,
        uncertain=layout.numbers,
        notes=(*described, *_notes(lifted, layout, model, chosen)),
    )


def framework_robustness(
    framework: Framework,
    scenario: Scenario,
    parties: Sequence[str] | None = None,
    *,
    draws: int = DEFAULT_DRAWS,
    seed: int = 0,
    spread: float = 0.0,
    lift: Sequence[str] = (),
    scheduler: str | None = None,
    count_bloc_members: bool = False,
) -> Robustness:
    """:func:`robustness` of ``scenario``, plus, over the same draws, how often each party
    with preferences accepts ``framework``'s draft, how often each point blocks a party
    that must accept (``parties``, default the principals), and the stability of each
    party's verdict."""
    base = robustness(
        scenario,
        parties,
        draws=draws,
        seed=seed,
        spread=spread,
        lift=lift,
        scheduler=scheduler,
        count_bloc_members=count_bloc_members,
    )
    lifted, _ = lift_red_lines(with_spread(scenario, spread), [parse_lift(x) for x in lift])
    model = compile_scenario(lifted)
    layout = build_layout(lifted, model.party_ids)
    needed = required_parties(lifted, model, parties)
    draft = compile_draft(framework, model)
    job = framework_job(layout, model, draft, len(framework.points), needed)
    tally = run_draws(job, draws, seed, scheduler)

    def name(party: str) -> str:
        return lifted.party(party).name

    verdicts = verdict_intervals(layout, job.completions, model.party_ids, name)
    return replace(
        base,
        framework=framework.id,
        party_acceptance=tuple(
            PartyAcceptance(party, int(tally.accepts[p]) / draws)
            for p, party in enumerate(model.party_ids)
        ),
        points=tuple(
            PointBlocking(n + 1, int(tally.blocking[n]) / draws)
            for n in range(len(framework.points))
        ),
        stability=(*base.stability, *verdicts),
    )


def _outcome(model: CompiledModel, index: int) -> dict[str, str]:
    options = model.decode(np.asarray([index], dtype=np.int64))[0]
    return model.describe(options)


def _ranked(counts: IntArray) -> IntArray:
    """Outcomes with a positive count, most frequent first, then by index."""
    present = np.flatnonzero(counts > 0)
    order = np.lexsort((present, -counts[present]))
    return np.asarray(present[order], dtype=np.int64)


def _top_packages(tally: Tally) -> IntArray:
    return _ranked(tally.acceptable)[:TOP_PACKAGES]


def _solutions(model: CompiledModel, tally: Tally) -> dict[str, tuple[SolutionShare, ...]]:
    return {
        name: tuple(
            SolutionShare(_outcome(model, int(n)), int(tally.solutions[row, n]) / tally.draws)
            for n in _ranked(tally.solutions[row])
        )
        for row, name in enumerate(SOLUTION_NAMES)
    }


def _packages(
    model: CompiledModel, tally: Tally, top: IntArray, pareto: IntArray | None
) -> tuple[PackageOdds, ...]:
    if pareto is None:
        return ()
    return tuple(
        PackageOdds(
            _outcome(model, int(n)),
            int(tally.acceptable[n]) / tally.draws,
            int(pareto[k]) / tally.draws,
        )
        for k, n in enumerate(top)
    )


def _notes(
    scenario: Scenario, layout: object, model: CompiledModel, chosen: Sequence[int]
) -> list[str]:
    from accord.robustness.inputs import Layout

    assert isinstance(layout, Layout)
    notes = []
    analysed = {model.party_ids[p] for p in chosen}
    ignored = sorted({n.party for n in layout.numbers if n.party not in analysed})
    if ignored:
        notes.append(
            "Ranges of parties not analysed leave every verdict unchanged: " + ", ".join(ignored)
        )
    if not layout.uncertain:
        notes.append("No number carries a range and every red line holds: one reading only.")
    if model.cap is not None:
        notes.append("Stability intervals ignore the utility cap: they are approximate.")
    return notes

"""Run one negotiation session: ``simulate(scenario, protocol, strategies, spec, seed)``.

This is the façade over :mod:`accord.protocols` and :mod:`accord.strategies`: it
resolves and checks names (every mistake is a :class:`SimulationError` with a
did-you-mean), derives one seed per negotiator from the session seed with
:class:`numpy.random.SeedSequence` (so the same seed gives the same session, whichever
process runs it), precomputes the utility space once, runs the protocol and measures
the result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import partial

import numpy as np

from accord.engine.compiled import CompiledModel, compile_scenario
from accord.model.checks import suggest
from accord.model.scenario import Role, Scenario
from accord.protocols.registry import ProtocolInfo, protocol_info
from accord.protocols.session import Session
from accord.protocols.space import UtilitySpace
from accord.protocols.spec import ALL, Pressure, SessionSpec, SimulationError
from accord.protocols.trace import ProtocolRun
from accord.simulation.metrics import measure
from accord.simulation.results import OutcomeNames, SessionResult
from accord.strategies.base import PartyView
from accord.strategies.registry import make_negotiator

__all__ = ["ALL", "NEUTRAL_MEDIATOR", "check_session", "negotiating_parties", "simulate"]

NEUTRAL_MEDIATOR = "mediator"
"""The go-between of mediated protocols when the scenario names no mediator."""
DEFAULT_STRATEGY = "boulware"


def simulate(
    scenario: Scenario,
    protocol: str = "alternating",
    strategies: Mapping[str, str] | str = DEFAULT_STRATEGY,
    *,
    spec: SessionSpec | None = None,
    seed: int = 0,
    metrics: bool = True,
) -> SessionResult:
    """Run one session of ``protocol`` on ``scenario`` and measure where it ends.

    ``strategies`` maps negotiating parties to strategy names (``"all"`` sets the
    default for the others; a plain name sets everyone's). ``spec`` sets the deadline,
    the negotiators, the mediator and the costs of delay. With ``metrics=False`` the
    Pareto frontier and Nash point are not computed (distances are None).
    """
    spec = spec or SessionSpec()
    info = protocol_info(protocol)
    model = compile_scenario(scenario)
    parties, mediator, mediator_index = _resolve(scenario, model, info, spec)
    chosen = _assign(strategies, parties, mediator)
    session = _session(scenario, model, spec, parties, chosen, seed)
    session = replace(session, mediator=mediator, mediator_index=mediator_index)
    run = info.run(session)
    return _result(scenario, info, session, spec, chosen, seed, run, metrics)


def check_session(scenario: Scenario, protocol: str, spec: SessionSpec) -> tuple[str, ...]:
    """Check that a session could run (names, mediator, channels aside); return its
    negotiators. Raises :class:`SimulationError` as :func:`simulate` would."""
    info = protocol_info(protocol)
    model = compile_scenario(scenario)
    parties = _resolve(scenario, model, info, spec)[0]
    if info.bilateral and len(parties) != 2:
        raise SimulationError(
            f"protocol {info.name!r} needs exactly two negotiating parties, found "
            f"{len(parties)} ({', '.join(parties)})"
        )
    return tuple(parties)


def _resolve(
    scenario: Scenario, model: CompiledModel, info: ProtocolInfo, spec: SessionSpec
) -> tuple[list[str], str | None, int | None]:
    parties = negotiating_parties(scenario, model, spec.parties)
    mediator, mediator_index = _mediator(scenario, model, spec, info, parties)
    spec.check(parties)
    return parties, mediator, mediator_index


def negotiating_parties(
    scenario: Scenario, model: CompiledModel, chosen: Sequence[str] | None
) -> list[str]:
    """The negotiators in turn order: ``chosen``, or the principals with preferences."""
    if chosen is None:
        parties = [p.id for p in scenario.principals() if p.id in model.party_ids]
        return parties if len(parties) >= 2 else list(model.party_ids)
    known = [p.id for p in scenario.parties]
    for party in chosen:
        if party not in known:
            hint = suggest(party, known) or "parties: " + ", ".join(known)
            raise SimulationError(f"unknown party {party!r} ({hint})")
        if party not in model.party_ids:
            raise SimulationError(f"party {party!r} has no preferences and cannot negotiate")
    if len(set(chosen)) != len(chosen):
        raise SimulationError("a negotiating party is named twice")
    return list(chosen)


def _mediator(
    scenario: Scenario,
    model: CompiledModel,
    spec: SessionSpec,
    info: ProtocolInfo,
    parties: list[str],
) -> tuple[str | None, int | None]:
    if not info.mediated:
        if spec.mediator is not None:
            raise SimulationError(f"protocol {info.name!r} has no mediator (drop --mediator)")
        return None, None
    mediator = spec.mediator
    if mediator is None:
        found = [p.id for p in scenario.parties if p.has_role(Role.MEDIATOR)]
        mediator = next((p for p in found if p not in parties), NEUTRAL_MEDIATOR)
    elif mediator not in {p.id for p in scenario.parties}:
        hint = suggest(mediator, [p.id for p in scenario.parties])
        raise SimulationError(f"unknown mediator {mediator!r}" + (f" ({hint})" if hint else ""))
    if mediator in parties:
        raise SimulationError(f"the mediator {mediator!r} cannot also negotiate")
    index = model.party_index(mediator) if mediator in model.party_ids else None
    return mediator, index


def _assign(
    strategies: Mapping[str, str] | str, parties: list[str], mediator: str | None
) -> dict[str, str]:
    given = {ALL: strategies} if isinstance(strategies, str) else dict(strategies)
    for party in given:
        if party == ALL or party in parties:
            continue
        if party == mediator:
            raise SimulationError(f"{party!r} is the mediator here and plays no strategy")
        hint = suggest(party, parties) or "negotiating parties: " + ", ".join(parties)
        raise SimulationError(f"--strategy: {party!r} does not negotiate here ({hint})")
    default = given.get(ALL, DEFAULT_STRATEGY)
    chosen = {party: given.get(party, default) for party in parties}
    for name in chosen.values():
        make_negotiator(name)  # fails early, with a did-you-mean, on unknown names
    return chosen


def _session(
    scenario: Scenario,
    model: CompiledModel,
    spec: SessionSpec,
    parties: list[str],
    chosen: dict[str, str],
    seed: int,
) -> Session:
    if seed < 0:
        raise SimulationError(f"the seed must not be negative, found {seed}")
    seeds = np.random.SeedSequence(seed).spawn(len(parties) + 2)
    positions = [model.party_index(p) for p in parties]
    pressure = Pressure.build(spec, parties, model.reservations[positions])
    min_floors = pressure.floors(spec.rounds)[:, 1:].min(axis=1)
    space = UtilitySpace(model, positions, min_floors, np.random.default_rng(seeds[-2]))
    negotiators = []
    for j, party in enumerate(parties):
        negotiator = make_negotiator(chosen[party])
        negotiator.start(PartyView(space, j, party, spec.rounds, seeds[j]))
        negotiators.append(negotiator)
    start = {}
    if scenario.reference is not None:
        row = model.outcome_options(scenario.reference.outcome)[0]
        start = {issue: int(option) for issue, option in enumerate(row)}
    return Session(
        model=model,
        space=space,
        parties=tuple(parties),
        negotiators=tuple(negotiators),
        pressure=pressure,
        rounds=spec.rounds,
        talks_directly=partial(_talks_directly, scenario),
        rng=np.random.default_rng(seeds[-1]),
        start=start,
        mediator_knows_preferences=spec.mediator_knows_preferences,
    )


def _talks_directly(scenario: Scenario, a: str, b: str) -> bool:
    """The scenario's channels between its parties. The neutral go-between the simulation
    adds when the scenario names no free mediator is no party of the scenario, so its
    channels do not describe it: every party talks to it (that is what makes it neutral)."""
    parties = {party.id for party in scenario.parties}
    if NEUTRAL_MEDIATOR in {a, b} - parties:
        return True
    return scenario.talks_directly(a, b)


def _result(
    scenario: Scenario,
    info: ProtocolInfo,
    session: Session,
    spec: SessionSpec,
    chosen: dict[str, str],
    seed: int,
    run: ProtocolRun,
    metrics: bool,
) -> SessionResult:
    mentioned = {e.outcome for e in run.events if e.outcome is not None}
    mentioned |= {e.original for e in run.events if e.original is not None}
    indices = np.asarray(sorted(mentioned), dtype=np.int64)
    utilities = session.space.evaluate(indices)[0] if indices.shape[0] else np.zeros((0, 0))
    model = session.model
    notes = run.notes
    if not session.space.enumerated:
        held = session.space.values.shape[1]
        notes += (
            f"the space is too large to hold: negotiators offered from {held:,} "
            f"sampled and beam-searched candidate outcomes",
        )
    return SessionResult(
        scenario_id=scenario.id,
        title=scenario.title,
        protocol=info.name,
        parties=session.parties,
        mediator=session.mediator,
        strategies=chosen,
        seed=seed,
        spec=spec,
        agreement=run.agreement is not None,
        round=run.round,
        outcome_index=run.agreement,
        metrics=measure(session, run, with_reference=metrics),
        events=run.events,
        outcomes=OutcomeNames(indices.tolist(), model.issue_ids, model.option_ids),
        outcome_utilities=dict(zip(indices.tolist(), map(tuple, utilities.tolist()), strict=True)),
        notes=notes,
    )

"""Protocol invariants, time pressure and the precomputed utility space.

Invariants, for every protocol and strategy: an agreement is accepted by every
negotiator; nothing happens after the deadline; shuttle traces never show a message
on a channel the scenario forbids.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from accord import analyze, compile_scenario, load_scenario
from accord.frameworks.mediation import mediate_text
from accord.model.scenario import Channel, Scenario
from accord.model.whatif import lift_red_lines
from accord.protocols.space import (
    UtilitySpace,
    grid_crossed,
    grid_utilities,
    sort_with_ties_by_index,
    top_outcomes,
)
from accord.protocols.spec import Pressure, SessionSpec, SimulationError
from accord.protocols.trace import Kind
from accord.simulation import SessionResult, simulate
from accord.strategies.registry import REGISTRY

BERLIN = load_scenario("berlin-2025")
LIFTED = lift_red_lines(BERLIN, [("russia", 3)])[0]  # opens a zone of agreement
STRATEGIES = sorted(REGISTRY)
SETTINGS = {
    "alternating": [("ukraine", "united-states"), ("ukraine", "russia")],
    "multilateral": [("ukraine", "united-states", "germany"), ("russia", "ukraine")],
    "single-text": [("ukraine", "united-states"), ("ukraine", "russia", "germany")],
    "shuttle": [("ukraine", "russia")],
}
CASES = [
    (protocol, parties, strategy)
    for protocol, settings in SETTINGS.items()
    for parties, strategy in itertools.product(settings, STRATEGIES)
]


def generated(issues: int, options: int = 10, seed: int = 0, red_line: bool = False) -> Scenario:
    """Two opposed parties over ``issues`` issues (the benchmark's kind of domain)."""
    rng = np.random.default_rng(seed)
    weights = rng.random(issues)
    values = rng.random((issues, options))

    def preferences(table: np.ndarray) -> dict[str, object]:
        prefs: dict[str, object] = {
            "salience": {f"i{i}": float(w) for i, w in enumerate(weights)},
            "values": {
                f"i{i}": {f"o{o}": float(table[i, o]) for o in range(options)}
                for i in range(issues)
            },
            "reservation": {"value": 0.3},
        }
        if red_line:
            prefs["red_lines"] = [{"when": {"i0": ["o0", "o1"]}, "reason": "never"}]
        return prefs

    return Scenario.model_validate(
        {
            "id": "generated",
            "title": "Generated",
            "issues": [
                {"id": f"i{i}", "options": [{"id": f"o{o}"} for o in range(options)]}
                for i in range(issues)
            ],
            "parties": [
                {"id": "a", "name": "A", "role": "principal", "preferences": preferences(values)},
                {
                    "id": "b",
                    "name": "B",
                    "role": "principal",
                    "preferences": preferences(1 - values),
                },
            ],
        }
    )


def run(protocol: str, parties: tuple[str, ...], strategy: str, **spec: object) -> SessionResult:
    settings = SessionSpec(rounds=int(spec.pop("rounds", 40)), parties=parties, **spec)  # type: ignore[arg-type]
    return simulate(LIFTED, protocol, strategy, spec=settings, seed=11)


@pytest.mark.parametrize(("protocol", "parties", "strategy"), CASES)
def test_an_agreement_is_accepted_by_all_and_the_deadline_holds(
    protocol: str, parties: tuple[str, ...], strategy: str
) -> None:
    result = run(protocol, parties, strategy)
    assert all(1 <= e.round <= 40 for e in result.events)
    assert result.round <= 40
    if not result.agreement:
        assert result.outcome_index is None
        assert result.round == 40
        return
    agreed = result.outcome_index
    last_offer = max(
        n
        for n, e in enumerate(result.events)
        if e.outcome == agreed and e.kind in (Kind.OFFER, Kind.FORWARD, Kind.DRAFT)
    )
    after = result.events[last_offer + 1 :]
    accepted = {e.sender for e in after if e.kind == Kind.ACCEPT and e.outcome == agreed}
    proposer = result.events[last_offer].sender
    unchanged_offer = result.events[last_offer].kind == Kind.OFFER or (
        result.events[last_offer].kind == Kind.FORWARD
        and result.events[last_offer].original is None
    )
    if unchanged_offer and proposer not in parties:  # the mediator forwarded a party's offer
        proposer = result.events[last_offer - 1].sender
    assert accepted | ({proposer} if unchanged_offer else set()) >= set(parties)
    for party in parties:  # no negotiator accepted what crosses its red lines
        assert result.metrics.gains[party] >= -1e-12


@pytest.mark.parametrize("strategy", STRATEGIES)
@pytest.mark.parametrize("scenario", [BERLIN, LIFTED], ids=["berlin", "lifted"])
def test_shuttle_never_uses_a_forbidden_channel(scenario: Scenario, strategy: str) -> None:
    result = simulate(scenario, "shuttle", strategy, spec=SessionSpec(rounds=30), seed=5)
    assert result.mediator == "united-states"
    assert not BERLIN.talks_directly("ukraine", "russia")
    for event in result.events:
        for receiver in event.to:
            assert scenario.talks_directly(event.sender, receiver), event
    offers = [e for e in result.events if e.kind == Kind.OFFER]
    assert offers
    assert all(e.to == ("united-states",) for e in offers)


def test_shuttle_mediator_reformulates_offers_that_cross_public_red_lines() -> None:
    result = simulate(LIFTED, "shuttle", "boulware", spec=SessionSpec(rounds=30), seed=0)
    model = compile_scenario(LIFTED)
    principals = [model.party_index("ukraine"), model.party_index("russia")]
    reworded = [e for e in result.events if e.kind == Kind.FORWARD and e.original is not None]
    assert reworded, "Ukraine's opening offer crosses Russia's red lines"
    for event in reworded:
        assert event.outcome is not None
        assert event.message
        before, after = (
            model.crossed(model.decode(np.asarray([o])), principals).sum()
            for o in (event.original, event.outcome)
        )
        assert after < before
        assert set(event.to) == {"ukraine", "russia"}


def test_shuttle_without_a_channel_to_the_mediator_is_refused() -> None:
    pairs = (
        Channel(between=("ukraine", "russia"), direct=False),
        Channel(between=("united-states", "ukraine"), direct=True),
        Channel(between=("united-states", "russia"), direct=False),
        Channel(between=("germany", "ukraine"), direct=True),
        Channel(between=("germany", "russia"), direct=True),
    )
    closed = BERLIN.model_copy(
        update={"channels": BERLIN.channels.model_copy(update={"pairs": pairs})}
    )
    for protocol in ("shuttle", "single-text"):
        with pytest.raises(SimulationError, match="forbid direct talks"):
            simulate(closed, protocol)
    assert simulate(closed, "shuttle", spec=SessionSpec(mediator="germany", rounds=3))


def test_a_neutral_mediator_outside_the_scenario_reaches_every_party() -> None:
    """Berlin's channels default to closed; the go-between added when every named mediator
    negotiates is no party of the scenario, so those channels do not bind it."""
    assert not BERLIN.channels.default
    spec = SessionSpec(parties=("ukraine", "united-states"), rounds=5)
    result = simulate(LIFTED, "single-text", spec=spec, seed=0)
    assert result.mediator == "mediator"
    assert any(event.sender == "mediator" for event in result.events)
    with pytest.raises(SimulationError, match="forbid direct talks"):
        simulate(
            LIFTED,
            "single-text",
            spec=SessionSpec(parties=("ukraine", "russia"), mediator="canada", rounds=5),
        )


def test_alternating_offers_is_bilateral() -> None:
    with pytest.raises(SimulationError, match="exactly two"):
        simulate(BERLIN, "alternating", spec=SessionSpec(parties=("ukraine", "russia", "germany")))


def test_alternating_notes_a_forbidden_channel() -> None:
    result = simulate(BERLIN, "alternating", spec=SessionSpec(rounds=5))
    assert any("do not talk directly" in note for note in result.notes)


def test_berlin_principals_never_agree_while_their_red_lines_collide() -> None:
    for protocol in SETTINGS:
        result = simulate(BERLIN, protocol, "conceder", spec=SessionSpec(rounds=20))
        assert not result.agreement
        assert result.metrics.nash_distance is None  # no zone of agreement, no Nash point


def test_single_text_drafts_are_the_mediation_core() -> None:
    parties = ("ukraine", "united-states")
    result = run("single-text", parties, "conceder")
    model = compile_scenario(LIFTED)
    principals = [model.party_index(p) for p in parties]
    start = {i: int(o) for i, o in enumerate(model.outcome_options(LIFTED.reference.outcome)[0])}  # type: ignore[union-attr]
    rng = np.random.default_rng(np.random.SeedSequence(11).spawn(4)[-1])
    core = mediate_text(model, principals, start, 39, rng, True)
    drafts = [e.outcome for e in result.events if e.kind == Kind.DRAFT]
    assert drafts == [int(model.encode(d.row[None, :])[0]) for d in core.drafts]
    assert result.agreement
    assert result.outcome_index == drafts[-1]
    assert any(e.kind == Kind.CRITICISM for e in result.events)


def test_single_text_with_a_blind_mediator() -> None:
    result = run(
        "single-text", ("ukraine", "united-states"), "linear", mediator_knows_preferences=False
    )
    assert any(e.kind == Kind.DRAFT for e in result.events)
    assert any("criticism" in note or "single-text" in note for note in result.notes)


def test_costs_of_delay_bring_agreement_forward_and_cost_utility() -> None:
    scenario = generated(3)  # reservation values (0.3) within the parties' ranges

    def session(**settings: object) -> SessionResult:
        spec = SessionSpec(rounds=60, **settings)  # type: ignore[arg-type]
        return simulate(scenario, "alternating", "linear", spec=spec, seed=2)

    calm = session()
    worsening = session(reservation_drift={"all": -0.01})  # no deal gets worse: the war's cost
    impatient = session(discount={"all": 0.9})
    assert calm.agreement
    assert worsening.agreement
    assert impatient.agreement
    assert worsening.round < calm.round
    assert impatient.round < calm.round  # waiting a round costs 10%: accept sooner
    assert worsening.metrics.reservations["a"] == pytest.approx(0.3 - 0.01 * (worsening.round - 1))
    charged = session(delay_cost={"a": 0.002})
    u = charged.outcome_utilities[charged.outcome_index][0]  # type: ignore[index]
    assert charged.metrics.utilities["a"] == pytest.approx(u - 0.002 * (charged.round - 1))
    assert charged.metrics.gains["a"] == pytest.approx(charged.metrics.utilities["a"] - 0.3)


def test_pressure_floors() -> None:
    spec = SessionSpec(
        rounds=3, delay_cost={"a": 0.1}, reservation_drift={"b": -0.1}, discount={"a": 0.5}
    )
    pressure = Pressure.build(spec, ["a", "b"], np.asarray([0.2, 0.4]))
    floors = pressure.floors(3)
    assert floors[0, 1:].tolist() == pytest.approx([0.2, 0.2 + 0.1 / 0.5, 0.2 + 0.2 / 0.25])
    assert floors[1, 1:].tolist() == pytest.approx([0.4, 0.3, 0.2])
    assert pressure.value(0, 0.8, 3) == pytest.approx(0.25 * 0.8 - 0.2)
    assert pressure.reservation(0, 3) == pytest.approx(0.25 * 0.2)
    assert pressure.reservation(1, 3) == pytest.approx(0.2)
    for j, round_ in itertools.product(range(2), range(1, 4)):  # the floor is worth r_t
        value = pressure.value(j, float(floors[j, round_]), round_)
        assert value == pytest.approx(pressure.reservation(j, round_))


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"delay_cost": {"ukrane": 0.1}}, "did you mean 'ukraine'"),
        ({"discount": {"ukraine": 1.5}}, r"\(0, 1\]"),
        ({"rounds": 0}, "in 1..1,000,000"),
        ({"parties": ("ukraine", "canada")}, "no preferences"),
        ({"parties": ("ukraine", "atlantis")}, "unknown party"),
    ],
)
def test_bad_session_settings(settings: dict[str, object], message: str) -> None:
    with pytest.raises(SimulationError, match=message):
        simulate(BERLIN, "multilateral", spec=SessionSpec(**settings))  # type: ignore[arg-type]


def test_unknown_names_suggest_the_name_meant() -> None:
    with pytest.raises(SimulationError, match="did you mean 'shuttle'"):
        simulate(BERLIN, "shutle")
    with pytest.raises(SimulationError, match="does not negotiate"):
        simulate(BERLIN, "alternating", {"germany": "linear"})
    with pytest.raises(SimulationError, match="is the mediator"):
        simulate(BERLIN, "shuttle", {"united-states": "linear"})


def test_nash_point_and_frontier_agree_with_analyze() -> None:
    parties = ["ukraine", "united-states", "germany"]
    analysis = analyze(BERLIN, parties)
    model = compile_scenario(BERLIN)
    chosen = [model.party_index(p) for p in parties]
    space = UtilitySpace(model, chosen, model.reservations[chosen], np.random.default_rng(0))
    reference = space.reference()
    assert analysis.solutions["nash"] is not None
    assert reference.nash == analysis.solutions["nash"].point.index
    assert set(reference.frontier.tolist()) == {p.index for p in analysis.pareto_frontier}


@pytest.mark.parametrize("scenario", [BERLIN, generated(3, red_line=True)], ids=["berlin", "gen"])
def test_grid_evaluation_is_bit_identical_to_the_engine(scenario: Scenario) -> None:
    model = compile_scenario(scenario)
    options = model.decode(np.arange(model.n_outcomes, dtype=np.int64))
    utilities, crossed = model.utilities(options), model.crossed(options)
    for p in range(len(model.party_ids)):
        assert np.array_equal(grid_utilities(model, p), utilities[:, p])
        assert np.array_equal(grid_crossed(model, p), crossed[:, p])


def test_beam_search_finds_the_best_outcomes_exactly() -> None:
    model = compile_scenario(generated(4, options=6, seed=3))
    utilities = grid_utilities(model, 0)
    top = top_outcomes(model, 0, width=50)
    assert np.sort(utilities[top])[::-1] == pytest.approx(np.sort(utilities)[::-1][:50])


def test_large_spaces_use_a_bounded_candidate_set() -> None:
    model = compile_scenario(generated(4, red_line=True))
    floors = model.reservations[[0, 1]]
    rng = np.random.default_rng(1)
    space = UtilitySpace(
        model, [0, 1], floors, rng, full_limit=1000, sample_size=500, beam_width=64
    )
    assert not space.enumerated
    assert space.values.shape[1] < model.n_outcomes
    table = space.table(0)
    assert not model.crossed(model.decode(table.outcomes), [0]).any()
    assert table.best == pytest.approx(grid_utilities(model, 0)[~grid_crossed(model, 0)].max())
    some = table.outcomes[:5]
    assert space.evaluate(some)[0][:, 0] == pytest.approx(
        model.utilities(model.decode(some), [0])[:, 0]
    )
    outside = int(np.setdiff1d(np.arange(model.n_outcomes), space.outcomes)[0])  # type: ignore[arg-type]
    assert space.position(outside) == -1
    assert (
        space.utility(0, outside) == model.utilities(model.decode(np.asarray([outside])), [0])[0, 0]
    )


def test_generated_domain_without_a_zone_runs_every_round() -> None:
    scenario = generated(3)
    model = compile_scenario(scenario)
    spec = SessionSpec(rounds=200)
    result = simulate(scenario, "alternating", "boulware", spec=spec, seed=0, metrics=False)
    if not result.agreement:
        assert result.round == 200
        assert len(result.events) == 400
    assert result.metrics.pareto_distance is None
    assert model.n_outcomes == 1000


def test_sorting_puts_ties_in_index_order() -> None:
    rng = np.random.default_rng(0)
    values = rng.integers(0, 20, size=5000).astype(np.float64) / 7
    order = sort_with_ties_by_index(values)
    assert np.array_equal(order, np.argsort(values, kind="stable"))
    assert np.array_equal(sort_with_ties_by_index(np.asarray([0.5])), [0])


def test_simulation_and_tournament_namespaces() -> None:
    import accord.simulation
    import accord.tournament

    assert set(accord.simulation.__all__) == {
        "ALL", "PROTOCOLS", "REGISTRY", "Event", "Kind", "Metrics", "Pressure",
        "ProtocolInfo", "SessionResult", "SessionSpec", "SimulationError", "StrategyInfo",
        "make_negotiator", "simulate", "strategy_names",
    }  # fmt: skip
    assert {"read_spec", "make_plan", "run_tournament", "write_rows", "summarise"} <= set(
        accord.tournament.__all__
    )
    for module in (accord.simulation, accord.tournament):
        for name in module.__all__:
            assert getattr(module, name) is not None
    assert set(accord.simulation.PROTOCOLS) == {
        "alternating",
        "multilateral",
        "single-text",
        "shuttle",
    }

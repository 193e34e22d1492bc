"""The negotiator contract, inherited by one test class per strategy (Axelrod's style).

Every strategy must: declare its metadata; offer only outcomes inside the outcome
space that cross none of its own red lines; accept only offers that cross none and
clear its floor; act identically under the same seed; come back to its start on
``reset``; and survive pickling mid-session.
"""

from __future__ import annotations

import pickle
from typing import ClassVar

import numpy as np
import pytest

from accord import compile_scenario, load_scenario
from accord.model.scenario import Scenario
from accord.protocols.space import UtilitySpace
from accord.protocols.spec import Pressure, SessionSpec, SimulationError
from accord.simulation import simulate
from accord.strategies.base import Action, Negotiator, PartyView, Turn
from accord.strategies.registry import REGISTRY, make_negotiator

BERLIN = load_scenario("berlin-2025")
ROUNDS = 30
Script = list[tuple[int, Action]]


def start(
    name: str, scenario: Scenario, parties: tuple[str, ...], j: int, seed: int = 0
) -> tuple[Negotiator, UtilitySpace, np.ndarray]:
    """A negotiator of strategy ``name`` started as ``parties[j]`` in a fresh session."""
    model = compile_scenario(scenario)
    positions = [model.party_index(p) for p in parties]
    pressure = Pressure.build(SessionSpec(rounds=ROUNDS), parties, model.reservations[positions])
    floors = pressure.floors(ROUNDS)
    space = UtilitySpace(model, positions, floors[:, 1:].min(axis=1), np.random.default_rng(0))
    negotiator = make_negotiator(name)
    seeds = np.random.SeedSequence(seed).spawn(len(parties))
    negotiator.start(PartyView(space, j, parties[j], ROUNDS, seeds[j]))
    return negotiator, space, floors[j]


def scripted_offers(space: UtilitySpace, count: int) -> list[int]:
    """Offers from the other side: random outcomes, then the negotiator's best ones."""
    rng = np.random.default_rng(42)
    return [int(o) for o in rng.integers(0, space.model.n_outcomes, size=count)]


def play(negotiator: Negotiator, floors: np.ndarray, offers: list[int], first: int = 1) -> Script:
    """Alternate propose and respond against scripted offers; what it did each turn."""
    script: Script = []
    for n, offer in enumerate(offers):
        round_ = first + n
        turn = Turn(round_, (round_ - 1) / (ROUNDS - 1), float(floors[round_]))
        proposal = negotiator.propose(turn)
        script.append((proposal, negotiator.respond(turn, offer)))
    return script


class NegotiatorContract:
    """Inherit and set ``strategy``; every test here then runs for that strategy."""

    strategy: ClassVar[str]
    settings: ClassVar[list[tuple[tuple[str, ...], int]]] = [
        (("ukraine", "russia"), 0),
        (("ukraine", "russia"), 1),
        (("ukraine", "united-states"), 1),
    ]

    def test_declares_metadata(self) -> None:
        info = REGISTRY[self.strategy]
        assert info.name == self.strategy
        assert info.family
        assert info.citation
        assert info.description
        assert info.build().name == self.strategy

    @pytest.mark.parametrize("setting", range(3))
    def test_offers_stay_inside_the_space_and_its_red_lines(self, setting: int) -> None:
        parties, j = self.settings[setting]
        negotiator, space, floors = start(self.strategy, BERLIN, parties, j)
        for proposal, _ in play(negotiator, floors, scripted_offers(space, ROUNDS)):
            assert 0 <= proposal < space.model.n_outcomes
            assert not space.crosses(j, proposal)

    @pytest.mark.parametrize("setting", range(3))
    def test_accepts_only_offers_it_can_accept(self, setting: int) -> None:
        parties, j = self.settings[setting]
        negotiator, space, floors = start(self.strategy, BERLIN, parties, j)
        offers = scripted_offers(space, ROUNDS)
        for n, (_, action) in enumerate(play(negotiator, floors, offers)):
            if action is Action.ACCEPT:
                assert not space.crosses(j, offers[n])
                assert space.utility(j, offers[n]) >= floors[n + 1] - 1e-12

    def test_same_seed_same_behaviour(self) -> None:
        runs = []
        for _ in range(2):
            negotiator, space, floors = start(self.strategy, BERLIN, ("ukraine", "russia"), 0, 7)
            runs.append(play(negotiator, floors, scripted_offers(space, ROUNDS)))
        assert runs[0] == runs[1]

    def test_same_seed_same_session(self) -> None:
        spec = SessionSpec(rounds=40, parties=("ukraine", "united-states"))
        first, second = (
            simulate(BERLIN, "alternating", self.strategy, spec=spec, seed=3) for _ in range(2)
        )
        assert first.events == second.events
        assert first.metrics == second.metrics

    def test_reset_restores_the_start(self) -> None:
        negotiator, space, floors = start(self.strategy, BERLIN, ("ukraine", "russia"), 0)
        offers = scripted_offers(space, ROUNDS)
        before = play(negotiator, floors, offers)
        negotiator.reset()
        assert play(negotiator, floors, offers) == before

    def test_pickles_mid_session(self) -> None:
        negotiator, space, floors = start(self.strategy, BERLIN, ("ukraine", "russia"), 1)
        offers = scripted_offers(space, ROUNDS)
        play(negotiator, floors, offers[:10])
        copy = pickle.loads(pickle.dumps(negotiator))
        rest = offers[10:]
        assert play(copy, floors, rest, first=11) == play(negotiator, floors, rest, first=11)

    def test_takes_its_own_best_outcome(self) -> None:
        negotiator, space, floors = start(self.strategy, BERLIN, ("ukraine", "united-states"), 0)
        best = int(space.table(0).outcomes[-1])
        turn = Turn(ROUNDS, 1.0, float(floors[ROUNDS]))
        accepted = [negotiator.respond(turn, best) is Action.ACCEPT for _ in range(20)]
        assert any(accepted)


class TestBoulware(NegotiatorContract):
    strategy = "boulware"


class TestLinear(NegotiatorContract):
    strategy = "linear"


class TestConceder(NegotiatorContract):
    strategy = "conceder"


class TestTitForTat(NegotiatorContract):
    strategy = "tit-for-tat"


class TestHardliner(NegotiatorContract):
    strategy = "hardliner"


class TestPrincipled(NegotiatorContract):
    strategy = "principled"


class TestRandom(NegotiatorContract):
    strategy = "random"


def test_every_registered_strategy_runs_the_contract() -> None:
    tested = {cls.strategy for cls in NegotiatorContract.__subclasses__()}
    assert tested == set(REGISTRY)
    assert {"boulware", "linear", "conceder", "tit-for-tat", "hardliner"} <= tested
    assert {"principled", "random"} <= tested


def test_unknown_strategy_suggests_the_name_meant() -> None:
    with pytest.raises(SimulationError, match="did you mean 'boulware'"):
        make_negotiator("boulwar")


def _level_at(name: str, time: float) -> float:
    negotiator, _, floors = start(name, BERLIN, ("ukraine", "united-states"), 0)
    return negotiator.offering.level(Turn(1, time, float(floors[1])))


def test_boulware_holds_out_longer_than_linear_and_conceder() -> None:
    boulware, linear, conceder = (_level_at(n, 0.5) for n in ("boulware", "linear", "conceder"))
    assert boulware > linear > conceder
    assert _level_at("boulware", 0.0) == _level_at("conceder", 0.0)
    assert _level_at("boulware", 1.0) == pytest.approx(_level_at("conceder", 1.0))


def test_time_based_level_reaches_the_floor_at_the_deadline() -> None:
    negotiator, space, _ = start("linear", BERLIN, ("ukraine", "united-states"), 0)
    ukraine = BERLIN.party("ukraine").preferences
    assert ukraine is not None
    floor = ukraine.reservation.value
    table = space.table(0)  # outcomes worth at least the floor (the reservation), least first
    assert table.worst >= floor
    assert negotiator.offering.level(Turn(ROUNDS, 1.0, floor)) == pytest.approx(table.worst)
    higher = (table.worst + table.best) / 2
    assert negotiator.offering.level(Turn(ROUNDS, 1.0, higher)) == pytest.approx(higher)
    assert negotiator.offering.level(Turn(1, 0.0, floor)) == table.best


def test_hardliner_always_offers_its_best() -> None:
    negotiator, space, floors = start("hardliner", BERLIN, ("ukraine", "russia"), 1)
    best = int(space.table(1).outcomes[-1])
    assert {p for p, _ in play(negotiator, floors, scripted_offers(space, ROUNDS))} == {best}


def test_tit_for_tat_mirrors_concessions() -> None:
    negotiator, space, _ = start("tit-for-tat", BERLIN, ("ukraine", "united-states"), 0)
    table = space.table(0)
    offering = negotiator.offering
    turn = Turn(2, 0.1, 0.0)
    low, high = int(table.outcomes[0]), int(table.outcomes[len(table.outcomes) // 2])
    negotiator.respond(turn, low)
    opening = offering.level(turn)
    assert opening == pytest.approx(table.best - 0.05 * (table.best - table.worst))
    negotiator.respond(turn, high)  # the other side conceded: it concedes as much
    gained = space.utility(0, high) - space.utility(0, low)
    assert offering.level(turn) == pytest.approx(opening - gained)
    negotiator.respond(turn, low)  # and retaliates when the other side takes it back
    assert offering.level(turn) == pytest.approx(opening)


def test_principled_offers_only_efficient_outcomes_and_meets_at_nash() -> None:
    spec = SessionSpec(rounds=40, parties=("ukraine", "united-states"))
    result = simulate(BERLIN, "alternating", "principled", spec=spec, seed=0)
    model = compile_scenario(BERLIN)
    chosen = [model.party_index(p) for p in spec.parties or ()]
    space = UtilitySpace(model, chosen, model.reservations[chosen], np.random.default_rng(0))
    frontier = set(space.reference().frontier.tolist())
    assert all(e.outcome in frontier for e in result.events if e.kind == "offer")
    assert result.agreement
    assert result.round <= 21  # it reaches the Nash point by half time
    assert result.metrics.nash_distance == pytest.approx(0.0)


def test_random_accepts_some_and_rejects_some() -> None:
    negotiator, space, floors = start("random", BERLIN, ("ukraine", "united-states"), 0)
    best = int(space.table(0).outcomes[-1])
    turn = Turn(ROUNDS, 1.0, float(floors[ROUNDS]))
    answers = {negotiator.respond(turn, best) for _ in range(40)}
    assert answers == {Action.ACCEPT, Action.REJECT}

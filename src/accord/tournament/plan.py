"""A tournament's runs, each a *cell* with its own derived seed.

A cell is one (scenario, protocol, assignment of strategies, repetition). Its seed is
derived from the tournament seed and the cell's key alone (BLAKE2 of the key into a
:class:`numpy.random.SeedSequence`), never from the order in which cells run, so any
cell replays alone (``accord tournament SPEC --only KEY``, or ``accord simulate`` with
the cell's seed) and every executor gives identical results.
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from accord.errors import AccordError, Problem, ScenarioError
from accord.errors import Path as FieldPath
from accord.io.load import load_scenario
from accord.io.yaml_source import SourceMap
from accord.model.checks import suggest
from accord.model.scenario import Scenario
from accord.protocols.registry import PROTOCOLS
from accord.protocols.spec import SessionSpec
from accord.simulation.session import check_session
from accord.strategies.registry import REGISTRY
from accord.tournament.spec import ScenarioEntry, TournamentSpec

__all__ = ["MAX_RUNS", "Arena", "Cell", "Plan", "make_plan", "run_seed"]

MAX_RUNS = 1_000_000


@dataclass(frozen=True)
class Arena:
    """A scenario ready for runs: its label, the scenario, the session spec, negotiators."""

    label: str
    scenario: Scenario
    spec: SessionSpec
    parties: tuple[str, ...]


@dataclass(frozen=True)
class Cell:
    index: int
    key: str
    arena: str
    protocol: str
    strategies: tuple[str, ...]
    """One strategy per negotiator, in the arena's turn order."""
    repetition: int
    seed: int


@dataclass(frozen=True)
class Plan:
    name: str
    seed: int
    arenas: dict[str, Arena]
    cells: tuple[Cell, ...]

    def only(self, key: str) -> Plan:
        """The plan reduced to the cell ``key`` (to replay it alone)."""
        for cell in self.cells:
            if cell.key == key:
                return Plan(self.name, self.seed, self.arenas, (cell,))
        hint = suggest(key, [c.key for c in self.cells])
        raise AccordError(f"no cell {key!r} in this tournament" + (f" ({hint})" if hint else ""))


def run_seed(seed: int, key: str) -> int:
    """The seed of the cell ``key`` in a tournament seeded with ``seed`` (63 bits)."""
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=16).digest()
    words = np.frombuffer(digest, dtype="<u4").tolist()
    state = np.random.SeedSequence([seed, *words]).generate_state(1, dtype=np.uint64)
    return int(state[0]) >> 1


def make_plan(spec: TournamentSpec, source_map: SourceMap, base: Path, name: str) -> Plan:
    """Check every name in ``spec`` (located problems) and lay out its cells."""
    problems = _name_problems(spec, source_map)
    arenas: dict[str, Arena] = {}
    for i, entry in enumerate(spec.scenarios):
        try:
            arena = _arena(spec, entry, base)
            if arena.label in arenas:
                raise AccordError(f"label {arena.label!r} is used twice: give one a `label`")
            for protocol in spec.protocols if not problems else ():
                check_session(arena.scenario, protocol, arena.spec)
            arenas[arena.label] = arena
        except AccordError as error:
            path: FieldPath = ("scenarios", i, *_field_of(str(error), entry))
            problems.append(_located(error, path, source_map))
    if problems:
        raise ScenarioError(problems)
    per_arena = [
        len(spec.strategies) if spec.pairing == "self" else len(spec.strategies) ** len(a.parties)
        for a in arenas.values()
    ]
    total = sum(per_arena) * len(spec.protocols) * spec.repetitions
    if total > MAX_RUNS:
        where = source_map.locate(("strategies",))
        message = f"the tournament would have {total:,} runs; at most {MAX_RUNS:,}"
        raise ScenarioError([Problem(message, location=where, hint="try `pairing: self`")])
    return Plan(spec.name or name, spec.seed, arenas, tuple(_cells(spec, arenas)))


_SINGULAR = {"strategies": "strategy", "protocols": "protocol"}


def _name_problems(spec: TournamentSpec, source_map: SourceMap) -> list[Problem]:
    problems = []
    for field, names, known in (
        ("strategies", spec.strategies, REGISTRY),
        ("protocols", spec.protocols, PROTOCOLS),
    ):
        for i, name in enumerate(names):
            if name not in known:
                hint = suggest(name, known) or f"{field}: " + ", ".join(known)
                path: FieldPath = (field, i)
                problems.append(
                    Problem(
                        f"unknown {_SINGULAR[field]} {name!r}", path, source_map.locate(path), hint
                    )
                )
    return problems


def _arena(spec: TournamentSpec, entry: ScenarioEntry, base: Path) -> Arena:
    candidate = base / entry.scenario
    scenario = load_scenario(candidate if candidate.exists() else entry.scenario)
    label = entry.label or Path(entry.scenario).name.removesuffix(".yaml")
    session = SessionSpec(
        rounds=spec.rounds,
        parties=tuple(entry.parties) if entry.parties else None,
        mediator=entry.mediator,
        delay_cost={**spec.time.delay_cost, **entry.delay_cost},
        reservation_drift={**spec.time.reservation_drift, **entry.reservation_drift},
        discount={**spec.time.discount, **entry.discount},
        mediator_knows_preferences=spec.mediator_knows_preferences,
    )
    parties = check_session(scenario, "multilateral", session)
    return Arena(label, scenario, session, parties)


_FIELDS = (
    ("delay-cost", "delay_cost"),
    ("reservation-drift", "reservation_drift"),
    ("discount", "discount"),
    ("mediator", "mediator"),
    ("party", "parties"),
)


def _field_of(message: str, entry: ScenarioEntry) -> tuple[str, ...]:
    """The field of a scenario entry an error is about, when the entry sets it."""
    for word, field in _FIELDS:
        if word in message and getattr(entry, field):
            return (field,)
    return ()


def _located(error: AccordError, path: FieldPath, source_map: SourceMap) -> Problem:
    inner = error.problems if isinstance(error, ScenarioError) else (str(error),)
    message = "; ".join(str(p) for p in inner)
    return Problem(message, path, source_map.locate(path))


def _cells(spec: TournamentSpec, arenas: dict[str, Arena]) -> list[Cell]:
    cells: list[Cell] = []
    for label, arena in arenas.items():
        count = len(arena.parties)
        if spec.pairing == "self":
            profiles = [(s,) * count for s in spec.strategies]
        else:
            profiles = list(itertools.product(spec.strategies, repeat=count))
        for protocol, profile, repetition in itertools.product(
            spec.protocols, profiles, range(1, spec.repetitions + 1)
        ):
            key = f"{label}/{protocol}/{'+'.join(profile)}/{repetition}"
            seed = run_seed(spec.seed, key)
            cells.append(Cell(len(cells), key, label, protocol, profile, repetition, seed))
    return cells

"""Property tests: on spaces small enough to enumerate, the structured solvers agree exactly.

Random scenarios with interactions, red lines, reservation values that often empty the
zone of agreement, and sometimes a utility cap, are analysed both ways
(``method="enumerate"`` and ``method="structured"``). The structured answers must be the
same outcomes with utilities within 1e-9: each party's best and worst outcome, the zone's
examples, the whole Pareto frontier, the four bargaining solutions (and their tie counts).
When the zone is empty the structured path names an irreducible set of colliding
constraints; it may differ from the enumerating path's greedy cover, so it is checked
directly: it excludes every outcome, each constraint in it is needed, and "opens if
dropped" agrees with the enumerated counts.

Widened after ``--lift ukraine:1 --method structured`` ended in a HiGHS "Solve error":
every set of at most two lifted red lines of the Berlin principals, for two- and
three-party sets, and random scenarios with lifted red lines analysed for random
subsets of their parties (parties fall in random blocs, counted once or as members),
compare zone emptiness, the four solutions' utility vectors
and the frontier's set of points.

Option values, weights and bonuses lie on coarse grids, as numbers written by analysts
do, so distinct criterion values differ by far more than the solver's tolerance.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord import Scenario, analyze, compile_scenario, load_scenario
from accord.analysis.pareto import TIE_TOLERANCE
from accord.analysis.results import Analysis, Collision
from accord.analysis.structured import analysis as structured_analysis
from accord.analysis.structured import bargaining
from accord.analysis.structured.amend import minimal_amendment
from accord.engine.compiled import CompiledModel
from accord.model.whatif import lift_red_lines

TOL = 1e-9


def _grid(step: float, low: float, high: float) -> st.SearchStrategy[float]:
    count = round((high - low) / step)
    return st.integers(0, count).map(lambda n: round(low + n * step, 10))


@st.composite
def grid_scenarios(draw: st.DrawFn, max_issues: int = 4) -> Scenario:
    n_issues = draw(st.integers(1, max_issues))
    sizes = [draw(st.integers(1, 4)) for _ in range(n_issues)]
    issues = [
        {"id": f"i{i}", "options": [{"id": f"o{o}"} for o in range(size)]}
        for i, size in enumerate(sizes)
    ]
    parties = [_party(draw, p, sizes) for p in range(draw(st.integers(1, 4)))]
    utility: dict[str, Any] = {"cap": draw(st.sampled_from([None, None, 0.6, 0.8]))}
    data = {"id": "random", "title": "random", "utility": utility}
    return Scenario.model_validate({**data, "parties": parties, "issues": issues})


def _party(draw: st.DrawFn, p: int, sizes: list[int]) -> dict[str, Any]:
    n_issues = len(sizes)
    salience = {f"i{i}": float(draw(st.integers(0, 3))) for i in range(n_issues)}
    if sum(salience.values()) <= 0:
        salience["i0"] = 1.0
    values = {
        f"i{i}": {f"o{o}": draw(_grid(0.05, 0, 1)) for o in range(size)}
        for i, size in enumerate(sizes)
    }
    prefs: dict[str, Any] = {
        "salience": salience,
        "values": values,
        "reservation": {"value": draw(_grid(0.05, 0, 0.7))},
        "interactions": [
            {"when": _condition(draw, sizes), "value": draw(_grid(0.05, -0.3, 0.3))}
            for _ in range(draw(st.integers(0, 2)))
        ],
        "red_lines": [
            {"when": _condition(draw, sizes), "reason": f"line {n}"}
            for n in range(draw(st.integers(0, 2)))
        ],
    }
    bloc = draw(st.sampled_from([None, None, "A", "B"]))
    party = {"id": f"p{p}", "name": f"P{p}", "role": "principal", "bloc": bloc}
    return {**party, "preferences": prefs}


def _condition(draw: st.DrawFn, sizes: list[int]) -> dict[str, list[str]]:
    chosen = draw(st.lists(st.integers(0, len(sizes) - 1), min_size=1, max_size=3, unique=True))
    return {
        f"i{i}": draw(
            st.lists(st.sampled_from([f"o{o}" for o in range(sizes[i])]), min_size=1, unique=True)
        )
        for i in chosen
    }


def _utilities(point: Any) -> list[float]:
    return list(point.utilities.values())


def _same_point(a: Any, b: Any) -> None:
    assert a.index == b.index
    assert a.outcome == b.outcome
    np.testing.assert_allclose(_utilities(a), _utilities(b), atol=TOL, rtol=0)
    assert a.acceptable == b.acceptable


def _check_summaries(enumerated: Analysis, structured: Analysis) -> None:
    for a, b in zip(enumerated.party_summaries, structured.party_summaries, strict=True):
        _same_point(a.best, b.best)
        _same_point(a.worst, b.worst)
        assert b.acceptable_count is None


def _check_solutions(enumerated: Analysis, structured: Analysis) -> None:
    for name, a in enumerated.solutions.items():
        b = structured.solutions[name]
        if a is None:
            assert b is None, name
            continue
        assert b is not None, name
        _same_point(a.point, b.point)
        assert math.isclose(a.value, b.value, rel_tol=TOL, abs_tol=1e-12), name
        assert b.ties is None or b.ties == a.ties, name
        assert (b.method, b.exact) == ("structured", True)
        assert (a.method, a.exact) == ("enumerate", True)


@settings(max_examples=70)
@given(grid_scenarios())
def test_structured_equals_enumeration(scenario: Scenario) -> None:
    enumerated = analyze(scenario, method="enumerate")
    structured = analyze(scenario, method="structured")
    assert structured.method == "structured"
    _check_summaries(enumerated, structured)
    assert [p.index for p in structured.zopa.examples] == [
        p.index for p in enumerated.zopa.examples
    ]
    assert structured.zopa.empty == enumerated.zopa.empty
    if not enumerated.zopa.empty:
        assert structured.zopa.size is None
    info = structured.pareto_frontier_info
    assert info is not None
    assert (info.method, info.exact) == ("structured", True)
    assert len(structured.pareto_frontier) == len(enumerated.pareto_frontier)
    for a, b in zip(enumerated.pareto_frontier, structured.pareto_frontier, strict=True):
        _same_point(a, b)
    _check_solutions(enumerated, structured)
    if enumerated.zopa.empty:
        _check_certificate(scenario, enumerated, structured.zopa.reasons)


def _masks(model: CompiledModel, analysis: Analysis) -> dict[tuple[str, int | None], np.ndarray]:
    """What every red line (by number) and reservation (None) of each party excludes."""
    _, options = next(model.chunks(size=max(model.n_outcomes, 1)))
    masks = {}
    for party_id in analysis.parties:
        party = model.party_index(party_id)
        own = [line for line in model.red_lines if line.party == party]
        for number, line in enumerate(own, start=1):
            masks[(party_id, number)] = np.asarray(line.matches(options))
        utilities = model.utilities(options, [party])[:, 0]
        masks[(party_id, None)] = np.asarray(utilities < model.reservations[party] - TIE_TOLERANCE)
    return masks


def _check_certificate(
    scenario: Scenario, enumerated: Analysis, reasons: tuple[Collision, ...]
) -> None:
    model = compile_scenario(scenario)
    masks = _masks(model, enumerated)
    assert reasons, "an empty zone must be explained"
    keys = [(r.party, r.red_line if r.kind == "red_line" else None) for r in reasons]
    excluded = np.array([masks[key] for key in keys])
    assert excluded.any(axis=0).all(), "the named constraints must exclude every outcome"
    for n in range(len(reasons)):
        rest = np.delete(excluded, n, axis=0)
        assert not rest.any(axis=0).all(), "every named constraint must be needed"
    for reason, key in zip(reasons, keys, strict=True):
        assert (reason.excludes, reason.zopa_if_dropped) == (None, None)
        others = [mask for other, mask in masks.items() if other != key]
        opens = not np.any(others, axis=0).all() if others else True
        assert reason.opens_if_dropped == opens


@contextmanager
def _programs_only(tie_limit: int | None = None) -> Iterator[None]:
    """Solutions from the programs even without red lines; optionally fewer ties collected."""
    limit = bargaining.TIE_LIMIT
    structured_analysis.FRONTIER_SOLUTIONS = False
    bargaining.TIE_LIMIT = tie_limit or limit
    try:
        yield
    finally:
        structured_analysis.FRONTIER_SOLUTIONS = True
        bargaining.TIE_LIMIT = limit


@settings(max_examples=40)
@given(grid_scenarios())
def test_programs_equal_enumeration(scenario: Scenario) -> None:
    """The bargaining programs themselves (not the frontier shortcut) choose the same."""
    with _programs_only():
        structured = analyze(scenario, method="structured")
    _check_solutions(analyze(scenario, method="enumerate"), structured)


@settings(max_examples=30)
@given(grid_scenarios(max_issues=3))
def test_lexicographic_follow_up_equals_enumeration(scenario: Scenario) -> None:
    """With tie collection disabled, the lexicographic follow-up solves choose the same."""
    with _programs_only(tie_limit=1):
        structured = analyze(scenario, method="structured")
    enumerated = analyze(scenario, method="enumerate")
    for name, a in enumerated.solutions.items():
        b = structured.solutions[name]
        assert (a is None) == (b is None), name
        if a is not None and b is not None:
            _same_point(a.point, b.point)
            assert b.ties is None


@settings(max_examples=40)
@given(grid_scenarios(max_issues=4), st.data())
def test_minimal_amendment_equals_enumeration(scenario: Scenario, data: st.DataObject) -> None:
    model = compile_scenario(scenario)
    fixed = {
        i: data.draw(st.integers(0, size - 1))
        for i, size in enumerate(model.radix)
        if data.draw(st.booleans())
    }
    principals = list(range(len(model.party_ids)))
    enumerated = minimal_amendment(model, fixed, principals, method="enumerate")
    structured = minimal_amendment(model, fixed, principals, method="structured")
    assert structured.size == enumerated.size
    assert [(a.issues, a.options) for a in structured.amendments] == [
        (a.issues, a.options) for a in enumerated.amendments
    ]
    for a, b in zip(enumerated.amendments, structured.amendments, strict=True):
        assert math.isclose(a.nash_product, b.nash_product, rel_tol=TOL, abs_tol=1e-12)
    assert (structured.complete, structured.exact) == (True, True)


def _vector(point: Any) -> tuple[float, ...]:
    return tuple(round(u, 9) for u in _utilities(point))


def _check_agreement(enumerated: Analysis, structured: Analysis) -> None:
    """Zone emptiness, the four solutions' utility vectors, the frontier's point set."""
    assert structured.zopa.empty == enumerated.zopa.empty
    for name, a in enumerated.solutions.items():
        b = structured.solutions[name]
        assert (a is None) == (b is None), name
        if a is not None and b is not None:
            np.testing.assert_allclose(
                _utilities(a.point), _utilities(b.point), atol=TOL, rtol=0, err_msg=name
            )
    frontier = {_vector(p) for p in enumerated.pareto_frontier}
    assert {_vector(p) for p in structured.pareto_frontier} == frontier


def _berlin_lifts() -> list[tuple[tuple[str, int], ...]]:
    """Every set of at most two red lines of the Berlin principals."""
    berlin = load_scenario("berlin-2025")
    lines = [
        (party.id, number)
        for party in berlin.parties
        if party.id in ("ukraine", "russia") and party.preferences is not None
        for number in range(1, len(party.preferences.red_lines) + 1)
    ]
    return [(), *((line,) for line in lines), *itertools.combinations(lines, 2)]


BERLIN_PARTY_SETS = (
    ("ukraine", "russia"),
    ("ukraine", "russia", "united-states"),
    ("ukraine", "russia", "germany"),
    ("ukraine", "russia", "germany", "france"),
)
BERLIN_ALL = ("ukraine", "russia", "united-states", "germany", "france", "united-kingdom")


@pytest.mark.parametrize("parties", BERLIN_PARTY_SETS, ids="+".join)
@pytest.mark.parametrize(
    "lifts",
    _berlin_lifts(),
    ids=lambda lifts: (
        "lift-" + "-".join(f"{party}:{number}" for party, number in lifts) if lifts else "none"
    ),
)
def test_berlin_lifts_structured_equals_enumeration(
    parties: tuple[str, ...], lifts: tuple[tuple[str, int], ...]
) -> None:
    """``accord analyze --lift ukraine:1 --method structured`` once ended in a HiGHS
    "Solve error"; every lift of up to two principal red lines must now agree."""
    scenario, _ = lift_red_lines(load_scenario("berlin-2025"), lifts)
    enumerated = analyze(scenario, list(parties), method="enumerate")
    structured = analyze(scenario, list(parties), method="structured")
    _check_agreement(enumerated, structured)


@pytest.mark.parametrize("count_members", [False, True], ids=["bloc-once", "bloc-members"])
@pytest.mark.parametrize("lifts", [lifts for lifts in _berlin_lifts() if len(lifts) <= 1], ids=str)
def test_berlin_all_parties_structured_equals_enumeration(
    lifts: tuple[tuple[str, int], ...], count_members: bool
) -> None:
    """Every party with preferences (the European bloc's three members among them),
    the bloc counted once and counted as members."""
    scenario, _ = lift_red_lines(load_scenario("berlin-2025"), lifts)
    runs = [
        analyze(scenario, list(BERLIN_ALL), method=m, count_bloc_members=count_members)
        for m in ("enumerate", "structured")
    ]
    _check_agreement(*runs)


@settings(max_examples=40)
@given(grid_scenarios(), st.data())
def test_lifted_party_subsets_equal_enumeration(scenario: Scenario, data: st.DataObject) -> None:
    """Random scenarios with red lines and interactions, some red lines lifted, analysed
    for a random set of two or three of their parties (or all, when fewer)."""
    lines = [
        (party.id, number)
        for party in scenario.parties
        if party.preferences is not None
        for number in range(1, len(party.preferences.red_lines) + 1)
    ]
    lifts = data.draw(st.lists(st.sampled_from(lines), unique=True, max_size=2)) if lines else []
    scenario, _ = lift_red_lines(scenario, lifts)
    ids = [party.id for party in scenario.parties]
    size = data.draw(st.integers(min(2, len(ids)), min(3, len(ids))))
    parties = data.draw(st.permutations(ids))[:size]
    members = data.draw(st.booleans(), label="count_bloc_members")
    enumerated = analyze(scenario, parties, method="enumerate", count_bloc_members=members)
    with _programs_only():
        structured = analyze(scenario, parties, method="structured", count_bloc_members=members)
    _check_agreement(enumerated, structured)

"""Unit tests of the structured solvers: frontier merge, Nash outer approximation,
approximate frontiers, method choice, interruption, amendments and large spaces."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from accord import Scenario, analyze, compile_scenario, load_scenario
from accord.analysis.analyze import AnalysisError
from accord.analysis.pareto import pareto_mask
from accord.analysis.structured import bargaining, criteria, minimal_amendment
from accord.analysis.structured.dominance import MARGIN, prune
from accord.analysis.structured.encoding import Encoding
from accord.analysis.structured.frontier import FrontierTooLargeError, pareto_frontier
from accord.analysis.structured.method import AUTO_ENUMERATE_MAX, resolve_method
from accord.analysis.structured.program import Interrupt
from accord.analysis.structured.search import Search
from accord.analysis.structured.supported import supported_frontier
from accord.cli.main import app
from accord.render.json_out import analysis_to_data


def scenario(
    n_issues: int,
    n_parties: int,
    *,
    options: int = 3,
    interactions: int = 2,
    red_lines: int = 1,
    reservation: float = 0.3,
    cap: float | None = None,
    seed: int = 0,
) -> Scenario:
    """Random preferences, unnormalised weights (so a cap can bind), two-issue terms."""
    rng = np.random.default_rng(seed)

    def when() -> dict[str, list[str]]:
        chosen = rng.choice(n_issues, size=min(2, n_issues), replace=False)
        return {f"i{i}": [f"o{int(rng.integers(options))}"] for i in chosen}

    parties = []
    for p in range(n_parties):
        prefs = {
            "salience": {f"i{i}": float(w) for i, w in enumerate(rng.random(n_issues) / 2)},
            "values": {
                f"i{i}": {f"o{o}": float(v) for o, v in enumerate(rng.random(options))}
                for i in range(n_issues)
            },
            "reservation": {"value": reservation},
            "interactions": [
                {"when": when(), "value": float(rng.uniform(-0.2, 0.2))}
                for _ in range(interactions)
            ],
            "red_lines": [{"when": when(), "reason": "no"} for _ in range(red_lines)],
        }
        parties.append({"id": f"p{p}", "name": f"P{p}", "role": "principal", "preferences": prefs})
    issues = [
        {"id": f"i{i}", "options": [{"id": f"o{o}"} for o in range(options)]}
        for i in range(n_issues)
    ]
    utility: dict[str, Any] = {"normalize_salience": False, "cap": cap}
    return Scenario.model_validate(
        {"id": "s", "title": "s", "utility": utility, "parties": parties, "issues": issues}
    )


def everything(model: Any, parties: list[int]) -> tuple[np.ndarray, np.ndarray]:
    _, options = next(model.chunks(size=model.n_outcomes))
    return options, model.utilities(options, parties)


def brute_prune(u: np.ndarray) -> np.ndarray:
    keep = np.ones(len(u), dtype=bool)
    for n in range(len(u)):
        geq = (u >= u[n]).all(axis=1)
        beyond = (u > u[n] + MARGIN).any(axis=1)
        keep[n] = not (geq & beyond).any()
    return keep


@pytest.mark.parametrize("parties", [2, 3, 4])
def test_margin_pruning_equals_brute_force(parties: int) -> None:
    rng = np.random.default_rng(parties)
    u = np.round(rng.random((400, parties)), 2)  # many exact ties
    u[:20] += 1e-13  # near-ties below the margin are kept, not decided
    np.testing.assert_array_equal(prune(u), brute_prune(u))


@pytest.mark.parametrize(
    ("n_issues", "n_parties", "cap", "seed"),
    [(5, 2, None, 0), (6, 2, 0.9, 1), (5, 3, None, 2), (4, 3, 0.7, 3), (5, 2, 0.6, 4)],
)
def test_frontier_merge_equals_enumeration(
    n_issues: int, n_parties: int, cap: float | None, seed: int
) -> None:
    """Interactions, ties and a binding cap: the merged frontier is the enumerated one."""
    model = compile_scenario(scenario(n_issues, n_parties, interactions=3, cap=cap, seed=seed))
    parties = list(range(n_parties))
    options, utilities = everything(model, parties)
    expected = options[pareto_mask(utilities)]
    merged = pareto_frontier(model, parties)
    np.testing.assert_array_equal(merged, expected)


def test_frontier_refuses_beyond_its_limit() -> None:
    model = compile_scenario(scenario(6, 4, interactions=0, seed=5))
    with pytest.raises(FrontierTooLargeError):
        pareto_frontier(model, [0, 1, 2, 3], limit=5)


def test_tangents_over_estimate_the_logarithm() -> None:
    rng = np.random.default_rng(0)
    for a, g in rng.uniform(1e-6, 2, size=(200, 2)):
        assert math.log(a) - 1 + g / a >= math.log(g) - 1e-15


@pytest.mark.parametrize("seed", range(6))
def test_nash_outer_approximation_reaches_the_optimum(seed: int) -> None:
    model = compile_scenario(scenario(6, 3, reservation=0.25, seed=seed))
    parties = [0, 1, 2]
    options, utilities = everything(model, parties)
    crossed = model.crossed(options, parties).any(axis=1)
    ok = ~crossed & (utilities >= model.reservations - 1e-12).all(axis=1)
    assert ok.any()
    products = np.prod(np.maximum(utilities[ok] - model.reservations, 0), axis=1)
    search = Search(Encoding(model, parties), Interrupt())
    d = model.reservations[parties]
    ideal, rows = bargaining.ideal_gains(search, d)
    pick = bargaining.bargaining_solutions(search, d, ideal, rows)["nash"]
    assert pick is not None
    assert pick.exact
    assert math.isclose(pick.value, products.max(), rel_tol=1e-9)


def test_nash_stops_when_bound_and_value_meet() -> None:
    """The outer approximation's loop ends within ``NASH_GAP`` of the true log-product."""
    model = compile_scenario(scenario(8, 2, seed=11, reservation=0.2))
    search = Search(Encoding(model, [0, 1]), Interrupt())
    d = model.reservations[[0, 1]]
    ideal, rows = bargaining.ideal_gains(search, d)
    products = np.prod(np.maximum(model.utilities(np.asarray(rows), [0, 1]) - d, 0), axis=1)
    with search.encoding.program.scope():
        nash = criteria.Nash(search.encoding, d, ideal, float(products.max()))
        nash.prepare()
        row, proven = bargaining._outer_approximation(search, nash, rows[0])
    assert proven
    options, utilities = everything(model, [0, 1])
    acceptable = search.encoding.verify(options)
    best = np.prod(np.maximum(utilities[acceptable] - d, 0), axis=1).max()
    assert math.log(best) - math.log(nash.value(row)) <= criteria.NASH_GAP


def test_supported_frontier_is_pareto_optimal_with_bounded_quality() -> None:
    model = compile_scenario(scenario(6, 3, interactions=2, seed=7))
    parties = [0, 1, 2]
    options, utilities = everything(model, parties)
    frontier = {tuple(row) for row in options[pareto_mask(utilities)]}
    bounds = (utilities.min(axis=0), utilities.max(axis=0))
    found = supported_frontier(model, parties, 200, bounds)
    assert {tuple(row) for row in found.rows} <= frontier
    assert 0 < found.hypervolume_ratio <= 1


def test_method_resolution() -> None:
    assert resolve_method("auto", AUTO_ENUMERATE_MAX, 10**9) == "enumerate"
    assert resolve_method("auto", AUTO_ENUMERATE_MAX + 1, 10**9) == "structured"
    assert resolve_method("auto", 100, 10) == "structured"
    assert resolve_method("enumerate", 10**30, 10) == "enumerate"
    with pytest.raises(ValueError, match="unknown method"):
        resolve_method("guess", 1, 1)
    with pytest.raises(AnalysisError, match="unknown method"):
        analyze(load_scenario("berlin-2025"), method="guess")


def test_interrupted_solve_returns_best_known_marked_not_exact(monkeypatch: Any) -> None:
    """Ctrl-C inside a HiGHS solve: the analysis returns, marked as not proven optimal."""
    import highspy

    calls = {"n": 0}
    wait = highspy.Highs.wait

    def interrupting(self: Any, timeout: float = -1.0) -> Any:
        calls["n"] += 1
        if calls["n"] == 12:
            raise KeyboardInterrupt
        return wait(self, timeout)

    monkeypatch.setattr(highspy.Highs, "wait", interrupting)
    result = analyze(scenario(6, 2, reservation=0.2, seed=3), method="structured")
    assert any("Interrupted" in note for note in result.notes)
    data = analysis_to_data(result)
    flags = [s["exact"] for s in data["solutions"].values() if s is not None]
    assert not all(flags) or not data["zopa"]["exact"] or not data["pareto_frontier_info"]["exact"]


def test_minimal_amendment_on_berlin() -> None:
    loaded = load_scenario("berlin-2025")
    model = compile_scenario(loaded)
    reference = loaded.reference
    assert reference is not None
    fixed = {
        i: model.option_ids[i].index(reference.outcome[issue])
        for i, issue in enumerate(model.issue_ids)
    }
    principals = [model.party_index("ukraine"), model.party_index("russia")]
    structured = minimal_amendment(model, fixed, principals, method="structured")
    enumerated = minimal_amendment(model, fixed, principals, method="enumerate")
    assert structured.size is None  # the zone is empty: no amendment helps
    assert enumerated.size is None
    everyone = [model.party_index(p) for p in ("ukraine",)]
    alone = minimal_amendment(model, fixed, everyone, method="structured")
    assert alone.size == minimal_amendment(model, fixed, everyone, method="enumerate").size
    assert alone.amendments
    assert alone.amendments == tuple(sorted(alone.amendments, key=lambda a: -a.nash_product))


def test_forty_issue_space_is_analysed_without_enumerating() -> None:
    big = scenario(40, 2, options=4, interactions=3, red_lines=2, reservation=0.2, seed=9)
    result = analyze(big)
    assert result.method == "structured"
    assert result.outcome_count == 4**40
    data = json.loads(json.dumps(analysis_to_data(result)))
    assert data["method"] == "structured"
    assert data["pareto_frontier_info"] == {
        "method": "structured",
        "exact": True,
        "size": len(result.pareto_frontier),
        "limit": 20_000,
        "error_bound": None,
        "hypervolume_ratio": None,
        "note": None,
    }
    assert all(p["acceptable_count"] is None for p in data["parties"])
    assert max(point["index"] for point in data["pareto_frontier"]) > 2**63
    for solution in data["solutions"].values():
        assert solution is None or (solution["method"], solution["exact"]) == ("structured", True)


def test_cli_method_flag() -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["analyze", "--method", "structured", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["method"] == "structured"
    assert data["zopa"]["size"] == 0
    assert {r["party"] for r in data["zopa"]["reasons"]} == {"ukraine", "russia"}
    text = runner.invoke(app, ["analyze", "--method", "structured"])
    assert text.exit_code == 0
    assert "structured solvers" in text.stdout
    assert "not counted" in text.stdout
    wrong = runner.invoke(app, ["analyze", "--method", "guess"])
    assert wrong.exit_code == 2

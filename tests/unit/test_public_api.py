"""The public namespace is exactly what we mean to offer, one import path per name."""

from __future__ import annotations

import accord
import accord.frameworks


def test_top_level_namespace() -> None:
    expected = {
        "AccordError",
        "Analysis",
        "AnalysisError",
        "Collision",
        "CompiledModel",
        "Location",
        "OutcomePoint",
        "PartySummary",
        "Problem",
        "Robustness",
        "Scenario",
        "ScenarioError",
        "Solution",
        "Trade",
        "Trades",
        "Zopa",
        "analysis_to_data",
        "analyze",
        "builtin_names",
        "compile_scenario",
        "dump_scenario",
        "load_scenario",
        "pareto_mask",
        "parse_scenario",
        "robustness",
    }
    assert set(accord.__all__) == expected
    for name in accord.__all__:
        assert getattr(accord, name) is not None


def test_frameworks_namespace() -> None:
    for name in accord.frameworks.__all__:
        assert getattr(accord.frameworks, name) is not None


def test_python_api_mirrors_the_cli() -> None:
    scenario = accord.load_scenario("berlin-2025")
    result = accord.analyze(scenario, ["ukraine", "united-states", "germany"])
    assert result.zopa.size > 0
    data = accord.analysis_to_data(result)
    assert data["solutions"]["nash"]["outcome"] == result.solutions["nash"].point.outcome  # type: ignore[union-attr]

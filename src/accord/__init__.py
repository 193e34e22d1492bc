"""accord: model, analyse, mediate and simulate multi-party negotiations.

The public API, one import path per name::

    import accord
    scenario = accord.load_scenario("berlin-2025")   # or a YAML file, or a GENIUS folder
    result = accord.analyze(scenario)                 # principals by default
    result.zopa.size, result.solutions["nash"]
    odds = accord.robustness(scenario, draws=10_000, spread=0.1)  # which conclusions hold
"""

from __future__ import annotations

from accord.analysis.analyze import AnalysisError, analyze
from accord.analysis.pareto import pareto_mask
from accord.analysis.results import (
    Analysis,
    Collision,
    OutcomePoint,
    PartySummary,
    Solution,
    Trade,
    Trades,
    Zopa,
)
from accord.engine.compiled import CompiledModel, compile_scenario
from accord.errors import AccordError, Location, Problem, ScenarioError
from accord.io.load import load_scenario
from accord.io.scenario_file import dump_scenario, parse_scenario
from accord.model.scenario import Scenario
from accord.render.json_out import analysis_to_data
from accord.robustness import Robustness, robustness
from accord.scenarios import builtin_names

__all__ = [
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
]

__version__ = "0.1.0"

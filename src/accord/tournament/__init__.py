"""Tournaments: strategies × scenarios × protocols × repetitions, run locally on all
cores or on a Dask cluster, with one derived seed per run.

    spec, source_map = read_spec(Path("tournament.yaml"))
    plan = make_plan(spec, source_map, base=Path("."), name="tournament")
    run = run_tournament(plan)                 # or scheduler="tcp://host:8786"
    write_rows(run.rows, Path("results.parquet")); summarise(run.rows)
"""

from __future__ import annotations

from accord.tournament.plan import Arena, Cell, Plan, make_plan, run_seed
from accord.tournament.results import COLUMNS, rows_of, summarise, write_rows
from accord.tournament.runner import TournamentRun, run_batch, run_tournament
from accord.tournament.spec import ScenarioEntry, TimeSettings, TournamentSpec, read_spec

__all__ = [
    "COLUMNS",
    "Arena",
    "Cell",
    "Plan",
    "ScenarioEntry",
    "TimeSettings",
    "TournamentRun",
    "TournamentSpec",
    "make_plan",
    "read_spec",
    "rows_of",
    "run_batch",
    "run_seed",
    "run_tournament",
    "summarise",
    "write_rows",
]

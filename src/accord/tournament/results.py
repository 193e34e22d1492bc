"""Tournament results: one row per negotiator per run, written as CSV or Parquet,
and a summary per strategy.

Rows are "tidy" (one observation per row) so a tournament over scenarios with
different numbers of negotiators fits one table; ``run`` and ``cell`` join the rows of
one run. Files are written whole or not at all (a temporary file renamed into place).
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from accord.errors import AccordError
from accord.io.atomic import atomic_target
from accord.simulation.results import SessionResult
from accord.tournament.plan import Cell

__all__ = [
    "COLUMNS",
    "Row",
    "check_results_path",
    "rows_of",
    "summarise",
    "write_rows",
]

Row = dict[str, Any]

COLUMNS: tuple[tuple[str, str], ...] = (
    ("run", "int"),
    ("cell", "str"),
    ("scenario", "str"),
    ("protocol", "str"),
    ("repetition", "int"),
    ("seed", "int"),
    ("party", "str"),
    ("strategy", "str"),
    ("agreement", "bool"),
    ("round", "int"),
    ("utility", "float"),
    ("reservation", "float"),
    ("gain", "float"),
    ("fairness", "float"),
    ("pareto_distance", "float"),
    ("nash_distance", "float"),
    ("outcome", "str"),
)
"""Column names and types, in file order."""


def rows_of(cell: Cell, result: SessionResult) -> list[Row]:
    """The rows of one run: one per negotiator."""
    metrics = result.metrics
    outcome = json.dumps(result.outcome, sort_keys=False) if result.outcome else ""
    return [
        {
            "run": cell.index,
            "cell": cell.key,
            "scenario": cell.arena,
            "protocol": cell.protocol,
            "repetition": cell.repetition,
            "seed": cell.seed,
            "party": party,
            "strategy": result.strategies[party],
            "agreement": result.agreement,
            "round": result.round,
            "utility": metrics.utilities[party],
            "reservation": metrics.reservations[party],
            "gain": metrics.gains[party],
            "fairness": metrics.fairness,
            "pareto_distance": _float(metrics.pareto_distance),
            "nash_distance": _float(metrics.nash_distance),
            "outcome": outcome,
        }
        for party in result.parties
    ]


def _float(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else value


def check_results_path(path: Path) -> Path:
    """Refuse a results file that cannot be written (wrong suffix, no such folder);
    return its folder."""
    if path.suffix.lower() not in (".csv", ".parquet"):
        raise AccordError(f"{path}: results are written as .csv or .parquet")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise AccordError(f"{path}: folder {folder} does not exist")
    return folder


def write_rows(rows: Sequence[Row], path: Path) -> None:
    """Write ``rows`` to ``path`` as CSV (``.csv``) or Parquet (``.parquet``)."""
    check_results_path(path)
    csv_file = path.suffix.lower() == ".csv"
    writer: Callable[[Sequence[Row], str], None] = _csv if csv_file else _parquet
    with atomic_target(path) as temporary:
        writer(rows, str(temporary))


def _csv(rows: Sequence[Row], file: str) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[name for name, _ in COLUMNS], lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                k: ("" if v is None else repr(v) if isinstance(v, float) else v)
                for k, v in row.items()
            }
        )
    Path(file).write_text(buffer.getvalue(), encoding="utf-8")


def _parquet(rows: Sequence[Row], file: str) -> None:
    import pyarrow as pa  # type: ignore[import-untyped]
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    types = {"int": pa.int64(), "str": pa.string(), "bool": pa.bool_(), "float": pa.float64()}
    schema = pa.schema([(name, types[kind]) for name, kind in COLUMNS])
    columns = {name: [row[name] for row in rows] for name, _ in COLUMNS}
    pq.write_table(pa.Table.from_pydict(columns, schema=schema), file)


def summarise(rows: Iterable[Row]) -> list[dict[str, Any]]:
    """Per strategy: runs played, agreement rate, mean utility, gain, fairness and
    distance to the Nash point (over the runs that have one), best mean gain first."""
    groups: dict[str, list[Row]] = {}
    for row in rows:
        groups.setdefault(row["strategy"], []).append(row)
    summary = []
    for strategy, group in groups.items():
        nash = [r["nash_distance"] for r in group if r["nash_distance"] is not None]
        summary.append(
            {
                "strategy": strategy,
                "runs": len(group),
                "agreement_rate": sum(r["agreement"] for r in group) / len(group),
                "mean_utility": _mean(r["utility"] for r in group),
                "mean_gain": _mean(r["gain"] for r in group),
                "mean_fairness": _mean(r["fairness"] for r in group),
                "mean_nash_distance": _mean(nash) if nash else None,
            }
        )
    return sorted(summary, key=lambda s: (-s["mean_gain"], s["strategy"]))


def _mean(values: Iterable[float]) -> float:
    items = list(values)
    return math.fsum(items) / len(items)

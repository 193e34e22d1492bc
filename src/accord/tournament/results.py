"""Tournament results: one row per negotiator per run, written as CSV or Parquet,
and a summary per strategy.

Rows are "tidy" (one observation per row) so a tournament over scenarios with
different numbers of negotiators fits one table; ``run`` and ``cell`` join the rows of
one run. Files are written whole or not at all (:mod:`accord.io.outputs`). Text cells
of the CSV are neutralised against spreadsheet formulas; Parquet keeps them exactly.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from accord.errors import AccordError
from accord.io.outputs import BinaryTarget, binary_output
from accord.render.spreadsheet import spreadsheet_cell
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
    """Refuse a results file with the wrong suffix; return its folder. Whether the
    path can be written is checked by :class:`~accord.io.outputs.Outputs`."""
    if path.suffix.lower() not in (".csv", ".parquet"):
        raise AccordError(f"{path}: results are written as .csv or .parquet")
    return path.parent if str(path.parent) else Path(".")


def write_rows(rows: Sequence[Row], path: Path, target: BinaryTarget | None = None) -> None:
    """Write ``rows`` as CSV (``path`` ending ``.csv``) or Parquet (``.parquet``) to
    ``target`` (a handle staged by :class:`~accord.io.outputs.Outputs`) or, by default,
    to ``path`` itself, whole or not at all."""
    check_results_path(path)
    csv_file = path.suffix.lower() == ".csv"
    writer: Callable[[Sequence[Row], IO[bytes]], None] = _csv if csv_file else _parquet
    with binary_output(path if target is None else target) as handle:
        writer(rows, handle)


_TEXT_COLUMNS = frozenset(name for name, kind in COLUMNS if kind == "str")


def _csv(rows: Sequence[Row], handle: IO[bytes]) -> None:
    """CSV for people and spreadsheets: text cells that a spreadsheet would read as a
    formula are neutralised (OWASP), numbers are written exactly (``repr``)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[name for name, _ in COLUMNS], lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(k, v) for k, v in row.items()})
    handle.write(buffer.getvalue().encode("utf-8"))


def _cell(column: str, value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    if column in _TEXT_COLUMNS:
        return spreadsheet_cell(str(value))
    return value


def _parquet(rows: Sequence[Row], handle: IO[bytes]) -> None:
    import pyarrow as pa  # type: ignore[import-untyped]
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    types = {"int": pa.int64(), "str": pa.string(), "bool": pa.bool_(), "float": pa.float64()}
    schema = pa.schema([(name, types[kind]) for name, kind in COLUMNS])
    columns = {name: [row[name] for row in rows] for name, _ in COLUMNS}
    pq.write_table(pa.Table.from_pydict(columns, schema=schema), handle)


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
    """The exact mean (``fsum``); values near the float limit are scaled first instead of
    overflowing; ``nan`` when infinities of both signs meet (reported as undefined)."""
    items = list(values)
    try:
        return math.fsum(items) / len(items)
    except OverflowError:
        return math.fsum(value / len(items) for value in items)
    except ValueError:
        return math.nan

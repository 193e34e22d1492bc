"""Reading tournament results files back (to resume a tournament), as the exact rows
:func:`~accord.tournament.results.write_rows` wrote: CSV text is parsed by the
column types of :data:`~accord.tournament.results.COLUMNS` (floats were written with
``repr``, so they read back to the same doubles), Parquet by its schema.

Text cells that the CSV writer neutralised against spreadsheet formulas (a leading
quote before ``=``, ``+``, ``-``, ``@``; :mod:`accord.render.spreadsheet`) lose that
quote again. A CSV file cut short mid-row (its last line has no line break) loses that last row,
which is then run again; any other malformed row is an error naming its line.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from accord.errors import AccordError
from accord.render.spreadsheet import FORMULA_STARTS
from accord.tournament.results import COLUMNS, Row

__all__ = ["read_rows"]

_NAMES = [name for name, _ in COLUMNS]


def read_rows(path: Path) -> list[Row]:
    """The rows of the results file ``path`` (``.csv`` or ``.parquet``)."""
    if path.suffix.lower() == ".parquet":
        return _parquet(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise AccordError(f"{path}: cannot read the results ({error})") from None
    if text and not text.endswith("\n"):
        text = text[: text.rfind("\n") + 1]  # a row cut short: dropped, it runs again
    return _csv(path, text)


def _csv(path: Path, text: str) -> list[Row]:
    if not text:
        return []  # cut short before its first line break: no run finished
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header != _NAMES:
            raise AccordError(
                f"{path}:1: not an accord tournament results file (expected the columns "
                f"{', '.join(_NAMES)})"
            )
        return [_row(path, reader.line_num, record) for record in reader]
    except csv.Error as error:
        raise AccordError(f"{path}:{reader.line_num}: not valid CSV ({error})") from None


def _row(path: Path, line: int, record: list[str]) -> Row:
    if len(record) != len(_NAMES):
        raise AccordError(f"{path}:{line}: expected {len(_NAMES)} columns, found {len(record)}")
    row: Row = {}
    for (name, kind), text in zip(COLUMNS, record, strict=True):
        try:
            row[name] = _PARSERS[kind](text)
        except ValueError:
            raise AccordError(
                f"{path}:{line}: column {name}: {text!r} is not a valid {kind}"
            ) from None
    return row


def _float(text: str) -> float | None:
    if text == "":
        return None
    value = float(text)
    if math.isnan(value):
        raise ValueError(text)
    return value


def _bool(text: str) -> bool:
    if text not in ("True", "False"):
        raise ValueError(text)
    return text == "True"


def _text(text: str) -> str:
    """The text before :func:`~accord.render.spreadsheet.spreadsheet_cell` quoted it."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


_PARSERS: dict[str, Callable[[str], Any]] = {
    "int": int,
    "str": _text,
    "bool": _bool,
    "float": _float,
}


def _parquet(path: Path) -> list[Row]:
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    try:
        table = pq.read_table(path)
    except (OSError, ValueError) as error:  # pyarrow's errors derive from these
        raise AccordError(f"{path}: cannot read the results ({error})") from None
    if table.column_names != _NAMES:
        raise AccordError(f"{path}: not an accord tournament results file")
    rows: list[Row] = table.to_pylist()
    return rows

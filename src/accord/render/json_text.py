"""JSON text that is always valid JSON (RFC 8259), whatever numbers reach it.

JSON has no NaN or infinities; Python's ``json`` writes them as ``NaN``/``Infinity``,
which strict readers (``jq``, JavaScript's ``JSON.parse``, PostgreSQL) refuse. Every
JSON accord writes goes through :func:`to_json`: a non-finite number is written as
``null`` and, so that the ``null`` is explained, listed under a top-level ``undefined``
key with the field it replaced, the value it had and why it is not a number. The text
is then produced with ``allow_nan=False``, so no non-finite number can slip through.
"""

from __future__ import annotations

import json
import math
from typing import Any

from accord.errors import AccordError, PathPart, format_path

__all__ = ["UNDEFINED_KEY", "finite_data", "to_json"]

UNDEFINED_KEY = "undefined"
"""Top-level key listing the numbers written as ``null`` because they were not finite."""

_REASON = (
    "not a finite number: the computation overflowed or is undefined for these inputs "
    "(extreme values), and JSON has no such number"
)


def finite_data(data: Any) -> tuple[Any, list[dict[str, str]]]:
    """``data`` with every non-finite float replaced by ``None``, and the list of
    replacements (``field``, ``value``, ``reason``)."""
    undefined: list[dict[str, str]] = []
    return _finite(data, (), undefined), undefined


def _finite(value: Any, path: tuple[PathPart, ...], undefined: list[dict[str, str]]) -> Any:
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        text = "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
        undefined.append({"field": format_path(path), "value": text, "reason": _REASON})
        return None
    if isinstance(value, dict):
        return {k: _finite(v, (*path, str(k)), undefined) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v, (*path, i), undefined) for i, v in enumerate(value)]
    return value


def to_json(data: Any, *, indent: int | None = 2, ensure_ascii: bool = False) -> str:
    """``data`` as valid JSON text (no trailing newline); non-finite numbers become
    ``null``, each explained under the top-level ``undefined`` key."""
    clean, undefined = finite_data(data)
    if undefined:
        if not isinstance(clean, dict) or UNDEFINED_KEY in clean:
            where = ", ".join(item["field"] for item in undefined)
            raise AccordError(f"cannot write JSON: not a finite number at {where}")
        clean = {**clean, UNDEFINED_KEY: undefined}
    return json.dumps(clean, indent=indent, ensure_ascii=ensure_ascii, allow_nan=False)

"""A generic walk over a scenario's models, yielding every value with its path."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel

from accord.errors import Path

__all__ = ["walk"]


def walk(node: object, path: Path = ()) -> Iterator[tuple[object, Path]]:
    """Every value under ``node`` (models, tuples, lists, dicts), depth first, with its path."""
    yield node, path
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from walk(getattr(node, name), (*path, name))
    elif isinstance(node, tuple | list):
        for index, item in enumerate(node):
            yield from walk(item, (*path, index))
    elif isinstance(node, dict):
        for key, item in node.items():
            yield from walk(item, (*path, key))

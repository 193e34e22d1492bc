"""Scenario files: YAML in, validated :class:`Scenario` out, and back.

Every mistake becomes a :class:`~accord.errors.Problem` with file, line, column and
field path; all problems of a file are reported together.
"""

from __future__ import annotations

import re
import types
import typing
from pathlib import Path as FilePath
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from accord.errors import Location, Path, Problem, ScenarioError
from accord.io.yaml_source import MAX_FILE_BYTES, SourceMap, decode_text, parse_yaml
from accord.model.checks import check_scenario, suggest
from accord.model.scenario import Scenario

_Document = TypeVar("_Document", bound=BaseModel)

__all__ = [
    "dump_scenario",
    "parse_scenario",
    "read_scenario_file",
    "scenario_to_data",
    "validate_document",
]


def read_scenario_file(path: str | FilePath) -> Scenario:
    """Read and validate a scenario YAML file."""
    file = FilePath(path)
    try:
        with file.open("rb") as handle:  # read no more than needed to refuse a huge file
            raw = handle.read(MAX_FILE_BYTES + 1)
    except IsADirectoryError:
        raise ScenarioError(
            [Problem("is a folder, not a scenario file", location=Location(str(file)))]
        ) from None
    except OSError as exc:
        raise ScenarioError(
            [Problem(f"cannot read: {exc.strerror or exc}", location=Location(str(file)))]
        ) from None
    return parse_scenario(decode_text(raw, str(file)), str(file))


def parse_scenario(text: str, file: str = "<string>") -> Scenario:
    """Validate scenario YAML ``text``; ``file`` names it in messages."""
    data, source_map = parse_yaml(text, file)
    scenario = validate_document(Scenario, data, source_map)
    problems = check_scenario(scenario)
    if problems:
        raise ScenarioError(
            Problem(p.message, p.path, source_map.locate(p.path), p.hint) for p in problems
        )
    return scenario


def validate_document(model: type[_Document], data: Any, source_map: SourceMap) -> _Document:
    """Validate parsed YAML against a pydantic ``model``; every problem located."""
    if not isinstance(data, dict):
        raise ScenarioError(
            [
                Problem(
                    f"expected a mapping of {model.__name__.lower()} fields, found {_kind(data)}",
                    location=source_map.locate(()),
                )
            ]
        )
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(_schema_problems(exc, source_map, model)) from None


def scenario_to_data(scenario: Scenario) -> dict[str, Any]:
    """Plain data (JSON/YAML-ready), leaving out fields at their defaults."""
    return scenario.model_dump(mode="json", exclude_defaults=True)


def dump_scenario(scenario: Scenario) -> str:
    """The scenario as YAML that :func:`parse_scenario` reads back to an equal scenario."""
    data = scenario_to_data(scenario)
    data.setdefault("accord", 1)
    ordered = {"accord": data.pop("accord"), **data}
    return yaml.dump(ordered, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper, but writing Unicode line breaks as escapes.

    With ``allow_unicode`` PyYAML writes NEL, LS and PS (U+0085, U+2028, U+2029)
    as they are inside plain or single-quoted scalars, where a reader folds them
    into spaces; in double quotes it escapes them (``\\N``, ``\\L``, ``\\P``).
    """


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if any(c in value for c in "\x85\u2028\u2029") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"a {type(value).__name__} ({value!r:.40})"


def _schema_problems(
    exc: ValidationError, source_map: SourceMap, root: type[BaseModel] = Scenario
) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple[Path, str]] = set()
    for error in exc.errors(include_url=False):
        if _is_echo(error):
            continue
        path: Path = tuple(part for part in error["loc"] if isinstance(part, str | int))
        path = _strip_internal(path, source_map)
        message, hint = _describe(error, path, root)
        key = (path, message)
        if key in seen:
            continue
        seen.add(key)
        problems.append(Problem(message, path, source_map.locate(path), hint))
    return _merge_misspelt(problems)


def _is_echo(error: Any) -> bool:
    """Pydantic adds "too short" to a list whose items failed: the list was long enough."""
    if error["type"] != "too_short":
        return False
    given = error.get("input")
    needed = error.get("ctx", {}).get("min_length", 0)
    return isinstance(given, list | tuple | dict) and len(given) >= needed


def _merge_misspelt(problems: list[Problem]) -> list[Problem]:
    """A misspelt required key is one mistake: keep "unknown key 'salince'" (with its
    did-you-mean) and drop the "required field is missing" it causes for ``salience``."""
    meant = {
        (*p.path[:-1], p.hint.removeprefix("did you mean ").strip("'?"))
        for p in problems
        if p.message.startswith("unknown key") and p.hint and p.hint.startswith("did you mean")
    }
    return [p for p in problems if not (p.message == _MISSING and p.path in meant)]


def _strip_internal(path: Path, source_map: SourceMap) -> Path:
    """Drop pydantic's own loc parts (``[key]``, validator names) after the real path."""
    known = source_map.known(path)
    tail = [p for p in path[known:] if not (isinstance(p, str) and p.startswith("["))]
    return (*path[:known], *tail)


_MISSING = "required field is missing"

_EXPECTED = {
    "dict_type": "expected a mapping",
    "model_type": "expected a mapping",
    "model_attributes_type": "expected a mapping",
    "tuple_type": "expected a list",
    "list_type": "expected a list",
    "float_type": "expected a number",
    "float_parsing": "expected a number",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "string_type": "expected text",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
}


def _describe(error: Any, path: Path, root: type[BaseModel]) -> tuple[str, str | None]:
    kind = error["type"]
    if kind == "missing":
        return _MISSING, None
    if kind == "extra_forbidden":
        key = path[-1] if path else "?"
        allowed = _fields_at(path[:-1], root)
        return f"unknown key {key!r}", suggest(str(key), allowed) or (
            "allowed keys: " + ", ".join(allowed) if allowed else None
        )
    found = error.get("input")
    shown = repr(found)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    hint: str | None = None
    if kind in _EXPECTED:
        message = _EXPECTED[kind]
    elif kind == "too_short" and error.get("ctx", {}).get("min_length") == 1:
        message = "must not be empty"
    else:
        message = str(error["msg"])
        message = message[0].lower() + message[1:] if message else message
    if kind == "string_type" and isinstance(found, bool):
        hint = "YAML reads a bare yes/no/true/false/on/off as true or false: put it in quotes"
    elif kind == "enum":
        hint = suggest(
            str(found), re.findall(r"'([^']*)'", error.get("ctx", {}).get("expected", ""))
        )
    return f"{message} (found {shown})", hint


def _fields_at(path: Path, root: type[BaseModel]) -> list[str]:
    """The keys the schema allows at ``path`` (for "did you mean" on unknown keys)."""
    current: Any = root
    for part in path:
        current = _step(current, part)
        if current is None:
            return []
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = members[0] if len(members) == 1 else annotation
            if len(members) != 1:
                return annotation
        else:
            return annotation


def _step(current: Any, part: str | int) -> Any:
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        field = current.model_fields.get(str(part))
        return None if field is None else _unwrap(field.annotation)
    origin = typing.get_origin(current)
    args = typing.get_args(current)
    if origin is tuple and args:
        return _unwrap(args[0])
    if origin is dict and len(args) == 2:
        return _unwrap(args[1])
    return None

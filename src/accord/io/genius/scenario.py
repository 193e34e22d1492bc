"""Assembling the imported GENIUS domain into a validated accord scenario.

Each profile becomes a principal party, in order of profile file name, whose id is the
clean id of the file stem (see :mod:`accord.io.genius.names`) and whose name is the
stem as written. Issues and options take clean ids and keep the text as written as
their title or label when it differs.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from accord.errors import Location, Problem, ScenarioError
from accord.io.genius.domain import DomainIssue
from accord.io.genius.names import clean_id
from accord.io.genius.profiles import Profile
from accord.io.genius.xml_file import XmlFile, folder_error
from accord.model.checks import check_scenario
from accord.model.scenario import Id, Scenario

__all__ = ["RESERVATION_LABEL", "build_scenario", "file_ids"]

RESERVATION_LABEL = "No agreement (GENIUS reservation value)"

_ID: TypeAdapter[str] = TypeAdapter(Id)


def file_ids(directory: Path, files: Sequence[Path]) -> dict[Path, str]:
    """The clean id of the folder's name and of each file's stem; a located error when
    one cannot be an id or two files' stems become the same id."""
    ids = {directory: _name_id(directory, directory.resolve().name)}
    seen: dict[str, Path] = {}
    for path in files:
        cleaned = _name_id(directory, path.stem)
        if cleaned in seen:
            raise folder_error(
                directory,
                f"the files {seen[cleaned].name!r} and {path.name!r} both become the id "
                f"{cleaned!r}",
                hint="accord ids ignore leading, trailing and repeated whitespace: rename one",
            )
        seen[cleaned] = path
        ids[path] = cleaned
    return ids


def _name_id(directory: Path, name: str) -> str:
    cleaned = clean_id(name)
    try:
        return _ID.validate_python(cleaned)
    except ValidationError:
        raise folder_error(directory, f"the name {name!r} cannot be made into an id") from None


def _source_id(ids: dict[Path, str], path: Path) -> str:
    return f"genius-{ids[path]}"


def _party(profile: Profile, ids: dict[Path, str]) -> dict[str, Any]:
    path = profile.xml.path
    return {
        "id": ids[path],
        "name": path.stem,
        "role": "principal",
        "description": (
            f"GENIUS preference profile {path.name}. Discount factor {profile.discount!r} "
            "(recorded only: the analysis is undiscounted)."
        ),
        "preferences": {
            "evidence": [
                {
                    "source": _source_id(ids, path),
                    "note": "weights, evaluations and reservation value of this profile",
                }
            ],
            "salience": profile.salience,
            "values": profile.values,
            "reservation": {"value": profile.reservation, "label": RESERVATION_LABEL},
        },
    }


def _issue(issue: DomainIssue) -> dict[str, Any]:
    options = [
        {"id": o.id} if o.label is None else {"id": o.id, "label": o.label} for o in issue.options
    ]
    data: dict[str, Any] = {"id": issue.name.id, "options": options}
    if issue.name.label is not None:
        data["title"] = issue.name.label
    if issue.kind == "integer":
        data["ordered"] = True
        data["description"] = (
            f"GENIUS integer issue, {issue.options[0].id} to {issue.options[-1].id}"
        )
    return data


def build_scenario(
    directory: Path, domain: XmlFile, profiles: Sequence[Profile], issues: Sequence[DomainIssue]
) -> Scenario:
    """Assemble, validate and check the scenario; problems are located at the folder."""
    files = [domain.path, *(profile.xml.path for profile in profiles)]
    ids = file_ids(directory, files)
    name = directory.resolve().name
    data = {
        "id": ids[directory],
        "title": f"GENIUS domain {name}",
        "description": (
            f"Imported from the GENIUS domain file {domain.path.name} and "
            f"{len(profiles)} preference profiles. Utilities follow GENIUS: weights as "
            "written, evaluations divided by the issue's largest, sums clamped at 1."
        ),
        "utility": {"normalize_salience": False, "cap": 1.0},
        "sources": [{"id": _source_id(ids, p), "title": p.name, "file": str(p)} for p in files],
        "parties": [_party(profile, ids) for profile in profiles],
        "issues": [_issue(issue) for issue in issues],
    }
    return _validated(data, Location(str(directory)))


def _validated(data: dict[str, Any], where: Location) -> Scenario:
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(
            Problem(
                str(error["msg"]),
                path=tuple(p for p in error["loc"] if isinstance(p, str | int)),
                location=where,
            )
            for error in exc.errors(include_url=False)
        ) from None
    problems = check_scenario(scenario)
    if problems:
        raise ScenarioError(Problem(p.message, p.path, where, p.hint) for p in problems)
    return scenario

"""What a scenario's numbers rest on: cited sources versus modelling assumptions.

Analysts must be able to tell which conclusions rest on evidence and which on
assumptions (DESIGN §3, "Evidence"). These walks list every ``assumed`` rationale and
count every citation in the preferences of the parties analysed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pydantic import BaseModel

from accord.analysis.results import Assumption
from accord.errors import Path, format_path
from accord.model.scenario import (
    Citation,
    Estimate,
    Interaction,
    Preferences,
    Reservation,
    Scenario,
)
from accord.model.walk import walk

__all__ = ["cited_count", "collect_assumptions", "unsupported_numbers"]


def _party_nodes(scenario: Scenario, party_ids: Sequence[str]) -> Iterator[tuple[object, Path]]:
    for index, party in enumerate(scenario.parties):
        if party.id in party_ids:
            yield from walk(party, ("parties", index))


def collect_assumptions(scenario: Scenario, party_ids: Sequence[str]) -> list[Assumption]:
    """Every ``assumed`` rationale in the given parties' descriptions, with its path.

    A party's own ``assumed`` is about its role (see :class:`~accord.model.scenario.Party`),
    so it is listed under ``role``."""
    found = []
    for node, path in _party_nodes(scenario, party_ids):
        rationale = getattr(node, "assumed", None) if isinstance(node, BaseModel) else None
        if isinstance(rationale, str):
            party = scenario.parties[int(path[1])].id
            where = format_path(path[2:]) if len(path) > 2 else "role"
            found.append(Assumption(f"{party}: {where}", rationale))
    return found


def cited_count(scenario: Scenario, party_ids: Sequence[str]) -> int:
    """How many citations back the given parties' positions and numbers."""
    return sum(isinstance(node, Citation) for node, _ in _party_nodes(scenario, party_ids))


def _supported(node: object) -> bool:
    return bool(getattr(node, "evidence", ())) or getattr(node, "assumed", None) is not None


def unsupported_numbers(scenario: Scenario, party_ids: Sequence[str]) -> list[str]:
    """Paths of the numbers in the given parties' preferences that cite no source and are
    not marked ``assumed`` (directly, or through their ``preferences`` block)."""
    found = []
    for party in scenario.parties:
        prefs = party.preferences
        if party.id not in party_ids or prefs is None or _supported(prefs):
            continue
        for node, path in walk(prefs, ("preferences",)):
            numeric = isinstance(node, Estimate | Interaction | Reservation)
            if numeric and not _supported(node) and not isinstance(node, Preferences):
                found.append(f"{party.id}: {format_path(path)}")
    return found

"""Routes of a delegation's private preferences and disclosure, and the neutral analysis."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body
from sqlalchemy import func, select

from accord.errors import Problem, ScenarioError
from accord.io.scenario_file import validate_document
from accord.io.yaml_source import SourceMap
from accord.model.checks import check_scenario
from accord.model.scenario import Preferences, Scenario
from accord.service import access, casework
from accord.service.audit_log import record
from accord.service.auth import Caller, now
from accord.service.deps import CallerDep, ContextDep
from accord.service.errors import ApiError
from accord.service.models import Computed, Disclosure, PreferenceVersion
from accord.service.neutral import SUBMITTED
from accord.service.schemas import DisclosureIn

__all__ = ["router"]

router = APIRouter(prefix="/api/cases/{case_id}")
_BODY = "request body"


def validate_preferences(public: Scenario, party: str, data: dict[str, Any]) -> Preferences:
    """Validate as the scenario format does, with the same messages and field paths."""
    preferences = validate_document(Preferences, data, SourceMap(_BODY))
    index = [p.id for p in public.parties].index(party)
    parties = list(public.parties)
    parties[index] = parties[index].model_copy(update={"preferences": preferences})
    prefix = ("parties", index, "preferences")
    problems = [
        Problem(p.message, p.path[len(prefix) :], None, p.hint)
        for p in check_scenario(public.model_copy(update={"parties": tuple(parties)}))
        if p.path[: len(prefix)] == prefix
    ]
    if problems:
        raise ScenarioError(problems)
    return preferences


@router.put("/parties/{party}/preferences", tags=["preferences"])
def put_preferences(
    case_id: str,
    party: str,
    caller: CallerDep,
    context: ContextDep,
    body: dict[str, Any] = Body(  # noqa: B008
        description="salience, values, interactions, red_lines, reservation"
    ),
) -> dict[str, Any]:
    """Submit a new version of this delegation's preferences (that delegation only)."""
    with context.database.write() as session:
        case = access.visible_case(session, caller, case_id, lock=True)
        casework.party_or_404(case, party)
        access.require_delegation_of(caller, party)
        casework.require_open(case)
        try:
            preferences = validate_preferences(casework.public_of(case), party, body)
        except ScenarioError as error:
            raise ApiError.invalid(error, "preferences") from None
        latest = session.scalar(
            select(func.max(PreferenceVersion.version)).where(
                PreferenceVersion.case_id == case.id, PreferenceVersion.party == party
            )
        )
        version = (latest or 0) + 1
        data = preferences.model_dump(mode="json", exclude_defaults=True)
        session.add(
            PreferenceVersion(
                case_id=case.id,
                party=party,
                version=version,
                payload=context.vault.seal(data),
                created_at=now(),
            )
        )
        case.inputs_version += 1
        record(session, case.id, caller, "preferences submitted", party=party, version=version)
    return {"party": party, "version": version}


@router.get("/parties/{party}/preferences", tags=["preferences"])
def get_preferences(
    case_id: str, party: str, caller: CallerDep, context: ContextDep
) -> dict[str, Any]:
    """Every submitted version, to those the party's disclosure allows."""
    with context.database.read() as session:
        case = access.visible_case(session, caller, case_id)
        casework.party_or_404(case, party)
        level = casework.disclosure_of(session, case.id, party)
        if not access.may_read_preferences(caller, party, level):
            raise ApiError(403, f"{party!r} has not disclosed its preferences to you")
        rows = session.scalars(
            select(PreferenceVersion)
            .where(PreferenceVersion.case_id == case.id, PreferenceVersion.party == party)
            .order_by(PreferenceVersion.version)
        ).all()
        versions = [
            {
                "version": row.version,
                "submitted_at": row.created_at.isoformat(),
                "preferences": context.vault.open(row.payload),
            }
            for row in rows
        ]
    return {"party": party, "disclosure": level.value, "versions": versions}


@router.put("/parties/{party}/disclosure", tags=["preferences"])
def put_disclosure(
    case_id: str, party: str, body: DisclosureIn, caller: CallerDep, context: ContextDep
) -> dict[str, Any]:
    """Who may see this delegation's numbers: private, mediator or all."""
    with context.database.write() as session:
        case = access.visible_case(session, caller, case_id, lock=True)
        casework.party_or_404(case, party)
        access.require_delegation_of(caller, party)
        casework.require_open(case)
        row = session.get(Disclosure, (case.id, party))
        if row is None:
            session.add(Disclosure(case_id=case.id, party=party, level=body.level))
        else:
            row.level = body.level
        record(session, case.id, caller, "disclosure set", party=party, level=body.level)
    return {"party": party, "level": body.level}


@router.get("/analysis", tags=["analysis"])
def analysis(case_id: str, caller: CallerDep, context: ContextDep) -> dict[str, Any]:
    """The neutral analysis on the private data, each utility shown as access allows."""
    computed, levels = stored_computation(case_id, caller, context)
    data = computed["analysis"]
    inputs: dict[str, str] = computed["inputs"]
    solutions = [
        {**s, "utilities": visible_utilities(caller, s["utilities"], inputs, levels)}
        for s in data["solutions"]
    ]
    return {
        "inputs": inputs,
        "zone": data["zone"],
        "solutions": solutions,
        "error": data["error"],
        "note": "a party's input is its submitted preferences, else the mediator's "
        "estimate; utilities are shown only where the disclosures allow",
    }


def visible_utilities(
    caller: Caller,
    utilities: dict[str, Any],
    inputs: dict[str, str],
    levels: dict[str, access.Level],
) -> dict[str, Any]:
    return {
        party: value
        for party, value in utilities.items()
        if access.may_read_utility(
            caller, party, levels.get(party, access.Level.PRIVATE), inputs.get(party) == SUBMITTED
        )
    }


def stored_computation(
    case_id: str, caller: Caller, context: Any
) -> tuple[dict[str, Any], dict[str, access.Level]]:
    """The stored computation; computed (once, under the case lock) when stale."""
    with context.database.read() as session:
        case = access.visible_case(session, caller, case_id)
        _computable(case)
        stored = session.get(Computed, case.id)
        levels = casework.disclosures(session, case.id)
        if stored is not None and stored.inputs_version == case.inputs_version:
            return dict(context.vault.open(stored.payload)), levels
    with context.database.write() as session:
        case = access.visible_case(session, caller, case_id, lock=True)
        _computable(case)
        return casework.ensure_computed(session, context.vault, case), levels


def _computable(case: Any) -> None:
    if case.status == "closed":
        raise ApiError(409, "the case is closed: its private preferences were destroyed")

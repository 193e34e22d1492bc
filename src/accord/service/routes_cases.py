"""Routes of cases, invitations, estimates and the audit log."""

from __future__ import annotations

import json
import secrets
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import delete, select

from accord.errors import ScenarioError
from accord.io.load import load_scenario
from accord.io.scenario_file import parse_scenario
from accord.model.scenario import Scenario
from accord.scenarios import builtin_names
from accord.service import access, casework
from accord.service.audit_chain import verify_export
from accord.service.audit_log import export_log, record
from accord.service.auth import now
from accord.service.deps import CallerDep, ContextDep
from accord.service.errors import ApiError
from accord.service.models import (
    AuditEntry,
    Case,
    Computed,
    Disclosure,
    Draft,
    Invitation,
    PreferenceVersion,
    Response,
)
from accord.service.schemas import CaseIn, InvitationIn
from accord.service.tokens import DELEGATION, hash_token, new_token

__all__ = ["router"]

router = APIRouter(prefix="/api")


@router.get("/health", tags=["service"])
def health(context: ContextDep) -> dict[str, Any]:
    with context.database.read() as session:
        session.execute(select(1))
    return {"ok": True}


def _load(text: str) -> Scenario:
    try:
        if text in builtin_names():
            return load_scenario(text)
        return parse_scenario(text, "scenario")
    except ScenarioError as error:
        raise ApiError.invalid(error, "scenario") from None


def _split(scenario: Scenario) -> tuple[Scenario, dict[str, Any]]:
    """The public structure, and the file's preferences as the mediator's estimates."""
    estimates = {
        p.id: p.preferences.model_dump(mode="json", exclude_defaults=True)
        for p in scenario.parties
        if p.preferences is not None
    }
    parties = tuple(p.model_copy(update={"preferences": None}) for p in scenario.parties)
    return scenario.model_copy(update={"parties": parties}), estimates


@router.post("/cases", status_code=201, tags=["cases"])
def create_case(body: CaseIn, caller: CallerDep, context: ContextDep) -> dict[str, Any]:
    """Open a case from a built-in scenario name or scenario YAML (mediator)."""
    access.require_mediator(caller)
    public, estimates = _split(_load(body.scenario))
    assert caller.mediator_id is not None
    case = Case(
        id=secrets.token_hex(8),
        mediator_id=caller.mediator_id,
        title=body.title,
        scenario=public.model_dump_json(exclude_defaults=True),
        estimates=context.vault.seal(estimates) if estimates else None,
        status="open",
        inputs_version=0,
        created_at=now(),
    )
    with context.database.write() as session:
        session.add(case)
        session.flush()
        record(
            session,
            case.id,
            caller,
            "case opened",
            title=body.title,
            parties=len(public.parties),
            estimates=len(estimates),
        )
    return {"id": case.id, "parties": [p.id for p in public.parties]}


@router.get("/cases", tags=["cases"])
def list_cases(caller: CallerDep, context: ContextDep) -> dict[str, Any]:
    """The cases the caller may see."""
    query = select(Case).order_by(Case.created_at)
    if caller.is_mediator:
        query = query.where(Case.mediator_id == caller.mediator_id)
    else:
        query = query.where(Case.id == caller.case_id)
    with context.database.read() as session:
        cases = session.scalars(query).all()
    return {"cases": [{"id": c.id, "title": c.title, "status": c.status} for c in cases]}


@router.get("/cases/{case_id}", tags=["cases"])
def get_case(case_id: str, caller: CallerDep, context: ContextDep) -> dict[str, Any]:
    """Public structure and status: who submitted, who answered, the drafts; no preference."""
    with context.database.read() as session:
        case = access.visible_case(session, caller, case_id)
        public = casework.public_of(case)
        submitted = casework.submitted_parties(session, case.id)
        levels = casework.disclosures(session, case.id)
        drafts = casework.drafts_text(session, case.id)
        answered = {n: casework.answered(session, case.id, n) for n in drafts}
    principals = {p.id for p in public.principals()}
    return {
        "id": case.id,
        "title": case.title,
        "status": case.status,
        "agreement": case.agreement,
        "parties": [
            {
                "id": p.id,
                "name": p.name,
                "role": p.role.value,
                "submitted": p.id in submitted,
                "disclosure": levels.get(p.id, access.Level.PRIVATE).value,
            }
            for p in public.parties
        ],
        "drafts": [
            {
                "number": n,
                "title": text.get("title"),
                "answered": sorted(answered[n]),
                "revealed": principals <= answered[n],
            }
            for n, text in drafts.items()
        ],
        "scenario": json.loads(case.scenario),
    }


@router.post("/cases/{case_id}/close", tags=["cases"])
def close_case(case_id: str, caller: CallerDep, context: ContextDep) -> dict[str, Any]:
    """Close: private preferences destroyed; the public record and audit kept (mediator)."""
    with context.database.write() as session:
        case = access.visible_case(session, caller, case_id, lock=True)
        access.require_mediator(caller)
        if case.status == "closed":
            raise ApiError(409, "the case is already closed")
        session.execute(delete(PreferenceVersion).where(PreferenceVersion.case_id == case.id))
        session.execute(delete(Computed).where(Computed.case_id == case.id))
        case.estimates = None
        case.status = "closed"
        record(session, case.id, caller, "case closed; private preferences destroyed")
    return {"id": case_id, "status": "closed"}


@router.delete("/cases/{case_id}", tags=["cases"])
def delete_case(case_id: str, caller: CallerDep, context: ContextDep) -> dict[str, Any]:
    """Remove the case and everything of it, audit included (mediator)."""
    with context.database.write() as session:
        case = access.visible_case(session, caller, case_id, lock=True)
        access.require_mediator(caller)
        for table in (
            AuditEntry,
            Response,
            Draft,
            Computed,
            Disclosure,
            PreferenceVersion,
            Invitation,
        ):
            session.execute(delete(table).where(table.case_id == case.id))
        session.delete(case)
    return {"id": case_id, "deleted": True}


@router.post("/cases/{case_id}/invitations", status_code=201, tags=["invitations"])
def invite(
    case_id: str, body: InvitationIn, request: Request, caller: CallerDep, context: ContextDep
) -> dict[str, Any]:
    """A delegation's credential, shown once; any earlier one for the party is revoked."""
    token = new_token(DELEGATION)
    moment = now()
    expires = moment + timedelta(days=body.expires_in_days)
    with context.database.write() as session:
        case = access.visible_case(session, caller, case_id, lock=True)
        access.require_mediator(caller)
        casework.party_or_404(case, body.party)
        casework.require_open(case)
        revoked = _revoke(session, case.id, body.party)
        session.add(
            Invitation(
                case_id=case.id,
                party=body.party,
                token_hash=hash_token(token),
                created_at=moment,
                expires_at=expires,
            )
        )
        record(
            session,
            case.id,
            caller,
            "invitation issued",
            party=body.party,
            expires=expires.isoformat(timespec="seconds"),
            revoked_earlier=revoked,
        )
    # The token rides in the fragment: browsers never send it to the server or its logs.
    url = f"{str(request.base_url).rstrip('/')}/join/{case_id}#{token}"
    return {
        "party": body.party,
        "token": token,
        "url": url,
        "expires_at": expires.isoformat(timespec="seconds"),
    }


def _revoke(session: Any, case_id: str, party: str) -> int:
    active = session.scalars(
        select(Invitation).where(
            Invitation.case_id == case_id,
            Invitation.party == party,
            Invitation.revoked_at.is_(None),
        )
    ).all()
    for invitation in active:
        invitation.revoked_at = now()
    return len(active)


@router.delete("/cases/{case_id}/invitations/{party}", tags=["invitations"])
def revoke(case_id: str, party: str, caller: CallerDep, context: ContextDep) -> dict[str, Any]:
    """Revoke the party's invitation (mediator)."""
    with context.database.write() as session:
        case = access.visible_case(session, caller, case_id, lock=True)
        access.require_mediator(caller)
        casework.party_or_404(case, party)
        count = _revoke(session, case.id, party)
        record(session, case.id, caller, "invitation revoked", party=party, revoked=count)
    return {"party": party, "revoked": count}


@router.get("/cases/{case_id}/estimates", tags=["cases"])
def estimates(case_id: str, caller: CallerDep, context: ContextDep) -> dict[str, Any]:
    """The mediator's own estimates from the case file (mediator only)."""
    with context.database.read() as session:
        case = access.visible_case(session, caller, case_id)
        access.require_mediator(caller)
        data = casework.estimates_of(context.vault, case)
    return {"label": "the mediator's estimates, not submitted by any delegation", "estimates": data}


@router.get("/cases/{case_id}/audit", tags=["audit"])
def audit(case_id: str, caller: CallerDep, context: ContextDep) -> dict[str, Any]:
    """The case's audit log, exportable and verifiable offline (`accord audit verify`)."""
    with context.database.read() as session:
        case = access.visible_case(session, caller, case_id)
        return export_log(session, case.id)


@router.get("/cases/{case_id}/audit/verify", tags=["audit"])
def verify(case_id: str, caller: CallerDep, context: ContextDep) -> dict[str, Any]:
    """Recompute the hash chain: ``{ok}``, and where it breaks when it does."""
    with context.database.read() as session:
        case = access.visible_case(session, caller, case_id)
        check = verify_export(export_log(session, case.id))
    return {"ok": check.ok, "entries": check.entries, "head": check.head, "problem": check.problem}

"""Routes of single-text drafts, secret responses and the agreement."""

from __future__ import annotations

import json
from typing import Any

import yaml
from fastapi import APIRouter
from fastapi.responses import PlainTextResponse
from pydantic import ValidationError
from sqlalchemy import func, select

from accord.errors import AccordError, Problem, ScenarioError
from accord.frameworks.checks import check_framework
from accord.frameworks.model import Framework
from accord.io.scenario_file import validate_document
from accord.io.yaml_source import SourceMap
from accord.model.scenario import Scenario
from accord.service import access, casework
from accord.service.audit_log import record
from accord.service.auth import now
from accord.service.deps import CallerDep, ContextDep
from accord.service.errors import ApiError
from accord.service.models import Case, Draft, Response
from accord.service.neutral import framework_of, suggest_points
from accord.service.routes_parties import stored_computation
from accord.service.schemas import DraftIn, ResponseIn

__all__ = ["router"]

router = APIRouter(prefix="/api/cases/{case_id}/drafts")


def _checked_text(public: Scenario, body: DraftIn) -> dict[str, Any]:
    if not body.points:
        raise ApiError(422, 'a draft needs points, or {"suggest": true}')
    text = {"title": body.title, "points": body.points}
    try:
        framework = validate_document(
            Framework,
            {
                "id": "draft",
                "title": body.title or "Draft",
                "scenario": public.id,
                "points": body.points,
            },
            SourceMap("request body"),
        )
        problems = check_framework(framework, public)
        if problems:
            raise ScenarioError(problems)
    except ScenarioError as error:
        raise ApiError.invalid(error, "draft") from None
    text["points"] = [p.model_dump(mode="json", exclude_defaults=True) for p in framework.points]
    return text


def _suggested(session: Any, context: Any, case: Case) -> dict[str, Any]:
    drafts = casework.drafts_text(session, case.id)
    last = drafts[max(drafts)] if drafts else None
    try:
        points = suggest_points(
            casework.public_of(case),
            casework.latest_submissions(session, context.vault, case.id),
            casework.estimates_of(context.vault, case),
            last,
        )
    except (AccordError, ValidationError) as error:
        raise ApiError(409, f"cannot suggest a draft: {error}") from None
    return {"title": "Suggested by the neutral site", "points": points}


@router.post("", status_code=201, tags=["drafts"])
def create_draft(
    case_id: str, body: DraftIn, caller: CallerDep, context: ContextDep
) -> dict[str, Any]:
    """Circulate a draft text, or ``{suggest: true}`` for the next single-text draft."""
    with context.database.write() as session:
        case = access.visible_case(session, caller, case_id, lock=True)
        access.require_mediator(caller)
        casework.require_open(case)
        if body.suggest:
            text = _suggested(session, context, case)
        else:
            text = _checked_text(casework.public_of(case), body)
        number = (
            session.scalar(select(func.max(Draft.number)).where(Draft.case_id == case.id)) or 0
        ) + 1
        session.add(
            Draft(
                case_id=case.id,
                number=number,
                text=json.dumps(text),
                suggested=body.suggest,
                created_at=now(),
            )
        )
        case.inputs_version += 1
        record(session, case.id, caller, "draft circulated", draft=number, suggested=body.suggest)
    return {"number": number, **text}


@router.get("/{number}", tags=["drafts"])
def get_draft(case_id: str, number: int, caller: CallerDep, context: ContextDep) -> dict[str, Any]:
    """The draft's text; for a delegation also its own evaluation, for the mediator the
    evaluations the disclosures allow."""
    with context.database.read() as session:
        case = access.visible_case(session, caller, case_id)
        draft = casework.draft_or_404(session, case.id, number)
        text = json.loads(draft.text)
        status = case.status
    result: dict[str, Any] = {"number": number, "suggested": draft.suggested, **text}
    if status == "closed":
        return {**result, "evaluations": {}}
    computed, levels = stored_computation(case_id, caller, context)
    review = computed["reviews"].get(str(number), {"parties": {}})
    inputs = computed["inputs"]
    result["evaluations"] = {
        party: evaluation
        for party, evaluation in review["parties"].items()
        if access.may_read_utility(
            caller, party, levels.get(party, access.Level.PRIVATE), inputs.get(party) == "submitted"
        )
    }
    return result


@router.get("/{number}/framework", tags=["drafts"], response_class=PlainTextResponse)
def download(case_id: str, number: int, caller: CallerDep, context: ContextDep) -> str:
    """The draft (the agreed text, once agreed) as a framework YAML file."""
    with context.database.read() as session:
        case = access.visible_case(session, caller, case_id)
        draft = casework.draft_or_404(session, case.id, number)
        framework = framework_of(casework.public_of(case), number, json.loads(draft.text))
    data = {"accord": 1, **framework.model_dump(mode="json", exclude_defaults=True)}
    return str(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


@router.post("/{number}/responses", status_code=201, tags=["responses"])
def respond(
    case_id: str, number: int, body: ResponseIn, caller: CallerDep, context: ContextDep
) -> dict[str, Any]:
    """A delegation's answer: accept or not, and criticism in order of importance."""
    with context.database.write() as session:
        case = access.visible_case(session, caller, case_id, lock=True)
        if caller.party is None:
            raise ApiError(403, "only a delegation answers a draft")
        casework.draft_or_404(session, case.id, number)
        casework.require_open(case)
        _check_criticism(casework.public_of(case), body)
        if caller.party in casework.answered(session, case.id, number):
            raise ApiError(409, f"{caller.party!r} has already answered draft {number}")
        payload = body.model_dump(mode="json")
        session.add(
            Response(
                case_id=case.id,
                draft=number,
                party=caller.party,
                payload=context.vault.seal(payload),
                created_at=now(),
            )
        )
        session.flush()
        record(session, case.id, caller, "draft answered", draft=number, party=caller.party)
        agreed = _settle(session, context, case, number, caller)
    return {"draft": number, "party": caller.party, "agreement": agreed}


def _check_criticism(public: Scenario, body: ResponseIn) -> None:
    problems = []
    for n, item in enumerate(body.criticism):
        path = ("criticism", n)
        try:
            issue = public.issue(item.issue)
        except KeyError:
            problems.append(Problem(f"unknown issue {item.issue!r}", (*path, "issue")))
            continue
        if item.option is not None and item.option not in issue.option_ids():
            problems.append(
                Problem(f"issue {issue.id!r} has no option {item.option!r}", (*path, "option"))
            )
        if item.option is None and not item.text:
            problems.append(Problem("give the option wanted, a text, or both", path))
    if problems:
        raise ApiError.invalid(ScenarioError(problems), "response")


def _settle(session: Any, context: Any, case: Case, number: int, caller: Any) -> bool:
    """Reveal once every principal has answered; agreement when all of them accept."""
    principals = {p.id for p in casework.public_of(case).principals()}
    answers = casework.responses_of(session, context.vault, case.id, number)
    if caller.party not in principals or not principals <= set(answers):
        return False
    record(session, case.id, caller, "responses revealed", draft=number)
    if all(answers[p]["accept"] for p in principals):
        case.status, case.agreement = "agreed", number
        record(session, case.id, caller, "agreement reached", draft=number)
        return True
    return False


@router.get("/{number}/responses", tags=["responses"])
def responses(case_id: str, number: int, caller: CallerDep, context: ContextDep) -> dict[str, Any]:
    """Every response once all principals have answered; before that, only one's own."""
    with context.database.read() as session:
        case = access.visible_case(session, caller, case_id)
        casework.draft_or_404(session, case.id, number)
        principals = {p.id for p in casework.public_of(case).principals()}
        answers = casework.responses_of(session, context.vault, case.id, number)
    revealed = principals <= set(answers)
    shown = {p: a for p, a in answers.items() if access.may_read_responses(caller, p, revealed)}
    return {"draft": number, "revealed": revealed, "responses": shown}

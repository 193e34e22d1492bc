"""Reading and writing one case's records (the store side of the routes).

Routes call these inside one transaction (:meth:`Database.write` / :meth:`Database.read`);
they decrypt only what the caller's route needs and never log a payload.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.model.scenario import Party, Scenario
from accord.service.access import Level
from accord.service.errors import ApiError, not_found
from accord.service.models import Case, Computed, Disclosure, Draft, PreferenceVersion, Response
from accord.service.neutral import compute
from accord.service.vault import Vault

__all__ = [
    "disclosure_of",
    "draft_or_404",
    "drafts_text",
    "ensure_computed",
    "latest_submissions",
    "party_or_404",
    "public_of",
    "require_open",
    "responses_of",
]


def public_of(case: Case) -> Scenario:
    return _parse_public(case.scenario)


@lru_cache(maxsize=64)
def _parse_public(text: str) -> Scenario:
    """Parsed once per process: a case's public structure never changes (and is frozen)."""
    return Scenario.model_validate_json(text)


def party_or_404(case: Case, party: str) -> Party:
    try:
        return public_of(case).party(party)
    except KeyError:
        raise not_found() from None


def require_open(case: Case) -> None:
    if case.status != "open":
        raise ApiError(409, f"the case is {case.status}: nothing more can change")


def disclosure_of(session: Session, case_id: str, party: str) -> Level:
    row = session.get(Disclosure, (case_id, party))
    return Level(row.level) if row is not None else Level.PRIVATE


def disclosures(session: Session, case_id: str) -> dict[str, Level]:
    rows = session.scalars(select(Disclosure).where(Disclosure.case_id == case_id))
    return {row.party: Level(row.level) for row in rows}


def latest_submissions(session: Session, vault: Vault, case_id: str) -> dict[str, Any]:
    """Each party's latest submitted preferences (decrypted), by party id."""
    newest = (
        select(PreferenceVersion.party, func.max(PreferenceVersion.version).label("v"))
        .where(PreferenceVersion.case_id == case_id)
        .group_by(PreferenceVersion.party)
        .subquery()
    )
    rows = session.scalars(
        select(PreferenceVersion)
        .join(
            newest,
            (PreferenceVersion.party == newest.c.party) & (PreferenceVersion.version == newest.c.v),
        )
        .where(PreferenceVersion.case_id == case_id)
    )
    return {row.party: vault.open(row.payload) for row in rows}


def submitted_parties(session: Session, case_id: str) -> set[str]:
    rows = session.execute(
        select(PreferenceVersion.party).where(PreferenceVersion.case_id == case_id).distinct()
    )
    return {party for (party,) in rows}


def estimates_of(vault: Vault, case: Case) -> dict[str, Any]:
    return vault.open(case.estimates) if case.estimates is not None else {}


def drafts_text(session: Session, case_id: str) -> dict[int, dict[str, Any]]:
    rows = session.scalars(select(Draft).where(Draft.case_id == case_id).order_by(Draft.number))
    return {row.number: json.loads(row.text) for row in rows}


def draft_or_404(session: Session, case_id: str, number: int) -> Draft:
    row = session.scalars(
        select(Draft).where(Draft.case_id == case_id, Draft.number == number)
    ).first()
    if row is None:
        raise not_found()
    return row


def responses_of(session: Session, vault: Vault, case_id: str, number: int) -> dict[str, Any]:
    rows = session.scalars(
        select(Response).where(Response.case_id == case_id, Response.draft == number)
    )
    return {
        row.party: {**vault.open(row.payload), "at": row.created_at.isoformat()} for row in rows
    }


def answered(session: Session, case_id: str, number: int) -> set[str]:
    rows = session.execute(
        select(Response.party).where(Response.case_id == case_id, Response.draft == number)
    )
    return {party for (party,) in rows}


def ensure_computed(session: Session, vault: Vault, case: Case) -> dict[str, Any]:
    """The stored computation for the case's current inputs; computed and stored once
    when missing or stale (a concurrent duplicate computes the same, deterministically)."""
    stored = session.get(Computed, case.id)
    if stored is not None and stored.inputs_version == case.inputs_version:
        return dict(vault.open(stored.payload))
    payload = compute(
        public_of(case),
        latest_submissions(session, vault, case.id),
        estimates_of(vault, case),
        drafts_text(session, case.id),
    )
    sealed = vault.seal(payload)
    if stored is None:
        session.add(Computed(case_id=case.id, inputs_version=case.inputs_version, payload=sealed))
    else:
        stored.inputs_version, stored.payload = case.inputs_version, sealed
    return payload

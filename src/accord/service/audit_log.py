"""Appending to and exporting a case's audit chain (see :mod:`accord.service.audit_chain`).

Entries are written in the same transaction as the change they record, after the case
row is locked, so the chain has no gaps and no forks. Details are public facts (ids,
versions, levels, draft numbers), never a private number.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.service.audit_chain import AUDIT_FORMAT, GENESIS, entry_hash
from accord.service.auth import Caller, now
from accord.service.models import AuditEntry

__all__ = ["export_log", "record"]


def record(
    session: Session, case_id: str, caller: Caller, action: str, **detail: str | int | bool | None
) -> None:
    last = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.case_id == case_id)
        .order_by(AuditEntry.seq.desc())
        .limit(1)
    ).first()
    entry: dict[str, Any] = {
        "case": case_id,
        "seq": last.seq + 1 if last else 1,
        "at": now().isoformat(timespec="microseconds"),
        "actor": caller.actor,
        "action": action,
        "detail": detail,
        "prev": last.hash if last else GENESIS,
    }
    session.add(
        AuditEntry(
            case_id=case_id,
            seq=entry["seq"],
            at=entry["at"],
            actor=entry["actor"],
            action=action,
            detail=json.dumps(detail, sort_keys=True),
            prev_hash=entry["prev"],
            hash=entry_hash(entry),
        )
    )
    session.flush()


def export_log(session: Session, case_id: str) -> dict[str, Any]:
    """The whole chain as the export format ``accord audit verify`` reads."""
    rows = session.scalars(
        select(AuditEntry).where(AuditEntry.case_id == case_id).order_by(AuditEntry.seq)
    ).all()
    entries = [
        {
            "case": case_id,
            "seq": row.seq,
            "at": row.at,
            "actor": row.actor,
            "action": row.action,
            "detail": json.loads(row.detail),
            "prev": row.prev_hash,
            "hash": row.hash,
        }
        for row in rows
    ]
    return {"format": AUDIT_FORMAT, "case": case_id, "entries": entries}

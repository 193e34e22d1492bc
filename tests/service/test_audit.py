"""The audit log: append-only, hash-chained, verifiable by route and offline."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from servicekit import NORTH_PRIVATE, Service
from sqlalchemy import update
from typer.testing import CliRunner

from accord.cli.main import app
from accord.service.audit_chain import verify_export
from accord.service.models import AuditEntry


def _busy_case(service: Service) -> tuple[str, str]:
    case = service.open_case()
    north = service.invite(case, "north")
    service.call("PUT", f"/api/cases/{case}/parties/north/preferences", north, json=NORTH_PRIVATE)
    service.call(
        "PUT", f"/api/cases/{case}/parties/north/disclosure", north, json={"level": "mediator"}
    )
    service.call("POST", f"/api/cases/{case}/drafts", service.mediator, json={"suggest": True})
    return case, north


def test_every_change_is_logged_and_the_chain_verifies(service: Service) -> None:
    case, north = _busy_case(service)
    log = service.call("GET", f"/api/cases/{case}/audit", north).json()
    actions = [e["action"] for e in log["entries"]]
    assert actions == [
        "case opened",
        "invitation issued",
        "preferences submitted",
        "disclosure set",
        "draft circulated",
    ]
    assert log["entries"][2]["actor"] == "delegation:north"
    assert service.call("GET", f"/api/cases/{case}/audit/verify", north).json()["ok"] is True


def test_tampering_in_the_database_is_detected(service: Service) -> None:
    case, _ = _busy_case(service)
    with service.database.write() as session:
        session.execute(
            update(AuditEntry)
            .where(AuditEntry.case_id == case, AuditEntry.seq == 3)
            .values(actor="delegation:south")
        )
    verdict = service.call("GET", f"/api/cases/{case}/audit/verify", service.mediator).json()
    assert verdict["ok"] is False
    assert "entry 3" in verdict["problem"]


def test_removed_reordered_or_rewritten_exports_fail(service: Service) -> None:
    case, north = _busy_case(service)
    log = service.call("GET", f"/api/cases/{case}/audit", north).json()
    assert verify_export(log).ok
    removed = copy.deepcopy(log)
    del removed["entries"][1]
    reordered = copy.deepcopy(log)
    reordered["entries"][1], reordered["entries"][2] = (
        reordered["entries"][2],
        reordered["entries"][1],
    )
    truncated_then_grown = copy.deepcopy(log)
    truncated_then_grown["entries"][-1]["detail"]["draft"] = 9
    for broken in (removed, reordered, truncated_then_grown):
        assert not verify_export(broken).ok
    earlier = copy.deepcopy(log)
    earlier["entries"] = earlier["entries"][:3]
    assert verify_export(log, earlier).ok
    assert not verify_export(earlier, log).ok


@settings(max_examples=30)
@given(
    position=st.integers(0, 4),
    field=st.sampled_from(["at", "actor", "action", "prev"]),
    junk=st.text(min_size=1, max_size=5),
)
def test_any_change_to_any_entry_breaks_the_chain(position: int, field: str, junk: str) -> None:
    log = _SAMPLE_LOG
    changed = copy.deepcopy(log)
    changed["entries"][position][field] += junk
    assert not verify_export(changed).ok


def _sample_log() -> dict[str, Any]:
    from accord.service.audit_chain import AUDIT_FORMAT, GENESIS, entry_hash

    entries: list[dict[str, Any]] = []
    prev = GENESIS
    for seq in range(1, 6):
        entry = {
            "case": "c",
            "seq": seq,
            "at": f"2026-01-0{seq}",
            "actor": "mediator:m",
            "action": f"step {seq}",
            "detail": {"n": seq},
            "prev": prev,
        }
        entry["hash"] = prev = entry_hash(entry)
        entries.append(entry)
    return {"format": AUDIT_FORMAT, "case": "c", "entries": entries}


_SAMPLE_LOG = _sample_log()


def test_offline_verification_command(service: Service, tmp_path: Path) -> None:
    case, north = _busy_case(service)
    log = service.call("GET", f"/api/cases/{case}/audit", north).json()
    good = tmp_path / "audit.json"
    good.write_text(json.dumps(log))
    runner = CliRunner()
    result = runner.invoke(app, ["audit", "verify", str(good)])
    assert result.exit_code == 0, result.output
    assert "5 entries" in result.output
    log["entries"][0]["detail"]["title"] = "Something else"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(log))
    result = runner.invoke(app, ["audit", "verify", str(bad)])
    assert result.exit_code == 1
    assert "entry 1" in result.output
    not_json = tmp_path / "x.json"
    not_json.write_text("{")
    assert runner.invoke(app, ["audit", "verify", str(not_json)]).exit_code == 2

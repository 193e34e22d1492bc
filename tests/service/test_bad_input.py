"""Bad input: a clear JSON error with the right status, nothing stored, no traceback."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from servicekit import NORTH_PRIVATE, Service
from sqlalchemy import func, select, update

from accord.service.models import Case, Invitation, PreferenceVersion


def _cases(service: Service) -> int:
    with service.database.read() as session:
        return int(session.scalar(select(func.count()).select_from(Case)) or 0)


def _error(response: object, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    assert "Traceback" not in response.text  # type: ignore[attr-defined]
    body = response.json()["error"]  # type: ignore[attr-defined]
    assert set(body) == {"code", "message", "problems"}
    return dict(body)


def test_oversized_body_is_refused_and_nothing_stored(service: Service) -> None:
    before = _cases(service)
    huge = "x" * (300 * 1024)
    response = service.call(
        "POST", "/api/cases", service.mediator, json={"title": "t", "scenario": huge}
    )
    assert _error(response, 413)["code"] == "too_large"
    chunked = service.client.post(
        "/api/cases",
        headers={"Authorization": f"Bearer {service.mediator}"},
        content=iter([b"{" + b" " * 200_000, b" " * 200_000 + b"}"]),
    )
    _error(chunked, 413)
    assert _cases(service) == before


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"{not json", 422),
        (b'{"title": 5, "scenario": "harbour"}', 422),
        (b'{"title": "t"}', 422),
        (b'{"title": "t", "scenario": "harbour", "extra": 1}', 422),
        (b"[]", 422),
    ],
)
def test_malformed_or_mistyped_bodies(service: Service, body: bytes, status: int) -> None:
    before = _cases(service)
    response = service.client.post(
        "/api/cases",
        content=body,
        headers={"Authorization": f"Bearer {service.mediator}", "Content-Type": "application/json"},
    )
    assert _error(response, status)["problems"]
    assert _cases(service) == before


def test_invalid_scenario_has_located_problems(service: Service) -> None:
    text = "accord: 1\nid: x\ntitle: X\nparties:\n  - id: a\n    name: A\n    role: king\n"
    response = service.call(
        "POST", "/api/cases", service.mediator, json={"title": "t", "scenario": text}
    )
    problems = _error(response, 422)["problems"]
    assert any(p["line"] == 7 and "role" in p["path"] for p in problems), problems  # type: ignore[index, union-attr, operator, attr-defined]


def test_invalid_preferences_use_the_scenario_messages(service: Service) -> None:
    case = service.open_case()
    north = service.invite(case, "north")
    wrong = {**NORTH_PRIVATE, "values": {**NORTH_PRIVATE["values"], "fisheries": {"a": 1}}}
    response = service.call(
        "PUT", f"/api/cases/{case}/parties/north/preferences", north, json=wrong
    )
    problems = _error(response, 422)["problems"]
    assert [p["path"] for p in problems] == ["values.fisheries"], problems  # type: ignore[index, union-attr]
    typo = {**NORTH_PRIVATE, "salince": {}}
    response = service.call("PUT", f"/api/cases/{case}/parties/north/preferences", north, json=typo)
    assert "did you mean 'salience'" in str(_error(response, 422)["problems"])
    bad_type = service.call(
        "PUT", f"/api/cases/{case}/parties/north/disclosure", north, json={"level": "everyone"}
    )
    _error(bad_type, 422)
    with service.database.read() as session:
        assert session.scalar(select(func.count()).select_from(PreferenceVersion)) == 0


def test_unknown_ids_are_404(service: Service) -> None:
    case = service.open_case()
    m = service.mediator
    _error(service.call("GET", "/api/cases/0123456789abcdef", m), 404)
    _error(service.call("GET", f"/api/cases/{case}/parties/nobody/preferences", m), 404)
    _error(service.call("GET", f"/api/cases/{case}/drafts/7", m), 404)
    _error(service.call("GET", f"/api/cases/{case}/drafts/seven", m), 422)
    _error(service.call("POST", f"/api/cases/{case}/invitations", m, json={"party": "x"}), 404)


def test_expired_revoked_and_reissued_tokens_are_401(service: Service) -> None:
    case = service.open_case()
    first = service.invite(case, "north")
    second = service.invite(case, "north")  # re-issuing revokes the first
    assert _error(service.call("GET", f"/api/cases/{case}", first), 401)["code"] == "unauthorized"
    assert service.call("GET", f"/api/cases/{case}", second).status_code == 200
    with service.database.write() as session:
        session.execute(
            update(Invitation).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    assert "expired" in str(_error(service.call("GET", f"/api/cases/{case}", second), 401))
    third = service.invite(case, "south")
    service.call("DELETE", f"/api/cases/{case}/invitations/south", service.mediator)
    _error(service.call("GET", f"/api/cases/{case}", third), 401)
    from accord.service.accounts import revoke_mediator

    revoke_mediator(service.database, "mia")
    _error(service.call("GET", "/api/cases", service.mediator), 401)
    _error(service.call("GET", "/api/cases", "acm_" + "A" * 43), 401)
    response = service.client.get("/api/cases", headers={"Authorization": "Basic abc"})
    _error(response, 401)


def test_a_closed_case_keeps_its_record_and_loses_its_secrets(service: Service) -> None:
    case = service.open_case()
    north = service.invite(case, "north")
    service.call("PUT", f"/api/cases/{case}/parties/north/preferences", north, json=NORTH_PRIVATE)
    assert service.call("POST", f"/api/cases/{case}/close", service.mediator).status_code == 200
    _error(
        service.call(
            "PUT", f"/api/cases/{case}/parties/north/preferences", north, json=NORTH_PRIVATE
        ),
        409,
    )
    _error(service.call("GET", f"/api/cases/{case}/analysis", north), 409)
    _error(service.call("POST", f"/api/cases/{case}/close", service.mediator), 409)
    with service.database.read() as session:
        assert session.scalar(select(func.count()).select_from(PreferenceVersion)) == 0
        assert session.get(Case, case).estimates is None  # type: ignore[union-attr]
    assert service.call("GET", f"/api/cases/{case}/audit/verify", north).json()["ok"]
    assert service.call("DELETE", f"/api/cases/{case}", service.mediator).status_code == 200
    _error(service.call("GET", f"/api/cases/{case}", service.mediator), 404)

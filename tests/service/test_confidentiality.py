"""Confidentiality: every route of the OpenAPI document, with every role's token.

Roles: the case's mediator, each of its delegations (north, south), another case's
delegation, another mediator, no token and a malformed one. For each route and role the
status is checked against the access rules of issue 15, and no response body or log
line may hold a private value the caller is not entitled to: another delegation's
preference numbers and labels, utilities computed from them, its secret criticism
before the reveal, the mediator's estimates (to delegations), or anyone's token.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from servicekit import HARBOUR, NORTH_PRIVATE, SOUTH_PRIVATE, Service

import accord

SECRET_CRITICISM = "north secretly wants berths six"
PRIVATE = {
    "north": ["0.4123", "0.6789", "0.2468", "North's secret fallback", "North's secret red line"],
    "south": ["0.5791", "0.3579", "0.1357", "South's secret fallback"],
    "estimates": ["0.5926", "0.3141", "Mediator's guess"],
}
BODIES: dict[tuple[str, str], Any] = {
    ("POST", "/api/cases"): {"title": "Another", "scenario": HARBOUR},
    ("POST", "/api/cases/{case_id}/close"): None,
    ("DELETE", "/api/cases/{case_id}"): None,
    ("POST", "/api/cases/{case_id}/invitations"): {"party": "south"},
    ("DELETE", "/api/cases/{case_id}/invitations/{party}"): None,
    ("PUT", "/api/cases/{case_id}/parties/{party}/preferences"): "own",
    ("PUT", "/api/cases/{case_id}/parties/{party}/disclosure"): {"level": "private"},
    ("POST", "/api/cases/{case_id}/drafts"): {
        "points": [{"text": "Fees in the middle.", "settles": {"fees": "mid"}}]
    },
    ("POST", "/api/cases/{case_id}/drafts/{number}/responses"): {"accept": False},
}
MEDIATOR_ONLY = {
    ("POST", "/api/cases/{case_id}/close"),
    ("DELETE", "/api/cases/{case_id}"),
    ("POST", "/api/cases/{case_id}/invitations"),
    ("DELETE", "/api/cases/{case_id}/invitations/{party}"),
    ("GET", "/api/cases/{case_id}/estimates"),
    ("POST", "/api/cases/{case_id}/drafts"),
}
PARTY_ONLY = {
    ("PUT", "/api/cases/{case_id}/parties/{party}/preferences"),
    ("PUT", "/api/cases/{case_id}/parties/{party}/disclosure"),
    ("GET", "/api/cases/{case_id}/parties/{party}/preferences"),
}
ROLES = ["mediator", "north", "south", "outsider", "other-mediator", "none", "malformed"]


def _prepare(service: Service) -> dict[str, Any]:
    """A case with both preferences submitted, one draft, and north's secret answer."""
    case = service.open_case()
    tokens = {"mediator": service.mediator}
    tokens["north"], tokens["south"] = service.invite(case, "north"), service.invite(case, "south")
    for party, prefs in (("north", NORTH_PRIVATE), ("south", SOUTH_PRIVATE)):
        put = service.call(
            "PUT", f"/api/cases/{case}/parties/{party}/preferences", tokens[party], json=prefs
        )
        assert put.status_code == 200, put.text
    draft = service.call(
        "POST", f"/api/cases/{case}/drafts", service.mediator, json={"suggest": True}
    )
    assert draft.status_code == 201, draft.text
    answer = service.call(
        "POST",
        f"/api/cases/{case}/drafts/1/responses",
        tokens["north"],
        json={
            "accept": False,
            "criticism": [{"issue": "berths", "option": "six", "text": SECRET_CRITICISM}],
        },
    )
    assert answer.status_code == 201, answer.text
    return {"case": case, "tokens": tokens}


def _expected(method: str, template: str, role: str, party: str) -> set[int]:
    if template == "/api/health":
        return {200}
    if role in ("none", "malformed"):
        return {401}
    if template == "/api/cases":
        if method == "GET":
            return {200}
        return {201} if role.endswith("mediator") else {403}
    if role in ("outsider", "other-mediator"):
        return {404}
    key = (method, template)
    if key in MEDIATOR_ONLY:
        return {200, 201} if role == "mediator" else {403}
    if key in PARTY_ONLY:
        return {200} if role == party else {403}
    if template.endswith("/responses") and method == "POST":
        return {403} if role == "mediator" else {409} if role == "north" else {201}
    return {200}


def _forbidden_values(role: str, tokens: dict[str, str], extra: dict[str, list[str]]) -> list[str]:
    """What this caller must never see (responses were not revealed: north's is secret)."""
    values = [t for r, t in tokens.items() if r != role]
    for owner in ("north", "south"):
        if owner != role:
            values += PRIVATE[owner] + extra[owner]
    if role != "mediator":
        values += PRIVATE["estimates"]
    if role != "north":
        values.append(SECRET_CRITICISM)
    return values


def _utilities(party: str) -> list[str]:
    """Utilities only ``party``'s private numbers give (the analysis's solutions)."""
    scenario = accord.parse_scenario(HARBOUR)
    parties = []
    for p in scenario.parties:
        prefs = {"north": NORTH_PRIVATE, "south": SOUTH_PRIVATE}.get(p.id)
        parties.append(
            p.model_copy(
                update={
                    "preferences": None
                    if prefs is None
                    else accord.Scenario.model_validate(
                        {
                            "id": "x",
                            "title": "x",
                            "parties": [
                                {"id": p.id, "name": "x", "role": "principal", "preferences": prefs}
                            ],
                            "issues": [i.model_dump() for i in scenario.issues],
                        }
                    )
                    .parties[0]
                    .preferences
                }
            )
        )
    result = accord.analyze(scenario.model_copy(update={"parties": tuple(parties)}))
    values = [repr(s.point.utilities[party]) for s in result.solutions.values() if s is not None]
    return [v for v in values if len(v) >= 6]  # short ones ("0.7") also occur innocently


def _routes(service: Service) -> list[tuple[str, str]]:
    paths = service.client.get("/openapi.json").json()["paths"]
    return [(m.upper(), path) for path, item in paths.items() for m in item]


def _fill(template: str, case: str, party: str) -> str:
    return template.format(case_id=case, party=party, number=1)


def test_every_route_with_every_role(service: Service, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    shared = _prepare(service)
    outsider_case = service.open_case(title="Another case")
    extra = {"north": _utilities("north"), "south": _utilities("south")}
    tokens = {**shared["tokens"], "outsider": service.invite(outsider_case, "north")}
    from accord.service.accounts import add_mediator

    tokens["other-mediator"] = add_mediator(service.database, "other", None)
    routes = _routes(service)
    assert len(routes) >= 18, routes
    for method, template in routes:
        if method != "GET" and (method, template) not in BODIES:
            pytest.fail(f"no request body listed for {method} {template}")
        for party in ("north", "south") if "{party}" in template else ("north",):
            for role in ROLES:
                _check(service, shared, tokens, extra, (method, template, role, party))
    everything = [*tokens.values(), *PRIVATE["north"], *PRIVATE["south"], SECRET_CRITICISM]
    logged = "\n".join(record.getMessage() for record in caplog.records)
    leaked = [v for v in everything if re.search(re.escape(v), logged)]
    assert not leaked, f"private values in the logs: {leaked}"


def _check(
    service: Service,
    shared: dict[str, Any],
    tokens: dict[str, str],
    extra: dict[str, list[str]],
    request: tuple[str, str, str, str],
) -> None:
    method, template, role, party = request
    expected = _expected(method, template, role, party)
    # A request that may change the case gets a case of its own; refusals change nothing.
    changes = method != "GET" and not expected <= {401, 403, 404}
    state = _prepare(service) if changes else shared
    token = {"none": None, "malformed": "not-a-token"}.get(role, tokens.get(role))
    if role in ("north", "south", "mediator"):
        token = state["tokens"][role]
    body = BODIES.get((method, template))
    if body == "own":
        body = NORTH_PRIVATE if party == "north" else SOUTH_PRIVATE
    response = service.call(method, _fill(template, state["case"], party), token, json=body)
    where = f"{method} {template} as {role} (party {party})"
    assert response.status_code in expected, (
        f"{where}: {response.status_code} {response.text[:300]}"
    )
    if response.status_code >= 400:
        assert set(response.json()) == {"error"}, where
    if role == party and method == "PUT":
        return  # its own numbers, echoed to itself
    for value in _forbidden_values(role, {**tokens, **state["tokens"]}, extra):
        assert value not in response.text, f"{where}: leaks {value!r}"

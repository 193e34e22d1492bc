"""A case from start to end through the API, on each backend."""

from __future__ import annotations

from servicekit import NORTH_PRIVATE, SOUTH_PRIVATE, Service


def test_case_from_opening_to_agreement(service: Service) -> None:
    case = service.open_case()
    north, south = service.invite(case, "north"), service.invite(case, "south")
    assert service.call(
        "PUT", f"/api/cases/{case}/parties/north/preferences", north, json=NORTH_PRIVATE
    ).json() == {"party": "north", "version": 1}
    assert (
        service.call(
            "PUT", f"/api/cases/{case}/parties/south/preferences", south, json=SOUTH_PRIVATE
        ).status_code
        == 200
    )
    analysis = service.call("GET", f"/api/cases/{case}/analysis", north).json()
    assert analysis["inputs"] == {"north": "submitted", "south": "submitted", "port": "none"}
    assert analysis["zone"]["exists"] is True
    nash = next(s for s in analysis["solutions"] if s["name"] == "nash")
    assert set(nash["utilities"]) == {"north"}  # its own utility only
    mediator_view = service.call("GET", f"/api/cases/{case}/analysis", service.mediator).json()
    assert all(s["utilities"] == {} for s in mediator_view["solutions"])

    draft = service.call(
        "POST", f"/api/cases/{case}/drafts", service.mediator, json={"suggest": True}
    )
    assert draft.status_code == 201, draft.text
    number = draft.json()["number"]
    seen = service.call("GET", f"/api/cases/{case}/drafts/{number}", south).json()
    assert set(seen["evaluations"]) == {"south"}
    for token in (north, south):
        answer = service.call(
            "POST",
            f"/api/cases/{case}/drafts/{number}/responses",
            token,
            json={"accept": True, "criticism": []},
        )
        assert answer.status_code == 201, answer.text
    status = service.call("GET", f"/api/cases/{case}", north).json()
    assert status["status"] == "agreed"
    assert status["agreement"] == number
    verify = service.call("GET", f"/api/cases/{case}/audit/verify", south).json()
    assert verify["ok"] is True


def test_disclosure_widens_who_sees_numbers(service: Service) -> None:
    case = service.open_case()
    north, south = service.invite(case, "north"), service.invite(case, "south")
    prefs = f"/api/cases/{case}/parties/north/preferences"
    service.call("PUT", prefs, north, json=NORTH_PRIVATE)
    service.call("PUT", f"/api/cases/{case}/parties/south/preferences", south, json=SOUTH_PRIVATE)
    assert service.call("GET", prefs, service.mediator).status_code == 403
    assert service.call("GET", prefs, south).status_code == 403
    disclose = f"/api/cases/{case}/parties/north/disclosure"
    service.call("PUT", disclose, north, json={"level": "mediator"})
    seen = service.call("GET", prefs, service.mediator).json()
    assert seen["versions"][0]["preferences"]["reservation"]["value"] == 0.2468
    assert service.call("GET", prefs, south).status_code == 403
    analysis = service.call("GET", f"/api/cases/{case}/analysis", service.mediator).json()
    assert all(set(s["utilities"]) == {"north"} for s in analysis["solutions"])
    service.call("PUT", disclose, north, json={"level": "all"})
    assert service.call("GET", prefs, south).status_code == 200
    analysis = service.call("GET", f"/api/cases/{case}/analysis", south).json()
    assert all(set(s["utilities"]) == {"north", "south"} for s in analysis["solutions"])


def test_estimates_stand_in_until_a_delegation_submits(service: Service) -> None:
    case = service.open_case()
    north = service.invite(case, "north")
    before = service.call("GET", f"/api/cases/{case}/analysis", service.mediator).json()
    assert before["inputs"] == {"north": "estimate", "south": "estimate", "port": "none"}
    assert all(set(s["utilities"]) == {"north", "south"} for s in before["solutions"])
    own = service.call("GET", f"/api/cases/{case}/analysis", north).json()
    assert all(s["utilities"] == {} for s in own["solutions"])  # estimates: mediator only
    estimates = service.call("GET", f"/api/cases/{case}/estimates", service.mediator).json()
    assert estimates["estimates"]["north"]["reservation"]["value"] == 0.3141
    service.call("PUT", f"/api/cases/{case}/parties/north/preferences", north, json=NORTH_PRIVATE)
    after = service.call("GET", f"/api/cases/{case}/analysis", service.mediator).json()
    assert after["inputs"]["north"] == "submitted"


def test_answers_stay_secret_until_every_principal_answered(service: Service) -> None:
    case = service.open_case()
    north, south = service.invite(case, "north"), service.invite(case, "south")
    draft = service.call(
        "POST",
        f"/api/cases/{case}/drafts",
        service.mediator,
        json={"title": "One", "points": [{"text": "Fees stay low.", "settles": {"fees": "low"}}]},
    ).json()
    path = f"/api/cases/{case}/drafts/{draft['number']}/responses"
    service.call(
        "POST",
        path,
        north,
        json={
            "accept": False,
            "criticism": [
                {"issue": "berths", "option": "six"},
                {"issue": "fees", "text": "fine as is"},
            ],
        },
    )
    assert service.call("GET", path, south).json() == {
        "draft": 1,
        "revealed": False,
        "responses": {},
    }
    assert service.call("GET", path, service.mediator).json()["responses"] == {}
    assert set(service.call("GET", path, north).json()["responses"]) == {"north"}
    service.call("POST", path, south, json={"accept": True})
    shown = service.call("GET", path, service.mediator).json()
    assert shown["revealed"] is True
    assert shown["responses"]["north"]["criticism"][0] == {
        "issue": "berths",
        "option": "six",
        "text": None,
    }
    status = service.call("GET", f"/api/cases/{case}", north).json()
    assert status["status"] == "open"  # north did not accept
    assert status["drafts"][0]["revealed"] is True

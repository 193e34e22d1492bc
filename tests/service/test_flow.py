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

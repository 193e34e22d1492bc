"""Shared pieces of the service tests: the test scenario, private inputs, a client wrapper."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HARBOUR = (Path(__file__).parent / "harbour.yaml").read_text()


@dataclass
class Service:
    """An app over a migrated database, with a test client and one mediator."""

    client: Any
    database: Any
    vault: Any
    mediator: str
    url: str
    tokens: dict[str, str] = field(default_factory=dict)

    def call(self, method: str, path: str, token: str | None = None, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.client.request(method, path, headers=headers, **kwargs)

    def open_case(self, scenario: str = HARBOUR, title: str = "Harbour") -> str:
        response = self.call(
            "POST", "/api/cases", self.mediator, json={"title": title, "scenario": scenario}
        )
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    def invite(self, case: str, party: str) -> str:
        response = self.call(
            "POST", f"/api/cases/{case}/invitations", self.mediator, json={"party": party}
        )
        assert response.status_code == 201, response.text
        return str(response.json()["token"])


NORTH_PRIVATE = {
    "salience": {"fees": 0.7, "berths": 0.3},
    "values": {
        "fees": {"low": 1.0, "mid": 0.4123, "high": 0.0},
        "berths": {"two": 0.0, "four": 0.6789, "six": 1.0},
    },
    "red_lines": [{"when": {"fees": "high"}, "reason": "North's secret red line on fees"}],
    "reservation": {"value": 0.2468, "label": "North's secret fallback"},
}
SOUTH_PRIVATE = {
    "salience": {"fees": 0.4, "berths": 0.6},
    "values": {
        "fees": {"low": 0.0, "mid": 0.5791, "high": 1.0},
        "berths": {"two": 1.0, "four": 0.3579, "six": 0.0},
    },
    "reservation": {"value": 0.1357, "label": "South's secret fallback"},
}

"""The neutral site's computations on the private data, through the public API.

The scenario analysed is the case's public structure with, for each party, its latest
submitted preferences, else the mediator's estimate (said so in ``inputs``). The
analysis (:func:`accord.analyze`: zone of agreement, bargaining solutions — Nash 1950,
Kalai & Smorodinsky 1975, egalitarian, utilitarian) and each draft's review
(:func:`accord.frameworks.review_framework`) are computed once per new submission or
draft and stored encrypted; who may see which utility is decided in
:mod:`accord.service.access`. Single-text suggestions use the library's one-text
mediation step (:func:`accord.frameworks.mediate_text`, Fisher's procedure; Raiffa
1982, ch. 14) with the neutral site in the mediator's seat.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from accord.analysis.analyze import analyze
from accord.engine.compiled import compile_scenario
from accord.errors import AccordError
from accord.frameworks.draft import compile_draft
from accord.frameworks.mediation import mediate_text
from accord.frameworks.model import Framework, Point
from accord.frameworks.review import review_framework
from accord.model.scenario import Preferences, Role, Scenario

__all__ = ["ESTIMATE", "SUBMITTED", "compute", "private_scenario", "suggest_points"]

SUBMITTED = "submitted"
ESTIMATE = "estimate"
NONE = "none"


def private_scenario(
    public: Scenario, submitted: dict[str, Any], estimates: dict[str, Any]
) -> tuple[Scenario, dict[str, str]]:
    """The public structure with each party's submitted preferences, else its estimate."""
    parties, inputs = [], {}
    for party in public.parties:
        data, source = submitted.get(party.id), SUBMITTED
        if data is None:
            data, source = estimates.get(party.id), ESTIMATE
        inputs[party.id] = source if data is not None else NONE
        prefs = Preferences.model_validate(data) if data is not None else None
        parties.append(party.model_copy(update={"preferences": prefs}))
    return public.model_copy(update={"parties": tuple(parties)}), inputs


def framework_of(public: Scenario, number: int, text: dict[str, Any]) -> Framework:
    return Framework.model_validate(
        {
            "id": f"draft-{number}",
            "title": text.get("title") or f"Draft {number}",
            "scenario": public.id,
            "draft": number,
            "points": text["points"],
        }
    )


def _analysis(scenario: Scenario) -> dict[str, Any]:
    try:
        result = analyze(scenario)
    except AccordError as error:
        return {"error": str(error), "zone": None, "solutions": []}
    solutions = [
        {
            "name": name,
            "package": dict(solution.point.outcome),
            "acceptable": solution.point.acceptable,
            "utilities": dict(solution.point.utilities),
        }
        for name, solution in result.solutions.items()
        if solution is not None
    ]
    size = result.zopa.size
    exists = size is None or size > 0
    return {"error": None, "zone": {"exists": exists, "packages": size}, "solutions": solutions}


def _review(scenario: Scenario, framework: Framework) -> dict[str, Any]:
    try:
        review = review_framework(framework, scenario)
    except AccordError as error:
        return {"error": str(error), "parties": {}}
    parties = {
        r.party: {
            "utility": r.utility,
            "utility_range": list(r.utility_range),
            "reservation": r.reservation,
            "acceptable": r.acceptable,
            "possibly_acceptable": r.possibly_acceptable,
            "red_lines_crossed": [c.reason for c in r.red_lines_crossed],
            "blocking_points": list(r.blocking_points),
        }
        for r in review.parties
    }
    return {"error": None, "parties": parties}


def compute(
    public: Scenario,
    submitted: dict[str, Any],
    estimates: dict[str, Any],
    drafts: dict[int, dict[str, Any]],
) -> dict[str, Any]:
    """Everything the neutral site derives from the private inputs (to be stored sealed)."""
    scenario, inputs = private_scenario(public, submitted, estimates)
    return {
        "inputs": inputs,
        "analysis": _analysis(scenario),
        "reviews": {
            str(n): _review(scenario, framework_of(public, n, text)) for n, text in drafts.items()
        },
    }


def suggest_points(
    public: Scenario,
    submitted: dict[str, Any],
    estimates: dict[str, Any],
    last: dict[str, Any] | None,
) -> list[dict[str, Any]]:
    """The next single-text draft: one mediation round from the last draft's settlement."""
    scenario, _ = private_scenario(public, submitted, estimates)
    model = compile_scenario(scenario)
    principals = [
        model.party_index(p.id)
        for p in scenario.parties
        if p.role == Role.PRINCIPAL and p.preferences is not None
    ]
    if not principals:
        raise AccordError("no principal has submitted preferences or an estimate")
    settled = {} if last is None else compile_draft(framework_of(public, 1, last), model).settled
    try:
        result = mediate_text(
            model, principals, settled, 1, np.random.default_rng(0), knows_preferences=True
        )
    except ValueError as error:
        raise AccordError(str(error)) from None
    row = result.drafts[-1].row
    return [_point(scenario, issue, int(option)) for issue, option in enumerate(row)]


def _point(scenario: Scenario, issue_index: int, option_index: int) -> dict[str, Any]:
    issue = scenario.issues[issue_index]
    option = issue.options[option_index]
    text = f"{issue.title or issue.id}: {option.label or option.id}."
    return Point(id=issue.id, text=text, settles={issue.id: option.id}).model_dump(
        mode="json", exclude_defaults=True
    )

"""Stakeholder tables from accord scenarios: each scale-like issue becomes a 0..100 scale.

A scenario describes preferences as option values; the forecasting models need one
position per actor on a line. Every *ordered* issue, and every issue with exactly two
options (a two-point scale), becomes a scale with its options evenly spaced from 0 to
100 in the order listed. Each party with preferences and a capability contributes:

* **position**: the scale point of its preferred option (highest value; the first
  listed on ties);
* **salience**: its salience weight on the issue, normalised to sum to 1 over its
  issues (Bueno de Mesquita 1994 reads salience as the share of attention an issue gets);
* **capability**: its ``capability`` value.

Categorical issues with three or more options have no order and are left out, as are
parties without preferences or capability; the table's notes say so.
"""

from __future__ import annotations

import numpy as np

from accord.errors import AccordError
from accord.forecast.data import StakeholderTable
from accord.model.scenario import Issue, Party, Scenario

__all__ = ["scale_issues", "table_from_scenario"]


def scale_issues(scenario: Scenario) -> tuple[Issue, ...]:
    """The issues that form a scale: ordered ones and two-option ones."""
    return tuple(i for i in scenario.issues if i.ordered or len(i.options) == 2)


def _scale(issue: Issue) -> dict[str, float]:
    count = len(issue.options)
    if count == 1:
        return {issue.options[0].id: 0.0}
    return {option.id: 100.0 * k / (count - 1) for k, option in enumerate(issue.options)}


def _party_row(party: Party, issues: tuple[Issue, ...]) -> tuple[list[float], list[float]]:
    prefs = party.preferences
    assert prefs is not None
    weights = {issue: max(est.value, 0.0) for issue, est in prefs.salience.items()}
    total = sum(weights.values())
    positions: list[float] = []
    saliences: list[float] = []
    for issue in issues:
        values = prefs.values.get(issue.id, {})
        weight = weights.get(issue.id, 0.0) / total if total > 0 else 0.0
        if not values or weight <= 0:
            positions.append(np.nan)
            saliences.append(0.0)
            continue
        scale = _scale(issue)
        ranked = [o.id for o in issue.options if o.id in values]
        best = max(ranked, key=lambda o: values[o].value)
        positions.append(scale[best])
        saliences.append(weight)
    return positions, saliences


Row = tuple[list[float], list[float], float]


def _parties(
    scenario: Scenario, issues: tuple[Issue, ...], notes: list[str]
) -> tuple[list[str], list[Row]]:
    """Each party with preferences and a capability, as (positions, saliences, capability);
    the others are noted as left out."""
    actors: list[str] = []
    rows: list[Row] = []
    for party in scenario.parties:
        if party.preferences is None:
            notes.append(f"{party.id}: left out (no preferences)")
        elif party.capability is None:
            notes.append(f"{party.id}: left out (no capability)")
        else:
            positions, saliences = _party_row(party, issues)
            actors.append(party.id)
            rows.append((positions, saliences, float(party.capability.value)))
    if not actors:
        raise AccordError(
            f"scenario {scenario.id!r}: no party has both preferences and a capability, so "
            "there is nobody to forecast"
        )
    return actors, rows


def table_from_scenario(scenario: Scenario) -> StakeholderTable:
    """Map a scenario's scale-like issues and its parties to a stakeholder table."""
    issues = scale_issues(scenario)
    notes: list[str] = []
    skipped = [i.id for i in scenario.issues if i not in issues]
    if skipped:
        notes.append(f"issues left out (unordered, more than two options): {', '.join(skipped)}")
    if not issues:
        raise AccordError(
            f"scenario {scenario.id!r} has no ordered or two-option issue to forecast on"
        )
    actors, rows = _parties(scenario, issues, notes)
    position = np.array([r[0] for r in rows], dtype=np.float64)
    salience = np.array([r[1] for r in rows], dtype=np.float64)
    capability = np.repeat(np.array([[r[2]] for r in rows]), len(issues), axis=1)
    labels = {
        issue.id: tuple(
            (point, next(o.label or o.id for o in issue.options if o.id == option))
            for option, point in _scale(issue).items()
        )
        for issue in issues
    }
    return StakeholderTable(
        actors=tuple(actors),
        issues=tuple(i.id for i in issues),
        position=position,
        salience=salience,
        capability=capability,
        lower=np.zeros(len(issues)),
        upper=np.full(len(issues), 100.0),
        source=f"scenario {scenario.id}",
        notes=tuple(notes),
        scale_labels=labels,
    )

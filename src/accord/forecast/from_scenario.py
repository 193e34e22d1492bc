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

*Blocs* (parties sharing a ``bloc``) are one actor unless ``count_bloc_members``: in
the expected-utility model (Bueno de Mesquita 1994) capability is what a coalition
brings to bear, so three members sharing one profile would otherwise weigh three
times. The bloc actor, named after the bloc, takes its members' mean position (over
the members that take part in the issue) and mean salience, and the capability the
scenario's ``blocs`` section gives the bloc, else its members' mean capability. The
table's ``blocs`` (:class:`~accord.analysis.results.BlocCount`) says which was done.
"""

from __future__ import annotations

import numpy as np

from accord.analysis.blocs import bloc_count
from accord.analysis.results import BlocCount
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


def _bloc_row(
    scenario: Scenario, bloc: str, members: list[Party], issues: tuple[Issue, ...]
) -> Row | None:
    """A bloc as one actor: members' mean position and salience; the scenario's bloc
    capability, else the members' mean capability (None: no capability at all)."""
    rows = [_party_row(member, issues) for member in members]
    positions = np.array([r[0] for r in rows], dtype=np.float64)
    taking_part = ~np.isnan(positions)
    counts = taking_part.sum(axis=0)
    totals = np.where(taking_part, positions, 0.0).sum(axis=0)
    mean_position = np.where(counts > 0, totals / np.maximum(counts, 1), np.nan)
    mean_salience = np.array([r[1] for r in rows], dtype=np.float64).mean(axis=0)
    given = next((b.capability for b in scenario.blocs if b.name == bloc), None)
    capabilities = [m.capability.value for m in members if m.capability is not None]
    if given is None and not capabilities:
        return None
    capability = given.value if given is not None else float(np.mean(capabilities))
    return mean_position.tolist(), mean_salience.tolist(), float(capability)


def _bloc_actor(scenario: Scenario, bloc: str) -> str:
    """The actor name of a bloc: the bloc itself, unless a party has that id."""
    return bloc if bloc not in {p.id for p in scenario.parties} else f"bloc {bloc}"


def _actor(
    scenario: Scenario, party: Party, issues: tuple[Issue, ...], groups: dict[str, list[Party]]
) -> tuple[str, Row | None, str]:
    """The actor ``party`` is part of, its row (None: left out), and why left out."""
    if party.bloc is not None and party.bloc in groups:
        members = groups[party.bloc]
        name = _bloc_actor(scenario, party.bloc)
        row = _bloc_row(scenario, party.bloc, members, issues)
        return name, row, f"{name}: left out (no member has a capability)"
    if party.capability is None:
        return party.id, None, f"{party.id}: left out (no capability)"
    positions, saliences = _party_row(party, issues)
    return party.id, (positions, saliences, float(party.capability.value)), ""


def _parties(
    scenario: Scenario, issues: tuple[Issue, ...], notes: list[str], blocs: BlocCount
) -> tuple[list[str], list[Row]]:
    """Each actor — a party with preferences and a capability, or a bloc counted once —
    as (positions, saliences, capability); the others are noted as left out."""
    groups = {
        bloc: [scenario.party(m) for m in members]
        for bloc, members in (blocs.shared if blocs.counted == "once" else {}).items()
    }
    actors: list[str] = []
    rows: list[Row] = []
    for party in scenario.parties:
        if party.preferences is None:
            notes.append(f"{party.id}: left out (no preferences)")
            continue
        name, row, why = _actor(scenario, party, issues, groups)
        if name in actors or (row is None and why in notes):
            continue
        if row is None:
            notes.append(why)
        else:
            actors.append(name)
            rows.append(row)
    if not actors:
        raise AccordError(
            f"scenario {scenario.id!r}: no party has both preferences and a capability, so "
            "there is nobody to forecast"
        )
    return actors, rows


def table_from_scenario(scenario: Scenario, count_bloc_members: bool = False) -> StakeholderTable:
    """Map a scenario's scale-like issues and its parties to a stakeholder table; parties
    sharing a bloc are one actor unless ``count_bloc_members`` (module docstring)."""
    issues = scale_issues(scenario)
    notes: list[str] = []
    skipped = [i.id for i in scenario.issues if i not in issues]
    if skipped:
        notes.append(f"issues left out (unordered, more than two options): {', '.join(skipped)}")
    if not issues:
        raise AccordError(
            f"scenario {scenario.id!r} has no ordered or two-option issue to forecast on"
        )
    with_preferences = [p.id for p in scenario.parties if p.preferences is not None]
    blocs = bloc_count(scenario, with_preferences, count_bloc_members)
    actors, rows = _parties(scenario, issues, notes, blocs)
    notes += _bloc_note(scenario, blocs, dict(zip(actors, rows, strict=True)))
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
        blocs=blocs,
    )


def _bloc_note(scenario: Scenario, blocs: BlocCount, rows: dict[str, Row]) -> list[str]:
    """One line saying how blocs were counted (none when no bloc has two members)."""
    names = {p.id: p.name for p in scenario.parties}
    if blocs.counted != "once":
        line = blocs.sentence("", names, unit="an actor")
        return [line] if line else []
    given = {b.name for b in scenario.blocs if b.capability is not None}
    parts = []
    for bloc in blocs.shared:
        source = "given in the scenario's blocs" if bloc in given else "its members' mean"
        row = rows.get(_bloc_actor(scenario, bloc))
        if row is not None:
            parts.append(f"capability {row[2]:.3g} for {bloc} ({source})")
    how = "each is one actor with its members' mean position and salience, " + ", ".join(parts)
    line = blocs.sentence(how, names, unit="an actor")
    return [line] if line and parts else []

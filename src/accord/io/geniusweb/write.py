"""Writing GeniusWeb JSON: a domain file and one profile per party with preferences.

A party without interaction terms becomes a ``LinearAdditiveUtilitySpace``: GeniusWeb
requires weights summing to 1, so accord's weights (see
:func:`accord.io.genius.export.genius_weights`) are divided by their sum T (written as
decimals that sum to exactly 1); when T ≠ 1 every utility is divided by T, which is
reported. A party with interaction terms becomes a ``SumOfGroupsUtilitySpace`` when
the structure allows: the issues linked by interactions form one group, whose util for
each combination is its additive part plus the matching bonuses; this needs every util
in [0, 1] and the largest total at most 1 (GeniusWeb's rule). Otherwise the party is
written linear additive without its interactions, and that is reported.

GeniusWeb has no reservation value, only a reservation bid: the bid written is the one
with the lowest utility at or above the reservation value, so the bids acceptable to
GeniusWeb are exactly those accord finds acceptable (red lines aside). Red lines,
roles, channels, evidence and ranges are reported as dropped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import product
from typing import Any

import numpy as np

from accord.engine.compiled import compile_scenario
from accord.errors import AccordError
from accord.io.genius.export import domain_file_name, genius_weights, profile_file_stem
from accord.model.scenario import Interaction, Party, Preferences, Scenario

__all__ = ["MAX_GROUP_COMBINATIONS", "MAX_OUTCOMES", "GeniusWebExport", "export_geniusweb"]

MAX_GROUP_COMBINATIONS = 10_000
MAX_OUTCOMES = 2_000_000


@dataclass
class GeniusWebExport:
    """The files (name → JSON text) and what GeniusWeb cannot hold."""

    files: dict[str, str] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)


def export_geniusweb(scenario: Scenario) -> GeniusWebExport:
    """The GeniusWeb domain (``DOMAIN.json``) and one profile per party with preferences."""
    result = GeniusWebExport()
    parties = [p for p in scenario.parties if p.preferences is not None]
    if not parties:
        raise AccordError(f"scenario {scenario.id!r}: no party has preferences to export")
    domain = {
        "name": scenario.id,
        "issuesValues": {i.id: {"values": list(i.option_ids())} for i in scenario.issues},
    }
    result.files[domain_file_name(parties).replace(".xml", ".json")] = _dumps(domain)
    for party in parties:
        profile = _profile(scenario, party, domain, result.dropped)
        result.files[f"{profile_file_stem(party)}.json"] = _dumps(profile)
    for party in scenario.parties:
        if party.preferences is None:
            result.dropped.append(f"party {party.id!r} ({party.role.value}, no preferences)")
        elif party.preferences.red_lines:
            result.dropped.append(f"{party.id}: {len(party.preferences.red_lines)} red lines")
    if scenario.channels.pairs or not scenario.channels.default:
        result.dropped.append("channels")
    if scenario.sources:
        result.dropped.append("sources, evidence and assumptions")
    return result


def _profile(
    scenario: Scenario, party: Party, domain: dict[str, Any], dropped: list[str]
) -> dict[str, Any]:
    prefs = party.preferences
    assert prefs is not None
    name = party.id
    groups = _groups(scenario, prefs) if prefs.interactions else None
    if prefs.interactions and groups is None:
        dropped.append(
            f"{party.id}: {len(prefs.interactions)} interactions (a negative or above-1 group "
            "util, or too many combinations, for a SumOfGroupsUtilitySpace)"
        )
    scale = 1.0
    if groups is not None:
        body: dict[str, Any] = {"domain": domain, "name": name, "partUtilities": groups}
        kind = "SumOfGroupsUtilitySpace"
    else:
        weights, scale = _weights(scenario, prefs)
        if abs(scale - 1.0) > 1e-12:
            dropped.append(f"{party.id}: weights sum to {scale:g}; utilities divided by it")
        body = {
            "domain": domain,
            "name": name,
            "issueUtilities": {
                i.id: {"DiscreteValueSetUtilities": {"valueUtilities": _values(prefs, i.id, i)}}
                for i in scenario.issues
            },
            "issueWeights": weights,
        }
        kind = "LinearAdditiveUtilitySpace"
    body["reservationBid"] = _reservation_bid(scenario, party, groups is not None, dropped)
    return {kind: body}


def _values(prefs: Preferences, issue_id: str, issue: Any) -> dict[str, float]:
    table = prefs.values.get(issue_id, {})
    return {o: table[o].value if o in table else 0.0 for o in issue.option_ids()}


def _weights(scenario: Scenario, prefs: Preferences) -> tuple[dict[str, Decimal], float]:
    """Weights summing to exactly 1 as decimals, and the sum T they were divided by."""
    raw = genius_weights(scenario, prefs)
    total = sum(raw.values())
    decimals = {issue: Decimal(repr(w / total)) for issue, w in raw.items()}
    last = max(decimals, key=lambda issue: decimals[issue])
    decimals[last] = Decimal(1) - sum(d for issue, d in decimals.items() if issue != last)
    return decimals, total


def _components(scenario: Scenario, interactions: tuple[Interaction, ...]) -> list[list[str]]:
    """Issues linked by interaction conditions, in scenario order (union–find)."""
    parent = {issue.id: issue.id for issue in scenario.issues}

    def root(issue: str) -> str:
        while parent[issue] != issue:
            issue = parent[issue]
        return issue

    for term in interactions:
        first, *rest = term.when
        for other in rest:
            parent[root(other)] = root(first)
    groups: dict[str, list[str]] = {}
    for issue in scenario.issues:
        groups.setdefault(root(issue.id), []).append(issue.id)
    return list(groups.values())


def _groups(scenario: Scenario, prefs: Preferences) -> dict[str, Any] | None:
    """``partUtilities`` holding the same utility, or None when GeniusWeb cannot."""
    weights = genius_weights(scenario, prefs)
    parts: dict[str, Any] = {}
    best_total = 0.0
    for members in _components(scenario, prefs.interactions):
        options = [scenario.issue(i).option_ids() for i in members]
        if int(np.prod([len(o) for o in options])) > MAX_GROUP_COMBINATIONS:
            return None
        rows: list[dict[str, Any]] = []
        utils: list[float] = []
        for combo in product(*options):
            chosen = dict(zip(members, combo, strict=True))
            util = sum(
                weights[i] * _values(prefs, i, scenario.issue(i))[o] for i, o in chosen.items()
            )
            util += sum(
                t.value
                for t in prefs.interactions
                if set(t.when) <= set(members) and all(chosen[i] in t.when[i] for i in t.when)
            )
            if not 0.0 <= util <= 1.0:
                return None
            rows.append({"values": list(combo), "util": util})
            utils.append(util)
        best_total += max(utils)
        parts["+".join(members)] = {"partsutils": {"issues": members, "utilslist": rows}}
    return parts if best_total <= 1.0 else None


def _reservation_bid(
    scenario: Scenario, party: Party, with_interactions: bool, dropped: list[str]
) -> dict[str, Any] | None:
    """The bid of lowest utility at or above the reservation value (None: every bid is)."""
    prefs = party.preferences
    assert prefs is not None
    if not with_interactions:
        prefs = prefs.model_copy(update={"interactions": ()})
    single = scenario.model_copy(
        update={"parties": (party.model_copy(update={"preferences": prefs}),)}
    )
    model = compile_scenario(single)
    if model.n_outcomes > MAX_OUTCOMES:
        dropped.append(f"{party.id}: reservation value (too many outcomes to choose a bid)")
        return None
    options = model.decode(np.arange(model.n_outcomes, dtype=np.int64))
    utilities = model.utilities(options)[:, 0]
    reservation = prefs.reservation.value
    if reservation <= utilities.min():
        return None
    above = np.flatnonzero(utilities >= reservation)
    if above.size == 0:
        dropped.append(f"{party.id}: reservation value above every outcome (best bid written)")
        above = np.asarray([int(np.argmax(utilities))])
    chosen = above[np.argmin(utilities[above])]
    return {"issuevalues": model.describe(options[chosen])}


def _dumps(data: Any) -> str:
    """JSON with decimals written exactly (GeniusWeb reads numbers as BigDecimal)."""
    return _encode(data) + "\n"


def _encode(data: Any) -> str:
    if isinstance(data, dict):
        return "{" + ",".join(f"{json.dumps(k)}:{_encode(v)}" for k, v in data.items()) + "}"
    if isinstance(data, list):
        return "[" + ",".join(_encode(v) for v in data) + "]"
    if isinstance(data, Decimal):
        return str(data)
    if isinstance(data, float):
        return repr(data)
    return json.dumps(data)

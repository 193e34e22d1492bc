"""Export an accord scenario as a GENIUS domain folder (the inverse of the import).

GENIUS (``genius.core.utility.AdditiveUtilitySpace``) computes u = Σ_i w_i·e_i(x_i)/max_i,
clamped at 1, where ``max_i`` is the largest evaluation of issue *i*
(``EvaluatorDiscrete``). accord's additive part is u = Σ_i w_i·v_i (weights divided by
their sum unless ``utility.normalize_salience`` is false). So each issue is written
with evaluations ``v / max(v)`` (so the largest is exactly 1 and GENIUS's division by it,
or its rule that a maximum below 1e-5 zeroes the issue, changes nothing) and weight
``w·max(v)``: the import gives back the same utility for every package, up to the
rounding of one division and one product.
Every issue is written ``discrete`` (integer issues read from GENIUS have one option per
integer, which a discrete issue holds exactly).

What GENIUS cannot hold — red lines, interactions, evidence and assumptions, channels,
roles other than a negotiating party, blocs, capabilities, ranges, the reference
outcome — is listed in :attr:`GeniusExport.dropped` and kept in a side file
(``accord-extras.yaml``) beside the XML, so nothing is lost silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from accord.errors import AccordError
from accord.io.genius.names import clean_id
from accord.io.scenario_file import scenario_to_data
from accord.model.scenario import Issue, Party, Preferences, Role, Scenario

__all__ = [
    "EXTRAS_FILE",
    "GeniusExport",
    "domain_file_name",
    "export_genius",
    "genius_weights",
    "profile_file_stem",
]

EXTRAS_FILE = "accord-extras.yaml"
"""The side file that keeps what GENIUS XML cannot hold."""

_UNSAFE_FILE = re.compile(r"[\\/:*?\"<>|\x00-\x1f]")


@dataclass
class GeniusExport:
    """The files of a GENIUS domain folder (name → XML text), what was dropped, and
    the side data that keeps it (``None`` when nothing was dropped)."""

    files: dict[str, str] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)
    extras: dict[str, Any] | None = None


def export_genius(scenario: Scenario) -> GeniusExport:
    """The GENIUS domain folder of ``scenario``: one domain XML and one profile XML per
    party with preferences (named by the party id); :class:`AccordError` when no party
    has preferences or a party id cannot be a file name."""
    result = GeniusExport()
    parties = [p for p in scenario.parties if p.preferences is not None]
    if not parties:
        raise AccordError(f"scenario {scenario.id!r}: no party has preferences to export")
    _check_ids(scenario, result.dropped)
    domain_name = domain_file_name(parties)
    result.files[domain_name] = _xml(_domain(scenario))
    for party in parties:
        assert party.preferences is not None
        result.files[f"{profile_file_stem(party)}.xml"] = _xml(
            _profile(scenario, party.preferences)
        )
    _collect_dropped(scenario, result)
    return result


def _check_ids(scenario: Scenario, dropped: list[str]) -> None:
    names = [issue.id for issue in scenario.issues]
    names += [o.id for issue in scenario.issues for o in issue.options]
    for name in names:
        if clean_id(name) != name:
            dropped.append(f"id {name!r} reads back from GENIUS as {clean_id(name)!r}")


def profile_file_stem(party: Party) -> str:
    """The party id as a file name (refused when it cannot be one)."""
    if _UNSAFE_FILE.search(party.id) or party.id.startswith(".") or len(party.id) > 200:
        raise AccordError(
            f"party id {party.id!r} cannot be a GENIUS profile file name (GENIUS names a "
            "party by its file): rename the party"
        )
    return party.id


def domain_file_name(parties: list[Party]) -> str:
    """``domain.xml``, or ``_domain.xml`` (and so on) when a party is named ``domain``."""
    stems = {p.id for p in parties}
    stem = "domain"
    while stem in stems:
        stem = f"_{stem}"
    return f"{stem}.xml"


def _issue_text(issue: Issue) -> str:
    """The name written: the title when it reads back as the id (an imported name with
    stray whitespace), else the id."""
    title = issue.title
    return title if title is not None and clean_id(title) == issue.id else issue.id


def _option_texts(issue: Issue) -> list[str]:
    return [
        o.label if o.label is not None and clean_id(o.label) == o.id else o.id
        for o in issue.options
    ]


def _objective(root: Element) -> Element:
    space = SubElement(root, "utility_space") if root.tag != "utility_space" else root
    return SubElement(
        space, "objective", index="0", etype="objective", type="objective", name="root"
    )


def _issue_element(parent: Element, issue: Issue, index: int) -> Element:
    return SubElement(
        parent,
        "issue",
        index=str(index),
        etype="discrete",
        type="discrete",
        vtype="discrete",
        name=_issue_text(issue),
    )


def _domain(scenario: Scenario) -> Element:
    root = Element("negotiation_template")
    objective = _objective(root)
    root[0].set("number_of_issues", str(len(scenario.issues)))
    for index, issue in enumerate(scenario.issues, start=1):
        element = _issue_element(objective, issue, index)
        for number, text in enumerate(_option_texts(issue), start=1):
            SubElement(element, "item", index=str(number), value=text)
    return root


def genius_weights(scenario: Scenario, preferences: Preferences) -> dict[str, float]:
    """The weight accord applies to each issue (negative saliences count as 0; divided
    by their sum when ``normalize_salience``), every issue included."""
    weights = {
        i.id: max(preferences.salience[i.id].value, 0.0) if i.id in preferences.salience else 0.0
        for i in scenario.issues
    }
    if scenario.utility.normalize_salience:
        total = sum(weights.values())
        weights = {issue: w / total for issue, w in weights.items()}
    return weights


def _profile(scenario: Scenario, preferences: Preferences) -> Element:
    root = Element("utility_space")
    objective = _objective(root)
    weights = genius_weights(scenario, preferences)
    written: list[tuple[int, float]] = []
    for index, issue in enumerate(scenario.issues, start=1):
        values = preferences.values.get(issue.id, {})
        evaluations = [values[o.id].value if o.id in values else 0.0 for o in issue.options]
        top = max(evaluations)
        if top > 0:  # largest evaluation exactly 1: GENIUS's division leaves them as written
            evaluations = [value / top for value in evaluations]
        else:
            top = 1.0
        element = _issue_element(objective, issue, index)
        for number, (text, value) in enumerate(
            zip(_option_texts(issue), evaluations, strict=True), start=1
        ):
            SubElement(element, "item", index=str(number), value=text, evaluation=repr(value))
        written.append((index, weights[issue.id] * top))
    for index, weight in written:
        SubElement(objective, "weight", index=str(index), value=repr(weight))
    SubElement(root, "reservation", value=repr(preferences.reservation.value))
    SubElement(root, "discount_factor", value="1.0")
    return root


def _xml(root: Element) -> str:
    indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode") + "\n"


def _collect_dropped(scenario: Scenario, result: GeniusExport) -> None:
    """What the XML cannot hold, said in words and kept in the side data."""
    data = scenario_to_data(scenario)
    dropped = result.dropped
    cap = scenario.utility.cap
    if cap not in (None, 1.0) or (cap is None and not scenario.utility.normalize_salience):
        shown = "none" if cap is None else f"{cap:g}"
        dropped.append(f"utility cap {shown} (GENIUS clamps every utility at 1)")
    for party in scenario.parties:
        prefs = party.preferences
        if prefs is None:
            dropped.append(f"party {party.id!r} ({party.role.value}, no preferences)")
            continue
        if party.role is not Role.PRINCIPAL or party.also:
            dropped.append(f"{party.id}: role {party.role.value}")
        for what, count in (
            ("interactions", len(prefs.interactions)),
            ("red lines", len(prefs.red_lines)),
        ):
            if count:
                dropped.append(f"{party.id}: {count} {what}")
        if any(v.range is not None for v in prefs.salience.values()) or any(
            v.range is not None for values in prefs.values.values() for v in values.values()
        ):
            dropped.append(f"{party.id}: uncertainty ranges")
    if scenario.channels.pairs or not scenario.channels.default:
        dropped.append("channels")
    if scenario.reference is not None:
        dropped.append("reference outcome")
    if scenario.blocs or any(p.bloc or p.capability for p in scenario.parties):
        dropped.append("blocs and capabilities")
    if scenario.sources:
        dropped.append("sources, evidence and assumptions")
    result.dropped = list(dict.fromkeys(dropped))
    if result.dropped:
        result.extras = {
            "note": "What GENIUS XML cannot hold; the whole accord scenario is under "
            "`scenario`. Import the XML with `accord import genius`.",
            "dropped": result.dropped,
            "scenario": data,
        }

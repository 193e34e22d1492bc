"""Golden and behavioural tests of the built-in Berlin scenario's analysis.

Regenerate the golden file after an intended change with
``ACCORD_UPDATE_GOLDEN=1 .venv/bin/pytest tests/integration/test_berlin.py``.
"""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path

import numpy as np
import pytest

from accord import analysis_to_data, analyze, compile_scenario, load_scenario
from accord.frameworks.load import builtin_frameworks, load_framework
from accord.model.scenario import Citation, Party, Preferences, Role
from accord.model.walk import walk
from accord.model.whatif import lift_red_lines
from compare import assert_close
from shared import shared_dir

GOLDEN = Path(__file__).parent / "golden" / "berlin-2025-analysis.json"


def test_golden_analysis() -> None:
    data = analysis_to_data(analyze(load_scenario("berlin-2025")))
    if os.environ.get("ACCORD_UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert_close(data, json.loads(GOLDEN.read_text(encoding="utf-8")))


def test_stated_positions_leave_no_zone_and_the_donbas_is_why() -> None:
    result = analyze(load_scenario("berlin-2025"))
    assert result.parties == ("ukraine", "russia")
    assert result.outcome_count == 3 * 5 * 4 * 2 * 2 * 2
    assert result.zopa.size == 0
    reasons = {(r.party, r.kind): r for r in result.zopa.reasons}
    # Kyiv prefers the war to any deal that gives up the rest of the Donbas (its reservation
    # lies above every such package), Moscow demands that withdrawal: the two collide.
    assert set(reasons) == {("ukraine", "reservation"), ("russia", "red_line")}
    assert "Donbas" in reasons["russia", "red_line"].description
    assert reasons["russia", "red_line"].assumed, "the collision rests on a reading of a demand"
    assert all(r.evidence for r in result.zopa.reasons), "each collision cites the report"
    assert reasons["russia", "red_line"].zopa_if_dropped > 0


def test_the_zone_opens_only_if_moscow_drops_the_donbas_demand() -> None:
    scenario = load_scenario("berlin-2025")
    opened = analyze(lift_red_lines(scenario, [("russia", 3)])[0])
    assert opened.zopa.size > 0
    nash = opened.solutions["nash"]
    assert nash is not None
    assert nash.point.outcome["line"] == "current"
    assert nash.point.outcome["guarantees"] in ("bilateral", "article5", "both")
    assert analyze(lift_red_lines(scenario, [("ukraine", 1)])[0]).zopa.size == 0


def test_nato_for_binding_guarantees_is_a_trade_ukraine_accepts() -> None:
    scenario = load_scenario("berlin-2025")
    result = analyze(scenario, parties=["ukraine", "united-states", "germany"])
    assert result.zopa.size > 0
    nash = result.solutions["nash"]
    assert nash is not None
    assert nash.point.acceptable
    assert nash.point.outcome["line"] == "current"
    if nash.point.outcome["nato"] == "renounced":
        assert nash.point.outcome["guarantees"] in ("bilateral", "article5", "both")


def test_every_red_line_of_the_principals_cites_the_report() -> None:
    scenario = load_scenario("berlin-2025")
    for party in scenario.principals():
        assert party.preferences is not None
        for line in party.preferences.red_lines:
            assert line.evidence
            assert all(c.source == "berlin-report" for c in line.evidence)
            assert all(c.quote for c in line.evidence)


def test_quotes_are_verbatim_from_the_source() -> None:
    source_file = shared_dir("sources", "000_48c286753a22fe65.txt")
    if not source_file.exists():
        pytest.skip("../shared/sources is not beside this checkout (it is in CI)")
    text = " ".join(source_file.read_text(encoding="utf-8").split())
    scenario = load_scenario("berlin-2025")
    quotes = [node.quote for node, _ in walk(scenario) if isinstance(node, Citation)]
    assert quotes
    for quote in quotes:
        assert quote is not None
        assert " ".join(quote.split()) in text, quote


def test_channels_forbid_direct_talks_between_kyiv_and_moscow() -> None:
    scenario = load_scenario("berlin-2025")
    assert not scenario.talks_directly("ukraine", "russia")
    assert scenario.talks_directly("united-states", "ukraine")
    assert scenario.talks_directly("united-states", "russia")
    assert not scenario.talks_directly("germany", "russia"), "the report shows no such talks"
    assert not scenario.talks_directly("canada", "ukraine")


# The readings below pin what the scenario says it assumes (issue 10, section 8): each
# statement of the report that the model reads beyond its words carries an `assumed`
# mark, and the numbers agree with the readings they state.

BERLIN = load_scenario("berlin-2025")


def _preferences(party_id: str) -> Preferences:
    preferences = BERLIN.party(party_id).preferences
    assert preferences is not None
    return preferences


def _quotes(citations: tuple[Citation, ...]) -> str:
    return " ".join(" ".join((c.quote or "").split()) for c in citations)


@pytest.mark.parametrize(("index", "verb"), [(0, "demanded"), (1, "insisted"), (2, "called on")])
def test_each_of_moscows_demands_is_a_red_line_only_by_a_stated_reading(
    index: int, verb: str
) -> None:
    red_lines = _preferences("russia").red_lines
    assert len(red_lines) == 3
    line = red_lines[index]
    assert verb in _quotes(line.evidence), "the report's own word for the demand"
    assert line.assumed is not None
    assert f'"{verb}"' in line.assumed
    assert "opening position" in line.assumed


def test_the_empty_zone_says_it_rests_on_a_reading_of_a_demand() -> None:
    result = analyze(BERLIN)
    assert result.zopa.size == 0
    russia = [r for r in result.zopa.reasons if r.party == "russia"]
    assert russia
    assert all(r.assumed and "opening position" in r.assumed for r in russia)
    assert all(r.assumed for r in result.zopa.reasons), "every constraint says its reading"


def test_the_united_states_as_mediator_is_marked_as_an_inference() -> None:
    united_states = BERLIN.party("united-states")
    assert united_states.has_role(Role.MEDIATOR)
    assert united_states.assumed is not None
    assert "inference" in united_states.assumed
    quotes = _quotes(united_states.evidence)
    assert "pressure on Kyiv" in quotes
    assert "Kushner" in quotes
    listed = analyze(BERLIN, parties=["ukraine", "united-states"]).assumptions
    assert any(a.path == "united-states: role" for a in listed)


@pytest.mark.parametrize("party", list(BERLIN.parties), ids=lambda p: p.id)
def test_every_role_cites_the_report_or_is_marked_assumed(party: Party) -> None:
    assert party.evidence or party.assumed, f"{party.id}: what does its role rest on?"
    if party.has_role(Role.GUARANTOR):  # Kyiv asks them; the report says none has agreed
        assert party.assumed is not None
        assert "Guarantor" in party.assumed


@pytest.mark.parametrize("party_id", ["germany", "france", "united-kingdom", "united-states"])
def test_partners_who_did_not_support_membership_do_not_prefer_it(party_id: str) -> None:
    nato = _preferences(party_id).values["nato"]
    assert nato["pursue"].value < min(nato["deferred"].value, nato["renounced"].value)
    assert "did not support this direction" in _quotes(nato["pursue"].evidence)
    assert nato["pursue"].assumed, "which partners the report does not say"


def _ukraine_view() -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    model = compile_scenario(BERLIN)
    options = model.decode(np.arange(model.n_outcomes))
    ukraine = model.party_index("ukraine")
    evaluation = model.evaluate(options, [ukraine])
    guarantees = model.option_ids[model.issue_ids.index("guarantees")]
    kind = np.asarray(guarantees)[options[:, model.issue_ids.index("guarantees")]]
    return evaluation.utilities[:, 0], evaluation.crossed[:, 0], kind, _reservation("ukraine")


def _reservation(party_id: str) -> float:
    return _preferences(party_id).reservation.value


@pytest.mark.parametrize("kind", ["none", "political"])
def test_ukraine_prefers_the_war_to_any_deal_without_binding_guarantees(kind: str) -> None:
    """The reservation's stated reading: no agreement is better for Kyiv than a deal
    without guarantees (or with vague political assurances only)."""
    utilities, crossed, guarantees, reservation = _ukraine_view()
    without = (guarantees == kind) & ~crossed
    assert without.sum() == 32, "the packages the reading is about"
    assert (utilities[without] < reservation - 1e-9).all()
    assert "without legally binding guarantees" in (
        _preferences("ukraine").reservation.assumed or ""
    )


def test_ukraine_accepts_some_deals_with_binding_guarantees() -> None:
    utilities, crossed, guarantees, reservation = _ukraine_view()
    acceptable = (utilities >= reservation) & ~crossed
    assert acceptable.any()
    assert set(guarantees[acceptable]) <= {"bilateral", "article5", "both"}


def test_guarantees_can_be_bilateral_and_multilateral_together() -> None:
    options = {o.id: o for o in BERLIN.issue("guarantees").options}
    assert {"bilateral", "article5", "both"} <= set(options)
    assert "bilateral and multilateral" in _quotes(options["both"].evidence)
    values = _preferences("ukraine").values["guarantees"]
    assert max(values, key=lambda option: values[option].value) == "both"
    assert "bilateral and multilateral" in _quotes(values["both"].evidence)


def test_every_issue_and_option_cites_the_report_or_is_marked_assumed() -> None:
    for issue in BERLIN.issues:
        assert issue.evidence or issue.assumed, issue.id
        for option in issue.options:
            unnamed = not option.evidence and option.assumed is None
            assert not unnamed or option.id == "none", (issue.id, option.id)


def test_every_channel_cites_the_report_or_is_marked_assumed() -> None:
    channels = BERLIN.channels
    assert channels.default is False
    assert channels.assumed, "that unlisted pairs do not talk is a stated reading"
    for pair in channels.pairs:
        assert pair.evidence or pair.assumed, pair.between
    listed = {frozenset(pair.between) for pair in channels.pairs}
    ids = [p.id for p in BERLIN.parties]
    for a, b in itertools.combinations(ids, 2):
        if frozenset((a, b)) not in listed:
            assert not BERLIN.talks_directly(a, b), (a, b)


def test_every_number_of_every_party_cites_the_report_or_is_marked_assumed() -> None:
    with_preferences = [p.id for p in BERLIN.parties if p.preferences is not None]
    assert analyze(BERLIN, parties=with_preferences).unsupported == ()


@pytest.mark.parametrize("name", sorted(builtin_frameworks()))
def test_every_point_of_the_drafts_cites_the_report_or_is_marked_assumed(name: str) -> None:
    framework, _ = load_framework(name)
    for point in framework.points:
        assert point.evidence or point.assumed, (name, point.id)
    assert framework.description, "what the draft is, and what it is not"


def test_the_berlin_draft_asks_for_both_kinds_of_guarantee() -> None:
    framework, _ = load_framework("berlin-2025-berlin-draft")
    assert framework.settlement()["guarantees"][0] == "both"

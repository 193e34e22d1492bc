"""Golden and behavioural tests of the built-in Berlin scenario's analysis.

Regenerate the golden file after an intended change with
``ACCORD_UPDATE_GOLDEN=1 .venv/bin/pytest tests/integration/test_berlin.py``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from accord import analysis_to_data, analyze, load_scenario
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
    assert result.outcome_count == 3 * 4 * 4 * 2 * 2 * 2
    assert result.zopa.size == 0
    reasons = {(r.party, r.kind) for r in result.zopa.reasons}
    assert reasons == {("ukraine", "red_line"), ("russia", "red_line")}
    assert all("Donbas" in r.description for r in result.zopa.reasons)
    assert all(r.evidence for r in result.zopa.reasons), "each collision cites the report"
    assert all(r.zopa_if_dropped > 0 for r in result.zopa.reasons)


def test_nato_for_binding_guarantees_is_a_trade_ukraine_accepts() -> None:
    scenario = load_scenario("berlin-2025")
    result = analyze(scenario, parties=["ukraine", "united-states", "germany"])
    assert result.zopa.size > 0
    nash = result.solutions["nash"]
    assert nash is not None
    assert nash.point.acceptable
    assert nash.point.outcome["line"] == "current"
    if nash.point.outcome["nato"] == "renounced":
        assert nash.point.outcome["guarantees"] in ("bilateral", "article5")


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
    from accord.model.scenario import Citation
    from accord.model.walk import walk

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

from __future__ import annotations

import pytest

from accord import AccordError, analyze, load_scenario
from accord.model.whatif import lift_red_lines


def test_lifting_removes_only_the_named_red_line() -> None:
    scenario = load_scenario("berlin-2025")
    lifted, notes = lift_red_lines(scenario, [("russia", 3)])
    russia = lifted.party("russia").preferences
    assert russia is not None
    assert len(russia.red_lines) == 2
    assert all("Donbas" not in line.reason for line in russia.red_lines)
    assert scenario.party("russia").preferences.red_lines[2].reason in notes[0]  # type: ignore[union-attr]
    assert lifted.party("ukraine") == scenario.party("ukraine")


def test_the_empty_zone_names_the_lift_that_opens_it() -> None:
    scenario = load_scenario("berlin-2025")
    before = analyze(scenario)
    red_lines = [reason for reason in before.zopa.reasons if reason.red_line is not None]
    assert red_lines, "Moscow's Donbas demand is among the constraints that empty the zone"
    for reason in red_lines:
        assert reason.red_line is not None
        after = analyze(lift_red_lines(scenario, [(reason.party, reason.red_line)])[0])
        assert after.zopa.size == reason.zopa_if_dropped > 0


def test_unknown_party_is_refused() -> None:
    with pytest.raises(AccordError, match="unknown party"):
        lift_red_lines(load_scenario("berlin-2025"), [("moscow", 1)])

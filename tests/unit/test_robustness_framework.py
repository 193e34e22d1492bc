"""accord robustness on a framework: reproduces review without ranges; verdict
intervals equal brute-force thresholds; the JSON adds ``parties`` and ``points``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.unit.test_robustness import _with_value
from typer.testing import CliRunner

from accord.cli.main import app
from accord.frameworks import builtin_frameworks, load_framework, review_framework
from accord.model.scenario import Scenario
from accord.robustness.inputs import with_spread
from accord.robustness.run import framework_robustness


@pytest.mark.parametrize("name", builtin_frameworks())
def test_without_ranges_framework_robustness_reproduces_review(name: str) -> None:
    framework, scenario = load_framework(name)
    review = review_framework(framework, scenario)
    result = framework_robustness(framework, scenario, draws=5)
    accepts = {p.id: p.p_accept for p in result.party_acceptance}
    assert accepts == {p.party: float(p.acceptable) for p in review.parties}
    needed = set(review.must_accept)
    blocking = {
        n
        for p in review.parties
        if p.party in needed and not p.acceptable
        for n in p.blocking_points
    }
    assert {p.number for p in result.points if p.p_blocking == 1.0} == blocking
    assert {p.p_blocking for p in result.points} <= {0.0, 1.0}


def _accepts(scenario: Scenario, party: str, name: str) -> bool:
    framework, _ = load_framework(name)
    review = review_framework(framework, scenario)
    return next(p.acceptable for p in review.parties if p.party == party)


@pytest.mark.parametrize("name", builtin_frameworks())
def test_verdict_intervals_equal_brute_force_thresholds(name: str) -> None:
    framework, scenario = load_framework(name)
    result = framework_robustness(framework, with_spread(scenario, 0.1), draws=1)
    verdicts = [s for s in result.stability if s.verdict == "accepts"]
    bounded = [s for s in verdicts if s.low is not None or s.high is not None]
    assert bounded
    for entry in bounded[:6]:
        at_point = _accepts(scenario, entry.party, name)
        for bound, outward in ((entry.low, -1.0), (entry.high, 1.0)):
            if bound is None:
                continue
            step = 1e-6 * max(1.0, abs(bound))
            inside = _with_value(scenario, entry.path, bound - outward * step)
            outside = _with_value(scenario, entry.path, bound + outward * step)
            assert _accepts(inside, entry.party, name) == at_point, entry
            assert _accepts(outside, entry.party, name) != at_point, entry


def test_cli_on_a_framework_adds_parties_and_points(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    args = ["robustness", "berlin-2025-berlin-draft", "--spread", "0.1", "--draws", "300"]
    result = CliRunner().invoke(app, [*args, "-f", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert {"parties", "points"} <= set(data)
    assert set(data["parties"][0]) == {"id", "p_accept"}
    assert set(data["points"][0]) == {"number", "p_blocking"}
    assert any(s["verdict"] == "accepts" for s in data["stability"])
    russia = next(p for p in data["parties"] if p["id"] == "russia")
    assert russia["p_accept"] == 0.0  # the draft crosses a red line that always holds

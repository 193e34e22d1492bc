"""accord robustness (issue 14 §6): reproduces analyze without ranges, matches closed
forms, stability intervals equal brute-force thresholds, Dask equals local."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.strategies import scenarios
from tests.unit.test_scenario_errors import BASE
from typer.testing import CliRunner

from accord import analyze, load_scenario
from accord.cli.main import app
from accord.errors import AccordError, format_path
from accord.io.scenario_file import parse_scenario
from accord.model.scenario import Scenario
from accord.model.uncertainty import number_sites
from accord.model.whatif import lift_red_lines
from accord.robustness import robustness
from accord.robustness.inputs import with_spread


def _point_answers(
    scenario: Scenario,
    lift: list[str] | None = None,
    parties: list[str] | None = None,
    count_bloc_members: bool = False,
) -> dict[str, Any]:
    from accord.model.whatif import parse_lift

    lifted, _ = lift_red_lines(scenario, [parse_lift(x) for x in lift or []])
    result = analyze(lifted, parties, method="enumerate", count_bloc_members=count_bloc_members)
    return {
        "zone": result.zopa.size > 0,
        "solutions": {
            name: None if s is None else s.point.outcome for name, s in result.solutions.items()
        },
    }


EUROPE = ["ukraine", "russia", "germany", "france", "united-kingdom"]


@pytest.mark.parametrize(
    ("lift", "parties", "members"),
    [
        ([], None, False),
        (["russia:3"], None, False),
        (["russia:3"], EUROPE, False),  # a bloc of three counted once: weights 1/3
        (["russia:3"], EUROPE, True),
    ],
)
def test_without_ranges_robustness_reproduces_analyze(
    lift: list[str], parties: list[str] | None, members: bool
) -> None:
    scenario = load_scenario("berlin-2025")
    expected = _point_answers(scenario, lift, parties, members)
    result = robustness(scenario, parties, draws=7, seed=3, lift=lift, count_bloc_members=members)
    assert result.zone_nonempty == (1.0 if expected["zone"] else 0.0)
    for name, outcome in expected["solutions"].items():
        shares = result.solutions[name]
        if outcome is None:
            assert shares == ()
        else:
            assert [(s.outcome, s.probability) for s in shares] == [(outcome, 1.0)]
    assert result.stability == ()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_without_ranges_random_scenarios_reproduce_analyze(scenario: Scenario) -> None:
    expected = _point_answers(scenario)
    result = robustness(scenario, draws=3)
    assert result.zone_nonempty == (1.0 if expected["zone"] else 0.0)
    for name, outcome in expected["solutions"].items():
        got = [s.outcome for s in result.solutions[name]]
        assert got == ([] if outcome is None else [outcome])


def _reservation_range(low: float, high: float) -> Scenario:
    text = BASE.replace(
        "        value: 0.3\n        label: Status quo\n",
        f"        value: {(low + high) / 2}\n        range: [{low}, {high}]\n"
        "        label: Status quo\n",
    )
    return parse_scenario(text)


def test_single_uniform_reservation_range_matches_the_closed_form() -> None:
    """P(zone) = share of north's range below the best utility north reaches among the
    outcomes acceptable to south and crossing none of north's red lines."""
    from accord.engine.compiled import compile_scenario

    model = compile_scenario(parse_scenario(BASE))
    options = model.decode(np.arange(model.n_outcomes))
    utilities = model.utilities(options)
    crossed = model.crossed(options)
    north, south = model.party_index("north"), model.party_index("south")
    others_ok = ~crossed[:, south] & (utilities[:, south] >= model.reservations[south])
    best = float(utilities[others_ok & ~crossed[:, north], north].max())
    low, high = round(best - 0.3, 3), round(best + 0.2, 3)
    scenario = _reservation_range(low, high)
    expected = float(np.clip((best - low) / (high - low), 0, 1))
    assert 0.05 < expected < 0.95  # the test means something
    result = robustness(scenario, draws=40_000, seed=11)
    assert result.zone_nonempty == pytest.approx(expected, abs=0.01)
    zone = [s for s in result.stability if s.verdict == "zone_nonempty"]
    assert len(zone) == 1
    assert zone[0].path == "parties[0].preferences.reservation"
    assert zone[0].high == pytest.approx(best)  # the exact threshold


def test_same_seed_same_numbers_other_seed_other_numbers() -> None:
    scenario = with_spread(load_scenario("berlin-2025"), 0.1)
    one = robustness(scenario, draws=300, seed=5, lift=["russia:3"])
    two = robustness(scenario, draws=300, seed=5, lift=["russia:3"])
    other = robustness(scenario, draws=300, seed=6, lift=["russia:3"])
    assert one == two
    assert one.solutions != other.solutions


def test_dask_and_local_runs_are_identical() -> None:
    from distributed import LocalCluster

    scenario = load_scenario("berlin-2025")
    local = robustness(scenario, draws=1500, seed=9, spread=0.1, lift=["russia:3"])
    with LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        dask = robustness(
            scenario,
            draws=1500,
            seed=9,
            spread=0.1,
            lift=["russia:3"],
            scheduler=cluster.scheduler_address,
        )
    assert local == dask
    assert 0 < local.zone_nonempty < 1


def _with_value(scenario: Scenario, path: str, value: float) -> Scenario:
    site = next(s for s in number_sites(scenario) if format_path(s.path) == path)
    data = scenario.model_dump(mode="json")
    node: Any = data
    for part in site.path[:-1]:
        node = node[part]
    entry = node[site.path[-1]]
    entry = dict(entry) if isinstance(entry, dict) else {"value": entry}
    entry["value"] = value
    entry.pop("range", None)
    entry.pop("distribution", None)
    node[site.path[-1]] = entry
    return Scenario.model_validate(data)


def _verdict(scenario: Scenario, verdict: str, parties: list[str] | None = None) -> object:
    answers = _point_answers(scenario, parties=parties)
    return answers["zone"] if verdict == "zone_nonempty" else answers["solutions"]["nash"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.randoms(use_true_random=False))
def test_stability_intervals_equal_brute_force_thresholds(scenario: Scenario, rnd: Any) -> None:
    spread = with_spread(scenario, 0.3)
    result = robustness(spread, draws=1)
    point = analyze(scenario, method="enumerate")
    nash = point.solutions["nash"]
    entries = [
        s
        for s in result.stability
        if s.exact and (s.verdict == "zone_nonempty" or (nash is not None and nash.value > 1e-6))
    ]
    for entry in rnd.sample(entries, min(3, len(entries))):
        at_point = _verdict(scenario, entry.verdict)
        floor = 0.0 if "salience" in entry.path or "values" in entry.path else -10.0
        ceiling = 1.0 if "values" in entry.path else 10.0
        for bound, outward in ((entry.low, -1.0), (entry.high, 1.0)):
            if bound is None:
                continue
            step = 1e-6 * max(1.0, abs(bound))
            inside, outside = bound - outward * step, bound + outward * step
            if floor <= inside <= ceiling:
                assert _verdict(_with_value(scenario, entry.path, inside), entry.verdict) == (
                    at_point
                ), (entry, inside)
            if floor <= outside <= ceiling:
                assert _verdict(_with_value(scenario, entry.path, outside), entry.verdict) != (
                    at_point
                ), (entry, outside)


def test_weighted_nash_intervals_equal_brute_force_thresholds() -> None:
    """Blocs counted once (asymmetric Nash product): the thresholds stay exact."""
    berlin, _ = lift_red_lines(load_scenario("berlin-2025"), [("russia", 3)])
    result = robustness(with_spread(berlin, 0.1), EUROPE, draws=1)
    nash = [s for s in result.stability if s.verdict == "nash"]
    bounded = [s for s in nash if s.low is not None and s.high is not None][:4]
    assert len(bounded) == 4
    at_point = _verdict(berlin, "nash", EUROPE)
    for entry in bounded:
        for bound, outward in ((entry.low, -1.0), (entry.high, 1.0)):
            assert bound is not None
            step = 1e-6 * max(1.0, abs(bound))
            inside = _with_value(berlin, entry.path, bound - outward * step)
            outside = _with_value(berlin, entry.path, bound + outward * step)
            assert _verdict(inside, "nash", EUROPE) == at_point
            assert _verdict(outside, "nash", EUROPE) != at_point


def test_spread_is_clipped_to_each_numbers_bounds() -> None:
    spread = with_spread(parse_scenario(BASE), 0.25)
    north = spread.party("north").preferences
    assert north is not None
    assert north.values["tolls"]["low"].range == (0.75, 1.0)
    assert north.values["tolls"]["high"].range == (0.0, 0.25)
    assert north.reservation.range == pytest.approx((0.05, 0.55))
    assert north.salience["tolls"].range == (2.75, 3.25)
    assert north.interactions[0].range is None  # --spread leaves interactions alone
    with pytest.raises(AccordError, match="--spread"):
        with_spread(parse_scenario(BASE), float("nan"))


def test_red_lines_that_may_not_hold_open_the_zone_in_their_share_of_draws() -> None:
    berlin = load_scenario("berlin-2025")
    assert robustness(berlin, draws=10).zone_nonempty == 0.0
    data = berlin.model_dump(mode="json")
    russia = next(p for p in data["parties"] if p["id"] == "russia")
    russia["preferences"]["red_lines"][2]["holds"] = 0.3
    result = robustness(Scenario.model_validate(data), draws=4000, seed=1)
    lifted = robustness(berlin, draws=10, lift=["russia:3"])
    assert lifted.zone_nonempty == 1.0
    assert result.zone_nonempty == pytest.approx(0.7, abs=0.03)


def test_cli_json_has_the_keys_the_issue_names(tmp_path: Any) -> None:
    runner = CliRunner()
    out = tmp_path / "r.json"
    plot = tmp_path / "r.svg"
    args = ["robustness", "--spread", "0.1", "--lift", "russia:3", "--draws", "200"]
    result = runner.invoke(app, [*args, "-f", "json", "-o", str(out), "--plot", str(plot)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert set(data) == {
        "draws",
        "seed",
        "lifted",
        "zone_nonempty",
        "solutions",
        "packages",
        "stability",
    }
    assert data["draws"] == 200
    assert data["lifted"] == ["russia:3"]
    assert set(data["solutions"]) == {"nash", "kalai_smorodinsky", "egalitarian", "utilitarian"}
    assert set(data["stability"][0]) == {
        "party",
        "path",
        "value",
        "verdict",
        "low",
        "high",
        "exact",
    }
    assert set(data["packages"][0]) == {"outcome", "acceptable_to_all", "pareto"}
    assert plot.read_text().lstrip().startswith("<?xml")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--spread", "-1"], "--spread"),
        (["--draws", "0"], "--draws"),
        (["--lift", "russia:99"], "no number 99"),
        (["--plot", "chart.pdf"], ".svg or .png"),
        (["--scheduler", "nonsense://x"], "--scheduler"),
    ],
)
def test_cli_bad_flags_are_located_errors(args: list[str], message: str, tmp_path: Any) -> None:
    args = [a.replace("chart.pdf", str(tmp_path / "chart.pdf")) for a in args]
    result = CliRunner().invoke(app, ["robustness", "--draws", "5", *args])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output

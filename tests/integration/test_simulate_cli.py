"""``accord simulate``: outputs, determinism, and located errors on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord import load_scenario
from accord.cli.main import app
from shared import shared_dir

runner = CliRunner()
GENIUS = shared_dir("data", "genius")


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_berlin_shuttle_example_from_the_docs() -> None:
    code, out, _ = run(
        "simulate", "berlin-2025", "--protocol", "shuttle", "--strategy", "all=boulware"
    )
    assert code == 0
    assert "mediator united-states" in out
    assert "No agreement after 100 rounds" in out
    assert "forward" in out


def test_json_has_the_documented_shape() -> None:
    code, out, _ = run(
        "simulate",
        "--parties",
        "ukraine,united-states",
        "-s",
        "ukraine=linear",
        "-s",
        "united-states=conceder",
        "-r",
        "30",
        "-f",
        "json",
    )
    assert code == 0
    data = json.loads(out)
    for key in ("agreement", "rounds", "outcome", "utilities", "trace", "metrics", "gains"):
        assert key in data
    assert data["agreement"] is True
    assert data["strategies"] == {"ukraine": "linear", "united-states": "conceder"}
    assert set(data["outcome"]) == {"nato", "guarantees", "forces", "line", "army", "sequencing"}
    event = data["trace"][0]
    assert set(event) >= {"round", "from", "to", "kind", "outcome"}
    assert event == {
        **event,
        "round": 1,
        "from": "ukraine",
        "kind": "offer",
        "to": ["united-states"],
    }
    assert data["trace"][-1]["kind"] == "accept"
    assert data["rounds"] == data["trace"][-1]["round"]
    assert set(data["metrics"]) == {"fairness", "pareto_distance", "nash_distance", "nash"}


def test_same_seed_same_result_and_jsonl_trace(tmp_path: Path) -> None:
    args = ("simulate", "-s", "all=random", "--protocol", "shuttle", "-r", "20", "--seed", "4")
    first = run(*args, "-f", "json")[1]
    assert first == run(*args, "-f", "json")[1]
    assert first != run(*args[:-1], "5", "-f", "json")[1]
    code, out, _ = run(*args, "-f", "jsonl")
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert lines == json.loads(first)["trace"]


def test_outputs_and_plot_are_written_to_files(tmp_path: Path) -> None:
    output, plot = tmp_path / "session.json", tmp_path / "session.png"
    code, out, _ = run(
        "simulate",
        "--lift",
        "russia:3",
        "-p",
        "shuttle",
        "-s",
        "all=conceder",
        "-r",
        "30",
        "-f",
        "json",
        "-o",
        str(output),
        "--plot",
        str(plot),
    )
    assert code == 0
    assert out == ""
    data = json.loads(output.read_text())
    assert data["agreement"] is True
    assert any(note.startswith("Lifted Russia's red line 3") for note in data["notes"])
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = tmp_path / "session.txt"
    assert run("simulate", "-r", "5", "-o", str(text))[0] == 0
    assert "Trace" in text.read_text()


def test_time_pressure_flags() -> None:
    code, out, _ = run(
        "simulate",
        "--parties",
        "ukraine,united-states",
        "-r",
        "40",
        "-f",
        "json",
        "--delay-cost",
        "ukraine=0.001",
        "--reservation-drift",
        "all=-0.002",
        "--discount",
        "united-states=0.99",
    )
    assert code == 0
    data = json.loads(out)
    assert data["time_pressure"] == {
        "delay_cost": {"ukraine": 0.001},
        "reservation_drift": {"all": -0.002},
        "discount": {"united-states": 0.99},
    }
    ukraine = load_scenario("berlin-2025").party("ukraine").preferences
    assert ukraine is not None
    start = ukraine.reservation.value
    assert data["reservations"]["ukraine"] == pytest.approx(start - 0.002 * (data["rounds"] - 1))


def test_single_text_and_multilateral() -> None:
    code, out, _ = run(
        "simulate", "-p", "single-text", "--parties", "ukraine,united-states", "-f", "json"
    )
    assert code == 0
    kinds = {e["kind"] for e in json.loads(out)["trace"]}
    assert {"draft", "criticism"} <= kinds
    code, out, _ = run(
        "simulate", "-p", "multilateral", "--parties", "ukraine,united-states,germany", "-f", "json"
    )
    assert code == 0
    assert json.loads(out)["trace"][0]["to"] == ["united-states", "germany"]


@pytest.mark.skipif(not GENIUS.is_dir(), reason="shared/data/genius is not available")
def test_a_genius_folder() -> None:
    code, out, _ = run("simulate", str(GENIUS / "Laptop"), "-s", "all=tit-for-tat", "-f", "json")
    assert code == 0
    assert json.loads(out)["agreement"] is True


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("-p", "alternate"), "did you mean 'alternating'"),
        (("-s", "all=boulwar"), "did you mean 'boulware'"),
        (("-s", "ukrane=linear"), "did you mean 'ukraine'"),
        (("-s", "boulware"), "expected PARTY=NAME"),
        (("-s", "united-states=linear", "-p", "shuttle"), "is the mediator"),
        (("--delay-cost", "ukraine=lots"), "is not a number"),
        (("--discount", "ukraine=2"), "(0, 1]"),
        (("--parties", "ukraine,russia,germany"), "exactly two"),
        (("--mediator", "unitedstates", "-p", "shuttle"), "did you mean 'united-states'"),
        (("--lift", "russia:9"), "no number 9"),
        (("no-such-scenario",), "no such file"),
    ],
)
def test_bad_input_exits_2_with_a_message_and_writes_nothing(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    output = tmp_path / "out.json"
    code, _, err = run("simulate", *args, "-o", str(output), "--plot", str(tmp_path / "p.png"))
    assert code == 2
    assert message in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_bad_rounds_flag_exits_2() -> None:
    code, _, err = run("simulate", "--rounds", "0")
    assert code == 2
    assert "Traceback" not in err

"""``accord forecast`` through the Typer app: formats, files, plots and located errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.main import app

runner = CliRunner()

ONE_ISSUE = """actor,capability,position,salience
North,0.2,3,0.6
South,0.1,8,0.5
East,0.4,3,0.9
West,0.3,12,0.2
Centre,0.3,6,0.7
"""

TWO_ISSUES = """actor,issue,position,salience,power
A,p,20,0.2,1
A,q,10,0.8,1
B,p,80,0.7,1
B,q,90,0.4,1
"""


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def one_issue(tmp_path: Path) -> Path:
    path = tmp_path / "one.csv"
    path.write_text(ONE_ISSUE, encoding="utf-8")
    return path


@pytest.fixture
def two_issues(tmp_path: Path) -> Path:
    path = tmp_path / "two.csv"
    path.write_text(TWO_ISSUES, encoding="utf-8")
    return path


def test_berlin_scenario_text() -> None:
    code, out, _ = run("forecast", "berlin-2025")
    assert code == 0
    assert "Expected-utility forecast" in out
    for issue in ("nato", "guarantees", "forces", "line", "army", "sequencing"):
        assert issue in out
    assert "canada: left out" in out


def test_berlin_exchange_json_uses_the_reference_keys() -> None:
    code, out, _ = run(
        "forecast", "berlin-2025", "--model", "exchange", "--format", "json", "--rounds", "3"
    )
    assert code == 0
    data = json.loads(out)
    assert data["format"] == "accord/forecast/1"
    assert data["model"] == "exchange"
    assert len(data["rounds"]) == 3
    first = data["rounds"][0]
    assert {
        "round",
        "nbs_start",
        "nbs_voting",
        "n_realized_exchanges",
        "positions_after_round",
        "realized_exchanges_in_order",
    } <= set(first)
    assert set(data["baselines"]["nato"]) >= {
        "weighted_mean_cs",
        "weighted_median_cs",
        "unweighted_mean",
        "unweighted_median",
    }
    assert set(data["forecast"]) == set(data["issues"])


def test_eu_json_of_one_issue_is_flat(one_issue: Path) -> None:
    code, out, _ = run("forecast", str(one_issue), "-f", "json", "-r", "4")
    assert code == 0
    data = json.loads(out)
    assert len(data["rounds"]) <= 4
    for r in data["rounds"]:
        assert {
            "round",
            "risk_exponent_r",
            "positions",
            "moves",
            "median_voter",
            "weighted_mean",
        } <= set(r)
        for move in r["moves"]:
            assert move["type"] in {"conflict", "compromise", "capitulation"}
            assert {"actor", "with", "eu_ij", "eu_ji", "new_position"} <= set(move)
    assert "weighted_mean_cs" in data["baselines"]
    assert data["outcome"]["kind"] in {"fixed_point", "cycle", "not_settled", "stopped"}


def test_eu_json_of_several_issues_is_keyed_by_issue(two_issues: Path) -> None:
    code, out, _ = run("forecast", str(two_issues), "-f", "json", "--variant", "gdm")
    assert code == 0
    data = json.loads(out)
    assert set(data["issues"]) == {"p", "q"}
    assert data["variant"] == "gdm"


def test_csv_output_is_tidy(two_issues: Path) -> None:
    code, out, _ = run("forecast", str(two_issues), "-m", "exchange", "-f", "csv", "-r", "2")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert set(rows[0]) == {
        "model",
        "issue",
        "round",
        "series",
        "actor",
        "value",
        "move_type",
        "partner",
    }
    partners = {
        (r["actor"], r["partner"])
        for r in rows
        if r["series"] == "voting_position" and r["move_type"] == "exchange"
    }
    assert ("A", "B") in partners
    assert ("B", "A") in partners
    assert {r["series"] for r in rows} == {"position", "nbs_start", "nbs_voting", "voting_position"}


def test_output_and_plot_files(tmp_path: Path, one_issue: Path) -> None:
    out_file, png = tmp_path / "result.json", tmp_path / "paths.png"
    code, out, _ = run(
        "forecast", str(one_issue), "-f", "json", "-o", str(out_file), "--plot", str(png)
    )
    assert code == 0
    assert out == ""
    assert json.loads(out_file.read_text(encoding="utf-8"))["model"] == "eu"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.csv", "paths.png", "result.json"]
    code, _, _ = run("forecast", str(one_issue), "-o", str(tmp_path / "report.txt"))
    assert code == 0
    assert "Forecast path" in (tmp_path / "report.txt").read_text(encoding="utf-8")


def test_seeded_options_reproduce(two_issues: Path) -> None:
    args = (
        "forecast",
        str(two_issues),
        "-m",
        "exchange",
        "--variant",
        "rex",
        "--p",
        "0.7",
        "--seed",
        "4",
        "-f",
        "json",
    )
    assert json.loads(run(*args)[1])["forecast"] == json.loads(run(*args)[1])["forecast"]
    shocked = ("forecast", str(two_issues), "--shocks", "0.5", "--seed", "1", "-f", "json")
    assert run(*shocked)[1] == run(*shocked)[1]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("nope-not-here",), "no such file or built-in scenario"),
        (("{one}", "--variant", "fancy"), "unknown variant 'fancy'"),
        (("{one}", "-m", "exchange"), "needs at least two issues"),
        (("{two}", "--p", "0.5"), "exchange model only"),
        (("{two}", "-m", "exchange", "--q", "0.5"), "expected-utility model only"),
        (("{two}", "-m", "exchange", "--variant", "rex", "--p", "2"), "p in (0, 1]"),
        (("{one}", "--plot", "{missing}/x.png"), "does not exist"),
    ],
)
def test_mistakes_exit_2_with_a_message(
    tmp_path: Path, one_issue: Path, two_issues: Path, args: tuple[str, ...], words: str
) -> None:
    filled = [a.format(one=one_issue, two=two_issues, missing=tmp_path / "missing") for a in args]
    code, out, err = run("forecast", *filled)
    assert code == 2
    assert words in err
    assert "Traceback" not in err + out


@pytest.mark.parametrize(
    ("content", "located"),
    [
        (b"actor,capability,position,salience\nA,1,two,0.5\n", "bad.csv:2:"),
        (b"actor,position\nA,1\n", "bad.csv:1:1"),
        (b"", "bad.csv"),
        (b"\x00\x01\x02binary", "bad.csv"),
        (b"#A;a;a;\n#P;x;x;\n#D;zz;x;1;1;1\n", "bad.csv:3:4"),
    ],
)
def test_bad_files_give_located_errors(tmp_path: Path, content: bytes, located: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    out_file = tmp_path / "out.json"
    code, _, err = run("forecast", str(path), "-f", "json", "-o", str(out_file))
    assert code == 2
    assert located in err
    assert not out_file.exists()

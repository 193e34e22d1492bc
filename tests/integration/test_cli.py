"""CLI tests through the Typer app and, once, through the installed console script."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.main import app
from accord.scenarios import builtin_text

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_analyze_default_is_berlin_text() -> None:
    code, out, _ = run("analyze")
    assert code == 0
    assert "Berlin talks" in out
    assert "Zone of possible agreement: empty" in out
    assert "Donbas" in out


def test_analyze_json_has_the_documented_keys() -> None:
    code, out, _ = run("analyze", "berlin-2025", "--format", "json")
    assert code == 0
    data = json.loads(out)
    for key in ("parties", "outcome_count", "zopa", "pareto_frontier", "solutions"):
        assert key in data
    assert data["outcome_count"] == 3 * 5 * 4 * 2 * 2 * 2
    assert data["zopa"]["size"] == 0
    assert data["zopa"]["reasons"]
    assert set(data["solutions"]) == {"nash", "kalai_smorodinsky", "egalitarian", "utilitarian"}
    point = data["pareto_frontier"][0]
    assert set(point) >= {"outcome", "utilities", "acceptable"}
    assert set(point["utilities"]) == {"ukraine", "russia"}


def test_analyze_with_chosen_parties_finds_solutions() -> None:
    code, out, _ = run("analyze", "--parties", "ukraine,united-states,germany", "-f", "json")
    assert code == 0
    data = json.loads(out)
    assert data["zopa"]["size"] > 0
    nash = data["solutions"]["nash"]
    assert nash["acceptable"] is True
    assert set(nash["utilities"]) == {"ukraine", "united-states", "germany"}


def test_analyze_markdown() -> None:
    code, out, _ = run("analyze", "-f", "markdown")
    assert code == 0
    assert out.startswith("# Berlin talks")
    assert "| Party |" in out


def test_analyze_writes_output_file(tmp_path: Path) -> None:
    target = tmp_path / "analysis.json"
    code, _, _ = run("analyze", "-f", "json", "-o", str(target))
    assert code == 0
    assert json.loads(target.read_text())["outcome_count"] == 480


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("analyze", "--parties", "ukrain"), "unknown party 'ukrain'"),
        (("analyze", "--parties", "canada"), "has no preferences"),
        (("analyze", "no-such-scenario"), "no such file"),
        (("analyze", "berlin-2024"), "did you mean 'berlin-2025'"),
        (("analyze", "--reference", "nato"), "ISSUE=OPTION"),
        (("analyze", "--reference", "nato=maybe"), "unknown option 'maybe'"),
        (("analyze", "--trade-parties", "ukraine"), "exactly two"),
        (("analyze", "--max-outcomes", "10", "--method", "enumerate"), "480 outcomes"),
    ],
)
def test_bad_input_is_a_located_message_and_exit_2(args: tuple[str, ...], message: str) -> None:
    code, out, err = run(*args)
    assert code == 2
    assert message in err
    assert "Traceback" not in out + err


def test_bad_output_folder_leaves_nothing(tmp_path: Path) -> None:
    code, _, err = run("analyze", "-f", "json", "-o", str(tmp_path / "missing" / "x.json"))
    assert code == 2
    assert "does not exist" in err
    assert not (tmp_path / "missing").exists()


def test_validate(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(builtin_text("berlin-2025"))
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        builtin_text("berlin-2025").replace(
            "salience:\n        nato: 0.25", "salince:\n        nato: 0.25", 1
        )
    )
    assert run("validate", str(good))[0] == 0
    code, out, _ = run("validate", str(good), str(bad))
    assert code == 2
    assert "bad.yaml:" in out
    assert "salince" in out


def test_schema_is_json_schema() -> None:
    code, out, _ = run("schema")
    assert code == 0
    schema = json.loads(out)
    assert schema["title"] == "Scenario"
    assert "parties" in schema["properties"]


def test_scenarios_and_show() -> None:
    code, out, _ = run("scenarios")
    assert code == 0
    assert "berlin-2025" in out
    code, out, _ = run("show", "berlin-2025")
    assert code == 0
    assert "Ukraine" in out
    assert "No direct channel between Ukraine and Russia." in out
    assert "Direct channel between United States and Russia (assumed)." in out
    assert "Parties not listed do not talk directly." in out
    assert "mediator, guarantor (assumed)" in out
    code, out, _ = run("show", "berlin-2025", "--format", "yaml")
    assert code == 0
    assert out == builtin_text("berlin-2025")
    code, out, _ = run("show", "--format", "json")
    assert code == 0
    assert json.loads(out)["id"] == "berlin-2025"


def test_console_script_entry_point() -> None:
    script = shutil.which("accord", path=str(Path(sys.executable).parent))
    if script is None:
        pytest.skip("the accord console script is not installed in this environment")
    done = subprocess.run(
        [script, "analyze", "--format", "json"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["scenario"]["id"] == "berlin-2025"
    done = subprocess.run(
        [script, "validate", "/nonexistent.yaml"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stdout + done.stderr


def test_lifting_russias_donbas_demand_opens_a_zone() -> None:
    code, out, _ = run("analyze", "--lift", "russia:3", "-f", "json")
    assert code == 0
    data = json.loads(out)
    assert data["zopa"]["size"] > 0
    assert "Donbas" in data["notes"][0]
    nash = data["solutions"]["nash"]["outcome"]
    assert nash["line"] == "current"
    assert nash["nato"] == "renounced"
    assert nash["guarantees"] in ("bilateral", "article5", "both")


@pytest.mark.parametrize(
    ("lift", "message"),
    [
        ("russia", "PARTY:N"),
        ("russia:0", "PARTY:N"),
        ("russia:9", "no number 9"),
        ("rusia:1", "unknown party"),
    ],
)
def test_bad_lift(lift: str, message: str) -> None:
    code, _, err = run("analyze", "--lift", lift)
    assert code == 2
    assert message in err

"""``accord tournament``: identical results on every executor, replayable cells,
clean interruption, and located errors in specs."""

from __future__ import annotations

import csv
import json
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.main import app
from accord.io.load import load_scenario
from accord.simulation import SessionSpec, simulate
from accord.tournament import make_plan, read_spec, run_tournament
from accord.tournament import runner as tournament_runner
from accord.tournament.plan import Plan, run_seed

runner = CliRunner()

SPEC = """\
name: small
seed: 2025
repetitions: 2
rounds: 25
strategies: [boulware, conceder, tit-for-tat, random]
protocols: [alternating, single-text]
time:
  reservation_drift: {all: -0.002}
scenarios:
  - scenario: berlin-2025
    label: kyiv-washington
    parties: [ukraine, united-states]
    delay_cost: {ukraine: 0.001}
  - scenario: lifted.yaml
    label: kyiv-moscow
"""


def write_spec(folder: Path, text: str = SPEC) -> Path:
    """The spec plus a what-if scenario file beside it (Russia's red line 3 lifted)."""
    from accord.io.scenario_file import dump_scenario
    from accord.model.whatif import lift_red_lines

    lifted = lift_red_lines(load_scenario("berlin-2025"), [("russia", 3)])[0]
    (folder / "lifted.yaml").write_text(dump_scenario(lifted), encoding="utf-8")
    path = folder / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def plan_of(path: Path) -> Plan:
    spec, source_map = read_spec(path)
    return make_plan(spec, source_map, path.parent, name=path.stem)


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_local_processes_and_dask_give_identical_results(tmp_path: Path) -> None:
    from distributed import LocalCluster

    plan = plan_of(write_spec(tmp_path))
    assert len(plan.cells) == 2 * (16 + 16) * 2  # protocols × profiles per scenario × reps
    serial = run_tournament(plan, workers=1)
    local = run_tournament(plan, workers=2)
    with LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        dask = run_tournament(plan, scheduler=cluster.scheduler_address)
    assert serial.rows == local.rows == dask.rows
    assert len(serial.rows) == 2 * len(plan.cells)
    assert not serial.interrupted
    assert any(row["agreement"] for row in serial.rows)


def test_cells_have_their_own_seeds_whatever_else_is_in_the_tournament(tmp_path: Path) -> None:
    plan = plan_of(write_spec(tmp_path))
    smaller = plan_of(write_spec(tmp_path, SPEC.replace(", tit-for-tat, random", "")))
    seeds = {cell.key: cell.seed for cell in plan.cells}
    assert all(seeds[cell.key] == cell.seed for cell in smaller.cells)
    assert len(set(seeds.values())) == len(seeds)
    assert run_seed(2025, "a/b/c/1") == run_seed(2025, "a/b/c/1") != run_seed(2026, "a/b/c/1")


def test_cli_writes_csv_and_parquet_and_a_summary(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    spec = write_spec(tmp_path)
    code, out, err = run("tournament", str(spec), "--workers", "1", "-o", str(tmp_path / "r.csv"))
    assert code == 0, err
    assert "tit-for-tat" in out
    assert "128 of 128 runs" in out
    with (tmp_path / "r.csv").open() as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == 256
    code, out, _ = run(
        "tournament", str(spec), "--workers", "1", "-o", str(tmp_path / "r.parquet"), "-f", "json"
    )
    assert code == 0
    summary = json.loads(out)
    assert summary["finished"] == 128
    assert {s["strategy"] for s in summary["strategies"]} == {
        "boulware",
        "conceder",
        "tit-for-tat",
        "random",
    }
    table = pq.read_table(tmp_path / "r.parquet").to_pylist()
    assert [r["cell"] for r in table] == [r["cell"] for r in rows]
    assert [r["utility"] for r in table] == [float(r["utility"]) for r in rows]
    assert table[0]["agreement"] in (True, False)


def test_a_cell_replays_alone(tmp_path: Path) -> None:
    spec = write_spec(tmp_path)
    plan = plan_of(spec)
    whole = run_tournament(plan, workers=1)
    cell = plan.cells[37]
    code, _, err = run(
        "tournament",
        str(spec),
        "--only",
        cell.key,
        "-o",
        str(tmp_path / "one.csv"),
        "--workers",
        "1",
    )
    assert code == 0, err
    with (tmp_path / "one.csv").open() as stream:
        alone = list(csv.DictReader(stream))
    expected = [r for r in whole.rows if r["cell"] == cell.key]
    assert [float(r["utility"]) for r in alone] == [r["utility"] for r in expected]
    arena = plan.arenas[cell.arena]  # and `accord simulate` with the cell's seed agrees
    result = simulate(
        arena.scenario,
        cell.protocol,
        dict(zip(arena.parties, cell.strategies, strict=True)),
        spec=arena.spec,
        seed=cell.seed,
    )
    assert list(result.metrics.utilities.values()) == [r["utility"] for r in expected]
    code, _, err = run("tournament", str(spec), "--only", "kyiv-washington/nope/1")
    assert code == 2
    assert "no cell" in err


def test_ctrl_c_keeps_the_finished_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = write_spec(tmp_path)
    calls = {"count": 0}
    real = tournament_runner.run_batch

    def interrupted_on_the_third(batch: tournament_runner.Batch) -> list[dict[str, object]]:
        calls["count"] += 1
        if calls["count"] == 3:
            raise KeyboardInterrupt
        return real(batch)

    monkeypatch.setattr(tournament_runner, "run_batch", interrupted_on_the_third)
    output = tmp_path / "partial.csv"
    code, _, err = run("tournament", str(spec), "--workers", "1", "-o", str(output))
    assert code == 130
    assert "interrupted" in err
    with output.open() as stream:
        rows = list(csv.DictReader(stream))
    finished = int(err.split("interrupted: ")[1].split(" of ")[0])
    assert 0 < finished < 128
    assert len(rows) == 2 * finished
    assert sorted(int(r["run"]) for r in rows) == [int(r["run"]) for r in rows]


def test_ctrl_c_before_any_run_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = write_spec(tmp_path)

    def interrupted(batch: tournament_runner.Batch) -> list[dict[str, object]]:
        raise KeyboardInterrupt

    monkeypatch.setattr(tournament_runner, "run_batch", interrupted)
    code, _, err = run("tournament", str(spec), "--workers", "1", "-o", str(tmp_path / "r.csv"))
    assert code == 130
    assert "nothing was written" in err
    assert not (tmp_path / "r.csv").exists()


@pytest.mark.parametrize(
    ("change", "location", "message"),
    [
        (
            ("strategies: [boulware", "strategies: [boulwar"),
            "spec.yaml:5:",
            "did you mean 'boulware'",
        ),
        (("protocols: [alternating", "protocols: [alternatin"), "spec.yaml:6:", "did you mean"),
        (("repetitions: 2", "repetitions: two"), "spec.yaml:3:", "whole number"),
        (("rounds: 25", "roundz: 25"), "spec.yaml:4:", "did you mean 'rounds'"),
        (
            ("parties: [ukraine, united-states]", "parties: [ukraine, atlantis]"),
            "spec.yaml:12:",
            "atlantis",
        ),
        (("lifted.yaml", "missing.yaml"), "spec.yaml:14:", "no such file"),
        (("label: kyiv-washington", "label: kyiv-moscow"), "spec.yaml:14:", "used twice"),
        (
            ("delay_cost: {ukraine", "delay_cost: {ukrane"),
            "spec.yaml:13:",
            "did you mean 'ukraine'",
        ),
        (("  - scenario: lifted.yaml", "  - scenario: [lifted.yaml"), "spec.yaml:", "invalid YAML"),
    ],
)
def test_bad_specs_are_located(
    tmp_path: Path, change: tuple[str, str], location: str, message: str
) -> None:
    spec = write_spec(tmp_path, SPEC.replace(*change))
    code, _, err = run("tournament", str(spec), "-o", str(tmp_path / "r.csv"))
    assert code == 2
    assert location in err
    assert message in err
    assert "Traceback" not in err
    assert not (tmp_path / "r.csv").exists()


def test_three_parties_cannot_alternate(tmp_path: Path) -> None:
    text = SPEC.replace(
        "parties: [ukraine, united-states]", "parties: [ukraine, united-states, germany]"
    )
    spec = write_spec(tmp_path, text.replace("[alternating, single-text]", "[alternating]"))
    code, _, err = run("tournament", str(spec))
    assert code == 2
    assert "exactly two" in err


def test_bad_output_is_refused_before_running(tmp_path: Path) -> None:
    spec = write_spec(tmp_path)
    code, _, err = run("tournament", str(spec), "-o", str(tmp_path / "results.xlsx"))
    assert code == 2
    assert ".csv or .parquet" in err
    code, _, err = run("tournament", str(spec), "-o", str(tmp_path / "nope" / "r.csv"))
    assert code == 2
    assert "does not exist" in err


def test_spec_documented_in_the_module_is_valid(tmp_path: Path) -> None:
    from accord.tournament import spec as spec_module

    doc = spec_module.__doc__ or ""
    example = textwrap.dedent(doc.split("::\n")[1]).replace(
        "../shared/data/genius/Laptop", "lifted.yaml"
    )
    path = write_spec(tmp_path, example)
    plan = plan_of(path)
    assert plan.name == "anac-style"
    assert plan.arenas["berlin-us-ukraine"].spec.delay_cost == {"ukraine": 0.002}
    assert plan.arenas["berlin-us-ukraine"].spec.reservation_drift == {"all": -0.001}
    assert SessionSpec().rounds == 100


def test_a_malformed_scheduler_address_is_refused(tmp_path: Path) -> None:
    code, _, err = run("tournament", str(write_spec(tmp_path)), "--scheduler", "nonsense://x")
    assert code == 2
    assert "unknown address scheme" in err


def test_the_how_to_example_spec_is_valid(tmp_path: Path) -> None:
    doc = Path(__file__).resolve().parents[2] / "docs" / "how-to" / "simulate.md"
    block = doc.read_text(encoding="utf-8").split("```yaml\n")[1].split("```")[0]
    text = block.replace("../shared/data/genius/Laptop", "lifted.yaml")
    plan = plan_of(write_spec(tmp_path, text))
    assert set(plan.arenas) == {"berlin-2025", "berlin-us-ukraine", "lifted"}
    assert len(plan.cells) == 3 * 49 * 3

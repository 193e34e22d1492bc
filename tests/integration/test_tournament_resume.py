"""Tournaments never lose results: a replay (``--only``) writes its own file, and
``--resume`` continues an interrupted tournament (Ctrl-C, a killed process, a file cut
short) to exactly the file an uninterrupted run writes, refusing results of another spec."""

from __future__ import annotations

import csv
import functools
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from accord.cli.main import app
from accord.tournament import make_plan, read_spec, store
from accord.tournament import runner as tournament_runner

runner = CliRunner()

SPEC = """\
name: small
seed: 11
repetitions: 2
rounds: 20
strategies: [boulware, conceder, random]
protocols: [alternating, single-text]
scenarios:
  - scenario: berlin-2025
    label: kyiv-washington
    parties: [ukraine, united-states]
  - scenario: lifted.yaml
    label: kyiv-moscow
"""
RUNS = 2 * 2 * 9 * 2  # scenarios × protocols × strategy pairs × repetitions
CELL = "kyiv-moscow/single-text/conceder+random/2"


def write_spec(folder: Path, text: str = SPEC) -> Path:
    """The spec and, beside it, the scenario file it names (Russia's red line 3 lifted)."""
    from accord.io.load import load_scenario
    from accord.io.scenario_file import dump_scenario
    from accord.model.whatif import lift_red_lines

    lifted = lift_red_lines(load_scenario("berlin-2025"), [("russia", 3)])[0]
    (folder / "lifted.yaml").write_text(dump_scenario(lifted), encoding="utf-8")
    (folder / "t.yaml").write_text(text, encoding="utf-8")
    return folder / "t.yaml"


def tournament(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, ["tournament", *map(str, args), "--workers", "1"])
    return result.exit_code, result.stdout, result.stderr


@functools.cache
def finished_files() -> tuple[bytes, bytes]:
    """The results file of the whole tournament, run without interruption, and its
    manifest."""
    with tempfile.TemporaryDirectory() as tmp:
        spec = write_spec(Path(tmp))
        code, _, err = tournament(spec, "-o", Path(tmp) / "r.csv")
        assert code == 0, err
        return (Path(tmp) / "r.csv").read_bytes(), (Path(tmp) / "r.csv.manifest.json").read_bytes()


def uninterrupted() -> bytes:
    return finished_files()[0]


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


def count_runs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The keys of the cells run from now on."""
    ran: list[str] = []
    real = tournament_runner.run_batch

    def counting(batch: tournament_runner.Batch) -> list[dict[str, object]]:
        ran.extend(cell.key for cell in batch.cells)
        return real(batch)

    monkeypatch.setattr(tournament_runner, "run_batch", counting)
    return ran


def fail_on_batch(monkeypatch: pytest.MonkeyPatch, number: int, error: BaseException) -> None:
    calls = {"count": 0}
    real = tournament_runner.run_batch

    def failing(batch: tournament_runner.Batch) -> list[dict[str, object]]:
        calls["count"] += 1
        if calls["count"] == number:
            raise error
        return real(batch)

    monkeypatch.setattr(tournament_runner, "run_batch", failing)


# --- replays ----------------------------------------------------------------------


def test_a_replay_writes_its_own_file_and_leaves_the_results_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    spec = write_spec(tmp_path)
    assert tournament(spec)[0] == 0
    full = tmp_path / "small-results.csv"
    assert full.read_bytes() == uninterrupted()
    code, out, err = tournament(spec, "--only", CELL)
    assert code == 0, err
    assert full.read_bytes() == uninterrupted()  # 144 rows stay 144 rows
    replay = tmp_path / "small-cell-kyiv-moscow_single-text_conceder+random_2.csv"
    assert f"Results: {replay.name}" in out
    assert rows(replay) == [r for r in rows(full) if r["cell"] == CELL]
    assert len(rows(replay)) == 2


def test_a_replay_refuses_to_replace_the_whole_results(tmp_path: Path) -> None:
    spec = write_spec(tmp_path)
    full = tmp_path / "r.csv"
    assert tournament(spec, "-o", full)[0] == 0
    code, _, err = tournament(spec, "--only", CELL, "-o", full)
    assert code == 2
    assert "holds the results of the whole tournament 'small' (72 runs)" in err
    assert full.read_bytes() == uninterrupted()


# --- resuming ---------------------------------------------------------------------


def test_resume_after_ctrl_c_runs_only_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec, results = write_spec(tmp_path), tmp_path / "r.csv"
    fail_on_batch(monkeypatch, 3, KeyboardInterrupt())
    code, _, err = tournament(spec, "-o", results)
    assert code == 130
    assert "continue with --resume" in err
    kept = {r["cell"] for r in rows(results)}
    assert 0 < len(kept) < RUNS
    monkeypatch.undo()
    ran = count_runs(monkeypatch)
    code, out, err = tournament(spec, "-o", results, "--resume")
    assert code == 0, err
    assert f"Resumed: {len(kept)} finished runs kept" in out
    assert not kept & set(ran)
    assert len(ran) + len(kept) == RUNS
    assert results.read_bytes() == uninterrupted()


def test_resume_after_a_crash_continues_from_the_checkpoint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process that dies without writing on its way out (here an error in a batch,
    as a kill would) leaves the last checkpoint, from which --resume continues."""
    spec, results = write_spec(tmp_path), tmp_path / "r.csv"
    monkeypatch.setattr(store, "CHECKPOINT_SECONDS", 0.0)
    fail_on_batch(monkeypatch, 4, RuntimeError("the machine went away"))
    code, _, _ = tournament(spec, "-o", results)
    assert code != 0
    assert 0 < len(rows(results)) < 2 * RUNS
    monkeypatch.undo()
    code, _, err = tournament(spec, "-o", results, "--resume")
    assert code == 0, err
    assert results.read_bytes() == uninterrupted()


@settings(max_examples=12, deadline=None)
@given(cut=st.floats(0.0, 1.0))
def test_resume_from_a_file_cut_anywhere_gives_the_uninterrupted_file(cut: float) -> None:
    full, manifest = finished_files()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        spec, results = write_spec(folder), folder / "r.csv"
        (folder / "r.csv.manifest.json").write_bytes(manifest)
        results.write_bytes(full[: int(cut * len(full))])
        code, _, err = tournament(spec, "-o", results, "--resume")
        assert code == 0, err
        assert results.read_bytes() == full


def test_resume_of_a_finished_tournament_runs_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec, results = write_spec(tmp_path), tmp_path / "r.parquet"
    assert tournament(spec, "-o", results)[0] == 0
    before = results.read_bytes()
    ran = count_runs(monkeypatch)
    code, out, err = tournament(spec, "-o", results, "--resume", "-f", "json")
    assert code == 0, err
    assert ran == []
    assert '"resumed": 72' in out
    assert results.read_bytes() == before


def test_resume_after_ctrl_c_into_parquet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pyarrow.parquet as pq

    spec, results = write_spec(tmp_path), tmp_path / "r.parquet"
    fail_on_batch(monkeypatch, 2, KeyboardInterrupt())
    assert tournament(spec, "-o", results)[0] == 130
    monkeypatch.undo()
    assert tournament(spec, "-o", results, "--resume")[0] == 0
    whole = tmp_path / "whole.parquet"
    assert tournament(spec, "-o", whole)[0] == 0
    assert pq.read_table(results).to_pylist() == pq.read_table(whole).to_pylist()


@pytest.mark.parametrize(
    ("change", "file"),
    [(("rounds: 20", "rounds: 21"), "t.yaml"), (("Russia", "Moscow"), "lifted.yaml")],
)
def test_resume_refuses_results_of_another_spec(
    tmp_path: Path, change: tuple[str, str], file: str
) -> None:
    spec, results = write_spec(tmp_path), tmp_path / "r.csv"
    assert tournament(spec, "-o", results)[0] == 0
    results.write_bytes(uninterrupted()[:3000])
    edited = tmp_path / file
    edited.write_text(edited.read_text("utf-8").replace(*change), encoding="utf-8")
    code, _, err = tournament(spec, "-o", results, "--resume")
    assert code == 2
    assert "made from a different tournament spec" in err
    assert results.read_bytes() == uninterrupted()[:3000]


def test_resume_refuses_results_without_a_manifest(tmp_path: Path) -> None:
    spec, results = write_spec(tmp_path), tmp_path / "r.csv"
    results.write_bytes(uninterrupted())
    code, _, err = tournament(spec, "-o", results, "--resume")
    assert code == 2
    assert "no manifest (r.csv.manifest.json) says which tournament made these results" in err


def test_resume_with_no_results_yet_runs_everything(tmp_path: Path) -> None:
    spec, results = write_spec(tmp_path), tmp_path / "r.csv"
    code, _, err = tournament(spec, "-o", results, "--resume")
    assert code == 0
    assert "does not exist yet" in err
    assert results.read_bytes() == uninterrupted()


def test_resume_and_only_are_exclusive(tmp_path: Path) -> None:
    code, _, err = tournament(write_spec(tmp_path), "--resume", "--only", CELL)
    assert code == 2
    assert "--resume continues a whole tournament" in err


def test_the_fingerprint_does_not_depend_on_where_the_spec_is_read_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = write_spec(tmp_path)
    copy = tmp_path / "elsewhere"
    shutil.copytree(tmp_path, copy, ignore=shutil.ignore_patterns("elsewhere"))
    prints = []
    for path in (spec, copy / "t.yaml"):
        loaded, source_map = read_spec(path)
        prints.append(store.fingerprint(loaded, make_plan(loaded, source_map, path.parent, "t")))
    monkeypatch.chdir(tmp_path)
    loaded, source_map = read_spec(Path("t.yaml"))
    prints.append(store.fingerprint(loaded, make_plan(loaded, source_map, Path("."), "t")))
    assert len(set(prints)) == 1
    assert len(prints[0]) == 64


def test_the_how_to_commands_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The commands of docs/how-to/simulate.md §6, on its spec made smaller (two
    strategies, 20 rounds) and with a scenario file for the GENIUS folder."""
    import shlex

    doc = (Path(__file__).resolve().parents[2] / "docs" / "how-to" / "simulate.md").read_text(
        encoding="utf-8"
    )
    section = doc.split("## 6. Tournaments")[1]
    spec = section.split("```yaml\n")[1].split("```")[0]
    spec = spec.replace("../shared/data/genius/Laptop", "lifted.yaml").replace(
        "rounds: 100", "rounds: 20"
    )
    spec = spec.replace(", conceder, tit-for-tat, hardliner, principled, random", "")
    write_spec(tmp_path, spec).rename(tmp_path / "tournament.yaml")
    monkeypatch.chdir(tmp_path)
    commands = section.split("```sh\n")[1].split("```")[0].splitlines()
    ran = 0
    for line in commands:
        args = shlex.split(line.split("  #")[0])[1:]
        if "--scheduler" in args:
            continue  # needs a cluster: covered with a LocalCluster in test_tournament.py
        code, _, err = tournament(*args[1:])
        assert code == 0, (line, err)
        ran += 1
    assert ran == 3
    assert (tmp_path / "results.parquet.manifest.json").is_file()
    assert (
        tmp_path / "anac-style-cell-berlin-us-ukraine_alternating_boulware+linear_2.csv"
    ).is_file()


def test_resume_reads_back_text_quoted_against_spreadsheet_formulas(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Labels that a spreadsheet would take for a formula are written with a leading
    quote in CSV; resuming reads them back as written in the spec."""
    text = SPEC.replace("label: kyiv-washington", "label: =kyiv-washington")
    spec = write_spec(tmp_path, text)
    whole, results = tmp_path / "whole.csv", tmp_path / "r.csv"
    assert tournament(spec, "-o", whole)[0] == 0
    assert "'=kyiv-washington/alternating/" in whole.read_text("utf-8")
    fail_on_batch(monkeypatch, 2, KeyboardInterrupt())
    assert tournament(spec, "-o", results)[0] == 130
    monkeypatch.undo()
    code, _, err = tournament(spec, "-o", results, "--resume")
    assert code == 0, err
    assert results.read_bytes() == whole.read_bytes()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda text: text.replace(",True,", ",yes,", 1), "r.csv:2: column agreement: 'yes'"),
        (lambda text: text.replace("run,cell", "run,key", 1), "r.csv:1: not an accord"),
        (
            lambda text: text.replace("\n", ",x\n", 2).replace(",x\n", "\n", 1),
            "r.csv:2: expected 17",
        ),
    ],
)
def test_resume_refuses_a_damaged_results_file_with_its_line(
    tmp_path: Path, damage: Callable[[str], str], message: str
) -> None:
    full, manifest = finished_files()
    spec, results = write_spec(tmp_path), tmp_path / "r.csv"
    (tmp_path / "r.csv.manifest.json").write_bytes(manifest)
    results.write_text(damage(full.decode("utf-8")), encoding="utf-8")
    code, _, err = tournament(spec, "-o", results, "--resume")
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_resume_refuses_a_damaged_parquet_file(tmp_path: Path) -> None:
    spec, results = write_spec(tmp_path), tmp_path / "r.parquet"
    assert tournament(spec, "-o", results)[0] == 0
    results.write_bytes(results.read_bytes()[:500])
    code, _, err = tournament(spec, "-o", results, "--resume")
    assert code == 2
    assert "cannot read the results" in err

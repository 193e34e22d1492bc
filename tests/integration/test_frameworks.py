"""Built-in Berlin frameworks: golden outputs, CLI behaviour and located errors."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.main import app
from accord.errors import ScenarioError
from accord.frameworks.load import builtin_frameworks, load_framework, parse_framework
from accord.io.packaged import packaged_text
from accord.scenarios import builtin_text
from compare import assert_close
from shared import shared_dir

runner = CliRunner()
GOLDEN = Path(__file__).parent / "golden"
US, BERLIN = "berlin-2025-us-proposal", "berlin-2025-berlin-draft"


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("review-berlin-draft", ("review", BERLIN)),
        ("review-us-proposal", ("review", US)),
        ("diff-us-to-berlin", ("diff", US, BERLIN)),
        ("amend-berlin-draft-lifted", ("amend", BERLIN, "--lift", "russia:3")),
        ("mediate-us-proposal-lifted", ("mediate", US, "--lift", "russia:3")),
    ],
)
def test_golden(name: str, args: tuple[str, ...]) -> None:
    code, out, err = run(*args, "--format", "json")
    assert code == 0, err
    golden = GOLDEN / f"{name}.json"
    if os.environ.get("ACCORD_UPDATE_GOLDEN"):
        golden.write_text(out, encoding="utf-8")
    assert_close(json.loads(out), json.loads(golden.read_text(encoding="utf-8")))


def test_frameworks_listing() -> None:
    code, out, _ = run("frameworks", "--format", "json")
    assert code == 0
    listed = json.loads(out)
    assert {e["name"] for e in listed} == {US, BERLIN}
    assert all(set(e) == {"name", "scenario", "title"} for e in listed)
    code, out, _ = run("frameworks", "other-scenario", "--format", "json")
    assert code == 0
    assert json.loads(out) == []


def test_review_of_the_berlin_draft() -> None:
    code, out, _ = run("review", BERLIN, "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert data["rejected_by"] == ["russia"]
    russia = next(p for p in data["parties"] if p["id"] == "russia")
    assert russia["red_lines_crossed"][0]["points"] == [1]
    assert russia["blocking_points"] == [1]
    ukraine = next(p for p in data["parties"] if p["id"] == "ukraine")
    assert ukraine["acceptable"] is True
    assert {"utility", "acceptable", "red_lines_crossed", "points", "blocking_points"} <= set(
        ukraine
    )


def test_open_issues_give_a_range() -> None:
    code, out, _ = run("review", US, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["open_issues"] == ["forces", "sequencing"]
    party = data["parties"][0]
    assert "utility" not in party
    low, high = party["utility_range"]
    assert low <= party["expected_utility"] <= high


def test_amend_without_a_zone_names_the_collision() -> None:
    code, out, _ = run("amend", BERLIN, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["size"] is None
    assert {c["party"] for c in data["collisions"]} == {"ukraine", "russia"}


def test_mediate_writes_a_plot(tmp_path: Path) -> None:
    plot = tmp_path / "drafts.png"
    code, out, _ = run("mediate", US, "--lift", "russia:3", "--plot", str(plot), "-f", "json")
    assert code == 0
    assert plot.read_bytes().startswith(b"\x89PNG")
    drafts = json.loads(out)["drafts"]
    assert [d["draft"] for d in drafts] == list(range(len(drafts)))
    assert {"draft", "outcome", "utilities", "changes"} <= set(drafts[-1])


def test_mediate_is_reproducible_under_a_seed() -> None:
    args = ("mediate", US, "--criticism-only", "--seed", "7", "-f", "json")
    assert run(*args)[1] == run(*args)[1]


def test_quotes_in_builtin_frameworks_are_verbatim() -> None:
    source_file = shared_dir("sources", "000_48c286753a22fe65.txt")
    if not source_file.exists():
        pytest.skip("../shared/sources is not beside this checkout (it is in CI)")
    text = " ".join(source_file.read_text(encoding="utf-8").split())
    for name in builtin_frameworks():
        framework, _ = load_framework(name)
        for point in framework.points:
            for citation in point.evidence:
                assert citation.quote is not None
                assert " ".join(citation.quote.split()) in text, (name, citation.quote)


BASE = """\
id: test
title: test
scenario: berlin-2025
points:
  - text: Ceasefire on the current line.
    settles: {line: current}
  - text: Guarantees.
    settles: {guarantees: article5}
"""


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (BASE.replace("{line: current}", "{lin: current}"), 6, "did you mean 'line'"),
        (BASE.replace("{line: current}", "{line: curent}"), 6, "did you mean 'current'"),
        (
            BASE.replace("article5}", "article5}\n  - text: again\n    settles: {line: withdraw}"),
            10,
            "already settles it",
        ),
        (BASE.replace("scenario: berlin-2025", "scenario: berlin-2024"), 3, "not found"),
        (BASE.replace("points:", "pionts:"), 4, "did you mean 'points'"),
        (BASE.replace("  - text: Guarantees.\n", "  - txt: Guarantees.\n"), 7, "unknown key"),
        (BASE + "    evidence: [{source: nowhere}]\n", 9, "unknown source"),
        ("- just a list\n", 1, "expected a mapping"),
    ],
)
def test_bad_frameworks_are_located(text: str, line: int, message: str) -> None:
    with pytest.raises(ScenarioError) as raised:
        parse_framework(text, "draft.yaml")
    problem = raised.value.problems[0]
    assert message in str(problem)
    assert problem.location is not None
    assert problem.location.line == line


def test_bad_framework_file_on_the_command_line(tmp_path: Path) -> None:
    bad = tmp_path / "draft.yaml"
    bad.write_text(BASE.replace("{line: current}", "{line: curent}"))
    code, _, err = run("review", str(bad))
    assert code == 2
    assert "draft.yaml:6" in err
    assert "Traceback" not in err
    code, _, err = run("review", "no-such-framework")
    assert code == 2
    assert "no such file or built-in framework" in err


def test_the_how_to_example_is_a_valid_framework() -> None:
    page = Path(__file__).resolve().parents[2] / "docs" / "how-to" / "review-a-framework.md"
    block = page.read_text(encoding="utf-8").split("```yaml\n", 1)[1].split("```", 1)[0]
    framework, scenario = parse_framework(block, "how-to example")
    assert scenario.id == "berlin-2025"
    assert framework.settlement()["forces"] == ("monitors", 2)


def _crosses(when: dict[str, tuple[str, ...]], settled: dict[str, str]) -> bool:
    return all(issue in settled and settled[issue] in options for issue, options in when.items())


@pytest.fixture
def softer_kyiv(tmp_path: Path) -> str:
    """The US proposal over a what-if Berlin where Kyiv would take a deal without binding
    guarantees over the war (reservation 0.35, not 0.8). With Ukraine's Donbas red line
    lifted, amendments that keep the withdrawal then exist, and some cross the Europeans'
    red line; in the scenario as built, Kyiv's reservation rules them all out."""
    reservation = "      reservation:\n        value: 0.8\n"
    text = builtin_text("berlin-2025")
    assert text.count(reservation) == 1
    scenario = tmp_path / "berlin-softer-kyiv.yaml"
    scenario.write_text(text.replace(reservation, reservation.replace("0.8", "0.35")))
    framework = tmp_path / "us-proposal.yaml"
    draft = packaged_text("accord.frameworks.builtin", US)
    assert draft.count("scenario: berlin-2025\n") == 1
    framework.write_text(draft.replace("scenario: berlin-2025\n", f"scenario: {scenario.name}\n"))
    return str(framework)


def test_amendments_flag_red_lines_of_parties_who_need_not_accept(softer_kyiv: str) -> None:
    code, out, _ = run("amend", softer_kyiv, "--lift", "ukraine:1", "--limit", "50", "-f", "json")
    assert code == 0
    data = json.loads(out)
    _, scenario = load_framework(softer_kyiv)
    assert data["amendments"]
    for amendment in data["amendments"]:
        settled = amendment["settled_after"]
        expected = {
            (party.id, n)
            for party in scenario.parties
            if party.preferences is not None
            for n, line in enumerate(party.preferences.red_lines, start=1)
            if (party.id, n) != ("ukraine", 1) and _crosses(line.when, settled)
        }
        certain = {(f["party"], f["red_line"]) for f in amendment["flags"] if f["certain"]}
        assert certain == expected
        assert all(f["party"] not in data["principals"] for f in amendment["flags"])
        assert all(set(f) == {"party", "red_line", "text", "certain"} for f in amendment["flags"])


def test_a_flagged_party_named_in_parties_must_accept(softer_kyiv: str) -> None:
    flagged = json.loads(run("amend", softer_kyiv, "--lift", "ukraine:1", "-f", "json")[1])
    parties = {f["party"] for a in flagged["amendments"] for f in a["flags"]}
    assert "germany" in parties  # the Europeans' red line: withdrawal, no NATO, capped army
    must_accept = ("--parties", "ukraine,russia,germany")
    code, out, _ = run("amend", softer_kyiv, "--lift", "ukraine:1", *must_accept, "-f", "json")
    assert code == 0
    data = json.loads(out)
    assert data["principals"] == ["ukraine", "russia", "germany"]
    assert all(f["party"] != "germany" for a in data["amendments"] for f in a["flags"])
    markdown = run("amend", softer_kyiv, "--lift", "ukraine:1", "-f", "markdown")[1]
    assert "Flag: Germany's red line 1" in markdown


def test_reviews_flag_every_party_and_number_red_lines_as_the_file_does() -> None:
    code, out, _ = run("review", US, "--lift", "ukraine:1", "-f", "json")
    assert code == 0
    data = json.loads(out)
    assert data["must_accept"] == ["ukraine", "russia"]
    flagged = {(f["party"], f["red_line"]) for f in data["flags"]}
    assert ("ukraine", 1) not in flagged  # lifted
    assert ("ukraine", 2) in flagged  # still numbered as in the scenario file
    assert "germany" in {party for party, _ in flagged}
    assert "Flagged, red lines of parties who need not accept: Germany" in data["verdict"]
    text = run("review", US, "--lift", "ukraine:1")[1]
    assert "Red-line flags" in text


@pytest.mark.parametrize(
    ("command", "parties", "message"),
    [
        ("review", "ukrane", "did you mean 'ukraine'"),
        ("amend", "canada", "has no preferences"),
        ("mediate", "ukraine,ukraine", "named twice"),
    ],
)
def test_bad_parties_are_refused(command: str, parties: str, message: str) -> None:
    code, _, err = run(command, US, "--parties", parties)
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_every_command_in_the_how_to_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = Path(__file__).resolve().parents[2] / "docs" / "how-to" / "review-a-framework.md"
    commands = [
        line.split("#", 1)[0].split()[1:]
        for line in page.read_text(encoding="utf-8").splitlines()
        if line.startswith(".venv/bin/accord ")
    ]
    assert len(commands) >= 6
    monkeypatch.chdir(tmp_path)  # --plot writes beside the working directory
    for args in commands:
        code, _, err = run(*args)
        assert code == 0, (args, err)


def test_criticism_only_mediation_reaches_a_text_both_principals_accept() -> None:
    code, out, _ = run("mediate", US, "--lift", "russia:3", "--criticism-only", "-f", "json")
    assert code == 0
    data = json.loads(out)
    zone = json.loads(run("analyze", "--lift", "russia:3", "-f", "json")[1])
    if not zone["zopa"]["size"]:
        pytest.skip("the scenario no longer has a zone of agreement with this lift")
    assert data["final"] is True
    last = data["drafts"][-1]
    assert data["final_text"] == last["outcome"]
    assert all(answer["accepts"] for answer in last["answers"].values())
    assert data["rejected_by"] == []
    for draft in data["drafts"]:
        assert all(change["why"] for change in draft["changes"])
    filled = {c["issue"] for c in data["drafts"][0]["changes"]}
    assert filled == {"forces", "sequencing"}  # the two issues the US proposal leaves open
    assert all("open issue" in c["why"] for c in data["drafts"][0]["changes"])


@pytest.mark.parametrize("informed", ["--informed", "--criticism-only"])
def test_a_draft_not_every_principal_accepts_is_never_called_final(informed: str) -> None:
    code, out, _ = run("mediate", US, informed, "-f", "json")  # the zone is empty
    assert code == 0
    data = json.loads(out)
    assert data["final"] is False
    assert data["final_text"] is None
    assert data["rejected_by"]
    assert all(r["why"] for r in data["rejected_by"])
    for fmt in ("text", "markdown"):
        report = run("mediate", US, informed, "-f", fmt)[1]
        assert "not a final text" in report
        assert "Final text" not in report
        assert "rejects it:" in report

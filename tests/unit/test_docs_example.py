"""The scenario format documentation cannot rot: its example must be a valid scenario."""

from __future__ import annotations

import re
from pathlib import Path

from accord.io.scenario_file import parse_scenario
from accord.io.yaml_source import parse_yaml
from accord.model.checks import check_scenario

DOC = Path(__file__).resolve().parents[2] / "docs" / "scenario-format.md"
YAML_BLOCK = re.compile(r"^```yaml\n(.*?)^```", re.MULTILINE | re.DOTALL)


def yaml_blocks() -> list[str]:
    return YAML_BLOCK.findall(DOC.read_text(encoding="utf-8"))


def test_first_yaml_block_is_a_valid_scenario() -> None:
    example = yaml_blocks()[0]
    scenario = parse_scenario(example, f"{DOC.name} (first yaml block)")
    assert check_scenario(scenario) == []
    assert len(scenario.principals()) == 2
    assert scenario.reference is not None


def test_the_worked_numbers_in_the_doc_are_right() -> None:
    """Section 5 computes utilities by hand; they must match the engine."""
    from accord.engine.compiled import compile_scenario

    model = compile_scenario(parse_scenario(yaml_blocks()[0]))
    draft = model.outcome_options({"share": "50", "filling": "fast", "data": "none"})
    shared = model.outcome_options({"share": "50", "filling": "fast", "data": "realtime"})
    aravia, belmar = model.party_index("aravia"), model.party_index("belmar")
    assert round(float(model.utilities(draft)[0, aravia]), 3) == 0.800
    assert round(float(model.utilities(draft)[0, belmar]), 3) == 0.327
    assert round(float(model.utilities(shared)[0, aravia]), 3) == 0.750
    assert round(float(model.utilities(shared)[0, belmar]), 3) == 0.609


def test_every_yaml_snippet_is_well_formed_yaml() -> None:
    blocks = yaml_blocks()
    assert len(blocks) >= 3
    for number, block in enumerate(blocks, start=1):
        parse_yaml(block, f"{DOC.name} (yaml block {number})")

"""Every JSON accord writes is valid JSON (RFC 8259): no ``NaN`` or ``Infinity``, even
from extreme inputs; a number that is not finite is ``null``, explained under
``undefined``."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from accord.cli.main import app
from accord.errors import AccordError
from accord.render.json_text import UNDEFINED_KEY, to_json

runner = CliRunner()

SPEC = """\
name: tiny
seed: 7
repetitions: 1
rounds: 10
strategies: [boulware, conceder]
protocols: [alternating]
{time}scenarios:
  - scenario: berlin-2025
    parties: [ukraine, united-states]
"""
DRAFT = "berlin-2025-berlin-draft"
EARLIER = "berlin-2025-us-proposal"
EXTREME_DRIFT = "time:\n  reservation_drift: {all: -1.0e+308}\n"

JSON_COMMANDS: dict[str, list[str]] = {
    "analyze": ["analyze", "-f", "json"],
    "analyze-all": ["analyze", "--parties", "all", "-f", "json"],
    "show": ["show", "-f", "json"],
    "schema": ["schema"],
    "frameworks": ["frameworks", "-f", "json"],
    "diff": ["diff", EARLIER, DRAFT, "-f", "json"],
    "review": ["review", DRAFT, "-f", "json"],
    "amend": ["amend", DRAFT, "-f", "json"],
    "mediate": ["mediate", EARLIER, "-f", "json"],
    "simulate": ["simulate", "-r", "30", "-f", "json"],
    "simulate-jsonl": ["simulate", "-r", "30", "-f", "jsonl"],
    "simulate-drift": ["simulate", "--reservation-drift", "all=-1e308", "-f", "json"],
    "simulate-drift-jsonl": ["simulate", "--reservation-drift", "all=-1e308", "-f", "jsonl"],
    "simulate-delay": ["simulate", "--delay-cost", "all=1e308", "-f", "json"],
    "simulate-discount": ["simulate", "--discount", "all=1e308", "-f", "json"],
    "tournament": ["tournament", "{spec}", "--workers", "1", "-o", "{out}", "-f", "json"],
    "tournament-drift": ["tournament", "{extreme}", "--workers", "1", "-o", "{out}", "-f", "json"],
    "forecast-eu": ["forecast", "-f", "json"],
    "forecast-exchange": ["forecast", "-m", "exchange", "-f", "json"],
}


def _strict(constant: str) -> None:
    raise AssertionError(f"invalid JSON: {constant}")


def strict_documents(text: str, lines: bool) -> list[Any]:
    if lines:
        return [json.loads(line, parse_constant=_strict) for line in text.splitlines()]
    return [json.loads(text, parse_constant=_strict)]


def arguments(name: str, folder: Path) -> list[str]:
    spec, extreme = folder / "tiny.yaml", folder / "extreme.yaml"
    spec.write_text(SPEC.format(time=""), encoding="utf-8")
    extreme.write_text(SPEC.format(time=EXTREME_DRIFT), encoding="utf-8")
    out = folder / "results.csv"
    return [a.format(spec=spec, extreme=extreme, out=out) for a in JSON_COMMANDS[name]]


@pytest.mark.parametrize("name", sorted(JSON_COMMANDS))
def test_every_json_output_is_strict_json(name: str, tmp_path: Path) -> None:
    result = runner.invoke(app, arguments(name, tmp_path))
    assert "Traceback" not in result.stderr
    if result.exit_code == 2:  # an extreme input refused up front is fine, if said so
        assert result.stderr.startswith("error:"), result.stderr
        assert "-1e308" in name or "1e308" in " ".join(JSON_COMMANDS[name]) or "drift" in name
        return
    assert result.exit_code == 0, result.stderr
    for document in strict_documents(result.stdout, lines=name.endswith("jsonl")):
        for item in document.get(UNDEFINED_KEY, []) if isinstance(document, dict) else []:
            assert set(item) == {"field", "value", "reason"}
            assert item["value"] in ("NaN", "Infinity", "-Infinity")


def test_extreme_drift_is_explained_not_hidden(tmp_path: Path) -> None:
    """The red-team case: ``-Infinity`` was written; now null, with the field and why."""
    result = runner.invoke(app, arguments("simulate-drift", tmp_path))
    assert "Traceback" not in result.stderr
    if result.exit_code == 2:
        assert "reservation-drift" in result.stderr
        return
    (data,) = strict_documents(result.stdout, lines=False)
    fields = {item["field"] for item in data[UNDEFINED_KEY]}
    assert fields
    for field in fields:
        node: Any = data
        for part in field.split("."):
            node = node[part]
        assert node is None


finite_or_not = st.floats(allow_nan=True, allow_infinity=True)
documents = st.recursive(
    st.none() | st.booleans() | st.integers() | finite_or_not | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=20,
)


@given(st.dictionaries(st.text(max_size=4).filter(lambda k: k != UNDEFINED_KEY), documents))
def test_to_json_is_always_strict_and_explains_every_null_it_adds(data: dict[str, Any]) -> None:
    text = to_json(data)
    parsed = json.loads(text, parse_constant=_strict)
    non_finite = _count_non_finite(data)
    assert len(parsed.get(UNDEFINED_KEY, [])) == non_finite
    if non_finite == 0:
        assert parsed == json.loads(json.dumps(data))


def _count_non_finite(value: Any) -> int:
    if isinstance(value, float):
        return 0 if math.isfinite(value) else 1
    if isinstance(value, dict):
        return sum(_count_non_finite(v) for v in value.values())
    if isinstance(value, list):
        return sum(_count_non_finite(v) for v in value)
    return 0


def test_a_non_finite_number_in_a_top_level_list_is_refused_not_written() -> None:
    with pytest.raises(AccordError, match=r"not a finite number at \[1\]"):
        to_json([1.0, math.inf])

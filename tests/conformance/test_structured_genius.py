"""Conformance of the structured solvers with GENIUS: the same reference results.

Every shared GENIUS domain (clamped at 1, as GENIUS computes) is analysed with
``method="structured"`` — no enumeration — and must reproduce ``expected.json``'s Pareto
frontier (as a set of outcomes, ties kept) and a Nash outcome with its value, exactly as
the enumerating path does (``test_genius_reference.py``). Skipped when the shared data
is absent.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pytest

from accord.analysis.analyze import analyze
from accord.io.genius import read_genius_folder
from shared import shared_dir

TOLERANCE = 1e-9


GENIUS = shared_dir("data", "genius")
MISSING = "(no GENIUS data)"


@functools.cache
def _expected(domain: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((GENIUS / domain / "expected.json").read_text("utf-8"))
    return data


def _domains() -> list[str]:
    if not GENIUS.is_dir():
        return [MISSING]
    return sorted(p.name for p in GENIUS.iterdir() if (p / "expected.json").is_file())


def _outcomes(items: Any) -> set[frozenset[tuple[str, str]]]:
    return {frozenset(item.items()) for item in items}


@pytest.mark.parametrize("domain", _domains())
def test_structured_frontier_and_nash(domain: str) -> None:
    if domain == MISSING:
        pytest.skip(f"GENIUS reference data not found at {GENIUS} (set ACCORD_SHARED)")
    expected = _expected(domain)
    if expected.get("skipped") or "party_sets" not in expected:
        pytest.skip(f"{domain}: {expected.get('skip_reason', 'no party sets')}")
    scenario = read_genius_folder(GENIUS / domain)
    for name, party_set in expected["party_sets"].items():
        parties = [Path(f).stem for f in party_set["profile_files"]]
        result = analyze(scenario, parties=parties, method="structured")
        assert result.method == "structured"
        reference = party_set["pareto"]["outcomes"]
        assert _outcomes(p.outcome for p in result.pareto_frontier) == _outcomes(
            point["outcome"] for point in reference
        ), name
        nash = party_set["solutions"]["reserved"]["nash"]
        solution = result.solutions["nash"]
        if nash is None:
            assert solution is None, name
            continue
        assert solution is not None, name
        assert frozenset(solution.point.outcome.items()) in _outcomes(
            point["outcome"] for point in nash["outcomes"]
        ), name
        assert solution.value == pytest.approx(nash["value"], abs=TOLERANCE), name

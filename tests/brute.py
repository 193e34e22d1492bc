"""Small random scenarios and a plain-Python evaluator to check the kernels against.

The evaluator works straight from the Scenario (not the compiled model), so tests
that compare with it check compilation and kernels together.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
from hypothesis import strategies as st

from accord import Scenario
from accord.frameworks.model import Framework

__all__ = ["brute", "completions", "drafts", "evaluate", "matches", "small_scenarios"]


@st.composite
def small_scenarios(draw: st.DrawFn) -> Scenario:
    n_issues = draw(st.integers(1, 4))
    sizes = [draw(st.integers(1, 4)) for _ in range(n_issues)]
    issues = [
        {"id": f"i{i}", "options": [{"id": f"o{o}"} for o in range(size)]}
        for i, size in enumerate(sizes)
    ]
    level = st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0]) | st.floats(0, 1)
    parties = []
    for p in range(draw(st.integers(2, 4))):
        salience = {
            f"i{i}": draw(st.sampled_from([0.0, 1.0, 2.0]) | st.floats(0, 3))
            for i in range(n_issues)
        }
        if sum(salience.values()) <= 0:
            salience["i0"] = 1.0
        values = {
            f"i{i}": {f"o{o}": draw(level) for o in range(size)} for i, size in enumerate(sizes)
        }
        prefs: dict[str, Any] = {
            "salience": salience,
            "values": values,
            "reservation": {"value": draw(st.sampled_from([0.0, 0.2, 0.4]) | st.floats(0, 0.7))},
            "interactions": [
                {"when": _condition(draw, sizes), "value": draw(st.floats(-0.3, 0.3))}
                for _ in range(draw(st.integers(0, 2)))
            ],
            "red_lines": [
                {"when": _condition(draw, sizes), "reason": "no"}
                for _ in range(draw(st.integers(0, 2)))
            ],
        }
        parties.append({"id": f"p{p}", "name": f"P{p}", "role": "principal", "preferences": prefs})
    return Scenario.model_validate(
        {"id": "random", "title": "random", "parties": parties, "issues": issues}
    )


def _condition(draw: st.DrawFn, sizes: list[int]) -> dict[str, list[str]]:
    chosen = draw(st.lists(st.integers(0, len(sizes) - 1), min_size=1, max_size=2, unique=True))
    return {
        f"i{i}": draw(
            st.lists(st.sampled_from([f"o{o}" for o in range(sizes[i])]), min_size=1, unique=True)
        )
        for i in chosen
    }


def brute(scenario: Scenario) -> tuple[list[dict[str, str]], np.ndarray, np.ndarray]:
    """All outcomes in product order, their utilities and acceptability, in plain Python."""
    outcomes = [
        dict(zip([i.id for i in scenario.issues], combo, strict=True))
        for combo in itertools.product(*[i.option_ids() for i in scenario.issues])
    ]
    utilities, acceptable = [], []
    for outcome in outcomes:
        row_u, row_ok = evaluate(scenario, outcome)
        utilities.append(row_u)
        acceptable.append(all(row_ok))
    return outcomes, np.array(utilities), np.array(acceptable)


def matches(when: dict[str, tuple[str, ...]], outcome: dict[str, str]) -> bool:
    return all(outcome[i] in options for i, options in when.items())


def evaluate(scenario: Scenario, outcome: dict[str, str]) -> tuple[list[float], list[bool]]:
    """Every party's utility for ``outcome`` and whether it accepts it, by the formula."""
    utilities, accepts = [], []
    for party in scenario.parties:
        prefs = party.preferences
        assert prefs is not None
        total_w = sum(w.value for w in prefs.salience.values())
        u = sum(
            prefs.salience[i].value / total_w * prefs.values[i][o].value
            for i, o in outcome.items()
            if i in prefs.salience
        )
        u += sum(t.value for t in prefs.interactions if matches(t.when, outcome))
        crossed = any(matches(r.when, outcome) for r in prefs.red_lines)
        utilities.append(u)
        accepts.append(not crossed and u >= prefs.reservation.value - 1e-12)
    return utilities, accepts


@st.composite
def drafts(draw: st.DrawFn) -> tuple[Scenario, Framework]:
    """A small random scenario and a draft of it settling a random subset of its issues."""
    scenario = draw(small_scenarios())
    points: list[dict[str, Any]] = []
    for issue in scenario.issues:
        if draw(st.booleans()):
            option = draw(st.sampled_from(issue.option_ids()))
            if points and draw(st.booleans()):
                points[-1]["settles"][issue.id] = option
            else:
                points.append({"text": f"settle {issue.id}", "settles": {issue.id: option}})
    points.append({"text": "a procedural point"})
    framework = Framework.model_validate(
        {"id": "draft", "title": "draft", "scenario": scenario.id, "points": points}
    )
    return scenario, framework


def completions(scenario: Scenario, framework: Framework) -> list[dict[str, str]]:
    """Every outcome that agrees with the draft's settled issues, in product order."""
    fixed = {i: o for i, (o, _) in framework.settlement().items()}
    choices = [[fixed[i.id]] if i.id in fixed else list(i.option_ids()) for i in scenario.issues]
    names = [i.id for i in scenario.issues]
    return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*choices)]

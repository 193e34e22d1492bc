"""Minimal amendments: the fewest point changes that make a draft acceptable to all principals.

An amendment changes the option of settled issues or settles open ones. The amended
draft must be acceptable to every principal for every completion of the issues it
still leaves open. We search by increasing size k: for each set C of k issues, the
acceptability tensor of the whole space (one boolean per outcome, computed once,
vectorised) is fixed at the draft's options outside C and reduced with ``all`` over the
issues left open, which leaves exactly the valid new options for C. The first size with
any valid amendment is the minimum; its amendments are ranked by the Nash product of the
principals' (expected) gains over their reservation values (Nash 1950).

This is exact on spaces the analysis can enumerate.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
import numpy.typing as npt

from accord.analysis.analyze import DEFAULT_MAX_OUTCOMES, AnalysisError, analyze
from accord.analysis.pareto import TIE_TOLERANCE
from accord.analysis.results import Collision
from accord.engine.compiled import CompiledModel, compile_scenario
from accord.frameworks.draft import CompiledDraft, compile_draft, grid
from accord.frameworks.model import Framework
from accord.model.scenario import Scenario

__all__ = ["AmendChange", "Amendment", "AmendmentResult", "amend_framework"]

BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class AmendChange:
    issue: str
    point: int | None
    """The point that settles the issue now, or None when a new point settles it."""
    before: str | None
    after: str
    text_before: str | None
    text_after: str


@dataclass(frozen=True)
class Amendment:
    changes: tuple[AmendChange, ...]
    utilities_before: dict[str, float]
    utilities_after: dict[str, float]
    nash_product: float
    settled_after: dict[str, str]


@dataclass(frozen=True)
class AmendmentResult:
    framework: str
    principals: tuple[str, ...]
    size: int | None
    """Changes in each minimal amendment; 0 when the draft is acceptable already."""
    amendments: tuple[Amendment, ...]
    total_found: int
    collisions: tuple[Collision, ...]
    method: str
    exact: bool


def amend_framework(framework: Framework, scenario: Scenario, limit: int = 5) -> AmendmentResult:
    """The minimal amendments of ``framework`` (best ``limit`` shown, all counted)."""
    model = compile_scenario(scenario)
    principals = [
        model.party_index(p.id) for p in scenario.principals() if p.preferences is not None
    ]
    if not principals:
        raise AnalysisError("the scenario has no principals with preferences")
    if model.n_outcomes > DEFAULT_MAX_OUTCOMES:
        raise AnalysisError(
            f"the outcome space has {model.n_outcomes:,} outcomes; exact amendment by "
            f"enumeration handles at most {DEFAULT_MAX_OUTCOMES:,}"
        )
    draft = compile_draft(framework, model)
    accept = _acceptability(model, principals)
    size, found = _minimal(model, draft, accept)
    ids = tuple(model.party_ids[p] for p in principals)
    if size is None:
        zopa = analyze(scenario, list(ids)).zopa
        return AmendmentResult(framework.id, ids, None, (), 0, zopa.reasons, "enumerate", True)
    ranked = _rank(model, draft, principals, found)
    shown = tuple(_describe(model, draft, framework, scenario, a) for a in ranked[:limit])
    return AmendmentResult(framework.id, ids, size, shown, len(ranked), (), "enumerate", True)


def _acceptability(model: CompiledModel, principals: list[int]) -> BoolArray:
    """One boolean per outcome (acceptable to every principal), shaped by the issues."""
    floor = model.reservations[principals] - TIE_TOLERANCE
    flat = np.empty(model.n_outcomes, dtype=bool)
    for indices, options in model.chunks():
        evaluation = model.evaluate(options, principals)
        ok = ~evaluation.crossed & (evaluation.utilities >= floor)
        flat[indices] = ok.all(axis=1)
    return flat.reshape(model.radix)


_Candidate = tuple[tuple[int, ...], tuple[int, ...]]


def _minimal(
    model: CompiledModel, draft: CompiledDraft, accept: BoolArray
) -> tuple[int | None, list[_Candidate]]:
    n_issues = len(model.issue_ids)
    for size in range(n_issues + 1):
        found: list[_Candidate] = []
        for chosen in combinations(range(n_issues), size):
            found += _valid_assignments(draft, accept, chosen)
        if found:
            return size, found
    return None, []


def _valid_assignments(
    draft: CompiledDraft, accept: BoolArray, chosen: tuple[int, ...]
) -> list[_Candidate]:
    index: list[int | slice] = []
    kept_axes = []
    for issue in range(accept.ndim):
        if issue in draft.settled and issue not in chosen:
            index.append(draft.settled[issue])
        else:
            index.append(slice(None))
            kept_axes.append(issue)
    table = accept[tuple(index)]
    still_open = tuple(n for n, issue in enumerate(kept_axes) if issue not in chosen)
    valid = table.all(axis=still_open) if still_open else table
    valid = np.array(valid, dtype=bool, copy=True).reshape([accept.shape[i] for i in chosen])
    for axis, issue in enumerate(chosen):
        if issue in draft.settled:  # a change must change something
            np.moveaxis(valid, axis, 0)[draft.settled[issue]] = False
    return [(chosen, tuple(int(x) for x in row)) for row in np.argwhere(valid)]


def _rank(
    model: CompiledModel, draft: CompiledDraft, principals: list[int], found: list[_Candidate]
) -> list[tuple[_Candidate, npt.NDArray[np.float64], float]]:
    disagreement = model.reservations[principals]
    scored = []
    for candidate in found:
        chosen, options = candidate
        settled = {**draft.settled, **dict(zip(chosen, options, strict=True))}
        expected = _expected(model, settled)
        gains = np.maximum(expected[principals] - disagreement, 0.0)
        scored.append((candidate, expected, float(np.prod(gains))))
    scored.sort(key=lambda item: (-item[2], item[0]))
    return scored


def _expected(model: CompiledModel, settled: dict[int, int]) -> npt.NDArray[np.float64]:
    open_issues = [i for i in range(len(model.issue_ids)) if i not in settled]
    rows = grid(model, settled, open_issues).rows
    return np.asarray(model.utilities(rows).mean(axis=0), dtype=np.float64)


def _describe(
    model: CompiledModel,
    draft: CompiledDraft,
    framework: Framework,
    scenario: Scenario,
    ranked: tuple[_Candidate, npt.NDArray[np.float64], float],
) -> Amendment:
    (chosen, options), expected, nash = ranked
    before = _expected(model, draft.settled)
    changes = tuple(
        _change(model, draft, framework, scenario, issue, option)
        for issue, option in zip(chosen, options, strict=True)
    )
    settled = {**draft.settled, **dict(zip(chosen, options, strict=True))}
    return Amendment(
        changes=changes,
        utilities_before={p: float(u) for p, u in zip(model.party_ids, before, strict=True)},
        utilities_after={p: float(u) for p, u in zip(model.party_ids, expected, strict=True)},
        nash_product=nash,
        settled_after={
            model.issue_ids[i]: model.option_ids[i][o] for i, o in sorted(settled.items())
        },
    )


def _change(
    model: CompiledModel,
    draft: CompiledDraft,
    framework: Framework,
    scenario: Scenario,
    issue: int,
    option: int,
) -> AmendChange:
    spec = scenario.issues[issue]
    label = spec.options[option].label or spec.options[option].id
    title = spec.title or spec.id
    point = draft.point_of.get(issue)
    if point is None:
        return AmendChange(spec.id, None, None, spec.options[option].id, None, f"{title}: {label}.")
    old = framework.points[point - 1]
    alone = list(old.settles) == [spec.id]
    new_text = f"{title}: {label}." if alone else f"{old.text} Amended: {title}: {label}."
    return AmendChange(
        spec.id,
        point,
        model.option_ids[issue][draft.settled[issue]],
        spec.options[option].id,
        old.text,
        new_text,
    )

"""Point-by-point differences between two drafts, and what each changes for each party.

Points are matched by ``id`` when both drafts give ids, otherwise by position. The
effect of a difference is measured by applying it alone to the first draft: each
party's expected utility (open issues' options equally likely) after minus before.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from accord.analysis.structured.amend_model import expected_utilities as structured_expected
from accord.engine.compiled import CompiledModel, compile_scenario
from accord.frameworks.draft import compile_draft
from accord.frameworks.model import Framework, Point
from accord.model.scenario import Scenario

__all__ = ["DraftDiff", "IssueChange", "PointDiff", "diff_frameworks", "expected_utilities"]


@dataclass(frozen=True)
class IssueChange:
    issue: str
    before: str | None
    after: str | None
    """``None`` means the issue is open in that draft."""


@dataclass(frozen=True)
class PointDiff:
    kind: str
    """``added``, ``removed`` or ``changed``."""
    id: str | None
    number_before: int | None
    number_after: int | None
    text_before: str | None
    text_after: str | None
    issue_changes: tuple[IssueChange, ...]
    effect: dict[str, float]


@dataclass(frozen=True)
class DraftDiff:
    before: str
    after: str
    differences: tuple[PointDiff, ...]
    expected_before: dict[str, float]
    expected_after: dict[str, float]


def expected_utilities(model: CompiledModel, settled: dict[int, int]) -> npt.NDArray[np.float64]:
    """Each party's mean utility over the completions of ``settled`` (uniform open issues)."""
    return structured_expected(model, settled, list(range(len(model.party_ids))))


def _pairs(a: Framework, b: Framework) -> list[tuple[int | None, int | None]]:
    """Matched point positions (index in a, index in b); None where a point is missing."""
    if all(p.id for p in a.points) and all(p.id for p in b.points):
        where_b = {p.id: n for n, p in enumerate(b.points)}
        pairs: list[tuple[int | None, int | None]] = [
            (n, where_b.get(p.id)) for n, p in enumerate(a.points)
        ]
        matched = {m for _, m in pairs if m is not None}
        return pairs + [(None, m) for m in range(len(b.points)) if m not in matched]
    longest = max(len(a.points), len(b.points))
    return [
        (n if n < len(a.points) else None, n if n < len(b.points) else None) for n in range(longest)
    ]


def _settles(point: Point | None) -> dict[str, str]:
    return dict(point.settles) if point is not None else {}


def diff_frameworks(a: Framework, b: Framework, scenario: Scenario) -> DraftDiff:
    """Differences from draft ``a`` to draft ``b`` (both drafts of ``scenario``)."""
    model = compile_scenario(scenario)
    base = compile_draft(a, model).settled
    differences = []
    for i, j in _pairs(a, b):
        before = a.points[i] if i is not None else None
        after = b.points[j] if j is not None else None
        old, new = _settles(before), _settles(after)
        changes = tuple(
            IssueChange(issue, old.get(issue), new.get(issue))
            for issue in model.issue_ids
            if old.get(issue) != new.get(issue)
        )
        same_text = before is not None and after is not None and before.text == after.text
        if same_text and not changes:
            continue
        kind = "added" if before is None else "removed" if after is None else "changed"
        differences.append(
            PointDiff(
                kind=kind,
                id=before.id if before is not None else after.id if after is not None else None,
                number_before=None if i is None else i + 1,
                number_after=None if j is None else j + 1,
                text_before=before.text if before else None,
                text_after=after.text if after else None,
                issue_changes=changes,
                effect=_effect(model, base, changes),
            )
        )
    after_settled = compile_draft(b, model).settled
    return DraftDiff(
        before=a.id,
        after=b.id,
        differences=tuple(differences),
        expected_before=_named(model, expected_utilities(model, base)),
        expected_after=_named(model, expected_utilities(model, after_settled)),
    )


def _effect(
    model: CompiledModel, base: dict[int, int], changes: tuple[IssueChange, ...]
) -> dict[str, float]:
    if not changes:
        return dict.fromkeys(model.party_ids, 0.0)
    changed = dict(base)
    for change in changes:
        issue = model.issue_ids.index(change.issue)
        if change.after is None:
            changed.pop(issue, None)
        else:
            changed[issue] = model.option_ids[issue].index(change.after)
    delta = expected_utilities(model, changed) - expected_utilities(model, base)
    return _named(model, delta)


def _named(model: CompiledModel, values: npt.NDArray[np.float64]) -> dict[str, float]:
    return {party: float(v) for party, v in zip(model.party_ids, values, strict=True)}

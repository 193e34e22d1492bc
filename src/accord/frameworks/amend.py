"""Minimal amendments: the fewest point changes that make a draft acceptable to all principals.

An amendment changes the option of settled issues or settles open ones; the amended
draft must be acceptable to every principal for every completion of the issues it still
leaves open. The search is :func:`accord.analysis.structured.amend.minimal_amendment`:
by enumeration of the acceptability of every package on spaces small enough, by
mixed-integer programming (HiGHS) beyond, exact either way unless interrupted. All
amendments of the minimal size are ranked by the Nash product of the principals'
expected gains over their reservation values (Nash 1950). This module turns them into
point-by-point changes with the text to write and their effect on every party.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from accord.analysis.analyze import analyze
from accord.analysis.results import Collision
from accord.analysis.structured.amend import Amendment as Found
from accord.analysis.structured.amend import minimal_amendment
from accord.analysis.structured.amend_model import expected_utilities
from accord.engine.compiled import CompiledModel, compile_scenario
from accord.frameworks.draft import CompiledDraft, compile_draft
from accord.frameworks.flags import RedLineFlag, red_line_flags, required_parties
from accord.frameworks.model import Framework
from accord.model.scenario import Scenario

__all__ = ["AmendChange", "Amendment", "AmendmentResult", "amend_framework"]

_COUNT_UP_TO = 10_000
"""Minimal amendments counted (all of them, up to this many); the best ``limit`` shown."""


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
    flags: tuple[RedLineFlag, ...]
    """Red lines of any party (those who need not accept too) the amended draft crosses."""


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
    flags: tuple[RedLineFlag, ...]
    """Red lines of any party that the draft as it stands crosses."""


def amend_framework(
    framework: Framework,
    scenario: Scenario,
    limit: int = 5,
    method: str = "auto",
    parties: Sequence[str] | None = None,
    original: Scenario | None = None,
) -> AmendmentResult:
    """The minimal amendments of ``framework`` (best ``limit`` shown, all counted).

    ``parties`` must all accept the amended draft (default: the principals); every
    other party's red lines are checked and flagged, not enforced. ``original`` is the
    scenario before lifted red lines were removed (it numbers the flags).
    """
    model = compile_scenario(scenario)
    principals = required_parties(scenario, model, parties)
    draft = compile_draft(framework, model)
    found = minimal_amendment(model, draft.settled, principals, method=method, limit=_COUNT_UP_TO)
    ids = tuple(model.party_ids[p] for p in principals)
    collisions: tuple[Collision, ...] = ()
    if found.size is None:
        collisions = analyze(scenario, list(ids), method=method).zopa.reasons
    shown = tuple(
        _describe(model, draft, framework, scenario, amendment, original)
        for amendment in found.amendments[:limit]
    )
    return AmendmentResult(
        framework.id,
        ids,
        found.size,
        shown,
        len(found.amendments),
        collisions,
        found.method,
        found.exact and found.complete,
        red_line_flags(model, scenario, draft.settled, original),
    )


def _describe(
    model: CompiledModel,
    draft: CompiledDraft,
    framework: Framework,
    scenario: Scenario,
    found: Found,
    original: Scenario | None,
) -> Amendment:
    everyone = list(range(len(model.party_ids)))
    before = expected_utilities(model, dict(draft.settled), everyone)
    after = expected_utilities(model, dict(found.settled), everyone)
    changes = tuple(
        _change(model, draft, framework, scenario, issue, option)
        for issue, option in zip(found.issues, found.options, strict=True)
    )
    return Amendment(
        changes=changes,
        utilities_before={p: float(u) for p, u in zip(model.party_ids, before, strict=True)},
        utilities_after={p: float(u) for p, u in zip(model.party_ids, after, strict=True)},
        nash_product=found.nash_product,
        settled_after={
            model.issue_ids[i]: model.option_ids[i][o] for i, o in sorted(found.settled.items())
        },
        flags=red_line_flags(model, scenario, found.settled, original),
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

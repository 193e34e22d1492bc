"""Review of a draft: where each party stands, point by point, and what blocks agreement.

For each party with preferences: its utility for the draft (exact when every issue is
settled; otherwise the range over the open issues' completions and the expected value
with open options equally likely), the red lines the draft crosses and the points that
cross them, a stance on every point, and the points that block its acceptance.

A draft with open issues counts as *acceptable* to a party only when every completion
is; ``possibly_acceptable`` says some completion is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from accord.engine.compiled import CompiledModel, compile_scenario
from accord.frameworks.draft import CompiledDraft, acceptable_rows, compile_draft, grid
from accord.frameworks.flags import RedLineFlag, red_line_flags, required_parties
from accord.frameworks.model import Framework
from accord.model.scenario import Party, Role, Scenario

__all__ = ["PartyReview", "PointStance", "RedLineCrossing", "Review", "review_framework"]

_EPS = 1e-9


@dataclass(frozen=True)
class PointStance:
    number: int
    stance: str
    """``support``, ``oppose`` or ``indifferent``: the point against leaving its issues open."""
    delta: float
    """Value gained or lost against the party's own preferred options for the point's issues."""
    gain_vs_open: float


@dataclass(frozen=True)
class RedLineCrossing:
    reason: str
    points: tuple[int, ...]
    certain: bool
    """False when only some completions of the open issues cross it."""


@dataclass(frozen=True)
class PartyReview:
    party: str
    name: str
    role: str
    utility: float | None
    utility_range: tuple[float, float]
    expected_utility: float
    reservation: float
    reservation_label: str
    acceptable: bool
    possibly_acceptable: bool
    red_lines_crossed: tuple[RedLineCrossing, ...]
    points: tuple[PointStance, ...]
    blocking_points: tuple[int, ...]
    why: str


@dataclass(frozen=True)
class Review:
    framework: str
    title: str
    scenario: str
    draft: int
    open_issues: tuple[str, ...]
    parties: tuple[PartyReview, ...]
    acceptable_to_all_principals: bool
    rejected_by: tuple[str, ...]
    verdict: str
    must_accept: tuple[str, ...]
    """The parties whose acceptance agreement needs (the principals unless named)."""
    flags: tuple[RedLineFlag, ...]
    """Every party's red lines the draft crosses (or may cross, through its open issues)."""


def review_framework(
    framework: Framework,
    scenario: Scenario,
    parties: Sequence[str] | None = None,
    original: Scenario | None = None,
) -> Review:
    """Review ``framework`` (a draft of ``scenario``) for every party with preferences.

    Agreement needs ``parties`` (default: the principals) to accept; every party's red
    lines are flagged. ``original`` (the scenario before lifts) numbers the flags.
    """
    model = compile_scenario(scenario)
    draft = compile_draft(framework, model)
    reviews = tuple(
        _review_party(model, draft, framework, scenario.party(party_id), p)
        for p, party_id in enumerate(model.party_ids)
    )
    if parties is None and not any(r.role == Role.PRINCIPAL.value for r in reviews):
        needed: list[int] = []
    else:
        needed = required_parties(scenario, model, parties)
    principals = [reviews[p] for p in needed]
    rejected = tuple(r.party for r in principals if not r.acceptable)
    flags = red_line_flags(model, scenario, draft.settled, original)
    return Review(
        framework=framework.id,
        title=framework.title,
        scenario=scenario.id,
        draft=framework.draft,
        open_issues=tuple(model.issue_ids[i] for i in draft.open_issues),
        parties=reviews,
        acceptable_to_all_principals=bool(principals) and not rejected,
        rejected_by=rejected,
        verdict=_verdict(principals, rejected, flags, reviews),
        must_accept=tuple(r.party for r in principals),
        flags=flags,
    )


def _verdict(
    principals: list[PartyReview],
    rejected: tuple[str, ...],
    flags: tuple[RedLineFlag, ...],
    reviews: tuple[PartyReview, ...],
) -> str:
    if not principals:
        return "The scenario has no principals with preferences to review against."
    who = "principal" if all(r.role == Role.PRINCIPAL.value for r in principals) else "party named"
    if not rejected:
        verdict = f"Acceptable to every {who}."
    else:
        reasons = "; ".join(f"{r.name}: {r.why}" for r in principals if not r.acceptable)
        verdict = f"Not acceptable to every {who}. {reasons}"
    needed = {r.party for r in principals}
    names = {r.party: r.name for r in reviews}
    others = [f.describe(names) for f in flags if f.party not in needed]
    if others:
        verdict = verdict.rstrip(".") + ". Flagged, red lines of parties who need not accept: "
        verdict += "; ".join(others) + "."
    return verdict


def _review_party(
    model: CompiledModel, draft: CompiledDraft, framework: Framework, party: Party, p: int
) -> PartyReview:
    assert party.preferences is not None
    completions = grid(model, draft.settled, draft.open_issues)
    utilities, _, ok = acceptable_rows(model, completions.rows, [p])
    u = utilities[:, 0]
    crossings = tuple(_crossings(model, draft, party, p, completions.rows))
    acceptable = bool(ok.all())
    reservation = party.preferences.reservation
    stances = tuple(_stance(model, draft, p, n) for n in range(1, len(framework.points) + 1))
    blocking = () if acceptable else tuple(_blocking_points(model, draft, p, len(framework.points)))
    return PartyReview(
        party=party.id,
        name=party.name,
        role=party.role.value,
        utility=float(u[0]) if u.shape[0] == 1 else None,
        utility_range=(float(u.min()), float(u.max())),
        expected_utility=float(u.mean()),
        reservation=reservation.value,
        reservation_label=reservation.label,
        acceptable=acceptable,
        possibly_acceptable=bool(ok.any()),
        red_lines_crossed=crossings,
        points=stances,
        blocking_points=blocking,
        why=_why(party, crossings, float(u.max()), acceptable, bool(ok.any())),
    )


def _crossings(
    model: CompiledModel, draft: CompiledDraft, party: Party, p: int, rows: np.ndarray
) -> list[RedLineCrossing]:
    assert party.preferences is not None
    own = [line for line in model.red_lines if line.party == p]
    found = []
    for spec, line in zip(party.preferences.red_lines, own, strict=True):
        matched = line.matches(rows)
        if matched.any():
            points = sorted({draft.point_of[i] for i in line.issues if i in draft.point_of})
            found.append(RedLineCrossing(spec.reason, tuple(points), bool(matched.all())))
    return found


def _why(
    party: Party, crossings: tuple[RedLineCrossing, ...], best: float, ok: bool, maybe: bool
) -> str:
    """Why the draft is not acceptable to ``party``, in plain words."""
    assert party.preferences is not None
    if ok:
        return "acceptable"
    reasons = [
        f"crosses its red line ({c.reason.rstrip('.')})"
        + (
            f" in point{'s' if len(c.points) > 1 else ''} {', '.join(map(str, c.points))}"
            if c.points
            else ""
        )
        for c in crossings
        if c.certain
    ]
    reservation = party.preferences.reservation
    if best < reservation.value - 1e-12:
        reasons.append(
            f"gives it {'at best ' if maybe else ''}{best:.3f}, less than "
            f"{reservation.label[0].lower() + reservation.label[1:]} ({reservation.value:.3f})"
        )
    if not reasons:
        return "acceptable only if the open issues are settled in its favour"
    return "; ".join(reasons)


def _stance(model: CompiledModel, draft: CompiledDraft, p: int, number: int) -> PointStance:
    issues = draft.issues_of_point(number)
    if not issues:
        return PointStance(number, "indifferent", 0.0, 0.0)
    delta = sum(
        float(model.tables[i][p, draft.settled[i]] - model.tables[i][p].max()) for i in issues
    )
    with_point = grid(model, draft.settled, draft.open_issues)
    without = grid(model, draft.settled, sorted([*draft.open_issues, *issues]))
    u_with, crossed_with, _ = acceptable_rows(model, with_point.rows, [p])
    u_without, crossed_without, _ = acceptable_rows(model, without.rows, [p])
    gain = float(u_with.mean() - u_without.mean())
    newly_crossed = crossed_with.mean() > crossed_without.mean() + _EPS
    if newly_crossed or gain < -_EPS:
        stance = "oppose"
    elif gain > _EPS:
        stance = "support"
    else:
        stance = "indifferent"
    return PointStance(number, stance, delta, gain)


def _blocking_points(
    model: CompiledModel, draft: CompiledDraft, p: int, n_points: int
) -> list[int]:
    """Points that, removed or settled differently, would make the draft acceptable to p."""
    blocking = []
    for number in range(1, n_points + 1):
        issues = draft.issues_of_point(number)
        if not issues:
            continue
        free = [*issues, *draft.open_issues]
        options = grid(model, draft.settled, free)
        _, _, ok = acceptable_rows(model, options.rows, [p])
        per_choice = ok[:, 0].reshape(
            -1, int(np.prod(options.shape[len(issues) :], dtype=np.int64))
        )
        accepted = np.array(per_choice.all(axis=1), dtype=bool)
        current = np.ravel_multi_index(
            tuple(draft.settled[i] for i in issues), options.shape[: len(issues)]
        )
        accepted[current] = False
        if accepted.any():
            blocking.append(number)
    return blocking

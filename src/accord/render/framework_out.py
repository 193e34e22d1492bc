"""Framework results (review, diff, amendments, mediation) as JSON data and report sections."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from accord.frameworks.amend import AmendmentResult
from accord.frameworks.diff import DraftDiff
from accord.frameworks.flags import RedLineFlag, flag_data
from accord.frameworks.review import Review
from accord.model.scenario import Scenario
from accord.render.report import Report, Section, Table, lifted_cell

__all__ = [
    "amendment_data",
    "amendment_report",
    "diff_data",
    "diff_report",
    "review_data",
    "review_report",
]


def _u(value: float) -> str:
    return f"{value:.3f}"


def _signed(value: float) -> str:
    return f"{value:+.3f}"


def review_data(review: Review) -> dict[str, Any]:
    parties = []
    for party in review.parties:
        entry: dict[str, Any] = {"id": party.party, "name": party.name, "role": party.role}
        if party.utility is not None:
            entry["utility"] = party.utility
        else:
            entry["utility_range"] = list(party.utility_range)
            entry["expected_utility"] = party.expected_utility
        entry |= {
            "reservation": party.reservation,
            "acceptable": party.acceptable,
            "possibly_acceptable": party.possibly_acceptable,
            "red_lines_crossed": [
                {"reason": c.reason, "points": list(c.points), "certain": c.certain}
                for c in party.red_lines_crossed
            ],
            "points": [asdict(p) for p in party.points],
            "blocking_points": list(party.blocking_points),
            "why": party.why,
        }
        parties.append(entry)
    return {
        "framework": review.framework,
        "title": review.title,
        "scenario": review.scenario,
        "draft": review.draft,
        "open_issues": list(review.open_issues),
        "acceptable_to_all_principals": review.acceptable_to_all_principals,
        "must_accept": list(review.must_accept),
        "rejected_by": list(review.rejected_by),
        "verdict": review.verdict,
        "flags": flag_data(review.flags),
        "parties": parties,
    }


def flag_section(flags: tuple[RedLineFlag, ...], names: dict[str, str], what: str) -> Section:
    """Every party's red lines that ``what`` crosses: flagged, whoever must accept."""
    if not flags:
        return Section("Red-line flags", (f"{what} crosses no party's red line.",))
    rows = tuple(
        (names.get(f.party, f.party), str(f.red_line), f.text, "yes" if f.certain else "possibly")
        for f in flags
    )
    return Section(
        "Red-line flags",
        (f"Red lines of any party (not only those who must accept) that {what.lower()} crosses:",),
        (Table(("Party", "Red line", "Reason", "Crossed"), rows),),
    )


def review_report(review: Review, n_points: int) -> Report:
    standing = Table(
        ("Party", "Utility", "Without agreement", "Acceptable", "Red lines crossed", "Blocking"),
        tuple(
            (
                p.name,
                _u(p.utility)
                if p.utility is not None
                else (
                    f"{_u(p.utility_range[0])}–{_u(p.utility_range[1])} "
                    f"(expected {_u(p.expected_utility)})"
                ),
                _u(p.reservation),
                "yes"
                if p.acceptable
                else ("if open issues go its way" if p.possibly_acceptable else "no"),
                "; ".join(
                    f"{c.reason} (points {', '.join(map(str, c.points)) or '-'})"
                    for c in p.red_lines_crossed
                )
                or "none",
                ", ".join(map(str, p.blocking_points)) or "-",
            )
            for p in review.parties
        ),
    )
    stances = Table(
        ("Point", *(p.name for p in review.parties)),
        tuple(
            (str(n), *(_stance_cell(p.points[n - 1]) for p in review.parties))
            for n in range(1, n_points + 1)
        ),
    )
    open_text = ", ".join(review.open_issues) or "none"
    return Report(
        title=f"Review: {review.title}",
        subtitle=f"draft {review.draft} of {review.scenario} · open issues: {open_text}",
        sections=(
            Section("Verdict", (review.verdict,)),
            flag_section(review.flags, {p.party: p.name for p in review.parties}, "The draft"),
            Section("Where each party stands", tables=(standing,)),
            Section(
                "Point by point",
                (
                    "Stance on each point against leaving its issues open; in brackets, what the "
                    "point costs the party against its own preferred options.",
                ),
                (stances,),
            ),
        ),
    )


def _stance_cell(stance: Any) -> str:
    if stance.stance == "indifferent" and stance.delta == 0:
        return "·"
    return f"{stance.stance} ({_signed(stance.delta)})"


def diff_data(diff: DraftDiff) -> dict[str, Any]:
    return {
        "before": diff.before,
        "after": diff.after,
        "differences": [asdict(d) for d in diff.differences],
        "expected_before": diff.expected_before,
        "expected_after": diff.expected_after,
    }


def diff_report(diff: DraftDiff, scenario: Scenario) -> Report:
    names = {p.id: p.name for p in scenario.parties}
    rows = []
    for d in diff.differences:
        where = f"{d.number_before or '-'} → {d.number_after or '-'}"
        changes = (
            "; ".join(
                f"{c.issue}: {c.before or 'open'} → {c.after or 'open'}" for c in d.issue_changes
            )
            or "text only"
        )
        effect = ", ".join(f"{names[p]} {_signed(v)}" for p, v in d.effect.items())
        rows.append((f"{d.kind} {d.id or ''}".strip(), where, changes, effect))
    totals = tuple(
        (
            names[p],
            _u(diff.expected_before[p]),
            _u(diff.expected_after[p]),
            _signed(diff.expected_after[p] - diff.expected_before[p]),
        )
        for p in diff.expected_before
    )
    texts = tuple(
        f"{d.id or d.number_after or d.number_before}: “{d.text_before or ''}” → "
        f"“{d.text_after or ''}”"
        for d in diff.differences
        if d.text_before != d.text_after
    )
    return Report(
        title=f"Differences: {diff.before} → {diff.after}",
        subtitle=f"{len(diff.differences)} point(s) differ",
        sections=(
            Section(
                "Points",
                (
                    "Each difference applied alone to the first draft; effect on "
                    "each party's expected utility.",
                ),
                (Table(("Point", "Number", "Settlement", "Effect"), tuple(rows)),),
                texts,
            ),
            Section("Overall", tables=(Table(("Party", "Before", "After", "Change"), totals),)),
        ),
    )


def amendment_data(result: AmendmentResult) -> dict[str, Any]:
    return {
        "framework": result.framework,
        "principals": list(result.principals),
        "size": result.size,
        "method": result.method,
        "exact": result.exact,
        "total_found": result.total_found,
        "flags": flag_data(result.flags),
        "amendments": [asdict(a) for a in result.amendments],
        "collisions": [asdict(c) for c in result.collisions],
    }


def amendment_report(result: AmendmentResult, scenario: Scenario) -> Report:
    names = {p.id: p.name for p in scenario.parties}
    principals = {p.id for p in scenario.principals()}
    who = "principal" if set(result.principals) <= principals else "party named"
    if result.size is None:
        rows = tuple(
            (names[c.party], c.description, lifted_cell(c.zopa_if_dropped, c.opens_if_dropped))
            for c in result.collisions
        )
        return Report(
            title=f"Amendments: {result.framework}",
            subtitle=f"no amendment can make this draft acceptable to every {who}",
            sections=(
                Section(
                    "Why",
                    (f"No package is acceptable to every {who}; these constraints collide:",),
                    (Table(("Party", "Constraint", "Zone if lifted alone"), rows),),
                ),
            ),
        )
    if result.size == 0:
        return Report(
            f"Amendments: {result.framework}",
            "the draft is acceptable to every party that must accept already",
            (flag_section(result.flags, names, "The draft"),),
        )
    sections = tuple(_amendment_section(n, a, names) for n, a in enumerate(result.amendments, 1))
    return Report(
        title=f"Amendments: {result.framework}",
        subtitle=(
            f"{result.total_found} minimal amendment(s) of {result.size} change(s); "
            f"best {len(result.amendments)} by Nash product "
            f"({'exact' if result.exact else 'bound'}, {result.method})"
        ),
        sections=sections,
    )


def _amendment_section(number: int, amendment: Any, names: dict[str, str]) -> Section:
    rows = tuple(
        (
            f"point {c.point}" if c.point else "new point",
            f"{c.issue}: {c.before or 'open'} → {c.after}",
            c.text_before or "",
            c.text_after,
        )
        for c in amendment.changes
    )
    effects = tuple(
        (
            names[p],
            _u(amendment.utilities_before[p]),
            _u(u),
            _signed(u - amendment.utilities_before[p]),
        )
        for p, u in amendment.utilities_after.items()
    )
    flags = tuple(f"Flag: {f.describe(names)}." for f in amendment.flags) or (
        "Crosses no party's red line.",
    )
    return Section(
        f"Amendment {number} (Nash product {amendment.nash_product:.4f})",
        tables=(
            Table(("Where", "Change", "Text now", "Text to write"), rows),
            Table(("Party", "Before", "After", "Change"), effects),
        ),
        notes=flags,
    )

"""Renderers of a :class:`~accord.robustness.Robustness` result: JSON data with the
keys issue 14 names, and a format-neutral report (text and Markdown) that leads with
the conclusions holding in at least 95 % of draws, then the fragile ones, each with
the inputs it is most sensitive to."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accord.render.report import Report, Section, Table
from accord.robustness.results import Robustness, Stability

__all__ = ["ROBUST_SHARE", "Conclusion", "conclusions", "robustness_report", "robustness_to_data"]

ROBUST_SHARE = 0.95
_TITLES = {
    "nash": "Nash",
    "kalai_smorodinsky": "Kalai–Smorodinsky",
    "egalitarian": "egalitarian",
    "utilitarian": "utilitarian",
}


def robustness_to_data(result: Robustness) -> dict[str, Any]:
    """JSON-ready data: ``draws``, ``seed``, ``lifted``, ``zone_nonempty``, ``solutions``,
    ``packages``, ``stability`` (and, for a framework, ``parties`` and ``points``)."""
    data: dict[str, Any] = {
        "draws": result.draws,
        "seed": result.seed,
        "lifted": list(result.lifted),
        "zone_nonempty": result.zone_nonempty,
        "solutions": {
            name: [{"outcome": s.outcome, "probability": s.probability} for s in shares]
            for name, shares in result.solutions.items()
        },
        "packages": [
            {"outcome": p.outcome, "acceptable_to_all": p.acceptable_to_all, "pareto": p.pareto}
            for p in result.packages
        ],
        "stability": [
            {
                "party": s.party,
                "path": s.path,
                "value": s.value,
                "verdict": s.verdict,
                "low": s.low,
                "high": s.high,
                "exact": s.exact,
            }
            for s in result.stability
        ],
    }
    if result.framework is not None:
        data["parties"] = [{"id": p.id, "p_accept": p.p_accept} for p in result.party_acceptance]
        data["points"] = [{"number": p.number, "p_blocking": p.p_blocking} for p in result.points]
    return data


@dataclass(frozen=True)
class Conclusion:
    """A statement, the share of draws in which it holds, and what it is sensitive to."""

    text: str
    probability: float
    sensitive: tuple[Stability, ...]


def _package(outcome: dict[str, str]) -> str:
    return ", ".join(f"{issue}={option}" for issue, option in outcome.items())


def _sensitive(result: Robustness, verdict: str, party: str | None = None) -> tuple[Stability, ...]:
    moving = [
        s
        for s in result.stability
        if s.verdict == verdict and s.flip_share > 0 and party in (None, s.party)
    ]
    return tuple(sorted(moving, key=lambda s: (-s.flip_share, s.path))[:3])


def conclusions(result: Robustness) -> list[Conclusion]:
    """The headline conclusions, each stated the way most draws answer it."""
    zone = result.zone_nonempty
    found = [
        Conclusion(
            "a zone of agreement exists" if zone >= 0.5 else "there is no zone of agreement",
            zone if zone >= 0.5 else 1 - zone,
            _sensitive(result, "zone_nonempty"),
        )
    ]
    for name, shares in result.solutions.items():
        if shares:
            found.append(
                Conclusion(
                    f"the {_TITLES[name]} solution is {_package(shares[0].outcome)}",
                    shares[0].probability,
                    _sensitive(result, name),
                )
            )
    for party in result.party_acceptance:
        p = party.p_accept
        verb = "accepts" if p >= 0.5 else "rejects"
        found.append(
            Conclusion(
                f"{party.id} {verb} the draft",
                max(p, 1 - p),
                _sensitive(result, "accepts", party.id),
            )
        )
    return sorted(found, key=lambda c: -c.probability)


def _conclusion_rows(items: list[Conclusion]) -> tuple[tuple[str, ...], ...]:
    return tuple(
        (
            c.text,
            f"{c.probability:.1%}",
            "; ".join(f"{s.path} ({s.flip_share:.0%} of its range flips it)" for s in c.sensitive)
            or "—",
        )
        for c in items
    )


def robustness_report(result: Robustness) -> Report:
    found = conclusions(result)
    robust = [c for c in found if c.probability >= ROBUST_SHARE]
    fragile = [c for c in found if c.probability < ROBUST_SHARE]
    headers = ("conclusion", "share of draws", "most sensitive inputs")
    sections = [
        Section(
            f"Holds in at least {ROBUST_SHARE:.0%} of draws",
            tables=(Table(headers, _conclusion_rows(robust)),) if robust else (),
            paragraphs=() if robust else ("None.",),
        ),
        Section(
            "Fragile",
            tables=(Table(headers, _conclusion_rows(fragile)),) if fragile else (),
            paragraphs=() if fragile else ("None.",),
        ),
        *_framework_sections(result),
        _solutions_section(result),
        _packages_section(result),
        _stability_section(result),
    ]
    subtitle = (
        f"{result.draws:,} draws, seed {result.seed}; parties: {', '.join(result.parties)}; "
        f"{len(result.uncertain)} uncertain number(s)"
    )
    if result.lifted:
        subtitle += f"; lifted: {', '.join(result.lifted)}"
    notes = Section("Notes", paragraphs=result.notes) if result.notes else None
    return Report(
        f"Robustness: {result.title}",
        subtitle,
        tuple(s for s in (*sections, notes) if s is not None),
    )


def _framework_sections(result: Robustness) -> list[Section]:
    if result.framework is None:
        return []
    parties = tuple((p.id, f"{p.p_accept:.1%}") for p in result.party_acceptance)
    points = tuple((str(p.number), f"{p.p_blocking:.1%}") for p in result.points)
    return [
        Section(
            f"Framework {result.framework}: share of draws each party accepts the draft",
            tables=(Table(("party", "accepts"), parties),),
        ),
        Section(
            "Share of draws each point blocks a party that must accept",
            tables=(Table(("point", "blocking"), points),),
        ),
    ]


def _solutions_section(result: Robustness) -> Section:
    rows = [
        (_TITLES[name], _package(s.outcome), f"{s.probability:.1%}")
        for name, shares in result.solutions.items()
        for s in shares[:5]
    ]
    return Section(
        "Bargaining solutions (share of draws each package is the solution; top 5)",
        tables=(Table(("solution", "package", "share"), tuple(rows)),) if rows else (),
        paragraphs=() if rows else ("No draw has a zone of agreement.",),
    )


def _packages_section(result: Robustness) -> Section:
    rows = tuple(
        (_package(p.outcome), f"{p.acceptable_to_all:.1%}", f"{p.pareto:.1%}")
        for p in result.packages
    )
    return Section(
        "Packages most often acceptable to every party analysed",
        tables=(Table(("package", "acceptable to all", "Pareto-optimal"), rows),) if rows else (),
        paragraphs=() if rows else ("No package is acceptable to all in any draw.",),
    )


def _bound(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _stability_section(result: Robustness) -> Section:
    ordered = sorted(result.stability, key=lambda s: (-s.flip_share, s.verdict, s.path))
    rows = tuple(
        (
            s.path,
            s.verdict,
            f"{s.value:.3f}",
            f"[{_bound(s.low)}, {_bound(s.high)}]",
            f"{s.flip_share:.0%}",
            "exact" if s.exact else "approximate",
        )
        for s in ordered
    )
    headers = ("number", "verdict", "value", "stable within", "range flipping", "")
    return Section(
        "Stability: how far each number can move, the others at their values, before the "
        "verdict changes (— : nowhere within the number's bounds)",
        tables=(Table(headers, rows),) if rows else (),
        paragraphs=() if rows else ("No uncertain number of an analysed party.",),
    )

"""A format-neutral report of an analysis: sections of paragraphs and tables.

Terminal (rich) and Markdown renderers both draw this structure, so the words and
numbers a reader sees are the same in every format.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from accord.analysis.results import Analysis, OutcomePoint, Solution, Trades
from accord.model.scenario import Scenario

__all__ = ["Report", "Section", "Table", "analysis_report", "lifted_cell"]

_FRONTIER_ROWS = 12
_SOLUTION_TITLES = {
    "nash": "Nash",
    "kalai_smorodinsky": "Kalai–Smorodinsky",
    "egalitarian": "Egalitarian",
    "utilitarian": "Utilitarian",
}


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    title: str | None = None


@dataclass(frozen=True)
class Section:
    title: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Report:
    title: str
    subtitle: str
    sections: tuple[Section, ...] = field(default=())


def _u(value: float) -> str:
    return f"{value:.3f}"


def _count(value: int | None) -> str:
    return "not counted" if value is None else f"{value:,}"


_METHODS = {
    "enumerate": "every package enumerated",
    "structured": "structured solvers (mixed-integer programming and frontier merging, "
    "no enumeration)",
}


class _Names:
    """Readable labels for parties, issues and options."""

    def __init__(self, scenario: Scenario) -> None:
        self.party = {p.id: p.name for p in scenario.parties}
        self.issue = {i.id: i.title or i.id for i in scenario.issues}
        self.option = {(i.id, o.id): o.label or o.id for i in scenario.issues for o in i.options}

    def outcome(self, point: OutcomePoint) -> str:
        return "; ".join(f"{issue}={option}" for issue, option in point.outcome.items())

    def utilities(self, point: OutcomePoint) -> str:
        return ", ".join(f"{self.party[p]} {_u(u)}" for p, u in point.utilities.items())


def analysis_report(scenario: Scenario, analysis: Analysis) -> Report:
    """Build the report ``accord analyze`` prints."""
    names = _Names(scenario)
    parties = ", ".join(names.party[p] for p in analysis.parties)
    lifted = "".join(f"\n{note}" for note in analysis.notes)
    method = _METHODS.get(analysis.method, analysis.method)
    return Report(
        title=analysis.title,
        subtitle=(
            f"{analysis.outcome_count:,} possible packages · analysed for {parties} · "
            f"{method}{lifted}"
        ),
        sections=(
            _standing(analysis, names),
            _zopa(analysis, names),
            _solutions(analysis, names),
            _frontier(analysis, names),
            *((_trades(analysis.trades, names),) if analysis.trades else ()),
            _evidence(analysis),
        ),
    )


def _standing(analysis: Analysis, names: _Names) -> Section:
    rows = tuple(
        (
            s.name,
            f"{s.reservation_label} ({_u(s.reservation)})",
            _count(s.acceptable_count),
            _count(s.crossing_red_lines),
            _count(s.below_reservation),
            f"{_u(s.worst.utilities[s.id])}–{_u(s.best.utilities[s.id])}",
        )
        for s in analysis.party_summaries
    )
    headers = (
        "Party",
        "Without agreement",
        "Acceptable",
        "Cross a red line",
        "Below reservation",
        "Utility range",
    )
    notes: tuple[str, ...] = tuple(
        f"Best for {s.name}: {names.outcome(s.best)}" for s in analysis.party_summaries
    )
    if any(s.acceptable_count is None for s in analysis.party_summaries):
        notes += (
            "Counting packages needs enumeration; at this size the structured solvers "
            "find the best and worst packages exactly but do not count.",
        )
    return Section("Where each party stands", tables=(Table(headers, rows),), notes=notes)


def _zopa(analysis: Analysis, names: _Names) -> Section:
    zopa = analysis.zopa
    total = analysis.outcome_count
    if zopa.size is None and not zopa.examples:
        text = "Not decided: the structured search was interrupted first."
        return Section("Zone of possible agreement", paragraphs=(text,))
    if zopa.size is None:
        text = (
            "At least one package is acceptable to every party analysed (the zone is not "
            f"counted: {total:,} packages are too many to enumerate)."
        )
        examples = tuple(f"For example: {names.outcome(p)}" for p in zopa.examples[:3])
        return Section("Zone of possible agreement", paragraphs=(text,), notes=examples)
    if zopa.size > 0:
        share = 100 * zopa.size / total
        text = (
            f"{zopa.size:,} of {total:,} packages ({share:.1f}%) are acceptable to every "
            "party analysed."
        )
        return Section("Zone of possible agreement", paragraphs=(text,))
    lead = (
        "No package is acceptable to every party analysed. These constraints together "
        "exclude every package:"
    )
    rows = tuple(
        (
            names.party[r.party],
            f"red line {r.red_line}" if r.kind == "red_line" else "reservation value",
            r.description,
            _count(r.excludes),
            lifted_cell(r.zopa_if_dropped, r.opens_if_dropped),
        )
        for r in zopa.reasons
    )
    headers = ("Party", "Constraint", "What it says", "Excludes", "Zone if lifted alone")
    notes = tuple(
        f"{names.party[r.party]}: {quote}" for r in zopa.reasons for quote in r.evidence
    ) + tuple(f"{names.party[r.party]} (assumed): {r.assumed}" for r in zopa.reasons if r.assumed)
    lift = " ".join(f"--lift {r.party}:{r.red_line}" for r in zopa.reasons if r.red_line)
    notes += (f"To see what lifting a red line opens: accord analyze ... {lift}",) if lift else ()
    return Section("Zone of possible agreement: empty", (lead,), (Table(headers, rows),), notes)


def lifted_cell(count: int | None, opens: bool | None) -> str:
    if count is not None:
        return f"{count:,}"
    if opens is None:
        return "not computed"
    return "opens (not counted)" if opens else "stays empty"


BLOCS_ONCE = (
    "each of a bloc's k members weighs 1/k in the Nash product and the utilitarian sum, "
    "and its worst-off member stands for it in Kalai–Smorodinsky and egalitarian"
)


def _solutions(analysis: Analysis, names: _Names) -> Section:
    found = {k: v for k, v in analysis.solutions.items() if v is not None}
    blocs = analysis.blocs.sentence(BLOCS_ONCE, names.party)
    bloc_notes = (blocs,) if blocs else ()
    if not found:
        return Section(
            "Bargaining solutions",
            (
                "None: the solutions are chosen among packages every party accepts, and there "
                "are none.",
            ),
            notes=bloc_notes,
        )
    headers = ("", *(_SOLUTION_TITLES[k] for k in found))
    first = next(iter(found.values()))
    issue_rows = tuple(
        (
            names.issue[issue],
            *(names.option[(issue, s.point.outcome[issue])] for s in found.values()),
        )
        for issue in first.point.outcome
    )
    utility_rows = tuple(
        (f"utility: {names.party[p]}", *(_gain_cell(s, p) for s in found.values()))
        for p in first.point.utilities
    )
    notes = bloc_notes + tuple(f"{_SOLUTION_TITLES[k]}: {s.citation}." for k, s in found.items())
    unproven = [_SOLUTION_TITLES[k] for k, s in found.items() if not s.exact]
    if unproven:
        notes += (f"Not proven optimal (search interrupted): {', '.join(unproven)}.",)
    lead = (
        "Chosen among the packages every party accepts; gains are measured from each "
        "party's reservation value."
    )
    return Section(
        "Bargaining solutions", (lead,), (Table(headers, issue_rows + utility_rows),), notes
    )


def _gain_cell(solution: Solution, party: str) -> str:
    return f"{_u(solution.point.utilities[party])} (+{_u(solution.gains[party])})"


def _frontier(analysis: Analysis, names: _Names) -> Section:
    points = analysis.pareto_frontier
    shown = sorted(points, key=lambda p: (not p.acceptable, -sum(p.utilities.values())))
    headers = ("Package", *(names.party[p] for p in analysis.parties), "Acceptable to all")
    rows = tuple(
        (names.outcome(p), *(_u(u) for u in p.utilities.values()), "yes" if p.acceptable else "no")
        for p in shown[:_FRONTIER_ROWS]
    )
    acceptable = sum(p.acceptable for p in points)
    lead = (
        f"{len(points):,} Pareto-optimal packages (no other package is at least as good "
        f"for every party and better for one); {acceptable:,} of them acceptable to all."
    )
    notes: tuple[str, ...] = (
        (f"{len(points) - _FRONTIER_ROWS:,} more in --format json.",)
        if len(points) > _FRONTIER_ROWS
        else ()
    )
    info = analysis.pareto_frontier_info
    if info is not None and not info.exact:
        quality = (
            f"; hypervolume ratio against the bound at least {info.hypervolume_ratio:.3f}"
            if info.hypervolume_ratio is not None
            else ""
        )
        notes += (f"Approximate frontier ({info.note or 'not proven complete'}){quality}.",)
    return Section("Pareto frontier", (lead,), (Table(headers, rows),), notes)


def _trades(trades: Trades, names: _Names) -> Section:
    a, b = trades.parties
    lead = (
        f"From {trades.reference_label} ({names.outcome(trades.reference)}): changes of one "
        f"or two issues that leave both {names.party[a]} and {names.party[b]} better off."
    )
    if not trades.trades:
        return Section("Trades", (lead, "None found."))
    rows = tuple(
        (
            "; ".join(f"{c.issue}: {c.before} → {c.after}" for c in t.changes),
            f"+{_u(t.gains[a])}",
            f"+{_u(t.gains[b])}",
            "logroll" if t.logroll else ("improvement" if len(t.changes) == 1 else "pair"),
            "yes" if t.result.acceptable else "no",
        )
        for t in trades.trades
    )
    headers = ("Change", names.party[a], names.party[b], "Kind", "Acceptable to all")
    notes = (f"{trades.total_found:,} found; showing {len(trades.trades)}.",)
    return Section("Trades", (lead,), (Table(headers, rows),), notes)


def _evidence(analysis: Analysis) -> Section:
    lead = (
        f"The positions of the parties analysed cite sources {analysis.cited} times; "
        f"{len(analysis.assumptions)} statements are modelling assumptions:"
    )
    rows = tuple((a.path, a.rationale) for a in analysis.assumptions)
    notes: tuple[str, ...] = ()
    if analysis.unsupported:
        shown = ", ".join(analysis.unsupported[:8])
        more = " …" if len(analysis.unsupported) > 8 else ""
        notes = (
            f"{len(analysis.unsupported)} numbers cite no source and are not marked assumed: "
            f"{shown}{more}",
        )
    return Section("What this rests on", (lead,), (Table(("Where", "Assumption"), rows),), notes)

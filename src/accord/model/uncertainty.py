"""Where a scenario's preference numbers live, what bounds each kind allows, and
which carry ranges of readings (issue 14: uncertain inputs).

Every command reads a number's ``value``; ``accord robustness`` also reads its
``range`` and ``distribution``, and the ``holds`` probability of red lines. This
module lists the numbers with the path validation errors write for them, so that
checks, ``--spread`` and the robustness report name them the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from accord.errors import Path, Problem
from accord.model.scenario import Party, Scenario, Uncertain

__all__ = ["BOUNDS", "NumberSite", "check_ranges", "number_sites"]

BOUNDS: dict[str, tuple[float | None, float | None]] = {
    "salience": (0.0, None),
    "value": (0.0, 1.0),
    "interaction": (-1.0, 1.0),
    "reservation": (None, None),
    "capability": (0.0, 1.0),
}
"""What each kind of number allows (``None``: unbounded on that side)."""


@dataclass(frozen=True)
class NumberSite:
    """One preference number of one party: its kind, key and path in the file."""

    party: str
    kind: str
    path: Path
    number: Uncertain
    issue: str | None = None
    option: str | None = None
    index: int | None = None

    @property
    def bounds(self) -> tuple[float | None, float | None]:
        return BOUNDS[self.kind]


def number_sites(scenario: Scenario) -> Iterator[NumberSite]:
    """Every salience, option value, interaction value, reservation and capability."""
    for p, party in enumerate(scenario.parties):
        base: Path = ("parties", p)
        if party.capability is not None:
            yield NumberSite(party.id, "capability", (*base, "capability"), party.capability)
        yield from _preference_sites(party, (*base, "preferences"))


def _preference_sites(party: Party, path: Path) -> Iterator[NumberSite]:
    prefs = party.preferences
    if prefs is None:
        return
    for issue, weight in prefs.salience.items():
        yield NumberSite(party.id, "salience", (*path, "salience", issue), weight, issue)
    for issue, values in prefs.values.items():
        for option, value in values.items():
            where: Path = (*path, "values", issue, option)
            yield NumberSite(party.id, "value", where, value, issue, option)
    for index, term in enumerate(prefs.interactions):
        where = (*path, "interactions", index)
        yield NumberSite(party.id, "interaction", where, term, index=index)
    yield NumberSite(party.id, "reservation", (*path, "reservation"), prefs.reservation)


def check_ranges(scenario: Scenario) -> Iterator[Problem]:
    """A range reaching outside what its kind of number allows is a located problem."""
    for site in number_sites(scenario):
        if site.number.range is None:
            continue
        low, high = site.number.range
        floor, ceiling = site.bounds
        if (floor is not None and low < floor) or (ceiling is not None and high > ceiling):
            allowed = f"[{_bound(floor, '-∞')}, {_bound(ceiling, '∞')}]"
            yield Problem(
                f"range [{low:g}, {high:g}] reaches outside the {site.kind}'s bounds {allowed}",
                path=(*site.path, "range"),
            )


def _bound(value: float | None, unbounded: str) -> str:
    return unbounded if value is None else f"{value:g}"

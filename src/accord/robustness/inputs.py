"""Uncertain inputs as arrays: where each number of the compiled model comes from, and
how to draw many readings of them at once.

Every preference number of the analysed model gets a *slot* in a parameter vector θ;
a draw is a row of θ with the uncertain slots replaced by samples (uniform on the
range, or triangular with its mode at the point value), so a chunk of draws is one
array ``(draws, slots)`` and the weighted value tables of every draw are built from
it by fancy indexing (no Python loop over draws). Red lines with ``holds < 1`` are
drawn as Bernoulli trials.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from accord.errors import AccordError, format_path
from accord.model.scenario import Distribution, Scenario
from accord.model.uncertainty import BOUNDS, NumberSite, number_sites

__all__ = ["Layout", "UncertainNumber", "build_layout", "with_spread"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

SPREAD_KINDS = ("salience", "value", "reservation")
"""The kinds ``--spread`` widens (issue 14 §1)."""


@dataclass(frozen=True)
class UncertainNumber:
    """One number with a range: its owner, kind, path (as errors write it) and range."""

    party: str
    kind: str
    path: str
    slot: int
    value: float
    low: float
    high: float
    triangular: bool
    issue: str | None = None
    option: str | None = None
    index: int | None = None


@dataclass(frozen=True)
class Layout:
    """Slots of the compiled model's numbers in θ; the last slot is the constant 0."""

    point: FloatArray
    salience: IntArray  # (parties, issues)
    values: tuple[IntArray, ...]  # per issue: (parties, options)
    interaction_slot: IntArray
    interaction_party: IntArray
    reservation: IntArray
    normalize: bool
    holds: FloatArray  # per compiled red line
    numbers: tuple[UncertainNumber, ...]

    @property
    def uncertain(self) -> bool:
        return bool(self.numbers) or bool((self.holds < 1.0).any())

    def draw(self, rng: np.random.Generator, count: int) -> tuple[FloatArray, BoolArray]:
        """``count`` draws: θ ``(count, slots)`` and which red lines hold ``(count, lines)``."""
        theta = np.tile(self.point, (count, 1))
        if self.numbers:
            low = np.array([n.low for n in self.numbers])
            high = np.array([n.high for n in self.numbers])
            mode = np.array([n.value for n in self.numbers])
            triangular = np.array([n.triangular and n.high > n.low for n in self.numbers])
            uniform = rng.random((count, len(self.numbers)))
            samples = low + (high - low) * uniform
            if triangular.any():
                samples[:, triangular] = _triangular(
                    uniform[:, triangular], low[triangular], mode[triangular], high[triangular]
                )
            theta[:, [n.slot for n in self.numbers]] = samples
        holds = rng.random((count, self.holds.shape[0])) < self.holds
        return theta, holds


def _triangular(u: FloatArray, low: FloatArray, mode: FloatArray, high: FloatArray) -> FloatArray:
    """Inverse CDF of the triangular distribution (one uniform per sample, so that every
    distribution consumes the generator alike)."""
    width = high - low
    split = (mode - low) / width
    left = low + np.sqrt(u * width * (mode - low))
    right = high - np.sqrt((1 - u) * width * (high - mode))
    return np.asarray(np.where(u < split, left, right), dtype=np.float64)


def build_layout(scenario: Scenario, party_ids: Sequence[str]) -> Layout:
    """The layout of the compiled model's parties (``party_ids``, in model order)."""
    issues = [issue.id for issue in scenario.issues]
    options = [issue.option_ids() for issue in scenario.issues]
    point: list[float] = []
    numbers: list[UncertainNumber] = []
    row = {party: p for p, party in enumerate(party_ids)}
    sites = [site for site in number_sites(scenario) if site.party in row]
    slots: dict[tuple[str, ...], int] = {}
    for site in sites:
        if site.kind == "capability":
            continue
        slot = len(point)
        point.append(float(site.number.value))
        slots[_key(site)] = slot
        if site.number.range is not None:
            numbers.append(_uncertain(site, slot))
    zero = len(point)
    point.append(0.0)
    salience = np.full((len(party_ids), len(issues)), zero, dtype=np.int64)
    values = [np.full((len(party_ids), len(o)), zero, dtype=np.int64) for o in options]
    inter_slot: list[int] = []
    inter_party: list[int] = []
    reservation = np.zeros(len(party_ids), dtype=np.int64)
    for key, slot in slots.items():
        party, kind = row[key[0]], key[1]
        if kind == "salience" and key[2] in issues:
            salience[party, issues.index(key[2])] = slot
        elif kind == "value" and key[2] in issues:
            i = issues.index(key[2])
            if key[3] in options[i]:
                values[i][party, options[i].index(key[3])] = slot
        elif kind == "interaction":
            inter_slot.append(slot)
            inter_party.append(party)
        elif kind == "reservation":
            reservation[party] = slot
    holds = [
        line.holds
        for party in scenario.parties
        if party.id in row and party.preferences is not None
        for line in party.preferences.red_lines
    ]
    return Layout(
        point=np.asarray(point, dtype=np.float64),
        salience=salience,
        values=tuple(values),
        interaction_slot=np.asarray(inter_slot, dtype=np.int64),
        interaction_party=np.asarray(inter_party, dtype=np.int64),
        reservation=reservation,
        normalize=scenario.utility.normalize_salience,
        holds=np.asarray(holds, dtype=np.float64),
        numbers=tuple(numbers),
    )


def _key(site: NumberSite) -> tuple[str, ...]:
    if site.kind == "salience":
        return (site.party, site.kind, str(site.issue))
    if site.kind == "value":
        return (site.party, site.kind, str(site.issue), str(site.option))
    if site.kind == "interaction":
        return (site.party, site.kind, str(site.index))
    return (site.party, site.kind)


def _uncertain(site: NumberSite, slot: int) -> UncertainNumber:
    assert site.number.range is not None
    low, high = site.number.range
    return UncertainNumber(
        party=site.party,
        kind=site.kind,
        path=format_path(site.path),
        slot=slot,
        value=float(site.number.value),
        low=float(low),
        high=float(high),
        triangular=site.number.distribution == Distribution.TRIANGULAR,
        issue=site.issue,
        option=site.option,
        index=site.index,
    )


def with_spread(scenario: Scenario, spread: float) -> Scenario:
    """``scenario`` with every salience, option value and reservation that has no range
    given the range value ± ``spread``, clipped to the number's bounds (issue 14 §1)."""
    if not np.isfinite(spread) or spread < 0:
        raise AccordError(f"--spread must be a finite number ≥ 0 (found {spread:g})")
    if spread == 0:
        return scenario
    data = scenario.model_dump(mode="json")
    for site in number_sites(scenario):
        if site.kind not in SPREAD_KINDS or site.number.range is not None:
            continue
        floor, ceiling = BOUNDS[site.kind]
        value = float(site.number.value)
        low = value - spread if floor is None else max(floor, value - spread)
        high = value + spread if ceiling is None else min(ceiling, value + spread)
        _set_range(data, site.path, [low, high])
    return Scenario.model_validate(data)


def _set_range(data: object, path: Sequence[str | int], bounds: list[float]) -> None:
    node = data
    for part in path[:-1]:
        node = node[part]  # type: ignore[index]
    last = path[-1]
    current = node[last]  # type: ignore[index]
    entry = dict(current) if isinstance(current, dict) else {"value": current}
    entry["range"] = bounds
    node[last] = entry  # type: ignore[index]

"""Stakeholder tables: the input of every forecast model.

A stakeholder model describes each actor on each issue by three numbers (Bueno de
Mesquita 1994; Stokman & Van Oosten 1994): its **position** on the issue's scale, its
**salience** (how much the issue matters to it, in [0, 1]) and its **capability**
(power, clout). A :class:`StakeholderTable` holds them as ``(actors × issues)`` numpy
arrays, with ``NaN`` positions where an actor takes no part in an issue, plus each
issue's scale bounds. The exchange model works on 0..100 (:meth:`StakeholderTable.scaled`);
the expected-utility model works on the issue's own scale.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from accord.analysis.results import BlocCount

__all__ = ["FloatArray", "Progress", "StakeholderTable", "Ticker"]

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


Progress = Callable[[int, int], None]
"""A progress callback: ``progress(done, total)`` after each unit of work."""


class Ticker:
    """Counts units of work done and reports them to an optional :data:`Progress`."""

    def __init__(self, total: int, progress: Progress | None) -> None:
        self.total, self.done, self.progress = total, 0, progress

    def advance(self, units: int = 1) -> None:
        self.done += units
        if self.progress is not None:
            self.progress(min(self.done, self.total), self.total)


def _frozen(values: object) -> FloatArray:
    array = np.array(values, dtype=np.float64)
    array.setflags(write=False)
    return array


@dataclass(frozen=True, eq=False)
class StakeholderTable:
    """Positions, saliences and capabilities of actors on issues.

    ``position``, ``salience`` and ``capability`` have shape ``(len(actors),
    len(issues))``; ``position`` is ``NaN`` where an actor takes no part in an issue.
    ``lower`` and ``upper`` are each issue's scale bounds. ``notes`` say what was left
    out or assumed while building the table (shown with every forecast).
    """

    actors: tuple[str, ...]
    issues: tuple[str, ...]
    position: FloatArray
    salience: FloatArray
    capability: FloatArray
    lower: FloatArray
    upper: FloatArray
    source: str = "<table>"
    notes: tuple[str, ...] = ()
    scale_labels: dict[str, tuple[tuple[float, str], ...]] = field(default_factory=dict)
    blocs: BlocCount | None = None
    """How a table built from a scenario counted blocs (None: not from a scenario)."""

    def __post_init__(self) -> None:
        shape = (len(self.actors), len(self.issues))
        for name in ("position", "salience", "capability"):
            array = _frozen(getattr(self, name))
            if array.shape != shape:
                raise ValueError(f"{name} has shape {array.shape}, expected {shape}")
            object.__setattr__(self, name, array)
        for name in ("lower", "upper"):
            array = _frozen(getattr(self, name))
            if array.shape != (len(self.issues),):
                raise ValueError(f"{name} has shape {array.shape}, expected {shape[1:]}")
            object.__setattr__(self, name, array)
        if len(set(self.actors)) != len(self.actors):
            raise ValueError("actor names must be unique")
        if len(set(self.issues)) != len(self.issues):
            raise ValueError("issue names must be unique")
        if not self.actors or not self.issues:
            raise ValueError("a stakeholder table needs at least one actor and one issue")
        if np.any(self.upper <= self.lower):
            raise ValueError("every issue needs lower < upper")

    @classmethod
    def single_issue(
        cls,
        actors: tuple[str, ...] | list[str],
        position: object,
        salience: object,
        capability: object,
        *,
        issue: str = "issue",
        source: str = "<table>",
    ) -> StakeholderTable:
        """A one-issue table whose scale runs from the lowest to the highest position
        (padded when every actor stands at one point)."""
        x = np.asarray(position, dtype=np.float64).reshape(-1, 1)
        low, high = float(np.min(x)), float(np.max(x))
        if high <= low:
            low, high = low - 1.0, high + 1.0
        return cls(
            actors=tuple(actors),
            issues=(issue,),
            position=x,
            salience=np.asarray(salience, dtype=np.float64).reshape(-1, 1),
            capability=np.asarray(capability, dtype=np.float64).reshape(-1, 1),
            lower=np.array([low]),
            upper=np.array([high]),
            source=source,
        )

    @property
    def present(self) -> BoolArray:
        """Where an actor takes part in an issue."""
        return ~np.isnan(self.position)

    def issue_index(self, issue: str) -> int:
        return self.issues.index(issue)

    def scaled(self) -> FloatArray:
        """Positions mapped to 0..100: ``(x − lower)·100 / (upper − lower)``."""
        return (self.position - self.lower) * 100.0 / (self.upper - self.lower)

    def unscale(self, values: FloatArray | float, issue: int | NDArray[np.int64]) -> FloatArray:
        """Inverse of :meth:`scaled` for one issue, or elementwise for an array of
        issues the shape of ``values``."""
        span = self.upper[issue] - self.lower[issue]
        result: FloatArray = np.asarray(values, dtype=np.float64) * span / 100.0
        result += self.lower[issue]
        return result

    def column(self, issue: int) -> tuple[tuple[str, ...], FloatArray, FloatArray, FloatArray]:
        """The actors present on one issue and their positions, saliences, capabilities."""
        mask = self.present[:, issue]
        names = tuple(a for a, keep in zip(self.actors, mask, strict=True) if keep)
        return (
            names,
            np.array(self.position[mask, issue]),
            np.array(self.salience[mask, issue]),
            np.array(self.capability[mask, issue]),
        )

"""Robustness of a framework's review (issue 14 §2): how often each party accepts the
draft, how often each point blocks, and how far each party's numbers can move before
its verdict flips.

A party accepts a draft with open issues when every completion is acceptable to it
(as :mod:`accord.frameworks.review` decides); a point blocks a party that rejects the
draft when settling the point's issues otherwise would make every completion
acceptable. Both are array reductions over the completions for a chunk of draws.
The verdict of one party is affine in each of its own numbers completion by
completion (:mod:`.stability`), so its interval is exact.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from accord.engine.compiled import CompiledModel
from accord.frameworks.draft import CompiledDraft, grid
from accord.model.uncertainty import BOUNDS
from accord.robustness.inputs import Layout
from accord.robustness.kernel import Space, acceptable, space_of, utilities
from accord.robustness.results import Stability
from accord.robustness.stability import affine_gain, point_state

__all__ = ["FrameworkJob", "FrameworkTally", "framework_job", "verdict_intervals"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass
class FrameworkTally:
    draws: int
    accepts: IntArray  # per party with preferences
    blocking: IntArray  # per point: blocks some party that must accept and rejects

    def add(self, other: FrameworkTally) -> FrameworkTally:
        return FrameworkTally(
            self.draws + other.draws, self.accepts + other.accepts, self.blocking + other.blocking
        )


@dataclass(frozen=True)
class PointAlternatives:
    """A point's issues set free: its alternatives × the open issues' completions."""

    number: int
    space: Space
    alternatives: int
    current: int


@dataclass(frozen=True)
class FrameworkJob:
    layout: Layout
    completions: Space
    points: tuple[PointAlternatives, ...]
    points_count: int
    needed: IntArray  # rows (in the space's parties) that must accept

    @property
    def per_chunk(self) -> int:
        cells = max([self.completions.size, *(p.space.size for p in self.points)]) * len(
            self.completions.chosen
        )
        return max(1, (1 << 20) // max(1, cells))

    def tally(self, rng: np.random.Generator, count: int) -> FrameworkTally:
        theta, holds = self.layout.draw(rng, count)
        accepts = _accepts(self.layout, self.completions, theta, holds)  # (draws, parties)
        blocking = np.zeros(self.points_count, dtype=np.int64)
        rejecting = ~accepts[:, self.needed]
        for point in self.points:
            ok = _ok(self.layout, point.space, theta, holds)
            per: BoolArray = np.all(ok.reshape(count, ok.shape[1], point.alternatives, -1), axis=3)
            per[:, :, point.current] = False
            blocks = per[:, self.needed, :].any(axis=2) & rejecting
            blocking[point.number - 1] = int(blocks.any(axis=1).sum())
        return FrameworkTally(count, accepts.sum(axis=0).astype(np.int64), blocking)


def _ok(layout: Layout, space: Space, theta: FloatArray, holds: BoolArray) -> BoolArray:
    return acceptable(layout, space, theta, holds, utilities(layout, space, theta))


def _accepts(layout: Layout, space: Space, theta: FloatArray, holds: BoolArray) -> BoolArray:
    accepted: BoolArray = np.all(_ok(layout, space, theta, holds), axis=2)
    return accepted


def framework_job(
    layout: Layout,
    model: CompiledModel,
    draft: CompiledDraft,
    points_count: int,
    needed: Sequence[int],
) -> FrameworkJob:
    parties = list(range(len(model.party_ids)))
    completions = space_of(model, grid(model, draft.settled, draft.open_issues).rows, parties)
    alternatives = []
    for number in range(1, points_count + 1):
        issues = draft.issues_of_point(number)
        if not issues:
            continue
        free = grid(model, draft.settled, [*issues, *draft.open_issues])
        shape = free.shape[: len(issues)]
        current = int(np.ravel_multi_index(tuple(draft.settled[i] for i in issues), shape))
        space = space_of(model, free.rows, parties)
        alternatives.append(PointAlternatives(number, space, int(np.prod(shape)), current))
    return FrameworkJob(
        layout, completions, tuple(alternatives), points_count, np.asarray(needed, dtype=np.int64)
    )


def verdict_intervals(
    layout: Layout, space: Space, party_ids: Sequence[str], name: Callable[[str], str]
) -> Iterator[Stability]:
    """Per uncertain number of a party with preferences: how far it can move before that
    party's verdict on the draft flips (every completion acceptable or not)."""
    state = point_state(layout, space)
    for number in layout.numbers:
        if number.kind == "capability" or number.party not in party_ids:
            continue
        row = list(party_ids).index(number.party)
        with np.errstate(invalid="ignore", over="ignore"):
            alpha, beta = affine_gain(layout, space, state, number, row)
        crossed = ~_clear_of_red_lines(space, row)
        accepts = bool(state.ok[row].all())
        low, high = _all_interval(alpha, beta, crossed, number.value, accepts)
        floor, ceiling = BOUNDS[number.kind]
        yield Stability(
            party=number.party,
            path=number.path,
            value=number.value,
            verdict="accepts",
            low=None if not np.isfinite(low) or (floor is not None and low <= floor) else low,
            high=None
            if not np.isfinite(high) or (ceiling is not None and high >= ceiling)
            else high,
            exact=space.cap is None,
            answer=f"{name(number.party)} {'accepts' if accepts else 'rejects'}",
            range=(number.low, number.high),
        )


def _clear_of_red_lines(space: Space, row: int) -> BoolArray:
    if space.red_lines.shape[0] == 0:
        return np.ones(space.size, dtype=bool)
    owned = space.line_owner[:, row] > 0.5
    crossed: BoolArray = np.any(space.red_lines[owned] > 0.5, axis=0)
    return ~crossed


def _all_interval(
    alpha: FloatArray, beta: FloatArray, crossed: BoolArray, x0: float, accepts: bool
) -> tuple[float, float]:
    """The party accepts at ``x`` when every completion has ``α + β·x ≥ 0`` and none
    crosses its red lines: an interval ``[lower, upper]`` (perhaps empty)."""
    if crossed.any():
        return -np.inf, np.inf  # a red line settles it whatever the number
    rising, falling = beta > 1e-15, beta < -1e-15
    flat = ~rising & ~falling
    if (flat & (alpha < -1e-12)).any():
        return -np.inf, np.inf  # some completion is below the reservation whatever x
    lower = float((-alpha[rising] / beta[rising]).max()) if rising.any() else -np.inf
    upper = float((-alpha[falling] / beta[falling]).min()) if falling.any() else np.inf
    if accepts:
        return min(lower, x0), max(upper, x0)
    if lower > upper:
        return -np.inf, np.inf
    return (-np.inf, lower) if x0 < lower else (upper, np.inf)

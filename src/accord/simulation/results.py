"""The result of one session: outcome, metrics and trace, as plain typed data."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from accord.protocols.spec import SessionSpec
from accord.protocols.trace import Event

__all__ = ["Metrics", "OutcomeNames", "SessionResult", "distance_to_frontier"]

FloatArray = npt.NDArray[np.float64]


class OutcomeNames(Mapping[int, dict[str, str]]):
    """``{issue: option}`` for each of the given flat outcome indices, decoded on demand
    (a session mentions thousands of outcomes; most are never printed)."""

    def __init__(
        self,
        indices: Iterable[int],
        issue_ids: tuple[str, ...],
        option_ids: tuple[tuple[str, ...], ...],
    ) -> None:
        self._indices = frozenset(indices)
        self._issue_ids = issue_ids
        self._option_ids = option_ids

    def __getitem__(self, index: int) -> dict[str, str]:
        if index not in self._indices:
            raise KeyError(index)
        names: dict[str, str] = {}
        rest = index
        for issue in range(len(self._issue_ids) - 1, -1, -1):
            rest, option = divmod(rest, len(self._option_ids[issue]))
            names[self._issue_ids[issue]] = self._option_ids[issue][option]
        return {issue: names[issue] for issue in self._issue_ids}

    def __iter__(self) -> Iterator[int]:
        return iter(sorted(self._indices))

    def __len__(self) -> int:
        return len(self._indices)


@dataclass(frozen=True)
class Metrics:
    """How good the end of a session is for the negotiators.

    ``utilities`` are what each negotiator got: an agreement's value in the round it
    was reached (after delay costs and discounting), or its reservation value as of
    the last round. ``gains`` are over that reservation value; ``fairness`` is the
    smallest gain (Rawls 1971; the egalitarian criterion). Distances are Euclidean,
    in the space of static utilities where the frontier lives: from the agreement (or,
    after a breakdown, the reservation values) to the nearest point of the Pareto
    frontier, and to the Nash point (None when no outcome is acceptable to all).
    """

    utilities: dict[str, float]
    reservations: dict[str, float]
    gains: dict[str, float]
    fairness: float
    pareto_distance: float | None
    nash_distance: float | None
    nash_outcome: dict[str, str] | None
    nash_utilities: dict[str, float] | None


@dataclass(frozen=True)
class SessionResult:
    """One session: who negotiated how, where it ended and when, and its trace.

    ``round`` is the round of the agreement, or the deadline after a breakdown.
    ``outcomes`` names every outcome the trace mentions (by flat index) and
    ``outcome_utilities`` gives its static utility to each negotiator.
    """

    scenario_id: str
    title: str
    protocol: str
    parties: tuple[str, ...]
    mediator: str | None
    strategies: dict[str, str]
    seed: int
    spec: SessionSpec
    agreement: bool
    round: int
    outcome_index: int | None
    metrics: Metrics
    events: tuple[Event, ...]
    outcomes: Mapping[int, dict[str, str]]
    outcome_utilities: Mapping[int, tuple[float, ...]]
    notes: tuple[str, ...] = ()

    @property
    def outcome(self) -> dict[str, str] | None:
        return None if self.outcome_index is None else self.outcomes[self.outcome_index]


def distance_to_frontier(point: FloatArray, frontier: FloatArray) -> float:
    """Euclidean distance from ``point`` to the nearest row of ``frontier``."""
    if frontier.shape[0] == 0:
        return float("nan")
    return float(np.sqrt(((frontier - point) ** 2).sum(axis=1)).min())

"""What a protocol is given: the negotiators, their precomputed space, and the clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from accord.engine.compiled import CompiledModel
from accord.protocols.space import UtilitySpace
from accord.protocols.spec import Pressure
from accord.strategies.base import Negotiator, Turn

__all__ = ["Session"]

FloatArray = npt.NDArray[np.float64]


@dataclass
class Session:
    """One session's negotiators (in turn order) and everything the protocol needs.

    ``mediator`` is the go-between's party id for mediated protocols (it may be a
    neutral ``"mediator"`` that is no party of the scenario); ``start`` the outcome
    the single text starts from, as ``{issue index: option index}`` (possibly partial).
    """

    model: CompiledModel
    space: UtilitySpace
    parties: tuple[str, ...]
    negotiators: tuple[Negotiator, ...]
    pressure: Pressure
    rounds: int
    talks_directly: Callable[[str, str], bool]
    rng: np.random.Generator
    mediator: str | None = None
    mediator_index: int | None = None
    """The mediator's index in the model when it has preferences."""
    start: dict[int, int] = field(default_factory=dict)
    mediator_knows_preferences: bool = True
    _floors: list[list[float]] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._floors = self.pressure.floors(self.rounds).tolist()
        self._costs = self.pressure.waiting_costs(self.rounds).tolist()
        self._patience = self.pressure.discount.tolist()
        self._span = max(self.rounds - 1, 1)

    def turn(self, j: int, round_: int) -> Turn:
        """Negotiator j's turn in ``round_``: relative time, floor and cost of waiting."""
        return Turn(
            round_,
            (round_ - 1) / self._span,
            self._floors[j][round_],
            self._patience[j],
            self._costs[j][round_],
        )

    @property
    def principals(self) -> list[int]:
        """The negotiators' indices in the model."""
        return list(self.space.parties)

    def others(self, j: int) -> tuple[str, ...]:
        return tuple(p for i, p in enumerate(self.parties) if i != j)

    def closed_pairs(self) -> list[tuple[str, str]]:
        """Pairs of negotiators the scenario's channels forbid to talk directly."""
        return [
            (a, b)
            for i, a in enumerate(self.parties)
            for b in self.parties[i + 1 :]
            if not self.talks_directly(a, b)
        ]

"""Opponent models: what a negotiator learns about the other side from its offers."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from accord.strategies.base import PartyView

__all__ = ["FrequencyModel", "NoModel"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass
class NoModel:
    """No model: the negotiator ignores what the other side might want."""

    def reset(self, view: PartyView) -> None:
        pass

    def observe(self, offer: int) -> None:
        pass

    def ready(self) -> bool:
        return False

    def scores(self, outcomes: IntArray) -> FloatArray:
        return np.zeros(outcomes.shape[0], dtype=np.float64)


@dataclass
class FrequencyModel:
    """The frequency model of the other side's preferences (Hindriks & Tykhonov 2008;
    van Krimpen, Looije & Hajizadeh 2013, the HardHeaded agent of ANAC 2011).

    Options the other side offers often are taken to be worth more to it; issues on
    which its offers rarely change are taken to matter more to it (each repeat adds
    ``learning_rate`` to the issue's weight). Estimates are in [0, 1].
    """

    learning_rate: float = 0.2
    _view: PartyView | None = field(default=None, repr=False)
    _counts: list[FloatArray] = field(default_factory=list, repr=False)
    _weights: FloatArray = field(default_factory=lambda: np.zeros(0), repr=False)
    _last: list[int] | None = field(default=None, repr=False)

    def reset(self, view: PartyView) -> None:
        self._view = view
        self._counts = [np.zeros(size, dtype=np.float64) for size in view.radix]
        self._weights = np.ones(len(view.radix), dtype=np.float64)
        self._last = None

    def observe(self, offer: int) -> None:
        assert self._view is not None
        row = self._view.options_of(offer)
        for issue, option in enumerate(row):
            self._counts[issue][option] += 1.0
            if self._last is not None and self._last[issue] == option:
                self._weights[issue] += self.learning_rate
        self._last = row

    def ready(self) -> bool:
        return self._last is not None

    def scores(self, outcomes: IntArray) -> FloatArray:
        assert self._view is not None
        options = self._view.options(outcomes)
        weights = self._weights / self._weights.sum()
        total = np.zeros(outcomes.shape[0], dtype=np.float64)
        for issue, counts in enumerate(self._counts):
            total += weights[issue] * (counts / counts.max())[options[:, issue]]
        return total

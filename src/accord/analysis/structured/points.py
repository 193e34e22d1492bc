"""Outcome points and collision descriptions shared by the enumerating and structured paths.

Outcome numbers are Python ints: a 40-issue space has more than 2**63 outcomes, so
rows of option indices, not int64 numbers, are what the structured path passes around.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from accord.analysis.pareto import TIE_TOLERANCE
from accord.analysis.results import Collision, OutcomePoint
from accord.analysis.structured.encoding import flat_index
from accord.engine.compiled import CompiledModel
from accord.model.scenario import Scenario

__all__ = ["Points", "describe_collision"]

IntArray = npt.NDArray[np.int64]


class Points:
    """Turns outcomes (numbers or rows of option indices) into :class:`OutcomePoint` values."""

    def __init__(self, model: CompiledModel, chosen: Sequence[int]) -> None:
        self.model = model
        self.chosen = list(chosen)
        self.ids = [model.party_ids[p] for p in chosen]

    def rows(self, options: IntArray) -> list[OutcomePoint]:
        options = np.asarray(options, dtype=np.int64).reshape(-1, len(self.model.radix))
        if options.shape[0] == 0:
            return []
        evaluation = self.model.evaluate(options, self.chosen)
        floor = self.model.reservations[self.chosen] - TIE_TOLERANCE
        ok = np.asarray((~evaluation.crossed & (evaluation.utilities >= floor)).all(axis=1))
        return [
            OutcomePoint(
                index=flat_index(self.model, options[n]),
                outcome=self.model.describe(options[n]),
                utilities={
                    p: float(u) for p, u in zip(self.ids, evaluation.utilities[n], strict=True)
                },
                acceptable=bool(ok[n]),
            )
            for n in range(options.shape[0])
        ]

    def row(self, options: IntArray) -> OutcomePoint:
        return self.rows(options)[0]

    def many(self, indices: IntArray | Sequence[int]) -> list[OutcomePoint]:
        indices = np.asarray(indices, dtype=np.int64)
        return self.rows(self.model.decode(indices)) if indices.shape[0] else []

    def one(self, index: int) -> OutcomePoint:
        return self.many([index])[0]


def describe_collision(
    scenario: Scenario,
    model: CompiledModel,
    party_index: int,
    red_line_number: int | None,
    excludes: int | None,
    zopa_if_dropped: int | None,
    opens: bool | None,
) -> Collision:
    """A constraint of an empty zone's certificate, in the scenario's own words."""
    number = red_line_number
    party = scenario.party(model.party_ids[party_index])
    assert party.preferences is not None
    if number is None:
        reservation = party.preferences.reservation
        kind, evidence, assumed = "reservation", reservation.evidence, reservation.assumed
        description = (
            f"no agreement ({reservation.label}) is worth {reservation.value:.3g} to "
            f"{party.name}, more than the outcomes left"
        )
    else:
        red_line = party.preferences.red_lines[number]
        kind, description = "red_line", red_line.reason
        evidence, assumed = red_line.evidence, red_line.assumed
    return Collision(
        party=party.id,
        kind=kind,
        description=description,
        excludes=excludes,
        zopa_if_dropped=zopa_if_dropped,
        evidence=tuple(_quote(scenario, c.source, c.quote) for c in evidence),
        assumed=assumed,
        red_line=None if number is None else number + 1,
        opens_if_dropped=opens,
    )


def _quote(scenario: Scenario, source_id: str, quote: str | None) -> str:
    title = next((s.title for s in scenario.sources if s.id == source_id), source_id)
    return f"{title}: \u201c{quote}\u201d" if quote else title

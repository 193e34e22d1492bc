"""Framework documents: the single negotiating text, as an ordered list of points.

A framework (Fisher's "one-text procedure", used at Camp David in 1978; Raiffa 1982,
ch. 14) belongs to a scenario. Each point has its text and may *settle* issues by
fixing their options; issues no point settles stay open. Drafts form a chain through
``parent``; :mod:`accord.frameworks.diff` compares two drafts point by point.
"""

from __future__ import annotations

from pydantic import Field

from accord.model.scenario import Evidenced, FrozenModel, Id, Text

__all__ = ["Framework", "Point"]


class Point(Evidenced):
    """One point of the text. ``settles`` maps issue ids to the option the point fixes."""

    id: Id | None = Field(
        default=None, description="Stable id, so drafts can be compared point by point."
    )
    title: Text | None = None
    text: Text
    settles: dict[Id, Id] = Field(
        default_factory=dict, description="Issue → option; empty for a procedural point."
    )


class Framework(FrozenModel):
    accord: int = Field(default=1, ge=1, le=1, description="Format version.")
    id: Id
    title: Text
    scenario: Id = Field(description="Built-in scenario name or path of its scenario file.")
    draft: int = Field(default=1, ge=1, description="Draft number.")
    parent: Id | None = Field(default=None, description="Id of the draft this one revises.")
    description: Text | None = None
    points: tuple[Point, ...] = Field(min_length=1)

    def settlement(self) -> dict[str, tuple[str, int]]:
        """Issue → (option, point number from 1) for every issue some point settles."""
        settled: dict[str, tuple[str, int]] = {}
        for number, point in enumerate(self.points, start=1):
            for issue, option in point.settles.items():
                settled.setdefault(issue, (option, number))
        return settled

"""A framework compiled against its scenario's model, and its completions.

A draft fixes some issues and leaves the rest open. Its *completions* are the
outcomes that agree with every settled issue: the product of the open issues'
options, built as one array (no Python loop over outcomes) and bounded by a limit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from accord.analysis.pareto import TIE_TOLERANCE
from accord.engine.compiled import CompiledModel
from accord.errors import AccordError
from accord.frameworks.model import Framework

__all__ = ["MAX_COMPLETIONS", "CompiledDraft", "Grid", "compile_draft", "grid"]

MAX_COMPLETIONS = 5_000_000

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class CompiledDraft:
    """Settled issues as option indices, and the point (from 1) that settles each."""

    settled: dict[int, int]
    point_of: dict[int, int]
    n_issues: int

    @property
    def open_issues(self) -> list[int]:
        return [i for i in range(self.n_issues) if i not in self.settled]

    def issues_of_point(self, number: int) -> list[int]:
        return sorted(i for i, p in self.point_of.items() if p == number)


def compile_draft(framework: Framework, model: CompiledModel) -> CompiledDraft:
    settled: dict[int, int] = {}
    point_of: dict[int, int] = {}
    for issue_id, (option_id, number) in framework.settlement().items():
        issue = model.issue_ids.index(issue_id)
        settled[issue] = model.option_ids[issue].index(option_id)
        point_of[issue] = number
    return CompiledDraft(settled, point_of, len(model.issue_ids))


@dataclass(frozen=True)
class Grid:
    """Outcomes that fix ``settled`` and range over ``free`` issues (first varies slowest)."""

    rows: IntArray
    free: tuple[int, ...]
    shape: tuple[int, ...]


def grid(model: CompiledModel, settled: Mapping[int, int], free: Sequence[int]) -> Grid:
    """Every outcome agreeing with ``settled`` on the other issues, over the ``free`` issues."""
    radix = model.radix
    shape = tuple(radix[i] for i in free)
    count = math.prod(shape)
    if count > MAX_COMPLETIONS:
        raise AccordError(
            f"{count:,} combinations of open issues exceed the limit of {MAX_COMPLETIONS:,}; "
            "settle more issues"
        )
    rows = np.zeros((count, len(radix)), dtype=np.int64)
    for issue, option in settled.items():
        if issue not in free:
            rows[:, issue] = option
    if free:
        mesh = np.indices(shape).reshape(len(free), -1).T
        rows[:, list(free)] = mesh
    return Grid(rows, tuple(free), shape)


def acceptable_rows(
    model: CompiledModel, rows: IntArray, parties: Sequence[int]
) -> tuple[FloatArray, BoolArray, BoolArray]:
    """Utilities, red-line crossings and acceptability (per row and party)."""
    evaluation = model.evaluate(rows, parties)
    floor = model.reservations[list(parties)] - TIE_TOLERANCE
    ok = ~evaluation.crossed & (evaluation.utilities >= floor)
    return evaluation.utilities, evaluation.crossed, ok

"""Trades from a reference outcome: single and paired issue changes both parties prefer.

A pair of changes in which each change alone costs one of the two parties, but both
gain together, is a *logroll*: each party concedes on the issue it values less to win
on the issue it values more (Raiffa 1982, ch. 10; Pruitt 1981). All candidate changes
are built as one batch of outcomes and evaluated in a single vectorised call.

A change is not counted as making a party better off when it makes the outcome cross
one of that party's red lines that the reference did not cross.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import numpy.typing as npt

from accord.analysis.pareto import TIE_TOLERANCE
from accord.engine.compiled import CompiledModel

__all__ = ["Candidate", "find_trades"]

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Candidate:
    """One mutually beneficial change: the changed issues and the outcome it gives."""

    issues: tuple[int, ...]
    options: IntArray
    gains: tuple[float, float]
    logroll: bool


def _changed_rows(
    reference: IntArray, radix: Sequence[int]
) -> tuple[IntArray, list[tuple[int, ...]]]:
    """Every outcome that differs from ``reference`` in one or two issues."""
    blocks: list[IntArray] = []
    changed: list[tuple[int, ...]] = []
    groups = [(i,) for i in range(len(radix))] + list(combinations(range(len(radix)), 2))
    for group in groups:
        alternatives = [np.delete(np.arange(radix[i]), reference[i]) for i in group]
        grid = np.stack(np.meshgrid(*alternatives, indexing="ij"), axis=-1).reshape(-1, len(group))
        rows = np.repeat(reference[None, :], grid.shape[0], axis=0)
        rows[:, list(group)] = grid
        blocks.append(rows)
        changed += [group] * grid.shape[0]
    if not blocks:
        return np.zeros((0, len(radix)), dtype=np.int64), []
    return np.concatenate(blocks), changed


def find_trades(
    model: CompiledModel, reference: IntArray, pair: tuple[int, int]
) -> list[Candidate]:
    """All single and paired changes of ``reference`` that leave both of ``pair`` better off,
    ranked by joint gain (then fewer changes, then outcome order)."""
    rows, changed = _changed_rows(reference, model.radix)
    if rows.shape[0] == 0:
        return []
    parties = list(pair)
    base = model.evaluate(reference[None, :], parties)
    after = model.evaluate(rows, parties)
    delta = after.utilities - base.utilities
    newly_crossed = np.asarray((after.crossed & ~base.crossed).any(axis=1), dtype=bool)
    good = (delta > TIE_TOLERANCE).all(axis=1) & ~newly_crossed
    single_delta = _single_deltas(model, reference, parties, base.utilities[0])
    indices = model.encode(rows)
    order = np.lexsort((indices, np.array([len(c) for c in changed]), -delta.sum(axis=1)))
    return [
        Candidate(
            issues=changed[row],
            options=rows[row],
            gains=(float(delta[row, 0]), float(delta[row, 1])),
            logroll=_is_logroll(changed[row], rows[row], single_delta),
        )
        for row in order[good[order]]
    ]


def _single_deltas(
    model: CompiledModel, reference: IntArray, parties: list[int], base: npt.NDArray[np.float64]
) -> dict[tuple[int, int], npt.NDArray[np.float64]]:
    """Each party's change in utility for every single-issue change of the reference."""
    rows = []
    keys = []
    for issue, size in enumerate(model.radix):
        for option in range(size):
            row = reference.copy()
            row[issue] = option
            rows.append(row)
            keys.append((issue, option))
    values = model.utilities(np.asarray(rows, dtype=np.int64), parties) - base
    return {key: values[n] for n, key in enumerate(keys)}


def _is_logroll(
    issues: tuple[int, ...],
    row: IntArray,
    single_delta: dict[tuple[int, int], npt.NDArray[np.float64]],
) -> bool:
    if len(issues) != 2:
        return False
    first, second = (single_delta[(i, int(row[i]))] for i in issues)
    return bool((first < -TIE_TOLERANCE).any() and (second < -TIE_TOLERANCE).any())

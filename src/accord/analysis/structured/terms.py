"""The chosen parties' utilities as issue tables plus interaction terms over several issues.

Terms over one issue (after dropping issues whose condition allows every option) are
folded into that issue's table, terms over none into a constant; terms with the same
condition are merged into one bonus vector. The remaining *multi-issue* terms decide
the order the frontier merges issues in (few terms open at once) and its states.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from accord.engine.compiled import CompiledModel

__all__ = ["MultiTerm", "Terms", "split_terms"]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class MultiTerm:
    """A condition over two or more issues and its bonus for each chosen party."""

    masks: dict[int, BoolArray]
    bonus: FloatArray

    def mask(self, issue: int) -> BoolArray:
        return self.masks[issue]


@dataclass(frozen=True)
class Terms:
    tables: list[FloatArray]
    """Per issue: parties × options, single-issue terms included."""
    constant: FloatArray
    multi: list[MultiTerm]
    order: list[int]
    touching: dict[int, list[int]]
    closing: list[list[int]]
    """Per position in ``order``: the terms whose last issue is there."""
    open_after: list[list[int]]
    future: list[FloatArray]
    """Per position: for each party, an upper bound on the utility still to come."""


def split_terms(model: CompiledModel, parties: list[int]) -> Terms:
    column = {party: j for j, party in enumerate(parties)}
    tables = [np.array(table[parties], dtype=np.float64) for table in model.tables]
    constant = np.zeros(len(parties))
    merged: dict[tuple[object, ...], MultiTerm] = {}
    for term in model.interactions:
        if term.party not in column:
            continue
        masks = {
            i: np.asarray(m, dtype=bool)
            for i, m in zip(term.issues, term.allowed, strict=True)
            if not np.all(m)
        }
        j = column[term.party]
        if not masks:
            constant[j] += term.value
        elif len(masks) == 1:
            ((i, mask),) = masks.items()
            tables[i][j, mask] += term.value
        else:
            key = tuple((i, m.tobytes()) for i, m in sorted(masks.items()))
            entry = merged.setdefault(key, MultiTerm(masks, np.zeros(len(parties))))
            entry.bonus[j] += term.value
    multi = list(merged.values())
    order = _order(len(tables), multi)
    return _assemble(tables, constant, multi, order)


def _order(n_issues: int, multi: list[MultiTerm]) -> list[int]:
    """Greedy cut-width order: next, the issue that leaves the fewest terms open."""
    scopes = [set(term.masks) for term in multi]
    placed: set[int] = set()
    order: list[int] = []
    for _ in range(n_issues):
        best = None
        for issue in range(n_issues):
            if issue in placed:
                continue
            after = placed | {issue}
            still_open = sum(1 for s in scopes if s & after and not s <= after)
            score = (still_open, issue)
            if best is None or score < best:
                best = score
        assert best is not None
        placed.add(best[1])
        order.append(best[1])
    return order


def _assemble(
    tables: list[FloatArray], constant: FloatArray, multi: list[MultiTerm], order: list[int]
) -> Terms:
    position = {issue: p for p, issue in enumerate(order)}
    touching: dict[int, list[int]] = {i: [] for i in order}
    closing: list[list[int]] = [[] for _ in order]
    open_after: list[list[int]] = [[] for _ in order]
    for c, term in enumerate(multi):
        places = sorted(position[i] for i in term.masks)
        for i in term.masks:
            touching[i].append(c)
        closing[places[-1]].append(c)
        for p in range(places[0], places[-1]):
            open_after[p].append(c)
    best = np.array([table.max(axis=1) for table in tables]).reshape(len(tables), -1)
    future = []
    for p in range(len(order)):
        later = [order[q] for q in range(p + 1, len(order))]
        bound = best[later].sum(axis=0) if later else np.zeros(len(constant))
        for term in multi:
            if max(position[i] for i in term.masks) > p:
                bound = bound + np.maximum(term.bonus, 0.0)
        future.append(np.asarray(bound, dtype=np.float64))
    return Terms(tables, constant, multi, order, touching, closing, open_after, future)

"""The Pareto frontier of all outcomes by merging issues, never enumerating the space.

Utilities are additive over issues plus interaction terms, so the frontier is built
issue by issue (dynamic programming with dominance pruning, the multi-objective
knapsack method of Bazgan, Hugot & Vanderpooten 2009; the two-party merge is Kung,
Luccio & Preparata 1975). A partial outcome sets the issues seen so far; its utility
vector is the sum of their weighted values. An interaction term over several issues
is *open* between its first and last issue in the processing order; partial outcomes
carry whether each open term can still match, and are compared only with partials in
the same state, since a term not yet settled may still add or subtract its bonus.
Issues are processed in an order that keeps few terms open (a greedy cut-width order).

Pruning keeps every partial that could complete to a frontier outcome, ties included
(:mod:`.dominance`), so the result is exact. A frontier of three or more parties can be
very large: when a step keeps more than ``limit`` partial outcomes the exact merge
stops (:class:`FrontierTooLargeError`) and :mod:`.supported` approximates instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from accord.analysis.pareto import pareto_mask
from accord.analysis.structured.dominance import MARGIN, prune
from accord.analysis.structured.terms import Terms, split_terms
from accord.engine.compiled import CompiledModel

__all__ = ["DEFAULT_FRONTIER_LIMIT", "TWO_PARTY_LIMIT", "FrontierTooLargeError", "pareto_frontier"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

DEFAULT_FRONTIER_LIMIT = 20_000
"""Partial outcomes kept per step before a frontier of 3+ parties is approximated."""

TWO_PARTY_LIMIT = 2_000_000
"""Two-party frontiers stay exact up to this many partial outcomes per step."""


class FrontierTooLargeError(Exception):
    """The exact merge would keep more partial outcomes than the limit allows."""


@dataclass
class _Layer:
    utilities: FloatArray
    alive: BoolArray
    parents: list[tuple[IntArray, IntArray]] = field(default_factory=list)


def pareto_frontier(
    model: CompiledModel,
    parties: list[int],
    limit: int = DEFAULT_FRONTIER_LIMIT,
    step: Callable[[int, int], None] | None = None,
) -> IntArray:
    """The frontier outcomes of ``parties`` as rows of option indices, in outcome order.

    Raises :class:`FrontierTooLargeError` when a step would keep more than ``limit``
    partial outcomes (``TWO_PARTY_LIMIT`` at least for two parties).
    """
    terms = split_terms(model, parties)
    budget = limit if len(parties) > 2 else max(limit, TWO_PARTY_LIMIT)
    layer = _Layer(terms.constant[None, :].copy(), np.ones((1, len(terms.multi)), dtype=bool))
    for position, issue in enumerate(terms.order):
        layer = _extend(model, terms, layer, position, issue, budget)
        if step is not None:
            step(position + 1, len(terms.order))
    rows = _rows(layer, terms.order, len(model.radix))
    utilities = model.utilities(rows, parties)
    rows = rows[pareto_mask(utilities)]
    order = np.lexsort(rows.T[::-1])
    return np.asarray(rows[order], dtype=np.int64)


def _extend(
    model: CompiledModel,
    terms: Terms,
    layer: _Layer,
    position: int,
    issue: int,
    budget: int,
) -> _Layer:
    table = terms.tables[issue]  # parties × options
    n, size = layer.utilities.shape[0], table.shape[1]
    utilities = (layer.utilities[:, None, :] + table.T[None, :, :]).reshape(n * size, -1)
    parents = np.repeat(np.arange(n, dtype=np.int64), size)
    options = np.tile(np.arange(size, dtype=np.int64), n)
    alive = np.repeat(layer.alive, size, axis=0)
    for c in terms.touching[issue]:
        alive[:, c] &= terms.multi[c].mask(issue)[options]
    for c in terms.closing[position]:
        utilities += alive[:, c][:, None] * terms.multi[c].bonus[None, :]
    keys = _state_keys(alive, terms.open_after[position])
    eligible = _eligible(model, terms, utilities, position)
    keep = _prune_by_state(utilities, keys, eligible, budget)
    kept = np.flatnonzero(keep)
    return _Layer(utilities[kept], alive[kept], [*layer.parents, (parents[kept], options[kept])])


def _state_keys(alive: BoolArray, open_terms: list[int]) -> IntArray:
    keys = np.zeros(alive.shape[0], dtype=np.int64)
    for bit, c in enumerate(open_terms):
        if bit >= 62:
            raise ValueError("too many interaction terms open at once for the frontier")
        keys |= alive[:, c].astype(np.int64) << bit
    return keys


def _eligible(
    model: CompiledModel, terms: Terms, utilities: FloatArray, position: int
) -> BoolArray | None:
    """Where a margin can still decide dominance: below the cap whatever comes next."""
    if model.cap is None:
        return None
    return np.asarray(utilities + terms.future[position][None, :] < model.cap - MARGIN)


def _prune_by_state(
    utilities: FloatArray, keys: IntArray, eligible: BoolArray | None, budget: int
) -> BoolArray:
    keep = np.zeros(len(keys), dtype=bool)
    order = np.argsort(keys, kind="stable")
    bounds = np.flatnonzero(np.diff(keys[order])) + 1
    kept = 0
    for group in np.split(order, bounds):
        mark = None if eligible is None else eligible[group]
        survivors = group[prune(utilities[group], mark, budget)]
        kept += len(survivors)
        if kept > budget:
            raise FrontierTooLargeError(f"more than {budget:,} partial outcomes")
        keep[survivors] = True
    return keep


def _rows(layer: _Layer, order: list[int], n_issues: int) -> IntArray:
    count = layer.utilities.shape[0]
    rows = np.zeros((count, n_issues), dtype=np.int64)
    current = np.arange(count, dtype=np.int64)
    for position in range(len(order) - 1, -1, -1):
        parents, options = layer.parents[position]
        rows[:, order[position]] = options[current]
        current = parents[current]
    return rows

"""Minimal amendments of a draft: the fewest issue settings to change so every principal accepts.

A draft settles some issues (``fixed``) and leaves the others open. An *amendment*
changes the option of some settled issues and/or settles some open ones; its size is
the number of issues it touches. The amended draft must be acceptable to every
principal for **every** completion of the issues it still leaves open (a principal
signs a text, not a lottery over its open points). Amendments of the minimal size are
all returned, ranked by the Nash product (Nash 1950) of the principals' expected
gains over their reservation values, the open issues completed uniformly at random.

*Structured (exact, any size).* A mixed-integer program chooses, per issue, an option
or (for open issues) to leave it open, minimising the number of changes. A red line
is crossable when each of its issues is settled inside it or left open: a linear
constraint. "Every completion stays above the reservation value" is a robust
constraint; it is enforced by scenario generation (a cutting-plane method, Kelley
1960; for robust programs, Mutapcic & Boyd 2009): the worst completion of each
candidate is found (enumerated when few, else by its own program) and, when it falls
below a reservation value, added as a constraint; the solve repeats until the
candidate holds. All minimal amendments are then listed with no-good cuts.

*Enumerated (small spaces).* The acceptability of every outcome, then all sets of
issues by increasing size, as :mod:`accord.frameworks.amend` does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from accord.analysis.structured.amend_enumerate import enumerate_amendments
from accord.analysis.structured.amend_model import (
    AmendProgram,
    Decision,
    expected_utilities,
    worst_completion,
)
from accord.analysis.structured.method import resolve_method
from accord.analysis.structured.program import Interrupt, SolverError, solving
from accord.engine.compiled import CompiledModel

__all__ = ["Amendment", "MinimalAmendments", "minimal_amendment"]

FloatArray = npt.NDArray[np.float64]

MAX_ROUNDS = 10_000


@dataclass(frozen=True)
class Amendment:
    """One minimal amendment: new options for ``issues`` (ascending), and its score."""

    issues: tuple[int, ...]
    options: tuple[int, ...]
    settled: dict[int, int]
    """Every issue the amended draft settles (the others stay open)."""
    expected: tuple[float, ...]
    """Each principal's expected utility, open issues completed uniformly."""
    nash_product: float


@dataclass(frozen=True)
class MinimalAmendments:
    size: int | None
    """Changes in each minimal amendment; 0 when the draft is acceptable already;
    None when no amendment at all makes it acceptable (the zone of agreement is empty)."""
    amendments: tuple[Amendment, ...]
    """Ranked by Nash product (descending), then by issues and options."""
    complete: bool
    """True when every minimal amendment is listed (not cut at ``limit``)."""
    method: str
    exact: bool
    """False when interrupted: the amendments found so far, minimality not proven."""


def minimal_amendment(
    model: CompiledModel,
    fixed: Mapping[int, int],
    principals: Sequence[int],
    *,
    method: str = "auto",
    limit: int = 1000,
    interrupt: Interrupt | None = None,
) -> MinimalAmendments:
    """The minimal amendments of the draft ``fixed`` for ``principals``.

    Parameters
    ----------
    model:
        The compiled scenario (:func:`accord.engine.compiled.compile_scenario`).
    fixed:
        The draft: ``{issue index: option index}`` for each issue it settles; the
        other issues are open.
    principals:
        Indices into ``model.party_ids`` of the parties who must accept.
    method:
        ``"structured"`` (mixed-integer program, any size), ``"enumerate"`` (every
        outcome; small spaces) or ``"auto"`` (enumerate up to
        :data:`~accord.analysis.structured.method.AUTO_ENUMERATE_MAX` outcomes).
    limit:
        At most this many minimal amendments are listed (``complete`` says if all were).
    interrupt:
        Shared Ctrl-C flag; a new one by default. When set during the search the
        result holds what was found and ``exact`` is False.

    Returns
    -------
    MinimalAmendments
        ``size`` and the amendments of that size ranked by the Nash product of the
        principals' expected gains over their reservation values.
    """
    resolved = resolve_method(method, model.n_outcomes, model.n_outcomes)
    party_list = list(principals)
    if resolved == "enumerate":
        size, listed, every = enumerate_amendments(model, dict(fixed), party_list, limit)
        return _ranked(model, dict(fixed), party_list, size, listed, every, resolved, True)
    interrupt = interrupt or Interrupt()
    with solving("minimal amendment"):
        program = AmendProgram(model, dict(fixed), party_list, interrupt)
        size, found, complete = _all_minimal(program, limit)
    pairs = [program.changes(d) for d in found]
    exact = not interrupt.requested
    return _ranked(model, dict(fixed), party_list, size, pairs, complete, resolved, exact)


def _all_minimal(program: AmendProgram, limit: int) -> tuple[int | None, list[Decision], bool]:
    """The minimal cost, then every decision of that cost (no-good cuts), up to ``limit``."""
    first = _robust(program)
    if first is None:
        return None, [], not program.interrupt.requested
    size = program.cost(first)
    found = [first]
    program.cap_cost(size)
    program.exclude(first)
    while len(found) < limit and not program.interrupt.requested:
        decision = _robust(program)
        if decision is None:
            return size, found, not program.interrupt.requested
        found.append(decision)
        program.exclude(decision)
    return size, found, False


def _robust(program: AmendProgram) -> Decision | None:
    """The next decision that holds for every completion, adding worst cases as needed."""
    for _ in range(MAX_ROUNDS):
        decision = program.solve()
        if decision is None:
            return None
        violated = False
        for party in program.principals:
            worst = worst_completion(program.model, decision.settled, party, program.interrupt)
            if worst is not None and not program.accepts(party, worst):
                program.add_scenario(party, worst)
                violated = True
        if not violated:
            return decision
    raise SolverError(f"scenario generation did not converge in {MAX_ROUNDS} rounds")


def _ranked(
    model: CompiledModel,
    fixed: dict[int, int],
    principals: list[int],
    size: int | None,
    found: list[tuple[tuple[int, ...], tuple[int, ...]]],
    complete: bool,
    method: str,
    exact: bool,
) -> MinimalAmendments:
    d = model.reservations[principals]
    amendments = []
    for issues, options in found:
        settled = {**fixed, **dict(zip(issues, options, strict=True))}
        expected = expected_utilities(model, settled, principals)
        nash = float(np.prod(np.maximum(expected - d, 0.0)))
        amendments.append(
            Amendment(issues, options, dict(sorted(settled.items())), tuple(expected), nash)
        )
    amendments.sort(key=lambda a: (-a.nash_product, a.issues, a.options))
    return MinimalAmendments(size, tuple(amendments), complete, method, exact)

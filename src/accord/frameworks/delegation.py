"""A delegation at the table of the one-text procedure: it knows only its own preferences.

In Fisher's one-text procedure (Raiffa 1982, ch. 14) the mediator never asks a
delegation how much it values anything; it asks for *criticism* of the current draft
and, in the end, for a yes or no. A :class:`Delegation` answers exactly those two
questions, from its own utility function, red lines and reservation value only:

* :meth:`Delegation.answer`: does it accept the draft, and if not, why (a red line
  crossed, or less than its reservation value);
* :meth:`Delegation.criticise`: its ranked requests, each "set this issue to that
  option", for every single-issue change that moves the draft closer to what it wants.
  The rank is its own: fewer of its red lines crossed first, then higher utility to it.
  A change that makes the draft acceptable to it therefore ranks above one that does
  not, and an accepting delegation only asks for changes it would still accept.

Both answers are invariant under any positive affine rescaling of the delegation's
utilities (with its reservation value): nothing in them can be compared across
delegations, which is the point of the procedure. For that, the delegation ranks its
requests treating two utilities as equal within a tolerance relative to its own utility
range (the analysis' tie tolerance, :data:`~accord.analysis.pareto.TIE_TOLERANCE`,
times the range). Its yes or no uses the analysis' own test (at least its reservation
value less that tolerance), so that "every principal accepts" means what the zone of
agreement means everywhere else in accord.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from accord.analysis.pareto import TIE_TOLERANCE
from accord.engine.compiled import CompiledModel

__all__ = ["Answer", "Delegation", "Request"]

IntArray = npt.NDArray[np.int64]
_TOL = TIE_TOLERANCE


@dataclass(frozen=True)
class Request:
    """One point of criticism: set ``issue`` to ``option``.

    ``gain`` is what the delegation says it would gain, on its own scale; it is shown
    to the user, and the criticism-only mediator never reads it.
    """

    party: int
    issue: int
    option: int
    gain: float


@dataclass(frozen=True)
class Answer:
    """A delegation's yes or no on a draft, with its reasons when it says no."""

    party: int
    accepts: bool
    crosses_red_line: bool
    below_reservation: bool


class Delegation:
    """A party at the table: it knows only its own preferences and sees only drafts."""

    def __init__(self, model: CompiledModel, party: int) -> None:
        self._model = model
        self.party = party
        self._lines = [line for line in model.red_lines if line.party == party]
        span = sum(float(t[party].max() - t[party].min()) for t in model.tables) + sum(
            abs(term.value) for term in model.interactions if term.party == party
        )
        self._tol = _TOL * span

    def _utility(self, rows: IntArray) -> npt.NDArray[np.float64]:
        return np.asarray(self._model.utilities(rows, [self.party])[:, 0])

    def _crossed(self, rows: IntArray) -> npt.NDArray[np.int64]:
        """How many of its red lines each row crosses."""
        count = np.zeros(rows.shape[0], dtype=np.int64)
        for line in self._lines:
            count += line.matches(rows)
        return count

    def answer(self, row: IntArray) -> Answer:
        """Yes, or no with the reasons: a red line crossed, less than no agreement."""
        crossed = bool(self._crossed(row[None, :])[0])
        below = bool(self._utility(row[None, :])[0] < self._model.reservations[self.party] - _TOL)
        return Answer(self.party, not crossed and not below, crossed, below)

    def accepts(self, row: IntArray) -> bool:
        return self.answer(row).accepts

    def criticise(self, row: IntArray) -> tuple[Request, ...]:
        """Every single-issue change it wants, best first by its own ranking."""
        keys = [
            (issue, option)
            for issue, size in enumerate(self._model.radix)
            for option in range(size)
            if option != row[issue]
        ]
        if not keys:
            return ()
        batch = np.repeat(row[None, :], len(keys), axis=0)
        batch[np.arange(len(keys)), [i for i, _ in keys]] = [o for _, o in keys]
        utility, crossed = self._utility(batch), self._crossed(batch)
        here_u = float(self._utility(row[None, :])[0])
        here_crossed = int(self._crossed(row[None, :])[0])
        better = (crossed < here_crossed) | (
            (crossed == here_crossed) & (utility > here_u + self._tol)
        )
        wanted = [(int(crossed[n]), float(utility[n]), keys[n]) for n in np.flatnonzero(better)]
        wanted.sort(key=functools.cmp_to_key(functools.partial(_rank, tolerance=self._tol)))
        return tuple(Request(self.party, i, o, u - here_u) for _, u, (i, o) in wanted)

    def preferred(self, issue: int) -> int:
        """Its favourite option on ``issue`` by its own value for the option (first on ties)."""
        values = self._model.tables[issue][self.party]
        return int(np.flatnonzero(values >= values.max() - self._tol)[0])


_Candidate = tuple[int, float, tuple[int, int]]


def _rank(a: _Candidate, b: _Candidate, tolerance: float) -> int:
    """Fewer red lines crossed, then higher utility (equal within the tolerance), then order."""
    if a[0] != b[0]:
        return -1 if a[0] < b[0] else 1
    if abs(a[1] - b[1]) > tolerance:
        return -1 if a[1] > b[1] else 1
    return -1 if a[2] < b[2] else (1 if a[2] > b[2] else 0)

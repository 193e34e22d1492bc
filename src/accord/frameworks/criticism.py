"""The criticism-only mediator of the one-text procedure.

Fisher's one-text procedure as the US ran it at Camp David in 1978 (23 drafts in 13
days; Raiffa 1982, ch. 14): the mediator circulates one draft, asks every delegation
for its criticism and, at the end, for a yes or no, and revises. It never asks how
much anything is worth to anyone, so it never weighs one delegation's gain against
another's. This mediator builds every draft from what the delegations said:

* **open issues** are filled with the option most delegations name as their
  favourite; a tie goes to the delegation whose turn it is in a rotation (which the
  seed starts), the rotation moving on after each tie;
* **revisions** honour one request at a time, from a delegation that rejects the
  draft: the rejecting delegations are served in rotation (the one served least
  recently first), each with its highest-ranked request that (a) does not lead back
  to a draft already circulated (cycle detection) and (b) is not *vetoed*: a request
  that, honoured earlier, made a delegation that had accepted the draft reject it,
  while that delegation still accepts. Only when every request is vetoed or would
  repeat a draft is a vetoed one honoured; only when none is left does it stop;
* every choice is written down with its reason.

Nothing here reads a utility: requests are used by their rank and answers by yes or
no, so the drafts are the same under any positive affine rescaling of any
delegation's utilities.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from accord.frameworks.delegation import Answer, Request

__all__ = ["Change", "CriticismMediator"]

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Change:
    """One change from a draft to the next, and why the mediator made it."""

    issue: int
    before: int | None
    """The option before, or None when the issue was open."""
    after: int
    requested_by: tuple[int, ...]
    why: str


class CriticismMediator:
    """Sees the delegations' criticism and yes/no answers; never their utilities."""

    def __init__(
        self, party_ids: Sequence[str], option_ids: Sequence[Sequence[str]], principals: list[int]
    ) -> None:
        self._names = party_ids
        self._options = option_ids
        self.radix = tuple(len(options) for options in option_ids)
        self.principals = principals
        self._turn = 0
        self._served = dict.fromkeys(principals, -1)
        self._vetoes: dict[int, set[tuple[int, int]]] = {p: set() for p in principals}
        self._seen: set[tuple[int, ...]] = set()
        self._last: tuple[dict[int, bool], tuple[tuple[int, int], ...]] | None = None

    def start_rotation(self, position: int) -> None:
        self._turn = position % len(self.principals)

    def complete(
        self, settled: Mapping[int, int], favourites: Mapping[int, Mapping[int, int]]
    ) -> tuple[IntArray, tuple[Change, ...]]:
        """Fill the open issues from the delegations' favourites (``party → issue → option``)."""
        row = np.zeros(len(self._options), dtype=np.int64)
        changes = []
        for issue in range(len(self._options)):
            if issue in settled:
                row[issue] = settled[issue]
                continue
            named = {p: favourites[p][issue] for p in self.principals}
            option, why = self._fill(issue, named)
            row[issue] = option
            askers = tuple(p for p in self.principals if named[p] == option)
            changes.append(Change(issue, None, option, askers, why))
        return row, tuple(changes)

    def _fill(self, issue: int, named: Mapping[int, int]) -> tuple[int, str]:
        votes = Counter(named.values())
        top = max(votes.values())
        tied = sorted(o for o, n in votes.items() if n == top)
        if len(votes) == 1:
            return tied[0], "open issue: the favourite of every delegation"
        if len(tied) == 1:
            who = self._who(p for p in self.principals if named[p] == tied[0])
            return tied[0], f"open issue: the favourite of most delegations ({who})"
        rotation = self.principals[self._turn :] + self.principals[: self._turn]
        chosen = next(p for p in rotation if named[p] in tied)
        self._turn = (self.principals.index(chosen) + 1) % len(self.principals)
        split = "; ".join(
            f"{self._names[p]}: {self._options[issue][named[p]]}" for p in self.principals
        )
        return named[chosen], (
            f"open issue: the delegations' favourites tie ({split}); "
            f"the rotation gives this choice to {self._names[chosen]}"
        )

    def circulated(self, row: IntArray) -> None:
        self._seen.add(tuple(int(o) for o in row))

    def revise(
        self,
        current: IntArray,
        answers: Mapping[int, Answer],
        requests: Mapping[int, Sequence[Request]],
        number: int,
    ) -> tuple[IntArray, tuple[Change, ...]] | str:
        """The next draft from the answers and requests on ``current``, or why there is none."""
        accepts = {p: answers[p].accepts for p in self.principals}
        self._learn_vetoes(accepts)
        rejecting = sorted(
            (p for p in self.principals if not accepts[p]),
            key=lambda p: (self._served[p], self._position(p)),
        )
        accepting = sorted(
            (p for p in self.principals if accepts[p]),
            key=lambda p: (self._served[p], self._position(p)),
        )
        for parties, honour_vetoed in ((rejecting, False), (rejecting, True), (accepting, True)):
            for party in parties:
                found = self._first_open_request(current, accepts, requests[party], honour_vetoed)
                if found is None:
                    continue
                request, skipped, vetoers = found
                self._served[party] = number
                self._last = (accepts, ((request.issue, request.option),))
                row = current.copy()
                row[request.issue] = request.option
                why = self._why(party, rejecting, request, skipped, vetoers)
                before = int(current[request.issue])
                return row, (Change(request.issue, before, request.option, (party,), why),)
        return (
            "no new draft is possible: every request of every delegation "
            "would repeat a draft already circulated"
        )

    def _learn_vetoes(self, accepts: Mapping[int, bool]) -> None:
        """A delegation that accepted the last draft and rejects this one vetoes the change."""
        if self._last is None:
            return
        before, honoured = self._last
        for p in self.principals:
            if before[p] and not accepts[p]:
                self._vetoes[p].update(honoured)

    def _first_open_request(
        self,
        current: IntArray,
        accepts: Mapping[int, bool],
        ranked: Sequence[Request],
        honour_vetoed: bool,
    ) -> tuple[Request, int, tuple[int, ...]] | None:
        for rank, request in enumerate(ranked):
            row = current.copy()
            row[request.issue] = request.option
            if tuple(int(o) for o in row) in self._seen:
                continue
            vetoers = tuple(
                p
                for p in self.principals
                if accepts[p] and (request.issue, request.option) in self._vetoes[p]
            )
            if vetoers and not honour_vetoed:
                continue
            return request, rank, vetoers
        return None

    def _why(
        self,
        party: int,
        rejecting: list[int],
        request: Request,
        skipped: int,
        vetoers: tuple[int, ...],
    ) -> str:
        name = self._names[party]
        if party not in rejecting:
            turn = (
                "which accepts the draft: no request of the rejecting delegations was left "
                "that would not repeat an earlier draft"
            )
        elif len(rejecting) == 1:
            turn = "the only delegation rejecting the draft"
        else:
            turn = f"rejects the draft, and its turn came among {self._who(rejecting)}"
        text = f"request {skipped + 1} of {name} ({turn})"
        if skipped:
            text += "; its higher requests would repeat an earlier draft or were vetoed"
        if vetoers:
            text += (
                f"; honoured although {self._who(vetoers)} once rejected it, "
                "as no request without a veto was left"
            )
        return text

    def _position(self, party: int) -> int:
        return (self.principals.index(party) - self._turn) % len(self.principals)

    def _who(self, parties: Iterable[int]) -> str:
        return ", ".join(self._names[p] for p in parties)

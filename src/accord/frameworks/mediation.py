"""Mediation by single negotiating text (the one-text procedure).

Fisher's one-text procedure, used by the US at Camp David in 1978 (23 drafts in 13
days; Raiffa 1982, ch. 14): the mediator circulates one draft, each principal
criticises it, the mediator revises, and so on until no revision can help one party
without hurting another.

Delegations only ever see drafts. Each is a :class:`Delegation` holding its own
utility function; it answers a draft with criticism (the single-issue changes it would
like, with what it would gain) and answers a proposed revision with yes or no. Two
mediators:

* **full information** (the scenario's mediator knows the preferences): from a draft
  some principal rejects, the smallest revision into the zone of agreement with the
  largest Nash product; otherwise, among the revisions that leave no principal worse
  off and no principal losing acceptance, the smallest one that most improves the
  worst-off principal (ties: Nash product, then outcome order). It stops on the Pareto
  frontier of the acceptable packages (or, with no zone of agreement, of all packages
  that keep each principal's acceptance).
* **criticism only**: the mediator sees criticism and yes/no answers, never utilities.
  It proposes single requested changes and pairs of requests from two principals
  (logrolls), favouring the principal whose requests it has granted least, and adopts
  the first revision every principal accepts. Seeded random tie-breaking.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from accord.analysis.pareto import TIE_TOLERANCE
from accord.engine.compiled import CompiledModel
from accord.frameworks.draft import MAX_COMPLETIONS

__all__ = ["Delegation", "MediationDraft", "MediationResult", "Request", "mediate_text"]

IntArray = npt.NDArray[np.int64]
_TOL = TIE_TOLERANCE
_REQUESTS_CONSIDERED = 4


@dataclass(frozen=True)
class Request:
    """One criticism: change ``issue`` to ``option``; the delegation would gain ``gain``."""

    party: int
    issue: int
    option: int
    gain: float


class Delegation:
    """A principal at the table: it knows only its own preferences and sees only drafts."""

    def __init__(self, model: CompiledModel, party: int) -> None:
        self._model = model
        self.party = party

    def _utility(self, rows: IntArray) -> npt.NDArray[np.float64]:
        return np.asarray(self._model.utilities(rows, [self.party])[:, 0])

    def _acceptable(self, rows: IntArray) -> npt.NDArray[np.bool_]:
        evaluation = self._model.evaluate(rows, [self.party])
        floor = self._model.reservations[self.party] - _TOL
        return np.asarray(~evaluation.crossed[:, 0] & (evaluation.utilities[:, 0] >= floor))

    def accepts(self, row: IntArray) -> bool:
        return bool(self._acceptable(row[None, :])[0])

    def criticise(self, row: IntArray) -> list[Request]:
        """The single-issue changes this delegation would like, best first."""
        rows, keys = [], []
        for issue, size in enumerate(self._model.radix):
            for option in range(size):
                if option != row[issue]:
                    changed = row.copy()
                    changed[issue] = option
                    rows.append(changed)
                    keys.append((issue, option))
        if not rows:
            return []
        batch = np.asarray(rows)
        gains = self._utility(batch) - self._utility(row[None, :])[0]
        wanted = gains > _TOL
        if not self.accepts(row):  # any change that makes the draft acceptable is wanted
            wanted |= self._acceptable(batch)
        requests = [
            Request(self.party, issue, option, float(gain))
            for (issue, option), gain, keep in zip(keys, gains, wanted, strict=True)
            if keep
        ]
        return sorted(requests, key=lambda r: (-r.gain, r.issue, r.option))

    def prefers(self, revision: IntArray, current: IntArray) -> bool:
        """Yes to a revision it accepts over a draft it does not, or one at least as good."""
        new_ok, old_ok = self.accepts(revision), self.accepts(current)
        if new_ok != old_ok:
            return new_ok
        both = self._utility(np.stack([revision, current]))
        return bool(both[0] >= both[1] - _TOL)

    def favourite(self, issue: int) -> int:
        return int(np.argmax(self._model.tables[issue][self.party]))


@dataclass(frozen=True)
class MediationDraft:
    number: int
    row: IntArray
    changes: tuple[tuple[int, int | None, int, tuple[int, ...]], ...]
    """(issue, option before or None if it was open, option after, requesting parties)."""
    criticism: dict[int, tuple[Request, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class MediationResult:
    drafts: tuple[MediationDraft, ...]
    stop_reason: str
    mediator_knows_preferences: bool


def mediate_text(
    model: CompiledModel,
    principals: list[int],
    settled: dict[int, int],
    rounds: int,
    rng: np.random.Generator,
    knows_preferences: bool,
) -> MediationResult:
    """Run the one-text procedure from a (possibly partial) draft for ``rounds`` rounds."""
    delegations = [Delegation(model, p) for p in principals]
    if knows_preferences:
        mediator: _Mediator = _FullInformation(model, principals)
    else:
        mediator = _CriticismOnly(model, delegations, rng)
    first = mediator.complete(settled)
    opened = tuple(
        (issue, settled.get(issue), int(first[issue]), ())
        for issue in range(len(first))
        if issue not in settled
    )
    drafts = [MediationDraft(0, first, opened)]
    reason = f"stopped at the round limit ({rounds})"
    for number in range(1, rounds + 1):
        current = drafts[-1].row
        criticism = {d.party: tuple(d.criticise(current)[:3]) for d in delegations}
        drafts[-1] = MediationDraft(drafts[-1].number, current, drafts[-1].changes, criticism)
        revision = mediator.revise(current)
        if isinstance(revision, str):
            reason = revision
            break
        row, requested = revision
        changes = tuple(
            (issue, int(current[issue]), int(row[issue]), requested.get(issue, ()))
            for issue in (int(i) for i in np.flatnonzero(row != current))
        )
        drafts.append(MediationDraft(number, row, changes))
    return MediationResult(tuple(drafts), reason, knows_preferences)


_Revision = tuple[IntArray, dict[int, tuple[int, ...]]] | str


class _Mediator:
    def complete(self, settled: dict[int, int]) -> IntArray:
        raise NotImplementedError

    def revise(self, current: IntArray) -> _Revision:
        raise NotImplementedError


class _FullInformation(_Mediator):
    """Knows every principal's utilities over the (enumerated) outcome space."""

    def __init__(self, model: CompiledModel, principals: list[int]) -> None:
        if model.n_outcomes > MAX_COMPLETIONS:
            raise ValueError(f"full-information mediation enumerates at most {MAX_COMPLETIONS:,}")
        self.model = model
        indices = np.arange(model.n_outcomes, dtype=np.int64)
        self.options = model.decode(indices)
        evaluation = model.evaluate(self.options, principals)
        self.utilities = evaluation.utilities
        floor = model.reservations[principals] - _TOL
        self.ok_each = np.array(~evaluation.crossed & (evaluation.utilities >= floor), dtype=bool)
        self.ok = np.array(self.ok_each.all(axis=1), dtype=bool)
        self.disagreement = model.reservations[principals]

    def _nash(self, rows: IntArray) -> npt.NDArray[np.float64]:
        gains = np.maximum(self.utilities[rows] - self.disagreement, 0.0)
        return np.asarray(gains.prod(axis=1))

    def complete(self, settled: dict[int, int]) -> IntArray:
        """Fill open issues: most principals accepting, then max-min gain, then Nash."""
        fits = np.ones(len(self.options), dtype=bool)
        for issue, option in settled.items():
            fits &= self.options[:, issue] == option
        rows = np.flatnonzero(fits)
        worst = (self.utilities[rows] - self.disagreement).min(axis=1)
        accepting = self.ok_each[rows].sum(axis=1)
        order = np.lexsort((rows, -self._nash(rows), -worst, -accepting))
        return np.array(self.options[rows[order[0]]])

    def revise(self, current: IntArray) -> _Revision:
        here = int(self.model.encode(current[None, :])[0])
        if not self.ok[here] and self.ok.any():  # move into the zone of agreement
            rows = np.flatnonzero(self.ok)
            distance = (self.options[rows] != current).sum(axis=1)
            order = np.lexsort((rows, -self._nash(rows), distance))
            return np.array(self.options[rows[order[0]]]), {}
        u = self.utilities[here]
        better = (self.utilities >= u - _TOL).all(axis=1) & (self.utilities > u + _TOL).any(axis=1)
        better &= (self.ok_each >= self.ok_each[here]).all(axis=1)  # no one loses acceptance
        rows = np.flatnonzero(better)
        if rows.shape[0] == 0:
            if self.ok[here]:
                return "no revision can improve one principal without hurting another"
            return (
                "no package is acceptable to every principal, and no revision can improve "
                "one principal without hurting another"
            )
        worst = int(np.argmin(u - self.disagreement))
        gain_of_worst = self.utilities[rows, worst] - u[worst]
        distance = (self.options[rows] != current).sum(axis=1)
        order = np.lexsort((rows, -self._nash(rows), -gain_of_worst, distance))
        return np.array(self.options[rows[order[0]]]), {}


class _CriticismOnly(_Mediator):
    """Sees criticism and yes/no answers only."""

    def __init__(
        self, model: CompiledModel, delegations: list[Delegation], rng: np.random.Generator
    ) -> None:
        self.radix = model.radix
        self.delegations = delegations
        self.rng = rng
        self.granted = dict.fromkeys((d.party for d in delegations), 0)

    def complete(self, settled: dict[int, int]) -> IntArray:
        row = np.zeros(len(self.radix), dtype=np.int64)
        for issue in range(len(self.radix)):
            if issue in settled:
                row[issue] = settled[issue]
                continue
            votes = np.bincount(
                [d.favourite(issue) for d in self.delegations], minlength=self.radix[issue]
            )
            row[issue] = int(self.rng.choice(np.flatnonzero(votes == votes.max())))
        return row

    def revise(self, current: IntArray) -> _Revision:
        requests = {d.party: d.criticise(current)[:_REQUESTS_CONSIDERED] for d in self.delegations}
        for changes in self._candidates(requests):
            row = current.copy()
            for request in changes:
                row[request.issue] = request.option
            if all(d.prefers(row, current) for d in self.delegations):
                for request in changes:
                    self.granted[request.party] += 1
                return row, {r.issue: (r.party,) for r in changes}
        return "no revision built from the criticism is accepted by every principal"

    def _candidates(self, requests: dict[int, list[Request]]) -> list[tuple[Request, ...]]:
        singles = [(r,) for rs in requests.values() for r in rs]
        pairs = [
            (a, b)
            for p, q in ((p, q) for p in requests for q in requests if p < q)
            for a in requests[p]
            for b in requests[q]
            if a.issue != b.issue
        ]
        candidates = singles + pairs
        noise = self.rng.random(len(candidates))
        least = min(self.granted.values()) if self.granted else 0
        return [
            candidates[n]
            for n in sorted(
                range(len(candidates)),
                key=lambda n: (
                    not any(self.granted[r.party] == least for r in candidates[n]),
                    -sum(r.gain for r in candidates[n]),
                    noise[n],
                ),
            )
        ]

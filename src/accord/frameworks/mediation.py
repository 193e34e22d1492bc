"""Mediation by single negotiating text (the one-text procedure).

Fisher's one-text procedure, used by the US at Camp David in 1978 (23 drafts in 13
days; Raiffa 1982, ch. 14): the mediator circulates one draft, each delegation
criticises it and says yes or no, the mediator revises, and so on. Delegations only
ever see drafts; each is a :class:`~accord.frameworks.delegation.Delegation` that
knows only its own preferences. Two mediators:

* **criticism only** (:class:`~accord.frameworks.criticism.CriticismMediator`): sees
  the delegations' ranked requests and yes/no answers, never a utility, and never
  compares one delegation's gains with another's. It stops when every principal
  accepts (the final text), when no new draft can be built from the criticism, or at
  the round limit.
* **full information** (the scenario's mediator knows the preferences): from a draft
  some principal rejects, the smallest revision into the zone of agreement with the
  largest Nash product; otherwise, among the revisions that leave no principal worse
  off and no principal losing acceptance, the smallest one that most improves the
  worst-off principal (ties: Nash product, then outcome order). It stops on the Pareto
  frontier of the acceptable packages (or, with no zone of agreement, of all packages
  that keep each principal's acceptance).

Either way the last draft is the *final text* only when every principal accepts it
(:attr:`MediationResult.final`); otherwise the result says who rejects it and why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from accord.analysis.pareto import TIE_TOLERANCE
from accord.engine.compiled import CompiledModel
from accord.frameworks.criticism import Change, CriticismMediator
from accord.frameworks.delegation import Answer, Delegation, Request
from accord.frameworks.draft import MAX_COMPLETIONS

__all__ = ["MediationDraft", "MediationResult", "mediate_text"]

IntArray = npt.NDArray[np.int64]
_TOL = TIE_TOLERANCE
_INFORMED_FILL = (
    "open issue: the informed mediator's completion (most principals accepting, then "
    "the largest gain of the worst-off principal, then the Nash product)"
)
_INFORMED_REVISION = "the informed mediator's revision"


@dataclass(frozen=True)
class MediationDraft:
    number: int
    row: IntArray
    changes: tuple[Change, ...]
    """What changed from the previous draft (for draft 0: how the open issues were filled)."""
    answers: Mapping[int, Answer]
    """Each principal's yes or no on this draft."""
    criticism: Mapping[int, tuple[Request, ...]]
    """Each principal's ranked requests on this draft."""


@dataclass(frozen=True)
class MediationResult:
    drafts: tuple[MediationDraft, ...]
    stop_reason: str
    mediator_knows_preferences: bool
    principals: tuple[int, ...]

    @property
    def final(self) -> bool:
        """True when every principal accepts the last draft: only then is it the final text."""
        return all(answer.accepts for answer in self.drafts[-1].answers.values())

    @property
    def rejected_by(self) -> tuple[Answer, ...]:
        """The principals' answers rejecting the last draft."""
        return tuple(a for a in self.drafts[-1].answers.values() if not a.accepts)


def mediate_text(
    model: CompiledModel,
    principals: list[int],
    settled: dict[int, int],
    rounds: int,
    rng: np.random.Generator,
    knows_preferences: bool,
) -> MediationResult:
    """The one-text procedure from a (possibly partial) draft, at most ``rounds`` revisions.

    ``rng`` starts the criticism-only mediator's rotation among the delegations (the
    informed mediator uses no randomness).
    """
    delegations = {p: Delegation(model, p) for p in principals}
    mediator: _FullInformation | CriticismMediator
    if knows_preferences:
        mediator = _FullInformation(model, principals)
    else:
        mediator = CriticismMediator(model.party_ids, model.option_ids, principals)
        mediator.start_rotation(int(rng.integers(len(principals))))
    row, changes = _first_draft(mediator, settled, delegations)
    drafts: list[MediationDraft] = []
    reason = f"stopped at the round limit ({rounds} revisions)"
    for number in range(rounds + 1):
        answers = {p: d.answer(row) for p, d in delegations.items()}
        criticism = {p: d.criticise(row) for p, d in delegations.items()}
        drafts.append(MediationDraft(number, row, changes, answers, criticism))
        if isinstance(mediator, CriticismMediator):
            mediator.circulated(row)
            if all(a.accepts for a in answers.values()):
                reason = f"every principal accepts draft {number}"
                break
        if number == rounds:
            break
        revision = mediator.revise(row, answers, criticism, number)
        if isinstance(revision, str):
            reason = revision
            break
        row, changes = revision
    return MediationResult(tuple(drafts), reason, knows_preferences, tuple(principals))


def _first_draft(
    mediator: _FullInformation | CriticismMediator,
    settled: dict[int, int],
    delegations: Mapping[int, Delegation],
) -> tuple[IntArray, tuple[Change, ...]]:
    """The draft as given, its open issues filled by the mediator (each fill explained)."""
    if isinstance(mediator, CriticismMediator):
        n_issues = len(mediator.radix)
        favourites = {
            p: {i: d.preferred(i) for i in range(n_issues)} for p, d in delegations.items()
        }
        return mediator.complete(settled, favourites)
    row = mediator.complete(settled)
    fills = (i for i in range(len(row)) if i not in settled)
    return row, tuple(Change(i, None, int(row[i]), (), _INFORMED_FILL) for i in fills)


class _FullInformation:
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

    def revise(
        self,
        current: IntArray,
        answers: Mapping[int, Answer],
        requests: Mapping[int, tuple[Request, ...]],
        number: int,
    ) -> tuple[IntArray, tuple[Change, ...]] | str:
        """The next draft (answers and requests are not needed: it knows the utilities)."""
        row = self._revision(current)
        if isinstance(row, str):
            return row
        changed = (int(i) for i in np.flatnonzero(row != current))
        return row, tuple(
            Change(i, int(current[i]), int(row[i]), (), _INFORMED_REVISION) for i in changed
        )

    def _revision(self, current: IntArray) -> IntArray | str:
        here = int(self.model.encode(current[None, :])[0])
        if not self.ok[here] and self.ok.any():  # move into the zone of agreement
            rows = np.flatnonzero(self.ok)
            distance = (self.options[rows] != current).sum(axis=1)
            order = np.lexsort((rows, -self._nash(rows), distance))
            return np.array(self.options[rows[order[0]]])
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
        return np.array(self.options[rows[order[0]]])

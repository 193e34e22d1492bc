"""The criticism-only mediator in scripted exchanges: rotation, vetoes, cycles, reasons."""

from __future__ import annotations

import numpy as np

from accord.frameworks.criticism import CriticismMediator
from accord.frameworks.delegation import Answer, Request

NAMES = ("a", "b", "c")
OPTIONS = (("x0", "x1", "x2"), ("y0", "y1", "y2"))


def _answers(*accepts: bool) -> dict[int, Answer]:
    return {p: Answer(p, ok, not ok, False) for p, ok in enumerate(accepts)}


def _asks(party: int, *changes: tuple[int, int]) -> tuple[Request, ...]:
    return tuple(Request(party, i, o, 0.0) for i, o in changes)


def test_open_issues_follow_the_favourites_and_ties_rotate() -> None:
    mediator = CriticismMediator(NAMES, OPTIONS, [0, 1, 2])
    mediator.start_rotation(1)
    favourites = {0: {0: 0, 1: 0}, 1: {0: 1, 1: 1}, 2: {0: 1, 1: 0}}
    row, changes = mediator.complete({}, favourites)
    assert row.tolist() == [1, 0]
    assert "most delegations (b, c)" in changes[0].why
    assert changes[1].requested_by == (0, 2)
    tie = CriticismMediator(NAMES[:2], OPTIONS, [0, 1])
    tie.start_rotation(1)
    row, changes = tie.complete({}, {0: {0: 0, 1: 0}, 1: {0: 2, 1: 1}})
    assert row.tolist() == [2, 0]  # b's turn first, then a's
    assert "the rotation gives this choice to b" in changes[0].why
    assert "the rotation gives this choice to a" in changes[1].why


def test_rejecting_parties_are_served_in_rotation() -> None:
    mediator = CriticismMediator(NAMES[:2], OPTIONS, [0, 1])
    current = np.array([0, 0])
    mediator.circulated(current)
    asks = {0: _asks(0, (0, 1)), 1: _asks(1, (1, 1))}
    first = mediator.revise(current, _answers(False, False), asks, 0)
    assert not isinstance(first, str)
    assert first[0].tolist() == [1, 0]
    assert first[1][0].requested_by == (0,)
    mediator.circulated(first[0])
    asks = {0: _asks(0, (0, 2)), 1: _asks(1, (1, 1))}
    second = mediator.revise(first[0], _answers(False, False), asks, 1)
    assert not isinstance(second, str)
    assert second[1][0].requested_by == (1,)  # b's turn: a was served last
    assert "its turn came among" in second[1][0].why


def test_a_change_that_made_an_accepting_party_reject_is_vetoed() -> None:
    mediator = CriticismMediator(NAMES[:2], OPTIONS, [0, 1])
    start = np.array([0, 0])
    mediator.circulated(start)
    asks = {0: _asks(0, (0, 1), (1, 1)), 1: ()}
    moved = mediator.revise(start, _answers(False, True), asks, 0)
    assert not isinstance(moved, str)
    mediator.circulated(moved[0])  # b now rejects [1, 0]: it vetoes x1
    back = mediator.revise(moved[0], _answers(False, False), {0: (), 1: _asks(1, (1, 1))}, 1)
    assert not isinstance(back, str)
    assert back[0].tolist() == [1, 1]
    mediator.circulated(back[0])
    # b accepts again; a asks for x1 once more, on a draft where x1 would be new
    other = np.array([2, 2])
    mediator.circulated(other)
    asks = {0: _asks(0, (0, 1), (0, 0)), 1: ()}
    result = mediator.revise(other, _answers(False, True), asks, 2)
    assert not isinstance(result, str)
    assert result[0].tolist() == [0, 2]  # x1 is vetoed by b while b accepts: next request
    assert "request 2 of a" in result[1][0].why
    assert "vetoed" in result[1][0].why
    # with b rejecting too, its veto no longer binds
    result = mediator.revise(other, _answers(False, False), {0: asks[0], 1: ()}, 3)
    assert not isinstance(result, str)
    assert result[0].tolist() == [1, 2]


def test_no_new_draft_when_every_request_repeats_a_draft() -> None:
    mediator = CriticismMediator(NAMES[:2], OPTIONS, [0, 1])
    for row in ([0, 0], [1, 0]):
        mediator.circulated(np.array(row))
    result = mediator.revise(
        np.array([0, 0]), _answers(False, True), {0: _asks(0, (0, 1)), 1: ()}, 0
    )
    assert isinstance(result, str)
    assert "no new draft is possible" in result

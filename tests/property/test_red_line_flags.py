"""Red-line flags on reviews, amendments and mediated drafts, against brute force.

Every party's red lines are checked (not only those who must accept): a flag is
raised exactly when some completion of the draft's open issues crosses the red line,
and marked certain exactly when every completion does.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from accord import Scenario, compile_scenario
from accord.frameworks.amend import amend_framework
from accord.frameworks.draft import compile_draft
from accord.frameworks.flags import RedLineFlag, red_line_flags
from accord.frameworks.mediation import mediate_text
from accord.frameworks.model import Framework
from accord.frameworks.review import review_framework
from brute import brute, completions, drafts, matches


def _brute_flags(scenario: Scenario, outcomes: list[dict[str, str]]) -> set[tuple[str, int, bool]]:
    expected = set()
    for party in scenario.parties:
        assert party.preferences is not None
        for number, line in enumerate(party.preferences.red_lines, start=1):
            crossed = [matches(line.when, outcome) for outcome in outcomes]
            if any(crossed):
                expected.add((party.id, number, all(crossed)))
    return expected


def _as_set(flags: tuple[RedLineFlag, ...]) -> set[tuple[str, int, bool]]:
    return {(f.party, f.red_line, f.certain) for f in flags}


@settings(max_examples=60)
@given(drafts())
def test_review_flags_every_party_as_brute_force(case: tuple[Scenario, Framework]) -> None:
    scenario, framework = case
    expected = _brute_flags(scenario, completions(scenario, framework))
    review = review_framework(framework, scenario)
    assert _as_set(review.flags) == expected
    for flag in review.flags:
        party = scenario.party(flag.party)
        assert party.preferences is not None
        assert flag.text == party.preferences.red_lines[flag.red_line - 1].reason


@settings(max_examples=40)
@given(drafts(), st.data())
def test_amendments_flag_parties_who_need_not_accept(
    case: tuple[Scenario, Framework], data: st.DataObject
) -> None:
    scenario, framework = case
    ids = [p.id for p in scenario.parties]
    needed = data.draw(st.lists(st.sampled_from(ids), min_size=1, unique=True))
    every = brute(scenario)[0]
    for method in ("enumerate", "structured"):
        result = amend_framework(framework, scenario, limit=50, method=method, parties=needed)
        assert result.principals == tuple(needed)
        for amendment in result.amendments:
            settled = amendment.settled_after
            outcomes = [o for o in every if all(o[i] == v for i, v in settled.items())]
            assert _as_set(amendment.flags) == _brute_flags(scenario, outcomes)
            assert not any(f.party in needed for f in amendment.flags)


@settings(max_examples=30)
@given(drafts(), st.integers(0, 2**16))
def test_mediated_drafts_are_flagged(case: tuple[Scenario, Framework], seed: int) -> None:
    scenario, framework = case
    model = compile_scenario(scenario)
    start = compile_draft(framework, model).settled
    result = mediate_text(model, [0, 1], start, 10, np.random.default_rng(seed), False)
    for draft in result.drafts:
        settled = {i: int(o) for i, o in enumerate(draft.row)}
        outcome = model.describe(draft.row)
        assert _as_set(red_line_flags(model, scenario, settled)) == _brute_flags(
            scenario, [outcome]
        )

"""The exchange model on data with tied gains, against the reference implementation.

Fixtures: ``fixtures/exchange_ties/*.json``, written by ``bench/exchange_reference.py``
from runs of Decide (``decide-exchange-model`` 2025.3.1, Equal Gain,
``EqualGainModel.ALLOW_RANDOM = False``) in its own Python 3.13 environment. Each holds
a table in Decide's input format — a shared dataset or a random table, with actors
duplicated so that exchanges tie — and the reference's rounds: NBS of the start
positions, voting NBS and the realised exchanges in order.

Decide decides ties by the order of its list of candidates (a stable sort by gain
before every realisation: the latest earlier difference in gain, then generation
order; ``docs/how-to/forecast.md``). Where that order, or an overshoot cap, rested on a
difference of ``Decimal`` rounding (below 1e-12), no float program can follow it; the
fixtures keep only the rounds before the first such decision.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from accord.forecast import exchange_model
from accord.forecast.decide import parse_decide

FIXTURES = Path(__file__).parent / "fixtures" / "exchange_ties"
PATHS = sorted(FIXTURES.glob("*.json"))
TOLERANCE = 1e-6
"""Decide computes in ``Decimal``; accord in floats."""


def _load(path: Path) -> dict[str, Any]:
    fixture: dict[str, Any] = json.loads(path.read_text())
    return fixture


def test_the_fixtures_cover_many_tables_with_ties() -> None:
    fixtures = [_load(path) for path in PATHS]
    assert len(fixtures) >= 40
    assert sum(r["ties"] for f in fixtures for r in f["rounds"]) >= 500
    origins = {f["origin"].split(":")[0] for f in fixtures}
    assert origins == {"shared", "random"}
    assert sum(path.stat().st_size for path in PATHS) < 2_000_000


@pytest.mark.parametrize("path", PATHS, ids=[path.stem for path in PATHS])
def test_every_round_matches_the_reference(path: Path) -> None:
    fixture = _load(path)
    table = parse_decide(fixture["decide_input"], path.name)
    assert list(table.actors) == fixture["actors"]
    assert list(table.issues) == fixture["issues"]
    result = exchange_model(table, rounds=len(fixture["rounds"]))
    actor = {name: k for k, name in enumerate(table.actors)}
    issue = {name: d for d, name in enumerate(table.issues)}
    for ours, wanted in zip(result.rounds, fixture["rounds"], strict=True):
        where = f"{path.stem}, round {ours.round}"
        for name, start, voting in zip(
            table.issues, wanted["nbs_start"], wanted["nbs_voting"], strict=True
        ):
            assert ours.nbs_start[name] == pytest.approx(start, abs=TOLERANCE), where
            assert ours.nbs_voting[name] == pytest.approx(voting, abs=TOLERANCE), where
        realised = [
            [actor[e.i], issue[e.i_supply], actor[e.j], issue[e.j_supply]] for e in ours.realized
        ]
        assert realised == [e[:4] for e in wanted["realized"]], where
        for e, theirs in zip(ours.realized, wanted["realized"], strict=True):
            i_y = float(table.unscale(theirs[4], issue[e.i_supply]))
            j_y = float(table.unscale(theirs[5], issue[e.j_supply]))
            assert (e.i_y, e.j_y) == pytest.approx((i_y, j_y), abs=TOLERANCE), where
            assert e.gain == pytest.approx(theirs[6], abs=1e-9), where

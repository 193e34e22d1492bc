"""Stokman's exchange model: Equal Gain and its randomised form (REX).

Actors trade support: one shifts on an issue it cares little about towards a partner
who cares a lot, in return for the partner's shift on another issue (Coleman 1966;
Stokman & Van Oosten 1994; Stokman & Van den Bos 1992 for the NBS outcome). Each round:

1. the outcome of each issue is its NBS ``O_d = Σ c s x / Σ c s``;
2. every pair of actors on opposite sides of O on two issues is a candidate exchange
   (:func:`accord.forecast.exchange_kernel.generate`), evaluated at once;
3. the candidate with the highest gain is realised, the candidates it touches (same
   actor and supply or demand issue) are recalculated, invalid ones dropped — until
   none is left. Ties go to the candidate ahead in Decide's list order (as Decide
   with ``ALLOW_RANDOM = False``: a stable sort by gain before every realisation, so
   by the latest earlier difference in gain, then generation order) or, with
   ``random_ties``, to a seeded coin flip between the first two (Decide's default);
4. the voting positions give the round's forecast (the voting NBS); each supplier's
   next start position moves ``(1 − s)·0.4 + 0.1`` of the way to its voting position.
"""

from __future__ import annotations

import numpy as np

from accord.forecast.baselines import table_baselines
from accord.forecast.data import FloatArray, Progress, StakeholderTable, Ticker
from accord.forecast.exchange_eval import Draws, calculate
from accord.forecast.exchange_kernel import VALID, Buffers, RoundState, generate
from accord.forecast.realise import Realised, realise
from accord.forecast.results import ExchangeForecast, ExchangeRound, RealizedExchange

__all__ = ["EXCHANGE_VARIANTS", "FIXED_WEIGHT", "SALIENCE_WEIGHT", "exchange_model"]

EXCHANGE_VARIANTS = ("equal-gain", "rex")
SALIENCE_WEIGHT = 0.4
FIXED_WEIGHT = 0.1
"""Start-position update x' = x + [(1 − s)·0.4 + 0.1](y − x) (Decide's constants)."""


def exchange_model(
    table: StakeholderTable,
    *,
    rounds: int = 10,
    variant: str = "equal-gain",
    p: float | None = None,
    random_ties: bool = False,
    seed: int | None = None,
    progress: Progress | None = None,
) -> ExchangeForecast:
    """Run the exchange model on ``table`` (at least two issues) for ``rounds`` rounds.

    ``variant`` is ``"equal-gain"`` or ``"rex"`` with randomisation ``p`` in (0, 1]
    (default 0.5); ``random_ties`` breaks equal gains by a coin flip. Every random
    draw comes from a generator seeded with ``seed``. ``progress(done, total)`` is
    called after every round."""
    p = _check(table, rounds, variant, p)
    draws = Draws(np.random.default_rng(seed))
    buffers = Buffers()
    s, c = _weights(table)
    x = np.nan_to_num(table.scaled())
    eligible = table.present & (s > 0) & (c > 0)
    records: list[ExchangeRound] = []
    ticker = Ticker(rounds, progress)
    for number in range(1, rounds + 1):
        record, x = _round(table, number, x, s, c, eligible, p or 0.0, draws, random_ties, buffers)
        records.append(record)
        ticker.advance()
    settings: dict[str, float | int | str | bool | None] = {
        "rounds": rounds,
        "p": p,
        "random_ties": random_ties,
        "seed": seed,
        "salience_weight": SALIENCE_WEIGHT,
        "fixed_weight": FIXED_WEIGHT,
    }
    return _result(table, variant, settings, records, x)


def _check(table: StakeholderTable, rounds: int, variant: str, p: float | None) -> float | None:
    """Validate the settings; the REX parameter p (0.5 by default), None for Equal Gain."""
    if variant not in EXCHANGE_VARIANTS:
        raise ValueError(f"unknown variant {variant!r}; expected one of {EXCHANGE_VARIANTS}")
    if len(table.issues) < 2:
        raise ValueError("the exchange model needs at least two issues")
    if rounds < 0:
        raise ValueError("rounds must be at least 0")
    if variant == "rex":
        p = 0.5 if p is None else p
        if not 0.0 < p <= 1.0:
            raise ValueError("REX needs p in (0, 1]")
        return p
    if p not in (None, 0.0):
        raise ValueError("p applies to the rex variant only")
    return None


def _weights(table: StakeholderTable) -> tuple[FloatArray, FloatArray]:
    present = table.present
    return np.where(present, table.salience, 0.0), np.where(present, table.capability, 0.0)


def _nbs(x: FloatArray, s: FloatArray, c: FloatArray) -> FloatArray:
    """Σ c s x / Σ c s per issue (Stokman & Van den Bos 1992)."""
    w = (c * s).sum(axis=0)
    nbs: FloatArray = np.divide((c * s * x).sum(axis=0), w, out=np.zeros_like(w), where=w > 0)
    return nbs


def _round(
    table: StakeholderTable,
    number: int,
    x: FloatArray,
    s: FloatArray,
    c: FloatArray,
    eligible: np.ndarray,
    p: float,
    draws: Draws,
    random_ties: bool,
    buffers: Buffers,
) -> tuple[ExchangeRound, FloatArray]:
    state = RoundState.start(x, s, c, buffers)
    start_nbs = state.nbs.copy()
    cands = generate(state, eligible, buffers)
    calculate(cands, state, buffers.arange(len(cands)), p, draws)
    n_valid = int(np.count_nonzero(cands.data[:, VALID]))
    done = realise(cands, state, p, draws, random_ties, buffers)
    voting, following = _votes(x, s, done)
    voting_nbs = _nbs(voting, s, c)
    record = ExchangeRound(
        round=number,
        nbs_start=_by_issue(table, start_nbs),
        nbs_voting=_by_issue(table, voting_nbs),
        n_candidate_exchanges=len(cands),
        n_valid_candidates=n_valid,
        n_realized_exchanges=len(done),
        realized=_realized(table, done),
        voting_positions=_positions(table, voting),
        positions_after_round=_positions(table, following),
    )
    return record, following


def _by_issue(table: StakeholderTable, values: FloatArray) -> dict[str, float]:
    return {issue: float(table.unscale(values[d], d)) for d, issue in enumerate(table.issues)}


def _positions(table: StakeholderTable, x: FloatArray) -> dict[str, dict[str, float]]:
    present = table.present
    result: dict[str, dict[str, float]] = {}
    for d, issue in enumerate(table.issues):
        values = table.unscale(x[:, d], d).tolist()
        result[issue] = {
            actor: value
            for actor, value, here in zip(table.actors, values, present[:, d], strict=True)
            if here
        }
    return result


def _votes(x: FloatArray, s: FloatArray, done: Realised) -> tuple[FloatArray, FloatArray]:
    """Voting positions (each supplier's last voting position on an issue; unchanged
    where it supplied nothing) and next round's start positions."""
    actor, issue = done.actor.ravel(), done.supply.ravel()  # (i, j) of each exchange, in order
    y = done.values[:, [1, 3]].ravel()
    _, last_reversed = np.unique((actor * x.shape[1] + issue)[::-1], return_index=True)
    last = len(actor) - 1 - last_reversed
    a, d, y = actor[last], issue[last], y[last]
    voting, following = x.copy(), x.copy()
    voting[a, d] = y
    weight = (1.0 - s[a, d]) * SALIENCE_WEIGHT + FIXED_WEIGHT
    following[a, d] = weight * y + (1.0 - weight) * x[a, d]
    return voting, following


def _realized(table: StakeholderTable, done: Realised) -> tuple[RealizedExchange, ...]:
    """The realised exchanges on the issues' own scales."""
    if len(done) == 0:
        return ()
    scaled = [
        table.unscale(done.values[:, column], done.supply[:, side]).tolist()
        for side, columns in enumerate(((0, 1), (2, 3)))
        for column in columns
    ]
    names = [[table.actors[a] for a in done.actor[:, side].tolist()] for side in (0, 1)]
    issues = [[table.issues[d] for d in done.supply[:, side].tolist()] for side in (0, 1)]
    gains = done.values[:, 4:].tolist()
    return tuple(
        RealizedExchange(
            i=names[0][k],
            i_supply=issues[0][k],
            i_x=scaled[0][k],
            i_y=scaled[1][k],
            j=names[1][k],
            j_supply=issues[1][k],
            j_x=scaled[2][k],
            j_y=scaled[3][k],
            gain=gains[k][0],
            gain_i=gains[k][1],
            gain_j=gains[k][2],
        )
        for k in range(len(done))
    )


def _result(
    table: StakeholderTable,
    variant: str,
    settings: dict[str, float | int | str | bool | None],
    records: list[ExchangeRound],
    final: FloatArray,
) -> ExchangeForecast:
    s, c = _weights(table)
    x0 = np.nan_to_num(table.scaled())
    initial_nbs = _by_issue(table, _nbs(x0, s, c))
    settled = next((r.round - 1 for r in records if r.n_realized_exchanges == 0), None)
    notes = table.notes
    if settled is not None:
        notes += (f"no exchange is possible after round {settled}: positions are settled",)
    return ExchangeForecast(
        variant=variant,
        settings=settings,
        issues=table.issues,
        actors=table.actors,
        initial_positions=_positions(table, x0),
        initial_nbs=initial_nbs,
        rounds=tuple(records),
        baselines=table_baselines(table),
        forecast=dict(records[-1].nbs_voting) if records else initial_nbs,
        nbs_after_last_round=_by_issue(table, _nbs(final, s, c)),
        settled_after=settled,
        source=table.source,
        notes=notes,
    )

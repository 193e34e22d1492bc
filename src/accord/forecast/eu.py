"""Bueno de Mesquita's expected-utility model of collective decisions.

Each round every actor estimates its risk attitude from how exposed its position is,
computes the expected utility of challenging and of being challenged by every other
actor, and answers the most pressing challenge by losing a conflict (taking the
challenger's position), compromising part of the way or capitulating; all actors move
at once (Bueno de Mesquita 1994, 2002, 2011). Two readings are implemented:

``scholz`` (default)
    Scholz, Calbert & Smith (2011) as coded by J. McKibben: the receiver's risk
    exponent for every utility, win probabilities over all pairs of actors, and
    capitulation never taken — a typo in that code, reproduced because the published
    runs rest on it. ``scholz-capitulation`` fixes it.
``gdm``
    The group decision model as coded by D. Masad: linear per-contest probabilities,
    each actor's own exponent, challenges sent when the sender's own expected utility
    is positive and the receiver answering the strongest one.

Optional salience shocks (Bueno de Mesquita 2002) redraw an actor's salience from
U(0, 1) with a given probability each round, from a seeded generator. After the run
the path is classified (:class:`~accord.forecast.results.Outcome`): a fixed point, a
cycle (forecast = its mean) or an unsettled path (forecast = the later half's mean).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.forecast import eu_kernel as kernel
from accord.forecast.baselines import issue_baselines, weighted_mean
from accord.forecast.data import FloatArray, Progress, StakeholderTable, Ticker
from accord.forecast.results import (
    EuForecast,
    EuIssueForecast,
    EuMove,
    EuRound,
    MoveType,
    Outcome,
    OutcomeKind,
)

__all__ = ["EU_VARIANTS", "expected_utility", "median_voter"]

EU_VARIANTS = ("scholz", "scholz-capitulation", "gdm")
_MOVE_TYPES = {
    kernel.CONFLICT: MoveType.CONFLICT,
    kernel.COMPROMISE: MoveType.COMPROMISE,
    kernel.CAPITULATION: MoveType.CAPITULATION,
}


@dataclass(frozen=True)
class _Settings:
    variant: str
    q: float
    t: float
    shock_probability: float


@dataclass(frozen=True)
class _Step:
    r: FloatArray
    salience: FloatArray
    responses: kernel.Responses


def median_voter(x: FloatArray, weight: FloatArray) -> float:
    """The median voter: the actor position no other beats in a weighted vote with
    linear utilities. Ties are broken like the reference code, by a king-of-the-hill
    pass over ``list(set(positions))``."""
    return kernel.median_by_order(x, weight, list(set(x.tolist())))


def gdm_vote(x: FloatArray, weight: FloatArray) -> float:
    """The GDM code's "median": the position with the largest single pairwise margin,
    i.e. the smallest Σ w|x − p| (first actor on ties)."""
    return float(x[int(np.argmin(kernel.linear_spread(x, weight, x)))])


def expected_utility(
    table: StakeholderTable,
    *,
    rounds: int = 10,
    variant: str = "scholz",
    q: float = 1.0,
    t: float = 1.0,
    shock_probability: float = 0.0,
    seed: int | None = None,
    progress: Progress | None = None,
) -> EuForecast:
    """Run the expected-utility model on every issue of ``table`` for ``rounds`` rounds.

    ``variant`` is one of :data:`EU_VARIANTS`; ``q`` and ``t`` are Bueno de Mesquita's
    Q (weight of the status quo, 1 in the references) and T; ``shock_probability`` the
    chance per actor and round that its salience is redrawn (BDM 2002), drawn from a
    generator seeded with ``seed``. ``progress(done, total)`` is called after every
    issue-round."""
    if variant not in EU_VARIANTS:
        raise ValueError(f"unknown variant {variant!r}; expected one of {EU_VARIANTS}")
    if rounds < 0:
        raise ValueError("rounds must be at least 0")
    if not 0.0 <= shock_probability <= 1.0:
        raise ValueError("shock_probability must lie in [0, 1]")
    settings = _Settings(variant, q, t, shock_probability)
    seeds = np.random.SeedSequence(seed).spawn(len(table.issues))
    ticker = Ticker(rounds * len(table.issues), progress)
    issues = tuple(
        _run_issue(table, d, rounds, settings, np.random.default_rng(seeds[d]), ticker)
        for d in range(len(table.issues))
    )
    return EuForecast(
        variant=variant,
        settings={
            "rounds": rounds,
            "q": q,
            "t": t,
            "shock_probability": shock_probability,
            "seed": seed,
            "capitulation": variant != "scholz",
        },
        issues=issues,
        source=table.source,
        notes=table.notes,
    )


def _run_issue(
    table: StakeholderTable,
    d: int,
    rounds: int,
    settings: _Settings,
    rng: np.random.Generator,
    ticker: Ticker,
) -> EuIssueForecast:
    names, x0, salience, capability = table.column(d)
    delta = float(np.max(x0) - np.min(x0))
    x, s = x0.copy(), salience.copy()
    states, records = [x0.copy()], []
    stopped = delta <= 0
    for number in range(1, rounds + 1):
        if stopped:
            break
        if settings.shock_probability > 0:
            s = _shock(s, settings.shock_probability, rng)
        step = _round(x, s, capability, delta, settings)
        if step is None:
            stopped = True
            break
        new_x = step.responses.position
        records.append(_record(number, names, x, new_x, step, capability, settings))
        x = new_x
        states.append(x.copy())
        ticker.advance()
    ticker.advance(rounds - len(records))
    outcome = _outcome(
        states,
        records,
        median_voter(x0, capability * salience),
        weighted_mean(x0, capability * salience),
        stopped,
        delta,
        settings.shock_probability > 0,
    )
    return EuIssueForecast(
        issue=table.issues[d],
        actors=names,
        initial_positions=dict(zip(names, x0.tolist(), strict=True)),
        initial_median_voter=median_voter(x0, capability * salience),
        initial_weighted_mean=weighted_mean(x0, capability * salience),
        position_range=delta,
        rounds=tuple(records),
        outcome=outcome,
        baselines=issue_baselines(table.issues[d], x0, salience, capability),
    )


def _shock(s: FloatArray, probability: float, rng: np.random.Generator) -> FloatArray:
    """BDM (2002): each actor's salience is redrawn from U(0, 1) with ``probability``."""
    hit = rng.random(len(s)) < probability
    fresh = rng.random(len(s))
    return np.where(hit, fresh, s)


def _round(
    x: FloatArray, s: FloatArray, c: FloatArray, delta: float, settings: _Settings
) -> _Step | None:
    """One round of the Scholz reading: risk exponents from the security levels with
    every r = 1, then each receiver's expected utilities with its own r."""
    geometry = kernel.Geometry(x, delta)
    if settings.variant == "gdm":
        return _gdm_round(geometry, s, c, settings)
    w = c * s
    q, t = settings.q, settings.t
    mu = median_voter(x, w) if q != 1.0 else 0.0
    at_one = kernel.scholz_probability(geometry, w, None)
    linear = kernel.Utilities(geometry, None)
    received = kernel.challenge_eu(geometry, s, at_one, linear, received=True, q=q, t=t, mu=mu)
    r = kernel.risk_exponents(kernel.security_levels(received))
    if r is None:
        return None
    p = kernel.scholz_probability(geometry, w, r)
    utilities = kernel.Utilities(geometry, r)
    eu_ij = kernel.challenge_eu(geometry, s, p, utilities, q=q, t=t, mu=mu)
    eu_ji = kernel.challenge_eu(geometry, s, p, utilities, received=True, q=q, t=t, mu=mu)
    capitulation = settings.variant == "scholz-capitulation"
    responses = kernel.scholz_responses(
        x, eu_ij, eu_ji, capitulation=capitulation, gap=geometry.gap
    )
    return _Step(r, s, responses)


def _gdm_round(
    geometry: kernel.Geometry, s: FloatArray, c: FloatArray, settings: _Settings
) -> _Step | None:
    """One ``run_model()`` step of the GDM code: r = 1, μ = vote, risk exponents from
    Σ_j E_jk; then μ = weighted mean and the expected utilities again with the new r."""
    x, w = geometry.x, c * s
    p = kernel.gdm_probability(geometry, w)
    q, t = settings.q, settings.t
    linear = kernel.Utilities(geometry, None)
    own = kernel.challenge_eu(geometry, s, p, linear, q=q, t=t, mu=gdm_vote(x, w), slip=1.0)
    r = kernel.risk_exponents(kernel.security_levels(own.T))
    if r is None:
        return None
    utilities = kernel.Utilities(geometry, r)
    own = kernel.challenge_eu(geometry, s, p, utilities, q=q, t=t, mu=weighted_mean(x, w), slip=1.0)
    return _Step(r, s, kernel.gdm_responses(x, own, geometry.gap))


def _moves(
    names: tuple[str, ...], x: FloatArray, new_x: FloatArray, responses: kernel.Responses
) -> tuple[EuMove, ...]:
    movers = np.flatnonzero(responses.code != kernel.NO_MOVE)
    columns = zip(
        movers.tolist(),
        responses.code[movers].tolist(),
        responses.partner[movers].tolist(),
        responses.eu_ij[movers].tolist(),
        responses.eu_ji[movers].tolist(),
        x[movers].tolist(),
        new_x[movers].tolist(),
        strict=True,
    )
    return tuple(
        EuMove(names[i], _MOVE_TYPES[code], names[partner], a, b, old, new)
        for i, code, partner, a, b, old, new in columns
    )


def _record(
    number: int,
    names: tuple[str, ...],
    x: FloatArray,
    new_x: FloatArray,
    step: _Step,
    c: FloatArray,
    settings: _Settings,
) -> EuRound:
    moves = _moves(names, x, new_x, step.responses)
    w = c * step.salience
    return EuRound(
        round=number,
        risk_exponent_r=dict(zip(names, step.r.tolist(), strict=True)),
        positions=dict(zip(names, new_x.tolist(), strict=True)),
        moves=moves,
        median_voter=median_voter(new_x, w),
        weighted_mean=weighted_mean(new_x, w),
        salience=(
            dict(zip(names, step.salience.tolist(), strict=True))
            if settings.shock_probability > 0
            else None
        ),
        vote=gdm_vote(new_x, w) if settings.variant == "gdm" else None,
    )


def _outcome(
    states: list[FloatArray],
    records: list[EuRound],
    initial_median: float,
    initial_mean: float,
    stopped: bool,
    delta: float,
    stochastic: bool,
) -> Outcome:
    medians = [initial_median, *(r.median_voter for r in records)]
    means = [initial_mean, *(r.weighted_mean for r in records)]
    if stopped:
        return _stopped(states[-1], len(records), medians[-1], means[-1])
    recurrence = None if stochastic else _recurrence(states, delta)
    if recurrence is not None:
        start, period = recurrence
        used = tuple(range(start + 1, start + period + 1))
        kind = OutcomeKind.FIXED_POINT if period == 1 else OutcomeKind.CYCLE
        note = (
            f"positions stop changing after round {start}"
            if period == 1
            else f"from round {start} positions repeat every {period} rounds; the forecast "
            "is the mean median voter over one cycle"
        )
        return _summary(kind, medians, means, used, start, period, note)
    used = tuple(range(len(records) // 2 + 1, len(records) + 1)) or (0,)
    note = (
        f"no fixed point or cycle within {len(records)} rounds; the forecast is the "
        "mean median voter over the later half of the rounds"
    )
    if stochastic:
        note = "salience shocks make the path random; " + note.split("; ")[1]
    return _summary(OutcomeKind.NOT_SETTLED, medians, means, used, None, None, note)


def _stopped(x: FloatArray, last: int, median: float, mean: float) -> Outcome:
    """The run stopped because no risk exponent is defined: a consensus, or (rarely) every
    actor equally secure without one."""
    if float(np.ptp(x)) == 0.0:
        note = f"consensus: every actor holds the same position after round {last}"
        return Outcome(
            OutcomeKind.FIXED_POINT, median, mean, last, 1, (last,), median, median, note
        )
    note = (
        "every actor is equally secure, so risk attitudes are undefined and the model "
        "stops (Bueno de Mesquita 1994)"
    )
    return Outcome(OutcomeKind.STOPPED, median, mean, last, None, (last,), median, median, note)


def _summary(
    kind: OutcomeKind,
    medians: list[float],
    means: list[float],
    used: tuple[int, ...],
    start: int | None,
    period: int | None,
    note: str,
) -> Outcome:
    chosen = [medians[k] for k in used]
    return Outcome(
        kind,
        float(np.mean(chosen)),
        float(np.mean([means[k] for k in used])),
        start,
        period,
        used,
        min(chosen),
        max(chosen),
        note,
    )


def _recurrence(states: list[FloatArray], delta: float) -> tuple[int, int] | None:
    """The first state that recurs, as (its round, period); None when none does. States
    are compared after rounding to 1e-10 of the position range (exact repeats come from
    actors taking each other's positions, so rounding only absorbs float noise)."""
    seen: dict[bytes, int] = {}
    scale = max(delta, 1e-300)
    for later, state in enumerate(states):
        key = (np.round(state / scale, 10) + 0.0).tobytes()  # + 0.0 folds -0.0 into 0.0
        if key in seen:
            return seen[key], later - seen[key]
        seen[key] = later
    return None

"""Measures of a session's end: utilities, gains, fairness, and distances to the
Pareto frontier and the Nash point (see :class:`~accord.simulation.results.Metrics`)."""

from __future__ import annotations

import numpy as np

from accord.protocols.session import Session
from accord.protocols.trace import ProtocolRun
from accord.simulation.results import Metrics, distance_to_frontier

__all__ = ["measure"]


def measure(session: Session, run: ProtocolRun, *, with_reference: bool = True) -> Metrics:
    """The :class:`Metrics` of ``run``; distances only ``with_reference``."""
    parties, pressure = session.parties, session.pressure
    reservations = [pressure.reservation(j, run.round) for j in range(len(parties))]
    if run.agreement is not None:
        static = np.asarray([session.space.utility(j, run.agreement) for j in range(len(parties))])
        got = [pressure.value(j, float(u), run.round) for j, u in enumerate(static)]
    else:
        static = np.asarray(pressure.reservations, dtype=np.float64)
        got = list(reservations)
    gains = [u - r for u, r in zip(got, reservations, strict=True)]
    pareto = nash_distance = None
    nash_outcome = nash_utilities = None
    if with_reference:
        reference = session.space.reference()
        pareto = distance_to_frontier(static, reference.frontier_utilities)
        if reference.nash is not None and reference.nash_utilities is not None:
            nash_distance = float(np.sqrt(((static - reference.nash_utilities) ** 2).sum()))
            row = session.model.decode(np.asarray([reference.nash], dtype=np.int64))[0]
            nash_outcome = session.model.describe(row)
            nash_utilities = dict(zip(parties, map(float, reference.nash_utilities), strict=True))
    return Metrics(
        utilities=dict(zip(parties, got, strict=True)),
        reservations=dict(zip(parties, reservations, strict=True)),
        gains=dict(zip(parties, gains, strict=True)),
        fairness=min(gains),
        pareto_distance=pareto,
        nash_distance=nash_distance,
        nash_outcome=nash_outcome,
        nash_utilities=nash_utilities,
    )

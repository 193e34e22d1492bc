"""A session result as JSON, as a JSONL trace, and as text for the terminal."""

from __future__ import annotations

import math
from typing import Any

from rich.console import Console
from rich.table import Table

from accord.protocols.trace import Event
from accord.render.json_text import to_json
from accord.render.safe import plain
from accord.simulation.results import SessionResult

__all__ = ["event_to_data", "print_result", "result_to_data", "result_to_json", "trace_to_jsonl"]


def _number(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else round(value, 12)


def event_to_data(result: SessionResult, event: Event) -> dict[str, Any]:
    """One trace event: ``{round, from, to, kind, outcome, utilities, ...}``.

    ``utilities`` are the outcome's static utilities to the negotiators.
    """
    data: dict[str, Any] = {
        "round": event.round,
        "from": event.sender,
        "to": list(event.to),
        "kind": event.kind.value,
        "outcome": None if event.outcome is None else result.outcomes[event.outcome],
    }
    if event.outcome is not None:
        values = result.outcome_utilities[event.outcome]
        data["utilities"] = {p: _number(u) for p, u in zip(result.parties, values, strict=True)}
    if event.original is not None:
        data["original"] = result.outcomes[event.original]
    if event.message is not None:
        data["message"] = event.message
    return data


def result_to_data(result: SessionResult) -> dict[str, Any]:
    """The documented JSON shape of ``accord simulate --format json``."""
    metrics = result.metrics
    spec = result.spec
    return {
        "scenario": result.scenario_id,
        "title": result.title,
        "protocol": result.protocol,
        "parties": list(result.parties),
        "mediator": result.mediator,
        "strategies": result.strategies,
        "seed": result.seed,
        "deadline": spec.rounds,
        "time_pressure": {
            "delay_cost": dict(spec.delay_cost),
            "reservation_drift": dict(spec.reservation_drift),
            "discount": dict(spec.discount),
        },
        "agreement": result.agreement,
        "rounds": result.round,
        "outcome": result.outcome,
        "utilities": {p: _number(u) for p, u in metrics.utilities.items()},
        "reservations": {p: _number(u) for p, u in metrics.reservations.items()},
        "gains": {p: _number(u) for p, u in metrics.gains.items()},
        "metrics": {
            "fairness": _number(metrics.fairness),
            "pareto_distance": _number(metrics.pareto_distance),
            "nash_distance": _number(metrics.nash_distance),
            "nash": None
            if metrics.nash_outcome is None or metrics.nash_utilities is None
            else {
                "outcome": metrics.nash_outcome,
                "utilities": {p: _number(u) for p, u in metrics.nash_utilities.items()},
            },
        },
        "notes": list(result.notes),
        "trace": [event_to_data(result, event) for event in result.events],
    }


def result_to_json(result: SessionResult) -> str:
    return to_json(result_to_data(result)) + "\n"


def trace_to_jsonl(result: SessionResult) -> str:
    """One JSON object per line for each event of the trace."""
    lines = [to_json(event_to_data(result, e), indent=None) for e in result.events]
    return "".join(line + "\n" for line in lines)


def _fmt(value: float | None) -> str:
    return "—" if value is None or math.isnan(value) else f"{value:.3f}"


def _outcome_text(outcome: dict[str, str] | None) -> str:
    return "—" if outcome is None else ", ".join(f"{k}={v}" for k, v in outcome.items())


def print_result(result: SessionResult, console: Console, trace_limit: int = 20) -> None:
    """The result for people: the end, per-party table, metrics, notes and trace."""
    who = ", ".join(f"{p}={s}" for p, s in result.strategies.items())
    via = f", mediator {result.mediator}" if result.mediator else ""
    console.print(plain(f"{result.title} ({result.scenario_id})", style="bold"))
    console.print(
        plain(
            f"Protocol {result.protocol}{via}; {who}; deadline {result.spec.rounds} rounds; "
            f"seed {result.seed}"
        )
    )
    if result.agreement:
        console.print(f"[green]Agreement in round {result.round}[/]: ", end="")
        console.print(plain(_outcome_text(result.outcome)))
    else:
        console.print(f"[red]No agreement[/] after {result.round} rounds (breakdown).")
    metrics = result.metrics
    table = Table("Party", "Strategy", "Utility", "Reservation", "Gain")
    for party in result.parties:
        table.add_row(
            plain(party),
            plain(result.strategies[party]),
            _fmt(metrics.utilities[party]),
            _fmt(metrics.reservations[party]),
            _fmt(metrics.gains[party]),
        )
    console.print(table)
    console.print(
        f"Fairness (smallest gain) {_fmt(metrics.fairness)}; distance to the Pareto frontier "
        f"{_fmt(metrics.pareto_distance)}; to the Nash point {_fmt(metrics.nash_distance)}",
        highlight=False,
    )
    if metrics.nash_outcome is not None:
        console.print(plain("Nash point: " + _outcome_text(metrics.nash_outcome)))
    for note in result.notes:
        console.print(plain(f"Note: {note}"))
    _print_trace(result, console, trace_limit)


def _print_trace(result: SessionResult, console: Console, limit: int) -> None:
    events = list(result.events)
    shown = events if len(events) <= 2 * limit else events[:limit] + events[-limit:]
    title = f"Trace ({len(events)} events" + (
        f"; first and last {limit})" if len(shown) < len(events) else ")"
    )
    table = Table("Round", "From", "To", "Kind", "Outcome", title=title)
    for party in result.parties:
        table.add_column(plain(party))
    for n, event in enumerate(shown):
        if len(shown) < len(events) and n == limit:
            table.add_row("…", "", "", "", "", *("" for _ in result.parties))
        values = (
            result.outcome_utilities[event.outcome]
            if event.outcome is not None
            else [math.nan] * len(result.parties)
        )
        text = _outcome_text(None if event.outcome is None else result.outcomes[event.outcome])
        if event.message:
            text += f" ({event.message})"
        table.add_row(
            str(event.round),
            plain(event.sender),
            plain(", ".join(event.to)),
            event.kind.value,
            plain(text),
            *(_fmt(v) for v in values),
        )
    console.print(table)

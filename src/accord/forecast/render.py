"""Forecast results as JSON-ready data, CSV and a text report.

The JSON uses the keys of the reference runs in ``../shared/data/forecast`` so a
result and a reference compare key by key: for the expected-utility model ``rounds``
of ``{round, risk_exponent_r, positions, moves, median_voter, weighted_mean}`` (one
issue at the top level; several under ``issues``), for the exchange model ``rounds`` of
``{round, nbs_start, nbs_voting, n_realized_exchanges, positions_after_round, …}``;
both with ``baselines`` and ``forecast``. Documented in ``docs/how-to/forecast.md``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict
from typing import Any

from accord.forecast.results import (
    Baselines,
    EuForecast,
    EuIssueForecast,
    EuRound,
    ExchangeForecast,
    ExchangeRound,
    Outcome,
)
from accord.render.json_text import to_json
from accord.render.report import Report, Section, Table
from accord.render.spreadsheet import spreadsheet_cell

__all__ = [
    "FORECAST_FORMAT",
    "forecast_report",
    "forecast_to_csv",
    "forecast_to_data",
    "forecast_to_json",
]

FORECAST_FORMAT = "accord/forecast/1"
Forecast = EuForecast | ExchangeForecast
_MOVES_SHOWN = 40
_ROUNDS_SHOWN = 10


def _baselines(b: Baselines) -> dict[str, Any]:
    data = asdict(b)
    data.pop("issue")
    data["condorcet_median_voter_positions"] = list(b.condorcet_median_voter_positions)
    return data


def _outcome(outcome: Outcome) -> dict[str, Any]:
    data = asdict(outcome)
    data["kind"] = outcome.kind.value
    data["rounds_used"] = list(outcome.rounds_used)
    return data


def _eu_round(r: EuRound) -> dict[str, Any]:
    data: dict[str, Any] = {
        "round": r.round,
        "risk_exponent_r": r.risk_exponent_r,
        "positions": r.positions,
        "moves": [
            {
                "actor": m.actor,
                "type": m.type.value,
                "with": m.with_,
                "eu_ij": m.eu_ij,
                "eu_ji": m.eu_ji,
                "old_position": m.old_position,
                "new_position": m.new_position,
            }
            for m in r.moves
        ],
        "median_voter": r.median_voter,
        "weighted_mean": r.weighted_mean,
    }
    if r.salience is not None:
        data["salience"] = r.salience
    if r.vote is not None:
        data["vote"] = r.vote
    return data


def _eu_issue(issue: EuIssueForecast) -> dict[str, Any]:
    return {
        "issue": issue.issue,
        "actors": list(issue.actors),
        "initial_positions": issue.initial_positions,
        "initial_median_voter": issue.initial_median_voter,
        "initial_weighted_mean": issue.initial_weighted_mean,
        "position_range": issue.position_range,
        "baselines": _baselines(issue.baselines),
        "rounds": [_eu_round(r) for r in issue.rounds],
        "outcome": _outcome(issue.outcome),
    }


def _exchange_round(r: ExchangeRound) -> dict[str, Any]:
    return {
        "round": r.round,
        "nbs_start": r.nbs_start,
        "nbs_voting": r.nbs_voting,
        "n_candidate_exchanges": r.n_candidate_exchanges,
        "n_valid_candidates": r.n_valid_candidates,
        "n_realized_exchanges": r.n_realized_exchanges,
        "positions_after_round": r.positions_after_round,
        "voting_positions": r.voting_positions,
        "realized_exchanges_in_order": [asdict(e) for e in r.realized],
    }


def forecast_to_data(result: Forecast) -> dict[str, Any]:
    """The result as plain JSON-ready data (the ``--format json`` contract)."""
    head: dict[str, Any] = {
        "format": FORECAST_FORMAT,
        "model": result.model,
        "variant": result.variant,
        "settings": dict(result.settings),
        "source": result.source,
        "notes": list(result.notes),
        "blocs": None if result.blocs is None else result.blocs.to_data(),
    }
    if isinstance(result, EuForecast):
        issues = [_eu_issue(i) for i in result.issues]
        body = issues[0] if len(issues) == 1 else {"issues": {i["issue"]: i for i in issues}}
        forecast = {i.issue: i.outcome.forecast for i in result.issues}
        return {**head, **body, "forecast": forecast}
    return {
        **head,
        "issues": list(result.issues),
        "actors": list(result.actors),
        "initial_positions": result.initial_positions,
        "initial_nbs": result.initial_nbs,
        "baselines": {k: _baselines(v) for k, v in result.baselines.items()},
        "rounds": [_exchange_round(r) for r in result.rounds],
        "nbs_of_start_positions_after_last_round": result.nbs_after_last_round,
        "settled_after": result.settled_after,
        "forecast": result.forecast,
    }


def forecast_to_json(result: Forecast) -> str:
    return to_json(forecast_to_data(result), ensure_ascii=True) + "\n"


CSV_COLUMNS = ("model", "issue", "round", "series", "actor", "value", "move_type", "partner")


def forecast_to_csv(result: Forecast) -> str:
    """Every path as tidy rows: ``series`` is ``position``, ``risk_exponent_r``,
    ``median_voter``, ``weighted_mean`` (expected utility) or ``position``,
    ``voting_position``, ``nbs_start``, ``nbs_voting`` (exchange); round 0 is the input.
    Text cells that a spreadsheet would read as a formula get a leading quote (OWASP)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    rows = _eu_rows(result) if isinstance(result, EuForecast) else _exchange_rows(result)
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return out.getvalue()


def _csv_cell(value: object) -> object:
    """Numbers exactly (``repr``); text neutralised against spreadsheet formulas."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return spreadsheet_cell(value)
    return value


Row = tuple[str, str, int, str, str, float, str | None, str | None]


def _eu_rows(result: EuForecast) -> list[Row]:
    rows: list[Row] = []
    for issue in result.issues:
        name = issue.issue
        for actor, x in issue.initial_positions.items():
            rows.append(("eu", name, 0, "position", actor, x, None, None))
        rows.append(("eu", name, 0, "median_voter", "", issue.initial_median_voter, None, None))
        rows.append(("eu", name, 0, "weighted_mean", "", issue.initial_weighted_mean, None, None))
        for r in issue.rounds:
            moves = {m.actor: m for m in r.moves}
            for actor, x in r.positions.items():
                move = moves.get(actor)
                rows.append(
                    (
                        "eu",
                        name,
                        r.round,
                        "position",
                        actor,
                        x,
                        move.type.value if move else None,
                        move.with_ if move else None,
                    )
                )
            for actor, value in r.risk_exponent_r.items():
                rows.append(("eu", name, r.round, "risk_exponent_r", actor, value, None, None))
            rows.append(("eu", name, r.round, "median_voter", "", r.median_voter, None, None))
            rows.append(("eu", name, r.round, "weighted_mean", "", r.weighted_mean, None, None))
    return rows


def _exchange_rows(result: ExchangeForecast) -> list[Row]:
    rows: list[Row] = []
    for issue, positions in result.initial_positions.items():
        rows += [("exchange", issue, 0, "position", a, x, None, None) for a, x in positions.items()]
        rows.append(("exchange", issue, 0, "nbs_start", "", result.initial_nbs[issue], None, None))
    for r in result.rounds:
        partner = {}
        for e in r.realized:
            partner[(e.i, e.i_supply)] = e.j
            partner[(e.j, e.j_supply)] = e.i
        for issue in result.issues:
            rows.append(
                ("exchange", issue, r.round, "nbs_start", "", r.nbs_start[issue], None, None)
            )
            rows.append(
                ("exchange", issue, r.round, "nbs_voting", "", r.nbs_voting[issue], None, None)
            )
            for actor, y in r.voting_positions[issue].items():
                other = partner.get((actor, issue))
                rows.append(
                    (
                        "exchange",
                        issue,
                        r.round,
                        "voting_position",
                        actor,
                        y,
                        "exchange" if other else None,
                        other,
                    )
                )
            for actor, x in r.positions_after_round[issue].items():
                rows.append(("exchange", issue, r.round, "position", actor, x, None, None))
    return rows


def _f(value: float) -> str:
    if abs(value) < 1e-9:  # float noise around 0 on a 0..100 scale
        value = 0.0
    return f"{value:.4g}" if abs(value) < 1e4 else f"{value:,.0f}"


def forecast_report(result: Forecast) -> Report:
    """The text report ``accord forecast`` prints."""
    if isinstance(result, EuForecast):
        return _eu_report(result)
    return _exchange_report(result)


_VARIANT_TITLES = {
    "scholz": "Scholz variant, capitulation as published",
    "scholz-capitulation": "Scholz variant, capitulation enabled",
    "gdm": "GDM variant",
    "equal-gain": "Equal Gain",
    "rex": "randomised Equal Gain (REX)",
}


def _subtitle(result: Forecast) -> str:
    settings = ", ".join(f"{k} {v}" for k, v in result.settings.items() if v is not None)
    return f"{result.source} · {settings}" + "".join(f"\n{note}" for note in result.notes)


def _eu_report(result: EuForecast) -> Report:
    title = f"Expected-utility forecast ({_VARIANT_TITLES[result.variant]})"
    summary = Table(
        ("Issue", "Forecast", "Outcome", "c·s mean", "Weighted median", "Mean", "Median"),
        tuple(
            (
                i.issue,
                _f(i.outcome.forecast),
                i.outcome.kind.value.replace("_", " "),
                _f(i.baselines.weighted_mean_cs),
                _f(i.baselines.weighted_median_cs),
                _f(i.baselines.unweighted_mean),
                _f(i.baselines.unweighted_median),
            )
            for i in result.issues
        ),
        title="Forecast and baselines",
    )
    sections = [
        Section(
            "Forecast",
            tables=(summary,),
            notes=tuple(f"{i.issue}: {i.outcome.note}" for i in result.issues),
        )
    ]
    sections += [_eu_issue_section(i) for i in result.issues]
    return Report(title, _subtitle(result), tuple(sections))


def _eu_issue_section(issue: EuIssueForecast) -> Section:
    shown = issue.rounds[-_ROUNDS_SHOWN:]
    path = Table(
        ("Round", "Median voter", "Weighted mean", "Moves"),
        (
            ("0", _f(issue.initial_median_voter), _f(issue.initial_weighted_mean), ""),
            *(
                (str(r.round), _f(r.median_voter), _f(r.weighted_mean), str(len(r.moves)))
                for r in issue.rounds
            ),
        ),
        title="Forecast path",
    )
    actors = Table(
        ("Actor", "Start", *(f"R{r.round}" for r in shown)),
        tuple(
            (a, _f(issue.initial_positions[a]), *(_f(r.positions[a]) for r in shown))
            for a in issue.actors
        ),
        title="Positions"
        + (f" (last {len(shown)} rounds)" if len(shown) < len(issue.rounds) else ""),
    )
    lines = [
        f"round {r.round}: {m.actor} {_move_words(m.type.value)} {m.with_} "
        f"({_f(m.old_position)} → {_f(m.new_position)})"
        for r in issue.rounds
        for m in r.moves
    ]
    return Section(f"Issue {issue.issue}", tables=(path, actors), notes=_capped(lines, "moves"))


def _move_words(kind: str) -> str:
    return {
        "conflict": "loses a conflict to",
        "compromise": "compromises with",
        "capitulation": "capitulates to",
    }.get(kind, kind)


def _capped(lines: list[str], what: str) -> tuple[str, ...]:
    if len(lines) <= _MOVES_SHOWN:
        return tuple(lines)
    more = f"… {len(lines) - _MOVES_SHOWN} more {what} (use --format json or csv)"
    return (*lines[:_MOVES_SHOWN], more)


def _exchange_summary(result: ExchangeForecast) -> Table:
    b = result.baselines
    return Table(
        ("Issue", "Forecast (voting NBS)", "c·s mean = NBS₀", "Weighted median", "Mean", "Median"),
        tuple(
            (
                i,
                _f(result.forecast[i]),
                _f(b[i].weighted_mean_cs),
                _f(b[i].weighted_median_cs),
                _f(b[i].unweighted_mean),
                _f(b[i].unweighted_median),
            )
            for i in result.issues
        ),
        title="Forecast and baselines",
    )


def _exchange_path(result: ExchangeForecast) -> Table:
    first = ("0", "", *(_f(result.initial_nbs[i]) for i in result.issues))
    rows = [
        (str(r.round), str(r.n_realized_exchanges), *(_f(r.nbs_voting[i]) for i in result.issues))
        for r in result.rounds
    ]
    return Table(
        ("Round", "Exchanges", *result.issues), (first, *rows), title="Voting NBS per round"
    )


def _exchange_positions(result: ExchangeForecast, issue: str) -> Table:
    shown = result.rounds[-_ROUNDS_SHOWN:]
    start = result.initial_positions[issue]
    return Table(
        ("Actor", "Start", *(f"R{r.round}" for r in shown)),
        tuple(
            (a, _f(x), *(_f(r.voting_positions[issue][a]) for r in shown)) for a, x in start.items()
        ),
        title=f"{issue}: voting positions"
        + (f" (last {len(shown)} rounds)" if len(shown) < len(result.rounds) else ""),
    )


def _exchange_report(result: ExchangeForecast) -> Report:
    title = f"Exchange-model forecast ({_VARIANT_TITLES[result.variant]})"
    lines = [
        f"round {r.round}: {e.i} shifts on {e.i_supply} {_f(e.i_x)} → {_f(e.i_y)}, "
        f"{e.j} on {e.j_supply} {_f(e.j_x)} → {_f(e.j_y)} (gain {e.gain:.4g})"
        for r in result.rounds
        for e in r.realized
    ]
    settled = (
        f"No exchange is possible after round {result.settled_after}."
        if result.settled_after is not None
        else "The exchange model has no convergence test; the forecast is the last "
        "round's voting NBS."
    )
    positions = tuple(_exchange_positions(result, issue) for issue in result.issues)
    return Report(
        title,
        _subtitle(result),
        (
            Section(
                "Forecast",
                paragraphs=(settled,),
                tables=(_exchange_summary(result), _exchange_path(result)),
            ),
            Section("Positions", tables=positions),
            Section(
                "Exchanges (each actor shifts on its supply issue for its partner)",
                notes=_capped(lines, "exchanges"),
            ),
        ),
    )

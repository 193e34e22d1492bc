"""Analysis results as plain JSON-ready data (the stable ``--format json`` contract).

Top-level keys: ``format``, ``scenario``, ``method``, ``parties``, ``outcome_count``,
``zopa``, ``pareto_frontier``, ``pareto_frontier_info``, ``solutions``, ``trades`` and
``evidence``; documented in ``docs/analysis-output.md``. Counts the structured method
does not compute are ``null``; every solution and the frontier say which ``method``
produced them and whether the answer is ``exact``.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from accord.analysis.results import Analysis, FrontierInfo, OutcomePoint, Solution, Trades
from accord.render.json_text import to_json

__all__ = ["ANALYSIS_FORMAT", "analysis_to_data", "analysis_to_json", "point_to_data"]

ANALYSIS_FORMAT = "accord/analysis/1"


def point_to_data(point: OutcomePoint) -> dict[str, Any]:
    return {
        "index": point.index,
        "outcome": dict(point.outcome),
        "utilities": dict(point.utilities),
        "acceptable": point.acceptable,
    }


def _solution(solution: Solution | None) -> dict[str, Any] | None:
    if solution is None:
        return None
    return {
        **point_to_data(solution.point),
        "gains": dict(solution.gains),
        "value": solution.value,
        "ties": solution.ties,
        "citation": solution.citation,
        "method": solution.method,
        "exact": solution.exact,
    }


def _frontier_info(analysis: Analysis) -> dict[str, Any]:
    info = analysis.pareto_frontier_info or FrontierInfo(
        analysis.method, True, len(analysis.pareto_frontier)
    )
    return asdict(info)


def _trades(trades: Trades | None) -> dict[str, Any] | None:
    if trades is None:
        return None
    return {
        "parties": list(trades.parties),
        "reference": {"label": trades.reference_label, **point_to_data(trades.reference)},
        "total_found": trades.total_found,
        "trades": [
            {
                "changes": [asdict(change) for change in trade.changes],
                "gains": dict(trade.gains),
                "joint_gain": trade.joint_gain,
                "logroll": trade.logroll,
                "result": point_to_data(trade.result),
            }
            for trade in trades.trades
        ],
    }


def analysis_to_data(analysis: Analysis) -> dict[str, Any]:
    """The analysis as nested dicts and lists of JSON types."""
    return {
        "format": ANALYSIS_FORMAT,
        "scenario": {"id": analysis.scenario_id, "title": analysis.title},
        "notes": list(analysis.notes),
        "method": analysis.method,
        "parties": [
            {
                **{k: v for k, v in asdict(s).items() if k not in ("best", "worst")},
                "best": point_to_data(s.best),
                "worst": point_to_data(s.worst),
            }
            for s in analysis.party_summaries
        ],
        "outcome_count": analysis.outcome_count,
        "zopa": {
            "size": analysis.zopa.size,
            "reasons": [
                {**asdict(reason), "evidence": list(reason.evidence)}
                for reason in analysis.zopa.reasons
            ],
            "examples": [point_to_data(p) for p in analysis.zopa.examples],
            "method": analysis.zopa.method,
            "exact": analysis.zopa.exact,
        },
        "pareto_frontier": [point_to_data(p) for p in analysis.pareto_frontier],
        "pareto_frontier_info": _frontier_info(analysis),
        "solutions": {name: _solution(s) for name, s in analysis.solutions.items()},
        "blocs": analysis.blocs.to_data(),
        "trades": _trades(analysis.trades),
        "evidence": {
            "cited": analysis.cited,
            "assumptions": [asdict(a) for a in analysis.assumptions],
            "unsupported": list(analysis.unsupported),
        },
    }


def analysis_to_json(analysis: Analysis) -> str:
    return to_json(analysis_to_data(analysis))

"""A PNG of positions over rounds: one panel per issue, a line per actor, the forecast
path in bold and the c·s-weighted mean dashed. Drawn with matplotlib's Agg backend and
written whole or not at all (:mod:`accord.io.outputs`)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

from accord.forecast.results import EuForecast, ExchangeForecast
from accord.io.outputs import BinaryTarget, binary_output

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["plot_forecast"]

Series = tuple[str, list[tuple[str, list[float]]], list[float], list[float] | None]


def _series(result: EuForecast | ExchangeForecast) -> list[Series]:
    panels: list[Series] = []
    if isinstance(result, EuForecast):
        for issue in result.issues:
            actors = [
                (a, [issue.initial_positions[a], *(r.positions[a] for r in issue.rounds)])
                for a in issue.actors
            ]
            median = [issue.initial_median_voter, *(r.median_voter for r in issue.rounds)]
            mean = [issue.initial_weighted_mean, *(r.weighted_mean for r in issue.rounds)]
            panels.append((issue.issue, actors, median, mean))
        return panels
    for name in result.issues:
        start = result.initial_positions[name]
        paths = [
            (a, [x, *(r.voting_positions[name][a] for r in result.rounds)])
            for a, x in start.items()
        ]
        voting = [result.initial_nbs[name], *(r.nbs_voting[name] for r in result.rounds)]
        panels.append((name, paths, voting, None))
    return panels


def plot_forecast(result: EuForecast | ExchangeForecast, path: BinaryTarget) -> None:
    """Draw the result and write it to ``path`` as PNG: a path is written whole or not
    at all; a handle staged by :class:`~accord.io.outputs.Outputs` is committed with its
    command."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure

    panels = _series(result)
    columns = min(3, len(panels))
    rows = math.ceil(len(panels) / columns)
    figure = Figure(figsize=(5.2 * columns + 1.8, 3.6 * rows + 0.4), layout="constrained")
    label = "median voter" if isinstance(result, EuForecast) else "voting NBS"
    for k, (issue, actors, forecast, mean) in enumerate(panels):
        axes = figure.add_subplot(rows, columns, k + 1)
        for name, values in actors:
            axes.plot(
                range(len(values)),
                values,
                linewidth=0.8,
                alpha=0.55,
                label=name if len(actors) <= 12 else None,
            )
        axes.plot(range(len(forecast)), forecast, color="black", linewidth=2.2, label=label)
        if mean is not None:
            axes.plot(
                range(len(mean)),
                mean,
                color="black",
                linestyle="--",
                linewidth=1.2,
                label="c·s-weighted mean",
            )
        axes.set_title(issue)
        axes.set_xlabel("round")
        axes.set_ylabel("position")
        axes.grid(alpha=0.3)
        if k == 0:
            figure.legend(
                *axes.get_legend_handles_labels(), loc="outside right upper", fontsize="x-small"
            )
    title = "Expected-utility model" if isinstance(result, EuForecast) else "Exchange model"
    source = Path(result.source).name if "/" in result.source else result.source
    figure.suptitle(f"{title} ({result.variant}) — {source}", fontsize="medium")
    _save(figure, path)


def _save(figure: Figure, path: BinaryTarget) -> None:
    with binary_output(path) as handle:
        figure.savefig(handle, format="png", dpi=110)

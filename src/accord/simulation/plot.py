"""A PNG of a session: each negotiator's utility of the offers over the rounds.

For every negotiator, a solid line is the utility (to itself) of the offers it made,
its concession curve (the "negotiation dance", Raiffa 1982); a dashed line is its
utility of what it was offered or shown; a dotted line its reservation value, which
moves with drift; a star marks the agreement.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from accord.io.outputs import BinaryTarget, binary_output
from accord.simulation.results import SessionResult

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["plot_result"]

_OWN = {"offer"}
_SHOWN = {"offer", "forward", "draft"}


def plot_result(result: SessionResult, path: BinaryTarget) -> None:
    """Write the plot to ``path`` (PNG): a path is written whole or not at all; a handle
    staged by :class:`~accord.io.outputs.Outputs` is committed with its command."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    figure, axes = plt.subplots(figsize=(9, 5), dpi=110)
    try:
        for j in range(len(result.parties)):
            _party_lines(axes, result, j)
        if result.agreement and result.outcome_index is not None:
            values = result.outcome_utilities[result.outcome_index]
            axes.scatter(
                [result.round] * len(values), values, marker="*", s=160, color="k",
                zorder=5, label="agreement",
            )  # fmt: skip
        from matplotlib.ticker import MaxNLocator

        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_xlabel("round")
        axes.set_ylabel("utility (static)")
        axes.set_title(f"{result.scenario_id}: {result.protocol}", fontsize=11)
        axes.legend(fontsize=8, loc="best")
        _save(figure, path)
    finally:
        plt.close(figure)


def _party_lines(axes: Axes, result: SessionResult, j: int) -> None:
    party, colour = result.parties[j], f"C{j}"
    own = [
        (e.round, result.outcome_utilities[e.outcome][j])
        for e in result.events
        if e.kind.value in _OWN and e.sender == party and e.outcome is not None
    ]
    shown = [
        (e.round, result.outcome_utilities[e.outcome][j])
        for e in result.events
        if e.kind.value in _SHOWN and party in e.to and e.outcome is not None
    ]
    if own:
        axes.plot(*zip(*own, strict=True), color=colour, label=f"{party}: own offers")
    if shown:
        axes.plot(
            *zip(*shown, strict=True), color=colour, linestyle="--", label=f"{party}: offered to it"
        )
    _reservation_line(axes, result, j, colour)


def _reservation_line(axes: Axes, result: SessionResult, j: int, colour: str) -> None:
    party = result.parties[j]
    start = result.metrics.reservations[party]
    drift = float(result.spec.reservation_drift.get(party, 0.0))
    first = start - drift * (result.round - 1)
    axes.plot(
        [1, result.round],
        [first, start],
        color=colour,
        linestyle=":",
        label=f"{party}: reservation",
    )


def _save(figure: Figure, path: BinaryTarget) -> None:
    with binary_output(path) as handle:
        figure.savefig(handle, format="png")

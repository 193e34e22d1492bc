"""Static line plots (matplotlib, Agg backend), written as PNG through :mod:`accord.io.outputs`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from accord.io.outputs import BinaryTarget, binary_output

__all__ = ["plot_lines"]


def plot_lines(
    path: BinaryTarget,
    x: Sequence[float],
    series: Mapping[str, Sequence[float]],
    *,
    title: str,
    x_label: str,
    y_label: str,
    dashed: Sequence[str] = (),
) -> None:
    """One line per series over ``x``, as PNG to ``path`` (a path: the whole file is
    written or nothing is; or a handle staged by :class:`~accord.io.outputs.Outputs`)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    figure, axes = plt.subplots(figsize=(8, 4.5), dpi=120)
    try:
        for name, values in series.items():
            axes.plot(
                x,
                values,
                marker="o",
                markersize=3,
                label=name,
                linestyle="--" if name in dashed else "-",
            )
        from matplotlib.ticker import MaxNLocator

        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_title(title)
        axes.set_xlabel(x_label)
        axes.set_ylabel(y_label)
        axes.grid(alpha=0.3)
        axes.legend(loc="best", fontsize="small")
        figure.tight_layout()
        with binary_output(path) as handle:
            figure.savefig(handle, format="png")
    finally:
        plt.close(figure)

"""A tornado chart of the inputs that move the verdicts most, beside the solution
probabilities; SVG or PNG by the file's suffix, written whole or not at all."""

from __future__ import annotations

from accord.io.outputs import BinaryTarget, binary_output
from accord.robustness.results import Robustness

__all__ = ["plot_robustness"]

_BARS = 12


def plot_robustness(result: Robustness, path: BinaryTarget, suffix: str = ".png") -> None:
    """Left: per number, the share of its range over which a verdict flips (tornado,
    largest first). Right: the share of draws each package is each solution."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure

    moving = sorted((s for s in result.stability if s.flip_share > 0), key=lambda s: -s.flip_share)[
        :_BARS
    ]
    figure = Figure(figsize=(13, 5.5), layout="constrained")
    tornado, shares = figure.subplots(1, 2)
    labels = [f"{s.path} ({s.verdict})" for s in moving]
    tornado.barh(range(len(moving)), [s.flip_share for s in moving], color="#c0504d")
    tornado.set_yticks(range(len(moving)), labels, fontsize="x-small")
    tornado.invert_yaxis()
    tornado.set_xlim(0, 1)
    tornado.set_xlabel("share of the number's range where the verdict flips")
    tornado.set_title("Most sensitive inputs" if moving else "No verdict flips in any range")
    names = list(result.solutions)
    bottom = [0.0] * len(names)
    for rank in range(3):
        heights = [
            shares_[rank].probability if len(shares_) > rank else 0.0
            for shares_ in result.solutions.values()
        ]
        shares.bar(names, heights, bottom=bottom, label=f"#{rank + 1} package")
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    shares.set_ylim(0, 1)
    shares.set_ylabel("share of draws")
    shares.set_title(f"Solutions (zone exists in {result.zone_nonempty:.0%} of draws)")
    shares.legend(fontsize="small")
    shares.tick_params(axis="x", labelsize="small")
    figure.suptitle(f"Robustness — {result.title}", fontsize="medium")
    image = "svg" if suffix.lower() == ".svg" else "png"
    with binary_output(path) as handle:
        figure.savefig(handle, format=image, dpi=110)

"""``accord robustness``: which conclusions survive the guesses (issue 14)."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from accord.cli.main import OutputFormat, ScenarioArg, _split, _stdout, _user_errors
from accord.cli.numbers import MAX_SEED, finite
from accord.errors import AccordError
from accord.frameworks.model import Framework
from accord.io.load import load_scenario
from accord.io.outputs import Outputs
from accord.model.scenario import Scenario
from accord.render.json_text import to_json
from accord.render.markdown import report_to_markdown
from accord.render.text import print_report

__all__ = ["robustness_command"]

MAX_DRAWS = 1_000_000
"""Most Monte Carlo draws (each holds every salience and value of the scenario)."""

_FRAMEWORK = re.compile(r"^points\s*:", re.MULTILINE)


def _load(name: str | None) -> tuple[Framework | None, Scenario]:
    """A framework (built-in name, or a YAML file with top-level ``points``) with its
    scenario, or a scenario."""
    from accord.frameworks import builtin_frameworks, load_framework

    if name is not None:
        path = Path(name)
        is_file = path.is_file() and path.suffix.lower() in (".yaml", ".yml")
        if (name in builtin_frameworks() and not path.exists()) or (
            is_file and _FRAMEWORK.search(path.read_text(encoding="utf-8", errors="replace"))
        ):
            return load_framework(name)
    return None, load_scenario(name)


def robustness_command(
    scenario: ScenarioArg = None,
    draws: Annotated[int, typer.Option(min=1, max=MAX_DRAWS, help="Monte Carlo draws.")] = 10_000,
    seed: Annotated[
        int, typer.Option(min=0, max=MAX_SEED, help="Seed: the same seed, the same numbers.")
    ] = 0,
    spread: Annotated[
        float,
        typer.Option(
            min=0.0,
            callback=finite,
            help="Give every salience, option value and reservation without a range the "
            "range value ± SPREAD (clipped to its bounds).",
        ),
    ] = 0.0,
    parties: Annotated[
        str | None,
        typer.Option(help="Comma-separated party ids to analyse, or 'all' [default: principals]"),
    ] = None,
    lift: Annotated[
        list[str] | None,
        typer.Option(help="What if: without red line N of PARTY, as PARTY:N (repeatable)."),
    ] = None,
    count_bloc_members: Annotated[
        bool,
        typer.Option(help="Weigh every member of a bloc as a party (default: a bloc counts once)."),
    ] = False,
    scheduler: Annotated[
        str | None, typer.Option(help="Spread the draws over the Dask cluster at this address.")
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Output format.")
    ] = OutputFormat.text,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
    plot: Annotated[
        Path | None,
        typer.Option(help="Also draw a tornado chart and the solution shares (.svg or .png)."),
    ] = None,
) -> None:
    """Monte Carlo over the uncertain numbers: which conclusions hold, which are near calls.

    Give a framework (a built-in name or a framework file) to add how often each party
    accepts the draft and how often each point blocks."""
    from accord.render.robustness_out import robustness_report, robustness_to_data
    from accord.render.robustness_plot import plot_robustness
    from accord.robustness import robustness
    from accord.robustness.run import framework_robustness

    with _user_errors(), Outputs(output, plot) as outputs:
        if plot is not None and plot.suffix.lower() not in (".svg", ".png"):
            raise AccordError(f"--plot {plot}: the file name must end in .svg or .png")
        framework, loaded = _load(scenario)
        chosen = _split(parties, "--parties")
        if chosen == ["all"]:
            chosen = [p.id for p in loaded.parties if p.preferences is not None]
        options = {
            "draws": draws,
            "seed": seed,
            "spread": spread,
            "lift": lift or [],
            "scheduler": scheduler,
            "count_bloc_members": count_bloc_members,
        }
        if framework is None:
            result = robustness(loaded, chosen, **options)  # type: ignore[arg-type]
        else:
            result = framework_robustness(framework, loaded, chosen, **options)  # type: ignore[arg-type]
        if output_format == OutputFormat.json:
            text = to_json(robustness_to_data(result)) + "\n"
        elif output_format == OutputFormat.markdown:
            text = report_to_markdown(robustness_report(result))
        else:
            console = (
                _stdout() if output is None else Console(record=True, width=120, file=io.StringIO())
            )
            print_report(robustness_report(result), console)
            text = "" if output is None else console.export_text()
        if plot is not None:
            with outputs.open(plot) as handle:
                plot_robustness(result, handle, plot.suffix)
        if output is not None:
            outputs.write_text(output, text)
        elif text:
            sys.stdout.write(text)

"""``accord forecast``: where positions settle, by the expected-utility or the exchange
model, over a stakeholder CSV file, a Decide file or a scenario.

Registered on the app in :mod:`accord.cli.main`; the shared helpers (located errors)
are imported from there when the command runs, since main imports this module. Files
go through :class:`accord.io.outputs.Outputs`: checked first, written together.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from accord.cli.numbers import MAX_SEED, finite
from accord.forecast.run import MAX_ROUNDS
from accord.scenarios import DEFAULT_SCENARIO

__all__ = ["forecast_command"]


class ForecastModel(StrEnum):
    eu = "eu"
    exchange = "exchange"


class ForecastFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"


def forecast_command(
    source: Annotated[
        str | None,
        typer.Argument(
            metavar="INPUT",
            help="A stakeholder CSV file (actor,capability,position,salience or "
            "actor,issue,position,salience,power,...), a Decide file (#A/#P/#M/#D), or a "
            f"scenario: built-in name, YAML file or GENIUS folder [default: {DEFAULT_SCENARIO}]",
            show_default=False,
        ),
    ] = None,
    model: Annotated[
        ForecastModel, typer.Option("--model", "-m", help="eu (expected utility) or exchange.")
    ] = ForecastModel.eu,
    rounds: Annotated[
        int, typer.Option("--rounds", "-r", min=0, max=MAX_ROUNDS, help="Rounds.")
    ] = 10,
    variant: Annotated[
        str | None,
        typer.Option(
            help="eu: scholz (default), scholz-capitulation, gdm; exchange: "
            "equal-gain (default), rex."
        ),
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option(
            min=0,
            max=MAX_SEED,
            help="Seed of every random draw [default: drawn, and reported in the output].",
        ),
    ] = None,
    q: Annotated[
        float,
        typer.Option(
            "--q", min=0.0, max=1.0, callback=finite, help="eu: weight Q of the status quo."
        ),
    ] = 1.0,
    shocks: Annotated[
        float,
        typer.Option(
            min=0.0,
            max=1.0,
            callback=finite,
            help="eu: chance per actor and round that its salience is redrawn (BDM 2002).",
        ),
    ] = 0.0,
    p: Annotated[
        float | None,
        typer.Option("--p", callback=finite, help="exchange, rex: randomisation p in (0, 1]."),
    ] = None,
    random_ties: Annotated[
        bool, typer.Option("--random-ties", help="exchange: coin flip between equal gains.")
    ] = False,
    count_bloc_members: Annotated[
        bool,
        typer.Option(
            "--count-bloc-members",
            help="Scenario input: each member of a bloc is an actor [default: a bloc is one "
            "actor with its members' mean position, salience and capability].",
        ),
    ] = False,
    output_format: Annotated[
        ForecastFormat, typer.Option("--format", "-f", help="text, json or csv.")
    ] = ForecastFormat.text,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
    plot: Annotated[
        Path | None, typer.Option(help="Also draw positions over rounds to this PNG file.")
    ] = None,
) -> None:
    """Forecast where positions settle (Bueno de Mesquita; Stokman), with baselines."""
    from accord.cli.main import _user_errors
    from accord.forecast import (
        forecast,
        forecast_report,
        forecast_to_csv,
        forecast_to_json,
        load_forecast_input,
        plot_forecast,
    )
    from accord.io.outputs import Outputs
    from accord.render.text import print_report

    with _user_errors(), Outputs(output, plot) as outputs:
        with _reading(source or DEFAULT_SCENARIO):
            table = load_forecast_input(source or DEFAULT_SCENARIO, count_bloc_members)
        with _progress() as update:
            result = forecast(
                table,
                model.value,
                rounds=rounds,
                variant=variant,
                seed=seed,
                q=q,
                shock_probability=shocks,
                p=p,
                random_ties=random_ties,
                progress=update,
            )
        if output_format == ForecastFormat.json:
            text = forecast_to_json(result)
        elif output_format == ForecastFormat.csv:
            text = forecast_to_csv(result)
        else:
            width = 120 if output is not None or not sys.stdout.isatty() else None
            console = Console(
                record=True,
                width=width,
                soft_wrap=output is None,
                file=sys.stdout if output is None else _null(),
            )
            print_report(forecast_report(result), console)
            text = console.export_text() if output is not None else ""
        if plot is not None:
            with outputs.open(plot) as handle:
                plot_forecast(result, handle)
        if output is not None:
            outputs.write_text(output, text)
        elif text:
            sys.stdout.write(text)


@contextmanager
def _reading(source: str) -> Iterator[None]:
    """A spinner on stderr while the input is read (a file of 100,000 rows takes
    seconds), when stderr is a terminal."""
    if not sys.stderr.isatty():
        yield
        return
    with Console(stderr=True).status(f"reading {source}", spinner="dots"):
        yield


@contextmanager
def _progress() -> Iterator[Callable[[int, int], None] | None]:
    """A transient progress bar on stderr when it is a terminal (long runs: the exchange
    model on hundreds of actors takes seconds per round)."""
    if not sys.stderr.isatty():
        yield None
        return
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    # The exchange model's loop is compiled on its first run after installation.
    task = bar.add_task("forecasting (the first exchange-model run compiles it: ~30 s)", total=None)

    def update(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total, description="forecasting")

    with bar:
        yield update


def _null() -> io.StringIO:
    return io.StringIO()

"""``accord simulate`` and ``accord tournament``: thin commands over
:mod:`accord.simulation` and :mod:`accord.tournament`.

Registered on the app in :mod:`accord.cli.main`; the shared helpers (located errors)
are imported from there when a command runs, since main imports this module. Every
file goes through :class:`accord.io.outputs.Outputs`.
"""

from __future__ import annotations

import io
import math
import sys
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from accord.cli.numbers import MAX_SEED, MAX_WORKERS
from accord.errors import AccordError
from accord.protocols.spec import MAX_ROUNDS
from accord.render.json_text import to_json
from accord.render.safe import plain
from accord.scenarios import DEFAULT_SCENARIO

if TYPE_CHECKING:
    from accord.io.outputs import Outputs
    from accord.simulation.results import SessionResult
    from accord.tournament.plan import Plan
    from accord.tournament.runner import TournamentRun
    from accord.tournament.store import Manifest

__all__ = ["parse_pairs", "simulate_command", "tournament_command"]


class SimulateFormat(StrEnum):
    text = "text"
    json = "json"
    jsonl = "jsonl"


class SummaryFormat(StrEnum):
    text = "text"
    json = "json"


def parse_pairs(values: list[str] | None, flag: str, what: str) -> dict[str, str]:
    """``["ukraine=boulware", "all=linear"]`` → a dict; AccordError on a malformed item."""
    pairs: dict[str, str] = {}
    for item in values or []:
        key, sep, value = item.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key or not value:
            raise AccordError(f"{flag}: expected PARTY={what} (or all={what}), found {item!r}")
        if key in pairs:
            raise AccordError(f"{flag}: {key!r} is given twice")
        pairs[key] = value
    return pairs


def parse_rates(values: list[str] | None, flag: str) -> dict[str, float]:
    rates: dict[str, float] = {}
    for key, text in parse_pairs(values, flag, "NUMBER").items():
        try:
            number = float(text)
        except ValueError:
            raise AccordError(f"{flag}: {key}={text!r} is not a number") from None
        if not math.isfinite(number):
            raise AccordError(f"{flag}: {key}={text!r} is not a finite number")
        rates[key] = number
    return rates


ScenarioArg = Annotated[
    str | None,
    typer.Argument(
        help=f"A built-in scenario name, a scenario YAML file or a GENIUS folder "
        f"[default: {DEFAULT_SCENARIO}]",
        show_default=False,
    ),
]
ProtocolOption = Annotated[
    str, typer.Option("--protocol", "-p", help="alternating, multilateral, single-text or shuttle.")
]
StrategyOption = Annotated[
    list[str] | None,
    typer.Option(
        "--strategy",
        "-s",
        help="PARTY=NAME or all=NAME (repeatable): boulware, linear, conceder, "
        "tit-for-tat, hardliner, principled, random [default: all=boulware]",
    ),
]
RoundsOption = Annotated[
    int,
    typer.Option("--rounds", "-r", min=1, max=MAX_ROUNDS, help="Deadline in rounds."),
]
SeedOption = Annotated[
    int, typer.Option(min=0, max=MAX_SEED, help="Seed: the same seed gives the same run.")
]
PartiesOption = Annotated[
    str | None,
    typer.Option(help="Negotiating parties in turn order, as A,B,... [default: principals]"),
]
MediatorOption = Annotated[
    str | None, typer.Option(help="Mediator of single-text and shuttle [default: the scenario's]")
]
BlindOption = Annotated[
    bool, typer.Option(help="Single text: the mediator sees only criticism, not preferences.")
]
DelayCostOption = Annotated[
    list[str] | None,
    typer.Option(help="PARTY=C: an agreement is worth C less per round of delay (repeatable)."),
]
DriftOption = Annotated[
    list[str] | None,
    typer.Option(help="PARTY=D: no agreement's value changes by D per round (repeatable)."),
]
DiscountOption = Annotated[
    list[str] | None,
    typer.Option(help="PARTY=δ: values are multiplied by δ per round elapsed (repeatable)."),
]
LiftOption = Annotated[
    list[str] | None,
    typer.Option(help="What if: simulate without red line N of PARTY, as PARTY:N."),
]
FormatOption = Annotated[
    SimulateFormat, typer.Option("--format", "-f", help="text, json or jsonl (the trace).")
]
OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
]
PlotOption = Annotated[
    Path | None, typer.Option(help="Also write a PNG of utilities over the rounds.")
]
TraceLimitOption = Annotated[
    int,
    typer.Option(min=1, max=MAX_ROUNDS, help="Text format: show the first and last N events."),
]


def simulate_command(
    scenario: ScenarioArg = None,
    protocol: ProtocolOption = "alternating",
    strategy: StrategyOption = None,
    rounds: RoundsOption = 100,
    seed: SeedOption = 0,
    parties: PartiesOption = None,
    mediator: MediatorOption = None,
    mediator_blind: BlindOption = False,
    delay_cost: DelayCostOption = None,
    reservation_drift: DriftOption = None,
    discount: DiscountOption = None,
    lift: LiftOption = None,
    output_format: FormatOption = SimulateFormat.text,
    output: OutputOption = None,
    plot: PlotOption = None,
    trace_limit: TraceLimitOption = 20,
) -> None:
    """Simulate one negotiation session: trace, outcome and metrics."""
    from accord.cli.main import _user_errors
    from accord.io.load import load_scenario
    from accord.io.outputs import Outputs
    from accord.model.whatif import lift_red_lines, parse_lift
    from accord.simulation import SessionSpec, simulate

    with _user_errors(), Outputs(output, plot) as outputs:
        loaded, lifted = lift_red_lines(
            load_scenario(scenario), [parse_lift(x) for x in lift or []]
        )
        chosen = [p.strip() for p in parties.split(",") if p.strip()] if parties else None
        spec = SessionSpec(
            rounds=rounds,
            parties=tuple(chosen) if chosen else None,
            mediator=mediator,
            delay_cost=parse_rates(delay_cost, "--delay-cost"),
            reservation_drift=parse_rates(reservation_drift, "--reservation-drift"),
            discount=parse_rates(discount, "--discount"),
            mediator_knows_preferences=not mediator_blind,
        )
        strategies = parse_pairs(strategy, "--strategy", "NAME") or {"all": "boulware"}
        result = simulate(loaded, protocol, strategies, spec=spec, seed=seed)
        if lifted:
            result = replace(result, notes=(*lifted, *result.notes))
        _emit(result, output_format, output, plot, trace_limit, outputs)


def _emit(
    result: SessionResult,
    output_format: SimulateFormat,
    output: Path | None,
    plot: Path | None,
    trace_limit: int,
    outputs: Outputs,
) -> None:
    """Stage the plot and the output in ``outputs``: both are written, or neither."""
    from accord.simulation.report import result_to_json, trace_to_jsonl

    text: str | None = None  # None: print to the terminal, with its width and colours
    if output_format == SimulateFormat.json:
        text = result_to_json(result)
    elif output_format == SimulateFormat.jsonl:
        text = trace_to_jsonl(result)
    elif output is not None or not sys.stdout.isatty():
        text = _text(result, trace_limit)
    if plot is not None:
        from accord.simulation.plot import plot_result

        with outputs.open(plot) as handle:
            plot_result(result, handle)
    if text is None:
        _text(result, trace_limit, console=Console(soft_wrap=True))
    elif output is not None:
        outputs.write_text(output, text)
    else:
        sys.stdout.write(text)


def _text(result: SessionResult, trace_limit: int, console: Console | None = None) -> str:
    """The text report, printed to ``console`` or (by default) returned as a string."""
    from accord.simulation.report import print_result

    if console is not None:
        print_result(result, console, trace_limit)
        return ""
    recorder = Console(record=True, width=140, file=io.StringIO())
    print_result(result, recorder, trace_limit)
    return recorder.export_text()


SpecArg = Annotated[Path, typer.Argument(help="A tournament spec (YAML).")]
ResultsOption = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", help="Results file, .csv or .parquet [default: NAME-results.csv]"
    ),
]
WorkersOption = Annotated[
    int | None,
    typer.Option(
        min=1,
        max=MAX_WORKERS,
        help="Local worker processes [default: every core; 1: in-process]",
    ),
]
SchedulerOption = Annotated[
    str | None, typer.Option(help="Run on the Dask cluster at this scheduler address.")
]
OnlyOption = Annotated[
    str | None,
    typer.Option(
        help="Replay one cell alone, by its key (see the results) [default output: "
        "NAME-cell-KEY.csv]."
    ),
]
ResumeOption = Annotated[
    bool,
    typer.Option(
        "--resume",
        help="Continue an interrupted tournament from its results file: finished runs "
        "are kept, not run again.",
    ),
]
SummaryOption = Annotated[
    SummaryFormat, typer.Option("--format", "-f", help="Summary as text or json.")
]


def tournament_command(
    spec: SpecArg,
    output: ResultsOption = None,
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
    only: OnlyOption = None,
    resume: ResumeOption = False,
    summary_format: SummaryOption = SummaryFormat.text,
) -> None:
    """Run strategies against each other over scenarios; results to CSV or Parquet."""
    from accord.cli.main import _user_errors
    from accord.interrupts import exit_status
    from accord.io.outputs import Outputs
    from accord.tournament import make_plan, read_spec, store, summarise
    from accord.tournament.results import check_results_path

    with _user_errors():
        if resume and only is not None:
            raise AccordError("--resume continues a whole tournament, --only replays one cell")
        loaded, source_map = read_spec(spec)
        whole = make_plan(loaded, source_map, spec.parent, name=spec.stem)
        plan = whole if only is None else whole.only(only)
        target = output or store.default_results_path(whole.name, only)
        check_results_path(target)
        Outputs(target, store.manifest_target(target))  # checked before hours of work
        manifest = store.Manifest(
            store.fingerprint(loaded, whole), whole.name, len(whole.cells), only
        )
        store.refuse_replacing_whole(target, manifest)
        done = store.finished_runs(target, plan, manifest) if resume else {}
        if resume and not target.exists():
            Console(stderr=True, highlight=False, soft_wrap=True).print(
                f"{target} does not exist yet: no run to keep"
            )
        run, wrote = _run_and_save(plan, done, target, manifest, workers, scheduler)
        _print_summary(summarise(run.rows), run, target, summary_format, kept=len(done))
        if run.interrupted:
            _report_interruption(run, target, wrote)
            raise typer.Exit(exit_status())


def _run_and_save(
    plan: Plan,
    done: dict[str, list[dict[str, Any]]],
    target: Path,
    manifest: Manifest,
    workers: int | None,
    scheduler: str | None,
) -> tuple[TournamentRun, bool]:
    """Run the cells of ``plan`` not in ``done`` (checkpointing the results file now and
    then), write every finished run, and say whether anything was written."""
    from accord.tournament import run_tournament, store

    todo = store.remaining(plan, done)
    progress, update = _tournament_progress(len(todo.cells))
    checkpoint = store.Checkpoint(plan, done, target, manifest)

    def on_rows(rows: Sequence[dict[str, Any]], runs: int) -> None:
        if update is not None:
            update(rows, runs)
        checkpoint(rows, runs)

    with progress or nullcontext():
        fresh = run_tournament(todo, workers=workers, scheduler=scheduler, on_rows=on_rows)
    rows = store.merged_rows(plan, done, fresh.rows)
    if fresh.rows:
        store.save_results(rows, target, manifest)
    finished = len(done) + fresh.finished
    return replace(fresh, rows=rows, finished=finished, total=len(plan.cells)), bool(fresh.rows)


def _report_interruption(run: TournamentRun, target: Path, wrote: bool) -> None:
    if wrote:
        tail = f"; wrote them to {target} (continue with --resume)"
    elif run.rows:
        tail = f"; {target} is unchanged (continue with --resume)"
    else:
        tail = "; nothing was written"
    message = f"interrupted: {run.finished} of {run.total} runs finished{tail}"
    Console(stderr=True, highlight=False, soft_wrap=True).print(message)


def _tournament_progress(
    total: int,
) -> tuple[Progress | None, Callable[[Sequence[dict[str, Any]], int], None] | None]:
    """A rich progress bar on a terminal (runs done, agreements, time left), else none."""
    if not sys.stderr.isatty():
        return None, None
    progress = Progress(
        SpinnerColumn(),
        TextColumn("[bold]tournament"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("runs · {task.fields[agreements]} agreements"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
    )
    task = progress.add_task("tournament", total=total, agreements=0)
    seen: set[int] = set()

    def update(rows: Sequence[dict[str, Any]], runs: int) -> None:
        for row in rows:
            if row["agreement"]:
                seen.add(row["run"])
        progress.update(task, advance=runs, agreements=len(seen))

    return progress, update


def _print_summary(
    summary: list[dict[str, Any]],
    run: TournamentRun,
    target: Path,
    fmt: SummaryFormat,
    kept: int = 0,
) -> None:
    if fmt == SummaryFormat.json:
        data = {
            "runs": run.total,
            "finished": run.finished,
            "resumed": kept,
            "interrupted": run.interrupted,
            "results": str(target) if run.rows else None,
            "strategies": summary,
        }
        sys.stdout.write(to_json(data, ensure_ascii=True) + "\n")
        return
    table = Table(
        "Strategy",
        "Runs",
        "Agreement",
        "Utility",
        "Gain",
        "Fairness",
        "Nash distance",
        title=f"{run.finished} of {run.total} runs (one row per negotiator per run)",
    )
    for item in summary:
        nash = item["mean_nash_distance"]
        table.add_row(
            item["strategy"],
            str(item["runs"]),
            f"{item['agreement_rate']:.0%}",
            f"{item['mean_utility']:.3f}",
            f"{item['mean_gain']:.3f}",
            f"{item['mean_fairness']:.3f}",
            "—" if nash is None else f"{nash:.3f}",
        )
    console = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 120)
    console.print(table)
    if kept:
        console.print(plain(f"Resumed: {kept} finished runs kept from {target}"))
    if run.rows:
        console.print(plain(f"Results: {target}"))

"""The ``accord`` command line: thin Typer commands over the public API.

Every user mistake ends with a located message on stderr and exit status 2; no
command prints a traceback for bad input or leaves a half-written output file.
"""

from __future__ import annotations

import dataclasses
import io
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn
from rich.table import Table

from accord.analysis.analyze import DEFAULT_MAX_OUTCOMES, analyze
from accord.analysis.structured.frontier import DEFAULT_FRONTIER_LIMIT
from accord.errors import AccordError, ScenarioError
from accord.interrupts import (
    exit_status,
    first_report,
    received,
    signal_name,
    signals_as_interrupts,
)
from accord.io.load import load_scenario
from accord.io.outputs import Outputs
from accord.io.scenario_file import dump_scenario, scenario_to_data
from accord.model.scenario import Scenario
from accord.model.whatif import lift_red_lines, parse_lift
from accord.render.json_out import analysis_to_json
from accord.render.json_text import to_json
from accord.render.markdown import report_to_markdown
from accord.render.report import analysis_report
from accord.render.safe import plain
from accord.render.text import print_report
from accord.scenarios import DEFAULT_SCENARIO, builtin_names, builtin_text

__all__ = ["app", "main"]

app = typer.Typer(
    name="accord",
    help="Model, analyse and mediate multi-party negotiations.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
import_app = typer.Typer(help="Import negotiation domains from other tools.", no_args_is_help=True)
app.add_typer(import_app, name="import")

EXIT_INVALID = 2
MAX_OUTCOMES_FLAG = 10**12
"""--max-outcomes above this could not be enumerated in any memory."""
MAX_FRONTIER_LIMIT = 10**8


class OutputFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


class ShowFormat(StrEnum):
    summary = "summary"
    yaml = "yaml"
    json = "json"


def _stdout() -> Console:
    return Console(soft_wrap=True, width=None if sys.stdout.isatty() else 120)


def _fail(error: AccordError | str) -> NoReturn:
    console = Console(stderr=True, highlight=False, soft_wrap=True)
    if isinstance(error, ScenarioError):
        console.print(f"[bold red]error:[/] {len(error.problems)} problem(s)")
        for problem in error.problems:
            console.print(plain(f"  {problem}"))
    else:
        console.print("[bold red]error:[/] ", end="")
        console.print(plain(error))
    raise typer.Exit(EXIT_INVALID)


@contextmanager
def _user_errors() -> Iterator[None]:
    """Located messages for user errors; Ctrl-C, SIGTERM and SIGHUP stop the command
    alike (:mod:`accord.interrupts`) with exit status 130, 143 or 129, whether it
    stopped with nothing to write or wrote the partial results it had."""
    with signals_as_interrupts():
        try:
            yield
        except AccordError as error:
            _fail(error)
        except KeyboardInterrupt as error:
            _say_stopped(error)
            raise typer.Exit(exit_status(error)) from None
        if received() is not None:  # the command kept partial results and wrote them
            Console(stderr=True).print(
                f"interrupted ({_stop_name(None)}); what was written is marked as partial"
            )
            raise typer.Exit(exit_status())


def _stop_name(error: BaseException | None) -> str:
    return signal_name(getattr(error, "signum", None) or received() or signal.SIGINT)


def _split(value: str | None, flag: str) -> list[str] | None:
    if value is None:
        return None
    items = [item.strip() for item in value.split(",") if item.strip()]
    if not items:
        raise AccordError(f"{flag} needs at least one name")
    return items


def _parse_outcome(value: str | None) -> dict[str, str] | None:
    if value is None:
        return None
    outcome: dict[str, str] = {}
    for item in value.split(","):
        issue, sep, option = item.partition("=")
        if not sep or not issue.strip() or not option.strip():
            raise AccordError(f"--reference: expected ISSUE=OPTION pairs, found {item!r}")
        outcome[issue.strip()] = option.strip()
    return outcome


def _progress_callback(
    scenario: Scenario,
) -> tuple[Progress | None, Callable[..., None] | None]:
    if not sys.stderr.isatty():
        return None, None
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task = progress.add_task("analysing", total=None)

    def update(done: int, total: int, label: str = "") -> None:
        description = f"analysing: {label}" if label else "analysing"
        progress.update(task, completed=done, total=total, description=description)

    return progress, update


class MethodChoice(StrEnum):
    auto = "auto"
    enumerate = "enumerate"
    structured = "structured"


ScenarioArg = Annotated[
    str | None,
    typer.Argument(
        help=f"A built-in scenario name, a scenario YAML file or a GENIUS folder "
        f"[default: {DEFAULT_SCENARIO}]",
        show_default=False,
    ),
]


@app.command("analyze")
def analyze_command(
    scenario: ScenarioArg = None,
    parties: Annotated[
        str | None,
        typer.Option(help="Comma-separated party ids to analyse, or 'all' [default: principals]"),
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Output format.")
    ] = OutputFormat.text,
    reference: Annotated[
        str | None,
        typer.Option(
            help="Outcome trades start from, as ISSUE=OPTION,... [default: the "
            "scenario's reference]"
        ),
    ] = None,
    trade_parties: Annotated[
        str | None, typer.Option(help="The two parties that trade, as A,B [default: first two]")
    ] = None,
    max_outcomes: Annotated[
        int,
        typer.Option(
            min=1,
            max=MAX_OUTCOMES_FLAG,
            help="Enumerate at most this many outcomes (--method auto uses the structured "
            "solvers beyond; --method enumerate refuses).",
        ),
    ] = DEFAULT_MAX_OUTCOMES,
    method: Annotated[
        MethodChoice,
        typer.Option(
            help="enumerate every package, use the structured solvers (any size, exact), or "
            "auto: enumerate small spaces."
        ),
    ] = MethodChoice.auto,
    frontier_limit: Annotated[
        int,
        typer.Option(
            min=1,
            max=MAX_FRONTIER_LIMIT,
            help="Structured method: partial packages kept per step before a frontier of "
            "three or more parties is approximated (quality reported).",
        ),
    ] = DEFAULT_FRONTIER_LIMIT,
    lift: Annotated[
        list[str] | None,
        typer.Option(help="What if: analyse without red line N of PARTY, as PARTY:N (repeatable)."),
    ] = None,
    count_bloc_members: Annotated[
        bool,
        typer.Option(
            "--count-bloc-members",
            help="Count each member of a bloc as a party in the bargaining solutions "
            "[default: a bloc counts once, each of its k members weighing 1/k].",
        ),
    ] = False,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """Zone of agreement, Pareto frontier, bargaining solutions and trades.

    Spaces of any size: beyond --max-outcomes the structured solvers answer exactly
    without enumerating; Ctrl-C during a structured solve prints the best answers
    found so far, marked as not proven optimal.
    """
    with _user_errors(), Outputs(output) as outputs:  # the output is checked first
        loaded, lifted = lift_red_lines(
            load_scenario(scenario), [parse_lift(x) for x in lift or []]
        )
        chosen = _split(parties, "--parties")
        if chosen == ["all"]:
            chosen = [p.id for p in loaded.parties if p.preferences is not None]
        pair = _split(trade_parties, "--trade-parties")
        if pair is not None and len(pair) != 2:
            raise AccordError("--trade-parties takes exactly two party ids, as A,B")
        progress, update = _progress_callback(loaded)
        with progress if progress is not None else _nothing():
            result = analyze(
                loaded,
                chosen,
                reference=_parse_outcome(reference),
                trade_parties=(pair[0], pair[1]) if pair else None,
                max_outcomes=max_outcomes,
                progress=update,
                method=method.value,
                frontier_limit=frontier_limit,
                count_bloc_members=count_bloc_members,
            )
        result = dataclasses.replace(result, notes=(*lifted, *result.notes))
        _emit(loaded, result, output_format, output, outputs)


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def _emit(
    scenario: Scenario,
    result: object,
    output_format: OutputFormat,
    output: Path | None,
    outputs: Outputs,
) -> None:
    from accord.analysis.results import Analysis

    assert isinstance(result, Analysis)
    if output_format == OutputFormat.json:
        text = analysis_to_json(result) + "\n"
    elif output_format == OutputFormat.markdown:
        text = report_to_markdown(analysis_report(scenario, result))
    elif output is None:
        print_report(analysis_report(scenario, result), _stdout())
        return
    else:
        console = Console(record=True, width=120, file=io.StringIO())
        print_report(analysis_report(scenario, result), console)
        text = console.export_text()
    if output is None:
        sys.stdout.write(text)
    else:
        outputs.write_text(output, text)


@app.command("validate")
def validate_command(
    files: Annotated[list[Path], typer.Argument(help="Scenario files (or GENIUS folders).")],
) -> None:
    """Check scenario files; exit 0 when all are valid, 2 when any is not."""
    console = _stdout()
    failed = False
    for file in files:
        try:
            scenario = load_scenario(file)
        except AccordError as error:
            failed = True
            problems = error.problems if isinstance(error, ScenarioError) else (error,)
            console.print("[red]✗[/] ", plain(f"{file}: {len(problems)} problem(s)"), sep="")
            for problem in problems:
                console.print(plain(f"  {problem}"))
            continue
        console.print(
            f"[green]✓[/] {file}: {len(scenario.parties)} parties, {len(scenario.issues)} issues",
            highlight=False,
        )
    if failed:
        raise typer.Exit(EXIT_INVALID)


@app.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of scenario files."""
    schema = Scenario.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    sys.stdout.write(to_json(schema, ensure_ascii=True) + "\n")


@app.command("scenarios")
def scenarios_command() -> None:
    """List the built-in scenarios."""
    table = Table("Name", "Title", "Parties", "Issues", "Packages")
    for name in builtin_names():
        scenario = load_scenario(name)
        packages = 1
        for issue in scenario.issues:
            packages *= len(issue.options)
        table.add_row(
            name,
            scenario.title,
            str(len(scenario.parties)),
            str(len(scenario.issues)),
            f"{packages:,}",
        )
    _stdout().print(table)


@app.command("show")
def show_command(
    scenario: ScenarioArg = None,
    output_format: Annotated[
        ShowFormat, typer.Option("--format", "-f", help="summary, yaml or json.")
    ] = ShowFormat.summary,
) -> None:
    """Print a scenario: a summary, its YAML, or its JSON."""
    with _user_errors():
        loaded = load_scenario(scenario)
        if output_format == ShowFormat.yaml:
            name = scenario or DEFAULT_SCENARIO
            is_builtin = name in builtin_names() and not Path(name).exists()
            sys.stdout.write(builtin_text(name) if is_builtin else dump_scenario(loaded))
        elif output_format == ShowFormat.json:
            sys.stdout.write(to_json(scenario_to_data(loaded), ensure_ascii=True) + "\n")
        else:
            _print_summary(loaded)


def _print_summary(scenario: Scenario) -> None:
    console = _stdout()
    console.print(plain(f"{scenario.title} ({scenario.id})", style="bold"))
    if scenario.description:
        console.print(plain(scenario.description))
    parties = Table("Party", "Role", "Bloc", "Preferences", "Red lines", title="Parties")
    for party in scenario.parties:
        roles = ", ".join([party.role.value, *(r.value for r in party.also)])
        roles += " (assumed)" if party.assumed is not None else ""
        prefs = party.preferences
        parties.add_row(
            plain(party.name),
            roles,
            plain(party.bloc or ""),
            "yes" if prefs else "no",
            str(len(prefs.red_lines)) if prefs else "",
        )
    console.print(parties)
    issues = Table("Issue", "Options", title="Issues")
    for issue in scenario.issues:
        options = "; ".join(o.label or o.id for o in issue.options)
        issues.add_row(plain(issue.title or issue.id), plain(options))
    console.print(issues)
    _print_channels(scenario, console)


def _print_channels(scenario: Scenario, console: Console) -> None:
    channels = scenario.channels
    for channel in channels.pairs:
        a, b = (scenario.party(p).name for p in channel.between)
        if not channel.direct:
            console.print(plain(f"No direct channel between {a} and {b}."))
        elif not channels.default:
            mark = " (assumed)" if channel.assumed is not None else ""
            console.print(plain(f"Direct channel between {a} and {b}{mark}."))
    if not channels.default:
        console.print("Parties not listed do not talk directly.", highlight=False)


@import_app.command("genius")
def import_genius_command(
    folder: Annotated[Path, typer.Argument(help="A folder of GENIUS XML files.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Scenario YAML to write [default: stdout]")
    ] = None,
) -> None:
    """Convert a GENIUS/ANAC domain folder into a scenario YAML file."""
    with _user_errors(), Outputs(output) as outputs:
        if not folder.is_dir():
            raise AccordError(f"{folder}: not a folder")
        from accord.io.genius import read_genius_folder

        text = dump_scenario(read_genius_folder(folder))
        if output is None:
            sys.stdout.write(text)
        else:
            outputs.write_text(output, text)


def _register_framework_commands() -> None:
    from accord.cli import frameworks

    app.command("frameworks")(frameworks.frameworks_command)
    app.command("diff")(frameworks.diff_command)
    app.command("review")(frameworks.review_command)
    app.command("amend")(frameworks.amend_command)
    app.command("mediate")(frameworks.mediate_command)


_register_framework_commands()


def _register_simulation_commands() -> None:
    from accord.cli import simulate

    app.command("simulate")(simulate.simulate_command)
    app.command("tournament")(simulate.tournament_command)


_register_simulation_commands()


def _register_forecast_command() -> None:
    from accord.cli.forecast import forecast_command

    app.command("forecast")(forecast_command)


_register_forecast_command()


def _register_robustness_command() -> None:
    from accord.cli.robustness import robustness_command

    app.command("robustness")(robustness_command)


_register_robustness_command()


def _register_service_commands() -> None:
    from accord.cli import service

    app.command("serve")(service.serve_command)
    app.add_typer(service.mediators_app, name="mediators")
    app.add_typer(service.audit_app, name="audit")


_register_service_commands()


def _register_interop_commands() -> None:
    from accord.cli import interop

    app.add_typer(interop.export_app, name="export")
    interop.register_imports(import_app)


_register_interop_commands()


def main() -> None:
    """Console-script entry point: a closed pipe on standard output ends quietly with
    status 141, any other failure to write it with one line and status 1
    (:mod:`accord.cli.streams`); a stop signal anywhere (even while starting up) ends
    the process with 128 + its number (:mod:`accord.interrupts`), never a traceback."""
    from accord.cli import streams

    streams.guard_stdout()
    with signals_as_interrupts():
        try:
            try:
                app()
            finally:
                sys.stdout.flush()
        except streams.StandardOutputError as failure:
            sys.exit(streams.exit_status(failure))
        except SystemExit as done:
            # Typer turns a KeyboardInterrupt outside a command's own handling (while
            # starting up or parsing) into exit 130, click into "Aborted!" and 1.
            if received() is None or done.code not in (1, 130):
                raise
            _say_stopped()
            raise SystemExit(exit_status()) from None
        except (KeyboardInterrupt, Exception):
            # A signal while the commands are being built, or one that broke code not
            # expecting KeyboardInterrupt (an extension module's import turns it into
            # ImportError): still a stop, not a crash.
            if received() is None:
                raise
            _say_stopped()
            raise SystemExit(exit_status()) from None


def _say_stopped(error: BaseException | None = None) -> None:
    if first_report():
        Console(stderr=True).print(f"interrupted ({_stop_name(error)}); nothing was written")

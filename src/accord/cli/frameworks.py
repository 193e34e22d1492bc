"""Framework commands: list, diff, review, amend and mediate single negotiating texts."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import IO, Annotated, Any

import numpy as np
import typer
from rich.table import Table

from accord.cli.main import (
    MethodChoice,
    OutputFormat,
    _split,
    _stdout,
    _user_errors,
)
from accord.cli.numbers import MAX_SEED
from accord.engine.compiled import compile_scenario
from accord.errors import AccordError
from accord.frameworks.amend import amend_framework
from accord.frameworks.diff import diff_frameworks
from accord.frameworks.draft import compile_draft
from accord.frameworks.flags import required_parties
from accord.frameworks.load import builtin_frameworks, load_framework
from accord.frameworks.mediation import mediate_text
from accord.frameworks.model import Framework
from accord.frameworks.review import review_framework
from accord.io.outputs import Outputs
from accord.model.scenario import Role, Scenario
from accord.model.whatif import lift_red_lines, parse_lift
from accord.render.framework_out import (
    amendment_data,
    amendment_report,
    diff_data,
    diff_report,
    review_data,
    review_report,
)
from accord.render.json_text import to_json
from accord.render.markdown import report_to_markdown
from accord.render.mediation_out import mediation_data, mediation_report
from accord.render.plot import plot_lines
from accord.render.report import Report
from accord.render.text import print_report

__all__ = [
    "amend_command",
    "diff_command",
    "frameworks_command",
    "mediate_command",
    "review_command",
]

FrameworkArg = Annotated[str, typer.Argument(help="A built-in framework name or a framework file.")]
FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]
LiftOption = Annotated[
    list[str] | None,
    typer.Option(help="What if: without red line N of PARTY, as PARTY:N (repeatable)."),
]
OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
]
PartiesOption = Annotated[
    str | None,
    typer.Option(
        help="The parties who must accept, as A,B,... or 'all' [default: the principals]; "
        "every party's red lines are flagged either way."
    ),
]


def _emit(
    data: dict[str, Any], report: Report, fmt: OutputFormat, output: Path | None, outputs: Outputs
) -> None:
    if fmt == OutputFormat.json:
        text = to_json(data) + "\n"
    elif fmt == OutputFormat.markdown:
        text = report_to_markdown(report)
    elif output is None:
        print_report(report, _stdout())
        return
    else:
        from rich.console import Console

        console = Console(record=True, width=120, file=io.StringIO())
        print_report(report, console)
        text = console.export_text()
    if output is None:
        sys.stdout.write(text)
    else:
        outputs.write_text(output, text)


def _load(spec: str, lift: list[str] | None) -> tuple[Framework, Scenario, Scenario]:
    """The framework, its scenario with any lifted red lines removed, and the original."""
    framework, scenario = load_framework(spec)
    lifted, _ = lift_red_lines(scenario, [parse_lift(item) for item in lift or []])
    return framework, lifted, scenario


def frameworks_command(
    scenario: Annotated[
        str | None, typer.Argument(help="Only frameworks of this scenario.")
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="text or json.")
    ] = OutputFormat.text,
) -> None:
    """List the built-in frameworks (single negotiating texts)."""
    with _user_errors():
        entries = []
        for name in builtin_frameworks():
            framework, owner = load_framework(name)
            if scenario is None or owner.id == scenario:
                entries.append({"name": name, "scenario": owner.id, "title": framework.title})
        if output_format == OutputFormat.json:
            sys.stdout.write(to_json(entries, ensure_ascii=True) + "\n")
            return
        table = Table("Name", "Scenario", "Title")
        for entry in entries:
            table.add_row(entry["name"], entry["scenario"], entry["title"])
        _stdout().print(table)


def diff_command(
    before: FrameworkArg,
    after: Annotated[str, typer.Argument(help="The later draft.")],
    output_format: FormatOption = OutputFormat.text,
    output: OutputOption = None,
) -> None:
    """Point-by-point differences between two drafts, and their effect on each party."""
    with _user_errors(), Outputs(output) as outputs:
        first, scenario = load_framework(before)
        second, other = load_framework(after)
        if other.id != scenario.id:
            raise AccordError(f"{before} is a draft of {scenario.id!r} but {after} of {other.id!r}")
        diff = diff_frameworks(first, second, scenario)
        _emit(diff_data(diff), diff_report(diff, scenario), output_format, output, outputs)


def review_command(
    framework: FrameworkArg,
    lift: LiftOption = None,
    parties: PartiesOption = None,
    output_format: FormatOption = OutputFormat.text,
    output: OutputOption = None,
) -> None:
    """Where each party stands on a draft, point by point, and what blocks agreement."""
    with _user_errors(), Outputs(output) as outputs:
        loaded, scenario, original = _load(framework, lift)
        review = review_framework(loaded, scenario, _split(parties, "--parties"), original)
        report = review_report(review, len(loaded.points))
        _emit(review_data(review), report, output_format, output, outputs)


def amend_command(
    framework: FrameworkArg,
    lift: LiftOption = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="How many amendments to show.")] = 5,
    method: Annotated[
        MethodChoice, typer.Option(help="auto, enumerate, or structured (MIP, any size).")
    ] = MethodChoice.auto,
    parties: PartiesOption = None,
    output_format: FormatOption = OutputFormat.text,
    output: OutputOption = None,
) -> None:
    """The smallest sets of point changes that make a draft acceptable to all principals."""
    with _user_errors(), Outputs(output) as outputs:
        loaded, scenario, original = _load(framework, lift)
        result = amend_framework(
            loaded,
            scenario,
            limit=limit,
            method=method.value,
            parties=_split(parties, "--parties"),
            original=original,
        )
        report = amendment_report(result, scenario)
        _emit(amendment_data(result), report, output_format, output, outputs)


def mediate_command(
    framework: FrameworkArg,
    lift: LiftOption = None,
    parties: PartiesOption = None,
    rounds: Annotated[
        int,
        typer.Option(
            min=1,
            max=10_000,
            help="At most this many revisions (drafts after the first).",
        ),
    ] = 30,
    seed: Annotated[
        int,
        typer.Option(
            min=0,
            max=MAX_SEED,
            help="Seed: where the criticism-only mediator's rotation among the delegations starts.",
        ),
    ] = 0,
    informed: Annotated[
        bool | None,
        typer.Option(
            "--informed/--criticism-only",
            help="Does the mediator know the preferences? [default: as the scenario "
            "says, through a mediator's knows_preferences]",
        ),
    ] = None,
    output_format: FormatOption = OutputFormat.text,
    output: OutputOption = None,
    plot: Annotated[Path | None, typer.Option(help="Write a PNG of utilities per draft.")] = None,
) -> None:
    """Run the single-text procedure: criticise, revise, repeat."""
    with _user_errors(), Outputs(output, plot) as outputs:
        loaded, scenario, original = _load(framework, lift)
        model = compile_scenario(scenario)
        principals = required_parties(scenario, model, _split(parties, "--parties"))
        knows = _mediator_knows(scenario) if informed is None else informed
        try:
            result = mediate_text(
                model,
                principals,
                compile_draft(loaded, model).settled,
                rounds,
                np.random.default_rng(seed),
                knows,
            )
        except ValueError as error:
            raise AccordError(str(error)) from None
        data = mediation_data(result, model, scenario, original)
        if plot is not None:
            with outputs.open(plot) as handle:
                _plot(handle, data, scenario, principals=[model.party_ids[p] for p in principals])
        _emit(data, mediation_report(data, scenario), output_format, output, outputs)


def _mediator_knows(scenario: Scenario) -> bool:
    return any(p.has_role(Role.MEDIATOR) and p.knows_preferences for p in scenario.parties)


def _plot(
    handle: IO[bytes], data: dict[str, Any], scenario: Scenario, principals: list[str]
) -> None:
    names = {p.id: p.name for p in scenario.parties}
    drafts = data["drafts"]
    series = {names[p]: [d["utilities"][p] for d in drafts] for p in drafts[0]["utilities"]}
    plot_lines(
        handle,
        [d["draft"] for d in drafts],
        series,
        title="Utility per draft",
        x_label="draft",
        y_label="utility",
        dashed=[names[p] for p in drafts[0]["utilities"] if p not in principals],
    )

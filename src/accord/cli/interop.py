"""``accord export FORMAT SCENARIO -o PATH`` and the ``accord import`` formats beyond
GENIUS (issue 17): every file goes through one :class:`~accord.io.outputs.Outputs`
transaction, and whatever a format cannot hold is said on standard error (and kept in
a side file where the format is a folder)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
import yaml
from rich.console import Console

from accord.cli.main import ScenarioArg, _user_errors
from accord.errors import AccordError
from accord.io.load import load_scenario
from accord.io.outputs import Outputs
from accord.io.scenario_file import dump_scenario
from accord.model.scenario import Scenario

__all__ = ["export_app"]

export_app = typer.Typer(
    help="Export a scenario to the formats other tools read.", no_args_is_help=True
)

FolderOption = Annotated[
    Path, typer.Option("--output", "-o", help="Folder to write (created if missing).")
]


def _folder(path: Path) -> Path:
    """The output folder, created when missing (its parent must exist)."""
    if path.exists() and not path.is_dir():
        raise AccordError(f"{path}: cannot write: not a folder")
    if not path.exists():
        if not path.parent.is_dir():
            raise AccordError(f"{path}: cannot write: folder {path.parent} does not exist")
        try:
            path.mkdir()
        except OSError as error:
            raise AccordError(f"{path}: cannot write: {error.strerror or error}") from None
    return path


def _report_dropped(format_name: str, dropped: list[str], side_file: Path | None) -> None:
    if not dropped:
        return
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    kept = f" (kept in {side_file})" if side_file is not None else ""
    err.print(f"{format_name} cannot hold, so the export leaves out{kept}:")
    for item in dropped:
        err.print(f"  - {item}")


@export_app.command("genius")
def export_genius_command(output: FolderOption, scenario: ScenarioArg = None) -> None:
    """Write a GENIUS domain folder: a domain XML and one profile XML per party."""
    with _user_errors():
        from accord.io.genius.export import EXTRAS_FILE, export_genius

        exported = export_genius(load_scenario(scenario))
        folder = _folder(output)
        paths = [folder / name for name in exported.files]
        side = folder / EXTRAS_FILE if exported.extras is not None else None
        with Outputs(*paths, side) as outputs:
            for path, text in zip(paths, exported.files.values(), strict=True):
                outputs.write_text(path, text)
            if side is not None:
                outputs.write_text(side, yaml.safe_dump(exported.extras, allow_unicode=True))
        _report_dropped("GENIUS XML", exported.dropped, side)


def register_imports(import_app: typer.Typer) -> None:
    """Add the import formats beyond GENIUS to ``accord import``."""

    import_app.command("geniusweb")(import_geniusweb_command)


@export_app.command("geniusweb")
def export_geniusweb_command(output: FolderOption, scenario: ScenarioArg = None) -> None:
    """Write GeniusWeb JSON: a domain file and one profile per party."""
    with _user_errors():
        from accord.io.geniusweb import export_geniusweb

        exported = export_geniusweb(load_scenario(scenario))
        folder = _folder(output)
        paths = [folder / name for name in exported.files]
        with Outputs(*paths) as outputs:
            for path, text in zip(paths, exported.files.values(), strict=True):
                outputs.write_text(path, text)
        _report_dropped("GeniusWeb JSON", exported.dropped, None)


def import_geniusweb_command(
    source: Annotated[
        Path, typer.Argument(help="A GeniusWeb profile JSON, or a folder of domain and profiles.")
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Scenario YAML to write [default: stdout]")
    ] = None,
) -> None:
    """Convert GeniusWeb JSON (a domain and its profiles) into a scenario YAML file."""
    with _user_errors(), Outputs(output) as outputs:
        from accord.io.geniusweb import read_geniusweb

        _write_scenario(read_geniusweb(source), output, outputs)


def _write_scenario(scenario: Scenario, output: Path | None, outputs: Outputs) -> None:
    text = dump_scenario(scenario)
    if output is None:
        sys.stdout.write(text)
    else:
        outputs.write_text(output, text)


@export_app.command("decide")
def export_decide_command(
    output: Annotated[Path, typer.Option("--output", "-o", help="Decide file to write.")],
    scenario: Annotated[
        str | None,
        typer.Argument(
            help="What `accord forecast` reads: a built-in name, a scenario file, a GENIUS "
            "folder, a stakeholder CSV or a Decide file [default: berlin-2025]",
            show_default=False,
        ),
    ] = None,
    count_bloc_members: Annotated[
        bool, typer.Option(help="As `accord forecast`: every bloc member an actor.")
    ] = False,
) -> None:
    """Write the stakeholder table a forecast of SCENARIO uses, in Decide's format."""
    with _user_errors(), Outputs(output) as outputs:
        from accord.forecast.decide_out import decide_text
        from accord.forecast.run import load_forecast_input
        from accord.scenarios import DEFAULT_SCENARIO

        table = load_forecast_input(scenario or DEFAULT_SCENARIO, count_bloc_members)
        text, dropped = decide_text(table)
        outputs.write_text(output, text)
    if table.notes:
        err = Console(stderr=True, highlight=False, soft_wrap=True)
        err.print("As the forecast builds the table:")
        for note in table.notes:
            err.print(f"  - {note}")
    _report_dropped("Decide", dropped, None)

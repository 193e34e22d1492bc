"""``accord export FORMAT SCENARIO -o PATH`` and the ``accord import`` formats beyond
GENIUS (issue 17): every file goes through one :class:`~accord.io.outputs.Outputs`
transaction, and whatever a format cannot hold is said on standard error (and kept in
a side file where the format is a folder)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
import yaml
from rich.console import Console

from accord.cli.main import ScenarioArg, _user_errors
from accord.errors import AccordError
from accord.io.load import load_scenario
from accord.io.outputs import Outputs

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

    del import_app  # filled in by the formats below

"""Draw a :class:`~accord.render.report.Report` on the terminal with rich."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from accord.render.report import Report, Section, Table

__all__ = ["print_report"]


def _table(table: Table) -> RichTable:
    drawn = RichTable(title=table.title, box=box.SIMPLE_HEAD, show_lines=False, expand=False)
    for header in table.headers:
        drawn.add_column(header, overflow="fold")
    for row in table.rows:
        drawn.add_row(*row)
    return drawn


def _section(console: Console, section: Section) -> None:
    console.rule(Text(section.title, style="bold"), align="left")
    for paragraph in section.paragraphs:
        console.print(paragraph)
    for table in section.tables:
        console.print(_table(table))
    for note in section.notes:
        console.print(Text(note, style="dim"))
    console.print()


def print_report(report: Report, console: Console) -> None:
    console.print(Text(report.title, style="bold underline"))
    console.print(Text(report.subtitle, style="dim"))
    console.print()
    for section in report.sections:
        _section(console, section)

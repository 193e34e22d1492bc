"""Draw a :class:`~accord.render.report.Report` on the terminal with rich."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table as RichTable

from accord.render.report import Report, Section, Table
from accord.render.safe import plain

__all__ = ["print_report"]


def _table(table: Table) -> RichTable:
    title = plain(table.title) if table.title else None
    drawn = RichTable(title=title, box=box.SIMPLE_HEAD, show_lines=False, expand=False)
    for header in table.headers:
        drawn.add_column(plain(header), overflow="fold")
    for row in table.rows:  # user text (names, labels): escaped, never markup
        drawn.add_row(*(plain(cell) for cell in row))
    return drawn


def _section(console: Console, section: Section) -> None:
    console.rule(plain(section.title, style="bold"), align="left")
    for paragraph in section.paragraphs:
        console.print(plain(paragraph))
    for table in section.tables:
        console.print(_table(table))
    for note in section.notes:
        console.print(plain(note, style="dim"))
    console.print()


def print_report(report: Report, console: Console) -> None:
    console.print(plain(report.title, style="bold underline"))
    console.print(plain(report.subtitle, style="dim"))
    console.print()
    for section in report.sections:
        _section(console, section)

"""Draw a :class:`~accord.render.report.Report` as GitHub-flavoured Markdown."""

from __future__ import annotations

from accord.render.report import Report, Table

__all__ = ["report_to_markdown"]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(table: Table) -> list[str]:
    lines = ["| " + " | ".join(_cell(h) for h in table.headers) + " |"]
    lines.append("|" + "|".join("---" for _ in table.headers) + "|")
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in table.rows]
    return [*lines, ""]


def report_to_markdown(report: Report) -> str:
    lines = [f"# {report.title}", "", f"_{report.subtitle}_", ""]
    for section in report.sections:
        lines += [f"## {section.title}", ""]
        for paragraph in section.paragraphs:
            lines += [paragraph, ""]
        for table in section.tables:
            lines += _table(table)
        lines += [f"> {note}" for note in section.notes]
        if section.notes:
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"

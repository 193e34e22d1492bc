"""Cells of CSV files meant for people: neutralised against spreadsheet formulas.

A spreadsheet reads a cell that begins with ``=``, ``+``, ``-`` or ``@`` (and, in some,
a tab or a carriage return) as a formula, so a party or actor named ``=HYPERLINK(...)``
could run in the reader's spreadsheet ("CSV injection"). OWASP's recommendation,
followed here: prefix such a text cell with a single quote, which spreadsheets show as
text. Only text cells are touched: numbers in numeric columns (``-0.5``) stay numbers.
Interchange files that other tools read back keep names exactly and are not for
spreadsheets (see ``docs/limits.md``).

Reference: OWASP, "CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection
"""

from __future__ import annotations

__all__ = ["FORMULA_STARTS", "spreadsheet_cell"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP)."""


def spreadsheet_cell(text: str) -> str:
    """``text`` as a spreadsheet shows it literally: a leading quote when it would be
    read as a formula, else unchanged."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text

"""User text made safe for a terminal.

Names, titles, labels, quotes and notes come from files anyone can write. Printed raw,
a control character (ESC starts a terminal escape sequence: it can recolour, move the
cursor, retitle the window or hide the lines before it) or a bidirectional override
(U+202E reverses what follows, so the text shown is not the text read: "Trojan
Source", Boucher & Anderson 2021) makes the terminal show something else than the
data; and rich reads ``[bold]`` or ``[/]`` in a plain string as markup. Every piece of
user text printed to a terminal therefore goes through :func:`printable` (control and
format characters shown as escapes, ``\\x1b`` or ``\\u202e``) and is handed to rich as
a :class:`rich.text.Text`, which rich never parses for markup (:func:`plain`).

Ids refuse these characters outright (:func:`refuse_invisible`); free text keeps
them in files and JSON (exactly as written) and is escaped only on the terminal.
"""

from __future__ import annotations

import unicodedata

from rich.text import Text

__all__ = ["invisible_characters", "plain", "printable", "refuse_invisible"]

_KEPT = {"\n", "\t"}
"""Line breaks and tabs are layout, not hidden content: printed as they are."""


def _hidden(char: str) -> bool:
    """Control (Cc), format (Cf: bidirectional marks and overrides, zero-width
    characters), line and paragraph separators (Zl, Zp), surrogates and unassigned."""
    return unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn")


def printable(text: str) -> str:
    """``text`` with every hidden character written as a visible escape."""
    if text.isprintable():
        return text
    return "".join(char if char in _KEPT or not _hidden(char) else _escape(char) for char in text)


def _escape(char: str) -> str:
    code = ord(char)
    return (
        f"\\x{code:02x}"
        if code < 0x100
        else f"\\u{code:04x}"
        if code < 0x10000
        else f"\\U{code:08x}"
    )


def plain(text: object, style: str = "") -> Text:
    """User text as a rich :class:`Text`: escaped (:func:`printable`), never markup."""
    return Text(printable(str(text)), style=style)


def invisible_characters(text: str) -> list[str]:
    """The hidden characters of ``text`` (for ids), as escapes, first occurrence order."""
    return list(dict.fromkeys(_escape(char) for char in text if _hidden(char)))


def refuse_invisible(text: str, what: str = "an id") -> str:
    """``text`` unchanged, or ValueError naming its control/format characters."""
    found = invisible_characters(text)
    if found:
        raise ValueError(
            f"{what} cannot contain control or invisible formatting characters "
            f"(found {', '.join(found)})"
        )
    return text

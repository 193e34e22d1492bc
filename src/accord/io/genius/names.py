"""accord ids for GENIUS names, which may carry stray whitespace.

GENIUS identifies issues and values by their exact text, and real ANAC domains have
names such as ``"BI-Tech founders get 5% + jobs "`` (with a trailing space). accord ids
cannot begin or end with whitespace nor span lines, so each name gets a *clean id*:
the text in Unicode normal form C with every run of whitespace (spaces, tabs, line
breaks, no-break spaces) made one space and none at either end. A name that is already
a tidy id is its own id, so tidy domains import exactly as before; the text as written
is kept as the label wherever it differs from the id. Two names of one kind that GENIUS
tells apart but that clean to the same id are an error that names both.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from pydantic import TypeAdapter, ValidationError

from accord.io.genius.xml_file import XmlFile, attribute
from accord.model.scenario import Id

__all__ = ["Name", "clean_id", "read_name", "require_unique"]

_ID: TypeAdapter[str] = TypeAdapter(Id)


def clean_id(text: str) -> str:
    """The accord id of a GENIUS name: NFC, whitespace runs made one space, stripped.

    >>> clean_id("  BI-Tech founders  get 5% + jobs ")
    'BI-Tech founders get 5% + jobs'
    >>> clean_id("Cafe\\u0301\\u00a0cr\\u00e8me")
    'Café crème'
    """
    return " ".join(unicodedata.normalize("NFC", text).split())


@dataclass(frozen=True)
class Name:
    """A name as written in a GENIUS file, its clean id and the line it is on."""

    text: str
    id: str
    line: int | None = None

    @property
    def label(self) -> str | None:
        """The text as written, when it differs from the id (else no label is needed)."""
        return None if self.text == self.id else self.text

    def shown(self) -> str:
        return repr(self.text) if self.line is None else f"{self.text!r} (line {self.line})"


def read_name(xml: XmlFile, element: Element, key: str, what: str, of: str = "") -> Name:
    """The attribute ``key`` of ``element`` as a :class:`Name` (located error if no id
    can be derived: a blank name, or one longer than an id may be)."""
    text = attribute(xml, element, key)
    cleaned = clean_id(text)
    try:
        _ID.validate_python(cleaned)
    except ValidationError:
        reason = "is blank" if not cleaned else "is too long"
        raise xml.fail(
            f"{what} {text!r}{of} {reason} to be used as an id",
            element,
            hint="an id is 1 to 200 characters, not counting leading, trailing or "
            "repeated whitespace",
        ) from None
    return Name(text, cleaned, xml.line(element))


def require_unique(
    xml: XmlFile, names: Iterable[tuple[Name, Element]], what: str, of: str = ""
) -> None:
    """Refuse two names that are the same text, or become the same id when cleaned."""
    seen: dict[str, Name] = {}
    for name, element in names:
        earlier = seen.setdefault(name.id, name)
        if earlier is name:
            continue
        if earlier.text == name.text:
            raise xml.fail(f"{what} {name.text!r}{of} is listed twice", element)
        raise xml.fail(
            f"{what} {earlier.shown()} and {name.shown()}{of} both become the id {name.id!r}",
            element,
            hint="GENIUS tells them apart only by whitespace or Unicode form, which accord "
            "ids ignore: rename one of them",
        )

"""Reading GENIUS XML files safely, with the line of every element for located messages.

XML is parsed with :mod:`defusedxml`, which refuses entity declarations (entity
expansion bombs) and external references (XXE). Attributes are read with Java's
parsing rules where GENIUS relies on them (``Double.parseDouble`` trims whitespace).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from accord.errors import Location, Problem, ScenarioError

__all__ = [
    "MAX_FILE_BYTES",
    "XmlFile",
    "attribute",
    "declared_kind",
    "folder_error",
    "integer",
    "number",
    "parse_xml",
    "xml_files",
]

MAX_FILE_BYTES = 64 * 1024 * 1024
"""XML files larger than this are refused before parsing (real profiles are a few kB)."""

_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d{1,4})?")
_INTEGER = re.compile(r"[+-]?\d{1,18}")


class _LineRecorder(TreeBuilder):
    """A tree builder that remembers the line each element starts on."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[int, int] = {}
        self.parser: DefusedXMLParser | None = None

    def start(self, tag: Any, attrs: dict[Any, Any], /) -> Element:
        element = super().start(tag, attrs)
        if self.parser is not None:
            self.lines[id(element)] = self.parser.parser.CurrentLineNumber
        return element


@dataclass(frozen=True)
class XmlFile:
    """A parsed XML file with the line of every element, for located messages."""

    path: Path
    root: Element
    lines: dict[int, int]

    def line(self, element: Element) -> int | None:
        return self.lines.get(id(element))

    def at(self, element: Element | None = None) -> Location:
        return Location(str(self.path), None if element is None else self.line(element))

    def fail(
        self, message: str, element: Element | None = None, hint: str | None = None
    ) -> ScenarioError:
        """A :class:`ScenarioError` located at ``element`` (raise it)."""
        return ScenarioError([Problem(message, location=self.at(element), hint=hint)])


def folder_error(directory: Path, message: str, hint: str | None = None) -> ScenarioError:
    return ScenarioError([Problem(message, location=Location(str(directory)), hint=hint)])


def xml_files(directory: Path) -> list[Path]:
    """The folder's ``*.xml`` files, sorted by name (the party order)."""
    if not directory.is_dir():
        raise folder_error(directory, "is not a folder (expected a GENIUS domain folder)")
    try:
        files = [p for p in directory.iterdir() if p.suffix.lower() == ".xml" and p.is_file()]
    except OSError as exc:
        raise folder_error(directory, f"cannot list the folder: {exc.strerror or exc}") from None
    if not files:
        raise folder_error(directory, "holds no XML files (expected a GENIUS domain)")
    return sorted(files, key=lambda p: p.name)


def _read_bytes(path: Path) -> bytes:
    """The file's bytes; files over :data:`MAX_FILE_BYTES` are refused unread."""
    limit = MAX_FILE_BYTES
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        message = f"cannot read: {exc.strerror or exc}"
    else:
        if len(data) <= limit:
            return data
        message = f"refused: larger than {limit / 2**20:g} MB"
    raise ScenarioError([Problem(message, location=Location(str(path)))])


def parse_xml(path: Path) -> XmlFile:
    """Parse with defusedxml: entity declarations and external references are refused."""
    data = _read_bytes(path)
    builder = _LineRecorder()
    parser = DefusedXMLParser(target=builder)
    builder.parser = parser
    try:
        parser.feed(data)
        root = parser.close()
    except ParseError as exc:
        line, column = exc.position
        message = str(exc).split(": line ")[0]
        where = Location(str(path), line, column + 1)
        raise ScenarioError([Problem(f"not well-formed XML: {message}", location=where)]) from None
    except DefusedXmlException:
        where = Location(str(path), parser.parser.CurrentLineNumber)
        raise ScenarioError(
            [
                Problem(
                    "refused: the file declares XML entities or refers to external ones",
                    location=where,
                    hint="GENIUS files need neither; entities allow expansion bombs and XXE",
                )
            ]
        ) from None
    return XmlFile(path, root, builder.lines)


def attribute(xml: XmlFile, element: Element, name: str) -> str:
    value = element.get(name)
    if value is None:
        raise xml.fail(f"<{element.tag}> has no {name!r} attribute", element)
    return value


def number(xml: XmlFile, element: Element, name: str) -> float:
    """A decimal number attribute (Java ``Double.parseDouble`` trims whitespace)."""
    text = attribute(xml, element, name).strip()
    value = float(text) if _NUMBER.fullmatch(text) else math.nan
    if not math.isfinite(value):
        raise xml.fail(f"<{element.tag}> {name}={text!r} is not a finite number", element)
    return value


def integer(xml: XmlFile, element: Element, name: str) -> int:
    text = attribute(xml, element, name).strip()
    if not _INTEGER.fullmatch(text):
        raise xml.fail(f"<{element.tag}> {name}={text!r} is not an integer", element)
    return int(text)


def declared_kind(element: Element) -> str | None:
    """The issue type written: the ``type`` attribute (else ``vtype``, else ``etype``)."""
    text = element.get("type") or element.get("vtype") or element.get("etype")
    return None if text is None else text.strip().lower()

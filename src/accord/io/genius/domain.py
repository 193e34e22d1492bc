"""The GENIUS domain file: which file it is, and its issues and values
(``genius.core.Domain``).

The issues are the ``<issue>`` children of ``<objective>``, in document order. A
``discrete`` issue's values are the ``value`` attributes of its direct ``<item>``
children; an ``integer`` issue's values are every integer from ``lowerbound`` to
``upperbound``. ``real`` issues are refused: accord needs a finite set of options.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element

from accord.io.genius.names import Name, read_name, require_unique
from accord.io.genius.xml_file import XmlFile, declared_kind, folder_error, integer

__all__ = [
    "MAX_INTEGER_VALUES",
    "DomainIssue",
    "objective",
    "read_domain",
    "split_files",
    "utility_space",
]

MAX_INTEGER_VALUES = 100_000
"""Most values an integer issue may have (``upperbound − lowerbound + 1``)."""


@dataclass(frozen=True)
class DomainIssue:
    """An issue of the domain file: its name, ``index``, type and values."""

    name: Name
    index: int
    kind: str
    options: tuple[Name, ...]

    def option_texts(self) -> tuple[str, ...]:
        return tuple(option.text for option in self.options)


def split_files(directory: Path, parsed: Sequence[XmlFile]) -> tuple[XmlFile, list[XmlFile]]:
    """The domain file (no ``<weight>`` anywhere) and the profiles (all the others)."""
    domains = [xml for xml in parsed if next(xml.root.iter("weight"), None) is None]
    if not domains:
        raise folder_error(
            directory,
            "no GENIUS domain file: every XML file has <weight> elements",
            hint="the domain file lists the issues and has no <weight>",
        )
    if len(domains) > 1:
        names = ", ".join(xml.path.name for xml in domains)
        raise folder_error(
            directory,
            f"more than one XML file without <weight> elements ({names})",
            hint="a folder holds one GENIUS domain file; profiles have <weight> elements",
        )
    profiles = [xml for xml in parsed if xml is not domains[0]]
    if not profiles:
        raise folder_error(
            directory, "no GENIUS preference profile (an XML file with <weight> elements)"
        )
    return domains[0], profiles


def utility_space(xml: XmlFile) -> Element:
    """``<utility_space>``: the root of a profile, a child of a domain's template."""
    if xml.root.tag == "utility_space":
        return xml.root
    found = xml.root.findall("utility_space")
    if len(found) != 1:
        raise xml.fail(
            f"expected one <utility_space> in <{xml.root.tag}>, found {len(found)}", xml.root
        )
    return found[0]


def objective(xml: XmlFile) -> Element:
    space = utility_space(xml)
    found = space.findall("objective")
    if len(found) != 1:
        raise xml.fail(f"expected one <objective> in <utility_space>, found {len(found)}", space)
    nested = found[0].find("objective")
    if nested is not None:
        raise xml.fail("nested <objective> elements are not supported", nested)
    return found[0]


def read_domain(xml: XmlFile) -> tuple[DomainIssue, ...]:
    """The ``<issue>`` children of ``<objective>`` in document order (GENIUS ``Domain``)."""
    root = objective(xml)
    elements = root.findall("issue")
    if not elements:
        raise xml.fail("the domain's <objective> has no <issue>", root)
    issues = [_domain_issue(xml, element) for element in elements]
    require_unique(xml, ((i.name, e) for i, e in zip(issues, elements, strict=True)), "issue")
    for number, (issue, element) in enumerate(zip(issues, elements, strict=True)):
        for earlier in issues[:number]:
            if earlier.index == issue.index:
                raise xml.fail(
                    f"issue {issue.name.text!r} has index {issue.index}, as has issue "
                    f"{earlier.name.text!r}",
                    element,
                )
    return tuple(issues)


def _domain_issue(xml: XmlFile, element: Element) -> DomainIssue:
    name = read_name(xml, element, "name", "issue name")
    index = integer(xml, element, "index")
    kind = _issue_kind(xml, element, name.text)
    if kind == "integer":
        return DomainIssue(name, index, kind, _integer_options(xml, element, name.text))
    items = element.findall("item")
    if not items:
        raise xml.fail(f"discrete issue {name.text!r} has no <item> values", element)
    of = f" of issue {name.text!r}"
    options = [read_name(xml, item, "value", "value", of) for item in items]
    require_unique(xml, zip(options, items, strict=True), "value", of)
    return DomainIssue(name, index, kind, tuple(options))


def _issue_kind(xml: XmlFile, element: Element, name: str) -> str:
    """A domain issue's type; only ``discrete`` and ``integer`` are supported."""
    kind = declared_kind(element)
    if kind == "real":
        raise xml.fail(
            f"issue {name!r} is a real-valued GENIUS issue, which accord does not support",
            element,
            hint="accord needs a finite set of options: discretise the issue",
        )
    if kind is None or kind not in ("discrete", "integer"):
        raise xml.fail(
            f"issue {name!r} has type {kind!r}; expected 'discrete' or 'integer'", element
        )
    return kind


def _integer_options(xml: XmlFile, element: Element, name: str) -> tuple[Name, ...]:
    """Every integer from ``lowerbound`` to ``upperbound``, as decimal strings."""
    low = integer(xml, element, "lowerbound")
    high = integer(xml, element, "upperbound")
    if high < low:
        raise xml.fail(f"integer issue {name!r} has upperbound {high} < lowerbound {low}", element)
    if high - low + 1 > MAX_INTEGER_VALUES:
        raise xml.fail(
            f"integer issue {name!r} has {high - low + 1:,} values; accord accepts at most "
            f"{MAX_INTEGER_VALUES:,}",
            element,
        )
    return tuple(Name(str(x), str(x)) for x in range(low, high + 1))

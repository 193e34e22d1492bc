"""Import GENIUS / ANAC negotiation domains (XML) as accord scenarios.

A GENIUS domain folder holds one *domain* file (the issues and their values) and one
*preference profile* per party (weights, evaluations, reservation value, discount
factor). The domain file is the XML file with no ``<weight>`` element; every other
XML file is a profile. This module follows GENIUS's own semantics
(``genius.core.Domain`` and ``genius.core.utility``):

* The issues are the ``<issue>`` children of ``<objective>``, in document order.
  A ``discrete`` issue's values are the ``value`` attributes of its direct ``<item>``
  children. An ``integer`` issue's values are every integer from ``lowerbound`` to
  ``upperbound``. ``real`` issues are refused: accord needs a finite set of options.
* ``<weight index=i>`` belongs to the issue whose ``index`` is i. Weights are used
  exactly as written: GENIUS does not renormalise weights read from a file.
* ``EvaluatorDiscrete``: value = evaluation / (largest evaluation among the issue's
  direct ``<item>`` children), or 0 for every value when that maximum is below 1e-5.
* ``EvaluatorInteger`` (``ftype="linear"``): value = offset + slope·(x − lowerbound),
  clipped to [0, 1], with ``lowerbound`` taken from the profile's issue element.
* ``getUtility``: u = Σ_i w_i·v_i, summed in domain issue order, then clamped at 1.

Each weight becomes a salience *exactly as written* and each value the double
``evaluation / max``. The compiled model (:mod:`accord.engine.compiled`) computes
``salience · value`` per option and sums in issue order with ``cap: 1.0``. These are
the same floating-point operations, in the same order, as GENIUS, so utilities agree
to the last bit. The discount factor is only recorded: accord's analysis is
undiscounted (t = 0).

XML is parsed with :mod:`defusedxml`, which refuses entity declarations (entity
expansion bombs) and external references (XXE). Every mistake in a file becomes a
:class:`~accord.errors.ScenarioError` naming the file and line.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from pydantic import TypeAdapter, ValidationError

from accord.errors import Location, Problem, ScenarioError
from accord.model.checks import check_scenario, suggest
from accord.model.scenario import Id, Scenario

__all__ = [
    "DISCRETE_MAX_EPS",
    "MAX_FILE_BYTES",
    "MAX_INTEGER_VALUES",
    "RESERVATION_LABEL",
    "read_genius_folder",
]

MAX_FILE_BYTES = 64 * 1024 * 1024
"""XML files larger than this are refused before parsing (real profiles are a few kB)."""

DISCRETE_MAX_EPS = 1e-5
"""GENIUS ``EvaluatorDiscrete``: below this largest evaluation, every value is worth 0."""

MAX_INTEGER_VALUES = 100_000
"""Most values an integer issue may have (``upperbound − lowerbound + 1``)."""

RESERVATION_LABEL = "No agreement (GENIUS reservation value)"

_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d{1,4})?")
_INTEGER = re.compile(r"[+-]?\d{1,18}")
_ID: TypeAdapter[str] = TypeAdapter(Id)


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
class _XmlFile:
    """A parsed XML file with the line of every element, for located messages."""

    path: Path
    root: Element
    lines: dict[int, int]

    def at(self, element: Element | None = None) -> Location:
        line = None if element is None else self.lines.get(id(element))
        return Location(str(self.path), line)

    def fail(
        self, message: str, element: Element | None = None, hint: str | None = None
    ) -> ScenarioError:
        """A :class:`ScenarioError` located at ``element`` (raise it)."""
        return ScenarioError([Problem(message, location=self.at(element), hint=hint)])


@dataclass(frozen=True)
class _Issue:
    """An issue of the domain file."""

    name: str
    index: int
    kind: str
    options: tuple[str, ...]


@dataclass(frozen=True)
class _Profile:
    """One preference profile, already in accord's terms."""

    xml: _XmlFile
    salience: dict[str, float]
    values: dict[str, dict[str, float]]
    reservation: float
    discount: float


def read_genius_folder(folder: str | Path) -> Scenario:
    """Import a GENIUS/ANAC domain folder (one domain XML, one XML per profile).

    Each profile becomes a principal party, in order of profile file name, with the
    file stem as id. Utilities follow GENIUS exactly (see the module docstring):
    saliences are the weights as written (``normalize_salience: false``), values are
    ``evaluation / max`` (discrete) or clipped linear functions (integer), and
    utilities are clamped at 1 (``cap: 1.0``). Raises :class:`ScenarioError`, with
    the file and line, for anything that is not a well-formed GENIUS domain.
    """
    directory = Path(folder)
    parsed = [_parse_xml(path) for path in _xml_files(directory)]
    domain, profile_files = _split(directory, parsed)
    issues = _read_domain(domain)
    profiles = [_read_profile(xml, issues) for xml in profile_files]
    return _build(directory, domain, profiles, issues)


def _folder_error(directory: Path, message: str, hint: str | None = None) -> ScenarioError:
    return ScenarioError([Problem(message, location=Location(str(directory)), hint=hint)])


def _xml_files(directory: Path) -> list[Path]:
    """The folder's ``*.xml`` files, sorted by name (the party order)."""
    if not directory.is_dir():
        raise _folder_error(directory, "is not a folder (expected a GENIUS domain folder)")
    try:
        files = [p for p in directory.iterdir() if p.suffix.lower() == ".xml" and p.is_file()]
    except OSError as exc:
        raise _folder_error(directory, f"cannot list the folder: {exc.strerror or exc}") from None
    if not files:
        raise _folder_error(directory, "holds no XML files (expected a GENIUS domain)")
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


def _parse_xml(path: Path) -> _XmlFile:
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
    return _XmlFile(path, root, builder.lines)


def _split(directory: Path, parsed: Sequence[_XmlFile]) -> tuple[_XmlFile, list[_XmlFile]]:
    """The domain file (no ``<weight>`` anywhere) and the profiles (all the others)."""
    domains = [xml for xml in parsed if next(xml.root.iter("weight"), None) is None]
    if not domains:
        raise _folder_error(
            directory,
            "no GENIUS domain file: every XML file has <weight> elements",
            hint="the domain file lists the issues and has no <weight>",
        )
    if len(domains) > 1:
        names = ", ".join(xml.path.name for xml in domains)
        raise _folder_error(
            directory,
            f"more than one XML file without <weight> elements ({names})",
            hint="a folder holds one GENIUS domain file; profiles have <weight> elements",
        )
    profiles = [xml for xml in parsed if xml is not domains[0]]
    if not profiles:
        raise _folder_error(
            directory, "no GENIUS preference profile (an XML file with <weight> elements)"
        )
    return domains[0], profiles


# --- attributes -------------------------------------------------------------------


def _attribute(xml: _XmlFile, element: Element, name: str) -> str:
    value = element.get(name)
    if value is None:
        raise xml.fail(f"<{element.tag}> has no {name!r} attribute", element)
    return value


def _number(xml: _XmlFile, element: Element, name: str) -> float:
    """A decimal number attribute (Java ``Double.parseDouble`` trims whitespace)."""
    text = _attribute(xml, element, name).strip()
    value = float(text) if _NUMBER.fullmatch(text) else math.nan
    if not math.isfinite(value):
        raise xml.fail(f"<{element.tag}> {name}={text!r} is not a finite number", element)
    return value


def _integer(xml: _XmlFile, element: Element, name: str) -> int:
    text = _attribute(xml, element, name).strip()
    if not _INTEGER.fullmatch(text):
        raise xml.fail(f"<{element.tag}> {name}={text!r} is not an integer", element)
    return int(text)


def _identifier(xml: _XmlFile, element: Element, name: str, what: str, of: str = "") -> str:
    """An attribute used as an accord id, kept exactly as written."""
    text = _attribute(xml, element, name)
    try:
        return _ID.validate_python(text)
    except ValidationError:
        raise xml.fail(
            f"{what} {text!r}{of} cannot be used as an id",
            element,
            hint="ids are 1 to 200 characters, without leading or trailing whitespace "
            "or line breaks",
        ) from None


def _declared_kind(element: Element) -> str | None:
    """The issue type written: the ``type`` attribute (else ``vtype``, else ``etype``)."""
    text = element.get("type") or element.get("vtype") or element.get("etype")
    return None if text is None else text.strip().lower()


def _issue_kind(xml: _XmlFile, element: Element, name: str) -> str:
    """A domain issue's type; only ``discrete`` and ``integer`` are supported."""
    kind = _declared_kind(element)
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


# --- domain -----------------------------------------------------------------------


def _utility_space(xml: _XmlFile) -> Element:
    """``<utility_space>``: the root of a profile, a child of a domain's template."""
    if xml.root.tag == "utility_space":
        return xml.root
    found = xml.root.findall("utility_space")
    if len(found) != 1:
        raise xml.fail(
            f"expected one <utility_space> in <{xml.root.tag}>, found {len(found)}", xml.root
        )
    return found[0]


def _objective(xml: _XmlFile) -> Element:
    space = _utility_space(xml)
    found = space.findall("objective")
    if len(found) != 1:
        raise xml.fail(f"expected one <objective> in <utility_space>, found {len(found)}", space)
    nested = found[0].find("objective")
    if nested is not None:
        raise xml.fail("nested <objective> elements are not supported", nested)
    return found[0]


def _read_domain(xml: _XmlFile) -> tuple[_Issue, ...]:
    """The ``<issue>`` children of ``<objective>`` in document order (GENIUS ``Domain``)."""
    objective = _objective(xml)
    elements = objective.findall("issue")
    if not elements:
        raise xml.fail("the domain's <objective> has no <issue>", objective)
    issues: list[_Issue] = []
    for element in elements:
        issue = _domain_issue(xml, element)
        for earlier in issues:
            if earlier.name != issue.name and earlier.index != issue.index:
                continue
            raise xml.fail(
                f"issue {issue.name!r} (index {issue.index}) repeats the name or index of "
                f"issue {earlier.name!r} (index {earlier.index})",
                element,
            )
        issues.append(issue)
    return tuple(issues)


def _domain_issue(xml: _XmlFile, element: Element) -> _Issue:
    name = _identifier(xml, element, "name", "issue name")
    index = _integer(xml, element, "index")
    kind = _issue_kind(xml, element, name)
    if kind == "integer":
        return _Issue(name, index, kind, _integer_options(xml, element, name))
    items = element.findall("item")
    if not items:
        raise xml.fail(f"discrete issue {name!r} has no <item> values", element)
    options: list[str] = []
    for item in items:
        option = _identifier(xml, item, "value", "value", f" of issue {name!r}")
        if option in options:
            raise xml.fail(f"issue {name!r} lists the value {option!r} twice", item)
        options.append(option)
    return _Issue(name, index, kind, tuple(options))


def _integer_options(xml: _XmlFile, element: Element, name: str) -> tuple[str, ...]:
    """Every integer from ``lowerbound`` to ``upperbound``, as decimal strings."""
    low = _integer(xml, element, "lowerbound")
    high = _integer(xml, element, "upperbound")
    if high < low:
        raise xml.fail(f"integer issue {name!r} has upperbound {high} < lowerbound {low}", element)
    if high - low + 1 > MAX_INTEGER_VALUES:
        raise xml.fail(
            f"integer issue {name!r} has {high - low + 1:,} values; accord accepts at most "
            f"{MAX_INTEGER_VALUES:,}",
            element,
        )
    return tuple(str(x) for x in range(low, high + 1))


# --- profiles ---------------------------------------------------------------------


def _read_profile(xml: _XmlFile, issues: Sequence[_Issue]) -> _Profile:
    """Weights, values, reservation value and discount factor of one profile."""
    objective = _objective(xml)
    by_index = {issue.index: issue for issue in issues}
    weights = _weights(xml, objective, by_index)
    elements = _profile_issues(xml, objective, by_index)
    values = {issue.name: _values(xml, elements[issue.index], issue) for issue in issues}
    space = _utility_space(xml)
    reservation = space.find("reservation")
    discount = space.find("discount_factor")
    return _Profile(
        xml=xml,
        salience={issue.name: weights[issue.index] for issue in issues},
        values=values,
        reservation=0.0 if reservation is None else _number(xml, reservation, "value"),
        discount=1.0 if discount is None else _discount(_number(xml, discount, "value")),
    )


def _discount(value: float) -> float:
    """GENIUS replaces a discount factor ≤ 0 or > 1 by 1 (no discounting)."""
    return 1.0 if value <= 0 or value > 1 else value


def _weights(xml: _XmlFile, objective: Element, by_index: dict[int, _Issue]) -> dict[int, float]:
    """``<weight index=i value=w>`` for every issue, matched by the issue's ``index``."""
    weights: dict[int, float] = {}
    for element in objective.findall("weight"):
        index = _integer(xml, element, "index")
        if index not in by_index:
            known = ", ".join(f"{i} ({issue.name})" for i, issue in by_index.items())
            raise xml.fail(
                f"<weight index={index}> refers to no issue of the domain",
                element,
                hint=f"the domain's issue indices are {known}",
            )
        if index in weights:
            raise xml.fail(f"a second <weight> for index {index}", element)
        weight = _number(xml, element, "value")
        if weight < 0:
            raise xml.fail(f"weight {weight:g} of index {index} is negative", element)
        weights[index] = weight
    for index, issue in by_index.items():
        if index not in weights:
            raise xml.fail(f"no <weight> for issue {issue.name!r} (index {index})", objective)
    return weights


def _profile_issues(
    xml: _XmlFile, objective: Element, by_index: dict[int, _Issue]
) -> dict[int, Element]:
    """The profile's ``<issue>`` elements by index; each must match a domain issue."""
    found: dict[int, Element] = {}
    for element in objective.findall("issue"):
        index = _integer(xml, element, "index")
        issue = by_index.get(index)
        name = element.get("name")
        if issue is None:
            raise xml.fail(f"issue {name!r} has index {index}, which the domain lacks", element)
        if name is not None and name != issue.name:
            raise xml.fail(
                f"issue {name!r} has index {index}, but in the domain that is {issue.name!r}",
                element,
                hint="is this profile for another domain?",
            )
        if index in found:
            raise xml.fail(f"issue {issue.name!r} (index {index}) appears twice", element)
        declared = _declared_kind(element)
        if declared is not None and declared != issue.kind:
            raise xml.fail(
                f"issue {issue.name!r} is {declared} here but {issue.kind} in the domain", element
            )
        found[index] = element
    for index, issue in by_index.items():
        if index not in found:
            raise xml.fail(f"no <issue> for {issue.name!r} (index {index})", objective)
    return found


def _values(xml: _XmlFile, element: Element, issue: _Issue) -> dict[str, float]:
    if issue.kind == "integer":
        return _integer_values(xml, element, issue)
    return _discrete_values(xml, element, issue)


def _discrete_values(xml: _XmlFile, element: Element, issue: _Issue) -> dict[str, float]:
    """GENIUS ``EvaluatorDiscrete``: evaluation / max over the direct ``<item>`` children
    (deeper items, such as ``similarity_function`` criteria, are ignored); all 0 when
    that max is below 1e-5."""
    evaluations: dict[str, float] = {}
    for item in element.findall("item"):
        value = _attribute(xml, item, "value")
        if value not in issue.options:
            hint = suggest(value, issue.options)
            raise xml.fail(f"issue {issue.name!r} has no value {value!r}", item, hint=hint)
        if value in evaluations:
            raise xml.fail(f"value {value!r} of issue {issue.name!r} appears twice", item)
        evaluation = _number(xml, item, "evaluation")
        if evaluation < 0:
            raise xml.fail(f"evaluation {evaluation:g} of {value!r} is negative", item)
        evaluations[value] = evaluation
    missing = [option for option in issue.options if option not in evaluations]
    if missing:
        shown = ", ".join(repr(option) for option in missing)
        raise xml.fail(f"issue {issue.name!r} has no evaluation for {shown}", element)
    top = max(evaluations.values())
    if top < DISCRETE_MAX_EPS:
        return dict.fromkeys(issue.options, 0.0)
    return {option: evaluations[option] / top for option in issue.options}


def _integer_values(xml: _XmlFile, element: Element, issue: _Issue) -> dict[str, float]:
    """GENIUS ``EvaluatorInteger``: offset + slope·(x − lowerbound) clipped to [0, 1],
    ``lowerbound`` from the profile's issue element; only ``ftype="linear"``."""
    evaluators = element.findall("evaluator")
    if len(evaluators) != 1:
        raise xml.fail(
            f"integer issue {issue.name!r} needs one <evaluator>, found {len(evaluators)}",
            element,
        )
    evaluator = evaluators[0]
    ftype = evaluator.get("ftype")
    if ftype != "linear" or evaluator.get("slope") is None or evaluator.get("offset") is None:
        raise xml.fail(
            f'integer issue {issue.name!r}: only <evaluator ftype="linear" slope=… '
            f"offset=…> is supported (found ftype={ftype!r})",
            evaluator,
        )
    low = _integer(xml, element, "lowerbound")
    slope = _number(xml, evaluator, "slope")
    offset = _number(xml, evaluator, "offset")
    return {
        option: min(max(offset + slope * (int(option) - low), 0.0), 1.0) for option in issue.options
    }


# --- scenario ---------------------------------------------------------------------


def _source_id(path: Path) -> str:
    return f"genius-{path.stem}"


def _party(profile: _Profile) -> dict[str, Any]:
    path = profile.xml.path
    return {
        "id": path.stem,
        "name": path.stem,
        "role": "principal",
        "description": (
            f"GENIUS preference profile {path.name}. Discount factor {profile.discount!r} "
            "(recorded only: the analysis is undiscounted)."
        ),
        "preferences": {
            "evidence": [
                {
                    "source": _source_id(path),
                    "note": "weights, evaluations and reservation value of this profile",
                }
            ],
            "salience": profile.salience,
            "values": profile.values,
            "reservation": {"value": profile.reservation, "label": RESERVATION_LABEL},
        },
    }


def _issue(issue: _Issue) -> dict[str, Any]:
    data: dict[str, Any] = {"id": issue.name, "options": [{"id": o} for o in issue.options]}
    if issue.kind == "integer":
        data["ordered"] = True
        data["description"] = f"GENIUS integer issue, {issue.options[0]} to {issue.options[-1]}"
    return data


def _build(
    directory: Path, domain: _XmlFile, profiles: Sequence[_Profile], issues: Sequence[_Issue]
) -> Scenario:
    """Assemble, validate and check the scenario; problems are located at the folder."""
    name = directory.resolve().name
    files = [domain.path, *(profile.xml.path for profile in profiles)]
    data = {
        "id": name,
        "title": f"GENIUS domain {name}",
        "description": (
            f"Imported from the GENIUS domain file {domain.path.name} and "
            f"{len(profiles)} preference profiles. Utilities follow GENIUS: weights as "
            "written, evaluations divided by the issue's largest, sums clamped at 1."
        ),
        "utility": {"normalize_salience": False, "cap": 1.0},
        "sources": [{"id": _source_id(p), "title": p.name, "file": str(p)} for p in files],
        "parties": [_party(profile) for profile in profiles],
        "issues": [_issue(issue) for issue in issues],
    }
    where = Location(str(directory))
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(
            Problem(
                str(error["msg"]),
                path=tuple(p for p in error["loc"] if isinstance(p, str | int)),
                location=where,
            )
            for error in exc.errors(include_url=False)
        ) from None
    problems = check_scenario(scenario)
    if problems:
        raise ScenarioError(Problem(p.message, p.path, where, p.hint) for p in problems)
    return scenario

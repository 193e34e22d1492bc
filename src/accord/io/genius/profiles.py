"""GENIUS preference profiles: weights, evaluators, reservation value, discount factor
(``genius.core.utility``), turned into accord saliences and option values.

* ``<weight index=i>`` belongs to the issue whose ``index`` is i. Weights are used
  exactly as written: GENIUS does not renormalise weights read from a file.
* ``EvaluatorDiscrete``: value = evaluation / (largest evaluation among the issue's
  direct ``<item>`` children), or 0 for every value when that maximum is below 1e-5.
  Items are matched to the domain's values by their exact text, as GENIUS does.
* ``EvaluatorInteger`` (``ftype="linear"``): value = offset + slope·(x − lowerbound),
  clipped to [0, 1], with ``lowerbound`` taken from the profile's issue element.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from accord.io.genius.domain import DomainIssue, objective, utility_space
from accord.io.genius.names import clean_id
from accord.io.genius.xml_file import XmlFile, attribute, declared_kind, integer, number
from accord.model.checks import suggest

__all__ = ["DISCRETE_MAX_EPS", "Profile", "read_profile"]

DISCRETE_MAX_EPS = 1e-5
"""GENIUS ``EvaluatorDiscrete``: below this largest evaluation, every value is worth 0."""


@dataclass(frozen=True)
class Profile:
    """One preference profile in accord's terms (keyed by issue and option ids)."""

    xml: XmlFile
    salience: dict[str, float]
    values: dict[str, dict[str, float]]
    reservation: float
    discount: float


def read_profile(xml: XmlFile, issues: Sequence[DomainIssue]) -> Profile:
    """Weights, values, reservation value and discount factor of one profile."""
    root = objective(xml)
    by_index = {issue.index: issue for issue in issues}
    weights = _weights(xml, root, by_index)
    elements = _profile_issues(xml, root, by_index)
    values = {issue.name.id: _values(xml, elements[issue.index], issue) for issue in issues}
    space = utility_space(xml)
    reservation = space.find("reservation")
    discount = space.find("discount_factor")
    return Profile(
        xml=xml,
        salience={issue.name.id: weights[issue.index] for issue in issues},
        values=values,
        reservation=0.0 if reservation is None else number(xml, reservation, "value"),
        discount=1.0 if discount is None else _discount(number(xml, discount, "value")),
    )


def _discount(value: float) -> float:
    """GENIUS replaces a discount factor ≤ 0 or > 1 by 1 (no discounting)."""
    return 1.0 if value <= 0 or value > 1 else value


def _weights(xml: XmlFile, root: Element, by_index: dict[int, DomainIssue]) -> dict[int, float]:
    """``<weight index=i value=w>`` for every issue, matched by the issue's ``index``."""
    weights: dict[int, float] = {}
    for element in root.findall("weight"):
        index = integer(xml, element, "index")
        if index not in by_index:
            known = ", ".join(f"{i} ({issue.name.text})" for i, issue in by_index.items())
            raise xml.fail(
                f"<weight index={index}> refers to no issue of the domain",
                element,
                hint=f"the domain's issue indices are {known}",
            )
        if index in weights:
            raise xml.fail(f"a second <weight> for index {index}", element)
        weight = number(xml, element, "value")
        if weight < 0:
            raise xml.fail(f"weight {weight:g} of index {index} is negative", element)
        weights[index] = weight
    for index, issue in by_index.items():
        if index not in weights:
            raise xml.fail(f"no <weight> for issue {issue.name.text!r} (index {index})", root)
    return weights


def _profile_issues(
    xml: XmlFile, root: Element, by_index: dict[int, DomainIssue]
) -> dict[int, Element]:
    """The profile's ``<issue>`` elements by index; each must match a domain issue (GENIUS
    matches by index; a name, if given, must name the same issue up to whitespace)."""
    found: dict[int, Element] = {}
    for element in root.findall("issue"):
        index = integer(xml, element, "index")
        issue = by_index.get(index)
        name = element.get("name")
        if issue is None:
            raise xml.fail(f"issue {name!r} has index {index}, which the domain lacks", element)
        if name is not None and clean_id(name) != issue.name.id:
            raise xml.fail(
                f"issue {name!r} has index {index}, but in the domain that is {issue.name.text!r}",
                element,
                hint="is this profile for another domain?",
            )
        if index in found:
            raise xml.fail(f"issue {issue.name.text!r} (index {index}) appears twice", element)
        declared = declared_kind(element)
        if declared is not None and declared != issue.kind:
            raise xml.fail(
                f"issue {issue.name.text!r} is {declared} here but {issue.kind} in the domain",
                element,
            )
        found[index] = element
    for index, issue in by_index.items():
        if index not in found:
            raise xml.fail(f"no <issue> for {issue.name.text!r} (index {index})", root)
    return found


def _values(xml: XmlFile, element: Element, issue: DomainIssue) -> dict[str, float]:
    if issue.kind == "integer":
        return _integer_values(xml, element, issue)
    return _discrete_values(xml, element, issue)


def _discrete_values(xml: XmlFile, element: Element, issue: DomainIssue) -> dict[str, float]:
    """GENIUS ``EvaluatorDiscrete``: evaluation / max over the direct ``<item>`` children
    (deeper items, such as ``similarity_function`` criteria, are ignored); all 0 when
    that max is below 1e-5. Keyed by option id."""
    texts = issue.option_texts()
    evaluations: dict[str, float] = {}
    for item in element.findall("item"):
        value = attribute(xml, item, "value")
        if value not in texts:
            hint = suggest(value, texts)
            raise xml.fail(f"issue {issue.name.text!r} has no value {value!r}", item, hint=hint)
        if value in evaluations:
            raise xml.fail(f"value {value!r} of issue {issue.name.text!r} appears twice", item)
        evaluation = number(xml, item, "evaluation")
        if evaluation < 0:
            raise xml.fail(f"evaluation {evaluation:g} of {value!r} is negative", item)
        evaluations[value] = evaluation
    missing = [text for text in texts if text not in evaluations]
    if missing:
        shown = ", ".join(repr(text) for text in missing)
        raise xml.fail(f"issue {issue.name.text!r} has no evaluation for {shown}", element)
    top = max(evaluations.values())
    if top < DISCRETE_MAX_EPS:
        return {option.id: 0.0 for option in issue.options}
    return {option.id: evaluations[option.text] / top for option in issue.options}


def _integer_values(xml: XmlFile, element: Element, issue: DomainIssue) -> dict[str, float]:
    """GENIUS ``EvaluatorInteger``: offset + slope·(x − lowerbound) clipped to [0, 1],
    ``lowerbound`` from the profile's issue element; only ``ftype="linear"``."""
    evaluators = element.findall("evaluator")
    if len(evaluators) != 1:
        raise xml.fail(
            f"integer issue {issue.name.text!r} needs one <evaluator>, found {len(evaluators)}",
            element,
        )
    evaluator = evaluators[0]
    ftype = evaluator.get("ftype")
    if ftype != "linear" or evaluator.get("slope") is None or evaluator.get("offset") is None:
        raise xml.fail(
            f'integer issue {issue.name.text!r}: only <evaluator ftype="linear" slope=… '
            f"offset=…> is supported (found ftype={ftype!r})",
            evaluator,
        )
    low = integer(xml, element, "lowerbound")
    slope = number(xml, evaluator, "slope")
    offset = number(xml, evaluator, "offset")
    return {
        option.id: min(max(offset + slope * (int(option.text) - low), 0.0), 1.0)
        for option in issue.options
    }

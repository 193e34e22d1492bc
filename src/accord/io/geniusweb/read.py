"""Reading GeniusWeb JSON: a domain and profiles → an accord scenario.

GeniusWeb's semantics (``geniusweb.profile.utilityspace``), kept exactly:

* ``LinearAdditiveUtilitySpace``: u = Σ_i w_i·u_i(x_i) with the weights as written.
  ``DiscreteValueSetUtilities`` (older spelling ``discreteutils``) gives each value its
  utility (a value not listed is worth 0); ``NumberValueSetUtilities`` (``numberutils``)
  interpolates linearly from (lowValue, lowUtility) to (highValue, highUtility) and gives
  0 outside [lowValue, highValue]. Each weight becomes a salience (``normalize_salience:
  false``), each value utility an option value.
* ``SumOfGroupsUtilitySpace``: u = Σ_groups util(values of the group's issues). A group
  of one issue becomes a salience (its largest util) and values (util / largest); a group
  of several issues becomes one interaction term per listed combination (issues in such
  groups weigh 0 on their own), so utilities are the same sums.
* ``reservationBid``: the reservation value is that bid's utility (no bid: 0).

Issues with ``values`` become options as written; ``range`` issues (``low``, ``high``,
``step``) become one option per number. Every mistake is a located
:class:`~accord.errors.ScenarioError` naming the file and the JSON path.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from accord.errors import Location, Problem, ScenarioError
from accord.io.genius.names import clean_id
from accord.model.checks import check_scenario
from accord.model.scenario import Scenario

__all__ = ["MAX_RANGE_VALUES", "PROFILE_KINDS", "read_geniusweb"]

MAX_RANGE_VALUES = 100_000
PROFILE_KINDS = ("LinearAdditiveUtilitySpace", "SumOfGroupsUtilitySpace")
_DISCRETE = ("DiscreteValueSetUtilities", "discreteutils")
_NUMBER = ("NumberValueSetUtilities", "numberutils")
_MAX_BYTES = 64 * 1024 * 1024


class _File:
    """One JSON file and the path inside it, for located messages."""

    def __init__(self, path: Path, data: Any) -> None:
        self.path = path
        self.data = data

    def fail(self, message: str, *where: str | int, hint: str | None = None) -> ScenarioError:
        return ScenarioError([Problem(message, tuple(where), Location(str(self.path)), hint)])


def _load(path: Path) -> _File:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ScenarioError(
            [Problem(f"cannot read: {error.strerror or error}", (), Location(str(path)))]
        ) from None
    if len(data) > _MAX_BYTES:
        raise ScenarioError([Problem("refused: larger than 64 MB", (), Location(str(path)))])
    try:
        parsed = json.loads(data, parse_float=Decimal, parse_int=Decimal)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        line = getattr(error, "lineno", None)
        column = getattr(error, "colno", None)
        reason = getattr(error, "msg", str(error))
        raise ScenarioError(
            [Problem(f"not valid JSON: {reason}", (), Location(str(path), line, column))]
        ) from None
    return _File(path, parsed)


def _mapping(file: _File, value: Any, *where: str | int) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise file.fail(f"expected an object, found {_kind(value)}", *where)
    return value


def _number(file: _File, value: Any, *where: str | int) -> Decimal:
    if isinstance(value, Decimal) and value.is_finite():
        return value
    if isinstance(value, str):
        try:
            parsed = Decimal(value)
        except InvalidOperation:
            parsed = Decimal("nan")
        if parsed.is_finite():
            return parsed
    raise file.fail(f"expected a number, found {_kind(value)}", *where)


def _kind(value: Any) -> str:
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _value_text(value: Any) -> str:
    """A value as an option id: strings as written, numbers in plain decimal."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    return str(value)


def _issues(file: _File, domain: Any, *where: str | int) -> dict[str, list[str]]:
    spec = _mapping(file, domain, *where)
    values = _mapping(file, spec.get("issuesValues"), *where, "issuesValues")
    if not values:
        raise file.fail("the domain has no issues", *where, "issuesValues")
    return {
        name: _issue_values(file, v, *where, "issuesValues", name) for name, v in values.items()
    }


def _issue_values(file: _File, spec: Any, *where: str | int) -> list[str]:
    body = _mapping(file, spec, *where)
    if "values" in body:
        listed = body["values"]
        if not isinstance(listed, list) or not listed:
            raise file.fail("expected a non-empty list of values", *where, "values")
        texts = [_value_text(v) for v in listed]
        if len(set(texts)) != len(texts):
            raise file.fail("a value is listed twice", *where, "values")
        return texts
    if "range" in body:
        return _range_values(file, body["range"], *where, "range")
    raise file.fail("an issue needs `values` (discrete) or `range` (numbers)", *where)


def _range_values(file: _File, spec: Any, *where: str | int) -> list[str]:
    body = _mapping(file, spec, *where)
    low, high, step = (_number(file, body.get(k), *where, k) for k in ("low", "high", "step"))
    if step <= 0 or high < low:
        raise file.fail(f"range low {low}, high {high}, step {step} is empty", *where)
    count = int((high - low) / step) + 1
    if count > MAX_RANGE_VALUES:
        raise file.fail(
            f"range has {count:,} values; accord accepts at most {MAX_RANGE_VALUES:,}", *where
        )
    return [_value_text(low + k * step) for k in range(count)]


def _profile_body(file: _File) -> tuple[str, Mapping[str, Any]]:
    top = _mapping(file, file.data)
    kinds = [k for k in PROFILE_KINDS if k in top]
    if len(top) != 1 or not kinds:
        raise file.fail(
            "not a GeniusWeb profile: expected one key, "
            + " or ".join(repr(k) for k in PROFILE_KINDS),
            hint="a domain file has `name` and `issuesValues`",
        )
    return kinds[0], _mapping(file, top[kinds[0]], kinds[0])


def _discrete_utilities(
    file: _File, spec: Any, options: list[str], *where: str | int
) -> dict[str, float]:
    table = _mapping(
        file, _mapping(file, spec, *where).get("valueUtilities"), *where, "valueUtilities"
    )
    for value in table:
        if value not in options:
            raise file.fail(
                f"value {value!r} is not in the domain", *where, "valueUtilities", value
            )
    result = {}
    for option in options:
        utility = _number(file, table.get(option, Decimal(0)), *where, "valueUtilities", option)
        if not 0 <= utility <= 1:
            raise file.fail(
                f"utility {utility} is outside [0, 1]", *where, "valueUtilities", option
            )
        result[option] = float(utility)
    return result


def _number_utilities(
    file: _File, spec: Any, options: list[str], *where: str | int
) -> dict[str, float]:
    body = _mapping(file, spec, *where)
    names = ("lowValue", "lowUtility", "highValue", "highUtility")
    low, low_u, high, high_u = (_number(file, body.get(k), *where, k) for k in names)
    if high <= low:
        raise file.fail(f"highValue {high} must be above lowValue {low}", *where)
    result = {}
    for option in options:
        try:
            x = Decimal(option)
        except InvalidOperation:
            raise file.fail(f"value {option!r} of a number issue is not a number", *where) from None
        inside = low <= x <= high
        result[option] = (
            float(low_u + (high_u - low_u) * (x - low) / (high - low)) if inside else 0.0
        )
    return result


def _value_utilities(
    file: _File, spec: Any, options: list[str], *where: str | int
) -> dict[str, float]:
    body = _mapping(file, spec, *where)
    if len(body) == 1:
        ((kind, inner),) = body.items()
        if kind in _DISCRETE:
            return _discrete_utilities(file, inner, options, *where, kind)
        if kind in _NUMBER:
            return _number_utilities(file, inner, options, *where, kind)
    raise file.fail(
        "expected DiscreteValueSetUtilities or NumberValueSetUtilities "
        "(or discreteutils / numberutils)",
        *where,
    )


def _linear(
    file: _File, body: Mapping[str, Any], issues: dict[str, list[str]], kind: str
) -> dict[str, Any]:
    weights = _mapping(file, body.get("issueWeights"), kind, "issueWeights")
    utilities = _mapping(file, body.get("issueUtilities"), kind, "issueUtilities")
    salience: dict[str, float] = {}
    values: dict[str, dict[str, float]] = {}
    for issue, options in issues.items():
        if issue not in utilities or issue not in weights:
            raise file.fail(f"issue {issue!r} has no weight or no utilities", kind)
        weight = _number(file, weights[issue], kind, "issueWeights", issue)
        if weight < 0:
            raise file.fail(f"weight {weight} is negative", kind, "issueWeights", issue)
        salience[issue] = float(weight)
        values[issue] = _value_utilities(
            file, utilities[issue], options, kind, "issueUtilities", issue
        )
    extra = set(weights) | set(utilities)
    for issue in extra - set(issues):
        raise file.fail(f"issue {issue!r} is not in the domain", kind)
    return {"salience": salience, "values": values, "interactions": []}


def _groups(
    file: _File, body: Mapping[str, Any], issues: dict[str, list[str]], kind: str
) -> dict[str, Any]:
    parts = _mapping(file, body.get("partUtilities"), kind, "partUtilities")
    salience: dict[str, float] = dict.fromkeys(issues, 0.0)
    values: dict[str, dict[str, float]] = {}
    interactions: list[dict[str, Any]] = []
    for name, part in parts.items():
        where = (kind, "partUtilities", name, "partsutils")
        inner = _mapping(file, _mapping(file, part, *where[:-1]).get("partsutils"), *where)
        members = inner.get("issues")
        if not isinstance(members, list) or not members or any(m not in issues for m in members):
            raise file.fail("`issues` must list issues of the domain", *where, "issues")
        rows = inner.get("utilslist")
        if not isinstance(rows, list):
            raise file.fail("expected a list", *where, "utilslist")
        combos = [
            _combo(file, row, members, issues, *where, "utilslist", n) for n, row in enumerate(rows)
        ]
        if len(members) == 1:
            utils = {combo[0]: util for combo, util in combos}
            top = max(utils.values(), default=0.0)
            salience[members[0]] = top
            values[members[0]] = {
                o: (utils.get(o, 0.0) / top if top > 0 else 0.0) for o in issues[members[0]]
            }
        else:
            for combo, util in combos:
                if util != 0:
                    when = dict(zip(members, combo, strict=True))
                    interactions.append(
                        {"when": when, "value": util, "reason": f"GeniusWeb group {name}"}
                    )
    if not any(w > 0 for w in salience.values()):
        salience[next(iter(issues))] = 1.0
        values[next(iter(issues))] = dict.fromkeys(issues[next(iter(issues))], 0.0)
    return {"salience": salience, "values": values, "interactions": interactions}


def _combo(
    file: _File, row: Any, members: list[Any], issues: dict[str, list[str]], *where: str | int
) -> tuple[tuple[str, ...], float]:
    body = _mapping(file, row, *where)
    listed = body.get("values")
    if not isinstance(listed, list) or len(listed) != len(members):
        raise file.fail(f"expected a list of {len(members)} values", *where, "values")
    combo = tuple(_value_text(v) for v in listed)
    for issue, value in zip(members, combo, strict=True):
        if value not in issues[issue]:
            raise file.fail(f"value {value!r} is not in issue {issue!r}", *where, "values")
    util = _number(file, body.get("util"), *where, "util")
    if not 0 <= util <= 1:
        raise file.fail(f"util {util} is outside [0, 1]", *where, "util")
    return combo, float(util)


def _utility(prefs: Mapping[str, Any], bid: Mapping[str, str]) -> float:
    """The utility of one complete bid under the preferences built above."""
    total = sum(
        prefs["salience"][i] * prefs["values"].get(i, {}).get(v, 0.0) for i, v in bid.items()
    )
    for term in prefs["interactions"]:
        if all(bid.get(issue) == value for issue, value in term["when"].items()):
            total += term["value"]
    return float(total)


def _reservation(
    file: _File,
    body: Mapping[str, Any],
    issues: dict[str, list[str]],
    prefs: Mapping[str, Any],
    kind: str,
) -> dict[str, Any]:
    bid = body.get("reservationBid")
    if bid is None:
        return {"value": 0.0, "label": "No agreement (GeniusWeb: no reservation bid)"}
    chosen = _mapping(
        file,
        _mapping(file, bid, kind, "reservationBid").get("issuevalues"),
        kind,
        "reservationBid",
        "issuevalues",
    )
    outcome = {issue: _value_text(value) for issue, value in chosen.items()}
    for issue, value in outcome.items():
        if issue not in issues or value not in issues[issue]:
            raise file.fail(
                f"{issue!r}: {value!r} is not in the domain",
                kind,
                "reservationBid",
                "issuevalues",
                issue,
            )
    shown = ", ".join(f"{i}={v}" for i, v in outcome.items())
    return {
        "value": _utility(prefs, outcome),
        "label": f"No agreement (GeniusWeb reservation bid: {shown})",
    }


def _party(file: _File, issues: dict[str, list[str]], ids: dict[str, str]) -> dict[str, Any]:
    kind, body = _profile_body(file)
    own = _issues(file, body.get("domain"), kind, "domain")
    if own != issues:
        raise file.fail(
            "this profile's domain differs from the domain of the other files", kind, "domain"
        )
    prefs = (
        _linear(file, body, issues, kind)
        if kind == PROFILE_KINDS[0]
        else _groups(file, body, issues, kind)
    )
    prefs["reservation"] = _reservation(file, body, issues, prefs, kind)
    given = body.get("name")
    name = given if isinstance(given, str) and given.strip() else file.path.stem
    return {
        "id": clean_id(name),
        "name": name,
        "role": "principal",
        "description": f"GeniusWeb {kind} profile {file.path.name}",
        "preferences": _renamed(prefs, ids),
    }


def _renamed(prefs: dict[str, Any], ids: dict[str, str]) -> dict[str, Any]:
    """The preferences keyed by clean issue ids."""
    return {
        "salience": {ids[i]: w for i, w in prefs["salience"].items()},
        "values": {
            ids[i]: {clean_id(o): v for o, v in vals.items()} for i, vals in prefs["values"].items()
        },
        "interactions": [
            {**t, "when": {ids[i]: clean_id(o) for i, o in t["when"].items()}}
            for t in prefs["interactions"]
        ],
        "reservation": prefs["reservation"],
    }


def read_geniusweb(source: str | Path) -> Scenario:
    """A GeniusWeb folder (a domain JSON and profile JSONs, or profiles alone, each of
    which carries its domain) or one profile file, as a validated scenario. Each profile
    is a principal party named by the profile's ``name``; saliences are the weights as
    written (``normalize_salience: false``)."""
    path = Path(source)
    if path.is_dir():
        files = sorted(
            (p for p in path.iterdir() if p.suffix.lower() == ".json" and p.is_file()),
            key=lambda p: p.name,
        )
    elif path.is_file():
        files = [path]
    else:
        raise ScenarioError([Problem("no such file or folder", (), Location(str(path)))])
    loaded = [_load(p) for p in files]
    domains = [f for f in loaded if isinstance(f.data, Mapping) and "issuesValues" in f.data]
    profiles = [f for f in loaded if f not in domains]
    if not profiles:
        raise ScenarioError(
            [
                Problem(
                    "no GeniusWeb profile (a JSON file with LinearAdditiveUtilitySpace or "
                    "SumOfGroupsUtilitySpace)",
                    (),
                    Location(str(path)),
                )
            ]
        )
    if len(domains) > 1:
        raise domains[1].fail(f"a second domain file (the first is {domains[0].path.name})")
    if domains:
        issues = _issues(domains[0], domains[0].data)
        name = str(domains[0].data.get("name") or path.stem)
    else:
        kind, body = _profile_body(profiles[0])
        issues = _issues(profiles[0], body.get("domain"), kind, "domain")
        name = str(_mapping(profiles[0], body.get("domain")).get("name") or path.stem)
    ids = {issue: clean_id(issue) for issue in issues}
    data = {
        "id": clean_id(name) or "geniusweb",
        "title": f"GeniusWeb domain {name}",
        "description": f"Imported from GeniusWeb JSON ({len(profiles)} profiles); "
        "utilities as GeniusWeb computes them.",
        "utility": {"normalize_salience": False},
        "parties": [_party(f, issues, ids) for f in profiles],
        "issues": [
            {
                "id": ids[i],
                **({"title": i} if ids[i] != i else {}),
                "options": [
                    {"id": clean_id(o), **({"label": o} if clean_id(o) != o else {})} for o in opts
                ],
            }
            for i, opts in issues.items()
        ],
    }
    return _validated(data, Location(str(path)))


def _validated(data: dict[str, Any], where: Location) -> Scenario:
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(
            Problem(str(e["msg"]), tuple(p for p in e["loc"] if isinstance(p, str | int)), where)
            for e in exc.errors(include_url=False)
        ) from None
    problems = check_scenario(scenario)
    if problems:
        raise ScenarioError(Problem(p.message, p.path, where, p.hint) for p in problems)
    return scenario

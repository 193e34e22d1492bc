"""Checks that span the scenario: unique ids, references between parts, complete values.

The schema (pydantic) checks each value's shape; these checks need the whole
scenario. Each returns :class:`~accord.errors.Problem` values carrying the path of
the offending value, so the loader can point at its line, with a "did you mean"
for ids that are close to a real one.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping, Sequence

from accord.errors import Path, Problem
from accord.model.scenario import Citation, Party, Scenario
from accord.model.uncertainty import check_ranges
from accord.model.walk import walk

__all__ = ["check_scenario", "suggest"]

_VALUE_TOLERANCE = 1e-12


def suggest(word: str, choices: Iterable[str]) -> str | None:
    """A "did you mean" hint for a misspelt id or key, when one is close enough."""
    matches = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f"did you mean {matches[0]!r}?" if matches else None


def _unknown(kind: str, word: str, choices: Sequence[str], path: Path) -> Problem:
    choices = list(dict.fromkeys(choices))  # a duplicated id is listed once
    hint = suggest(word, choices)
    if hint is None:
        shown = ", ".join(repr(c) for c in choices[:12])
        hint = f"expected one of {shown}" + (" …" if len(choices) > 12 else "")
    return Problem(f"unknown {kind} {word!r}", path=path, hint=hint)


def check_scenario(scenario: Scenario) -> list[Problem]:
    """Every cross-reference problem in ``scenario`` (empty when it is consistent)."""
    problems: list[Problem] = []
    problems += _duplicates([s.id for s in scenario.sources], "source", ("sources",))
    problems += _duplicates([p.id for p in scenario.parties], "party", ("parties",))
    problems += _duplicates([i.id for i in scenario.issues], "issue", ("issues",))
    for index, issue in enumerate(scenario.issues):
        problems += _duplicates(list(issue.option_ids()), "option", ("issues", index, "options"))
    options: dict[str, tuple[str, ...]] = {}
    for issue in scenario.issues:  # a duplicated issue id means its first use
        options.setdefault(issue.id, issue.option_ids())
    source_ids = [s.id for s in scenario.sources]
    party_ids = [p.id for p in scenario.parties]
    for index, party in enumerate(scenario.parties):
        if party.capability is not None and not 0 <= party.capability.value <= 1:
            problems.append(
                Problem(
                    f"capability must lie in [0, 1] (found {party.capability.value:g})",
                    path=("parties", index, "capability"),
                )
            )
        problems += _check_party(party, ("parties", index), options)
    for index, channel in enumerate(scenario.channels.pairs):
        path: Path = ("channels", "pairs", index, "between")
        for side, party_id in enumerate(channel.between):
            if party_id not in party_ids:
                problems.append(_unknown("party", party_id, party_ids, (*path, side)))
        if channel.between[0] == channel.between[1]:
            problems.append(Problem("a channel joins two different parties", path=path))
    if scenario.reference is not None:
        problems += _check_outcome(scenario.reference.outcome, ("reference", "outcome"), options)
    problems += _check_blocs(scenario)
    problems += check_ranges(scenario)
    for citation, path in _citations(scenario):
        if citation.source not in source_ids:
            problems.append(_unknown("source", citation.source, source_ids, (*path, "source")))
    return problems


def _check_blocs(scenario: Scenario) -> Iterator[Problem]:
    """Each entry of ``blocs`` names a bloc some party belongs to, once, with a
    capability in [0, 1]."""
    named = [p.bloc for p in scenario.parties if p.bloc is not None]
    seen: dict[str, int] = {}
    for index, bloc in enumerate(scenario.blocs):
        path: Path = ("blocs", index)
        if bloc.name in seen:
            yield Problem(
                f"duplicate bloc {bloc.name!r} (first given at index {seen[bloc.name]})",
                path=(*path, "name"),
            )
        seen.setdefault(bloc.name, index)
        if bloc.name not in named:
            yield _unknown("bloc", bloc.name, named or ["(no party names a bloc)"], (*path, "name"))
        if bloc.capability is not None and not 0 <= bloc.capability.value <= 1:
            yield Problem(
                f"capability must lie in [0, 1] (found {bloc.capability.value:g})",
                path=(*path, "capability"),
            )


def _duplicates(ids: Sequence[str], kind: str, path: Path) -> Iterator[Problem]:
    seen: dict[str, int] = {}
    for index, item in enumerate(ids):
        if item in seen:
            yield Problem(
                f"duplicate {kind} id {item!r} (first used at index {seen[item]})",
                path=(*path, index, "id"),
            )
        else:
            seen[item] = index


def _check_party(
    party: Party, path: Path, options: Mapping[str, Sequence[str]]
) -> Iterator[Problem]:
    prefs = party.preferences
    if prefs is None:
        return
    path = (*path, "preferences")
    issue_ids = list(options)
    for issue_id, weight in prefs.salience.items():
        where: Path = (*path, "salience", issue_id)
        if issue_id not in options:
            yield _unknown("issue", issue_id, issue_ids, where)
        elif weight.value < 0:
            yield Problem(f"salience must be ≥ 0 (found {weight.value:g})", path=where)
    if sum(max(w.value, 0.0) for w in prefs.salience.values()) <= 0:
        yield Problem("salience weights are all zero: the party cares about nothing", path=path)
    for issue_id, values in prefs.values.items():
        where = (*path, "values", issue_id)
        if issue_id not in options:
            yield _unknown("issue", issue_id, issue_ids, where)
            continue
        for option_id, value in values.items():
            if option_id not in options[issue_id]:
                yield _unknown("option", option_id, options[issue_id], (*where, option_id))
            elif not -_VALUE_TOLERANCE <= value.value <= 1 + _VALUE_TOLERANCE:
                yield Problem(
                    f"option values must lie in [0, 1] (found {value.value:g})",
                    path=(*where, option_id),
                )
    for issue_id, weight in prefs.salience.items():
        if issue_id in options and weight.value > 0:
            given = prefs.values.get(issue_id, {})
            missing = [o for o in options[issue_id] if o not in given]
            if missing:
                yield Problem(
                    f"issue {issue_id!r} has salience {weight.value:g} but no value for "
                    + ", ".join(repr(m) for m in missing),
                    path=(*path, "values", issue_id),
                )
    for kind in ("interactions", "red_lines"):
        for index, item in enumerate(getattr(prefs, kind)):
            yield from _check_outcome(
                item.when, (*path, kind, index, "when"), options, partial=True
            )


def _check_outcome(
    outcome: Mapping[str, str | Sequence[str]],
    path: Path,
    options: Mapping[str, Sequence[str]],
    partial: bool = False,
) -> Iterator[Problem]:
    issue_ids = list(options)
    for issue_id, chosen in outcome.items():
        if issue_id not in options:
            yield _unknown("issue", issue_id, issue_ids, (*path, issue_id))
            continue
        chosen_ids = [chosen] if isinstance(chosen, str) else list(chosen)
        for position, option_id in enumerate(chosen_ids):
            if option_id not in options[issue_id]:
                where = (
                    (*path, issue_id) if isinstance(chosen, str) else (*path, issue_id, position)
                )
                yield _unknown("option", option_id, options[issue_id], where)
    if not partial:
        missing = [i for i in issue_ids if i not in outcome]
        if missing:
            yield Problem(
                "an outcome must choose an option for every issue; missing "
                + ", ".join(repr(m) for m in missing),
                path=path,
            )


def _citations(scenario: Scenario) -> Iterator[tuple[Citation, Path]]:
    """Every citation in the scenario with its path."""
    for node, path in walk(scenario):
        if isinstance(node, Citation):
            yield node, path

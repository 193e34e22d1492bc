"""Checks of a framework against its scenario: ids, conflicting points, sources."""

from __future__ import annotations

from collections.abc import Iterator

from accord.errors import Problem
from accord.frameworks.model import Framework
from accord.model.checks import suggest
from accord.model.scenario import Citation, Scenario
from accord.model.walk import walk

__all__ = ["check_framework"]


def check_framework(framework: Framework, scenario: Scenario) -> list[Problem]:
    """Every problem of ``framework`` as a draft of ``scenario`` (empty when consistent)."""
    problems = list(_settlements(framework, scenario))
    problems += _duplicate_point_ids(framework)
    sources = [s.id for s in scenario.sources]
    for node, path in walk(framework):
        if isinstance(node, Citation) and node.source not in sources:
            hint = suggest(node.source, sources) or (
                "sources of the scenario: " + ", ".join(sources) if sources else None
            )
            problems.append(
                Problem(f"unknown source {node.source!r}", (*path, "source"), hint=hint)
            )
    return problems


def _settlements(framework: Framework, scenario: Scenario) -> Iterator[Problem]:
    options = {issue.id: issue.option_ids() for issue in scenario.issues}
    first: dict[str, tuple[str, int]] = {}
    for index, point in enumerate(framework.points):
        for issue, option in point.settles.items():
            path = ("points", index, "settles", issue)
            if issue not in options:
                hint = suggest(issue, options) or "issues: " + ", ".join(options)
                yield Problem(f"unknown issue {issue!r}", path, hint=hint)
                continue
            if option not in options[issue]:
                hint = suggest(option, options[issue]) or "options: " + ", ".join(options[issue])
                yield Problem(f"unknown option {option!r} for issue {issue!r}", path, hint=hint)
                continue
            if issue in first and first[issue][0] != option:
                earlier, number = first[issue]
                yield Problem(
                    f"point {index + 1} settles {issue!r} as {option!r} but point {number} "
                    f"already settles it as {earlier!r}",
                    path,
                )
            first.setdefault(issue, (option, index + 1))


def _duplicate_point_ids(framework: Framework) -> Iterator[Problem]:
    seen: dict[str, int] = {}
    for index, point in enumerate(framework.points):
        if point.id is None:
            continue
        if point.id in seen:
            yield Problem(
                f"duplicate point id {point.id!r} (first used by point {seen[point.id] + 1})",
                ("points", index, "id"),
            )
        seen.setdefault(point.id, index)

"""Broken scenario files: every mistake is a located, explained ``ScenarioError``.

Each case mutates a small valid scenario (``BASE``) and says where the problem must
be reported. The character ``‸`` in a case's text marks that place: it is removed
before parsing, and the first problem's line and column must point at it. A case
without the marker expects a location that names the file only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from accord.errors import Location, ScenarioError, format_path
from accord.io import yaml_source
from accord.io.scenario_file import parse_scenario, read_scenario_file
from accord.io.yaml_source import MAX_FILE_BYTES
from accord.model.scenario import Role

MARK = "‸"

BASE = """\
accord: 1
id: harbour-talks
title: Harbour access talks
date: 2025-03-01
sources:
  - id: memo
    title: Port authority memo
    date: 2025-02-10
  - id: press
    title: Joint press statement
parties:
  - id: north
    name: Northland
    role: principal
    capability: 0.6
    preferences:
      salience:
        tolls: 3
        berths: 2
        review: 1
      values:
        tolls:
          low: 1
          mid: 0.5
          high: 0
        berths:
          two: 0.4
          four: 1
        review:
          yearly: 0.7
          never: 0.2
      interactions:
        - when: {tolls: low, berths: four}
          value: 0.1
          reason: Cheap and ample access
      red_lines:
        - when: {tolls: high}
          reason: Tolls would ruin shippers
          evidence:
            - source: memo
              quote: High tolls are unacceptable.
      reservation:
        value: 0.3
        label: Status quo
  - id: south
    name: Southland
    role: principal
    preferences:
      salience: {tolls: 2, berths: 1}
      values:
        tolls: {low: 0, mid: 0.6, high: 1}
        berths: {two: 1, four: 0.3}
      assumed: Inferred from the press statement
  - id: broker
    name: Harbour Council
    role: mediator
issues:
  - id: tolls
    options:
      - id: low
      - id: mid
      - id: high
  - id: berths
    options: [{id: two}, {id: four}]
  - id: review
    options: [{id: yearly}, {id: never}]
channels:
  default: false
  pairs:
    - between: [north, broker]
      direct: true
    - between: [south, broker]
      direct: true
reference:
  label: Draft 1
  outcome: {tolls: mid, berths: two, review: yearly}
"""

BOMB = """\
a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: ‸&g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


def mutate(old: str, new: str) -> str:
    """``BASE`` with its one occurrence of ``old`` replaced by ``new``."""
    assert BASE.count(old) == 1, f"{old!r} must occur exactly once in BASE"
    return BASE.replace(old, new)


def huge_file() -> bytes:
    padding = b"# " + b"x" * 1022 + b"\n"
    return BASE.encode() + padding * (MAX_FILE_BYTES // len(padding) + 1)


@dataclass(frozen=True)
class Case:
    name: str
    content: str | bytes | Callable[[], bytes]
    message: str
    """A substring of the first problem's message."""
    path: str | None = None
    """The first problem's path as ``format_path`` writes it (None: the top level)."""
    hint: str | None = None
    """A substring of the first problem's hint (None: not checked)."""
    count: int = 1
    """How many problems the file has."""


CASES = [
    # --- YAML syntax --------------------------------------------------------------
    Case(
        "yaml-unclosed-bracket",
        mutate("options: [{id: two}, {id: four}]", "options: ‸[{id: two}, {id: four}"),
        "expected ',' or ']'",
        hint="missing its ']'",
    ),
    Case(
        "yaml-unclosed-quote",
        mutate("title: Harbour access talks", 'title: ‸"Harbour access talks'),
        "invalid YAML: found unexpected end of stream",
        hint="""missing its '"'""",
    ),
    Case(
        "yaml-bad-indentation",
        mutate("    name: Southland\n    role:", "    name: Southland\n   ‸role:"),
        "invalid YAML: ",
        hint="indentation",
    ),
    Case(
        "yaml-tab-indentation",
        mutate("    name: Southland\n", "‸\tname: Southland\n"),
        "invalid YAML: ",
        hint="spaces",
    ),
    Case(
        "yaml-tab-after-quoted-value",  # libyaml does not mention the tab here
        mutate("      - id: high\n", '      - id: "high"\n‸\tlabel: High tolls\n'),
        "invalid YAML: ",
        hint="spaces",
    ),
    Case(
        "yaml-colon-in-plain-value",
        mutate("title: Harbour access talks", "title: Harbour‸: access talks"),
        "invalid YAML: mapping values are not allowed",
        hint="quotes",
    ),
    Case(
        "yaml-duplicate-key",
        mutate("    name: Southland\n", "    name: Southland\n    ‸name: South\n"),
        "duplicate key 'name'",
        path="parties[1].name",
        hint="first given at line 46, column 5",
    ),
    Case(
        "yaml-two-documents",
        BASE + "‸---\nid: another\n",
        "invalid YAML: but found another document",
    ),
    Case(
        "yaml-undefined-alias",
        mutate("title: Harbour access talks", "title: ‸*nowhere"),
        "invalid YAML: found undefined alias",
    ),
    Case(
        "yaml-mapping-key-is-a-list",
        mutate("salience: {tolls: 2, berths: 1}", "salience: {tolls: 2, ‸[berths]: 1}"),
        "mapping keys must be plain scalars",
        path="parties[1].preferences.salience",
    ),
    # --- what the file is -------------------------------------------------------
    Case("empty-file", "", "the file is empty"),
    Case("only-a-comment", "# the scenario goes here\n\n", "the file has only comments"),
    Case(
        "top-level-list",
        "‸- id: harbour-talks\n- title: Harbour access talks\n",
        "expected a mapping of scenario fields, found a list",
    ),
    Case(
        "top-level-scalar",
        "‸Harbour access talks\n",
        "expected a mapping of scenario fields, found a str ('Harbour access talks')",
    ),
    Case(
        "binary-nul-bytes",
        mutate("title: Harbour access talks", "title: ‸\x00\x01\x02").encode(),
        "not a text file (NUL byte at offset",
    ),
    Case(
        "invalid-utf8",
        # "Café" saved as Latin-1: the marker's bytes stand before the 0xe9
        mutate("title: Harbour access talks", "title: Caf‸E talks").encode().replace(b"E", b"\xe9"),
        "not UTF-8 text (invalid byte 0xe9 at offset",
        hint="UTF-8",
    ),
    Case("huge-file", huge_file, "file is larger than the 16 MB limit"),
    # --- YAML features refused --------------------------------------------------
    Case("alias-bomb", BOMB, "document expands to more than 1,000,000 values (alias bomb?)"),
    Case(
        "recursive-alias",
        mutate("title: Harbour access talks\n", "title: T\ndescription: ‸&loop [*loop]\n"),
        "an alias refers to the value that contains it",
    ),
    Case(
        "python-object-tag",
        mutate("title: Harbour access talks", "title: ‸!!python/object/apply:os.system [ls]"),
        "tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed",
        path="title",
    ),
    Case(
        "custom-tag",
        mutate("title: Harbour access talks", "title: ‸!include title.txt"),
        "tag '!include' is not allowed",
        path="title",
    ),
    Case(
        "merge-key",
        mutate("  - id: south\n    name: Southland\n", "  - id: south\n    ‸<<: {name: S}\n"),
        "merge keys (<<) are not supported",
        path="parties[1]",
        hint="write the keys out",
    ),
    # --- wrong types and shapes (schema) ----------------------------------------
    Case(
        "string-for-number",
        mutate("        tolls: 3\n", "        ‸tolls: three\n"),
        "expected a number, or a mapping with a `value` (found 'three')",
        path="parties[0].preferences.salience.tolls",
    ),
    Case(
        "string-for-number-in-estimate",
        mutate("capability: 0.6", "capability: {‸value: strong, assumed: guess}"),
        "expected a number (found 'strong')",
        path="parties[0].capability.value",
    ),
    Case(
        "list-for-mapping",
        mutate("salience: {tolls: 2, berths: 1}", "‸salience: [tolls, berths]"),
        "expected a mapping (found ['tolls', 'berths'])",
        path="parties[1].preferences.salience",
    ),
    Case(
        "mapping-for-list",
        mutate("options: [{id: two}, {id: four}]", "‸options: {id: two}"),
        "expected a list (found {'id': 'two'})",
        path="issues[1].options",
    ),
    Case(
        "word-for-bool",
        mutate("  default: false", "  ‸default: sometimes"),
        "expected true or false (found 'sometimes')",
        path="channels.default",
    ),
    Case(
        "infinite-number",
        mutate("        tolls: 3\n", "        ‸tolls: .inf\n"),
        "input should be a finite number (found inf)",
        path="parties[0].preferences.salience.tolls.value",
    ),
    Case(
        "unknown-key-salince",
        mutate("salience: {tolls: 2, berths: 1}", "‸salince: {tolls: 2, berths: 1}"),
        "unknown key 'salince'",
        path="parties[1].preferences.salince",
        hint="did you mean 'salience'?",
    ),
    Case(
        "unknown-key-red-line",
        mutate("      red_lines:\n", "      ‸red_line:\n"),
        "unknown key 'red_line'",
        path="parties[0].preferences.red_line",
        hint="did you mean 'red_lines'?",
    ),
    Case(
        "unknown-top-level-key",
        mutate("title: Harbour access talks", "‸titel: Harbour access talks"),
        "unknown key 'titel'",
        path="titel",
        hint="did you mean 'title'?",
    ),
    Case(
        "missing-required-field",
        mutate("  - id: broker\n    name: Harbour Council\n    role: mediator\n", "  - ‸id: b\n"),
        "required field is missing",
        path="parties[2].name",
        count=2,  # name and role
    ),
    Case(
        "role-not-a-role",
        mutate("    role: mediator", "    ‸role: arbiter"),
        "input should be 'principal', 'mediator', 'guarantor', 'observer' or 'host' "
        "(found 'arbiter')",
        path="parties[2].role",
    ),
    Case(
        "role-misspelt",
        mutate("    role: mediator", "    role: mediator\n    also: [‸guarantr]"),
        "(found 'guarantr')",
        path="parties[2].also[0]",
        hint="did you mean 'guarantor'?",
    ),
    Case(
        "bool-yes-as-id",
        mutate("  - id: broker", "  - ‸id: yes"),
        "expected text (found True)",
        path="parties[2].id",
        hint="put it in quotes",
    ),
    Case(
        "empty-option-list",
        mutate("options: [{id: two}, {id: four}]", "‸options: []"),
        "must not be empty (found [])",
        path="issues[1].options",
    ),
    Case(
        "interaction-value-above-1",
        mutate("          value: 0.1\n", "          ‸value: 1.5\n"),
        "input should be less than or equal to 1 (found 1.5)",
        path="parties[0].preferences.interactions[0].value",
    ),
    # --- numbers out of range (checks) ------------------------------------------
    Case(
        "capability-above-1",
        mutate("    capability: 0.6", "    ‸capability: 1.6"),
        "capability must lie in [0, 1] (found 1.6)",
        path="parties[0].capability",
    ),
    Case(
        "negative-salience",
        mutate("salience: {tolls: 2, berths: 1}", "salience: {‸tolls: -2, berths: 1}"),
        "salience must be ≥ 0 (found -2)",
        path="parties[1].preferences.salience.tolls",
    ),
    Case(
        "all-zero-salience",
        mutate(
            "    preferences:\n      salience: {tolls: 2, berths: 1}",
            "    ‸preferences:\n      salience: {tolls: 0, berths: 0}",
        ),
        "salience weights are all zero",
        path="parties[1].preferences",
    ),
    Case(
        "option-value-above-1",
        mutate("tolls: {low: 0, mid: 0.6, high: 1}", "tolls: {low: 0, ‸mid: 1.6, high: 1}"),
        "option values must lie in [0, 1] (found 1.6)",
        path="parties[1].preferences.values.tolls.mid",
    ),
    Case(
        "option-value-below-0",
        mutate("          low: 1\n", "          ‸low: -0.5\n"),
        "option values must lie in [0, 1] (found -0.5)",
        path="parties[0].preferences.values.tolls.low",
    ),
    Case(
        "missing-option-value",
        mutate("tolls: {low: 0, mid: 0.6, high: 1}", "‸tolls: {low: 0, high: 1}"),
        "issue 'tolls' has salience 2 but no value for 'mid'",
        path="parties[1].preferences.values.tolls",
    ),
    # --- ids that do not exist (checks, with did-you-mean) ----------------------
    Case(
        "red-line-misspelt-issue",
        mutate("- when: {tolls: high}", "- when: {‸tols: high}"),
        "unknown issue 'tols'",
        path="parties[0].preferences.red_lines[0].when.tols",
        hint="did you mean 'tolls'?",
    ),
    Case(
        "red-line-misspelt-option",
        mutate("- when: {tolls: high}", "- when: {tolls: [mid, ‸hihg]}"),
        "unknown option 'hihg'",
        path="parties[0].preferences.red_lines[0].when.tolls[1]",
        hint="did you mean 'high'?",
    ),
    Case(
        "interaction-misspelt-option",
        mutate("{tolls: low, berths: four}", "{tolls: low, ‸berths: fuor}"),
        "unknown option 'fuor'",
        path="parties[0].preferences.interactions[0].when.berths[0]",
        hint="did you mean 'four'?",
    ),
    Case(
        "values-misspelt-option",
        mutate("tolls: {low: 0, mid: 0.6, high: 1}", "tolls: {low: 0, mid: 0.6, high: 1, ‸hi: 1}"),
        "unknown option 'hi'",
        path="parties[1].preferences.values.tolls.hi",
        hint="did you mean 'high'?",
    ),
    Case(
        "channel-misspelt-party",
        mutate("between: [south, broker]", "between: [south, ‸brokr]"),
        "unknown party 'brokr'",
        path="channels.pairs[1].between[1]",
        hint="did you mean 'broker'?",
    ),
    Case(
        "channel-to-itself",
        mutate("    - between: [south, broker]", "    - ‸between: [south, south]"),
        "a channel joins two different parties",
        path="channels.pairs[1].between",
    ),
    Case(
        "reference-misspelt-option",
        mutate("outcome: {tolls: mid, berths: two,", "outcome: {tolls: mid, ‸berths: tow,"),
        "unknown option 'tow'",
        path="reference.outcome.berths",
        hint="did you mean 'two'?",
    ),
    Case(
        "reference-misspelt-issue",
        mutate("outcome: {tolls: mid, berths: two,", "outcome: {tolls: mid, ‸bertsh: two,"),
        "unknown issue 'bertsh'",
        path="reference.outcome.bertsh",
        hint="did you mean 'berths'?",
        count=2,  # and so 'berths' is missing from the outcome
    ),
    Case(
        "reference-incomplete",
        mutate("  outcome: {tolls: mid, berths: two, review: yearly}", "  ‸outcome: {tolls: mid}"),
        "an outcome must choose an option for every issue; missing 'berths', 'review'",
        path="reference.outcome",
    ),
    Case(
        "evidence-dangling-source",
        mutate("            - source: memo", "            - ‸source: mem"),
        "unknown source 'mem'",
        path="parties[0].preferences.red_lines[0].evidence[0].source",
        hint="did you mean 'memo'?",
    ),
    Case(
        "duplicate-party-id",
        mutate(
            "  - id: broker\n    name: Harbour Council",
            "  - ‸id: south\n    name: Harbour Council",
        ),
        "duplicate party id 'south' (first used at index 1)",
        path="parties[2].id",
        count=3,  # and the channels name 'broker', who is gone
    ),
    Case(
        "duplicate-issue-id",
        mutate("  - id: review\n", "  - ‸id: berths\n"),
        "duplicate issue id 'berths' (first used at index 1)",
        path="issues[2].id",
        count=4,  # and 'review', now gone, is named in salience, values and the reference
    ),
    Case(
        "duplicate-option-id",
        mutate("      - id: high\n", "      - ‸id: mid\n"),
        "duplicate option id 'mid' (first used at index 1)",
        path="issues[0].options[2].id",
        count=4,  # and 'high', now gone, has values (twice) and a red line
    ),
    Case(
        "party-role-evidence-dangling-source",
        mutate(
            "    role: mediator\n",
            "    role: mediator\n    evidence:\n      - ‸source: mmo\n        quote: It mediates\n",
        ),
        "unknown source 'mmo'",
        path="parties[2].evidence[0].source",
        hint="did you mean 'memo'?",
    ),
    Case(
        "party-role-assumed-not-text",
        mutate("    role: mediator\n", "    role: mediator\n    ‸assumed: [it, mediates]\n"),
        "expected text",
        path="parties[2].assumed",
    ),
    Case(
        "option-evidence-dangling-source",
        mutate("      - id: mid\n", "      - id: mid\n        evidence: [{‸source: pres}]\n"),
        "unknown source 'pres'",
        path="issues[0].options[1].evidence[0].source",
        hint="did you mean 'press'?",
    ),
    Case(
        "issue-assumed-not-text",
        mutate("  - id: tolls\n", "  - id: tolls\n    ‸assumed: {why: no}\n"),
        "expected text",
        path="issues[0].assumed",
    ),
    Case(
        "channels-default-evidence-dangling-source",
        mutate("  default: false\n", "  default: false\n  evidence: [{‸source: memoo}]\n"),
        "unknown source 'memoo'",
        path="channels.evidence[0].source",
        hint="did you mean 'memo'?",
    ),
    # --- uncertain inputs (issue 14) ----------------------------------------------
    Case(
        "range-does-not-contain-value",
        mutate("        tolls: 3\n", "        ‸tolls: {value: 3, range: [1, 2]}\n"),
        "range [1, 2] does not contain the value 3",
        path="parties[0].preferences.salience.tolls",
    ),
    Case(
        "range-written-backwards",
        mutate("          mid: 0.5\n", "          ‸mid: {value: 0.5, range: [0.6, 0.4]}\n"),
        "range [0.6, 0.4] must be written [low, high]",
        path="parties[0].preferences.values.tolls.mid",
    ),
    Case(
        "range-outside-value-bounds",
        mutate("          mid: 0.5\n", "          mid: {value: 0.5, ‸range: [0.2, 1.2]}\n"),
        "range [0.2, 1.2] reaches outside the value's bounds [0, 1]",
        path="parties[0].preferences.values.tolls.mid.range",
    ),
    Case(
        "range-outside-salience-bounds",
        mutate("        tolls: 3\n", "        tolls: {value: 3, ‸range: [-1, 4]}\n"),
        "range [-1, 4] reaches outside the salience's bounds [0, ∞]",
        path="parties[0].preferences.salience.tolls.range",
    ),
    Case(
        "interaction-range-outside-bounds",
        mutate("          value: 0.1\n", "          value: 0.1\n          ‸range: [-0.5, 1.5]\n"),
        "range [-0.5, 1.5] reaches outside the interaction's bounds [-1, 1]",
        path="parties[0].preferences.interactions[0].range",
    ),
    Case(
        "capability-range-outside-bounds",
        mutate("    capability: 0.6\n", "    capability: {value: 0.6, ‸range: [0.5, 2]}\n"),
        "range [0.5, 2] reaches outside the capability's bounds [0, 1]",
        path="parties[0].capability.range",
    ),
    Case(
        "reservation-range-not-numbers",
        mutate("        value: 0.3\n", "        value: 0.3\n        range: [0.2, ‸high]\n"),
        "number",
        path="parties[0].preferences.reservation.range[1]",
    ),
    Case(
        "distribution-unknown",
        mutate(
            "        value: 0.3\n",
            "        value: 0.3\n        range: [0.2, 0.4]\n        ‸distribution: normal\n",
        ),
        "'uniform' or 'triangular'",
        path="parties[0].preferences.reservation.distribution",
    ),
    Case(
        "distribution-without-range",
        mutate("        tolls: 3\n", "        ‸tolls: {value: 3, distribution: triangular}\n"),
        "a distribution needs a `range`",
        path="parties[0].preferences.salience.tolls",
    ),
    Case(
        "red-line-holds-zero",
        mutate(
            "          reason: Tolls would ruin shippers\n",
            "          reason: Tolls would ruin shippers\n          ‸holds: 0\n",
        ),
        "greater than 0",
        path="parties[0].preferences.red_lines[0].holds",
    ),
    Case(
        "red-line-holds-above-one",
        mutate(
            "          reason: Tolls would ruin shippers\n",
            "          reason: Tolls would ruin shippers\n          ‸holds: 1.5\n",
        ),
        "less than or equal to 1",
        path="parties[0].preferences.red_lines[0].holds",
    ),
]


def expected_place(content: str | bytes) -> tuple[str | bytes, int | None, int | None]:
    """Remove the marker; return the content and the marker's line and column."""
    if isinstance(content, str):
        if MARK not in content:
            return content, None, None
        before = content[: content.index(MARK)]
        line = before.count("\n") + 1
        return content.replace(MARK, "", 1), line, len(before) - before.rfind("\n")
    marker = MARK.encode()
    if marker not in content:
        return content, None, None
    offset = content.index(marker)
    line = content.count(b"\n", 0, offset) + 1
    return content.replace(marker, b"", 1), line, offset - content.rfind(b"\n", 0, offset)


def load(tmp_path: Path, content: str | bytes) -> ScenarioError:
    file = tmp_path / "scenario.yaml"
    file.write_bytes(content.encode() if isinstance(content, str) else content)
    with pytest.raises(ScenarioError) as caught:
        read_scenario_file(file)
    return caught.value


def test_base_scenario_is_valid() -> None:
    scenario = parse_scenario(BASE, "base.yaml")
    assert [p.id for p in scenario.parties] == ["north", "south", "broker"]
    assert [p.id for p in scenario.principals()] == ["north", "south"]
    assert scenario.party("broker").role is Role.MEDIATOR
    assert [i.id for i in scenario.issues] == ["tolls", "berths", "review"]
    assert scenario.reference is not None
    assert not scenario.talks_directly("north", "south")


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_broken_scenario(case: Case, tmp_path: Path) -> None:
    check(case, tmp_path)


SYNTAX_CASES = [case for case in CASES if case.name.startswith(("yaml-", "alias-", "recursive-"))]


@pytest.mark.parametrize("case", SYNTAX_CASES, ids=[case.name for case in SYNTAX_CASES])
def test_broken_yaml_with_the_pure_python_parser(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """libyaml and PyYAML's own parser word errors differently; both must locate them."""
    monkeypatch.setattr(yaml_source, "_Loader", yaml.SafeLoader)
    check(case, tmp_path)


def check(case: Case, tmp_path: Path) -> None:
    raw = case.content() if callable(case.content) else case.content
    content, line, column = expected_place(raw)
    error = load(tmp_path, content)

    assert len(error.problems) == case.count, error
    problem = error.problems[0]
    assert problem.location is not None
    assert problem.location.file == str(tmp_path / "scenario.yaml")
    assert (problem.location.line, problem.location.column) == (line, column), error
    assert case.message in problem.message, error
    assert format_path(problem.path) == (case.path or "(top level)"), error
    if case.hint is not None:
        assert problem.hint is not None, error
        assert case.hint in problem.hint, error
    assert all(p.location is not None for p in error.problems)


def test_there_are_at_least_25_kinds_of_mistake() -> None:
    assert len({case.name for case in CASES}) == len(CASES) >= 25


def test_two_schema_mistakes_are_reported_together() -> None:
    text = mutate("salience: {tolls: 2, berths: 1}", "salince: {tolls: 2, berths: 1}")
    text = text.replace("    role: mediator", "    role: arbiter")
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "s.yaml")
    messages = [p.message for p in caught.value.problems]
    assert len(messages) == 2, caught.value
    assert messages[0] == "unknown key 'salince'"
    assert "(found 'arbiter')" in messages[1]


def test_two_cross_reference_mistakes_are_reported_together() -> None:
    text = mutate("salience: {tolls: 2, berths: 1}", "salience: {tolls: -2, berths: 1}")
    text = text.replace("between: [south, broker]", "between: [south, brokr]")
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "s.yaml")
    problems = caught.value.problems
    assert [(p.location.line if p.location else None) for p in problems] == [49, 72]
    assert problems[0].message == "salience must be ≥ 0 (found -2)"
    assert problems[1].message == "unknown party 'brokr'"


def test_error_text_names_file_line_and_column() -> None:
    text = mutate("between: [south, broker]", "between: [south, brokr]")
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "talks/harbour.yaml")
    assert str(caught.value) == (
        "1 problem:\n"
        "  talks/harbour.yaml:72:24: channels.pairs[1].between[1]: "
        "unknown party 'brokr' (did you mean 'broker'?)"
    )


def test_a_folder_is_not_a_scenario(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as caught:
        read_scenario_file(tmp_path)
    assert caught.value.problems[0].location == Location(str(tmp_path))
    assert "folder" in caught.value.problems[0].message


def test_a_missing_file_is_a_scenario_error(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as caught:
        read_scenario_file(tmp_path / "absent.yaml")
    assert "cannot read" in caught.value.problems[0].message

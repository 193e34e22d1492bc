"""Control characters, bidirectional overrides and rich markup in every name (issue 11,
item 12): refused in ids, shown as escapes wherever user text reaches a terminal."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from accord.cli.main import app
from accord.errors import ScenarioError
from accord.forecast.decide import parse_decide
from accord.forecast.inputs import parse_stakeholder_csv
from accord.io.scenario_file import parse_scenario
from accord.render.safe import printable, refuse_invisible
from accord.scenarios import builtin_text
from accord.tournament import read_spec

runner = CliRunner()

HOSTILE = ["\x1b[31m", "\u202e", "\u2066", "\u200b", "\x07", "\x00", "\x9b", "\u2028"]
"""ESC (a colour sequence), right-to-left override, left-to-right isolate, zero-width
space, bell, NUL, the C1 control sequence introducer, a line separator."""


def _berlin(old: str, new: str) -> str:
    text = builtin_text("berlin-2025")
    assert old in text
    return text.replace(old, new)


YAML_ESCAPES = {
    "\x1b": "\\e[31m",
    "\u202e": "\\u202e",
    "\u2066": "\\u2066",
    "\u200b": "\\u200b",
    "\x07": "\\a",
    "\x00": "\\0",
    "\x9b": "\\x9b",
    "\u2028": "\\L",
}
"""The hostile characters as escapes of double-quoted YAML (raw control characters are
refused by the YAML reader itself, before any id is read)."""


@pytest.mark.parametrize("char", HOSTILE, ids=lambda c: f"U+{ord(c[0]):04X}")
@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("id: berlin-2025\n", 'id: "berlin{}2025"\n'),
        ("  - id: ukraine\n", '  - id: "ukra{}ine"\n'),
        ("  - id: nato\n", '  - id: "na{}to"\n'),
        ("      - id: pursue\n", '      - id: "pur{}sue"\n'),
    ],
    ids=["scenario", "party", "issue", "option"],
)
def test_ids_refuse_hidden_characters(char: str, old: str, new: str) -> None:
    text = builtin_text("berlin-2025").replace(old, new.format(YAML_ESCAPES[char[0]]), 1)
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "hostile.yaml")
    messages = " ".join(str(p) for p in caught.value.problems)
    assert "hostile.yaml:" in messages
    assert char[0] not in messages


@pytest.mark.parametrize("char", HOSTILE[:4], ids=lambda c: f"U+{ord(c[0]):04X}")
def test_tournament_names_and_labels_refuse_hidden_characters(tmp_path: Path, char: str) -> None:
    for field in ("name", "label"):
        spec = tmp_path / "spec.yaml"
        escape = YAML_ESCAPES[char[0]]
        label = f"bad{escape}label" if field == "label" else "ok"
        name = f"bad{escape}name" if field == "name" else "ok"
        spec.write_text(
            f'name: "{name}"\nstrategies: [boulware]\n'
            f'scenarios:\n  - scenario: berlin-2025\n    label: "{label}"\n',
            encoding="utf-8",
        )
        with pytest.raises(ScenarioError, match="control or invisible"):
            read_spec(spec)


@pytest.mark.parametrize("char", HOSTILE[:4], ids=lambda c: f"U+{ord(c[0]):04X}")
def test_stakeholder_and_decide_names_refuse_hidden_characters(char: str) -> None:
    csv = f"actor,capability,position,salience\nbad{char}actor,1,10,0.5\nb,1,40,0.5\n"
    with pytest.raises(ScenarioError) as caught:
        parse_stakeholder_csv(csv, "s.csv")
    assert str(caught.value.problems[0].location) == "s.csv:2:1"
    multi = f"actor,issue,position,salience,power\na,is{char}sue,10,0.5,1\n"
    with pytest.raises(ScenarioError, match="control or invisible"):
        parse_stakeholder_csv(multi, "m.csv")
    decide = f"#A;a\n#A;b{char}\n#P;x\n#P;y\n#D;a;x;10;0.5;1\n"
    with pytest.raises(ScenarioError) as caught:
        parse_decide(decide, "d.txt")
    assert str(caught.value.problems[0].location).startswith("d.txt:2:")


def _hostile_names(tmp_path: Path) -> Path:
    """Berlin with user text (names, titles, labels) full of escapes and markup."""
    text = _berlin("name: Ukraine\n", 'name: "Ukr\\e[2J\\u202eaine [bold red]X[/]"\n')
    text = text.replace(
        "title: Berlin talks on ending the war in Ukraine (December 2025)",
        'title: "Berlin [blink]talks[/blink] \\e]0;pwned\\a"',
    )
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "args",
    [
        ["show"],
        ["analyze"],
        ["analyze", "-f", "markdown"],
        ["simulate", "--rounds", "5"],
        ["forecast"],
    ],
    ids=lambda a: " ".join(a),
)
def test_user_text_is_escaped_on_the_terminal(tmp_path: Path, args: list[str]) -> None:
    path = _hostile_names(tmp_path)
    result = runner.invoke(app, [args[0], str(path), *args[1:]])
    assert result.exit_code == 0, result.output
    out = result.stdout
    if args[-1] == "markdown":  # a file format, not a terminal: text kept as written
        return
    assert "\x1b" not in out
    assert "\u202e" not in out
    if args[0] == "forecast":  # actors are shown by id: nothing hostile to show
        return
    assert "\\x1b" in out or "\\u202e" in out
    if args[0] in ("show", "analyze", "simulate"):
        assert "[bold red]X[/]" in out or "[blink]talks[/blink]" in out


def test_errors_show_hidden_characters_as_escapes(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(_berlin("  - id: ukraine\n", '  - id: "ukr\\e[31maine"\n'), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert "\x1b" not in result.output


@given(st.text())
def test_printable_hides_nothing(text: str) -> None:
    shown = printable(text)
    hidden = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}
    assert all(c in "\n\t" or unicodedata.category(c) not in hidden for c in shown)
    if text.isprintable():
        assert shown == text


@given(st.text(min_size=1))
def test_ids_are_refused_exactly_when_they_hide_characters(text: str) -> None:
    hidden = any(
        unicodedata.category(c) in {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"} for c in text
    )
    try:
        refuse_invisible(text)
    except ValueError:
        assert hidden
    else:
        assert not hidden

"""GENIUS domains with untidy names (stray, repeated or odd whitespace, non-ASCII in
either Unicode form) import with clean ids, keep their text as labels, and give the
same utilities, bit for bit, as the same domain written with tidy names."""

from __future__ import annotations

import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.engine.compiled import compile_scenario
from accord.errors import ScenarioError
from accord.io.genius import clean_id, read_genius_folder
from accord.model.scenario import Scenario

LETTERS = "abcXYZ019-_%+&<>\"'/()éüñÅßΩж中"
WHITESPACE = (" ", "\t", "\n", "\r", "\u00a0", "\u2003", "\u3000")


def attribute(text: str) -> str:
    """``text`` as an XML attribute value that a parser reads back exactly (whitespace
    other than a plain space as character references, since XML turns it into spaces)."""
    special = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
    return "".join(special.get(c, f"&#{ord(c)};" if c.isspace() and c != " " else c) for c in text)


@dataclass(frozen=True)
class Domain:
    """A GENIUS domain: discrete issues (name, values), an optional integer issue, and
    per profile the weights and evaluations (the integer issue last)."""

    issues: tuple[tuple[str, tuple[str, ...]], ...]
    integer: str | None
    weights: tuple[tuple[float, ...], ...]
    evaluations: tuple[tuple[tuple[int, ...], ...], ...]

    def renamed(self, names: dict[str, str]) -> Domain:
        issues = tuple((names[i], tuple(names[v] for v in vs)) for i, vs in self.issues)
        integer = None if self.integer is None else names[self.integer]
        return Domain(issues, integer, self.weights, self.evaluations)

    def names(self) -> list[str]:
        out = [n for issue, values in self.issues for n in (issue, *values)]
        return out + ([self.integer] if self.integer else [])

    def domain_xml(self) -> str:
        lines = ['<negotiation_template><utility_space><objective index="0" name="root">']
        for index, (issue, values) in enumerate(self.issues, start=1):
            lines.append(f'<issue index="{index}" name="{attribute(issue)}" type="discrete">')
            lines += [f'<item index="{k}" value="{attribute(v)}"/>' for k, v in enumerate(values)]
            lines.append("</issue>")
        if self.integer is not None:
            lines.append(
                f'<issue index="{len(self.issues) + 1}" name="{attribute(self.integer)}" '
                'type="integer" lowerbound="2" upperbound="6"/>'
            )
        lines.append("</objective></utility_space></negotiation_template>")
        return "\n".join(lines)

    def profile_xml(self, party: int) -> str:
        weights = self.weights[party]
        lines = ['<utility_space><objective index="0" name="root">']
        lines += [f'<weight index="{i}" value="{w!r}"/>' for i, w in enumerate(weights, 1)]
        for index, (issue, values) in enumerate(self.issues, start=1):
            lines.append(f'<issue index="{index}" name="{attribute(issue)}" type="discrete">')
            evaluations = self.evaluations[party][index - 1]
            lines += [
                f'<item value="{attribute(v)}" evaluation="{e}"/>'
                for v, e in zip(values, evaluations, strict=True)
            ]
            lines.append("</issue>")
        if self.integer is not None:
            lines.append(
                f'<issue index="{len(self.issues) + 1}" name="{attribute(self.integer)}" '
                'type="integer" lowerbound="2" upperbound="6">'
                f'<evaluator ftype="linear" slope="{0.1 * (party + 1)!r}" offset="0.3"/></issue>'
            )
        lines.append('</objective><reservation value="0.2"/></utility_space>')
        return "\n".join(lines)

    def write(self, folder: Path, stems: tuple[str, ...]) -> Path:
        folder.mkdir(parents=True)
        (folder / "domain.xml").write_text(self.domain_xml(), encoding="utf-8")
        for party, stem in enumerate(stems):
            (folder / f"{stem}.xml").write_text(self.profile_xml(party), encoding="utf-8")
        return folder


tidy_names = st.text(LETTERS + " ", min_size=1, max_size=10).map(clean_id).filter(bool)


@st.composite
def domains(draw: st.DrawFn) -> Domain:
    sizes = draw(st.lists(st.integers(2, 3), min_size=1, max_size=3))
    with_integer = draw(st.booleans())
    needed = len(sizes) + sum(sizes) + with_integer
    names = iter(draw(st.lists(tidy_names, min_size=needed, max_size=needed, unique=True)))
    issues = tuple((next(names), tuple(next(names) for _ in range(n))) for n in sizes)
    integer = next(names) if with_integer else None
    weight = st.floats(0.01, 1.0, allow_nan=False)
    weights = tuple(tuple(draw(weight) for _ in range(len(sizes) + with_integer)) for _ in "ab")
    evaluations = tuple(
        tuple(tuple(draw(st.integers(0, 9)) for _ in range(n)) for n in sizes) for _ in "ab"
    )
    return Domain(issues, integer, weights, evaluations)


@st.composite
def untidy(draw: st.DrawFn, tidy: str) -> str:
    """``tidy`` with whitespace added at one or both ends, each inner space made a run of
    whitespace, and possibly decomposed (NFD): :func:`clean_id` gives ``tidy`` back."""
    run = st.lists(st.sampled_from(WHITESPACE), min_size=1, max_size=3).map("".join)
    lead, trail = draw(st.sampled_from([(True, False), (False, True), (True, True)]))
    text = (draw(run) if lead else "") + tidy.split(" ")[0]
    for word in tidy.split(" ")[1:]:
        text += draw(run) + word
    text += draw(run) if trail else ""
    return unicodedata.normalize("NFD", text) if draw(st.booleans()) else text


def utilities(scenario: Scenario) -> np.ndarray:
    model = compile_scenario(scenario)
    _, options = next(model.chunks())
    return model.utilities(options)


@settings(max_examples=30, deadline=None)
@given(data=st.data(), domain=domains())
def test_untidy_names_import_like_tidy_ones(data: st.DataObject, domain: Domain) -> None:
    names = {name: data.draw(untidy(name)) for name in domain.names()}
    messy = domain.renamed(names)
    with tempfile.TemporaryDirectory() as tmp:
        tidy = read_genius_folder(domain.write(Path(tmp) / "a" / "D", ("Buyer", "Seller")))
        read = read_genius_folder(messy.write(Path(tmp) / "b" / "D", ("Buyer  ", "Seller\t")))
    assert [i.id for i in read.issues] == [i.id for i in tidy.issues]
    assert [i.option_ids() for i in read.issues] == [i.option_ids() for i in tidy.issues]
    assert [p.id for p in read.parties] == ["Buyer", "Seller"]
    assert [p.name for p in read.parties] == ["Buyer  ", "Seller\t"]
    for ours, theirs in zip(read.parties, tidy.parties, strict=True):
        assert ours.preferences == theirs.preferences
    for issue, (name, values) in zip(read.issues, messy.issues, strict=False):
        assert issue.title == name  # the text exactly as written
        assert [o.label for o in issue.options] == list(values)
    if messy.integer is not None:
        assert read.issues[-1].title == messy.integer
        assert read.issues[-1].option_ids() == ("2", "3", "4", "5", "6")
    assert all(i.title is None for i in tidy.issues)
    assert all(o.label is None for i in tidy.issues for o in i.options)
    np.testing.assert_array_equal(utilities(read), utilities(tidy))


@settings(max_examples=30, deadline=None)
@given(data=st.data(), name=tidy_names)
def test_names_that_clean_alike_are_refused_naming_both(data: st.DataObject, name: str) -> None:
    first = data.draw(untidy(name))
    second = data.draw(untidy(name).filter(lambda text: text != first))
    other = "x" if name != "x" else "y"
    domain = Domain((("Issue", (first, other, second)),), None, ((1.0,),), (((1, 2, 3),),))
    with tempfile.TemporaryDirectory() as tmp:
        folder = domain.write(Path(tmp) / "D", ("a",))
        with pytest.raises(ScenarioError) as caught:
            read_genius_folder(folder)
    (problem,) = caught.value.problems
    assert repr(first) in problem.message
    assert repr(second) in problem.message
    assert f"both become the id {name!r}" in problem.message
    assert problem.location is not None
    assert (Path(problem.location.file).name, problem.location.line) == ("domain.xml", 5)

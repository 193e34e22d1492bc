"""Importing GENIUS XML domain folders: semantics, numerics and located errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from accord.engine.compiled import compile_scenario
from accord.errors import ScenarioError
from accord.io.genius import RESERVATION_LABEL, read_genius_folder, xml_file
from accord.io.scenario_file import dump_scenario, parse_scenario
from accord.model.checks import check_scenario
from accord.model.scenario import Role

DOMAIN = """<?xml version="1.0" encoding="UTF-8"?>
<negotiation_template>
<utility_space number_of_issues="3">
<objective index="0" name="root" type="objective" etype="objective">
  <issue index="1" name="Colour" type="discrete" etype="discrete" vtype="discrete">
    <item index="1" value="red"/>
    <item index="2" value="dark green"/>
    <item index="3" value="blue"/>
  </issue>
  <issue index="2" name="Size (m)" type="integer" vtype="integer" lowerbound="1" upperbound="5"/>
  <issue index="3" name="Extras" vtype="discrete" type="discrete">
    <item index="1" value="none"/>
    <item index="2" value="all"/>
  </issue>
</objective>
</utility_space>
</negotiation_template>
"""


def profile(
    *,
    weights: str = '<weight index="1" value="0.5"/><weight index="2" value="0.3"/>'
    '<weight index="3" value="0.2"/>',
    colour: str = '<item value="red" evaluation="1"/><item value="dark green" evaluation="3"/>'
    '<item value="blue" evaluation="4"/>',
    size: str = '<evaluator ftype="linear" slope="0.3" offset="0.5"/>',
    extras: str = '<item value="none" evaluation="0"/><item value="all" evaluation="2.5"/>',
    tail: str = '<discount_factor value="0.9"/><reservation value="0.25"/>',
) -> str:
    """A profile for :data:`DOMAIN`; each part can be replaced to make a mistake."""
    return f"""<utility_space>
<objective index="0" name="root" type="objective">
{weights}
<issue index="1" name="Colour" type="discrete">
{colour}
</issue>
<issue index="2" name="Size (m)" type="integer" lowerbound="1" upperbound="5">
{size}
</issue>
<issue index="3" name="Extras" type="discrete">
{extras}
</issue>
</objective>
{tail}
</utility_space>
"""


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def domain_folder(tmp_path: Path, **profiles: str) -> Path:
    files = {"cars.xml": DOMAIN, **{f"{name}.xml": text for name, text in profiles.items()}}
    return write(tmp_path / "Cars", files)


def error_of(folder: Path) -> ScenarioError:
    with pytest.raises(ScenarioError) as caught:
        read_genius_folder(folder)
    return caught.value


# --- semantics ----------------------------------------------------------------------


def test_issues_in_document_order_with_exact_values(tmp_path: Path) -> None:
    scenario = read_genius_folder(domain_folder(tmp_path, buyer=profile()))
    assert scenario.id == "Cars"
    assert scenario.title == "GENIUS domain Cars"
    assert [i.id for i in scenario.issues] == ["Colour", "Size (m)", "Extras"]
    assert scenario.issue("Colour").option_ids() == ("red", "dark green", "blue")
    assert scenario.issue("Size (m)").option_ids() == ("1", "2", "3", "4", "5")
    assert scenario.issue("Size (m)").ordered
    assert not scenario.issue("Colour").ordered
    assert scenario.utility.normalize_salience is False
    assert scenario.utility.cap == 1.0
    assert check_scenario(scenario) == []


def test_values_weights_and_reservation(tmp_path: Path) -> None:
    scenario = read_genius_folder(domain_folder(tmp_path, buyer=profile()))
    party = scenario.party("buyer")
    assert party.role == Role.PRINCIPAL
    assert party.name == "buyer"
    prefs = party.preferences
    assert prefs is not None
    assert {k: w.value for k, w in prefs.salience.items()} == {
        "Colour": 0.5,
        "Size (m)": 0.3,
        "Extras": 0.2,
    }
    values = {i: {o: v.value for o, v in opts.items()} for i, opts in prefs.values.items()}
    assert values["Colour"] == {"red": 1 / 4, "dark green": 3 / 4, "blue": 1.0}
    # offset + slope·(x − lowerbound), clipped to [0, 1]
    assert values["Size (m)"] == {"1": 0.5, "2": 0.5 + 0.3, "3": 1.0, "4": 1.0, "5": 1.0}
    assert values["Extras"] == {"none": 0.0, "all": 1.0}
    assert prefs.reservation.value == 0.25
    assert prefs.reservation.label == RESERVATION_LABEL
    assert "Discount factor 0.9" in (party.description or "")


def test_integer_values_clip_at_zero_and_use_profile_lowerbound(tmp_path: Path) -> None:
    text = profile(size='<evaluator ftype="linear" slope="-0.4" offset="1.0"/>')
    text = text.replace('lowerbound="1" upperbound="5"', 'lowerbound="2" upperbound="5"')
    prefs = read_genius_folder(domain_folder(tmp_path, a=text)).party("a").preferences
    assert prefs is not None
    size = {o: v.value for o, v in prefs.values["Size (m)"].items()}
    assert size == {"1": 1.0, "2": 1.0, "3": 1.0 - 0.4, "4": 1.0 - 0.4 * 2, "5": 0.0}


def test_missing_reservation_is_zero_and_odd_discount_is_one(tmp_path: Path) -> None:
    folder = domain_folder(tmp_path, a=profile(tail='<discount_factor value="1.5"/>'))
    party = read_genius_folder(folder).party("a")
    assert party.preferences is not None
    assert party.preferences.reservation.value == 0.0
    assert "Discount factor 1.0" in (party.description or "")


def test_weights_matched_by_index_not_position(tmp_path: Path) -> None:
    shuffled = (
        '<weight index="3" value="0.125"/><weight index="1" value="0.625"/>'
        '<weight index="2" value="0.375"/>'
    )
    prefs = (
        read_genius_folder(domain_folder(tmp_path, a=profile(weights=shuffled)))
        .party("a")
        .preferences
    )
    assert prefs is not None
    assert {k: w.value for k, w in prefs.salience.items()} == {
        "Colour": 0.625,
        "Size (m)": 0.375,
        "Extras": 0.125,
    }
    assert list(prefs.salience) == ["Colour", "Size (m)", "Extras"]


def test_weights_are_not_renormalised_and_utility_is_clamped(tmp_path: Path) -> None:
    heavy = (
        '<weight index="1" value="0.6"/><weight index="2" value="0.3"/>'
        '<weight index="3" value="0.2"/>'
    )
    scenario = read_genius_folder(domain_folder(tmp_path, a=profile(weights=heavy)))
    model = compile_scenario(scenario)
    best = model.outcome_options({"Colour": "blue", "Size (m)": "5", "Extras": "all"})
    assert model.utilities(best)[0, 0] == 1.0  # 1.1 clamped, as GENIUS does
    other = model.outcome_options({"Colour": "red", "Size (m)": "2", "Extras": "none"})
    assert model.utilities(other)[0, 0] == 0.6 * (1 / 4) + 0.3 * (0.5 + 0.3) + 0.2 * 0.0


def test_sum_is_bit_identical_to_genius_order(tmp_path: Path) -> None:
    weights = (
        '<weight index="1" value="0.4452125771655631"/>'
        '<weight index="2" value="0.37808251708013424"/>'
        '<weight index="3" value="0.1767567099260568"/>'
    )
    colour = (
        '<item value="red" evaluation="12"/><item value="dark green" evaluation="20"/>'
        '<item value="blue" evaluation="30"/>'
    )
    extras = '<item value="none" evaluation="9"/><item value="all" evaluation="30"/>'
    text = profile(weights=weights, colour=colour, extras=extras)
    model = compile_scenario(read_genius_folder(domain_folder(tmp_path, a=text)))
    _, options = next(model.chunks())
    ours = model.utilities(options)[:, 0]
    evaluations = ([12.0, 20.0, 30.0], [0.5 + 0.3 * k for k in range(5)], [9.0, 30.0])
    w = (0.4452125771655631, 0.37808251708013424, 0.1767567099260568)
    genius_utilities = []
    for a in range(3):
        for b in range(5):
            for c in range(2):
                u = 0.0  # AdditiveUtilitySpace.getUtility: u += w_i * eval_i, in issue order
                u += w[0] * (evaluations[0][a] / 30.0)
                u += w[1] * min(max(evaluations[1][b], 0.0), 1.0)
                u += w[2] * (evaluations[2][c] / 30.0)
                genius_utilities.append(min(u, 1.0))
    np.testing.assert_array_equal(ours, np.asarray(genius_utilities))


def test_tiny_maximum_gives_zero_and_nested_items_are_ignored(tmp_path: Path) -> None:
    colour = (
        '<item value="red" evaluation="0.000001"/><item value="dark green" evaluation="0"/>'
        '<item value="blue" evaluation="0.000005"/>'
        '<similarity_function><criteria_function><item value="red" evaluation="99"/>'
        "</criteria_function></similarity_function>"
    )
    prefs = (
        read_genius_folder(domain_folder(tmp_path, a=profile(colour=colour))).party("a").preferences
    )
    assert prefs is not None
    assert {o: v.value for o, v in prefs.values["Colour"].items()} == {
        "red": 0.0,
        "dark green": 0.0,
        "blue": 0.0,
    }


def test_parties_in_profile_file_name_order_with_provenance(tmp_path: Path) -> None:
    folder = domain_folder(tmp_path, zeta=profile(), alpha=profile(), Mid=profile())
    scenario = read_genius_folder(folder)
    assert [p.id for p in scenario.parties] == ["Mid", "alpha", "zeta"]
    assert [s.id for s in scenario.sources] == [
        "genius-cars",
        "genius-Mid",
        "genius-alpha",
        "genius-zeta",
    ]
    assert [s.title for s in scenario.sources] == ["cars.xml", "Mid.xml", "alpha.xml", "zeta.xml"]
    assert scenario.sources[1].file == str(folder / "Mid.xml")
    for party in scenario.parties:
        assert party.preferences is not None
        assert [c.source for c in party.preferences.evidence] == [f"genius-{party.id}"]


def test_other_files_are_ignored(tmp_path: Path) -> None:
    folder = domain_folder(tmp_path, a=profile())
    (folder / "expected.json").write_text("{not json", encoding="utf-8")
    (folder / "README.md").write_text("notes", encoding="utf-8")
    assert [p.id for p in read_genius_folder(folder).parties] == ["a"]


def test_yaml_round_trip(tmp_path: Path) -> None:
    scenario = read_genius_folder(domain_folder(tmp_path, b=profile(), a=profile()))
    assert parse_scenario(dump_scenario(scenario)) == scenario


# --- safety and mistakes ------------------------------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<utility_space><objective><weight index="1" value="&lol3;"/></objective></utility_space>
"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE foo [
<!ENTITY xxe SYSTEM "file:///etc/passwd">
]>
<utility_space><objective><weight index="1" value="1"/>&xxe;</objective></utility_space>
"""


@pytest.mark.parametrize(("attack", "line"), [(BILLION_LAUGHS, 3), (XXE, 3)])
def test_entity_attacks_are_refused(tmp_path: Path, attack: str, line: int) -> None:
    folder = domain_folder(tmp_path, a=profile(), evil=attack)
    error = error_of(folder)
    problem = error.problems[0]
    assert "refused" in problem.message
    assert problem.location is not None
    assert problem.location.file == str(folder / "evil.xml")
    assert problem.location.line == line


def test_malformed_xml_is_located(tmp_path: Path) -> None:
    folder = domain_folder(tmp_path, a=profile(), broken="<utility_space>\n<objective>\n</oops>")
    problem = error_of(folder).problems[0]
    assert "not well-formed XML" in problem.message
    assert problem.location is not None
    assert problem.location.file.endswith("broken.xml")
    assert problem.location.line == 3


def test_real_issue_is_not_supported(tmp_path: Path) -> None:
    domain = DOMAIN.replace(
        '<issue index="2" name="Size (m)" type="integer" vtype="integer"',
        '<issue index="2" name="Size (m)" type="real" vtype="real"',
    )
    folder = write(tmp_path / "D", {"d.xml": domain, "a.xml": profile()})
    problem = error_of(folder).problems[0]
    assert "real-valued" in problem.message
    assert problem.location is not None
    assert (problem.location.file, problem.location.line) == (str(folder / "d.xml"), 10)


def test_folder_without_profiles(tmp_path: Path) -> None:
    error = error_of(write(tmp_path / "D", {"d.xml": DOMAIN}))
    assert "no GENIUS preference profile" in str(error)


def test_folder_without_domain(tmp_path: Path) -> None:
    error = error_of(write(tmp_path / "D", {"a.xml": profile(), "b.xml": profile()}))
    assert "no GENIUS domain file" in str(error)


def test_folder_with_two_domains(tmp_path: Path) -> None:
    error = error_of(write(tmp_path / "D", {"d.xml": DOMAIN, "e.xml": DOMAIN, "a.xml": profile()}))
    assert "more than one XML file without <weight>" in str(error)


def test_missing_folder_and_empty_folder(tmp_path: Path) -> None:
    assert "is not a folder" in str(error_of(tmp_path / "nowhere"))
    (tmp_path / "empty").mkdir()
    assert "holds no XML files" in str(error_of(tmp_path / "empty"))


def test_oversized_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xml_file, "MAX_FILE_BYTES", 200)
    assert "larger than" in str(error_of(domain_folder(tmp_path, a=profile())))


@pytest.mark.parametrize(
    ("change", "message", "line"),
    [
        (
            {"weights": '<weight index="1" value="0.5"/><weight index="7" value="0.5"/>'},
            "<weight index=7> refers to no issue of the domain",
            3,
        ),
        (
            {"weights": '<weight index="1" value="0.5"/><weight index="2" value="0.3"/>'},
            "no <weight> for issue 'Extras' (index 3)",
            2,
        ),
        (
            {"weights": '<weight index="1" value="half"/>'},
            "<weight> value='half' is not a finite number",
            3,
        ),
        (
            {"weights": '<weight index="1"/>'},
            "<weight> has no 'value' attribute",
            3,
        ),
        (
            {"colour": '<item value="red" evaluation="1"/><item value="blue" evaluation="2"/>'},
            "issue 'Colour' has no evaluation for 'dark green'",
            4,
        ),
        (
            {"colour": '<item value="red"/>'},
            "<item> has no 'evaluation' attribute",
            5,
        ),
        (
            {"colour": '<item value="purple" evaluation="1"/>'},
            "issue 'Colour' has no value 'purple'",
            5,
        ),
        (
            {"size": '<evaluator ftype="exponential" parameter0="1"/>'},
            'only <evaluator ftype="linear"',
            8,
        ),
        (
            {"extras": '<item value="none" evaluation="-1"/><item value="all" evaluation="1"/>'},
            "evaluation -1 of 'none' is negative",
            11,
        ),
        (
            {"tail": '<reservation value="lots"/>'},
            "<reservation> value='lots' is not a finite number",
            14,
        ),
    ],
)
def test_profile_mistakes_are_located(
    tmp_path: Path, change: dict[str, str], message: str, line: int
) -> None:
    folder = domain_folder(tmp_path, a=profile(**change))
    error = error_of(folder)
    assert len(error.problems) == 1
    problem = error.problems[0]
    assert message in problem.message
    assert problem.location is not None
    assert (problem.location.file, problem.location.line) == (str(folder / "a.xml"), line)


def test_profile_for_another_domain(tmp_path: Path) -> None:
    text = profile().replace('name="Extras"', 'name="Wheels"')
    problem = error_of(domain_folder(tmp_path, a=text)).problems[0]
    assert "issue 'Wheels' has index 3, but in the domain that is 'Extras'" in problem.message


@pytest.mark.parametrize(
    ("value", "reason"), [("", "is blank"), (" &#10;\t", "is blank"), ("x" * 201, "is too long")]
)
def test_values_that_cannot_be_ids(tmp_path: Path, value: str, reason: str) -> None:
    domain = DOMAIN.replace('value="red"', f'value="{value}"')
    folder = write(tmp_path / "D", {"d.xml": domain, "a.xml": profile()})
    problem = error_of(folder).problems[0]
    assert f"{reason} to be used as an id" in problem.message
    assert problem.location is not None
    assert problem.location.line == 6


def test_duplicate_domain_value(tmp_path: Path) -> None:
    domain = DOMAIN.replace('value="blue"', 'value="red"')
    error = error_of(write(tmp_path / "D", {"d.xml": domain, "a.xml": profile()}))
    assert "value 'red' of issue 'Colour' is listed twice" in str(error)


def test_bad_integer_bounds(tmp_path: Path) -> None:
    domain = DOMAIN.replace('lowerbound="1" upperbound="5"', 'lowerbound="1" upperbound="1e9"')
    error = error_of(write(tmp_path / "D", {"d.xml": domain, "a.xml": profile()}))
    assert "upperbound='1e9' is not an integer" in str(error)
    domain = DOMAIN.replace('lowerbound="1" upperbound="5"', 'lowerbound="0" upperbound="999999"')
    error = error_of(write(tmp_path / "E", {"d.xml": domain, "a.xml": profile()}))
    assert "accord accepts at most" in str(error)


def test_profile_issue_type_must_match_the_domain(tmp_path: Path) -> None:
    text = profile().replace('name="Extras" type="discrete"', 'name="Extras" type="integer"')
    problem = error_of(domain_folder(tmp_path, a=text)).problems[0]
    assert "issue 'Extras' is integer here but discrete in the domain" in problem.message
    untyped = profile().replace('name="Extras" type="discrete"', 'name="Extras"')
    assert read_genius_folder(domain_folder(tmp_path / "b", a=untyped)).party("a")


def test_issue_without_type(tmp_path: Path) -> None:
    domain = DOMAIN.replace(' vtype="discrete" type="discrete"', "")
    problem = error_of(write(tmp_path / "D", {"d.xml": domain, "a.xml": profile()})).problems[0]
    assert "issue 'Extras' has type None; expected 'discrete' or 'integer'" in problem.message


# --- untidy names -------------------------------------------------------------------


def test_issue_names_that_clean_alike_are_refused(tmp_path: Path) -> None:
    domain = DOMAIN.replace('name="Extras"', 'name=" Colour"')
    problem = error_of(write(tmp_path / "D", {"d.xml": domain, "a.xml": profile()})).problems[0]
    assert problem.message == (
        "issue 'Colour' (line 5) and ' Colour' (line 11) both become the id 'Colour'"
    )
    assert problem.location is not None
    assert problem.location.line == 11


def test_profile_files_that_clean_alike_are_refused(tmp_path: Path) -> None:
    folder = domain_folder(tmp_path, **{"a": profile(), "a ": profile()})
    problem = error_of(folder).problems[0]
    assert problem.message == "the files 'a .xml' and 'a.xml' both become the id 'a'"
    assert problem.location is not None
    assert problem.location.file == str(folder)


def test_untidy_file_and_folder_names_become_ids(tmp_path: Path) -> None:
    folder = write(tmp_path / "My  Cars ", {"cars.xml": DOMAIN, " buyer\u00a0.xml": profile()})
    scenario = read_genius_folder(folder)
    assert scenario.id == "My Cars"
    assert [(p.id, p.name) for p in scenario.parties] == [("buyer", " buyer\u00a0")]
    assert [s.id for s in scenario.sources] == ["genius-cars", "genius-buyer"]


def test_profile_issue_names_match_the_domain_up_to_whitespace(tmp_path: Path) -> None:
    domain = DOMAIN.replace('name="Extras"', 'name="Extras "')
    folder = write(tmp_path / "D", {"d.xml": domain, "a.xml": profile()})
    scenario = read_genius_folder(folder)
    assert scenario.issue("Extras").title == "Extras "


def test_profile_values_match_the_domain_text_exactly(tmp_path: Path) -> None:
    """GENIUS looks a profile's items up by their exact text."""
    domain = DOMAIN.replace('value="all"', 'value="all "')
    problem = error_of(write(tmp_path / "D", {"d.xml": domain, "a.xml": profile()})).problems[0]
    assert problem.message == "issue 'Extras' has no value 'all'"
    assert problem.hint == "did you mean 'all '?"

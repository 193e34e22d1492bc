"""``accord import genius`` and ``accord analyze FOLDER`` on a GENIUS domain whose names
carry stray whitespace and non-ASCII text, as real ANAC domains do."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from accord.cli.main import app
from accord.io.genius import read_genius_folder
from accord.io.scenario_file import parse_scenario

runner = CliRunner()

DOMAIN = """<negotiation_template><utility_space><objective index="0" name="root">
<issue index="1" name=" Founders " type="discrete">
<item index="1" value="BI-Tech founders get 5% + jobs "/>
<item index="2" value="Nothing  for&#9;founders"/>
</issue>
<issue index="2" name="Cafe\u0301" type="discrete">
<item index="1" value="crème "/>
<item index="2" value="noir"/>
</issue>
</objective></utility_space></negotiation_template>
"""

PROFILE = """<utility_space><objective index="0" name="root">
<weight index="1" value="{w}"/><weight index="2" value="0.4"/>
<issue index="1" name=" Founders " type="discrete">
<item value="BI-Tech founders get 5% + jobs " evaluation="{e}"/>
<item value="Nothing  for&#9;founders" evaluation="1"/>
</issue>
<issue index="2" name="Cafe\u0301" type="discrete">
<item value="crème " evaluation="1"/><item value="noir" evaluation="2"/>
</issue></objective><reservation value="0.3"/></utility_space>
"""

TIDY = {
    " Founders ": "Founders",
    "BI-Tech founders get 5% + jobs ": "BI-Tech founders get 5% + jobs",
    "Nothing  for&#9;founders": "Nothing for founders",
    "Cafe\u0301": "Café",
    "crème ": "crème",
}


def write(folder: Path, tidy: bool = False) -> Path:
    folder.mkdir(parents=True)
    files = {
        "domain.xml": DOMAIN,
        "a.xml": PROFILE.format(w=0.6, e=3),
        "b.xml": PROFILE.format(w=0.3, e=0.5),
    }
    for name, text in files.items():
        for untidy, clean in TIDY.items() if tidy else ():
            text = text.replace(f'"{untidy}"', f'"{clean}"')
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_import_keeps_the_names_as_labels(tmp_path: Path) -> None:
    folder = write(tmp_path / "Startup")
    result = runner.invoke(app, ["import", "genius", str(folder)])
    assert result.exit_code == 0, result.stderr
    scenario = parse_scenario(result.stdout, "imported.yaml")
    assert scenario == read_genius_folder(folder)
    founders = scenario.issue("Founders")
    assert founders.title == " Founders "
    assert founders.option_ids() == ("BI-Tech founders get 5% + jobs", "Nothing for founders")
    assert [o.label for o in founders.options] == [
        "BI-Tech founders get 5% + jobs ",
        "Nothing  for\tfounders",
    ]
    assert scenario.issue("Café").title == "Cafe\u0301"


def test_analyze_a_folder_with_untidy_names_as_its_tidy_twin(tmp_path: Path) -> None:
    untidy = runner.invoke(app, ["analyze", str(write(tmp_path / "a" / "D")), "-f", "json"])
    tidy = runner.invoke(
        app, ["analyze", str(write(tmp_path / "b" / "D", tidy=True)), "-f", "json"]
    )
    assert untidy.exit_code == 0, untidy.stderr
    assert tidy.exit_code == 0, tidy.stderr
    assert json.loads(untidy.stdout) == json.loads(tidy.stdout)
    text = runner.invoke(app, ["analyze", str(tmp_path / "a" / "D")])
    assert text.exit_code == 0
    assert "Nothing  for" in text.stdout  # the egalitarian package, shown by its label


def test_names_that_clean_alike_fail_with_a_located_message(tmp_path: Path) -> None:
    folder = write(tmp_path / "D")
    domain = (folder / "domain.xml").read_text("utf-8").replace('"noir"', '"crème"')
    (folder / "domain.xml").write_text(domain, encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(folder)])
    assert result.exit_code != 0
    assert "Traceback" not in result.stderr
    assert f"{folder / 'domain.xml'}:8:" in result.stderr
    assert "value 'crème ' (line 7) and 'crème' (line 8) of issue 'Cafe\u0301'" in result.stderr
    assert "both become the id 'crème'" in result.stderr

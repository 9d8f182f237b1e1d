"""``mobes movements figure``: every movement's figure as an SVG file, and what a user sees
when a figure is missing, mistyped or asked for the wrong way; team movements bring their
own figure (validated with the config's errors) or are shown as text."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from mobes.adapters.catalog_file import builtin

SVG = "{http://www.w3.org/2000/svg}"
IDS = [m.id for m in builtin()]

TEAM = """
[[movement]]
id = "shoulder-shrugs"
name = "Shoulder shrugs"
kind = "mobilization"
regions = ["shoulders", "neck"]
position = ["standing", "seated"]
cue = "Lift both shoulders toward the ears, then let them drop."
easier = "Shrug only halfway."
steps = ["Stand tall.", "Lift both shoulders toward your ears.", "Let them drop."]
[movement.dose]
unit = "reps"
amount = 10
floor = 5
max = 30
target = 20
{figure}

[[movement]]
id = "ankle-alphabet"
name = "Ankle alphabet"
kind = "mobilization"
regions = ["ankles-feet"]
position = ["seated"]
cue = "Write the alphabet in the air with your big toe."
easier = "Only the first half of the alphabet."
steps = ["Sit and lift one foot.", "Trace each letter with the big toe."]
[movement.dose]
unit = "reps"
amount = 1
floor = 1
max = 3
target = 2
"""

GOOD_FIGURE = """
[movement.figure]
view = "front"
start = "standing"
side = "both"
cycle = 2.0
[[movement.figure.keys]]
at = 0.8
collar = { elev = 30 }
"""

BAD_FIGURE = """
[movement.figure]
view = "sid"
start = "standing"
side = "both"
cycle = 2.0
[[movement.figure.keys]]
at = 0.8
neck = { rot = 120 }
collar = { elevation = 30 }
"""


@pytest.fixture
def team(tmp_path):
    def write(figure: str) -> dict:
        path = tmp_path / "team.toml"
        path.write_text(TEAM.replace("{figure}", figure), encoding="utf-8")
        return {"MOBES_TEAM_CONFIG": str(path)}

    return write


@pytest.mark.parametrize("mid", IDS)
def test_every_movement_writes_an_animated_and_a_static_svg(cli, tmp_path, mid):
    out = tmp_path / f"{mid}.svg"
    r = cli("movements", "figure", mid, "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert f"written to {out}" in r.stdout
    root = ET.parse(out).getroot()
    assert root.tag == SVG + "svg"
    assert any(True for _ in root.iter(SVG + "animate"))
    still = tmp_path / f"{mid}-static.svg"
    r = cli("movements", "figure", mid, "-o", str(still), "--static")
    assert r.returncode == 0, r.stderr
    assert not any(True for _ in ET.parse(still).getroot().iter(SVG + "animate"))


def test_dash_writes_the_svg_to_standard_output(cli):
    r = cli("movements", "figure", "Neck rotation", "-o", "-")
    assert r.returncode == 0 and r.stderr == ""
    assert ET.fromstring(r.stdout).find(SVG + "title").text == "Neck rotation"


def test_json_says_what_was_written(cli, tmp_path):
    out = tmp_path / "f.svg"
    r = cli("movements", "figure", "knee-to-chest", "-o", str(out), "--static", "--side",
            "left", "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc == {"movement": "knee-to-chest", "file": str(out), "static": True,
                   "side": "left", "bytes": out.stat().st_size}
    assert "left knee" in out.read_text(encoding="utf-8")


def test_mistakes_get_clear_errors(cli, tmp_path):
    r = cli("movements", "figure", "neck-rotatoin", "-o", str(tmp_path / "x.svg"))
    assert r.returncode == 2 and "no movement 'neck-rotatoin'" in r.stderr
    assert "did you mean 'neck-rotation'" in r.stderr
    r = cli("movements", "figure", "wide-arm-circles", "-o", "-", "--side", "left")
    assert r.returncode == 2 and "moves both sides together" in r.stderr
    r = cli("movements", "figure", "neck-rotation", "-o", str(tmp_path / "no" / "x.svg"))
    assert r.returncode == 1 and "cannot write the figure to" in r.stderr
    assert "Traceback" not in r.stderr
    r = cli("movements", "figure", "neck-rotation")
    assert r.returncode == 2 and "-o/--output" in r.stderr


def test_show_says_where_to_see_the_figure(cli):
    r = cli("movements", "show", "iliopsoas-mobilization")
    assert r.returncode == 0
    assert ("Figure:     mobes movements figure iliopsoas-mobilization -o "
            "iliopsoas-mobilization.svg") in r.stdout
    doc = json.loads(cli("movements", "show", "iliopsoas-mobilization", "--json").stdout)
    assert doc["figure"] == ("mobes movements figure iliopsoas-mobilization -o "
                             "iliopsoas-mobilization.svg")


def test_a_team_movement_with_a_figure_is_drawn(cli, team):
    env = team(GOOD_FIGURE)
    r = cli("movements", "figure", "shoulder-shrugs", "-o", "-", env=env)
    assert r.returncode == 0, r.stderr
    root = ET.fromstring(r.stdout)
    assert any(el.get("data-seg") == "l_collar" for el in root.iter())


def test_a_team_movement_without_a_figure_is_text_only(cli, team):
    env = team(GOOD_FIGURE)
    shown = cli("movements", "show", "ankle-alphabet", env=env)
    assert shown.returncode == 0
    assert "Figure:     none: this team movement has no [movement.figure] table" in shown.stdout
    assert "1. Sit and lift one foot." in shown.stdout  # the steps are the view
    assert json.loads(cli("movements", "show", "ankle-alphabet", "--json",
                          env=env).stdout)["figure"] is None
    r = cli("movements", "figure", "ankle-alphabet", "-o", "-", env=env)
    assert r.returncode == 1 and r.stdout == ""
    assert "Ankle alphabet has no figure" in r.stderr and "text only" in r.stderr


def test_a_team_figures_mistakes_are_listed_like_any_config_mistake(cli, team):
    env = team(BAD_FIGURE)
    r = cli("movements", "show", "shoulder-shrugs", env=env)
    assert r.returncode == 2
    lines = [ln.strip() for ln in r.stderr.splitlines()]
    where = env["MOBES_TEAM_CONFIG"] + ": [[movement]] #1 (shoulder-shrugs).figure"
    assert f'{where}.view = "sid": expected one of front, side, top (did you mean ' \
           "'side'?)" in lines
    assert f"{where}.keys[0].neck.rot = 120: out of range; expected a number from -60 to " \
           "60 (neck rotation)" in lines
    assert f"{where}.keys[0].collar.elevation = 30: unknown angle; expected an angle of " \
           "collar: elev, prot (did you mean 'elev'?)" in lines

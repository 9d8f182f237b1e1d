"""Catalog errors carry their parts as fields, and the config loader uses those fields
(it does not take the message apart)."""

import pytest

from mobes.config import ConfigError, load
from mobes.domain.catalog import CatalogError, parse_movement

GOOD = {"id": "desk-shrug", "name": "Desk shrug", "kind": "mobilization",
        "regions": ["shoulder"], "position": ["sitting"], "cue": "Shrug, then drop.",
        "easier": "Smaller shrugs.", "steps": ["Lift", "Drop"],
        "dose": {"unit": "reps", "amount": 10, "floor": 5, "max": 20, "target": 10}}


def test_a_bad_value_names_what_was_expected_and_what_came():
    with pytest.raises(CatalogError) as e:
        parse_movement({**GOOD, "dose": {**GOOD["dose"], "amount": 30}})
    err = e.value
    assert (err.field, err.problem) == ("dose.amount", "")
    assert err.expected == "floor <= amount <= max (5..20)" and err.got == "30"
    assert str(err).endswith("field 'dose.amount': expected floor <= amount <= max (5..20), "
                             "got 30")


def test_a_problem_without_an_expectation():
    with pytest.raises(CatalogError) as e:
        parse_movement({**GOOD, "colour": "red"})
    assert (e.value.field, e.value.expected) == ("colour", "")
    assert e.value.problem.startswith("unknown field")


def test_the_config_loader_reports_the_same_parts(tmp_path):
    user = tmp_path / "user.toml"
    user.write_text('[[movement]]\nid = "desk-shrug"\nname = "Desk shrug"\n'
                    'kind = "mobilization"\nregions = ["shoulder"]\nposition = ["sitting"]\n'
                    'cue = "Shrug."\neasier = "Less."\nsteps = ["Lift"]\n'
                    'dose = { unit = "reps", amount = 30, floor = 5, max = 20, target = 10 }\n',
                    encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        load(user_file=str(user), team_file=None)
    (p,) = e.value.problems
    assert p.key == "[[movement]] #1 (desk-shrug).dose.amount" and p.value == 30
    assert p.expected == "floor <= amount <= max (5..20), got 30" and p.problem == ""

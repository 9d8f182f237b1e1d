"""Layered configuration: precedence, locks, team movements, errors, origins, commands."""

import json
import os
import sys
from datetime import date
from pathlib import Path

import pytest

from mobes import config
from mobes.adapters import tomlcompat
from mobes.config import ConfigError, leaf_keys, load
from mobes.domain.settings import WEEKDAYS, Plan, PlanItem, Settings

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "config" / "team.example.toml"


@pytest.fixture
def user_file(mobes_home):
    """Write the user config file (the one mobes finds under MOBES_HOME)."""
    path = mobes_home / "config" / "config.toml"

    def write(text: str) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def team_file(tmp_path, monkeypatch):
    """Write a team file and name it through MOBES_TEAM_CONFIG."""
    path = tmp_path / "shared" / "team.toml"

    def write(text: str) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        monkeypatch.setenv("MOBES_TEAM_CONFIG", str(path))
        return path

    return write


def problems(excinfo) -> list[str]:
    return [str(p) for p in excinfo.value.problems]


# ------------------------------------------------------------------ defaults


def test_no_files_gives_the_builtin_defaults():
    loaded = load()
    assert loaded.settings == Settings()
    assert set(loaded.origins) == set(leaf_keys())
    assert set(loaded.origins.values()) == {"default"}
    assert loaded.warnings == [] and list(loaded.files) == ["default"]


def test_default_toml_documents_every_key():
    text = (ROOT / "mobes" / "data" / "default.toml").read_text()
    doc = tomlcompat.loads(text)
    written = {f"{s}.{k}" for s, keys in doc.items() if isinstance(keys, dict) for k in keys}
    assert written == set(leaf_keys())
    # every key line sits in a block of lines that has a comment explaining it
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line and line[0].isalpha() and "=" in line:
            j = i
            while j > 0 and lines[j - 1].strip() and not lines[j - 1].startswith("#"):
                j -= 1
            assert j > 0 and lines[j - 1].startswith("#"), f"undocumented key: {line}"


def test_config_default_toml_is_the_packaged_file():
    link = ROOT / "config" / "default.toml"
    assert link.is_symlink()
    assert link.resolve() == (ROOT / "mobes" / "data" / "default.toml").resolve()


# ---------------------------------------------------------------- precedence


def test_precedence_across_all_four_layers(user_file, team_file):
    team = team_file("""
[microbreaks]
interval_minutes = 30
snooze_minutes = 10
max_snoozes = 4
[work]
timezone = "Europe/Paris"
""")
    user = user_file("""
[microbreaks]
snooze_minutes = 7
max_snoozes = 3
[notifications]
app_name = "stretch"
""")
    loaded = load({"microbreaks.max_snoozes": 1})
    s, o = loaded.settings, loaded.origins
    assert s.microbreaks.duration_seconds == 45 and o["microbreaks.duration_seconds"] == "default"
    assert s.microbreaks.interval_minutes == 30
    assert o["microbreaks.interval_minutes"] == f"team: {team}"
    assert s.work.timezone == "Europe/Paris" and o["work.timezone"] == f"team: {team}"
    assert s.microbreaks.snooze_minutes == 7 and o["microbreaks.snooze_minutes"] == f"user: {user}"
    assert s.notifications.app_name == "stretch"
    assert s.microbreaks.max_snoozes == 1 and o["microbreaks.max_snoozes"] == "command line"
    assert loaded.files == {"default": config.default_file(), "team": str(team),
                            "user": str(user)}


def test_team_file_named_in_user_file_relative_to_it(user_file, mobes_home):
    (mobes_home / "config").mkdir()
    (mobes_home / "config" / "team.toml").write_text("[microbreaks]\ninterval_minutes = 25\n")
    user_file('team_config = "team.toml"\n')
    loaded = load()
    assert loaded.settings.microbreaks.interval_minutes == 25
    assert loaded.files["team"] == str(mobes_home / "config" / "team.toml")


def test_environment_names_the_team_file_over_the_user_file(user_file, team_file, tmp_path):
    other = tmp_path / "other.toml"
    other.write_text("[microbreaks]\ninterval_minutes = 50\n")
    user_file(f'team_config = "{other}"\n')
    team_file("[microbreaks]\ninterval_minutes = 40\n")
    assert load().settings.microbreaks.interval_minutes == 40


def test_mobes_config_names_the_user_file(tmp_path, monkeypatch):
    path = tmp_path / "elsewhere.toml"
    path.write_text("[tray]\nenabled = false\n")
    monkeypatch.setenv("MOBES_CONFIG", str(path))
    loaded = load()
    assert loaded.settings.tray.enabled is False
    assert loaded.origins["tray.enabled"] == f"user: {path}"


def test_user_sets_and_movements_add_to_the_teams(user_file, team_file):
    team_file(EXAMPLE.read_text())
    user_file("""
[sets]
hands-and-wrists = ["wrist-circles"]
mine = ["neck-circles", "desk-shoulder-blade-squeeze"]
""")
    s = load().settings
    sets = dict(s.sets)
    assert sets["hands-and-wrists"] == ("wrist-circles",)  # the user's version
    assert "desk-basics" in sets and sets["mine"][1] == "desk-shoulder-blade-squeeze"
    assert [m.id for m in s.movements] == ["desk-shoulder-blade-squeeze"]
    assert s.movements[0].origin == "team"


def test_command_line_overrides_are_validated():
    with pytest.raises(ConfigError) as e:
        load({"microbreaks.interval_minute": 15, "tray.backend": "gtkk"})
    msgs = problems(e)
    assert "command line: microbreaks.interval_minute = 15" in msgs[0]
    assert "did you mean 'microbreaks.interval_minutes'" in msgs[0]
    assert "command line: [tray].backend = \"gtkk\"" in msgs[1]
    assert "did you mean 'gtk'?" in msgs[1]


# -------------------------------------------------------------------- locks


def test_locked_key_override_is_ignored_with_a_warning(user_file, team_file):
    team = team_file('locked = ["microbreaks.interval_minutes", "work"]\n'
                     "[microbreaks]\ninterval_minutes = 15\n")
    user = user_file("[microbreaks]\ninterval_minutes = 45\nsnooze_minutes = 9\n"
                     '[work]\nmonday = ["10:00-11:00"]\n')
    loaded = load({"microbreaks.interval_minutes": 60})
    s = loaded.settings
    assert s.microbreaks.interval_minutes == 15
    assert loaded.origins["microbreaks.interval_minutes"] == f"team: {team}"
    assert s.microbreaks.snooze_minutes == 9  # not locked
    assert s.work.days[0] == ((540, 1020),)  # the whole [work] section is locked
    assert s.locked == ("microbreaks.interval_minutes", "work")
    w = loaded.warnings
    assert len(w) == 3
    assert str(user) in w[0] and "[microbreaks].interval_minutes = 45" in w[0]
    assert str(team) in w[0] and "ignored" in w[0]
    assert "[work].monday" in w[1]
    assert w[2].startswith("command line: [microbreaks].interval_minutes = 60")


def test_locked_override_with_the_same_value_is_not_warned(user_file, team_file):
    team_file('locked = ["tray"]\n[tray]\nbackend = "xorg"\n')
    user_file('[tray]\nbackend = "xorg"\n')
    assert load().warnings == []


def test_locked_named_entries(user_file, team_file):
    team_file('locked = ["sets.desk-basics"]\n[sets]\ndesk-basics = ["neck-circles"]\n')
    user_file('[sets]\ndesk-basics = ["wrist-circles"]\nmine = ["wrist-circles"]\n')
    loaded = load()
    assert dict(loaded.settings.sets) == {"desk-basics": ("neck-circles",),
                                          "mine": ("wrist-circles",)}
    assert "[sets].desk-basics" in loaded.warnings[0]


def test_lock_of_an_unknown_key_is_an_error(team_file):
    team = team_file('locked = ["microbreaks.interval", "notifications.enabled"]\n')
    with pytest.raises(ConfigError) as e:
        load()
    (msg,) = problems(e)
    assert msg.startswith(f'{team}: locked = "microbreaks.interval"')
    assert "did you mean 'microbreaks.interval_minutes'" in msg


def test_only_a_team_file_locks_and_only_a_user_file_names_a_team(user_file, team_file):
    team = team_file('team_config = "/etc/passwd"\n')
    user = user_file('locked = ["tray"]\n')
    with pytest.raises(ConfigError) as e:
        load()
    msgs = problems(e)
    assert any(m.startswith(f"{team}: team_config") and "cannot name another file" in m
               for m in msgs)
    assert any(m.startswith(f"{user}: locked") and "only a team file" in m for m in msgs)


# ----------------------------------------------------------- the example file


def test_team_example_loads_as_documented(monkeypatch):
    monkeypatch.setenv("MOBES_TEAM_CONFIG", str(EXAMPLE))
    s = load().settings
    assert s.work.days[0] == ((8 * 60 + 30, 12 * 60), (13 * 60, 17 * 60))
    assert s.microbreaks.interval_minutes == 15
    assert s.microbreaks.movement_set == "desk-basics"
    assert "microbreaks.interval_minutes" in s.locked
    custom = [m.id for m in s.movements]
    assert custom == ["desk-shoulder-blade-squeeze"]
    assert "desk-shoulder-blade-squeeze" in dict(s.sets)["desk-basics"]
    assert set(s.preferences().only) == set(dict(s.sets)["desk-basics"])


def test_team_movements_appear_in_mobes_movements(cli):
    env = {"MOBES_TEAM_CONFIG": str(EXAMPLE)}
    data = json.loads(cli("movements", "--json", env=env).stdout)
    mine = [m for m in data if m["id"] == "desk-shoulder-blade-squeeze"]
    assert mine and mine[0]["desk_friendly"] and mine[0]["origin"] == "team"
    assert not any(m["id"] == "desk-shoulder-blade-squeeze"
                   for m in json.loads(cli("movements", "--json").stdout))
    r = cli("movements", "show", "Desk squeeze", env=env)
    assert r.returncode == 0 and "Shoulder blade squeeze" in r.stdout


def test_now_draws_from_the_team_set(cli):
    r = cli("now", "--json", env={"MOBES_TEAM_CONFIG": str(EXAMPLE)})
    assert r.returncode == 0, r.stderr
    team = tomlcompat.loads(EXAMPLE.read_text())
    assert json.loads(r.stdout)["movements"][0]["id"] in team["sets"]["desk-basics"]


# ------------------------------------------------------------------- errors


@pytest.mark.parametrize("section, key, value, expected", [
    ("microbreaks", "interval_minutes", "200", "a whole number of minutes from 5 to 120"),
    ("microbreaks", "interval_minutes", '"20"', "a whole number of minutes from 5 to 120"),
    ("microbreaks", "duration_seconds", "90", "a whole number of seconds from 30 to 60"),
    ("microbreaks", "enabled", '"yes"', "true or false"),
    ("microbreaks", "pause_choices", '["30 min"]', 'a list of 1 to 6 pause lengths like "30m"'),
    ("microbreaks", "idle_threshold_minutes", "0", "a whole number of minutes from 1 to 60"),
    ("work", "monday", '["9-5"]', 'a list of "HH:MM-HH:MM" windows'),
    ("work", "timezone", '"Mars/Olympus"', '"local" or an IANA time zone name'),
    ("adaptation", "too_hard_factor", "1.5", "a number from 0.3 to 0.95"),
    ("rehab", "tempo_seconds", "true", "a number from 0.5 to 10"),
    ("tray", "backend", '"qt"', "one of 'auto', 'gtk'"),
    ("notifications", "app_name", '""', "a non-empty string"),
])
def test_bad_value_names_file_key_value_and_expected(user_file, section, key, value,
                                                     expected):
    path = user_file(f"[{section}]\n{key} = {value}\n")
    with pytest.raises(ConfigError) as e:
        load()
    (msg,) = problems(e)
    assert msg.startswith(f"{path}: [{section}].{key} = {value}: ")
    assert "expected " + expected in msg
    p = e.value.problems[0]
    assert (p.file, p.key) == (str(path), f"[{section}].{key}")


def test_errors_of_every_layer_are_listed_together(user_file, team_file):
    team = team_file("[microbreaks]\nduration_seconds = 5\n")
    user = user_file("[tray]\nbackend = 3\n[microbreaks]\nsnooze_minutes = 0\n")
    with pytest.raises(ConfigError) as e:
        load()
    msgs = problems(e)
    assert len(msgs) == 3
    assert msgs[0].startswith(f"{team}: [microbreaks].duration_seconds = 5")
    assert {m.split(" = ")[0] for m in msgs[1:]} == {
        f"{user}: [tray].backend", f"{user}: [microbreaks].snooze_minutes"}
    assert str(e.value).startswith("3 problems in the configuration:")


@pytest.mark.parametrize("text, key, hint", [
    ("[microbreaks]\nintervall_minutes = 10\n", "[microbreaks].intervall_minutes",
     "did you mean 'interval_minutes'?"),
    ("[microbreak]\ninterval_minutes = 10\n", "microbreak", "did you mean 'microbreaks'?"),
    ("interval_minutes = 10\n", "interval_minutes",
     "did you mean [microbreaks].interval_minutes?"),
    ("[work]\nidle_threshold_minutes = 3\n", "[work].idle_threshold_minutes",
     "did you mean [microbreaks].idle_threshold_minutes?"),
    ("[work]\nfridy = []\n", "[work].fridy", "did you mean 'friday'?"),
    ("[[movements]]\nid = 'x'\n", "movements", "did you mean 'movement'?"),
])
def test_unknown_keys_are_errors_with_a_hint(user_file, text, key, hint):
    path = user_file(text)
    with pytest.raises(ConfigError) as e:
        load()
    (msg,) = problems(e)
    assert msg.startswith(f"{path}: {key} = ")
    assert "unknown key" in msg and hint in msg


@pytest.mark.parametrize("text, value, hint", [
    ('[microbreaks]\nexclude = ["neck-circle"]\n', '"neck-circle"', "'neck-circles'"),
    ('[microbreaks]\nfocus = ["sholders"]\n', '"sholders"', "'shoulders'"),
    ('[microbreaks]\nfocus = ["low-back pain"]\n', '"low-back pain"', "'low back pain'"),
    ('[sets]\nmine = ["wrist-circle"]\n', '"wrist-circle"', "'wrist-circles'"),
    ('[sets]\ndesk = ["wrist-circles"]\n[microbreaks]\nmovement_set = "dsk"\n', '"dsk"',
     "'desk'"),
])
def test_references_must_exist_with_a_hint(user_file, text, value, hint):
    path = user_file(text)
    with pytest.raises(ConfigError) as e:
        load()
    (msg,) = problems(e)
    assert msg.startswith(f"{path}: [") and f" = {value}: " in msg
    assert f"did you mean {hint}?" in msg


def test_toml_syntax_error_gives_line_and_column(user_file):
    path = user_file("[microbreaks]\n# the cadence\ninterval_minutes = = 15\n")
    with pytest.raises(ConfigError) as e:
        load()
    (p,) = e.value.problems
    assert p.file == str(path) and p.key == "line 3, column 20"
    msg = str(p)
    assert msg.startswith(f"{path}: line 3, column 20: syntax error")
    assert "interval_minutes = = 15\n" + " " * 23 + "^" in msg


def test_unterminated_value_points_at_the_end_of_the_file(user_file):
    path = user_file('[work]\nmonday = ["09:00-17:00",\n')
    with pytest.raises(ConfigError) as e:
        load()
    assert str(e.value).startswith(f"{path}: line 2, column ")


def test_duplicate_table_and_non_utf8(user_file):
    path = user_file("[tray]\nenabled = true\n[tray]\n")
    with pytest.raises(ConfigError) as e:
        load()
    assert str(e.value).startswith(f"{path}: line 3, column ")
    path.write_bytes(b"[tray]\nbackend = \"\xff\"\n")
    with pytest.raises(ConfigError) as e:
        load()
    assert str(e.value).startswith(f"{path}: line 2, column 12: the file is not valid UTF-8")


def test_broken_config_is_one_clear_message_without_traceback(cli, user_file):
    path = user_file("[microbreaks]\ninterval_minutes = 500\n")
    for args in (("now",), ("movements",), ("config", "show")):
        r = cli(*args)
        assert r.returncode == 2
        assert r.stderr.startswith(f"mobes: error: {path}: [microbreaks].interval_minutes")
        assert "Traceback" not in r.stderr


# ------------------------------------------------------------- team movements


MOVEMENT = """
[[movement]]
id = "{id}"
name = "{name}"
kind = "mobilization"
regions = ["neck"]
position = ["seated"]
cue = "Nod slowly."
easier = "Nod less."
steps = ["Sit tall.", "Nod."]
[movement.dose]
unit = "reps"
amount = {amount}
floor = 3
max = 20
target = 10
"""


def test_invalid_team_movement_names_the_field(team_file):
    team = team_file(MOVEMENT.format(id="nod", name="Nod", amount=50))
    with pytest.raises(ConfigError) as e:
        load()
    (msg,) = problems(e)
    assert msg.startswith(f"{team}: [[movement]] #1 (nod).dose.amount = 50: ")
    assert "expected floor <= amount <= max" in msg


def test_team_movement_cannot_reuse_a_builtin_id(team_file):
    team = team_file(MOVEMENT.format(id="neck-circles", name="Nod", amount=5))
    with pytest.raises(ConfigError) as e:
        load()
    (msg,) = problems(e)
    assert msg.startswith(f'{team}: [[movement]] #1 (neck-circles).id = "neck-circles"')
    assert "built-in" in msg


def test_a_broken_movement_is_reported_once(team_file):
    team_file(MOVEMENT.format(id="nod", name="Nod", amount=0)
              + '[sets]\nmine = ["nod"]\n')
    with pytest.raises(ConfigError) as e:
        load()
    assert len(e.value.problems) == 1  # not also "no such movement" for the set


# -------------------------------------------------------------------- plans


def test_rehab_plans_are_parsed(user_file):
    user_file("""
[[rehab.plan]]
name = "Morning hips"
movements = [{id = "iliopsoas-mobilization", reps = 50},
             {id = "figure-four-stretch", hold_seconds = 30, holds = 4}]
sets = 1
per_side = true
times = ["18:30", "07:45"]
days = ["friday", "monday"]
start_date = 2026-11-20
trial_days = 5

[[rehab.plan]]
name = "Carer program"
movements = [{id = "assisted-hip-abduction", reps = 10}]
caregiver = true
""")
    plans = load().settings.rehab.plans
    assert plans[0] == Plan(
        name="Morning hips",
        items=(PlanItem(movement="iliopsoas-mobilization", reps=50),
               PlanItem(movement="figure-four-stretch", hold_seconds=30, holds=4)),
        sets=1, per_side=True, times=("07:45", "18:30"), days=("monday", "friday"),
        start_date=date(2026, 11, 20), trial_days=5, origin="user")
    assert plans[1].caregiver and plans[1].days == WEEKDAYS and plans[1].times == ("08:00",)
    assert plans[1].per_side is None  # not given: each movement as it is dosed


def test_config_check_applies_the_one_plan_rule(user_file):
    # 2 sets at 2 batch times is 4 sets a day: the method says 1-3 (issue 14); the same
    # plan marked prescribed is a therapist's programme and is kept as given.
    plan = ('[[rehab.plan]]\nname = "P"\nmovements = [{id = "spinal-twist", reps = 50}]\n'
            'sets = 2\ntimes = ["08:00", "18:00"]\n')
    user_file(plan)
    with pytest.raises(ConfigError) as e:
        load()
    (msg,) = problems(e)
    assert "(P).sets = 2" in msg and "2 sets x 2 batch times = 4 sets a day" in msg
    assert "approximately 1-3 sets per day" in msg
    user_file(plan + "prescribed = true\n")
    (p,) = load().settings.rehab.plans
    assert p.prescribed and p.sets == 2


@pytest.mark.parametrize("item, expected", [
    ('{id = "neck-circles", reps = 80}', "from 25 to 75 reps each direction for 'neck-circles'"),
    ('{id = "neck-circles", reps = 10}', "from 25 to 75 reps"),
    ('{id = "assisted-hip-abduction", reps = 30}', "from 3 to 15 reps"),
    ('{id = "figure-four-stretch", hold_seconds = 200}', "from 15 to 90 seconds"),
    ('{id = "figure-four-stretch", reps = 20}', "hold_seconds = 15 to 90"),
    ('{id = "neck-circle", reps = 30}', "the id of a movement in the catalog"),
    ('{id = "neck-circles"}', "reps = N"),
    ('{id = "neck-circles", reps = 30, holds = 2}', "holds only together with hold_seconds"),
])
def test_plan_doses_follow_the_rehab_rules(user_file, item, expected):
    path = user_file(f'[[rehab.plan]]\nname = "P"\nmovements = [{item}]\n')
    with pytest.raises(ConfigError) as e:
        load()
    (msg,) = problems(e)
    assert msg.startswith(f"{path}: [[rehab.plan]] #1 (P).movements[1]")
    assert expected in msg


def test_plan_field_errors(user_file):
    path = user_file('[[rehab.plan]]\nname = "P"\nsets = 4\ntimes = ["25:00"]\n'
                     'days = ["mon"]\nstart_date = "2026-11-20"\nrepz = 3\n'
                     'movements = [{id = "neck-circles", reps = 99}]\n')
    with pytest.raises(ConfigError) as e:
        load()
    keys = [p.key for p in e.value.problems]
    assert all(p.file == str(path) for p in e.value.problems)
    assert keys == ["[[rehab.plan]] #1 (P).repz", "[[rehab.plan]] #1 (P).sets",
                    "[[rehab.plan]] #1 (P).times", "[[rehab.plan]] #1 (P).days",
                    "[[rehab.plan]] #1 (P).start_date",
                    "[[rehab.plan]] #1 (P).movements[1].reps"]
    assert "did you mean 'monday'?" in str(e.value.problems[3])


def test_user_plan_replaces_team_plan_of_the_same_name(user_file, team_file):
    team_file('[[rehab.plan]]\nname = "Neck"\nmovements = [{id = "neck-circles", reps = 30}]\n'
              '[[rehab.plan]]\nname = "Wrists"\n'
              'movements = [{id = "wrist-circles", reps = 30}]\n')
    user_file('[[rehab.plan]]\nname = "Neck"\nmovements = [{id = "neck-circles", reps = 40}]\n')
    plans = load().settings.rehab.plans
    assert [(p.name, p.items[0].reps, p.origin) for p in plans] == [
        ("Neck", 40, "user"), ("Wrists", 30, "team")]


# --------------------------------------------------------------- file safety


def test_team_file_must_be_a_regular_readable_file(user_file, tmp_path):
    user = user_file(f'team_config = "{tmp_path}"\n')
    with pytest.raises(ConfigError) as e:
        load()
    assert str(e.value) == (f'{user}: team_config = "{tmp_path}": the file is not a regular '
                            "file; expected the path of a readable team file")
    user_file('team_config = "/dev/zero"\n')
    with pytest.raises(ConfigError, match="not a regular file"):
        load()
    user_file('team_config = "missing.toml"\n')
    with pytest.raises(ConfigError, match="missing.toml\": the file is missing"):
        load()


def test_missing_team_file_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("MOBES_TEAM_CONFIG", str(tmp_path / "nope.toml"))
    with pytest.raises(ConfigError) as e:
        load()
    assert str(e.value).startswith("environment: MOBES_TEAM_CONFIG = ")


def test_loading_writes_nothing_but_its_cache(user_file, team_file, mobes_home, tmp_path):
    team = team_file(EXAMPLE.read_text())
    user_file("[microbreaks]\nsnooze_minutes = 3\n")
    old = 1_000_000_000
    for p in (team, mobes_home / "config" / "config.toml"):
        os.utime(p, (old, old))

    def listing():
        return sorted(str(p) for p in tmp_path.rglob("*"))

    before = listing()
    load()
    load()
    new = set(listing()) - set(before)
    assert new <= {str(mobes_home / "state"), str(mobes_home / "state" / "toml-cache.marshal")}


# ------------------------------------------------------------------ commands


def test_config_init_writes_a_commented_file_that_loads_as_the_defaults(cli, mobes_home):
    r = cli("config", "init")
    assert r.returncode == 0, r.stderr
    path = mobes_home / "config" / "config.toml"
    assert str(path) in r.stdout
    text = path.read_text()
    assert "# interval_minutes = 20" in text and '# team_config = "' in text
    assert tomlcompat.loads(text).keys() <= {"work", "microbreaks", "rehab", "adaptation",
                                          "notifications", "tray", "sets"}
    assert load().settings == Settings()
    # uncommenting a line is enough to change a setting
    path.write_text(text.replace("# interval_minutes = 20", "interval_minutes = 25"))
    assert load().settings.microbreaks.interval_minutes == 25


def test_config_init_refuses_to_overwrite_without_force(cli, user_file):
    path = user_file("[tray]\nenabled = false\n")
    r = cli("config", "init")
    assert r.returncode == 2 and "already exists" in r.stderr and "--force" in r.stderr
    assert path.read_text() == "[tray]\nenabled = false\n"
    r = cli("config", "init", "--force")
    assert r.returncode == 0 and "# enabled = true" in path.read_text()


def test_config_check_lists_every_error_and_exits_1(cli, user_file):
    path = user_file("[microbreaks]\ninterval_minutes = 1\nduration_seconds = 100\n"
                     "[tray]\nbakend = 'gtk'\n")
    r = cli("config", "check")
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    assert len(lines) == 4 and lines[-1] == "3 problems found."
    assert all(line.startswith(f"{path}: ") for line in lines[:3])
    assert "did you mean 'backend'?" in lines[2]
    data = json.loads(cli("config", "check", "--json").stdout)
    assert data["ok"] is False and len(data["problems"]) == 3
    assert data["problems"][0]["key"] == "[microbreaks].interval_minutes"
    assert data["problems"][0]["value"] == 1


def test_config_check_ok_and_given_files(cli, tmp_path):
    r = cli("config", "check")
    assert r.returncode == 0 and r.stdout.startswith("ok: default")
    r = cli("config", "check", "--team", str(EXAMPLE))
    assert r.returncode == 0 and f"team ({EXAMPLE})" in r.stdout
    bad = tmp_path / "mine.toml"
    bad.write_text("[work]\ntimezone = 'Europe/Pari'\n")
    r = cli("config", "check", str(bad))
    assert r.returncode == 1 and "did you mean 'Europe/Paris'?" in r.stdout
    r = cli("config", "check", str(tmp_path / "none.toml"))
    assert r.returncode == 1 and "missing" in r.stdout


def _origin_lines(text: str) -> dict[str, str]:
    """{'section.key': origin} from `config show --origin` for the plain settings."""
    out, section = {}, ""
    for line in text.splitlines():
        if line.startswith("["):
            section = line.split("  #")[0].strip().strip("[]")
        elif " = " in line and "  # " in line and section != "movement":
            body, origin = line.rsplit("  # ", 1)
            key = body.split(" = ", 1)[0].strip()
            out[f"{section}.{key}" if section else key] = origin
    return out


def test_config_show_origin_with_the_example_team_file(cli, user_file):
    user = user_file(f"""team_config = "{EXAMPLE}"
[microbreaks]
interval_minutes = 10
snooze_minutes = 8
[work]
friday = []
[sets]
mine = ["neck-circles"]
""")
    r = cli("config", "show", "--origin")
    assert r.returncode == 0
    assert "interval_minutes = 10 is ignored" in r.stderr  # locked by the team
    shown = _origin_lines(r.stdout)
    team, me = f"team: {EXAMPLE}", f"user: {user}"
    expected = {k: "default" for k in leaf_keys()}
    for day in ("monday", "tuesday", "wednesday", "thursday"):
        expected[f"work.{day}"] = team
    expected.update({
        "work.timezone": team, "work.friday": me,
        "microbreaks.interval_minutes": team, "microbreaks.duration_seconds": team,
        "microbreaks.movement_set": team, "microbreaks.pause_choices": team,
        "microbreaks.snooze_minutes": me,
        "locked": team, "sets.desk-basics": team, "sets.hands-and-wrists": team,
        "sets.mine": me,
    })
    assert {k: v for k, v in shown.items() if not k.startswith("movement")} == expected
    # the team's movement: every one of its lines carries the team file
    movement = r.stdout.split("[[movement]]", 1)[1].splitlines()
    assert movement[0].endswith(team) and all(line.endswith(team) for line in movement[1:])
    # JSON says the same
    data = json.loads(cli("config", "show", "--json").stdout)
    assert {k: v["origin"] for k, v in data.items()} == {
        **expected, "movement.desk-shoulder-blade-squeeze": team}
    assert data["microbreaks.interval_minutes"]["value"] == 15
    assert data["work.friday"]["value"] == []


def test_config_show_is_toml_that_loads_back_to_the_same_settings(cli, user_file, tmp_path,
                                                                   monkeypatch):
    user_file(f'team_config = "{EXAMPLE}"\n[[rehab.plan]]\nname = "Neck"\n'
              'movements = [{id = "neck-circles", reps = 30}]\nstart_date = 2026-12-01\n')
    original = load().settings
    text = cli("config", "show").stdout
    assert "# " not in text  # plain output has no origins
    copy = tmp_path / "copy.toml"
    copy.write_text("\n".join(line for line in text.splitlines()
                              if not line.startswith("locked")))
    monkeypatch.setenv("MOBES_CONFIG", str(copy))
    again = load().settings
    assert again.replace(locked=(), movements=()) == original.replace(locked=(), movements=())
    assert [m.replace(origin="x") for m in again.movements] == [
        m.replace(origin="x") for m in original.movements]


def test_config_path(cli, user_file, mobes_home):
    r = cli("config", "path")
    assert r.returncode == 0
    assert "(none: set team_config" in r.stdout and "missing: 'mobes config init'" in r.stdout
    user_file(f'team_config = "{EXAMPLE}"\n')
    data = json.loads(cli("config", "path", "--json").stdout)
    assert data["user"] == {"path": str(mobes_home / "config" / "config.toml"),
                            "exists": True, "note": "MOBES_HOME"}
    assert data["team"]["path"] == str(EXAMPLE) and data["team"]["exists"]
    assert data["default"]["path"].endswith(os.path.join("mobes", "data", "default.toml"))


def test_bootstrap_reports_warnings_on_stderr(cli, user_file):
    user_file(f'team_config = "{EXAMPLE}"\n[microbreaks]\ninterval_minutes = 10\n')
    r = cli("now")
    assert r.returncode == 0
    assert r.stderr.startswith("mobes: warning: ") and "locks 'microbreaks.interval_minutes'" \
        in r.stderr


def test_config_is_not_imported_by_help():
    import subprocess

    code = ("import sys, mobes.cli; mobes.cli.main(['--help']); "
            "print('mobes.config' in sys.modules, "
            "any(m in sys.modules for m in ('tomllib', 'tomli')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}).stdout
    assert out.strip().splitlines()[-1] == "False False"

"""The method's rules at the doors a user meets (issue 14), through the real command line:
the short caution in `mobes now --json` and `mobes batch`, a caregiver plan with no flags,
the one plan rule in `plan add` and `config check`, and hold totals in `mobes stats`."""

import json

from mobes.adapters import tomlcompat


def test_now_json_carries_the_short_caution_and_the_pain_rule(cli):
    r = cli("now", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    (mv,) = data["movements"]
    assert mv["caution_short"] and "stop" in mv["caution_short"].lower()
    assert mv["pain_rule"].startswith("Pain means stop")
    assert mv["cautions"] and mv["variant"] == "full"
    assert data["break_seconds"] == 45
    text = cli("now").stdout
    assert f"Caution: {mv['caution_short']}" in text


def test_a_caregiver_plan_with_no_flags_speaks_to_the_helper_each_side(cli, mobes_home):
    r = cli("plan", "add", "care", "-m", "assisted-hip-knee-flexion",
            "-m", "assisted-shoulder-rotation")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "Caregiver plan: instructions speak to the helper." in out
    assert "For the helper: support the limb just above and just below the joint" in out
    assert "Hip and knee flexion 10 reps each side a set" in out
    assert "or a 30 s hold at the point of resistance" in out
    assert "1 set(s), each side," in out
    assert "The handout's rule: Each movement 10 times, or one 30 s hold" in out
    plan = tomlcompat.loads((mobes_home / "config" / "config.toml").read_text())["rehab"]["plan"][0]
    assert "caregiver" not in plan and "per_side" not in plan  # follows the movements
    r = cli("plan", "list", "--json")
    (listed,) = json.loads(r.stdout)
    assert listed["caregiver"] is None and listed["per_side"] is None
    r = cli("plan", "add", "care2", "-m", "assisted-hip-knee-flexion", "--no-per-side",
            "--no-caregiver")
    assert r.returncode == 0 and "Caregiver plan" not in r.stdout  # the flags override
    assert "each side" not in r.stdout


def test_plan_add_and_config_check_apply_the_one_rule_for_sets_a_day(cli, mobes_home):
    args = ("-m", "spinal-twist:50", "--sets", "3", "--time", "08:00", "--time", "18:00")
    r = cli("plan", "add", "twice", *args)
    assert r.returncode == 2
    assert "--sets 3: 3 sets x 2 batch times = 6 sets a day" in r.stderr
    assert 'The rule: 1-3 sets a day in total, counting every batch time (the method: ' \
           '"approximately 1-3 sets per day"' in r.stderr
    assert "--prescribed" in r.stderr and "Traceback" not in r.stderr
    r = cli("plan", "add", "twice", *args, "--prescribed")
    assert r.returncode == 0, r.stderr
    assert "as prescribed: kept as given, never raised" in r.stdout
    assert cli("config", "check").returncode == 0  # the same rule agrees
    path = mobes_home / "config" / "config.toml"
    path.write_text(path.read_text().replace("prescribed = true\n", ""))
    r = cli("config", "check")
    assert r.returncode != 0
    assert "3 sets x 2 batch times = 6 sets a day" in r.stdout + r.stderr


def test_a_guided_batch_of_32_holds_of_15_s_is_480_s_of_holds(cli):
    r = cli("plan", "add", "holds", "-m", "table-hip-external-rotation:15x4",
            "-m", "prone-hip-internal-rotation:15x4", "--sets", "2", "--per-side",
            "--prescribed")
    assert r.returncode == 0, r.stderr
    r = cli("batch", "holds", "--speed", "1000", "--json", input="o\no\n")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["status"] == "complete"
    assert sum(s["holds"] for s in out["steps"]) == 32
    assert all(s["caution_short"] and s["label"] == "as prescribed" for s in out["steps"])
    assert "Caution: " in r.stderr  # the guide shows it with every movement
    stats = json.loads(cli("stats", "--json").stdout)
    assert stats["hold_seconds"] == 480  # every hold counts: not 8 sets x 15 s = 120
    assert {m["id"]: m["amount"] for m in stats["movements"]} == {
        "table-hip-external-rotation": 240, "prone-hip-internal-rotation": 240}
    log = cli("log").stdout
    assert "60 of 60 s held (counted by the guide)" in log


def test_the_neck_crick_example_is_enterable_and_shown_each_direction(cli):
    r = cli("plan", "add", "crick", "-m", "neck-circles:40", "--sets", "3")
    assert r.returncode == 0, r.stderr
    assert "Neck circles 40 reps each direction (80 in all) a set" in r.stdout
    assert "build-up" in r.stdout  # it starts gently below 25 each way
    r = cli("batch", "crick", "--tempo", "0", "--rest", "0", "--json", input="o\n")
    out = json.loads(r.stdout)
    first = out["steps"][0]
    assert first["directions"] == 2 and first["total"] == 2 * first["target"]
    assert f"{first['target']} reps each direction ({first['total']} in all)" in r.stderr
    assert "Now the other way" in r.stderr
    stats = json.loads(cli("stats", "--json").stdout)
    assert stats["reps"] == 3 * first["total"]  # both directions counted


def test_movements_show_names_the_source_and_the_caution(cli):
    r = cli("movements", "show", "abdominal-lift")
    assert "Source: Mobilizations: dynamic joint mobility drills (Paul Ingraham)" in r.stdout
    assert "003_98ecb572298f8cc8" not in r.stdout
    assert "Desk:       no (needs an empty stomach (mornings only))" in r.stdout
    assert "Caution:    Mornings only, on an empty stomach" in r.stdout
    data = json.loads(cli("movements", "show", "neck-circles", "--json").stdout)
    assert data["caution_short"] and data["sources"][0]["title"].startswith("Mobilizations")

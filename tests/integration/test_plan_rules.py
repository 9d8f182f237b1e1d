"""Each shared plan rule, through both doors: a plan the config loader accepts, `mobes plan
add` accepts too, and the other way round (mobes.domain.rules holds the rules once)."""

import pytest

from mobes import cli
from mobes.config import ConfigError, load, toml_value

BASE = {"name": "knee", "movements": [{"id": "spinal-twist", "reps": 50}], "sets": 1,
        "times": ["08:00"], "trial_days": 3}


def config_accepts(tmp_path, **fields) -> bool:
    plan = {**BASE, **fields}
    lines = ["[[rehab.plan]]", *(f"{k} = {toml_value(v)}" for k, v in plan.items())]
    path = tmp_path / "user.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        load(user_file=str(path), team_file=None)
    except ConfigError:
        return False
    return True


def plan_add_accepts(capsys, *args, name="knee") -> bool:
    code = cli.main(["plan", "add", name, *args])
    capsys.readouterr()
    assert code in (0, 2)
    return code == 0


def both(tmp_path, capsys, config_fields, cli_args, name="knee"):
    return (config_accepts(tmp_path, **config_fields, name=name),
            plan_add_accepts(capsys, *cli_args, name=name))


@pytest.mark.parametrize("days, ok", [(-1, False), (0, True), (1, True), (30, True),
                                      (31, False)])
def test_trial_days(tmp_path, capsys, days, ok):
    assert both(tmp_path, capsys, {"trial_days": days},
                ["-m", "spinal-twist:50", "--trial-days", str(days)]) == (ok, ok)


@pytest.mark.parametrize("sets, ok", [(0, False), (1, True), (3, True), (4, False)])
def test_sets(tmp_path, capsys, sets, ok):
    assert both(tmp_path, capsys, {"sets": sets},
                ["-m", "spinal-twist:50", "--sets", str(sets)]) == (ok, ok)


@pytest.mark.parametrize("sets, times, prescribed, ok", [
    (1, ["08:00", "12:00", "18:00"], False, True), (2, ["08:00", "18:00"], False, False),
    (3, ["08:00", "18:00"], False, False), (3, ["08:00", "18:00"], True, True),
    (4, ["08:00", "18:00"], True, True), (10, ["08:00"], True, True),
    (11, ["08:00"], True, False)])
def test_sets_a_day_in_total(tmp_path, capsys, sets, times, prescribed, ok):
    # issue 14: 1-3 sets a day counting every batch time, unless a therapist prescribed more
    fields = {"sets": sets, "times": times} | ({"prescribed": True} if prescribed else {})
    args = ["-m", "spinal-twist:50", "--sets", str(sets)]
    for t in times:
        args += ["--time", t]
    args += ["--prescribed"] if prescribed else []
    assert both(tmp_path, capsys, fields, args) == (ok, ok)


@pytest.mark.parametrize("item, arg, prescribed, ok", [
    ({"id": "lying-hip-rotations", "reps": 8}, "lying-hip-rotations:8", False, False),
    ({"id": "lying-hip-rotations", "reps": 8}, "lying-hip-rotations:8", True, True),
    ({"id": "neck-circles", "reps": 40}, "neck-circles:40", False, True),
    ({"id": "neck-circles", "reps": 80}, "neck-circles:80", False, False)])
def test_prescribed_doses_and_each_direction(tmp_path, capsys, item, arg, prescribed, ok):
    fields = {"movements": [item]} | ({"prescribed": True} if prescribed else {})
    args = ["-m", arg] + (["--prescribed"] if prescribed else [])
    assert both(tmp_path, capsys, fields, args) == (ok, ok)


@pytest.mark.parametrize("times, anytime, ok", [
    (["07:00"], False, True), (["14:00"], False, False), (["07:00"], True, False)])
def test_mornings_only_for_an_empty_stomach(tmp_path, capsys, times, anytime, ok):
    item = {"id": "abdominal-lift", "hold_seconds": 8, "holds": 3}
    fields = {"movements": [item], "times": times} | ({"anytime": True} if anytime else {})
    args = ["-m", "abdominal-lift:8x3", "--time", times[0]] + (["--anytime"] if anytime else [])
    assert both(tmp_path, capsys, fields, args) == (ok, ok)


@pytest.mark.parametrize("times, ok", [
    (["07:30"], True), (["7:30"], True), (["23:59"], True), (["00:00"], True),
    (["24:00"], False), (["25:00"], False), (["7:5"], False), (["12:60"], False),
    (["7.30"], False), (["07:30", "7:30"], False), (["07:00", "12:00", "18:00"], True),
    (["06:00", "07:00", "12:00", "18:00"], False)])
def test_time_strings(tmp_path, capsys, times, ok):
    args = ["-m", "spinal-twist:50"]
    for t in times:
        args += ["--time", t]
    assert both(tmp_path, capsys, {"times": times}, args) == (ok, ok)


@pytest.mark.parametrize("reps, ok", [(24, False), (25, True), (75, True), (76, False)])
def test_rep_ranges(tmp_path, capsys, reps, ok):
    assert both(tmp_path, capsys, {"movements": [{"id": "spinal-twist", "reps": reps}]},
                ["-m", f"spinal-twist:{reps}"]) == (ok, ok)


@pytest.mark.parametrize("seconds, holds, ok", [
    (9, 4, False), (10, 4, True), (60, 4, True), (61, 4, False),
    (30, 0, False), (30, 1, True), (30, 20, True), (30, 21, False)])
def test_hold_ranges(tmp_path, capsys, seconds, holds, ok):
    mid = "table-hip-external-rotation"
    assert both(tmp_path, capsys,
                {"movements": [{"id": mid, "hold_seconds": seconds, "holds": holds}]},
                ["-m", f"{mid}:{seconds}x{holds}"]) == (ok, ok)


@pytest.mark.parametrize("count, ok", [(1, True), (5, True), (6, False)])
def test_movement_count(tmp_path, capsys, count, ok):
    ids = ["spinal-twist", "neck-rotation", "neck-circles", "wrist-circles", "foot-circles",
           "pelvic-circles"][:count]
    args = [a for mid in ids for a in ("-m", mid)]
    from mobes.adapters.catalog_file import builtin
    from mobes.domain.rehab import plan_amount_range

    cat = builtin()
    items = [{"id": mid, "reps": plan_amount_range(cat.get(mid))[1]} for mid in ids]
    assert both(tmp_path, capsys, {"movements": items}, args) == (ok, ok)


@pytest.mark.parametrize("name, ok", [("knee", True), ("x" * 60, True), ("x" * 61, False),
                                      ('kn"ee', False), ("kn'ee", False), (" ", False)])
def test_plan_names(tmp_path, capsys, name, ok):
    assert both(tmp_path, capsys, {}, ["-m", "spinal-twist:50"], name=name) == (ok, ok)

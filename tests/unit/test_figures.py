"""The figures of all 60 built-in movements: anatomy checks over the whole catalog, the
validator's precise errors, and the SVG each figure becomes.

The anatomy checks (mobes/domain/figure_check.py) are run over every movement: joints
inside the range-of-motion table, segment lengths that never change, nothing through the
floor, a chair, a bed or a table, planted feet that stay planted, the movement's own
regions doing the moving, and per-side figures that mirror. The tests at the end change
the data on purpose (a keyframe pushed out of range, a leg through the mat, a hip moved in
a neck exercise, ...) and show that the same checks catch it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from functools import cache

import pytest

from mobes.adapters.catalog_file import builtin
from mobes.adapters.figure_file import builtin_figures
from mobes.domain import anatomy as A
from mobes.domain import figure_check as C
from mobes.domain.figure import (
    FigureError,
    figure_problems,
    mirror,
    mirror_pose,
    parse_figure,
    start_pose,
)
from mobes.domain.motion import Motion
from mobes.ui import figure_svg

CATALOG = builtin()
IDS = [m.id for m in CATALOG]
SVG = "{http://www.w3.org/2000/svg}"


@cache
def motion(mid: str) -> Motion:
    return Motion(builtin_figures()[mid])


def test_every_movement_has_a_figure_and_every_figure_a_movement():
    assert len(IDS) == 60
    assert sorted(builtin_figures()) == sorted(IDS)


# ------------------------------------------------------------------ anatomy, per movement


@pytest.mark.parametrize("mid", IDS)
def test_joints_stay_inside_the_range_of_motion_table(mid):
    assert C.rom_problems(motion(mid)) == []


@pytest.mark.parametrize("mid", IDS)
def test_segment_lengths_never_change(mid):
    assert C.length_problems(motion(mid)) == []


@pytest.mark.parametrize("mid", IDS)
def test_nothing_goes_through_the_floor_the_chair_the_bed_or_the_table(mid):
    assert C.contact_problems(motion(mid)) == []


@pytest.mark.parametrize("mid", IDS)
def test_planted_feet_knees_and_hands_stay_down(mid):
    assert C.planted_problems(motion(mid)) == []


@pytest.mark.parametrize("mid", IDS)
def test_the_movement_moves_its_own_regions_and_only_those(mid):
    assert C.region_problems(motion(mid), CATALOG.get(mid)) == []


@pytest.mark.parametrize("mid", [m.id for m in CATALOG if m.dose.per_side])
def test_per_side_figures_work_their_side_and_mirror(mid):
    fig = builtin_figures()[mid]
    assert fig.side in ("left", "right")
    assert C.side_problems(motion(mid), CATALOG.get(mid)) == []
    assert C.mirror_problems(fig, motion(mid)) == []
    other = Motion(mirror(fig))
    assert other.side != motion(mid).side
    # the mirrored figure moves the other side's joints of the same kind
    assert {A.joint_type(j) for j in other.moving} == {A.joint_type(j)
                                                        for j in motion(mid).moving}


@pytest.mark.parametrize("mid", IDS)
def test_the_figure_fits_its_movement(mid):
    assert C.catalog_problems(builtin_figures()[mid], CATALOG.get(mid)) == []


def test_caregiver_movements_draw_the_helpers_hands():
    helped = {m.id for m in CATALOG if m.helper}
    drawn = {mid for mid, f in builtin_figures().items() if f.helper}
    assert helped == drawn and len(helped) == 16


def test_neck_rotation_turns_the_neck_not_the_hips():
    m = motion("neck-rotation")
    assert m.moving == {"neck"}
    assert m.highlight == {"neck", "head"}
    first = m.points[0]
    for pts in m.points:
        for p in ("hip_c", "l_hip", "r_hip", "l_knee", "r_ankle", "c7"):
            assert pts[p] == pytest.approx(first[p])
    noses = [pts["nose"][0] for pts in m.points]
    assert max(noses) > first["nose"][0] + 5 and min(noses) < first["nose"][0] - 5


# ------------------------------------------------------------------ the checks catch it


def _raw(mid: str) -> dict:
    from mobes.adapters.figure_file import FIGURES_FILE
    from mobes.adapters.tomlcache import load_toml

    return load_toml(FIGURES_FILE)[mid]


def test_a_keyframe_pushed_out_of_range_is_rejected_with_its_key_path():
    raw = _raw("neck-rotation")
    raw["keys"][0]["neck"]["rot"] = 95
    problems = figure_problems(raw)
    assert [(p.path, p.value, p.problem) for p in problems] == [
        ("keys[0].neck.rot", 95, "out of range")]
    assert problems[0].expected == "a number from -60 to 60 (neck rotation)"
    with pytest.raises(FigureError, match=r"keys\[0\]\.neck\.rot = 95"):
        parse_figure(raw)


def test_the_anatomy_check_reports_a_pose_beyond_the_table():
    # past the validator (as data built in code would be), the check still reports it
    fig = builtin_figures()["assisted-hip-knee-flexion"]
    key = fig.keys[0]
    joints = tuple((j, (("flex", 140.0),)) if j == "r_hip" else (j, d) for j, d in key.joints)
    bad = fig.replace(keys=(key.replace(joints=joints),))
    problems = C.rom_problems(Motion(bad))
    # the first frame past the limit, on the way to 140
    assert problems and problems[0].startswith("r_hip.flex = 12")
    assert "outside -30..120 (hip flexion" in problems[0]


def test_a_leg_pushed_through_the_mat_is_reported():
    fig = builtin_figures()["strap-hamstring-stretch"]
    key = fig.keys[0]
    joints = tuple((j, (("flex", -25.0),)) if j == "r_hip" else (j, d) for j, d in key.joints)
    problems = C.contact_problems(Motion(fig.replace(keys=(key.replace(joints=joints),))))
    assert any("into the floor" in p for p in problems)


def test_a_seated_leg_pushed_into_the_chair_is_reported():
    fig = builtin_figures()["neck-rotation"]
    bad = fig.replace(pose=fig.pose + (("hip", (("flex", 40.0),)),))
    assert any("into the seat" in p for p in C.contact_problems(Motion(bad)))


def test_a_hip_moved_in_a_neck_exercise_is_reported():
    fig = builtin_figures()["neck-rotation"]
    key = fig.keys[0]
    bad = fig.replace(keys=(key.replace(joints=key.joints + (("r_hip", (("abd", 20.0),)),)),)
                      + fig.keys[1:])
    problems = C.region_problems(Motion(bad), CATALOG.get("neck-rotation"))
    assert problems == ["moves hip, which belong to none of the regions neck and are not "
                        "listed in carries"]


def test_a_loop_off_the_doses_tempo_is_reported():
    fig = builtin_figures()["neck-rotation"]  # left and right: two reps of 2 s
    assert C.catalog_problems(fig.replace(reps=1), CATALOG.get("neck-rotation")) == [
        "cycle = 4 s is not the dose's tempo: 1 rep of 2 s make 2 s (reps = N says how many "
        "one loop shows)"]


def test_a_region_that_does_not_move_is_reported():
    fig = builtin_figures()["neck-rotation"]
    still = fig.replace(keys=tuple(k.replace(joints=()) for k in fig.keys))
    problems = C.region_problems(Motion(still), CATALOG.get("neck-rotation"))
    assert problems and "region 'neck'" in problems[0]


def test_a_planted_foot_that_slides_is_reported():
    fig = builtin_figures()["pelvic-circles"]
    key = fig.keys[0]
    joints = tuple((j, (("flex", 6.0), ("abd", 25.0))) if j == "l_hip" else (j, d)
                   for j, d in key.joints)
    bad = fig.replace(keys=(key.replace(joints=joints),) + fig.keys[1:])
    assert C.planted_problems(Motion(bad))


def test_a_wrong_side_is_reported(monkeypatch):
    fig = builtin_figures()["neck-rotation"]  # turns left first
    wrong = fig.replace(side="right")
    problems = C.side_problems(Motion(wrong), CATALOG.get("neck-rotation"))
    assert problems == ["the first key turns or bends toward the left, not the figure's "
                        "side (right)"]


def test_broken_mirroring_is_reported(monkeypatch):
    fig = builtin_figures()["neck-rotation"]
    # a mirror that forgets to turn the other way
    monkeypatch.setattr(A, "MIRRORED_DOFS", frozenset({"lat", "roll", "yaw"}))
    assert C.mirror_problems(fig)


def test_a_segment_that_changes_length_is_reported():
    m = Motion(builtin_figures()["wide-arm-circles"])
    pts = dict(m.points[3])
    x, y, z = pts["r_elbow"]
    pts["r_elbow"] = (x, y - 2.0, z)
    m.points[3] = pts
    assert any(p.startswith("r_upper_arm is") for p in C.length_problems(m))


# ------------------------------------------------------------------ kinematics


def test_mirroring_a_pose_reflects_the_body():
    from mobes.domain.kinematics import Body

    fig = builtin_figures()["deep-gluteal"]
    pose = start_pose(fig)
    body = Body()
    a, b = body.points(pose), body.points(mirror_pose(pose))
    for name, (x, y, z) in a.items():
        other = name.replace("l_", "#").replace("r_", "l_").replace("#", "r_") \
            if name[:2] in ("l_", "r_") else name
        assert b[other] == pytest.approx((-x, y, z))


def test_joint_signs_match_the_anatomy():
    from mobes.domain.kinematics import Body

    fig = parse_figure({"view": "side", "start": "standing", "side": "both", "cycle": 2,
                        "keys": [{"at": 1}]})
    pose = start_pose(fig)
    body = Body()

    def moved(joint, **angles):
        p = dict(pose)
        names = A.JOINT_DOFS[A.joint_type(joint)]
        p[joint] = tuple(angles.get(n, v) for n, v in zip(names, p[joint]))
        return body.points(p)

    rest = body.points(pose)
    assert moved("r_hip", flex=90)["r_knee"][2] > rest["r_knee"][2] + 20  # forward
    assert moved("r_hip", abd=40)["r_ankle"][0] < rest["r_ankle"][0] - 20  # out to the right
    assert moved("r_knee", flex=90)["r_ankle"][2] < -20  # the heel goes back
    assert moved("r_shoulder", plane=90, elev=90)["r_wrist"][2] > 25  # arm forward
    assert moved("l_shoulder", plane=0, elev=90)["l_wrist"][0] > 40  # arm out to the left
    assert moved("neck", rot=60)["nose"][0] > 5  # turns to the left (+x)
    assert moved("neck", lat=30)["head"][0] < -3  # bends to the right (-x)
    assert moved("lumbar", flex=40)["c7"][2] > 10  # bends forward
    assert moved("r_ankle", dorsi=20)["r_toe"][1] > rest["r_toe"][1] + 2  # toes up


def test_lying_postures_rest_on_their_surface():
    for start in ("supine", "prone", "side-lying", "hook-lying"):
        fig = parse_figure({"view": "side", "start": start, "side": "both", "cycle": 2,
                            "keys": [{"at": 1}]})
        m = Motion(fig)
        pts = m.points[0]
        low = min(pts[n][1] - A.radius(n) for n in pts)
        assert low == pytest.approx(0.0, abs=1.0), start
        assert pts["hip_c"][1] < 20 and pts["head"][1] < 25, start


# ------------------------------------------------------------------ validation


def test_every_mistake_in_a_figure_is_listed():
    problems = figure_problems({
        "view": "sideways", "start": "standng", "side": "both", "cycle": 0.2,
        "keys": [{"at": 1, "neck": {"spin": 10}}, {"at": 0.5, "r_knees": {"flex": 1}}],
        "props": ["chair", "sofa"], "helper": [{"at": "r_kne"}], "colour": "red"})
    paths = [p.path for p in problems]
    assert paths == ["colour", "view", "start", "cycle", "props[1].kind", "keys[0].neck.spin",
                     "keys[1].at", "keys[1].r_knees", "helper[0].at"]
    by = {p.path: p for p in problems}
    assert by["start"].hint == " (did you mean 'standing'?)"
    assert by["keys[1].r_knees"].problem == "unknown joint"
    assert by["keys[1].at"].problem == "keys out of order"
    assert by["cycle"].expected == "a number from 1 to 30 (seconds)"


def test_a_missing_field_is_named():
    problems = figure_problems({"view": "front", "side": "both", "cycle": 3, "keys": []})
    assert [(p.path, p.problem) for p in problems] == [("start", "required"), ("keys", "")]


# ------------------------------------------------------------------ SVG


@pytest.mark.parametrize("mid", IDS)
def test_each_figure_becomes_a_small_animated_svg_and_a_static_strip(mid):
    m = CATALOG.get(mid)
    fig = builtin_figures()[mid]
    hold = figure_svg.hold_text(m)
    animated = figure_svg.render(fig, m.name, hold=hold)
    static = figure_svg.render(fig, m.name, static=True, hold=hold)
    assert len(animated.encode()) < 20_000
    root = ET.fromstring(animated)
    assert root.tag == SVG + "svg" and root.find(SVG + "title").text == m.name
    assert root.iter(SVG + "animate") and any(True for _ in root.iter(SVG + "animate"))
    assert any(el.get("data-seg") for el in root.iter())  # the moving segment, highlighted
    assert "prefers-reduced-motion" in animated
    still = ET.fromstring(static)
    assert not any(True for _ in still.iter(SVG + "animate"))
    panels = [g for g in still if g.tag == SVG + "g"]
    assert 2 <= len(panels) <= 4
    for text in (animated, static):  # nothing outside the SVG: no links, images or script
        for bad in ("href", "<image", "<script", "url(", "http://www.w3.org/1999"):
            assert bad not in text


def test_the_animation_loops_one_repetition_at_the_movements_tempo():
    fig = builtin_figures()["wide-arm-circles"]
    tempo = CATALOG.get("wide-arm-circles").dose.tempo  # seconds a repetition
    root = ET.fromstring(figure_svg.render(fig, "Wide arm circles"))
    anims = list(root.iter(SVG + "animate"))
    assert {a.get("dur") for a in anims} == {f"{tempo:g}s"}
    assert {a.get("repeatCount") for a in anims} == {"indefinite"}
    for a in anims:
        times = [float(t) for t in a.get("keyTimes").split(";")]
        assert times[0] == 0 and times[-1] == 1 and times == sorted(times)
        values = a.get("values").split(";")
        assert len(values) == len(times) and values[0] == values[-1]  # it loops


def test_a_hold_is_labelled_with_the_doses_seconds():
    m = CATALOG.get("strap-hamstring-stretch")
    svg = figure_svg.render(builtin_figures()[m.id], m.name, hold=figure_svg.hold_text(m))
    assert f"hold {m.dose.amount} s" in svg


def test_per_side_figures_say_which_side_and_draw_the_other_side_on_request():
    fig = builtin_figures()["strap-hamstring-stretch"]
    right = figure_svg.render(fig, "x")
    left = figure_svg.render(fig, "x", side="left")
    assert "right leg" in right and "left leg" in left
    assert 'data-seg="r_thigh"' in right and 'data-seg="l_thigh"' in left
    front = figure_svg.render(builtin_figures()["neck-rotation"], "x")
    assert ">R<" in front and ">L<" in front  # front view: the person's right on our left


def test_figures_in_one_page_do_not_clash():
    svgs = [figure_svg.render(builtin_figures()[mid], mid) for mid in IDS[:5]]
    for s in svgs:
        assert " id=" not in s  # no ids: several figures can share one HTML page

"""Anatomy checks of a posed figure: every joint inside the range-of-motion table, segment
lengths that never change, nothing through the floor, a chair, a bed or a table, planted
feet that stay planted, the movement's own regions doing the moving, and sides that
mirror. Each check returns readable problems (empty when all is well). Pure.
"""

from __future__ import annotations

from math import asin, degrees, radians, sin

from mobes.domain import anatomy as A
from mobes.domain import kinematics as K
from mobes.domain.figure import Figure, fits, mirror, mirror_name
from mobes.domain.motion import Motion

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mobes.domain.model import Movement

TOUCH = 1.0  # how far (body units, about 1.7 cm) skin may press into a surface it rests on
FLOAT = 1.6  # how high a planted foot may rise off its surface
DRIFT = 2.5  # how far a planted foot may slide


def _when(m: Motion, i: int) -> str:
    return f"at {m.times[i]:.2f} s"


def rom_problems(m: Motion) -> list[str]:
    """Angles outside the normal range of motion (anatomy.ROM) in any frame."""
    out: list[str] = []
    seen: set[str] = set()
    for i, pose in enumerate(m.poses):
        for joint, values in pose.items():
            jtype = A.joint_type(joint)
            if jtype == "root":
                continue
            for dof, v in zip(A.JOINT_DOFS[jtype], values):
                lo, hi, what = A.ROM[(jtype, dof)]
                if not lo - 1e-6 <= v <= hi + 1e-6 and f"{joint}.{dof}" not in seen:
                    seen.add(f"{joint}.{dof}")
                    out.append(f"{joint}.{dof} = {v:.0f} {_when(m, i)}: outside {lo:g}..{hi:g} "
                               f"({what})")
        for k, dof in enumerate(("flex", "lat", "rot")):
            total = pose["lumbar"][k] + pose["thoracic"][k]
            lo, hi = A.SPINE_TOTAL[dof]
            if not lo - 1e-6 <= total <= hi + 1e-6 and f"spine.{dof}" not in seen:
                seen.add(f"spine.{dof}")
                out.append(f"lumbar + thoracic {dof} = {total:.0f} {_when(m, i)}: outside "
                           f"{lo:g}..{hi:g} (thoracolumbar spine)")
        for s in A.SIDES:
            plane, elev, _ = pose[f"{s}_shoulder"]
            behind = degrees(asin(max(0.0, -sin(radians(plane))) * sin(radians(elev))))
            limit = A.shoulder_behind_limit(elev)
            if behind > limit + 1e-6 and f"{s}.behind" not in seen:
                seen.add(f"{s}.behind")
                out.append(f"{s}_shoulder plane {plane:.0f}, elev {elev:.0f} {_when(m, i)}: the "
                           f"arm is {behind:.0f} behind the body, at most {limit:.0f} there "
                           "(extension 60, horizontal extension 45)")
    return out


def length_problems(m: Motion) -> list[str]:
    """Segments whose length differs between frames (or from the body's dimensions)."""
    out = []
    first = m.points[0]
    for seg, (a, b) in A.SEGMENTS.items():
        ref = K.distance(first[a], first[b])
        for i, pts in enumerate(m.points):
            d = K.distance(pts[a], pts[b])
            if abs(d - ref) > 1e-6 * max(ref, 1.0):
                out.append(f"{seg} is {d:.3f} long {_when(m, i)}, {ref:.3f} at the start")
                break
    expected = {"l_upper_arm": A.UPPER_ARM, "l_forearm": A.FOREARM, "l_hand": A.PALM,
                "l_thigh": A.THIGH, "l_shin": A.SHIN, "pelvis": 2 * A.HIP_HALF,
                "abdomen": A.ABDOMEN, "chest": A.CHEST}
    for seg, length in expected.items():
        for name in {seg, mirror_name(seg)}:
            a, b = A.SEGMENTS[name]
            d = K.distance(first[a], first[b])
            if abs(d - length) > 1e-6:
                out.append(f"{name} is {d:.3f} long, the body's is {length:g}")
    return out


def _samples(pts: K.Points):
    """(label, point, radius) along every segment, ends and two points between."""
    for seg, (a, b) in A.SEGMENTS.items():
        pa, pb = pts[a], pts[b]
        ra, rb = A.radius(a), A.radius(b)
        for f in (0.0, 1 / 3, 2 / 3, 1.0):
            p = (pa[0] + (pb[0] - pa[0]) * f, pa[1] + (pb[1] - pa[1]) * f,
                 pa[2] + (pb[2] - pa[2]) * f)
            yield seg, p, ra + (rb - ra) * f
    yield "head", pts["head"], A.HEAD_R


def contact_problems(m: Motion) -> list[str]:
    """Body parts that go through the floor or into a chair, bed, table or wall."""
    out = []
    seen: set[tuple[str, str]] = set()
    floor = m.floor
    solid = [b for b in m.boxes if b.solid]
    for i, pts in enumerate(m.points):
        for seg, p, r in _samples(pts):
            if p[1] - r < floor - TOUCH and (seg, "floor") not in seen:
                seen.add((seg, "floor"))
                out.append(f"{seg} goes {floor - (p[1] - r):.1f} into the floor {_when(m, i)}")
            for b in solid:
                depth = b.depth_inside(p, r)
                if depth > TOUCH and (seg, b.kind) not in seen:
                    seen.add((seg, b.kind))
                    out.append(f"{seg} goes {depth:.1f} into the {b.kind} {_when(m, i)}")
    return out


def planted_problems(m: Motion) -> list[str]:
    """Planted feet, knees or hands that leave the floor or slide over it."""
    out = []
    for part in m.planted:
        names = A.planted_points((part,))
        anchor = A.planted_anchors((part,))[0]
        a0 = m.points[0][anchor]
        for i, pts in enumerate(m.points):
            lift = K.lowest(pts, names) - m.floor
            if lift > FLOAT:
                out.append(f"planted {part} is {lift:.1f} off the floor {_when(m, i)}")
                break
            a = pts[anchor]
            drift = ((a[0] - a0[0]) ** 2 + (a[2] - a0[2]) ** 2) ** 0.5
            if drift > DRIFT:
                out.append(f"planted {part} slides {drift:.1f} {_when(m, i)}")
                break
    return out


def region_problems(m: Motion, movement: Movement) -> list[str]:
    """The movement's regions must move (each region at least one of its joints), and
    nothing else moves unless the figure says it is carried along (``carries``)."""
    moving = {A.joint_type(j) for j in m.moving}
    allowed = set(m.figure.carries)
    out = []
    for region in movement.regions:
        joints = A.REGION_JOINTS[region]
        allowed |= joints
        if not moving & joints:
            out.append(f"region {region!r}: none of its joints ({', '.join(sorted(joints))}) "
                       "moves")
    extra = moving - allowed
    if extra:
        out.append(f"moves {', '.join(sorted(extra))}, which belong to none of the regions "
                   f"{', '.join(movement.regions)} and are not listed in carries")
    return out


def mirror_problems(fig: Figure, m: Motion | None = None) -> list[str]:
    """The mirrored figure must be the mirror image of the figure, frame by frame."""
    if fig.side == "both":
        return []
    m = m or Motion(fig)
    other = Motion(mirror(fig))
    out = []
    if other.side == m.side:
        out.append(f"the mirrored figure shows the same side ({m.side})")
    for i, (a, b) in enumerate(zip(m.points, other.points)):
        for name, p in a.items():
            q = b[mirror_name(name)]
            if abs(q[0] + p[0]) > 1e-6 or abs(q[1] - p[1]) > 1e-6 or abs(q[2] - p[2]) > 1e-6:
                out.append(f"{name} {_when(m, i)} is not mirrored: {p} vs {q}")
                return out
    return out


def side_problems(m: Motion, movement: Movement) -> list[str]:
    """A per-side movement names its first side, and that side does the work: its own
    limb joints move, or (for the trunk and neck) it turns or bends that way first."""
    fig = m.figure
    if not movement.dose.per_side:
        return []
    if fig.side == "both":
        return ["a per-side movement needs side = \"left\" or \"right\""]
    s = fig.shown_side[0]
    own = {j for j in m.moving if A.joint_side(j) == s}
    region_types = set().union(*(A.REGION_JOINTS[r] for r in movement.regions))
    if any(A.joint_type(j) in region_types for j in own):
        return []
    if any(A.joint_side(j) is None for j in m.moving):
        # the trunk or neck works: the first key must go toward the named side
        start = m.poses[0]
        first = next((k for k, t in enumerate(m.times) if t >= fig.keys[0].at - 1e-9), 0)
        pose = m.poses[first]
        toward = 0.0
        for joint in ("neck", "thoracic", "lumbar", "root"):
            names = A.JOINT_DOFS[joint]
            for dof in ("rot", "lat", "yaw", "roll"):
                if dof in names:
                    d = pose[joint][names.index(dof)] - start[joint][names.index(dof)]
                    toward += d if dof in ("rot", "yaw") else -d
        if (toward > 0) == (s == "l") and abs(toward) > 1.0:
            return []
        return [f"the first key turns or bends toward the {'left' if toward > 0 else 'right'}"
                f", not the figure's side ({fig.shown_side})"]
    return [f"nothing on the {fig.shown_side} side of the movement's regions moves"]


def catalog_problems(fig: Figure, movement: Movement) -> list[str]:
    """The figure fits its movement: helper, hold, props and posture (figure.fits)."""
    return fits(fig, movement)


def problems(fig: Figure, movement: Movement) -> list[str]:
    """Every anatomy and consistency problem of one movement's figure."""
    m = Motion(fig)
    return (rom_problems(m) + length_problems(m) + contact_problems(m)
            + planted_problems(m) + region_problems(m, movement)
            + side_problems(m, movement) + mirror_problems(fig, m)
            + catalog_problems(fig, movement))

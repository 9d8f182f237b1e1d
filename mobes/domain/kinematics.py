"""Forward kinematics: joint angles -> 3D points of the body; placing the body on its
support; props as boxes; projecting to a view. Pure, standard library only.

Rotations are 3x3 matrices kept as flat 9-tuples (row-major); a pose is a dict
``joint -> tuple of angles`` in the order of ``anatomy.JOINT_DOFS``. See anatomy.py for
the axes and signs.
"""

from __future__ import annotations

from math import cos, radians, sin

from mobes.domain import anatomy as A

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

Vec = tuple[float, float, float]
Mat = tuple[float, float, float, float, float, float, float, float, float]
Pose = dict[str, tuple[float, ...]]
Points = dict[str, Vec]

IDENTITY: Mat = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0)


def rx(deg: float) -> Mat:
    if not deg:
        return IDENTITY
    c, s = cos(radians(deg)), sin(radians(deg))
    return (1.0, 0.0, 0.0, 0.0, c, -s, 0.0, s, c)


def ry(deg: float) -> Mat:
    if not deg:
        return IDENTITY
    c, s = cos(radians(deg)), sin(radians(deg))
    return (c, 0.0, s, 0.0, 1.0, 0.0, -s, 0.0, c)


def rz(deg: float) -> Mat:
    if not deg:
        return IDENTITY
    c, s = cos(radians(deg)), sin(radians(deg))
    return (c, -s, 0.0, s, c, 0.0, 0.0, 0.0, 1.0)


def mul(a: Mat, b: Mat) -> Mat:
    if a is IDENTITY:
        return b
    if b is IDENTITY:
        return a
    a0, a1, a2, a3, a4, a5, a6, a7, a8 = a
    b0, b1, b2, b3, b4, b5, b6, b7, b8 = b
    return (a0 * b0 + a1 * b3 + a2 * b6, a0 * b1 + a1 * b4 + a2 * b7, a0 * b2 + a1 * b5 + a2 * b8,
            a3 * b0 + a4 * b3 + a5 * b6, a3 * b1 + a4 * b4 + a5 * b7, a3 * b2 + a4 * b5 + a5 * b8,
            a6 * b0 + a7 * b3 + a8 * b6, a6 * b1 + a7 * b4 + a8 * b7, a6 * b2 + a7 * b5 + a8 * b8)


def at(p: Vec, m: Mat, v: Vec) -> Vec:
    """p + m @ v"""
    x, y, z = v
    return (p[0] + m[0] * x + m[1] * y + m[2] * z, p[1] + m[3] * x + m[4] * y + m[5] * z,
            p[2] + m[6] * x + m[7] * y + m[8] * z)


def swing(side: float, plane: float, elev: float) -> Mat:
    """Raise a hanging limb by ``elev`` degrees toward the horizontal direction ``plane``
    (0 = out to the side, 90 = forward) along the shortest path (no twist)."""
    if not elev:
        return IDENTITY
    hx, hz = side * cos(radians(plane)), sin(radians(plane))
    kx, kz = -hz, hx  # axis = down x h, horizontal and unit
    c, s = cos(radians(elev)), sin(radians(elev))
    t = 1.0 - c
    return (t * kx * kx + c, -s * kz, t * kx * kz,
            s * kz, c, -s * kx,
            t * kx * kz, s * kx, t * kz * kz + c)


def _local(jtype: str, side: float, v: tuple[float, ...]) -> Mat:
    """The rotation a joint adds to its parent's frame (see anatomy.py for signs)."""
    if jtype in ("lumbar", "thoracic", "neck"):
        return mul(mul(rx(v[0]), rz(v[1])), ry(v[2]))
    if jtype == "root":
        return mul(mul(rx(v[0]), rz(v[1])), ry(v[2]))
    if jtype == "shoulder":
        return mul(swing(side, v[0], v[1]), ry(-side * v[2]))
    if jtype == "elbow":
        return mul(rx(-v[0]), ry(-side * v[1]))
    if jtype == "wrist":
        return mul(rz(-side * v[0]), rx(-v[1]))
    if jtype == "fingers":
        return rz(-side * v[0])
    if jtype == "thumb":
        return mul(rx(v[0]), rz(-side * 0.5 * v[0]))
    if jtype == "hip":
        return mul(mul(rx(-v[0]), rz(side * v[1])), ry(-side * v[2]))
    if jtype in ("knee", "toes"):
        return rx(v[0])
    if jtype == "ankle":
        return mul(mul(rx(-v[0]), ry(-side * 0.6 * v[1])), rz(-side * 0.8 * v[1]))
    if jtype == "collar":
        return mul(rz(side * v[0]), ry(-side * v[1]))
    return IDENTITY


class Body:
    """Forward kinematics with a per-joint cache of local rotations (most joints hold still
    through a movement, so most frames reuse them)."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, tuple[float, ...]], Mat] = {}

    def _rot(self, joint: str, jtype: str, side: float, v: tuple[float, ...]) -> Mat:
        key = (joint, v)
        m = self._cache.get(key)
        if m is None:
            if len(self._cache) > 4096:
                self._cache.clear()
            m = self._cache[key] = _local(jtype, side, v)
        return m

    def points(self, pose: Mapping[str, tuple[float, ...]]) -> Points:
        """Every named point of the body for ``pose``, pelvis centre at the origin."""
        rot = self._rot
        p: Points = {}
        r0 = rot("root", "root", 0.0, pose["root"])
        hip_c = (0.0, 0.0, 0.0)
        p["hip_c"] = hip_c
        lumbar = at(hip_c, r0, A.HIP_TO_LUMBAR)
        p["lumbar"] = lumbar
        r1 = mul(r0, rot("lumbar", "lumbar", 0.0, pose["lumbar"]))
        thoracic = at(lumbar, r1, (0.0, A.ABDOMEN, 0.0))
        p["thoracic"] = thoracic
        draw = pose["belly"][0] / 100.0
        p["belly"] = at(lumbar, r1, (0.0, A.ABDOMEN * 0.45, 7.0 - 4.5 * draw))
        p["pubis"] = at(hip_c, r0, (0.0, -1.0, 5.5))
        r2 = mul(r1, rot("thoracic", "thoracic", 0.0, pose["thoracic"]))
        c7 = at(thoracic, r2, (0.0, A.CHEST, 0.0))
        p["c7"] = c7
        p["sternum"] = at(thoracic, r2, (0.0, A.CHEST * 0.55, 6.0))
        r3 = mul(r2, rot("neck", "neck", 0.0, pose["neck"]))
        skull = at(c7, r3, A.NECK)
        p["skull"] = skull
        head = at(skull, r3, A.HEAD_CENTRE)
        p["head"] = head
        p["nose"] = at(head, r3, (0.0, -0.6, 7.8))
        p["l_eye"] = at(head, r3, (2.4, 0.9, 5.9))
        p["r_eye"] = at(head, r3, (-2.4, 0.9, 5.9))
        for s, side in (("l", 1.0), ("r", -1.0)):
            v = pose[s + "_collar"]
            if v[0] or v[1]:
                m = rot(s + "_collar", "collar", side, v)
                sh = at(c7, mul(r2, m), (side * A.COLLAR, -0.6, -0.8))
            else:
                sh = at(c7, r2, (side * A.COLLAR, -0.6, -0.8))
            p[s + "_shoulder"] = sh
            ra = mul(r2, rot(s + "_shoulder", "shoulder", side, pose[s + "_shoulder"]))
            elbow = at(sh, ra, (0.0, -A.UPPER_ARM, 0.0))
            p[s + "_elbow"] = elbow
            rf = mul(ra, rot(s + "_elbow", "elbow", side, pose[s + "_elbow"]))
            wrist = at(elbow, rf, (0.0, -A.FOREARM, 0.0))
            p[s + "_wrist"] = wrist
            rh = mul(rf, rot(s + "_wrist", "wrist", side, pose[s + "_wrist"]))
            knuckles = at(wrist, rh, (0.0, -A.PALM, 0.0))
            p[s + "_knuckles"] = knuckles
            rg = mul(rh, rot(s + "_fingers", "fingers", side, pose[s + "_fingers"]))
            p[s + "_fingertips"] = at(knuckles, rg, (0.0, -A.FINGERS, 0.0))
            tb = at(wrist, rh, A.THUMB_BASE)
            p[s + "_thumb_base"] = tb
            rt = mul(rh, rot(s + "_thumb", "thumb", side, pose[s + "_thumb"]))
            d = A.THUMB_DIR
            p[s + "_thumb_tip"] = at(tb, rt, (0.0, d[1] * A.THUMB, d[2] * A.THUMB))

            hip = at(hip_c, r0, (side * A.HIP_HALF, 0.0, 0.0))
            p[s + "_hip"] = hip
            rth = mul(r0, rot(s + "_hip", "hip", side, pose[s + "_hip"]))
            knee = at(hip, rth, (0.0, -A.THIGH, 0.0))
            p[s + "_knee"] = knee
            rsh = mul(rth, rot(s + "_knee", "knee", side, pose[s + "_knee"]))
            ankle = at(knee, rsh, (0.0, -A.SHIN, 0.0))
            p[s + "_ankle"] = ankle
            rft = mul(rsh, rot(s + "_ankle", "ankle", side, pose[s + "_ankle"]))
            ball = at(ankle, rft, A.BALL)
            p[s + "_ball"] = ball
            p[s + "_heel"] = at(ankle, rft, A.HEEL)
            rto = mul(rft, rot(s + "_toes", "toes", side, pose[s + "_toes"]))
            p[s + "_toe"] = at(ball, rto, (0.0, 0.0, A.TOES))
        return p


def segment_point(points: Mapping[str, Vec], name: str) -> Vec:
    """A point by name, or the middle of a segment by its name (for grips and props)."""
    if name in points:
        return points[name]
    a, b = A.SEGMENTS[name]
    pa, pb = points[a], points[b]
    return ((pa[0] + pb[0]) / 2, (pa[1] + pb[1]) / 2, (pa[2] + pb[2]) / 2)


def shift(points: Mapping[str, Vec], d: Vec) -> Points:
    dx, dy, dz = d
    return {k: (v[0] + dx, v[1] + dy, v[2] + dz) for k, v in points.items()}


def lowest(points: Mapping[str, Vec], names: Iterable[str]) -> float:
    """The lowest skin point among ``names`` (a point's height less its flesh radius)."""
    return min(points[n][1] - A.radius(n) for n in names)


def centroid(points: Mapping[str, Vec], names: Iterable[str]) -> Vec:
    names = tuple(names)
    n = len(names)
    return (sum(points[k][0] for k in names) / n, sum(points[k][1] for k in names) / n,
            sum(points[k][2] for k in names) / n)


def distance(a: Vec, b: Vec) -> float:
    return ((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2 + (a[2] - b[2]) ** 2) ** 0.5


# ------------------------------------------------------------------ views

# view -> (screen x, screen y (up), depth toward the viewer) as (axis index, sign)
VIEWS: dict[str, tuple[tuple[int, float], tuple[int, float], tuple[int, float]]] = {
    "front": ((0, 1.0), (1, 1.0), (2, 1.0)),  # looking at the chest; the person's left
    #                                            is on the viewer's right
    "side": ((2, 1.0), (1, 1.0), (0, -1.0)),  # from the person's right; facing right
    "side-left": ((2, -1.0), (1, 1.0), (0, 1.0)),  # from the left; facing left
    "top": ((2, 1.0), (0, 1.0), (1, 1.0)),  # from above; forward to the right, left up
    "top-across": ((0, 1.0), (2, -1.0), (1, 1.0)),  # from above, for a body lying along
    #                                                   the x axis (on its side)
}


def project(view: str, p: Vec) -> tuple[float, float, float]:
    (ix, sx), (iy, sy), (iz, sz) = VIEWS[view]
    return (p[ix] * sx, p[iy] * sy, p[iz] * sz)


# ------------------------------------------------------------------ props as boxes


class Box:
    """An axis-aligned box in the world: (x0, x1), (y0, y1), (z0, z1)."""

    __slots__ = ("kind", "lo", "hi", "solid")

    def __init__(self, kind: str, lo: Vec, hi: Vec, solid: bool = True) -> None:
        self.kind, self.lo, self.hi, self.solid = kind, lo, hi, solid

    def depth_inside(self, p: Vec, r: float) -> float:
        """How deep a ball of radius ``r`` at ``p`` reaches into the box (0 = not at all)."""
        d = float("inf")
        for i in range(3):
            lo, hi = self.lo[i] - r, self.hi[i] + r
            if not lo < p[i] < hi:
                return 0.0
            d = min(d, p[i] - lo, hi - p[i])
        return d

    def corners(self) -> list[Vec]:
        (x0, y0, z0), (x1, y1, z1) = self.lo, self.hi
        return [(x, y, z) for x in (x0, x1) for y in (y0, y1) for z in (z0, z1)]


def _span(points: Mapping[str, Vec], names: Iterable[str]) -> tuple[Vec, Vec]:
    ps = [segment_point(points, n) for n in names]
    lo = tuple(min(p[i] for p in ps) for i in range(3))
    hi = tuple(max(p[i] for p in ps) for i in range(3))
    return lo, hi  # type: ignore[return-value]


def place_props(props: Iterable[Mapping], points: Mapping[str, Vec],
                surface: float) -> list[Box]:
    """Boxes for the solid props, placed against the body at the start of a movement.

    Each prop is a mapping with ``kind`` and optionally ``under`` / ``at`` (point names).
    Straps, bands and the helper are drawn from the body's own points and have no box.
    """
    boxes: list[Box] = []
    for prop in props:
        kind = prop["kind"]
        names = prop.get("under") or prop.get("at") or ()
        if kind == "chair":
            names = names or ("l_hip", "r_hip")
            top = lowest(points, names) if prop.get("under") else surface
            (x0, _, z0), (x1, _, z1) = _span(points, names)
            cx, cz = (x0 + x1) / 2, (z0 + z1) / 2
            back = prop.get("back", "behind")
            if back == "behind":
                zb, zf = cz - 11.0, cz + 15.0
            else:  # the backrest on the far side (kneeling at the chair)
                zb, zf = z0 - 1.0, max(z1 + 5.0, z0 + 26.0)
            boxes.append(Box("seat", (cx - 13.0, top - 3.0, zb), (cx + 13.0, top, zf)))
            rest_z = zb if back == "behind" else zf
            boxes.append(Box("chair-back", (cx - 13.0, top, rest_z - 2.0),
                             (cx + 13.0, top + 28.0, rest_z)))
            for lx in (cx - 12.0, cx + 12.0):
                for lz in (zb + 1.0, zf - 1.0):
                    boxes.append(Box("chair-leg", (lx - 1.0, 0.0, lz - 1.0),
                                     (lx + 1.0, top - 3.0, lz + 1.0), solid=False))
        elif kind in ("bed", "mat") and prop.get("under"):  # sitting on its edge
            top = lowest(points, names)
            (x0, _, z0), (x1, _, z1) = _span(points, names)
            boxes.append(Box(kind, (x0 - 22.0, top - 8.0, z0 - 60.0), (x1 + 22.0, top, z1 + 7.0)))
            if kind == "bed":
                for lx in (x0 - 20.0, x1 + 20.0):
                    boxes.append(Box("bed-leg", (lx - 1.0, 0.0, z1 + 4.0),
                                     (lx + 1.0, top - 8.0, z1 + 6.0), solid=False))
        elif kind in ("bed", "mat"):
            body = [n for n in points if n[:2] in ("l_", "r_") or n in ("head", "hip_c")]
            lo, hi = _span(points, body)
            top = A.MAT if kind == "mat" else surface
            m = 6.0
            boxes.append(Box(kind, (lo[0] - m, 0.0 if kind == "mat" else top - 8.0, lo[2] - m),
                             (hi[0] + m, top, hi[2] + m)))
            if kind == "bed":
                for lx in (lo[0] - m + 1.5, hi[0] + m - 1.5):
                    for lz in (lo[2] - m + 1.5, hi[2] + m - 1.5):
                        boxes.append(Box("bed-leg", (lx - 1.0, 0.0, lz - 1.0),
                                         (lx + 1.0, top - 8.0, lz + 1.0), solid=False))
        elif kind == "table":
            names = names or ("r_knee", "r_ankle")
            top = lowest(points, names)
            lo, hi = _span(points, names)
            boxes.append(Box("table", (lo[0] - 12.0, top - 4.0, lo[2] - 14.0),
                             (hi[0] + 12.0, top, hi[2] + 14.0)))
            for lx in (lo[0] - 10.0, hi[0] + 10.0):
                boxes.append(Box("table-leg", (lx - 1.0, 0.0, lo[2] - 1.0),
                                 (lx + 1.0, top - 4.0, lo[2] + 1.0), solid=False))
        elif kind == "wall":
            names = names or ("r_ball",)
            lo, hi = _span(points, names)
            axis = prop.get("axis", "z")
            i = {"x": 0, "y": 1, "z": 2}[axis]
            sign = 1.0 if (lo[i] + hi[i]) / 2 >= points["hip_c"][i] else -1.0
            face = (hi[i] + 0.5) if sign > 0 else (lo[i] - 0.5)
            blo, bhi = [-80.0, 0.0, -80.0], [80.0, 110.0, 80.0]
            if sign > 0:
                blo[i], bhi[i] = face, face + 4.0
            else:
                blo[i], bhi[i] = face - 4.0, face
            boxes.append(Box("wall", tuple(blo), tuple(bhi)))  # type: ignore[arg-type]
        elif kind == "doorway":  # a post just outside each forearm that rests on it
            names = names or ("l_elbow", "r_elbow")
            mid = points["hip_c"][0]
            for sgn in (1.0, -1.0):
                side = [segment_point(points, n) for n in names
                        if (segment_point(points, n)[0] - mid) * sgn > 3.0]
                if not side:
                    continue
                x = max(p[0] * sgn for p in side) * sgn + sgn * 4.0
                z = sum(p[2] for p in side) / len(side)
                x0, x1 = sorted((x, x + sgn * 6.0))
                boxes.append(Box("door-post", (x0, 0.0, z - 5.0), (x1, 112.0, z + 5.0)))
        elif kind == "roller":
            names = names or ("l_knee",)
            top = lowest(points, names)
            c = centroid(points, names)
            rr = max(top / 2.0, 2.0)
            boxes.append(Box("roller", (c[0] - 8.0, top - 2 * rr, c[2] - rr),
                             (c[0] + 8.0, top, c[2] + rr)))
    return boxes

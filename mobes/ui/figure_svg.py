"""A movement's figure as a self-contained SVG: animated (SMIL, one repetition looping at
the figure's tempo) or a static strip of its key poses (for print and the report).

Pure string building over ``domain.motion``: no raster, no script, nothing fetched, no
ids (several figures can sit in one HTML page). The animated SVG also carries the key poses
drawn over each other, shown instead of the animation when the reader asks for reduced
motion (``prefers-reduced-motion``). The moving segments are drawn in the highlight
colour and carry ``data-seg`` attributes (tests and the contact sheet find them by it).
"""

from __future__ import annotations

from html import escape

from mobes.domain import anatomy as A
from mobes.domain import kinematics as K
from mobes.domain.figure import Figure, mirror, swap_words
from mobes.domain.motion import Motion

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

S = 5  # SVG units per body unit (coordinates print as whole numbers: 0.2 units, 0.4 px)
PAD = 7.0  # body units around the figure
BOX = 260  # the larger side of a figure in CSS pixels
GAP = 6.0  # between the panels of a strip

CSS = (
    ".fgb{fill:none;stroke:#3c4650;stroke-linecap:round;stroke-linejoin:round}"
    ".fgf{stroke:#a9b2bb}.fgh{stroke:#e8590c}.fghf{stroke:#f3a56f}.fge{stroke:#fff}"
    ".fgbl{fill:#f3a56f;stroke:#e8590c}"
    f".fgp{{fill:#e6eaee;stroke:#b3bcc5;stroke-width:{0.6 * S:g}}}"
    f".fgl{{stroke:#b3bcc5;stroke-width:{S:g}}}.fgfl{{stroke:#8f9aa5;stroke-width:{0.8 * S:g}}}"
    f".fgs{{fill:none;stroke:#7a5c3a;stroke-width:{1.2 * S:g};stroke-linecap:round}}"
    f".fgbd{{fill:none;stroke:#6b8e23;stroke-width:{S:g};stroke-dasharray:{2.4 * S:g} {S:g}}}"
    ".fgga{fill:none;stroke:#2b8a8a;stroke-linecap:round}"
    f".fgtr{{fill:none;stroke:#e8590c;stroke-dasharray:{2 * S:g} {1.4 * S:g};opacity:.75}}"
    ".fga{fill:#e8590c;opacity:.9}"
    ".fgt{font-family:system-ui,sans-serif;fill:#5c6670}.fgn{font-weight:700;fill:#3c4650}"
    ".fgst{display:none}"
    "@media (prefers-reduced-motion:reduce){.fgan{display:none}.fgst{display:inline}}"
)
# stroke widths in body units
WIDTH = {"trunk": 9.0, "neck": 6.2, "limb": 5.6, "hand": 3.4, "foot": 3.8, "belly": 2.6}
MIN_FOCUS = 32.0  # body units: a close-up frames at least this much

# What is drawn: each stroke is one or more polylines of points (None starts a new one)
# with the segments between consecutive points; a stroke is highlighted when one of its
# segments moves.
_AXIAL_CHAINS: list[tuple[str, tuple, tuple[str, ...]]] = [
    ("trunk", ("hip_c", "lumbar", "thoracic", "c7"), ("sacrum", "abdomen", "chest")),
    ("limb", ("l_hip", "hip_c", "r_hip"), ("pelvis", "pelvis")),
    ("limb", ("l_shoulder", "c7", "r_shoulder"), ("l_collar", "r_collar")),
    ("neck", ("c7", "skull"), ("neck",)),
]


def _side_chains(s: str) -> list[tuple[str, tuple, tuple[str, ...]]]:
    return [
        ("limb", (f"{s}_shoulder", f"{s}_elbow", f"{s}_wrist"),
         (f"{s}_upper_arm", f"{s}_forearm")),
        ("hand", (f"{s}_wrist", f"{s}_knuckles", f"{s}_fingertips", None, f"{s}_thumb_base",
                  f"{s}_thumb_tip"), (f"{s}_hand", f"{s}_fingers", f"{s}_thumb")),
        ("limb", (f"{s}_hip", f"{s}_knee", f"{s}_ankle"), (f"{s}_thigh", f"{s}_shin")),
        ("foot", (f"{s}_ankle", f"{s}_heel", f"{s}_ball", f"{s}_ankle", None, f"{s}_ball",
                  f"{s}_toe"), (f"{s}_foot", f"{s}_foot", f"{s}_foot", f"{s}_toes")),
    ]


CHAINS = _AXIAL_CHAINS + _side_chains("l") + _side_chains("r")


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _i(v: float) -> int:
    return int(round(v * S))


class _Frame:
    """One frame projected to the screen: name -> (x, y, depth), y down, in SVG units."""

    __slots__ = ("p",)

    def __init__(self, view: str, points: K.Points) -> None:
        (ix, sx), (iy, sy), (iz, sz) = K.VIEWS[view]
        fx, fy = sx * S, -sy * S
        self.p = {k: (round(v[ix] * fx), round(v[iy] * fy), v[iz] * sz)
                  for k, v in points.items()}


class Scene:
    """What a figure draws, frame by frame, in screen units: built once per figure and
    shared by the animated and the static rendering."""

    def __init__(self, motion: Motion) -> None:
        self.motion = m = motion
        fig = m.figure
        self.frames = [_Frame(m.view, pts) for pts in m.points]
        self.chains = list(CHAINS)
        if "belly" in m.moving:
            self.chains.append(("belly", ("lumbar", "pubis", "belly", "sternum", "thoracic"),
                                ("belly",) * 4))
        self.elements = self._elements()
        self.helper = self._helper()
        self.straps = [(p["kind"], p.get("at") or (fig.name("r_ball"),),
                        p.get("to") or ("l_knuckles", "r_knuckles"))
                       for p in m.props if p["kind"] in ("strap", "band")]
        self.traces = [self._trace(fig.name(n)) for n in fig.trace]
        self.box = self._bounds()
        size = max(self.box[2], self.box[3]) / S
        self.weight = min(1.0, max(0.45, size / 125.0))  # thinner lines in a close-up
        self.font = round(max(self.box[2], self.box[3]) * 0.036)

    # -- body
    def _elements(self) -> list[tuple[float, str, str, tuple[str, ...], str]]:
        """(depth, css class, width class, points, segment) per drawn stroke, far first."""
        hl = self.motion.highlight
        out = []
        side_view = self.motion.view.startswith("side")
        body_depth = sum(f.p["thoracic"][2] for f in self.frames) / len(self.frames)
        fig = self.motion.figure
        focus = [q for n in fig.focus for q in A.SEGMENTS.get(fig.name(n), (fig.name(n),))]
        near = (sum(self.frames[0].p[q][2] for q in focus) / len(focus)) if focus else None
        self.hide_head = near is not None and abs(self.frames[0].p["head"][2] - near) > 25.0
        for kind, pts, segs in self.chains:
            if None in pts:  # a stroke of several polylines: one element
                runs = [(pts, segs)]
            else:
                runs, start = [], 0
                for i in range(1, len(segs) + 1):
                    if i == len(segs) or (segs[i] in hl) != (segs[start] in hl):
                        runs.append((pts[start:i + 1], segs[start:i]))
                        start = i
            for names, run_segs in runs:
                named = [n for n in names if n is not None]
                seg = next((g for g in run_segs if g in hl), run_segs[0])
                depth = sum(sum(f.p[n][2] for n in named) / len(named)
                            for f in self.frames) / len(self.frames)
                if near is not None and abs(depth - near) > 25.0:
                    continue  # far behind (or in front of) a close-up: left out
                far = side_view and depth < body_depth - 4.0
                cls = ("fgh" if seg in hl else "") + ("f" if far and seg in hl else "")
                cls = cls or ("fgf" if far else "")
                out.append((depth, cls, kind, names, seg))
        out.sort(key=lambda e: e[0])
        return out

    def _helper(self) -> list[tuple[str, list[tuple[int, int]], list[tuple[int, int]]]]:
        """Per grip: the point held, and the helper's hand and elbow per frame (screen)."""
        m = self.motion
        fig = m.figure
        out = []
        (ix, sx), (iy, sy), _ = K.VIEWS[m.view]
        default_out = 1.0 if m.side == "left" else -1.0
        for grip in fig.helper:
            g = fig.name(grip.at)
            p0 = m.points[0]
            dx = K.segment_point(p0, g)[0] - p0["hip_c"][0]
            out_x = (1.0 if dx > 0 else -1.0) if abs(dx) > 2.0 else default_out
            toward = grip.toward
            if isinstance(toward, str):
                toward = fig.name(toward)
            elif isinstance(toward, tuple) and fig.mirrored:
                toward = (-toward[0], toward[1], toward[2])
            hands, elbows = [], []
            for pts in m.points:
                q = K.segment_point(pts, g)
                r = (A.radius(g) if g in pts else 3.5) + 1.8
                if grip.side == "below":
                    hand, d = (q[0], q[1] - r, q[2]), (0.7 * out_x, 0.5, 0.0)
                elif grip.side == "above":
                    hand, d = (q[0], q[1] + r, q[2]), (0.5 * out_x, 0.85, 0.0)
                else:
                    hand, d = (q[0] + out_x * r, q[1], q[2]), (out_x, 0.35, 0.0)
                if isinstance(toward, str):
                    t = K.segment_point(pts, toward)
                    d = (t[0] - hand[0], t[1] - hand[1], t[2] - hand[2])
                elif toward is not None:
                    d = toward
                n = max((d[0] ** 2 + d[1] ** 2 + d[2] ** 2) ** 0.5, 1e-6)
                elbow = tuple(hand[i] + d[i] / n * A.FOREARM for i in range(3))
                hands.append((_i(hand[ix] * sx), -_i(hand[iy] * sy)))
                elbows.append((_i(elbow[ix] * sx), -_i(elbow[iy] * sy)))
            out.append((g, hands, elbows))
        return out

    def _trace(self, name: str) -> tuple[str, list[tuple[int, int]]]:
        pts = []
        for f, raw in zip(self.frames, self.motion.points):
            if name in f.p:
                x, y, _ = f.p[name]
            else:
                q = K.segment_point(raw, name)
                (ix, sx), (iy, sy), _ = K.VIEWS[self.motion.view]
                x, y = _i(q[ix] * sx), -_i(q[iy] * sy)
            pts.append((x, y))
        return name, pts

    def _bounds(self) -> tuple[float, float, float, float]:
        fig = self.motion.figure
        focus = [fig.name(n) for n in fig.focus]
        xs: list[float] = []
        ys: list[float] = []
        names = [q for n in focus for q in A.SEGMENTS.get(n, (n,))] if focus else None
        r = _i(A.HEAD_R)
        for f in self.frames:
            pts = [f.p[q] for q in names] if names else f.p.values()
            xs += [p[0] for p in pts]
            ys += [p[1] for p in pts]
            if not focus or "head" in focus:
                x, y, _ = f.p["head"]
                xs += [x - r, x + r]
                ys += [y - r, y + r]
        for _, hands, elbows in self.helper:
            for x, y in hands + (elbows if not focus else []):
                xs.append(x)
                ys.append(y)
        if not focus:
            for b in self.motion.boxes:
                if b.kind in ("seat", "chair-back", "bed", "mat", "table", "roller"):
                    for c in b.corners():
                        x, y, _ = K.project(self.motion.view, c)
                        xs.append(_i(x))
                        ys.append(-_i(y))
            if not self.motion.view.startswith("top"):
                ys.append(-_i(self.motion.floor))
        pad = (PAD if not focus else 4.0) * S
        x0, x1, y0, y1 = min(xs) - pad, max(xs) + pad, min(ys) - pad, max(ys) + pad
        if not self.motion.view.startswith("top") and not focus:
            y1 = max(y1, -_i(self.motion.floor) + 3 * S)
        least = MIN_FOCUS * S
        if x1 - x0 < least:
            x0, x1 = (x0 + x1 - least) / 2, (x0 + x1 + least) / 2
        if y1 - y0 < least:
            y0, y1 = (y0 + y1 - least) / 2, (y0 + y1 + least) / 2
        return x0, y0, x1 - x0, y1 - y0

    # -- drawing one frame
    def path(self, names: Sequence[str], i: int) -> str:
        p = self.frames[i].p
        if names[0] == "lumbar" and len(names) == 5:  # the belly: a curve through its point
            (lx, ly, _), (ax, ay, _), (bx, by, _), (cx, cy, _), (tx, ty, _) = (p[n] for n in names)
            return (f"M{lx} {ly}L{ax} {ay}Q{2 * bx - (ax + cx) // 2} {2 * by - (ay + cy) // 2} "
                    f"{cx} {cy}L{tx} {ty}Z")
        out = []
        x0 = y0 = 0
        move = True
        for n in names:  # relative steps: shorter than absolute points
            if n is None:
                move = True
                continue
            x, y, _ = p[n]
            out.append(f"M{x} {y}" if move and not out else
                       (f"m{x - x0} {y - y0}" if move else f"l{x - x0} {y - y0}"))
            x0, y0, move = x, y, False
        return "".join(out)


def _trace_svg(scene: Scene, pts: list[tuple[int, int]], hold_only: bool) -> str:
    """A dashed path with arrowheads: a loop for circles, a double arrow for swings, and
    a single arrow into the held position for a hold."""
    clean = [pts[0]]
    for p in pts[1:]:
        if p != clean[-1]:
            clean.append(p)
    if len(clean) < 3:
        return ""
    area = 0.0
    for (x0, y0), (x1, y1) in zip(clean, clean[1:] + clean[:1]):
        area += x0 * y1 - x1 * y0
    ext = max(max(p[0] for p in clean) - min(p[0] for p in clean),
              max(p[1] for p in clean) - min(p[1] for p in clean))
    if ext < 1.2 * S:
        return ""
    k = scene.weight
    width = f' stroke-width="{round(0.7 * S * k, 1):g}"'
    if abs(area) / 2 > 0.08 * ext * ext and not hold_only:
        d = "M" + "L".join(f"{x} {y}" for x, y in clean) + "Z"
        j = max(2, len(clean) * 3 // 8)
        return f'<path class="fgtr"{width} d="{d}"/>' + _arrow(clean[j - 1], clean[j], k)
    # a swing: between the two points farthest apart (from the start, for a hold)
    far = max(range(len(clean)), key=lambda j: (clean[j][0] - clean[0][0]) ** 2
              + (clean[j][1] - clean[0][1]) ** 2)
    other = 0 if hold_only else max(
        range(len(clean)), key=lambda j: (clean[j][0] - clean[far][0]) ** 2
        + (clean[j][1] - clean[far][1]) ** 2)
    a, b = sorted((far, other))
    seg = clean[a:b + 1]
    if hold_only and a != 0:
        seg = clean[:far + 1]
    if len(seg) < 2:
        return ""
    d = "M" + "L".join(f"{x} {y}" for x, y in seg)
    out = f'<path class="fgtr"{width} d="{d}"/>'
    if hold_only:
        return out + _arrow(seg[-2], seg[-1], k)
    return out + _arrow(seg[-2], seg[-1], k) + _arrow(seg[1], seg[0], k)


def _arrow(a: tuple[int, int], b: tuple[int, int], k: float = 1.0) -> str:
    dx, dy = b[0] - a[0], b[1] - a[1]
    n = (dx * dx + dy * dy) ** 0.5 or 1.0
    ux, uy = dx / n, dy / n
    s = 3.2 * S * max(k, 0.6)
    p1 = (b[0] - ux * s - uy * s * 0.55, b[1] - uy * s + ux * s * 0.55)
    p2 = (b[0] - ux * s + uy * s * 0.55, b[1] - uy * s - ux * s * 0.55)
    tip = (b[0] + ux * s * 0.3, b[1] + uy * s * 0.3)
    return (f'<path class="fga" d="M{round(tip[0])} {round(tip[1])}L{round(p1[0])} '
            f'{round(p1[1])}L{round(p2[0])} {round(p2[1])}Z"/>')


def _text(scene: Scene, x: float, y: float, text: str, bold: bool = False,
          extra: str = "", inner: str = "") -> str:
    cls = "fgt fgn" if bold else "fgt"
    return (f'<text class="{cls}" x="{round(x)}" y="{round(y)}" font-size="{scene.font}"'
            f"{extra}>{_e(text)}{inner}</text>")


def _props_svg(scene: Scene) -> str:
    m = scene.motion
    out = []
    x0, y0, w, h = scene.box
    if not m.view.startswith("top"):
        fy = -_i(m.floor)
        out.append(f'<path class="fgfl" d="M{round(x0)} {fy}H{round(x0 + w)}"/>')
    order = {"wall": 0, "door-post": 0, "chair-back": 1, "bed-leg": 1, "chair-leg": 1,
             "table-leg": 1, "mat": 2, "bed": 2, "seat": 2, "table": 2, "roller": 3}
    for b in sorted(m.boxes, key=lambda b: order.get(b.kind, 2)):
        if m.view.startswith("top") and b.kind.endswith("-leg"):
            continue
        cs = [K.project(m.view, c) for c in b.corners()]
        xs = [_i(c[0]) for c in cs]
        ys = [-_i(c[1]) for c in cs]
        bx, by = min(xs), min(ys)
        bw, bh = max(xs) - bx, max(ys) - by
        if b.kind == "roller" and min(bw, bh) > 0:
            r = min(bw, bh) // 2
            out.append(f'<rect class="fgp" x="{bx}" y="{by}" width="{bw}" height="{bh}" '
                       f'rx="{r}"/>')
        elif b.kind.endswith("-leg"):
            out.append(f'<path class="fgl" d="M{bx + bw // 2} {by}V{by + bh}"/>')
        else:
            rx = round((1.2 if b.kind in ("bed", "mat", "seat", "table") else 0.4) * S)
            out.append(f'<rect class="fgp" x="{bx}" y="{by}" width="{bw}" height="{bh}" '
                       f'rx="{rx}"/>')
    return "".join(out)


class _Anim:
    """The shared timing of every ``<animate>`` of one figure."""

    def __init__(self, scene: Scene) -> None:
        m = scene.motion
        self.dur = f"{m.cycle:g}s"
        self.key_times = ";".join(f"{t / m.cycle:.3f}".rstrip("0").rstrip(".")
                                  if t else "0" for t in m.times)

    def tag(self, attr: str, values: Sequence[str], discrete: bool = False) -> str:
        mode = ' calcMode="discrete"' if discrete else ""
        return (f'<animate attributeName="{attr}" dur="{self.dur}" repeatCount="indefinite"'
                f'{mode} keyTimes="{self.key_times}" values="{";".join(values)}"/>')


def _body(scene: Scene, frames: Sequence[int] | None, anim: _Anim | None,
          only_moving: bool = False) -> str:
    """The body at ``frames[0]`` (static) or animated over every frame."""
    out = []
    idx = list(range(len(scene.frames))) if anim else list(frames or [0])
    hl = scene.motion.highlight
    head_depth = sum(f.p["head"][2] for f in scene.frames) / len(scene.frames)
    head_done = False
    for depth, cls, kind, names, seg in scene.elements:
        if only_moving and seg not in hl:
            continue
        if not head_done and kind != "neck" and depth > head_depth:
            out.append(_head(scene, idx, anim, only_moving))
            head_done = True
        ds = [scene.path(names, i) for i in idx]
        if anim and not _moves(scene, names):
            ds = ds[:1]  # still (to within a fifth of a body unit): drawn once
        klass = "fgb" + (f" {cls}" if cls else "") + (" fgbl" if kind == "belly" else "")
        attrs = f'class="{klass}" stroke-width="{round(WIDTH[kind] * S * scene.weight)}"'
        if seg in hl:
            attrs += f' data-seg="{seg}"'
        out.append(_stroke(attrs, ds, anim))
    if not head_done:
        out.append(_head(scene, idx, anim, only_moving))
    return "".join(out)


def _moves(scene: Scene, names: Sequence[str | None]) -> bool:
    first = scene.frames[0].p
    for f in scene.frames[1:]:
        for n in names:
            if n is not None and (abs(f.p[n][0] - first[n][0]) > 1
                                  or abs(f.p[n][1] - first[n][1]) > 1):
                return True
    return False


def _dots(points: Sequence[tuple[int, int]]) -> str:
    """Round dots as zero-length strokes (one path, one animation for all of them)."""
    return "".join(f"M{x} {y}h0" for x, y in points)


def _head(scene: Scene, idx: list[int], anim: _Anim | None, only_moving: bool) -> str:
    moving = "head" in scene.motion.highlight
    if (only_moving and not moving) or scene.hide_head:
        return ""
    fr = scene.frames
    cls = "fgb fgh" if moving else "fgb"
    seg = ' data-seg="head"' if moving else ""
    heads = [_dots([fr[i].p["head"][:2]]) for i in idx]
    out = _stroke(f'class="{cls}" stroke-width="{2 * _i(A.HEAD_R)}"{seg}', heads, anim)
    # the face: eyes show where the head points (an eye turned away sits on the other)
    eyes, seen_in = [], []
    for i in idx:
        p = fr[i].p
        seen = [p[e][:2] for e in ("l_eye", "r_eye") if p[e][2] > p["head"][2] + 1.0]
        seen_in.append("1" if seen else "0")
        eyes.append(_dots(seen if len(seen) == 2 else (seen * 2 or [p["head"][:2]] * 2)))
    if "1" not in seen_in or (not anim and seen_in[0] == "0"):
        return out
    attrs = f'class="fgb fge" stroke-width="{round(2.2 * S)}"'
    if anim and "0" in seen_in:
        return out + (f'<path {attrs} d="{eyes[0]}" opacity="{seen_in[0]}">'
                      f'{anim.tag("d", eyes)}{anim.tag("opacity", seen_in, True)}</path>')
    return out + _stroke(attrs, eyes, anim)


def _stroke(attrs: str, ds: Sequence[str], anim: _Anim | None) -> str:
    if anim and any(d != ds[0] for d in ds):
        return f'<path {attrs} d="{ds[0]}">{anim.tag("d", ds)}</path>'
    return f'<path {attrs} d="{ds[0]}"/>'


def _extras(scene: Scene, idx: list[int], anim: _Anim | None) -> str:
    """Straps, bands and the helper's forearms and hands."""
    out = []
    fr = scene.frames
    k = scene.weight
    for kind, at, to in scene.straps:
        cls = "fgs" if kind == "strap" else "fgbd"
        for a in at:
            for b in to:
                ds = [f"M{fr[i].p[a][0]} {fr[i].p[a][1]}L{fr[i].p[b][0]} {fr[i].p[b][1]}"
                      for i in idx]
                out.append(_stroke(f'class="{cls}"', ds, anim))
    arm = f'class="fgga" stroke-width="{round(4.8 * S * k)}"'
    hand = f'class="fgga" stroke-width="{round(6 * S * k)}"'
    for _, hands, elbows in scene.helper:
        ds = [f"M{elbows[i][0]} {elbows[i][1]}L{hands[i][0]} {hands[i][1]}" for i in idx]
        out.append(_stroke(arm, ds, anim))
        out.append(_stroke(hand, [_dots([hands[i]]) for i in idx], anim))
    return "".join(out)


def _traces(scene: Scene) -> str:
    fig = scene.motion.figure
    hold_only = len(fig.keys) == 1 and fig.hold_key is not None
    return "".join(_trace_svg(scene, pts, hold_only) for _, pts in scene.traces)


def _labels(scene: Scene) -> str:
    """The caption (which side, or the figure's label) and L / R where it matters."""
    m = scene.motion
    fig = m.figure
    x0, y0, w, h = scene.box
    f = scene.font
    out = []
    label = fig.label and (swap_words(fig.label) if fig.mirrored else fig.label)
    if not label and m.side != "both":
        label = f"{m.side} side"
    if m.view.startswith("top"):
        label = (label + " · " if label else "") + "seen from above"
    marks = m.view in ("front", "top") and (m.side != "both" or m.view == "top")
    if label:
        if marks and m.view == "front":
            out.append(_text(scene, x0 + w / 2, y0 + h - f * 0.5, label,
                             extra=' text-anchor="middle"'))
        else:
            out.append(_text(scene, x0 + f * 0.5, y0 + h - f * 0.5, label))
    if marks:
        if m.view == "front":  # facing us: the person's right is on our left
            spots = (("R", x0 + f * 0.5, y0 + h - f * 0.5),
                     ("L", x0 + w - f * 1.2, y0 + h - f * 0.5))
        else:  # from above, forward to the right: the person's left is up
            spots = (("L", x0 + w - f * 1.2, y0 + f * 1.3),
                     ("R", x0 + w - f * 1.2, y0 + h - f * 0.5))
        for text, x, y in spots:
            out.append(_text(scene, x, y, text, bold=True))
    return "".join(out)


def _svg_open(w: float, h: float, vb: str, label: str, title: str, scale: float) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{vb}" '
            f'width="{round(w * scale)}" height="{round(h * scale)}" role="img" '
            f'aria-label="{_e(label)}" class="mobes-figure"><title>{_e(title)}</title>'
            f"<style>{CSS}</style>")


def _hold_at(scene: Scene) -> tuple[float, float, str]:
    """Where the hold label goes: a top corner away from the head."""
    x0, y0, w, h = scene.box
    f = scene.font
    head_x = scene.frames[0].p["head"][0]
    if not scene.motion.view.startswith("top") and head_x < x0 + w / 2:
        return x0 + w - f * 0.5, y0 + f * 1.3, ' text-anchor="end"'
    return x0 + f * 0.5, y0 + f * 1.3, ""


def animated(scene: Scene, title: str, hold: str = "") -> str:
    """The animated SVG of ``scene`` (one repetition looping), with the still key poses
    for readers who ask for reduced motion."""
    x0, y0, w, h = scene.box
    anim = _Anim(scene)
    vb = f"{round(x0)} {round(y0)} {round(w)} {round(h)}"
    view = scene.motion.view.replace("-left", "")
    out = [_svg_open(w, h, vb, f"{title}: animated figure, {view} view", title,
                     BOX / max(w, h)), _props_svg(scene), '<g class="fgan">',
           _body(scene, None, anim), _extras(scene, list(range(len(scene.frames))), anim)]
    span = scene.motion.hold_span()
    hx, hy, anchor = _hold_at(scene)
    if span and hold:
        vals = ["1" if span[0] - 1e-6 <= t <= span[1] + 1e-6 else "0"
                for t in scene.motion.times]
        out.append(_text(scene, hx, hy, "hold " + hold, bold=True,
                         extra=anchor + ' opacity="0"',
                         inner=anim.tag("opacity", vals, discrete=True)))
    out.append('</g><g class="fgst">')
    keys = _key_poses(scene)
    out.append(_body(scene, [keys[0]], None))
    for k in keys[1:]:
        out.append(f'<g opacity=".6">{_body(scene, [k], None, only_moving=True)}</g>')
    out.append(_extras(scene, [keys[-1]], None))
    if hold:
        out.append(_text(scene, hx, hy, "hold " + hold, bold=True, extra=anchor))
    out += ["</g>", _traces(scene), _labels(scene), "</svg>"]
    return "".join(out)


def _key_poses(scene: Scene, most: int = 4) -> list[int]:
    """Frame indices of the start and of up to ``most - 1`` keys: the held pose if there is
    one, else keys spread over the cycle."""
    keys = scene.motion.key_indices()
    if len(keys) <= most:
        return keys
    hold = scene.motion.figure.hold_key
    step = (len(keys) - 1) / (most - 1)
    picked = [keys[round(i * step)] for i in range(most)]
    if hold is not None:
        held = min(keys, key=lambda k: abs(scene.motion.times[k] - hold.at))
        if held not in picked:
            picked[min(range(1, most), key=lambda j: abs(picked[j] - held))] = held
    return sorted(set(picked))


def strip(scene: Scene, title: str, hold: str = "", most: int = 4) -> str:
    """A static strip of the figure's key poses (2-4 panels), numbered, for print."""
    x0, y0, w, h = scene.box
    keys = _key_poses(scene, most)
    n = len(keys)
    gap = GAP * S
    total = n * w + (n - 1) * gap
    vb = f"{round(x0)} {round(y0)} {round(total)} {round(h)}"
    hold_key = scene.motion.figure.hold_key
    out = [_svg_open(total, h, vb, f"{title}: {n} key poses", title, BOX / max(w, h))]
    props, traces, labels = _props_svg(scene), _traces(scene), _labels(scene)
    f = scene.font
    for j, k in enumerate(keys):
        dx = round(j * (w + gap))
        out.append(f'<g transform="translate({dx} 0)">' if dx else "<g>")
        out += [props, _body(scene, [k], None), _extras(scene, [k], None), traces,
                labels if j == 0 else ""]
        held = hold and hold_key is not None and abs(scene.motion.times[k] - hold_key.at) < 1e-6
        out.append(_text(scene, x0 + f * 0.5, y0 + f * 1.3,
                         f"{j + 1}" + (f"  hold {hold}" if held else ""), bold=True))
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)


def hold_text(movement) -> str:
    """'30 s' for a movement dosed in seconds, else ''."""
    d = getattr(movement, "dose", None)
    return f"{d.amount} s" if d is not None and d.unit == "seconds" else ""


def render(fig: Figure, title: str, *, static: bool = False, hold: str = "",
           side: str | None = None) -> str:
    """The figure as SVG text: animated, or with ``static`` the strip of key poses.
    ``side`` ("left"/"right") draws that side (mirroring the keys when needed)."""
    if side and fig.side != "both" and side != fig.shown_side:
        fig = mirror(fig)
    scene = Scene(Motion(fig))
    return strip(scene, title, hold) if static else animated(scene, title, hold)

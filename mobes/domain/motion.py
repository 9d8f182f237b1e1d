"""A figure set in motion: the poses of one repetition sampled into frames, each frame's
3D points placed on the figure's support, and the props placed around the body.

The keys are joined by a periodic monotone cubic (Fritsch-Carlson), per angle: motion
eases in and out of every turning point and hold, passes smoothly through the points of a
circle, and never overshoots a key, so no frame bends a joint further than its keys do.
Pure, standard library only.
"""

from __future__ import annotations

from math import ceil

from mobes.domain import anatomy as A
from mobes.domain import kinematics as K
from mobes.domain.figure import Figure, key_pose, mirror_pose, start_pose

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

STEP = 15.0  # at most this many degrees of any angle between two frames
MAX_FRAMES = 28  # ... unless that makes more frames than this: then larger steps
MOVES = 1.0  # a joint moves when an angle changes by more than this over the cycle


def knots(fig: Figure) -> tuple[list[float], list[dict[str, tuple[float, ...]]]]:
    """Times and full poses of the start, every key (twice for a hold) and the end."""
    start = start_pose(fig)
    times, poses = [0.0], [start]
    for k in fig.keys:
        pose = key_pose(start, k)
        times.append(k.at)
        poses.append(pose)
        if k.hold:
            times.append(k.at + k.hold)
            poses.append(pose)
    times.append(fig.cycle)
    poses.append(start)
    if fig.mirrored:
        poses = [mirror_pose(p) for p in poses]
    return times, poses


def _slopes(ts: Sequence[float], vs: Sequence[float]) -> list[float]:
    n = len(ts) - 1
    h = [ts[i + 1] - ts[i] for i in range(n)]
    d = [(vs[i + 1] - vs[i]) / h[i] for i in range(n)]

    def slope(a: int, b: int) -> float:  # at the knot between intervals a and b
        if d[a] * d[b] <= 0.0:
            return 0.0
        w1, w2 = 2 * h[b] + h[a], h[b] + 2 * h[a]
        return (w1 + w2) / (w1 / d[a] + w2 / d[b])

    m = [slope(n - 1, 0)] + [slope(i - 1, i) for i in range(1, n)]
    return m + [m[0]]


class Timeline:
    """Every angle of every joint as a smooth periodic function of time."""

    def __init__(self, times: list[float], poses: list[dict[str, tuple[float, ...]]]) -> None:
        self.times, self.poses = times, poses
        self.cycle = times[-1]
        self.constant: dict[str, tuple[float, ...]] = {}
        self.slopes: dict[str, list[tuple[float, ...]]] = {}
        for joint in poses[0]:
            series = [p[joint] for p in poses]
            if all(s == series[0] for s in series):
                self.constant[joint] = series[0]
                continue
            per_dof = [_slopes(times, [s[i] for s in series]) for i in range(len(series[0]))]
            self.slopes[joint] = [tuple(col[k] for col in per_dof) for k in range(len(times))]

    def pose(self, t: float) -> dict[str, tuple[float, ...]]:
        ts = self.times
        t = min(max(t, 0.0), self.cycle)
        i = 0
        while i < len(ts) - 2 and ts[i + 1] <= t:
            i += 1
        h = ts[i + 1] - ts[i]
        s = (t - ts[i]) / h
        s2, s3 = s * s, s * s * s
        h00, h10, h01, h11 = 2 * s3 - 3 * s2 + 1, s3 - 2 * s2 + s, 3 * s2 - 2 * s3, s3 - s2
        out = dict(self.constant)
        p0, p1 = self.poses[i], self.poses[i + 1]
        for joint, slopes in self.slopes.items():
            a, b, ma, mb = p0[joint], p1[joint], slopes[i], slopes[i + 1]
            out[joint] = tuple(h00 * a[k] + h10 * h * ma[k] + h01 * b[k] + h11 * h * mb[k]
                               for k in range(len(a)))
        return out

    def frame_times(self) -> list[float]:
        """Sample times: every knot, and enough between knots that no angle moves more
        than STEP degrees from one frame to the next (larger steps for a long cycle)."""
        deltas = []
        for i in range(len(self.times) - 1):
            delta = 0.0
            p0, p1 = self.poses[i], self.poses[i + 1]
            for joint in self.slopes:
                for a, b in zip(p0[joint], p1[joint]):
                    delta = max(delta, abs(a - b))
            deltas.append(delta)
        step = STEP
        while True:
            counts = [1 if d < 0.01 else max(2, ceil(d / step)) for d in deltas]
            if sum(counts) <= MAX_FRAMES or step > 90:
                break
            step *= 1.25
        out = [0.0]
        for i, n in enumerate(counts):
            t0, t1 = self.times[i], self.times[i + 1]
            out += [t0 + (t1 - t0) * j / n for j in range(1, n + 1)]
        return out


class Motion:
    """A posed figure: frames (time, pose, 3D points), the props' boxes, what moves."""

    def __init__(self, fig: Figure, body: K.Body | None = None) -> None:
        self.figure = fig
        body = body or K.Body()
        posture = A.POSTURES[fig.start]
        kinds = fig.prop_kinds
        self.side = fig.shown_side
        view = fig.view
        if view == "side" and self.side == "left":
            view = "side-left"
        elif view == "top" and posture.get("across"):
            view = "top-across"
        self.view = view
        surface = posture["surface"]
        if surface in ("seat", "bed-edge"):
            self.surface = A.SEAT
        elif "bed" in kinds:
            self.surface = A.BED
        elif "mat" in kinds:
            self.surface = A.MAT
        else:
            self.surface = 0.0
        self.floor = A.MAT if "mat" in kinds else 0.0
        times, poses = knots(fig)
        self.timeline = Timeline(times, poses)
        self.knot_times = times
        self.times = self.timeline.frame_times()
        self.poses = [self.timeline.pose(t) for t in self.times]
        self.poses[-1] = self.poses[0]
        name = fig.name
        planted = posture["planted"] if fig.planted is None else fig.planted
        self.planted = tuple(name(n) for n in planted)
        support = posture["support"]
        support = A.planted_points(self.planted) if support == "planted" else \
            tuple(name(n) for n in support)
        anchor = posture["anchor"]
        anchor = A.planted_anchors(self.planted) if anchor == "planted" else \
            tuple(name(n) for n in anchor)
        if not support or not anchor:
            raise ValueError(f"a {fig.start} figure needs something planted")
        frames: list[K.Points] = []
        ref = None
        for pose in self.poses[:-1]:
            raw = body.points(pose)
            dy = self.surface - K.lowest(raw, support)
            c = K.centroid(raw, anchor)
            if ref is None:
                ref = (c[0], c[2])
            frames.append(K.shift(raw, (ref[0] - c[0], dy, ref[1] - c[2])))
        frames.append(frames[0])
        self.points = frames
        props = [dict(p) for p in fig.props]
        for p in props:
            for k in ("under", "at", "to"):
                if k in p:
                    p[k] = tuple(name(n) for n in p[k])
        self.props = props
        self.boxes = K.place_props([p for p in props if p["kind"] not in
                                    ("strap", "band")], frames[0], self.surface)
        self.moving = self._moving(poses)
        segs: set[str] = set()
        for j in self.moving:  # what the movement works, not what it carries along
            if A.joint_type(j) not in fig.carries:
                segs.update(A.joint_segments(j))
        self.highlight = frozenset(segs)

    @staticmethod
    def _moving(poses: list[dict[str, tuple[float, ...]]]) -> frozenset[str]:
        out = set()
        for joint in poses[0]:
            cols = list(zip(*(p[joint] for p in poses)))
            if any(max(c) - min(c) > MOVES for c in cols):
                out.add(joint)
        return frozenset(out)

    @property
    def cycle(self) -> float:
        return self.figure.cycle

    def key_indices(self) -> list[int]:
        """Frame indices of the start and of each key (the poses a static strip shows)."""
        idx = []
        for t in self.knot_times[:-1]:
            i = min(range(len(self.times)), key=lambda j: abs(self.times[j] - t))
            if not idx or self.poses[i] != self.poses[idx[-1]]:
                idx.append(i)
        return idx

    def hold_span(self) -> tuple[float, float] | None:
        k = self.figure.hold_key
        return None if k is None else (k.at, k.at + k.hold)


def motion(fig: Figure, body: K.Body | None = None) -> Motion:
    return Motion(fig, body)

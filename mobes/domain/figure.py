"""A movement's figure as data: the view, the starting posture, props, the helper's grips,
and keyframes of one repetition. ``parse_figure`` validates a plain table (from
data/figures.toml or a team file's ``[movement.figure]``) and reports every mistake with
its key path, the value found and what was expected. Pure, standard library only.

A figure table::

    view = "side"              # front | side | top
    start = "supine"           # a posture from anatomy.POSTURES
    pose = { r_knee = { flex = 20 } }   # changes to the starting posture (optional)
    props = ["mat", "strap"]   # or tables: { kind = "table", under = ["r_knee"] }
    side = "right"             # the side the keys are written for and shown first,
                               # or "both" when both sides move together
    cycle = 8.0                # seconds of the animation's loop: for a movement dosed in
                               # reps, its dose's tempo times the reps the loop holds
    reps = 2                   # repetitions in one loop (default 1), e.g. left and right
    keys = [                   # poses after the start, each a change from the start pose
        { at = 2.5, hold = 3.0, r_hip = { flex = 75 } },
    ]                          # the loop ends back in the starting pose
    helper = [{ at = "r_knee" }, { at = "r_heel", from = "above" }]
                               # the caregiver's hands (optional): under (default), on top
                               # of or beside a point; ``toward`` = a point or [x, y, z]
                               # the forearm points to
    trace = ["r_toe"]          # points whose path is drawn as an arrow (optional)
    carries = ["shoulder"]     # joints moved along with the movement's regions (optional)
    focus = ["r_shin", "r_foot"]   # what the picture frames (optional; default the body)
    planted = ["l_foot"]       # feet/knees/hands that stay down (default: the posture's)
    label = "right leg"        # caption (optional)

Joint tables name a joint (``neck``, ``r_hip``) or a limb joint for both sides (``hip``);
angles are degrees in the conventions of anatomy.py, within its range-of-motion table.
"""

from __future__ import annotations

from mobes.domain import anatomy as A
from mobes.domain.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from mobes.domain.model import Movement

VIEWS = ("front", "side", "top")
SIDE_CHOICES = ("left", "right", "both")
PROP_KINDS = ("chair", "table", "bed", "mat", "wall", "doorway", "strap", "band", "roller")
CYCLE = (1.0, 30.0)
FIELDS = ("view", "start", "pose", "props", "side", "cycle", "reps", "keys", "helper",
          "trace", "carries", "focus", "planted", "label")
REQUIRED = ("view", "start", "side", "cycle", "keys")
PROP_FIELDS = {"kind", "under", "at", "to", "axis", "back"}
PLANTABLE = tuple(f"{s}_{p}" for s in A.SIDES for p in A.PLANTED_POINTS)
GRIP_FROM = ("below", "above", "side")


def point_names() -> frozenset[str]:
    """Names a figure may refer to: body points and segment names (their middles)."""
    names = {"hip_c", "lumbar", "thoracic", "c7", "skull", "head", "nose", "belly",
             "pubis", "sternum"}
    for s in A.SIDES:
        names.update(f"{s}_{p}" for p in (
            "eye", "shoulder", "elbow", "wrist", "knuckles", "fingertips", "thumb_base",
            "thumb_tip", "hip", "knee", "ankle", "heel", "ball", "toe"))
    return frozenset(names | set(A.SEGMENTS))


POINTS = point_names()


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "(missing)"


MISSING = _Missing()  # the value of a problem about a field that is not there

# ------------------------------------------------------------------ records


class FigureProblem(Record):
    """One mistake in a figure table: where (key path), what was there, what was expected."""

    __slots__ = ("path", "value", "expected", "problem", "hint")
    _defaults = {"problem": "", "hint": ""}
    path: str  # e.g. "keys[2].r_hip.flex"
    value: Any
    expected: str
    problem: str  # what is wrong when "expected" alone would not say it
    hint: str  # " (did you mean 'side'?)"

    def __str__(self) -> str:
        head = f"{self.path} = {self.value!r}: " if self.path else f"{self.value!r}: "
        return head + (f"{self.problem}; " if self.problem else "") + \
            f"expected {self.expected}{self.hint}"


class FigureError(ValueError):
    """A figure table is invalid; ``problems`` lists every mistake."""

    def __init__(self, problems: list[FigureProblem], where: str = "figure") -> None:
        self.problems, self.where = problems, where
        text = str(problems[0]) if len(problems) == 1 else \
            f"{len(problems)} problems:\n" + "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{where}: {text}")


class Key(Record):
    """A pose reached at ``at`` seconds (and kept ``hold`` seconds), as changes from the
    starting pose: ``joints`` maps joint -> ((angle, degrees), ...)."""

    __slots__ = ("at", "hold", "joints")
    _defaults = {"hold": 0.0}
    at: float
    hold: float
    joints: tuple[tuple[str, tuple[tuple[str, float], ...]], ...]


class Grip(Record):
    """One of the helper's hands: on ``at``, from below, above or the side, the forearm
    pointing to ``toward`` (a point name, a world direction, or None for the default)."""

    __slots__ = ("at", "side", "toward")
    _defaults = {"side": "below", "toward": None}
    at: str
    side: str
    toward: str | tuple[float, float, float] | None


class Figure(Record):
    __slots__ = ("view", "start", "pose", "props", "side", "cycle", "keys", "helper",
                 "trace", "carries", "focus", "planted", "label", "mirrored", "reps")
    _defaults = {"pose": (), "props": (), "helper": (), "trace": (), "carries": (),
                 "focus": (), "planted": None, "label": "", "mirrored": False, "reps": 1}
    view: str
    start: str
    pose: tuple[tuple[str, tuple[tuple[str, float], ...]], ...]
    props: tuple[tuple[tuple[str, Any], ...], ...]  # each prop as sorted (field, value)
    side: str
    cycle: float
    keys: tuple[Key, ...]
    helper: tuple[Grip, ...]  # the caregiver's hands
    trace: tuple[str, ...]
    carries: tuple[str, ...]
    focus: tuple[str, ...]
    planted: tuple[str, ...] | None
    label: str
    mirrored: bool  # drawn for the other side than the keys are written for
    reps: int  # repetitions one loop shows

    @property
    def shown_side(self) -> str:
        """The side this figure shows: its ``side``, or the other one when mirrored."""
        if self.side == "both" or not self.mirrored:
            return self.side
        return "left" if self.side == "right" else "right"

    def name(self, point: str) -> str:
        """A point or joint name as written in the figure -> as shown."""
        return mirror_name(point) if self.mirrored else point

    @property
    def hold_key(self) -> Key | None:
        """The key held longest (the stretch of a hold), or None."""
        held = [k for k in self.keys if k.hold > 0]
        return max(held, key=lambda k: k.hold) if held else None

    def prop(self, kind: str) -> dict | None:
        for p in self.props:
            d = dict(p)
            if d["kind"] == kind:
                return d
        return None

    @property
    def prop_kinds(self) -> tuple[str, ...]:
        return tuple(dict(p)["kind"] for p in self.props)


# ------------------------------------------------------------------ validation


class _Checker:
    def __init__(self) -> None:
        self.problems: list[FigureProblem] = []

    def add(self, path: str, value: Any, expected: str, problem: str = "",
            hint: str = "") -> None:
        self.problems.append(FigureProblem(path, value, expected, problem, hint))

    def number(self, path: str, v: Any, lo: float, hi: float, what: str = "") -> float | None:
        if isinstance(v, bool) or not isinstance(v, (int, float)) or v != v:
            self.add(path, v, f"a number from {_n(lo)} to {_n(hi)}" + (f" ({what})" if what
                                                                        else ""))
            return None
        if not lo <= v <= hi:
            self.add(path, v, f"a number from {_n(lo)} to {_n(hi)}" + (f" ({what})" if what
                                                                        else ""),
                     problem="out of range")
            return None
        return float(v)

    def choice(self, path: str, v: Any, choices: tuple[str, ...] | frozenset[str],
               what: str) -> str | None:
        if not isinstance(v, str) or v not in choices:
            shown = ", ".join(sorted(choices)) if len(choices) <= 12 else what
            self.add(path, v, f"one of {shown}" if len(choices) <= 12 else what,
                     hint=_close(v, choices))
            return None
        return v

    def names(self, path: str, v: Any, choices: frozenset[str] | tuple[str, ...],
              what: str) -> tuple[str, ...]:
        if isinstance(v, str):
            v = [v]
        if not isinstance(v, list):
            self.add(path, v, f"a list of {what}")
            return ()
        out = []
        for i, item in enumerate(v):
            ok = self.choice(f"{path}[{i}]", item, choices, what)
            if ok is not None:
                out.append(ok)
        return tuple(out)


def _n(x: float) -> str:
    return f"{x:g}"


def _close(word: Any, choices) -> str:
    if not isinstance(word, str):
        return ""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _joints(c: _Checker, path: str, raw: Any, reserved: tuple[str, ...] = ()
            ) -> tuple[tuple[str, tuple[tuple[str, float], ...]], ...]:
    """A table of joint -> {angle = degrees}, checked against the range-of-motion table."""
    if not isinstance(raw, dict):
        c.add(path, raw, "a table of joints, like { r_hip = { flex = 90 } }")
        return ()
    out = []
    names = set(A.JOINTS) | set(A.LIMB)
    for joint, dofs in raw.items():
        if joint in reserved:
            continue
        jp = f"{path}.{joint}" if path else joint
        if joint not in names:
            c.add(jp, dofs, "a joint: " + ", ".join(A.AXIAL) + ", or l_/r_ (or both sides "
                  "without a prefix) with " + ", ".join(A.LIMB), problem="unknown joint",
                  hint=_close(joint, names))
            continue
        jtype = A.joint_type(joint)
        allowed = A.JOINT_DOFS[jtype]
        if not isinstance(dofs, dict) or not dofs:
            c.add(jp, dofs, "a table of angles: " + ", ".join(f"{d} = degrees" for d in allowed))
            continue
        angles = []
        for dof, value in dofs.items():
            if dof not in allowed:
                c.add(f"{jp}.{dof}", value, f"an angle of {jtype}: {', '.join(allowed)}",
                      problem="unknown angle", hint=_close(dof, allowed))
                continue
            if jtype == "root":
                v = c.number(f"{jp}.{dof}", value, -180, 180, "degrees")
            else:
                lo, hi, what = A.ROM[(jtype, dof)]
                v = c.number(f"{jp}.{dof}", value, lo, hi, what)
            if v is not None:
                angles.append((dof, v))
        out.append((joint, tuple(angles)))
    return tuple(out)


def _props(c: _Checker, raw: Any) -> tuple[tuple[tuple[str, Any], ...], ...]:
    if not isinstance(raw, list):
        c.add("props", raw, "a list of props: " + ", ".join(PROP_KINDS))
        return ()
    out = []
    for i, item in enumerate(raw):
        p = f"props[{i}]"
        if isinstance(item, str):
            item = {"kind": item}
        if not isinstance(item, dict):
            c.add(p, item, "a prop name or a table { kind = ..., under = [...] }")
            continue
        kind = c.choice(f"{p}.kind", item.get("kind"), PROP_KINDS, "a prop")
        fields: dict[str, Any] = {"kind": kind}
        for k, v in item.items():
            if k == "kind":
                continue
            if k not in PROP_FIELDS:
                c.add(f"{p}.{k}", v, "one of " + ", ".join(sorted(PROP_FIELDS)),
                      problem="unknown field")
            elif k in ("under", "at", "to"):
                fields[k] = c.names(f"{p}.{k}", v, POINTS, "body points")
            elif k == "axis":
                fields[k] = c.choice(f"{p}.{k}", v, ("x", "y", "z"), "an axis")
            else:
                fields[k] = c.choice(f"{p}.{k}", v, ("behind", "beyond"), "a side")
        if kind is not None:
            out.append(tuple(sorted(fields.items())))
    return tuple(out)


def _grips(c: _Checker, raw: Any) -> tuple[Grip, ...]:
    if not isinstance(raw, list):
        c.add("helper", raw, "a list of grips like { at = \"r_knee\", from = \"below\" }")
        return ()
    out = []
    for i, g in enumerate(raw):
        p = f"helper[{i}]"
        if isinstance(g, str):
            g = {"at": g}
        if not isinstance(g, dict) or "at" not in g:
            c.add(p, g, "a grip { at = point, from = below|above|side, toward = ... }")
            continue
        for k in g:
            if k not in ("at", "from", "toward"):
                c.add(f"{p}.{k}", g[k], "at, from or toward", problem="unknown field")
        at = c.choice(f"{p}.at", g["at"], POINTS, "a body point")
        side = c.choice(f"{p}.from", g.get("from", "below"), GRIP_FROM, "a side")
        toward = g.get("toward")
        if toward is not None:
            if isinstance(toward, str):
                toward = c.choice(f"{p}.toward", toward, POINTS, "a body point")
            elif (isinstance(toward, list) and len(toward) == 3
                  and all(isinstance(x, (int, float)) and not isinstance(x, bool)
                          for x in toward) and any(toward)):
                toward = tuple(float(x) for x in toward)
            else:
                c.add(f"{p}.toward", toward, "a body point or a direction [x, y, z]")
                toward = None
        if at is not None and side is not None:
            out.append(Grip(at, side, toward))
    return tuple(out)


def figure_problems(raw: Any) -> list[FigureProblem]:
    """Every mistake in a figure table (empty when it is valid)."""
    c = _Checker()
    _parse(c, raw)
    return c.problems


def parse_figure(raw: Any, where: str = "figure") -> Figure:
    """Validate a figure table; raises FigureError listing every problem."""
    c = _Checker()
    fig = _parse(c, raw)
    if c.problems or fig is None:
        raise FigureError(c.problems or [FigureProblem("", raw, "a figure table")], where)
    return fig


def _parse(c: _Checker, raw: Any) -> Figure | None:
    if not isinstance(raw, dict):
        c.add("", raw, "a table with " + ", ".join(REQUIRED))
        return None
    for k, v in raw.items():
        if k not in FIELDS:
            c.add(k, v, "one of " + ", ".join(FIELDS), problem="unknown field",
                  hint=_close(k, FIELDS))
    for k in REQUIRED:
        if k not in raw:
            c.add(k, MISSING, {"view": "one of " + ", ".join(VIEWS),
                                   "start": "a posture: " + ", ".join(A.POSTURES),
                                   "side": "left, right or both",
                                   "cycle": "seconds of one repetition",
                                   "keys": "a list of keyframes"}[k], problem="required")
    view = c.choice("view", raw.get("view"), VIEWS, "a view") if "view" in raw else None
    start = c.choice("start", raw.get("start"), tuple(A.POSTURES), "a posture") \
        if "start" in raw else None
    side = c.choice("side", raw.get("side"), SIDE_CHOICES, "a side") if "side" in raw else None
    cycle = c.number("cycle", raw.get("cycle"), *CYCLE, "seconds") if "cycle" in raw else None
    reps = raw.get("reps", 1)
    if isinstance(reps, bool) or not isinstance(reps, int) or not 1 <= reps <= 8:
        c.add("reps", reps, "a whole number from 1 to 8 (repetitions in one loop)")
        reps = 1
    pose = _joints(c, "pose", raw["pose"]) if "pose" in raw else ()
    props = _props(c, raw["props"]) if "props" in raw else ()
    keys: list[Key] = []
    raw_keys = raw.get("keys", [])
    if not isinstance(raw_keys, list) or ("keys" in raw and not raw_keys):
        c.add("keys", raw_keys, "a list of at least one keyframe { at = seconds, ... }")
        raw_keys = []
    last = 0.0
    for i, k in enumerate(raw_keys):
        p = f"keys[{i}]"
        if not isinstance(k, dict):
            c.add(p, k, "a keyframe table { at = seconds, joint = { angle = degrees } }")
            continue
        if "at" not in k:
            c.add(f"{p}.at", MISSING, "the time of this pose in seconds", problem="required")
            continue
        t = c.number(f"{p}.at", k["at"], 0.05, CYCLE[1], "seconds")
        hold = c.number(f"{p}.hold", k["hold"], 0.1, CYCLE[1], "seconds") \
            if "hold" in k else 0.0
        if t is None or hold is None:
            continue
        if t <= last:
            c.add(f"{p}.at", k["at"], f"a time after {_n(last)} s (keys in order, holds "
                  "included)", problem="keys out of order")
        if cycle is not None and t + hold >= cycle:
            c.add(f"{p}.at", k["at"], f"a time before the end of the cycle ({_n(cycle)} s) "
                  "with time to return", problem="after the end of the cycle")
        last = t + hold
        keys.append(Key(t, hold, _joints(c, p, k, reserved=("at", "hold"))))
    helper = _grips(c, raw["helper"]) if "helper" in raw else ()
    trace = c.names("trace", raw["trace"], POINTS, "body points") if "trace" in raw else ()
    carries = c.names("carries", raw["carries"], tuple(A.JOINT_DOFS), "joint types") \
        if "carries" in raw else ()
    focus = c.names("focus", raw["focus"], POINTS, "body points or segments") \
        if "focus" in raw else ()
    planted = c.names("planted", raw["planted"], PLANTABLE, "feet, knees or hands") \
        if "planted" in raw else None
    label = raw.get("label", "")
    if not isinstance(label, str) or len(label) > 40:
        c.add("label", label, "a short caption (at most 40 characters)")
        label = ""
    if c.problems or None in (view, start, side, cycle):
        return None
    return Figure(view=view, start=start, pose=pose, props=props, side=side,
                  cycle=cycle, keys=tuple(keys), helper=helper, trace=trace,
                  carries=carries, focus=focus, planted=planted, label=label, reps=reps)


def parse_figures(doc: Mapping[str, Any], where: str = "figures") -> dict[str, Figure]:
    """A document of ``movement-id = figure table`` entries; raises FigureError with the
    movement id at the front of each path."""
    out: dict[str, Figure] = {}
    problems: list[FigureProblem] = []
    for mid, raw in doc.items():
        found = figure_problems(raw)
        if found:
            problems += [p.replace(path=f"{mid}.{p.path}" if p.path else mid) for p in found]
        else:
            out[mid] = parse_figure(raw, where)
    if problems:
        raise FigureError(problems, where)
    return out


# ------------------------------------------------------------------ poses and mirroring


def _expand(joints) -> list[tuple[str, tuple[tuple[str, float], ...]]]:
    """Generic limb joints ('hip') first as both sides, then the sided ones."""
    generic = [(f"{s}_{j}", d) for j, d in joints if j in A.LIMB for s in A.SIDES]
    return generic + [(j, d) for j, d in joints if j not in A.LIMB]


def _apply(pose: dict[str, list[float]], joints) -> None:
    for joint, dofs in _expand(joints):
        names = A.JOINT_DOFS[A.joint_type(joint)]
        for dof, v in dofs:
            pose[joint][names.index(dof)] = v


def _items(table: Mapping[str, Mapping[str, float]]):
    return tuple((j, tuple(d.items())) for j, d in table.items())


def start_pose(fig: Figure) -> dict[str, tuple[float, ...]]:
    pose = {j: [0.0] * len(A.JOINT_DOFS[A.joint_type(j)]) for j in A.JOINTS}
    _apply(pose, _items(A.POSTURES[fig.start]["pose"]))
    _apply(pose, fig.pose)
    return {j: tuple(v) for j, v in pose.items()}


def key_pose(start: Mapping[str, tuple[float, ...]], key: Key) -> dict[str, tuple[float, ...]]:
    pose = {j: list(v) for j, v in start.items()}
    _apply(pose, key.joints)
    return {j: tuple(v) for j, v in pose.items()}


def mirror_name(name: str) -> str:
    if name[:2] == "l_":
        return "r_" + name[2:]
    if name[:2] == "r_":
        return "l_" + name[2:]
    return name


def mirror_pose(pose: Mapping[str, tuple[float, ...]]) -> dict[str, tuple[float, ...]]:
    """The same pose for the other side: l_ and r_ swapped, sideways angles negated."""
    out = {}
    for joint, values in pose.items():
        names = A.JOINT_DOFS[A.joint_type(joint)]
        if A.joint_side(joint) is None:
            values = tuple(-v if n in A.MIRRORED_DOFS else v for n, v in zip(names, values))
        out[mirror_name(joint)] = values
    return out


def mirror(fig: Figure) -> Figure:
    """The figure for the other side (a 'both' figure is returned as it is). The keys stay
    as written; poses and point names are mirrored when the figure is posed."""
    return fig if fig.side == "both" else fig.replace(mirrored=not fig.mirrored)


def swap_words(text: str) -> str:
    """'right leg' -> 'left leg'."""
    swap = {"left": "right", "right": "left", "Left": "Right", "Right": "Left"}
    return " ".join(swap.get(w, w) for w in text.split(" "))


# catalog equipment -> the prop that draws it; catalog position -> postures that show it
EQUIPMENT_PROPS = {"chair": "chair", "bed": "bed", "strap": "strap", "doorway": "doorway",
                   "wall": "wall", "table": "table", "foam-roller": "roller", "band": "band"}
POSITION_POSTURES = {
    "standing": {"standing"}, "seated": {"seated", "edge-sitting", "long-sitting"},
    "lying": {"supine", "hook-lying"}, "side-lying": {"side-lying"}, "prone": {"prone"},
    "kneeling": {"kneeling", "all-fours"}, "all-fours": {"all-fours"},
    "squatting": {"squatting"},
}


def fits(fig: Figure, movement: Movement) -> list[str]:
    """Why the figure does not fit its movement (helper, hold, props, posture); empty
    when it fits."""
    out = []
    if movement.helper and not fig.helper:
        out.append("a caregiver movement needs the helper's hands (helper = [...])")
    if fig.helper and not movement.helper:
        out.append("the movement has no helper, but the figure draws one")
    held = fig.hold_key is not None
    d = movement.dose
    if d.unit == "seconds" and not held:
        out.append("a hold (dose in seconds) needs a key with hold = seconds")
    if d.unit == "reps" and abs(fig.cycle - d.tempo * fig.reps) > 0.05:
        out.append(f"cycle = {fig.cycle:g} s is not the dose's tempo: {fig.reps} "
                   f"rep{'s' * (fig.reps > 1)} of {d.tempo:g} s make {d.tempo * fig.reps:g} s "
                   "(reps = N says how many one loop shows)")
    kinds = set(fig.prop_kinds)
    for eq in movement.equipment:
        prop = EQUIPMENT_PROPS.get(eq)
        if prop and prop not in kinds and not (prop == "chair" and "bed" in kinds):
            out.append(f"the movement needs a {eq}; the figure has no {prop!r} prop")
    if A.POSTURES[fig.start]["surface"] == "seat" and "chair" not in kinds:
        out.append("a seated figure needs a chair prop")
    allowed = set().union(*(POSITION_POSTURES[p] for p in movement.position))
    if fig.start not in allowed:
        out.append(f"starts {fig.start}, but the movement is done "
                   f"{' or '.join(movement.position)}")
    return out

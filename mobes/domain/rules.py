"""Value rules shared by more than one door: each exists once, here.

The config loader (``mobes.config``) and ``mobes plan add`` both validate rehab plans with
the limits and checks below, and both run the one plan rule, ``plan_problems`` (the
method's bounds: 1-5 movements, 1-3 sets a day in total, 25-75 reps a set of a
mobilization; a prescribed plan keeps a therapist's numbers), so a plan one accepts the
other accepts too; the tray adapter and the config schema share the tray backend names; the
config reloader and the TOML cache share the racy-timestamp rule. Pure: no I/O, stdlib and
the domain only.
"""

from __future__ import annotations

from mobes.domain.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from mobes.domain.catalog import Catalog
    from mobes.domain.model import Movement
    from mobes.domain.settings import Plan

# --- rehab plans ---------------------------------------------------------------------------

PLAN_NAME_MAX = 60  # characters
PLAN_NAME_FORBIDDEN = "\"'\n\r"  # quotes would need escaping on every command line
PLAN_MOVEMENTS = (1, 5)  # a concentrated batch works best with few movements
PLAN_TIMES = (1, 3)  # batch times a day
PLAN_SETS = (1, 3)  # sets a batch, in one sitting (and 1-3 a day in total: SETS_A_DAY)
SETS_A_DAY = 3  # seed 003: "approximately 1-3 sets per day"
# A prescribed programme may say more (seed 004: "8 each leg x 4, twice a day").
PRESCRIBED_SETS = (1, 10)
PRESCRIBED_REPS = (1, 500)
PRESCRIBED_SECONDS = (1, 600)
# A rehab set of a mobilization (seed 003: "repeat it approximately 25-75 times in a single
# set"); for a movement done in both directions it counts one direction.
MOBILIZATION_REPS = (25, 75)
MORNING_ENDS = 12 * 60  # "mornings only": batch times before noon
PLAN_TRIAL_DAYS = (0, 30)  # 0: no trial, never asked "any obvious benefit?"
PLAN_HOLDS = (1, 20)  # holds a set, for a movement dosed in seconds
# Sanity bounds for a plan item before the movement's own range
# (``mobes.domain.rehab.plan_amount_range``) is known.
ITEM_REPS = (1, 500)
ITEM_HOLD_SECONDS = (1, 600)


def whole_in(v: Any, bounds: tuple[int, int]) -> bool:
    """``v`` is a whole number (not a bool) within ``bounds`` (inclusive)."""
    return isinstance(v, int) and not isinstance(v, bool) and bounds[0] <= v <= bounds[1]


def plan_name_ok(name: Any) -> bool:
    """A plan name: non-empty after trimming, at most 60 characters, no quotes or breaks."""
    return (isinstance(name, str) and bool(name.strip()) and len(name.strip()) <= PLAN_NAME_MAX
            and not any(c in name for c in PLAN_NAME_FORBIDDEN))


PLAN_NAME_EXPECTED = (f"a non-empty name of at most {PLAN_NAME_MAX} characters, without quotes "
                      "or line breaks")


SETS_RULE = ("1-3 sets a day in total, counting every batch time (the method: \"approximately "
             "1-3 sets per day\", in one concentrated batch rather than split up)")
REPS_RULE = ("a rehab set of a mobilization is 25-75 reps (the method: \"25-75 times in a "
             "single set\"); for one done in both directions, per direction")
MOVEMENTS_RULE = "1-5 movements in a plan (the method: \"1-5 exercises\")"
MORNING_RULE = "is done on an empty stomach, so only in the morning (times before 12:00)"
PRESCRIBED_HINT = ("a therapist's programme that says otherwise is entered as prescribed "
                   "(--prescribed, or prescribed = true): its doses are kept as given")


class PlanProblem(Record):
    """One way a plan breaks the plan rule: ``field`` (e.g. "sets", "movements[2].reps"),
    the value, what was expected, a short ``problem`` tag and the ``rule`` in words (quoted
    from the method where it says so)."""

    __slots__ = ("field", "value", "expected", "problem", "rule")
    _defaults = {"problem": "", "rule": ""}
    field: str
    value: Any
    expected: str
    problem: str
    rule: str

    def message(self) -> str:
        """'expected ..., got ...; the rule: ...' for a command line."""
        text = f"expected {self.expected}, got {self.value!r}"
        if self.problem:
            text = f"{self.problem}: {text}"
        return text + (f". The rule: {self.rule}" if self.rule else "")


def is_mobilization_set(m: Movement) -> bool:
    """A mobilization counted in reps: its rehab sets are 25-75 reps."""
    return m.kind == "mobilization" and m.dose.unit == "reps"


def plan_amount_range(m: Movement, prescribed: bool = False) -> tuple[int, int]:
    """Allowed amount a set of movement ``m`` in a rehab plan: 25-75 reps for a
    mobilization (per direction for one done both ways), else the movement's floor..max
    (reps, or seconds for a hold). A prescribed plan keeps what the therapist wrote."""
    d = m.dose
    if prescribed:
        return PRESCRIBED_SECONDS if d.unit == "seconds" else PRESCRIBED_REPS
    if is_mobilization_set(m):
        return MOBILIZATION_REPS
    return d.floor, d.max


def batches_a_day(plan: Plan) -> int:
    """Batches the plan asks for on one of its days (an any-time plan: one)."""
    return 1 if plan.anytime else max(1, len(plan.times))


def sets_a_day(plan: Plan) -> int:
    return plan.sets * batches_a_day(plan)


def plan_problems(plan: Plan, catalog: Catalog) -> list[PlanProblem]:
    """Every way ``plan`` breaks the plan rule (empty when it is fine): 1-5 movements;
    1-3 sets a day in total (sets x batch times) unless prescribed; every amount within
    ``plan_amount_range`` and in the movement's unit; a movement that needs an empty stomach
    only at morning times. Movements missing from the catalog are reported too."""
    out: list[PlanProblem] = []
    hint = "" if plan.prescribed else "; " + PRESCRIBED_HINT
    lo, hi = PLAN_MOVEMENTS
    if not lo <= len(plan.items) <= hi:
        out.append(PlanProblem("movements", len(plan.items), f"{lo} to {hi} movements",
                               rule=MOVEMENTS_RULE))
    lo, hi = PRESCRIBED_SETS if plan.prescribed else PLAN_SETS
    if not lo <= plan.sets <= hi:
        out.append(PlanProblem("sets", plan.sets, f"{lo} to {hi} sets a day",
                               rule=SETS_RULE + hint))
    elif not plan.prescribed and sets_a_day(plan) > SETS_A_DAY:
        n = batches_a_day(plan)
        most = SETS_A_DAY // n
        out.append(PlanProblem(
            "sets", plan.sets,
            f"at most {most} set{'s' if most != 1 else ''} a batch at {n} batch times a day",
            f"{plan.sets} sets x {n} batch times = {sets_a_day(plan)} sets a day",
            SETS_RULE + hint))
    for i, item in enumerate(plan.items, 1):
        where = f"movements[{i}]"
        if item.movement not in catalog:
            out.append(PlanProblem(where + ".id", item.movement,
                                   "the id of a movement in the catalog",
                                   "no such movement"))
            continue
        m = catalog.get(item.movement)
        a, b = plan_amount_range(m, plan.prescribed)
        if m.dose.unit == "reps":
            if item.reps is None:
                out.append(PlanProblem(where, {"id": m.id, "hold_seconds": item.hold_seconds},
                                       f"reps = {a} to {b}",
                                       f"{m.id!r} is counted in reps"))
            elif not a <= item.reps <= b:
                each = " each direction" if m.dose.directions == 2 else ""
                mob = is_mobilization_set(m) and not plan.prescribed
                out.append(PlanProblem(
                    where + ".reps", item.reps, f"from {a} to {b} reps{each} for {m.id!r}",
                    f"{m.id} is a mobilization" if mob else f"{m.id} is a {m.kind} movement",
                    (REPS_RULE if mob else f"the dose bounds of {m.id}") + hint))
        elif item.hold_seconds is None:
            out.append(PlanProblem(where, {"id": m.id, "reps": item.reps},
                                   f"hold_seconds = {a} to {b} (and holds = N)",
                                   f"{m.id!r} is a hold, counted in seconds"))
        elif not a <= item.hold_seconds <= b:
            out.append(PlanProblem(where + ".hold_seconds", item.hold_seconds,
                                   f"from {a} to {b} seconds for {m.id!r}",
                                   f"a hold of {m.id}",
                                   "the movement's dose bounds" + hint))
        if "empty-stomach" in m.needs:
            late = [t for t in plan.times if (clock_minutes(t) or 0) >= MORNING_ENDS]
            if plan.anytime or late:
                out.append(PlanProblem("times", list(plan.times),
                                       f"fixed batch times before 12:00 for {m.id!r}",
                                       "any time of day" if plan.anytime else "afternoon",
                                       f"{m.name} {MORNING_RULE}"))
    return out


# --- clock times ---------------------------------------------------------------------------


def clock_minutes(text: Any, allow_24: bool = False) -> int | None:
    """Minutes after midnight for a 24-hour time "HH:MM" (or "H:MM"), None when ``text`` is
    not one. ``allow_24``: "24:00" is the end of a day (work windows)."""
    if not isinstance(text, str):
        return None
    hh, sep, mm = text.strip().partition(":")
    if not sep or not 1 <= len(hh) <= 2 or len(mm) != 2:
        return None
    if not (hh.isascii() and hh.isdigit() and mm.isascii() and mm.isdigit()):
        return None
    h, m = int(hh), int(mm)
    if m > 59 or h > 24 or (h == 24 and (m or not allow_24)):
        return None
    return h * 60 + m


def clock_text(minutes: int) -> str:
    """600 -> "10:00"."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def plan_times(texts: Any) -> tuple[str, ...] | None:
    """A plan's batch times, normalised ("7:30" -> "07:30") and sorted; None when they are
    not 1 to 3 valid times. Duplicates are the caller's to report (``duplicate_times``)."""
    if not isinstance(texts, (list, tuple)) or not PLAN_TIMES[0] <= len(texts) <= PLAN_TIMES[1]:
        return None
    minutes = [clock_minutes(t) for t in texts]
    if any(m is None for m in minutes):
        return None
    return tuple(clock_text(m) for m in sorted(minutes))  # type: ignore[type-var]


def duplicate_times(times: tuple[str, ...]) -> bool:
    return len(set(times)) != len(times)


# --- answers to a prompt -------------------------------------------------------------------

# The answers a microbreak prompt takes that say how it felt, and the feedback each gives.
ANSWER_FEEDBACK: dict[str, str] = {"done": "ok", "too-hard": "too-hard",
                                   "too-easy": "too-easy", "pain": "pain"}

# --- tray ----------------------------------------------------------------------------------

# Backends ``[tray] backend`` may name (pystray's, plus auto and none).
TRAY_BACKENDS: tuple[str, ...] = ("auto", "gtk", "appindicator", "xorg", "win32", "darwin",
                                  "none")

# --- file timestamps -----------------------------------------------------------------------

# A file modified less than this long ago may be written again within the same timestamp
# tick ("racy", as git calls it): its (mtime, size) alone cannot prove it unchanged.
RACY_NS = 2_000_000_000


def racy(mtime_ns: int, now_ns: int) -> bool:
    """Whether a file stamped ``mtime_ns`` cannot be trusted by its stamp at ``now_ns``."""
    return now_ns - mtime_ns < RACY_NS

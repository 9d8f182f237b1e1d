"""Rehab plans as pure rules: batch reminders, the one-sitting rule, the trial check-in.

Nothing here reads the clock: ``now``/``today`` and the time zone come from the caller.

Slots. A plan lists its batch times (``plan.times``, local "HH:MM"); each time is one batch
*slot* a day. A batch belongs to the slot of the latest plan time at or before it started
(one started before the first time belongs to the first slot), so doing the batch a little
early counts for that slot.

Reminders. At a slot's time: "remind"; ``remind_again_minutes`` later, if no batch was
started for the slot: "remind-again"; as long again later: "missed" (the caller records a
``missed_row``). Only the latest stage that is due is returned, so an agent that starts late
does not fire a pile of stale reminders. Slots of yesterday are checked too (a batch at
23:45 is missed after midnight).

Any time today. A plan with ``anytime`` has one slot: the whole day (seed 003: batches
"whenever you feel like it"). Its time is a reminder ("remind", then "remind-again"), and
the batch is missed only when the day ends.

The plan rule is ``mobes.domain.rules.plan_problems``: the one check of a plan against the
method, used by ``mobes plan add`` and by the config loader.

One sitting. A batch done in one go is complete. An abandoned one is partial. Finishing the
rest later is a further sitting: it is recorded as partial and the day's batch never becomes
complete (``sitting_verdict`` says why, in words the user sees).

Trial check-in. Once the plan has ``trial_days`` days with a complete batch, mobes asks
"any obvious benefit?". After any answer it asks again 7 days later (after "no" it first
offers to retire the plan); a retired plan, or one with ``trial_days = 0``, is never asked.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from mobes.domain.dosing import is_mobilization_set
from mobes.domain.history import BatchRow
from mobes.domain.record import Record
from mobes.domain.rules import (  # noqa: F401  (the plan rule lives in rules; re-exported)
    batches_a_day,
    plan_amount_range,
    plan_problems,
    sets_a_day,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from datetime import tzinfo

    from mobes.domain.catalog import Catalog
    from mobes.domain.history import BatchItemRow
    from mobes.domain.model import Movement
    from mobes.domain.settings import Plan

# What a caregiver plan tells the helper before it starts (seed 001, in our own words).
CAREGIVER_INSTRUCTIONS = (
    "For the helper: support the limb just above and just below the joint you move. Go "
    "slowly and steadily and never force: stop at the point of resistance or at any sign "
    "of pain, and keep an eye on the person's face as you move.")
PROM_RULE = ("Each movement 10 times, or one 30 s hold where you first meet resistance; "
             "once a day; start with just a few and build up.")


def sides_for(plan: Plan, movement: Movement) -> tuple[str, ...]:
    """("left", "right") when the plan does the movement on each side, else ("",).

    A plan that says nothing (``per_side`` None) follows the movement's dose."""
    each = movement.dose.per_side if plan.per_side is None else plan.per_side
    return ("left", "right") if each else ("",)


def is_caregiver_plan(plan: Plan, movements: Iterable[Movement]) -> bool:
    """True when the plan's instructions speak to a helper: a plan that says nothing
    (``caregiver`` None) does when any movement needs a helper."""
    if plan.caregiver is None:
        return any(m.helper for m in movements)
    return bool(plan.caregiver)


def warm_up(plan: Plan, catalog: Catalog, count: int = 1) -> list[Movement]:
    """A short warm-up for a batch: easy mobilizations, not in the plan, for the plan's
    regions (seed 004: the programme starts "as an easy first movement to warmup").

    Ones made for warming up come first, then the most regions shared, standing or
    seated ones (no mat needed), then catalog order. None for a caregiver plan."""
    mine = [catalog.get(i.movement) for i in plan.items if i.movement in catalog]
    if is_caregiver_plan(plan, mine):
        return []
    regions = {r for m in mine for r in m.regions}
    ids = {m.id for m in mine}
    scored = []
    for n, m in enumerate(catalog):
        if m.id in ids or m.helper or not is_mobilization_set(m):
            continue
        shared = len(regions.intersection(m.regions))
        if not shared:
            continue
        scored.append((("warm-up" not in m.good_for), -shared, not m.desk_friendly, n, m))
    scored.sort(key=lambda s: s[:4])
    return [s[4] for s in scored[:max(0, count)]]


CHECKIN_AGAIN_DAYS = 7
CHECKIN_ANSWERS: tuple[str, ...] = ("yes", "no")
REMINDER_KINDS: tuple[str, ...] = ("remind", "remind-again", "missed")


class Reminder(Record):
    """A rehab reminder that is due. ``plan`` is the plan's name; ``due`` when this stage
    fell due; ``scheduled`` the slot's batch time; ``day`` the slot's local date."""

    __slots__ = ("plan", "kind", "due", "scheduled", "day")
    _defaults = {"scheduled": None, "day": None}
    plan: str
    kind: str  # remind | remind-again | missed
    due: datetime
    scheduled: datetime | None
    day: date | None

    def message(self, anytime: bool = False) -> str:
        """What to tell the user, in plain words (``anytime``: the plan's batch may be done
        any time of the day)."""
        at = self.scheduled.strftime("%H:%M") if self.scheduled else ""
        if anytime:
            if self.kind == "remind":
                return (f"A reminder for today's rehab batch '{self.plan}': do it whenever "
                        f"suits you today, in one sitting.")
            if self.kind == "remind-again":
                return (f"Today's rehab batch '{self.plan}' is still waiting; any time before "
                        f"the day ends counts.")
            day = self.day.strftime("%a %d %b") if self.day else "yesterday"
            return f"Rehab batch '{self.plan}' was not done on {day}: recorded as missed."
        if self.kind == "remind":
            return f"Time for your rehab batch '{self.plan}' ({at}). Do it in one sitting."
        if self.kind == "remind-again":
            return (f"Your rehab batch '{self.plan}' ({at}) is still waiting. "
                    f"Start it now to keep the day's batch complete.")
        return f"Rehab batch '{self.plan}' ({at}) was not started: recorded as missed."


def parse_time(text: str) -> tuple[int, int]:
    """'HH:MM' -> (hour, minute); ValueError when it is not a valid time."""
    from mobes.domain.rules import clock_minutes

    minutes = clock_minutes(text)
    if minutes is None:
        raise ValueError(f"expected a time like 07:30, got {text!r}")
    return divmod(minutes, 60)


def _times(plan: Plan) -> list[tuple[int, int]]:
    return sorted(parse_time(t) for t in plan.times) or [(8, 0)]


def active_on(plan: Plan, day: date) -> bool:
    """True when the plan has a batch on ``day`` (its weekdays, from its start date)."""
    if plan.retired:
        return False
    if plan.start_date is not None and day < plan.start_date:
        return False
    names = {d.strip().lower()[:3] for d in plan.days}
    return day.strftime("%A").lower()[:3] in names


def scheduled_at(day: date, hm: tuple[int, int], tz: tzinfo) -> datetime:
    return datetime(day.year, day.month, day.day, hm[0], hm[1], tzinfo=tz)


def slot_of(plan: Plan, local: datetime) -> int:
    """Index of the plan time slot a batch started at ``local`` (local time) belongs to
    (an any-time plan has one slot, the whole day)."""
    if plan.anytime:
        return 0
    hm = (local.hour, local.minute)
    idx = 0
    for i, t in enumerate(_times(plan)):
        if t <= hm:
            idx = i
    return idx


def batches_in_slot(plan: Plan, batches: Iterable[BatchRow], day: date, slot: int,
                    tz: tzinfo) -> list[BatchRow]:
    return sorted(
        (b for b in batches if b.kind == "rehab" and b.plan == plan.name and b.day == day
         and slot_of(plan, b.started.astimezone(tz)) == slot),
        key=lambda b: b.started,
    )


def stage_times(plan: Plan, sched: datetime, tz: tzinfo, gap: timedelta) -> list[datetime]:
    """When each reminder stage of a slot scheduled at ``sched`` falls due: remind,
    remind-again, missed. An any-time plan is missed only when its day is over."""
    if plan.anytime:
        day = sched.astimezone(tz).date()
        end = scheduled_at(day + timedelta(days=1), (0, 0), tz)
        return [sched, min(sched + gap, end), end]
    return [sched + gap * i for i in range(len(REMINDER_KINDS))]


def reminders_due(plans: Sequence[Plan], batches: Sequence[BatchRow],
                  last_reminders: Iterable[Reminder], now: datetime, tz: tzinfo,
                  remind_again_minutes: int = 30) -> list[Reminder]:
    """Reminders to deliver at ``now``: per slot, the latest stage due and not yet issued.

    ``last_reminders`` are the reminders already delivered (compared by plan, kind, due).
    A slot with any batch (started, finished or already missed) needs no reminder.
    """
    issued = {(r.plan, r.kind, r.due) for r in last_reminders}
    local_now = now.astimezone(tz)
    today = local_now.date()
    gap = timedelta(minutes=remind_again_minutes)
    out: list[Reminder] = []
    for plan in plans:
        for day in (today - timedelta(days=1), today):
            if not active_on(plan, day):
                continue
            times = _times(plan)[:1] if plan.anytime else _times(plan)
            for slot, hm in enumerate(times):
                sched = scheduled_at(day, hm, tz)
                if sched > now:
                    continue
                if batches_in_slot(plan, batches, day, slot, tz):
                    continue
                stages = [Reminder(plan.name, kind, due, sched, day)
                          for kind, due in zip(REMINDER_KINDS,
                                               stage_times(plan, sched, tz, gap))]
                latest = [s for s in stages if s.due <= now][-1]
                if (latest.plan, latest.kind, latest.due) in issued:
                    continue
                out.append(latest)
    return sorted(out, key=lambda r: r.due)


def missed_row(reminder: Reminder) -> BatchRow:
    """The BatchRow that records a missed batch (the caller stores it)."""
    return BatchRow(kind="rehab", plan=reminder.plan, day=reminder.day,
                    started=reminder.scheduled, ended=reminder.due, status="missed",
                    sitting=0, movement_ids=())


def next_batch_time(plan: Plan, now: datetime, tz: tzinfo, horizon_days: int = 14
                    ) -> datetime | None:
    """The next scheduled batch time after ``now`` (None when none within the horizon)."""
    today = now.astimezone(tz).date()
    for n in range(horizon_days + 1):
        day = today + timedelta(days=n)
        if not active_on(plan, day):
            continue
        for hm in _times(plan):
            at = scheduled_at(day, hm, tz)
            if at > now:
                return at
    return None


# --- one sitting -------------------------------------------------------------------------

def earlier_sittings(plan: Plan, batches: Iterable[BatchRow], day: date, slot: int,
                     tz: tzinfo) -> list[BatchRow]:
    """Sittings of the plan already made in this slot today (missed rows are not sittings)."""
    return [b for b in batches_in_slot(plan, batches, day, slot, tz) if b.status != "missed"]


def sitting_number(batches: Iterable[BatchRow], plan_name: str, day: date) -> int:
    """The number of the next sitting of a plan on ``day`` (missed rows don't count)."""
    return 1 + sum(1 for b in batches if b.kind == "rehab" and b.plan == plan_name
                   and b.day == day and b.status != "missed")


def sitting_verdict(all_done: bool, abandoned: bool, earlier: Sequence[BatchRow]
                    ) -> tuple[str, str]:
    """(status, why) for a sitting that ends: complete only when every step was done now,
    in one go, and no earlier sitting of the same batch happened today."""
    if abandoned or not all_done:
        why = ("stopped before the end: recorded as partial. A batch counts as complete "
               "only when it is done in one sitting")
        if earlier:
            why += "; this was a further sitting of today's batch"
        return "partial", why + "."
    if earlier:
        first = earlier[0]
        started = first.started.strftime("%H:%M")
        if any(b.status == "complete" for b in earlier):
            return "partial", (f"today's batch was already completed at {started}: this extra "
                               f"sitting is recorded as partial.")
        return "partial", (f"today's batch was started at {started} and left unfinished: "
                           f"finishing the rest later is a second sitting, recorded as "
                           f"partial. A batch is complete only when done in one sitting, "
                           f"because the benefit comes from the concentrated dose.")
    return "complete", "every set done in one sitting: complete."


def done_in(items: Iterable[BatchItemRow]) -> dict[tuple[str, int, str], int]:
    """Reps/seconds done per (movement, set, side) across batch items."""
    out: dict[tuple[str, int, str], int] = {}
    for it in items:
        key = (it.movement_id, it.set_no, it.side)
        out[key] = max(out.get(key, 0), it.done)
    return out


# --- trial check-in ----------------------------------------------------------------------

class Checkin(Record):
    """An answer to a plan's "any obvious benefit?" (yes | no), given on local ``day``."""

    __slots__ = ("at", "plan", "answer", "day")
    at: datetime
    plan: str
    answer: str
    day: date


def completed_days(plan_name: str, batches: Iterable[BatchRow]) -> list[date]:
    return sorted({b.day for b in batches if b.kind == "rehab" and b.plan == plan_name
                   and b.status == "complete"})


def checkin_due(plan: Plan, batches: Sequence[BatchRow], answers: Sequence[Checkin],
                today: date) -> bool:
    """Ask "any obvious benefit?" now? After ``trial_days`` complete days, then every 7 days
    after the last answer."""
    if plan.retired or plan.trial_days <= 0:  # no trial window: never asked
        return False
    mine = sorted((a for a in answers if a.plan == plan.name), key=lambda a: a.at)
    if mine:
        return today >= mine[-1].day + timedelta(days=CHECKIN_AGAIN_DAYS)
    return len(completed_days(plan.name, batches)) >= plan.trial_days


CHECKIN_QUESTION = "Any obvious benefit from plan {plan!r} so far (less pain, more range)?"


def checkin_reply(plan_name: str, answer: str) -> str:
    """What mobes says after an answer."""
    if answer == "yes":
        return (f"Good: keeping plan {plan_name!r}. mobes will ask again in "
                f"{CHECKIN_AGAIN_DAYS} days.")
    return (f"No obvious benefit: it is fine to drop a plan that does not help and try "
            f"another. Retire {plan_name!r} with 'mobes plan retire {plan_name}'.")

"""A rehab plan's course between sittings: trial check-ins and the agent's reminders.

Check-in answers and delivered reminders live in the history as prompts of their own kinds,
so nothing is asked or delivered twice, even across restarts.
"""

from __future__ import annotations

from mobes.domain import rehab
from mobes.services.rehab_session import local_tz

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import datetime, tzinfo

    from mobes.domain.settings import Plan, Settings
    from mobes.services.ports import HistoryStore

CHECKIN_PROMPT = "rehab-checkin"


def checkins(store: HistoryStore, plan_name: str | None, tz: tzinfo) -> list[rehab.Checkin]:
    """Check-in answers, oldest first. Each is a prompt of kind "rehab-checkin" (the question
    mobes asked; ``why`` names the plan) whose outcome is the answer."""
    out = []
    for p in store.prompts(kind=CHECKIN_PROMPT):
        name = p.why.removeprefix("plan ")
        if p.outcome in rehab.CHECKIN_ANSWERS and (plan_name is None or name == plan_name):
            out.append(rehab.Checkin(at=p.at, plan=name, answer=p.outcome,
                                     day=p.at.astimezone(tz).date()))
    return out


def checkin_due(plan: Plan, store: HistoryStore, now: datetime,
                settings: Settings | None = None) -> bool:
    """Is the trial check-in question due for ``plan`` at ``now``?"""
    tz = local_tz(now, settings)
    return rehab.checkin_due(plan, store.batches(kind="rehab", plan=plan.name),
                             checkins(store, plan.name, tz), now.astimezone(tz).date())


def record_checkin(store: HistoryStore, plan: Plan, answer: str, now: datetime) -> str:
    """Remember a check-in answer (yes | no) as the question's prompt and its outcome;
    returns what to tell the user."""
    from mobes.domain.history import OutcomeRow, PromptRow
    from mobes.services.feedback import transaction

    if answer not in rehab.CHECKIN_ANSWERS:
        raise ValueError(f"answer must be yes or no, got {answer!r}")
    with transaction(store):
        pid = store.add_prompt(PromptRow(
            at=now, kind=CHECKIN_PROMPT, why=f"plan {plan.name}",
            movement_ids=tuple(i.movement for i in plan.items), amounts=()))
        store.add_outcome(OutcomeRow(prompt_id=pid, at=now, outcome=answer))
    return rehab.checkin_reply(plan.name, answer)


# --- reminders for the agent -------------------------------------------------------------

REMINDER_PROMPT = "rehab-reminder"


def _issued(store: HistoryStore, since: datetime) -> list[rehab.Reminder]:
    """Reminders already delivered, read back from their PromptRows (see tick_reminders)."""
    from datetime import datetime as dt

    out = []
    for p in store.prompts(since=since, kind=REMINDER_PROMPT):
        kind, _, rest = p.why.partition(" ")
        due, _, plan = rest.partition(" ")
        try:
            out.append(rehab.Reminder(plan=plan, kind=kind, due=dt.fromisoformat(due)))
        except ValueError:
            continue
    return out


def tick_reminders(store: HistoryStore, settings: Settings, now: datetime,
                   tz: tzinfo | None = None) -> list[rehab.Reminder]:
    """Rehab reminders due at ``now``, for the agent to deliver.

    Each one is recorded as a PromptRow (kind "rehab-reminder", ``why`` = "KIND DUE PLAN") so
    it is never delivered twice, even across restarts; a "missed" one also records the
    missed BatchRow and the prompt's outcome "missed".
    """
    from datetime import timedelta

    tz = tz or local_tz(now, settings)
    plans = [p for p in settings.rehab.plans if not p.retired]
    if not plans:
        return []
    since = now - timedelta(days=3)
    due = rehab.reminders_due(plans, store.batches(since=since, kind="rehab"),
                              _issued(store, since), now, tz,
                              settings.rehab.remind_again_minutes)
    from mobes.services.feedback import transaction

    for r in due:
        with transaction(store):
            _record_reminder(store, r, now)
    return due


def _record_reminder(store: HistoryStore, r: rehab.Reminder, now: datetime) -> None:
    from mobes.domain.history import OutcomeRow, PromptRow

    pid = store.add_prompt(PromptRow(at=now, kind=REMINDER_PROMPT, movement_ids=(),
                                     amounts=(), why=f"{r.kind} {r.due.isoformat()} {r.plan}"))
    if r.kind == "missed":
        store.start_batch(rehab.missed_row(r))
        store.add_outcome(OutcomeRow(prompt_id=pid, at=now, outcome="missed"))


def next_reminder(settings: Settings, now: datetime, tz: tzinfo) -> datetime | None:
    """When the next reminder stage of any active plan falls due after ``now`` (the agent
    reads the history only then)."""
    from datetime import timedelta

    plans = [p for p in settings.rehab.plans if not p.retired]
    if not plans:
        return None
    from mobes.domain.rehab import next_batch_time, stage_times

    gap = timedelta(minutes=settings.rehab.remind_again_minutes)
    best = None
    for plan in plans:
        t = now - 2 * gap - timedelta(seconds=1)
        for _ in range(8):
            sched = next_batch_time(plan, t, tz)
            if sched is None:
                break
            stage = next((t for t in stage_times(plan, sched, tz, gap) if t > now), None)
            if stage is not None:
                if best is None or stage < best:
                    best = stage
                break
            t = sched
    return best

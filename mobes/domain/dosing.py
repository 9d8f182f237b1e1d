"""Current doses and dose adaptation: pure functions over the DoseChange log.

A movement's dose is never stored as a number that gets overwritten: every change (a plan
starting, an adaptation, a rest, a retirement, a re-enable) is a ``DoseChange`` row with a
human reason, and the current state is a fold over those rows (``state_for``). ``adapt``
turns one piece of feedback into the change rows to record, so ``mobes why`` can show every
change with its date and reason.

Two contexts keep separate amounts for the same movement:

- ``microbreak``: bounds are the catalog dose ``floor..max``; the target is the catalog's
  microbreak ``amount``. A new microbreak dose starts at that amount; after a too-hard or a
  pain mark it climbs back toward it with clean completions (too-easy can go beyond it, up
  to ``max``).
- ``rehab``: the target is the plan item's reps (or hold seconds); bounds are the catalog
  ``floor`` to ``max(catalog max, target)``. A new rehab dose starts gently at
  ``adaptation.start_fraction`` of the target and builds up.

Rests and retirements are about the movement, not a context: a pain mark in a batch rests
the movement from microbreaks too. ``state_for`` therefore reads amounts from the changes
of its own context and availability from the changes of every context, so callers pass all
of a movement's changes.

Rules (defaults in ``settings.Adaptation``):

- too hard: x0.7 (always at least one less, never below the floor), and the easier cue
  (smaller range, slower) until the dose climbs again;
- pain: x0.5 (same bounds), rest ``pain_rest_hours``; ``pain_retire_count`` pain marks
  within ``pain_retire_days`` (counted since the last re-enable) retire the movement until
  the user re-enables it, with advice to see a professional;
- too easy: +``too_easy_step`` (at least one) up to the target, or when already at or above
  the target up to the maximum;
- ``clean_streak`` "ok" marks in a row (in the context): one such step toward the target,
  never beyond it.
"""

from __future__ import annotations

from mobes.domain.history import DoseChange
from mobes.domain.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from datetime import datetime

    from mobes.domain.history import FeedbackRow
    from mobes.domain.model import Movement
    from mobes.domain.settings import Adaptation


class DoseState(Record):
    """A movement's dose in one context at one moment, derived from its DoseChange log.

    ``clean_streak`` counts clean ("ok") completions since the last step (it needs the
    feedback rows; 0 without them). ``easier`` is True while the last adaptation lowered the
    dose (or found it already at the floor): show the movement's easier cue.
    """

    __slots__ = ("amount", "resting_until", "retired", "clean_streak", "target", "floor",
                 "max", "unit", "easier", "started", "enabled_at")
    _defaults = {"target": 0, "floor": 1, "max": 0, "unit": "reps", "easier": False,
                 "started": False, "enabled_at": None}
    amount: int
    resting_until: datetime | None
    retired: bool
    clean_streak: int
    target: int
    floor: int
    max: int
    unit: str
    easier: bool
    started: bool  # a start or adapt change exists in this context
    enabled_at: datetime | None  # the last time the user re-enabled the movement

    def available(self, now: datetime) -> bool:
        return not self.retired and (self.resting_until is None or self.resting_until <= now)


def _round(x: float) -> int:
    """Round half up (amounts are positive)."""
    return int(x + 0.5)


def bounds(movement: Movement, context: str, target: int | None = None) -> tuple[int, int, int]:
    """(floor, target, max) for a movement in a context; ``target`` is the plan's for rehab."""
    d = movement.dose
    floor = max(1, d.floor)
    if context == "rehab":
        t = target if target else d.target
        hi = max(d.max, t)
    else:
        t = d.amount
        hi = d.max
    hi = max(hi, floor)
    return floor, min(max(t, floor), hi), hi


def start_amount(movement: Movement, context: str, adaptation: Adaptation,
                 target: int | None = None) -> int:
    """Where a new dose starts: the microbreak amount, or a fraction of the rehab target."""
    floor, t, hi = bounds(movement, context, target)
    if context == "rehab":
        return min(hi, max(floor, _round(t * adaptation.start_fraction), 1))
    return t


def unit_word(unit: str, n: int | None = None) -> str:
    if unit == "seconds":
        return "s"
    return "rep" if n == 1 else "reps"


def _amount_text(unit: str, n: int) -> str:
    return f"{n} s" if unit == "seconds" else f"{n} {unit_word(unit, n)}"


def clean_streak(feedback: Iterable[FeedbackRow], movement_id: str, context: str) -> int:
    """Trailing run of "ok" marks for a movement in a context (oldest first or any order)."""
    rows = sorted((f for f in feedback if f.movement_id == movement_id
                   and f.context == context), key=lambda f: f.at)
    n = 0
    for f in reversed(rows):
        if f.feedback != "ok":
            break
        n += 1
    return n


def state_for(movement: Movement, context: str, changes: Sequence[DoseChange],
              now: datetime, adaptation: Adaptation, target: int | None = None,
              feedback: Iterable[FeedbackRow] = ()) -> DoseState:
    """Fold a movement's DoseChange log (every context) into its state in ``context``.

    Without any start/adapt change the amount is where a new dose starts
    (``start_amount``). Amounts are clamped into the current bounds, so editing a plan's
    target or the catalog never yields an out-of-range dose. Pass the movement's feedback
    rows to get ``clean_streak``.
    """
    floor, t, hi = bounds(movement, context, target)
    amount = start_amount(movement, context, adaptation, target)
    started = False
    easier = False
    resting_until = None
    retired = False
    enabled_at = None
    for c in sorted((c for c in changes if c.movement_id == movement.id), key=lambda c: c.at):
        if c.kind in ("start", "adapt") and c.context == context:
            if c.kind == "adapt":
                easier = c.new < c.old or (c.new == c.old == floor and c.new < t)
            else:
                easier = False
            amount = c.new
            started = True
        elif c.kind == "rest":
            if c.until is not None and (resting_until is None or c.until > resting_until):
                resting_until = c.until
        elif c.kind == "retire":
            retired = True
        elif c.kind == "enable":
            retired = False
            resting_until = None
            enabled_at = c.at
    if resting_until is not None and resting_until <= now:
        resting_until = None
    amount = min(hi, max(floor, amount, 1))
    streak = clean_streak(feedback, movement.id, context) if feedback else 0
    k = max(1, adaptation.clean_streak)
    return DoseState(amount=amount, resting_until=resting_until, retired=retired,
                     clean_streak=streak % k, target=t, floor=floor, max=hi,
                     unit=movement.dose.unit, easier=easier, started=started,
                     enabled_at=enabled_at)


def start_change(movement: Movement, context: str, now: datetime, adaptation: Adaptation,
                 target: int | None = None, plan: str = "") -> DoseChange:
    """The change that starts a dose (a new rehab plan starts gently)."""
    amount = start_amount(movement, context, adaptation, target)
    floor, t, hi = bounds(movement, context, target)
    if context == "rehab":
        of = f"plan {plan!r}" if plan else "the plan"
        reason = (f"start gently: {_amount_text(movement.dose.unit, amount)} of the target "
                  f"{_amount_text(movement.dose.unit, t)} for {of}; it builds up with clean "
                  f"completions")
    else:
        reason = f"start at the usual microbreak dose of {_amount_text(movement.dose.unit, amount)}"
    return DoseChange(at=now, movement_id=movement.id, context=context, kind="start",
                      old=amount, new=amount, reason=reason)


def _fmt_when(dt: datetime) -> str:
    return dt.strftime("%a %d %b %H:%M")


def _step_up(amount: int, cap: int, step: float) -> int:
    return max(amount, min(cap, max(amount + 1, _round(amount * (1 + step)))))


def _step_down(amount: int, floor: int, factor: float) -> int:
    if amount <= floor:
        return floor
    return max(floor, min(amount - 1, _round(amount * factor)), 1)


def adapt(movement: Movement, context: str, state: DoseState, feedback: str,
          feedback_history: Sequence[FeedbackRow], adaptation: Adaptation, now: datetime,
          target: int | None = None) -> list[DoseChange]:
    """The DoseChanges one piece of feedback causes (possibly none).

    ``feedback_history`` holds the movement's EARLIER feedback rows (every context, not
    including this one): pain marks are counted across contexts for retirement, "ok" marks
    in this context for the clean streak. Each change carries a plain-words reason.
    """
    if feedback not in ("ok", "too-easy", "too-hard", "pain"):
        raise ValueError(f"unknown feedback {feedback!r}")
    floor, t, hi = bounds(movement, context, target)
    unit = movement.dose.unit
    amount = min(hi, max(floor, state.amount))
    out: list[DoseChange] = []

    def change(kind: str, new: int, reason: str, until: datetime | None = None) -> None:
        out.append(DoseChange(at=now, movement_id=movement.id, context=context, kind=kind,
                              old=amount, new=new, reason=reason, until=until))

    easier = ("ease off to a shallower position" if unit == "seconds"
              else "make the range smaller and go slower")

    def arrow(new: int) -> str:
        return f"{amount} -> {_amount_text(unit, new)}"

    if feedback == "too-hard":
        new = _step_down(amount, floor, adaptation.too_hard_factor)
        if new < amount:
            change("adapt", new, f"too hard: {arrow(new)}; {easier}")
        else:
            change("adapt", new, f"too hard, and already at the floor of "
                                 f"{_amount_text(unit, floor)}; {easier}")
    elif feedback == "pain":
        from datetime import timedelta

        new = _step_down(amount, floor, adaptation.pain_factor)
        until = now + timedelta(hours=adaptation.pain_rest_hours)
        if new < amount:
            change("adapt", new, f"pain: {arrow(new)} for next time; {easier}")
        else:
            change("adapt", new, f"pain, at the floor of {_amount_text(unit, floor)}; "
                                 f"{easier}")
        change("rest", new, f"pain: resting from microbreaks and batches for "
                            f"{adaptation.pain_rest_hours} h, until {_fmt_when(until)}",
               until=until)
        since = now - timedelta(days=adaptation.pain_retire_days)
        enabled_at = state.enabled_at  # pain marks before a re-enable don't count
        pains = 1 + sum(
            1 for f in feedback_history
            if f.movement_id == movement.id and f.feedback == "pain" and since < f.at <= now
            and (enabled_at is None or f.at > enabled_at)
        )
        if pains >= adaptation.pain_retire_count and not state.retired:
            change("retire", new,
                   f"pain {pains} times within {adaptation.pain_retire_days} days: retired "
                   f"until you re-enable it ('mobes movements enable {movement.id}'); please "
                   f"have it checked by a physiotherapist or doctor before doing it again")
    elif feedback == "too-easy":
        cap = t if amount < t else hi
        new = _step_up(amount, cap, adaptation.too_easy_step)
        if new > amount:
            change("adapt", new, f"too easy: {arrow(new)}")
        else:
            change("adapt", new, f"too easy, but already at the maximum of "
                                 f"{_amount_text(unit, hi)} for this movement")
    else:  # ok: a clean completion
        k = max(1, adaptation.clean_streak)
        run = clean_streak(feedback_history, movement.id, context) + 1
        if run % k == 0 and amount < t:
            new = _step_up(amount, t, adaptation.too_easy_step)
            change("adapt", new, f"{k} clean completions in a row: {arrow(new)}, one step "
                                 f"toward the target of {_amount_text(unit, t)}")
    return out


def unavailable(changes: Iterable[DoseChange], now: datetime) -> set[str]:
    """Ids of movements resting or retired at ``now`` (from changes of every context)."""
    resting: dict[str, datetime] = {}
    retired: set[str] = set()
    for c in sorted(changes, key=lambda c: c.at):
        if c.kind == "rest" and c.until is not None:
            if c.movement_id not in resting or c.until > resting[c.movement_id]:
                resting[c.movement_id] = c.until
        elif c.kind == "retire":
            retired.add(c.movement_id)
        elif c.kind == "enable":
            retired.discard(c.movement_id)
            resting.pop(c.movement_id, None)
    return retired | {mid for mid, until in resting.items() if until > now}


def enable_change(movement_id: str, changes: Sequence[DoseChange], now: datetime,
                  context: str = "microbreak") -> DoseChange | None:
    """The change that brings a retired or resting movement back; None when it is neither."""
    if movement_id not in unavailable(changes, now):
        return None
    mine = [c for c in changes if c.movement_id == movement_id]
    last = [c for c in sorted(mine, key=lambda c: c.at) if c.kind in ("start", "adapt")]
    amount = last[-1].new if last else 0
    ctx = next((c.context for c in reversed(sorted(mine, key=lambda c: c.at))
                if c.kind in ("retire", "rest")), context)
    return DoseChange(at=now, movement_id=movement_id, context=ctx, kind="enable",
                      old=amount, new=amount,
                      reason="re-enabled by you: back in microbreaks and batches at the "
                             "dose it had")

"""Current doses and dose adaptation: pure functions over the DoseChange log.

A movement's dose is never stored as a number that gets overwritten: every change (a plan
starting, an adaptation, a switch to or from the easier variant, a rest, a retirement, a
re-enable) is a ``DoseChange`` row with a human reason, and the current state is a fold
over those rows (``state_for``). ``adapt`` turns one piece of feedback into the change rows
to record, so ``mobes why`` can show every change with its date and reason.

Two contexts keep separate amounts for the same movement:

- ``microbreak``: bounds are the catalog dose ``floor..max``, cut to what fits the break
  (``break_seconds``, 30-60 s) at the movement's tempo; the target is the catalog's
  microbreak ``amount`` (also cut to fit). After a too-hard or a pain mark the dose climbs
  back toward it with clean completions; too-easy can go beyond it, never beyond what fits
  the break.
- ``rehab``: the target is the plan item's reps (or hold seconds). A mobilization's set is
  25-75 reps (seed 003: "25-75 times in a single set"), whatever the catalog says; other
  movements keep their catalog ``floor`` to ``max(catalog max, target)``. A prescribed plan
  (``prescribed=True``: a therapist's programme) keeps its target as given: it is the
  ceiling, never raised; it is only lowered on too hard or pain.

Starting and the build-up. A new rehab dose starts gently: at ``start_fraction`` of the
target, or, for the caregiver handout's range-of-motion movements, "with a few" (3) (seed
001: "doing each exercise a few times only and gradually build up"). When that start is
below the plan's floor (25 reps for a mobilization; the target for a range-of-motion
movement), the first ``build_up_days`` days are the *build-up*: each clean completion steps
up by enough to reach the floor in time, amounts below the floor are allowed and every
reason says "build-up". The build-up ends when the floor is reached or its days are over;
from then on the floor holds. A prescribed dose starts as prescribed (no build-up).

Rests and retirements are about the movement, not a context: a pain mark in a batch rests
the movement from microbreaks too. ``state_for`` therefore reads amounts and the variant
from the changes of its own context and availability from the changes of every context,
so callers pass all of a movement's changes.

Rules (defaults in ``settings.Adaptation``), the method's "make it easier" first (seed 003:
making it easier beats giving up):

- too hard: switch to the easier variant at the same dose; already on it: x0.7 (at least
  one less, never below the floor; at the floor: stop and talk to your therapist if it
  still feels wrong);
- pain: stop now; x0.5 (same bounds), the easier variant, a rest of ``pain_rest_hours`` and
  the advice to talk to a therapist or caregiver if it comes back or persists;
  ``pain_retire_count`` pain marks within ``pain_retire_days`` (counted since the last
  re-enable) retire the movement until the user re-enables it;
- too easy: on the easier variant, back to the full movement; else +``too_easy_step`` (at
  least one) up to the target, or when already at or above it up to the maximum; never for
  a prescribed dose;
- ``clean_streak`` "ok" marks in a row (in the context): one step toward the target, never
  beyond it; at the target on the easier variant, back to the full movement. In the
  build-up every "ok" is a build-up step.
"""

from __future__ import annotations

from mobes.domain.history import DoseChange
from mobes.domain.record import Record
from mobes.domain.rules import MOBILIZATION_REPS, is_mobilization_set  # noqa: F401

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from datetime import datetime

    from mobes.domain.history import FeedbackRow
    from mobes.domain.model import Movement
    from mobes.domain.settings import Adaptation

# "Begin ... doing each exercise a few times only and gradually build up" (seed 001).
A_FEW = 3
# Kinds dosed by the caregiver handout's rule rather than by the mobes range.
ROM_KINDS = ("passive", "assisted")
# DoseChange kinds that set the variant: the easier one, or back to the full movement.
VARIANT_KINDS = ("easier", "full")


class DoseState(Record):
    """A movement's dose in one context at one moment, derived from its DoseChange log.

    ``clean_streak`` counts clean ("ok") completions since the last step (it needs the
    feedback rows; 0 without them). ``easier`` is True while the movement is done as its
    easier variant (after a too-hard or a pain mark, until it is too easy or the target is
    reached cleanly). ``floor`` is the bound in force now: in the build-up the catalog's,
    after it the plan's. ``build_up`` is True while a start below the plan's floor climbs
    to it (``build_up_goal``); ``prescribed`` when the dose is a therapist's, kept as given.
    """

    __slots__ = ("amount", "resting_until", "retired", "clean_streak", "target", "floor",
                 "max", "unit", "easier", "started", "enabled_at", "build_up",
                 "build_up_goal", "build_up_until", "prescribed")
    _defaults = {"target": 0, "floor": 1, "max": 0, "unit": "reps", "easier": False,
                 "started": False, "enabled_at": None, "build_up": False,
                 "build_up_goal": 0, "build_up_until": None, "prescribed": False}
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
    build_up: bool
    build_up_goal: int
    build_up_until: datetime | None
    prescribed: bool

    def available(self, now: datetime) -> bool:
        return not self.retired and (self.resting_until is None or self.resting_until <= now)

    @property
    def variant(self) -> str:
        """"easier" or "full": which version of the movement to show."""
        return "easier" if self.easier else "full"

    def label(self) -> str:
        """How the dose is labelled where it is shown: "build-up", "as prescribed" or ""."""
        if self.prescribed:
            return "as prescribed"
        return "build-up" if self.build_up else ""


def _round(x: float) -> int:
    """Round half up (amounts are positive)."""
    return int(x + 0.5)


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def fits_break(movement: Movement, break_seconds: float) -> bool:
    """True when at least one rep (or one second of hold) fits a break of that length."""
    return movement.dose.fitting(break_seconds) >= 1


def bounds(movement: Movement, context: str, target: int | None = None, *,
           prescribed: bool = False, break_seconds: float | None = None
           ) -> tuple[int, int, int]:
    """(floor, target, max) for a movement in a context, after any build-up.

    ``target`` is the plan's for rehab; ``prescribed`` keeps it as the ceiling;
    ``break_seconds`` cuts a microbreak dose to what fits the break at the movement's tempo.
    """
    d = movement.dose
    if context == "rehab":
        t = target if target else d.target
        if prescribed:
            return min(max(1, d.floor), t), t, t
        if is_mobilization_set(movement):
            lo, hi = MOBILIZATION_REPS
            return lo, min(max(t, lo), hi), hi
        floor = max(1, d.floor)
        hi = max(d.max, t, floor)
        return floor, min(max(t, floor), hi), hi
    floor = max(1, d.floor)
    hi = max(d.max, floor)
    t = d.amount
    if break_seconds is not None:
        hi = max(1, min(hi, d.fitting(break_seconds)))
        floor = min(floor, hi)
    return floor, min(max(t, floor), hi), hi


def build_up_goal(movement: Movement, context: str, target: int | None = None, *,
                  prescribed: bool = False) -> int:
    """The amount the build-up climbs to: the plan's floor for a mobilization (25), the
    target for a range-of-motion movement, 0 (no build-up) otherwise."""
    if context != "rehab" or prescribed:
        return 0
    floor, t, _ = bounds(movement, context, target)
    if is_mobilization_set(movement):
        return floor
    if movement.kind in ROM_KINDS and movement.dose.unit == "reps":
        return t
    return 0


def start_amount(movement: Movement, context: str, adaptation: Adaptation,
                 target: int | None = None, *, prescribed: bool = False,
                 break_seconds: float | None = None) -> int:
    """Where a new dose starts: the microbreak amount; in rehab the prescribed dose as it
    is, "a few" for a range-of-motion movement, else a fraction of the target (a start
    below the plan's floor is the build-up)."""
    floor, t, hi = bounds(movement, context, target, prescribed=prescribed,
                          break_seconds=break_seconds)
    if context != "rehab":
        return t
    if prescribed:
        return t
    low = max(1, movement.dose.floor)
    if movement.kind in ROM_KINDS and movement.dose.unit == "reps":
        return min(t, max(low, A_FEW))
    start = min(hi, max(low, _round(t * adaptation.start_fraction), 1))
    return start if start < build_up_goal(movement, context, target) else max(start, floor)


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
              feedback: Iterable[FeedbackRow] = (), *, prescribed: bool = False,
              break_seconds: float | None = None) -> DoseState:
    """Fold a movement's DoseChange log (every context) into its state in ``context``.

    Without any start/adapt change the amount is where a new dose starts
    (``start_amount``). Amounts are clamped into the bounds in force (the build-up's while
    it lasts, else the plan's or what fits the break), so editing a plan's target, the
    catalog or the break length never yields an out-of-range dose. Pass the movement's
    feedback rows to get ``clean_streak``.
    """
    from datetime import timedelta

    floor, t, hi = bounds(movement, context, target, prescribed=prescribed,
                          break_seconds=break_seconds)
    goal = build_up_goal(movement, context, target, prescribed=prescribed)
    amount = start_amount(movement, context, adaptation, target, prescribed=prescribed,
                          break_seconds=break_seconds)
    started_at = None
    reached = amount >= goal  # the build-up is over once the goal is reached
    started = False
    easier = False
    resting_until = None
    retired = False
    enabled_at = None
    for c in sorted((c for c in changes if c.movement_id == movement.id), key=lambda c: c.at):
        if c.kind in ("start", "adapt") and c.context == context:
            if c.kind == "start":
                easier = False
                started_at = c.at
            elif c.new < c.old:  # a lowered dose is done as the easier variant
                easier = True
            amount = c.new
            started = True
            reached = reached or c.new >= goal
        elif c.kind in VARIANT_KINDS and c.context == context:
            easier = c.kind == "easier"
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
    until = None
    if goal and not reached:
        if started_at is not None:
            until = started_at + timedelta(days=max(0, adaptation.build_up_days))
        build_up = started_at is None or now < until
    else:
        build_up = False
    low = max(1, min(movement.dose.floor, floor)) if build_up else floor
    amount = min(hi, max(low, amount, 1))
    streak = clean_streak(feedback, movement.id, context) if feedback else 0
    k = max(1, adaptation.clean_streak)
    return DoseState(amount=amount, resting_until=resting_until, retired=retired,
                     clean_streak=streak % k, target=t, floor=low, max=hi,
                     unit=movement.dose.unit, easier=easier, started=started,
                     enabled_at=enabled_at, build_up=build_up,
                     build_up_goal=goal if build_up else 0,
                     build_up_until=until if build_up else None, prescribed=prescribed)


def start_change(movement: Movement, context: str, now: datetime, adaptation: Adaptation,
                 target: int | None = None, plan: str = "", *, prescribed: bool = False,
                 break_seconds: float | None = None) -> DoseChange:
    """The change that starts a dose (a new rehab plan starts gently, or as prescribed)."""
    amount = start_amount(movement, context, adaptation, target, prescribed=prescribed,
                          break_seconds=break_seconds)
    floor, t, hi = bounds(movement, context, target, prescribed=prescribed,
                          break_seconds=break_seconds)
    unit = movement.dose.unit
    if context == "rehab":
        of = f"plan {plan!r}" if plan else "the plan"
        goal = build_up_goal(movement, context, target)
        if prescribed:
            reason = (f"as prescribed: {_amount_text(unit, amount)} for {of}, kept as given; "
                      f"mobes lowers it only on too hard or pain, never raises it")
        elif goal and amount < goal:
            reason = (f"build-up: start with {_amount_text(unit, amount)} for {of} and rise "
                      f"to {_amount_text(unit, goal)} within {adaptation.build_up_days} days"
                      + (f", then toward the target {_amount_text(unit, t)}" if t > goal
                         else ""))
        else:
            reason = (f"start gently: {_amount_text(unit, amount)} of the target "
                      f"{_amount_text(unit, t)} for {of}; it builds up with clean "
                      f"completions")
    else:
        reason = f"start at the usual microbreak dose of {_amount_text(unit, amount)}"
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


def build_up_step(state: DoseState, adaptation: Adaptation, now: datetime) -> int:
    """Reps one clean completion adds in the build-up: enough to reach the goal by the
    end of the build-up days (at least one)."""
    left = state.build_up_goal - state.amount
    if left <= 0:
        return 0
    days = adaptation.build_up_days
    if state.build_up_until is not None:
        days = max(1, _ceil_div(int((state.build_up_until - now).total_seconds()), 86400))
    return max(1, _ceil_div(left, max(1, days)))


def adapt(movement: Movement, context: str, state: DoseState, feedback: str,
          feedback_history: Sequence[FeedbackRow], adaptation: Adaptation, now: datetime,
          target: int | None = None, *, caregiver: bool = False,
          break_seconds: float | None = None) -> list[DoseChange]:
    """The DoseChanges one piece of feedback causes (possibly none).

    ``state`` is the movement's state now (``state_for`` with the same target, prescribed
    flag and break length): its bounds are the ones in force. ``feedback_history`` holds
    the movement's EARLIER feedback rows (every context, not including this one): pain
    marks are counted across contexts for retirement, "ok" marks in this context for the
    clean streak. ``caregiver`` words the pain advice for the helper. Each change carries a
    plain-words reason.
    """
    if feedback not in ("ok", "too-easy", "too-hard", "pain"):
        raise ValueError(f"unknown feedback {feedback!r}")
    floor, t, hi = state.floor, state.target, state.max
    unit = movement.dose.unit
    amount = min(hi, max(floor, state.amount))
    out: list[DoseChange] = []
    tag = "build-up, " if state.build_up else ("as prescribed, " if state.prescribed else "")

    def change(kind: str, new: int, reason: str, until: datetime | None = None) -> None:
        out.append(DoseChange(at=now, movement_id=movement.id, context=context, kind=kind,
                              old=amount, new=new, reason=reason, until=until))

    def arrow(new: int) -> str:
        return f"{amount} -> {_amount_text(unit, new)}"

    def to_easier(why: str) -> None:
        change("easier", amount, f"{why}: switching to the easier variant at "
                                 f"{_amount_text(unit, amount)}: "
                                 f"{movement.easier.rstrip('.')}")

    def to_full(why: str) -> None:
        change("full", amount, f"{why}: back to the full movement at "
                               f"{_amount_text(unit, amount)}")

    if feedback == "too-hard":
        if not state.easier:
            to_easier(f"too hard ({tag}make it easier before doing less)")
        else:
            new = _step_down(amount, floor, adaptation.too_hard_factor)
            if new < amount:
                change("adapt", new, f"too hard on the easier variant ({tag}"
                                     f"fewer reps): {arrow(new)}" if unit == "reps" else
                       f"too hard on the easier variant ({tag}shorter holds): {arrow(new)}")
            else:
                change("adapt", new, f"too hard, already on the easier variant at the floor "
                                     f"of {_amount_text(unit, floor)}: if it still feels "
                                     f"wrong, stop this movement and talk to your "
                                     f"therapist")
    elif feedback == "pain":
        from datetime import timedelta

        new = _step_down(amount, floor, adaptation.pain_factor)
        until = now + timedelta(hours=adaptation.pain_rest_hours)
        if new < amount:
            change("adapt", new, f"pain: {arrow(new)} for next time")
        else:
            change("adapt", new, f"pain, at the floor of {_amount_text(unit, floor)}")
        if not state.easier:
            out.append(DoseChange(at=now, movement_id=movement.id, context=context,
                                  kind="easier", old=new, new=new,
                                  reason=f"pain: next time, the easier variant: "
                                         f"{movement.easier.rstrip('.')}"))
        who = ("their therapist" if caregiver else "your therapist or caregiver")
        change("rest", new, f"pain: stop this movement now; it rests from microbreaks and "
                            f"batches for {adaptation.pain_rest_hours} h, until "
                            f"{_fmt_when(until)}. If the pain comes back or persists, talk "
                            f"to {who} before doing it again", until=until)
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
        if state.easier:
            to_full("too easy")
        elif state.prescribed:
            change("adapt", amount, f"too easy, but {_amount_text(unit, amount)} is as "
                                    f"prescribed: mobes does not raise it; ask your "
                                    f"therapist about more")
        else:
            cap = t if amount < t else hi
            new = _step_up(amount, cap, adaptation.too_easy_step)
            if state.build_up:
                new = max(new, min(cap, amount + build_up_step(state, adaptation, now)))
            if new > amount:
                change("adapt", new, f"too easy ({tag.rstrip(', ')}): {arrow(new)}" if tag
                       else f"too easy: {arrow(new)}")
            elif context == "microbreak" and break_seconds is not None and hi < max(
                    movement.dose.max, 1):
                change("adapt", new, f"too easy, but {_amount_text(unit, hi)} is the most "
                                     f"that fits a {int(break_seconds)} s break; go a little "
                                     f"further into the range instead")
            else:
                change("adapt", new, f"too easy, but already at the maximum of "
                                     f"{_amount_text(unit, hi)} for this movement")
    elif state.build_up:  # ok in the build-up: one build-up step
        new = min(t, amount + build_up_step(state, adaptation, now))
        if new > amount:
            change("adapt", new, f"build-up: {arrow(new)}, on the way to "
                                 f"{_amount_text(unit, state.build_up_goal)}")
    else:  # ok: a clean completion
        k = max(1, adaptation.clean_streak)
        run = clean_streak(feedback_history, movement.id, context) + 1
        if run % k == 0 and amount < t and not state.prescribed:
            new = _step_up(amount, t, adaptation.too_easy_step)
            change("adapt", new, f"{k} clean completions in a row: {arrow(new)}, one step "
                                 f"toward the target of {_amount_text(unit, t)}")
        elif run % k == 0 and state.easier:
            to_full(f"{k} clean completions in a row")
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

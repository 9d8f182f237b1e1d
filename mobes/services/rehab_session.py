"""One sitting of a rehab batch, shared by the terminal (``mobes batch``) and the tray.

A ``BatchSession`` turns a plan into ordered steps (movement by movement; within one
movement set by set, and left then right when the plan is per side), records the batch and
every finished step in the history store, takes feedback after each movement (pain stops
that movement at once) and ends the sitting as complete or partial under the one-sitting
rule (``mobes.domain.rehab.sitting_verdict``).

It never sleeps or reads the clock: the caller passes ``now`` to every call and does the
pacing (the terminal counts reps at the plan's tempo; the tray uses notifications).
"""

from __future__ import annotations

from mobes.domain import rehab
from mobes.domain.history import BatchItemRow, BatchRow
from mobes.domain.model import PAIN_RULE_CAREGIVER
from mobes.domain.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import date, datetime, tzinfo

    from mobes.domain.catalog import Catalog
    from mobes.domain.history import DoseChange
    from mobes.domain.model import Movement
    from mobes.domain.settings import Plan, Settings
    from mobes.services.ports import HistoryStore

HELPER_NOTE = "Support above and below the joint; stop at resistance or pain."


class Step(Record):
    """One set of one movement (one side). ``target`` is reps (one direction, for a
    movement done both ways: ``directions`` = 2), or seconds per hold (``holds`` holds make
    the set); ``total`` is what the whole set adds up to and what is recorded. ``cue`` is
    the variant in force (``easier``), addressed to the helper in caregiver plans;
    ``caution`` the movement's short caution and its stop-on-pain rule; ``label`` says
    "build-up" or "as prescribed"; a ``warm_up`` step comes before the plan's sets and does
    not count toward a complete batch."""

    __slots__ = ("movement_id", "name", "set_no", "sets", "side", "target", "unit", "holds",
                 "cue", "easier", "index", "directions", "caution", "label", "warm_up",
                 "alternative")
    _defaults = {"name": "", "sets": 1, "holds": 1, "easier": False, "index": 0,
                 "directions": 1, "caution": "", "label": "", "warm_up": False,
                 "alternative": ""}
    movement_id: str
    name: str
    set_no: int
    sets: int
    side: str  # "", "left" or "right"
    target: int
    unit: str  # reps | seconds
    holds: int
    cue: str
    easier: bool  # done as the movement's easier variant
    index: int
    directions: int
    caution: str
    label: str
    warm_up: bool
    alternative: str  # the caregiver handout's hold alternative, in words

    @property
    def total(self) -> int:
        """Reps (every direction) or seconds (every hold) of the whole set."""
        return self.target * (self.holds if self.unit == "seconds" else self.directions)

    def amount_text(self) -> str:
        """The set's dose in words: '30 s hold x 4', '25 reps', '20 reps each direction
        (40 in all)'."""
        if self.unit == "seconds":
            return f"{self.target} s hold x {self.holds}" if self.holds > 1 else (
                f"{self.target} s hold")
        if self.directions == 2:
            return f"{self.target} reps each direction ({self.total} in all)"
        return f"{self.target} reps"

    def describe(self) -> str:
        side = f", {self.side} side" if self.side else ""
        label = f", {self.label}" if self.label else ""
        if self.warm_up:
            return f"{self.name}: warm-up{side}, {self.amount_text()}"
        return (f"{self.name}: set {self.set_no} of {self.sets}{side}, {self.amount_text()}"
                f"{label}")


def cue_for(movement: Movement, caregiver: bool, easier: bool) -> str:
    """The instruction shown for a step: the full movement or its easier variant."""
    cue = ("Easier variant: " + movement.easier) if easier else movement.cue
    if caregiver:
        return f"For the helper: {cue} {HELPER_NOTE}"
    return cue


def caution_for(movement: Movement, caregiver: bool) -> str:
    """The one line of caution shown with every step: the movement's own, then the
    stop-on-pain rule in the words that suit who does it."""
    rule = PAIN_RULE_CAREGIVER if caregiver else movement.pain_rule
    return f"{movement.caution_short} {rule}"


def local_tz(now: datetime, settings: Settings | None = None) -> tzinfo:
    """The zone plan times are read in: the configured one, else ``now``'s."""
    name = settings.work.timezone if settings is not None else "local"
    if name and name != "local":
        try:
            from zoneinfo import ZoneInfo

            return ZoneInfo(name)
        except Exception:  # an unknown zone is the config checker's job; fall back
            pass
    return now.tzinfo  # type: ignore[return-value]


class BatchSession:
    def __init__(self, plan: Plan, catalog: Catalog, store: HistoryStore, settings: Settings,
                 steps: list[Step], batch_id: int | None, sitting: int,
                 earlier: list[BatchRow], notes: list[str], day: date) -> None:
        self.plan = plan
        self.catalog = catalog
        self.store = store
        self.settings = settings
        self.steps = steps
        self.batch_id = batch_id
        self.sitting = sitting
        self.earlier = earlier
        self.notes = notes  # told to the user before the first step
        self.day = day
        self.done: dict[int, int] = {}  # step index -> amount done
        self.stopped: dict[str, str] = {}  # movement id -> why it was stopped
        self.feedback_given: dict[str, str] = {}
        self.changes: list[DoseChange] = []
        self.status: str | None = None
        self.why = ""
        self.row: BatchRow | None = None

    # --- starting ---------------------------------------------------------------------
    @classmethod
    def start(cls, plan: Plan, catalog: Catalog, store: HistoryStore, settings: Settings,
              now: datetime, tz: tzinfo | None = None) -> BatchSession:
        """Open a sitting of ``plan`` at ``now`` and record its BatchRow.

        Resting and retired movements are left out (``notes`` says why). A plan that already
        had a sitting in this slot today gets only the steps not done yet, and ``notes``
        explains that this sitting cannot make the day's batch complete. When nothing at all
        can be done, no BatchRow is recorded and ``steps`` is empty.
        """
        from mobes.services import feedback as fb

        with fb.transaction(store):
            return cls._start(plan, catalog, store, settings, now, tz)

    @classmethod
    def _start(cls, plan: Plan, catalog: Catalog, store: HistoryStore, settings: Settings,
               now: datetime, tz: tzinfo | None) -> BatchSession:
        from mobes.services import feedback as fb

        tz = tz or local_tz(now, settings)
        local = now.astimezone(tz)
        day = local.date()
        batches = store.batches(kind="rehab", plan=plan.name)
        slot = rehab.slot_of(plan, local)
        earlier = rehab.earlier_sittings(plan, batches, day, slot, tz)
        done_before: dict[tuple[str, int, str], int] = {}
        repeat = any(b.status == "complete" for b in earlier)  # a repeat offers it all
        for b in ([] if repeat else earlier):
            if b.id is not None:
                for k, v in rehab.done_in(store.batch_items(b.id)).items():
                    done_before[k] = max(done_before.get(k, 0), v)
        notes: list[str] = []
        steps: list[Step] = []
        movements = [catalog.get(i.movement) for i in plan.items if i.movement in catalog]
        caregiver = rehab.is_caregiver_plan(plan, movements)
        if caregiver:
            notes.append(rehab.CAREGIVER_INSTRUCTIONS)
        if plan.prescribed:
            notes.append("A prescribed programme: the doses are kept as your therapist gave "
                         "them; mobes lowers one only on too hard or pain, never raises it.")
        if plan.warm_up and not earlier:
            steps.extend(_warm_up_steps(plan, catalog, store, settings, now, caregiver, notes))
        for item in plan.items:
            if item.movement not in catalog:
                notes.append(f"{item.movement!r} is not in the movement catalog any more and "
                             f"is left out; check the plan with 'mobes config check'.")
                continue
            m = catalog.get(item.movement)
            target = fb.item_target(item)
            state = fb.current_state(store, m, "rehab", settings, now, target, plan)
            if state.retired:
                notes.append(f"{m.name} is retired after pain and left out. Re-enable it with "
                             f"'mobes movements enable {m.id}' once a professional has "
                             f"checked it.")
                continue
            if not state.available(now):
                until = state.resting_until.astimezone(tz).strftime("%a %H:%M")
                notes.append(f"{m.name} is resting after pain until {until} and is left out "
                             f"today.")
                continue
            started = fb.ensure_started(store, m, "rehab", settings, now, target, plan.name,
                                        plan)
            if started is not None:
                notes.append(f"{m.name}: {started.reason}.")
                state = fb.current_state(store, m, "rehab", settings, now, target, plan)
            cue = cue_for(m, caregiver, state.easier)
            caution = caution_for(m, caregiver)
            alternative = (f"hold {m.dose.or_hold} s where you first meet resistance"
                           if m.dose.or_hold and m.dose.unit == "reps" else "")
            holds = item.holds if m.dose.unit == "seconds" else 1
            directions = m.dose.directions
            for set_no in range(1, plan.sets + 1):
                for side in rehab.sides_for(plan, m):
                    step = Step(movement_id=m.id, name=m.name, set_no=set_no,
                                sets=plan.sets, side=side, target=state.amount,
                                unit=m.dose.unit, holds=holds, cue=cue, easier=state.easier,
                                index=len(steps), directions=directions, caution=caution,
                                label=state.label(), alternative=alternative)
                    if done_before.get((m.id, set_no, side), 0) >= step.total:
                        continue
                    steps.append(step)
        if earlier:
            first = earlier[0].started.astimezone(tz).strftime("%H:%M")
            if any(b.status == "complete" for b in earlier):
                notes.append(f"Today's batch was already completed at {first}. You can do it "
                             f"again, but this sitting is recorded as partial.")
            else:
                notes.append(f"You started today's batch at {first} and did not finish it. "
                             f"You can do the rest now, but it counts as a second partial "
                             f"sitting: a batch is complete only when it is done in one "
                             f"sitting, because the concentrated dose is what helps.")
        sitting = rehab.sitting_number(batches, plan.name, day)
        batch_id = None
        if steps:
            ids = tuple(dict.fromkeys(s.movement_id for s in steps))
            batch_id = store.start_batch(BatchRow(kind="rehab", plan=plan.name, day=day,
                                                  started=now, status="in-progress",
                                                  sitting=sitting, movement_ids=ids))
        elif not notes:
            notes.append("Nothing left to do in this batch today.")
        return cls(plan, catalog, store, settings, steps, batch_id, sitting, earlier, notes,
                   day)

    # --- walking through the steps ----------------------------------------------------
    def current(self) -> Step | None:
        """The next step to do (None when every step is done or stopped)."""
        for s in self.steps:
            if s.index not in self.done and s.movement_id not in self.stopped:
                return s
        return None

    def remaining(self) -> list[Step]:
        return [s for s in self.steps if s.index not in self.done
                and s.movement_id not in self.stopped]

    def complete_step(self, done: int, now: datetime, how: str = "paced") -> Step:
        """Record the current step with the amount actually done, counted in full (every
        direction, every second of every hold: ``Step.total`` for the whole set), and how
        it was done: "paced" (a guide counted it), "clicked" (the person said it was done,
        from a tray or window) or "pain" (stopped by pain). Returns that step."""
        step = self.current()
        if step is None:
            raise RuntimeError("no step left in this batch")
        self._record(step, max(0, int(done)), now, how)
        return step

    def _record(self, step: Step, done: int, now: datetime, how: str = "paced") -> None:
        self.done[step.index] = done
        if self.batch_id is not None:
            self.store.add_batch_item(BatchItemRow(
                batch_id=self.batch_id, movement_id=step.movement_id,
                set_no=0 if step.warm_up else step.set_no, side=step.side, target=step.total,
                done=done, at=now, how=how))

    def movement_steps(self, movement_id: str) -> list[Step]:
        return [s for s in self.steps if s.movement_id == movement_id]

    @property
    def warm_up_ids(self) -> set[str]:
        """Movements of the warm-up (not the plan's own)."""
        return {s.movement_id for s in self.steps if s.warm_up}

    def needs_feedback(self) -> str | None:
        """A plan movement whose steps are all behind us and that has no feedback yet (the
        warm-up asks nothing, unless it hurt)."""
        warm = self.warm_up_ids
        for mid in dict.fromkeys(s.movement_id for s in self.steps):
            if mid in self.feedback_given or mid in self.stopped or mid in warm:
                continue
            if all(s.index in self.done for s in self.movement_steps(mid)):
                return mid
        return None

    def rest_due(self, step: Step) -> bool:
        """True when a rest between sets follows ``step`` (the next step is a later set of
        the same movement)."""
        nxt = self.current()
        return (nxt is not None and nxt.movement_id == step.movement_id
                and nxt.set_no > step.set_no)

    def feedback(self, movement_id: str, feedback: str, now: datetime) -> list[DoseChange]:
        """Record how a movement felt; returns the dose changes. Pain stops the rest of
        that movement at once (its remaining steps are dropped from this sitting)."""
        from mobes.services import feedback as fb

        item = next((i for i in self.plan.items if i.movement == movement_id), None)
        if item is None:  # a warm-up movement: its dose is the microbreak one
            changes = fb.give_feedback(self.store, self.catalog, self.settings, movement_id,
                                       "microbreak", feedback, now, source="batch")
        else:
            changes = fb.give_feedback(self.store, self.catalog, self.settings, movement_id,
                                       "rehab", feedback, now, source="batch",
                                       target=fb.item_target(item), plan=self.plan)
        self.feedback_given[movement_id] = feedback
        if feedback == "pain":
            short = [s for s in self.movement_steps(movement_id)
                     if self.done.get(s.index, 0) < s.total]
            if short:
                self.stopped[movement_id] = "pain"
        self.changes.extend(changes)
        return changes

    def progress(self, movement_id: str) -> tuple[int, int]:
        """(steps done, steps) for one movement."""
        steps = self.movement_steps(movement_id)
        return sum(1 for s in steps if s.index in self.done), len(steps)

    # --- ending -----------------------------------------------------------------------
    def all_done(self) -> bool:
        """Every set of the plan done in full (the warm-up does not count either way)."""
        plan_steps = [s for s in self.steps if not s.warm_up]
        stopped = set(self.stopped) - self.warm_up_ids
        return bool(plan_steps) and not stopped and all(
            self.done.get(s.index, 0) >= s.total for s in plan_steps)

    def _end(self, now: datetime, abandoned: bool) -> BatchRow:
        if self.row is not None:
            return self.row
        status, why = rehab.sitting_verdict(self.all_done(), abandoned, self.earlier)
        stopped = [m for m in self.stopped if m not in self.warm_up_ids]
        if stopped and not abandoned:
            names = ", ".join(self.catalog.get(m).name for m in stopped)
            why = (f"{names} stopped because of pain, so not every set was done: recorded "
                   f"as partial.")
            if self.earlier:
                why += " This was also a further sitting of today's batch."
        self.status, self.why = status, why
        if self.batch_id is not None:
            self.store.end_batch(self.batch_id, now, status)
            rows = [b for b in self.store.batches(kind="rehab", plan=self.plan.name)
                    if b.id == self.batch_id]
            self.row = rows[0] if rows else None
        if self.row is None:
            self.row = BatchRow(id=self.batch_id, kind="rehab", plan=self.plan.name,
                                day=self.day, started=now, ended=now, status=status,
                                sitting=self.sitting)
        return self.row

    def finish(self, now: datetime) -> BatchRow:
        """End the sitting: complete only when every step was done in this one sitting and
        it is the first sitting of the batch today; otherwise partial (``why`` says why)."""
        return self._end(now, abandoned=False)

    def abandon(self, now: datetime) -> BatchRow:
        """The user stopped: the sitting is partial."""
        return self._end(now, abandoned=True)


def _warm_up_steps(plan: Plan, catalog: Catalog, store: HistoryStore, settings: Settings,
                   now: datetime, caregiver: bool, notes: list[str]) -> list[Step]:
    """A short warm-up before the plan's sets: one easy mobilization for the plan's regions
    at its microbreak dose (seed 004 starts its programme with an easy warm-up movement)."""
    from mobes.services import feedback as fb

    out: list[Step] = []
    for m in rehab.warm_up(plan, catalog):
        state = fb.current_state(store, m, "microbreak", settings, now)
        if not state.available(now):
            continue
        notes.append(f"Warm-up first: {m.name}, {m.dose.describe(state.amount)}, easy and "
                     f"small; it does not count toward the batch.")
        for side in (("left", "right") if m.dose.per_side else ("",)):
            out.append(Step(movement_id=m.id, name=m.name, set_no=1, sets=1, side=side,
                            target=state.amount, unit=m.dose.unit,
                            holds=m.dose.repeats if m.dose.unit == "seconds" else 1,
                            cue=cue_for(m, caregiver, state.easier), easier=state.easier,
                            index=len(out), directions=m.dose.directions,
                            caution=caution_for(m, caregiver), warm_up=True))
    return out


def find_plan(settings: Settings, name: str | None) -> Plan:
    """The plan called ``name`` (or the only active plan); MobesError/UsageError otherwise."""
    from mobes.errors import MobesError, UsageError, did_you_mean

    plans = [p for p in settings.rehab.plans if not p.retired]
    if name is None:
        if len(plans) == 1:
            return plans[0]
        if not plans:
            raise MobesError("no active rehab plan. Add one with 'mobes plan add NAME "
                             "--movement ID ...'.")
        raise UsageError("you have several plans; name one: "
                         + ", ".join(p.name for p in plans))
    for p in settings.rehab.plans:
        if p.name == name:
            if p.retired:
                raise MobesError(f"plan {name!r} is retired. Add it again with 'mobes plan "
                                 f"add' to use it.")
            return p
    names = [p.name for p in settings.rehab.plans]
    known = f" Plans: {', '.join(names)}." if names else " There are no plans yet."
    raise UsageError(f"no plan {name!r}{did_you_mean(name, names)}.{known}")


# --- the same batch, guided from the tray ------------------------------------------------

class GuideView(Record):
    """What the tray shows now: a notification (title, message) and menu actions as
    (key, label) pairs; pass the key to ``TrayGuide.act``. ``finished`` once the sitting
    has ended. ``caution``: the step's short caution and stop-on-pain rule (also the last
    line of ``message``)."""

    __slots__ = ("title", "message", "actions", "finished", "caution")
    _defaults = {"actions": (), "finished": False, "caution": ""}
    title: str
    message: str
    actions: tuple[tuple[str, str], ...]
    finished: bool
    caution: str


FEEDBACK_ACTIONS = (("ok", "Felt ok"), ("too-easy", "Too easy"), ("too-hard", "Too hard"),
                    ("pain", "Pain"))


class TrayGuide:
    """Walks a BatchSession one click at a time, for notifications and tray menu items.

    The tray cannot pace reps, so each step is one notification ("Set 1 of 2, left side:
    25 reps", the cue and the caution) with "Done", "Pain: stop this movement" and "Stop
    the batch" (a "Done" click is recorded as clicked, not as a paced set);
    after a movement's last step the menu asks how it felt. Rests between sets are
    announced in the next step's message. Everything is recorded by the session.
    """

    def __init__(self, session: BatchSession) -> None:
        self.session = session
        self._said: list[str] = list(session.notes)
        self._rest_next = False

    @classmethod
    def start(cls, plan: Plan, catalog: Catalog, store: HistoryStore, settings: Settings,
              now: datetime) -> TrayGuide:
        return cls(BatchSession.start(plan, catalog, store, settings, now))

    def view(self) -> GuideView:
        s = self.session
        said = " ".join(self._said)
        prefix = (said + " ") if said else ""
        name = s.plan.name
        if s.status is not None:
            return GuideView(title=f"Rehab batch '{name}': {s.status}",
                             message=prefix + s.why, finished=True)
        if not s.steps:
            return GuideView(title=f"Rehab batch '{name}'",
                             message=prefix.strip() or "Nothing to do.", finished=True)
        mid = s.needs_feedback()
        if mid is not None:
            m = self.catalog_name(mid)
            return GuideView(title=f"{m}: how did it feel?", message=prefix.strip()
                             or "Tell mobes how it went; the dose follows.",
                             actions=FEEDBACK_ACTIONS + (("stop", "Stop the batch"),))
        step = s.current()
        if step is None:  # pragma: no cover - act() finishes the sitting first
            return GuideView(title=f"Rehab batch '{name}'", message=prefix, finished=True)
        rest = (f"Rest {s.settings.rehab.rest_seconds} s, then: " if self._rest_next else "")
        alt = f" (Or {step.alternative}.)" if step.alternative else ""
        return GuideView(
            title=f"{name}: {step.describe()}",
            message=prefix + rest + step.cue + alt + "\nCaution: " + step.caution,
            actions=(("done", f"Done: {step.amount_text()}"),
                     ("pain", "Pain: stop this movement"), ("stop", "Stop the batch")),
            caution=step.caution)

    def catalog_name(self, movement_id: str) -> str:
        return self.session.catalog.get(movement_id).name

    def act(self, key: str, now: datetime) -> GuideView:
        """Apply a menu choice and return what to show next. Unknown keys change nothing."""
        s = self.session
        self._said = []
        self._rest_next = False
        if s.status is not None:
            return self.view()
        mid = s.needs_feedback()
        if key == "stop":
            s.abandon(now)
        elif mid is not None and key in ("ok", "too-easy", "too-hard", "pain"):
            self._said = [c.reason[:1].upper() + c.reason[1:] + "." for c in
                          s.feedback(mid, key, now)]
        elif mid is None and key == "done" and s.current() is not None:
            # a click says the set was done; it is recorded as clicked, not as paced
            step = s.complete_step(s.current().total, now, how="clicked")
            self._rest_next = s.needs_feedback() is None and s.rest_due(step)
        elif mid is None and key == "pain" and s.current() is not None:
            step = s.complete_step(0, now, how="pain")
            self._said = [f"Pain: {step.name} stopped at once."] + [
                c.reason[:1].upper() + c.reason[1:] + "." for c in
                s.feedback(step.movement_id, "pain", now)]
        if s.status is None and s.current() is None and s.needs_feedback() is None:
            s.finish(now)
        return self.view()

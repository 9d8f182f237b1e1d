"""The guided rehab batch in a terminal: cue, caution, paced rep counter (one direction,
then the other, for a movement done both ways) or hold countdown, progress bars per side and
per set, rest between sets, pause/resume, feedback after each movement.

Keys while a movement runs: ``p`` pause/resume, ``c`` the movement's full cautions, ``x``
pain (stops this movement at once), ``q`` stop the batch (recorded as partial). During a
rest, Enter or ``s`` skips it. After each movement: ``o`` ok, ``e`` too easy, ``h`` too
hard, ``x`` pain.

The session (``mobes.services.rehab_session.BatchSession``) records everything; this module
only paces and talks. ``clock`` gives the ``now`` recorded with each step; the pace (reps, holds,
rests) follows the terminal's clock (``Term.clock``: ``monotonic()``), so a fake clock that
the terminal advances while it waits runs a batch in milliseconds.
"""

from __future__ import annotations

from mobes.ui.terminal import Term, bar

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from mobes.services.rehab_session import BatchSession, Step

FEEDBACK_KEYS = {"o": "ok", "e": "too-easy", "h": "too-hard", "x": "pain"}
FEEDBACK_PROMPT = "How did it feel?  o = ok   e = too easy   h = too hard   x = pain  > "
RUN_KEYS = ("Keys: p = pause/resume   c = all cautions   x = pain (stop this movement)   "
            "q = stop the batch")
PAIN_ADVICE = ("Stop this movement now. Pain is a signal to back off: it rests for a while "
               "and comes back easier. If the pain comes back or persists, talk to your "
               "therapist or caregiver.")


class Quit(Exception):
    """The user stopped the batch."""


class Pain(Exception):
    """The user reported pain mid-movement."""


class GuidedBatch:
    def __init__(self, session: BatchSession, term: Term, clock: Callable[[], datetime],
                 tempo: float, rest_seconds: float, second: float = 1.0) -> None:
        self.s = session
        self.t = term
        self.clock = clock
        self.tempo = max(0.0, tempo)  # seconds a rep
        self.rest = max(0.0, rest_seconds)
        self.second = max(0.0, second)  # length of one hold/rest "second" (tests shrink it)
        self.paused_total = 0.0
        self.step: Step | None = None  # the step being done (for the c key)

    # --- waiting with keys -------------------------------------------------------------
    def _wait(self, seconds: float, skippable: bool = False) -> bool:
        """Let ``seconds`` pass, handling keys. True if skipped (rests only)."""
        monotonic = self.t.clock.monotonic
        end = monotonic() + seconds
        while True:
            left = end - monotonic()
            if left <= 0:
                return False
            k = self.t.poll(left, only="pcqx" + ("s\n" if skippable else ""))
            if k is None:
                continue
            if k == "c":
                self._cautions()
            elif k == "p":
                started = monotonic()
                self._pause()
                end += monotonic() - started
            elif k == "q":
                if self._confirm_quit():
                    raise Quit
            elif k == "x" and not skippable:
                raise Pain
            elif skippable and k in ("s", "\n"):
                return True

    def _pause(self) -> None:
        self.t.line("  Paused. Press p to carry on, q to stop the batch.")
        while True:
            k = self.t.poll(None)
            if k is None:  # end of input: nobody can resume
                raise Quit
            if k == "p":
                self.t.line("  Resumed.")
                return
            if k == "q" and self._confirm_quit():
                raise Quit

    def _cautions(self) -> None:
        step = self.step
        if step is None or step.movement_id not in self.s.catalog:
            return
        m = self.s.catalog.get(step.movement_id)
        self.t.end_status()
        self.t.line(f"  Cautions for {m.name}:")
        for c in m.cautions:
            self.t.line(f"    - {c}")
        self.t.line(f"    - {m.pain_rule}")

    def _confirm_quit(self) -> bool:
        k = self.t.ask("  Stop the batch here? It will be recorded as partial. y/n > ", "yn")
        return k != "n"

    # --- one step -----------------------------------------------------------------------
    def _reps(self, step: Step) -> int:
        """Count the set at the tempo; a movement done both ways counts ``target`` one way,
        then ``target`` the other. Returns every rep done (both directions)."""
        n = 0
        ways = ("one way", "the other way") if step.directions == 2 else ("",)
        try:
            for w, way in enumerate(ways):
                if w:
                    self.t.end_status()
                    self.t.line(f"  Now {way}: {step.target} reps.")
                label = f" {way}" if way else ""
                k = 0
                self.t.status(f"  rep {k:>3}/{step.target}{label} {bar(k, step.target)}")
                while k < step.target:
                    self._wait(self.tempo)
                    k += 1
                    n += 1
                    self.t.status(f"  rep {k:>3}/{step.target}{label} "
                                  f"{bar(k, step.target)}")
        except (Quit, Pain) as e:
            e.done = n  # type: ignore[attr-defined]
            raise
        self.t.end_status()
        return n

    def _holds(self, step: Step) -> int:
        held = 0
        try:
            for h in range(1, step.holds + 1):
                for left in range(step.target, 0, -1):
                    self.t.status(f"  hold {h}/{step.holds}: {left:>3} s left "
                                  f"{bar(step.target - left, step.target)}")
                    self._wait(self.second)
                held = h
                self.t.status(f"  hold {h}/{step.holds}: done {bar(1, 1)}")
                if h < step.holds:
                    self.t.line(f"  Release and breathe; hold {h + 1} of {step.holds} next.")
                    self._wait(min(3, step.target) * self.second)
        except (Quit, Pain) as e:
            e.done = step.target * held  # type: ignore[attr-defined]  # every full hold
            raise
        self.t.end_status()
        return step.total  # every second of every hold

    def _progress(self, movement_id: str) -> None:
        steps = self.s.movement_steps(movement_id)
        sides = list(dict.fromkeys(x.side for x in steps))
        for side in sides:
            cells = []
            for x in steps:
                if x.side != side:
                    continue
                done = self.s.done.get(x.index, 0)
                name = "warm-up" if x.warm_up else f"set {x.set_no}"
                cells.append(f"{name} {bar(done, x.total, 10)}")
            label = f"{side:<5}" if side else "sets "
            self.t.line(f"  {label} " + "  ".join(cells))

    def _announce(self, step: Step, first_of_movement: bool) -> None:
        if first_of_movement:
            self.t.line("")
            n = list(dict.fromkeys(x.movement_id for x in self.s.steps)).index(step.movement_id)
            total = len(dict.fromkeys(x.movement_id for x in self.s.steps))
            warm = " (warm-up)" if step.warm_up else ""
            self.t.line(f"[{n + 1}/{total}] {step.name}{warm}")
            self.t.line(f"  Cue: {step.cue}")
            if step.alternative:
                self.t.line(f"  Or: {step.alternative}.")
            self.t.line(f"  Caution: {step.caution}")
        side = f", {step.side} side" if step.side else ""
        label = f" ({step.label})" if step.label else ""
        if step.warm_up:
            self.t.line(f"  Warm-up{side}: {step.amount_text()}")
        else:
            self.t.line(f"  Set {step.set_no} of {step.sets}{side}: {step.amount_text()}"
                        f"{label}")

    def _feedback(self, movement_id: str, key: str | None = None) -> None:
        while key is None:
            key = self.t.ask("  " + FEEDBACK_PROMPT, "oehxq")
            if key is None:
                return
            if key == "q":
                if self._confirm_quit():
                    raise Quit
                key = None
        changes = self.s.feedback(movement_id, FEEDBACK_KEYS[key], self.clock())
        if key == "x":
            self.t.line("  " + PAIN_ADVICE)
        for c in changes:
            self.t.line(f"  Dose: {c.reason}.")

    # --- the whole batch ----------------------------------------------------------------
    def run(self) -> str:
        """Guide every step; returns 'finished' or 'abandoned' (the session is ended)."""
        s = self.s
        self.t.line(f"Rehab batch '{s.plan.name}' - sitting {s.sitting} today, "
                    f"{len(dict.fromkeys(x.movement_id for x in s.steps))} movement(s).")
        from mobes.domain.rehab import is_caregiver_plan

        movements = [s.catalog.get(i.movement) for i in s.plan.items if i.movement in s.catalog]
        if is_caregiver_plan(s.plan, movements):
            self.t.line("Caregiver plan: the instructions are for the helper.")
        for note in s.notes:
            self.t.line(f"Note: {note}")
        if not s.steps:
            return "empty"
        self.t.line(RUN_KEYS)
        last_movement = None
        while True:
            step = s.current()
            if step is None:
                break
            self._announce(step, step.movement_id != last_movement)
            last_movement = step.movement_id
            self.step = step
            try:
                done = self._holds(step) if step.unit == "seconds" else self._reps(step)
            except Pain as e:
                self.t.end_status()
                self.t.line(f"  Pain: stopping {step.name} at once.")
                s.complete_step(getattr(e, "done", 0), self.clock(), how="pain")
                self._feedback(step.movement_id, "x")
                continue
            except Quit as e:
                self.t.end_status()
                done = getattr(e, "done", 0)
                if done:
                    s.complete_step(done, self.clock())
                row = s.abandon(self.clock())
                self.t.line(f"Batch stopped: {row.status}. {s.why}")
                return "abandoned"
            s.complete_step(done, self.clock())
            self._progress(step.movement_id)
            mid = s.needs_feedback()
            if mid is not None:
                try:
                    self._feedback(mid)
                except Quit:
                    row = s.abandon(self.clock())
                    self.t.line(f"Batch stopped: {row.status}. {s.why}")
                    return "abandoned"
            elif s.rest_due(step) and self.rest > 0:
                try:
                    self._rest()
                except Quit:
                    row = s.abandon(self.clock())
                    self.t.line(f"Batch stopped: {row.status}. {s.why}")
                    return "abandoned"
        row = s.finish(self.clock())
        self.t.line("")
        self.t.line(f"Batch {row.status}: {s.why}")
        return "finished"

    def _rest(self) -> None:
        secs = int(round(self.rest))
        self.t.line(f"  Rest {secs} s before the next set (Enter or s skips).")
        for left in range(secs, 0, -1):
            self.t.status(f"  rest: {left:>3} s {bar(secs - left, secs)}")
            if self._wait(self.second, skippable=True):
                break
        self.t.end_status()

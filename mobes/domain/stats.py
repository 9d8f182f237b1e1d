"""Adherence and coverage figures from history rows. Pure: the caller passes the rows, the
time zone and "now"; nothing here reads the clock or a file.

Definitions (shown to users by ``mobes stats --help`` and the report):

- Each microbreak prompt counts once, by its latest outcome: done, partial, skipped,
  snoozed (snoozed and never answered after), away, pain (answered with pain: stopped,
  not done), or missed (missed or no answer).
- **Adherence** = done / (prompted - away - pain): breaks the user was at the desk for and
  did. A prompt that found the user away, or that they stopped because it hurt, is not
  held against them. None when nothing counts.
- **Reps per movement**: the dose of each done microbreak counted in full (both directions
  of a movement done both ways, both sides of one done per side; or the reps the user
  reported), the reps reported for partial ones, plus every rehab set as recorded (every
  direction, every hold: 32 holds of 15 s are 480 s). ``reps`` and ``hold_seconds`` add
  them up by unit.
- **Regions covered**: body regions of every movement done at least once, with how many
  times (a microbreak movement done, or a movement worked in a rehab batch).
- **Rehab batches**: by status; an in-progress batch from an earlier day counts as partial.
- **A day meets the goal** when its adherence is at least 50% or it has a complete rehab
  batch. **Streak** = consecutive days meeting the goal up to today; days with nothing to
  do (no prompts you were there for, no rehab batch: weekends, days off) are skipped and
  neither break nor extend it; today counts once it meets the goal and never breaks it.
- **Day score** (the heat map's shade): the mean of the day's adherence and its rehab
  share (complete = 1, partial = 1/2, missed = 0), of whichever exist.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from mobes.domain.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence
    from datetime import tzinfo

    from mobes.domain.history import BatchItemRow, BatchRow, OutcomeRow, PromptRow
    from mobes.domain.model import Dose

BUCKETS: tuple[str, ...] = ("done", "partial", "skipped", "snoozed", "away", "pain",
                            "missed")
REHAB_STATUSES: tuple[str, ...] = ("complete", "partial", "missed", "in-progress")
GOAL = 0.5  # adherence that makes a day count toward the streak
PERIODS: dict[str, int] = {"day": 1, "week": 7, "month": 30}


def bucket(outcome: str | None) -> str:
    """The one bucket a prompt counts in, from its latest outcome."""
    return outcome if outcome in BUCKETS else "missed"


def adherence(done: int, prompted: int, away: int, pain: int = 0) -> float | None:
    """done / (prompted - away - pain) as a fraction, None when no prompt counts."""
    base = prompted - away - pain
    return done / base if base > 0 else None


def percent(fraction: float | None) -> float | None:
    return None if fraction is None else round(100 * fraction, 1)


def midnight(day: date, tz: tzinfo) -> datetime:
    """The start of ``day`` in ``tz`` (aware)."""
    return datetime.combine(day, time(), tzinfo=tz)


def window(period: str, now: datetime, tz: tzinfo) -> tuple[date, date]:
    """First and last local day of a period ending today: day, week (7 days), month (30)."""
    today = now.astimezone(tz).date()
    return today - timedelta(days=PERIODS[period] - 1), today


def rehab_status(batch: BatchRow, today: date) -> str:
    """A batch's status for counting: one left in progress on an earlier day is partial."""
    if batch.status == "in-progress" and batch.day < today:
        return "partial"
    return batch.status if batch.status in REHAB_STATUSES else "partial"


class MovementTotal(Record):
    """What was done of one movement in a period. ``amount`` is reps (or seconds for holds)."""

    __slots__ = ("id", "amount", "microbreaks", "sets")
    id: str
    amount: int
    microbreaks: int  # done (or partial) microbreaks that had this movement
    sets: int  # rehab sets with at least one rep


class Summary(Record):
    __slots__ = ("start", "end", "prompted", "counts", "snoozes", "adherence", "movements",
                 "regions", "rehab", "streak", "reps", "hold_seconds")
    _defaults = {"reps": 0, "hold_seconds": 0}
    start: datetime
    end: datetime
    prompted: int
    counts: dict[str, int]  # bucket -> prompts (every prompt in exactly one bucket)
    snoozes: int  # snooze presses, including those on prompts later done
    adherence: float | None
    movements: tuple[MovementTotal, ...]  # most done first
    regions: dict[str, int]  # region -> times worked, most first
    rehab: dict[str, int]  # status -> rehab batches
    streak: int
    reps: int  # every rep done (movements counted in reps)
    hold_seconds: int  # every second held (movements counted in seconds)

    def as_dict(self) -> dict:
        d = super().as_dict()
        d["adherence_percent"] = percent(self.adherence)
        return d


def summarize(prompts: Sequence[PromptRow], outcomes: Sequence[OutcomeRow],
              batches: Sequence[BatchRow], items: Sequence[BatchItemRow],
              regions_of: Mapping[str, Sequence[str]], start: datetime, end: datetime,
              today: date, streak_days: int = 0, doses: Mapping[str, Dose] | None = None
              ) -> Summary:
    """Figures for microbreak prompts fired and batches started in ``[start, end)``.

    ``items`` may include items of other batches (they are matched by batch id);
    ``regions_of`` maps a movement id to its body regions (unknown ids have none);
    ``doses`` maps it to its catalog dose, so a microbreak's amount counts every direction
    and side and the totals know reps from seconds (unknown ids: the amount as it is, reps).
    """
    doses = doses or {}

    def counted(mid: str, amount: int) -> int:
        d = doses.get(mid)
        return d.done_count(amount, d.sides) if d is not None else amount

    mb = [p for p in prompts if p.kind == "microbreak" and start <= p.at < end]
    ids = {p.id for p in mb}
    counts = dict.fromkeys(BUCKETS, 0)
    for p in mb:
        counts[bucket(p.outcome)] += 1
    reported: dict[tuple[int, str], int] = {}
    snoozes = 0
    for o in sorted(outcomes, key=lambda o: o.at):
        if o.prompt_id not in ids:
            continue
        if o.outcome == "snoozed":
            snoozes += 1
        if o.movement_id is not None and o.reps_done is not None:
            reported[(o.prompt_id, o.movement_id)] = o.reps_done
    amount: dict[str, int] = {}
    breaks: dict[str, int] = {}
    sets: dict[str, int] = {}
    worked: dict[str, int] = {}  # movement -> times worked (for regions)
    for p in mb:
        if p.outcome not in ("done", "partial"):
            continue
        for n, mid in enumerate(p.movement_ids):
            default = (counted(mid, p.amounts[n]) if n < len(p.amounts) and p.outcome == "done"
                       else 0)
            reps = reported.get((p.id, mid), default)
            if reps <= 0:
                continue
            amount[mid] = amount.get(mid, 0) + reps
            breaks[mid] = breaks.get(mid, 0) + 1
            worked[mid] = worked.get(mid, 0) + 1
    in_window = [b for b in batches if start <= b.started < end]
    bids = {b.id for b in in_window}
    batch_movements: set[tuple[int, str]] = set()
    for it in items:
        if it.batch_id not in bids or it.done <= 0:
            continue
        amount[it.movement_id] = amount.get(it.movement_id, 0) + it.done
        sets[it.movement_id] = sets.get(it.movement_id, 0) + 1
        if (it.batch_id, it.movement_id) not in batch_movements:
            batch_movements.add((it.batch_id, it.movement_id))
            worked[it.movement_id] = worked.get(it.movement_id, 0) + 1
    regions: dict[str, int] = {}
    for mid, times in worked.items():
        for r in regions_of.get(mid, ()):
            regions[r] = regions.get(r, 0) + times
    rehab = dict.fromkeys(REHAB_STATUSES, 0)
    for b in in_window:
        if b.kind == "rehab":
            rehab[rehab_status(b, today)] += 1
    totals = tuple(sorted(
        (MovementTotal(m, amount[m], breaks.get(m, 0), sets.get(m, 0)) for m in amount),
        key=lambda t: (-t.amount, t.id)))
    held = sum(v for m, v in amount.items()
               if m in doses and doses[m].unit == "seconds")
    return Summary(
        start=start, end=end, prompted=len(mb), counts=counts, snoozes=snoozes,
        adherence=adherence(counts["done"], len(mb), counts["away"], counts["pain"]),
        movements=totals,
        regions=dict(sorted(regions.items(), key=lambda kv: (-kv[1], kv[0]))), rehab=rehab,
        streak=streak_days, reps=sum(amount.values()) - held, hold_seconds=held)


class Day(Record):
    """One local day: microbreaks and rehab batches, for the heat map and the streak."""

    __slots__ = ("day", "prompted", "done", "away", "complete", "partial", "missed", "pain")
    _defaults = {"prompted": 0, "done": 0, "away": 0, "complete": 0, "partial": 0,
                 "missed": 0, "pain": 0}
    day: date
    prompted: int
    done: int
    away: int
    complete: int  # rehab batches
    partial: int
    missed: int
    pain: int  # microbreaks answered with pain

    @property
    def adherence(self) -> float | None:
        return adherence(self.done, self.prompted, self.away, self.pain)

    @property
    def rehab_share(self) -> float | None:
        n = self.complete + self.partial + self.missed
        return (self.complete + self.partial / 2) / n if n else None

    @property
    def active(self) -> bool:
        """Something was asked of the user this day."""
        return (self.prompted - self.away - self.pain > 0
                or self.complete + self.partial + self.missed > 0)

    @property
    def met(self) -> bool:
        a = self.adherence
        return (a is not None and a >= GOAL) or self.complete > 0

    @property
    def score(self) -> float | None:
        parts = [x for x in (self.adherence, self.rehab_share) if x is not None]
        return sum(parts) / len(parts) if parts else None

    def as_dict(self) -> dict:
        d = super().as_dict()
        d.update(adherence_percent=percent(self.adherence), score_percent=percent(self.score),
                 met_goal=self.met)
        return d


def daily(prompt_outcomes: Iterable[tuple[datetime, str | None]],
          batches: Iterable[BatchRow], tz: tzinfo, today: date) -> dict[date, Day]:
    """Per local day: microbreaks prompted/done/away (from (time, latest outcome) pairs)
    and rehab batches by status. Days without anything are absent."""
    acc: dict[date, list[int]] = {}
    for at, outcome in prompt_outcomes:
        d = at.astimezone(tz).date()
        row = acc.get(d)
        if row is None:
            row = acc[d] = [0, 0, 0, 0, 0, 0, 0]
        row[0] += 1
        if outcome == "done":
            row[1] += 1
        elif outcome == "away":
            row[2] += 1
        elif outcome == "pain":
            row[6] += 1
    slot = {"complete": 3, "partial": 4, "missed": 5}
    for b in batches:
        if b.kind != "rehab":
            continue
        s = slot.get(rehab_status(b, today))
        if s is None:
            continue
        row = acc.get(b.day)
        if row is None:
            row = acc[b.day] = [0, 0, 0, 0, 0, 0, 0]
        row[s] += 1
    return {d: Day(d, *v) for d, v in sorted(acc.items())}


def streak(days: Mapping[date, Day], today: date, first: date) -> tuple[int, bool]:
    """Consecutive days meeting the goal up to ``today`` (see the module docstring), looking
    no further back than ``first``. The flag is True when the walk reached ``first`` still
    unbroken, i.e. older history could make the streak longer."""
    n = 0
    d = today
    t = days.get(today)
    if t is not None and t.met:
        n = 1
    d = today - timedelta(days=1)
    while d >= first:
        day = days.get(d)
        if day is not None and day.active:
            if not day.met:
                return n, False
            n += 1
        d -= timedelta(days=1)
    return n, True

"""A simulated runtime for the schedule policy: ticks when the real agent would tick.

The real agent (mobes.adapters.runtime_aps) ticks at ``next_wakeup`` and every 30 s for the
idle poll; while the machine sleeps nothing ticks. ``Sim`` does the same over simulated
time, so tests can replay whole days and weeks in milliseconds.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from mobes.domain import policy
from mobes.domain.settings import Microbreaks, Settings, WorkHours

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
UTC = timezone.utc


def settings(tz: str = "Europe/Berlin", days=None, **mb) -> Settings:
    work = WorkHours(timezone=tz, days=days) if days is not None else WorkHours(timezone=tz)
    return Settings(work=work, microbreaks=Microbreaks(**mb))


def hours(*spans: str):
    """'09:00-12:00' -> ((540, 720),)."""
    out = []
    for span in spans:
        a, b = span.split("-")
        out.append(tuple(int(x[:2]) * 60 + int(x[3:]) for x in (a, b)))
    return tuple(out)


def at(tz, y, mo, d, h=0, mi=0, s=0, fold=0) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=tz, fold=fold)


class Sim:
    def __init__(self, st: Settings, start: datetime, *, poll: int | None = 30,
                 idle=None, asleep=(), answer=None):
        self.settings = st
        self.tz = start.tzinfo
        self.now = start
        self.state = policy.initial_state(start)
        self.poll = timedelta(seconds=poll) if poll else None
        self.idle = idle or (lambda t: 0.0)
        self.asleep = [(a, b) for a, b in asleep]
        self.answer = answer  # f(event, sim) -> (delay_seconds, action) or None
        self.log: list[tuple[datetime, policy.Event]] = []
        self.pending: list[tuple[datetime, str]] = []  # scheduled user actions

    def local(self, t: datetime) -> datetime:
        return t.astimezone(self.tz)

    def _sleeping(self, t: datetime):
        for a, b in self.asleep:
            if a.astimezone(UTC) <= t < b.astimezone(UTC):
                return b
        return None

    def act(self, t: datetime, action: str):
        self.pending.append((t.astimezone(UTC), action))
        self.pending.sort(key=lambda x: x[0])

    def _apply(self, t: datetime, action: str):
        t = self.local(t)
        if action.startswith("pause:"):
            self.state, ev = policy.on_pause(self.settings, self.state, t, int(action[6:]))
        elif action == "resume":
            self.state, ev = policy.on_resume(self.settings, self.state, t)
        elif action == "now":
            self.state, ev = policy.on_prompt_now(self.settings, self.state, t)
        else:
            self.state, ev = policy.on_response(self.settings, self.state, t, action)
        for e in ev:
            self.log.append((t, e))

    def tick(self, t: datetime):
        t = self.local(t)
        idle = self.idle(t) if policy.in_work_hours(self.settings, t) else None
        self.state, events = policy.on_tick(self.settings, self.state, t, idle)
        for e in events:
            self.log.append((t, e))
            if e.kind in ("prompt", "reprompt") and self.answer is not None:
                a = self.answer(e, self)
                if a is not None:
                    self.act(t.astimezone(UTC) + timedelta(seconds=a[0]), a[1])
        self.now = t

    def run_until(self, end: datetime):
        # All comparisons in UTC: aware datetimes sharing a tzinfo compare by wall time,
        # which is wrong inside a repeated DST hour.
        end = end.astimezone(UTC)
        while True:
            t = self.now.astimezone(UTC)
            cands = []
            w = policy.next_wakeup(self.settings, self.state, self.local(t))
            if w is not None:
                cands.append(w.astimezone(UTC))
            if self.poll is not None:
                cands.append(t + self.poll)
            if self.pending:
                cands.append(self.pending[0][0].astimezone(UTC))
            nxt = min(cands) if cands else end
            if nxt <= t and (not self.pending or self.pending[0][0] > t):
                nxt = t + timedelta(seconds=1)
            if nxt >= end:  # the end itself is not simulated
                break
            wake = self._sleeping(nxt)
            if wake is not None:  # asleep: the next tick is when the machine wakes
                wake = wake.astimezone(UTC)
                self.pending = [(max(p.astimezone(UTC), wake), a) for p, a in self.pending]
                nxt = wake
            if self.pending and self.pending[0][0].astimezone(UTC) <= nxt:
                p, action = self.pending.pop(0)
                self.tick(p)
                self._apply(p, action)
                self.now = self.local(p)
                continue
            self.tick(nxt)
        self.now = self.local(end)

    # --- what happened ---------------------------------------------------------------
    def events(self, *kinds: str):
        return [e for _, e in self.log if not kinds or e.kind in kinds]

    def shown(self) -> list[str]:
        """Wall times (HH:MM, with the day when it changes) of every prompt shown."""
        return [self.local(e.at).strftime("%a %H:%M") for e in self.events("prompt", "reprompt")]

    def suppressed(self) -> list[tuple[str, str]]:
        return [(self.local(e.at).strftime("%a %H:%M"), e.reason)
                for e in self.events("suppressed")]

    def away(self) -> list[str]:
        return [self.local(e.at).strftime("%a %H:%M") for e in self.events("away")]


def done_at_once(event, sim):
    return (0, "done")

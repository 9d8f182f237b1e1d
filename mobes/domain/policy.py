"""When the next microbreak is due, and what happens when time passes: a pure state machine.

Nothing here reads the clock or the system zone. Every function takes ``now`` as an aware
datetime *in the work zone* (the caller resolves ``settings.work.timezone``); wall-time
questions (which weekday, when does the window open) are answered in that zone, while all
arithmetic and comparisons are done in UTC, so DST changes neither stretch nor shrink an
interval. State times are kept in UTC; times handed back are in the work zone.

The rules, as the user sees them:

- **Working windows.** Prompts fall only inside a weekday's windows ``[start, end)``, wall
  time. A window that ends at or before its start runs past midnight; windows that touch
  (a night shift split at midnight) count as one. Each window starts a fresh interval: its
  first prompt is ``interval`` after it opens.
- **Interval.** The next prompt is due ``interval`` (elapsed time) after the *anchor*: the
  last prompt shown, the answer to it (done, skip, feedback), the return from a natural
  break, the last due time that was not shown, or the window start, whichever is latest.
- **Due times that are not shown** are each accounted for exactly once: ``paused`` (inside a
  pause), ``snoozed`` (while the current prompt is snoozed), ``away`` (the first one while
  the user is away: recorded as a prompt with outcome away), ``idle`` (later ones in the
  same absence), ``suspended`` (overdue by more than an interval when the tick finally came:
  the machine slept or the clock jumped) and ``outside-hours`` (a late tick or a snoozed
  prompt that would land after the window closed).
- **Late ticks.** However late a tick arrives, it shows at most one prompt.
- **Natural breaks.** Idle for ``idle_threshold_minutes`` or longer makes the user *away*;
  when they come back the interval restarts from their return.
- **Snooze** shows the same prompt again ``snooze_minutes`` later, at most ``max_snoozes``
  times per prompt. **Skip** and every answer restart the interval.
- **Pause** for some minutes, or for the rest of the day (until the next midnight, or the
  end of a window that runs past it). **Resume** ends it at once. Due times inside the pause
  are suppressed; the interval keeps its rhythm, so the first prompt after a pause comes at
  most one interval after it ends.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from mobes.domain.record import Record
from mobes.domain.workhours import (  # noqa: F401 (policy.window_at etc. stay importable)
    _day_hm,
    _hm,
    _utc,
    _wall,
    _windows,
    _zone,
    day_windows,
    in_work_hours,
    iter_windows,
    next_window_start,
    window_at,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import tzinfo

    from mobes.domain.settings import Settings

UTC = timezone.utc
DAY = timedelta(days=1)
# Clock steps backwards by more than this are treated as a clock change.
BACKWARDS_SLACK = timedelta(seconds=60)
RESPONSES: tuple[str, ...] = ("done", "too-hard", "too-easy", "pain", "skip", "snooze")
# What each response records as the prompt's outcome.
# A pain answer is recorded as pain: the break was stopped, not done.
OUTCOME_OF: dict[str, str] = {"done": "done", "too-hard": "done", "too-easy": "done",
                              "pain": "pain", "skip": "skipped", "snooze": "snoozed"}
_MAX_WINDOWS = 400  # search horizon for the next prompt (windows, not days)


class OpenPrompt(Record):
    """The prompt on screen (or snoozed). ``movement_ids``/``amounts`` are filled in by the
    app after the rotation chose them; ``prompt_id`` once the store recorded it."""

    __slots__ = ("at", "due", "why", "prompt_id", "movement_ids", "amounts", "kind")
    _defaults = {"prompt_id": None, "movement_ids": (), "amounts": (), "kind": "microbreak",
                 "why": ""}
    at: datetime  # when it was shown (UTC)
    due: datetime  # the due time it answers (UTC)
    why: str
    prompt_id: int | None
    movement_ids: tuple[str, ...]
    amounts: tuple[int, ...]
    kind: str


class AgentState(Record):
    """Everything the policy remembers between ticks. All times UTC."""

    __slots__ = ("interval_anchor", "anchor_note", "last_prompt_at", "current_prompt",
                 "snoozes_for_current", "snoozed_until", "paused_at", "paused_until",
                 "pause_rest_of_day", "away_since", "away_recorded", "last_tick")
    _defaults = {"interval_anchor": None, "anchor_note": "mobes started",
                 "last_prompt_at": None, "current_prompt": None, "snoozes_for_current": 0,
                 "snoozed_until": None, "paused_at": None, "paused_until": None,
                 "pause_rest_of_day": False, "away_since": None, "away_recorded": False,
                 "last_tick": None}
    interval_anchor: datetime | None
    anchor_note: str  # what the anchor is, for "why" texts ("your last break", ...)
    last_prompt_at: datetime | None
    current_prompt: OpenPrompt | None
    snoozes_for_current: int
    snoozed_until: datetime | None
    paused_at: datetime | None
    paused_until: datetime | None
    pause_rest_of_day: bool
    away_since: datetime | None
    away_recorded: bool  # the absence already produced its one "away" record
    last_tick: datetime | None

    def is_paused(self, now: datetime) -> bool:
        return self.paused_until is not None and _utc(now) < self.paused_until


class Due(Record):
    """The next prompt: when (work zone; None = none foreseeable), what it is and why."""

    __slots__ = ("when", "what", "why")
    when: datetime | None
    what: str  # microbreak | snoozed microbreak | nothing
    why: str


class Event(Record):
    """Something the app must record or show.

    kind: ``prompt`` (show a new microbreak at ``at``), ``reprompt`` (show the snoozed one
    again), ``away`` (a due time passed while the user was away: record a prompt with
    outcome away, or mark ``prompt_id``'s snoozed prompt away), ``suppressed`` (record
    ``reason``), ``outcome`` (the current prompt was answered: ``reason`` is the outcome),
    ``snooze-refused``, ``back`` (a natural break ended), ``pause-ended``, ``clock``
    (the clock stepped backwards).
    """

    __slots__ = ("kind", "at", "reason", "detail", "prompt_id", "due")
    _defaults = {"reason": "", "detail": "", "prompt_id": None, "due": None}
    kind: str
    at: datetime
    reason: str
    detail: str
    prompt_id: int | None
    due: datetime | None


# --- the grid of due times ----------------------------------------------------------------

def _interval(settings: Settings) -> timedelta:
    return timedelta(minutes=settings.microbreaks.interval_minutes)


def grid_point(settings: Settings, tz: tzinfo, anchor: datetime
               ) -> tuple[datetime, datetime | None] | None:
    """The first due time after ``anchor``: (when, start of its window), UTC. The start is
    None inside a round-the-clock window (it never opened; the rhythm just goes on)."""
    iv = _interval(settings)
    n = 0
    for ws, we, cont in _windows(settings.work, tz, anchor):
        p = (anchor if cont else max(anchor, ws)) + iv
        if p < we:
            return p, (None if cont else ws)
        n += 1
        if n >= _MAX_WINDOWS:
            break
    return None


def _point_why(settings: Settings, state: AgentState, p: datetime, ws: datetime | None,
               tz: tzinfo) -> str:
    mins = settings.microbreaks.interval_minutes
    anchor = state.interval_anchor
    if anchor is None or (ws is not None and ws >= anchor):
        return f"{mins} min after the working window opened at {_hm(ws, tz)}"
    return f"{mins} min after {state.anchor_note} at {_hm(anchor, tz)}"


def initial_state(now: datetime) -> AgentState:
    """The state of an agent that starts at ``now``: the interval starts now."""
    n = _utc(now)
    return AgentState(interval_anchor=n, anchor_note="mobes started", last_tick=n)


# --- ticks ----------------------------------------------------------------------------------

def _set_anchor(state: AgentState, t: datetime, note: str) -> AgentState:
    if state.interval_anchor is not None and state.interval_anchor > t:
        return state
    return state.replace(interval_anchor=t, anchor_note=note)


def on_tick(settings: Settings, state: AgentState, now: datetime,
            idle_seconds: float | None = None, busy: str = ""
            ) -> tuple[AgentState, list[Event]]:
    """Advance the state to ``now``; ``idle_seconds`` is the user's idle time (None when it
    is not known or not asked). ``busy`` names something that must not be interrupted (a
    rehab batch in progress): due times are then suppressed as ``do-not-disturb``.
    Returns the new state and what to record or show, in order. At most one prompt (new or
    snoozed) is shown per tick."""
    tz = _zone(now)
    n = _utc(now)
    events: list[Event] = []
    iv = _interval(settings)
    if state.interval_anchor is None:
        state = state.replace(interval_anchor=n, anchor_note="mobes started")

    # The clock went backwards: nothing may lie in the future of "now".
    if state.last_tick is not None and n < state.last_tick - BACKWARDS_SLACK:
        events.append(Event("clock", n, detail=f"the clock went back from "
                                                 f"{_hm(state.last_tick, tz)} to {_hm(n, tz)}"))
        changes = {}
        for f in ("interval_anchor", "last_prompt_at", "away_since"):
            v = getattr(state, f)
            if v is not None and v > n:
                changes[f] = n
        if state.snoozed_until is not None and state.snoozed_until > n + timedelta(
                minutes=settings.microbreaks.snooze_minutes):
            changes["snoozed_until"] = n + timedelta(minutes=settings.microbreaks.snooze_minutes)
        state = state.replace(**changes)

    # Presence. ``back_at`` is when an absence ended (None while still away or unknown).
    back_at: datetime | None = None
    threshold = settings.microbreaks.idle_threshold_minutes * 60
    if idle_seconds is not None and threshold > 0:
        if idle_seconds >= threshold:
            if state.away_since is None:
                state = state.replace(away_since=n - timedelta(seconds=idle_seconds),
                                      away_recorded=False)
        elif state.away_since is not None:
            back_at = max(n - timedelta(seconds=idle_seconds), state.away_since)

    def away_at(t: datetime) -> bool:
        return state.away_since is not None and state.away_since <= t and (
            back_at is None or t < back_at)

    def paused_at(t: datetime) -> bool:
        return (state.paused_until is not None and t < state.paused_until
                and (state.paused_at is None or t >= state.paused_at))

    shown = False
    enabled = settings.microbreaks.enabled
    for _ in range(10_000):  # each round consumes one due time; bounded for safety
        snooze_t = state.snoozed_until if state.current_prompt is not None else None
        gp = grid_point(settings, tz, state.interval_anchor) if enabled else None
        grid_t = gp[0] if gp else None
        candidates = [t for t in (snooze_t, grid_t) if t is not None and t <= n]
        if back_at is not None and not [t for t in candidates if t < back_at]:
            # the user came back: due times from then on follow the natural break
            state = _came_back(state, back_at, events)
            back_at = None
            continue
        if not candidates:
            break
        t = min(candidates)
        if snooze_t is not None and t == snooze_t:
            cur = state.current_prompt
            state = state.replace(snoozed_until=None)
            if paused_at(t) or busy:
                reason, detail = ("paused", "snoozed prompt") if not busy else (
                    "do-not-disturb", busy)
                events.append(Event("suppressed", t, reason, detail,
                                    prompt_id=cur.prompt_id, due=t))
                state = state.replace(current_prompt=None)
            elif away_at(t):
                events.append(Event("away", t, "away", "snoozed prompt, you were away",
                                    prompt_id=cur.prompt_id, due=t))
                state = state.replace(current_prompt=None, away_recorded=True)
            elif n - t > iv:
                events.append(Event("suppressed", t, "suspended", "snoozed prompt",
                                    prompt_id=cur.prompt_id, due=t))
                state = state.replace(current_prompt=None)
            elif window_at(settings.work, tz, n) is None:
                events.append(Event("suppressed", t, "outside-hours", "snoozed prompt",
                                    prompt_id=cur.prompt_id, due=t))
                state = state.replace(current_prompt=None)
            elif shown:
                events.append(Event("suppressed", t, "suspended", "one prompt per tick",
                                    prompt_id=cur.prompt_id, due=t))
                state = state.replace(current_prompt=None)
            else:
                events.append(Event("reprompt", n, detail=cur.why, prompt_id=cur.prompt_id,
                                    due=t))
                state = _set_anchor(state, n, "the snoozed break")
                state = state.replace(last_prompt_at=n)
                shown = True
            continue

        # A due time of the grid.
        why = _point_why(settings, state, t, gp[1], tz)
        reason = ""
        if paused_at(t):
            reason = "paused"
        elif busy:
            reason, why = "do-not-disturb", busy
        elif snooze_t is not None and t < snooze_t:
            reason = "snoozed"
        elif away_at(t):
            if not state.away_recorded:
                events.append(Event("away", t, "away", why, due=t))
                state = state.replace(away_recorded=True)
                state = _set_anchor(state, t, "the break you were away for")
                continue
            reason = "idle"
        elif n - t > iv:
            reason = "suspended"
        elif window_at(settings.work, tz, n) is None:
            reason = "outside-hours"
        elif shown:
            reason = "suspended"
        if reason:
            events.append(Event("suppressed", t, reason, why, due=t))
            state = _set_anchor(state, t, "the break due")
            continue
        events.append(Event("prompt", n, detail=why, due=t))
        state = state.replace(current_prompt=OpenPrompt(at=n, due=t, why=why),
                              snoozes_for_current=0, snoozed_until=None, last_prompt_at=n)
        state = _set_anchor(state, n, "the last break")
        shown = True

    if state.paused_until is not None and n >= state.paused_until:
        events.append(Event("pause-ended", state.paused_until))
        state = state.replace(paused_until=None, paused_at=None, pause_rest_of_day=False)
    return state.replace(last_tick=n), events


def _came_back(state: AgentState, back_at: datetime, events: list[Event]) -> AgentState:
    gone = int((back_at - state.away_since).total_seconds() // 60)
    events.append(Event("back", back_at, detail=f"away {gone} min: a natural break"))
    state = state.replace(away_since=None, away_recorded=False)
    return _set_anchor(state, back_at, "you came back")


# --- user actions ----------------------------------------------------------------------------

def on_prompt_now(settings: Settings, state: AgentState, now: datetime
                  ) -> tuple[AgentState, list[Event]]:
    """The user asked for a break now (allowed at any time, even paused or off hours)."""
    n = _utc(now)
    why = "you asked for a break"
    state = state.replace(current_prompt=OpenPrompt(at=n, due=n, why=why),
                          snoozes_for_current=0, snoozed_until=None, last_prompt_at=n)
    state = _set_anchor(state, n, "the last break")
    return state, [Event("prompt", n, detail=why, due=n)]


def on_response(settings: Settings, state: AgentState, now: datetime, action: str
                ) -> tuple[AgentState, list[Event]]:
    """Answer the current prompt: done, too-hard, too-easy, pain, skip or snooze.

    Raises ValueError for an unknown action; with no current prompt nothing changes.
    """
    if action not in RESPONSES:
        raise ValueError(f"unknown response {action!r}; expected one of {', '.join(RESPONSES)}")
    n = _utc(now)
    cur = state.current_prompt
    if cur is None:
        return state, []
    if action == "snooze":
        limit = settings.microbreaks.max_snoozes
        if state.snoozes_for_current >= limit:  # no snooze left: it counts as skipped
            state = state.replace(current_prompt=None, snoozes_for_current=0,
                                  snoozed_until=None)
            state = _set_anchor(state, n, "the skipped break")
            return state, [Event("snooze-refused", n, prompt_id=cur.prompt_id,
                                 detail=f"no snooze left ({limit} used): skipped"),
                           Event("outcome", n, "skipped", prompt_id=cur.prompt_id,
                                 detail="snooze")]
        until = n + timedelta(minutes=settings.microbreaks.snooze_minutes)
        count = state.snoozes_for_current + 1
        state = state.replace(snoozes_for_current=count, snoozed_until=until)
        return state, [Event("outcome", n, "snoozed", prompt_id=cur.prompt_id,
                             detail=f"snooze {count} of {limit}", due=until)]
    outcome = OUTCOME_OF[action]
    state = state.replace(current_prompt=None, snoozes_for_current=0, snoozed_until=None)
    state = _set_anchor(state, n, "your last break" if outcome == "done" else
                        "the break stopped by pain" if outcome == "pain" else
                        "the skipped break")
    return state, [Event("outcome", n, outcome, prompt_id=cur.prompt_id, detail=action)]


def on_break_taken(settings: Settings, state: AgentState, now: datetime, note: str
                   ) -> tuple[AgentState, list[Event]]:
    """A break taken some other way (a rehab batch ended): the interval restarts now."""
    return _set_anchor(state, _utc(now), note), []


def pause_end(settings: Settings, now: datetime, minutes: int) -> datetime:
    """When a pause of ``minutes`` (-1 = rest of the day) started at ``now`` ends (UTC)."""
    n = _utc(now)
    if minutes >= 0:
        return n + timedelta(minutes=minutes)
    tz = _zone(now)
    local = now.astimezone(tz)
    midnight = _wall(local.date() + DAY, 0, tz)
    w = window_at(settings.work, tz, n)
    return max(midnight, w[1]) if w else midnight


def on_pause(settings: Settings, state: AgentState, now: datetime, minutes: int
             ) -> tuple[AgentState, list[Event]]:
    """Pause prompts for ``minutes`` (-1 = for the rest of the day). A snoozed prompt is
    dropped (it would fall inside the pause)."""
    if minutes < -1 or minutes == 0:
        raise ValueError(f"expected a pause in minutes (or -1 for the rest of the day), "
                         f"got {minutes}")
    n = _utc(now)
    until = pause_end(settings, now, minutes)
    started = state.paused_at if state.is_paused(now) and state.paused_at else n
    state = state.replace(paused_at=started, paused_until=until,
                          pause_rest_of_day=minutes < 0, snoozed_until=None)
    return state, []


def on_resume(settings: Settings, state: AgentState, now: datetime
              ) -> tuple[AgentState, list[Event]]:
    if state.paused_until is None:
        return state, []
    state = state.replace(paused_until=None, paused_at=None, pause_rest_of_day=False)
    return state, [Event("pause-ended", _utc(now), detail="resumed")]


# --- looking ahead ---------------------------------------------------------------------------

def next_wakeup(settings: Settings, state: AgentState, now: datetime) -> datetime | None:
    """The next time ``on_tick`` has something to do (a due time, a snoozed prompt, the end
    of a pause), in the work zone; None when nothing is foreseeable."""
    tz = _zone(now)
    times = []
    if state.current_prompt is not None and state.snoozed_until is not None:
        times.append(state.snoozed_until)
    if state.paused_until is not None:
        times.append(state.paused_until)
    if settings.microbreaks.enabled and state.interval_anchor is not None:
        gp = grid_point(settings, tz, state.interval_anchor)
        if gp:
            times.append(gp[0])
    return min(times).astimezone(tz) if times else None


def next_due(settings: Settings, state: AgentState, now: datetime) -> Due:
    """The next prompt the user will see if nothing else happens, and why.

    Due times that will be suppressed (paused, snoozed, away) are skipped over; a due time
    already past is reported as due now. While the user is away there is none: the
    interval restarts when they come back.
    """
    tz = _zone(now)
    n = _utc(now)
    if not settings.microbreaks.enabled:
        return Due(None, "nothing", "microbreaks are turned off")
    if state.away_since is not None:
        return Due(None, "nothing", f"you are away (since {_hm(state.away_since, tz)}); "
                                    f"the interval restarts when you are back")
    paused = state.paused_until is not None and state.paused_until > n
    if state.current_prompt is not None and state.snoozed_until is not None and not paused:
        s = state.snoozed_until
        if window_at(settings.work, tz, max(s, n)) is not None:
            return Due(max(s, n).astimezone(tz), "snoozed microbreak",
                       f"snoozed ({state.snoozes_for_current} of "
                       f"{settings.microbreaks.max_snoozes})")
    anchor = state.interval_anchor if state.interval_anchor is not None else n
    mins = settings.microbreaks.interval_minutes
    after_pause = False
    for _ in range(10_000):
        gp = grid_point(settings, tz, anchor)
        if gp is None:
            return Due(None, "nothing", "no prompt fits in the working hours")
        p, ws = gp
        if paused and (state.paused_at is None or state.paused_at <= p) \
                and p < state.paused_until:
            anchor, after_pause = p, True
            continue
        if after_pause and (ws is None or ws < state.paused_until):
            why = (f"the pause ends at {_day_hm(state.paused_until, tz, now)}; "
                   f"the {mins} min rhythm goes on")
        else:
            why = _point_why(settings, state.replace(interval_anchor=anchor), p, ws, tz)
        return Due(max(p, n).astimezone(tz), "microbreak", why)
    return Due(None, "nothing", "no prompt fits in the working hours")


def describe(settings: Settings, state: AgentState, now: datetime) -> str:
    """One line for the tray title and ``mobes next``: what the agent is waiting for, e.g.
    "next break in 12 min", "paused until 14:30", "outside working hours until Mon 09:00"."""
    tz = _zone(now)
    n = _utc(now)
    if state.paused_until is not None and state.paused_until > n:
        if state.pause_rest_of_day:
            return "paused for the rest of the day"
        return f"paused until {_day_hm(state.paused_until, tz, now)}"
    if not settings.microbreaks.enabled:
        return "microbreaks are off"
    if state.away_since is not None:
        return f"you are away (since {_hm(state.away_since, tz)})"
    due = next_due(settings, state, now)
    if due.when is None:
        return "no working hours set"
    if window_at(settings.work, tz, n) is None and window_at(settings.work, tz, due.when):
        start = next_window_start(settings.work, tz, n)
        if start is not None and start <= _utc(due.when):
            return f"outside working hours until {_day_hm(start, tz, now)}"
    mins = int(-(-(_utc(due.when) - n).total_seconds() // 60))
    if due.what == "snoozed microbreak":
        return f"snoozed, back in {mins} min"
    if mins <= 0:
        return "break due now"
    if mins >= 120:
        return f"next break at {_day_hm(due.when, tz, now)}"
    return f"next break in {mins} min"


def upcoming(settings: Settings, state: AgentState, now: datetime, until: datetime,
             limit: int = 10_000) -> list[Due]:
    """The prompts from ``now`` to ``until``, assuming the user does each break as soon as
    it appears and stays at the keyboard otherwise (what ``mobes preview`` shows)."""
    tz = _zone(now)
    out: list[Due] = []
    t = now
    end = _utc(until)
    for _ in range(limit):
        due = next_due(settings, state, t)
        if due.when is None or _utc(due.when) >= end:
            break
        out.append(due)
        at = due.when
        state, _events = on_tick(settings, state, at, 0.0)
        if state.current_prompt is None:  # nothing shown (should not happen): move on
            state = state.replace(interval_anchor=_utc(at))
        else:
            state, _events = on_response(settings, state, at, "done")
        t = at.astimezone(tz)
    return out

"""Working-hours arithmetic: a weekday's windows on the wall clock of the work zone,
merged across midnight, as UTC intervals (pure; see ``mobes.domain.policy`` for the rules
as the user sees them).

A window that ends at or before its start runs past midnight; windows that touch (a night
shift split at midnight) count as one; a window that never ends (24/7 hours) is cut after
a week. Wall times that do not exist (spring forward) land just after the gap; ones that
occur twice (fall back) mean their first occurrence.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import date, tzinfo

    from mobes.domain.settings import Settings, WorkHours

UTC = timezone.utc
DAY = timedelta(days=1)
# Windows that touch are merged; one that never ends (24/7 hours) is cut after this long
# (the interval's rhythm carries on across the cut).
_LONGEST = timedelta(days=7)


def _utc(t: datetime) -> datetime:
    if t.tzinfo is None or t.utcoffset() is None:
        raise ValueError(f"expected an aware datetime, got {t!r}")
    return t.astimezone(UTC)


def _zone(now: datetime) -> tzinfo:
    if now.tzinfo is None:
        raise ValueError(f"expected an aware datetime, got {now!r}")
    return now.tzinfo


def _wall(day: date, minutes: int, tz: tzinfo) -> datetime:
    """``minutes`` after midnight of ``day`` on the wall clock of ``tz``, as UTC.

    A wall time that does not exist (spring forward) lands just after the gap; one that
    occurs twice (fall back) means its first occurrence.
    """
    d = day + timedelta(days=minutes // 1440)
    m = minutes % 1440
    return datetime(d.year, d.month, d.day, m // 60, m % 60, tzinfo=tz).astimezone(UTC)


def day_windows(work: WorkHours, day: date, tz: tzinfo) -> list[tuple[datetime, datetime]]:
    """The working windows that open on local ``day``, as UTC (start, end) pairs."""
    out = []
    for start, end in work.days[day.weekday()]:
        s = _wall(day, start, tz)
        e = _wall(day, end if end > start else end + 1440, tz)
        if e > s:
            out.append((s, e))
    return sorted(out)


def _windows(work: WorkHours, tz: tzinfo, since: datetime
             ) -> Iterator[tuple[datetime, datetime, bool]]:
    """(start, end, continues): merged windows ending after ``since``; ``continues`` is true
    for the part after a cut of a round-the-clock window (no fresh interval there)."""
    since = _utc(since)
    day = since.astimezone(tz).date() - DAY
    pending: tuple[datetime, datetime] | None = None
    cont = False
    empty = 0
    while empty < 8:
        ws = day_windows(work, day, tz)
        empty = 0 if ws else empty + 1
        for s, e in ws:
            if pending is not None and s <= pending[1]:
                pending = (pending[0], max(pending[1], e))
                if pending[1] - pending[0] > _LONGEST:  # round the clock: cut it somewhere
                    if pending[1] > since:
                        yield pending[0], pending[1], cont
                    pending, cont = (pending[1], pending[1]), True
                continue
            if pending is not None and pending[1] > since and pending[1] > pending[0]:
                yield pending[0], pending[1], cont
            pending, cont = (s, e), False
        day += DAY
    if pending is not None and pending[1] > since and pending[1] > pending[0]:
        yield pending[0], pending[1], cont


def iter_windows(work: WorkHours, tz: tzinfo, since: datetime
                 ) -> Iterator[tuple[datetime, datetime]]:
    """Merged working windows (UTC) that end after ``since``, in order; stops after a week
    without any window."""
    for s, e, _ in _windows(work, tz, since):
        yield s, e


def window_at(work: WorkHours, tz: tzinfo, t: datetime) -> tuple[datetime, datetime] | None:
    """The working window containing ``t``, or None outside working hours."""
    t = _utc(t)
    for s, e in iter_windows(work, tz, t):
        return (s, e) if s <= t else None
    return None


def next_window_start(work: WorkHours, tz: tzinfo, t: datetime) -> datetime | None:
    t = _utc(t)
    for s, _ in iter_windows(work, tz, t):
        if s > t:
            return s
    return None


def in_work_hours(settings: Settings, now: datetime) -> bool:
    return window_at(settings.work, _zone(now), now) is not None


def _hm(t: datetime, tz: tzinfo) -> str:
    return t.astimezone(tz).strftime("%H:%M")


def _day_hm(t: datetime, tz: tzinfo, now: datetime) -> str:
    local, today = t.astimezone(tz), now.astimezone(tz).date()
    if local.date() == today:
        return local.strftime("%H:%M")
    if local.date() == today + DAY:
        return "tomorrow " + local.strftime("%H:%M")
    return local.strftime("%a %H:%M")

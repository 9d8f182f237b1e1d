"""Stats are pure functions of rows, a zone and "now": tested over whole simulated weeks."""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from fakes import MemoryStore

from mobes.adapters.catalog_file import builtin
from mobes.adapters.store_sqlite import SqliteStore
from mobes.commands.stats import ASCII_SHADES, compute, heatmap, render
from mobes.domain import stats
from mobes.domain.history import BatchItemRow, BatchRow, OutcomeRow, PromptRow

KNEE = "assisted-hip-knee-flexion"  # a rehab movement of the built-in catalog

PARIS = ZoneInfo("Europe/Paris")
REGIONS = {m.id: m.regions for m in builtin()}


def at(d: date, h: int, m: int = 0) -> datetime:
    return datetime(d.year, d.month, d.day, h, m, tzinfo=PARIS)


def prompt(pid, when, outcome, mids=("neck-circles",), amounts=(10,)):
    return PromptRow(id=pid, at=when, kind="microbreak", movement_ids=mids, amounts=amounts,
                     outcome=outcome)


DAY = date(2026, 3, 4)  # a Wednesday
START, END = at(DAY, 0), at(DAY, 23, 59)


def test_each_prompt_counts_once_by_its_latest_outcome():
    outs = ["done"] * 6 + ["away", "away", "skipped", "snoozed", None, "partial", "missed"]
    ps = [prompt(i + 1, at(DAY, 9, 3 * i), o) for i, o in enumerate(outs)]
    snoozes = [OutcomeRow(1, at(DAY, 9, 1), "snoozed"), OutcomeRow(10, at(DAY, 9, 28), "snoozed")]
    s = stats.summarize(ps, snoozes, [], [], REGIONS, START, END, DAY)
    assert s.prompted == 13
    assert s.counts == {"done": 6, "partial": 1, "skipped": 1, "snoozed": 1, "away": 2,
                        "pain": 0, "missed": 2}
    assert sum(s.counts.values()) == s.prompted
    assert s.snoozes == 2  # prompt 1 was snoozed, then done
    assert s.adherence == pytest.approx(6 / 11)  # away prompts are not held against you
    assert s.as_dict()["adherence_percent"] == 54.5


def test_no_adherence_when_every_prompt_found_you_away():
    ps = [prompt(1, at(DAY, 9), "away"), prompt(2, at(DAY, 10), "away")]
    s = stats.summarize(ps, [], [], [], REGIONS, START, END, DAY)
    assert s.adherence is None and s.as_dict()["adherence_percent"] is None


def test_only_microbreaks_inside_the_window_count():
    ps = [prompt(1, at(DAY, 9), "done"), prompt(2, at(DAY - timedelta(days=1), 9), "done"),
          PromptRow(id=3, at=at(DAY, 10), kind="rehab-reminder", movement_ids=(), amounts=())]
    s = stats.summarize(ps, [], [], [], REGIONS, START, END, DAY)
    assert s.prompted == 1


def test_reps_per_movement_from_microbreaks_reports_and_rehab_sets():
    ps = [
        prompt(1, at(DAY, 9), "done", ("neck-circles", "wrist-circles"), (10, 15)),
        prompt(2, at(DAY, 10), "done"),
        prompt(3, at(DAY, 11), "partial", ("neck-circles", "wrist-circles"), (10, 15)),
        prompt(4, at(DAY, 12), "skipped"),
    ]
    outs = [OutcomeRow(2, at(DAY, 10, 1), "done", "neck-circles", None, 6),  # did 6, not 10
            OutcomeRow(3, at(DAY, 11, 1), "partial", "wrist-circles", None, 5)]
    b = BatchRow(id=1, kind="rehab", plan="knee", day=DAY, started=at(DAY, 18),
                 status="complete")
    items = [BatchItemRow(1, KNEE, s, side, 30, 30 if s < 3 else 12, None)
             for s in (1, 2, 3) for side in ("left", "right")]
    s = stats.summarize(ps, outs, [b], items, REGIONS, START, END, DAY)
    got = {m.id: (m.amount, m.microbreaks, m.sets) for m in s.movements}
    assert got == {"neck-circles": (16, 2, 0), "wrist-circles": (20, 2, 0),
                   KNEE: (144, 0, 6)}
    assert [m.id for m in s.movements] == [KNEE, "wrist-circles",
                                           "neck-circles"]
    # regions: each done movement of a microbreak once, each movement of a batch once
    assert s.regions == {"knees": 1, "hips": 1, "neck": 2, "upper-back": 2, "shoulders": 2,
                         "wrists-hands": 2, "elbows": 2}
    assert list(s.regions.values()) == sorted(s.regions.values(), reverse=True)


def test_rehab_batches_by_status_and_an_abandoned_one_is_partial():
    yesterday = DAY - timedelta(days=1)
    bs = [
        BatchRow(id=1, kind="rehab", plan="knee", day=yesterday, started=at(yesterday, 18)),
        BatchRow(id=2, kind="rehab", plan="knee", day=DAY, started=at(DAY, 8),
                 status="complete"),
        BatchRow(id=3, kind="rehab", plan="knee", day=DAY, started=at(DAY, 12),
                 status="partial", sitting=2),
        BatchRow(id=4, kind="rehab", plan="hip", day=DAY, started=at(DAY, 13),
                 status="missed"),
        BatchRow(id=5, kind="rehab", plan="hip", day=DAY, started=at(DAY, 19)),
        BatchRow(id=6, kind="maintenance", plan="", day=DAY, started=at(DAY, 10),
                 status="complete"),
    ]
    s = stats.summarize([], [], bs, [], REGIONS, at(yesterday, 0), END, DAY)
    assert s.rehab == {"complete": 1, "partial": 2, "missed": 1, "in-progress": 1}


def test_windows_are_local_days_ending_today_across_a_dst_change():
    now = datetime(2026, 3, 30, 8, 0, tzinfo=timezone.utc)  # Paris moved to +02:00 on 29 Mar
    assert stats.window("day", now, PARIS) == (date(2026, 3, 30), date(2026, 3, 30))
    assert stats.window("week", now, PARIS) == (date(2026, 3, 24), date(2026, 3, 30))
    assert stats.window("month", now, PARIS) == (date(2026, 3, 1), date(2026, 3, 30))
    assert stats.midnight(date(2026, 3, 1), PARIS).utcoffset() == timedelta(hours=1)
    assert stats.midnight(date(2026, 3, 30), PARIS).utcoffset() == timedelta(hours=2)
    late = datetime(2026, 3, 29, 22, 30, tzinfo=timezone.utc)  # already the 30th in Paris
    assert stats.window("day", late, PARIS)[1] == date(2026, 3, 30)


def test_daily_figures_use_local_days():
    pairs = [(datetime(2026, 3, 1, 23, 30, tzinfo=timezone.utc), "done"),  # 2 Mar in Paris
             (datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc), "away"),
             (datetime(2026, 3, 1, 13, 0, tzinfo=timezone.utc), None)]
    bs = [BatchRow(id=1, kind="rehab", plan="p", day=date(2026, 3, 2),
                   started=at(date(2026, 3, 2), 18), status="complete")]
    days = stats.daily(pairs, bs, PARIS, date(2026, 3, 5))
    assert days[date(2026, 3, 1)].as_dict()["adherence_percent"] == 0.0
    d2 = days[date(2026, 3, 2)]
    assert (d2.prompted, d2.done, d2.complete, d2.met) == (1, 1, 1, True)
    assert days[date(2026, 3, 1)].met is False


def week_of_history(store, monday: date, plan: dict[int, tuple[int, int, str | None]]):
    """Write a week through ``store``: weekday -> (done, not done, rehab status)."""
    for wd, (done, missed, rehab) in plan.items():
        d = monday + timedelta(days=wd)
        for i in range(done + missed):
            pid = store.add_prompt(PromptRow(at=at(d, 9, 0) + timedelta(minutes=20 * i),
                                             kind="microbreak", movement_ids=("neck-circles",),
                                             amounts=(10,)))
            store.add_outcome(OutcomeRow(pid, at(d, 9, 1) + timedelta(minutes=20 * i),
                                         "done" if i < done else "skipped"))
        if rehab:
            bid = store.start_batch(BatchRow(kind="rehab", plan="knee", day=d,
                                             started=at(d, 18), movement_ids=(KNEE,)))
            if rehab != "in-progress":
                store.add_batch_item(BatchItemRow(bid, KNEE, 1, "", 30, 30, None,
                                                  at(d, 18, 5)))
                store.end_batch(bid, at(d, 18, 10), rehab)


@pytest.fixture(params=["memory", "sqlite"])
def store(request, tmp_path):
    s = MemoryStore() if request.param == "memory" else SqliteStore(str(tmp_path / "h.sqlite3"))
    yield s
    s.close()


def test_streak_skips_weekends_and_breaks_on_a_missed_day(store):
    m1, m2 = date(2026, 3, 2), date(2026, 3, 9)
    week_of_history(store, m1, {0: (5, 5, None), 1: (1, 9, None), 2: (6, 2, None),
                                3: (4, 4, None), 4: (0, 8, "complete")})
    # second week: weekend empty; Monday and Tuesday met; today (Wed 11th) not yet
    week_of_history(store, m2, {0: (8, 0, None), 1: (0, 0, "complete"), 2: (0, 3, None)})
    now = at(date(2026, 3, 11), 12)
    data = compute(store, builtin(), PARIS, now, "week")
    # Tue 10 (rehab), Mon 9, [weekend skipped], Fri 6 (rehab), Thu 5, Wed 4 -> 5; Tue 3 broke it
    assert data["streak"] == 5
    by_day = {d["day"]: d for d in data["days"]}
    assert by_day[date(2026, 3, 3)]["met_goal"] is False
    assert by_day[date(2026, 3, 7)]["prompted"] == 0
    # today only counts once met, and never breaks the streak
    for i in range(3):
        pid = store.add_prompt(PromptRow(at=at(date(2026, 3, 11), 13, i), kind="microbreak",
                                         movement_ids=("neck-circles",), amounts=(10,)))
        store.add_outcome(OutcomeRow(pid, at(date(2026, 3, 11), 13, i + 1), "done"))
    assert compute(store, builtin(), PARIS, now + timedelta(hours=2), "week")["streak"] == 6


def test_streak_reads_further_back_than_the_first_lookback(store):
    first = date(2025, 9, 1)
    today = date(2026, 3, 11)
    with store.bulk():
        d = first
        while d < today:
            pid = store.add_prompt(PromptRow(at=at(d, 10), kind="microbreak",
                                             movement_ids=("neck-circles",), amounts=(10,)))
            store.add_outcome(OutcomeRow(pid, at(d, 10, 2), "done"))
            d += timedelta(days=1)
    data = compute(store, builtin(), PARIS, at(today, 9), "day")
    assert data["streak"] == (today - first).days
    s, unbroken = stats.streak(data["_days"], today, today - timedelta(days=10))
    assert (s, unbroken) == (10, True)


def test_stats_for_the_week_from_real_rows(store):
    week_of_history(store, date(2026, 3, 2), {0: (3, 1, "complete"), 1: (2, 2, "partial"),
                                              2: (0, 0, "in-progress")})
    data = compute(store, builtin(), PARIS, at(date(2026, 3, 5), 9), "week")
    assert data["prompted"] == 8 and data["counts"]["done"] == 5
    assert data["adherence_percent"] == 62.5
    assert data["rehab"] == {"complete": 1, "partial": 2, "missed": 0, "in-progress": 0}
    mv = {m["id"]: m for m in data["movements"]}
    # 5 done breaks of 10 neck circles each direction: 100 circles (issue 14: each
    # direction counts; it used to say 50)
    assert mv["neck-circles"]["amount"] == 100 and mv["neck-circles"]["name"] == "Neck circles"
    assert mv[KNEE]["sets"] == 2
    assert "neck" in data["regions"] and "neck" not in data["regions_not_worked"]
    text = render(data)
    assert "62%" in text or "63%" in text
    assert "Neck circles" in text and "Streak" in text


def test_heatmap_is_a_calendar_with_a_legend():
    mon = date(2026, 3, 2)
    days = {
        mon: stats.Day(mon, prompted=10, done=9),  # 90% -> darkest
        mon + timedelta(days=1): stats.Day(mon, prompted=10, done=1),  # 10%
        mon + timedelta(days=7): stats.Day(mon, prompted=4, done=2),  # 50%
        mon + timedelta(days=8): stats.Day(mon, missed=1),  # rehab missed -> 0
    }
    today = mon + timedelta(days=9)  # Wednesday of the second week
    lines = heatmap(days, mon, today)
    assert lines[0].split() == ["Mar"] and lines[1].split() == ["2", "9"]
    rows = {ln[:3]: ln[5:] for ln in lines[2:9]}
    assert rows["Mon"] == "█  ▓"
    assert rows["Tue"] == "░  ░"
    assert rows["Wed"] == "·  ·"  # nothing that day; today with nothing yet
    assert rows["Thu"] == "·"  # next week's Thursday is in the future: blank
    assert "75% or more" in lines[-1] and "nothing to do" in lines[-1]
    plain = heatmap(days, mon, today, ASCII_SHADES)
    assert all(ord(ch) < 128 for ln in plain for ch in ln)

"""The schedule policy over whole simulated days and weeks: exact prompt times and reasons."""

from datetime import timedelta, timezone

import pytest
from policy_sim import BERLIN, NEW_YORK, Sim, at, done_at_once, hours, settings

from mobes.domain import policy

WEEKDAYS_9_TO_5 = (hours("09:00-17:00"),) * 5 + ((), ())


def grid(first: str, last: str, step: int = 20, day: str = "Mon") -> list[str]:
    h, m = map(int, first.split(":"))
    lh, lm = map(int, last.split(":"))
    out, t = [], h * 60 + m
    while t <= lh * 60 + lm:
        out.append(f"{day} {t // 60:02d}:{t % 60:02d}")
        t += step
    return out


# --- a normal working day -----------------------------------------------------------------

def test_normal_day_prompts_every_interval_inside_working_hours():
    st = settings()
    sim = Sim(st, at(BERLIN, 2026, 11, 23, 7, 0), answer=done_at_once)  # a Monday
    sim.run_until(at(BERLIN, 2026, 11, 23, 23, 0))
    assert sim.shown() == grid("09:20", "16:40")  # 17:00 is the window's end: not inside
    assert len(sim.shown()) == 23
    assert sim.suppressed() == [] and sim.away() == []
    first = sim.events("prompt")[0]
    assert first.detail == "20 min after the working window opened at 09:00"
    assert sim.events("prompt")[1].detail == "20 min after your last break at 09:20"


def test_answering_late_restarts_the_interval_from_the_answer():
    st = settings()
    sim = Sim(st, at(BERLIN, 2026, 11, 23, 8, 0), answer=lambda e, s: (90, "done"))
    sim.run_until(at(BERLIN, 2026, 11, 23, 10, 30))
    # each break is done 1.5 min after it appears; the next is 20 min after that
    assert [t[-5:] for t in sim.shown()] == ["09:20", "09:41", "10:03", "10:24"]


def test_unanswered_prompts_keep_the_rhythm():
    sim = Sim(settings(), at(BERLIN, 2026, 11, 23, 8, 0))
    sim.run_until(at(BERLIN, 2026, 11, 23, 10, 0))
    assert sim.shown() == grid("09:20", "09:40")


def test_agent_started_mid_window_waits_one_interval():
    sim = Sim(settings(), at(BERLIN, 2026, 11, 23, 10, 7), answer=done_at_once)
    sim.run_until(at(BERLIN, 2026, 11, 23, 11, 0))
    assert sim.shown() == ["Mon 10:27", "Mon 10:47"]
    assert sim.events("prompt")[0].detail == "20 min after mobes started at 10:07"


def test_several_windows_a_day_each_start_a_fresh_interval():
    days = (hours("09:00-12:00", "13:00-14:00"),) * 5 + ((), ())
    sim = Sim(settings(days=days, interval_minutes=25), at(BERLIN, 2026, 11, 23, 8, 0),
              answer=done_at_once)
    sim.run_until(at(BERLIN, 2026, 11, 23, 18, 0))
    assert sim.shown() == ["Mon 09:25", "Mon 09:50", "Mon 10:15", "Mon 10:40", "Mon 11:05",
                           "Mon 11:30", "Mon 11:55", "Mon 13:25", "Mon 13:50"]


def test_weekend_off_and_status_text():
    st = settings()
    sim = Sim(st, at(BERLIN, 2026, 11, 27, 16, 0), answer=done_at_once)  # Friday
    sim.run_until(at(BERLIN, 2026, 11, 30, 10, 0))  # Monday
    assert sim.shown() == ["Fri 16:20", "Fri 16:40", "Mon 09:20", "Mon 09:40"]
    sat = at(BERLIN, 2026, 11, 28, 12, 0)
    state = policy.initial_state(at(BERLIN, 2026, 11, 27, 17, 30))
    assert policy.describe(st, state, sat) == "outside working hours until Mon 09:00"
    due = policy.next_due(st, state, sat)
    assert due.when == at(BERLIN, 2026, 11, 30, 9, 20)
    assert due.why == "20 min after the working window opened at 09:00"
    sun = at(BERLIN, 2026, 11, 29, 20, 0)
    assert policy.describe(st, state, sun) == (
        "outside working hours until tomorrow 09:00")


def test_microbreaks_turned_off_never_prompt():
    st = settings(enabled=False)
    sim = Sim(st, at(BERLIN, 2026, 11, 23, 8, 0))
    sim.run_until(at(BERLIN, 2026, 11, 23, 18, 0))
    assert sim.shown() == []
    assert policy.describe(st, sim.state, sim.now) == "microbreaks are off"


# --- midnight and DST ---------------------------------------------------------------------

def test_night_shift_runs_across_midnight_without_restarting():
    # Monday 22:00-24:00 and Tuesday 00:00-02:00 touch: one window.
    days = ((hours("22:00-23:59")[0][:1] + (1440,),), (hours("00:00-02:00")[0],), (), (), (),
            (), ())
    sim = Sim(settings(days=days), at(BERLIN, 2026, 11, 23, 21, 0), answer=done_at_once)
    sim.run_until(at(BERLIN, 2026, 11, 24, 3, 0))
    assert sim.shown() == grid("22:20", "23:40") + grid("00:00", "01:40", day="Tue")


def test_a_window_that_ends_before_it_starts_runs_past_midnight():
    days = (hours("22:00-02:00"),) + ((),) * 6
    sim = Sim(settings(days=days), at(BERLIN, 2026, 11, 23, 21, 0), answer=done_at_once)
    sim.run_until(at(BERLIN, 2026, 11, 24, 3, 0))
    assert sim.shown() == grid("22:20", "23:40") + grid("00:00", "01:40", day="Tue")


def _night(day_index: int):
    days = [()] * 7
    days[day_index] = hours("22:00-06:00")
    return tuple(days)


def test_berlin_spring_forward_night_is_one_hour_shorter():
    # Saturday 28 March 2026 22:00 to Sunday 06:00: clocks jump 02:00 -> 03:00.
    sim = Sim(settings(days=_night(5)), at(BERLIN, 2026, 3, 28, 21, 0), answer=done_at_once)
    sim.run_until(at(BERLIN, 2026, 3, 29, 7, 0))
    shown = sim.shown()
    assert shown == (grid("22:20", "23:40", day="Sat") + grid("00:00", "01:40", day="Sun")
                     + grid("03:00", "05:40", day="Sun"))
    assert len(shown) == 20  # 7 real hours
    gaps = {b.at - a.at for a, b in zip(sim.events("prompt"), sim.events("prompt")[1:])}
    assert gaps == {timedelta(minutes=20)}


def test_berlin_fall_back_night_is_one_hour_longer():
    # Saturday 24 October 2026 22:00 to Sunday 06:00: 03:00 -> 02:00, 02:xx happens twice.
    sim = Sim(settings(days=_night(5)), at(BERLIN, 2026, 10, 24, 21, 0), answer=done_at_once)
    sim.run_until(at(BERLIN, 2026, 10, 25, 7, 0))
    local = [sim.local(e.at) for e in sim.events("prompt")]
    assert len(local) == 26  # 9 real hours
    twice = [(t.strftime("%H:%M"), t.utcoffset().seconds // 3600) for t in local
             if t.hour == 2]
    assert twice == [("02:00", 2), ("02:20", 2), ("02:40", 2),
                     ("02:00", 1), ("02:20", 1), ("02:40", 1)]
    assert local[-1].strftime("%H:%M") == "05:40"


def test_berlin_monday_after_dst_keeps_wall_clock_hours():
    st = settings()
    sim = Sim(st, at(BERLIN, 2026, 3, 27, 16, 30), answer=done_at_once)  # Friday, CET
    sim.run_until(at(BERLIN, 2026, 3, 30, 9, 30))  # Monday, CEST
    fri, mon = sim.events("prompt")[0].at, sim.events("prompt")[-1].at
    assert sim.shown() == ["Fri 16:50", "Mon 09:20"]
    assert (fri.astimezone(timezone.utc).hour, mon.astimezone(timezone.utc).hour) == (15, 7)


def test_new_york_fall_back_week():
    # Friday 30 Oct (EDT) to Monday 2 Nov (EST); Sunday 1 Nov has a window 00:00-04:00
    # that lasts five real hours because 01:00-02:00 happens twice.
    days = list(WEEKDAYS_9_TO_5)
    days[6] = hours("00:00-04:00")
    st = settings("America/New_York", days=tuple(days))
    sim = Sim(st, at(NEW_YORK, 2026, 10, 30, 16, 30), answer=done_at_once)
    sim.run_until(at(NEW_YORK, 2026, 11, 2, 9, 30))
    sunday = [sim.local(e.at) for e in sim.events("prompt") if sim.local(e.at).day == 1]
    assert len(sunday) == 14
    assert [t.strftime("%H:%M") for t in sunday] == [
        "00:20", "00:40", "01:00", "01:20", "01:40", "01:00", "01:20", "01:40",
        "02:00", "02:20", "02:40", "03:00", "03:20", "03:40"]
    assert sim.shown()[0] == "Fri 16:50" and sim.shown()[-1] == "Mon 09:20"
    assert sim.events("prompt")[-1].at.astimezone(timezone.utc).hour == 14  # EST


def test_new_york_spring_forward_window_start_in_the_gap():
    # Sunday 8 March 2026 02:30 does not exist in New York: the window opens at 03:30.
    days = [()] * 7
    days[6] = hours("02:30-05:00")
    st = settings("America/New_York", days=tuple(days))
    sim = Sim(st, at(NEW_YORK, 2026, 3, 7, 12, 0), answer=done_at_once)
    sim.run_until(at(NEW_YORK, 2026, 3, 8, 6, 0))
    assert sim.shown() == ["Sun 03:50", "Sun 04:10", "Sun 04:30", "Sun 04:50"]


# --- suspend and clock jumps --------------------------------------------------------------

def test_two_hour_suspend_gives_one_prompt_after_resume_and_suppresses_the_rest():
    st = settings()
    sleep = (at(BERLIN, 2026, 11, 23, 10, 25), at(BERLIN, 2026, 11, 23, 12, 25))
    sim = Sim(st, at(BERLIN, 2026, 11, 23, 8, 0), asleep=[sleep], answer=done_at_once)
    sim.run_until(at(BERLIN, 2026, 11, 23, 13, 30))
    assert sim.shown() == grid("09:20", "10:20") + ["Mon 12:25", "Mon 12:45", "Mon 13:05",
                                                    "Mon 13:25"]
    assert sim.suppressed() == [("Mon 10:40", "suspended"), ("Mon 11:00", "suspended"),
                                ("Mon 11:20", "suspended"), ("Mon 11:40", "suspended"),
                                ("Mon 12:00", "suspended")]
    late = sim.events("prompt")[4]
    assert late.due == at(BERLIN, 2026, 11, 23, 12, 20)


def test_overnight_suspend_past_the_window_end_gives_no_prompt_at_night():
    st = settings()
    sleep = (at(BERLIN, 2026, 11, 23, 16, 45), at(BERLIN, 2026, 11, 23, 17, 10))
    sim = Sim(st, at(BERLIN, 2026, 11, 23, 16, 0), asleep=[sleep], answer=done_at_once)
    sim.run_until(at(BERLIN, 2026, 11, 24, 9, 30))
    assert sim.shown() == ["Mon 16:20", "Mon 16:40", "Tue 09:20"]
    assert sim.suppressed() == []  # 17:00 is not inside the window: nothing was due


def test_late_tick_outside_hours_is_suppressed_not_shown():
    st = settings(interval_minutes=30)
    sleep = (at(BERLIN, 2026, 11, 23, 16, 31), at(BERLIN, 2026, 11, 23, 17, 5))
    sim = Sim(st, at(BERLIN, 2026, 11, 23, 16, 0), poll=None, asleep=[sleep],
              answer=done_at_once)
    sim.run_until(at(BERLIN, 2026, 11, 23, 20, 0))
    # 16:30 shown and answered at 16:30; 16:59:59 would not fit; nothing else
    assert sim.shown() == ["Mon 16:30"]
    # due 16:50, woken at 17:10: less than an interval late, but the window has closed
    sleep = (at(BERLIN, 2026, 11, 23, 16, 45), at(BERLIN, 2026, 11, 23, 17, 10))
    sim = Sim(st, at(BERLIN, 2026, 11, 23, 15, 50), poll=None, asleep=[sleep],
              answer=done_at_once)
    sim.run_until(at(BERLIN, 2026, 11, 23, 20, 0))
    assert sim.shown() == ["Mon 16:20"]
    assert sim.suppressed() == [("Mon 16:50", "outside-hours")]


def test_clock_jumping_back_does_not_push_the_next_prompt_away():
    st = settings()
    state = policy.initial_state(at(BERLIN, 2026, 11, 23, 10, 0))
    state, ev = policy.on_tick(st, state, at(BERLIN, 2026, 11, 23, 10, 20), 0.0)
    assert [e.kind for e in ev] == ["prompt"]
    state, ev = policy.on_tick(st, state, at(BERLIN, 2026, 11, 23, 9, 20), 0.0)
    assert [e.kind for e in ev] == ["clock"]
    assert policy.next_due(st, state, at(BERLIN, 2026, 11, 23, 9, 20)).when == at(
        BERLIN, 2026, 11, 23, 9, 40)


def test_clock_jumping_forward_shows_at_most_one_prompt():
    st = settings()
    state = policy.initial_state(at(BERLIN, 2026, 11, 23, 9, 0))
    state, ev = policy.on_tick(st, state, at(BERLIN, 2026, 11, 23, 15, 5), 0.0)
    assert [e.kind for e in ev].count("prompt") == 1
    assert [e.reason for e in ev if e.kind == "suppressed"] == ["suspended"] * 17


# --- natural breaks -----------------------------------------------------------------------

def lunch(start, end):
    return lambda t: (t - start).total_seconds() if start <= t < end else 0.0


def test_45_minute_lunch_away_from_the_keyboard():
    st = settings()
    away = (at(BERLIN, 2026, 11, 23, 12, 5), at(BERLIN, 2026, 11, 23, 12, 50))
    sim = Sim(st, at(BERLIN, 2026, 11, 23, 8, 0), idle=lunch(*away), answer=done_at_once)
    sim.run_until(at(BERLIN, 2026, 11, 23, 14, 0))
    assert sim.shown() == grid("09:20", "12:00") + ["Mon 13:10", "Mon 13:30", "Mon 13:50"]
    assert sim.away() == ["Mon 12:20"]  # the prompt that fell due while away
    assert sim.suppressed() == [("Mon 12:40", "idle")]  # later ones in the same absence
    back = sim.events("back")
    assert len(back) == 1 and sim.local(back[0].at).strftime("%H:%M") == "12:50"
    assert back[0].detail == "away 45 min: a natural break"
    after = sim.events("prompt")[-3]
    assert after.detail == "20 min after you came back at 12:50"


def test_short_absence_below_the_threshold_changes_nothing():
    st = settings()
    idle = lunch(at(BERLIN, 2026, 11, 23, 10, 21), at(BERLIN, 2026, 11, 23, 10, 25))
    sim = Sim(st, at(BERLIN, 2026, 11, 23, 8, 0), idle=idle, answer=done_at_once)
    sim.run_until(at(BERLIN, 2026, 11, 23, 11, 10))
    assert sim.shown() == grid("09:20", "11:00")
    assert sim.events("back") == []


def test_natural_break_restarts_the_interval_even_without_a_missed_prompt():
    st = settings()
    idle = lunch(at(BERLIN, 2026, 11, 23, 9, 25), at(BERLIN, 2026, 11, 23, 9, 38))
    sim = Sim(st, at(BERLIN, 2026, 11, 23, 8, 0), idle=idle, answer=done_at_once)
    sim.run_until(at(BERLIN, 2026, 11, 23, 10, 30))
    assert sim.shown() == ["Mon 09:20", "Mon 09:58", "Mon 10:18"]
    assert sim.away() == [] and sim.suppressed() == []


def test_no_prompt_while_away_and_status_says_so():
    st = settings()
    state = policy.initial_state(at(BERLIN, 2026, 11, 23, 9, 0))
    now = at(BERLIN, 2026, 11, 23, 9, 30)
    state, ev = policy.on_tick(st, state, now, 25 * 60.0)
    assert [e.kind for e in ev] == ["away"]
    assert policy.describe(st, state, now) == "you are away (since 09:05)"
    assert policy.next_due(st, state, now).when is None


def test_unknown_idle_time_never_marks_the_user_away():
    sim = Sim(settings(), at(BERLIN, 2026, 11, 23, 8, 0), idle=lambda t: None,
              answer=done_at_once)
    sim.run_until(at(BERLIN, 2026, 11, 23, 10, 0))
    assert sim.shown() == grid("09:20", "09:40") and sim.away() == []


# --- snooze, skip, pause ------------------------------------------------------------------

def test_snooze_twice_then_refused():
    st = settings()
    sim = Sim(st, at(BERLIN, 2026, 11, 23, 9, 0))
    sim.act(at(BERLIN, 2026, 11, 23, 9, 20), "snooze")
    sim.act(at(BERLIN, 2026, 11, 23, 9, 25), "snooze")
    sim.act(at(BERLIN, 2026, 11, 23, 9, 31), "snooze")  # a third snooze counts as a skip
    sim.run_until(at(BERLIN, 2026, 11, 23, 10, 0))
    assert sim.shown() == ["Mon 09:20", "Mon 09:25", "Mon 09:30", "Mon 09:51"]
    outcomes = [(e.kind, e.reason, e.detail) for e in sim.events("outcome", "snooze-refused")]
    assert outcomes == [("outcome", "snoozed", "snooze 1 of 2"),
                        ("outcome", "snoozed", "snooze 2 of 2"),
                        ("snooze-refused", "", "no snooze left (2 used): skipped"),
                        ("outcome", "skipped", "snooze")]
    # the re-shown prompt is the same prompt
    assert all(e.prompt_id == sim.events("prompt")[0].prompt_id
               for e in sim.events("reprompt"))


def test_snoozed_prompt_status_and_next_due():
    st = settings(snooze_minutes=5)
    state = policy.initial_state(at(BERLIN, 2026, 11, 23, 9, 0))
    t = at(BERLIN, 2026, 11, 23, 9, 20)
    state, _ = policy.on_tick(st, state, t, 0.0)
    state, _ = policy.on_response(st, state, t, "snooze")
    later = at(BERLIN, 2026, 11, 23, 9, 22)
    assert policy.describe(st, state, later) == "snoozed, back in 3 min"
    due = policy.next_due(st, state, later)
    assert (due.when, due.what, due.why) == (at(BERLIN, 2026, 11, 23, 9, 25),
                                             "snoozed microbreak", "snoozed (1 of 2)")


def test_grid_time_falling_inside_a_snooze_is_suppressed_as_snoozed():
    st = settings(interval_minutes=5, snooze_minutes=8, max_snoozes=1)
    sim = Sim(st, at(BERLIN, 2026, 11, 23, 9, 0), poll=None)
    sim.act(at(BERLIN, 2026, 11, 23, 9, 5), "snooze")
    sim.act(at(BERLIN, 2026, 11, 23, 9, 13), "done")
    sim.run_until(at(BERLIN, 2026, 11, 23, 9, 20))
    assert sim.shown() == ["Mon 09:05", "Mon 09:13", "Mon 09:18"]
    assert sim.suppressed() == [("Mon 09:10", "snoozed")]


def test_snoozed_prompt_past_the_window_end_is_suppressed():
    st = settings()
    sim = Sim(st, at(BERLIN, 2026, 11, 23, 16, 0), poll=None)
    sim.act(at(BERLIN, 2026, 11, 23, 16, 58), "snooze")
    sim.run_until(at(BERLIN, 2026, 11, 23, 18, 0))
    assert sim.shown() == ["Mon 16:20", "Mon 16:40"]
    assert sim.suppressed() == [("Mon 17:03", "outside-hours")]
    assert sim.state.current_prompt is None


def test_busy_suppresses_due_times_as_do_not_disturb():
    st = settings()
    state = policy.initial_state(at(BERLIN, 2026, 11, 23, 9, 0))
    state, ev = policy.on_tick(st, state, at(BERLIN, 2026, 11, 23, 9, 20), 0.0,
                               busy="rehab batch 'knees' in progress")
    assert [(e.kind, e.reason, e.detail) for e in ev] == [
        ("suppressed", "do-not-disturb", "rehab batch 'knees' in progress")]
    state, _ = policy.on_break_taken(st, state, at(BERLIN, 2026, 11, 23, 9, 31),
                                     "your rehab batch")
    due = policy.next_due(st, state, at(BERLIN, 2026, 11, 23, 9, 31))
    assert (due.when, due.why) == (at(BERLIN, 2026, 11, 23, 9, 51),
                                   "20 min after your rehab batch at 09:31")


def test_skip_restarts_the_interval():
    sim = Sim(settings(), at(BERLIN, 2026, 11, 23, 9, 0), poll=None)
    sim.act(at(BERLIN, 2026, 11, 23, 9, 27), "skip")
    sim.run_until(at(BERLIN, 2026, 11, 23, 10, 0))
    assert sim.shown() == ["Mon 09:20", "Mon 09:47"]
    assert [e.reason for e in sim.events("outcome")] == ["skipped"]


def test_pause_until_tomorrow():
    st = settings()
    sim = Sim(st, at(BERLIN, 2026, 11, 23, 9, 0), answer=done_at_once)
    sim.act(at(BERLIN, 2026, 11, 23, 10, 5), "pause:-1")
    sim.run_until(at(BERLIN, 2026, 11, 23, 12, 0))
    assert policy.describe(st, sim.state, sim.now) == "paused for the rest of the day"
    due = policy.next_due(st, sim.state, sim.now)
    assert due.when == at(BERLIN, 2026, 11, 24, 9, 20)
    sim.run_until(at(BERLIN, 2026, 11, 24, 10, 0))
    assert sim.shown() == ["Mon 09:20", "Mon 09:40", "Mon 10:00", "Tue 09:20", "Tue 09:40"]
    assert sim.suppressed() == [(t, "paused") for t in grid("10:20", "16:40")]
    assert [e.kind for e in sim.events("pause-ended")] == ["pause-ended"]


def test_pause_30_minutes_keeps_the_rhythm_and_resume_ends_it_early():
    st = settings()
    sim = Sim(st, at(BERLIN, 2026, 11, 23, 9, 0), answer=done_at_once)
    sim.act(at(BERLIN, 2026, 11, 23, 9, 30), "pause:30")
    sim.run_until(at(BERLIN, 2026, 11, 23, 9, 45))
    assert policy.describe(st, sim.state, sim.now) == "paused until 10:00"
    assert policy.next_due(st, sim.state, sim.now).when == at(BERLIN, 2026, 11, 23, 10, 0)
    sim.run_until(at(BERLIN, 2026, 11, 23, 10, 30))
    assert sim.shown() == ["Mon 09:20", "Mon 10:00", "Mon 10:20"]
    assert sim.suppressed() == [("Mon 09:40", "paused")]

    sim = Sim(st, at(BERLIN, 2026, 11, 23, 9, 0), answer=done_at_once)
    sim.act(at(BERLIN, 2026, 11, 23, 9, 30), "pause:60")
    sim.act(at(BERLIN, 2026, 11, 23, 9, 50), "resume")
    sim.run_until(at(BERLIN, 2026, 11, 23, 10, 30))
    assert sim.shown() == ["Mon 09:20", "Mon 10:00", "Mon 10:20"]
    assert sim.suppressed() == [("Mon 09:40", "paused")]


def test_pause_drops_a_snooze():
    st = settings()
    sim = Sim(st, at(BERLIN, 2026, 11, 23, 9, 0), poll=None)
    sim.act(at(BERLIN, 2026, 11, 23, 9, 20), "snooze")
    sim.act(at(BERLIN, 2026, 11, 23, 9, 21), "pause:30")
    sim.run_until(at(BERLIN, 2026, 11, 23, 10, 10))
    assert sim.shown() == ["Mon 09:20", "Mon 10:00"]
    assert sim.suppressed() == [("Mon 09:40", "paused")]


def test_take_a_break_now_works_even_outside_hours():
    st = settings()
    state = policy.initial_state(at(BERLIN, 2026, 11, 28, 11, 0))  # Saturday
    state, ev = policy.on_prompt_now(st, state, at(BERLIN, 2026, 11, 28, 11, 5))
    assert [(e.kind, e.detail) for e in ev] == [("prompt", "you asked for a break")]
    state, ev = policy.on_response(st, state, at(BERLIN, 2026, 11, 28, 11, 6), "too-hard")
    assert [(e.kind, e.reason) for e in ev] == [("outcome", "done")]


def test_response_without_a_prompt_changes_nothing_and_bad_input_is_refused():
    st = settings()
    state = policy.initial_state(at(BERLIN, 2026, 11, 23, 9, 0))
    assert policy.on_response(st, state, at(BERLIN, 2026, 11, 23, 9, 1), "done") == (state, [])
    with pytest.raises(ValueError):
        policy.on_response(st, state, at(BERLIN, 2026, 11, 23, 9, 1), "maybe")
    with pytest.raises(ValueError):
        policy.on_pause(st, state, at(BERLIN, 2026, 11, 23, 9, 1), 0)
    with pytest.raises(ValueError):
        policy.next_due(st, state, at(BERLIN, 2026, 11, 23, 9, 1).replace(tzinfo=None))


# --- a whole week -------------------------------------------------------------------------

def test_a_whole_week_with_lunches_a_suspend_and_a_pause():
    st = settings()
    start = at(BERLIN, 2026, 3, 23, 7, 0)  # Monday before the spring DST change
    lunches = [(at(BERLIN, 2026, 3, 23 + d, 12, 5), at(BERLIN, 2026, 3, 23 + d, 12, 50))
               for d in range(5)]

    def idle(t):
        for a, b in lunches:
            if a <= t < b:
                return (t - a).total_seconds()
        return 0.0

    sleep = [(at(BERLIN, 2026, 3, 25, 14, 5), at(BERLIN, 2026, 3, 25, 16, 5))]  # Wednesday
    sim = Sim(st, start, idle=idle, asleep=sleep, answer=done_at_once)
    sim.act(at(BERLIN, 2026, 3, 26, 15, 0), "pause:-1")  # Thursday afternoon off
    sim.run_until(at(BERLIN, 2026, 3, 30, 9, 30))  # Monday after the DST change
    per_day = {}
    for t in sim.shown():
        per_day[t[:3]] = per_day.get(t[:3], 0) + 1
    # a lunch day: 09:20..12:00, nothing while away, then 13:10..16:50 (back at 12:50)
    day = grid("09:20", "12:00") + ["13:10", "13:30", "13:50", "14:10", "14:30", "14:50",
                                    "15:10", "15:30", "15:50", "16:10", "16:30", "16:50"]
    mon = [t for t in sim.shown() if t.startswith("Mon")]
    assert mon[:len(day)] == [f"Mon {x[-5:]}" for x in day]
    assert per_day["Tue"] == len(day)
    # Wednesday: asleep 14:05-16:05: one prompt at 16:05, the rest suppressed
    wed_supp = [t for t, r in sim.suppressed() if t.startswith("Wed")]
    assert [r for t, r in sim.suppressed() if t.startswith("Wed")] == [
        "idle", "suspended", "suspended", "suspended", "suspended", "suspended"]
    assert "Wed 16:05" in sim.shown()
    assert wed_supp[0] == "Wed 12:40"
    # Thursday: paused from 15:00 for the rest of the day
    thu = [t for t in sim.shown() if t.startswith("Thu")]
    assert thu[-1] == "Thu 14:50"
    assert [t for t, r in sim.suppressed() if r == "paused"] == [
        "Thu 15:10", "Thu 15:30", "Thu 15:50", "Thu 16:10", "Thu 16:30", "Thu 16:50"]
    assert per_day["Fri"] == len(day)
    assert "Sat" not in per_day and "Sun" not in per_day
    assert sim.away() == [f"{d} 12:20" for d in ("Mon", "Tue", "Wed", "Thu", "Fri")]
    assert sim.shown()[-1] == "Mon 09:20"


# --- preview ------------------------------------------------------------------------------

def test_upcoming_lists_the_days_prompts_and_honours_a_pause():
    st = settings()
    now = at(BERLIN, 2026, 11, 23, 16, 5)
    state = policy.initial_state(at(BERLIN, 2026, 11, 23, 16, 0))
    ups = policy.upcoming(st, state, now, now + timedelta(days=1))
    assert [u.when.strftime("%a %H:%M") for u in ups][:3] == ["Mon 16:20", "Mon 16:40",
                                                               "Tue 09:20"]
    assert len(ups) == 2 + 21 and ups[-1].when == at(BERLIN, 2026, 11, 24, 16, 0)
    state, _ = policy.on_pause(st, state, now, 60)
    ups = policy.upcoming(st, state, now, now + timedelta(hours=20))
    assert ups[0].when.strftime("%a %H:%M") == "Tue 09:20"


def test_round_the_clock_hours_never_stop_prompting():
    days = (hours("00:00-24:00"),) * 7
    st = settings(days=days)
    sim = Sim(st, at(BERLIN, 2026, 11, 27, 23, 0), poll=None, answer=done_at_once)
    sim.run_until(at(BERLIN, 2026, 11, 28, 0, 50))
    assert sim.shown() == ["Fri 23:20", "Fri 23:40", "Sat 00:00", "Sat 00:20", "Sat 00:40"]
    assert policy.describe(st, sim.state, sim.now) == "next break in 10 min"
    ups = policy.upcoming(st, sim.state, sim.now, sim.now + timedelta(days=31))
    assert len(ups) == 31 * 72

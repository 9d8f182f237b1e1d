"""The agent's use cases with fakes: an injected clock, notifier and idle monitor, and the
in-memory history store. Whole simulated days assert what the user saw and what was
recorded."""

import json
import threading
from datetime import date, datetime, timedelta, timezone

import pytest
from fakes import MemoryStore
from freezegun import freeze_time
from policy_sim import BERLIN, at

from mobes import bootstrap
from mobes.adapters import agent_status
from mobes.adapters.catalog_file import builtin
from mobes.domain.settings import Microbreaks, Plan, PlanItem, Rehab, Settings, WorkHours
from mobes.services.agent import App

UTC = timezone.utc
CAT = builtin()


class Clock:
    def __init__(self, t):
        self.t = t

    def now(self):
        return self.t


class Notes:
    """Records notifications; ``fail`` makes delivery fail."""

    def __init__(self, fail=False):
        self.sent = []
        self.fail = fail

    def notify(self, title, message, timeout_seconds):
        self.sent.append((title, message, timeout_seconds))
        return not self.fail


class Idle:
    def __init__(self, fn=lambda t: 0.0, clock=None):
        self.fn, self.clock, self.calls = fn, clock, 0

    def idle_seconds(self):
        self.calls += 1
        return self.fn(self.clock.t)


class Reloader:
    def __init__(self, settings):
        self.settings = settings
        self.next = None
        self.checks = 0

    def check(self):
        self.checks += 1
        if self.next is not None:
            self.settings, self.next = self.next, None
            return True
        return False


def berlin_settings(**kw):
    return Settings(work=WorkHours(timezone="Europe/Berlin"), microbreaks=Microbreaks(**kw))


class World:
    """An App and a stand-in for the runtime: ticks at the app's next wakeup and every 30 s
    (the idle poll), over simulated time."""

    def __init__(self, start, settings=None, idle=None, notes=None, store=None, **app_kw):
        self.clock = Clock(start)
        self.store = store or MemoryStore()
        self.notes = notes or Notes()
        self.reloader = Reloader(settings or berlin_settings())
        self.idle = Idle(idle, self.clock) if idle is not None else Idle(clock=self.clock)
        self.said = []
        if "status_file" in app_kw:  # the agent.json writer the composition root passes
            app_kw["write_status"] = bootstrap.status_writer(app_kw.pop("status_file"))
        if "opener" in app_kw:
            app_kw["open_config"] = bootstrap.config_opener(app_kw.pop("opener"))
        self.app = App(self.reloader, CAT, self.store, self.notes, self.idle, self.clock,
                       say=self.said.append, **app_kw)
        self.answers = {}  # prompt number -> action

    def run_until(self, end, poll=30, on_prompt=None):
        end = end.astimezone(UTC)
        while True:
            t = self.clock.t.astimezone(UTC)
            nxt = t + timedelta(seconds=poll)
            w = self.app.next_wakeup()
            if w is not None and w.astimezone(UTC) < nxt:
                nxt = max(w.astimezone(UTC), t + timedelta(milliseconds=1))
            if nxt >= end:
                break
            self.clock.t = nxt.astimezone(BERLIN)
            before = len(self.notes.sent)
            self.app.tick()
            if on_prompt and len(self.notes.sent) > before and self.app.current_prompt():
                on_prompt(self)
        self.clock.t = end.astimezone(BERLIN)

    def shown(self):
        return [p.at.astimezone(BERLIN).strftime("%H:%M")
                for p in self.store.prompts(kind="microbreak") if p.movement_ids]


def answer(action):
    return lambda w: w.app.respond(action)


# --- a day at work ----------------------------------------------------------------------

def test_a_workday_prompts_rotating_movements_with_dose_and_cue():
    w = World(at(BERLIN, 2026, 11, 23, 8, 0))
    w.run_until(at(BERLIN, 2026, 11, 23, 18, 0), on_prompt=answer("done"))
    prompts = w.store.prompts(kind="microbreak")
    assert [p.at.astimezone(BERLIN).strftime("%H:%M") for p in prompts][:3] == [
        "09:20", "09:40", "10:00"]
    assert len(prompts) == 23
    assert all(p.outcome == "done" for p in prompts)
    # rotation: no movement twice in a row, several body regions in a day
    ids = [p.movement_ids[0] for p in prompts]
    assert all(a != b for a, b in zip(ids, ids[1:]))
    assert len({r for i in ids for r in CAT.get(i).regions}) >= 6
    # each notification names the movement, gives the dose, the cue and the short caution
    # with the stop-on-pain rule, and expires
    title, body, timeout = w.notes.sent[0]
    m = CAT.get(ids[0])
    assert title == f"Microbreak: {m.name}"
    assert body == (f"{m.dose.describe(prompts[0].amounts[0])}: {m.cue}\n"
                    f"Caution: {m.caution_short} Pain means stop: answer Pain.")
    assert timeout == 45
    assert "20 min after the working window opened at 09:00" in prompts[0].why
    # done = feedback "ok" in the microbreak context, per movement
    fb = w.store.feedback()
    assert len(fb) == 23 and {(f.context, f.feedback, f.source) for f in fb} == {
        ("microbreak", "ok", "prompt")}
    assert w.store.suppressed() == []


def test_idle_is_polled_only_in_working_hours():
    w = World(at(BERLIN, 2026, 11, 23, 17, 30))
    w.run_until(at(BERLIN, 2026, 11, 24, 8, 30))
    assert w.idle.calls == 0
    w.run_until(at(BERLIN, 2026, 11, 24, 9, 30))
    assert w.idle.calls == 60  # every 30 s from 09:00


def test_lunch_away_from_the_keyboard_is_recorded_as_away_and_idle():
    lunch = (at(BERLIN, 2026, 11, 23, 12, 5), at(BERLIN, 2026, 11, 23, 12, 50))

    def idle(t):
        return (t - lunch[0]).total_seconds() if lunch[0] <= t < lunch[1] else 0.0

    w = World(at(BERLIN, 2026, 11, 23, 11, 30), idle=idle)
    w.run_until(at(BERLIN, 2026, 11, 23, 13, 35), on_prompt=answer("done"))
    assert w.shown() == ["11:50", "13:10", "13:30"]
    prompts = w.store.prompts(kind="microbreak")
    got = [(p.at.astimezone(BERLIN).strftime("%H:%M"), p.outcome) for p in prompts]
    assert got == [("11:50", "done"), ("12:10", "away"), ("13:10", "done"),
                   ("13:30", "done")]
    assert [(s.at.astimezone(BERLIN).strftime("%H:%M"), s.reason)
            for s in w.store.suppressed()] == [("12:30", "idle")]
    assert len(w.notes.sent) == 3  # nothing was shown while away


def test_a_two_hour_suspend_records_suspended_and_shows_one_prompt():
    w = World(at(BERLIN, 2026, 11, 23, 9, 0))
    w.run_until(at(BERLIN, 2026, 11, 23, 10, 25), on_prompt=answer("done"))
    w.clock.t = at(BERLIN, 2026, 11, 23, 12, 25)  # the machine slept; one late tick
    w.app.tick()
    assert [s.reason for s in w.store.suppressed()] == ["suspended"] * 5
    assert w.shown() == ["09:20", "09:40", "10:00", "10:20", "12:25"]
    assert len(w.notes.sent) == 5


# --- answers -----------------------------------------------------------------------------

def _prompted():
    w = World(at(BERLIN, 2026, 11, 23, 9, 0))
    w.run_until(at(BERLIN, 2026, 11, 23, 9, 20, 10))
    assert w.app.current_prompt() is not None
    return w


def test_too_hard_switches_to_the_easier_variant_and_pain_rests_the_movement():
    # Corrected rule (issue 14): too hard first switches to the easier variant (the next
    # prompt of that movement shows the easier cue); pain is recorded as pain, not done.
    w = _prompted()
    view = w.app.current_prompt()
    mid = view.movement_ids[0]
    said = w.app.respond("too-hard")
    assert said.startswith("Done (too-hard).")
    assert w.app.current_prompt() is None
    out = w.store.outcomes()
    assert [(o.outcome, o.movement_id, o.feedback) for o in out] == [("done", mid, "too-hard")]
    kinds = [c.kind for c in w.store.dose_changes(mid, "microbreak")]
    assert kinds == ["easier"] and "switching to the easier variant" in said
    # the next prompt, then pain: recorded as pain; the movement rests for 48 h
    w.run_until(at(BERLIN, 2026, 11, 23, 9, 41))
    prompt = w.app.current_prompt()
    hurt = prompt.movement_ids[0]
    said = w.app.respond("pain")
    assert said.startswith("Pain: stopped, recorded as pain")
    assert "talk to your therapist or caregiver" in said
    assert w.store.prompts()[-1].outcome == "pain"
    assert any(c.kind == "rest" for c in w.store.dose_changes(hurt))
    w.run_until(at(BERLIN, 2026, 11, 23, 17, 0), on_prompt=answer("done"))
    later = [p.movement_ids[0] for p in w.store.prompts(kind="microbreak")][2:]
    assert hurt not in later and len(later) > 10


def test_after_too_hard_the_prompt_shows_the_easier_cue():
    settings = Settings(work=WorkHours(timezone="Europe/Berlin"),
                        microbreaks=Microbreaks(movement_set="pair", no_repeat_within=1),
                        sets=(("pair", ("wrist-circles", "neck-circles")),))
    w = World(at(BERLIN, 2026, 11, 23, 9, 0), settings=settings)
    w.run_until(at(BERLIN, 2026, 11, 23, 9, 21))
    mid = w.app.current_prompt().movement_ids[0]
    before = w.store.prompts()[0].amounts[0]
    w.app.respond("too-hard")
    w.run_until(at(BERLIN, 2026, 11, 23, 10, 21), on_prompt=answer("skip"))
    m = CAT.get(mid)
    titles = [(t, b) for t, b, _ in w.notes.sent if t.startswith(f"Microbreak: {m.name}")]
    assert titles[0][0] == f"Microbreak: {m.name}" and m.cue in titles[0][1]
    assert titles[1][0] == f"Microbreak: {m.name} (easier)"
    assert titles[1][1].startswith(f"{m.dose.describe(before)}: {m.easier}")
    assert f"Caution: {m.caution_short}" in titles[1][1]


def test_snooze_twice_then_the_third_counts_as_skipped():
    w = _prompted()
    assert w.app.current_prompt().snoozes_left == 2
    assert w.app.respond("snooze") == "Snoozed for 5 min (snooze 1 of 2)."
    w.run_until(at(BERLIN, 2026, 11, 23, 9, 25, 30))
    assert w.notes.sent[-1][0].endswith("(again)")
    w.app.respond("snooze")
    w.run_until(at(BERLIN, 2026, 11, 23, 9, 30, 30))
    view = w.app.current_prompt()
    assert view.snoozes_left == 0 and "snooze" not in [k for k, _ in view.actions]
    said = w.app.respond("snooze")
    assert said.startswith("No snooze left")
    assert [o.outcome for o in w.store.outcomes()] == ["snoozed", "snoozed", "skipped"]
    assert w.store.prompts()[0].outcome == "skipped"
    assert len(w.store.prompts()) == 1  # re-showing is the same prompt


def test_answer_without_a_prompt_and_unknown_answer():
    w = World(at(BERLIN, 2026, 11, 23, 9, 0))
    assert w.app.respond("done") == "there is no prompt to answer"
    assert w.app.respond("maybe") == "unknown answer 'maybe'"
    assert w.store.outcomes() == []


def test_take_a_break_now_on_a_saturday():
    w = World(at(BERLIN, 2026, 11, 28, 11, 0))
    w.app.take_break_now()
    view = w.app.current_prompt()
    assert view is not None and view.title.startswith("Microbreak: ")
    assert w.store.prompts()[0].why.startswith("you asked for a break")
    w.app.respond("skip")
    assert w.store.prompts()[0].outcome == "skipped"


# --- pause, status ------------------------------------------------------------------------

def test_pause_for_the_rest_of_the_day_and_status_text():
    w = World(at(BERLIN, 2026, 11, 23, 9, 0))
    w.run_until(at(BERLIN, 2026, 11, 23, 10, 5), on_prompt=answer("done"))
    assert w.app.status_text() == "next break in 15 min"
    assert w.app.pause(-1) == "paused for the rest of the day"
    assert w.app.is_paused()
    w.run_until(at(BERLIN, 2026, 11, 23, 23, 0), on_prompt=answer("done"))
    assert len(w.notes.sent) == 3
    assert {s.reason for s in w.store.suppressed()} == {"paused"}
    assert len(w.store.suppressed()) == 20
    assert w.app.status_text() == "paused for the rest of the day"
    w.run_until(at(BERLIN, 2026, 11, 24, 0, 1))
    assert not w.app.is_paused()
    assert w.app.status_text() == "outside working hours until 09:00"
    w.run_until(at(BERLIN, 2026, 11, 24, 9, 30), on_prompt=answer("done"))
    assert w.shown()[-1] == "09:20"


def test_pause_an_hour_then_resume():
    w = World(at(BERLIN, 2026, 11, 23, 9, 0))
    w.run_until(at(BERLIN, 2026, 11, 23, 9, 30), on_prompt=answer("done"))
    assert w.app.pause(60) == "paused until 10:30"
    w.run_until(at(BERLIN, 2026, 11, 23, 9, 50))
    assert w.app.resume() == "next break in 10 min"
    assert not w.app.is_paused()
    w.run_until(at(BERLIN, 2026, 11, 23, 10, 1), on_prompt=answer("done"))
    assert w.shown() == ["09:20", "10:00"]
    assert [s.reason for s in w.store.suppressed()] == ["paused"]


def test_subscribers_hear_about_changes_and_status_file_follows(tmp_path):
    path = str(tmp_path / "agent.json")
    w = World(at(BERLIN, 2026, 11, 23, 9, 0), status_file=path)
    calls = []
    w.app.subscribe(lambda: calls.append(w.app.status_text()))
    w.app.pause(30)
    assert calls == ["paused until 09:30"]
    data = json.load(open(path))
    assert data["paused"] is True and data["paused_until"].startswith("2026-11-23T09:30")
    assert data["status"] == "paused until 09:30"
    state = agent_status.state_from_dict(data["state"])
    assert state == w.app.state
    w.app.resume()
    w.run_until(at(BERLIN, 2026, 11, 23, 9, 20, 1))
    data = json.load(open(path))
    assert data["current"]["kind"] == "microbreak"
    assert data["current"]["actions"] == ["done", "too-hard", "too-easy", "pain", "skip",
                                          "snooze"]
    assert len(calls) == 3


# --- adapters failing ---------------------------------------------------------------------

def test_unknown_idle_time_is_said_once_and_polling_stops():
    class Known:  # like idle.UnknownIdle: it knows from the start
        reason = "there is no display (DISPLAY is not set)"
        calls = 0

        def idle_seconds(self):
            Known.calls += 1
            return None

    class Lost:  # worked, then the X server went away
        reason = ""
        calls = 0

        def idle_seconds(self):
            Lost.calls += 1
            self.reason = "the X server stopped answering"
            return None

    clock = Clock(at(BERLIN, 2026, 11, 23, 9, 0))
    said = []
    apps = [App(Reloader(berlin_settings()), CAT, MemoryStore(), Notes(), mon, clock,
                say=said.append) for mon in (Known(), Lost())]
    for _ in range(5):
        clock.t += timedelta(seconds=30)
        for app in apps:
            app.tick()
    assert (Known.calls, Lost.calls) == (0, 1)
    assert said == [
        "idle time cannot be read (there is no display (DISPLAY is not set)): natural "
        "breaks and away detection are off",
        "idle time cannot be read (the X server stopped answering): natural breaks and "
        "away detection are off"]
    App(Reloader(berlin_settings()), CAT, MemoryStore(), Notes(), None, clock,
        say=said.append)
    assert said[-1] == ("idle time cannot be read here: natural breaks and away detection "
                        "are off")


def test_a_notifier_that_raises_does_not_stop_the_agent():
    class Broken:
        def notify(self, *a):
            raise RuntimeError("bus gone")

    clock = Clock(at(BERLIN, 2026, 11, 23, 9, 20))
    said = []
    store = MemoryStore()
    app = App(Reloader(berlin_settings()), CAT, store, Broken(), None, clock, say=said.append)
    clock.t = at(BERLIN, 2026, 11, 23, 9, 40)
    app.tick()
    assert len(store.prompts()) == 1
    assert "notification failed: bus gone" in said


def test_config_reload_changes_the_interval(tmp_path):
    path = str(tmp_path / "agent.json")
    w = World(at(BERLIN, 2026, 11, 23, 9, 0), status_file=path)
    heard = []
    w.app.subscribe(lambda: heard.append(1))
    w.run_until(at(BERLIN, 2026, 11, 23, 9, 25), on_prompt=answer("done"))
    assert json.load(open(path))["next"]["time"] == "09:40"
    w.reloader.next = berlin_settings(interval_minutes=10)
    n = len(heard)
    w.app.tick()  # the poll that notices the changed file
    assert json.load(open(path))["next"]["time"] == "09:30"
    assert len(heard) == n + 1  # the tray and the runtime hear about it
    w.run_until(at(BERLIN, 2026, 11, 23, 10, 0), on_prompt=answer("done"))
    assert w.shown() == ["09:20", "09:30", "09:40", "09:50"]


def test_entry_points_are_safe_from_several_threads():
    w = World(at(BERLIN, 2026, 11, 23, 9, 0))
    errors = []

    def hammer(fn):
        try:
            for _ in range(50):
                fn()
        except Exception as e:  # pragma: no cover - the assertion shows it
            errors.append(e)

    def ticker():
        w.clock.t += timedelta(seconds=7)
        w.app.tick()

    threads = [threading.Thread(target=hammer, args=(f,)) for f in (
        ticker, w.app.take_break_now, lambda: w.app.respond("done"), w.app.status_text,
        w.app.current_prompt, lambda: w.app.respond("snooze"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    # every answered prompt has a consistent record
    for p in w.store.prompts():
        assert p.movement_ids


def test_real_clock_under_freezegun():
    store = MemoryStore()
    with freeze_time("2026-11-23 08:19:30", tz_offset=0) as frozen:  # 09:19:30 in Berlin
        app = App(Reloader(berlin_settings()), CAT, store, Notes(), None,
                  lambda: datetime.now(UTC), say=lambda s: None)
        frozen.move_to("2026-11-23 08:39:31")
        app.tick()
    assert [p.at.astimezone(BERLIN).strftime("%H:%M:%S") for p in store.prompts()] == [
        "09:39:31"]


# --- rehab -------------------------------------------------------------------------------

PLAN = Plan(name="knees", items=(PlanItem("spinal-twist", reps=30),), sets=2,
            times=("08:00",), start_date=date(2026, 11, 23), trial_days=0)


def rehab_settings():
    return Settings(work=WorkHours(timezone="Europe/Berlin"), rehab=Rehab(plans=(PLAN,)))


def test_rehab_reminder_at_the_plan_time_and_again():
    w = World(at(BERLIN, 2026, 11, 23, 7, 0), settings=rehab_settings())
    assert w.app.next_wakeup() == at(BERLIN, 2026, 11, 23, 8, 0)
    w.run_until(at(BERLIN, 2026, 11, 23, 8, 45))
    titles = [n[0] for n in w.notes.sent]
    assert titles == ["Rehab batch", "Rehab batch"]
    assert "knees" in w.notes.sent[0][1]
    assert w.app.rehab_plans() == ["knees"]


def test_tray_guided_rehab_batch_holds_microbreaks_back():
    w = World(at(BERLIN, 2026, 11, 23, 9, 0), settings=rehab_settings())
    w.clock.t = at(BERLIN, 2026, 11, 23, 9, 10)
    w.app.start_rehab_batch("knees")
    view = w.app.current_prompt()
    assert view.kind == "rehab-batch" and "set 1 of 2" in view.title
    assert w.app.status_text() == "rehab batch 'knees' in progress"
    w.run_until(at(BERLIN, 2026, 11, 23, 9, 21))  # 09:20 falls inside the batch
    assert [(s.reason, s.detail) for s in w.store.suppressed()] == [
        ("do-not-disturb", "rehab batch 'knees' in progress")]
    w.app.respond("done")  # set 1
    w.app.respond("done")  # set 2
    view = w.app.current_prompt()
    assert "how did it feel" in view.title
    w.app.respond("too-easy")
    assert w.app.current_prompt() is None
    batch = w.store.batches(kind="rehab")[-1]
    assert batch.status == "complete"
    assert [f.feedback for f in w.store.feedback()] == ["too-easy"]
    # the batch was a break: the interval restarts when it ends
    assert w.app.next_due().why.startswith("20 min after your rehab batch")
    assert w.app.start_rehab_batch("nope").startswith("no plan 'nope'")


def test_open_config_writes_the_template_and_opens_it(mobes_home):
    opened = []
    w = World(at(BERLIN, 2026, 11, 23, 9, 0), opener=opened.append)
    path = w.app.open_config()
    assert opened == [path] and path.startswith(str(mobes_home))
    assert "[microbreaks]" in open(path).read()


def test_quit_runs_the_quit_callbacks():
    w = World(at(BERLIN, 2026, 11, 23, 9, 0))
    done = []
    w.app.on_quit(lambda: done.append(1))
    w.app.quit()
    assert done == [1] and w.app.quitting.is_set()


@pytest.mark.parametrize("tz", ["Europe/Berlin", "America/New_York"])
def test_status_file_roundtrip_keeps_every_field(tz):
    from mobes.domain.policy import AgentState, OpenPrompt

    t = datetime(2026, 3, 29, 1, 59, tzinfo=UTC)
    st = AgentState(interval_anchor=t, anchor_note="x", last_prompt_at=t,
                    current_prompt=OpenPrompt(at=t, due=t, why="w", prompt_id=3,
                                              movement_ids=("a",), amounts=(4,)),
                    snoozes_for_current=1, snoozed_until=t, paused_at=t, paused_until=t,
                    pause_rest_of_day=True, away_since=t, away_recorded=True, last_tick=t)
    assert agent_status.state_from_dict(
        json.loads(json.dumps(agent_status.state_to_dict(st)))) == st


def test_rehab_reminders_read_the_history_only_when_one_can_be_due():
    class Counting(MemoryStore):
        reads = 0

        def batches(self, *a, **kw):
            Counting.reads += 1
            return super().batches(*a, **kw)

    w = World(at(BERLIN, 2026, 11, 23, 6, 0), settings=rehab_settings(), store=Counting())
    w.run_until(at(BERLIN, 2026, 11, 23, 7, 59))
    assert Counting.reads == 1  # once at the first tick, not every 30 s poll
    w.run_until(at(BERLIN, 2026, 11, 23, 8, 1))
    assert Counting.reads == 2 and w.notes.sent[-1][0] == "Rehab batch"


def test_delivery_follows_the_notifications_setting_and_the_mode():
    from mobes.domain.settings import Notifications
    from mobes.services.agent import Delivery

    desk, term = Notes(), Notes()
    source = Reloader(Settings())
    tray = Delivery(source, desk, term, console_always=False)
    assert tray.notify("Microbreak: A", "b", 45)
    assert (len(desk.sent), len(term.sent)) == (1, 0)
    source.settings = Settings(notifications=Notifications(enabled=False))
    tray.notify("Microbreak: A", "b", 45)  # turned off: tray menu and terminal only
    assert (len(desk.sent), len(term.sent)) == (1, 1)
    source.settings = Settings()
    desk.fail = True
    assert tray.notify("Microbreak: A", "b", 45)  # not delivered: the terminal shows it
    assert (len(desk.sent), len(term.sent)) == (2, 2)
    headless = Delivery(source, None, term, console_always=True)
    headless.notify("Microbreak: B", "c", 45)
    assert len(term.sent) == 3


def test_agent_offers_what_mobes_now_shows_in_the_same_minute():
    """`mobes now` promises the break the agent would give: same movement, same adapted
    dose, and never a movement resting after pain."""
    from mobes.commands.now import next_choice
    from mobes.services.feedback import give_feedback

    w = World(at(BERLIN, 2026, 11, 16, 10, 0, 20))  # a Monday, working hours
    w.run_until(at(BERLIN, 2026, 11, 16, 11, 30), on_prompt=lambda w: w.app.respond("done"))
    settings, now = w.reloader.settings, w.clock.now()
    hurt = next_choice(settings, CAT, w.store, now).movement_ids[0]
    give_feedback(w.store, CAT, settings, hurt, "microbreak", "pain", now)  # rests it
    nxt = next_choice(settings, CAT, w.store, now).movement_ids[0]
    assert nxt != hurt
    give_feedback(w.store, CAT, settings, nxt, "microbreak", "too-hard", now)  # easier
    give_feedback(w.store, CAT, settings, nxt, "microbreak", "too-hard", now)  # lowers dose
    expected = next_choice(settings, CAT, w.store, now)
    assert expected.movement_ids[0] == nxt
    assert expected.amounts[0] < CAT.get(nxt).dose.amount
    w.app.take_break_now()
    offered = w.store.prompts()[-1]
    assert (offered.movement_ids, offered.amounts) == (expected.movement_ids, expected.amounts)


def test_the_console_shows_every_caution_one_key_away():
    import io

    from mobes.ui.console import ConsoleUI

    w = _prompted()
    view = w.app.current_prompt()
    m = CAT.get(view.movement_ids[0])
    assert view.caution.startswith(m.caution_short) and view.cautions == m.cautions
    out = io.StringIO()
    ui = ConsoleUI(w.app, stdin=io.StringIO(""), stdout=out)
    assert ui.handle("c")
    assert "Cautions:" in out.getvalue() and m.cautions[0] in out.getvalue()
    status = w.app.status()["current"]
    assert status["caution"] == view.caution and status["cautions"] == list(m.cautions)

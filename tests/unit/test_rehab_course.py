"""A simulated two-week rehab course under freezegun: reminders every 5 minutes as the agent
would tick them, batches done (or not) through BatchSession, feedback, rests, retirement,
re-enabling, the one-sitting rule and the trial check-in, across the spring DST change.

Plan 'hip-back' (Europe/Paris, daily at 08:00, 1 set, trial 3 days):
  spinal-twist 50 reps (a mobilization: 25-75)    -> starts at 25
  table-hip-external-rotation 30 s x 4 (floor 10)  -> starts at 15 s
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from fakes import MemoryStore
from freezegun import freeze_time

from mobes.adapters.catalog_file import builtin
from mobes.domain.settings import Plan, PlanItem, Rehab, Settings, WorkHours
from mobes.services import feedback as fb
from mobes.services.rehab_course import checkin_due, checkins, record_checkin, tick_reminders
from mobes.services.rehab_session import BatchSession

PARIS = ZoneInfo("Europe/Paris")
SPINE, HIP = "spinal-twist", "table-hip-external-rotation"
PLAN = Plan(name="hip-back", items=(PlanItem(SPINE, reps=50),
                                    PlanItem(HIP, hold_seconds=30, holds=4)),
            sets=1, times=("08:00",), start_date=date(2026, 3, 23), trial_days=3)
SETTINGS = Settings(work=WorkHours(timezone="Europe/Paris"), rehab=Rehab(plans=(PLAN,)))
CAT = builtin()


def local(day, hm):
    h, m = map(int, hm.split(":"))
    return datetime(2026, day.month, day.day, h, m, tzinfo=PARIS)


class World:
    def __init__(self, frozen):
        self.frozen = frozen
        self.store = MemoryStore()
        self.reminders = []  # (date, local HH:MM, kind)
        self.log = []  # what the user was told

    def now(self):
        return datetime.now(PARIS)  # frozen

    def tick(self):
        for r in tick_reminders(self.store, SETTINGS, self.now()):
            t = self.now()
            self.reminders.append((t.date(), t.strftime("%H:%M"), r.kind))

    def live(self, day, events):
        """Tick every 5 minutes through ``day``; events {"HH:MM": fn} run before the tick."""
        t = local(day, "00:00")
        end = t + timedelta(days=1)
        while t < end:
            self.frozen.move_to(t)
            fn = events.get(t.strftime("%H:%M"))
            if fn:
                fn()
            self.tick()
            t = (t.astimezone(PARIS) + timedelta(minutes=5)).astimezone(PARIS)

    def batch(self, feedback, stop_after=None, pain_mid=None):
        """Do a sitting: ``feedback`` per movement id; ``stop_after`` abandons after that many
        steps; ``pain_mid`` = movement stopped half-way by pain."""
        s = BatchSession.start(PLAN, CAT, self.store, SETTINGS, self.now())
        self.log.extend(s.notes)
        n = 0
        while (step := s.current()) is not None:
            if stop_after is not None and n == stop_after:
                row = s.abandon(self.now())
                self.log.append(s.why)
                return s, row
            if step.movement_id == pain_mid:
                s.complete_step(step.total // 2, self.now())
                for c in s.feedback(step.movement_id, "pain", self.now()):
                    self.log.append(c.reason)
                continue
            s.complete_step(step.total, self.now())
            n += 1
            mid = s.needs_feedback()
            if mid:
                for c in s.feedback(mid, feedback[mid], self.now()):
                    self.log.append(c.reason)
        row = s.finish(self.now())
        self.log.append(s.why)
        return s, row

    def doses(self):
        now = self.now()
        out = {}
        for mid, target in ((SPINE, 50), (HIP, 30)):
            st = fb.current_state(self.store, CAT.get(mid), "rehab", SETTINGS, now, target)
            out[mid] = st.amount
        return out


def test_two_week_course():
    days = [date(2026, 3, 23) + timedelta(days=i) for i in range(14)]
    OK = {SPINE: "ok", HIP: "ok"}
    seen = {}

    with freeze_time(local(days[0], "00:00")) as frozen:
        w = World(frozen)

        def run(key, **kw):
            def fn():
                seen[key] = w.batch(**kw)
                seen[key + ":doses"] = w.doses()
                seen[key + ":checkin"] = checkin_due(PLAN, w.store, w.now(), SETTINGS)
            return fn

        # Mon 23: reminded at 08:00, batch at 08:10, both ok.
        w.live(days[0], {"08:10": run("d1", feedback=OK)})
        # Tue 24: reminded at 08:00 and 08:30, batch at 08:40.
        w.live(days[1], {"08:40": run("d2", feedback=OK)})
        # Wed 25: never started: reminded twice, then missed at 09:00.
        w.live(days[2], {})
        # Thu 26: done early at 07:50 (no reminder); third clean run: one step up each.
        # Third complete day: the check-in is due; the answer is "yes".
        w.live(days[3], {"07:50": run("d4", feedback=OK),
                         "08:00": lambda: seen.__setitem__("d4:reply", record_checkin(
                             w.store, PLAN, "yes", w.now()))})
        # Fri 27: the twist is too hard.
        w.live(days[4], {"08:05": run("d5", feedback={SPINE: "too-hard", HIP: "ok"})})
        # Sat 28: stopped after the first movement, finished the rest at noon.
        w.live(days[5], {"08:05": run("d6a", feedback=OK, stop_after=1),
                         "12:00": run("d6b", feedback=OK)})
        # Sun 29 (clocks go forward at 02:00): pain half-way through the twist.
        w.live(days[6], {"08:15": run("d7", feedback=OK, pain_mid=SPINE)})
        # Mon 30: the twist rests; the batch is only the hip hold.
        w.live(days[7], {"08:10": run("d8", feedback=OK)})
        # Tue 31: the rest ends at 08:15; batch at 08:30 has the twist back.
        w.live(days[8], {"08:10": lambda: seen.__setitem__(
                             "d9:unavail@08:10", fb.unavailable(w.store, w.now())),
                         "08:30": run("d9", feedback=OK)})
        # Wed 1 Apr: pain again, within 7 days -> retired.
        w.live(days[9], {"08:05": run("d10", feedback=OK, pain_mid=SPINE)})
        # Thu 2: the twist is retired; trial check-in due again -> "no", keep the plan.
        w.live(days[10], {"08:05": run("d11", feedback=OK),
                          "08:30": lambda: seen.__setitem__("d11:reply", record_checkin(
                              w.store, PLAN, "no", w.now()))})
        # Fri 3: re-enabled at 07:00, batch at 08:00.
        w.live(days[11], {"07:00": lambda: seen.__setitem__("d12:enable", fb.enable(
                              w.store, SPINE, w.now())),
                          "08:00": run("d12", feedback=OK)})
        # Sat 4: a microbreak of the twist felt too easy: only the microbreak dose moves.
        w.live(days[12], {"08:00": run("d13", feedback=OK),
                          "10:00": lambda: seen.__setitem__("d13:micro", fb.give_feedback(
                              w.store, CAT, SETTINGS, SPINE, "microbreak", "too-easy",
                              w.now(), source="prompt"))})
        # Sun 5: missed.
        w.live(days[13], {})

        store = w.store

    # --- reminders: exact local times, across the DST change -----------------------------
    def on(i):
        return [(hm, kind) for d, hm, kind in w.reminders if d == days[i]]

    assert on(0) == [("08:00", "remind")]
    assert on(1) == [("08:00", "remind"), ("08:30", "remind-again")]
    assert on(2) == [("08:00", "remind"), ("08:30", "remind-again"), ("09:00", "missed")]
    assert on(3) == []  # done before the reminder
    assert on(5) == [("08:00", "remind")]
    assert on(6) == [("08:00", "remind")]  # 08:00 CEST = 06:00 UTC after the change
    assert on(13) == [("08:00", "remind"), ("08:30", "remind-again"), ("09:00", "missed")]
    # one reminder at 08:00 on days 5-11; none when the batch starts at 08:00 (days 12, 13)
    assert [len(on(i)) for i in range(14)] == [1, 2, 3, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 3]
    utc = [p.at.astimezone(ZoneInfo("UTC")).strftime("%H:%M")
           for p in store.prompts(kind="rehab-reminder")]
    assert utc[0] == "07:00"  # 08:00 CET; after the change 08:00 CEST is 06:00 UTC:
    assert "06:00" in utc

    # --- batches: statuses and sittings -----------------------------------------------------
    rows = store.batches(kind="rehab")
    assert [(b.day.day, b.status, b.sitting) for b in rows] == [
        (23, "complete", 1), (24, "complete", 1), (25, "missed", 0), (26, "complete", 1),
        (27, "complete", 1), (28, "partial", 1), (28, "partial", 2), (29, "partial", 1),
        (30, "complete", 1), (31, "complete", 1), (1, "partial", 1), (2, "complete", 1),
        (3, "complete", 1), (4, "complete", 1), (5, "missed", 0),
    ]
    # The one-sitting rule, told to the user before and after the second sitting.
    s6b, row6b = seen["d6b"]
    # only what was left: the hip hold, on each side (it is dosed per side; no flag needed)
    assert [(st.movement_id, st.side) for st in s6b.steps] == [(HIP, "left"), (HIP, "right")]
    assert any("counts as a second partial sitting" in n for n in s6b.notes)
    assert row6b.status == "partial" and "second sitting" in s6b.why
    assert "stopped before the end" in seen["d6a"][0].why
    assert "stopped because of pain" in seen["d7"][0].why

    # --- doses: exact values after each day ----------------------------------------------
    assert seen["d1:doses"] == {SPINE: 25, HIP: 15}
    assert seen["d2:doses"] == {SPINE: 25, HIP: 15}
    assert seen["d4:doses"] == {SPINE: 28, HIP: 17}  # 3 clean runs: one step each
    # Corrected rules (issue 14): too hard first switches to the easier variant at the same
    # dose; pain lowers a mobilization only down to the plan's floor of 25 reps.
    assert seen["d5:doses"] == {SPINE: 28, HIP: 17}  # too hard: the easier variant, 28
    assert any("switching to the easier variant at 28 reps" in x for x in w.log)
    assert seen["d7:doses"] == {SPINE: 25, HIP: 19}  # pain: 28 x 0.5, held at 25
    assert seen["d10:doses"] == {SPINE: 25, HIP: 21}  # at the floor; hip's 9th clean run
    assert seen["d13:doses"] == {SPINE: 25, HIP: 23}
    assert seen["d5"][0].steps[0].target == 28
    d9 = seen["d9"][0]
    assert d9.steps[0].target == 25 and d9.steps[0].easier  # at 25, the easier variant
    assert CAT.get(SPINE).easier in d9.steps[0].cue

    # --- rests, retirement, re-enable ------------------------------------------------------
    assert {st.movement_id for st in seen["d8"][0].steps} == {HIP}
    assert any("resting after pain until Tue 08:15" in n for n in seen["d8"][0].notes)
    assert SPINE in seen["d9:unavail@08:10"]
    retire = [c for c in store.dose_changes(SPINE) if c.kind == "retire"]
    assert len(retire) == 1 and retire[0].at.astimezone(PARIS).date() == days[9]
    assert "physiotherapist or doctor" in retire[0].reason
    assert {st.movement_id for st in seen["d11"][0].steps} == {HIP}
    assert any("retired after pain" in n for n in seen["d11"][0].notes)
    assert seen["d12:enable"] is not None
    assert [st.movement_id for st in seen["d12"][0].steps] == [SPINE, HIP, HIP]

    # --- microbreak and rehab doses are kept apart ---------------------------------------
    micro = seen["d13:micro"]
    assert [(c.context, c.old, c.new) for c in micro] == [("microbreak", 20, 22)]
    with freeze_time(local(days[13], "12:00")):
        doses, unavailable = fb.microbreak_doses(store, CAT, SETTINGS, datetime.now(PARIS))
    assert doses[SPINE] == 22 and unavailable == set()

    # --- trial check-in ---------------------------------------------------------------------
    keys = ["d1", "d2", "d4", "d5", "d6a", "d6b", "d7", "d8", "d9", "d10", "d11", "d12", "d13"]
    due = [k for k in keys if seen[f"{k}:checkin"]]
    assert due == ["d4", "d11"]  # 3 complete days; then 7 days after the "yes"
    assert "ask again in 7 days" in seen["d4:reply"]
    assert "Retire 'hip-back' with 'mobes plan retire hip-back'" in seen["d11:reply"]
    answers = checkins(store, "hip-back", PARIS)
    assert [(c.answer, c.day) for c in answers] == [("yes", days[3]), ("no", days[10])]


def test_trial_checkin_yes_then_again_after_seven_days():
    store = MemoryStore()

    def due(day):
        return checkin_due(PLAN, store, local(day, "20:00"), SETTINGS)

    d0 = date(2026, 3, 23)
    with freeze_time(local(d0, "08:00")) as frozen:
        for i in range(3):
            frozen.move_to(local(d0 + timedelta(days=i), "08:00"))
            s = BatchSession.start(PLAN, CAT, store, SETTINGS, datetime.now(PARIS))
            while s.current() is not None:
                s.complete_step(s.current().total, datetime.now(PARIS))
            assert s.finish(datetime.now(PARIS)).status == "complete"
            assert due(d0 + timedelta(days=i)) == (i == 2)
        reply = record_checkin(store, PLAN, "yes", local(date(2026, 3, 25), "21:00"))
        assert "ask again in 7 days" in reply
        assert [due(date(2026, 3, 25) + timedelta(days=n)) for n in range(9)] == \
            [False] * 7 + [True, True]
        record_checkin(store, PLAN, "no", local(date(2026, 4, 1), "21:00"))
        assert not due(date(2026, 4, 2))
        assert due(date(2026, 4, 8))
        assert not checkin_due(PLAN.replace(retired=True), store, local(date(2026, 4, 8), "09:00"),
                               SETTINGS)
        assert not checkin_due(PLAN.replace(trial_days=0), MemoryStore(),
                               local(date(2026, 4, 8), "09:00"), SETTINGS)

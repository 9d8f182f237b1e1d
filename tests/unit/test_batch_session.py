"""BatchSession rules and the tray's click-by-click guide over the same session."""

from datetime import date, datetime, timedelta, timezone

from fakes import MemoryStore

from mobes.adapters.catalog_file import builtin
from mobes.domain import rehab
from mobes.domain.settings import Plan, PlanItem, Rehab, Settings
from mobes.services.rehab_session import BatchSession, TrayGuide, find_plan

CAT = builtin()
T = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)
BACK = Plan(name="back", items=(PlanItem("spinal-twist", reps=50),
                                PlanItem("neck-circles", reps=40)),
            sets=2, per_side=True)
SETTINGS = Settings(rehab=Rehab(plans=(BACK,)))


def test_steps_go_movement_by_movement_set_by_set_left_then_right():
    s = BatchSession.start(BACK, CAT, MemoryStore(), SETTINGS, T)
    assert [(x.movement_id, x.set_no, x.side, x.target) for x in s.steps] == [
        ("spinal-twist", 1, "left", 25), ("spinal-twist", 1, "right", 25),
        ("spinal-twist", 2, "left", 25), ("spinal-twist", 2, "right", 25),
        ("neck-circles", 1, "left", 20), ("neck-circles", 1, "right", 20),
        ("neck-circles", 2, "left", 20), ("neck-circles", 2, "right", 20)]


def test_short_set_makes_the_batch_partial_even_when_every_step_was_visited():
    store = MemoryStore()
    s = BatchSession.start(BACK, CAT, store, SETTINGS, T)
    while s.current():
        s.complete_step(s.current().total - (1 if s.current().index == 3 else 0), T)
    row = s.finish(T)
    assert row.status == "partial" and store.batches()[0].status == "partial"


def test_a_complete_batch_then_an_extra_sitting_is_partial():
    store = MemoryStore()
    for n in (1, 2):
        s = BatchSession.start(BACK, CAT, store, SETTINGS, T + timedelta(hours=n))
        if n == 2:
            assert any("already completed" in x for x in s.notes)
        while s.current():
            s.complete_step(s.current().total, T)
        s.finish(T + timedelta(hours=n))
    assert [(b.status, b.sitting) for b in store.batches()] == [("complete", 1),
                                                                ("partial", 2)]


def test_next_day_starts_fresh_at_sitting_one():
    store = MemoryStore()
    a = BatchSession.start(BACK, CAT, store, SETTINGS, T)
    a.abandon(T)
    b = BatchSession.start(BACK, CAT, store, SETTINGS, T + timedelta(days=1))
    assert b.sitting == 1 and not b.earlier and len(b.steps) == 8


def test_two_slots_a_day_are_two_batches():
    plan = BACK.replace(times=("08:00", "18:00"))
    settings = Settings(rehab=Rehab(plans=(plan,)))
    store = MemoryStore()
    for hour in (8, 18):
        s = BatchSession.start(plan, CAT, store, settings, T.replace(hour=hour))
        while s.current():
            s.complete_step(s.current().total, T)
        assert s.finish(T.replace(hour=hour)).status == "complete"
    assert [b.sitting for b in store.batches()] == [1, 2]


def test_find_plan_names_the_choices():
    import pytest

    from mobes.errors import MobesError, UsageError

    two = Settings(rehab=Rehab(plans=(BACK, BACK.replace(name="neck"))))
    assert find_plan(SETTINGS, None) is BACK
    with pytest.raises(UsageError, match="several plans; name one: back, neck"):
        find_plan(two, None)
    with pytest.raises(UsageError, match="did you mean 'back'"):
        find_plan(two, "bak")
    with pytest.raises(MobesError, match="retired"):
        find_plan(Settings(rehab=Rehab(plans=(BACK.replace(retired=True),))), "back")


def test_reminders_skip_days_off_and_dates_before_the_start():
    plan = BACK.replace(days=("monday", "wednesday"), start_date=date(2026, 3, 4))
    at = [datetime(2026, 3, d, 8, 0, tzinfo=timezone.utc) for d in (2, 3, 4)]
    due = [rehab.reminders_due([plan], [], [], t, timezone.utc) for t in at]
    assert [len(d) for d in due] == [0, 0, 1]  # Mon before the start, Tue off, Wed on
    late = rehab.reminders_due([plan], [], [], at[2] + timedelta(hours=5), timezone.utc)
    assert [r.kind for r in late] == ["missed"]  # an agent started late: no stale reminders
    assert "was not started: recorded as missed" in late[0].message()


def test_tray_guide_walks_the_same_batch_click_by_click():
    store = MemoryStore()
    g = TrayGuide.start(BACK, CAT, store, SETTINGS, T)
    v = g.view()
    assert "Start gently" in v.message or "start gently" in v.message
    assert v.title == "back: Spinal twist: set 1 of 2, left side, 25 reps"
    assert [k for k, _ in v.actions] == ["done", "pain", "stop"]
    v = g.act("done", T)
    assert v.title.endswith("set 1 of 2, right side, 25 reps") and "Rest" not in v.message
    v = g.act("done", T)
    assert v.message.startswith("Rest 30 s, then: ")  # the next one is set 2
    g.act("done", T)
    v = g.act("done", T)
    assert v.title == "Spinal twist: how did it feel?"
    assert [k for k, _ in v.actions] == ["ok", "too-easy", "too-hard", "pain", "stop"]
    v = g.act("too-easy", T)
    assert v.message.startswith("Too easy: 25 -> 28 reps.")
    assert v.title == ("back: Neck circles: set 1 of 2, left side, 20 reps each direction "
                       "(40 in all), build-up")
    assert v.caution and v.message.endswith(v.caution)  # the short caution, every step
    v = g.act("pain", T)
    assert "Pain: Neck circles stopped at once." in v.message and v.finished
    assert v.title == "Rehab batch 'back': partial"
    assert "stopped because of pain" in v.message
    assert [(b.status, b.sitting) for b in store.batches()] == [("partial", 1)]
    items = store.batch_items(store.batches()[0].id)
    assert [i.how for i in items] == ["clicked"] * 4 + ["pain"]  # recorded as what it was
    assert g.act("done", T).finished  # nothing more happens


def test_tray_guide_stop_abandons():
    store = MemoryStore()
    g = TrayGuide.start(BACK, CAT, store, SETTINGS, T)
    g.act("done", T)
    v = g.act("stop", T)
    assert v.finished and "partial" in v.title and "stopped before the end" in v.message
    assert len(store.batch_items(store.batches()[0].id)) == 1

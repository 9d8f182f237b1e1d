"""Dose adaptation: examples of each rule, then properties over random feedback sequences."""

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mobes.adapters.catalog_file import builtin
from mobes.domain import dosing
from mobes.domain.history import FeedbackRow
from mobes.domain.settings import Adaptation

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)
ADAPT = Adaptation()
CAT = builtin()


class Course:
    """Feed feedback to the pure functions the way the feedback service does."""

    def __init__(self, movement, context, target=None, adaptation=ADAPT):
        self.m, self.ctx, self.target, self.a = movement, context, target, adaptation
        self.changes, self.history = [], []
        self.t = T0

    def state(self, at=None):
        return dosing.state_for(self.m, self.ctx, self.changes, at or self.t, self.a,
                                self.target, feedback=self.history)

    def give(self, fb, hours=24.0):
        self.t += timedelta(hours=hours)
        before = self.state()
        out = dosing.adapt(self.m, self.ctx, before, fb, list(self.history), self.a, self.t,
                           self.target)
        self.history.append(FeedbackRow(at=self.t, movement_id=self.m.id, context=self.ctx,
                                        feedback=fb, source="batch"))
        self.changes.extend(out)
        return before, out, self.state()


def test_rehab_starts_at_half_the_target():
    m = CAT.get("spinal-twist")  # a mobilization: a rehab set is 25-75 reps
    s = dosing.state_for(m, "rehab", [], T0, ADAPT, target=50)
    assert (s.amount, s.target, s.floor, s.max, s.started) == (25, 50, 25, 75, False)
    ch = dosing.start_change(m, "rehab", T0, ADAPT, 50, plan="back")
    assert ch.new == 25 and "25 reps of the target 50 reps" in ch.reason


def test_microbreak_starts_at_the_catalog_amount():
    m = CAT.get("spinal-twist")
    assert dosing.state_for(m, "microbreak", [], T0, ADAPT).amount == m.dose.amount == 20


def test_too_hard_first_switches_to_the_easier_variant_then_cuts_to_seventy_percent():
    # Corrected rule (issue 14): the first too-hard keeps the dose and switches to the
    # easier variant; only a further too-hard lowers it (x0.7).
    c = Course(CAT.get("spinal-twist"), "rehab", 50)
    c.changes.append(dosing.start_change(c.m, "rehab", T0, ADAPT, 50))
    c.changes.append(c.changes[0].replace(kind="adapt", old=25, new=50, at=T0))
    _, out, after = c.give("too-hard")
    assert [(x.kind, x.old, x.new) for x in out] == [("easier", 50, 50)]
    assert "switching to the easier variant at 50 reps" in out[0].reason
    assert after.amount == 50 and after.easier
    _, out, after = c.give("too-hard")
    assert [(x.kind, x.old, x.new) for x in out] == [("adapt", 50, 35)]
    assert out[0].reason == "too hard on the easier variant (fewer reps): 50 -> 35 reps"
    assert after.amount == 35 and after.easier


def test_too_hard_never_goes_below_the_floor():
    c = Course(CAT.get("spinal-twist"), "rehab", 75)  # a mobilization: floor 25
    amounts = [c.give("too-hard")[2].amount for _ in range(5)]
    assert amounts == [38, 27, 25, 25, 25]
    assert "already on the easier variant at the floor of 25 reps" in c.changes[-1].reason
    assert c.state().easier


def test_pain_halves_rests_48h_and_twice_in_a_week_retires():
    c = Course(CAT.get("table-hip-external-rotation"), "rehab", 60)  # 30 s holds at first
    _, out, after = c.give("pain")
    assert [(x.kind, x.new) for x in out] == [("adapt", 15), ("easier", 15), ("rest", 15)]
    assert "talk to your therapist or caregiver" in out[2].reason
    assert out[2].until == c.t + timedelta(hours=48)
    assert after.resting_until == c.t + timedelta(hours=48) and not after.available(c.t)
    assert c.m.id in dosing.unavailable(c.changes, c.t + timedelta(hours=47))
    assert c.m.id not in dosing.unavailable(c.changes, c.t + timedelta(hours=48))
    _, out, after = c.give("pain", hours=72)  # second pain, 3 days later
    assert [x.kind for x in out] == ["adapt", "rest", "retire"]  # already the easier one
    assert "physiotherapist or doctor" in out[2].reason
    assert after.retired and c.m.id in dosing.unavailable(c.changes, c.t + timedelta(days=30))


def test_pain_eight_days_apart_does_not_retire():
    c = Course(CAT.get("spinal-twist"), "rehab", 50)
    c.give("pain")
    _, out, after = c.give("pain", hours=8 * 24)
    assert "retire" not in [x.kind for x in out] and not after.retired


def test_rests_and_retirement_cross_contexts_but_amounts_do_not():
    m = CAT.get("spinal-twist")
    c = Course(m, "rehab", 75)
    c.give("pain")
    micro = dosing.state_for(m, "microbreak", c.changes, c.t, ADAPT)
    assert micro.amount == 20 and not micro.easier  # the microbreak dose is untouched...
    assert micro.resting_until is not None  # ...but the movement rests there too


def test_enable_brings_a_retired_movement_back_and_resets_the_pain_count():
    m = CAT.get("spinal-twist")
    c = Course(m, "rehab", 50)
    c.give("pain")
    c.give("pain", hours=24)
    assert c.state().retired
    c.t += timedelta(days=1)
    en = dosing.enable_change(m.id, c.changes, c.t)
    assert en is not None and en.kind == "enable"
    c.changes.append(en)
    assert not c.state().retired and m.id not in dosing.unavailable(c.changes, c.t)
    assert dosing.enable_change(m.id, c.changes, c.t) is None
    _, out, after = c.give("pain", hours=1)  # the earlier pains were before the re-enable
    assert "retire" not in [x.kind for x in out]


def test_too_easy_adds_ten_percent_at_least_one_up_to_target_then_max():
    m = CAT.get("spinal-twist")  # microbreak amount 20, floor 10, max 75
    c = Course(m, "microbreak")
    assert c.give("too-easy")[2].amount == 22
    assert c.give("too-easy")[2].amount == 24  # 24.2 -> 24
    r = Course(CAT.get("neck-circles"), "rehab", 50)  # starts at 25 (each direction)
    amounts = [r.give("too-easy")[2].amount for _ in range(13)]
    assert amounts == [28, 31, 34, 37, 41, 45, 50, 55, 61, 67, 74, 75, 75]
    assert "already at the maximum of 75 reps" in r.changes[-1].reason


def test_three_clean_completions_make_one_step_toward_the_target():
    c = Course(CAT.get("spinal-twist"), "rehab", 50)
    amounts = [c.give("ok")[2].amount for _ in range(9)]
    assert amounts == [25, 25, 28, 28, 28, 31, 31, 31, 34]
    assert c.changes[-1].reason == ("3 clean completions in a row: 31 -> 34 reps, one step "
                                    "toward the target of 50 reps")
    assert c.state().clean_streak == 0


def test_a_complaint_breaks_the_clean_streak():
    c = Course(CAT.get("spinal-twist"), "rehab", 50)
    c.give("ok")
    c.give("ok")
    c.give("too-easy")  # 25 -> 28
    assert [c.give("ok")[2].amount for _ in range(3)] == [28, 28, 31]


def test_clean_streak_stops_at_the_target():
    c = Course(CAT.get("neck-circles"), "microbreak")  # target = microbreak amount 7
    assert {c.give("ok")[2].amount for _ in range(12)} == {7}
    assert c.changes == []


def test_holds_adapt_in_seconds():
    m = CAT.get("table-hip-external-rotation")  # seconds, floor 10, max 60
    c = Course(m, "rehab", 30)
    assert c.state().amount == 15
    _, out, _ = c.give("too-hard")
    assert out[0].kind == "easier" and out[0].reason.startswith(
        "too hard (make it easier before doing less): switching to the easier variant at 15 s")
    _, out, _ = c.give("too-hard")
    assert out[0].reason == "too hard on the easier variant (shorter holds): 15 -> 11 s"


def test_unknown_feedback_is_rejected():
    c = Course(CAT.get("neck-circles"), "microbreak")
    with pytest.raises(ValueError):
        c.give("meh")


# --- properties -------------------------------------------------------------------------

FEEDBACK = st.sampled_from(["ok", "too-easy", "too-hard", "pain"])
MOVEMENTS = st.sampled_from([m.id for m in CAT])
ADAPTATIONS = st.builds(
    Adaptation,
    too_hard_factor=st.floats(0.3, 0.95),
    pain_factor=st.floats(0.2, 0.9),
    too_easy_step=st.floats(0.01, 0.5),
    pain_rest_hours=st.integers(1, 96),
    pain_retire_count=st.integers(1, 4),
    pain_retire_days=st.integers(1, 14),
    clean_streak=st.integers(1, 5),
    start_fraction=st.floats(0.1, 1.0),
)


@st.composite
def courses(draw):
    m = CAT.get(draw(MOVEMENTS))
    ctx = draw(st.sampled_from(["microbreak", "rehab"]))
    target = None
    if ctx == "rehab":
        target = draw(st.integers(1, 100))
    a = draw(st.one_of(st.just(ADAPT), ADAPTATIONS))
    steps = draw(st.lists(st.tuples(FEEDBACK, st.floats(0.1, 100.0)), max_size=40))
    return m, ctx, target, a, steps


@settings(max_examples=300, deadline=None)
@given(courses())
def test_dose_stays_within_floor_and_max_and_is_never_zero(course):
    m, ctx, target, a, steps = course
    c = Course(m, ctx, target, a)
    s = c.state()
    assert 1 <= s.floor <= s.amount <= s.max
    for fb, hours in steps:
        _, out, after = c.give(fb, hours)
        assert 1 <= after.floor <= after.amount <= after.max
        for x in out:
            assert after.floor <= x.new <= after.max and x.new > 0


@settings(max_examples=300, deadline=None)
@given(courses())
def test_dose_never_rises_right_after_pain(course):
    m, ctx, target, a, steps = course
    c = Course(m, ctx, target, a)
    for fb, hours in steps + [("pain", 1.0)]:
        before, out, after = c.give(fb, hours)
        if fb == "pain":
            assert after.amount <= before.amount
            assert all(x.new <= x.old for x in out)
            assert after.resting_until == c.t + timedelta(hours=a.pain_rest_hours)
            assert m.id in dosing.unavailable(c.changes, c.t)


@settings(max_examples=200, deadline=None)
@given(courses())
def test_clean_completions_climb_back_to_the_target(course):
    m, ctx, target, a, steps = course
    c = Course(m, ctx, target, a)
    for fb, hours in steps:
        c.give(fb, hours)
    start = c.state()
    amounts = []
    for _ in range(a.clean_streak * 200):
        amounts.append(c.give("ok", 24)[2].amount)
        if amounts[-1] >= start.target:
            break
    assert amounts == sorted(amounts)  # never falls on clean completions
    if start.amount < start.target:
        assert amounts[-1] == start.target  # reaches the target exactly, never beyond
    else:
        assert set(amounts) == {start.amount}  # above the target: clean marks change nothing

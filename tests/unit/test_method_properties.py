"""Properties of the method's dose rules under any sequence of answers (issue 14).

- a rehab set of a mobilization stays within 25-75 reps once the build-up is over, and the
  build-up is over after its days whatever the answers;
- a prescribed dose never rises;
- a microbreak's dose, at the movement's tempo, always fits the break (30-60 s).
"""

from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from mobes.adapters.catalog_file import builtin
from mobes.domain import dosing, rules
from mobes.domain.history import FeedbackRow
from mobes.domain.settings import Adaptation

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)
CAT = builtin()
FEEDBACK = st.sampled_from(["ok", "too-easy", "too-hard", "pain"])
STEPS = st.lists(st.tuples(FEEDBACK, st.floats(0.5, 60.0)), max_size=40)
ADAPTATIONS = st.one_of(st.just(Adaptation()), st.builds(
    Adaptation,
    too_hard_factor=st.floats(0.3, 0.95),
    pain_factor=st.floats(0.2, 0.9),
    too_easy_step=st.floats(0.01, 0.5),
    pain_rest_hours=st.integers(1, 96),
    pain_retire_count=st.integers(1, 4),
    pain_retire_days=st.integers(1, 14),
    clean_streak=st.integers(1, 5),
    start_fraction=st.floats(0.1, 1.0),
    build_up_days=st.integers(1, 7),
))
MOBILIZATIONS = [m for m in CAT if rules.is_mobilization_set(m)]
DESK = [m for m in CAT if m.desk_friendly]


class Course:
    """Answers fed to the pure functions the way the feedback service does."""

    def __init__(self, movement, context, adaptation, target=None, **params):
        self.m, self.ctx, self.a, self.target, self.params = (movement, context, adaptation,
                                                              target, params)
        self.changes, self.history, self.t = [], [], T0
        if context == "rehab":
            self.changes.append(dosing.start_change(movement, context, T0, adaptation,
                                                    target, **params))

    def state(self):
        return dosing.state_for(self.m, self.ctx, self.changes, self.t, self.a, self.target,
                                feedback=self.history, **self.params)

    def give(self, fb, hours):
        self.t += timedelta(hours=hours)
        before = self.state()
        out = dosing.adapt(self.m, self.ctx, before, fb, list(self.history), self.a, self.t,
                           self.target, break_seconds=self.params.get("break_seconds"))
        self.history.append(FeedbackRow(at=self.t, movement_id=self.m.id, context=self.ctx,
                                        feedback=fb, source="batch"))
        self.changes.extend(out)
        return before, out, self.state()


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(MOBILIZATIONS), st.integers(25, 75), ADAPTATIONS, STEPS)
def test_a_rehab_mobilization_stays_within_25_and_75_after_the_build_up(m, target, a, steps):
    c = Course(m, "rehab", a, target)
    end = T0 + timedelta(days=a.build_up_days)
    for fb, hours in steps:
        _, out, after = c.give(fb, hours)
        if c.t >= end:
            assert not after.build_up  # the build-up never outlives its days
        if not after.build_up:
            assert 25 <= after.amount <= 75, (m.id, fb, after)
            assert after.floor == 25 and after.max == 75
        else:
            assert 1 <= after.amount < 25 and after.label() == "build-up"
        assert all(x.new <= 75 for x in out)
    c.t = max(c.t, end)
    assert 25 <= c.state().amount <= 75


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(list(CAT)), st.data(), ADAPTATIONS, STEPS)
def test_a_prescribed_dose_never_rises(m, data, a, steps):
    lo, hi = rules.plan_amount_range(m, prescribed=True)
    target = data.draw(st.integers(max(1, m.dose.floor), min(hi, 200)))
    c = Course(m, "rehab", a, target, prescribed=True)
    first = c.state()
    assert first.amount == target and first.label() == "as prescribed"  # kept as given
    last = first.amount
    for fb, hours in steps:
        _, out, after = c.give(fb, hours)
        assert after.amount <= last, (m.id, fb)
        assert all(x.new <= x.old for x in out)
        last = after.amount


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(list(CAT)), st.integers(30, 60), ADAPTATIONS, STEPS)
def test_a_microbreak_dose_always_fits_its_break(m, seconds, a, steps):
    c = Course(m, "microbreak", a, break_seconds=seconds)
    fits = m.dose.fitting(seconds) >= 1

    def check(state):
        assert 1 <= state.amount <= state.max
        if fits:
            assert m.dose.seconds(state.amount) <= seconds, (m.id, seconds, state.amount)

    check(c.state())
    for fb, hours in steps:
        check(c.give(fb, hours)[2])


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(DESK), st.integers(30, 60))
def test_too_easy_never_grows_a_microbreak_beyond_its_break(m, seconds):
    c = Course(m, "microbreak", Adaptation(), break_seconds=seconds)
    for _ in range(60):
        c.give("too-easy", 1.0)
    assert m.dose.seconds(c.state().amount) <= seconds

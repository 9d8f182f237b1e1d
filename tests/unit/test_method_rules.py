"""Every dosing and safety rule of the method, walked against the source documents.

Each case names the seed file and the line it comes from, checks that the line still says
what the rule is built on (a short fragment of it), then checks what mobes does. The seeds
are in shared/seeds (see its README); the cases cover issue 14 rule by rule.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from fakes import MemoryStore

from mobes.adapters.catalog_file import builtin
from mobes.domain import dosing, policy, rehab, rules, stats
from mobes.domain.events import events
from mobes.domain.model import PAIN_RULE
from mobes.domain.settings import Adaptation, Microbreaks, Plan, PlanItem, Rehab, Settings
from mobes.services import feedback as fb
from mobes.services.rehab_session import BatchSession, TrayGuide
from mobes.services.upcoming import item, items

CAT = builtin()
A = Adaptation()
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)
UTC = timezone.utc

MOBES = "003_98ecb572298f8cc8"  # the core article on mobilizations
PROM = "000_e5551d9cf2e00d1f"  # passive range-of-motion drills
CARE = "001_8fa7bb514573dd64"  # the ALS caregiver handout
HIP = "004_15524d8e0aa114ef"  # the hip mobility home programme
INDEX = "README.md"  # the seeds' own index: what each document is and what to take


def _seeds() -> Path | None:
    for parent in Path(__file__).resolve().parents:
        if (parent / "shared" / "seeds").is_dir():
            return parent / "shared" / "seeds"
    return None


SEEDS = _seeds()


def m(mid):
    return CAT.get(mid)


def state(mv, ctx, changes, at=T0, target=None, **kw):
    return dosing.state_for(mv, ctx, changes, at, A, target, **kw)


def answer(mv, ctx, changes, fbk, at, target=None, history=(), **kw):
    st = state(mv, ctx, changes, at, target, **kw)
    return dosing.adapt(mv, ctx, st, fbk, list(history), A, at, target,
                        break_seconds=kw.get("break_seconds"))


def plan(*items_, **kw) -> Plan:
    return Plan(name="p", items=tuple(items_), **kw)


def problems(p) -> list[str]:
    return [x.field for x in rules.plan_problems(p, CAT)]


def settings_with(p) -> Settings:
    return Settings(rehab=Rehab(plans=(p,)))


def run_clicks(p, now=T0, store=None):
    """A tray-guided batch where every step is clicked done and every answer is ok."""
    store = store or MemoryStore()
    g = TrayGuide.start(p, CAT, store, settings_with(p), now)
    while not g.view().finished:
        keys = [k for k, _ in g.view().actions]
        g.act("done" if "done" in keys else "ok", now)
    return store, g.session


# --- the checks, one per rule -----------------------------------------------------------

def mobilization_sets_are_25_to_75():
    for mv in CAT:
        if not rules.is_mobilization_set(mv):
            continue
        assert rules.plan_amount_range(mv) == (25, 75), mv.id
        for target in (1, 25, 50, 75, 100):
            floor, t, hi = dosing.bounds(mv, "rehab", target)
            assert (floor, hi) == (25, 75) and 25 <= t <= 75, mv.id
        assert mv.dose.max <= 75, f"{mv.id}: no dose above 75"
        if not mv.dose.prescribed:
            assert 25 <= mv.dose.target <= 75 and mv.dose.max == 75, mv.id
    assert problems(plan(PlanItem("spinal-twist", reps=76))) == ["movements[1].reps"]
    assert problems(plan(PlanItem("spinal-twist", reps=75))) == []


def one_to_three_sets_a_day_in_total():
    twice = dict(times=("08:00", "18:00"))
    assert problems(plan(PlanItem("spinal-twist", reps=50), sets=3, **twice)) == ["sets"]
    (p,) = rules.plan_problems(plan(PlanItem("spinal-twist", reps=50), sets=3, **twice), CAT)
    assert "approximately 1-3 sets per day" in p.rule and "6 sets a day" in p.problem
    assert problems(plan(PlanItem("spinal-twist", reps=50), sets=1,
                         times=("07:00", "12:00", "18:00"))) == []
    assert problems(plan(PlanItem("spinal-twist", reps=50), sets=3)) == []
    assert problems(plan(PlanItem("spinal-twist", reps=50), sets=3, prescribed=True,
                         **twice)) == []
    for mv in CAT:  # the catalog's own programmes keep to it unless a clinic's
        assert mv.dose.prescribed or mv.dose.sets * mv.dose.per_day <= 3, mv.id


def a_batch_is_one_sitting():
    earlier = [rehab.BatchRow(kind="rehab", plan="p", day=date(2026, 3, 2), started=T0,
                              status="partial")]
    assert rehab.sitting_verdict(True, False, earlier)[0] == "partial"
    assert rehab.sitting_verdict(True, False, [])[0] == "complete"


def the_build_up_starts_below_25_and_reaches_it():
    mv = m("neck-circles")
    start = dosing.start_change(mv, "rehab", T0, A, 40, "crick")
    assert start.new == 20 and start.reason.startswith("build-up:")
    st = state(mv, "rehab", [start], T0 + timedelta(hours=1), 40)
    assert st.build_up and st.label() == "build-up" and st.amount == 20
    after = state(mv, "rehab", [start], T0 + timedelta(days=A.build_up_days), 40)
    assert not after.build_up and after.amount == 25  # the floor holds after it
    out = answer(mv, "rehab", [start], "ok", T0 + timedelta(hours=20), 40)
    assert out[0].new > 20 and out[0].reason.startswith("build-up:")


def make_it_easier_before_doing_less():
    for mid, ctx, target in (("spinal-twist", "rehab", 75), ("neck-circles", "microbreak",
                                                            None)):
        mv = m(mid)
        ch = [dosing.start_change(mv, ctx, T0, A, target)]
        out = answer(mv, ctx, ch, "too-hard", T0 + timedelta(hours=1), target)
        assert [(c.kind, c.old == c.new) for c in out] == [("easier", True)], mid
        assert mv.easier.rstrip(".") in out[0].reason
        ch += out
        st = state(mv, ctx, ch, T0 + timedelta(hours=2), target)
        assert st.easier and st.variant == "easier"
        out = answer(mv, ctx, ch, "too-hard", T0 + timedelta(hours=2), target)
        assert out[0].kind == "adapt" and out[0].new < out[0].old, mid


def pain_makes_it_easier_too():
    mv = m("spinal-twist")
    ch = [dosing.start_change(mv, "rehab", T0, A, 75)]
    kinds = [c.kind for c in answer(mv, "rehab", ch, "pain", T0 + timedelta(hours=1), 75)]
    assert kinds == ["adapt", "easier", "rest"]


def at_the_floor_listen_to_your_instincts_and_stop():
    mv = m("spinal-twist")
    ch = [dosing.start_change(mv, "rehab", T0, A, 50)]
    ch += answer(mv, "rehab", ch, "too-hard", T0 + timedelta(hours=1), 50)  # easier
    (out,) = answer(mv, "rehab", ch, "too-hard", T0 + timedelta(hours=2), 50)
    assert out.new == 25 and "stop this movement and talk to your therapist" in out.reason


def one_to_five_movements():
    ids = ["spinal-twist", "neck-circles", "wrist-circles", "foot-circles", "pelvic-circles",
           "chest-rotations"]
    assert problems(plan(*(PlanItem(i, reps=30) for i in ids))) == ["movements"]
    assert problems(plan(*(PlanItem(i, reps=30) for i in ids[:5]))) == []


def any_time_today_is_missed_only_when_the_day_ends():
    day = date(2026, 3, 2)
    p = plan(PlanItem("spinal-twist", reps=50), times=("09:00",), anytime=True, start_date=day)

    def due(h, mnt=0, d=day):
        return [r.kind for r in rehab.reminders_due(
            [p], [], [], datetime(d.year, d.month, d.day, h, mnt, tzinfo=UTC), UTC)]

    assert due(9) == ["remind"] and due(9, 30) == ["remind-again"]
    assert due(23, 59) == ["remind-again"]  # still the same day: not missed
    assert due(0, 0, date(2026, 3, 3)) == ["missed"]
    r = rehab.Reminder("p", "remind", T0, T0, day)
    assert "whenever suits you today" in r.message(anytime=True)
    assert rehab.slot_of(p, datetime(2026, 3, 2, 16, 0, tzinfo=UTC)) == 0  # the whole day
    assert rules.sets_a_day(p.replace(sets=3, times=("09:00", "18:00"))) == 3


def a_microbreak_fits_its_break():
    for mv in CAT:
        if mv.desk_friendly:
            assert mv.dose.seconds(mv.dose.amount) <= 45, mv.id
    hold = m("cross-body-shoulder-stretch")  # a hold on each side
    assert hold.dose.seconds(30) > 45  # 30 s each side does not fit a 45 s break
    floor, t, hi = dosing.bounds(hold, "microbreak", break_seconds=45)
    assert hold.dose.seconds(hi) <= 45 and hi < 30
    ch: list = []
    for n in range(30):  # too easy, again and again: never beyond the break
        ch += answer(hold, "microbreak", ch, "too-easy", T0 + timedelta(hours=n),
                     break_seconds=45)
    st = state(hold, "microbreak", ch, T0 + timedelta(days=2), break_seconds=45)
    assert hold.dose.seconds(st.amount) <= 45
    assert "fits a 45 s break" in ch[-1].reason


def each_direction_counts_both_ways():
    p = plan(PlanItem("neck-circles", reps=40), sets=3)  # the neck crick: 3 sets of 80
    assert problems(p) == []
    store = MemoryStore()
    s = BatchSession.start(p, CAT, store, settings_with(p), T0)
    st = s.steps[0]
    assert (st.directions, st.total) == (2, 2 * st.target)
    assert f"{st.target} reps each direction ({2 * st.target} in all)" in st.describe()
    assert m("neck-circles").dose.done_count(40) == 80
    assert m("neck-circles").dose.describe_set(40) == "40 reps each direction (80 a set)"
    s.complete_step(st.total, T0)
    assert store.batch_items(s.batch_id)[0].done == 2 * st.target


def empty_stomach_means_mornings_only():
    lift = m("abdominal-lift")
    assert "empty-stomach" in lift.needs and not lift.desk_friendly
    assert "morning" in lift.caution_short.lower()
    assert problems(plan(PlanItem("abdominal-lift", hold_seconds=8, holds=3),
                         times=("14:00",))) == ["times"]
    assert problems(plan(PlanItem("abdominal-lift", hold_seconds=8, holds=3),
                         times=("07:00",))) == []


def floor_work_is_not_a_desk_microbreak(mid):
    def check():
        assert not m(mid).desk_friendly
        assert m(mid).id not in {x.id for x in CAT.filter(desk=True)}
    return check


def a_doorway_is_fine_at_a_desk():
    assert m("doorway-pec-mobilization").desk_friendly
    assert m("doorway-chest-stretch").desk_friendly


def the_deep_travelling_crouch_is_not_for_a_desk():
    it = m("it-band-mobilization")
    assert "room-to-travel" in it.needs and not it.desk_friendly


def one_minute_holds(mid):
    def check():
        assert (m(mid).dose.target, m(mid).dose.amount) == (60, 60)
    return check


def wrist_flexion_palm_up():
    w = m("wrist-flexion-stretch")
    assert "palm up" in w.cue and "palm turned up" in w.steps[0]
    assert "down" not in w.steps[0]


def neck_side_bend_is_seated():
    n = m("neck-side-bend")
    assert n.position == ("seated",) and "chair" in n.equipment


def neck_rotation_in_a_chair_or_lying():
    assert set(m("neck-rotation").position) == {"seated", "lying"}


def every_caution_says_when_to_stop():
    for mv in CAT:
        assert mv.caution_short and "\n" not in mv.caution_short, mv.id
        assert "stop" in mv.caution_short.lower(), mv.id
        assert any("stop" in c.lower() for c in mv.cautions), mv.id
    assert "stop" in PAIN_RULE.lower()


def the_caregiver_rule_once_a_day_10_or_a_30_s_hold():
    care = [mv for mv in CAT if CARE in mv.source]
    assert len(care) == 16
    for mv in care:
        d = mv.dose
        assert (d.target, d.per_day, d.or_hold) == (10, 1, 30), mv.id
        assert "or a 30 s hold at the point of resistance" in d.describe_set(10)
    assert "10 times" in rehab.PROM_RULE and "30 s" in rehab.PROM_RULE


def begin_with_a_few_and_build_up():
    mv = m("assisted-hip-knee-flexion")
    start = dosing.start_change(mv, "rehab", T0, A, 10, "care")
    assert start.new == 3 and start.reason.startswith("build-up:")
    ch, t = [start], T0
    for _ in range(6):
        t += timedelta(hours=12)
        ch += answer(mv, "rehab", ch, "ok", t, 10)
    assert state(mv, "rehab", ch, t, 10).amount == 10


def a_caregiver_plan_speaks_to_the_helper_without_flags():
    p = plan(PlanItem("assisted-hip-knee-flexion", reps=10),
             PlanItem("assisted-hip-rotation", reps=10))  # no caregiver, no per_side flag
    assert p.caregiver is None and p.per_side is None
    s = BatchSession.start(p, CAT, MemoryStore(), settings_with(p), T0)
    assert rehab.CAREGIVER_INSTRUCTIONS in s.notes
    words = rehab.CAREGIVER_INSTRUCTIONS.lower()
    for fact in ("above", "below the joint", "never force", "resistance", "pain", "face"):
        assert fact in words
    assert [x.side for x in s.steps] == ["left", "right"] * 2  # each side
    assert all(x.cue.startswith("For the helper:") for x in s.steps)
    assert all(x.alternative.startswith("hold 30 s") for x in s.steps)
    over = BatchSession.start(p.replace(per_side=False, caregiver=False), CAT, MemoryStore(),
                              settings_with(p), T0)
    assert [x.side for x in over.steps] == ["", ""]  # the flags only override
    assert not over.steps[0].cue.startswith("For the helper:")


def the_first_pain_stops_and_says_talk_to_a_therapist():
    mv = m("spinal-twist")
    ch = [dosing.start_change(mv, "rehab", T0, A, 50)]
    out = answer(mv, "rehab", ch, "pain", T0 + timedelta(hours=1), 50)
    rest = [c for c in out if c.kind == "rest"][0]
    assert "stop this movement now" in rest.reason
    assert "comes back or persists, talk to your therapist or caregiver" in rest.reason
    p = plan(PlanItem("spinal-twist", reps=50), sets=2)
    s = BatchSession.start(p, CAT, MemoryStore(), settings_with(p), T0)
    s.complete_step(3, T0, how="pain")
    s.feedback("spinal-twist", "pain", T0)
    assert s.stopped == {"spinal-twist": "pain"} and s.current() is None


def a_pain_answer_to_a_microbreak_is_pain_not_done():
    assert policy.OUTCOME_OF["pain"] == "pain"
    assert stats.bucket("pain") == "pain"
    from mobes.domain.history import PromptRow

    ps = [PromptRow(id=1, at=T0, kind="microbreak", movement_ids=("neck-circles",),
                    amounts=(7,), outcome="pain"),
          PromptRow(id=2, at=T0 + timedelta(minutes=20), kind="microbreak",
                    movement_ids=("wrist-circles",), amounts=(10,), outcome="done")]
    s = stats.summarize(ps, [], [], [], {}, T0, T0 + timedelta(hours=1), T0.date(),
                        doses={x.id: x.dose for x in CAT})
    assert s.counts["pain"] == 1 and s.counts["done"] == 1 and s.adherence == 1.0
    assert [x.id for x in s.movements] == ["wrist-circles"]  # pain is not a done break


def microbreaks_show_the_easier_cue_after_too_hard():
    store, settings = MemoryStore(), Settings(microbreaks=Microbreaks(duration_seconds=45))
    fb.give_feedback(store, CAT, settings, "neck-circles", "microbreak", "too-hard", T0)
    assert fb.easier_now(store, CAT, settings, T0, ["neck-circles"]) == {"neck-circles"}
    from mobes.domain.model import Choice

    (it,) = items(CAT, Choice(("neck-circles",), (7,)), {"neck-circles"})
    assert it["cue"] == m("neck-circles").easier and it["variant"] == "easier"
    assert it["caution_short"] == m("neck-circles").caution_short


def a_prescribed_programme_is_kept_as_given():
    hip = plan(PlanItem("lying-hip-rotations", reps=8), sets=4, times=("08:00", "18:00"))
    assert "sets" in problems(hip) and "movements[1].reps" in problems(hip)
    assert problems(hip.replace(prescribed=True)) == []
    mv = m("lying-hip-rotations")
    start = dosing.start_change(mv, "rehab", T0, A, 8, "hip", prescribed=True)
    assert start.new == 8 and start.reason.startswith("as prescribed")
    ch = [start]
    st = state(mv, "rehab", ch, T0, 8, prescribed=True)
    assert st.label() == "as prescribed" and (st.amount, st.max) == (8, 8)
    (easy,) = answer(mv, "rehab", ch, "too-easy", T0, 8, prescribed=True)
    assert easy.new == 8 and "does not raise it" in easy.reason
    ch += answer(mv, "rehab", ch, "too-hard", T0, 8, prescribed=True)  # easier first
    (lower,) = answer(mv, "rehab", ch, "too-hard", T0, 8, prescribed=True)
    assert lower.new < 8  # lowered on too hard
    s = BatchSession.start(hip.replace(prescribed=True), CAT, MemoryStore(),
                           settings_with(hip.replace(prescribed=True)), T0)
    assert {x.label for x in s.steps} == {"as prescribed"}
    assert len(s.steps) == 4 * 2  # 4 sets, each leg


def the_band_progression_is_an_equipment_option():
    prone = m("prone-hip-internal-rotation")
    assert "band" in prone.optional_equipment and "band" not in prone.equipment
    assert (prone.dose.target, prone.dose.repeats, prone.dose.per_day) == (30, 4, 2)


def a_warm_up_from_the_plans_regions():
    p = plan(PlanItem("table-hip-external-rotation", hold_seconds=30, holds=4), warm_up=True)
    (w,) = rehab.warm_up(p, CAT)
    assert w.id == "lying-hip-rotations" and "warm-up" in w.good_for  # hips, for warming
    s = BatchSession.start(p, CAT, MemoryStore(), settings_with(p), T0)
    assert s.steps[0].warm_up and s.steps[0].movement_id == w.id
    while s.current() is not None:
        s.complete_step(s.current().total, T0)
        if s.needs_feedback():
            s.feedback(s.needs_feedback(), "ok", T0)
    assert s.finish(T0).status == "complete"
    assert {i.set_no for i in s.store.batch_items(s.batch_id)
            if i.movement_id == w.id} == {0}  # recorded as the warm-up


def the_stool_variant_of_the_deep_squat():
    sq = m("squatting-internal-rotations")
    assert "stool" in sq.optional_equipment and "stool" in sq.easier.lower()


def hold_totals_count_every_hold():
    p = plan(PlanItem("table-hip-external-rotation", hold_seconds=15, holds=4),
             PlanItem("prone-hip-internal-rotation", hold_seconds=15, holds=4),
             sets=2, per_side=True, prescribed=True)
    store, s = run_clicks(p)
    assert sum(x.holds for x in s.steps) == 32  # 32 holds of 15 s
    summary = stats.summarize([], [], store.batches(), store.batch_items_since(None), {},
                              T0 - timedelta(hours=1), T0 + timedelta(hours=1), T0.date(),
                              doses={x.id: x.dose for x in CAT})
    assert summary.hold_seconds == 480  # not 8 sets x 15 s = 120


def click_throughs_are_recorded_as_clicks():
    store, _ = run_clicks(plan(PlanItem("spinal-twist", reps=50)))
    from mobes.commands.log import describe

    its = store.batch_items_since(None)
    assert {i.how for i in its} == {"clicked"}
    evs = [e for e in events(items=its, batches=store.batches()) if e["type"] == "batch-item"]
    assert "(you clicked Done)" in describe(evs[0], {}, {x.id: x.dose for x in CAT})


def the_log_speaks_in_words():
    from mobes.commands.log import describe
    from mobes.domain.history import DoseChange, FeedbackRow, OutcomeRow, PromptRow

    names, doses = {x.id: x.name for x in CAT}, {x.id: x.dose for x in CAT}
    due = T0.isoformat()
    rows = dict(
        prompts=[PromptRow(id=1, at=T0, kind="rehab-reminder", movement_ids=(), amounts=(),
                           why=f"remind-again {due} knee"),
                 PromptRow(id=2, at=T0, kind="rehab-checkin", movement_ids=(), amounts=(),
                           why="plan knee", outcome="yes")],
        outcomes=[OutcomeRow(2, T0, "yes"), OutcomeRow(1, T0, "pain", "neck-circles", "pain")],
        feedback=[FeedbackRow(T0, "neck-circles", "microbreak", "too-hard", "prompt")],
        doses=[DoseChange(T0, "neck-circles", "microbreak", k, 7, 7, "r")
               for k in ("start", "adapt", "easier", "full", "rest", "retire", "enable")])
    lines = [describe(e, names, doses) for e in events(**rows)]
    text = "\n".join(lines)
    for raw in ("rehab-reminder", "remind-again", "rehab-checkin", "[from prompt]",
                ", easier:", ", full:"):
        assert raw not in text, raw
    for words in ("second reminder for rehab batch 'knee'", "asked whether plan 'knee' helps",
                  "answered yes: it helps", "stopped by pain", "answered on the prompt",
                  "the easier variant from now on", "back to the full movement",
                  "Neck circles (microbreak) rests", "retired", "re-enabled"):
        assert words in text, words


def sources_are_named_by_their_titles():
    from mobes.commands.movements import describe

    page = describe(m("neck-circles"), CAT)
    assert "Source: Mobilizations: dynamic joint mobility drills" in page
    assert MOBES not in page


def each_side_without_flags():
    p = plan(PlanItem("deep-gluteal", reps=30), PlanItem("spinal-twist", reps=30))
    s = BatchSession.start(p, CAT, MemoryStore(), settings_with(p), T0)
    assert [(x.movement_id, x.side) for x in s.steps] == [
        ("deep-gluteal", "left"), ("deep-gluteal", "right"), ("spinal-twist", "")]


def the_prompt_carries_the_caution():
    it = item(m("wrist-circles"), 10)
    assert it["caution_short"] == m("wrist-circles").caution_short
    assert it["pain_rule"] == PAIN_RULE and it["cautions"] == list(m("wrist-circles").cautions)


# --- the table: (seed, line, what the line says, the rule's check) ----------------------

RULES = [
    (MOBES, 123, "25–75 times in a single set", mobilization_sets_are_25_to_75),
    (MOBES, 123, "1–3 sets per day", one_to_three_sets_a_day_in_total),
    (MOBES, 125, "split up a large batch", a_batch_is_one_sitting),
    (MOBES, 129, "between 25–50", the_build_up_starts_below_25_and_reaches_it),
    (MOBES, 133, "making it easier", make_it_easier_before_doing_less),
    (MOBES, 139, "If it hurts too much, make it easier", pain_makes_it_easier_too),
    (MOBES, 141, "listen to your instincts and stop",
     at_the_floor_listen_to_your_instincts_and_stop),
    (MOBES, 183, "1–5 exercises", one_to_five_movements),
    (MOBES, 188, "whenever you feel like it", any_time_today_is_missed_only_when_the_day_ends),
    (MOBES, 207, "thirty seconds or a minute", a_microbreak_fits_its_break),
    (MOBES, 247, "3 sets of 80 (40 in each direction)", each_direction_counts_both_ways),
    (MOBES, 332, "three lifts per morning", empty_stomach_means_mornings_only),
    (MOBES, 340, "Stand on your hands and knees", floor_work_is_not_a_desk_microbreak(
        "cats-and-dogs")),
    (MOBES, 372, "Stand in a doorway", a_doorway_is_fine_at_a_desk),
    (MOBES, 416, "Crouch deeply", the_deep_travelling_crouch_is_not_for_a_desk),
    (MOBES, 487, "Lie down face up", floor_work_is_not_a_desk_microbreak(
        "supine-lumbar-twists")),
    (PROM, 11, "stop immediately", every_caution_says_when_to_stop),
    (PROM, 22, "for one minute", one_minute_holds("figure-four-stretch")),
    (PROM, 30, "Sit with legs extended straight out", floor_work_is_not_a_desk_microbreak(
        "calf-strap-stretch")),
    (PROM, 57, "45 seconds", a_doorway_is_fine_at_a_desk),
    (PROM, 69, "for one minute", one_minute_holds("kneeling-lat-stretch")),
    (PROM, 81, "palm facing up", wrist_flexion_palm_up),
    (PROM, 85, "Sit upright with one hand holding the chair", neck_side_bend_is_seated),
    (PROM, 97, "If pain occurs", the_prompt_carries_the_caution),
    (CARE, 44, "stop that exercise and talk to your",
     the_first_pain_stops_and_says_talk_to_a_therapist),
    (CARE, 44, "stop that exercise", a_pain_answer_to_a_microbreak_is_pain_not_done),
    (CARE, 52, "just above the joint", a_caregiver_plan_speaks_to_the_helper_without_flags),
    (CARE, 58, "once per day", the_caregiver_rule_once_a_day_10_or_a_30_s_hold),
    (CARE, 59, "10 times or move to the point of resistance",
     the_caregiver_rule_once_a_day_10_or_a_30_s_hold),
    (CARE, 61, "a few times only", begin_with_a_few_and_build_up),
    (CARE, 67, "watching the patient's face", a_caregiver_plan_speaks_to_the_helper_without_flags),
    (CARE, 74, "ten times on each", each_side_without_flags),
    (CARE, 220, "sitting in a chair or lying down", neck_rotation_in_a_chair_or_lying),
    (HIP, 4, "Hold stretch for 30 seconds, 4 times", hold_totals_count_every_hold),
    (HIP, 6, "resistance band", the_band_progression_is_an_equipment_option),
    (HIP, 15, "8 times on each leg x 4 times x 2 per day", a_prescribed_programme_is_kept_as_given),
    (HIP, 19, "easy first movement to warmup", a_warm_up_from_the_plans_regions),
    (HIP, 23, "small stool", the_stool_variant_of_the_deep_squat),
    (MOBES, 133, "making it easier", microbreaks_show_the_easier_cue_after_too_hard),
    # history that counts right: the method is counted in repetitions, so a record says
    # what was done and how (a paced set, a click, a stop for pain), in words
    (MOBES, 121, "The real power of mobilizations is in the repetitions",
     click_throughs_are_recorded_as_clicks),
    (MOBES, 121, "in the repetitions", the_log_speaks_in_words),
    (INDEX, 7, "A long article on \"mobes\"", sources_are_named_by_their_titles),
]


def _ids():
    return [f"{s[:3]}:{n} {c.__name__}" for s, n, _, c in RULES]


@pytest.mark.parametrize("seed, line, says, check", RULES, ids=_ids())
def test_rule_from_the_sources(seed, line, says, check):
    if SEEDS is not None:
        name = seed if seed.endswith(".md") else f"{seed}.txt"
        text = (SEEDS / name).read_text(encoding="utf-8").splitlines()
        assert says in text[line - 1], f"{name} line {line} no longer says {says!r}"
    check()


def test_the_table_covers_every_source_document_of_the_method():
    assert {s for s, *_ in RULES} >= {MOBES, PROM, CARE, HIP}


def test_the_safety_texts_are_written_in_our_own_words():
    """No 8 words in a row shared with a seed, for the texts said with every movement."""
    import re

    from mobes.domain import model
    from mobes.services import rehab_session

    if SEEDS is None:
        pytest.skip("the seed folder is missing")

    def runs(text, n=8):
        w = re.findall(r"[a-z0-9]+", text.lower())
        return {tuple(w[i:i + n]) for i in range(len(w) - n + 1)}

    seed = set()
    for p in SEEDS.glob("*.txt"):
        seed |= runs(p.read_text(encoding="utf-8", errors="replace"))
    texts = [rehab.CAREGIVER_INSTRUCTIONS, rehab.PROM_RULE, model.PAIN_RULE,
             model.PAIN_RULE_CAREGIVER, rehab_session.HELPER_NOTE, rules.SETS_RULE,
             rules.REPS_RULE, rules.MOVEMENTS_RULE, rules.PRESCRIBED_HINT]
    texts += [mv.dose.describe_set(mv.dose.target) for mv in CAT]
    assert not [t for t in texts if runs(t) & seed]

"""The HistoryStore contract: MemoryStore and SqliteStore must behave the same."""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from fakes import MemoryStore

from mobes.adapters.store_sqlite import SqliteStore
from mobes.domain.history import (
    BatchItemRow,
    BatchRow,
    DoseChange,
    FeedbackRow,
    OutcomeRow,
    PromptRow,
    SuppressedRow,
)

PARIS = ZoneInfo("Europe/Paris")
T0 = datetime(2026, 3, 2, 9, 0, 0, 123456, tzinfo=PARIS)


@pytest.fixture(params=["memory", "sqlite"])
def store(request, tmp_path):
    s = MemoryStore() if request.param == "memory" else SqliteStore(
        str(tmp_path / "data" / "history.sqlite3"))
    yield s
    s.close()


def reopen(store, tmp_path):
    """The same history as another process would see it (SQLite: a new connection)."""
    if isinstance(store, SqliteStore):
        return SqliteStore(store.path)
    return store


def test_prompt_round_trips_with_aware_times(store, tmp_path):
    row = PromptRow(at=T0, kind="microbreak", movement_ids=("neck-circles", "wrist-circles"),
                    amounts=(10, 15), why="neck not worked for 2 h")
    pid = store.add_prompt(row)
    [back] = reopen(store, tmp_path).prompts()
    assert back == row.replace(id=pid)
    assert back.at.utcoffset() is not None and back.at == T0
    assert back.outcome is None


def test_prompt_ids_are_distinct_and_increasing(store):
    ids = [store.add_prompt(PromptRow(at=T0 + timedelta(minutes=i), kind="microbreak",
                                      movement_ids=("a",), amounts=(1,))) for i in range(5)]
    assert ids == sorted(ids) and len(set(ids)) == 5


def test_latest_outcome_is_attached_to_its_prompt(store, tmp_path):
    p1 = store.add_prompt(PromptRow(at=T0, kind="microbreak", movement_ids=("a",), amounts=(5,)))
    p2 = store.add_prompt(PromptRow(at=T0 + timedelta(minutes=20), kind="microbreak",
                                    movement_ids=("b",), amounts=(6,)))
    store.add_outcome(OutcomeRow(prompt_id=p1, at=T0 + timedelta(minutes=1), outcome="snoozed"))
    store.add_outcome(OutcomeRow(prompt_id=p1, at=T0 + timedelta(minutes=7), outcome="done",
                                 movement_id="a", feedback="too-easy", reps_done=5))
    s = reopen(store, tmp_path)
    got = {p.id: p.outcome for p in s.prompts()}
    assert got == {p1: "done", p2: None}
    assert s.prompt_outcomes() == [(T0, "done"), (T0 + timedelta(minutes=20), None)]
    outs = s.outcomes()
    assert [o.outcome for o in outs] == ["snoozed", "done"]
    assert outs[1] == OutcomeRow(p1, T0 + timedelta(minutes=7), "done", "a", "too-easy", 5)


def test_outcome_for_unknown_prompt_is_refused(store):
    with pytest.raises(KeyError):
        store.add_outcome(OutcomeRow(prompt_id=999, at=T0, outcome="done"))
    assert store.outcomes() == []


def test_prompt_filters_by_time_window_and_kind(store):
    for i, kind in enumerate(["microbreak", "rehab-reminder", "microbreak", "microbreak"]):
        store.add_prompt(PromptRow(at=T0 + timedelta(hours=i), kind=kind, movement_ids=("a",),
                                   amounts=(1,)))
    assert len(store.prompts()) == 4
    assert [p.kind for p in store.prompts(kind="rehab-reminder")] == ["rehab-reminder"]
    window = store.prompts(since=T0 + timedelta(hours=1), until=T0 + timedelta(hours=3))
    assert [p.at for p in window] == [T0 + timedelta(hours=1), T0 + timedelta(hours=2)]
    assert len(store.prompts(since=T0 + timedelta(hours=1), kind="microbreak")) == 2


def test_reads_are_in_time_order_whatever_the_write_order(store):
    for h in (3, 1, 2):
        store.add_prompt(PromptRow(at=T0 + timedelta(hours=h), kind="microbreak",
                                   movement_ids=("a",), amounts=(h,)))
        store.add_suppressed(SuppressedRow(at=T0 + timedelta(hours=h), reason="idle"))
        store.add_feedback(FeedbackRow(at=T0 + timedelta(hours=h), movement_id="a",
                                       context="microbreak", feedback="ok"))
    assert [p.amounts for p in store.prompts()] == [(1,), (2,), (3,)]
    for rows in (store.suppressed(), store.feedback()):
        assert [r.at for r in rows] == sorted(r.at for r in rows)


def test_suppressed_round_trips_with_reason(store, tmp_path):
    rows = [SuppressedRow(at=T0, reason="idle", detail="no input for 7 min"),
            SuppressedRow(at=T0 + timedelta(hours=9), reason="outside-hours")]
    for r in rows:
        store.add_suppressed(r)
    s = reopen(store, tmp_path)
    assert s.suppressed() == rows
    assert s.suppressed(since=T0 + timedelta(hours=1)) == rows[1:]


def test_rehab_batch_round_trips_start_end_items_and_sitting(store, tmp_path):
    b = BatchRow(kind="rehab", plan="knee", day=date(2026, 3, 2), started=T0,
                 movement_ids=("assisted-hip-knee-flexion", "quad-sets"))
    bid = store.start_batch(b)
    items = [
        BatchItemRow(batch_id=bid, movement_id="assisted-hip-knee-flexion", set_no=1, side="left",
                     target=30, done=30, feedback=None, at=T0 + timedelta(minutes=2),
                     how="paced"),
        BatchItemRow(batch_id=bid, movement_id="assisted-hip-knee-flexion", set_no=1, side="right",
                     target=30, done=22, feedback="too-hard", at=T0 + timedelta(minutes=4),
                     how="clicked"),
        BatchItemRow(batch_id=bid, movement_id="quad-sets", set_no=1, target=25, done=25,
                     feedback="ok"),
    ]
    for it in items:
        store.add_batch_item(it)
    s = reopen(store, tmp_path)
    [got] = s.batches()
    assert got == b.replace(id=bid) and got.status == "in-progress" and got.ended is None
    store.end_batch(bid, T0 + timedelta(minutes=9), "complete")
    s = reopen(store, tmp_path)
    [got] = s.batches()
    assert (got.ended, got.status, got.sitting) == (T0 + timedelta(minutes=9), "complete", 1)
    assert isinstance(got.day, date) and got.day == date(2026, 3, 2)
    assert s.batch_items(bid) == items
    assert s.batch_items_since() == items


def test_maintenance_and_rehab_batches_are_kept_apart(store):
    m = store.start_batch(BatchRow(kind="maintenance", plan="", day=date(2026, 3, 2),
                                   started=T0, movement_ids=("a",)))
    r = store.start_batch(BatchRow(kind="rehab", plan="hip", day=date(2026, 3, 2),
                                   started=T0 + timedelta(hours=1), sitting=2))
    assert [b.id for b in store.batches(kind="maintenance")] == [m]
    assert [b.id for b in store.batches(kind="rehab")] == [r]
    assert [b.id for b in store.batches(plan="hip")] == [r]
    assert store.batches(kind="rehab")[0].sitting == 2
    assert [b.id for b in store.batches(since=T0 + timedelta(minutes=1))] == [r]
    with pytest.raises(ValueError):
        store.start_batch(BatchRow(kind="stretching", plan="", day=date(2026, 3, 2),
                                   started=T0))


def test_items_and_ends_need_an_existing_batch(store):
    with pytest.raises(KeyError):
        store.add_batch_item(BatchItemRow(batch_id=42, movement_id="a", set_no=1, target=1,
                                          done=1, feedback=None))
    with pytest.raises(KeyError):
        store.end_batch(42, T0, "complete")


def test_batch_items_since_follows_batch_start(store):
    early = store.start_batch(BatchRow(kind="rehab", plan="p", day=date(2026, 3, 1),
                                       started=T0 - timedelta(days=1)))
    late = store.start_batch(BatchRow(kind="rehab", plan="p", day=date(2026, 3, 2),
                                      started=T0))
    for bid in (late, early):
        store.add_batch_item(BatchItemRow(batch_id=bid, movement_id="a", set_no=1, target=5,
                                          done=5, feedback=None))
    assert [i.batch_id for i in store.batch_items_since()] == [early, late]
    assert [i.batch_id for i in store.batch_items_since(T0)] == [late]


def test_feedback_round_trips_and_filters_by_movement(store, tmp_path):
    rows = [FeedbackRow(at=T0, movement_id="a", context="microbreak", feedback="pain",
                        source="prompt"),
            FeedbackRow(at=T0 + timedelta(hours=1), movement_id="b", context="rehab",
                        feedback="too-easy")]
    for r in rows:
        store.add_feedback(r)
    s = reopen(store, tmp_path)
    assert s.feedback() == rows
    assert s.feedback(movement_id="b") == rows[1:]
    assert s.feedback(since=T0 + timedelta(minutes=1)) == rows[1:]


def test_dose_changes_round_trip_and_the_latest_is_the_state(store, tmp_path):
    rows = [
        DoseChange(at=T0, movement_id="a", context="rehab", kind="start", old=0, new=15,
                   reason="new plan starts at half the target"),
        DoseChange(at=T0 + timedelta(days=1), movement_id="a", context="rehab", kind="adapt",
                   old=15, new=10, reason="too hard: 70% and slower"),
        DoseChange(at=T0 + timedelta(days=2), movement_id="a", context="rehab", kind="rest",
                   old=10, new=10, reason="pain: rest 48 h",
                   until=T0 + timedelta(days=4)),
        DoseChange(at=T0 + timedelta(days=1), movement_id="a", context="microbreak",
                   kind="adapt", old=10, new=11, reason="too easy: +10%"),
    ]
    for r in rows:
        store.add_dose_change(r)
    s = reopen(store, tmp_path)
    assert s.dose_changes(movement_id="a", context="rehab") == rows[:3]
    assert s.dose_changes(context="microbreak") == rows[3:]
    assert [d.at for d in s.dose_changes()] == sorted(r.at for r in rows)
    assert s.dose_changes("a", "rehab")[-1].new == 10
    assert s.dose_changes("a", "rehab")[-1].until == T0 + timedelta(days=4)


def test_bulk_is_all_or_nothing(store):
    with store.bulk():
        for i in range(3):
            store.add_prompt(PromptRow(at=T0 + timedelta(minutes=i), kind="microbreak",
                                       movement_ids=("a",), amounts=(i + 1,)))
    with pytest.raises(RuntimeError), store.bulk():
        store.add_prompt(PromptRow(at=T0 + timedelta(hours=1), kind="microbreak",
                                   movement_ids=("a",), amounts=(9,)))
        raise RuntimeError("the agent crashed half-way")
    assert [p.amounts for p in store.prompts()] == [(1,), (2,), (3,)]


def test_naive_times_are_refused(store):
    if isinstance(store, MemoryStore):
        pytest.skip("the memory store keeps whatever it is given")
    with pytest.raises(ValueError):
        store.add_suppressed(SuppressedRow(at=datetime(2026, 3, 2, 9), reason="idle"))


def test_earliest(store):
    assert store.earliest() is None
    store.start_batch(BatchRow(kind="rehab", plan="p", day=date(2026, 3, 2),
                               started=T0 + timedelta(hours=2)))
    store.add_prompt(PromptRow(at=T0 + timedelta(hours=5), kind="microbreak",
                               movement_ids=("a",), amounts=(1,)))
    assert store.earliest() == T0 + timedelta(hours=2)
    assert store.earliest().astimezone(timezone.utc) == T0.astimezone(timezone.utc) + \
        timedelta(hours=2)

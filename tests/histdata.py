"""A known, varied history written through a real store, with what it should show."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from mobes.domain.history import (
    BatchItemRow,
    BatchRow,
    DoseChange,
    FeedbackRow,
    OutcomeRow,
    PromptRow,
    SuppressedRow,
)

KNEE = "assisted-hip-knee-flexion"  # a rehab movement of the built-in catalog

TRICKY_REASON = 'too hard: <b>smaller</b> & "slower"'


def at(d: date, h: int, m: int, tz) -> datetime:
    return datetime(d.year, d.month, d.day, h, m, tzinfo=tz)


def write(store, today: date, tz) -> dict:
    """Nine days before ``today``; returns the figures a report should draw."""
    day = {k: today - timedelta(days=k) for k in range(1, 10)}
    events = 0
    for k, d in day.items():
        for i in range(3):
            pid = store.add_prompt(PromptRow(
                at=at(d, 10, 20 * i, tz), kind="microbreak",
                movement_ids=("neck-circles",) if i != 1 else ("wrist-circles", "neck-rotation"),
                amounts=(10,) if i != 1 else (12, 8), why="rotation"))
            outcome = "away" if k == 5 else ("done" if i < k % 4 else "skipped")
            store.add_outcome(OutcomeRow(pid, at(d, 10, 20 * i + 1, tz), outcome))
            events += 2
        store.add_suppressed(SuppressedRow(at(d, 12, 0, tz), "idle", "no input for 9 min"))
        store.add_suppressed(SuppressedRow(at(d, 7, 0, tz), "outside-hours"))
        events += 2
    rehab = {1: ["complete"], 2: ["partial"], 3: ["missed"], 5: ["complete"],
             8: ["complete", "partial"]}
    for k, statuses in rehab.items():
        for n, status in enumerate(statuses):
            d = day[k]
            bid = store.start_batch(BatchRow(kind="rehab", plan="knee <left>", day=d,
                                             started=at(d, 18, 30 * n, tz), sitting=n + 1,
                                             movement_ids=(KNEE,)))
            events += 1
            sets = {"complete": 3, "partial": 1, "missed": 0}[status]
            for s in range(sets):
                store.add_batch_item(BatchItemRow(bid, KNEE, s + 1, "", 15, 15, None,
                                                  at(d, 18, 30 * n + 3 * s + 2, tz)))
                events += 1
            store.end_batch(bid, at(d, 18, 30 * n + 15, tz), status)
            events += 1  # the batch-end event
    doses = [
        DoseChange(at(day[9], 8, 0, tz), KNEE, "rehab", "start", 0, 15,
                   "a new plan starts at half the target"),
        DoseChange(at(day[6], 18, 20, tz), KNEE, "rehab", "adapt", 15, 10,
                   TRICKY_REASON),
        DoseChange(at(day[3], 18, 20, tz), KNEE, "rehab", "rest", 10, 10,
                   "pain: rested for 48 h", at(day[1], 18, 20, tz)),
        DoseChange(at(day[4], 11, 0, tz), "neck-circles", "microbreak", "adapt", 10, 11,
                   "too easy: +10%"),
    ]
    for dc in doses:
        store.add_dose_change(dc)
    marks = [
        FeedbackRow(at(day[6], 18, 19, tz), KNEE, "rehab", "too-hard", "batch"),
        FeedbackRow(at(day[3], 18, 19, tz), KNEE, "rehab", "pain", "batch"),
        FeedbackRow(at(day[4], 10, 59, tz), "neck-circles", "microbreak", "too-hard", "prompt"),
    ]
    for f in marks + [FeedbackRow(at(day[2], 10, 5, tz), "neck-circles", "microbreak", "ok")]:
        store.add_feedback(f)
    events += len(doses) + len(marks) + 1
    return {
        "first": day[9],
        "adherence_points": 8,  # every day but the one that found the user away
        "rehab_bars": len(rehab),
        "dose_charts": 2,
        "dose_points": len(doses),
        "marks": len(marks),
        "events": events,
    }

#!/usr/bin/env python3
"""Time ``mobes stats`` on a synthetic year of history (100,000 events by default).

The year is written through the store API (``SqliteStore.bulk()``) into a temporary
MOBES_HOME: workday microbreaks every 10 minutes with realistic outcomes (done, snoozed
then done, skipped, away, no answer), a daily rehab batch of three movements x three sets
(complete, partial or missed), feedback with the dose changes it causes, and prompts held
back (outside hours, idle, paused) to make up the total. Then ``python -m mobes stats``
(--week, --month, --month --json) runs N times each beside a bare ``python -c pass``
measured in the same run; the medians and their ratio to the baseline are printed.

    python scripts/bench_stats.py [--events 100000] [--runs 7] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from mobes.adapters.catalog_file import builtin  # noqa: E402
from mobes.adapters.store_sqlite import SqliteStore  # noqa: E402
from mobes.domain.history import (  # noqa: E402
    BatchItemRow,
    BatchRow,
    DoseChange,
    FeedbackRow,
    OutcomeRow,
    PromptRow,
    SuppressedRow,
)

ZONE = "Europe/Paris"
TARGET = 0.3  # seconds: the goal for `mobes stats` on a year


def build_year(store, today: date, events: int, tz, seed: int = 7) -> dict[str, int]:
    """Write about a year of history ending yesterday; returns rows written per table."""
    rng = random.Random(seed)
    cat = builtin()
    desk = [m for m in cat if m.desk_friendly]
    rehab = [m for m in cat if not m.desk_friendly][:3]
    plan_ids = tuple(m.id for m in rehab)
    counts = dict.fromkeys(("prompts", "outcomes", "suppressed", "batches", "batch_items",
                            "feedback", "dose_changes"), 0)
    dose = {m.id: m.dose.target // 2 for m in rehab}
    first = today - timedelta(days=365)
    with store.bulk():
        for m in rehab:
            store.add_dose_change(DoseChange(
                at=datetime.combine(first, datetime.min.time(), tz), movement_id=m.id,
                context="rehab", kind="start", old=0, new=dose[m.id],
                reason="a new plan starts at half the target"))
            counts["dose_changes"] += 1
        day = first
        while day < today:
            if day.weekday() < 5:
                t = datetime(day.year, day.month, day.day, 8, 0, tzinfo=tz)
                while t.hour < 18:
                    picks = rng.sample(desk, rng.choice((1, 1, 2)))
                    pid = store.add_prompt(PromptRow(
                        at=t, kind="microbreak", movement_ids=tuple(m.id for m in picks),
                        amounts=tuple(m.dose.amount for m in picks),
                        why=f"{picks[0].regions[0]} not worked for a while"))
                    counts["prompts"] += 1
                    r = rng.random()
                    outs = (["done"] if r < 0.6 else ["snoozed", "done"] if r < 0.7
                            else ["skipped"] if r < 0.8 else ["away"] if r < 0.9 else [])
                    for n, o in enumerate(outs):
                        store.add_outcome(OutcomeRow(prompt_id=pid,
                                                     at=t + timedelta(minutes=1 + 5 * n),
                                                     outcome=o))
                        counts["outcomes"] += 1
                    t += timedelta(minutes=10)
            start = datetime(day.year, day.month, day.day, 18, 30, tzinfo=tz)
            r = rng.random()
            status = "complete" if r < 0.8 else "partial" if r < 0.9 else "missed"
            bid = store.start_batch(BatchRow(kind="rehab", plan="knee", day=day, started=start,
                                             movement_ids=plan_ids))
            counts["batches"] += 1
            at = start
            sets = 0 if status == "missed" else 9 if status == "complete" else 4
            for k in range(sets):
                m = rehab[k % 3]
                at += timedelta(minutes=2)
                fb = rng.choices(("ok", "too-easy", "too-hard", "pain"), (90, 5, 4, 1))[0]
                store.add_batch_item(BatchItemRow(batch_id=bid, movement_id=m.id,
                                                  set_no=k // 3 + 1, target=dose[m.id],
                                                  done=dose[m.id], feedback=fb, at=at))
                counts["batch_items"] += 1
                if fb != "ok":
                    store.add_feedback(FeedbackRow(at=at, movement_id=m.id, context="rehab",
                                                   feedback=fb, source="batch"))
                    counts["feedback"] += 1
                    old = dose[m.id]
                    f = {"too-easy": 1.1, "too-hard": 0.7, "pain": 0.5}[fb]
                    new = max(m.dose.floor, min(m.dose.max, round(old * f) or 1))
                    if new != old:
                        dose[m.id] = new
                        store.add_dose_change(DoseChange(
                            at=at, movement_id=m.id, context="rehab", kind="adapt", old=old,
                            new=new, reason=f"{fb}: dose x{f}"))
                        counts["dose_changes"] += 1
            store.end_batch(bid, at + timedelta(minutes=1), status)
            day += timedelta(days=1)
        left = events - sum(counts.values())
        days = (today - first).days
        per_day = max(left // days, 0)
        extra = left - per_day * days
        day = first
        while day < today and left > 0:
            n = per_day + (1 if extra > 0 else 0)
            extra -= 1
            base = datetime(day.year, day.month, day.day, tzinfo=tz)
            for k in range(min(n, left)):
                at = base + timedelta(seconds=(k + 0.5) * 86400 / n)
                reason = ("outside-hours" if not 8 <= at.hour < 18 or day.weekday() >= 5
                          else rng.choice(("idle", "paused", "do-not-disturb")))
                store.add_suppressed(SuppressedRow(at=at, reason=reason))
                counts["suppressed"] += 1
                left -= 1
            day += timedelta(days=1)
    return counts


def timed(cmd: list[str], env: dict, runs: int) -> tuple[float, str]:
    out = ""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        r = subprocess.run(cmd, env=env, capture_output=True, text=True)
        times.append(time.perf_counter() - t)
        if r.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed:\n{r.stderr}")
        out = r.stdout
    return statistics.median(times), out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--keep", metavar="DIR", help="build the history in DIR and keep it")
    args = ap.parse_args()
    home = args.keep or tempfile.mkdtemp(prefix="mobes-bench-")
    env = dict(os.environ, MOBES_HOME=home, TZ=ZONE,
               PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    os.environ["MOBES_HOME"] = home
    from mobes.adapters import paths

    path = paths.history_file()
    if os.path.exists(path):
        os.unlink(path)
    tz = ZoneInfo(ZONE)
    t = time.perf_counter()
    store = SqliteStore(path)
    counts = build_year(store, datetime.now(tz).date(), args.events, tz)
    store.close()
    built = time.perf_counter() - t
    total = sum(counts.values())
    size = os.path.getsize(path) / 1e6
    print(f"synthetic year: {total} events in {built:.1f} s, {size:.1f} MB "
          f"({', '.join(f'{k} {v}' for k, v in counts.items())})")
    try:
        py = sys.executable
        base, _ = timed([py, "-c", "pass"], env, args.runs)
        print(f"baseline  python -c pass            {base:.3f} s")
        worst = 0.0
        for flags in (["--week"], ["--month"], ["--month", "--json"]):
            secs, out = timed([py, "-m", "mobes", "stats", *flags], env, args.runs)
            worst = max(worst, secs)
            print(f"mobes stats {' '.join(flags):<22} {secs:.3f} s  ({secs / base:.1f}x "
                  "baseline)")
        print(f"target: under {TARGET} s -> {'met' if worst < TARGET else 'NOT met'} "
              f"(slowest {worst:.3f} s; median of {args.runs} runs)")
        return 0 if worst < TARGET else 1
    finally:
        if not args.keep:
            shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

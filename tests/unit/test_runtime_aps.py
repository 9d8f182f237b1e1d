"""The APScheduler runtime with a real scheduler: one ``due`` job that follows the agent's
next wakeup, a ``watch`` job for idle polls and config checks, late jobs run once."""

import threading
from datetime import datetime, timedelta, timezone

from mobes.adapters.runtime_aps import Runtime

UTC = timezone.utc


class FakeApp:
    def __init__(self, wakeup):
        self.wakeup = wakeup
        self.ticks = 0
        self.ticked = threading.Event()
        self.subscribers = []

    def next_wakeup(self):
        return self.wakeup

    def tick(self):
        self.ticks += 1
        self.ticked.set()

    def subscribe(self, cb):
        self.subscribers.append(cb)

    def change(self, wakeup):
        self.wakeup = wakeup
        for cb in self.subscribers:
            cb()


def wait_ticks(app, n, timeout=10):
    deadline = datetime.now(UTC) + timedelta(seconds=timeout)
    while app.ticks < n and datetime.now(UTC) < deadline:
        app.ticked.wait(0.2)
        app.ticked.clear()
    return app.ticks


def test_due_job_follows_the_agents_next_wakeup():
    later = datetime.now(UTC) + timedelta(hours=2)
    app = FakeApp(later)
    rt = Runtime(app, poll_seconds=30)
    rt.start()
    try:
        assert wait_ticks(app, 1) >= 1  # the first tick runs at start
        jobs = rt.jobs()
        assert jobs["due"] == later
        assert (jobs["watch"] - datetime.now(UTC)) <= timedelta(seconds=30)
        sooner = datetime.now(UTC) + timedelta(minutes=5)
        app.change(sooner)  # the agent's state changed: the due job moves
        assert rt.jobs()["due"] == sooner
        app.change(None)  # nothing ahead: no due job
        assert "due" not in rt.jobs()
        # an overdue wakeup (the machine slept past it) runs once, right away
        before = app.ticks
        app.change(datetime.now(UTC) - timedelta(hours=1))
        assert wait_ticks(app, before + 1) >= before + 1
    finally:
        rt.stop()


def test_jobs_coalesce_and_never_miss():
    app = FakeApp(None)
    rt = Runtime(app)
    defaults = rt.scheduler._job_defaults
    assert defaults["coalesce"] is True and defaults["misfire_grace_time"] is None
    assert defaults["max_instances"] == 1


def test_a_failing_tick_does_not_stop_the_runtime():
    class Flaky(FakeApp):
        def tick(self):
            super().tick()
            if self.ticks == 1:
                raise RuntimeError("boom")

    app = Flaky(datetime.now(UTC) + timedelta(milliseconds=300))
    rt = Runtime(app)
    rt.start()
    try:
        assert wait_ticks(app, 2) >= 2
    finally:
        rt.stop()

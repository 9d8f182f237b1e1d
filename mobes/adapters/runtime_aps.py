"""APScheduler 3 drives the agent (the only module that imports apscheduler).

Two jobs, one worker thread, no busy loop:

- ``due``: one date job at the agent's next wakeup (a due prompt, a snoozed prompt, the end
  of a pause, a rehab reminder). It is moved whenever the agent's state changes (the agent
  tells its subscribers) and after every run.
- ``watch``: every 30 s. It reads idle time (the agent asks only during working hours),
  stats the config files (re-read only when they changed) and notices a wall clock that
  jumped: timers wait on a monotonic clock that stands still while the machine sleeps, so
  after a suspend this job is what runs the overdue ``due`` job within 30 s.

Jobs coalesce and have no misfire limit: however late, an overdue job runs once, and the
policy decides what a late tick means (at most one prompt after a suspend).

Footprint: importing APScheduler 3 also imports ``asyncio`` and ``importlib.metadata``
(about 8 MB of RSS: scripts/bench_agent.py measured the idle headless agent at 28.8 MB with
them, 21.1 MB when they were swapped for stand-ins, both under the 35 MB target), so it is
imported the ordinary way, and only when the agent starts.
"""

from __future__ import annotations

import logging
import threading
from datetime import timezone

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

log = logging.getLogger("mobes.runtime")

POLL_SECONDS = 30


class Runtime:
    def __init__(self, app: Any, poll_seconds: int = POLL_SECONDS) -> None:
        from apscheduler.executors.pool import ThreadPoolExecutor
        from apscheduler.schedulers.background import BackgroundScheduler

        self.app = app
        self.poll_seconds = poll_seconds
        self.scheduler = BackgroundScheduler(
            executors={"default": ThreadPoolExecutor(max_workers=1)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
            timezone=timezone.utc,
        )
        self._started = False
        self._reschedule_lock = threading.Lock()

    def _run_tick(self) -> None:
        try:
            self.app.tick()
        except Exception:  # one bad tick must not stop the agent
            log.exception("tick failed")
        self.reschedule()

    def reschedule(self) -> None:
        """Put the ``due`` job at the agent's next wakeup (or remove it: nothing ahead).

        Called from the scheduler's worker after each tick and from whichever thread
        changed the agent: one at a time, each reading the wakeup under the lock, so a
        slower call can never put back (or remove) the job by a wakeup that has changed."""
        with self._reschedule_lock:
            self._reschedule()

    def _reschedule(self) -> None:
        if not self._started:
            return
        when = self.app.next_wakeup()
        job = self.scheduler.get_job("due")
        if when is None:
            if job is not None:
                job.remove()
            return
        if job is not None and job.next_run_time == when:
            return
        from apscheduler.triggers.date import DateTrigger

        self.scheduler.add_job(self._run_tick, DateTrigger(run_date=when, timezone=timezone.utc),
                               id="due", replace_existing=True, name="due")

    def start(self) -> None:
        from apscheduler.triggers.interval import IntervalTrigger

        self.scheduler.start()
        self._started = True
        self.scheduler.add_job(self._run_tick, IntervalTrigger(seconds=self.poll_seconds,
                                                               timezone=timezone.utc),
                               id="watch", name="watch", replace_existing=True)
        self.app.subscribe(self.reschedule)
        self.reschedule()
        from apscheduler.triggers.date import DateTrigger

        self.scheduler.add_job(self._run_tick, DateTrigger(timezone=timezone.utc), id="first",
                               name="first tick")

    def jobs(self) -> dict[str, Any]:
        """Job id -> next run time (for tests and the log)."""
        return {j.id: j.next_run_time for j in self.scheduler.get_jobs()}

    def stop(self) -> None:
        if self._started:
            self._started = False
            try:
                # Empty the job store first: APScheduler 3.11 raises JobLookupError in its
                # own thread when shutdown() lands while it is retiring a one-off job (the
                # first tick, an agent stopped right after it started); removing the jobs
                # waits for that pass to finish and leaves the next one nothing to retire.
                self.scheduler.remove_all_jobs()
                self.scheduler.shutdown(wait=False)
            except Exception:
                pass

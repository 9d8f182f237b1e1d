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

Footprint: APScheduler 3 imports ``asyncio`` for one helper and ``importlib.metadata`` to
scan every installed package's entry points for plugins, about 10 MB of RSS and 40 ms
together, for nothing here (we pass trigger, executor and job store instances, never plugin
names). ``_import_scheduler`` imports it with two small stand-ins for those modules, then
removes them again so any later importer gets the real ones; if that fails for any reason
it imports APScheduler the ordinary way.
"""

from __future__ import annotations

import logging
from datetime import timezone

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

log = logging.getLogger("mobes.runtime")

POLL_SECONDS = 30


def _apscheduler_version() -> str:
    """APScheduler's version from its dist-info folder name (what importlib.metadata would
    find, without scanning every package)."""
    import importlib.util
    import os

    spec = importlib.util.find_spec("apscheduler")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        site = os.path.dirname(folder)
        for name in os.listdir(site):
            low = name.lower()
            if low.startswith("apscheduler-") and low.endswith(".dist-info"):
                return name[len("apscheduler-"):-len(".dist-info")]
    raise LookupError("APScheduler")


def _import_scheduler() -> None:
    import inspect
    import sys
    import types

    if "apscheduler.schedulers.background" in sys.modules:
        return
    stubs: dict[str, types.ModuleType] = {}
    if "asyncio" not in sys.modules:
        aio = types.ModuleType("asyncio")
        aio.iscoroutinefunction = inspect.iscoroutinefunction  # type: ignore[attr-defined]
        stubs["asyncio"] = aio
    if "importlib.metadata" not in sys.modules:
        md = types.ModuleType("importlib.metadata")

        class PackageNotFoundError(LookupError):
            pass

        class NoEntryPoints(dict):
            def __missing__(self, key):
                return ()

        def version(name: str) -> str:
            try:
                return _apscheduler_version()
            except (LookupError, OSError):
                raise PackageNotFoundError(name) from None

        md.PackageNotFoundError = PackageNotFoundError  # type: ignore[attr-defined]
        md.version = version  # type: ignore[attr-defined]
        md.entry_points = (  # type: ignore[attr-defined]
            lambda group=None: () if group else NoEntryPoints())
        stubs["importlib.metadata"] = md
    sys.modules.update(stubs)
    try:
        import apscheduler.schedulers.background  # noqa: F401
    except Exception:
        for name in [n for n in sys.modules if n == "apscheduler" or
                     n.startswith("apscheduler.")]:
            del sys.modules[name]
        for name, mod in stubs.items():
            if sys.modules.get(name) is mod:
                del sys.modules[name]
        stubs = {}
        import apscheduler.schedulers.background  # noqa: F401
    finally:
        for name, mod in stubs.items():
            if sys.modules.get(name) is mod:
                del sys.modules[name]


class Runtime:
    def __init__(self, app: Any, poll_seconds: int = POLL_SECONDS) -> None:
        _import_scheduler()
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

    def _run_tick(self) -> None:
        try:
            self.app.tick()
        except Exception:  # one bad tick must not stop the agent
            log.exception("tick failed")
        self.reschedule()

    def reschedule(self) -> None:
        """Put the ``due`` job at the agent's next wakeup (or remove it: nothing ahead)."""
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
                self.scheduler.shutdown(wait=False)
            except Exception:
                pass

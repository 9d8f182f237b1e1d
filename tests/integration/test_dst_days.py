"""`mobes stats` and the agent cut days the same way across a DST change.

Both take the zone from one resolver (mobes.bootstrap.zone, adapters/localzone): with the
system zone given as a path (TZ=":/usr/share/zoneinfo/Europe/Berlin"), the old stats code
fell back to the machine's /etc/localtime (or today's fixed offset) and counted the days of
the DST weekend differently from the agent."""

import json
import time
from datetime import datetime, timedelta, timezone

import pytest

from mobes import bootstrap
from mobes.domain.history import PromptRow
from mobes.domain.settings import Settings
from mobes.services.agent import App
from tests.fakes import FakeClock, fake_env, run_cli

UTC = timezone.utc
BERLIN_FILE = "/usr/share/zoneinfo/Europe/Berlin"


class Settled:
    """A reloader that never changes the settings."""

    def __init__(self, settings):
        self.settings = settings

    def check(self):
        return False


class Quiet:
    def notify(self, title, message, timeout_seconds):
        return True


@pytest.fixture(params=[":" + BERLIN_FILE, BERLIN_FILE, "Europe/Berlin"])
def berlin_tz(request, monkeypatch):
    import os

    if not os.path.exists(BERLIN_FILE):
        pytest.skip("no system time zone database")
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


# (the DST Sunday, now on that Sunday evening in UTC, day length in hours)
DST_SUNDAYS = [
    ("2026-03-29", datetime(2026, 3, 29, 21, 0, tzinfo=UTC), 23),  # spring forward
    ("2026-10-25", datetime(2026, 10, 25, 22, 0, tzinfo=UTC), 25),  # fall back
]


@pytest.mark.parametrize("day, now, hours", DST_SUNDAYS)
def test_stats_and_the_agent_agree_on_the_day_across_dst(berlin_tz, day, now, hours):
    clock = FakeClock(now)
    bootstrap.install(fake_env(clock=clock))  # the agent's parts below are built under it
    local_midnight = datetime.fromisoformat(day + "T00:00").replace(
        tzinfo=bootstrap.zone(None)).astimezone(UTC)
    # one prompt just after the local midnight (still "yesterday" in UTC or at a fixed
    # offset), one just before it (the day before), one in the afternoon
    times = [local_midnight + timedelta(minutes=20), local_midnight - timedelta(minutes=20),
             local_midnight + timedelta(hours=15)]
    store = bootstrap.open_store()
    try:
        for t in times:
            store.add_prompt(PromptRow(at=t, kind="microbreak", movement_ids=("neck-circles",),
                                       amounts=(10,)))
    finally:
        store.close()

    r = run_cli("stats", "--day", "--json", clock=clock)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    stats_start = datetime.fromisoformat(data["start"])

    # the agent's own day: a pause "for the rest of the day" ends at its next midnight
    app = App(Settled(Settings()), bootstrap.catalog_for(Settings()), bootstrap.open_store(),
              Quiet(), None, bootstrap.clock(), zone_for=bootstrap.zone, say=lambda m: None)
    try:
        app.pause(-1)
        agent_end = datetime.fromisoformat(app.status()["paused_until"])
    finally:
        app.store.close()
        bootstrap.install(None)

    assert stats_start.astimezone(UTC) == local_midnight
    assert agent_end - stats_start == timedelta(hours=hours)  # the same (short or long) day
    inside = [t for t in times if stats_start <= t < agent_end]
    assert data["prompted"] == len(inside) == 2

"""The one place that builds the real parts (settings, catalog, store, clock) for commands
and the agent. Adapters are imported here lazily so commands pay only for what they use."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import datetime

    from mobes.domain.catalog import Catalog
    from mobes.domain.settings import Settings
    from mobes.services.ports import HistoryStore


def load_settings(cli_overrides: dict | None = None) -> Settings:
    """The effective settings from all config layers (defaults < team < user < flags).

    Raises ``mobes.config.ConfigError`` (a MobesError) naming every mistake; warnings,
    such as an ignored override of a locked key, go to stderr.
    """
    import sys

    from mobes.config import load

    loaded = load(cli_overrides)
    for w in loaded.warnings:
        sys.stderr.write(f"mobes: warning: {w}\n")
    return loaded.settings


def catalog_for(settings: Settings) -> Catalog:
    """Built-in movements plus any the team or user files add."""
    from mobes.domain.catalog import builtin

    cat = builtin()
    return cat.with_extra(settings.movements) if settings.movements else cat


def open_store(check: bool = False) -> HistoryStore:
    """The history file in the data folder (created when missing). A damaged file is moved
    aside and a fresh one started; the warning saying so goes to stderr once. ``check``
    runs SQLite's integrity check first (the agent, once at start-up: it reads the file)."""
    import sys

    from mobes.adapters import paths
    from mobes.adapters.store_sqlite import SqliteStore

    seen: set[str] = set()

    def warn(message: str) -> None:
        if message not in seen:
            seen.add(message)
            sys.stderr.write(f"mobes: warning: {message}\n")

    return SqliteStore(paths.history_file(), on_warning=warn, check=check)


def now() -> datetime:
    """The current time, aware, in the local zone."""
    from datetime import datetime

    return datetime.now().astimezone()


def work_zone(settings: Settings):
    """The zone working hours are read in: ``settings.work.timezone``, where "local" is
    this computer's zone with its DST rules (not just today's offset)."""
    from mobes.adapters.localzone import zone_named

    return zone_named(settings.work.timezone)

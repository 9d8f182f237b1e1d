"""The composition root: the one place that builds the real parts (settings, catalog,
store, clock, zone) for the commands and for the agent (``build_agent``). Adapters are
imported here lazily so commands pay only for what they use.

Time comes from one clock (``CLOCK``) and local days from one zone resolver (``zone``,
``mobes.adapters.localzone``): the agent and every command cut days the same way, also
across a DST change. No command reads the clock or resolves a zone itself."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import datetime, tzinfo

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
    from mobes.adapters.catalog_file import builtin

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


class SystemClock:
    """The real clock: aware UTC datetimes."""

    @staticmethod
    def now() -> datetime:
        from datetime import datetime, timezone

        return datetime.now(timezone.utc)


CLOCK = SystemClock()


def zone(settings: Settings | None = None) -> tzinfo:
    """The zone working hours are read and days are counted in: ``settings.work.timezone``,
    where "local" (and no settings) is this computer's zone with its DST rules (not just
    today's offset)."""
    from mobes.adapters.localzone import zone_named

    return zone_named(settings.work.timezone if settings is not None else "local")


work_zone = zone


def now(settings: Settings | None = None) -> datetime:
    """The current time from ``CLOCK``, aware, in ``zone(settings)``."""
    return CLOCK.now().astimezone(zone(settings))


# --- the agent ---------------------------------------------------------------------------


def _has_desktop() -> bool:
    import os
    import sys

    return sys.platform in ("win32", "darwin") or bool(
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def choose_ui(headless: bool, settings: Settings) -> tuple[str, str]:
    """("tray" | "headless", why). The tray adapter picks its backend (GTK/AppIndicator for
    a real menu on Linux) and says why when there is none."""
    if headless:
        return "headless", "asked for with --headless"
    if not settings.tray.enabled or settings.tray.backend == "none":
        return "headless", "the tray is turned off in the config"
    try:
        from mobes.adapters import tray
    except ImportError as e:
        return "headless", f"tray support is not installed ({e})"
    try:
        ok, reason = tray.available(settings.tray.backend)
    except Exception as e:  # pystray raises Xlib errors, not ImportError, without a display
        ok, reason = False, f"{type(e).__name__}: {e}"
    return ("tray" if ok else "headless"), reason


def delivery(mode: str, explicit_headless: bool, reloader, log):
    """Tray: desktop notifications, the terminal when they fail or are turned off.
    Headless: the terminal always (keys answer there), plus desktop notifications when a
    desktop is there and only the tray is missing (``[tray] enabled = false``)."""
    from mobes.services.agent import Delivery
    from mobes.ui.console import ConsoleNotifier

    headless = mode == "headless"
    console = ConsoleNotifier(keys=headless)
    desktop = None
    if not explicit_headless and _has_desktop():
        try:
            from mobes.adapters.notify_plyer import FallbackNotifier, PlyerNotifier
        except ImportError as e:
            log.warning("desktop notifications are not available (%s): prompts go to the "
                        "terminal", e)
        else:
            if headless:  # the terminal shows every prompt anyway: just say it once
                desktop = PlyerNotifier(
                    app_name=reloader.settings.notifications.app_name,
                    on_failure=lambda why: log.warning(
                        "desktop notifications unavailable: %s", why))
            else:
                desktop = FallbackNotifier(
                    PlyerNotifier(app_name=reloader.settings.notifications.app_name),
                    console, say=log.warning)
    return Delivery(reloader, desktop, console, console_always=headless)


class AgentParts:
    """The running agent's parts, built by ``build_agent``; ``close()`` releases them."""

    def __init__(self) -> None:
        self.app = self.runtime = self.store = self.idle = None
        self.mode, self.why = "headless", ""
        self.settings: Settings | None = None
        from mobes.adapters import agent_status

        self.status_file = agent_status.status_path()

    def close(self) -> None:
        from mobes.adapters import agent_status

        if self.runtime is not None:
            self.runtime.stop()
        if self.store is not None:
            self.store.close()
        close = getattr(self.idle, "close", None)  # only the X11 monitor holds a connection
        if close is not None:
            close()
        agent_status.remove(self.status_file)


def build_agent(parts: AgentParts, *, interval: int | None, headless: bool, log) -> AgentParts:
    """Wire the agent: config reloader, catalog, history store (integrity-checked), prompt
    delivery, idle monitor, the clock and the zone resolver, and its scheduler. Fills
    ``parts`` as it goes, so ``parts.close()`` releases whatever was built when a step
    fails."""
    from mobes.config import Reloader

    overrides = {}
    if interval is not None:
        overrides["microbreaks.interval_minutes"] = interval
    reloader = Reloader(overrides or None,
                        on_error=lambda e: log.warning("config not reloaded, the last "
                                                       "good settings stay: %s", e),
                        on_warning=lambda w: log.warning("warning: %s", w))
    parts.settings = settings = reloader.settings
    catalog = catalog_for(settings)
    parts.store = open_store(check=True)
    parts.mode, parts.why = choose_ui(headless, settings)
    if parts.mode == "headless" and not headless:
        log.warning("no tray icon (%s): prompts appear in this terminal", parts.why)
    from mobes.adapters.idle import make_monitor
    from mobes.adapters.runtime_aps import Runtime
    from mobes.services.agent import App

    parts.idle = make_monitor()  # says why when idle time cannot be known here
    parts.app = App(reloader, catalog, parts.store,
                    delivery(parts.mode, headless, reloader, log), parts.idle, CLOCK,
                    zone_for=zone, catalog_for=catalog_for,
                    write_status=status_writer(parts.status_file),
                    open_config=config_opener(), say=log.warning)
    parts.runtime = Runtime(parts.app)
    return parts


def status_writer(path: str):
    """What the agent calls with its status: ``agent.json`` at ``path``, with the pid and
    the policy state as plain data (what ``mobes next`` and ``preview`` read)."""
    import os

    from mobes.adapters import agent_status

    def write(data: dict) -> None:
        agent_status.write({"pid": os.getpid(), **data,
                            "state": agent_status.state_to_dict(data["state"])}, path)

    return write


def config_opener(opener=None):
    """What the agent calls for "Open config": write the user file from the documented
    template when it is missing, then open it (``opener(path)``, default: the desktop's
    own application). Returns the path."""

    def open_config() -> str:
        import os

        from mobes.adapters import paths
        from mobes.adapters.opener import open_with_system

        path = paths.user_config_file()
        if not os.path.exists(path):
            from mobes.config import user_file_template

            paths.ensure_dir(os.path.dirname(path))
            with open(path, "x", encoding="utf-8") as f:
                f.write(user_file_template())
        (opener or open_with_system)(path)
        return path

    return open_config

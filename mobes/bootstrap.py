"""The composition root: the one place that builds the real parts (settings, catalog,
store, clock, zone) for the commands and for the agent (``build_agent``). Adapters are
imported here lazily so commands pay only for what they use; commands reach adapters only
through the functions below (the import contracts in pyproject.toml hold them to it).

Everything comes from the run's environment (``env()``, a ``mobes.env.Env``): the streams
warnings go to, the environment variables that name the files, and the one clock. Local
days come from one zone resolver (``zone``, ``mobes.adapters.localzone``): the agent and
every command cut days the same way, also across a DST change. No command reads the clock
or resolves a zone itself. ``mobes.cli.main(argv, env)`` installs its env here for the
length of the run."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import datetime, tzinfo

    from mobes.domain.catalog import Catalog
    from mobes.domain.settings import Settings
    from mobes.env import Env
    from mobes.services.ports import HistoryStore

_env: Env | None = None


def env() -> Env:
    """The environment of this run: the one ``main`` was given, else the real one."""
    global _env
    if _env is None:
        from mobes.env import Env

        _env = Env.real()
    return _env


def install(new: Env | None) -> Env | None:
    """Make ``new`` the environment of this run (None: the real one, on next use); returns
    the one it replaces, so a caller can put it back."""
    global _env
    old, _env = _env, new
    return old


def clock():
    """The one clock (the env's): ``now()`` aware UTC, ``monotonic()``, ``sleep()``."""
    return env().clock


def warn(message: str) -> None:
    """A warning for the user, on the env's standard error."""
    env().stderr.write(f"mobes: warning: {message}\n")


def load_settings(cli_overrides: dict | None = None) -> Settings:
    """The effective settings from all config layers (defaults < team < user < flags).

    Raises ``mobes.config.ConfigError`` (a MobesError) naming every mistake; warnings,
    such as an ignored override of a locked key, go to stderr.
    """
    return load_config(cli_overrides).settings


def load_config(cli_overrides: dict | None = None, **files):
    """``mobes.config.load`` under the env's variables (``files``: ``user_file``,
    ``team_file``, as there); its warnings go to stderr. Returns the ``Loaded`` config."""
    from mobes.config import load

    loaded = load(cli_overrides, environ=env().environ, **files)
    for w in loaded.warnings:
        warn(w)
    return loaded


def catalog_for(settings: Settings) -> Catalog:
    """Built-in movements plus any the team or user files add."""
    from mobes.adapters.catalog_file import builtin

    cat = builtin()
    return cat.with_extra(settings.movements) if settings.movements else cat


def open_store(check: bool = False) -> HistoryStore:
    """The history file in the data folder (created when missing). A damaged file is moved
    aside and a fresh one started; the warning saying so goes to stderr once. ``check``
    runs SQLite's integrity check first (the agent, once at start-up: it reads the file)."""
    from mobes.adapters.store_sqlite import SqliteStore

    seen: set[str] = set()

    def once(message: str) -> None:
        if message not in seen:
            seen.add(message)
            warn(message)

    return SqliteStore(env().paths.history_file(), on_warning=once, check=check)


def zone(settings: Settings | None = None) -> tzinfo:
    """The zone working hours are read and days are counted in: ``settings.work.timezone``,
    where "local" (and no settings) is this computer's zone with its DST rules (not just
    today's offset; ``TZ`` from the env)."""
    from mobes.adapters.localzone import zone_named

    return zone_named(settings.work.timezone if settings is not None else "local",
                      env().environ)


work_zone = zone


def now(settings: Settings | None = None) -> datetime:
    """The current time from the env's clock, aware, in ``zone(settings)``."""
    return clock().now().astimezone(zone(settings))


# --- what commands reach of the adapters -------------------------------------------------


def agent_status() -> dict | None:
    """The running agent's status file (``mobes next``, ``preview``), or None when no
    agent runs."""
    from mobes.adapters import agent_status as status

    return status.read(status.status_path(env().paths.state_dir()))


def agent_state(data: dict):
    """The policy state in an agent status (``agent_status()["state"]``)."""
    from mobes.adapters.agent_status import state_from_dict

    return state_from_dict(data)


def write_file(path: str, text: str, **options) -> None:
    """Replace ``path`` in one step (``mobes.adapters.paths.write_atomic``)."""
    from mobes.adapters.paths import write_atomic

    write_atomic(path, text, **options)


def autostart(action: str) -> tuple[str, bool]:
    """Write ("enable") or remove ("disable") the login entry: (its path, changed)."""
    from mobes.adapters import autostart as entry

    if action == "enable":
        return entry.enable(environ=env().environ), True
    return entry.disable(environ=env().environ)


def instance_lock():
    """The single-instance lock of the agent, in the state folder."""
    from mobes.adapters.instance import InstanceLock

    return InstanceLock(env().paths.state_dir())


def tray_ui(app, settings: Settings):
    """The tray icon and menu for a running agent (``choose_ui`` said "tray")."""
    from mobes.adapters.tray.ui import TrayUI

    return TrayUI(app, settings)


# --- the agent ---------------------------------------------------------------------------


def _has_desktop() -> bool:
    import sys

    environ = env().environ
    return sys.platform in ("win32", "darwin") or bool(
        environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))


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
    console = ConsoleNotifier(env().stdout, keys=headless)
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

        self.status_file = agent_status.status_path(env().paths.state_dir())

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
                        on_warning=lambda w: log.warning("warning: %s", w),
                        environ=env().environ)
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
                    delivery(parts.mode, headless, reloader, log), parts.idle, clock(),
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

        from mobes.adapters.opener import open_with_system

        path = env().paths.user_config_file()
        if not os.path.exists(path):
            from mobes.config import user_file_template

            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "x", encoding="utf-8") as f:
                f.write(user_file_template())
        (opener or open_with_system)(path)
        return path

    return open_config

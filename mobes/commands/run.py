"""``mobes run``: the agent. A tray icon with a menu and desktop notifications when the
desktop has a tray; otherwise (or with ``--headless``) prompts in this terminal, answered
with single keys. One agent per user."""

from __future__ import annotations

import sys


def _minutes(text: str) -> int:
    import argparse

    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected whole minutes, got {text!r}") from None


def register(sub, name: str, summary: str) -> None:
    p = sub.add_parser(name, help=summary, description=summary.capitalize() + ". "
                       "Without a display or a tray it runs headless in the terminal.")
    p.add_argument("--headless", action="store_true",
                   help="no tray: prompts appear in this terminal and single keys answer "
                        "them (d done, h too hard, e too easy, p pain, s skip, z snooze)")
    p.add_argument("--interval", type=_minutes, metavar="MIN",
                   help="minutes between microbreaks, 5 to 120 (overrides the config)")
    p.set_defaults(func=run)


class SystemClock:
    @staticmethod
    def now():
        from datetime import datetime, timezone

        return datetime.now(timezone.utc)


LOG_LIMIT = 1_000_000  # bytes; a bigger log is moved to agent.log.1 when the agent starts


def _setup_logging(state_dir: str):
    """Warnings to stderr; everything to ``<state dir>/agent.log`` (rotated at start-up:
    ``logging.handlers`` would cost a megabyte of RSS for the whole run)."""
    import logging
    import os

    from mobes.adapters import paths

    root = logging.getLogger("mobes")
    root.setLevel(logging.INFO)
    root.propagate = False
    err = logging.StreamHandler(sys.stderr)
    err.setLevel(logging.WARNING)
    err.setFormatter(logging.Formatter("mobes: %(message)s"))
    root.addHandler(err)
    try:
        paths.ensure_dir(state_dir)
        path = os.path.join(state_dir, "agent.log")
        if os.path.exists(path) and os.path.getsize(path) > LOG_LIMIT:
            os.replace(path, path + ".1")
        f = logging.FileHandler(path, encoding="utf-8")
        f.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(f)
    except OSError:
        pass
    return root


def _has_desktop() -> bool:
    import os

    return sys.platform in ("win32", "darwin") or bool(
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def choose_ui(headless: bool, settings) -> tuple[str, str]:
    """("tray" | "headless", why). The tray adapter picks its backend (GTK/AppIndicator for
    a real menu on Linux) and says why when there is none."""
    if headless:
        return "headless", "asked for with --headless"
    if not settings.tray.enabled or settings.tray.backend == "none":
        return "headless", "the tray is turned off in the config"
    try:
        from mobes.adapters import tray as tray_pystray
    except ImportError as e:
        return "headless", f"tray support is not installed ({e})"
    try:
        ok, reason = tray_pystray.available(settings.tray.backend)
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


def run(ns) -> int:
    import signal

    from mobes import bootstrap
    from mobes.adapters import agent_status, paths
    from mobes.adapters.instance import AlreadyRunning, InstanceLock

    lock = InstanceLock()
    try:
        lock.acquire()
    except AlreadyRunning as e:
        who = f" (pid {e.pid})" if e.pid else ""
        sys.stderr.write(f"mobes is already running{who}\n")
        return 1
    log = _setup_logging(paths.state_dir())
    store = runtime = idle = None
    status_file = agent_status.status_path()
    try:
        from mobes.config import Reloader

        overrides = {}
        if ns.interval is not None:
            overrides["microbreaks.interval_minutes"] = ns.interval
        reloader = Reloader(overrides or None,
                            on_error=lambda e: log.warning("config not reloaded, the last "
                                                           "good settings stay: %s", e),
                            on_warning=lambda w: log.warning("warning: %s", w))
        settings = reloader.settings
        catalog = bootstrap.catalog_for(settings)
        store = bootstrap.open_store(check=True)
        mode, why = choose_ui(ns.headless, settings)
        if mode == "headless" and not ns.headless:
            log.warning("no tray icon (%s): prompts appear in this terminal", why)
        from mobes.adapters.idle import make_monitor
        from mobes.services.agent import App

        idle = make_monitor()  # says why when idle time cannot be known here
        app = App(reloader, catalog, store, delivery(mode, ns.headless, reloader, log), idle,
                  SystemClock(), catalog_for=bootstrap.catalog_for, status_file=status_file,
                  say=log.warning)
        from mobes.adapters.runtime_aps import Runtime

        runtime = Runtime(app)
        runtime.start()

        def on_signal(signum, frame):
            app.quit()

        signal.signal(signal.SIGTERM, on_signal)
        if mode == "tray":
            from mobes.adapters.tray.ui import TrayUI

            ui = TrayUI(app, settings)
            app.on_quit(ui.stop)
            signal.signal(signal.SIGINT, on_signal)
            log.info("running in the tray (%s): %s", why, app.status_text())
            try:
                ui.run()
            except Exception as e:  # e.g. the GTK backend cannot reach D-Bus services
                if app.quitting.is_set():
                    return 0
                log.warning("the tray icon failed (%s: %s): prompts continue in this "
                            "terminal", type(e).__name__, e)
                from mobes.ui.console import ConsoleUI

                console = ConsoleUI(app)
                app.on_quit(console.stop)
                console.run()
        else:
            from mobes.ui.console import ConsoleUI

            ui = ConsoleUI(app)
            app.on_quit(ui.stop)
            ui.run()
        return 0
    finally:
        if runtime is not None:
            runtime.stop()
        if store is not None:
            store.close()
        close = getattr(idle, "close", None)
        if close is not None:
            close()
        agent_status.remove(status_file)
        lock.release()

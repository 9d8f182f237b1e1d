"""``mobes run``: the agent. A tray icon with a menu and desktop notifications when the
desktop has a tray; otherwise (or with ``--headless``) prompts in this terminal, answered
with single keys. One agent per user."""

from __future__ import annotations


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


LOG_LIMIT = 1_000_000  # bytes; a bigger log is moved to agent.log.1 when the agent starts


def _setup_logging(state_dir: str, stderr):
    """Warnings to ``stderr``; everything to ``<state dir>/agent.log`` (rotated at start-up:
    ``logging.handlers`` would cost a megabyte of RSS for the whole run)."""
    import logging
    import os

    root = logging.getLogger("mobes")
    root.setLevel(logging.INFO)
    root.propagate = False
    err = logging.StreamHandler(stderr)
    err.setLevel(logging.WARNING)
    err.setFormatter(logging.Formatter("mobes: %(message)s"))
    root.addHandler(err)
    try:
        os.makedirs(state_dir, exist_ok=True)
        path = os.path.join(state_dir, "agent.log")
        if os.path.exists(path) and os.path.getsize(path) > LOG_LIMIT:
            os.replace(path, path + ".1")
        f = logging.FileHandler(path, encoding="utf-8")
        f.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(f)
    except OSError:
        pass
    return root


def run(ns) -> int:
    import signal

    from mobes import bootstrap

    env = bootstrap.env()
    lock = bootstrap.instance_lock()
    try:
        lock.acquire()
    except lock.AlreadyRunning as e:
        who = f" (pid {e.pid})" if e.pid else ""
        env.stderr.write(f"mobes is already running{who}\n")
        return 1
    log = _setup_logging(env.paths.state_dir(), env.stderr)
    parts = bootstrap.AgentParts()

    def on_signal(signum, frame):
        if parts.app is None:  # still being built: stop here, the clean-up below runs
            raise SystemExit(0)
        parts.app.quit()

    # before the agent is built (it writes its status file as it starts): a SIGTERM from
    # someone who saw it running quits cleanly instead of killing it half-way
    signal.signal(signal.SIGTERM, on_signal)
    try:
        bootstrap.build_agent(parts, interval=ns.interval, headless=ns.headless, log=log)
        app = parts.app
        parts.runtime.start()
        if parts.mode == "tray":
            ui = bootstrap.tray_ui(app, parts.settings)
            app.on_quit(ui.stop)
            signal.signal(signal.SIGINT, on_signal)
            log.info("running in the tray (%s): %s", parts.why, app.status_text())
            try:
                ui.run()
            except Exception as e:  # e.g. the GTK backend cannot reach D-Bus services
                if app.quitting.is_set():
                    return 0
                log.warning("the tray icon failed (%s: %s): prompts continue in this "
                            "terminal", type(e).__name__, e)
                from mobes.ui.console import ConsoleUI

                console = ConsoleUI(app, env.stdin, env.stdout)
                app.on_quit(console.stop)
                console.run()
        else:
            from mobes.ui.console import ConsoleUI

            ui = ConsoleUI(app, env.stdin, env.stdout)
            app.on_quit(ui.stop)
            ui.run()
        return 0
    finally:
        parts.close()
        lock.release()

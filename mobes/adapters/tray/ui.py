"""``TrayUI``: the tray icon and its menu for the agent, through pystray."""

from __future__ import annotations

import logging
import threading

from mobes.adapters.tray.backend import available, backend_name
from mobes.adapters.tray.icon import draw_icon, png_bytes
from mobes.adapters.tray.menu import RESPONSES, _Snapshot
from mobes.ui.texts import pause_label

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from mobes.domain.settings import Settings

log = logging.getLogger("mobes.tray")


def _keep_sigint_handler() -> None:
    """pystray's GTK backends reset SIGINT to the default action when their loop starts,
    so Ctrl+C would kill the agent without its clean-up (status file, lock). Put back the
    agent's own handler once the loop runs (on the main thread, where signals are set)."""
    import signal

    if threading.current_thread() is not threading.main_thread():
        return
    handler = signal.getsignal(signal.SIGINT)
    if not callable(handler) or handler is signal.default_int_handler:
        return  # nothing of ours to keep: Ctrl+C may end the process
    from gi.repository import GLib

    def restore() -> bool:
        signal.signal(signal.SIGINT, handler)
        return False

    GLib.idle_add(restore)


def _xorg_make_sure_docked(icon: Any, stopped: threading.Event, tries: int = 5) -> None:
    """pystray's xorg backend sends its dock request to the tray and never checks it was
    honoured; measured with trayer, about one start in eight left the icon undocked (a 1x1
    window on the root). Ask again, a few times, while the window is not embedded."""
    # Private pystray 0.19.5 xorg attributes (icon._window, icon._show): pystray logs a
    # failed dock and carries on, and tells the application nothing (pystray issue #186).
    window = getattr(icon, "_window", None)
    if window is None:
        return
    try:
        from mobes.adapters.x11 import DockWatch

        watch = DockWatch(window.id)
    except Exception:
        return
    try:
        for _ in range(tries):
            if stopped.wait(1.0):
                return
            if watch.docked():
                return
            icon._show()  # runs on the backend's own thread: sends the dock request again
    except Exception:
        log.debug("checking the xorg icon's dock failed", exc_info=True)
    finally:
        watch.close()


class TrayUI:
    """The tray icon for a TrayController (the agent's App).

    ``run()`` blocks on the main thread until ``stop()`` or Quit. Menu actions and refreshes
    run on one worker thread, in order, so a slow action never freezes the menu and the
    agent is never called back from inside its own ``subscribe`` notification. The status
    line and the title are also refreshed every minute.
    """

    def __init__(self, controller: Any, settings: Settings | None = None) -> None:
        backend = settings.tray.backend if settings is not None else "auto"
        ok, reason = available(backend)
        if not ok:
            from mobes.errors import MobesError

            raise MobesError(f"no tray icon: {reason}")
        import queue

        import pystray

        self.controller = controller
        self.backend = backend_name() or backend
        self.reason = reason
        choices = (30, 60, -1)
        if settings is not None:
            choices = tuple(settings.microbreaks.pause_choices) or choices
        self.pause_choices: tuple[int, ...] = choices
        self._jobs: queue.Queue = queue.Queue()
        self._worker: threading.Thread | None = None
        self._stopped = threading.Event()
        self._snap = self._read_state()
        self._images: dict[str, Any] = {}
        self.icon = pystray.Icon("mobes", icon=self._image(self._snap.icon_state),
                                 title=self._title(self._snap), menu=self._build_menu(pystray))
        self._shown_key: tuple | None = self._snap.key()
        self._shown_icon = self._snap.icon_state

    # -- state --------------------------------------------------------------------------
    def _read_state(self) -> _Snapshot:
        c = self.controller
        prompt = c.current_prompt()
        actions = getattr(prompt, "actions", None)
        return _Snapshot(status=str(c.status_text()),
                         prompt_title=None if prompt is None else str(prompt.title),
                         actions=None if actions is None else tuple(
                             (str(k), str(v)) for k, v in actions),
                         paused=bool(c.is_paused()),
                         plans=tuple(c.rehab_plans()))

    def _title(self, snap: _Snapshot) -> str:
        title = f"mobes — {snap.status}" if snap.status else "mobes"
        if self.backend == "xorg":  # the xorg backend writes WM_NAME as Latin-1
            title = title.replace("—", "-").encode("latin-1", "replace").decode("latin-1")
        return title

    def _image(self, state: str) -> Any:
        if state not in self._images:
            image = draw_icon(state)
            if self.backend in ("gtk", "appindicator"):
                # These backends hand GTK a PNG file written with image.save(f, "PNG");
                # PIL's PNG plugin drags in fractions and decimal (0.7 MB resident), so
                # the image writes the PNG encoded here instead.
                data = png_bytes(image)
                image.save = lambda fp, *args, **kwargs: fp.write(data)
            self._images[state] = image
        return self._images[state]

    # -- the menu -----------------------------------------------------------------------
    def _build_menu(self, pystray: Any) -> Any:
        Menu, Item = pystray.Menu, pystray.MenuItem

        def has_prompt(item: Any) -> bool:
            return self._snap.prompt_title is not None

        def status_line(item: Any) -> str:
            s = self._snap.status or "mobes"
            return s[:1].upper() + s[1:]

        def plan_items() -> list:
            return [Item(name, self._action("start_rehab_batch", name))
                    for name in self._snap.plans]

        items = [
            Item(status_line, None, enabled=False),
            Menu.SEPARATOR,
            Item("Take a break now", self._action("take_break_now"),
                 default=self.backend == "xorg"),
            Menu.SEPARATOR,
            Item(lambda item: self._snap.prompt_title or "", None, enabled=False,
                 visible=has_prompt),
            *(self._response_item(Item, label, key) for label, key in RESPONSES),
            Menu.SEPARATOR,
            Item("Pause", Menu(*(Item(pause_label(m), self._action("pause", m))
                                 for m in self.pause_choices))),
            Item("Resume", self._action("resume"), enabled=lambda item: self._snap.paused),
            Item("Start rehab batch", Menu(plan_items)),
            Menu.SEPARATOR,
            Item("Open config", self._action("open_config")),
            Item("Quit", lambda icon, item: self._submit(self._quit)),
        ]
        return Menu(*items)

    def _response_item(self, Item: Any, fixed: str, key: str) -> Any:
        return Item(lambda item: self._snap.label(key, fixed), self._action("respond", key),
                    enabled=lambda item: self._snap.accepts(key))

    def _action(self, method: str, *args: Any) -> Callable[[Any, Any], None]:
        """A menu callback that calls ``controller.<method>(*args)`` on the worker thread."""

        def run() -> None:
            getattr(self.controller, method)(*args)
            self._update()

        return lambda icon, item: self._submit(run)

    def _quit(self) -> None:
        try:
            self.controller.quit()
        finally:
            self.stop()

    # -- threads --------------------------------------------------------------------------
    def _submit(self, job: Callable[[], None]) -> None:
        """Run ``job`` on the worker thread (in order), or right away when not running."""
        if self._worker is not None and self._worker.is_alive():
            self._jobs.put(job)
        else:
            self._run_job(job)

    @staticmethod
    def _run_job(job: Callable[[], None]) -> None:
        try:
            job()
        except Exception:  # one failing action must not take the tray down
            log.exception("tray action failed")

    def _work(self) -> None:
        import queue
        import time

        while not self._stopped.is_set():
            wait = 60.5 - (time.time() % 60)  # just after the next minute turns
            try:
                job = self._jobs.get(timeout=wait)
            except queue.Empty:
                job = self._update
            if job is None:
                break
            self._run_job(job)

    # -- the TrayUI interface ---------------------------------------------------------------
    def refresh(self, *_: Any) -> None:
        """Show the agent's current state: title (time to the next break), icon, menu.

        Safe to call from any thread, also from inside the agent's own lock (the work is
        done on the tray's worker thread when the icon is running)."""
        self._submit(self._update)

    def _update(self) -> None:
        snap = self._read_state()
        self._snap = snap
        self.icon.title = self._title(snap)
        self._set_tooltip(self.icon.title)
        if snap.icon_state != self._shown_icon:
            self._shown_icon = snap.icon_state
            self.icon.icon = self._image(snap.icon_state)
        if snap.key() != self._shown_key:
            self._shown_key = snap.key()
            if self.backend != "dummy":  # the dummy backend cannot draw a menu
                self.icon.update_menu()

    def _set_tooltip(self, text: str) -> None:
        # pystray's GTK backend sets the StatusIcon's title but no tooltip, so hovering
        # would show nothing (pystray issue #45); set the tooltip on GTK's own thread,
        # through the private pystray 0.19.5 GTK attribute icon._status_icon.
        status_icon = getattr(self.icon, "_status_icon", None)
        if status_icon is None or self.backend != "gtk":
            return
        from gi.repository import GLib

        GLib.idle_add(lambda: status_icon.set_tooltip_text(text) and False)

    def run(self) -> None:
        """Show the icon and handle the tray until ``stop()``; call on the main thread."""
        self._stopped.clear()
        self._worker = threading.Thread(target=self._work, name="mobes-tray", daemon=True)
        self._worker.start()
        subscribe = getattr(self.controller, "subscribe", None)
        if subscribe is not None:
            subscribe(self.refresh)

        def setup(icon: Any) -> None:
            icon.visible = True
            self.refresh()
            if self.backend == "xorg":
                _xorg_make_sure_docked(icon, self._stopped)

        if self.backend in ("gtk", "appindicator"):
            _keep_sigint_handler()
        try:
            self.icon.run(setup=setup)
        except Exception:
            # pystray's GTK backends close their own (unused) notification when the loop
            # ends, which raises when no notification service is running: not a failure
            # once we are stopping.
            if not self._stopped.is_set():
                raise
            log.debug("the tray failed while stopping", exc_info=True)
        finally:
            self._stopped.set()
            self._jobs.put(None)

    def stop(self) -> None:
        """Remove the icon and make ``run()`` return. Safe from any thread, and twice."""
        self._stopped.set()
        self._jobs.put(None)
        try:
            self.icon.stop()
        except Exception:
            log.debug("stopping the tray icon failed", exc_info=True)

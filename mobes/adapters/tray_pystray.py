"""The tray icon and its menu, through pystray (the only module importing pystray and PIL).

pystray picks its backend once, when it is imported, from ``PYSTRAY_BACKEND``; so
``available()`` decides first and only then imports it. On Linux:

- ``appindicator`` (StatusNotifierItem) when the AyatanaAppIndicator3 (or AppIndicator3)
  typelib is installed and the desktop has a StatusNotifier host (GNOME with the
  AppIndicator extension, KDE Plasma, most panels), or when no tray host is running yet:
  libayatana-appindicator falls back to an XEmbed icon by itself and moves over when a host
  appears;
- ``gtk`` (Gtk.StatusIcon, XEmbed) when PyGObject with GTK 3 is installed and an XEmbed
  tray (trayer, XFCE/MATE/LXQt panels) is there: a real right-click menu and a tooltip;
- ``xorg`` otherwise, with a warning: it docks an icon but has no menu, and a left click
  (where the tray passes it on) takes a break.

With no ``DISPLAY`` (or a Wayland session without a StatusNotifier host) there is no tray:
``available()`` says why and the agent runs headless. ``import pystray`` without a display
raises an Xlib error rather than ImportError, so every import here is guarded broadly.
"""

from __future__ import annotations

import logging
import math
import os
import sys
import threading

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from mobes.domain.settings import Settings

log = logging.getLogger("mobes.tray")

BACKENDS = ("auto", "gtk", "appindicator", "xorg", "win32", "darwin", "none", "dummy")
GTK_HINT = ("for the tray menu install PyGObject: apt-get install gir1.2-gtk-3.0 "
            "gir1.2-ayatanaappindicator3-0.1 libgirepository1.0-dev libcairo2-dev pkg-config "
            "&& pip install \"mobes[gtk]\"")
_SNI_WATCHERS = ("org.kde.StatusNotifierWatcher", "org.freedesktop.StatusNotifierWatcher")

# The result of the first successful choice: (ok, reason, backend name). pystray cannot
# switch backends once imported, so later calls report the same.
_loaded: tuple[bool, str, str] | None = None


def backend_name() -> str | None:
    """The pystray backend in use (gtk, appindicator, xorg, win32, darwin, dummy) or None."""
    mod = sys.modules.get("pystray")
    icon = getattr(mod, "Icon", None) if mod else None
    if icon is None:
        return None
    name = icon.__module__.rsplit(".", 1)[-1].lstrip("_")
    return "dummy" if name == "base" else name  # the dummy backend re-exports _base.Icon


def available(backend: str = "auto") -> tuple[bool, str]:
    """Whether a tray icon can be shown, and why (or why not).

    ``backend`` is the ``[tray] backend`` setting: auto, gtk, appindicator, xorg, win32,
    darwin, none (dummy is for tests). With ``auto``, a ``PYSTRAY_BACKEND`` environment
    variable wins. On success pystray is imported with the chosen backend; on Linux without
    a display nothing is imported.
    """
    global _loaded
    if backend not in BACKENDS:
        return False, (f"unknown tray backend {backend!r} (expected one of "
                       f"{', '.join(BACKENDS)})")
    if backend == "none":
        return False, "the tray is turned off in the config ([tray] backend = \"none\")"
    chosen_by = "chosen in the config"
    if backend == "auto" and os.environ.get("PYSTRAY_BACKEND"):
        backend = os.environ["PYSTRAY_BACKEND"]
        chosen_by = "chosen by PYSTRAY_BACKEND"
    current = backend_name()
    if current is not None:
        if backend in ("auto", current):
            if _loaded is not None and _loaded[2] == current:
                return _loaded[0], _loaded[1]
            return True, f"{current} backend"
        return False, (f"pystray is already loaded with the {current} backend; "
                       f"cannot switch to {backend}")

    if backend == "auto":
        if sys.platform == "win32":
            candidates = [("win32", "Windows notification area")]
        elif sys.platform == "darwin":
            candidates = [("darwin", "macOS menu bar")]
        else:
            if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
                return False, "no display (neither DISPLAY nor WAYLAND_DISPLAY is set)"
            candidates = _linux_candidates()
            if isinstance(candidates, str):
                return False, candidates
    else:
        if (backend in ("gtk", "appindicator", "xorg") and sys.platform.startswith("linux")
                and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))):
            return False, "no display (neither DISPLAY nor WAYLAND_DISPLAY is set)"
        if backend in ("gtk", "appindicator"):
            gtk_error = _gtk_usable()
            if gtk_error is not None:
                return False, f"the {backend} tray backend cannot run: {gtk_error}; {GTK_HINT}"
        why = f"{backend} backend ({chosen_by})"
        if backend == "xorg":
            why += ": the icon has no menu and clicking it takes a break"
        candidates = [(backend, why)]

    errors = []
    for name, why in candidates:
        err = _import_pystray(name)
        if err is None:
            _loaded = (True, why, name)
            if name == "xorg":
                log.warning("tray: %s", why)
            else:
                log.info("tray: %s", why)
            return True, why
        errors.append(f"{name}: {err}")
    hint = f"; {GTK_HINT}" if backend in ("auto", "gtk", "appindicator") else ""
    return False, "no tray backend works (" + "; ".join(errors) + ")" + hint


def _import_pystray(name: str) -> str | None:
    """Import pystray with backend ``name``; None on success, else the error in words."""
    previous = os.environ.get("PYSTRAY_BACKEND")
    os.environ["PYSTRAY_BACKEND"] = name
    try:
        import pystray  # noqa: F401
    except Exception as exc:  # Xlib.error.DisplayNameError, ValueError, GLib.Error, ...
        for mod in [m for m in sys.modules if m == "pystray" or m.startswith("pystray.")]:
            del sys.modules[mod]
        if previous is None:
            os.environ.pop("PYSTRAY_BACKEND", None)
        else:
            os.environ["PYSTRAY_BACKEND"] = previous
        text = str(exc).strip().splitlines()
        return f"{type(exc).__name__}: {text[0] if text else ''}".rstrip(": ")
    return None


def _linux_candidates() -> list[tuple[str, str]] | str:
    """Backends to try in order on an X11/Wayland desktop, with the reason for each;
    or a string saying why there can be no tray."""
    has_x = bool(os.environ.get("DISPLAY"))
    gtk_error = _gtk_usable()
    if gtk_error is not None:
        if not has_x:
            return f"no tray on this Wayland session without X11 ({gtk_error}; {GTK_HINT})"
        return [("xorg", f"xorg backend: {gtk_error}, so the tray icon has no menu and "
                         f"clicking it takes a break; {GTK_HINT}")]
    indicator = _has_appindicator()
    sni_host = _has_sni_host()
    xembed_host = _has_xembed_host() if has_x else False
    out: list[tuple[str, str]] = []
    if indicator and sni_host:
        out.append(("appindicator", "appindicator backend: the desktop has a "
                                    "StatusNotifier host"))
    elif has_x and xembed_host:
        out.append(("gtk", "gtk backend: an XEmbed system tray is running"))
    elif indicator and has_x:
        out.append(("appindicator", "appindicator backend: no tray host is running yet; "
                                    "the icon appears when one starts"))
    elif has_x:
        why = "gtk backend: no tray host is running yet; the icon appears when one starts"
        if sni_host:
            why = ("gtk backend: the desktop's tray speaks StatusNotifier, which needs "
                   "gir1.2-ayatanaappindicator3-0.1 for the icon to show")
        out.append(("gtk", why))
    else:
        return ("no tray on this Wayland session: no StatusNotifier host"
                + ("" if indicator else " and no AppIndicator library"))
    if has_x:
        for name in ("gtk", "xorg"):
            if all(name != n for n, _ in out):
                out.append((name, f"{name} backend (the preferred backend failed to load)"))
    return out


class _asyncio_without_tls:
    """PyGObject (3.50) imports asyncio, and asyncio imports ssl when it can: OpenSSL's
    libraries cost 4.3 MB of resident memory (measured) and nothing in mobes speaks TLS.
    While this is active, ``import ssl`` fails, so asyncio loads with its TLS support off
    (it is written for that); afterwards ssl can be imported normally again."""

    def __enter__(self) -> None:
        self.blocked = "ssl" not in sys.modules and "asyncio" not in sys.modules
        if self.blocked:
            sys.modules["ssl"] = None  # type: ignore[assignment]

    def __exit__(self, *exc: object) -> None:
        if self.blocked and sys.modules.get("ssl", 0) is None:
            del sys.modules["ssl"]


def _gtk_usable() -> str | None:
    """None when GTK 3 can be used for a tray (with a session bus), else why not."""
    # A tray icon and its menu need no OpenGL. Without this, the first GTK program on an X
    # server probes GLX visuals and maps Mesa's LLVM (measured: 110 MB RSS instead of 55).
    # PyGObject initialises GTK when Gtk is imported, so it is set before; it stays set,
    # which is harmless for GTK 3 programs started from here (they draw with cairo).
    os.environ.setdefault("GDK_GL", "disable")
    try:
        with _asyncio_without_tls():
            import gi

            gi.require_version("Gtk", "3.0")
            from gi.repository import Gio, Gtk
    except (ImportError, ValueError) as exc:
        return f"PyGObject with GTK 3 is not available ({exc})"
    except Exception as exc:
        return f"GTK 3 failed to load ({type(exc).__name__}: {exc})"
    try:
        if not Gtk.init_check()[0]:
            return "GTK could not open the display"
    except Exception as exc:
        return f"GTK could not open the display ({exc})"
    try:
        Gio.bus_get_sync(Gio.BusType.SESSION, None)
    except Exception as exc:  # GLib.Error: the GTK backends need a D-Bus session bus
        return f"no D-Bus session bus for the GTK tray ({str(exc).splitlines()[0]})"
    return None


def _has_appindicator() -> bool:
    import gi

    for namespace in ("AppIndicator3", "AyatanaAppIndicator3"):
        try:
            gi.require_version(namespace, "0.1")
            return True
        except ValueError:
            continue
    return False


def _has_sni_host() -> bool:
    """Whether a StatusNotifier watcher owns its name on the session bus."""
    try:
        from gi.repository import Gio, GLib

        conn = Gio.bus_get_sync(Gio.BusType.SESSION, None)
        for name in _SNI_WATCHERS:
            reply = conn.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus",
                                   "org.freedesktop.DBus", "NameHasOwner",
                                   GLib.Variant("(s)", (name,)), GLib.VariantType("(b)"),
                                   Gio.DBusCallFlags.NONE, 2000, None)
            if reply.unpack()[0]:
                return True
    except Exception:
        return False
    return False


def _has_xembed_host() -> bool:
    """Whether an XEmbed system tray owns the _NET_SYSTEM_TRAY selection."""
    try:
        from Xlib import display as xdisplay

        d = xdisplay.Display()
        try:
            atom = d.intern_atom(f"_NET_SYSTEM_TRAY_S{d.get_default_screen()}")
            owner = d.get_selection_owner(atom)
            return bool(getattr(owner, "id", owner))
        finally:
            d.close()
    except Exception:
        return False


# -- the icon ------------------------------------------------------------------------------

_COLOURS = {"idle": (0, 137, 123), "prompt": (245, 124, 0), "paused": (120, 120, 120)}


def _white_at(state: str, x: float, y: float) -> bool:
    """Whether the white sign covers point (x, y) of the 64x64 badge."""
    if state == "paused":  # two bars
        return 18 <= y <= 46 and (22 <= x <= 28 or 36 <= x <= 42)
    dx, dy = x - 32, y - 32
    r2 = dx * dx + dy * dy
    if r2 <= 16:  # the joint
        return True
    if 13 * 13 <= r2 <= 19 * 19:  # the ring, open at the top (240..300 degrees)
        angle = math.degrees(math.atan2(dy, dx)) % 360
        if not 240 < angle < 300:
            return True
    # the arrowhead at the ring's open end, pointing clockwise
    return 30 <= x <= 42 and abs(y - 16) <= (42 - x) * 7 / 12


def draw_icon(state: str = "idle", size: int = 64) -> Any:
    """The tray image, drawn at run time: a round badge with a circular arrow around a dot
    (a joint going round); orange while a prompt is open, grey with a pause sign while
    paused. Rasterised here, 3x3 samples a pixel, rather than with PIL.ImageDraw, which
    pulls in FreeType and HarfBuzz (measured: +4 MB resident for one small icon)."""
    from PIL import Image

    r, g, b = _COLOURS.get(state, _COLOURS["idle"])
    scale = 64 / size
    offsets = (1 / 6, 1 / 2, 5 / 6)
    out = bytearray()
    for py in range(size):
        for px in range(size):
            disc = white = 0
            for oy in offsets:
                for ox in offsets:
                    x, y = (px + ox) * scale, (py + oy) * scale
                    if (x - 32) ** 2 + (y - 32) ** 2 <= 30 * 30:
                        disc += 1
                        white += _white_at(state, x, y)
            if disc == 0:
                out += b"\0\0\0\0"
                continue
            w = white / disc
            out += bytes((round(r + (255 - r) * w), round(g + (255 - g) * w),
                          round(b + (255 - b) * w), round(255 * disc / 9)))
    return Image.frombytes("RGBA", (size, size), bytes(out))


def png_bytes(image: Any) -> bytes:
    """An RGBA image as a PNG file (no filtering, zlib-compressed)."""
    import struct
    import zlib

    width, height = image.size
    raw = image.convert("RGBA").tobytes()
    stride = width * 4
    rows = b"".join(b"\0" + raw[y * stride:(y + 1) * stride] for y in range(height))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + tag + data
                + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF))

    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def pause_label(minutes: int) -> str:
    if minutes < 0:
        return "Rest of the day"
    if minutes < 60:
        return f"{minutes} min"
    h, m = divmod(minutes, 60)
    hours = "1 hour" if h == 1 else f"{h} hours"
    return hours if m == 0 else f"{h} h {m} min"


RESPONSES = (("Done", "done"), ("Too hard", "too-hard"), ("Too easy", "too-easy"),
             ("Pain", "pain"), ("Skip", "skip"), ("Snooze", "snooze"))
# A prompt lists the answers it takes as (key, label) pairs (``PromptView.actions``); a
# rehab batch guided from the tray has its own ("ok": Felt ok, "stop": Stop the batch, ...)
# which the agent also accepts under these fixed items' keys.
_ACCEPTED_AS = {"done": ("done", "ok"), "skip": ("skip", "stop"),
                "too-hard": ("too-hard", "done"), "too-easy": ("too-easy", "done"),
                "pain": ("pain",), "snooze": ("snooze",)}


class _Snapshot:
    """What the menu shows, read from the controller in one go (menus are evaluated on the
    tray's thread; they read this instead of calling back into the agent)."""

    __slots__ = ("status", "prompt_title", "actions", "paused", "plans")

    def __init__(self, status: str, prompt_title: str | None,
                 actions: tuple[tuple[str, str], ...] | None, paused: bool,
                 plans: tuple[str, ...]) -> None:
        self.status = status
        self.prompt_title = prompt_title
        self.actions = actions  # None: the prompt did not say, every answer is offered
        self.paused = paused
        self.plans = plans

    def key(self) -> tuple:
        return (self.status, self.prompt_title, self.actions, self.paused, self.plans)

    @property
    def icon_state(self) -> str:
        return "prompt" if self.prompt_title is not None else (
            "paused" if self.paused else "idle")

    def accepts(self, key: str) -> bool:
        if self.prompt_title is None:
            return False
        if self.actions is None:
            return True
        keys = {k for k, _ in self.actions}
        return any(k in keys for k in _ACCEPTED_AS[key])

    def label(self, key: str, fixed: str) -> str:
        """The prompt's own words for an answer when it has them ("Stop the batch" for
        Skip in a rehab batch), else the fixed label."""
        labels = dict(self.actions or ())
        if key in labels:
            return labels[key]
        if key in ("done", "skip"):
            for alias in _ACCEPTED_AS[key]:
                if alias in labels:
                    return labels[alias]
        return fixed


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
    window = getattr(icon, "_window", None)
    if window is None:
        return
    try:
        from Xlib import display as xdisplay

        d = xdisplay.Display()
    except Exception:
        return
    try:
        mine = d.create_resource_object("window", window.id)
        root = d.screen().root
        for _ in range(tries):
            if stopped.wait(1.0):
                return
            if mine.query_tree().parent.id != root.id:
                return  # embedded in the tray
            icon._show()  # runs on the backend's own thread: sends the dock request again
    except Exception:
        log.debug("checking the xorg icon's dock failed", exc_info=True)
    finally:
        d.close()


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
        # would show nothing; set the tooltip on GTK's own thread.
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

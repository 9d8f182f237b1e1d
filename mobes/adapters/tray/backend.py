"""Which tray backend can work here; pystray is imported only once one is chosen.

The tray adapter (``mobes.adapters.tray``) is the only code importing pystray and PIL.

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
import os
import sys

from mobes.adapters.x11 import xembed_tray_running
from mobes.domain.rules import TRAY_BACKENDS

TYPE_CHECKING = False
if TYPE_CHECKING:

    pass

log = logging.getLogger("mobes.tray")

BACKENDS = (*TRAY_BACKENDS, "dummy")  # the config's names, plus pystray's dummy for tests
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
    # pystray 0.19.5 names no backend in its API; its maintainer tells the backend by the
    # Icon class's module (pystray._xorg, ._gtk, ...: pystray issue #151).
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
    xembed_host = xembed_tray_running() if has_x else False
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



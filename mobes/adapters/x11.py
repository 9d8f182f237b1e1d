"""The X server, through python-xlib, for the tray: is an XEmbed tray running, and is a
window docked in it. (Idle time from the X server is ``mobes.adapters.idle``.) Xlib is
imported only when one of these runs."""

from __future__ import annotations


def xembed_tray_running() -> bool:
    """Whether an XEmbed system tray owns the ``_NET_SYSTEM_TRAY_S<screen>`` selection."""
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


class DockWatch:
    """Tells whether the window ``window_id`` is docked: a tray host has reparented it, so
    its parent is no longer the root window. Holds an X connection until ``close()``;
    raises whatever Xlib raises when there is no display."""

    def __init__(self, window_id: int) -> None:
        from Xlib import display as xdisplay

        self._display = xdisplay.Display()
        self._window = self._display.create_resource_object("window", window_id)
        self._root = self._display.screen().root

    def docked(self) -> bool:
        return self._window.query_tree().parent.id != self._root.id

    def close(self) -> None:
        try:
            self._display.close()
        except Exception:
            pass

"""The tray icon and its menu, through pystray: the only package importing pystray and PIL.

``backend`` decides whether a tray can work here (and imports pystray only then), ``icon``
draws the image, ``menu`` is what the menu shows, ``ui`` is ``TrayUI``. The names below are
importable from the package itself; nothing is imported before one is used.
"""

from __future__ import annotations

_HOMES = {"available": "backend", "backend_name": "backend", "BACKENDS": "backend",
          "draw_icon": "icon", "png_bytes": "icon", "pause_label": "menu",
          "RESPONSES": "menu", "TrayUI": "ui"}


def __getattr__(name: str):
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'mobes.adapters.tray' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"mobes.adapters.tray.{home}"), name)
    globals()[name] = value
    return value

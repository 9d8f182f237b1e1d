"""Seconds since the user last touched keyboard or mouse, per OS; None where unknown.

- X11: the MIT-SCREEN-SAVER extension through python-xlib (one round trip per query).
- Windows: ``GetLastInputInfo`` and ``GetTickCount`` through ctypes (the tick count wraps
  after 49.7 days; the difference is taken modulo 2**32).
- macOS: ``ioreg -c IOHIDSystem`` reports ``HIDIdleTime`` in nanoseconds.
- Wayland without X11, a missing extension, no display: unknown. ``make_monitor`` then
  returns an ``UnknownIdle`` whose ``reason`` says why; the agent says it once and turns
  idle awareness (natural breaks, away detection) off.
"""

from __future__ import annotations

import os
import sys


class UnknownIdle:
    def __init__(self, reason: str) -> None:
        self.reason = reason

    def idle_seconds(self) -> float | None:
        return None


class X11Idle:
    """Idle time from the X server's screensaver extension."""

    reason = ""

    def __init__(self, display: str | None = None) -> None:
        from Xlib import display as xdisplay

        self._display = xdisplay.Display(display)
        if not self._display.has_extension("MIT-SCREEN-SAVER"):
            self._display.close()
            raise RuntimeError("the X server has no MIT-SCREEN-SAVER extension")
        self._root = self._display.screen().root
        self._root.screensaver_query_info()  # fails now rather than on the first poll

    def idle_seconds(self) -> float | None:
        try:
            return self._root.screensaver_query_info().idle / 1000.0
        except Exception as e:  # the X connection went away
            self.reason = f"the X server stopped answering ({e})"
            return None

    def close(self) -> None:
        try:
            self._display.close()
        except Exception:
            pass


def tick_difference(now_ms: int, last_ms: int) -> int:
    """Milliseconds between two 32-bit tick counts, across a wrap-around."""
    return (now_ms - last_ms) & 0xFFFFFFFF


class WindowsIdle:  # pragma: no cover - exercised on Windows only
    reason = ""

    def __init__(self) -> None:
        import ctypes

        class LASTINPUTINFO(ctypes.Structure):
            _fields_ = [("cbSize", ctypes.c_uint), ("dwTime", ctypes.c_uint)]

        self._ctypes = ctypes
        self._info = LASTINPUTINFO()
        self._info.cbSize = ctypes.sizeof(LASTINPUTINFO)
        self._user32 = ctypes.windll.user32
        self._kernel32 = ctypes.windll.kernel32
        self._kernel32.GetTickCount.restype = ctypes.c_uint
        if not self._user32.GetLastInputInfo(ctypes.byref(self._info)):
            raise RuntimeError("GetLastInputInfo failed")

    def idle_seconds(self) -> float | None:
        if not self._user32.GetLastInputInfo(self._ctypes.byref(self._info)):
            return None
        return tick_difference(self._kernel32.GetTickCount(), self._info.dwTime) / 1000.0


def parse_ioreg(text: str) -> float | None:
    """Seconds of idle time from ``ioreg -c IOHIDSystem`` output (HIDIdleTime, in ns)."""
    for line in text.splitlines():
        if '"HIDIdleTime"' in line:
            value = line.split("=", 1)[-1].strip()
            try:
                return int(value, 0) / 1e9
            except ValueError:
                return None
    return None


class MacIdle:
    reason = ""

    def __init__(self, run=None) -> None:
        self._run = run or self._ioreg
        if self.idle_seconds() is None:
            raise RuntimeError("ioreg reports no HIDIdleTime")

    @staticmethod
    def _ioreg() -> str:
        import subprocess

        return subprocess.run(["ioreg", "-c", "IOHIDSystem", "-d", "4"], capture_output=True,
                              text=True, timeout=5, check=False).stdout

    def idle_seconds(self) -> float | None:
        try:
            return parse_ioreg(self._run())
        except Exception as e:
            self.reason = f"ioreg failed ({e})"
            return None


def make_monitor(platform: str | None = None):
    """The best idle monitor for this session; an ``UnknownIdle`` (with its reason) when
    idle time cannot be known here."""
    platform = platform or sys.platform
    if platform == "win32":
        try:
            return WindowsIdle()
        except Exception as e:  # pragma: no cover - Windows
            return UnknownIdle(f"GetLastInputInfo is not available: {e}")
    if platform == "darwin":
        try:
            return MacIdle()
        except Exception as e:
            return UnknownIdle(f"ioreg gives no idle time: {e}")
    if not os.environ.get("DISPLAY"):
        if os.environ.get("WAYLAND_DISPLAY"):
            return UnknownIdle("a Wayland session without X11 does not tell idle time")
        return UnknownIdle("there is no display (DISPLAY is not set)")
    if os.environ.get("XDG_SESSION_TYPE") == "wayland":
        return UnknownIdle("on Wayland, X11 sees only X11 windows' input, so idle time "
                           "would be wrong")
    try:
        return X11Idle()
    except ImportError:
        return UnknownIdle("python-xlib is not installed")
    except Exception as e:
        return UnknownIdle(f"the X server gives no idle time: {e}")

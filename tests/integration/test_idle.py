"""Idle time per OS: the parsers (Windows tick wrap, macOS ioreg) and X11 for real under
Xvfb, where xdotool input resets it."""

import os
import shutil
import subprocess
import time

import pytest

from mobes.adapters import idle

IOREG = """+-o IOHIDSystem  <class IOHIDSystem, id 0x100000215, registered, matched, active>
    {
      "HIDParameters" = {"HIDClickTime"=500000000}
      "HIDIdleTime" = 2537842375
      "IOGeneralInterest" = "IOCommand is not serializable"
    }
"""


def test_macos_ioreg_parse():
    assert idle.parse_ioreg(IOREG) == pytest.approx(2.537842375)
    assert idle.parse_ioreg("nothing here") is None
    mon = idle.MacIdle(run=lambda: IOREG)
    assert mon.idle_seconds() == pytest.approx(2.537842375)
    with pytest.raises(RuntimeError):
        idle.MacIdle(run=lambda: "")


def test_windows_tick_count_wraps_after_49_days():
    assert idle.tick_difference(5_000, 2_000) == 3_000
    assert idle.tick_difference(1_000, 0xFFFFFFFF - 999) == 2_000


def test_without_a_display_idle_time_is_unknown_with_a_reason(monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    mon = idle.make_monitor("linux")
    assert mon.idle_seconds() is None
    assert mon.reason == "there is no display (DISPLAY is not set)"
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    assert "Wayland" in idle.make_monitor("linux").reason
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setenv("XDG_SESSION_TYPE", "wayland")
    assert "Wayland" in idle.make_monitor("linux").reason


def test_a_dead_display_is_unknown(monkeypatch):
    monkeypatch.setenv("DISPLAY", ":987")  # nothing listens there
    monkeypatch.delenv("XDG_SESSION_TYPE", raising=False)
    mon = idle.make_monitor("linux")
    assert mon.idle_seconds() is None
    assert mon.reason.startswith("the X server gives no idle time")


@pytest.fixture
def xvfb():
    if not shutil.which("Xvfb") or not shutil.which("xdotool"):
        pytest.skip("Xvfb and xdotool are needed (apt-get install xvfb xdotool)")
    r, w = os.pipe()
    proc = subprocess.Popen(["Xvfb", "-displayfd", str(w), "-screen", "0", "640x480x24",
                             "-nolisten", "tcp"], pass_fds=(w,), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    os.close(w)
    with os.fdopen(r) as f:
        number = f.readline().strip()
    try:
        yield f":{number}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.desktop
def test_x11_idle_time_grows_and_input_resets_it(xvfb, monkeypatch):
    monkeypatch.setenv("DISPLAY", xvfb)
    monkeypatch.delenv("XDG_SESSION_TYPE", raising=False)
    mon = idle.make_monitor("linux")
    assert isinstance(mon, idle.X11Idle), getattr(mon, "reason", "")
    env = dict(os.environ, DISPLAY=xvfb)
    subprocess.run(["xdotool", "mousemove", "10", "10"], env=env, check=True)
    first = mon.idle_seconds()
    time.sleep(1.5)
    later = mon.idle_seconds()
    assert later >= first + 1.0
    subprocess.run(["xdotool", "mousemove_relative", "5", "5"], env=env, check=True)
    assert mon.idle_seconds() < later
    mon.close()

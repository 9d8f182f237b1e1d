"""A throw-away desktop for end-to-end tests: Xvfb on a free display, a private D-Bus
session bus, trayer (an XEmbed tray host), dunst (a notification daemon) and dbus-monitor
logging every Notify call. Plus helpers to find the docked icon and a popup menu, read
the menu's rows from a screenshot and click them with xdotool.

Nothing here is mobes code: it drives the real programs a user has on a Linux desktop.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

TOOLS = {
    "Xvfb": "xvfb", "trayer": "trayer", "dunst": "dunst", "dunstctl": "dunst",
    "xdotool": "xdotool", "dbus-daemon": "dbus", "dbus-monitor": "dbus",
}

# A session bus with no service directories: nothing is started behind the test's back
# (Debian's dunst would otherwise be D-Bus-activated on the first Notify).
BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir={tmp}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


def missing_tools() -> list[str]:
    """Programs (with their Debian package) that are not installed."""
    return [f"{tool} (apt-get install {pkg})" for tool, pkg in TOOLS.items()
            if shutil.which(tool) is None]


def missing_python(*modules: str) -> list[str]:
    import importlib.util

    return [m for m in modules if importlib.util.find_spec(m) is None]


def wait_for(check, what: str, timeout: float = 20.0, interval: float = 0.1):
    """Poll ``check()`` until it returns something truthy; fail with ``what`` otherwise."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


class DesktopSession:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.procs: list[subprocess.Popen] = []
        self.env: dict[str, str] = {}
        self.display = ""
        self.monitor_log = tmp / "dbus-monitor.log"
        self._xdisplay = None

    # -- start and stop ---------------------------------------------------------------------
    def _spawn(self, args, name: str, **kw) -> subprocess.Popen:
        log = open(self.tmp / f"{name}.log", "wb")
        proc = subprocess.Popen(args, stdout=kw.pop("stdout", log), stderr=log,
                                env=kw.pop("env", self.env), **kw)
        self.procs.append(proc)
        return proc

    def start(self, notifications: bool = True) -> DesktopSession:
        self.tmp.mkdir(parents=True, exist_ok=True)
        base = {k: v for k, v in os.environ.items()
                if k not in ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS",
                             "PYSTRAY_BACKEND")}
        # Xvfb picks a free display itself and writes its number to the pipe.
        read_fd, write_fd = os.pipe()
        xvfb = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1024x768x24",
             "-nolisten", "tcp"], pass_fds=(write_fd,), stdout=subprocess.DEVNULL,
            stderr=open(self.tmp / "xvfb.log", "wb"), env=base)
        self.procs.append(xvfb)
        os.close(write_fd)
        with os.fdopen(read_fd) as f:
            number = f.readline().strip()
        if not number:
            raise AssertionError("Xvfb did not start: "
                                 + (self.tmp / "xvfb.log").read_text(errors="replace"))
        self.display = f":{number}"

        conf = self.tmp / "bus.conf"
        conf.write_text(BUS_CONFIG.format(tmp=self.tmp))
        bus = subprocess.Popen(
            ["dbus-daemon", f"--config-file={conf}", "--nofork", "--print-address=1"],
            stdout=subprocess.PIPE, stderr=open(self.tmp / "dbus.log", "wb"), env=base,
            text=True)
        self.procs.append(bus)
        address = bus.stdout.readline().strip()
        if not address:
            raise AssertionError("dbus-daemon did not start")

        config_home = self.tmp / "xdg-config"
        config_home.mkdir(exist_ok=True)
        self.env = dict(base, DISPLAY=self.display, DBUS_SESSION_BUS_ADDRESS=address,
                        XDG_CONFIG_HOME=str(config_home), NO_AT_BRIDGE="1")
        self._spawn(["dbus-monitor",
                     "interface='org.freedesktop.Notifications',member='Notify'"],
                    "dbus-monitor", stdout=open(self.monitor_log, "wb"))
        self._spawn(["trayer", "--edge", "top", "--align", "right", "--widthtype", "request",
                     "--height", "32", "--transparent", "false", "--tint", "0x333333"], "trayer")
        wait_for(self.tray_manager, "trayer to own the system tray selection")
        if not notifications:
            return self
        self._spawn(["dunst"], "dunst")
        wait_for(lambda: self.run(["dunstctl", "is-paused"]).returncode == 0,
                 "dunst to answer on the session bus")
        return self

    def stop(self) -> None:
        if self._xdisplay is not None:
            try:
                self._xdisplay.close()
            except Exception:
                pass
        for proc in reversed(self.procs):
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()

    # -- tools ------------------------------------------------------------------------------
    def run(self, args, **kw) -> subprocess.CompletedProcess:
        return subprocess.run(args, env=self.env, capture_output=True, text=True,
                              timeout=30, **kw)

    def python(self, *args, env=None, name="app") -> subprocess.Popen:
        """Start ``python ARGS`` inside the session (mobes importable)."""
        root = str(Path(__file__).resolve().parents[2])
        e = dict(self.env, PYTHONPATH=root + os.pathsep + self.env.get("PYTHONPATH", ""))
        e.update(env or {})
        return self._spawn([sys.executable, *args], name, env=e)

    def xdotool(self, *args: str) -> None:
        proc = self.run(["xdotool", *args])
        assert proc.returncode == 0, f"xdotool {' '.join(args)}: {proc.stderr}"

    def x(self):
        if self._xdisplay is None:
            from Xlib import display as xdisplay

            self._xdisplay = xdisplay.Display(self.display)
        return self._xdisplay

    def tray_manager(self):
        d = self.x()
        owner = d.get_selection_owner(d.intern_atom("_NET_SYSTEM_TRAY_S0"))
        return owner if getattr(owner, "id", owner) else None

    # -- windows ----------------------------------------------------------------------------
    def _abs_geometry(self, win) -> tuple[int, int, int, int]:
        d = self.x()
        g = win.get_geometry()
        pos = win.translate_coords(d.screen().root, 0, 0)
        return (-pos.x, -pos.y, g.width, g.height)

    def docked_icons(self) -> list[tuple[int, int, int, int]]:
        """Geometry (x, y, w, h) of every icon docked in trayer's panel."""
        d = self.x()
        icons = []
        for top in d.screen().root.query_tree().children:
            try:
                wm_class = top.get_wm_class()
            except Exception:
                continue
            if wm_class != ("panel", "trayer"):
                continue
            try:
                for socket in top.query_tree().children:
                    if socket.query_tree().children:  # an embedded client window
                        x, y, w, h = self._abs_geometry(socket)
                        if w > 1 and h > 1:
                            icons.append((x, y, w, h))
            except Exception:  # a window went away while we looked (BadWindow)
                continue
        return icons

    def popup_menus(self, pid: int) -> list[tuple[int, int, int, int]]:
        """Mapped popup-menu windows of process ``pid``, as (x, y, w, h)."""
        from Xlib import X

        d = self.x()
        menu_type = d.intern_atom("_NET_WM_WINDOW_TYPE_POPUP_MENU")
        pid_atom = d.intern_atom("_NET_WM_PID")
        type_atom = d.intern_atom("_NET_WM_WINDOW_TYPE")
        found = []
        for win in d.screen().root.query_tree().children:
            try:
                if win.get_attributes().map_state != X.IsViewable:
                    continue
                kind = win.get_full_property(type_atom, X.AnyPropertyType)
                owner = win.get_full_property(pid_atom, X.AnyPropertyType)
            except Exception:
                continue
            if kind is None or owner is None or menu_type not in kind.value:
                continue
            if int(owner.value[0]) == pid:
                try:
                    found.append(self._abs_geometry(win))
                except Exception:  # closed while we looked
                    continue
        return found

    def screenshot(self, path: Path | None = None, box=None):
        from PIL import ImageGrab

        image = ImageGrab.grab(xdisplay=self.display).convert("RGB")
        if box is not None:
            x, y, w, h = box
            image = image.crop((x, y, x + w, y + h))
        if path is not None:
            image.save(path)
        return image

    def menu_rows(self, box) -> list[int]:
        """The y (screen) of the centre of each text row in a menu window, top to bottom.

        Reads a screenshot: the background is the most common colour; a row that differs
        across nearly the whole width is a separator or the border; runs of rows with some
        differing pixels (the label glyphs, enabled or greyed out) are one menu item each.
        """
        x, y, w, h = box
        image = self.screenshot(box=box)
        px = image.load()
        counts: dict = {}
        for yy in range(h):
            for xx in range(0, w, 2):
                counts[px[xx, yy]] = counts.get(px[xx, yy], 0) + 1
        bg = max(counts, key=counts.get)

        def inked(yy: int) -> int:
            return sum(1 for xx in range(4, w - 4)
                       if sum(abs(a - b) for a, b in zip(px[xx, yy], bg)) > 60)

        rows, start, gap = [], None, 0
        for yy in range(h):
            n = inked(yy)
            is_text = 0 < n < 0.8 * (w - 8)
            if is_text:
                if start is None:
                    start = yy
                gap = 0
                end = yy
            elif start is not None:
                gap += 1
                if gap > 2:
                    rows.append(y + (start + end) // 2)
                    start, gap = None, 0
        if start is not None:
            rows.append(y + (start + end) // 2)
        return rows

    def open_menu(self, pid: int, icon, button: int = 3, tries: int = 4,
                  wait: float = 4.0) -> tuple[int, int, int, int]:
        """Click the icon until its menu is open (a click can be lost while the tray or
        the icon is still settling: one click in three fresh runs was); the menu's box."""
        x, y, w, h = icon

        def opened():
            self.xdotool("mousemove", str(x + w // 2), str(y + h // 2), "click", str(button))
            return wait_for(lambda: (self.popup_menus(pid) or [None])[0],
                            f"the tray menu to open after {tries} clicks", timeout=wait)

        for _ in range(tries - 1):
            try:
                return opened()
            except AssertionError:
                continue  # the click was lost: click again
        return opened()

    def click_row(self, box, index: int, expected_rows: int | None = None) -> None:
        rows = wait_for(lambda: self.menu_rows(box), "menu rows to be drawn")
        if expected_rows is not None:
            assert len(rows) == expected_rows, (
                f"the menu shows {len(rows)} rows, expected {expected_rows}; see "
                f"{self.screenshot(self.tmp / 'menu.png', box) and self.tmp / 'menu.png'}")
        x, _, w, _ = box
        self.xdotool("mousemove", str(x + w // 3), str(rows[index]))
        time.sleep(0.3)  # GTK ignores a click on an item the pointer has only just entered
        self.xdotool("click", "1")

    def notify_calls(self) -> list[dict]:
        """Notify calls seen by dbus-monitor: app_name, summary, body, expire_timeout."""
        text = self.monitor_log.read_text(errors="replace") if self.monitor_log.exists() else ""
        calls = []
        for block in text.split("method call ")[1:]:
            lines = block.splitlines()
            if "member=Notify" not in lines[0]:
                continue
            strings, timeout, current = [], None, None
            for line in lines[1:]:
                if current is not None:  # a string that spans lines
                    current.append(line)
                    if line.endswith('"'):
                        strings.append("\n".join(current)[:-1])
                        current = None
                    continue
                line = line.strip()
                if line.startswith('string "'):
                    value = line[len('string "'):]
                    if value.endswith('"'):
                        strings.append(value[:-1])
                    else:
                        current = [value]
                elif line.startswith("int32 ") and timeout is None and len(strings) >= 4:
                    timeout = int(line.split()[1])
            if len(strings) >= 4:
                calls.append({"app_name": strings[0], "summary": strings[2],
                              "body": strings[3], "expire_timeout": timeout})
        return calls

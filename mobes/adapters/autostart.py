"""The login entry that starts the agent (``mobes autostart``): where it lives, its text.

Linux: an XDG autostart entry (``$XDG_CONFIG_HOME/autostart/mobes.desktop``); Windows: a
``mobes.cmd`` in the Startup folder; macOS: a LaunchAgent plist in
``~/Library/LaunchAgents``. With ``MOBES_HOME`` set the file goes to ``$MOBES_HOME/autostart``
instead (so tests and portable installs never touch the real login items) and the entry
starts mobes with that ``MOBES_HOME``.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

LABEL = "org.mobes.agent"


def entry_path(platform: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """Where the login entry lives on ``platform`` (default: this one), under ``environ``
    (default ``os.environ``)."""
    from mobes.adapters.paths import Paths

    environ = os.environ if environ is None else environ
    platform = platform or sys.platform
    names = {"win32": "mobes.cmd", "darwin": f"{LABEL}.plist"}
    name = names.get(platform, "mobes.desktop")
    home = Paths(environ).home()
    if home:
        return os.path.join(home, "autostart", name)
    if platform == "win32":
        appdata = environ.get("APPDATA") or os.path.expanduser("~\\AppData\\Roaming")
        return os.path.join(appdata, "Microsoft", "Windows", "Start Menu", "Programs",
                            "Startup", name)
    if platform == "darwin":
        return os.path.join(os.path.expanduser("~"), "Library", "LaunchAgents", name)
    base = environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"),
                                                             ".config")
    return os.path.join(base, "autostart", name)


def agent_command(platform: str | None = None) -> list[str]:
    """The command line that starts the agent with this interpreter (``pythonw`` on
    Windows, so no console window opens at login)."""
    platform = platform or sys.platform
    exe = sys.executable
    if platform == "win32":
        w = os.path.join(os.path.dirname(exe), "pythonw.exe")
        if os.path.exists(w):
            exe = w
    return [exe, "-m", "mobes", "run"]


def _desktop_quote(arg: str) -> str:
    """Quote one Exec argument per the Desktop Entry spec."""
    if arg and not any(c in arg for c in ' \t\n"\'\\><~|&;$*?#()`%'):
        return arg
    inner = arg.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`").replace(
        "$", "\\$")
    return f'"{inner}"'.replace("%", "%%")


def _xml(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def entry_text(platform: str, command: list[str], mobes_home: str | None) -> str:
    """The login entry's content for ``platform``."""
    if platform == "win32":
        lines = ["@echo off", "rem Starts the mobes agent at login. "
                 "Remove it with: mobes autostart disable"]
        if mobes_home:
            lines.append(f'set "MOBES_HOME={mobes_home}"')
        lines.append('start "" ' + " ".join(f'"{a}"' if " " in a or not a else a
                                            for a in command))
        return "\r\n".join(lines) + "\r\n"
    if platform == "darwin":
        args = "\n".join(f"    <string>{_xml(a)}</string>" for a in command)
        env = ""
        if mobes_home:
            env = ("  <key>EnvironmentVariables</key>\n  <dict>\n"
                   f"    <key>MOBES_HOME</key>\n    <string>{_xml(mobes_home)}</string>\n"
                   "  </dict>\n")
        return ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" '
                '"http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n'
                '<plist version="1.0">\n<dict>\n'
                f"  <key>Label</key>\n  <string>{LABEL}</string>\n"
                f"  <key>ProgramArguments</key>\n  <array>\n{args}\n  </array>\n"
                f"{env}"
                "  <key>RunAtLoad</key>\n  <true/>\n"
                "  <key>ProcessType</key>\n  <string>Interactive</string>\n"
                "</dict>\n</plist>\n")
    cmd = list(command)
    if mobes_home:
        cmd = ["env", f"MOBES_HOME={mobes_home}"] + cmd
    return ("[Desktop Entry]\n"
            "Type=Application\n"
            "Name=mobes\n"
            "Comment=Microbreak mobilizations during your working hours\n"
            f"Exec={' '.join(_desktop_quote(a) for a in cmd)}\n"
            "Terminal=false\n"
            "X-GNOME-Autostart-enabled=true\n")


def enable(platform: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    from mobes.adapters.paths import Paths, write_atomic

    platform = platform or sys.platform
    path = entry_path(platform, environ)
    text = entry_text(platform, agent_command(platform), Paths(environ).home())
    write_atomic(path, text, newline="")
    return path


def disable(platform: str | None = None, environ: Mapping[str, str] | None = None
            ) -> tuple[str, bool]:
    path = entry_path(platform, environ)
    try:
        os.remove(path)
    except FileNotFoundError:
        return path, False
    return path, True

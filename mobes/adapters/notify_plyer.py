"""Desktop notifications through plyer, with a finite lifetime and detected failures.

This is the only module that imports plyer (lazily, on the first prompt). What plyer does on
its own on Linux is not good enough for prompts that must vanish when the break is over:

- it picks the xdg-desktop-portal path whenever a folder ``/app`` exists (the Flatpak
  convention, but some containers have one too), which builds a ``gdbus`` command line by
  string concatenation, has no timeout and never reports a failure;
- without dbus-python it runs ``notify-send -t 0``: the notification never expires, the
  timeout is ignored and the exit code is not checked.

So on Linux we choose the path ourselves instead of asking ``plyer.notification``: plyer's
dbus-python implementation (``NotifyDbus``) when dbus-python is importable, because it passes
the timeout through and raises ``DBusException`` when there is no bus or no notification
service; otherwise ``notify-send`` run by us with ``--expire-time`` and its exit code checked.
Elsewhere (Windows, macOS) the plyer facade is used as is.

Markup: the Desktop Notifications spec lets the *body* carry markup, and servers that
advertise ``body-markup`` (dunst, GNOME Shell, Plasma...) render it, so text from config
(team movement names, cues) is escaped there (``&``, ``<``, ``>``). The *summary* is plain
text in the spec and servers show it literally (measured with dunst: a summary of
``A &amp; B`` is displayed as ``A &amp; B``), so escaping it would print entities; instead it
is made one line. When a server says it has no body markup, the body is sent as is.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from mobes.services.ports import Notifier

log = logging.getLogger("mobes.notify")

_BUS_NAME = "org.freedesktop.Notifications"
_OBJECT_PATH = "/org/freedesktop/Notifications"


def escape_markup(text: str) -> str:
    """Text safe inside notification markup: ``&``, ``<`` and ``>`` become entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def one_line(text: str) -> str:
    """A summary is a single line: newlines and tabs become spaces."""
    return " ".join(text.split())


def _explain_dbus_error(exc: BaseException) -> str:
    name = ""
    get_name = getattr(exc, "get_dbus_name", None)
    if callable(get_name):
        name = get_name() or ""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if name == "org.freedesktop.DBus.Error.ServiceUnknown" or "ServiceUnknown" in text:
        return f"no notification service on the session bus ({text})"
    if name.startswith("org.freedesktop.DBus.Error.Spawn") or "Spawn." in text:
        return f"the notification service could not be started ({text})"
    no_bus = ("FileNotFound", "NoServer", "NotSupported", "Disconnected", "NoSocket")
    if (any(n in name for n in no_bus) or "autolaunch" in text.lower()
            or "bus address" in text.lower()):
        return f"no D-Bus session bus ({text})"
    return f"{type(exc).__name__}: {text}"


class PlyerNotifier:
    """Shows a prompt as a desktop notification that expires after ``timeout_seconds``.

    ``notify`` returns False when the notification could not be delivered; the first failure
    is reported once through ``on_failure(reason)`` (nothing else is logged here, so the
    caller decides how to say it) and kept in ``last_error``.
    """

    def __init__(self, app_name: str = "mobes",
                 on_failure: Callable[[str], object] | None = None) -> None:
        self.app_name = app_name
        self.on_failure = on_failure
        self.last_error: str | None = None
        self._reported = False
        self._path: str | None = None  # "dbus" | "notify-send" | "plyer"
        self._body_markup: bool | None = None  # the server's capability, once asked

    # -- choosing how to deliver -------------------------------------------------------
    def _choose_path(self) -> str:
        if self._path is None:
            if sys.platform.startswith(("win", "darwin")):
                self._path = "plyer"
            else:
                try:
                    import dbus  # noqa: F401  (dbus-python; has no wheel, may be missing)

                    self._path = "dbus"
                except ImportError:
                    self._path = "notify-send"
        return self._path

    @property
    def path(self) -> str:
        """How notifications are sent: ``dbus`` (plyer + dbus-python), ``notify-send``
        (run by mobes with a timeout) or ``plyer`` (the facade, on Windows and macOS)."""
        return self._choose_path()

    # -- the Notifier port -------------------------------------------------------------
    def notify(self, title: str, message: str, timeout_seconds: int) -> bool:
        timeout = max(1, int(round(timeout_seconds)))
        summary = one_line(title)
        try:
            path = self._choose_path()
            if path == "dbus":
                self._notify_dbus(summary, message, timeout)
            elif path == "notify-send":
                self._notify_send(summary, message, timeout)
            else:
                self._notify_facade(summary, message, timeout)
        except Exception as exc:  # any failure means: the user did not see the prompt
            reason = exc.args[0] if isinstance(exc, _Undelivered) else _explain_dbus_error(exc)
            self._failed(reason)
            return False
        self.last_error = None
        return True

    def _failed(self, reason: str) -> None:
        self.last_error = reason
        if not self._reported:
            self._reported = True
            if self.on_failure is not None:
                self.on_failure(reason)

    # -- the three paths ---------------------------------------------------------------
    def _server_has_body_markup(self) -> bool:
        if self._body_markup is None:
            import dbus

            bus = dbus.SessionBus()
            server = bus.get_object(_BUS_NAME, _OBJECT_PATH)
            caps = server.GetCapabilities(dbus_interface=_BUS_NAME)
            self._body_markup = "body-markup" in [str(c) for c in caps]
        return self._body_markup

    def _notify_dbus(self, summary: str, message: str, timeout: int) -> None:
        from plyer.platforms.linux.notification import NotifyDbus

        body = escape_markup(message) if self._server_has_body_markup() else message
        # plyer sends expire_timeout = timeout * 1000 ms and raises DBusException on failure.
        NotifyDbus().notify(title=summary, message=body, app_name=self.app_name,
                            timeout=timeout)

    def _notify_send(self, summary: str, message: str, timeout: int) -> None:
        exe = shutil.which("notify-send")
        if exe is None:
            raise _Undelivered("neither dbus-python nor notify-send is installed "
                               "(pip install dbus-python, or apt-get install libnotify-bin)")
        # Not plyer's NotifySendNotification: it passes "-t 0" (never expires) and ignores
        # the exit code. notify-send exits non-zero when there is no bus or no server.
        proc = subprocess.run(
            [exe, f"--app-name={self.app_name}", f"--expire-time={timeout * 1000}",
             "--", summary, escape_markup(message)],
            capture_output=True, text=True, timeout=30, env=os.environ.copy())
        if proc.returncode != 0:
            detail = (proc.stderr or proc.stdout).strip().splitlines()
            raise _Undelivered(f"notify-send failed with exit code {proc.returncode}"
                               + (f" ({detail[-1]})" if detail else ""))

    def _notify_facade(self, summary: str, message: str, timeout: int) -> None:
        from plyer import notification

        notification.notify(title=summary, message=message, app_name=self.app_name,
                            timeout=timeout)


class _Undelivered(Exception):
    """A delivery failure whose first argument is already a readable reason."""


class FallbackNotifier:
    """Uses ``primary`` until it fails once, then says so once and uses ``fallback``
    (the console) for this prompt and every later one."""

    def __init__(self, primary: Notifier, fallback: Notifier,
                 say: Callable[[str], object] | None = None) -> None:
        self.primary = primary
        self.fallback = fallback
        self.say = say if say is not None else log.warning
        self.failed = False

    def notify(self, title: str, message: str, timeout_seconds: int) -> bool:
        if not self.failed:
            if self.primary.notify(title, message, timeout_seconds):
                return True
            self.failed = True
            reason = getattr(self.primary, "last_error", None) or "delivery failed"
            self.say(f"desktop notifications unavailable: {reason}; "
                     "showing prompts in the terminal")
        return self.fallback.notify(title, message, timeout_seconds)

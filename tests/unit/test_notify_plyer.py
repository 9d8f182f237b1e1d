"""Desktop notifications: what reaches the notification service, and what happens when
nothing can. The real D-Bus path against dunst is in tests/desktop/test_notify_dbus.py."""

import os
import stat
import sys

import pytest

from mobes.adapters import notify_plyer
from mobes.adapters.notify_plyer import FallbackNotifier, PlyerNotifier

pytest.importorskip("plyer")
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the D-Bus and notify-send paths are Linux's")


class Recorder:
    def __init__(self, ok=True, error=None):
        self.ok = ok
        self.error = error
        self.calls = []
        self.last_error = error

    def notify(self, title, message, timeout_seconds):
        self.calls.append((title, message, timeout_seconds))
        return self.ok


@pytest.fixture
def dbus_calls(monkeypatch):
    """Capture what plyer's dbus-python implementation would send."""
    from plyer.platforms.linux import notification as plyer_linux

    calls = []
    monkeypatch.setattr(plyer_linux.NotifyDbus, "_notify",
                        lambda self, **kw: calls.append(kw))
    monkeypatch.setattr(PlyerNotifier, "_choose_path", lambda self: "dbus")
    monkeypatch.setattr(PlyerNotifier, "_server_has_body_markup", lambda self: True)
    return calls


@linux_only
def test_dbus_path_sends_a_finite_timeout_and_escaped_body(dbus_calls):
    n = PlyerNotifier(app_name="mobes-team")
    assert n.notify("Hips & knees", "Cue: <b>slow</b> & steady", 45) is True
    (sent,) = dbus_calls
    assert sent["timeout"] == 45  # plyer turns it into 45000 ms
    assert sent["app_name"] == "mobes-team"
    assert sent["message"] == "Cue: &lt;b&gt;slow&lt;/b&gt; &amp; steady"
    # the summary is plain text for notification servers: escaping it would show "&amp;"
    assert sent["title"] == "Hips & knees"


@linux_only
def test_summary_is_one_line_and_timeout_at_least_a_second(dbus_calls):
    PlyerNotifier().notify("Neck\ncircles\t now", "x", 0)
    assert dbus_calls[0]["title"] == "Neck circles now"
    assert dbus_calls[0]["timeout"] == 1  # 0 would mean "never expires"


@linux_only
def test_body_is_not_escaped_for_a_server_without_markup(dbus_calls, monkeypatch):
    monkeypatch.setattr(PlyerNotifier, "_server_has_body_markup", lambda self: False)
    PlyerNotifier().notify("t", "a & b", 30)
    assert dbus_calls[0]["message"] == "a & b"


@linux_only
def test_a_flatpak_style_app_folder_does_not_switch_to_the_portal(dbus_calls, monkeypatch):
    from plyer.platforms.linux import notification as plyer_linux

    monkeypatch.setattr(plyer_linux.os.path, "isdir", lambda p: True)  # as if /app existed
    assert PlyerNotifier().notify("t", "m", 30)
    assert len(dbus_calls) == 1


def fake_notify_send(tmp_path, monkeypatch, exit_code=0, stderr=""):
    """A notify-send on PATH that records its arguments."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    args_file = tmp_path / "args"
    script = bindir / "notify-send"
    script.write_text("#!/bin/sh\n"
                      f"for a in \"$@\"; do printf '%s\\n' \"$a\"; done > {args_file}\n"
                      f"echo '{stderr}' >&2\nexit {exit_code}\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(PlyerNotifier, "_choose_path", lambda self: "notify-send")
    return args_file


@linux_only
def test_notify_send_path_expires(tmp_path, monkeypatch):
    args_file = fake_notify_send(tmp_path, monkeypatch)
    assert PlyerNotifier().notify("Wrist circles", "10 each way <slowly>", 40) is True
    args = args_file.read_text().splitlines()
    assert "--expire-time=40000" in args
    assert "-t" not in args and "0" not in args  # plyer's own path sends "-t 0"
    assert "--app-name=mobes" in args
    assert args[-2:] == ["Wrist circles", "10 each way &lt;slowly&gt;"]


@linux_only
def test_notify_send_failure_is_detected_and_reported_once(tmp_path, monkeypatch):
    fake_notify_send(tmp_path, monkeypatch, exit_code=1,
                     stderr="Could not connect: No such file or directory")
    said = []
    n = PlyerNotifier(on_failure=said.append)
    assert n.notify("a", "b", 30) is False
    assert n.notify("c", "d", 30) is False
    assert said == ["notify-send failed with exit code 1 "
                    "(Could not connect: No such file or directory)"]
    assert n.last_error == said[0]


@linux_only
def test_dbus_error_is_explained(monkeypatch):
    class DBusException(Exception):
        def get_dbus_name(self):
            return "org.freedesktop.DBus.Error.ServiceUnknown"

    def fail(self, *a):
        raise DBusException("The name org.freedesktop.Notifications was not provided")

    monkeypatch.setattr(PlyerNotifier, "_choose_path", lambda self: "dbus")
    monkeypatch.setattr(PlyerNotifier, "_notify_dbus", fail)
    said = []
    assert PlyerNotifier(on_failure=said.append).notify("a", "b", 30) is False
    assert said[0].startswith("no notification service on the session bus")


def test_fallback_says_once_and_then_uses_the_console():
    primary = Recorder(ok=False, error="no notification service on the session bus")
    console = Recorder()
    said = []
    n = FallbackNotifier(primary, console, say=said.append)
    assert n.notify("Neck circles", "10 reps", 45) is True
    assert n.notify("Shoulder rolls", "15 reps", 45) is True
    assert said == ["desktop notifications unavailable: no notification service on the "
                    "session bus; showing prompts in the terminal"]
    assert len(primary.calls) == 1  # not retried for every prompt
    assert [c[0] for c in console.calls] == ["Neck circles", "Shoulder rolls"]


def test_fallback_is_not_used_while_the_desktop_works():
    primary, console = Recorder(), Recorder()
    n = FallbackNotifier(primary, console, say=pytest.fail)
    assert n.notify("t", "m", 30)
    assert console.calls == [] and len(primary.calls) == 1


def test_escape_markup():
    assert notify_plyer.escape_markup("a<b>&c") == "a&lt;b&gt;&amp;c"

"""Notifications delivered to a real notification daemon (dunst) on a private D-Bus
session, seen on the bus by dbus-monitor: finite expiry, escaped body, detected failures."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tests.desktop.conftest import need_dbus_python
from tests.desktop.xsession import BUS_CONFIG, wait_for

pytestmark = pytest.mark.desktop

SEND = """
import json, sys
if sys.argv[1] == "without-dbus-python":
    sys.modules["dbus"] = None  # as on a machine where dbus-python did not build
from mobes.adapters.notify_plyer import PlyerNotifier
said = []
n = PlyerNotifier(app_name="mobes", on_failure=said.append)
results = [n.notify(t, b, s) for t, b, s in json.loads(sys.argv[2])]
print(json.dumps({"path": n.path, "results": results, "said": said}))
"""


def send(env, notes, mode="normal"):
    e = dict(env, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-c", SEND, mode, json.dumps(notes)], env=e,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def history(desktop):
    out = desktop.run(["dunstctl", "history"]).stdout
    data = json.loads(out)["data"][0] if out.strip() else []
    return [(n["summary"]["data"], n["body"]["data"], n["timeout"]["data"]) for n in data]


def test_delivered_through_dbus_with_a_finite_timeout_and_escaped_body(desktop):
    need_dbus_python()
    out = send(desktop.env, [["Hips & knees", "Cue: <b>slow</b> & steady", 2]])
    assert out == {"path": "dbus", "results": [True], "said": []}
    call = wait_for(lambda: [c for c in desktop.notify_calls()
                             if c["summary"] == "Hips & knees"], "the Notify call")[-1]
    assert call["app_name"] == "mobes"
    assert call["expire_timeout"] == 2000
    assert call["body"] == "Cue: &lt;b&gt;slow&lt;/b&gt; &amp; steady"
    # dunst closes it after 2 s by itself and files it in its history
    shown = wait_for(lambda: [h for h in history(desktop) if h[0] == "Hips & knees"],
                     "dunst to expire the notification")
    assert shown[0][2] == 2_000_000  # microseconds


def test_notify_send_path_also_expires(desktop):
    out = send(desktop.env, [["Wrist circles", "10 each way", 3]],
               mode="without-dbus-python")
    assert out == {"path": "notify-send", "results": [True], "said": []}
    call = wait_for(lambda: [c for c in desktop.notify_calls()
                             if c["summary"] == "Wrist circles"], "the Notify call")[-1]
    assert call["expire_timeout"] == 3000  # plyer's own notify-send path sends 0 (never)
    assert call["app_name"] == "mobes"


@pytest.fixture
def bus_without_notifications(tmp_path):
    if shutil.which("dbus-daemon") is None:
        pytest.skip("dbus-daemon is not installed (apt-get install dbus)")
    conf = tmp_path / "bus.conf"
    conf.write_text(BUS_CONFIG.format(tmp=tmp_path))
    bus = subprocess.Popen(["dbus-daemon", f"--config-file={conf}", "--nofork",
                            "--print-address=1"], stdout=subprocess.PIPE, text=True,
                           stderr=subprocess.DEVNULL)
    address = bus.stdout.readline().strip()
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["DBUS_SESSION_BUS_ADDRESS"] = address
    yield env
    bus.terminate()
    bus.wait(timeout=10)


@pytest.mark.parametrize("mode", ["normal", "without-dbus-python"])
def test_no_notification_service_is_detected_and_said_once(bus_without_notifications, mode):
    if mode == "normal":
        need_dbus_python()
    elif shutil.which("notify-send") is None:
        pytest.skip("notify-send is not installed (apt-get install libnotify-bin)")
    out = send(bus_without_notifications, [["a", "b", 30], ["c", "d", 30]], mode=mode)
    assert out["results"] == [False, False]
    assert len(out["said"]) == 1
    if mode == "normal":
        assert out["said"][0].startswith("no notification service on the session bus")
    else:
        assert out["said"][0].startswith("notify-send failed with exit code")


def test_no_session_bus_is_detected():
    need_dbus_python()
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=/nonexistent/mobes-test-bus"
    out = send(env, [["a", "b", 30]])
    assert out["results"] == [False]
    assert len(out["said"]) == 1
    assert out["said"][0].startswith("no D-Bus session bus")

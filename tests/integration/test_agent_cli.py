"""The agent's commands for real: ``mobes run --headless`` in a pseudo terminal answered with
real keys, one agent per user with two real processes, ``mobes next`` and ``mobes preview``
reading the running agent's state, and autostart files under MOBES_HOME."""

import json
import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mobes.adapters import autostart

ROOT = Path(__file__).resolve().parents[2]
ALL_DAY = "\n".join(f'{d} = ["00:00-24:00"]' for d in (
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))


@pytest.fixture
def all_day(mobes_home):
    """A user config with working hours round the clock, so the agent is always 'at work'."""
    cfg = mobes_home / "config"
    cfg.mkdir(exist_ok=True)
    (cfg / "config.toml").write_text(f"[work]\n{ALL_DAY}\n", encoding="utf-8")
    return mobes_home


def child_env():
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("DISPLAY", None)  # headless: no tray, no X11 idle time
    env.pop("WAYLAND_DISPLAY", None)
    return env


class Pty:
    """A command in a pseudo terminal: ``expect`` text, ``send`` keys."""

    def __init__(self, *args):
        pid, fd = pty.fork()
        if pid == 0:  # the child: a session leader with the pty as its terminal
            os.execve(sys.executable, [sys.executable, "-m", "mobes", *args], child_env())
        self.pid, self.fd, self.out = pid, fd, ""
        self.seen = 0  # expect() looks only at output after its last match

    def expect(self, text, timeout=30):
        """Wait for ``text`` in the output since the last match; returns that output."""
        deadline = time.monotonic() + timeout
        while text not in self.out[self.seen:]:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{text!r} not seen; output so far:\n{self.out}")
            r, _, _ = select.select([self.fd], [], [], left)
            if r:
                try:
                    data = os.read(self.fd, 4096)
                except OSError:
                    data = b""
                if not data:
                    raise AssertionError(f"{text!r} not seen before exit:\n{self.out}")
                self.out += data.decode("utf-8", "replace")
        start = self.seen
        self.seen = self.out.index(text, start) + len(text)
        return self.out[start:self.seen]

    def send(self, keys):
        os.write(self.fd, keys.encode())

    def wait(self, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                try:
                    while True:
                        r, _, _ = select.select([self.fd], [], [], 0.1)
                        if not r:
                            break
                        data = os.read(self.fd, 4096)
                        if not data:
                            break
                        self.out += data.decode("utf-8", "replace")
                except OSError:
                    pass
                os.close(self.fd)
                return os.waitstatus_to_exitcode(status)
            time.sleep(0.05)
        os.kill(self.pid, signal.SIGKILL)
        raise AssertionError(f"did not exit:\n{self.out}")


def status(home):
    path = home / "state" / "agent.json"
    return json.loads(path.read_text()) if path.exists() else None


def wait_for(pred, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        v = pred()
        if v:
            return v
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def test_headless_agent_answers_single_keys_and_ctrl_c_exits_cleanly(all_day, cli):
    p = Pty("run", "--headless")
    p.expect("Answer a prompt with [d] done  [h] too hard")
    p.expect("[1] pause 30 min  [2] pause 1 h  [3] pause rest of the day  [r] resume")
    p.send("b")  # a break now: the prompt shows movement, dose, cue and the keys
    p.expect("Microbreak: ")
    out = p.expect("[s] skip  [z] snooze\r\n")
    assert out.count("\r\n") >= 3  # title, dose and cue, keys
    p.send("h")
    p.expect("-> Done (too-hard).")
    p.send("b")
    p.expect("Microbreak: ", timeout=30)
    p.send("z")
    p.expect("-> Snoozed for 5 min (snooze 1 of 2).")
    p.send("1")
    p.expect("-> paused until ")
    st = wait_for(lambda: (s := status(all_day)) and s["paused"] and s)
    assert st["status"].startswith("paused until ")
    # another process sees the pause
    r = cli("next")
    assert r.returncode == 0
    assert r.stdout.startswith("Paused until "), r.stdout
    r = cli("next", "--json")
    data = json.loads(r.stdout)
    assert data["agent_running"] is True and data["paused_until"]
    p.send("r")
    p.expect("-> next break in ")
    p.send("\x03")  # Ctrl-C
    assert p.wait() == 0
    assert "mobes stopped." in p.out and "Traceback" not in p.out
    assert status(all_day) is None  # the status file goes with the agent
    # everything was recorded in the history file
    from mobes import bootstrap

    store = bootstrap.open_store()
    try:
        prompts = store.prompts(kind="microbreak")
        outcomes = [(o.outcome, o.feedback) for o in store.outcomes()]
        fb = [(f.feedback, f.context, f.source) for f in store.feedback()]
    finally:
        store.close()
    assert len(prompts) == 2
    assert outcomes == [("done", "too-hard"), ("snoozed", None)]
    assert fb == [("too-hard", "microbreak", "prompt")]


def test_second_agent_says_already_running_and_exits_1(all_day, cli):
    first = subprocess.Popen([sys.executable, "-m", "mobes", "run", "--headless"],
                             env=child_env(), stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: status(all_day))
        r = cli("run", "--headless")
        assert r.returncode == 1
        assert r.stderr.strip() == f"mobes is already running (pid {first.pid})"
        assert first.poll() is None  # the first one keeps running
    finally:
        first.send_signal(signal.SIGTERM)
        out, err = first.communicate(timeout=30)
    assert first.returncode == 0, err
    assert "Traceback" not in err
    # once it is gone, a new agent may start
    again = subprocess.Popen([sys.executable, "-m", "mobes", "run", "--headless"],
                             env=child_env(), stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        st = wait_for(lambda: (s := status(all_day)) and s["pid"] == again.pid and s)
        assert st["next"]["movements"]
    finally:
        again.send_signal(signal.SIGTERM)
        again.communicate(timeout=30)


def test_next_and_preview_agree_without_an_agent(all_day, cli):
    r = cli("next", "--json")
    assert r.returncode == 0, r.stderr
    nxt = json.loads(r.stdout)
    assert nxt["agent_running"] is False
    assert nxt["next"]["why"].startswith("20 min after mobes started at ")
    r = cli("preview", "--days", "1", "--json")
    assert r.returncode == 0, r.stderr
    pv = json.loads(r.stdout)
    assert pv["prompts"][0]["time"] == nxt["next"]["time"]
    assert len(pv["prompts"]) == 71  # round the clock, every 20 min, for 24 h
    m = pv["prompts"][0]["movements"][0]
    assert set(m) >= {"id", "name", "dose", "amount", "cue"}
    text = cli("preview", "--days", "1").stdout
    assert "day" in text and "movement" in text and "71 microbreaks" in text
    human = cli("next").stdout
    assert human.startswith("Next microbreak: ")
    assert "mobes is not running" in human


def test_next_command_stays_lean():
    code = ("import sys; from mobes.cli import main; main(['next']); "
            "print(sorted(m for m in ('apscheduler', 'pystray', 'plyer', 'PIL', 'Xlib', 'gi') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=child_env(), check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_bad_arguments_are_usage_errors(cli):
    r = cli("preview", "--days", "0")
    assert r.returncode == 2 and "expected a number of days from 1 to 31" in r.stderr
    r = cli("run", "--headless", "--interval", "500")
    assert r.returncode == 2 and "interval_minutes" in r.stderr
    assert "Traceback" not in r.stderr
    r = cli("autostart", "enabel")
    assert r.returncode == 2 and "did you mean 'enable'" in r.stderr


# --- autostart -----------------------------------------------------------------------------

def test_autostart_enable_and_disable_under_mobes_home(mobes_home, cli):
    r = cli("autostart", "enable")
    assert r.returncode == 0, r.stderr
    path = mobes_home / "autostart" / ("mobes.desktop" if sys.platform.startswith("linux")
                                       else Path(autostart.entry_path()).name)
    assert r.stdout.startswith(f"Wrote {path}")
    text = path.read_text()
    if sys.platform.startswith("linux"):
        assert text.startswith("[Desktop Entry]\nType=Application\n")
        exec_line = next(x for x in text.splitlines() if x.startswith("Exec="))
        assert f"MOBES_HOME={mobes_home}" in exec_line
        assert exec_line.endswith(" -m mobes run")
    r = cli("autostart", "disable", "--json")
    assert json.loads(r.stdout) == {"action": "disable", "path": str(path), "changed": True}
    assert not path.exists()
    r = cli("autostart", "disable")
    assert r.returncode == 0 and r.stdout.startswith("Autostart was not enabled")


@pytest.mark.parametrize("platform, name, must", [
    ("linux", "mobes.desktop", ["[Desktop Entry]", "Exec=env ", "X-GNOME-Autostart-enabled"]),
    ("win32", "mobes.cmd", ["@echo off", 'set "MOBES_HOME=', 'start "" ']),
    ("darwin", "org.mobes.agent.plist", ["<key>Label</key>", "<string>org.mobes.agent</string>",
                                         "<key>RunAtLoad</key>", "<string>-m</string>",
                                         "<key>MOBES_HOME</key>"]),
])
def test_autostart_entry_for_each_platform(mobes_home, platform, name, must):
    path = autostart.enable(platform)
    assert path == str(mobes_home / "autostart" / name)
    text = Path(path).read_text(encoding="utf-8")
    for piece in must:
        assert piece in text
    assert str(mobes_home) in text
    assert autostart.disable(platform) == (path, True)
    assert not Path(path).exists()


def test_autostart_paths_without_mobes_home(monkeypatch, tmp_path):
    monkeypatch.delenv("MOBES_HOME")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("APPDATA", str(tmp_path / "appdata"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert autostart.entry_path("linux") == str(tmp_path / "xdg" / "autostart" /
                                                "mobes.desktop")
    assert autostart.entry_path("win32").endswith(os.path.join(
        "Microsoft", "Windows", "Start Menu", "Programs", "Startup", "mobes.cmd"))
    assert autostart.entry_path("darwin") == str(tmp_path / "home" / "Library" /
                                                 "LaunchAgents" / "org.mobes.agent.plist")


def test_desktop_exec_quoting():
    text = autostart.entry_text("linux", ["/opt/my python/bin/python", "-m", "mobes", "run"],
                                "/home/a b/100%")
    line = next(x for x in text.splitlines() if x.startswith("Exec="))
    assert line == ('Exec=env "MOBES_HOME=/home/a b/100%%" "/opt/my python/bin/python" '
                    '-m mobes run')

"""The whole agent (``python -m mobes run``) on a virtual desktop: its icon docks in
trayer, menu items clicked with the mouse (xdotool) change what the agent does (seen in
its status file and in ``mobes next --json``), and prompts reach dunst as notifications
that expire after the break's duration."""

import json
import os
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT
from tests.desktop.conftest import need_gtk
from tests.desktop.xsession import wait_for

pytestmark = pytest.mark.desktop

EVERY_DAY = "\n".join(f'{day} = ["00:00-24:00"]' for day in (
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
CONFIG = f"""
[work]
{EVERY_DAY}

[microbreaks]
interval_minutes = 120      # no prompt of its own while the test clicks
duration_seconds = 40
"""
PLAN = """
[[rehab.plan]]
name = "Morning knees"
movements = [{ id = "neck-circles", reps = 50 }]
times = ["23:59"]
"""

# Menu rows with no prompt open and no rehab plan: status line, Take a break now,
# Done..Snooze (greyed), Pause, Resume (greyed), Open config, Quit.
ROWS = 12
TAKE_BREAK, DONE, PAUSE, RESUME = 1, 3, 8, 9


class Agent:
    def __init__(self, desktop, home, config):
        self.desktop = desktop
        self.home = home
        (home / "config").mkdir(parents=True)
        (home / "config" / "config.toml").write_text(config)
        self.status_file = home / "state" / "agent.json"
        self.proc = desktop.python("-m", "mobes", "run",
                                   env={"MOBES_HOME": str(home), "PYSTRAY_BACKEND": "gtk"},
                                   name=f"mobes-run-{home.name}")
        self.log = desktop.tmp / f"mobes-run-{home.name}.log"

    def status(self):
        try:
            return json.loads(self.status_file.read_text())
        except (OSError, ValueError):
            return None

    def wait_status(self, check, what):
        return wait_for(lambda: (s := self.status()) is not None and check(s) and s, what)

    def icon(self):
        return wait_for(lambda: (self.desktop.docked_icons() or [None])[0],
                        "the mobes icon to dock in the tray")

    def click(self, row, rows, sub_row=None, sub_rows=None):
        menu = self.desktop.open_menu(self.proc.pid, self.icon())
        self.desktop.click_row(menu, row, expected_rows=rows)
        if sub_row is not None:
            submenu = wait_for(
                lambda: [m for m in self.desktop.popup_menus(self.proc.pid) if m != menu],
                "the submenu to open")[0]
            self.desktop.click_row(submenu, sub_row, expected_rows=sub_rows)
        wait_for(lambda: not self.desktop.popup_menus(self.proc.pid), "the menu to close")
        time.sleep(0.5)  # the tray redraws its menu after the agent changed

    def mobes(self, *args):
        env = dict(self.desktop.env, MOBES_HOME=str(self.home), PYTHONPATH=str(ROOT))
        return subprocess.run([sys.executable, "-m", "mobes", *args], env=env,
                              capture_output=True, text=True, timeout=60)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=20)


@pytest.fixture
def agent(desktop, tmp_path):
    need_gtk()
    a = Agent(desktop, tmp_path / "home", CONFIG)
    yield a
    a.stop()


def test_tray_menu_drives_the_agent_and_prompts_reach_the_desktop(desktop, agent):
    # (1) the icon appears and the agent is running with the GTK menu
    agent.icon()
    agent.wait_status(lambda s: s["status"].startswith("next break"),
                      "the agent's status file")
    assert agent.status()["current"] is None

    # (2) Take a break now opens a prompt...
    agent.click(TAKE_BREAK, ROWS)
    status = agent.wait_status(lambda s: s["current"] is not None, "a prompt to open")
    title = status["current"]["title"]
    assert title.startswith("Microbreak: ")

    # (3) ...delivered to dunst as a notification that expires after the break
    call = wait_for(lambda: [c for c in desktop.notify_calls() if c["summary"] == title],
                    "the prompt's Notify call on the bus")[-1]
    assert call["app_name"] == "mobes"
    assert call["expire_timeout"] == 40_000
    assert call["body"] == status["current"]["body"].replace("&", "&amp;").replace(
        "<", "&lt;").replace(">", "&gt;")
    shown = desktop.run(["dunstctl", "count", "displayed"]).stdout.strip()
    assert int(shown) >= 1

    # Done answers it (the prompt's title row is now in the menu, above Done)
    agent.click(DONE, ROWS + 1)
    agent.wait_status(lambda s: s["current"] is None, "the prompt to close")
    log = agent.mobes("log", "--json")
    assert log.returncode == 0, log.stderr
    assert '"done"' in log.stdout, log.stdout  # recorded in the history

    # Pause > 30 min pauses the agent; `mobes next` sees it too
    agent.click(PAUSE, ROWS, sub_row=0, sub_rows=3)
    status = agent.wait_status(lambda s: s["paused"], "the agent to pause")
    assert status["paused_until"] is not None
    nxt = agent.mobes("next", "--json")
    assert nxt.returncode == 0, nxt.stderr
    assert "paused" in nxt.stdout

    # Resume (enabled now) ends the pause
    agent.click(RESUME, ROWS)
    agent.wait_status(lambda s: not s["paused"], "the agent to resume")

    # Quit ends the agent cleanly: exit 0, status file gone, icon gone
    agent.click(ROWS - 1, ROWS)
    agent.proc.wait(timeout=20)
    assert agent.proc.returncode == 0, agent.log.read_text()
    assert not agent.status_file.exists()
    wait_for(lambda: not desktop.docked_icons(), "the icon to leave the tray")
    assert "Traceback" not in agent.log.read_text()


def test_rehab_batch_from_the_tray(desktop, tmp_path):
    need_gtk()
    agent = Agent(desktop, tmp_path / "home", CONFIG + PLAN)
    try:
        agent.icon()
        agent.wait_status(lambda s: s["status"], "the agent's status file")
        # a plan adds "Start rehab batch" (row 10) with the plan in its submenu
        agent.click(10, ROWS + 1, sub_row=0, sub_rows=1)
        status = agent.wait_status(
            lambda s: s["current"] is not None and s["current"]["kind"] == "rehab-batch",
            "the rehab batch to start")
        assert status["current"]["title"].startswith("Morning knees: ")
        wait_for(lambda: [c for c in desktop.notify_calls()
                          if c["summary"] == status["current"]["title"]],
                 "the batch's first step as a notification")
        # The Skip row reads "Stop the batch" here (checked in the unit tests); click it.
        agent.click(7, ROWS + 2)
        agent.wait_status(lambda s: s["current"] is None, "the batch to stop")
    finally:
        agent.stop()
    assert os.path.exists(agent.log)


@pytest.fixture
def desktop_without_notifications(tmp_path):
    from tests.desktop.xsession import DesktopSession, missing_tools

    if missing_tools():
        pytest.skip("desktop test tools missing: " + ", ".join(missing_tools()))
    session = DesktopSession(tmp_path / "quiet-desktop").start(notifications=False)
    yield session
    session.stop()


def test_without_a_notification_service_prompts_go_to_the_terminal(
        desktop_without_notifications, tmp_path):
    need_gtk()
    desktop = desktop_without_notifications
    agent = Agent(desktop, tmp_path / "home", CONFIG)
    try:
        agent.icon()
        agent.wait_status(lambda s: s["status"], "the agent's status file")
        agent.click(TAKE_BREAK, ROWS)
        first = agent.wait_status(lambda s: s["current"] is not None, "a prompt")
        agent.click(DONE, ROWS + 1)
        agent.wait_status(lambda s: s["current"] is None, "the prompt to close")
        agent.click(TAKE_BREAK, ROWS)
        second = agent.wait_status(lambda s: s["current"] is not None, "another prompt")
        out = wait_for(lambda: (t := agent.log.read_text()).count("Microbreak: ") >= 2 and t,
                       "both prompts in the terminal")
        assert first["current"]["title"] in out and second["current"]["title"] in out
        assert out.count("desktop notifications unavailable: ") == 1
        assert "showing prompts in the terminal" in out
        assert desktop.notify_calls() == []  # nobody answered on the bus
    finally:
        agent.stop()

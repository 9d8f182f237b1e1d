"""The tray icon on a real (virtual) desktop: it docks in trayer, its GTK menu opens on a
right click, and clicking items with the mouse reaches the agent behind it.

The agent here is tests/desktop/fake_controller.py (it logs each call to a file); the full
agent (``mobes run``) is driven in test_e2e_agent.py.
"""

import json
import time

import pytest

from tests.desktop.conftest import need_gtk
from tests.desktop.xsession import wait_for

pytestmark = pytest.mark.desktop

# Rows of the menu with no prompt open and no rehab plan: status, Take a break now,
# Done..Snooze (6, greyed), Pause, Resume (greyed), Open config, Quit.
ROWS_IDLE = 12


def calls(path):
    if not path.exists():
        return []
    return [tuple(json.loads(line)) for line in path.read_text().splitlines() if line]


@pytest.fixture
def tray_app(desktop, tmp_path):
    need_gtk()
    log = tmp_path / "calls.jsonl"
    proc = desktop.python("-m", "tests.desktop.fake_controller", str(log),
                          env={"PYSTRAY_BACKEND": "gtk"}, name="fake-agent")
    yield proc, log
    if proc.poll() is None:
        proc.terminate()
        proc.wait(timeout=10)


def test_icon_docks_and_menu_clicks_reach_the_agent(desktop, tray_app):
    proc, log = tray_app
    icon = wait_for(lambda: (desktop.docked_icons() or [None])[0], "the icon to dock")
    x, y, w, h = icon
    assert w >= 16 and h >= 16

    # Take a break now: the second row of the menu.
    menu = desktop.open_menu(proc.pid, icon)
    desktop.click_row(menu, 1, expected_rows=ROWS_IDLE)
    wait_for(lambda: calls(log) == [("take_break_now",)], "the click to reach the agent")
    wait_for(lambda: not desktop.popup_menus(proc.pid), "the menu to close")

    # Now a prompt is open: its title row appears and Done (row 3) is enabled.
    time.sleep(0.5)  # let the worker thread rebuild the menu
    menu = desktop.open_menu(proc.pid, icon)
    desktop.click_row(menu, 3, expected_rows=ROWS_IDLE + 1)
    wait_for(lambda: calls(log)[-1:] == [("respond", "done")], "Done to reach the agent")

    # Pause > 30 min: open the submenu from the Pause row, click its first row.
    time.sleep(0.5)
    menu = desktop.open_menu(proc.pid, icon)
    desktop.click_row(menu, 8, expected_rows=ROWS_IDLE)
    submenu = wait_for(lambda: [m for m in desktop.popup_menus(proc.pid) if m != menu],
                       "the Pause submenu")[0]
    desktop.click_row(submenu, 0, expected_rows=3)
    wait_for(lambda: calls(log)[-1:] == [("pause", 30)], "Pause 30 min to reach the agent")

    # Quit: the last row; the process ends by itself.
    time.sleep(0.5)
    menu = desktop.open_menu(proc.pid, icon)
    desktop.click_row(menu, -1, expected_rows=ROWS_IDLE)
    wait_for(lambda: proc.poll() is not None, "the agent to quit")
    assert calls(log)[-1] == ("quit",)
    assert proc.returncode == 0
    wait_for(lambda: not desktop.docked_icons(), "the icon to leave the tray")


@pytest.mark.parametrize("backend", ["auto", "appindicator", "xorg"])
def test_each_backend_docks_its_icon(desktop, tmp_path, backend):
    """auto picks gtk next to an XEmbed tray with no StatusNotifier host; appindicator
    falls back to XEmbed by itself there; xorg docks an icon without a menu."""
    if backend != "xorg":
        need_gtk()
    env = {} if backend == "auto" else {"PYSTRAY_BACKEND": backend}
    proc = desktop.python("-m", "tests.desktop.fake_controller", str(tmp_path / "calls"),
                          env=env, name=f"fake-agent-{backend}")
    try:
        icon = wait_for(lambda: (desktop.docked_icons() or [None])[0], "the icon to dock")
        out = (desktop.tmp / f"fake-agent-{backend}.log").read_text()
        expected = "gtk" if backend == "auto" else backend
        assert f"backend: {expected}" in out
        if backend != "xorg":
            menu = desktop.open_menu(proc.pid, icon)
            assert len(desktop.menu_rows(menu)) == ROWS_IDLE
            desktop.xdotool("key", "Escape")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    wait_for(lambda: not desktop.docked_icons(), "the icon to leave the tray")


def test_quit_is_clean_without_a_notification_daemon(tmp_path):
    """pystray's GTK backend closes a notification on the way out; with no notification
    service that raised and Quit ended with a traceback."""
    need_gtk()
    from tests.desktop.xsession import DesktopSession, missing_tools

    if missing_tools():
        pytest.skip("desktop test tools missing: " + ", ".join(missing_tools()))
    session = DesktopSession(tmp_path / "desktop").start(notifications=False)
    try:
        proc = session.python("-m", "tests.desktop.fake_controller", str(tmp_path / "calls"),
                              env={"PYSTRAY_BACKEND": "gtk"}, name="fake-agent")
        icon = wait_for(lambda: (session.docked_icons() or [None])[0], "the icon to dock")
        menu = session.open_menu(proc.pid, icon)
        session.click_row(menu, -1, expected_rows=ROWS_IDLE)
        proc.wait(timeout=20)
        log = (session.tmp / "fake-agent.log").read_text()
        assert proc.returncode == 0, log
        assert "Traceback" not in log
    finally:
        session.stop()

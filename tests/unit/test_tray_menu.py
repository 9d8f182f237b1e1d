"""The tray menu, with pystray's dummy backend (no display needed) and a fake agent.

Each test reads the menu the way a backend draws it (visible items, their text, whether
they are enabled) and clicks items by calling them, as pystray does on a real click.
"""

import importlib.util
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tests.desktop.fake_controller import FakeController, FakePrompt

# not importorskip: importing pystray here, before PYSTRAY_BACKEND is set, needs a display
if importlib.util.find_spec("pystray") is None:
    pytest.skip("pystray is not installed", allow_module_level=True)


@pytest.fixture
def tray_module(monkeypatch):
    monkeypatch.setenv("PYSTRAY_BACKEND", "dummy")
    from mobes.adapters import tray as tray_pystray

    ok, reason = tray_pystray.available("dummy")
    if not ok:
        pytest.fail(f"the dummy tray backend should always load: {reason}")
    return tray_pystray


def make_ui(tray_module, **state):
    controller = FakeController(**state)
    return tray_module.TrayUI(controller), controller


def labels(menu):
    """What the user sees: visible items top to bottom, separators as '---',
    disabled items in brackets, submenus with their items."""
    out = []
    for item in menu:
        if item.text == "- - - -":
            out.append("---")
            continue
        text = item.text if item.enabled else f"[{item.text}]"
        if item.submenu is not None:
            text += " > " + " | ".join(labels(item.submenu))
        out.append(text)
    return out


def click(menu, *path):
    """Click an item by its label path, e.g. click(menu, "Pause", "1 hour")."""
    items = {item.text: item for item in menu}
    assert path[0] in items, f"{path[0]!r} is not in the menu: {list(items)}"
    item = items[path[0]]
    if len(path) > 1:
        return click(item.submenu, *path[1:])
    assert item.enabled, f"{path[0]!r} is disabled"
    item(None)


def test_menu_without_a_prompt_or_plans(tray_module):
    ui, _ = make_ui(tray_module)
    assert labels(ui.icon.menu) == [
        "[Next break in 12 min]", "---",
        "Take a break now", "---",
        "[Done]", "[Too hard]", "[Too easy]", "[Pain]", "[Skip]", "[Snooze]", "---",
        "Pause > 30 min | 1 hour | Rest of the day", "[Resume]", "---",
        "Open config", "Quit",
    ]
    assert ui.icon.title == "mobes — next break in 12 min"


def test_an_open_prompt_enables_the_responses_and_shows_its_title(tray_module):
    prompt = FakePrompt("Shoulder rolls — 15 reps", "Roll both shoulders back.")
    ui, _ = make_ui(tray_module, prompt=prompt)
    shown = labels(ui.icon.menu)
    assert shown[4:11] == ["[Shoulder rolls — 15 reps]", "Done", "Too hard", "Too easy",
                           "Pain", "Skip", "Snooze"]


@pytest.mark.parametrize(("label", "action"), [
    ("Done", "done"), ("Too hard", "too-hard"), ("Too easy", "too-easy"),
    ("Pain", "pain"), ("Skip", "skip"), ("Snooze", "snooze"),
])
def test_each_response_reaches_the_agent(tray_module, label, action):
    ui, controller = make_ui(tray_module, prompt=FakePrompt("Neck circles", "..."))
    click(ui.icon.menu, label)
    assert controller.calls == [("respond", action)]


def test_taking_a_break_opens_a_prompt_and_the_menu_follows(tray_module):
    ui, controller = make_ui(tray_module)
    click(ui.icon.menu, "Take a break now")
    assert controller.calls == [("take_break_now",)]
    assert "Done" in labels(ui.icon.menu)  # enabled now
    click(ui.icon.menu, "Done")
    assert controller.calls[-1] == ("respond", "done")
    assert "[Done]" in labels(ui.icon.menu)


@pytest.mark.parametrize(("choice", "minutes"), [
    ("30 min", 30), ("1 hour", 60), ("Rest of the day", -1)])
def test_pause_choices(tray_module, choice, minutes):
    ui, controller = make_ui(tray_module)
    click(ui.icon.menu, "Pause", choice)
    assert controller.calls == [("pause", minutes)]
    shown = labels(ui.icon.menu)
    assert "Resume" in shown and "[Resume]" not in shown
    assert shown[0] == "[Paused]"
    assert ui.icon.title == "mobes — paused"


def test_resume_only_while_paused(tray_module):
    ui, controller = make_ui(tray_module, paused=True, status="paused until 14:30")
    click(ui.icon.menu, "Resume")
    assert controller.calls == [("resume",)]
    assert "[Resume]" in labels(ui.icon.menu)


def test_pause_choices_come_from_the_settings(tray_module):
    from mobes.domain.settings import Microbreaks, Settings

    settings = Settings(microbreaks=Microbreaks(pause_choices=(15, 90, 120, -1)))
    ui = tray_module.TrayUI(FakeController(), settings)
    pause = next(item for item in ui.icon.menu if item.text == "Pause")
    assert labels(pause.submenu) == ["15 min", "1 h 30 min", "2 hours", "Rest of the day"]


def test_rehab_plans_appear_only_when_there_are_some(tray_module):
    ui, controller = make_ui(tray_module, plans=["Hip program", "Knee rehab"])
    assert "Start rehab batch > Hip program | Knee rehab" in labels(ui.icon.menu)
    click(ui.icon.menu, "Start rehab batch", "Knee rehab")
    assert controller.calls == [("start_rehab_batch", "Knee rehab")]
    controller.plans = []
    ui.refresh()
    assert not any(s.startswith("Start rehab batch") for s in labels(ui.icon.menu))


def test_open_config_and_quit(tray_module):
    ui, controller = make_ui(tray_module)
    click(ui.icon.menu, "Open config")
    click(ui.icon.menu, "Quit")
    assert controller.calls == [("open_config",), ("quit",)]


def test_refresh_follows_the_agent_and_redraws_the_icon(tray_module):
    ui, controller = make_ui(tray_module)
    idle_image = ui.icon.icon
    controller.status = "next break in 3 min"
    controller.prompt = FakePrompt("Wrist circles — 10 each way", "...")
    ui.refresh()
    assert ui.icon.title == "mobes — next break in 3 min"
    assert labels(ui.icon.menu)[0] == "[Next break in 3 min]"
    assert ui.icon.icon is not idle_image  # the prompt colour
    controller.prompt = None
    controller.paused = True
    ui.refresh()
    assert ui.icon.icon.getpixel((32, 8)) != idle_image.getpixel((32, 8))


def test_a_failing_action_does_not_break_the_tray(tray_module, caplog):
    ui, controller = make_ui(tray_module)

    def broken():
        raise RuntimeError("store is locked")

    controller.take_break_now = broken
    click(ui.icon.menu, "Take a break now")
    assert "tray action failed" in caplog.text
    click(ui.icon.menu, "Open config")
    assert controller.calls == [("open_config",)]


def test_icon_states_are_distinct_images(tray_module):
    images = {s: tray_module.draw_icon(s) for s in ("idle", "prompt", "paused")}
    for image in images.values():
        assert image.size == (64, 64) and image.mode == "RGBA"
        assert image.getpixel((0, 0))[3] == 0  # transparent corner
    centre = {s: img.getpixel((12, 32)) for s, img in images.items()}
    assert len(set(centre.values())) == 3


def _probe(env_changes, code="print(available())"):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "PYSTRAY_BACKEND")}
    env.update(env_changes)
    env["PYTHONPATH"] = str(ROOT)
    script = ("import sys\nfrom mobes.adapters.tray import available\n" + code
              + "\nprint('pystray' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.splitlines()


def test_no_display_means_no_tray_and_pystray_is_not_imported():
    result, imported = _probe({})
    assert result.startswith("(False, 'no display")
    assert imported == "False"


def test_a_display_that_does_not_answer_is_reported_not_raised():
    result, _ = _probe({"DISPLAY": ":97531"})
    assert result.startswith("(False, ")
    assert "Traceback" not in result


def test_tray_turned_off_in_the_config():
    result, imported = _probe({"DISPLAY": ":0"}, "print(available('none'))")
    assert result.startswith("(False, 'the tray is turned off")
    assert imported == "False"


def test_unknown_backend_is_named():
    result, _ = _probe({}, "print(available('kde'))")
    assert "unknown tray backend 'kde'" in result


def test_pause_labels(tray_module):
    assert [tray_module.pause_label(m) for m in (5, 30, 60, 90, 120, -1)] == [
        "5 min", "30 min", "1 hour", "1 h 30 min", "2 hours", "Rest of the day"]


MICROBREAK = (("done", "Done"), ("too-hard", "Too hard"), ("too-easy", "Too easy"),
              ("pain", "Pain"), ("skip", "Skip"), ("snooze", "Snooze"))


def test_snooze_is_greyed_out_when_the_prompt_has_none_left(tray_module):
    prompt = FakePrompt("Microbreak: Neck circles", "...", actions=MICROBREAK[:5])
    ui, _ = make_ui(tray_module, prompt=prompt)
    assert labels(ui.icon.menu)[5:11] == ["Done", "Too hard", "Too easy", "Pain", "Skip",
                                          "[Snooze]"]


def test_a_rehab_step_uses_the_batch_s_own_words(tray_module):
    step = FakePrompt("knee: set 1 of 2, left side", "Slowly.",
                      actions=(("done", "Done: 25 reps"), ("pain", "Pain: stop this movement"),
                               ("stop", "Stop the batch")))
    ui, controller = make_ui(tray_module, prompt=step)
    assert labels(ui.icon.menu)[4:11] == [
        "[knee: set 1 of 2, left side]", "Done: 25 reps", "Too hard", "Too easy",
        "Pain: stop this movement", "Stop the batch", "[Snooze]"]
    click(ui.icon.menu, "Stop the batch")
    assert controller.calls == [("respond", "skip")]  # the agent stops the batch on skip


def test_rehab_feedback_step(tray_module):
    ask = FakePrompt("IT band: how did it feel?", "",
                     actions=(("ok", "Felt ok"), ("too-easy", "Too easy"),
                              ("too-hard", "Too hard"), ("pain", "Pain"),
                              ("stop", "Stop the batch")))
    ui, controller = make_ui(tray_module, prompt=ask)
    assert labels(ui.icon.menu)[5:11] == ["Felt ok", "Too hard", "Too easy", "Pain",
                                          "Stop the batch", "[Snooze]"]
    click(ui.icon.menu, "Felt ok")
    assert controller.calls == [("respond", "done")]


def test_icon_png_decodes_to_the_same_pixels(tray_module):
    import io

    from PIL import Image

    image = tray_module.draw_icon("prompt")
    back = Image.open(io.BytesIO(tray_module.png_bytes(image)))
    assert back.mode == "RGBA" and back.size == image.size
    assert back.tobytes() == image.tobytes()

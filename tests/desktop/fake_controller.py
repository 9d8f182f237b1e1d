"""A stand-in for the agent's App behind the tray (the TrayController interface).

It records every call (in ``calls``, and as JSON lines in ``log_path`` when given) and keeps
just enough state for the menu to change: a break opens a prompt, a response closes it,
pause/resume toggle the paused state. Run as a program, it shows a real tray icon for the
desktop tests: ``python -m tests.desktop.fake_controller LOG_PATH [PLAN ...]``.
"""

from __future__ import annotations

import json
import sys


class FakePrompt:
    def __init__(self, title: str, body: str, actions=None) -> None:
        self.title = title
        self.body = body
        if actions is not None:  # (key, label) pairs, as the agent's PromptView has
            self.actions = tuple(actions)


class FakeController:
    def __init__(self, plans=(), prompt=None, paused=False,
                 status="next break in 12 min", log_path=None) -> None:
        self.plans = list(plans)
        self.prompt = prompt
        self.paused = paused
        self.status = status
        self.log_path = log_path
        self.calls: list[tuple] = []
        self.subscribers: list = []

    def _record(self, *call) -> None:
        self.calls.append(call)
        if self.log_path:
            with open(self.log_path, "a", encoding="utf-8") as f:
                f.write(json.dumps(list(call)) + "\n")

    def _changed(self) -> None:
        for callback in self.subscribers:
            callback()

    # the TrayController interface
    def take_break_now(self) -> None:
        self._record("take_break_now")
        self.prompt = FakePrompt("Neck circles — 10 reps", "Slow circles, both ways.")
        self._changed()

    def respond(self, action: str) -> None:
        self._record("respond", action)
        self.prompt = None
        self._changed()

    def pause(self, minutes: int) -> None:
        self._record("pause", minutes)
        self.paused = True
        self.status = "paused"
        self._changed()

    def resume(self) -> None:
        self._record("resume")
        self.paused = False
        self.status = "next break in 20 min"
        self._changed()

    def start_rehab_batch(self, plan_name: str) -> None:
        self._record("start_rehab_batch", plan_name)

    def rehab_plans(self) -> list[str]:
        return list(self.plans)

    def status_text(self) -> str:
        return self.status

    def current_prompt(self):
        return self.prompt

    def is_paused(self) -> bool:
        return self.paused

    def open_config(self) -> None:
        self._record("open_config")

    def quit(self) -> None:
        self._record("quit")

    def subscribe(self, callback) -> None:
        self.subscribers.append(callback)


def main(argv: list[str]) -> int:
    from mobes.adapters.tray import TrayUI, available

    ok, reason = available()
    print(f"tray: {ok} {reason}", flush=True)
    if not ok:
        return 3
    controller = FakeController(plans=argv[1:], log_path=argv[0])
    ui = TrayUI(controller)
    print(f"backend: {ui.backend}", flush=True)
    ui.run()
    print("stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

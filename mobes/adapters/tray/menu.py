"""What the tray menu shows: the fixed answer items and a snapshot of the agent's state
(no pystray here)."""

from __future__ import annotations

from mobes.ui.texts import TRAY_RESPONSES as RESPONSES  # noqa: F401 (the fixed items)
from mobes.ui.texts import pause_label  # noqa: F401 (the menu's pause labels)

# A prompt lists the answers it takes as (key, label) pairs (``PromptView.actions``); a
# rehab batch guided from the tray has its own ("ok": Felt ok, "stop": Stop the batch, ...)
# which the agent also accepts under these fixed items' keys.
_ACCEPTED_AS = {"done": ("done", "ok"), "skip": ("skip", "stop"),
                "too-hard": ("too-hard", "done"), "too-easy": ("too-easy", "done"),
                "pain": ("pain",), "snooze": ("snooze",)}


class _Snapshot:
    """What the menu shows, read from the controller in one go (menus are evaluated on the
    tray's thread; they read this instead of calling back into the agent)."""

    __slots__ = ("status", "prompt_title", "actions", "paused", "plans")

    def __init__(self, status: str, prompt_title: str | None,
                 actions: tuple[tuple[str, str], ...] | None, paused: bool,
                 plans: tuple[str, ...]) -> None:
        self.status = status
        self.prompt_title = prompt_title
        self.actions = actions  # None: the prompt did not say, every answer is offered
        self.paused = paused
        self.plans = plans

    def key(self) -> tuple:
        return (self.status, self.prompt_title, self.actions, self.paused, self.plans)

    @property
    def icon_state(self) -> str:
        return "prompt" if self.prompt_title is not None else (
            "paused" if self.paused else "idle")

    def accepts(self, key: str) -> bool:
        if self.prompt_title is None:
            return False
        if self.actions is None:
            return True
        keys = {k for k, _ in self.actions}
        return any(k in keys for k in _ACCEPTED_AS[key])

    def label(self, key: str, fixed: str) -> str:
        """The prompt's own words for an answer when it has them ("Stop the batch" for
        Skip in a rehab batch), else the fixed label."""
        labels = dict(self.actions or ())
        if key in labels:
            return labels[key]
        if key in ("done", "skip"):
            for alias in _ACCEPTED_AS[key]:
                if alias in labels:
                    return labels[alias]
        return fixed

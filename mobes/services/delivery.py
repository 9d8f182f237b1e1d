"""How prompts reach the user: the desktop notifier while notifications are enabled, the
terminal when it must show them or the desktop did not take them."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from mobes.services.ports import Notifier


class Delivery:
    """How prompts reach the user, following ``[notifications] enabled`` as it is now.

    ``desktop`` (a notifier, or None without a desktop) is used while notifications are
    enabled; ``console`` prints the prompt: always when ``console_always`` (the terminal is
    where keys answer it), otherwise when the desktop is off or did not take the prompt.
    """

    def __init__(self, settings_source: Any, desktop: Notifier | None, console: Notifier,
                 console_always: bool) -> None:
        self.settings_source = settings_source
        self.desktop = desktop
        self.console = console
        self.console_always = console_always

    def notify(self, title: str, message: str, timeout_seconds: int) -> bool:
        shown = False
        if self.desktop is not None and self.settings_source.settings.notifications.enabled:
            shown = bool(self.desktop.notify(title, message, timeout_seconds))
        if self.console_always or not shown:
            return bool(self.console.notify(title, message, timeout_seconds)) or shown
        return shown

"""The words the agent's faces show: answer labels and keys, pause labels, prompt titles.

The tray menu, the headless console and the agent's prompt views all take their answer
table and pause labels from here, so they cannot drift apart. The answers themselves
(their keys, and the feedback each gives) are the policy's (``mobes.domain.policy``,
``mobes.domain.rules.ANSWER_FEEDBACK``).
"""

from __future__ import annotations

# Every answer to a microbreak prompt: (key, label, console key). Order is the menu's.
ANSWERS: tuple[tuple[str, str, str], ...] = (
    ("done", "Done", "d"), ("too-hard", "Too hard", "h"), ("too-easy", "Too easy", "e"),
    ("pain", "Pain", "p"), ("skip", "Skip", "s"), ("snooze", "Snooze", "z"))

# (key, label) pairs a microbreak prompt offers (``PromptView.actions``).
MICROBREAK_ACTIONS: tuple[tuple[str, str], ...] = tuple((k, label) for k, label, _ in ANSWERS)
# The tray's fixed answer items: (label, key).
TRAY_RESPONSES: tuple[tuple[str, str], ...] = tuple((label, k) for k, label, _ in ANSWERS)
# The console's single keys: key letter -> answer.
CONSOLE_KEYS: dict[str, str] = {c: k for k, _, c in ANSWERS}
CONSOLE_LEGEND = "  ".join(f"[{c}] {label.lower()}" for _, label, c in ANSWERS)


def pause_label(minutes: int, terse: bool = False) -> str:
    """A pause length in words: "30 min", "1 hour", "1 h 30 min", "Rest of the day" (the
    tray menu); ``terse`` for the console's key legend: "30 min", "1 h", "rest of the day".
    ``minutes`` < 0 means the rest of the day."""
    if minutes < 0:
        return "rest of the day" if terse else "Rest of the day"
    if terse:
        return f"{minutes // 60} h" if minutes % 60 == 0 else f"{minutes} min"
    if minutes < 60:
        return f"{minutes} min"
    h, m = divmod(minutes, 60)
    hours = "1 hour" if h == 1 else f"{h} hours"
    return hours if m == 0 else f"{h} h {m} min"


# --- prompt titles and the agent's notices ----------------------------------------------

MICROBREAK_TITLE = "Microbreak: "
CAUTION_PREFIX = "Caution: "
# The stop-on-pain rule said with every prompt (the movement's own is in its pain_rule).
PAIN_LINE = "Pain means stop: answer Pain."
PAIN_STOPPED = ("Pain: stopped, recorded as pain (not as a done break). If the pain comes back "
                "or persists, talk to your therapist or caregiver.")
AGAIN = " (again)"
REHAB_REMINDER_TITLE = "Rehab batch"
REHAB_MISSED_TITLE = "Rehab batch missed"
NO_MOVEMENT = ("no desk-friendly movement is available for a microbreak: check 'exclude' and "
               "'movement_set', or re-enable retired movements")
IDLE_UNKNOWN = "idle time cannot be read here: natural breaks and away detection are off"


def idle_unreadable(reason: str) -> str:
    return f"idle time cannot be read ({reason}): natural breaks and away detection are off"


# --- what an answer did ----------------------------------------------------------------

NOTHING_TO_ANSWER = "there is no prompt to answer"
SKIPPED = "Skipped."
NO_SNOOZE_IN_BATCH = "a rehab batch cannot be snoozed; Skip stops it"


def unknown_answer(action: str) -> str:
    return f"unknown answer {action!r}"


def no_snooze_left(detail: str) -> str:
    return f"No snooze left: {detail}."


def done(how: str = "") -> str:
    """"Done." or, with how it felt, "Done (too-hard).\""""
    return f"Done ({how})." if how else "Done."


def snoozed(minutes: int, detail: str) -> str:
    return f"Snoozed for {minutes} min ({detail})."


def batch_in_progress(plan: str) -> str:
    return f"rehab batch '{plan}' in progress"

"""Value rules shared by more than one door: each exists once, here.

The config loader (``mobes.config``) and ``mobes plan add`` both validate rehab plans with
the limits and checks below, so a plan one accepts the other accepts too; the tray adapter
and the config schema share the tray backend names; the config reloader and the TOML
cache share the racy-timestamp rule. Pure: no I/O, stdlib only.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# --- rehab plans ---------------------------------------------------------------------------

PLAN_NAME_MAX = 60  # characters
PLAN_NAME_FORBIDDEN = "\"'\n\r"  # quotes would need escaping on every command line
PLAN_MOVEMENTS = (1, 5)  # a concentrated batch works best with few movements
PLAN_TIMES = (1, 3)  # batch times a day
PLAN_SETS = (1, 3)  # sets a day, in one sitting
PLAN_TRIAL_DAYS = (0, 30)  # 0: no trial, never asked "any obvious benefit?"
PLAN_HOLDS = (1, 20)  # holds a set, for a movement dosed in seconds
# Sanity bounds for a plan item before the movement's own range
# (``mobes.domain.rehab.plan_amount_range``) is known.
ITEM_REPS = (1, 500)
ITEM_HOLD_SECONDS = (1, 600)


def whole_in(v: Any, bounds: tuple[int, int]) -> bool:
    """``v`` is a whole number (not a bool) within ``bounds`` (inclusive)."""
    return isinstance(v, int) and not isinstance(v, bool) and bounds[0] <= v <= bounds[1]


def plan_name_ok(name: Any) -> bool:
    """A plan name: non-empty after trimming, at most 60 characters, no quotes or breaks."""
    return (isinstance(name, str) and bool(name.strip()) and len(name.strip()) <= PLAN_NAME_MAX
            and not any(c in name for c in PLAN_NAME_FORBIDDEN))


PLAN_NAME_EXPECTED = (f"a non-empty name of at most {PLAN_NAME_MAX} characters, without quotes "
                      "or line breaks")


# --- clock times ---------------------------------------------------------------------------


def clock_minutes(text: Any, allow_24: bool = False) -> int | None:
    """Minutes after midnight for a 24-hour time "HH:MM" (or "H:MM"), None when ``text`` is
    not one. ``allow_24``: "24:00" is the end of a day (work windows)."""
    if not isinstance(text, str):
        return None
    hh, sep, mm = text.strip().partition(":")
    if not sep or not 1 <= len(hh) <= 2 or len(mm) != 2:
        return None
    if not (hh.isascii() and hh.isdigit() and mm.isascii() and mm.isdigit()):
        return None
    h, m = int(hh), int(mm)
    if m > 59 or h > 24 or (h == 24 and (m or not allow_24)):
        return None
    return h * 60 + m


def clock_text(minutes: int) -> str:
    """600 -> "10:00"."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def plan_times(texts: Any) -> tuple[str, ...] | None:
    """A plan's batch times, normalised ("7:30" -> "07:30") and sorted; None when they are
    not 1 to 3 valid times. Duplicates are the caller's to report (``duplicate_times``)."""
    if not isinstance(texts, (list, tuple)) or not PLAN_TIMES[0] <= len(texts) <= PLAN_TIMES[1]:
        return None
    minutes = [clock_minutes(t) for t in texts]
    if any(m is None for m in minutes):
        return None
    return tuple(clock_text(m) for m in sorted(minutes))  # type: ignore[type-var]


def duplicate_times(times: tuple[str, ...]) -> bool:
    return len(set(times)) != len(times)


# --- answers to a prompt -------------------------------------------------------------------

# The answers a microbreak prompt takes that say how it felt, and the feedback each gives.
ANSWER_FEEDBACK: dict[str, str] = {"done": "ok", "too-hard": "too-hard",
                                   "too-easy": "too-easy", "pain": "pain"}

# --- tray ----------------------------------------------------------------------------------

# Backends ``[tray] backend`` may name (pystray's, plus auto and none).
TRAY_BACKENDS: tuple[str, ...] = ("auto", "gtk", "appindicator", "xorg", "win32", "darwin",
                                  "none")

# --- file timestamps -----------------------------------------------------------------------

# A file modified less than this long ago may be written again within the same timestamp
# tick ("racy", as git calls it): its (mtime, size) alone cannot prove it unchanged.
RACY_NS = 2_000_000_000


def racy(mtime_ns: int, now_ns: int) -> bool:
    """Whether a file stamped ``mtime_ns`` cannot be trusted by its stamp at ``now_ns``."""
    return now_ns - mtime_ns < RACY_NS

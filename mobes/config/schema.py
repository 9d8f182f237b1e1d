"""Every config key once, with its rule: the value checks, the sections and their keys,
the layer names and the built-in defaults file (data/default.toml, which documents every
key)."""

from __future__ import annotations

import os

from mobes.config.problems import Bad, _hint
from mobes.config.writer import short_value, toml_key
from mobes.domain.rules import TRAY_BACKENDS, clock_minutes
from mobes.domain.settings import WEEKDAYS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


DEFAULT = "default"
TEAM = "team"
USER = "user"
CLI = "command line"
MAX_FILE_BYTES = 1_000_000

# ------------------------------------------------------------------- value checks


def _is_int(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _bool(v: Any) -> bool:
    if not isinstance(v, bool):
        raise Bad("true or false")
    return v


def _int(lo: int, hi: int, unit: str = "") -> Callable[[Any], int]:
    what = f"a whole number{unit} from {lo} to {hi}"

    def check(v: Any) -> int:
        if not _is_int(v) or not lo <= v <= hi:
            raise Bad(what)
        return v

    return check


def _float(lo: float, hi: float) -> Callable[[Any], float]:
    what = f"a number from {lo} to {hi}"

    def check(v: Any) -> float:
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not lo <= v <= hi:
            raise Bad(what)
        return float(v)

    return check


def _text(max_len: int) -> Callable[[Any], str]:
    what = f"a non-empty string of at most {max_len} characters"

    def check(v: Any) -> str:
        if not isinstance(v, str) or not v.strip() or len(v) > max_len:
            raise Bad(what)
        return v.strip()

    return check


def _choice(options: tuple[str, ...]) -> Callable[[Any], str]:
    what = "one of " + ", ".join(repr(o) for o in options)

    def check(v: Any) -> str:
        if v not in options or not isinstance(v, str):
            raise Bad(what, _hint(v, options))
        return v

    return check


def _strings(what: str, max_items: int = 100) -> Callable[[Any], tuple[str, ...]]:
    expected = f"a list of {what}"

    def check(v: Any) -> tuple[str, ...]:
        if not isinstance(v, list) or len(v) > max_items:
            raise Bad(expected)
        out: list[str] = []
        for x in v:
            if not isinstance(x, str) or not x.strip():
                raise Bad(expected, problem=f"{short_value(x)} is not a non-empty string")
            x = x.strip().lower()
            if x in out:
                raise Bad(expected, problem=f"{x!r} is listed twice")
            out.append(x)
        return tuple(out)

    return check


def _timezone(v: Any) -> str:
    what = '"local" or an IANA time zone name such as "Europe/Berlin"'
    if not isinstance(v, str) or not v.strip():
        raise Bad(what)
    if v == "local":
        return v
    ok = False
    if len(v) < 64 and "\\" not in v and ".." not in v and not v.startswith("/"):
        try:
            import zoneinfo

            zoneinfo.ZoneInfo(v)
            ok = True
        except Exception:
            ok = False
    if not ok:
        hint = ""
        try:
            import zoneinfo

            hint = _hint(v, sorted(zoneinfo.available_timezones()))
        except Exception:
            pass
        raise Bad(what, hint, problem="no such time zone")
    return v


def parse_hhmm(text: Any, allow_24: bool = False) -> int | None:
    """Minutes after midnight for "HH:MM", or None (``mobes.domain.rules.clock_minutes``)."""
    return clock_minutes(text, allow_24)


def _windows(v: Any) -> tuple[tuple[int, int], ...]:
    what = 'a list of "HH:MM-HH:MM" windows, e.g. ["09:00-12:30", "13:15-17:30"], or []'
    if not isinstance(v, list) or len(v) > 8:
        raise Bad(what)
    out: list[tuple[int, int]] = []
    for w in v:
        parts = w.split("-") if isinstance(w, str) else ()
        if len(parts) != 2:
            raise Bad(what, problem=f"{short_value(w)} is not a window")
        start, end = parse_hhmm(parts[0].strip()), parse_hhmm(parts[1].strip(), allow_24=True)
        if start is None or end is None:
            raise Bad(what, problem=f"{short_value(w)} is not a window of 24-hour times")
        if start >= end:
            raise Bad(what, problem=f"{w!r} ends before it starts (split a night shift "
                                    "across two days)")
        out.append((start, end))
    out.sort()
    for (_, e1), (s2, _) in zip(out, out[1:]):
        if s2 < e1:
            raise Bad(what, problem="two windows overlap")
    return tuple(out)


def _pause_choices(v: Any) -> tuple[int, ...]:
    what = 'a list of 1 to 6 pause lengths like "30m", "2h" or "rest-of-day"'
    if not isinstance(v, list) or not 1 <= len(v) <= 6:
        raise Bad(what)
    out: list[int] = []
    for x in v:
        minutes = None
        if x == "rest-of-day":
            minutes = -1
        elif isinstance(x, str) and len(x) >= 2 and x[:-1].isascii() and x[:-1].isdigit():
            n = int(x[:-1])
            minutes = n if x[-1] == "m" else n * 60 if x[-1] == "h" else None
            if minutes is not None and not 1 <= minutes <= 720:
                raise Bad(what, problem=f"{x!r} is not between 1 minute and 12 hours")
        if minutes is None:
            raise Bad(what, _hint(x, ("rest-of-day",)), problem=f"{short_value(x)} is not "
                                                                "a pause length")
        if minutes in out:
            raise Bad(what, problem=f"{x!r} is listed twice")
        out.append(minutes)
    return tuple(out)


def _set_name(name: str) -> bool:
    return bool(name) and len(name) <= 40 and name[0].isalnum() and all(
        c.isascii() and (c.islower() or c.isdigit() or c == "-") for c in name)


def _set_name_check(v: Any) -> str:
    if v == "":
        return ""
    if not isinstance(v, str) or not _set_name(v):
        raise Bad('"" or the name of a set in [sets]')
    return v


# Every plain key: (check, converter into the Settings record field). The order is the
# order of `mobes config show` and of data/default.toml.
SECTIONS: dict[str, dict[str, Callable[[Any], Any]]] = {
    "work": {"timezone": _timezone, **{d: _windows for d in WEEKDAYS}},
    "microbreaks": {
        "enabled": _bool,
        "interval_minutes": _int(5, 120, " of minutes"),
        "duration_seconds": _int(30, 60, " of seconds"),
        "movements_per_break": _int(1, 2),
        "snooze_minutes": _int(1, 60, " of minutes"),
        "max_snoozes": _int(0, 10),
        "pause_choices": _pause_choices,
        "focus": _strings("body regions or conditions", 20),
        "exclude": _strings("movement ids"),
        "movement_set": _set_name_check,
        "idle_threshold_minutes": _int(1, 60, " of minutes"),
        "no_repeat_within": _int(0, 20),
    },
    "rehab": {
        "tempo_seconds": _float(0.5, 10),
        "rest_seconds": _int(0, 600, " of seconds"),
        "remind_again_minutes": _int(5, 240, " of minutes"),
    },
    "adaptation": {
        "too_hard_factor": _float(0.3, 0.95),
        "pain_factor": _float(0.1, 0.9),
        "pain_rest_hours": _int(1, 336, " of hours"),
        "pain_retire_count": _int(1, 10),
        "pain_retire_days": _int(1, 60, " of days"),
        "too_easy_step": _float(0.01, 0.5),
        "clean_streak": _int(1, 20),
        "start_fraction": _float(0.2, 1.0),
        "build_up_days": _int(1, 14, " of days"),
    },
    "notifications": {"enabled": _bool, "app_name": _text(40)},
    "tray": {"enabled": _bool, "backend": _choice(TRAY_BACKENDS)},
}
NAMED = ("sets", "movement", "rehab.plan")  # sections holding named entries
TOP_KEYS = (*SECTIONS, "sets", "movement", "locked", "team_config")
PLAN_KEYS = ("name", "movements", "sets", "per_side", "times", "days", "start_date",
             "trial_days", "caregiver", "retired", "prescribed", "anytime", "warm_up")
ITEM_KEYS = ("id", "reps", "hold_seconds", "holds")


def leaf_keys() -> list[str]:
    """Every plain key path, e.g. 'microbreaks.interval_minutes'."""
    return [f"{s}.{k}" for s, keys in SECTIONS.items() for k in keys]


def display_key(path: str) -> str:
    """'microbreaks.interval_minutes' -> '[microbreaks].interval_minutes'."""
    for named in NAMED:
        if path.startswith(named + "."):
            name = path[len(named) + 1:]
            if named == "sets":
                return f"[sets].{toml_key(name)}"
            return f"[[{named}]] {name!r}"
    section, _, key = path.partition(".")
    return f"[{section}].{toml_key(key)}" if key else toml_key(path)



def default_file() -> str:
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return os.path.join(package, "data", "default.toml")



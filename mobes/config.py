"""Layered TOML configuration: defaults < team file < user file < command line.

``load()`` reads the layers, validates every key, checks cross-references against the
movement catalog and returns the effective ``Settings`` with the origin of every value.
All mistakes of all layers are collected and raised together as one ``ConfigError``,
each naming the file, the key path, the bad value and what was expected.

``Reloader`` re-reads the layers when one of their files changes and keeps the last good
settings when a file is broken (the agent calls it).

Key paths: ``section.key`` for plain settings (``microbreaks.interval_minutes``),
``sets.NAME``, ``movement.ID`` and ``rehab.plan.NAME`` for named entries, ``locked`` for
the team's locks. Config files are data only: no key names a file mobes writes to, and only
the user's own file may name another file to read (``team_config``).
"""

from __future__ import annotations

import os

from mobes.domain.record import Record
from mobes.domain.settings import (
    WEEKDAYS,
    Adaptation,
    Microbreaks,
    Notifications,
    Plan,
    PlanItem,
    Rehab,
    Settings,
    Tray,
    WorkHours,
)
from mobes.errors import MobesError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from typing import Any

    from mobes.domain.catalog import Catalog

DEFAULT = "default"
TEAM = "team"
USER = "user"
CLI = "command line"
MAX_FILE_BYTES = 1_000_000
TRAY_BACKENDS = ("auto", "gtk", "appindicator", "xorg", "win32", "darwin", "none")


# --------------------------------------------------------------------------- problems


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "(missing)"


MISSING = _Missing()


class Problem(Record):
    """One mistake: where (file, key path), what was there, and what was expected."""

    __slots__ = ("file", "key", "value", "expected", "problem", "hint")
    _defaults = {"value": MISSING, "problem": "", "hint": ""}
    file: str  # a path, "command line" or "environment"
    key: str  # e.g. "[microbreaks].interval_minutes"
    value: Any  # the offending value (MISSING when there is none)
    expected: str
    problem: str  # short description when "expected" alone would not say it
    hint: str  # " (did you mean ...?)" or extra lines

    def __str__(self) -> str:
        text = f"{self.file}: {self.key}"
        if self.value is not MISSING:
            text += f" = {short_value(self.value)}"
        text += ": " + (f"{self.problem}; " if self.problem else "")
        return text + f"expected {self.expected}{self.hint}"

    def as_dict(self) -> dict:
        value = None if self.value is MISSING else self.value
        return {"file": self.file, "key": self.key, "value": value,
                "expected": self.expected, "problem": self.problem,
                "hint": self.hint.strip(), "message": str(self)}


class ConfigError(MobesError):
    """The configuration cannot be used. ``problems`` lists every mistake found."""

    def __init__(self, problems: Iterable[Problem], files: dict | None = None) -> None:
        self.problems: list[Problem] = list(problems)
        self.files: dict[str, str] = dict(files or {})
        if len(self.problems) == 1:
            msg = str(self.problems[0])
        else:
            msg = f"{len(self.problems)} problems in the configuration:\n" + "\n".join(
                "  " + str(p).replace("\n", "\n  ") for p in self.problems)
        super().__init__(msg, code=2)


class Bad(Exception):
    """Raised by a value check: what was expected, and an optional hint."""

    def __init__(self, expected: str, hint: str = "", problem: str = "") -> None:
        super().__init__(expected)
        self.expected, self.hint, self.problem = expected, hint, problem


def _hint(word: object, choices: Iterable[str], prefix: str = "") -> str:
    if not isinstance(word, str):
        return ""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {prefix}{close[0]!r}?)" if close else ""


# ------------------------------------------------------------------- TOML rendering


def _toml_str(s: str) -> str:
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif o < 0x20 or o == 0x7F:
            out.append(f"\\u{o:04x}")
        elif 0xD800 <= o <= 0xDFFF:  # a lone surrogate cannot be written as TOML
            out.append("\\ufffd")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def toml_key(k: str) -> str:
    """A key as TOML writes it: bare when it can be, quoted otherwise."""
    if k and all(c.isascii() and (c.isalnum() or c in "-_") for c in k):
        return k
    return _toml_str(k)


def toml_value(v: Any, depth: int = 0) -> str:
    """A value in TOML syntax (inline tables and arrays)."""
    if depth > 20:
        return "..."
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if v != v:
            return "nan"
        if v in (float("inf"), float("-inf")):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        return _toml_str(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(toml_value(x, depth + 1) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{toml_key(str(k))} = {toml_value(x, depth + 1)}"
                               for k, x in v.items()) + "}"
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return repr(v)


def short_value(v: Any, limit: int = 100) -> str:
    """A value for a message: TOML syntax, long structures cut (strings up to 300)."""
    text = toml_value(v, depth=17)
    if isinstance(v, str):
        limit = 300
    return text if len(text) <= limit else text[: limit - 3] + "..."


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
    """Minutes after midnight for "HH:MM", or None when it is not a valid time."""
    if not isinstance(text, str) or len(text) != 5 or text[2] != ":":
        return None
    hh, mm = text[:2], text[3:]
    if not (hh.isascii() and hh.isdigit() and mm.isascii() and mm.isdigit()):
        return None
    h, m = int(hh), int(mm)
    if m > 59 or h > 24 or (h == 24 and (m or not allow_24)):
        return None
    return h * 60 + m


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
    },
    "notifications": {"enabled": _bool, "app_name": _text(40)},
    "tray": {"enabled": _bool, "backend": _choice(TRAY_BACKENDS)},
}
NAMED = ("sets", "movement", "rehab.plan")  # sections holding named entries
TOP_KEYS = (*SECTIONS, "sets", "movement", "locked", "team_config")
PLAN_KEYS = ("name", "movements", "sets", "per_side", "times", "days", "start_date",
             "trial_days", "caregiver", "retired")
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


# ----------------------------------------------------------------------- layers


class Layer:
    __slots__ = ("kind", "path", "label", "file")

    def __init__(self, kind: str, path: str | None = None) -> None:
        self.kind, self.path = kind, path
        self.label = f"{kind}: {path}" if path else kind
        self.file = path or kind


class Entry:
    """One effective value: as written (``value``), converted (``conv``), and its layer."""

    __slots__ = ("value", "conv", "layer", "where")

    def __init__(self, value: Any, conv: Any, layer: Layer, where: str) -> None:
        self.value, self.conv, self.layer, self.where = value, conv, layer, where


class _Collector:
    """Problems of all layers, plus ids of movements that failed so references to them
    are not reported a second time."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.broken_ids: set[str] = set()
        self.broken_sets: set[str] = set()
        # plans with a mistake in their own fields: their movements are still checked
        self.partial_plans: list[Entry] = []

    def add(self, file: str, key: str, value: Any, expected: str, hint: str = "",
            problem: str = "") -> None:
        self.problems.append(Problem(file=file, key=key, value=value, expected=expected,
                                     hint=hint, problem=problem))

    def bad(self, layer: Layer, key: str, value: Any, e: Bad) -> None:
        self.add(layer.file, key, value, e.expected, e.hint, e.problem)


def default_file() -> str:
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "default.toml")


def read_layer_file(path: str, out: _Collector) -> dict | None:
    """The parsed document, or None after adding a problem (unreadable, not TOML...)."""
    from mobes.adapters.tomlcache import load_toml

    try:
        if not os.path.isfile(path):
            what = "a directory" if os.path.isdir(path) else (
                "missing" if not os.path.lexists(path) else "not a regular file")
            out.add(path, "(file)", MISSING, "a regular, readable TOML file", problem=what)
            return None
        if os.path.getsize(path) > MAX_FILE_BYTES:
            out.add(path, "(file)", MISSING, f"a config file under {MAX_FILE_BYTES} bytes",
                    problem="the file is too large")
            return None
        return load_toml(path)
    except UnicodeDecodeError as e:
        data = e.object if isinstance(e.object, bytes) else b""
        line = data[: e.start].count(b"\n") + 1
        col = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        out.add(path, f"line {line}, column {col}", MISSING, "UTF-8 text",
                problem="the file is not valid UTF-8")
    except OSError as e:
        out.add(path, "(file)", MISSING, "a readable file",
                problem=f"cannot read it ({e.strerror or e})")
    except RecursionError:
        out.add(path, "(file)", MISSING, "arrays and tables nested less deeply",
                problem="nested too deeply")
    except ValueError as e:  # tomllib.TOMLDecodeError
        out.problems.append(_syntax_problem(path, str(e)))
    return None


def _syntax_problem(path: str, message: str) -> Problem:
    """A TOML syntax error with its line and column and the line itself."""
    line = col = 0
    text = message
    if "(at line " in message:
        text, _, where = message.rpartition(" (at line ")
        nums = where.rstrip(")").split(", column ")
        if len(nums) == 2 and nums[0].isdigit() and nums[1].isdigit():
            line, col = int(nums[0]), int(nums[1])
    elif message.endswith(" (at end of document)"):
        text = message[: -len(" (at end of document)")] + " at the end of the file"
        try:
            with open(path, "rb") as f:
                data = f.read(MAX_FILE_BYTES).rstrip(b"\r\n")
            line = data.count(b"\n") + 1
            col = len(data) - data.rfind(b"\n")
        except OSError:
            pass
    key = f"line {line}, column {col}" if line else "end of file"
    hint = ""
    if line:
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                for n, src in enumerate(f, 1):
                    if n == line:
                        src = src.rstrip("\n")[:120]
                        hint = f"\n    {src}\n    {' ' * (col - 1)}^"
                        break
        except OSError:
            pass
    return Problem(file=path, key=key, value=MISSING, expected="valid TOML",
                   problem=f"syntax error: {text}", hint=hint)


def _flatten(doc: dict, layer: Layer, out: _Collector) -> dict[str, Entry]:
    """Validate one layer's document key by key into entries (bad keys are reported)."""
    entries: dict[str, Entry] = {}
    for key, value in doc.items():
        if key in SECTIONS:
            if not isinstance(value, dict):
                out.add(layer.file, f"[{key}]", value, "a table: a [" + key + "] section")
                continue
            for k, v in value.items():
                path = f"{key}.{k}"
                if key == "rehab" and k == "plan":
                    _flatten_plans(v, layer, out, entries)
                    continue
                check = SECTIONS[key].get(k)
                if check is None:
                    _unknown(layer, key, k, v, out)
                    continue
                try:
                    entries[path] = Entry(v, check(v), layer, display_key(path))
                except Bad as e:
                    out.bad(layer, display_key(path), v, e)
        elif key == "sets":
            _flatten_sets(value, layer, out, entries)
        elif key == "movement":
            _flatten_movements(value, layer, out, entries)
        elif key == "locked":
            if layer.kind != TEAM:
                out.add(layer.file, "locked", value, "this key only in a team file",
                        problem="only a team file can lock settings")
                continue
            entries["locked"] = Entry(value, _locks(value, layer, out), layer, "locked")
        elif key == "team_config":
            if layer.kind != USER:
                out.add(layer.file, "team_config", value, "this key only in your own file",
                        problem="a team file cannot name another file to read")
            # in the user file it was already used to find the team file
        else:
            _unknown(layer, None, key, value, out)
    return entries


def _unknown(layer: Layer, section: str | None, key: str, value: Any,
             out: _Collector) -> None:
    if section is None:
        shown, choices = toml_key(key), TOP_KEYS
        expected = "one of the sections " + ", ".join(f"[{s}]" for s in SECTIONS) + \
                   ", [sets], [[movement]]"
    else:
        shown = f"[{section}].{toml_key(key)}"
        choices = tuple(SECTIONS[section]) + (("plan",) if section == "rehab" else ())
        expected = f"one of the keys of [{section}]: " + ", ".join(choices)
    hint = _hint(key, choices)
    if not hint:  # a key put in the wrong section?
        homes = [s for s, keys in SECTIONS.items() if key in keys and s != section]
        if homes:
            hint = f" (did you mean [{homes[0]}].{key}?)"
        else:
            hint = _hint(key, leaf_keys())
    out.add(layer.file, shown, value, expected, hint, problem="unknown key")


def _locks(value: Any, layer: Layer, out: _Collector) -> tuple[str, ...]:
    expected = "a list of key paths such as \"microbreaks.interval_minutes\" or sections " \
               "such as \"work\""
    if not isinstance(value, list):
        out.add(layer.file, "locked", value, expected)
        return ()
    known = leaf_keys() + list(SECTIONS) + list(NAMED)
    locks: list[str] = []
    for item in value:
        ok = isinstance(item, str) and (
            item in known
            or any(item.startswith(n + ".") and len(item) > len(n) + 1 for n in NAMED))
        if not ok:
            out.add(layer.file, "locked", item, expected, _hint(item, known),
                    problem="not a setting that can be locked")
        elif item not in locks:
            locks.append(item)
    return tuple(locks)


def _flatten_sets(value: Any, layer: Layer, out: _Collector,
                  entries: dict[str, Entry]) -> None:
    if not isinstance(value, dict):
        out.add(layer.file, "[sets]", value, "a table of name = [movement ids]")
        return
    check = _strings("movement ids", 60)
    for name, ids in value.items():
        path = f"sets.{name}"
        shown = display_key(path)
        if not _set_name(name):
            out.add(layer.file, shown, ids, "a set name of lowercase letters, digits and "
                    "dashes, like \"desk-basics\"", problem="bad set name")
            out.broken_sets.add(name)
            continue
        try:
            members = check(ids)
            if not members:
                raise Bad("a list of at least one movement id")
            entries[path] = Entry(ids, members, layer, shown)
        except Bad as e:
            out.bad(layer, shown, ids, e)
            out.broken_sets.add(name)


def _flatten_movements(value: Any, layer: Layer, out: _Collector,
                       entries: dict[str, Entry]) -> None:
    from mobes.domain.catalog import CatalogError, parse_movement

    if not isinstance(value, list):
        out.add(layer.file, "movement", value, "[[movement]] tables (an array of tables)")
        return
    for n, raw in enumerate(value, 1):
        mid = raw.get("id") if isinstance(raw, dict) else None
        label = f"[[movement]] #{n}" + (f" ({mid})" if isinstance(mid, str) else "")
        try:
            m = parse_movement(raw, where=layer.file, origin=layer.kind)
        except CatalogError as e:
            fld = "" if e.field == "-" else "." + e.field
            got: Any = raw
            for part in e.field.split(".") if fld else ():
                got = got.get(part, MISSING) if isinstance(got, dict) else MISSING
            problem, _, expected = e.problem.partition("expected ")
            out.add(layer.file, label + fld, got if e.field != "-" else raw,
                    expected or "a valid movement (see config/team.example.toml)",
                    problem=problem.strip().rstrip(",;") if expected else e.problem)
            if isinstance(mid, str):
                out.broken_ids.add(mid)
            continue
        path = f"movement.{m.id}"
        if path in entries:
            out.add(layer.file, label + ".id", m.id, "an id used once per file",
                    problem="duplicate id")
            continue
        entries[path] = Entry(raw, m, layer, label)


def _flatten_plans(value: Any, layer: Layer, out: _Collector,
                   entries: dict[str, Entry]) -> None:
    if not isinstance(value, list):
        out.add(layer.file, "[[rehab.plan]]", value, "[[rehab.plan]] tables")
        return
    for n, raw in enumerate(value, 1):
        name = raw.get("name") if isinstance(raw, dict) else None
        label = f"[[rehab.plan]] #{n}" + (f" ({name})" if isinstance(name, str) else "")
        try:
            plan = _plan(raw, label, layer, out)
        except Bad as e:  # the plan as a whole is unusable
            out.bad(layer, label, raw, e)
            continue
        if plan is None:
            continue
        path = f"rehab.plan.{plan.name}"
        if path in entries:
            out.add(layer.file, label + ".name", plan.name, "a plan name used once",
                    problem="duplicate plan name")
            continue
        entries[path] = Entry(raw, plan, layer, label)


def _plan(raw: Any, label: str, layer: Layer, out: _Collector) -> Plan | None:
    """Check a plan's own fields (movements are checked against the catalog later)."""
    if not isinstance(raw, dict):
        raise Bad("a table with name, movements, sets, times ...")
    before = len(out.problems)

    def fail(key: str, value: Any, expected: str, hint: str = "", problem: str = ""):
        out.add(layer.file, f"{label}.{key}", value, expected, hint, problem)

    for key in raw:
        if key not in PLAN_KEYS:
            fail(key, raw[key], "one of the plan keys: " + ", ".join(PLAN_KEYS),
                 _hint(key, PLAN_KEYS), "unknown key")
    for key in ("name", "movements"):
        if key not in raw:
            fail(key, MISSING, "a value for it", problem="missing (required)")
    fields: dict[str, Any] = {}
    name = raw.get("name")
    if "name" in raw:
        if not isinstance(name, str) or not name.strip() or len(name) > 60:
            fail("name", name, "a non-empty name of at most 60 characters")
        else:
            fields["name"] = name.strip()
    items = raw.get("movements")
    if "movements" in raw:
        if not isinstance(items, list) or not 1 <= len(items) <= 5:
            fail("movements", items, "a list of 1 to 5 movements like "
                                     '{ id = "neck-circles", reps = 50 }')
        else:
            parsed = []
            for i, item in enumerate(items, 1):
                p = _plan_item(item, f"movements[{i}]", fail)
                if p is not None:
                    parsed.append(p)
            ids = [p.movement for p in parsed]
            for mid in sorted({x for x in ids if ids.count(x) > 1}):
                fail("movements", mid, "each movement once per plan", problem="listed twice")
            fields["items"] = tuple(parsed)
    simple = {
        "sets": _int(1, 3, " of sets a day"),
        "per_side": _bool,
        "trial_days": _int(0, 30, " of days"),
        "caregiver": _bool,
        "retired": _bool,
    }
    for key, check in simple.items():
        if key in raw:
            try:
                fields[key] = check(raw[key])
            except Bad as e:
                fail(key, raw[key], e.expected, e.hint, e.problem)
    if "times" in raw:
        times = raw["times"]
        expected = 'a list of 1 to 3 times like ["08:00", "18:30"]'
        if (not isinstance(times, list) or not 1 <= len(times) <= 3
                or any(parse_hhmm(t) is None for t in times)):
            fail("times", times, expected)
        elif len(set(times)) != len(times):
            fail("times", times, expected, problem="a time is listed twice")
        else:
            fields["times"] = tuple(sorted(times))
    if "days" in raw:
        days = raw["days"]
        expected = "a list of weekday names (monday ... sunday), at least one"
        if not isinstance(days, list) or not days:
            fail("days", days, expected)
        else:
            bad = [d for d in days if d not in WEEKDAYS]
            if bad:
                fail("days", bad[0], expected, _hint(bad[0], WEEKDAYS))
            else:
                fields["days"] = tuple(d for d in WEEKDAYS if d in days)
    if "start_date" in raw:
        sd = raw["start_date"]
        if type(sd).__name__ != "date" or type(sd).__module__ != "datetime":
            fail("start_date", sd, "a TOML date like 2026-11-20 (no quotes, no time)")
        else:
            fields["start_date"] = sd
    if len(out.problems) > before or "name" not in fields or "items" not in fields:
        if fields.get("items"):
            partial = Plan(name=fields.get("name", "?"), items=fields["items"])
            out.partial_plans.append(Entry(raw, partial, layer, label))
        return None
    fields["origin"] = layer.kind
    return Plan(**fields)


def _plan_item(item: Any, where: str, fail) -> PlanItem | None:
    expected = '{ id = "...", reps = N } or { id = "...", hold_seconds = N, holds = N }'
    if not isinstance(item, dict):
        fail(where, item, expected)
        return None
    ok = True
    for key in item:
        if key not in ITEM_KEYS:
            fail(f"{where}.{key}", item[key], expected, _hint(key, ITEM_KEYS), "unknown key")
            ok = False
    mid = item.get("id")
    if not isinstance(mid, str) or not mid.strip():
        fail(f"{where}.id", mid if "id" in item else MISSING, "a movement id")
        return None
    has_reps, has_hold = "reps" in item, "hold_seconds" in item
    if has_reps == has_hold:
        fail(where, item, expected, problem="give either reps or hold_seconds")
        return None
    fields: dict[str, Any] = {"movement": mid.strip()}
    for key, lo, hi in (("reps", 1, 500), ("hold_seconds", 1, 600), ("holds", 1, 20)):
        if key in item:
            v = item[key]
            if not _is_int(v) or not lo <= v <= hi:
                fail(f"{where}.{key}", v, f"a whole number from {lo} to {hi}")
                ok = False
            else:
                fields[key] = v
    if "holds" in item and has_reps:
        fail(f"{where}.holds", item["holds"], "holds only together with hold_seconds")
        ok = False
    return PlanItem(**fields) if ok else None


def _flatten_cli(overrides: dict, layer: Layer, out: _Collector) -> dict[str, Entry]:
    entries: dict[str, Entry] = {}
    for path, v in overrides.items():
        section, _, key = str(path).partition(".")
        check = SECTIONS.get(section, {}).get(key)
        if check is None:
            shown = str(path)
            if not shown or not shown.isprintable() or shown.strip() != shown:
                shown = _toml_str(shown)
            out.add(layer.file, shown, v, "a setting such as microbreaks.interval_minutes",
                    _hint(str(path), leaf_keys()), problem="unknown setting")
            continue
        try:
            entries[path] = Entry(v, check(v), layer, display_key(path))
        except Bad as e:
            out.bad(layer, display_key(path), v, e)
    return entries


# ----------------------------------------------------------------------- merging


def _locked_by(path: str, locks: tuple[str, ...]) -> str | None:
    for lock in locks:
        if path == lock or path.startswith(lock + "."):
            return lock
    return None


def _merge(layers: list[tuple[Layer, dict[str, Entry]]], warnings: list[str]
           ) -> dict[str, Entry]:
    merged: dict[str, Entry] = {}
    locks: tuple[str, ...] = ()
    team: Layer | None = None
    for layer, entries in layers:
        if layer.kind == TEAM and "locked" in entries:
            locks, team = entries["locked"].conv, layer
        for path, e in entries.items():
            lock = _locked_by(path, locks) if layer.kind in (USER, CLI) else None
            if lock is not None and team is not None:
                current = merged.get(path)
                if current is None or current.conv != e.conv:
                    warnings.append(
                        f"{layer.file}: {e.where} = {short_value(e.value)} is ignored: the "
                        f"team file {team.path} locks {lock!r}")
                continue
            merged[path] = e
    return merged


def _build(merged: dict[str, Entry]) -> Settings:
    def section(name: str) -> dict[str, Any]:
        return {k: merged[f"{name}.{k}"].conv for k in SECTIONS[name]
                if f"{name}.{k}" in merged}

    work = section("work")
    days = tuple(work.get(d, ()) for d in WEEKDAYS)
    rehab = section("rehab")
    plans = tuple(e.conv for p, e in merged.items() if p.startswith("rehab.plan."))
    return Settings(
        work=WorkHours(timezone=work.get("timezone", "local"), days=days),
        microbreaks=Microbreaks(**section("microbreaks")),
        rehab=Rehab(**rehab, plans=plans),
        adaptation=Adaptation(**section("adaptation")),
        notifications=Notifications(**section("notifications")),
        tray=Tray(**section("tray")),
        movements=tuple(e.conv for p, e in merged.items() if p.startswith("movement.")),
        sets=tuple((p[5:], e.conv) for p, e in merged.items() if p.startswith("sets.")),
        locked=merged["locked"].conv if "locked" in merged else (),
    )


def _cross_check(merged: dict[str, Entry], out: _Collector) -> Catalog:
    """References to movements, sets and conditions; rehab doses. Returns the catalog."""
    from mobes.domain.catalog import builtin
    from mobes.domain.model import REGIONS

    base = builtin()
    labels = {}
    for m in base:
        for label in (m.id, m.name.lower(), *(a.lower() for a in m.aliases)):
            labels[label] = m.id
    extra = []
    for path, e in list(merged.items()):
        if not path.startswith("movement."):
            continue
        m = e.conv
        clash = next((labels[x] for x in (m.id, m.name.lower(), *(a.lower() for a in
                                                                   m.aliases)) if x in labels),
                     None)
        if clash is not None:
            out.add(e.layer.file, f"{e.where}.id", m.id, "an id, name and aliases not used "
                    "by a built-in movement", problem=f"clashes with built-in {clash!r}")
            out.broken_ids.add(m.id)
            del merged[path]
            continue
        for label in (m.id, m.name.lower(), *(a.lower() for a in m.aliases)):
            labels[label] = m.id
        extra.append(m)
    catalog = base.with_extra(extra) if extra else base

    def unknown_ids(ids: Iterable[str]) -> list[str]:
        return [i for i in ids if i not in catalog and i not in out.broken_ids]

    def id_hint(bad: str) -> str:
        close = catalog.suggest(bad)
        return f" (did you mean {close[0]!r}?)" if close else ""

    mb = "microbreaks."
    if mb + "exclude" in merged:
        e = merged[mb + "exclude"]
        for bad in unknown_ids(e.conv):
            out.add(e.layer.file, e.where, bad, "ids of movements in the catalog "
                    "(`mobes movements` lists them)", id_hint(bad), "no such movement")
    if mb + "focus" in merged:
        e = merged[mb + "focus"]
        conditions = {g for m in catalog for g in m.good_for}
        for bad in [f for f in e.conv if f not in REGIONS and f not in conditions]:
            out.add(e.layer.file, e.where, bad, "body regions (" + ", ".join(REGIONS) +
                    ") or conditions from the movements' \"Good for\" lists",
                    _hint(bad, [*REGIONS, *sorted(conditions)]), "unknown region or condition")
    sets = {p[5:]: e for p, e in merged.items() if p.startswith("sets.")}
    for e in sets.values():
        for bad in unknown_ids(e.conv):
            out.add(e.layer.file, e.where, bad, "ids of movements in the catalog",
                    id_hint(bad), "no such movement")
    if mb + "movement_set" in merged:
        e = merged[mb + "movement_set"]
        if e.conv and e.conv not in sets and e.conv not in out.broken_sets:
            names = ", ".join(repr(s) for s in sets) or "none are defined"
            out.add(e.layer.file, e.where, e.conv, f'"" or a set named in [sets] ({names})',
                    _hint(e.conv, sets), "no such set")
    for p, e in merged.items():
        if p.startswith("rehab.plan."):
            _check_plan_doses(e, catalog, out, id_hint)
    for e in out.partial_plans:
        _check_plan_doses(e, catalog, out, id_hint)
    return catalog


def _check_plan_doses(e: Entry, catalog: Catalog, out: _Collector, id_hint) -> None:
    plan: Plan = e.conv
    for i, item in enumerate(plan.items, 1):
        where = f"{e.where}.movements[{i}]"
        if item.movement not in catalog:
            if item.movement not in out.broken_ids:
                out.add(e.layer.file, where + ".id", item.movement, "the id of a movement in "
                        "the catalog", id_hint(item.movement), "no such movement")
            continue
        m = catalog.get(item.movement)
        from mobes.domain.rehab import plan_amount_range

        lo, hi = plan_amount_range(m)
        if m.dose.unit == "reps":
            if item.reps is None:
                out.add(e.layer.file, where, {"id": m.id, "hold_seconds": item.hold_seconds},
                        f"reps = {lo} to {hi}", problem=f"{m.id!r} is counted in reps")
            elif not lo <= item.reps <= hi:
                why = (" (a rehab set of a mobilization is 25 to 75 reps, within the "
                       "movement's own bounds)" if m.kind == "mobilization"
                       else " (the movement's dose bounds)")
                out.add(e.layer.file, where + ".reps", item.reps,
                        f"from {lo} to {hi} reps for {m.id!r}{why}")
        elif item.hold_seconds is None:
            out.add(e.layer.file, where, {"id": m.id, "reps": item.reps},
                    f"hold_seconds = {lo} to {hi} (and holds = N)",
                    problem=f"{m.id!r} is a hold, counted in seconds")
        elif not lo <= item.hold_seconds <= hi:
            out.add(e.layer.file, where + ".hold_seconds", item.hold_seconds,
                    f"from {lo} to {hi} seconds for {m.id!r} (the movement's dose bounds)")


# ----------------------------------------------------------------------- loading


class Loaded(Record):
    """The result of ``load``: effective settings and where each value came from."""

    __slots__ = ("settings", "origins", "files", "warnings", "values", "team_named_by")
    _defaults = {"team_named_by": None}
    settings: Settings
    origins: dict[str, str]  # key path -> "default" | "team: PATH" | "user: PATH" | "command line"
    files: dict[str, str]  # layer kind -> path of each file read ("default", "team", "user")
    warnings: list[str]
    values: dict[str, Any]  # key path -> the effective value as written in TOML
    team_named_by: str | None  # "MOBES_TEAM_CONFIG" or "team_config in PATH"


class _Discover:
    __slots__ = ()


DISCOVER: Any = _Discover()


def team_file_setting(user_doc: dict | None, user_path: str | None
                      ) -> tuple[str | None, str | None, Any]:
    """(team path, what named it, the raw value) from the environment or the user file."""
    env = os.environ.get("MOBES_TEAM_CONFIG")
    if env:
        return os.path.abspath(os.path.expanduser(env)), "MOBES_TEAM_CONFIG", env
    if user_doc and "team_config" in user_doc and user_path:
        raw = user_doc["team_config"]
        if not isinstance(raw, str) or not raw.strip() or "\0" in raw:
            return None, f"team_config in {user_path}", raw
        p = os.path.expanduser(raw.strip())
        if not os.path.isabs(p):
            p = os.path.join(os.path.dirname(user_path), p)
        return os.path.abspath(p), f"team_config in {user_path}", raw
    return None, None, None


def load(cli_overrides: dict | None = None, *, user_file: Any = DISCOVER,
         team_file: Any = DISCOVER) -> Loaded:
    """Read, validate and merge the layers. Raises ConfigError listing every problem.

    ``user_file``/``team_file``: a path to use instead of discovering it, or None for no
    such layer (``mobes config check FILE`` uses them).
    """
    from mobes.adapters import paths

    out = _Collector()
    files: dict[str, str] = {}
    layers: list[tuple[Layer, dict[str, Entry]]] = []

    dpath = default_file()
    files[DEFAULT] = dpath
    ddoc = read_layer_file(dpath, out)

    upath = paths.user_config_file() if user_file is DISCOVER else user_file
    udoc = None
    if upath is not None:
        upath = os.path.abspath(upath)
        if user_file is not DISCOVER or os.path.lexists(upath):
            udoc = read_layer_file(upath, out)
            if udoc is not None:
                files[USER] = upath

    named_by = None
    if team_file is DISCOVER:
        tpath, named_by, raw = team_file_setting(udoc, upath)
        if named_by and tpath is None:
            out.add(upath or "", "team_config", raw, "the path of a team file, as a string")
    else:
        tpath = os.path.abspath(team_file) if team_file else None
        named_by = "the command line" if team_file else None
    tdoc = None
    if tpath:
        if not os.path.isfile(tpath) or not os.access(tpath, os.R_OK):
            state = ("missing" if not os.path.lexists(tpath) else
                     "not a regular file" if not os.path.isfile(tpath) else "not readable")
            if named_by == "MOBES_TEAM_CONFIG":
                out.add("environment", "MOBES_TEAM_CONFIG", tpath,
                        "the path of a readable team file", problem=f"the file is {state}")
            elif named_by and named_by.startswith("team_config in "):
                out.add(named_by[len("team_config in "):], "team_config", tpath,
                        "the path of a readable team file", problem=f"the file is {state}")
            else:
                out.add(tpath, "(file)", MISSING, "a readable team file",
                        problem=f"the file is {state}")
        else:
            tdoc = read_layer_file(tpath, out)
            if tdoc is not None:
                files[TEAM] = tpath

    for kind, path, doc in ((DEFAULT, dpath, ddoc), (TEAM, tpath, tdoc), (USER, upath, udoc)):
        if doc is not None:
            layer = Layer(kind, path if kind != DEFAULT else None)
            layer.file = path
            layers.append((layer, _flatten(doc, layer, out)))
    if cli_overrides:
        layers.append((Layer(CLI), _flatten_cli(cli_overrides, Layer(CLI), out)))

    warnings: list[str] = []
    merged = _merge(layers, warnings)
    missing = [p for p in leaf_keys() if p not in merged]
    if missing and ddoc is not None and not out.problems:
        out.add(dpath, display_key(missing[0]), MISSING, "every setting in the built-in "
                "defaults", problem="the installed defaults file is incomplete")
    if not missing:
        _cross_check(merged, out)
    files = {k: files[k] for k in (DEFAULT, TEAM, USER) if k in files}
    if out.problems:
        raise ConfigError(out.problems, files)
    settings = _build(merged)
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    for path, e in merged.items():
        values[path] = plan_table(e.conv) if path.startswith("rehab.plan.") else e.value
        origins[path] = e.layer.label
    return Loaded(settings=settings, origins=origins, files=files, warnings=warnings,
                  values=values, team_named_by=named_by)


def plan_table(plan: Plan) -> dict[str, Any]:
    """A plan as a TOML table with every key (defaults filled in)."""
    items = []
    for it in plan.items:
        if it.reps is not None:
            items.append({"id": it.movement, "reps": it.reps})
        else:
            items.append({"id": it.movement, "hold_seconds": it.hold_seconds,
                          "holds": it.holds})
    table: dict[str, Any] = {"name": plan.name, "movements": items, "sets": plan.sets,
                             "per_side": plan.per_side, "times": list(plan.times),
                             "days": list(plan.days)}
    if plan.start_date is not None:
        table["start_date"] = plan.start_date
    table.update(trial_days=plan.trial_days, caregiver=plan.caregiver, retired=plan.retired)
    return table


# ----------------------------------------------------------------------- reloading


def _stamp(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


def _read_bytes(path: str) -> bytes | None:
    try:
        with open(path, "rb") as f:
            return f.read(MAX_FILE_BYTES + 1)
    except OSError:
        return None


_RACY_NS = 2_000_000_000


class Reloader:
    """Keeps settings current while the agent runs.

    ``check()`` looks at the layer files' (mtime_ns, size) and re-reads the layers only
    when one changed, appeared or disappeared. When the new files are broken the last good
    settings stay in force and ``on_error`` is called once per distinct error. Warnings
    (e.g. an override of a locked key) go to ``on_warning`` once each. The first load
    happens in the constructor and raises ConfigError when there is nothing good to keep.
    """

    def __init__(self, cli_overrides: dict | None = None,
                 on_error: Callable[[ConfigError], Any] | None = None,
                 on_warning: Callable[[str], Any] | None = None) -> None:
        self.cli_overrides = dict(cli_overrides or {})
        self.on_error = on_error
        self.on_warning = on_warning
        self.error: ConfigError | None = None  # the current error, if the files are broken
        self._reported: set[str] = set()
        self._warned: set[str] = set()
        self._seen: dict[str, tuple[tuple[int, int] | None, bytes | None, bool]] = {}
        self._watch: list[str] = []
        snapshot = self._snapshot(self._paths(None))
        self.loaded = load(self.cli_overrides)
        self._after_load(snapshot, self.loaded.files)
        self._warn(self.loaded.warnings)

    @property
    def settings(self) -> Settings:
        """The last good settings."""
        return self.loaded.settings

    def _paths(self, files: dict | None) -> list[str]:
        from mobes.adapters import paths

        out = [default_file(), os.path.abspath(paths.user_config_file())]
        env = os.environ.get("MOBES_TEAM_CONFIG")
        if env:
            out.append(os.path.abspath(os.path.expanduser(env)))
        for p in (files or {}).values():
            if p not in out:
                out.append(p)
        return out

    def _snapshot(self, paths: list[str]) -> dict:
        now = _now_ns()
        snap = {}
        for p in paths:
            st = _stamp(p)
            racy = st is not None and now - st[0] < _RACY_NS
            snap[p] = (st, _read_bytes(p) if racy else None, racy)
        return snap

    def _after_load(self, snapshot: dict, files: dict) -> None:
        watch = self._paths(files)
        extra = self._snapshot([p for p in watch if p not in snapshot])
        self._seen = {**snapshot, **extra}
        self._watch = watch

    def _changed(self) -> bool:
        changed = False
        now = _now_ns()
        for p in self._paths(None) + self._watch:
            old = self._seen.get(p)
            st = _stamp(p)
            if old is None or old[0] != st:
                return True
            if old[2]:  # racy: the same stamp could hide a second write
                if _read_bytes(p) != old[1]:
                    changed = True
                elif now - st[0] >= _RACY_NS:
                    self._seen[p] = (st, None, False)
        return changed

    def _warn(self, warnings: list[str]) -> None:
        for w in warnings:
            if w not in self._warned:
                self._warned.add(w)
                if self.on_warning is not None:
                    self.on_warning(w)

    def check(self) -> bool:
        """Re-read the layers if a file changed. True when the settings changed."""
        if not self._changed():
            return False
        snapshot = self._snapshot(self._paths(None) + self._watch)
        try:
            loaded = load(self.cli_overrides)
        except ConfigError as e:
            self.error = e
            self._after_load(snapshot, {**self.loaded.files, **e.files})
            key = str(e)
            if key not in self._reported:
                self._reported.add(key)
                if self.on_error is not None:
                    self.on_error(e)
            return False
        self.error = None
        self._reported.clear()
        self._after_load(snapshot, loaded.files)
        self._warn(loaded.warnings)
        old, self.loaded = self.loaded, loaded
        return loaded.settings != old.settings


def _now_ns() -> int:
    import time

    return time.time_ns()


# ------------------------------------------------------------------ user file template

USER_HEADER = """\
# Your personal mobes settings.
#
# Every setting is listed below with its built-in default, commented out. To change one,
# remove the "# " in front of the key (keep its [section] line) and edit the value. A key
# left commented keeps its default, or the team's value when you use a team file.
# `mobes config check` validates this file; `mobes config show --origin` shows the result.
#
# To use a team file, uncomment this line and give the file's path. It must stay above
# the first [section]; a relative path is taken from this file's folder.
# team_config = "/path/to/team.toml"
"""


def user_file_template() -> str:
    """The text `mobes config init` writes: the documented defaults, all commented out."""
    with open(default_file(), encoding="utf-8") as f:
        lines = f.read().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("["))
    body = []
    for line in lines[start:]:
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or (
                stripped.startswith("[") and stripped.endswith("]") and "=" not in stripped):
            body.append(line)
        else:
            body.append("# " + line)
    return USER_HEADER + "\n" + "\n".join(body) + "\n"

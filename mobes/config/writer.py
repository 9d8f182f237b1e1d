"""Writing config: TOML rendering of values and keys, the commented user file template,
and edits of the rehab plans in the user file.

Edit the rehab plans in the user config file, keeping the user's comments and layout.

Reading the effective plans (team + user files, validated) is ``mobes.config``'s job; this
module only writes: add a ``[[rehab.plan]]`` table, or mark one ``retired = true``. The
shape it writes (the one the config loader reads)::

    [[rehab.plan]]
    name = "knee"
    movements = [
      { id = "it-band-mobilization", reps = 40 },
      { id = "table-hip-external-rotation", hold_seconds = 30, holds = 4 },
    ]
    sets = 2
    per_side = true
    times = ["08:00"]
    days = ["monday", "wednesday", "friday"]
    start_date = 2026-03-02
    trial_days = 3
    caregiver = false

Writes go to a temporary file that replaces the original, so a crash never leaves half a
file. ``tomlkit`` is what keeps comments and formatting (the standard library only reads).
"""

from __future__ import annotations

import os

from mobes.errors import MobesError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from mobes.domain.settings import Plan

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
    from mobes.config.schema import default_file

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


# ------------------------------------------------------------- plan edits (tomlkit)


def _load(path: str):
    import tomlkit

    if not os.path.exists(path):
        return tomlkit.document()
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        return tomlkit.parse(text)
    except Exception as e:  # tomlkit raises its own ParseError subclasses
        raise MobesError(f"{path}: cannot edit the file, it is not valid TOML: {e}. Fix it "
                         f"first ('mobes config check' shows where).", code=2) from e


def _save(path: str, doc) -> None:
    import tomlkit

    from mobes.adapters.paths import write_atomic

    write_atomic(path, tomlkit.dumps(doc), fsync=True)


def _plans(doc) -> list:
    rehab = doc.get("rehab")
    if rehab is None:
        return []
    plans = rehab.get("plan")
    if plans is None:
        return []
    if not isinstance(plans, list):
        raise MobesError("the user config file has 'rehab.plan' that is not an array of "
                         "tables [[rehab.plan]]", code=2)
    return list(plans)


def plan_names(path: str) -> list[str]:
    """Names of the plans written in the file (retired ones too)."""
    return [str(p.get("name", "")) for p in _plans(_load(path))]


def plan_table(plan: Plan):
    """A tomlkit table for ``plan`` (what ``add_plan`` appends)."""
    import tomlkit

    t = tomlkit.table()
    t["name"] = plan.name
    items = tomlkit.array()
    for it in plan.items:
        row = tomlkit.inline_table()
        row["id"] = it.movement
        if it.reps is not None:
            row["reps"] = it.reps
        if it.hold_seconds is not None:
            row["hold_seconds"] = it.hold_seconds
            row["holds"] = it.holds
        items.append(row)
    items.multiline(True)
    t["movements"] = items
    t["sets"] = plan.sets
    if plan.per_side is not None:  # left out: each movement's own (per side or not)
        t["per_side"] = plan.per_side
    t["times"] = list(plan.times)
    t["days"] = list(plan.days)
    if plan.start_date is not None:
        t["start_date"] = plan.start_date
    t["trial_days"] = plan.trial_days
    if plan.caregiver is not None:  # left out: the helper's words when a movement needs one
        t["caregiver"] = plan.caregiver
    for key in ("prescribed", "anytime", "warm_up"):
        if getattr(plan, key):
            t[key] = True
    t.trivia.indent = "\n"  # a blank line before the [[rehab.plan]] header
    return t


def add_plan(path: str, plan: Plan) -> None:
    """Append ``plan`` to the file; a plan of the same name must not be there yet."""
    import tomlkit

    doc = _load(path)
    for p in _plans(doc):
        if p.get("name") == plan.name:
            state = " (retired)" if p.get("retired") else ""
            raise MobesError(f"a plan named {plan.name!r} is already in {path}{state}; "
                             f"choose another name", code=2)
    rehab = doc.get("rehab")
    if rehab is None:
        rehab = tomlkit.table(is_super_table=True)
        doc["rehab"] = rehab
    if "plan" not in rehab:
        rehab["plan"] = tomlkit.aot()
    rehab["plan"].append(plan_table(plan))
    _save(path, doc)


def retire_plan(path: str, name: str) -> bool:
    """Mark the plan ``retired = true``; False when the file has no plan of that name."""
    doc = _load(path)
    for p in _plans(doc):
        if p.get("name") == name:
            p["retired"] = True
            _save(path, doc)
            return True
    return False

"""Config layers: read each file, flatten its document into checked entries (every
mistake collected), and merge the layers with their origins and the team's locks."""

from __future__ import annotations

import os

from mobes.config.plans import _plan
from mobes.config.problems import MISSING, Bad, Entry, Layer, Problem, _Collector, _hint
from mobes.config.schema import (
    CLI,
    MAX_FILE_BYTES,
    NAMED,
    SECTIONS,
    TEAM,
    TOP_KEYS,
    USER,
    _set_name,
    _strings,
    display_key,
    leaf_keys,
)
from mobes.config.writer import _toml_str, short_value, toml_key

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


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
            expected = e.expected + (f", got {e.got}" if e.got else "") if e.expected else ""
            out.add(layer.file, label + fld, got if e.field != "-" else raw,
                    expected or "a valid movement (see config/team.example.toml)",
                    problem=e.problem)
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



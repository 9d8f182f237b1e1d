"""``load()``: read, validate and merge the layers into effective ``Settings`` with the
origin of every value."""

from __future__ import annotations

import os

from mobes.config.layers import _flatten, _flatten_cli, _merge, read_layer_file
from mobes.config.plans import _check_plan_doses
from mobes.config.problems import MISSING, ConfigError, Entry, Layer, _Collector, _hint
from mobes.config.schema import (
    CLI,
    DEFAULT,
    SECTIONS,
    TEAM,
    USER,
    default_file,
    display_key,
    leaf_keys,
)
from mobes.domain.record import Record
from mobes.domain.settings import (
    WEEKDAYS,
    Adaptation,
    Microbreaks,
    Notifications,
    Plan,
    Rehab,
    Settings,
    Tray,
    WorkHours,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from typing import Any

    from mobes.domain.catalog import Catalog

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
    from mobes.adapters.catalog_file import builtin
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


def team_file_setting(user_doc: dict | None, user_path: str | None,
                      environ: Mapping[str, str] | None = None
                      ) -> tuple[str | None, str | None, Any]:
    """(team path, what named it, the raw value) from the environment (``environ``,
    default ``os.environ``) or the user file."""
    env = (os.environ if environ is None else environ).get("MOBES_TEAM_CONFIG")
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
         team_file: Any = DISCOVER, environ: Mapping[str, str] | None = None) -> Loaded:
    """Read, validate and merge the layers. Raises ConfigError listing every problem.

    ``user_file``/``team_file``: a path to use instead of discovering it, or None for no
    such layer (``mobes config check FILE`` uses them). ``environ`` (default
    ``os.environ``) names the files: ``MOBES_HOME``, ``MOBES_CONFIG``, ``MOBES_TEAM_CONFIG``.
    """
    from mobes.adapters.paths import Paths

    out = _Collector()
    files: dict[str, str] = {}
    layers: list[tuple[Layer, dict[str, Entry]]] = []

    dpath = default_file()
    files[DEFAULT] = dpath
    ddoc = read_layer_file(dpath, out)

    upath = Paths(environ).user_config_file() if user_file is DISCOVER else user_file
    udoc = None
    if upath is not None:
        upath = os.path.abspath(upath)
        if user_file is not DISCOVER or os.path.lexists(upath):
            udoc = read_layer_file(upath, out)
            if udoc is not None:
                files[USER] = upath

    named_by = None
    if team_file is DISCOVER:
        tpath, named_by, raw = team_file_setting(udoc, upath, environ)
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
    table: dict[str, Any] = {"name": plan.name, "movements": items, "sets": plan.sets}
    if plan.per_side is not None:  # None: each movement's own
        table["per_side"] = plan.per_side
    table.update(times=list(plan.times), days=list(plan.days))
    if plan.start_date is not None:
        table["start_date"] = plan.start_date
    table["trial_days"] = plan.trial_days
    if plan.caregiver is not None:  # None: a helper when a movement needs one
        table["caregiver"] = plan.caregiver
    table["retired"] = plan.retired
    for key in ("prescribed", "anytime", "warm_up"):
        if getattr(plan, key):
            table[key] = True
    return table



"""Rehab plans in config files: their own fields, then their doses against the catalog."""

from __future__ import annotations

from mobes.config.problems import MISSING, Bad, Entry, Layer, _Collector, _hint
from mobes.config.schema import ITEM_KEYS, PLAN_KEYS, _bool, _int
from mobes.domain import rules
from mobes.domain.settings import WEEKDAYS, Plan, PlanItem

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from mobes.domain.catalog import Catalog

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
        if not rules.plan_name_ok(name):
            fail("name", name, rules.PLAN_NAME_EXPECTED)
        else:
            fields["name"] = name.strip()
    items = raw.get("movements")
    if "movements" in raw:
        lo, hi = rules.PLAN_MOVEMENTS
        if not isinstance(items, list) or not lo <= len(items) <= hi:
            fail("movements", items, f"a list of {lo} to {hi} movements like "
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
    sets = rules.PRESCRIBED_SETS if raw.get("prescribed") is True else rules.PLAN_SETS
    simple = {
        "sets": _int(*sets, " of sets a day"),
        "per_side": _bool,
        "trial_days": _int(*rules.PLAN_TRIAL_DAYS, " of days"),
        "caregiver": _bool,
        "retired": _bool,
        "prescribed": _bool,
        "anytime": _bool,
        "warm_up": _bool,
    }
    for key, check in simple.items():
        if key in raw:
            try:
                fields[key] = check(raw[key])
            except Bad as e:
                fail(key, raw[key], e.expected, e.hint, e.problem)
    if "times" in raw:
        times = raw["times"]
        lo, hi = rules.PLAN_TIMES
        expected = f'a list of {lo} to {hi} times like ["08:00", "18:30"]'
        parsed_times = rules.plan_times(times) if isinstance(times, list) else None
        if parsed_times is None:
            fail("times", times, expected)
        elif rules.duplicate_times(parsed_times):
            fail("times", times, expected, problem="a time is listed twice")
        else:
            fields["times"] = parsed_times
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
    for key, (lo, hi) in (("reps", rules.ITEM_REPS), ("hold_seconds", rules.ITEM_HOLD_SECONDS),
                          ("holds", rules.PLAN_HOLDS)):
        if key in item:
            v = item[key]
            if not rules.whole_in(v, (lo, hi)):
                fail(f"{where}.{key}", v, f"a whole number from {lo} to {hi}")
                ok = False
            else:
                fields[key] = v
    if "holds" in item and has_reps:
        fail(f"{where}.holds", item["holds"], "holds only together with hold_seconds")
        ok = False
    return PlanItem(**fields) if ok else None



def _check_plan_doses(e: Entry, catalog: Catalog, out: _Collector, id_hint) -> None:
    """The plan rule (``mobes.domain.rules.plan_problems``, the one ``mobes plan add`` runs
    too) on a plan from a file."""
    plan: Plan = e.conv
    for p in rules.plan_problems(plan, catalog):
        where = f"{e.where}.{p.field}"
        if p.problem == "no such movement":
            if p.value in out.broken_ids:
                continue
            out.add(e.layer.file, where, p.value, p.expected, id_hint(p.value), p.problem)
            continue
        expected = p.expected + (f" ({p.rule})" if p.rule else "")
        out.add(e.layer.file, where, p.value, expected, problem=p.problem)

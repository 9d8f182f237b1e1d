"""``mobes plan add|list|retire|checkin``: rehab plans in the user config file."""

from __future__ import annotations

from argparse import BooleanOptionalAction

from mobes.domain import rules
from mobes.domain.settings import WEEKDAYS as DAY_NAMES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from mobes.domain.catalog import Catalog
    from mobes.domain.settings import Plan, PlanItem


def register(sub, name: str, summary: str) -> None:
    p = sub.add_parser(name, help=summary, description=summary.capitalize() + ".")
    p.set_defaults(func=run_list, json=False)
    actions = p.add_subparsers(dest="action", metavar="ACTION")

    add = actions.add_parser(
        "add", help="add a plan to your config file",
        description="Add a rehab plan to your user config file (comments are kept). "
                    "A new plan starts gently and builds up (a mobilization: 25-75 reps a "
                    "set, 1-3 sets a day in total, 1-5 movements). A movement dosed per "
                    "side is done on each side, and movements that need a helper get the "
                    "helper's instructions, without flags; the flags only override.")
    add.add_argument("name", help="a short name for the plan, e.g. knee")
    add.add_argument("--movement", "-m", action="append", required=True,
                     metavar="ID[:REPS|:SECONDSxCOUNT]",
                     help="a movement and its target: knee-bends:50 (reps a set; for a "
                          "movement done both ways, reps each direction) or hip-hold:30x4 "
                          "(30 s holds, 4 of them); repeat for up to 5")
    add.add_argument("--sets", type=int, default=1,
                     help="sets a batch, in one sitting; sets x batch times is 1-3 a day")
    add.add_argument("--time", action="append", metavar="HH:MM",
                     help="time of the daily batch (repeat for more); default 08:00; with "
                          "--anytime, the time of the reminder")
    add.add_argument("--anytime", action="store_true",
                     help="do the batch any time of the day (missed only when the day ends)")
    add.add_argument("--days", default="daily",
                     help="days of the week: mon,wed,fri | weekdays | daily (default)")
    add.add_argument("--per-side", action=BooleanOptionalAction, default=None,
                     help="every set on each side (default: as each movement is dosed)")
    add.add_argument("--caregiver", action=BooleanOptionalAction, default=None,
                     help="instructions speak to the helper (default: when a movement "
                          "needs one)")
    add.add_argument("--prescribed", action="store_true",
                     help="a therapist's programme: doses kept as given (sets and reps beyond "
                          "the method's ranges allowed), never raised, only lowered on too "
                          "hard or pain")
    add.add_argument("--warm-up", action="store_true",
                     help="start each batch with a short warm-up for the plan's regions")
    add.add_argument("--trial-days", type=int, default=3,
                     help="completed days before mobes asks whether it helps (default 3)")
    add.add_argument("--start", metavar="YYYY-MM-DD", help="first day (default today)")
    add.add_argument("--json", action="store_true", help="print the new plan as JSON")
    add.set_defaults(func=run_add)

    ls = actions.add_parser("list", help="show your plans and where each trial stands")
    ls.add_argument("--json", action="store_true", help="print JSON for scripts")
    ls.add_argument("--all", action="store_true", help="include retired plans")
    ls.set_defaults(func=run_list)

    ret = actions.add_parser("retire", help="stop a plan (kept in the file, marked retired)")
    ret.add_argument("name")
    ret.set_defaults(func=run_retire)

    chk = actions.add_parser("checkin", help='answer "any obvious benefit?" for a plan')
    chk.add_argument("name")
    chk.add_argument("answer", choices=("yes", "no"))
    chk.add_argument("--json", action="store_true", help="print JSON for scripts")
    chk.set_defaults(func=run_checkin)


# --- parsing the command line into a Plan -------------------------------------------------

def parse_days(text: str) -> tuple[str, ...]:
    from mobes.errors import UsageError, did_you_mean

    t = text.strip().lower()
    if t in ("daily", "every-day", "everyday", "all"):
        return DAY_NAMES
    if t in ("weekdays", "workdays"):
        return DAY_NAMES[:5]
    if t == "weekends":
        return DAY_NAMES[5:]
    out: list[str] = []
    for part in t.split(","):
        part = part.strip()
        match = [d for d in DAY_NAMES if len(part) >= 2 and d.startswith(part)]
        if len(match) != 1:
            raise UsageError(f"--days: {part!r} is not a day of the week; expected e.g. "
                             f"mon,wed,fri, weekdays or daily"
                             f"{did_you_mean(part, [d[:3] for d in DAY_NAMES])}")
        if match[0] not in out:
            out.append(match[0])
    return tuple(d for d in DAY_NAMES if d in out)


def parse_item(spec: str, catalog: Catalog, prescribed: bool = False) -> PlanItem:
    """'ID', 'ID:REPS' or 'ID:SECONDSxCOUNT' -> PlanItem in the movement's unit. Amounts are
    checked by the plan rule (``rules.plan_problems``); without one, the target is the
    movement's within the plan's range (a prescribed plan: the catalog's programme)."""
    from mobes.commands.movements import find_or_fail
    from mobes.domain.settings import PlanItem
    from mobes.errors import UsageError

    term, _, amount = spec.partition(":")
    m = find_or_fail(catalog, term)
    d = m.dose
    holds = d.unit == "seconds"
    lo, hi = rules.plan_amount_range(m, prescribed)
    default = min(hi, max(lo, d.target))
    if not amount:
        if holds:
            return PlanItem(movement=m.id, hold_seconds=default, holds=d.repeats)
        return PlanItem(movement=m.id, reps=default)
    a = amount.strip().lower()
    if "x" in a:
        secs, _, count = a.partition("x")
        if not holds:
            raise UsageError(f"--movement {spec}: {m.id} is done in reps, not holds; give "
                             f"{m.id}:REPS, e.g. {m.id}:{default}")
        if not (secs.isdigit() and count.isdigit()):
            raise UsageError(f"--movement {spec}: expected {m.id}:SECONDSxCOUNT, e.g. "
                             f"{m.id}:{default}x{d.repeats}")
        c = int(count)
        if not rules.whole_in(c, rules.PLAN_HOLDS):
            raise UsageError(f"--movement {spec}: {rules.PLAN_HOLDS[0]}-{rules.PLAN_HOLDS[1]} "
                             f"holds a set, got {c}")
        return PlanItem(movement=m.id, hold_seconds=int(secs), holds=c)
    if holds:
        raise UsageError(f"--movement {spec}: {m.id} is a hold; give {m.id}:SECONDSxCOUNT, "
                         f"e.g. {m.id}:{default}x{d.repeats}")
    if not a.isdigit():
        raise UsageError(f"--movement {spec}: expected {m.id}:REPS (a whole number) or "
                         f"{m.id}:SECONDSxCOUNT")
    return PlanItem(movement=m.id, reps=int(a))


def check_plan(plan: Plan, catalog: Catalog, specs: Sequence[str]) -> None:
    """The plan rule, the one ``mobes config check`` applies too: the first problem as a
    UsageError naming the flag it comes from and quoting the rule."""
    from mobes.errors import UsageError

    for p in rules.plan_problems(plan, catalog):
        field = p.field
        if field.startswith("movements[") and "]" in field:
            n = int(field[len("movements["):field.index("]")])
            flag = f"--movement {specs[n - 1]}"
        elif field == "sets":
            flag = f"--sets {plan.sets}"
        elif field == "times":
            flag = "--time"
        else:
            flag = field
        raise UsageError(f"{flag}: {p.message()}")


def build_plan(ns, catalog, today):
    from datetime import date

    from mobes.domain.settings import Plan
    from mobes.errors import UsageError

    if not rules.plan_name_ok(ns.name):
        raise UsageError(f"plan name: expected a short name without quotes (at most "
                         f"{rules.PLAN_NAME_MAX} characters), e.g. knee")
    name = ns.name.strip()
    lo, hi = rules.PLAN_MOVEMENTS
    if not lo <= len(ns.movement) <= hi:
        raise UsageError(f"a plan has {lo}-{hi} movements (a concentrated batch "
                         f"works best with few); got {len(ns.movement)}")
    prescribed = bool(getattr(ns, "prescribed", False))
    items = [parse_item(spec, catalog, prescribed) for spec in ns.movement]
    ids = [i.movement for i in items]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        raise UsageError(f"--movement: {', '.join(sorted(dup))} is listed twice")
    sets = rules.PRESCRIBED_SETS if prescribed else rules.PLAN_SETS
    if not rules.whole_in(ns.sets, sets):
        raise UsageError(f"--sets: {sets[0]}-{sets[1]} sets a day, got {ns.sets}. The rule: "
                         f"{rules.SETS_RULE}"
                         + ("" if prescribed else f"; {rules.PRESCRIBED_HINT}"))
    if not rules.whole_in(ns.trial_days, rules.PLAN_TRIAL_DAYS):
        lo, hi = rules.PLAN_TRIAL_DAYS
        raise UsageError(f"--trial-days: {lo}-{hi} days (0: never ask), got {ns.trial_days}")
    given = tuple(ns.time or ("08:00",))
    if len(given) > rules.PLAN_TIMES[1]:
        raise UsageError(f"--time: at most {rules.PLAN_TIMES[1]} batch times a day, got "
                         f"{len(given)}")
    for t in given:
        if rules.clock_minutes(t) is None:
            raise UsageError(f"--time: expected a time like 07:30, got {t!r}")
    times = rules.plan_times(given)
    if times is None or rules.duplicate_times(times):
        raise UsageError("--time: a time is given twice")
    start = today
    if ns.start:
        try:
            start = date.fromisoformat(ns.start)
        except ValueError:
            raise UsageError(f"--start: expected a date like 2026-03-02, got {ns.start!r}"
                             ) from None
    plan = Plan(name=name, items=tuple(items), sets=ns.sets, per_side=ns.per_side,
                times=times, days=parse_days(ns.days), start_date=start,
                trial_days=ns.trial_days, caregiver=ns.caregiver, prescribed=prescribed,
                anytime=bool(getattr(ns, "anytime", False)),
                warm_up=bool(getattr(ns, "warm_up", False)))
    check_plan(plan, catalog, ns.movement)
    return plan


def describe_item(item, catalog) -> str:
    m = catalog.get(item.movement) if item.movement in catalog else None
    name = m.name if m else item.movement
    if item.reps is not None:
        if m is not None and m.dose.directions == 2:
            return f"{name} {item.reps} reps each direction ({item.reps * 2} in all)"
        return f"{name} {item.reps} reps"
    return f"{name} {item.hold_seconds} s x {item.holds}"


# --- commands ---------------------------------------------------------------------------

def run_add(ns) -> int:
    from mobes import bootstrap
    from mobes.config import writer as plans_file
    from mobes.domain.dosing import start_amount
    from mobes.ui.output import print_json

    env = bootstrap.env()
    settings = bootstrap.load_settings()
    catalog = bootstrap.catalog_for(settings)
    today = bootstrap.now(settings).date()
    plan = build_plan(ns, catalog, today)
    if any(p.name == plan.name for p in settings.rehab.plans):
        from mobes.errors import UsageError

        raise UsageError(f"a plan named {plan.name!r} already exists; choose another name")
    path = env.paths.user_config_file()
    plans_file.add_plan(path, plan)
    if ns.json:
        print_json({"file": path, "plan": plan.as_dict()}, env.stdout)
        return 0
    from mobes.domain import rehab
    from mobes.domain.dosing import build_up_goal

    movements = [catalog.get(it.movement) for it in plan.items]
    out = [f"Added plan {plan.name!r} to {path}:"]
    for it, m in zip(plan.items, movements):
        target = it.reps if it.reps is not None else it.hold_seconds
        first = start_amount(m, "rehab", settings.adaptation, target,
                             prescribed=plan.prescribed)
        unit = "reps" if it.reps is not None else "s"
        each = " each direction" if it.reps is not None and m.dose.directions == 2 else ""
        sides = " each side" if len(rehab.sides_for(plan, m)) == 2 else ""
        goal = build_up_goal(m, "rehab", target, prescribed=plan.prescribed)
        if plan.prescribed:
            how = "as prescribed: kept as given, never raised"
        elif goal and first < goal:
            how = (f"build-up: starts at {first} {unit}{each} and reaches {goal} within "
                   f"{settings.adaptation.build_up_days} days")
        else:
            how = f"starts gently at {first} {unit}{each}"
        alt = (f" (or a {m.dose.or_hold} s hold at the point of resistance)"
               if m.dose.or_hold and it.reps is not None else "")
        out.append(f"  {describe_item(it, catalog)}{sides} a set{alt}; {how}")
    when = (f"any time of the day (reminder at {', '.join(plan.times)})" if plan.anytime
            else f"at {', '.join(plan.times)}")
    per_side = "each side" if all(len(rehab.sides_for(plan, m)) == 2 for m in movements) \
        else ("each side where the movement is dosed per side" if any(
            len(rehab.sides_for(plan, m)) == 2 for m in movements) else "")
    side = f", {per_side}" if per_side else ""
    out.append(f"  {plan.sets} set(s){side}, {when} on "
               f"{_days_text(plan.days)}, from {plan.start_date}")
    if plan.warm_up:
        names = ", ".join(m.name for m in rehab.warm_up(plan, catalog)) or "none fits"
        out.append(f"  Each batch starts with a short warm-up: {names}.")
    out.append(f"  After {plan.trial_days} completed days mobes asks whether it helps.")
    if rehab.is_caregiver_plan(plan, movements):
        out.append("  Caregiver plan: instructions speak to the helper.")
        out.append("  " + rehab.CAREGIVER_INSTRUCTIONS)
        out.append("  The handout's rule: " + rehab.PROM_RULE)
    if plan.prescribed:
        out.append("  Prescribed: the doses are kept as your therapist gave them; mobes "
                   "lowers one only on too hard or pain.")
    out.append(f"Run it with 'mobes batch {plan.name}'.")
    env.stdout.write("\n".join(out) + "\n")
    return 0


def _days_text(days) -> str:
    days = tuple(days)
    if days == DAY_NAMES:
        return "every day"
    if days == DAY_NAMES[:5]:
        return "weekdays"
    return ", ".join(d[:3] for d in days)


def run_list(ns) -> int:
    from mobes import bootstrap
    from mobes.domain import rehab
    from mobes.services.rehab_course import checkin_due
    from mobes.ui.output import print_json, table

    env = bootstrap.env()
    settings = bootstrap.load_settings()
    catalog = bootstrap.catalog_for(settings)
    plans = [p for p in settings.rehab.plans if getattr(ns, "all", False) or not p.retired]
    store = bootstrap.open_store()
    try:
        now = bootstrap.now(settings)
        rows = []
        for p in plans:
            batches = store.batches(kind="rehab", plan=p.name)
            days = len(rehab.completed_days(p.name, batches))
            due = checkin_due(p, store, now, settings)
            if p.retired:
                status = "retired"
            elif days < p.trial_days:
                status = f"trial: {days} of {p.trial_days} days"
            else:
                status = "check-in due" if due else (
                    f"{days} complete day" + ("" if days == 1 else "s"))
            rows.append((p, days, status, due))
    finally:
        store.close()
    if ns.json:
        print_json([dict(p.as_dict(), complete_days=d, status=s, checkin_due=c)
                    for p, d, s, c in rows], env.stdout)
        return 0
    if not rows:
        env.stdout.write("No rehab plans. Add one with 'mobes plan add NAME --movement "
                         "ID:REPS'.\n")
        return 0
    env.stdout.write(table(
        ("plan", "movements", "sets", "when", "status"),
        [(p.name, "; ".join(describe_item(i, catalog) for i in p.items),
          f"{p.sets}{' each side' if p.per_side else ''}"
          f"{' (prescribed)' if p.prescribed else ''}",
          f"{', '.join(p.times)} {_days_text(p.days)}", s) for p, _, s, _ in rows]))
    return 0


def run_retire(ns) -> int:
    from mobes import bootstrap
    from mobes.config import writer as plans_file
    from mobes.errors import MobesError, UsageError, did_you_mean

    env = bootstrap.env()
    path = env.paths.user_config_file()
    if plans_file.retire_plan(path, ns.name):
        env.stdout.write(f"Plan {ns.name!r} retired (kept in {path} with retired = true). "
                         f"Its movements' doses and history stay as they are.\n")
        return 0
    settings = bootstrap.load_settings()
    for p in settings.rehab.plans:
        if p.name == ns.name:
            raise MobesError(f"plan {ns.name!r} comes from the {p.origin} config, not your "
                             f"file {path}; it can only be retired there", code=2)
    names = [p.name for p in settings.rehab.plans] or plans_file.plan_names(path)
    raise UsageError(f"no plan {ns.name!r} in {path}{did_you_mean(ns.name, names)}")


def run_checkin(ns) -> int:
    from mobes import bootstrap
    from mobes.services.rehab_course import record_checkin
    from mobes.services.rehab_session import find_plan
    from mobes.ui.output import print_json

    env = bootstrap.env()
    settings = bootstrap.load_settings()
    plan = find_plan(settings, ns.name)
    store = bootstrap.open_store()
    try:
        now = bootstrap.now(settings)
        reply = record_checkin(store, plan, ns.answer, now)
    finally:
        store.close()
    if ns.json:
        print_json({"plan": plan.name, "answer": ns.answer, "reply": reply}, env.stdout)
    else:
        env.stdout.write(reply + "\n")
    return 0

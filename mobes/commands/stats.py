"""``mobes stats``: adherence, reps, regions, rehab batches, streak and a calendar heat map."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import date

    from mobes.domain.stats import Day

HELP_EPILOG = """\
How the figures are counted:
  each microbreak prompt counts once, by what became of it: done, partial, skipped,
  snoozed (and never answered after), away, pain (stopped because it hurt), or missed
  (no answer).
  adherence = done / (prompted - away - pain): a break that found you away, or that you
  stopped because it hurt, does not count against you.
  rehab sets count every rep of every direction and every second of every hold.
  a day meets the goal with 50% adherence or a complete rehab batch; the streak counts
  such days up to today, skipping days with nothing to do (weekends, days off).
"""

LOOKBACK_DAYS = 90  # history read for the streak before looking further back
HEAT_MIN_DAYS = 28  # the heat map shows at least four weeks
SHADES = ("·", "░", "▒", "▓", "█")
ASCII_SHADES = (".", "-", "+", "*", "#")


def register(sub, name: str, summary: str) -> None:
    import argparse

    p = sub.add_parser(name, help=summary, description=summary.capitalize() + ".",
                       epilog=HELP_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    period = p.add_mutually_exclusive_group()
    period.add_argument("--day", dest="period", action="store_const", const="day",
                        help="today only")
    period.add_argument("--week", dest="period", action="store_const", const="week",
                        help="the last 7 days, today included (the default)")
    period.add_argument("--month", dest="period", action="store_const", const="month",
                        help="the last 30 days, today included")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    p.set_defaults(func=run, period="week")


def shade(score: float | None, shades: tuple[str, ...] = SHADES) -> str:
    if score is None:
        return shades[0]
    if score < 0.25:
        return shades[1]
    if score < 0.5:
        return shades[2]
    if score < 0.75:
        return shades[3]
    return shades[4]


def heatmap(days: dict[date, Day], first: date, today: date,
            shades: tuple[str, ...] = SHADES) -> list[str]:
    """A calendar of day scores: one column per week (Monday first), one row per weekday.
    Days after ``today`` stay blank; ``shades[0]`` marks days with nothing to do."""
    from datetime import timedelta

    monday = first - timedelta(days=first.weekday())
    weeks = (today - monday).days // 7 + 1
    cols = [monday + timedelta(weeks=w) for w in range(weeks)]
    months, prev = [], None
    for c in cols:
        label = c.strftime("%b") if c.month != prev else ""
        prev = c.month
        months.append(f"{label:<3}")
    days_row = "".join(f"{c.day:<3}" for c in cols).rstrip()
    lines = ["     " + "".join(months).rstrip(), "     " + days_row]
    for wd, name in enumerate(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")):
        cells = []
        for c in cols:
            d = c + timedelta(days=wd)
            if d > today:
                cells.append("   ")
            else:
                day = days.get(d)
                cells.append(shade(day.score if day else None, shades) + "  ")
        lines.append(f"{name}  " + "".join(cells).rstrip())
    s = shades
    lines.append(f"     {s[0]} nothing to do  {s[1]} under 25%  {s[2]} 25-49%  {s[3]} 50-74%  "
                 f"{s[4]} 75% or more")
    return lines


def _shades(out) -> tuple[str, ...]:
    """The heat map's shades, or ASCII ones when ``out`` cannot encode them."""
    enc = getattr(out, "encoding", None) or "ascii"
    try:
        "".join(SHADES).encode(enc)
        return SHADES
    except (UnicodeEncodeError, LookupError):
        return ASCII_SHADES


def compute(store, catalog, tz, now, period: str) -> dict:
    """Everything ``mobes stats`` shows, as plain data (also the --json output)."""
    from datetime import timedelta

    from mobes.domain import stats
    from mobes.domain.model import REGIONS

    first, today = stats.window(period, now, tz)
    start = stats.midnight(first, tz)
    heat_first = min(first, today - timedelta(days=HEAT_MIN_DAYS - 1))
    heat_first -= timedelta(days=heat_first.weekday())
    look = min(heat_first, today - timedelta(days=LOOKBACK_DAYS))
    look_start = stats.midnight(look, tz)

    def daily_since(since):
        return stats.daily(store.prompt_outcomes(since=since, kind="microbreak"),
                           store.batches(since=since, kind="rehab"), tz, today)

    days = daily_since(look_start)
    streak, unbroken = stats.streak(days, today, look)
    if unbroken:
        earliest = store.earliest()
        if earliest is not None and earliest < look_start:
            older = earliest.astimezone(tz).date()
            days = daily_since(stats.midnight(older, tz))
            streak, _ = stats.streak(days, today, older)

    regions_of = {m.id: m.regions for m in catalog}
    summary = stats.summarize(
        store.prompts(since=start, kind="microbreak"), store.outcomes(since=start),
        store.batches(since=start), store.batch_items_since(start), regions_of, start, now,
        today, streak, doses={m.id: m.dose for m in catalog})
    data = summary.as_dict()
    known = {m.id: m for m in catalog}
    for mv in data["movements"]:
        m = known.get(mv["id"])
        mv["name"] = m.name if m else mv["id"]
        mv["unit"] = m.dose.unit if m else "reps"
    heat = [days.get(heat_first + timedelta(days=n)) for n in range((today - heat_first).days + 1)]
    return {
        "period": period,
        "first_day": first,
        "last_day": today,
        "timezone": str(tz),
        **data,
        "regions_not_worked": [r for r in REGIONS if r not in summary.regions],
        "days": [
            (d.as_dict() if d else {"day": heat_first + timedelta(days=n), "prompted": 0,
                                    "done": 0, "away": 0, "complete": 0, "partial": 0,
                                    "missed": 0, "pain": 0, "adherence_percent": None,
                                    "score_percent": None, "met_goal": False})
            for n, d in enumerate(heat)
        ],
        "_days": days,
        "_heat_first": heat_first,
    }


def _pct(p: float | None) -> str:
    return "-" if p is None else f"{p:.0f}%"


def render(data: dict, shades: tuple[str, ...] = SHADES) -> str:
    first, today = data["first_day"], data["last_day"]
    titles = {"day": "Today", "week": "Last 7 days", "month": "Last 30 days"}
    span = (f"{first:%a %d %b %Y}" if first == today
            else f"{first:%a %d %b} - {today:%a %d %b %Y}")
    c = data["counts"]
    counted = data["prompted"] - c["away"] - c.get("pain", 0)
    out = [f"{titles[data['period']]}: {span}", ""]
    parts = ", ".join(f"{c[k]} {k}" for k in ("done", "partial", "skipped", "snoozed", "away",
                                               "pain", "missed")
                      if c[k] or k in ("done", "skipped"))
    out.append(f"Microbreaks  {data['prompted']} prompted: {parts}")
    if data["adherence_percent"] is None:
        out.append("Adherence    - (no microbreak found you at your desk)")
    else:
        out.append(f"Adherence    {_pct(data['adherence_percent'])} "
                   f"({c['done']} done of the {counted} you were there for)")
    r = data["rehab"]
    rehab = ", ".join(f"{r[k]} {k}" for k in ("complete", "partial", "missed"))
    if r["in-progress"]:
        rehab += f", {r['in-progress']} in progress"
    out.append(f"Rehab        {rehab}")
    n = data["streak"]
    out.append(f"Streak       {n} day{'' if n == 1 else 's'} meeting the goal "
               "(50% adherence or a complete rehab batch)")
    out.append("")
    if data["movements"]:
        out.append("Done per movement")
        width = max(len(m["name"]) for m in data["movements"])
        for m in data["movements"]:
            unit = "s" if m["unit"] == "seconds" else "reps"
            bits = []
            if m["microbreaks"]:
                bits.append(f"{m['microbreaks']} microbreak{'s' * (m['microbreaks'] != 1)}")
            if m["sets"]:
                bits.append(f"{m['sets']} rehab set{'s' * (m['sets'] != 1)}")
            out.append(f"  {m['name']:<{width}}  {m['amount']:>6} {unit:<4}  "
                       + ", ".join(bits))
        out.append(f"  In all: {data['reps']} reps, {data['hold_seconds']} s of holds")
        out.append("")
    else:
        out.append("Nothing done in this period yet.")
        out.append("")
    if data["regions"]:
        out.append("Regions worked  " + ", ".join(f"{k} {v}" for k, v in data["regions"].items()))
    if data["regions_not_worked"]:
        out.append("Not worked      " + ", ".join(data["regions_not_worked"]))
    out.append("")
    weeks = ((today - data["_heat_first"]).days // 7) + 1
    out.append(f"Daily score, last {weeks} weeks (adherence and rehab; one column a week)")
    out.extend(heatmap(data["_days"], data["_heat_first"], today, shades))
    return "\n".join(out) + "\n"


def run(ns) -> int:
    from mobes import bootstrap
    from mobes.ui.output import print_json

    env = bootstrap.env()
    settings = bootstrap.load_settings()
    catalog = bootstrap.catalog_for(settings)
    tz = bootstrap.zone(settings)
    store = bootstrap.open_store()
    try:
        data = compute(store, catalog, tz, bootstrap.now(settings), ns.period)
    finally:
        store.close()
    if ns.json:
        print_json({k: v for k, v in data.items() if not k.startswith("_")}, env.stdout)
    else:
        env.stdout.write(render(data, _shades(env.stdout)))
    return 0

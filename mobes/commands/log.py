"""``mobes log``: the history, event by event, in local time."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import tzinfo

DEFAULT_DAYS = 7
WHY_HELD_BACK = {
    "outside-hours": "outside your working hours",
    "paused": "you had paused mobes",
    "idle": "you were away from the computer",
    "snoozed": "the prompt was snoozed",
    "do-not-disturb": "do not disturb was on",
    "suspended": "the computer was asleep",
}


def register(sub, name: str, summary: str) -> None:
    p = sub.add_parser(name, help=summary, description=summary.capitalize() + ".")
    p.add_argument("--since", metavar="DATE",
                   help=f"from this day on (YYYY-MM-DD); default: the last {DEFAULT_DAYS} days")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    p.set_defaults(func=run)


def _name(names: dict[str, str], mid: str) -> str:
    return names.get(mid, mid)


def _felt(feedback: str) -> str:
    return feedback.replace("-", " ")


def describe(ev: dict, names: dict[str, str], doses: dict | None = None) -> str:
    """One event as a line of text (without its time). ``doses``: movement id -> Dose."""
    t = ev["type"]
    doses = doses or {}
    if t == "prompt":
        moves = ", ".join(
            f"{_name(names, m)} {doses[m].describe(a) if m in doses else a}"
            for m, a in zip(ev["movement_ids"], ev["amounts"]))
        text = f"{ev['kind']} #{ev['prompt_id']}: {moves or '-'}"
        return text + (f"  ({ev['why']})" if ev.get("why") else "")
    if t == "outcome":
        text = f"  #{ev['prompt_id']} {ev['outcome']}"
        if ev.get("movement_id"):
            text += f" - {_name(names, ev['movement_id'])}"
        if ev.get("reps_done") is not None:
            text += f", {ev['reps_done']} done"
        if ev.get("feedback"):
            text += f", felt {_felt(ev['feedback'])}"
        return text
    if t == "suppressed":
        why = WHY_HELD_BACK.get(ev["reason"], ev["reason"])
        text = f"no prompt: {why} [{ev['reason']}]"
        return text + (f" - {ev['detail']}" if ev.get("detail") else "")
    if t == "batch-start":
        plan = f" {ev['plan']!r}" if ev.get("plan") else ""
        moves = ", ".join(_name(names, m) for m in ev.get("movement_ids") or ())
        sitting = f", sitting {ev['sitting']}" if ev.get("sitting", 1) > 1 else ""
        return f"{ev['kind']} batch{plan} #{ev['batch_id']} started{sitting}" + (
            f": {moves}" if moves else "")
    if t == "batch-item":
        side = f" {ev['side']}" if ev.get("side") else ""
        text = (f"  set {ev['set_no']} {_name(names, ev['movement_id'])}{side}: "
                f"{ev['done']} of {ev['target']}")
        return text + (f", felt {_felt(ev['feedback'])}" if ev.get("feedback") else "")
    if t == "batch-end":
        plan = f" {ev['plan']!r}" if ev.get("plan") else ""
        return f"{ev['kind']} batch{plan} #{ev['batch_id']} ended: {ev['status']}"
    if t == "feedback":
        return (f"{_name(names, ev['movement_id'])} ({ev['context']}) felt "
                f"{_felt(ev['feedback'])}"
                f" [from {ev['source']}]")
    if t == "dose-change":
        text = (f"dose of {_name(names, ev['movement_id'])} ({ev['context']}), {ev['kind']}: "
                f"{ev['old']} -> {ev['new']} - {ev['reason']}")
        if ev.get("until") is not None:
            text += f" (until {ev['until']:%a %d %b %H:%M})"
        return text
    return t


def render(events: list[dict], names: dict[str, str], tz: tzinfo,
           doses: dict | None = None) -> str:
    out: list[str] = []
    day = None
    for ev in events:
        at = ev["at"].astimezone(tz)
        if ev.get("until") is not None:
            ev = {**ev, "until": ev["until"].astimezone(tz)}
        if at.date() != day:
            day = at.date()
            out.append(("\n" if out else "") + f"{day:%A %d %B %Y}")
        out.append(f"  {at:%H:%M}  {describe(ev, names, doses)}")
    return "\n".join(out) + "\n" if out else ""


def run(ns) -> int:
    from datetime import timedelta

    from mobes import bootstrap
    from mobes.domain.events import events
    from mobes.domain.stats import midnight
    from mobes.services.history import load, names, parse_since
    from mobes.ui.output import print_json

    env = bootstrap.env()
    settings = bootstrap.load_settings()
    tz = bootstrap.zone(settings)
    now = bootstrap.now(settings)
    since = parse_since(ns.since, tz)
    if since is None:
        since = midnight(now.astimezone(tz).date() - timedelta(days=DEFAULT_DAYS - 1), tz)
    store = bootstrap.open_store()
    try:
        rows = load(store, since)
    finally:
        store.close()
    evs = events(**rows, since=since)
    if ns.json:
        print_json(evs, env.stdout)
        return 0
    if not evs:
        env.stdout.write(f"Nothing recorded since {since:%a %d %b %Y}.\n")
        return 0
    catalog = bootstrap.catalog_for(settings)
    env.stdout.write(render(evs, names(catalog), tz, {m.id: m.dose for m in catalog}))
    return 0

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


OUTCOME_WORDS = {
    "done": "done",
    "skipped": "skipped",
    "snoozed": "snoozed",
    "away": "found you away from the computer",
    "missed": "missed (not answered)",
    "partial": "partly done",
    "pain": "stopped by pain (not counted as done)",
    "yes": "answered yes: it helps",
    "no": "answered no: no obvious benefit",
}
SOURCE_WORDS = {"prompt": "answered on the prompt", "batch": "said in a rehab batch",
                "cli": "told with 'mobes feedback'"}
HOW_WORDS = {"paced": "counted by the guide", "clicked": "you clicked Done",
             "pain": "stopped by pain", "": ""}
REMINDER_WORDS = {"remind": "reminder", "remind-again": "second reminder",
                  "missed": "not started in time"}


def _name(names: dict[str, str], mid: str) -> str:
    return names.get(mid, mid)


def _felt(feedback: str) -> str:
    return feedback.replace("-", " ")


def _amount(doses: dict, mid: str, n: int) -> str:
    d = doses.get(mid)
    if d is not None and d.unit == "seconds":
        return f"{n} s"
    return f"{n} rep" + ("" if n == 1 else "s")


def _prompt(ev: dict, names: dict[str, str], doses: dict) -> str:
    kind, why = ev["kind"], ev.get("why") or ""
    if kind == "rehab-reminder":  # why = "KIND DUE PLAN"
        stage, _, rest = why.partition(" ")
        due, _, plan = rest.partition(" ")
        word = REMINDER_WORDS.get(stage, stage)
        try:
            from datetime import datetime

            when = datetime.fromisoformat(due).astimezone(ev["at"].tzinfo).strftime("%H:%M")
        except ValueError:
            when = due
        if stage == "missed":
            return f"rehab batch {plan!r}: {word} (due {when}), recorded as missed"
        return f"{word} for rehab batch {plan!r} (due {when})"
    if kind == "rehab-checkin":
        plan = why.removeprefix("plan ")
        return f"asked whether plan {plan!r} helps (#{ev['prompt_id']})"
    if not ev["movement_ids"]:
        return f"microbreak #{ev['prompt_id']} came due" + (f" ({why})" if why else "")
    moves = ", ".join(
        f"{_name(names, m)} {doses[m].describe(a) if m in doses else a}"
        for m, a in zip(ev["movement_ids"], ev["amounts"]))
    return f"{kind} #{ev['prompt_id']} offered: {moves}" + (f"  ({why})" if why else "")


def _dose_change(ev: dict, names: dict[str, str], doses: dict) -> str:
    mid, kind = ev["movement_id"], ev["kind"]
    who = f"{_name(names, mid)} ({ev['context']})"
    old, new = _amount(doses, mid, ev["old"]), _amount(doses, mid, ev["new"])
    if kind == "start":
        text = f"dose of {who} starts at {new}"
    elif kind == "adapt":
        text = (f"dose of {who} changed {old} -> {new}" if ev["old"] != ev["new"]
                else f"dose of {who} stays at {new}")
    elif kind == "easier":
        text = f"{who}: the easier variant from now on, at {new}"
    elif kind == "full":
        text = f"{who}: back to the full movement, at {new}"
    elif kind == "rest":
        text = f"{who} rests"
        if ev.get("until") is not None:
            text += f" until {ev['until']:%a %d %b %H:%M}"
    elif kind == "retire":
        text = f"{who} retired"
    elif kind == "enable":
        text = f"{who} re-enabled at {new}"
    else:
        text = f"dose of {who}, {kind}: {old} -> {new}"
    return f"{text} - {ev['reason']}"


def describe(ev: dict, names: dict[str, str], doses: dict | None = None) -> str:
    """One event as a line of words (without its time). ``doses``: movement id -> Dose."""
    t = ev["type"]
    doses = doses or {}
    if t == "prompt":
        return _prompt(ev, names, doses)
    if t == "outcome":
        word = OUTCOME_WORDS.get(ev["outcome"], ev["outcome"])
        text = f"  #{ev['prompt_id']} {word}"
        if ev.get("movement_id"):
            text += f" - {_name(names, ev['movement_id'])}"
        if ev.get("reps_done") is not None:
            text += f", {ev['reps_done']} done"
        if ev.get("feedback") and ev["feedback"] != "pain":
            text += f", felt {_felt(ev['feedback'])}"
        return text
    if t == "suppressed":
        why = WHY_HELD_BACK.get(ev["reason"], ev["reason"])
        text = f"no prompt: {why} [{ev['reason']}]"
        return text + (f" - {ev['detail']}" if ev.get("detail") else "")
    if t == "batch-start":
        plan = f" {ev['plan']!r}" if ev.get("plan") else ""
        if ev.get("status") == "missed":
            return f"{ev['kind']} batch{plan} of {ev['at']:%H:%M} missed: never started"
        moves = ", ".join(_name(names, m) for m in ev.get("movement_ids") or ())
        sitting = f", sitting {ev['sitting']}" if ev.get("sitting", 1) > 1 else ""
        return f"{ev['kind']} batch{plan} #{ev['batch_id']} started{sitting}" + (
            f": {moves}" if moves else "")
    if t == "batch-item":
        side = f" {ev['side']}" if ev.get("side") else ""
        which = "warm-up" if ev.get("set_no") == 0 else f"set {ev['set_no']}"
        unit = _amount(doses, ev["movement_id"], ev["target"]).split(" ", 1)[1]
        held = " held" if unit == "s" else ""
        text = (f"  {which} {_name(names, ev['movement_id'])}{side}: "
                f"{ev['done']} of {ev['target']} {unit}{held}")
        how = HOW_WORDS.get(ev.get("how") or "", ev.get("how") or "")
        text += f" ({how})" if how else ""
        return text + (f", felt {_felt(ev['feedback'])}" if ev.get("feedback") else "")
    if t == "batch-end":
        plan = f" {ev['plan']!r}" if ev.get("plan") else ""
        return f"{ev['kind']} batch{plan} #{ev['batch_id']} ended: {ev['status']}"
    if t == "feedback":
        felt = "hurt" if ev["feedback"] == "pain" else f"felt {_felt(ev['feedback'])}"
        src = SOURCE_WORDS.get(ev["source"], f"from {ev['source']}")
        return f"{_name(names, ev['movement_id'])} ({ev['context']}) {felt}, {src}"
    if t == "dose-change":
        return _dose_change(ev, names, doses)
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

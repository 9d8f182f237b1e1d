"""``mobes next``: when the next microbreak comes, what it will be, and why.

With an agent running, its status file already holds the answer (the same policy and
rotation, with its pause or snooze), so this command starts fast and reads just that.
Otherwise it works the answer out as if the agent started now.
"""

from __future__ import annotations

QUICK_FLAGS = ("--json",)  # see cli._quick_namespace


def register(sub, name: str, summary: str) -> None:
    p = sub.add_parser(name, help=summary, description=summary.capitalize() + ".")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    p.set_defaults(func=run)


def _minutes_text(seconds: float) -> str:
    mins = max(0, int(-(-seconds // 60)))
    if mins == 0:
        return "now"
    if mins < 60:
        return f"in {mins} min"
    if mins < 24 * 60:
        return f"in {mins // 60} h {mins % 60:02d} min"
    days, hours = mins // 1440, (mins % 1440) // 60
    return f"in {days} day{'s' if days > 1 else ''} {hours} h"


def _epoch() -> float:
    from mobes import bootstrap

    return bootstrap.clock().now().timestamp()


def compute(now=None) -> dict:
    """The answer worked out here (no agent running, or its status file is stale)."""
    from mobes import bootstrap
    from mobes.domain import policy
    from mobes.services.upcoming import next_info

    settings = bootstrap.load_settings()
    if now is None:
        now = bootstrap.now(settings)
    catalog = bootstrap.catalog_for(settings)
    store = bootstrap.open_store()
    try:
        info = next_info(settings, catalog, store, policy.initial_state(now), now)
    finally:
        store.close()
    info["agent_running"] = False
    return info


def run(ns) -> int:
    from mobes import bootstrap

    env = bootstrap.env()
    data = bootstrap.agent_status()
    info = None
    if data is not None:
        nxt = data.get("next")
        stale = nxt is not None and nxt.get("epoch", 0) < _epoch() - 90
        if not stale:
            info = {"status": data.get("status", ""), "paused_until": data.get("paused_until"),
                    "next": nxt, "reason": data.get("reason", ""), "agent_running": True,
                    "pid": data.get("pid")}
    if info is None:
        info = compute()
    nxt = info["next"]
    if ns.json:
        from mobes.ui.output import print_json

        out = dict(info)
        if nxt is not None:
            out["in_minutes"] = max(0, int(-(-(nxt["epoch"] - _epoch()) // 60)))
        print_json(out, env.stdout)
        return 0
    w = env.stdout.write
    if info.get("paused_until"):
        w(f"{info['status'][:1].upper()}{info['status'][1:]}.\n")
    if nxt is None:
        w(f"No microbreak ahead: {info['reason']}.\n")
    else:
        left = nxt["epoch"] - _epoch()
        when = nxt["time"] if left < 12 * 3600 else f"{nxt['day']} {nxt['time']}"
        label = "Next microbreak" if nxt["what"] == "microbreak" else "Snoozed microbreak"
        w(f"{label}: {when} ({_minutes_text(left)})\n")
        for m in nxt["movements"]:
            w(f"  {m['name']}: {m['dose']}\n    {m['cue']}\n")
        w(f"  Why then: {nxt['why']}\n")
    if not info.get("agent_running"):
        w("mobes is not running: this is when the first break would come if it started "
          "now ('mobes run' starts it).\n")
    return 0

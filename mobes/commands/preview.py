"""``mobes preview --days N``: every microbreak of the coming days, from the same policy and
rotation as the agent (honouring its pause or snooze when one runs), assuming each break
is done when it appears."""

from __future__ import annotations


def _days(text: str) -> int:
    import argparse

    try:
        n = int(text)
    except ValueError:
        n = 0
    if not 1 <= n <= 31:
        raise argparse.ArgumentTypeError(f"expected a number of days from 1 to 31, got {text!r}")
    return n


def register(sub, name: str, summary: str) -> None:
    p = sub.add_parser(name, help=summary, description=summary.capitalize() + ".")
    p.add_argument("--days", type=_days, default=1, metavar="N",
                   help="how many days ahead, 1 to 31 (default 1)")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    p.set_defaults(func=run)


def run(ns) -> int:
    from datetime import timedelta

    from mobes import bootstrap
    from mobes.domain import policy
    from mobes.services.upcoming import preview

    env = bootstrap.env()
    settings = bootstrap.load_settings()
    now = bootstrap.now(settings)
    data = bootstrap.agent_status()
    state = None
    if data is not None and isinstance(data.get("state"), dict):
        try:
            state = bootstrap.agent_state(data["state"])
        except (KeyError, TypeError, ValueError):
            state = None
    running = state is not None
    if state is None:
        state = policy.initial_state(now)
    catalog = bootstrap.catalog_for(settings)
    store = bootstrap.open_store()
    try:
        rows = preview(settings, catalog, store, state, now, now + timedelta(days=ns.days))
    finally:
        store.close()
    if ns.json:
        from mobes.ui.output import print_json

        print_json({"from": now, "days": ns.days, "agent_running": running,
                    "status": policy.describe(settings, state, now), "prompts": rows}, env.stdout)
        return 0
    from mobes.ui.output import table, terminal_width

    w = env.stdout.write
    w(f"{policy.describe(settings, state, now)[:1].upper()}"
      f"{policy.describe(settings, state, now)[1:]}.\n")
    if not rows:
        w(f"No microbreak in the next {ns.days} day{'s' if ns.days > 1 else ''}.\n")
    day = None
    body = []
    for r in rows:
        label = r["day"] if r["day"] != day else ""
        day = r["day"]
        names = " + ".join(m["name"] for m in r["movements"]) or "(no movement available)"
        doses = "; ".join(m["dose"] for m in r["movements"])
        body.append((label, r["time"], names, doses))
    if body:
        w(table(("day", "time", "movement", "dose"), body,
                max_width=terminal_width(env.stdout, env.environ)))
        w(f"{len(rows)} microbreak{'s' if len(rows) != 1 else ''}; each assumed done when it "
          f"appears.\n")
    if not running:
        w("mobes is not running: times assume it starts now ('mobes run' starts it).\n")
    return 0

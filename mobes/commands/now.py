"""``mobes now``: the microbreak you would get if you took one right now."""

from __future__ import annotations

QUICK_FLAGS = ("--json",)  # see cli._quick_namespace: `mobes now` starts without argparse


def register(sub, name: str, summary: str) -> None:
    p = sub.add_parser(name, help=summary, description=summary.capitalize() + ".")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    p.set_defaults(func=run)


def next_choice(settings, catalog, store, now, seed: int | None = None):
    """The rotation's pick for a break at ``now`` (see ``mobes.services.upcoming.pick``)."""
    from mobes.services.upcoming import pick

    return pick(settings, catalog, store, now, seed)


def run(ns) -> int:
    from mobes import bootstrap
    from mobes.errors import MobesError
    from mobes.ui.output import print_json

    env = bootstrap.env()
    settings = bootstrap.load_settings()
    catalog = bootstrap.catalog_for(settings)
    store = bootstrap.open_store()
    try:
        now = bootstrap.now(settings)
        choice = next_choice(settings, catalog, store, now)
    finally:
        store.close()
    if choice is None:
        raise MobesError("no desk-friendly movement is available: check 'exclude' and "
                         "'movement_set' in your config, or re-enable retired movements")
    from mobes.services.upcoming import items as describe_items

    items = describe_items(catalog, choice)
    if ns.json:
        print_json({"at": now, "movements": items, "why": choice.why}, env.stdout)
        return 0
    for it in items:
        env.stdout.write(f"{it['name']}: {it['dose']}\n  {it['cue']}\n")
    env.stdout.write(f"  ({choice.why})\n")
    return 0

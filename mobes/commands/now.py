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
        # The pick needs the moment, not the local zone (the rotation and the doses compare
        # times, they cut no days), so the zone is resolved only for --json's local "at":
        # resolving it imports zoneinfo, which imports sysconfig for its TZPATH (~1.5 ms).
        now = bootstrap.clock().now()
        choice = next_choice(settings, catalog, store, now)
        easier: set[str] = set()
        if choice is not None:
            from mobes.services.feedback import easier_now

            easier = easier_now(store, catalog, settings, now, choice.movement_ids)
    finally:
        store.close()
    if choice is None:
        raise MobesError("no desk-friendly movement is available: check 'exclude' and "
                         "'movement_set' in your config, or re-enable retired movements")
    from mobes.services.upcoming import items as describe_items

    items = describe_items(catalog, choice, easier)
    if ns.json:
        print_json({"at": now.astimezone(bootstrap.zone(settings)), "movements": items,
                    "why": choice.why,
                    "break_seconds": settings.microbreaks.duration_seconds}, env.stdout)
        return 0
    for it in items:
        variant = "  (easier variant)" if it["variant"] == "easier" else ""
        env.stdout.write(f"{it['name']}: {it['dose']}{variant}\n  {it['cue']}\n"
                         f"  Caution: {it['caution_short']} {it['pain_rule']}\n")
    env.stdout.write(f"  ({choice.why}; all cautions: 'mobes movements show ID')\n")
    return 0

"""``mobes now``: the microbreak you would get if you took one right now."""

from __future__ import annotations

import sys

QUICK_FLAGS = ("--json",)  # see cli._quick_namespace: `mobes now` starts without argparse


def register(sub, name: str, summary: str) -> None:
    p = sub.add_parser(name, help=summary, description=summary.capitalize() + ".")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    p.set_defaults(func=run)


def next_choice(settings, catalog, store, now, seed: int | None = None):
    """The rotation's pick for a break at ``now``, from the last day of history."""
    import random
    from datetime import timedelta

    from mobes.domain.model import PromptRecord
    from mobes.domain.rotation import choose
    from mobes.feedback import microbreak_doses

    history = [
        PromptRecord(at=p.at, movement_ids=p.movement_ids, outcome=p.outcome, kind=p.kind)
        for p in store.prompts(since=now - timedelta(days=1), kind="microbreak")
    ]
    # Seeded from the time, so `mobes now` and the agent agree within the same minute.
    rng = random.Random(seed if seed is not None else int(now.timestamp() // 60))
    # Adapted microbreak doses; movements resting or retired after pain are left out.
    doses, unavailable = microbreak_doses(store, catalog, settings, now)
    return choose(catalog, history, settings.preferences(), now, rng,
                  unavailable=unavailable, doses=doses)


def run(ns) -> int:
    from mobes import bootstrap
    from mobes.errors import MobesError
    from mobes.output import print_json

    settings = bootstrap.load_settings()
    catalog = bootstrap.catalog_for(settings)
    store = bootstrap.open_store()
    try:
        now = bootstrap.now()
        choice = next_choice(settings, catalog, store, now)
    finally:
        store.close()
    if choice is None:
        raise MobesError("no desk-friendly movement is available: check 'exclude' and "
                         "'movement_set' in your config, or re-enable retired movements")
    items = []
    for mid, amount in zip(choice.movement_ids, choice.amounts):
        m = catalog.get(mid)
        items.append({"id": m.id, "name": m.name, "amount": amount, "unit": m.dose.unit,
                      "dose": m.dose.describe(amount), "cue": m.cue, "regions": list(m.regions)})
    if ns.json:
        print_json({"at": now, "movements": items, "why": choice.why})
        return 0
    for it in items:
        sys.stdout.write(f"{it['name']}: {it['dose']}\n  {it['cue']}\n")
    sys.stdout.write(f"  ({choice.why})\n")
    return 0

"""``mobes why MOVEMENT``: the current doses and every change, with its date and reason."""

from __future__ import annotations


def register(sub, name: str, summary: str) -> None:
    p = sub.add_parser(name, help=summary, description=summary.capitalize() + ".")
    p.add_argument("movement", help="movement id, name or alias")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    p.set_defaults(func=run)


def _amount(state) -> str:
    return f"{state.amount} s" if state.unit == "seconds" else f"{state.amount} reps"


def run(ns) -> int:
    from mobes import bootstrap
    from mobes.commands.movements import find_or_fail
    from mobes.services import feedback as fb
    from mobes.ui.output import print_json

    env = bootstrap.env()
    settings = bootstrap.load_settings()
    catalog = bootstrap.catalog_for(settings)
    m = find_or_fail(catalog, ns.movement)
    store = bootstrap.open_store()
    try:
        now = bootstrap.now(settings)
        changes = store.dose_changes(m.id)
        micro = fb.current_state(store, m, "microbreak", settings, now)
        found = fb.plan_item_for(settings, m.id)
        has_rehab = found is not None or any(c.context == "rehab" for c in changes)
        rehab = fb.current_state(store, m, "rehab", settings, now) if has_rehab else None
        feedback = store.feedback(movement_id=m.id)
    finally:
        store.close()
    if micro.retired:
        status = "retired after pain: re-enable with 'mobes movements enable " + m.id + "'"
    elif micro.resting_until is not None:
        status = "resting after pain until " + micro.resting_until.astimezone(
            now.tzinfo).strftime("%a %d %b %H:%M")
    else:
        status = "available"
    if ns.json:
        print_json({"movement": m.id, "name": m.name, "status": status,
                    "microbreak": micro, "rehab": rehab,
                    "plan": found[0].name if found else None,
                    "changes": changes, "feedback": feedback}, env.stdout)
        return 0
    lines = [f"{m.name} ({m.id}): {status}"]
    fits = f", what fits a {settings.microbreaks.duration_seconds} s break"
    lines.append(f"  Microbreak dose: {_amount(micro)} (usual {micro.target}, bounds "
                 f"{micro.floor}-{micro.max}{fits})"
                 + ("; the easier variant" if micro.easier else ""))
    if rehab is not None:
        plan = f" in plan {found[0].name!r}" if found else ""
        state = "" if rehab.started else " (starts at the first batch)"
        label = f"; {rehab.label()}" if rehab.label() else ""
        if rehab.build_up:
            label += f" toward {rehab.build_up_goal}"
        lines.append(f"  Rehab dose:      {_amount(rehab)} toward the target {rehab.target}"
                     f"{plan}{state}{label}"
                     + ("; the easier variant" if rehab.easier else ""))
        if rehab.amount < rehab.target and rehab.started and not rehab.prescribed:
            lines.append(f"                   {rehab.clean_streak} of "
                         f"{settings.adaptation.clean_streak} clean completions toward the "
                         f"next step")
    if micro.easier or (rehab is not None and rehab.easier):
        lines.append(f"  Easier variant: {m.easier}")
    if not changes:
        lines.append("  No changes yet: the doses are where they start.")
    else:
        lines.append("  Changes:")
        for c in changes:
            when = c.at.astimezone(now.tzinfo).strftime("%Y-%m-%d %H:%M")
            lines.append(f"    {when}  {c.context:<10} {c.kind:<6} {c.reason}")
    lines.append(f"  Caution: {m.caution_short} {m.pain_rule}")
    env.stdout.write("\n".join(lines) + "\n")
    return 0

"""``mobes feedback MOVEMENT ok|too-easy|too-hard|pain``: tell mobes how a movement felt."""

from __future__ import annotations

from mobes.domain.model import FEEDBACK


def register(sub, name: str, summary: str) -> None:
    p = sub.add_parser(
        name, help=summary,
        description="Tell mobes how a movement felt; its dose adapts and every change is "
                    "explained. Pain rests the movement for 48 h; pain twice in 7 days "
                    "retires it until you re-enable it.")
    p.add_argument("movement", help="movement id, name or alias")
    p.add_argument("feedback", choices=FEEDBACK, metavar="FEEDBACK",
                   help=" | ".join(FEEDBACK))
    ctx = p.add_mutually_exclusive_group()
    ctx.add_argument("--rehab", dest="context", action="store_const", const="rehab",
                     help="about the rehab batch dose (default when a plan has it)")
    ctx.add_argument("--microbreak", dest="context", action="store_const",
                     const="microbreak", help="about the microbreak dose")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    p.set_defaults(func=run, context=None)


def run(ns) -> int:
    from mobes import bootstrap
    from mobes.commands.movements import find_or_fail
    from mobes.services import feedback as fb
    from mobes.ui.output import print_json

    env = bootstrap.env()
    settings = bootstrap.load_settings()
    catalog = bootstrap.catalog_for(settings)
    m = find_or_fail(catalog, ns.movement)
    context = ns.context or ("rehab" if fb.plan_item_for(settings, m.id) else "microbreak")
    store = bootstrap.open_store()
    try:
        now = bootstrap.now(settings)
        changes = fb.give_feedback(store, catalog, settings, m.id, context, ns.feedback, now)
        state = fb.current_state(store, m, context, settings, now)
    finally:
        store.close()
    if ns.json:
        print_json({"movement": m.id, "context": context, "feedback": ns.feedback,
                    "changes": changes, "state": state}, env.stdout)
        return 0
    felt = "hurt" if ns.feedback == "pain" else "felt " + ns.feedback.replace("-", " ")
    lines = [f"Noted: {m.name} {felt} ({context})."]
    if ns.feedback == "pain":
        lines.append("Stop this movement now. Pain is a signal to back off; if it comes back "
                     "or persists, talk to your therapist or caregiver.")
    for c in changes:
        lines.append(f"  {c.reason}.")
    if not changes:
        unit = "s" if state.unit == "seconds" else "reps"
        lines.append(f"  Dose stays at {state.amount} {unit}"
                     + (f" ({state.clean_streak} of {settings.adaptation.clean_streak} clean "
                        f"completions toward the next step)" if state.amount < state.target
                        else "") + ".")
    env.stdout.write("\n".join(lines) + "\n")
    return 0

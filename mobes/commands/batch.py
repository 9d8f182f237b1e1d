"""``mobes batch [PLAN]``: the guided rehab batch in the terminal."""

from __future__ import annotations


def register(sub, name: str, summary: str) -> None:
    p = sub.add_parser(
        name, help=summary,
        description="Guide a rehab batch: the cue, a paced rep counter or a hold countdown, "
                    "progress per side and set, rests between sets, and a question after "
                    "each movement. Keys: p pause/resume, x pain (stops the movement), "
                    "q stop. Do it in one sitting: a batch finished later is partial.")
    p.add_argument("plan", nargs="?", help="plan name (optional when you have one plan)")
    p.add_argument("--tempo", type=float, metavar="SECONDS",
                   help="seconds a rep (default: rehab.tempo_seconds, 2)")
    p.add_argument("--rest", type=float, metavar="SECONDS",
                   help="rest between sets (default: rehab.rest_seconds, 30)")
    p.add_argument("--speed", type=float, default=1.0, metavar="FACTOR",
                   help="run the clock FACTOR times faster (reps, holds and rests), to try "
                        "a batch out")
    p.add_argument("--json", action="store_true",
                   help="guide on stderr and print the result as JSON on stdout")
    p.set_defaults(func=run)


def _checkin(term, store, plan, now, settings, config_file: str) -> str | None:
    """Ask the trial question when it is due; returns the answer given. Retiring the plan
    edits ``config_file`` (the user's)."""
    from mobes.config import writer as plans_file
    from mobes.domain.rehab import CHECKIN_QUESTION
    from mobes.services.rehab_course import checkin_due, record_checkin

    if not checkin_due(plan, store, now, settings):
        return None
    k = term.ask("\n" + CHECKIN_QUESTION.format(plan=plan.name) + " y/n > ", "yn")
    if k is None:
        return None
    answer = "yes" if k == "y" else "no"
    reply = record_checkin(store, plan, answer, now)
    if answer == "yes":
        term.line(reply)
        return answer
    term.line("No obvious benefit: it is fine to drop a plan that does not help and try "
              "another.")
    k = term.ask(f"Retire plan '{plan.name}' now? y/n > ", "yn")
    if k == "y":
        if plans_file.retire_plan(config_file, plan.name):
            term.line(f"Plan '{plan.name}' retired.")
        else:
            term.line(f"Plan '{plan.name}' is not in your file; retire it where it is "
                      f"defined ({plan.origin} config).")
    else:
        term.line("Keeping it; mobes will ask again in 7 days.")
    return answer


def run(ns) -> int:
    from mobes import bootstrap
    from mobes.errors import UsageError
    from mobes.services.rehab_session import BatchSession, find_plan
    from mobes.ui.batch import GuidedBatch
    from mobes.ui.output import print_json

    env = bootstrap.env()
    if ns.speed <= 0:
        raise UsageError(f"--speed: expected a positive number, got {ns.speed}")
    if ns.tempo is not None and ns.tempo < 0:
        raise UsageError(f"--tempo: expected seconds >= 0, got {ns.tempo}")
    settings = bootstrap.load_settings()
    catalog = bootstrap.catalog_for(settings)
    plan = find_plan(settings, ns.plan)
    tempo = settings.rehab.tempo_seconds if ns.tempo is None else ns.tempo
    rest = settings.rehab.rest_seconds if ns.rest is None else ns.rest
    out = env.stderr if ns.json else env.stdout
    store = bootstrap.open_store()
    session = None
    try:
        with env.terminal(out) as term:
            session = BatchSession.start(plan, catalog, store, settings, bootstrap.now(settings))
            ui = GuidedBatch(session, term, lambda: bootstrap.now(settings), tempo / ns.speed, rest,
                             second=1.0 / ns.speed)
            try:
                result = ui.run()
            except KeyboardInterrupt:
                row = session.abandon(bootstrap.now(settings))
                term.line(f"\nBatch stopped: {row.status}. {session.why}")
                raise
            answer = (_checkin(term, store, plan, bootstrap.now(settings), settings,
                               env.paths.user_config_file())
                      if result == "finished" else None)
        if ns.json:
            print_json({
                "plan": plan.name, "result": result, "status": session.status,
                "why": session.why, "sitting": session.sitting, "batch": session.row,
                "steps": [dict(s.as_dict(), done=session.done.get(s.index), total=s.total,
                               caution_short=catalog.get(s.movement_id).caution_short)
                          for s in session.steps],
                "stopped": session.stopped, "feedback": session.feedback_given,
                "changes": session.changes, "checkin": answer, "notes": session.notes,
            }, env.stdout)
    finally:
        store.close()
    return 0

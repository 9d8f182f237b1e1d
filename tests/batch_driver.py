"""Run real ``mobes`` commands in this process with known plans and one shared in-memory
history, then dump what was recorded as JSON. The pty tests start this as the child process:

    python tests/batch_driver.py DUMP.json batch back --tempo 0.02 -- batch back ...

Each ``--``-separated command goes through ``mobes.cli.main`` (the real parser, command and
terminal UI); only the settings (plans) and the store are supplied here, so the test does
not depend on how config files are layered or where history is kept.
"""

import json
import os
import sys
from datetime import date, timezone

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from fakes import MemoryStore  # noqa: E402

from mobes import bootstrap, cli  # noqa: E402
from mobes.adapters import paths  # noqa: E402
from mobes.config import writer as plans_file  # noqa: E402
from mobes.domain.settings import Plan, PlanItem, Rehab, Settings  # noqa: E402
from mobes.services.rehab_session import checkins  # noqa: E402

PLANS = (
    # two mobilizations, 2 sets, each side: 25 reps a set to start (targets 50)
    Plan(name="back", items=(PlanItem("spinal-twist", reps=50),
                             PlanItem("neck-circles", reps=50)),
         sets=2, per_side=True, trial_days=3),
    # one mobilization, one set: the shortest batch (trial of 1 day: check-in right after)
    Plan(name="quick", items=(PlanItem("spinal-twist", reps=50),), trial_days=1),
    # holds: 15 s x 2 to start (target 30 s x 2)
    Plan(name="hips", items=(PlanItem("table-hip-external-rotation", hold_seconds=30,
                                      holds=2),), sets=1),
    # a caregiver plan: the instructions speak to the helper
    Plan(name="care", items=(PlanItem("assisted-hip-knee-flexion", reps=10),), caregiver=True),
)


class KeptStore(MemoryStore):
    def close(self) -> None:  # shared by every command of the run
        pass


def main() -> int:
    dump = sys.argv[1]
    commands, cur = [], []
    for a in sys.argv[2:]:
        if a == "--":
            commands.append(cur)
            cur = []
        else:
            cur.append(a)
    commands.append(cur)
    settings = Settings(rehab=Rehab(plans=PLANS))
    store = KeptStore()
    bootstrap.load_settings = lambda cli_overrides=None: settings
    bootstrap.open_store = lambda: store
    path = paths.user_config_file()
    for plan in PLANS:  # so 'retire' has a file to edit
        plans_file.add_plan(path, plan.replace(start_date=date(2026, 3, 2)))
    codes = []
    try:
        for argv in commands:
            codes.append(cli.main(argv))
    finally:
        rows = {
            "codes": codes,
            "batches": [b.as_dict() for b in store.batches()],
            "items": [i.as_dict() for b in store.batches() for i in store.batch_items(b.id)],
            "feedback": [f.as_dict() for f in store.feedback()],
            "changes": [c.as_dict() for c in store.dose_changes()],
            "checkins": [c.as_dict() for c in checkins(store, None, timezone.utc)],
        }
        with open(dump, "w", encoding="utf-8") as f:
            json.dump(rows, f, default=str, indent=1)
    return codes[-1] if codes else 0


if __name__ == "__main__":
    sys.exit(main())

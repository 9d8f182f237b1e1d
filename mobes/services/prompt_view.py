"""What the tray, the console and the status file show for the prompt on screen.

Pure functions over the agent's state: a microbreak prompt's title, body, cautions and
the answers it takes, or the current step of a tray-guided rehab batch.
"""

from __future__ import annotations

from mobes.domain.record import Record
from mobes.ui import texts

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from mobes.domain.catalog import Catalog

MICROBREAK_ACTIONS = texts.MICROBREAK_ACTIONS


class PromptView(Record):
    """What the tray or console shows for the prompt on screen.

    ``actions`` are (key, label) pairs to pass to ``App.respond``; ``kind`` is microbreak
    or rehab-batch. ``caution`` is the movements' short caution and the stop-on-pain rule
    (also at the end of ``body``); ``cautions`` the full ones, for a "more" key or click."""

    __slots__ = ("title", "body", "movement_ids", "kind", "actions", "snoozes_left",
                 "prompt_id", "caution", "cautions")
    _defaults = {"kind": "microbreak", "actions": MICROBREAK_ACTIONS, "snoozes_left": 0,
                 "prompt_id": None, "caution": "", "cautions": ()}
    title: str
    body: str
    movement_ids: tuple[str, ...]
    kind: str
    actions: tuple[tuple[str, str], ...]
    snoozes_left: int
    prompt_id: int | None
    caution: str
    cautions: tuple[str, ...]


def guide_view(guide: Any, catalog: Catalog) -> PromptView | None:
    """The step on screen of a tray-guided rehab batch; None once it has finished."""
    v = guide.view()
    if v.finished:
        return None
    step = guide.session.current()
    m = catalog.get(step.movement_id) if step and step.movement_id in catalog else None
    return PromptView(title=v.title, body=v.message,
                      movement_ids=(step.movement_id,) if step else (),
                      kind="rehab-batch", actions=tuple(v.actions),
                      caution=v.caution, cautions=m.cautions if m else ())


def microbreak_view(cur: Any, catalog: Catalog, easier_ids: set[str] | frozenset[str],
                    snoozes_left: int) -> PromptView | None:
    """A microbreak prompt (``cur``: the policy's current prompt) as shown: each movement
    with its dose and cue (the easier cue where it was made easier), its short caution and
    the stop-on-pain rule; Snooze only while snoozes are left."""
    if cur is None or not cur.movement_ids:
        return None
    names, lines, cautions, full = [], [], [], []
    for mid, amount in zip(cur.movement_ids, cur.amounts):
        if mid not in catalog:
            continue
        m = catalog.get(mid)
        easier = mid in easier_ids
        names.append(m.name + (" (easier)" if easier else ""))
        cue = m.cue_for(easier)
        lines.append(f"{m.dose.describe(amount)}: {cue}" if len(cur.movement_ids) == 1
                     else f"{m.name}, {m.dose.describe(amount)}: {cue}")
        cautions.append(m.caution_short)
        full.extend(m.cautions)
    if not names:
        return None
    caution = " ".join(cautions + [texts.PAIN_LINE])
    actions = MICROBREAK_ACTIONS if snoozes_left else tuple(
        a for a in MICROBREAK_ACTIONS if a[0] != "snooze")
    return PromptView(title=texts.MICROBREAK_TITLE + " + ".join(names),
                      body="\n".join(lines + [texts.CAUTION_PREFIX + caution]),
                      movement_ids=cur.movement_ids, kind="microbreak", actions=actions,
                      snoozes_left=snoozes_left, prompt_id=cur.prompt_id,
                      caution=caution, cautions=tuple(full))

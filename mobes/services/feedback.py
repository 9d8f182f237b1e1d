"""Feedback and doses over a HistoryStore: record how a movement felt, adapt its dose, and
answer "what dose now, and is it available?" for the rotation and the batches.

The rules are pure (``mobes.domain.dosing``); this module reads the rows they need, writes
the FeedbackRow and the DoseChanges they return, and hands the changes back so the caller
can explain them.
"""

from __future__ import annotations

from mobes.domain import dosing
from mobes.domain.history import FeedbackRow

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import datetime

    from mobes.domain.catalog import Catalog
    from mobes.domain.history import DoseChange
    from mobes.domain.model import Movement
    from mobes.domain.settings import Plan, PlanItem, Settings
    from mobes.services.ports import HistoryStore


def transaction(store: HistoryStore):
    """``with transaction(store):`` groups writes into one transaction (all or nothing)."""
    return store.bulk()


def plan_item_for(settings: Settings, movement_id: str) -> tuple[Plan, PlanItem] | None:
    """The first active (not retired) plan that has the movement, with its item."""
    for plan in settings.rehab.plans:
        if plan.retired:
            continue
        for item in plan.items:
            if item.movement == movement_id:
                return plan, item
    return None


def item_target(item: PlanItem) -> int:
    """The plan's target for one item: reps per set, or seconds per hold."""
    return item.reps if item.reps is not None else (item.hold_seconds or 0)


def rehab_target(settings: Settings, movement_id: str) -> int | None:
    found = plan_item_for(settings, movement_id)
    return item_target(found[1]) if found else None


def current_state(store: HistoryStore, movement: Movement, context: str, settings: Settings,
                  now: datetime, target: int | None = None) -> dosing.DoseState:
    """The movement's dose state in ``context`` from the recorded history."""
    if context == "rehab" and target is None:
        target = rehab_target(settings, movement.id)
    return dosing.state_for(movement, context, store.dose_changes(movement.id), now,
                            settings.adaptation, target,
                            feedback=store.feedback(movement_id=movement.id))


def ensure_started(store: HistoryStore, movement: Movement, context: str, settings: Settings,
                   now: datetime, target: int | None = None, plan: str = ""
                   ) -> DoseChange | None:
    """Record the start of a dose in ``context`` if it has none yet (returns the change)."""
    changes = store.dose_changes(movement.id, context)
    if any(c.kind in ("start", "adapt") for c in changes):
        return None
    if context == "rehab" and target is None:
        target = rehab_target(settings, movement.id)
    change = dosing.start_change(movement, context, now, settings.adaptation, target, plan)
    store.add_dose_change(change)
    return change


def give_feedback(store: HistoryStore, catalog: Catalog, settings: Settings,
                  movement_id: str, context: str, feedback: str, now: datetime,
                  source: str = "cli", target: int | None = None) -> list[DoseChange]:
    """Record how ``movement_id`` felt in ``context`` and the dose changes that follow.

    Returns the changes (a rehab dose that had not started yet gets its start change first,
    included in the result; a microbreak dose needs none). ``target`` overrides the plan's
    target for rehab.
    """
    if context not in ("microbreak", "rehab"):
        raise ValueError(f"unknown context {context!r}")
    m = catalog.get(movement_id)
    if context == "rehab" and target is None:
        target = rehab_target(settings, movement_id)
    with transaction(store):
        return _give_feedback(store, m, settings, context, feedback, now, source, target)


def _give_feedback(store: HistoryStore, m: Movement, settings: Settings, context: str,
                   feedback: str, now: datetime, source: str, target: int | None
                   ) -> list[DoseChange]:
    movement_id = m.id
    out: list[DoseChange] = []
    if context == "rehab":  # a microbreak dose simply starts at the catalog amount
        found = plan_item_for(settings, movement_id)
        started = ensure_started(store, m, context, settings, now, target,
                                 found[0].name if found else "")
        if started is not None:
            out.append(started)
    history = store.feedback(movement_id=movement_id)
    state = dosing.state_for(m, context, store.dose_changes(movement_id), now,
                             settings.adaptation, target, feedback=history)
    changes = dosing.adapt(m, context, state, feedback, history, settings.adaptation, now,
                           target)
    store.add_feedback(FeedbackRow(at=now, movement_id=movement_id, context=context,
                                   feedback=feedback, source=source))
    for c in changes:
        store.add_dose_change(c)
    return out + changes


def microbreak_doses(store: HistoryStore, catalog: Catalog, settings: Settings,
                     now: datetime) -> tuple[dict[str, int], set[str]]:
    """Current microbreak amount of every catalog movement, and the ids resting or retired
    (in any context) at ``now``: what the rotation needs."""
    changes = store.dose_changes()
    by_id: dict[str, list[DoseChange]] = {}
    for c in changes:
        by_id.setdefault(c.movement_id, []).append(c)
    doses: dict[str, int] = {}
    for m in catalog:
        mine = by_id.get(m.id)
        if mine:
            doses[m.id] = dosing.state_for(m, "microbreak", mine, now, settings.adaptation).amount
        else:
            doses[m.id] = dosing.start_amount(m, "microbreak", settings.adaptation)
    return doses, dosing.unavailable(changes, now)


def unavailable(store: HistoryStore, now: datetime) -> set[str]:
    return dosing.unavailable(store.dose_changes(), now)


def enable(store: HistoryStore, movement_id: str, now: datetime) -> DoseChange | None:
    """Bring a retired (or resting) movement back; None when it was neither."""
    change = dosing.enable_change(movement_id, store.dose_changes(movement_id), now)
    if change is not None:
        store.add_dose_change(change)
    return change


def explain(changes: list[DoseChange], catalog: Catalog) -> list[str]:
    """One plain line per change, for printing when it happens."""
    lines = []
    for c in changes:
        name = catalog.get(c.movement_id).name if c.movement_id in catalog else c.movement_id
        lines.append(f"{name} ({c.context}): {c.reason}")
    return lines

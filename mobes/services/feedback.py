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
    from collections.abc import Iterable
    from datetime import datetime
    from typing import Any

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


def dose_params(settings: Settings, movement: Movement, context: str,
                target: int | None = None, plan: Plan | None = None) -> dict[str, Any]:
    """What the pure dose functions need besides the history: the rehab target (the plan's
    unless given) and whether the plan is prescribed, or the break length of a microbreak.
    ``plan`` is the plan in hand (default: the first active plan with the movement).
    """
    if context == "rehab":
        found = plan_item_for(settings, movement.id)
        if plan is not None:
            item = next((i for i in plan.items if i.movement == movement.id), None)
            found = (plan, item) if item is not None else None
        if target is None and found is not None:
            target = item_target(found[1])
        return {"target": target, "prescribed": bool(found and found[0].prescribed)}
    return {"target": None, "break_seconds": settings.microbreaks.duration_seconds}


def _caregiver(settings: Settings, movement: Movement, plan: Plan | None = None) -> bool:
    from mobes.domain.rehab import is_caregiver_plan

    if plan is None:
        found = plan_item_for(settings, movement.id)
        plan = found[0] if found else None
    return plan is not None and is_caregiver_plan(plan, [movement])


def current_state(store: HistoryStore, movement: Movement, context: str, settings: Settings,
                  now: datetime, target: int | None = None, plan: Plan | None = None
                  ) -> dosing.DoseState:
    """The movement's dose state in ``context`` from the recorded history."""
    p = dose_params(settings, movement, context, target, plan)
    return dosing.state_for(movement, context, store.dose_changes(movement.id), now,
                            settings.adaptation, p.pop("target"),
                            feedback=store.feedback(movement_id=movement.id), **p)


def ensure_started(store: HistoryStore, movement: Movement, context: str, settings: Settings,
                   now: datetime, target: int | None = None, plan: str = "",
                   in_plan: Plan | None = None) -> DoseChange | None:
    """Record the start of a dose in ``context`` if it has none yet (returns the change).
    ``plan`` names the plan in the reason; ``in_plan`` is the plan itself, when known."""
    changes = store.dose_changes(movement.id, context)
    if any(c.kind in ("start", "adapt") for c in changes):
        return None
    p = dose_params(settings, movement, context, target, in_plan)
    change = dosing.start_change(movement, context, now, settings.adaptation, p.pop("target"),
                                 plan, **p)
    store.add_dose_change(change)
    return change


def give_feedback(store: HistoryStore, catalog: Catalog, settings: Settings,
                  movement_id: str, context: str, feedback: str, now: datetime,
                  source: str = "cli", target: int | None = None, plan: Plan | None = None
                  ) -> list[DoseChange]:
    """Record how ``movement_id`` felt in ``context`` and the dose changes that follow.

    Returns the changes (a rehab dose that had not started yet gets its start change first,
    included in the result; a microbreak dose needs none). ``target`` overrides the plan's
    target for rehab; ``plan`` is the plan in hand (a batch's).
    """
    if context not in ("microbreak", "rehab"):
        raise ValueError(f"unknown context {context!r}")
    m = catalog.get(movement_id)
    with transaction(store):
        return _give_feedback(store, m, settings, context, feedback, now, source, target, plan)


def _give_feedback(store: HistoryStore, m: Movement, settings: Settings, context: str,
                   feedback: str, now: datetime, source: str, target: int | None,
                   plan: Plan | None = None) -> list[DoseChange]:
    movement_id = m.id
    out: list[DoseChange] = []
    p = dose_params(settings, m, context, target, plan)
    target = p.pop("target")
    if context == "rehab":  # a microbreak dose simply starts at the catalog amount
        found = (plan, None) if plan is not None else plan_item_for(settings, movement_id)
        started = ensure_started(store, m, context, settings, now, target,
                                 found[0].name if found else "", plan)
        if started is not None:
            out.append(started)
    history = store.feedback(movement_id=movement_id)
    state = dosing.state_for(m, context, store.dose_changes(movement_id), now,
                             settings.adaptation, target, feedback=history, **p)
    changes = dosing.adapt(m, context, state, feedback, history, settings.adaptation, now,
                           target, caregiver=_caregiver(settings, m, plan)
                           if context == "rehab" else False,
                           break_seconds=p.get("break_seconds"))
    store.add_feedback(FeedbackRow(at=now, movement_id=movement_id, context=context,
                                   feedback=feedback, source=source))
    for c in changes:
        store.add_dose_change(c)
    return out + changes


def microbreak_states(store: HistoryStore, catalog: Catalog, settings: Settings,
                      now: datetime) -> dict[str, dosing.DoseState]:
    """Every catalog movement's microbreak dose state at ``now`` (amount cut to fit the
    break, and whether its easier variant is on)."""
    changes = store.dose_changes()
    by_id: dict[str, list[DoseChange]] = {}
    for c in changes:
        by_id.setdefault(c.movement_id, []).append(c)
    secs = settings.microbreaks.duration_seconds
    return {m.id: dosing.state_for(m, "microbreak", by_id.get(m.id, ()), now,
                                   settings.adaptation, break_seconds=secs)
            for m in catalog}


def microbreak_doses(store: HistoryStore, catalog: Catalog, settings: Settings,
                     now: datetime) -> tuple[dict[str, int], set[str]]:
    """Current microbreak amount of every catalog movement, and the ids resting or retired
    (in any context) at ``now``: what the rotation needs."""
    states = microbreak_states(store, catalog, settings, now)
    return ({mid: s.amount for mid, s in states.items()},
            dosing.unavailable(store.dose_changes(), now))


def easier_now(store: HistoryStore, catalog: Catalog, settings: Settings, now: datetime,
               movement_ids: Iterable[str]) -> set[str]:
    """Which of ``movement_ids`` are done as their easier variant in microbreaks now."""
    states = microbreak_states(store, catalog, settings, now)
    return {mid for mid in movement_ids if mid in states and states[mid].easier}


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

"""The prompts ahead: the schedule policy plus the rotation, for ``mobes next``,
``mobes preview`` and the agent's status file (which ``mobes next`` reads when an agent
runs, so it shows exactly what the agent will do)."""

from __future__ import annotations

from mobes.domain import policy

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime
    from typing import Any

    from mobes.domain.catalog import Catalog
    from mobes.domain.model import Choice, Movement, PromptRecord
    from mobes.domain.settings import Settings
    from mobes.services.ports import HistoryStore


def history(store: HistoryStore, now: datetime) -> list[PromptRecord]:
    """The last day of microbreak prompts, as the rotation sees them."""
    from datetime import timedelta

    from mobes.domain.model import PromptRecord

    return [PromptRecord(at=p.at, movement_ids=p.movement_ids, outcome=p.outcome, kind=p.kind)
            for p in store.prompts(since=now - timedelta(days=1), kind="microbreak")]


def choose_at(settings: Settings, catalog: Catalog, when: datetime,
              past: Iterable[PromptRecord], doses: dict[str, int],
              unavailable: Iterable[str], seed: int | None = None) -> Choice | None:
    """The rotation's pick for a break at ``when``, seeded by its minute (the agent, ``mobes
    now`` and ``mobes next`` agree); ``seed`` replaces that seed (tests)."""
    import random

    from mobes.domain.rotation import choose

    rng = random.Random(seed if seed is not None else int(when.timestamp() // 60))
    return choose(catalog, past, settings.preferences(), when, rng,
                  unavailable=unavailable, doses=doses,
                  break_seconds=settings.microbreaks.duration_seconds)


def pick(settings: Settings, catalog: Catalog, store: HistoryStore, now: datetime,
         seed: int | None = None) -> Choice | None:
    """The microbreak to offer at ``now``: the last day of history, the adapted doses, and
    no movement that is resting or retired after pain. The agent and ``mobes now`` both
    ask this, so they offer the same movement within the same minute."""
    from mobes.services.feedback import microbreak_doses

    doses, unavailable = microbreak_doses(store, catalog, settings, now)
    return choose_at(settings, catalog, now, history(store, now), doses, unavailable, seed)


def item(m: Movement, amount: int, easier: bool = False, label: str = "") -> dict[str, Any]:
    """One movement as every face shows it (prompt, batch step, window, ``--json``): the
    dose in words, the cue of the variant in force, the short caution and the pain rule
    (the full cautions one key or click away), and a label such as "as prescribed"."""
    d = m.dose
    return {"id": m.id, "name": m.name, "amount": amount, "unit": d.unit,
            "dose": d.describe(amount), "count": d.done_count(amount, d.sides),
            "each_direction": d.directions == 2, "per_side": d.per_side,
            "variant": "easier" if easier else "full", "cue": m.cue_for(easier),
            "caution_short": m.caution_short, "pain_rule": m.pain_rule,
            "cautions": list(m.cautions), "label": label, "regions": list(m.regions)}


def items(catalog: Catalog, choice: Choice | None,
          easier: Iterable[str] = ()) -> list[dict[str, Any]]:
    """The chosen movements (``item``); ``easier``: ids done as their easier variant."""
    if choice is None:
        return []
    on = set(easier)
    return [item(catalog.get(mid), amount, mid in on)
            for mid, amount in zip(choice.movement_ids, choice.amounts)]


def doses_now(store: HistoryStore, catalog: Catalog, settings: Settings, now: datetime
              ) -> tuple[dict[str, int], set[str], set[str]]:
    """(microbreak amount by id, ids resting or retired, ids on their easier variant)."""
    from mobes.domain.dosing import unavailable
    from mobes.services.feedback import microbreak_states

    states = microbreak_states(store, catalog, settings, now)
    return ({mid: st.amount for mid, st in states.items()},
            unavailable(store.dose_changes(), now),
            {mid for mid, st in states.items() if st.easier})


def _entry(due: policy.Due, catalog: Catalog, choice: Choice | None,
           easier: Iterable[str] = ()) -> dict[str, Any]:
    when = due.when
    return {"when": when.isoformat(), "epoch": when.timestamp(),
            "time": when.strftime("%H:%M"), "day": when.strftime("%a %d %b"),
            "what": due.what, "why": due.why, "movements": items(catalog, choice, easier),
            "rotation": choice.why if choice is not None else ""}


def next_info(settings: Settings, catalog: Catalog, store: HistoryStore,
              state: policy.AgentState, now: datetime) -> dict[str, Any]:
    """The next prompt (time, movements with doses, why) and the status line."""
    due = policy.next_due(settings, state, now)
    info: dict[str, Any] = {
        "status": policy.describe(settings, state, now),
        "paused_until": state.paused_until.astimezone(now.tzinfo).isoformat()
        if state.is_paused(now) else None,
        "next": None, "reason": due.why}
    if due.when is None:
        return info
    cur = state.current_prompt
    doses, unavailable, easier = doses_now(store, catalog, settings, now)
    if due.what == "snoozed microbreak" and cur is not None and cur.movement_ids:
        from mobes.domain.model import Choice

        choice: Choice | None = Choice(movement_ids=cur.movement_ids, amounts=cur.amounts,
                                       why="the snoozed prompt")
    else:
        choice = choose_at(settings, catalog, due.when, history(store, now), doses,
                           unavailable)
    info["next"] = _entry(due, catalog, choice, easier)
    return info


def preview(settings: Settings, catalog: Catalog, store: HistoryStore,
            state: policy.AgentState, now: datetime, until: datetime) -> list[dict[str, Any]]:
    """Every prompt from ``now`` to ``until``, assuming each break is done when it appears
    (so the rotation moves on) and doses stay as they are now."""
    from mobes.domain.model import PromptRecord

    doses, unavailable, easier = doses_now(store, catalog, settings, now)
    past = history(store, now)
    out = []
    for due in policy.upcoming(settings, state, now, until):
        choice = choose_at(settings, catalog, due.when, past, doses, unavailable)
        out.append(_entry(due, catalog, choice, easier))
        if choice is not None:
            past.append(PromptRecord(at=due.when, movement_ids=choice.movement_ids,
                                     outcome="done"))
    return out

"""Choose the next microbreak's movement(s): a pure function of catalog, history and time.

Rules, in order:
- only desk-friendly movements (standing or seated, no helper, chair/wall/doorway at most,
  no mat, travelling room or empty stomach needed) whose smallest dose fits the break;
- never an excluded, resting or retired movement; only the active movement set, if any;
- no movement from the last ``no_repeat_within`` prompts (relaxed, when nothing else is
  left, to "not the previous prompt" so a movement never appears twice in a row);
- the body region left unworked longest comes first; focus regions or conditions weigh more;
- ties are broken by the caller's ``rng``, so the same inputs give the same answer.
"""

from __future__ import annotations

from mobes.domain.model import Choice, Movement, Preferences, PromptRecord

TYPE_CHECKING = False
if TYPE_CHECKING:
    import random
    from collections.abc import Iterable, Mapping
    from datetime import datetime

NEVER = 10**9  # seconds: "never worked" sorts before any real age
# Outcomes under which the prompted movement counts as having worked its regions.
WORKED = (None, "done", "partial")


def _last_worked(history: list[PromptRecord], by_id: Mapping[str, Movement]) -> dict[str, datetime]:
    last: dict[str, datetime] = {}
    for rec in history:
        if rec.outcome not in WORKED:
            continue
        for mid in rec.movement_ids:
            m = by_id.get(mid)
            if m is None:
                continue
            for r in m.regions:
                if r not in last or rec.at > last[r]:
                    last[r] = rec.at
    return last


def _is_focus(m: Movement, focus: tuple[str, ...]) -> bool:
    return any(f in m.regions or f in m.good_for for f in focus)


def _fmt_age(seconds: float) -> str:
    if seconds >= NEVER:
        return "not worked yet"
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"last worked {minutes} min ago"
    return f"last worked {minutes // 60} h {minutes % 60:02d} min ago"


def candidates(movements: Iterable[Movement], prefs: Preferences,
               unavailable: Iterable[str] = (), break_seconds: float | None = None
               ) -> list[Movement]:
    """Movements the rotation may offer at all (before the no-repeat rule): with
    ``break_seconds``, only those that fit a break of that length at their tempo."""
    from mobes.domain.dosing import fits_break

    blocked = set(prefs.excluded) | set(unavailable)
    only = set(prefs.only)
    return [
        m for m in movements
        if m.desk_friendly and m.id not in blocked and (not only or m.id in only)
        and (break_seconds is None or fits_break(m, break_seconds))
    ]


def choose(
    movements: Iterable[Movement],
    history: Iterable[PromptRecord],
    prefs: Preferences,
    now: datetime,
    rng: random.Random,
    *,
    unavailable: Iterable[str] = (),
    doses: Mapping[str, int] | None = None,
    break_seconds: float | None = None,
) -> Choice | None:
    """Pick the next microbreak. ``history`` holds past microbreak prompts (any order).

    ``unavailable`` lists resting or retired movement ids; ``doses`` maps a movement id to
    its current microbreak amount (default: the catalog's, cut to fit ``break_seconds``).
    Returns None when no movement can be offered at all.
    """
    movements = list(movements)
    by_id = {m.id: m for m in movements}
    past = sorted((h for h in history if h.kind == "microbreak"), key=lambda h: h.at)
    pool = candidates(movements, prefs, unavailable, break_seconds)
    if not pool:
        return None
    recent: set[str] = set()
    for rec in past[-prefs.no_repeat_within:] if prefs.no_repeat_within > 0 else []:
        recent.update(rec.movement_ids)
    fresh = [m for m in pool if m.id not in recent]
    if not fresh:
        previous = set(past[-1].movement_ids) if past else set()
        fresh = [m for m in pool if m.id not in previous] or pool
    last = _last_worked(past, by_id)
    offered: dict[str, datetime] = {}  # when each movement was last offered
    for rec in past:
        for mid in rec.movement_ids:
            offered[mid] = rec.at
    picked: list[Movement] = []
    reasons: list[str] = []
    for _ in range(max(1, prefs.movements_per_break)):
        options = [m for m in fresh if m not in picked]
        if not options:
            break
        scored = []
        for m in options:
            ages = [
                (now - last[r]).total_seconds() if r in last else NEVER for r in m.regions
            ]
            weight = prefs.focus_weight if _is_focus(m, prefs.focus) else 1.0
            stalest = max(ages)
            # Among movements for the same stale region, the one offered longest ago wins,
            # so the day rotates through the whole catalog rather than a few favourites.
            unused = (now - offered[m.id]).total_seconds() if m.id in offered else NEVER
            mean = sum(ages) / len(ages)
            # rng.random() is drawn for every option so the draw sequence is stable.
            scored.append(((stalest * weight, unused, mean * weight, rng.random()), m, ages))
        scored.sort(key=lambda s: s[0], reverse=True)
        _, best, ages = scored[0]
        picked.append(best)
        region = best.regions[ages.index(max(ages))]
        note = f"{region}: {_fmt_age(max(ages))}"
        if _is_focus(best, prefs.focus):
            note += " (focus)"
        reasons.append(note)
        for r in best.regions:  # what this break works counts as worked for the next pick
            last[r] = now
    doses = doses or {}

    def dose(m: Movement) -> int:
        if m.id in doses:
            return doses[m.id]
        if break_seconds is None:
            return m.dose.amount
        return max(1, min(m.dose.amount, m.dose.fitting(break_seconds)))

    return Choice(
        movement_ids=tuple(m.id for m in picked),
        amounts=tuple(dose(m) for m in picked),
        why="; ".join(reasons),
    )

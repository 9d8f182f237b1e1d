"""Every history row as one time-ordered stream of events (for ``mobes log`` and reports).

Pure: plain dicts from rows. Each event has ``type`` (one of ``TYPES``) and ``at`` (aware
datetime) plus the row's own fields; ``COLUMNS`` is the union, in a stable order, for CSV.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from mobes.domain.history import (
        BatchItemRow,
        BatchRow,
        DoseChange,
        FeedbackRow,
        OutcomeRow,
        PromptRow,
        SuppressedRow,
    )

TYPES: tuple[str, ...] = ("prompt", "outcome", "suppressed", "batch-start", "batch-item",
                          "batch-end", "feedback", "dose-change")
COLUMNS: tuple[str, ...] = (
    "type", "at", "prompt_id", "batch_id", "kind", "plan", "day", "sitting",
    "movement_id", "movement_ids", "amounts", "set_no", "side", "target", "done",
    "reps_done", "outcome", "status", "started", "ended", "feedback", "context", "source",
    "old", "new", "until", "reason", "detail", "why", "how",
)
# Order of events that share a time: a batch starts before its sets, ends after them.
_RANK = {t: n for n, t in enumerate(("batch-start", "prompt", "suppressed", "outcome",
                                     "batch-item", "feedback", "dose-change", "batch-end"))}


def events(prompts: Sequence[PromptRow] = (), outcomes: Sequence[OutcomeRow] = (),
           suppressed: Sequence[SuppressedRow] = (), batches: Sequence[BatchRow] = (),
           items: Sequence[BatchItemRow] = (), feedback: Sequence[FeedbackRow] = (),
           doses: Sequence[DoseChange] = (), since: datetime | None = None) -> list[dict]:
    """All rows as events in time order; only those at or after ``since`` when given."""
    out: list[tuple[datetime, int, int, dict]] = []

    def add(ev: dict) -> None:
        if since is None or ev["at"] >= since:
            out.append((ev["at"], _RANK[ev["type"]], len(out), ev))

    for p in prompts:
        d = p.as_dict()
        add({"type": "prompt", "prompt_id": d.pop("id"), **d})
    for o in outcomes:
        add({"type": "outcome", **o.as_dict()})
    for s in suppressed:
        add({"type": "suppressed", **s.as_dict()})
    started = {}
    for b in batches:
        started[b.id] = b.started
        d = b.as_dict()
        add({"type": "batch-start", "at": b.started, "batch_id": d.pop("id"), **d})
        if b.ended is not None:
            add({"type": "batch-end", "at": b.ended, "batch_id": b.id, "kind": b.kind,
                 "plan": b.plan, "status": b.status, "started": b.started})
    for it in items:
        at = it.at if it.at is not None else started.get(it.batch_id)
        if at is None:  # a set whose batch is outside the rows given
            continue
        add({"type": "batch-item", **it.as_dict(), "at": at})
    for f in feedback:
        add({"type": "feedback", **f.as_dict()})
    for dc in doses:
        add({"type": "dose-change", **dc.as_dict()})
    out.sort(key=lambda e: e[:3])
    return [e[3] for e in out]


def flat(event: dict) -> dict[str, str]:
    """One event as text cells for CSV: times ISO, lists joined by spaces, None empty."""
    row = {}
    for k in COLUMNS:
        v = event.get(k)
        if v is None:
            row[k] = ""
        elif isinstance(v, (list, tuple)):
            row[k] = " ".join(str(x) for x in v)
        elif hasattr(v, "isoformat"):
            row[k] = v.isoformat()
        else:
            row[k] = str(v)
    return row

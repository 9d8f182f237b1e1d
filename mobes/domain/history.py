"""History rows: everything mobes records is one of the records below.

The stores (``mobes.services.ports.HistoryStore``) keep them; times are timezone-aware
datetimes, kept as UTC and returned aware.
"""

from __future__ import annotations

from mobes.domain.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import date, datetime


class PromptRow(Record):
    """A prompt that fired. ``kind``: microbreak | rehab-reminder. ``outcome``: the latest
    outcome recorded for it (done, skipped, snoozed, away, missed, partial) or None."""

    __slots__ = ("id", "at", "kind", "movement_ids", "amounts", "why", "outcome")
    _defaults = {"why": "", "outcome": None, "id": None}
    id: int | None
    at: datetime
    kind: str
    movement_ids: tuple[str, ...]
    amounts: tuple[int, ...]
    why: str
    outcome: str | None


class OutcomeRow(Record):
    """What the user did with a prompt; ``feedback`` per movement when given."""

    __slots__ = ("prompt_id", "at", "outcome", "movement_id", "feedback", "reps_done")
    _defaults = {"movement_id": None, "feedback": None, "reps_done": None}
    prompt_id: int
    at: datetime
    outcome: str
    movement_id: str | None
    feedback: str | None
    reps_done: int | None


class SuppressedRow(Record):
    """A prompt that was due but not shown, and why (outside-hours, paused, idle, ...)."""

    __slots__ = ("at", "reason", "detail")
    _defaults = {"detail": ""}
    at: datetime
    reason: str
    detail: str


class BatchRow(Record):
    """A batch: kind maintenance (a microbreak) or rehab. status: in-progress | complete |
    partial | missed. ``sitting`` counts sittings of the same plan on the same ``day``."""

    __slots__ = ("id", "kind", "plan", "day", "started", "ended", "status", "sitting",
                 "movement_ids")
    _defaults = {"id": None, "ended": None, "status": "in-progress", "sitting": 1,
                 "movement_ids": ()}
    id: int | None
    kind: str
    plan: str
    day: date
    started: datetime
    ended: datetime | None
    status: str
    sitting: int
    movement_ids: tuple[str, ...]


class BatchItemRow(Record):
    """One set of one movement (one side) inside a batch. ``target`` and ``done`` count the
    whole set: every direction of a movement done both ways, every second of every hold.
    ``set_no`` 0 is a warm-up. ``how``: "paced" (a guide counted it), "clicked" (the person
    said it was done, from a tray or window), "pain" (stopped by pain), "" (not known:
    rows from before mobes recorded it)."""

    __slots__ = ("batch_id", "movement_id", "set_no", "side", "target", "done", "feedback",
                 "at", "how")
    _defaults = {"side": "", "feedback": None, "at": None, "how": ""}
    batch_id: int
    movement_id: str
    set_no: int
    side: str  # "", "left", "right"
    target: int
    done: int
    feedback: str | None
    at: datetime | None
    how: str


class FeedbackRow(Record):
    """How a movement felt. context: microbreak | rehab. feedback: ok | too-easy | too-hard |
    pain. source: prompt | batch | cli."""

    __slots__ = ("at", "movement_id", "context", "feedback", "source")
    _defaults = {"source": "cli"}
    at: datetime
    movement_id: str
    context: str
    feedback: str
    source: str


class DoseChange(Record):
    """Every change to a movement's dose or availability, with the reason shown to the user.

    kind: start | adapt | rest | retire | enable. ``old``/``new`` are amounts (equal for
    rest/retire/enable). ``until`` is when a rest ends.
    """

    __slots__ = ("at", "movement_id", "context", "kind", "old", "new", "reason", "until")
    _defaults = {"until": None}
    at: datetime
    movement_id: str
    context: str
    kind: str
    old: int
    new: int
    reason: str
    until: datetime | None

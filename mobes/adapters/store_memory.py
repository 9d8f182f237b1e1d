"""An in-memory HistoryStore: for tests, ``--no-history`` runs, and as the reference
behaviour the SQLite store must match (see tests/test_store_contract.py)."""

from __future__ import annotations

import threading

from mobes.domain.history import (
    BatchItemRow,
    BatchRow,
    DoseChange,
    FeedbackRow,
    OutcomeRow,
    PromptRow,
    SuppressedRow,
)
from mobes.domain.model import BATCH_KINDS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import datetime


def _since(rows, attr: str, since: datetime | None, until: datetime | None = None):
    out = [r for r in rows if (since is None or getattr(r, attr) >= since)
           and (until is None or getattr(r, attr) < until)]
    return sorted(out, key=lambda r: getattr(r, attr))


class MemoryStore:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._prompts: list[PromptRow] = []
        self._outcomes: list[OutcomeRow] = []
        self._suppressed: list[SuppressedRow] = []
        self._batches: list[BatchRow] = []
        self._items: list[BatchItemRow] = []
        self._feedback: list[FeedbackRow] = []
        self._doses: list[DoseChange] = []

    def add_prompt(self, row: PromptRow) -> int:
        with self._lock:
            pid = len(self._prompts) + 1
            self._prompts.append(row.replace(id=pid, outcome=None))
            return pid

    def add_outcome(self, row: OutcomeRow) -> None:
        with self._lock:
            if not any(p.id == row.prompt_id for p in self._prompts):
                raise KeyError(f"no prompt {row.prompt_id}")
            self._outcomes.append(row)

    def add_suppressed(self, row: SuppressedRow) -> None:
        with self._lock:
            self._suppressed.append(row)

    def start_batch(self, row: BatchRow) -> int:
        if row.kind not in BATCH_KINDS:
            raise ValueError(f"batch kind must be one of {BATCH_KINDS}, got {row.kind!r}")
        with self._lock:
            bid = len(self._batches) + 1
            self._batches.append(row.replace(id=bid))
            return bid

    def add_batch_item(self, row: BatchItemRow) -> None:
        with self._lock:
            if not any(b.id == row.batch_id for b in self._batches):
                raise KeyError(f"no batch {row.batch_id}")
            self._items.append(row)

    def end_batch(self, batch_id: int, ended: datetime, status: str) -> None:
        with self._lock:
            for i, b in enumerate(self._batches):
                if b.id == batch_id:
                    self._batches[i] = b.replace(ended=ended, status=status)
                    return
            raise KeyError(f"no batch {batch_id}")

    def add_feedback(self, row: FeedbackRow) -> None:
        with self._lock:
            self._feedback.append(row)

    def add_dose_change(self, row: DoseChange) -> None:
        with self._lock:
            self._doses.append(row)

    def prompts(self, since=None, until=None, kind=None) -> list[PromptRow]:
        with self._lock:
            latest: dict[int, str] = {}
            for o in sorted(self._outcomes, key=lambda o: o.at):
                latest[o.prompt_id] = o.outcome
            rows = [p.replace(outcome=latest.get(p.id)) for p in self._prompts
                    if kind is None or p.kind == kind]
        return _since(rows, "at", since, until)

    def outcomes(self, since=None) -> list[OutcomeRow]:
        with self._lock:
            return _since(self._outcomes, "at", since)

    def suppressed(self, since=None) -> list[SuppressedRow]:
        with self._lock:
            return _since(self._suppressed, "at", since)

    def batches(self, since=None, kind=None, plan=None) -> list[BatchRow]:
        with self._lock:
            rows = [b for b in self._batches if (kind is None or b.kind == kind)
                    and (plan is None or b.plan == plan)]
        return _since(rows, "started", since)

    def batch_items(self, batch_id: int) -> list[BatchItemRow]:
        with self._lock:
            return [i for i in self._items if i.batch_id == batch_id]

    def feedback(self, since=None, movement_id=None) -> list[FeedbackRow]:
        with self._lock:
            rows = [f for f in self._feedback if movement_id is None
                    or f.movement_id == movement_id]
        return _since(rows, "at", since)

    def dose_changes(self, movement_id=None, context=None) -> list[DoseChange]:
        with self._lock:
            rows = [d for d in self._doses if (movement_id is None or d.movement_id == movement_id)
                    and (context is None or d.context == context)]
        return _since(rows, "at", None)

    def prompt_outcomes(self, since=None, until=None,
                        kind="microbreak") -> list[tuple[datetime, str | None]]:
        """(time, latest outcome) of each prompt: a light read for daily figures."""
        return [(p.at, p.outcome) for p in self.prompts(since, until, kind)]

    def batch_items_since(self, since=None) -> list[BatchItemRow]:
        """Items of every batch started at or after ``since``, batch by batch."""
        order = {b.id: n for n, b in enumerate(self.batches(since))}
        with self._lock:
            items = [i for i in self._items if i.batch_id in order]
        return sorted(items, key=lambda i: order[i.batch_id])

    def earliest(self) -> datetime | None:
        """The time of the first prompt or batch, None for an empty history."""
        with self._lock:
            times = [p.at for p in self._prompts] + [b.started for b in self._batches]
        return min(times) if times else None

    def bulk(self) -> _Bulk:
        """``with store.bulk(): ...`` groups writes (one transaction in SqliteStore)."""
        return _Bulk(self)

    def close(self) -> None:
        pass


_LISTS = ("_prompts", "_outcomes", "_suppressed", "_batches", "_items", "_feedback", "_doses")


class _Bulk:
    """All or nothing, like a transaction: an exception restores the lists as they were."""

    def __init__(self, store: MemoryStore) -> None:
        self.store = store
        self.saved: dict[str, list] = {}

    def __enter__(self) -> MemoryStore:
        with self.store._lock:
            self.saved = {n: list(getattr(self.store, n)) for n in _LISTS}
        return self.store

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            with self.store._lock:
                for n, rows in self.saved.items():
                    setattr(self.store, n, rows)

"""History in one SQLite file: the durable ``HistoryStore``.

- Schema version lives in ``PRAGMA user_version``; ``MIGRATIONS[n]`` takes a file from
  version n-1 to n, applied in order inside one ``BEGIN IMMEDIATE`` transaction (so two
  processes opening an old file at once migrate it exactly once).
- WAL journal, ``synchronous=FULL`` and a busy timeout: the agent writes while a CLI command
  reads, and a commit that returned survives a killed process.
- Every write is one transaction (``with conn:`` around ``BEGIN IMMEDIATE``); ``bulk()``
  groups many writes into one.
- A file that is not a database, is damaged, or cannot be read is renamed to
  ``<name>.corrupt-<YYYYmmddTHHMMSS>`` (with its -wal/-shm files) and a fresh file is
  started; ``on_warning`` gets a message naming both paths. Nothing is deleted.
- Times are stored as fixed-width UTC ISO text (sorts like time) and come back aware (UTC).

This is the only module that imports ``sqlite3``.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from datetime import date, datetime, timezone

from mobes.domain.history import (
    BatchItemRow,
    BatchRow,
    DoseChange,
    FeedbackRow,
    OutcomeRow,
    PromptRow,
    SuppressedRow,
)
from mobes.errors import MobesError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

UTC = timezone.utc
BUSY_TIMEOUT_MS = 10_000
BATCH_KINDS = ("maintenance", "rehab")

# Version 1: the first schema (no per-set times, no rest-until, no time indexes).
V1 = (
    """CREATE TABLE prompts (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        movement_ids TEXT NOT NULL,
        amounts TEXT NOT NULL,
        why TEXT NOT NULL DEFAULT ''
    )""",
    """CREATE TABLE outcomes (
        id INTEGER PRIMARY KEY,
        prompt_id INTEGER NOT NULL REFERENCES prompts(id),
        at TEXT NOT NULL,
        outcome TEXT NOT NULL,
        movement_id TEXT,
        feedback TEXT,
        reps_done INTEGER
    )""",
    """CREATE TABLE suppressed (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        reason TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT ''
    )""",
    """CREATE TABLE batches (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('maintenance', 'rehab')),
        plan TEXT NOT NULL,
        day TEXT NOT NULL,
        started TEXT NOT NULL,
        ended TEXT,
        status TEXT NOT NULL,
        sitting INTEGER NOT NULL DEFAULT 1,
        movement_ids TEXT NOT NULL DEFAULT ''
    )""",
    """CREATE TABLE batch_items (
        id INTEGER PRIMARY KEY,
        batch_id INTEGER NOT NULL REFERENCES batches(id),
        movement_id TEXT NOT NULL,
        set_no INTEGER NOT NULL,
        side TEXT NOT NULL DEFAULT '',
        target INTEGER NOT NULL,
        done INTEGER NOT NULL,
        feedback TEXT
    )""",
    """CREATE TABLE feedback (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        movement_id TEXT NOT NULL,
        context TEXT NOT NULL,
        feedback TEXT NOT NULL,
        source TEXT NOT NULL
    )""",
    """CREATE TABLE dose_changes (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        movement_id TEXT NOT NULL,
        context TEXT NOT NULL,
        kind TEXT NOT NULL,
        old INTEGER NOT NULL,
        new INTEGER NOT NULL,
        reason TEXT NOT NULL
    )""",
)

# Version 2: when each set was done, when a rest ends, and the indexes that keep
# `mobes stats` on a year of history fast (it reads only its window).
V2 = (
    "ALTER TABLE batch_items ADD COLUMN at TEXT",
    "ALTER TABLE dose_changes ADD COLUMN until TEXT",
    "CREATE INDEX prompts_at ON prompts (at)",
    "CREATE INDEX outcomes_prompt ON outcomes (prompt_id, at)",
    "CREATE INDEX outcomes_at ON outcomes (at)",
    "CREATE INDEX suppressed_at ON suppressed (at)",
    "CREATE INDEX batches_started ON batches (started)",
    "CREATE INDEX batch_items_batch ON batch_items (batch_id)",
    "CREATE INDEX feedback_at ON feedback (at)",
    "CREATE INDEX dose_changes_movement ON dose_changes (movement_id, context, at)",
)

# Version 3: how each set was done (paced by a guide, clicked as done, stopped by pain).
V3 = ("ALTER TABLE batch_items ADD COLUMN how TEXT NOT NULL DEFAULT ''",)

MIGRATIONS: dict[int, tuple[str, ...]] = {1: V1, 2: V2, 3: V3}
SCHEMA_VERSION = max(MIGRATIONS)

# SQLite result codes that mean "this file is not a usable database".
_CORRUPT = {"SQLITE_NOTADB", "SQLITE_CORRUPT", "SQLITE_IOERR_SHORT_READ"}


class StoreError(MobesError):
    """The history file cannot be used and must not be moved aside (newer schema, no access)."""


def _t(dt: datetime | None) -> str | None:
    if dt is None:
        return None
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"history times must be timezone-aware, got {dt!r}")
    return dt.astimezone(UTC).isoformat(timespec="microseconds")


def _dt(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _ids(values: tuple[str, ...]) -> str:
    for v in values:
        if not v or "," in v:
            raise ValueError(f"movement id {v!r} cannot be stored (empty or has a comma)")
    return ",".join(values)


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split(",")) if text else ()


def _ints(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in text.split(",")) if text else ()


def _is_corrupt(e: sqlite3.DatabaseError) -> bool:
    name = getattr(e, "sqlite_errorname", "") or ""
    msg = str(e).lower()
    return name in _CORRUPT or "not a database" in msg or "malformed" in msg


class _Bulk:
    """Context manager: the writes inside are one transaction (nested ones join it)."""

    def __init__(self, store: SqliteStore) -> None:
        self.store = store

    def __enter__(self) -> SqliteStore:
        s = self.store
        s._lock.acquire()
        try:
            if s._depth == 0:
                s._follow()
                s._guard(lambda: s._conn.execute("BEGIN IMMEDIATE"))
            s._depth += 1
        except BaseException:
            s._lock.release()
            raise
        return s

    def __exit__(self, exc_type, exc, tb) -> None:
        s = self.store
        try:
            s._depth -= 1
            if s._depth == 0:
                if exc_type is None:
                    try:
                        s._conn.execute("COMMIT")
                    except sqlite3.Error:  # e.g. disk full: nothing of it was saved
                        if s._conn.in_transaction:
                            s._conn.execute("ROLLBACK")
                        raise
                elif s._conn.in_transaction:
                    try:
                        s._conn.execute("ROLLBACK")
                    except sqlite3.Error:
                        pass  # the original error says more
        finally:
            s._lock.release()


class SqliteStore:
    """``HistoryStore`` on a SQLite file at ``path`` (its folder is created when missing).

    ``check=True`` also runs ``PRAGMA quick_check`` (reads the whole file: about 30 ms for a
    year of history) -- the agent does it once at start-up; short commands rely on the
    cheap header check and on noticing damage when a query meets it.
    """

    def __init__(self, path: str, on_warning: Callable[[str], None] | None = None,
                 check: bool = False) -> None:
        self.path = os.path.abspath(path)
        self._warn = on_warning or (lambda msg: None)
        self._lock = threading.RLock()
        self._depth = 0
        self._ino: int | None = None
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        self._conn = self._open(check)

    # ---- opening, checking, migrating, recovering ---------------------------------------

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000,
                               isolation_level=None, check_same_thread=False)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise sqlite3.OperationalError(f"could not switch to WAL (got {mode})")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            self._ino = os.stat(self.path).st_ino
        except BaseException:
            conn.close()
            raise
        return conn

    def _open(self, check: bool) -> sqlite3.Connection:
        reason = self._unreadable()
        if reason is None:
            try:
                conn = self._connect()
                try:
                    if check:
                        self._check(conn)
                    self._migrate(conn)
                    return conn
                except BaseException:
                    conn.close()
                    raise
            except sqlite3.DatabaseError as e:
                if not _is_corrupt(e):
                    raise StoreError(f"cannot use the history file {self.path}: {e}") from e
                reason = f"it is damaged or not a database ({e})"
        self._move_aside(reason)
        return self._fresh()

    def _fresh(self) -> sqlite3.Connection:
        try:
            conn = self._connect()
            self._migrate(conn)
        except sqlite3.Error as e:
            raise StoreError(f"cannot create a history file at {self.path}: {e}") from e
        return conn

    def _unreadable(self) -> str | None:
        """Why the existing file cannot be opened at all, or None (also when absent)."""
        if not os.path.exists(self.path):
            return None
        if not os.access(self.path, os.R_OK | os.W_OK):
            return "it cannot be read and written (check its permissions)"
        return None

    @staticmethod
    def _check(conn: sqlite3.Connection) -> None:
        rows = conn.execute("PRAGMA quick_check").fetchall()
        problems = [r[0] for r in rows if r[0] != "ok"]
        if problems:
            raise sqlite3.DatabaseError("database disk image is malformed: "
                                        + "; ".join(problems[:3]))

    def _migrate(self, conn: sqlite3.Connection) -> None:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version == SCHEMA_VERSION:
            return
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"the history file {self.path} was written by a newer mobes (schema "
                f"version {version}; this mobes knows up to {SCHEMA_VERSION}). Upgrade "
                "mobes, or set MOBES_HOME to use another folder.")
        with conn:
            conn.execute("BEGIN IMMEDIATE")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            for v in range(version + 1, SCHEMA_VERSION + 1):
                for stmt in MIGRATIONS[v]:
                    conn.execute(stmt)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _move_aside(self, reason: str) -> None:
        from time import localtime, strftime

        stamp = strftime("%Y%m%dT%H%M%S", localtime())
        target = f"{self.path}.corrupt-{stamp}"
        n = 2
        while os.path.exists(target):
            target = f"{self.path}.corrupt-{stamp}-{n}"
            n += 1
        try:
            os.replace(self.path, target)
        except FileNotFoundError:  # another process moved it first
            return
        except OSError as e:
            raise StoreError(f"the history file {self.path} cannot be used ({reason}) and "
                             f"could not be moved aside: {e}") from e
        for suffix in ("-wal", "-shm"):
            if os.path.exists(self.path + suffix):
                try:
                    os.replace(self.path + suffix, target + suffix)
                except OSError:
                    pass
        self._warn(f"the history file {self.path} could not be used because {reason}. "
                   f"It was moved to {target} (nothing was deleted) and a new, empty "
                   "history was started.")

    def _current_ino(self) -> int | None:
        try:
            return os.stat(self.path).st_ino
        except OSError:
            return None

    def _follow(self) -> None:
        """Reconnect when another process replaced the file (it moved a damaged one aside),
        so this process never keeps writing into the file that was set aside."""
        if self._current_ino() != self._ino:
            self._conn.close()
            self._conn = self._fresh()

    def _guard(self, fn):
        """Run ``fn``; when it meets a damaged file (and no transaction is open), move the
        file aside, start a fresh one and run ``fn`` once more there."""
        try:
            return fn()
        except sqlite3.DatabaseError as e:
            if not _is_corrupt(e):
                raise
            if self._depth > 0 or self._conn.in_transaction:
                raise StoreError(f"the history file {self.path} is damaged ({e}); the "
                                 "writes of this transaction were not saved") from e
            self._conn.close()
            if self._current_ino() == self._ino:  # not already replaced by another process
                self._move_aside(f"it is damaged ({e})")
            self._conn = self._fresh()
            return fn()

    @property
    def schema_version(self) -> int:
        return self._rows("PRAGMA user_version")[0][0]

    # ---- writes -------------------------------------------------------------------------

    def bulk(self) -> _Bulk:
        """``with store.bulk(): ...`` makes many writes one transaction (all or nothing)."""
        return _Bulk(self)

    def _tx(self, fn):
        """Run ``fn()`` in a transaction of its own (or the open ``bulk()``). A write that
        meets a damaged file is retried once in the fresh file that replaces it."""
        with self._lock:
            if self._depth > 0:
                return fn()

            def once():
                with self.bulk():
                    return fn()

            return self._guard(once)

    def _write(self, sql: str, params: tuple) -> int:
        return self._tx(lambda: self._conn.execute(sql, params).lastrowid)

    def add_prompt(self, row: PromptRow) -> int:
        return self._write(
            "INSERT INTO prompts (at, kind, movement_ids, amounts, why) VALUES (?,?,?,?,?)",
            (_t(row.at), row.kind, _ids(row.movement_ids),
             ",".join(str(int(a)) for a in row.amounts), row.why or ""))

    def add_outcome(self, row: OutcomeRow) -> None:
        try:
            self._write(
                "INSERT INTO outcomes (prompt_id, at, outcome, movement_id, feedback, "
                "reps_done) VALUES (?,?,?,?,?,?)",
                (row.prompt_id, _t(row.at), row.outcome, row.movement_id, row.feedback,
                 row.reps_done))
        except sqlite3.IntegrityError as e:
            raise KeyError(f"no prompt {row.prompt_id}") from e

    def add_suppressed(self, row: SuppressedRow) -> None:
        self._write("INSERT INTO suppressed (at, reason, detail) VALUES (?,?,?)",
                    (_t(row.at), row.reason, row.detail or ""))

    def start_batch(self, row: BatchRow) -> int:
        if row.kind not in BATCH_KINDS:
            raise ValueError(f"batch kind must be one of {BATCH_KINDS}, got {row.kind!r}")
        return self._write(
            "INSERT INTO batches (kind, plan, day, started, ended, status, sitting, "
            "movement_ids) VALUES (?,?,?,?,?,?,?,?)",
            (row.kind, row.plan, row.day.isoformat(), _t(row.started), _t(row.ended),
             row.status, row.sitting, _ids(row.movement_ids)))

    def add_batch_item(self, row: BatchItemRow) -> None:
        try:
            self._write(
                "INSERT INTO batch_items (batch_id, movement_id, set_no, side, target, done, "
                "feedback, at, how) VALUES (?,?,?,?,?,?,?,?,?)",
                (row.batch_id, row.movement_id, row.set_no, row.side or "", row.target,
                 row.done, row.feedback, _t(row.at), row.how or ""))
        except sqlite3.IntegrityError as e:
            raise KeyError(f"no batch {row.batch_id}") from e

    def end_batch(self, batch_id: int, ended: datetime, status: str) -> None:
        n = self._tx(lambda: self._conn.execute(
            "UPDATE batches SET ended = ?, status = ? WHERE id = ?",
            (_t(ended), status, batch_id)).rowcount)
        if n == 0:
            raise KeyError(f"no batch {batch_id}")

    def add_feedback(self, row: FeedbackRow) -> None:
        self._write(
            "INSERT INTO feedback (at, movement_id, context, feedback, source) "
            "VALUES (?,?,?,?,?)",
            (_t(row.at), row.movement_id, row.context, row.feedback, row.source))

    def add_dose_change(self, row: DoseChange) -> None:
        self._write(
            "INSERT INTO dose_changes (at, movement_id, context, kind, old, new, reason, until) "
            "VALUES (?,?,?,?,?,?,?,?)",
            (_t(row.at), row.movement_id, row.context, row.kind, row.old, row.new, row.reason,
             _t(row.until)))

    # ---- reads --------------------------------------------------------------------------

    def _rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self._lock:
            if self._depth == 0:
                self._follow()
            return self._guard(lambda: self._conn.execute(sql, params).fetchall())

    @staticmethod
    def _window(col: str, since: datetime | None, until: datetime | None = None,
                eq: dict[str, object] | None = None):
        """A WHERE clause: ``col`` within [since, until) and each ``eq`` column equal to
        its value (columns whose value is None are not filtered)."""
        where: list[str] = []
        params: list = []
        for column, value in (eq or {}).items():
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        if since is not None:
            where.append(f"{col} >= ?")
            params.append(_t(since))
        if until is not None:
            where.append(f"{col} < ?")
            params.append(_t(until))
        return (" WHERE " + " AND ".join(where)) if where else "", tuple(params)

    _LATEST = ("(SELECT o.outcome FROM outcomes o WHERE o.prompt_id = p.id "
               "ORDER BY o.at DESC, o.id DESC LIMIT 1)")

    def prompts(self, since: datetime | None = None, until: datetime | None = None,
                kind: str | None = None) -> list[PromptRow]:
        clause, args = self._window("p.at", since, until, {"p.kind": kind})
        rows = self._rows(
            f"SELECT p.id, p.at, p.kind, p.movement_ids, p.amounts, p.why, {self._LATEST} "
            f"FROM prompts p{clause} ORDER BY p.at, p.id", args)
        return [PromptRow(i, _dt(at), k, _split(m), _ints(a), why, out)
                for i, at, k, m, a, why, out in rows]

    def prompt_outcomes(self, since: datetime | None = None, until: datetime | None = None,
                        kind: str | None = "microbreak") -> list[tuple[datetime, str | None]]:
        """(time, latest outcome) of each prompt: a light read for daily figures."""
        clause, args = self._window("p.at", since, until, {"p.kind": kind})
        rows = self._rows(f"SELECT p.at, {self._LATEST} FROM prompts p{clause} "
                          "ORDER BY p.at, p.id", args)
        return [(datetime.fromisoformat(at), out) for at, out in rows]

    def outcomes(self, since: datetime | None = None) -> list[OutcomeRow]:
        clause, args = self._window("at", since)
        rows = self._rows("SELECT prompt_id, at, outcome, movement_id, feedback, reps_done "
                          f"FROM outcomes{clause} ORDER BY at, id", args)
        return [OutcomeRow(p, _dt(at), o, m, f, r) for p, at, o, m, f, r in rows]

    def suppressed(self, since: datetime | None = None) -> list[SuppressedRow]:
        clause, args = self._window("at", since)
        rows = self._rows(f"SELECT at, reason, detail FROM suppressed{clause} ORDER BY at, id",
                          args)
        return [SuppressedRow(_dt(at), r, d) for at, r, d in rows]

    @staticmethod
    def _batch(row: tuple) -> BatchRow:
        i, kind, plan, day, started, ended, status, sitting, mids = row
        return BatchRow(i, kind, plan, date.fromisoformat(day), _dt(started), _dt(ended),
                        status, sitting, _split(mids))

    def batches(self, since: datetime | None = None, kind: str | None = None,
                plan: str | None = None) -> list[BatchRow]:
        clause, args = self._window("started", since, None, {"kind": kind, "plan": plan})
        rows = self._rows("SELECT id, kind, plan, day, started, ended, status, sitting, "
                          f"movement_ids FROM batches{clause} ORDER BY started, id", args)
        return [self._batch(r) for r in rows]

    _ITEM = ("SELECT i.batch_id, i.movement_id, i.set_no, i.side, i.target, i.done, "
             "i.feedback, i.at, i.how FROM batch_items i")

    @staticmethod
    def _item(row: tuple) -> BatchItemRow:
        b, m, s, side, target, done, fb, at, how = row
        return BatchItemRow(b, m, s, side, target, done, fb, _dt(at), how or "")

    def batch_items(self, batch_id: int) -> list[BatchItemRow]:
        rows = self._rows(f"{self._ITEM} WHERE i.batch_id = ? ORDER BY i.id", (batch_id,))
        return [self._item(r) for r in rows]

    def batch_items_since(self, since: datetime | None = None) -> list[BatchItemRow]:
        """Items of every batch started at or after ``since``, batch by batch."""
        clause, args = self._window("b.started", since)
        rows = self._rows(f"{self._ITEM} JOIN batches b ON b.id = i.batch_id{clause} "
                          "ORDER BY b.started, b.id, i.id", args)
        return [self._item(r) for r in rows]

    def feedback(self, since: datetime | None = None,
                 movement_id: str | None = None) -> list[FeedbackRow]:
        clause, args = self._window("at", since, None, {"movement_id": movement_id})
        rows = self._rows("SELECT at, movement_id, context, feedback, source FROM feedback"
                          f"{clause} ORDER BY at, id", args)
        return [FeedbackRow(_dt(at), m, c, f, s) for at, m, c, f, s in rows]

    def dose_changes(self, movement_id: str | None = None,
                     context: str | None = None) -> list[DoseChange]:
        clause, params = self._window("at", None, None,
                                      {"movement_id": movement_id, "context": context})
        rows = self._rows("SELECT at, movement_id, context, kind, old, new, reason, until "
                          f"FROM dose_changes{clause} ORDER BY at, id", params)
        return [DoseChange(_dt(at), m, c, k, o, n, r, _dt(u))
                for at, m, c, k, o, n, r, u in rows]

    def earliest(self) -> datetime | None:
        """The time of the first prompt or batch, None for an empty history."""
        row = self._rows("SELECT min(t) FROM (SELECT min(at) AS t FROM prompts "
                         "UNION ALL SELECT min(started) FROM batches)")
        return _dt(row[0][0]) if row and row[0][0] else None

    def close(self) -> None:
        with self._lock:
            self._conn.close()

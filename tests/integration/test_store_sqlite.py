"""SqliteStore on real files: migrations, crashes, damaged files, two processes at once."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import date, datetime, timedelta, timezone

import pytest

from mobes.adapters.store_sqlite import SCHEMA_VERSION, V1, SqliteStore, StoreError
from mobes.domain.history import BatchItemRow, DoseChange, OutcomeRow, PromptRow
from tests.conftest import ROOT
from tests.fakes import run_cli

KNEE = "assisted-hip-knee-flexion"  # a rehab movement of the built-in catalog

UTC = timezone.utc
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def history_path(home) -> str:
    return os.path.join(str(home), "data", "history.sqlite3")


def child(code: str, **kw) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def test_fresh_file_is_wal_at_the_current_version(tmp_path):
    path = str(tmp_path / "deep" / "dir" / "history.sqlite3")
    store = SqliteStore(path)
    assert store.schema_version == SCHEMA_VERSION == 3
    store.close()
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_version_1_file_migrates_and_keeps_its_rows(tmp_path):
    path = str(tmp_path / "history.sqlite3")
    con = sqlite3.connect(path)
    for stmt in V1:
        con.execute(stmt)
    at = T0.isoformat(timespec="microseconds")
    con.execute("INSERT INTO prompts (at, kind, movement_ids, amounts, why) "
                "VALUES (?, 'microbreak', 'neck-circles,wrist-circles', '10,15', 'neck')", (at,))
    con.execute("INSERT INTO outcomes (prompt_id, at, outcome) VALUES (1, ?, 'done')", (at,))
    con.execute("INSERT INTO batches (kind, plan, day, started, ended, status, sitting, "
                "movement_ids) VALUES ('rehab', 'knee', '2026-03-02', ?, ?, 'complete', 1, "
                "'assisted-hip-knee-flexion')", (at, at))
    con.execute("INSERT INTO batch_items (batch_id, movement_id, set_no, side, target, done) "
                "VALUES (1, 'assisted-hip-knee-flexion', 1, 'left', 30, 30)")
    con.execute("INSERT INTO dose_changes (at, movement_id, context, kind, old, new, reason) "
                "VALUES (?, ?, 'rehab', 'start', 0, 15, 'half the target')", (at, KNEE))
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()

    store = SqliteStore(path)
    assert store.schema_version == 3
    [p] = store.prompts()
    assert (p.movement_ids, p.amounts, p.outcome, p.at) == (
        ("neck-circles", "wrist-circles"), (10, 15), "done", T0)
    [b] = store.batches(kind="rehab")
    assert (b.plan, b.status, b.day) == ("knee", "complete", date(2026, 3, 2))
    [item] = store.batch_items(b.id)
    assert (item.done, item.side, item.at, item.how) == (30, "left", None, "")
    [d] = store.dose_changes(KNEE)
    assert (d.new, d.reason, d.until) == (15, "half the target", None)
    # what version 2 added works on the migrated file
    store.add_batch_item(BatchItemRow(batch_id=b.id, movement_id=KNEE, set_no=1,
                                      side="right", target=30, done=28, feedback=None,
                                      at=T0 + timedelta(minutes=3)))
    store.add_dose_change(DoseChange(at=T0 + timedelta(days=1), movement_id=KNEE,
                                     context="rehab", kind="rest", old=15, new=15,
                                     reason="pain", until=T0 + timedelta(days=3)))
    assert store.batch_items(b.id)[-1].at == T0 + timedelta(minutes=3)
    assert store.dose_changes(KNEE)[-1].until == T0 + timedelta(days=3)
    store.close()
    con = sqlite3.connect(path)
    indexes = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"prompts_at", "outcomes_prompt", "batches_started"} <= indexes


def test_two_processes_opening_an_old_file_migrate_it_once(tmp_path):
    path = str(tmp_path / "history.sqlite3")
    con = sqlite3.connect(path)
    for stmt in V1:
        con.execute(stmt)
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()
    code = f"""
        from mobes.adapters.store_sqlite import SqliteStore
        s = SqliteStore({path!r})
        print(s.schema_version)
    """
    procs = [child(code) for _ in range(4)]
    outs = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, outs
    assert [o[0].strip() for o in outs] == [str(SCHEMA_VERSION)] * 4


def test_a_file_from_a_newer_mobes_is_left_alone(tmp_path, cli, mobes_home):
    path = history_path(mobes_home)
    os.makedirs(os.path.dirname(path))
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE future (x)")
    con.execute("PRAGMA user_version = 99")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="newer mobes"):
        SqliteStore(path)
    r = cli("stats")
    assert r.returncode == 1
    assert "newer mobes" in r.stderr and "Traceback" not in r.stderr
    assert os.listdir(os.path.dirname(path)) == ["history.sqlite3"]


WRITER = """
    import sys
    from datetime import datetime, timedelta, timezone
    from mobes.adapters.store_sqlite import SqliteStore
    from mobes.domain.history import OutcomeRow, PromptRow
    store = SqliteStore(sys.argv[1])
    t0 = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)
    n = 0
    while n < int(sys.argv[2]):
        if n % 3 == 2:  # every third a bulk of five prompts, each with an outcome
            with store.bulk():
                ids = []
                for k in range(5):
                    pid = store.add_prompt(PromptRow(at=t0 + timedelta(seconds=n + k),
                                           kind="microbreak", movement_ids=("neck-circles",),
                                           amounts=(n + k,)))
                    store.add_outcome(OutcomeRow(prompt_id=pid, at=t0, outcome="done"))
                    ids.append(pid)
            n += 5
        else:
            pid = store.add_prompt(PromptRow(at=t0 + timedelta(seconds=n), kind="microbreak",
                                   movement_ids=("neck-circles",), amounts=(n,)))
            ids = [pid]
            n += 1
        print(" ".join(map(str, ids)), flush=True)  # only after the commit returned
"""


def test_sigkill_during_a_burst_of_writes_loses_nothing_committed(tmp_path):
    path = str(tmp_path / "history.sqlite3")
    SqliteStore(path).close()
    proc = subprocess.Popen([sys.executable, "-c", textwrap.dedent(WRITER), path, "10000000"],
                            env=dict(os.environ, PYTHONPATH=str(ROOT)),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    reported: list[int] = []
    while len(reported) < 400:
        line = proc.stdout.readline()
        assert line, proc.stderr.read()
        reported += [int(x) for x in line.split()]
    os.kill(proc.pid, signal.SIGKILL)  # in the middle of the burst
    rest, _ = proc.communicate(timeout=30)
    for line in rest.split("\n")[:-1]:  # whole lines only: the last may be cut short
        reported += [int(x) for x in line.split()]
    assert proc.returncode == -signal.SIGKILL

    con = sqlite3.connect(path)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    store = SqliteStore(path, check=True)
    prompts = {p.id: p for p in store.prompts()}
    missing = [i for i in reported if i not in prompts]
    assert not missing, f"{len(missing)} committed prompts lost, e.g. {missing[:5]}"
    # ids are dense: everything written, in order; a killed bulk left nothing half-done
    assert sorted(prompts) == list(range(1, len(prompts) + 1))
    outcomes = {o.prompt_id for o in store.outcomes()}
    for p in prompts.values():
        assert p.amounts == (int((p.at - T0).total_seconds()),)
    bulk_ids = {p.id for p in prompts.values() if p.outcome == "done"}
    assert bulk_ids == outcomes and len(bulk_ids) % 5 == 0
    store.add_prompt(PromptRow(at=T0, kind="microbreak", movement_ids=("a",), amounts=(1,)))
    assert len(store.prompts()) == len(prompts) + 1


def _fill(path: str, n: int = 300) -> None:
    store = SqliteStore(path)
    with store.bulk():
        for i in range(n):
            pid = store.add_prompt(PromptRow(at=T0 + timedelta(minutes=i), kind="microbreak",
                                             movement_ids=("neck-circles",), amounts=(10,),
                                             why="x" * 200))
            store.add_outcome(OutcomeRow(prompt_id=pid, at=T0 + timedelta(minutes=i),
                                         outcome="done"))
    store.close()
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()


def _aside(directory: str) -> list[str]:
    return sorted(f for f in os.listdir(directory) if ".corrupt-" in f)


def test_a_file_that_is_not_a_database_is_moved_aside(tmp_path):
    path = str(tmp_path / "history.sqlite3")
    junk = b"these are not the bytes of a database\n" * 200
    with open(path, "wb") as fh:
        fh.write(junk)
    warnings: list[str] = []
    store = SqliteStore(path, on_warning=warnings.append)
    [moved] = _aside(str(tmp_path))
    assert moved.startswith("history.sqlite3.corrupt-")
    with open(tmp_path / moved, "rb") as fh:
        assert fh.read() == junk  # kept byte for byte
    assert len(warnings) == 1
    assert path in warnings[0] and str(tmp_path / moved) in warnings[0]
    assert store.prompts() == []
    store.add_prompt(PromptRow(at=T0, kind="microbreak", movement_ids=("a",), amounts=(1,)))
    assert len(SqliteStore(path).prompts()) == 1
    assert warnings == warnings[:1]


def _damage_table_pages(path: str) -> None:
    """Overwrite the middle pages of the file (table data, not the header) with junk."""
    size = os.path.getsize(path)
    page = 4096
    with open(path, "r+b") as fh:
        for n in range(2, size // page - 1):
            fh.seek(n * page)
            fh.write(b"\xa5" * page)


def test_damaged_pages_are_found_by_the_start_up_check(tmp_path):
    path = str(tmp_path / "history.sqlite3")
    _fill(path)
    _damage_table_pages(path)
    warnings: list[str] = []
    store = SqliteStore(path, on_warning=warnings.append, check=True)
    assert len(_aside(str(tmp_path))) == 1 and "damaged" in warnings[0]
    assert store.prompts() == []


def test_cli_keeps_working_when_the_history_is_garbage(cli, mobes_home):
    path = history_path(mobes_home)
    os.makedirs(os.path.dirname(path))
    with open(path, "wb") as fh:
        fh.write(os.urandom(64 * 1024))
    r = cli("stats", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["prompted"] == 0
    assert r.stderr.count("mobes: warning:") == 1
    [moved] = _aside(os.path.dirname(path))
    assert path in r.stderr and moved in r.stderr and "Traceback" not in r.stderr
    r2 = cli("log")
    assert r2.returncode == 0 and "warning" not in r2.stderr  # the fresh file is fine


def test_cli_recovers_when_a_query_meets_a_damaged_page(cli, mobes_home):
    path = history_path(mobes_home)
    os.makedirs(os.path.dirname(path))
    _fill(path)
    _damage_table_pages(path)
    r = cli("log", "--since", "2026-03-01", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == []
    assert "damaged" in r.stderr and "Traceback" not in r.stderr
    assert len(_aside(os.path.dirname(path))) == 1
    r = cli("report", "--format", "json")
    assert r.returncode == 0 and json.loads(r.stdout)["events"] == []


def test_a_process_follows_when_another_moves_the_file_aside(tmp_path):
    path = str(tmp_path / "history.sqlite3")
    agent = SqliteStore(path)
    agent.add_prompt(PromptRow(at=T0, kind="microbreak", movement_ids=("a",), amounts=(1,)))
    os.replace(path, path + ".corrupt-by-hand")  # what another process's recovery does
    other = SqliteStore(path)
    agent.add_prompt(PromptRow(at=T0 + timedelta(minutes=20), kind="microbreak",
                               movement_ids=("b",), amounts=(2,)))
    assert [p.movement_ids for p in other.prompts()] == [("b",)]
    assert [p.movement_ids for p in agent.prompts()] == [("b",)]


AGENT = """
    import sys, time
    from datetime import datetime, timedelta, timezone
    from mobes.adapters.store_sqlite import SqliteStore
    from mobes.domain.history import OutcomeRow, PromptRow, SuppressedRow
    store = SqliteStore(sys.argv[1])
    now = datetime.now(timezone.utc) - timedelta(hours=1)
    for i in range(int(sys.argv[2])):
        at = now + timedelta(seconds=i)
        pid = store.add_prompt(PromptRow(at=at, kind="microbreak",
                                         movement_ids=("neck-circles",), amounts=(10,)))
        store.add_outcome(OutcomeRow(prompt_id=pid, at=at, outcome="done"))
        store.add_suppressed(SuppressedRow(at=at, reason="idle", detail=str(i)))
        time.sleep(0.002)
    print("wrote", i + 1, flush=True)
"""


def test_the_agent_writes_while_cli_commands_read(mobes_home):
    path = history_path(mobes_home)
    SqliteStore(path).close()
    writes = 150  # enough for reads to overlap the writes: each read takes milliseconds
    agent = subprocess.Popen([sys.executable, "-c", textwrap.dedent(AGENT), path, str(writes)],
                             env=dict(os.environ, PYTHONPATH=str(ROOT)),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen: list[int] = []
    reads = 0
    while agent.poll() is None or reads < 4:
        r = run_cli("stats", "--week", "--json")
        assert r.returncode == 0 and "locked" not in r.stderr, r.stderr
        seen.append(json.loads(r.stdout)["prompted"])
        r = run_cli("log", "--json")
        assert r.returncode == 0, r.stderr
        events = json.loads(r.stdout)
        assert all(e["type"] in ("prompt", "outcome", "suppressed") for e in events)
        reads += 1
        time.sleep(0.01)
    out, err = agent.communicate(timeout=60)
    assert agent.returncode == 0 and out.strip() == f"wrote {writes}", err
    assert seen == sorted(seen), "a reader saw history go backwards"
    assert any(0 < n < writes for n in seen), "no read overlapped the writes"
    final = json.loads(run_cli("stats", "--week", "--json").stdout)
    assert final["prompted"] == writes and final["counts"]["done"] == writes

"""The running agent's status file, so other processes see what it is doing.

``mobes run`` rewrites ``<state dir>/agent.json`` (atomically) whenever its state changes:
pid, the policy state, the status line, the next prompt and the prompt on screen.
``mobes next`` and ``mobes preview`` read it to honour a pause or a snooze; the desktop
tests watch it to see a menu click take effect.
"""

from __future__ import annotations

import os

from mobes.adapters import paths

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import datetime
    from typing import Any

    from mobes.domain.policy import AgentState

FILE = "agent.json"
# The fields of mobes.domain.policy.AgentState holding times (the policy is imported
# lazily: `mobes next` reads this file without needing it).
_TIME_FIELDS = ("interval_anchor", "last_prompt_at", "snoozed_until", "paused_at",
                "paused_until", "away_since", "last_tick")


def status_path(state_dir: str | None = None) -> str:
    """The status file in ``state_dir`` (default: this process's state folder)."""
    return os.path.join(state_dir or paths.state_dir(), FILE)


def _iso(t: datetime | None) -> str | None:
    return t.isoformat() if t is not None else None


def _dt(s: str | None) -> datetime | None:
    if s is None:
        return None
    from datetime import datetime

    return datetime.fromisoformat(s)


def state_to_dict(state: AgentState) -> dict[str, Any]:
    from mobes.domain.policy import AgentState

    d: dict[str, Any] = {}
    for f in AgentState.__slots__:
        v = getattr(state, f)
        if f in _TIME_FIELDS:
            v = _iso(v)
        elif f == "current_prompt" and v is not None:
            v = {"at": _iso(v.at), "due": _iso(v.due), "why": v.why, "prompt_id": v.prompt_id,
                 "movement_ids": list(v.movement_ids), "amounts": list(v.amounts),
                 "kind": v.kind}
        d[f] = v
    return d


def state_from_dict(d: dict[str, Any]) -> AgentState:
    from mobes.domain.policy import AgentState, OpenPrompt

    values: dict[str, Any] = {}
    for f in AgentState.__slots__:
        if f not in d:
            continue
        v = d[f]
        if f in _TIME_FIELDS:
            v = _dt(v)
        elif f == "current_prompt" and v is not None:
            v = OpenPrompt(at=_dt(v["at"]), due=_dt(v["due"]), why=v.get("why", ""),
                           prompt_id=v.get("prompt_id"),
                           movement_ids=tuple(v.get("movement_ids", ())),
                           amounts=tuple(v.get("amounts", ())),
                           kind=v.get("kind", "microbreak"))
        values[f] = v
    return AgentState(**values)


def write(data: dict[str, Any], path: str | None = None) -> None:
    """Replace the status file in one step (readers never see half a file)."""
    import json

    paths.write_atomic(path or status_path(), json.dumps(data, indent=1, default=str))


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if os.name == "nt":  # pragma: no cover - Windows
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)
        if not handle:
            return False
        ctypes.windll.kernel32.CloseHandle(handle)
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read(path: str | None = None) -> dict[str, Any] | None:
    """The running agent's status, or None when no agent is running (a status file left by
    an agent that died is ignored)."""
    path = path or status_path()
    if not os.path.exists(path):  # the usual answer without an agent: skip importing json
        return None
    import json

    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not pid_alive(int(data.get("pid", 0))):
        return None
    return data


def remove(path: str | None = None) -> None:
    try:
        os.remove(path or status_path())
    except OSError:
        pass

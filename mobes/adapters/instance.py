"""One agent per user: an exclusive lock on a file in the state folder.

The lock (``fcntl.flock``, or ``msvcrt.locking`` on Windows) goes away with the process, so
a crashed agent never blocks the next one. The holder's pid is kept in a separate file for
the "already running" message (on Windows a locked byte range cannot be read).
"""

from __future__ import annotations

import os

from mobes.adapters import paths

LOCK = "agent.lock"
PID = "agent.pid"


class AlreadyRunning(Exception):
    def __init__(self, pid: int | None) -> None:
        super().__init__(pid)
        self.pid = pid


class InstanceLock:
    AlreadyRunning = AlreadyRunning  # what acquire() raises, for callers holding only a lock
    def __init__(self, folder: str | None = None) -> None:
        self.folder = folder or paths.state_dir()
        self.lock_path = os.path.join(self.folder, LOCK)
        self.pid_path = os.path.join(self.folder, PID)
        self._fd: int | None = None

    def holder(self) -> int | None:
        try:
            with open(self.pid_path, encoding="ascii") as f:
                return int(f.read().strip() or 0) or None
        except (OSError, ValueError):
            return None

    def acquire(self) -> None:
        """Take the lock or raise AlreadyRunning(pid of the running agent)."""
        paths.ensure_dir(self.folder)
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if os.name == "nt":  # pragma: no cover - Windows
                import msvcrt

                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise AlreadyRunning(self.holder()) from None
        self._fd = fd
        from mobes.adapters.paths import write_atomic

        write_atomic(self.pid_path, f"{os.getpid()}\n")

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            os.remove(self.pid_path)
        except OSError:
            pass
        try:
            if os.name == "nt":  # pragma: no cover - Windows
                import msvcrt

                os.lseek(self._fd, 0, 0)
                msvcrt.locking(self._fd, msvcrt.LK_UNLCK, 1)
        finally:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> InstanceLock:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()

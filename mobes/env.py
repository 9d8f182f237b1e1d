"""What a run of mobes may touch of the world: its streams, its environment variables, its
clock and (from the environment) where its files are.

``mobes.cli.main(argv, env)`` takes one; the real one (``Env.real()``) wraps ``sys.stdin``,
``sys.stdout``, ``sys.stderr``, ``os.environ`` and the system clock. Commands print to
``env.stdout`` and ``env.stderr`` and get the time and the zone through ``mobes.bootstrap``,
which reads them from the env, so tests run every command in-process against a fake one
(``tests/fakes.py``).

Kept cheap to build: ``mobes --help`` constructs one before printing.
"""

from __future__ import annotations

import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from datetime import datetime
    from typing import IO

    from mobes.adapters.paths import Paths
    from mobes.ui.terminal import Term


class SystemClock:
    """The real clock: ``now()`` is an aware UTC datetime; ``monotonic()`` and ``sleep()``
    pace waits (the guided batch's reps, holds and rests)."""

    @staticmethod
    def now() -> datetime:
        from datetime import datetime, timezone

        return datetime.now(timezone.utc)

    monotonic = staticmethod(time.monotonic)
    sleep = staticmethod(time.sleep)


class Env:
    """Streams, environment mapping, clock; ``paths`` and ``home`` follow the environment.

    ``terminal``, when given, builds the single-key terminal for ``mobes batch`` over an
    output stream (a test supplies a scripted one); by default it is a real ``Term`` over
    ``stdin`` paced by ``clock``.
    """

    __slots__ = ("stdin", "stdout", "stderr", "environ", "clock", "_terminal", "_paths")

    def __init__(self, stdin: IO[str], stdout: IO[str], stderr: IO[str],
                 environ: Mapping[str, str], clock=None,
                 terminal: Callable[[IO[str]], Term] | None = None) -> None:
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
        self.environ = environ
        self.clock = clock if clock is not None else SystemClock()
        self._terminal = terminal
        self._paths: Paths | None = None

    @classmethod
    def real(cls) -> Env:
        import os
        import sys

        return cls(sys.stdin, sys.stdout, sys.stderr, os.environ)

    @property
    def paths(self) -> Paths:
        """Where mobes keeps its files under this environment (``MOBES_HOME`` and
        ``MOBES_CONFIG``, else the platform's folders)."""
        if self._paths is None:
            from mobes.adapters.paths import Paths

            self._paths = Paths(self.environ)
        return self._paths

    @property
    def home(self) -> str | None:
        """``MOBES_HOME`` as an absolute path, or None when it is not set."""
        return self.paths.home()

    def terminal(self, out: IO[str]) -> Term:
        """The terminal the guided batch talks through, writing to ``out``."""
        if self._terminal is not None:
            return self._terminal(out)
        from mobes.ui.terminal import Term

        return Term(self.stdin, out, clock=self.clock)

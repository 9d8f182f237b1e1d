"""Test doubles shared by the tests.

- ``MemoryStore``: the in-memory history store (it passes the same contract tests as the
  SQLite store, tests/integration/test_store_contract.py).
- ``FakeClock``: a clock that stands still until something sleeps or waits on it.
- ``fake_env`` / ``run_cli``: run ``mobes ARGS`` in this process through ``mobes.cli.main``
  against a fake ``Env`` (text streams, a copy of the environment with the test's
  ``MOBES_HOME``, a fake clock); ``run_cli`` returns the exit code and what was printed,
  like a finished process.
- ``ScriptedTerm``: the guided batch's terminal with a user who presses keys when given
  text appears on the screen.
"""

from __future__ import annotations

import io
import os
import re
from datetime import datetime, timedelta, timezone

from mobes.adapters.store_memory import MemoryStore
from mobes.env import Env
from mobes.ui.terminal import Term

__all__ = ["FakeClock", "MemoryStore", "Result", "ScriptedTerm", "fake_env", "run_cli"]


class FakeClock:
    """``now()`` is ``start`` plus every second slept or waited since; ``monotonic()`` counts
    the same seconds. Default start: the real time when it was made."""

    def __init__(self, start: datetime | None = None) -> None:
        self.start = start if start is not None else datetime.now(timezone.utc)
        self.elapsed = 0.0

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.elapsed)

    def monotonic(self) -> float:
        return self.elapsed

    def sleep(self, seconds: float) -> None:
        self.elapsed += max(0.0, seconds)

    advance = sleep


class Result:
    """What a finished ``mobes`` run left: like ``subprocess.CompletedProcess``."""

    def __init__(self, args: tuple[str, ...], returncode: int, stdout: str, stderr: str,
                 env: Env) -> None:
        self.args, self.returncode, self.stdout, self.stderr = args, returncode, stdout, stderr
        self.env = env

    def __repr__(self) -> str:
        return (f"Result(args={self.args!r}, returncode={self.returncode}, "
                f"stdout={self.stdout[-300:]!r}, stderr={self.stderr[-300:]!r})")


class _Stream(io.TextIOWrapper):
    """A text stream over bytes, so its ``encoding`` is real (``PYTHONIOENCODING=ascii``
    makes writing a non-ASCII character fail, as it does on a real stream)."""

    def __init__(self, encoding: str) -> None:
        super().__init__(io.BytesIO(), encoding=encoding, newline="\n", write_through=True)

    def text(self) -> str:
        return self.buffer.getvalue().decode(self.encoding)


def fake_env(*, environ: dict | None = None, input: str = "", clock=None,
             terminal=None) -> Env:
    """An Env with text streams, this process's environment (the test's ``MOBES_HOME``)
    updated by ``environ``, and ``clock`` (default: a FakeClock starting now)."""
    e = dict(os.environ)
    e.update(environ or {})
    encoding = e.get("PYTHONIOENCODING", "utf-8").split(":")[0] or "utf-8"
    return Env(io.StringIO(input), _Stream(encoding), _Stream(encoding), e,
               clock if clock is not None else FakeClock(), terminal=terminal)


def run_cli(*args: str, env: dict | None = None, input: str = "", clock=None,
            terminal=None) -> Result:
    """``mobes ARGS`` in this process; ``env`` adds environment variables, ``input`` is
    standard input, ``terminal`` builds the batch's terminal (see ``ScriptedTerm``)."""
    from mobes.cli import main

    e = fake_env(environ=env, input=input, clock=clock, terminal=terminal)
    code = main(list(args), e)
    return Result(args, code, e.stdout.text(), e.stderr.text(), e)


class ScriptedTerm(Term):
    """A terminal whose user presses ``key`` once ``pattern`` (a regex) has appeared on the
    screen after the previous key's pattern, optionally ``wait`` seconds later: ``script``
    is a list of ``(pattern, key)`` or ``(pattern, key, wait)``. Waiting for a key advances
    ``clock``; with no key left to press, the input ends. It counts as a real terminal
    (single keys, the live status line), and ``screen`` is everything shown."""

    def __init__(self, script, clock, stdout) -> None:
        self.stdin = None
        self.stdout = stdout
        self.clock = clock
        self.fd, self.tty, self.out_tty = -1, True, True
        self.eof = False
        self._buf = ""
        self._saved = None
        self._status = False
        self.script = [tuple(s) if len(s) == 3 else (*s, 0.0) for s in script]
        self.screen = ""
        self._pos = 0  # where the next pattern is looked for

    def write(self, text: str) -> None:
        super().write(text)
        self.screen += text

    def status(self, text: str) -> None:
        super().status(text)
        self.screen += "\r" + text

    def end_status(self) -> None:
        if self._status:
            self.screen += "\n"
        super().end_status()

    def __enter__(self) -> ScriptedTerm:
        return self

    def _fill(self, timeout: float | None) -> bool:
        if self.script:
            pattern, key, wait = self.script[0]
            m = re.compile(pattern).search(self.screen, self._pos)
            if m:
                self.script.pop(0)
                self._pos = m.end()
                if timeout is not None and wait > timeout:
                    self.clock.sleep(timeout)
                    self.script.insert(0, (pattern, key, wait - timeout))
                    self._pos = m.start()
                    return False
                self.clock.sleep(wait)
                self._buf += key
                return True
        if timeout is None:  # nothing more will be typed and nothing else will happen
            self.eof = True
            return False
        self.clock.sleep(timeout)
        return False

    @property
    def text(self) -> str:
        """The screen as lines (status redraws as lines of their own)."""
        return self.screen.replace("\r", "\n")

    def expect_in_order(self, *patterns: str) -> None:
        """Assert that ``patterns`` appear on the screen in this order."""
        pos, text = 0, self.text
        for p in patterns:
            m = re.compile(p).search(text, pos)
            assert m, f"{p!r} not on the screen after position {pos}:\n{text[pos:]}"
            pos = m.end()

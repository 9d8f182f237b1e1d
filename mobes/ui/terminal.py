"""Single-key terminal input and a live status line, with no curses dependency.

On a TTY the terminal is put in cbreak mode (keys arrive one at a time, no echo) for the
duration of a ``with Term(...)`` block and restored afterwards, even on Ctrl-C. Without a
TTY (a pipe, a file, a text stream without a file descriptor), input is read line by line
and the first character of each line is the key (an empty line is Enter), so
``printf 'o\\n' | mobes batch`` works too.

Waiting is paced by ``clock`` (``monotonic()`` and ``sleep()``; default: the system's), so
a test with a fake clock runs a half-hour batch in milliseconds.
"""

from __future__ import annotations

import os
import sys
import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import IO


def bar(done: float, total: float, width: int = 20) -> str:
    """A plain text progress bar: '[#####.....]'."""
    frac = 0.0 if total <= 0 else max(0.0, min(1.0, done / total))
    full = int(frac * width + 1e-9)
    return "[" + "#" * full + "." * (width - full) + "]"


class Term:
    def __init__(self, stdin: IO | None = None, stdout: IO | None = None, clock=None) -> None:
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.clock = clock if clock is not None else time
        try:
            self.fd = self.stdin.fileno()
            self.tty = os.isatty(self.fd)
        except (AttributeError, ValueError, OSError):
            self.fd, self.tty = -1, False
        self.out_tty = hasattr(self.stdout, "isatty") and self.stdout.isatty()
        self.eof = self.fd < 0 and not hasattr(self.stdin, "readline")
        self._buf = ""
        self._saved = None
        self._status = False

    # --- mode -------------------------------------------------------------------------
    def __enter__(self) -> Term:
        if self.tty and os.name == "posix":
            import termios
            import tty

            self._saved = termios.tcgetattr(self.fd)
            tty.setcbreak(self.fd)
        return self

    def __exit__(self, *exc) -> None:
        self.end_status()
        if self._saved is not None:
            import termios

            termios.tcsetattr(self.fd, termios.TCSADRAIN, self._saved)
            self._saved = None

    # --- output -----------------------------------------------------------------------
    def write(self, text: str) -> None:
        self.end_status()
        self.stdout.write(text)
        self.stdout.flush()

    def line(self, text: str = "") -> None:
        self.write(text + "\n")

    def status(self, text: str) -> None:
        """Redraw the live status line (only on a terminal; elsewhere it is skipped)."""
        if not self.out_tty:
            return
        self.stdout.write("\r\x1b[2K" + text)
        self.stdout.flush()
        self._status = True

    def end_status(self) -> None:
        if self._status:
            self.stdout.write("\n")
            self.stdout.flush()
            self._status = False

    # --- input ------------------------------------------------------------------------
    def _fill(self, timeout: float | None) -> bool:
        """Read what is available within ``timeout``; False on timeout or end of input."""
        if self.eof:
            if timeout:
                self.clock.sleep(timeout)
            return False
        if self.fd < 0:  # a text stream: whatever it holds is there already
            return self._fill_line()
        if os.name != "posix":
            return self._fill_windows(timeout)
        import select

        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return False
        data = os.read(self.fd, 1024)
        if not data:
            self.eof = True
            return False
        self._buf += data.decode("utf-8", "replace")
        return True

    def _fill_line(self) -> bool:
        line = self.stdin.readline()
        if not line:
            self.eof = True
            return False
        self._buf += line
        return True

    def _fill_windows(self, timeout: float | None) -> bool:  # pragma: no cover - Windows
        if not self.tty:
            return self._fill_line()
        import msvcrt

        end = None if timeout is None else self.clock.monotonic() + timeout
        while end is None or self.clock.monotonic() < end:
            if msvcrt.kbhit():
                self._buf += msvcrt.getwch()
                return True
            self.clock.sleep(0.01)
        return False

    def _pop(self, remove: bool = True) -> str | None:
        """The next key in the buffer (removed unless ``remove`` is False)."""
        if self.tty:
            if self._buf:
                ch = self._buf[0]
                if remove:
                    self._buf = self._buf[1:]
                return "\n" if ch == "\r" else ch.lower()
            return None
        if "\n" in self._buf:
            line, rest = self._buf.split("\n", 1)
        elif self.eof and self._buf.strip():
            line, rest = self._buf, ""
        else:
            return None
        if remove:
            self._buf = rest
        line = line.strip()
        return line[:1].lower() if line else "\n"

    def poll(self, timeout: float | None, only: str | None = None) -> str | None:
        """The next key, waiting at most ``timeout`` seconds (None = wait for ever);
        None on timeout or at end of input.

        With ``only``, other keys are not answers: on a terminal they are dropped (a stray
        key press); in line mode they stay queued for a later question (typed-ahead answers
        in a script) and the wait simply runs out.
        """
        end = None if timeout is None else self.clock.monotonic() + timeout
        while True:
            k = self._pop(remove=False)
            if k is not None:
                if only is None or k in only:
                    self._pop()
                    return k
                if self.tty:
                    self._pop()
                    continue
                left = 0.0 if end is None else max(0.0, end - self.clock.monotonic())
                if left:
                    self.clock.sleep(left)
                return None
            left = None if end is None else max(0.0, end - self.clock.monotonic())
            if left == 0.0 and timeout is not None:
                return None
            if not self._fill(left):
                if self._pop(remove=False) is not None:
                    continue
                if self.eof or timeout is not None:
                    return None

    def ask(self, prompt: str, allowed: str) -> str | None:
        """Show ``prompt`` and wait for one of ``allowed`` keys; None at end of input."""
        self.write(prompt)
        while True:
            k = self.poll(None)
            if k is None:
                self.write("\n")
                return None
            if k in allowed:
                self.write(k + "\n" if k != "\n" else "\n")
                return k

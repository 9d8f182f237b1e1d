"""Prompts in the terminal: the headless agent's face, and the notifier's fallback.

``ConsoleNotifier`` prints a prompt (title, movement, dose, cue) with the keys that answer
it. ``ConsoleUI`` reads single keys (no Enter needed when stdin is a terminal) and calls the
agent: d done, h too hard, e too easy, p pain, s skip, z snooze; c prints every caution of
the movement on screen; b takes a break now, 1, 2, 3... pause (the configured pause
lengths), r resumes, q quits, ? shows the status.
Ctrl-C exits cleanly and puts the terminal back as it was.
It waits in ``select`` without a timeout: an idle agent costs no CPU here.
"""

from __future__ import annotations

import os
import sys
import threading

from mobes.ui import texts

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import IO, Any

KEYS: dict[str, str] = texts.CONSOLE_KEYS
LEGEND = texts.CONSOLE_LEGEND
HELP = "[c] all cautions  [b] break now  [q] quit  [?] status"


def pause_label(minutes: int) -> str:
    return texts.pause_label(minutes, terse=True)


def _clock() -> str:
    import time

    return time.strftime("%H:%M")


class ConsoleNotifier:
    """Shows a prompt by printing it. ``keys`` adds the answer legend (headless mode)."""

    def __init__(self, stream: IO[str] | None = None, keys: bool = True) -> None:
        self.stream = stream
        self.keys = keys
        self._lock = threading.Lock()

    def notify(self, title: str, message: str, timeout_seconds: int) -> bool:
        out = self.stream or sys.stdout
        lines = [f"\n[{_clock()}] {title}"]
        lines += [f"  {line}" for line in message.splitlines() if line.strip()]
        if self.keys and title.startswith("Microbreak"):
            lines.append(f"  {LEGEND}")
        try:
            with self._lock:
                out.write("\r" + "\n".join(lines) + "\n")
                out.flush()
        except (OSError, ValueError):
            return False
        return True


class ConsoleUI:
    """Reads answer keys from the terminal until quit, Ctrl-C or the end of input."""

    def __init__(self, app: Any, stdin: IO[str] | None = None,
                 stdout: IO[str] | None = None) -> None:
        self.app = app
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self._wake_r, self._wake_w = os.pipe()
        self._stopped = False

    def say(self, text: str) -> None:
        try:
            self.stdout.write("\r" + text + "\n")
            self.stdout.flush()
        except (OSError, ValueError):
            pass

    def stop(self) -> None:
        """Make ``run`` return (safe from any thread and from a signal handler)."""
        self._stopped = True
        try:
            os.write(self._wake_w, b"x")
        except OSError:
            pass

    def _fd(self) -> int | None:
        try:
            return self.stdin.fileno()
        except (AttributeError, OSError, ValueError):
            return None

    def _pauses(self) -> tuple[int, ...]:
        try:
            return tuple(self.app.settings.microbreaks.pause_choices)[:9]
        except AttributeError:
            return (30, 60, -1)

    def pause_help(self) -> str:
        return "  ".join(f"[{i}] pause {pause_label(m)}"
                         for i, m in enumerate(self._pauses(), 1)) + "  [r] resume"

    def handle(self, key: str) -> bool:
        """Act on one key; False when it asks to quit."""
        pauses = self._pauses()
        if key in KEYS:
            self.say(f"  -> {self.app.respond(KEYS[key]) or KEYS[key]}")
        elif key == "c":
            view = self.app.current_prompt()
            if view is None or not view.cautions:
                self.say("  -> no prompt on screen")
            else:
                self.say("  Cautions:\n" + "\n".join(f"    - {c}" for c in view.cautions))
        elif key == "b":
            self.app.take_break_now()
        elif key.isdigit() and 1 <= int(key) <= len(pauses):
            self.say(f"  -> {self.app.pause(pauses[int(key) - 1])}")
        elif key == "r":
            self.say(f"  -> {self.app.resume()}")
        elif key == "q":
            return False
        elif key == "?":
            self.say(f"  mobes: {self.app.status_text()}")
            self.say(f"  {LEGEND}\n  {self.pause_help()}\n  {HELP}")
        return True

    def _intro(self) -> None:
        self.say(f"mobes is running in this terminal: {self.app.status_text()}.")
        self.say(f"  Answer a prompt with {LEGEND}")
        self.say(f"  {self.pause_help()}")
        self.say(f"  {HELP}, Ctrl-C to stop.")

    def run(self) -> None:
        if os.name == "nt":  # pragma: no cover - Windows has no select() on a console
            self._run_windows()
            return
        import select

        fd = self._fd()
        tty = fd is not None and os.isatty(fd)
        old = None
        if tty and os.name != "nt":
            import termios
            import tty as ttymod

            old = termios.tcgetattr(fd)
            ttymod.setcbreak(fd)  # single keys, no echo; Ctrl-C still raises
        self._intro()
        try:
            reading = fd is not None
            while not self._stopped:
                watch = [self._wake_r] + ([fd] if reading else [])
                ready, _, _ = select.select(watch, [], [])
                if self._wake_r in ready:
                    break
                data = os.read(fd, 64)
                if not data:  # end of input: keep running until quit or a signal
                    reading = False
                    continue
                for ch in data.decode("utf-8", "replace").lower():
                    if not ch.strip():
                        continue
                    if not self.handle(ch):
                        self._stopped = True
                        break
        except KeyboardInterrupt:
            pass
        finally:
            if old is not None:
                import termios

                termios.tcsetattr(fd, termios.TCSADRAIN, old)
            self.say("mobes stopped.")
            for f in (self._wake_r, self._wake_w):
                try:
                    os.close(f)
                except OSError:
                    pass

    def _run_windows(self) -> None:  # pragma: no cover - Windows
        """A blocking key reader thread; the main thread waits in 1 s steps so Ctrl-C
        (which Windows delivers only between waits) still stops it."""
        import msvcrt
        import queue

        keys: queue.Queue[str] = queue.Queue()

        def reader() -> None:
            while True:
                keys.put(msvcrt.getwch())

        threading.Thread(target=reader, name="mobes-keys", daemon=True).start()
        self._intro()
        try:
            while not self._stopped:
                try:
                    ch = keys.get(timeout=1.0)
                except queue.Empty:
                    continue
                if ch == "\x03" or not self.handle(ch.lower()):
                    break
        except KeyboardInterrupt:
            pass
        finally:
            self.say("mobes stopped.")

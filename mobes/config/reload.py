"""``Reloader``: keep the settings current while the agent runs; the last good settings
stay when a file is broken."""

from __future__ import annotations

import os

from mobes.config.loader import load
from mobes.config.problems import ConfigError
from mobes.config.schema import MAX_FILE_BYTES, default_file
from mobes.domain import rules

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any

    from mobes.domain.settings import Settings

# ----------------------------------------------------------------------- reloading


def _stamp(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


def _read_bytes(path: str) -> bytes | None:
    try:
        with open(path, "rb") as f:
            return f.read(MAX_FILE_BYTES + 1)
    except OSError:
        return None


class Reloader:
    """Keeps settings current while the agent runs.

    ``check()`` looks at the layer files' (mtime_ns, size) and re-reads the layers only
    when one changed, appeared or disappeared. When the new files are broken the last good
    settings stay in force and ``on_error`` is called once per distinct error. Warnings
    (e.g. an override of a locked key) go to ``on_warning`` once each. The first load
    happens in the constructor and raises ConfigError when there is nothing good to keep.
    """

    def __init__(self, cli_overrides: dict | None = None,
                 on_error: Callable[[ConfigError], Any] | None = None,
                 on_warning: Callable[[str], Any] | None = None,
                 environ: Mapping[str, str] | None = None) -> None:
        self.cli_overrides = dict(cli_overrides or {})
        self.environ = environ  # names the files (see mobes.config.load); None: os.environ
        self.on_error = on_error
        self.on_warning = on_warning
        self.error: ConfigError | None = None  # the current error, if the files are broken
        self._reported: set[str] = set()
        self._warned: set[str] = set()
        self._seen: dict[str, tuple[tuple[int, int] | None, bytes | None, bool]] = {}
        self._watch: list[str] = []
        snapshot = self._snapshot(self._paths(None))
        self.loaded = load(self.cli_overrides, environ=self.environ)
        self._after_load(snapshot, self.loaded.files)
        self._warn(self.loaded.warnings)

    @property
    def settings(self) -> Settings:
        """The last good settings."""
        return self.loaded.settings

    def _paths(self, files: dict | None) -> list[str]:
        from mobes.adapters.paths import Paths

        out = [default_file(), os.path.abspath(Paths(self.environ).user_config_file())]
        env = (os.environ if self.environ is None else self.environ).get("MOBES_TEAM_CONFIG")
        if env:
            out.append(os.path.abspath(os.path.expanduser(env)))
        for p in (files or {}).values():
            if p not in out:
                out.append(p)
        return out

    def _snapshot(self, paths: list[str]) -> dict:
        now = _now_ns()
        snap = {}
        for p in paths:
            st = _stamp(p)
            racy = st is not None and rules.racy(st[0], now)
            snap[p] = (st, _read_bytes(p) if racy else None, racy)
        return snap

    def _after_load(self, snapshot: dict, files: dict) -> None:
        watch = self._paths(files)
        extra = self._snapshot([p for p in watch if p not in snapshot])
        self._seen = {**snapshot, **extra}
        self._watch = watch

    def _changed(self) -> bool:
        changed = False
        now = _now_ns()
        for p in self._paths(None) + self._watch:
            old = self._seen.get(p)
            st = _stamp(p)
            if old is None or old[0] != st:
                return True
            if old[2]:  # racy: the same stamp could hide a second write
                if _read_bytes(p) != old[1]:
                    changed = True
                elif not rules.racy(st[0], now):
                    self._seen[p] = (st, None, False)
        return changed

    def _warn(self, warnings: list[str]) -> None:
        for w in warnings:
            if w not in self._warned:
                self._warned.add(w)
                if self.on_warning is not None:
                    self.on_warning(w)

    def check(self) -> bool:
        """Re-read the layers if a file changed. True when the settings changed."""
        if not self._changed():
            return False
        snapshot = self._snapshot(self._paths(None) + self._watch)
        try:
            loaded = load(self.cli_overrides, environ=self.environ)
        except ConfigError as e:
            self.error = e
            self._after_load(snapshot, {**self.loaded.files, **e.files})
            key = str(e)
            if key not in self._reported:
                self._reported.add(key)
                if self.on_error is not None:
                    self.on_error(e)
            return False
        self.error = None
        self._reported.clear()
        self._after_load(snapshot, loaded.files)
        self._warn(loaded.warnings)
        old, self.loaded = self.loaded, loaded
        return loaded.settings != old.settings


def _now_ns() -> int:
    import time

    return time.time_ns()



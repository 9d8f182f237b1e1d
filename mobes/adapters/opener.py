"""Open a file in the desktop's default application (xdg-open, open, os.startfile)."""

from __future__ import annotations


def open_with_system(path: str) -> None:
    """Open a file in the desktop's default application (without waiting for it)."""
    import os
    import subprocess
    import sys

    if sys.platform == "win32":  # pragma: no cover - Windows
        os.startfile(path)  # type: ignore[attr-defined]
        return
    cmd = ["open", path] if sys.platform == "darwin" else ["xdg-open", path]
    try:
        subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError as e:
        from mobes.errors import MobesError

        raise MobesError(f"could not open {path}: {e}") from e

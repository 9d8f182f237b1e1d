"""Where mobes keeps its files.

``MOBES_HOME`` moves everything (config, data, state) into one folder: tests, benchmarks
and portable installs use it. Otherwise the platform's directories (via platformdirs,
imported only when needed). ``MOBES_CONFIG`` names the user config file directly.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

APP = "mobes"


class Paths:
    """The folders and files of one environment (a mapping of environment variables:
    ``MOBES_HOME``, ``MOBES_CONFIG``). ``mobes.env.Env.paths`` is the one commands use."""

    __slots__ = ("environ",)

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self.environ = os.environ if environ is None else environ

    def home(self) -> str | None:
        h = self.environ.get("MOBES_HOME")
        return os.path.abspath(os.path.expanduser(h)) if h else None

    def config_dir(self) -> str:
        h = self.home()
        if h:
            return os.path.join(h, "config")
        import platformdirs

        return platformdirs.user_config_dir(APP, appauthor=False)

    def data_dir(self) -> str:
        h = self.home()
        if h:
            return os.path.join(h, "data")
        import platformdirs

        return platformdirs.user_data_dir(APP, appauthor=False)

    def state_dir(self) -> str:
        """Runtime state: the single-instance lock, the agent's status file."""
        h = self.home()
        if h:
            return os.path.join(h, "state")
        import platformdirs

        return platformdirs.user_state_dir(APP, appauthor=False)

    def user_config_file(self) -> str:
        explicit = self.environ.get("MOBES_CONFIG")
        if explicit:
            return os.path.abspath(os.path.expanduser(explicit))
        return os.path.join(self.config_dir(), "config.toml")

    def history_file(self) -> str:
        return os.path.join(self.data_dir(), "history.sqlite3")


# The same for this process's own environment (os.environ as it is at each call).
def home() -> str | None:
    return Paths().home()


def config_dir() -> str:
    return Paths().config_dir()


def data_dir() -> str:
    return Paths().data_dir()


def state_dir() -> str:
    return Paths().state_dir()


def user_config_file() -> str:
    return Paths().user_config_file()


def history_file() -> str:
    return Paths().history_file()


def ensure_dir(path: str) -> str:
    os.makedirs(path, exist_ok=True)
    return path


def write_atomic(path: str, data: str | bytes, *, fsync: bool = False,
                 newline: str | None = None, make_dirs: bool = True) -> None:
    """Replace ``path`` in one step: readers see the old file or the new one, never half.

    Creates the folder (unless ``make_dirs`` is false); writes a temporary file beside the
    target and renames it over; removes the temporary file and re-raises when anything
    fails.
    """
    folder = os.path.dirname(path)
    if folder and make_dirs:
        os.makedirs(folder, exist_ok=True)
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        if isinstance(data, bytes):
            f = open(tmp, "wb")
        else:
            f = open(tmp, "w", encoding="utf-8", newline=newline)
        with f:
            f.write(data)
            if fsync:
                f.flush()
                os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise

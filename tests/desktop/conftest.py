"""Fixtures for the desktop end-to-end tests (marked ``desktop``).

They need Xvfb, trayer, dunst, xdotool and D-Bus (Debian: xvfb trayer dunst xdotool dbus;
scripts/test installs them when run as root) and are skipped with the reason otherwise.
"""

import sys

import pytest

from tests.desktop.xsession import DesktopSession, missing_python, missing_tools


@pytest.fixture(scope="module")
def desktop(tmp_path_factory):
    if not sys.platform.startswith("linux"):
        pytest.skip("the desktop tests drive an X11 desktop (Linux only)")
    missing = missing_tools() + [f"python module {m}" for m in missing_python("Xlib", "PIL")]
    if missing:
        pytest.skip("desktop test tools missing: " + ", ".join(missing))
    session = DesktopSession(tmp_path_factory.mktemp("desktop"))
    try:
        session.start()
        yield session
    finally:
        session.stop()


def need_gtk():
    """Skip unless PyGObject with GTK 3 is installed (the tray backend with a menu)."""
    import importlib.util

    if importlib.util.find_spec("gi") is None:
        pytest.skip("PyGObject is not installed (pip install 'PyGObject<3.51' after "
                    "apt-get install libgirepository1.0-dev libcairo2-dev pkg-config)")
    import gi

    try:
        gi.require_version("Gtk", "3.0")
    except ValueError:
        pytest.skip("GTK 3 typelib missing (apt-get install gir1.2-gtk-3.0)")


def need_dbus_python():
    import importlib.util

    if importlib.util.find_spec("dbus") is None:
        pytest.skip("dbus-python is not installed (pip install dbus-python after "
                    "apt-get install libdbus-1-dev libglib2.0-dev pkg-config)")

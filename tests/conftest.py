import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(autouse=True)
def mobes_home(tmp_path, monkeypatch):
    """Every test gets its own MOBES_HOME so nothing touches a real home."""
    home = tmp_path / "mobes-home"
    home.mkdir()
    monkeypatch.setenv("MOBES_HOME", str(home))
    for var in ("MOBES_CONFIG", "MOBES_TEAM_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    return home


def run_cli(*args, env=None, input=None, timeout=60):
    """Run ``python -m mobes ARGS`` in a subprocess; returns CompletedProcess."""
    import subprocess

    e = dict(os.environ)
    e["PYTHONPATH"] = str(ROOT) + os.pathsep + e.get("PYTHONPATH", "")
    if env:
        e.update(env)
    return subprocess.run([sys.executable, "-m", "mobes", *args], capture_output=True,
                          text=True, env=e, input=input, timeout=timeout)


@pytest.fixture
def cli():
    return run_cli

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
    yield home
    from mobes import bootstrap

    bootstrap.install(None)  # a test that installed a fake Env leaves the real one behind


def run_process(*args, env=None, input=None, timeout=60):
    """Run ``python -m mobes ARGS`` in a real subprocess; returns CompletedProcess. For the
    entry point itself and for tests between processes; other command tests use the
    in-process ``cli`` fixture (``tests.fakes.run_cli``)."""
    import subprocess

    e = dict(os.environ)
    e["PYTHONPATH"] = str(ROOT) + os.pathsep + e.get("PYTHONPATH", "")
    if env:
        e.update(env)
    return subprocess.run([sys.executable, "-m", "mobes", *args], capture_output=True,
                          text=True, env=e, input=input, timeout=timeout)


@pytest.fixture
def cli():
    """``cli(*args, env=None, input="")``: ``mobes ARGS`` in this process against a fake Env
    (returncode, stdout, stderr), with this test's MOBES_HOME."""
    from tests.fakes import run_cli

    return run_cli


@pytest.fixture
def cli_process():
    """``cli_process(*args, env=None, input=None)``: ``python -m mobes ARGS`` in a real
    subprocess."""
    return run_process

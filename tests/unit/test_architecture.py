"""The dependency rule (pyproject.toml's import-linter contracts, ARCHITECTURE.md) holds,
and a change that breaks it is caught."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT = "import sys; from importlinter.cli import lint_imports_command as m; sys.exit(m())"


def lint(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([sys.executable, "-c", LINT, "--no-cache", "--no-logo"], cwd=root,
                          env=env, capture_output=True, text=True, timeout=120)


def test_the_import_contracts_are_kept():
    r = lint(ROOT)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "0 broken" in r.stdout


def test_a_domain_module_importing_an_adapter_breaks_a_contract(tmp_path):
    shutil.copytree(ROOT / "mobes", tmp_path / "mobes",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    stats = tmp_path / "mobes" / "domain" / "stats.py"
    stats.write_text(stats.read_text() + "\nfrom mobes.adapters import paths  # noqa\n")
    r = lint(tmp_path)
    assert r.returncode != 0
    assert "domain imports nothing of mobes outside domain" in r.stdout
    assert "BROKEN" in r.stdout and "mobes.domain.stats -> mobes.adapters.paths" in r.stdout


def test_a_second_module_importing_sqlite3_breaks_a_contract(tmp_path):
    shutil.copytree(ROOT / "mobes", tmp_path / "mobes",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    status = tmp_path / "mobes" / "adapters" / "agent_status.py"
    status.write_text(status.read_text() + "\nimport sqlite3  # noqa\n")
    r = lint(tmp_path)
    assert r.returncode != 0
    assert "sqlite3 is imported by adapters/store_sqlite only BROKEN" in r.stdout.replace(
        "\n", " ")

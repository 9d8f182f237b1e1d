import json
import subprocess
import sys

import pytest

from mobes import __version__
from mobes.cli import COMMANDS, build_parser

HEAVY = ("pystray", "plyer", "PIL", "apscheduler", "sqlite3", "Xlib", "gi")


def test_help_lists_every_command(cli):
    r = cli("--help")
    assert r.returncode == 0
    for name, _, summary in COMMANDS:
        assert f"  {name}" in r.stdout and summary in r.stdout
    assert cli().stdout == r.stdout  # bare `mobes` shows the same help


def test_version(cli):
    r = cli("--version")
    assert r.returncode == 0 and r.stdout.strip() == f"mobes {__version__}"


def test_every_command_has_a_parser_with_help(cli):
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert set(sub.choices) == {c[0] for c in COMMANDS}
    for name, _, _ in COMMANDS:
        r = cli(name, "--help")
        assert r.returncode == 0, (name, r.stderr)
        assert "usage: mobes " + name in r.stdout


@pytest.mark.parametrize("code", [
    "import mobes.cli",
    "import mobes.cli; mobes.cli.main(['--help'])",
    "import mobes.cli; mobes.cli.build_parser()",
])
def test_cli_does_not_import_integration_libraries(code):
    probe = f"{code}; import sys; print([m for m in {HEAVY[:4]!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout.strip().splitlines()[-1]
    assert out == "[]", f"{code!r} imported {out}"


def test_unknown_command_suggests_and_exits_2(cli):
    r = cli("movments")
    assert r.returncode == 2
    assert "did you mean 'movements'?" in r.stderr


def test_unknown_option_suggests_and_exits_2(cli):
    r = cli("movements", "--dsk")
    assert r.returncode == 2
    assert "did you mean '--desk'?" in r.stderr


def test_unknown_region_suggests(cli):
    r = cli("movements", "--region", "sholders")
    assert r.returncode == 2 and "did you mean 'shoulders'?" in r.stderr


def test_movements_json_lists_the_catalog(cli):
    r = cli("movements", "--json")
    assert r.returncode == 0
    data = json.loads(r.stdout)
    assert len(data) >= 55
    assert {"id", "name", "cue", "dose", "regions", "desk_friendly"} <= set(data[0])


def test_movements_desk_filter(cli):
    data = json.loads(cli("movements", "--desk", "--json").stdout)
    assert len(data) >= 15
    assert all(m["desk_friendly"] and not m["helper"] for m in data)


def test_movements_region_and_kind_filters(cli):
    data = json.loads(cli("movements", "--region", "neck", "--kind", "mobilization",
                          "--json").stdout)
    assert data and all("neck" in m["regions"] and m["kind"] == "mobilization" for m in data)


def test_movements_table_is_readable(cli):
    r = cli("movements", "--desk")
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    assert lines[0].split()[:3] == ["id", "kind", "desk"]
    assert "neck-circles" in r.stdout
    assert lines[-1].endswith("'mobes movements show ID' for instructions.")


def test_movements_show_full_instructions(cli):
    r = cli("movements", "show", "neck-circles")
    assert r.returncode == 0
    for part in ("Cue:", "Steps:", "1. ", "Cautions:", "Microbreak:", "Rehab:"):
        assert part in r.stdout


def test_movements_show_by_alias_and_json(cli):
    r = cli("movements", "show", "Heel-cord stretching", "--json")
    assert r.returncode == 0
    assert json.loads(r.stdout)["helper"] is True


def test_movements_show_unknown_id_hints(cli):
    r = cli("movements", "show", "neck-circle")
    assert r.returncode == 2
    assert "no movement 'neck-circle'" in r.stderr and "neck-circles" in r.stderr
    assert "Traceback" not in r.stderr


def test_now_prints_a_desk_movement_with_dose_and_cue(cli):
    r = cli("now", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    mv = data["movements"][0]
    assert mv["amount"] > 0 and mv["cue"] and mv["dose"]
    shown = json.loads(cli("movements", "show", mv["id"], "--json").stdout)
    assert shown["desk_friendly"]
    text = cli("now").stdout
    assert mv["cue"] in text


def _quick_commands() -> list[str]:
    import importlib

    return [name for name, module, _ in COMMANDS
            if getattr(importlib.import_module(f"mobes.commands.{module}"), "QUICK_FLAGS", None)]


def test_quick_path_gives_the_namespace_argparse_gives():
    """`mobes now [--json]` and `mobes next [--json]` skip argparse; the namespace the
    command gets must be the one argparse would have built."""
    from itertools import combinations

    from mobes.cli import _quick_namespace

    quick = _quick_commands()
    assert {"now", "next"} <= set(quick)
    parser = build_parser()
    for name in quick:
        import importlib

        module = next(m for n, m, _ in COMMANDS if n == name)
        flags = importlib.import_module(f"mobes.commands.{module}").QUICK_FLAGS
        for k in range(len(flags) + 1):
            for chosen in combinations(flags, k):
                args = [name, *chosen]
                ns = _quick_namespace(args)
                assert ns is not None, args
                assert vars(ns) == vars(parser.parse_args(args)), args


def test_anything_else_goes_to_argparse(cli):
    from mobes.cli import _quick_namespace

    assert _quick_namespace(["now", "--jsn"]) is None  # typos still get argparse's hint
    assert _quick_namespace(["now", "--help"]) is None
    assert _quick_namespace(["movements", "--json"]) is None  # not opted in
    r = cli("now", "--jsn")
    assert r.returncode == 2 and "did you mean '--json'?" in r.stderr


# ------------------------------------------------- the entry point, in a real process


def test_python_dash_m_mobes(cli_process):
    r = cli_process("now", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["movements"]
    r = cli_process("movments")
    assert r.returncode == 2 and "did you mean 'movements'?" in r.stderr
    assert "Traceback" not in r.stderr


def test_the_console_script(mobes_home):
    """The `mobes` script pip installs beside this interpreter (it runs mobes.cli:main)."""
    import os
    from pathlib import Path

    script = Path(sys.executable).with_name("mobes")
    if not script.exists():
        pytest.skip(f"no console script beside {sys.executable} (mobes is not installed)")
    from tests.conftest import ROOT

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    r = subprocess.run([str(script), "--version"], capture_output=True, text=True, env=env,
                       timeout=60)
    assert r.returncode == 0 and r.stdout.strip() == f"mobes {__version__}"
    r = subprocess.run([str(script), "movements", "show", "neck-circles"], capture_output=True,
                       text=True, env=env, timeout=60)
    assert r.returncode == 0 and "Neck circles" in r.stdout, r.stderr

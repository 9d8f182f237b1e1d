#!/usr/bin/env python3
"""Resident memory (RSS) and idle CPU of the tray agent per tray backend.

Starts a throw-away desktop (Xvfb, a private D-Bus session, trayer, dunst: the same one the
desktop tests use), runs the agent with each backend until its icon docks, lets it settle,
then reads VmRSS and the CPU time used over an idle window from /proc. A bare sleeping
interpreter is measured in the same run as the baseline.

    scripts/bench_tray.py [--idle SECONDS] [--json] [-- COMMAND ...]

COMMAND defaults to ``python -m mobes run`` (the agent); budgets from issue 4: 35 MB
headless or with the xorg backend, 60 MB with GTK/AppIndicator.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.desktop.xsession import DesktopSession, missing_tools, wait_for  # noqa: E402

BUDGET_MB = {"headless": 35, "xorg": 35, "gtk": 60, "appindicator": 60}


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(session: DesktopSession, name: str, command: list[str], env: dict,
            idle: float, docks: bool) -> dict:
    proc = session.python(*command, env=env, name=f"bench-{name}")
    try:
        if docks:
            wait_for(lambda: session.docked_icons(), f"the {name} icon to dock", timeout=30)
        time.sleep(3)  # start-up work done, first refresh drawn
        if proc.poll() is not None:
            raise RuntimeError(f"{name}: the agent exited with {proc.returncode}; see "
                               f"{session.tmp / f'bench-{name}.log'}")
        cpu0 = cpu_seconds(proc.pid)
        time.sleep(idle)
        return {"name": name, "rss_mb": round(rss_mb(proc.pid), 1),
                "idle_cpu_s": round(cpu_seconds(proc.pid) - cpu0, 3),
                "start_cpu_s": round(cpu0, 3)}
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if docks:
            wait_for(lambda: not session.docked_icons(), "the icon to leave", timeout=10)


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--idle", type=float, default=10.0, help="idle window in seconds")
    p.add_argument("--json", action="store_true")
    p.add_argument("--backends", default="headless,xorg,gtk,appindicator")
    p.add_argument("command", nargs="*", help="agent command (default: -m mobes run)")
    args = p.parse_args(argv)
    missing = missing_tools()
    if missing:
        print("cannot measure, missing: " + ", ".join(missing), file=sys.stderr)
        return 3
    command = args.command or ["-m", "mobes", "run"]
    results = []
    with tempfile.TemporaryDirectory(prefix="mobes-bench-") as tmp:
        session = DesktopSession(Path(tmp) / "desktop").start()
        try:
            home = Path(tmp) / "home"
            results.append(measure(session, "bare python",
                                   ["-c", "import time; time.sleep(3600)"], {},
                                   args.idle, docks=False))
            for backend in args.backends.split(","):
                env = {"MOBES_HOME": str(home / backend)}
                cmd = list(command)
                if backend == "headless":
                    env["DISPLAY"] = ""
                    if cmd[-2:] == ["mobes", "run"]:
                        cmd.append("--headless")
                else:
                    env["PYSTRAY_BACKEND"] = backend
                results.append(measure(session, backend, cmd, env, args.idle,
                                       docks=backend != "headless"))
        finally:
            session.stop()
    base = results[0]["rss_mb"]
    for r in results:
        r["ratio_to_bare"] = round(r["rss_mb"] / base, 2)
        budget = BUDGET_MB.get(r["name"])
        r["budget_mb"] = budget
        r["within_budget"] = None if budget is None else r["rss_mb"] <= budget
    if args.json:
        print(json.dumps({"command": command, "idle_s": args.idle, "results": results},
                         indent=2))
    else:
        print(f"command: python {' '.join(command)}; idle window {args.idle:.0f} s")
        print(f"{'':14}{'RSS MB':>8}{'x bare':>8}{'budget':>8}{'idle CPU s':>12}")
        for r in results:
            budget = "" if r["budget_mb"] is None else (
                f"{r['budget_mb']}" + ("" if r["within_budget"] else "!"))
            print(f"{r['name']:14}{r['rss_mb']:>8.1f}{r['ratio_to_bare']:>8.2f}"
                  f"{budget:>8}{r['idle_cpu_s']:>12.3f}")
    return 0 if all(r["within_budget"] is not False for r in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

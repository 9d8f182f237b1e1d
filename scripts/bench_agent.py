#!/usr/bin/env python3
"""Footprint of the idle agent, beside a bare Python process measured in the same run.

    scripts/bench_agent.py [--seconds 60] [--runs 20] [--json]

1. Idle: starts ``mobes run --headless`` (and, when Xvfb and trayer are installed, the tray
   with pystray's xorg and GTK backends on a throw-away X display) under a temporary
   MOBES_HOME whose working hours cover the whole day, so the idle polls run. After a
   settling pause it reads /proc/<pid>/stat and /proc/<pid>/task/*/status twice, SECONDS
   apart: RSS, CPU seconds (schedstat, in ns), voluntary and involuntary context switches
   (all threads). A
   bare ``python -c "import time; time.sleep(...)"`` is measured the same way.
2. Start-up: the median of RUNS runs each of ``python -c pass``, ``mobes --help`` and
   ``mobes next`` (with no agent, and with an agent running), same interpreter, bytecode
   cache warm, both as the installed ``mobes`` script (pip's console-script template) and
   as ``python -m mobes`` (which adds runpy). Reported as ratios to ``python -c pass``.

Targets (issue 4): RSS <= 35 MB headless or xorg, <= 60 MB GTK; CPU < 0.02 % of a core
while idle; no wakeups beyond the idle polls; --help within 1.5x, next within 2.5x.
Linux only (it reads /proc).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ALL_DAY = "\n".join(f'{d} = ["00:00-24:00"]' for d in (
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
TICK = os.sysconf("SC_CLK_TCK")
BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir={tmp}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default"><allow send_destination="*"/><allow own="*"/></policy>
</busconfig>
"""


def env_for(home: Path, extra: dict | None = None) -> dict:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # a real install has its bytecode cached
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["MOBES_HOME"] = str(home)
    for k in ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "PYSTRAY_BACKEND"):
        env.pop(k, None)
    env.update(extra or {})
    return env


def make_home(root: Path, name: str) -> Path:
    home = root / name
    (home / "config").mkdir(parents=True)
    (home / "config" / "config.toml").write_text(f"[work]\n{ALL_DAY}\n", encoding="utf-8")
    return home


def sample(pid: int) -> dict:
    """RSS (kB), CPU seconds and context switches summed over all threads."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / TICK  # utime + stime (all threads)
    rss = vol = invol = 0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
    threads = 0
    run_ns = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/schedstat") as f:
                run_ns += int(f.read().split()[0])  # time on a CPU, in ns
        except (OSError, ValueError, IndexError):
            pass
        try:
            with open(f"/proc/{pid}/task/{task}/status") as f:
                for line in f:
                    if line.startswith("voluntary_ctxt_switches:"):
                        vol += int(line.split()[1])
                    elif line.startswith("nonvoluntary_ctxt_switches:"):
                        invol += int(line.split()[1])
            threads += 1
        except OSError:
            continue
    return {"rss_kb": rss, "cpu_s": cpu, "run_ns": run_ns, "vol": vol, "invol": invol,
            "threads": threads}


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wait_status(home: Path, timeout: float = 30) -> bool:
    path = home / "state" / "agent.json"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            return True
        time.sleep(0.1)
    return False


def agent(home: Path, extra_env: dict | None = None, args=("--headless",)) -> subprocess.Popen:
    # stderr to a file, never a pipe nobody reads (a full pipe would block the agent)
    return subprocess.Popen([sys.executable, "-m", "mobes", "run", *args],
                            env=env_for(home, extra_env), stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, cwd=ROOT,
                            stderr=open(home / "stderr.log", "wb"))


def stderr_of(home: Path | None) -> str:
    try:
        return (home / "stderr.log").read_text(errors="replace") if home else ""
    except OSError:
        return ""


class Desktop:
    """Xvfb + a session bus + trayer, for the tray backends."""

    def __init__(self, tmp: Path) -> None:
        self.tmp, self.procs, self.env = tmp, [], {}

    def start(self) -> dict:
        r, w = os.pipe()
        x = subprocess.Popen(["Xvfb", "-displayfd", str(w), "-screen", "0", "1024x768x24",
                              "-nolisten", "tcp"], pass_fds=(w,), stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        self.procs.append(x)
        os.close(w)
        with os.fdopen(r) as f:
            display = ":" + f.readline().strip()
        # a session bus that starts no services behind our back (a notification daemon
        # activated without a display would crash)
        conf = self.tmp / "bus.conf"
        conf.write_text(BUS_CONFIG.format(tmp=self.tmp))
        bus = subprocess.Popen(["dbus-daemon", f"--config-file={conf}", "--nofork",
                                "--print-address=1"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.procs.append(bus)
        address = bus.stdout.readline().strip()
        self.env = {"DISPLAY": display, "DBUS_SESSION_BUS_ADDRESS": address,
                    "NO_AT_BRIDGE": "1"}
        self.procs.append(subprocess.Popen(["trayer", "--edge", "top", "--align", "right"],
                                           env=dict(os.environ, **self.env),
                                           stdout=subprocess.DEVNULL,
                                           stderr=subprocess.DEVNULL))
        time.sleep(1.0)
        return self.env

    def stop(self) -> None:
        for p in reversed(self.procs):
            stop(p)


def startup(runs: int, home: Path) -> dict:
    env = env_for(home)

    def median_ms(args) -> float:
        for _ in range(3):  # warm the bytecode and file caches
            subprocess.run(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           cwd=ROOT)
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            subprocess.run(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           cwd=ROOT)
            times.append(time.perf_counter() - t)
        return statistics.median(times) * 1000

    py = [sys.executable]
    # What `pip install` puts on PATH as `mobes` (pip's console-script template).
    script = home / "mobes-script.py"
    script.write_text("import sys\nfrom mobes.cli import main\n"
                      "if __name__ == '__main__':\n    sys.exit(main())\n")
    ways = {"mobes": py + [str(script)], "python -m mobes": py + ["-m", "mobes"]}
    out = {"python -c pass": median_ms(py + ["-c", "pass"])}
    for label, cmd in ways.items():
        out[f"{label} --help"] = median_ms(cmd + ["--help"])
        out[f"{label} next (no agent)"] = median_ms(cmd + ["next"])
    proc = agent(home)
    try:
        if wait_status(home):
            for label, cmd in ways.items():
                out[f"{label} next (agent running)"] = median_ms(cmd + ["next"])
    finally:
        stop(proc)
    base = out["python -c pass"]
    return {k: {"ms": round(v, 1), "ratio": round(v / base, 2)} for k, v in out.items()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--settle", type=float, default=5.0)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--json", action="store_true")
    ns = ap.parse_args()
    if not sys.platform.startswith("linux"):
        print("bench_agent reads /proc: Linux only", file=sys.stderr)
        return 2
    results: dict = {"seconds": ns.seconds, "idle": {}, "skipped": {}}
    with tempfile.TemporaryDirectory(prefix="mobes-bench-") as tmp:
        root = Path(tmp)
        # made now, used after the idle run: config files younger than 2 s are re-read
        # on every start (the loader cannot trust their timestamps yet)
        startup_home = make_home(root, "startup")
        bare = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(3600)"])
        procs = {"bare python (sleeping)": (bare, None)}
        home = make_home(root, "headless")
        procs["mobes run --headless"] = (agent(home), home)
        desktop = None
        have_x = all(shutil.which(t) for t in ("Xvfb", "trayer", "dbus-daemon"))
        tray = (ROOT / "mobes" / "adapters" / "tray" / "ui.py").exists()
        if not have_x:
            results["skipped"]["tray"] = "Xvfb, trayer or dbus-daemon is not installed"
        elif not tray:
            results["skipped"]["tray"] = "this checkout has no tray adapter"
        else:
            desktop = Desktop(root)
            xenv = desktop.start()
            for backend in ("xorg", "gtk"):
                h = make_home(root, backend)
                procs[f"mobes run (tray, {backend})"] = (
                    agent(h, dict(xenv, PYSTRAY_BACKEND=backend), args=()), h)
        try:
            for name, (_proc, h) in procs.items():
                if h is not None and not wait_status(h):
                    results["skipped"][name] = ("no status file after 30 s: "
                                                + stderr_of(h).strip()[-300:])
            # all measured side by side over the same seconds
            time.sleep(ns.settle)
            before = {n: sample(p.pid) for n, (p, _) in procs.items() if p.poll() is None}
            time.sleep(ns.seconds)
            for n, (p, h) in procs.items():
                if n in results["skipped"]:
                    continue
                if p.poll() is not None or n not in before:
                    err = stderr_of(h).strip()[-300:]
                    results["skipped"][n] = f"exited ({p.returncode}): {err}"
                    continue
                a, b = before[n], sample(p.pid)
                cpu = (b["run_ns"] - a["run_ns"]) / 1e9  # schedstat: ns, not 10 ms ticks
                results["idle"][n] = {
                    "rss_mb": round(b["rss_kb"] / 1024, 1),
                    "cpu_s": round(cpu, 4),
                    "cpu_pct": round(100 * cpu / ns.seconds, 4),
                    "cpu_ticks_s": round(b["cpu_s"] - a["cpu_s"], 2),
                    "vol_switches": b["vol"] - a["vol"],
                    "invol_switches": b["invol"] - a["invol"],
                    "threads": b["threads"],
                }
        finally:
            for p, _ in procs.values():
                stop(p)
            if desktop is not None:
                desktop.stop()
        time.sleep(max(0.0, 2.5 - ns.seconds))
        results["startup"] = startup(ns.runs, startup_home)
    if ns.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"Idle for {ns.seconds:.0f} s (after {ns.settle:.0f} s settling), side by side:")
    print(f"  {'process':30} {'RSS MB':>7} {'CPU s':>8} {'CPU %':>8} {'vol cs':>7} "
          f"{'invol cs':>8} {'threads':>7}")
    for n, r in results["idle"].items():
        print(f"  {n:30} {r['rss_mb']:7.1f} {r['cpu_s']:8.4f} {r['cpu_pct']:8.4f} "
              f"{r['vol_switches']:7d} {r['invol_switches']:8d} {r['threads']:7d}")
    for n, why in results["skipped"].items():
        print(f"  {n}: skipped ({why})")
    print(f"Start-up, median of {ns.runs} runs:")
    for n, r in results["startup"].items():
        print(f"  {n:36} {r['ms']:7.1f} ms  {r['ratio']:5.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())

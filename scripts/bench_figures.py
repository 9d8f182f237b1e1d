#!/usr/bin/env python3
"""Time to draw every built-in movement's figure, beside the time to load the catalog, in
one process (a fresh interpreter per run, so every import and parse is counted).

Each run measures, in order:

  catalog        the built-in catalog read from catalog.toml and validated (no cache)
  figures        figures.toml read and validated (no cache)
  animated       all 60 animated SVGs drawn from the figures (posing, sampling, SVG text)
  static         all 60 static strips drawn
  all 60 drawn   figures + animated: what the issue's 0.5 s budget covers

and reports the median over the runs, each also as a ratio to the catalog's load time,
plus the largest animated SVG.

Usage: scripts/bench_figures.py [RUNS]   (default 7)
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

ONE_RUN = r"""
import json, time
t0 = time.perf_counter()
from mobes.adapters.catalog_file import builtin
catalog = builtin()
t1 = time.perf_counter()
from mobes.adapters.figure_file import builtin_figures
from mobes.ui import figure_svg
figures = builtin_figures()
t2 = time.perf_counter()
sizes = [len(figure_svg.render(figures[m.id], m.name, hold=figure_svg.hold_text(m)))
         for m in catalog]
t3 = time.perf_counter()
for m in catalog:
    figure_svg.render(figures[m.id], m.name, static=True, hold=figure_svg.hold_text(m))
t4 = time.perf_counter()
print(json.dumps({"catalog": t1 - t0, "figures": t2 - t1, "animated": t3 - t2,
                  "static": t4 - t3, "n": len(sizes), "largest": max(sizes),
                  "mean": sum(sizes) / len(sizes)}))
"""


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    results = []
    with tempfile.TemporaryDirectory() as home:
        # a file where the state folder would be: no TOML cache, every file parsed
        with open(os.path.join(home, "state"), "w") as f:
            f.write("not a folder\n")
        env = {**os.environ, "PYTHONPATH": ROOT, "MOBES_HOME": home}
        for i in range(runs + 1):
            out = subprocess.run([sys.executable, "-c", ONE_RUN], env=env, check=True,
                                 capture_output=True, text=True).stdout
            if i:  # the first run compiles .pyc files
                results.append(json.loads(out))
    med = {k: statistics.median(r[k] for r in results)
           for k in ("catalog", "figures", "animated", "static")}
    med["all 60 drawn"] = statistics.median(r["figures"] + r["animated"] for r in results)
    base = med["catalog"]
    print(f"{results[0]['n']} figures, median of {runs} runs (fresh interpreter each)")
    for name, t in med.items():
        print(f"  {name:<13} {t * 1000:7.1f} ms  {t / base:5.1f}x the catalog load")
    print(f"  largest animated SVG {results[0]['largest'] / 1000:.1f} KB, "
          f"mean {results[0]['mean'] / 1000:.1f} KB")
    budget = med["all 60 drawn"] < 0.5
    print(f"  under the 0.5 s budget: {'yes' if budget else 'NO'}")
    return 0 if budget else 1


if __name__ == "__main__":
    sys.exit(main())

"""`mobes report`, `mobes log` and `mobes stats` from the command line, on a real history."""

import csv
import io
import json
import os
import re
import shutil
import subprocess
from collections import Counter
from datetime import datetime
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest

from mobes.adapters import paths
from mobes.adapters.catalog_file import builtin
from mobes.adapters.store_sqlite import SqliteStore
from mobes.domain.events import COLUMNS, TYPES
from tests import histdata

ZONE = "Europe/Paris"
TZ = ZoneInfo(ZONE)
ENV = {"TZ": ZONE}
NAMES = {m.id: m.name for m in builtin()}


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """One history file for the module (writing it is most of each test's time)."""
    path = tmp_path_factory.mktemp("history") / "history.sqlite3"
    store = SqliteStore(str(path))
    expected = histdata.write(store, datetime.now(TZ).date(), TZ)
    store.close()
    return path, expected


@pytest.fixture
def history(mobes_home, written):
    """A copy of that history in this test's MOBES_HOME."""
    path, expected = written
    target = paths.history_file()
    os.makedirs(os.path.dirname(target), exist_ok=True)
    shutil.copyfile(path, target)
    return expected


class Elements(HTMLParser):
    """Every start tag with its attributes, and the page's text."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def series(self) -> Counter:
        return Counter(a["data-series"] for _, a in self.tags if "data-series" in a)


def test_html_report_draws_every_series(cli, history, tmp_path):
    out = tmp_path / "report.html"
    r = cli("report", "--format", "html", "-o", str(out), env=ENV)
    assert r.returncode == 0, r.stderr
    assert str(out) in r.stderr and r.stdout == ""
    page = Elements(out.read_text(encoding="utf-8"))
    assert page.series() == {"adherence": history["adherence_points"],
                             "rehab": history["rehab_bars"], "dose": history["dose_points"],
                             "mark": 2 * history["marks"]}  # on the dose chart and the timeline
    assert sum(1 for t, a in page.tags if t == "h3" and "data-context" in a) == \
        history["dose_charts"]
    text = "".join(page.text)
    assert histdata.TRICKY_REASON in text  # shown as text...
    assert NAMES["assisted-hip-knee-flexion"] in text and "Neck circles" in text


def test_html_report_is_self_contained_and_escaped(cli, history):
    r = cli("report", env=ENV)  # html to standard output by default
    assert r.returncode == 0, r.stderr
    html = r.stdout
    assert html.startswith("<!DOCTYPE html>")
    assert "<b>smaller</b>" not in html and "&lt;b&gt;smaller&lt;/b&gt;" in html  # ...not markup
    # the history holds a plan named "knee <left>" (the JSON export carries it as given);
    # no user-given text reaches the page as markup
    assert '"plan": "knee <left>"' in cli("report", "--format", "json", env=ENV).stdout
    assert "<left>" not in html
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    urls = set(re.findall(r"https?://[^\s\"')]+", html))
    assert urls <= {"http://www.w3.org/2000/svg"}
    tags = Elements(html).tags
    assert not [a for _, a in tags if "src" in a or "href" in a]
    assert not [t for t, _ in tags if t in ("script", "link", "img", "iframe")]


def test_since_limits_the_report(cli, history):
    first = history["first"]
    later = first.replace(day=first.day)  # same day: everything
    full = Elements(cli("report", "--since", later.isoformat(), env=ENV).stdout).series()
    assert full["adherence"] == history["adherence_points"]
    from datetime import timedelta

    cut = first + timedelta(days=5)  # keeps days 4..1 before today
    part = Elements(cli("report", "--since", cut.isoformat(), env=ENV).stdout).series()
    assert part["adherence"] == 4 and part["rehab"] == 3  # days 3, 2, 1


def test_csv_and_json_carry_every_event(cli, history, tmp_path):
    r = cli("report", "--format", "csv", env=ENV)
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert list(rows[0]) == list(COLUMNS)
    assert len(rows) == history["events"]
    assert {row["type"] for row in rows} == set(TYPES)
    times = [datetime.fromisoformat(row["at"]) for row in rows]
    assert times == sorted(times)
    held = [row for row in rows if row["type"] == "suppressed"]
    assert {row["reason"] for row in held} == {"idle", "outside-hours"}
    assert any(row["reason"] == histdata.TRICKY_REASON for row in rows)

    out = tmp_path / "events.json"
    r = cli("report", "--format", "json", "-o", str(out), env=ENV)
    assert r.returncode == 0, r.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert len(doc["events"]) == history["events"] and doc["timezone"] == ZONE
    kinds = Counter(e["type"] for e in doc["events"])
    assert kinds["batch-start"] == 6 and kinds["dose-change"] == 4
    rest = next(e for e in doc["events"] if e["type"] == "dose-change" and e["kind"] == "rest")
    assert rest["until"] is not None


def test_report_bad_input_is_one_clear_message(cli, tmp_path):
    r = cli("report", "--since", "last tuesday")
    assert r.returncode == 2 and "expected a date like" in r.stderr
    assert "Traceback" not in r.stderr
    r = cli("report", "--format", "pdf")
    assert r.returncode == 2 and "invalid choice" in r.stderr
    r = cli("report", "-o", str(tmp_path / "no" / "such" / "dir" / "r.html"))
    assert r.returncode == 1 and "cannot write the report" in r.stderr


def test_report_on_an_empty_history(cli):
    r = cli("report")
    assert r.returncode == 0 and "No dose changed" in r.stdout
    assert json.loads(cli("report", "--format", "json").stdout)["events"] == []
    assert json.loads(cli("report", "--json").stdout)["events"] == []


def test_log_tells_why_prompts_were_held_back(cli, history):
    r = cli("log", "--since", history["first"].isoformat(), env=ENV)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "no prompt: you were away from the computer [idle] - no input for 9 min" in out
    assert "no prompt: outside your working hours [outside-hours]" in out
    assert "Neck circles" in out and "rehab batch 'knee <left>'" in out
    assert "ended: partial" in out and histdata.TRICKY_REASON in out
    days = [ln for ln in out.splitlines() if ln and not ln.startswith(" ")]
    assert len(days) == 9  # one heading per day
    evs = json.loads(cli("log", "--since", history["first"].isoformat(), "--json",
                         env=ENV).stdout)
    assert len(evs) == history["events"]
    assert [e["at"] for e in evs] == sorted(e["at"] for e in evs)


def test_log_default_is_the_last_week(cli, history):
    evs = json.loads(cli("log", "--json", env=ENV).stdout)
    first = min(datetime.fromisoformat(e["at"]).astimezone(TZ).date() for e in evs)
    assert (datetime.now(TZ).date() - first).days == 6
    assert cli("log", "--since", "2026-13-01").returncode == 2


def test_log_on_an_empty_history(cli):
    r = cli("log")
    assert r.returncode == 0 and r.stdout.startswith("Nothing recorded since")


def test_stats_on_the_same_history(cli, history):
    data = json.loads(cli("stats", "--month", "--json", env=ENV).stdout)
    assert data["prompted"] == 27 and data["counts"]["away"] == 3
    done = data["counts"]["done"]
    assert data["adherence_percent"] == round(100 * done / 24, 1)
    assert data["rehab"]["complete"] == 3 and data["rehab"]["missed"] == 1
    assert {"neck", "knees"} <= set(data["regions"])
    text = cli("stats", "--month", env=ENV).stdout
    assert NAMES["assisted-hip-knee-flexion"] in text and "Mon" in text and "75% or more" in text
    plain = cli("stats", env={**ENV, "PYTHONIOENCODING": "ascii"})
    assert plain.returncode == 0 and plain.stdout.isascii()


CHROMIUM = next((p for p in (shutil.which("chromium"), "/usr/bin/chromium",
                             shutil.which("chromium-browser")) if p and os.path.exists(p)), None)

PROBE = """<script>
(function () {
  const out = {};
  for (const el of document.querySelectorAll("svg [data-series]")) {
    const s = el.dataset.series, r = el.getBoundingClientRect();
    const box = el.ownerSVGElement.getBoundingClientRect();
    const inside = r.width > 0 && r.height > 0 && r.left >= box.left - 1 &&
      r.right <= box.right + 1 && r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
    out[s] = out[s] || {count: 0, drawn: 0};
    out[s].count++;
    if (inside) out[s].drawn++;
  }
  const line = document.querySelector("svg polyline.line");
  out.polyline = line ? line.points.numberOfItems : 0;
  out.svgs = document.querySelectorAll("svg:not(.mobes-figure)").length;
  out.strips = [...document.querySelectorAll(".dosefig figure.strip svg.mobes-figure")]
    .filter(s => s.getBoundingClientRect().width > 100).length;
  const pre = document.createElement("pre");
  pre.id = "probe";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>"""


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (scripts/test installs "
                    "Debian's chromium package when run as root)")
def test_html_report_renders_in_headless_chromium(cli, history, tmp_path):
    out = tmp_path / "report.html"
    assert cli("report", "-o", str(out), env=ENV).returncode == 0
    html = out.read_text(encoding="utf-8")
    # The page forbids scripts; the probe that measures the drawing is the test's own.
    html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
    probe = tmp_path / "probe.html"
    probe.write_text(html.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    profile = tmp_path / "chromium-profile"
    r = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={profile}", "--dump-dom", probe.as_uri()],
        capture_output=True, text=True, timeout=120)
    m = re.search(r'<pre id="probe">(.*?)</pre>', r.stdout, re.S)
    assert m, f"no probe output from chromium (exit {r.returncode}): {r.stderr[-2000:]}"
    got = json.loads(m.group(1).replace("&quot;", '"'))
    n = history["adherence_points"]
    assert got["adherence"] == {"count": n, "drawn": n}
    assert got["polyline"] == n  # the line goes through every point
    assert got["rehab"] == {"count": history["rehab_bars"], "drawn": history["rehab_bars"]}
    assert got["dose"] == {"count": history["dose_points"], "drawn": history["dose_points"]}
    marks = 2 * history["marks"]
    assert got["mark"] == {"count": marks, "drawn": marks}
    assert got["svgs"] == 2 + history["dose_charts"] + 1
    # beside each dose chart, the static strip of that movement's figure
    assert got["strips"] == history["dose_charts"]


def test_stats_on_an_empty_history(cli):
    r = cli("stats", "--day")
    assert r.returncode == 0, r.stderr
    assert "Today:" in r.stdout and "0 prompted" in r.stdout
    assert "Nothing done in this period yet." in r.stdout and "Streak       0 days" in r.stdout

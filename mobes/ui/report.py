"""Reports of the history: one self-contained HTML page (inline SVG charts, inline CSS, no
script, nothing fetched: a Content-Security-Policy forbids it) for a person or their
therapist, and CSV / JSON with every event for a spreadsheet or a script.

Pure functions over rows; the ``report`` command reads the store and writes the file.
Every chart point carries ``data-series`` and ``data-day``/``data-at`` attributes so a
test (or a curious reader) can check what was drawn.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from html import escape

from mobes.domain import stats
from mobes.domain.events import COLUMNS, events, flat

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from datetime import tzinfo

    from mobes.domain.history import DoseChange, FeedbackRow

W, H = 720, 220  # chart size in SVG units
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 30
MARKS = ("pain", "too-hard")

CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2329;
 max-width:780px;margin:2em auto;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.1em}h2{margin-top:1.8em;border-bottom:1px solid #ccd3da}
h3{margin-bottom:.2em}.muted{color:#5c6670}
table{border-collapse:collapse;margin:.5em 0}td,th{padding:.2em .7em .2em 0;text-align:left;
 vertical-align:top}th{font-weight:600}td.num{text-align:right}
table.summary th{font-weight:normal;white-space:nowrap;color:#5c6670}
svg{display:block;max-width:100%;height:auto;margin:.4em 0}
.axis{stroke:#8a959f;stroke-width:1}.grid{stroke:#e3e7eb;stroke-width:1}
.tick{font-size:11px;fill:#5c6670}.line{fill:none;stroke:#2f6fb0;stroke-width:2}
.pt{fill:#2f6fb0}.step{fill:none;stroke:#6a4fb0;stroke-width:2}.dose{fill:#6a4fb0}
.complete{fill:#3a8f5c}.partial{fill:#e0a526}.missed{fill:#b9c0c7}
.pain{fill:#c62f2f}.too-hard{fill:#e07b26}
.key span{display:inline-block;width:.8em;height:.8em;margin:0 .3em 0 1em;vertical-align:-.05em}
.dosefig{display:flex;flex-wrap:wrap;gap:.4em 1em;align-items:center}
.dosefig>svg{flex:1 1 420px;min-width:0}.dosefig .strip{flex:0 1 300px;margin:0}
.dosefig .strip svg{width:100%;height:auto}.dosefig .strip figcaption{font-size:.85em}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}svg,table{break-inside:avoid}}
"""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _f(x: float) -> str:
    return f"{x:.1f}"


class _Days:
    """An x scale of whole local days, one band per day."""

    def __init__(self, first: date, last: date) -> None:
        self.first, self.n = first, (last - first).days + 1
        self.band = (W - LEFT - RIGHT) / self.n

    def x(self, d: date) -> float:
        return LEFT + ((d - self.first).days + 0.5) * self.band

    def ticks(self) -> str:
        step = max(1, -(-self.n // 8))
        out = []
        for i in range(0, self.n, step):
            d = self.first + timedelta(days=i)
            out.append(f'<text class="tick" x="{_f(self.x(d))}" y="{H - 10}" '
                       f'text-anchor="middle">{d:%d %b}</text>')
        return "".join(out)


class _Times:
    """An x scale of instants between ``t0`` and ``t1``."""

    def __init__(self, t0: datetime, t1: datetime, tz: tzinfo) -> None:
        self.t0, self.span, self.tz = t0, max((t1 - t0).total_seconds(), 1.0), tz
        self.t1 = t1

    def x(self, t: datetime) -> float:
        s = min(max((t - self.t0).total_seconds(), 0.0), self.span)
        return LEFT + s / self.span * (W - LEFT - RIGHT)

    def ticks(self, height: int) -> str:
        first = self.t0.astimezone(self.tz).date()
        last = self.t1.astimezone(self.tz).date()
        n = (last - first).days + 1
        step = max(1, -(-n // 8))
        out = []
        for i in range(0, n, step):
            d = first + timedelta(days=i)
            t = stats.midnight(d, self.tz)
            if t < self.t0:
                continue
            out.append(f'<text class="tick" x="{_f(self.x(t))}" y="{height - 10}" '
                       f'text-anchor="middle">{d:%d %b}</text>')
        return "".join(out)


def _frame(title: str, body: str, height: int = H, label: str = "") -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {height}" '
            f'width="{W}" height="{height}" role="img" aria-label="{_e(label or title)}">'
            f"<title>{_e(title)}</title>"
            f'<line class="axis" x1="{LEFT}" y1="{height - BOTTOM}" x2="{W - RIGHT}" '
            f'y2="{height - BOTTOM}"/>{body}</svg>')


def adherence_chart(days: Mapping[date, stats.Day], first: date, last: date) -> str:
    """Adherence per day (0-100%): a line with one point per day that had microbreaks."""
    xs = _Days(first, last)
    ph = H - TOP - BOTTOM

    def y(frac: float) -> float:
        return TOP + (1 - frac) * ph

    grid = "".join(
        f'<line class="grid" x1="{LEFT}" y1="{_f(y(v))}" x2="{W - RIGHT}" y2="{_f(y(v))}"/>'
        f'<text class="tick" x="{LEFT - 6}" y="{_f(y(v) + 4)}" text-anchor="end">'
        f"{int(v * 100)}%</text>" for v in (0, 0.5, 1))
    pts = []
    circles = []
    for d in sorted(days):
        if not first <= d <= last:
            continue
        a = days[d].adherence
        if a is None:
            continue
        x, yy = xs.x(d), y(a)
        pts.append(f"{_f(x)},{_f(yy)}")
        day = days[d]
        circles.append(
            f'<circle class="pt" data-series="adherence" data-day="{d.isoformat()}" '
            f'data-value="{stats.percent(a)}" cx="{_f(x)}" cy="{_f(yy)}" r="3.5">'
            f"<title>{d:%a %d %b}: {a:.0%} ({day.done} done of {day.prompted - day.away})"
            "</title></circle>")
    line = f'<polyline class="line" points="{" ".join(pts)}"/>' if len(pts) > 1 else ""
    return _frame("Microbreak adherence per day", grid + xs.ticks() + line + "".join(circles))


def rehab_chart(days: Mapping[date, stats.Day], first: date, last: date) -> str:
    """Rehab batches per day: one stacked bar a day (complete, partial, missed)."""
    xs = _Days(first, last)
    ph = H - TOP - BOTTOM
    top = max([d.complete + d.partial + d.missed for d in days.values()] + [1])

    def y(v: float) -> float:
        return TOP + (1 - v / top) * ph

    step = max(1, -(-top // 4))
    grid = "".join(
        f'<line class="grid" x1="{LEFT}" y1="{_f(y(v))}" x2="{W - RIGHT}" y2="{_f(y(v))}"/>'
        f'<text class="tick" x="{LEFT - 6}" y="{_f(y(v) + 4)}" text-anchor="end">{v}</text>'
        for v in range(0, top + 1, step))
    bars = []
    bw = max(min(xs.band * 0.7, 28), 1.5)
    for d in sorted(days):
        day = days[d]
        total = day.complete + day.partial + day.missed
        if not first <= d <= last or total == 0:
            continue
        x0 = xs.x(d) - bw / 2
        rects, base = [], 0
        for status in ("complete", "partial", "missed"):
            n = getattr(day, status)
            if n:
                rects.append(f'<rect class="{status}" x="{_f(x0)}" y="{_f(y(base + n))}" '
                             f'width="{_f(bw)}" height="{_f(y(base) - y(base + n))}"/>')
                base += n
        bars.append(
            f'<g class="bar" data-series="rehab" data-day="{d.isoformat()}" '
            f'data-complete="{day.complete}" data-partial="{day.partial}" '
            f'data-missed="{day.missed}"><title>{d:%a %d %b}: {day.complete} complete, '
            f"{day.partial} partial, {day.missed} missed</title>{''.join(rects)}</g>")
    return _frame("Rehab batches per day", grid + xs.ticks() + "".join(bars))


def _mark_shape(kind: str, x: float, y: float) -> str:
    if kind == "pain":  # a cross
        return (f"M{_f(x - 5)},{_f(y - 5)}L{_f(x + 5)},{_f(y + 5)}M{_f(x + 5)},{_f(y - 5)}"
                f"L{_f(x - 5)},{_f(y + 5)}")
    return f"M{_f(x)},{_f(y - 6)}L{_f(x + 6)},{_f(y + 5)}L{_f(x - 6)},{_f(y + 5)}Z"


def _mark(f: FeedbackRow, x: float, y: float, tz: tzinfo, label: str) -> str:
    at = f.at.astimezone(tz)
    stroke = ' stroke="#c62f2f" stroke-width="2.5"' if f.feedback == "pain" else ""
    return (f'<path class="mark {_e(f.feedback)}" data-series="mark" data-kind="{_e(f.feedback)}" '
            f'data-movement="{_e(f.movement_id)}" data-at="{_e(at.isoformat())}" '
            f'd="{_mark_shape(f.feedback, x, y)}"{stroke}>'
            f"<title>{at:%a %d %b %H:%M}: {_e(label)} felt {_e(f.feedback)}</title></path>")


def dose_chart(changes: Sequence[DoseChange], marks: Sequence[FeedbackRow], t0: datetime,
               t1: datetime, tz: tzinfo, label: str) -> str:
    """A movement's dose over time: a step line, a point per change in [t0, t1], and the
    pain / too-hard marks placed on the dose in force when they were given."""
    xs = _Times(t0, t1, tz)
    before = [c for c in changes if c.at < t0]
    inside = [c for c in changes if t0 <= c.at <= t1]
    top = max([c.new for c in before[-1:] + inside] + [c.old for c in inside] + [1])
    top = int(top * 1.15) + 1
    ph = H - TOP - BOTTOM

    def y(v: float) -> float:
        return TOP + (1 - v / top) * ph

    step = max(1, -(-top // 4))
    grid = "".join(
        f'<line class="grid" x1="{LEFT}" y1="{_f(y(v))}" x2="{W - RIGHT}" y2="{_f(y(v))}"/>'
        f'<text class="tick" x="{LEFT - 6}" y="{_f(y(v) + 4)}" text-anchor="end">{v}</text>'
        for v in range(0, top + 1, step))
    level = before[-1].new if before else None
    path: list[str] = []
    if level is not None:
        path.append(f"M{_f(xs.x(t0))},{_f(y(level))}")
    points = []
    for c in inside:
        x = xs.x(c.at)
        if level is not None:
            path.append(f"L{_f(x)},{_f(y(level))}")
        path.append(f"{'L' if path else 'M'}{_f(x)},{_f(y(c.new))}")
        level = c.new
        at = c.at.astimezone(tz)
        points.append(
            f'<circle class="dose" data-series="dose" data-at="{_e(at.isoformat())}" '
            f'data-value="{c.new}" data-kind="{_e(c.kind)}" cx="{_f(x)}" cy="{_f(y(c.new))}" '
            f'r="4"><title>{at:%a %d %b %H:%M}: {c.old} to {c.new} ({_e(c.kind)}): '
            f"{_e(c.reason)}</title></circle>")
    if level is not None:
        path.append(f"L{_f(xs.x(t1))},{_f(y(level))}")
    shapes = []
    for f in marks:
        if not t0 <= f.at <= t1:
            continue
        at_mark = [c for c in changes if c.at <= f.at]
        v = at_mark[-1].new if at_mark else top / 2
        shapes.append(_mark(f, xs.x(f.at), y(v), tz, label))
    line = f'<path class="step" d="{"".join(path)}"/>' if path else ""
    return _frame(f"Dose of {label} over time", grid + xs.ticks(H) + line + "".join(points)
                  + "".join(shapes))


def marks_chart(marks: Sequence[FeedbackRow], names: Mapping[str, str], t0: datetime,
                t1: datetime, tz: tzinfo) -> str:
    """Pain and too-hard marks on a time line, one lane per movement."""
    lanes = sorted({f.movement_id for f in marks}, key=lambda m: names.get(m, m))
    height = TOP + BOTTOM + 26 * max(len(lanes), 1)
    xs = _Times(t0, t1, tz)
    body = []
    for n, mid in enumerate(lanes):
        y = TOP + 13 + 26 * n
        body.append(f'<line class="grid" x1="{LEFT}" y1="{y}" x2="{W - RIGHT}" y2="{y}"/>'
                    f'<text class="tick" x="{LEFT + 2}" y="{y - 4}">'
                    f"{_e(names.get(mid, mid))}</text>")
        for f in marks:
            if f.movement_id == mid:
                body.append(_mark(f, xs.x(f.at), y, tz, names.get(mid, mid)))
    return _frame("Pain and too-hard marks", "".join(body) + xs.ticks(height), height)


def _summary(rows: Sequence[tuple[str, str]]) -> str:
    body = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in rows)
    return f'<table class="summary"><tbody>{body}</tbody></table>'


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], num: Sequence[int] = ()) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f'<td class="num">{_e(c)}</td>' if i in num else f"<td>{_e(c)}</td>"
                         for i, c in enumerate(r)) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def html(rows: Mapping[str, list], catalog, tz: tzinfo, since: datetime | None,
         now: datetime, figure: Callable[[str], str | None] | None = None) -> str:
    """The whole HTML report for rows read from ``since`` (None: all history) up to ``now``.

    ``figure(movement_id)`` gives the static SVG strip of a movement's key poses, shown
    beside its dose chart (None: the movement has no figure, and its cue is shown)."""
    cues = {m.id: m.cue for m in catalog}
    names = {m.id: m.name for m in catalog}
    units = {m.id: m.dose.unit for m in catalog}
    regions_of = {m.id: m.regions for m in catalog}
    today = now.astimezone(tz).date()
    starts = [p.at for p in rows["prompts"]] + [b.started for b in rows["batches"]] + \
        [f.at for f in rows["feedback"]] + [d.at for d in rows["doses"]
                                            if since is None or d.at >= since]
    if since is not None:
        first = since.astimezone(tz).date()
    elif starts:
        first = min(starts).astimezone(tz).date()
    else:
        first = today
    first = min(first, today)
    t0 = stats.midnight(first, tz)
    days = stats.daily([(p.at, p.outcome) for p in rows["prompts"] if p.kind == "microbreak"],
                       rows["batches"], tz, today)
    days = {d: v for d, v in days.items() if first <= d <= today}
    s = stats.summarize(rows["prompts"], rows["outcomes"], rows["batches"], rows["items"],
                        regions_of, t0, now + timedelta(seconds=1), today,
                        stats.streak(days, today, first)[0],
                        doses={m.id: m.dose for m in catalog})
    c = s.counts
    span = f"{first:%d %B %Y} to {today:%d %B %Y}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        'style-src \'unsafe-inline\'; img-src data:">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>mobes report, {_e(span)}</title><style>{CSS}</style></head><body>",
        "<h1>Movement report</h1>",
        f'<p class="muted">{_e(span)} ({_e(str(tz))}). Made by mobes on '
        f"{now.astimezone(tz):%d %B %Y at %H:%M}.</p>",
        "<h2>Summary</h2>",
        _summary([
            ("Microbreaks prompted", str(s.prompted)),
            ("Done / partial / skipped", f"{c['done']} / {c['partial']} / {c['skipped']}"),
            ("Snoozed / away / missed", f"{c['snoozed']} / {c['away']} / {c['missed']}"),
            ("Adherence", "-" if s.adherence is None else f"{s.adherence:.0%}"),
            ("Rehab batches complete / partial / missed",
             f"{s.rehab['complete']} / {s.rehab['partial']} / {s.rehab['missed']}"),
            ("Current streak", f"{s.streak} day{'s' * (s.streak != 1)}"),
            ("Regions worked", ", ".join(f"{k} ({v})" for k, v in s.regions.items()) or "-"),
        ]),
    ]
    if s.movements:
        parts.append("<h3>Done per movement</h3>")
        parts.append(_table(("Movement", "Amount", "Microbreaks", "Rehab sets"), [
            (names.get(m.id, m.id),
             f"{m.amount} {'s' if units.get(m.id) == 'seconds' else 'reps'}",
             str(m.microbreaks), str(m.sets)) for m in s.movements], num=(1, 2, 3)))
    parts.append("<h2>Adherence per day</h2>")
    parts.append('<p class="muted">Microbreaks done out of those that found you at your desk '
                 "(a break that found you away is not counted).</p>")
    parts.append(adherence_chart(days, first, today))
    parts.append("<h2>Rehab batches per day</h2>")
    parts.append('<p class="key muted"><span class="complete" style="background:#3a8f5c">'
                 '</span>complete (in one sitting)<span style="background:#e0a526"></span>'
                 'partial<span style="background:#b9c0c7"></span>missed</p>')
    parts.append(rehab_chart(days, first, today))
    marks = [f for f in rows["feedback"] if f.feedback in MARKS and f.at >= t0]
    by_pair: dict[tuple[str, str], list] = {}
    for d in rows["doses"]:
        by_pair.setdefault((d.movement_id, d.context), []).append(d)
    shown = sorted((p for p, ch in by_pair.items() if any(t0 <= x.at <= now for x in ch)
                    or any(f.movement_id == p[0] and f.context == p[1] for f in marks)),
                   key=lambda p: (names.get(p[0], p[0]), p[1]))
    parts.append("<h2>Doses and why they changed</h2>")
    if not shown:
        parts.append("<p>No dose changed in this period.</p>")
    for mid, ctx in shown:
        label = names.get(mid, mid)
        ch = by_pair[(mid, ctx)]
        unit = "s" if units.get(mid) == "seconds" else "reps"
        pm = [f for f in marks if f.movement_id == mid and f.context == ctx]
        parts.append(f'<h3 data-movement="{_e(mid)}" data-context="{_e(ctx)}">{_e(label)} '
                     f'<span class="muted">({_e(ctx)}, {unit})</span></h3>')
        chart = dose_chart(ch, pm, t0, now, tz, label)
        if figure is None:
            parts.append(chart)
        else:
            svg = figure(mid)
            side = (f'<figure class="strip" data-figure="{_e(mid)}">{svg}</figure>' if svg
                    else f'<p class="strip muted" data-figure="{_e(mid)}">No figure for this '
                         f"movement: {_e(cues.get(mid, ''))}</p>")
            parts.append(f'<div class="dosefig">{chart}{side}</div>')
        parts.append(_table(("When", "Change", "Dose", "Why"), [
            (f"{x.at.astimezone(tz):%d %b %Y %H:%M}", x.kind, f"{x.old} → {x.new}",
             x.reason + (f" (until {x.until.astimezone(tz):%d %b %H:%M})" if x.until else ""))
            for x in ch if t0 <= x.at <= now]))
    parts.append("<h2>Pain and too-hard marks</h2>")
    if marks or shown:
        parts.append('<p class="muted">On the charts: <span style="color:#c62f2f">✕</span> '
                     'pain, <span style="color:#e07b26">▲</span> too hard.</p>')
    if marks:
        parts.append(marks_chart(marks, names, t0, now, tz))
        parts.append(_table(("When", "Movement", "Felt", "During"), [
            (f"{f.at.astimezone(tz):%d %b %Y %H:%M}", names.get(f.movement_id, f.movement_id),
             f.feedback, f.context) for f in marks]))
    else:
        parts.append("<p>None in this period.</p>")
    parts.append('<h2>How to read this</h2><p class="muted">Each microbreak counts once, by '
                 "what became of it. Adherence is done divided by prompted minus away. A rehab "
                 "batch is complete only when finished in one sitting; one abandoned part-way "
                 "is partial, and finishing the rest later does not make it complete. A day "
                 "meets the goal with 50% adherence or a complete rehab batch; the streak "
                 "counts such days up to today, skipping days with nothing to do. mobes is "
                 "not medical advice.</p>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def all_events(rows: Mapping[str, list], since: datetime | None) -> list[dict]:
    return events(rows["prompts"], rows["outcomes"], rows["suppressed"], rows["batches"],
                  rows["items"], rows["feedback"], rows["doses"], since=since)


def csv_text(rows: Mapping[str, list], since: datetime | None) -> str:
    """Every event, one per line, with a ``type`` column and the union of fields."""
    import csv
    import io

    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(COLUMNS), lineterminator="\n")
    w.writeheader()
    for ev in all_events(rows, since):
        w.writerow(flat(ev))
    return buf.getvalue()


def json_text(rows: Mapping[str, list], since: datetime | None, now: datetime,
              tz: tzinfo) -> str:
    import json

    def default(o):
        if hasattr(o, "isoformat"):
            return o.isoformat()
        raise TypeError(type(o).__name__)

    doc = {"generated_at": now, "since": since, "timezone": str(tz),
           "events": all_events(rows, since)}
    return json.dumps(doc, indent=1, ensure_ascii=False, default=default) + "\n"

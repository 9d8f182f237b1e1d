"""Render every movement's figure into one PNG contact sheet, through headless Chromium.

Each movement gets a row cell with its animated SVG frozen at 0, 25, 50 and 75 % of one
repetition (the SVG's own SMIL clock is paused and set, so the frames are the ones the
animation really shows), under its name, view and the start of its first step. For
review: look at it movement by movement against the step texts.

    python scripts/contact_sheet.py -o contact-sheet.png [--ids a,b,c] [--columns 3]
                                    [--static] [--side left|right] [--html sheet.html]

Needs Playwright for Python and a Chromium (``--chromium``, default /usr/bin/chromium).
"""

from __future__ import annotations

import argparse
import os
import sys
from html import escape

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

PHASES = (0.0, 0.25, 0.5, 0.75)

PAGE = """<!doctype html><html><head><meta charset="utf-8"><style>
body{{margin:12px;font:13px system-ui,sans-serif;color:#1d2329;background:#fff}}
.grid{{display:grid;grid-template-columns:repeat({cols},auto);gap:14px 22px}}
.cell{{border:1px solid #dde2e7;border-radius:6px;padding:6px 8px;width:{cellw}px}}
.name{{font-weight:600}}.meta{{color:#5c6670;font-size:11px;height:2.6em;overflow:hidden}}
.frames{{display:flex;gap:4px;align-items:flex-end}}
.frames>div{{width:{fw}px;height:{fw}px;display:flex;align-items:flex-end;
 justify-content:center;border-bottom:1px solid #eef1f4}}
.frames svg{{max-width:{fw}px;max-height:{fw}px;width:auto;height:auto}}
.pct{{color:#8a959f;font-size:10px;text-align:center}}
.strip svg{{max-width:{stripw}px;height:auto}}
</style></head><body><div class="grid">{cells}</div></body></html>"""

FREEZE = """() => {
  for (const el of document.querySelectorAll('[data-phase]')) {
    const svg = el.querySelector('svg');
    svg.pauseAnimations();
    svg.setCurrentTime(parseFloat(el.dataset.phase) * parseFloat(el.dataset.cycle));
  }
  return document.querySelectorAll('[data-phase]').length;
}"""


def build_html(ids: list[str] | None, columns: int, static: bool, side: str | None,
               frame_w: int = 118) -> str:
    from mobes.adapters.catalog_file import builtin
    from mobes.adapters.figure_file import builtin_figures
    from mobes.domain.figure import mirror
    from mobes.ui import figure_svg

    catalog = builtin()
    figures = builtin_figures()
    cells = []
    for m in catalog:
        if ids and m.id not in ids:
            continue
        fig = figures.get(m.id)
        if fig is None:
            cells.append(f'<div class="cell"><div class="name">{escape(m.name)}</div>'
                         '<div class="meta">no figure</div></div>')
            continue
        if side and fig.side != "both" and fig.shown_side != side:
            fig = mirror(fig)
        hold = figure_svg.hold_text(m)
        meta = (f"{escape(m.id)} · {fig.view} · {fig.start} · {fig.cycle:g} s · "
                f"{escape(fig.shown_side)} — {escape(m.steps[0][:90])}")
        if static:
            body = ('<div class="strip">'
                    + figure_svg.render(fig, m.name, static=True, hold=hold) + "</div>")
        else:
            svg = figure_svg.render(fig, m.name, hold=hold)
            body = '<div class="frames">' + "".join(
                f'<div data-phase="{p}" data-cycle="{fig.cycle}">{svg}</div>'
                for p in PHASES) + "</div>" + '<div class="frames">' + "".join(
                f'<div class="pct" style="height:auto">{round(p * 100)} %</div>'
                for p in PHASES) + "</div>"
        cells.append(f'<div class="cell"><div class="name">{escape(m.name)}</div>'
                     f'<div class="meta">{meta}</div>{body}</div>')
    cell_w = 4 * frame_w + 3 * 4
    return PAGE.format(cols=columns, cellw=cell_w, fw=frame_w, stripw=cell_w,
                       cells="".join(cells))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", default="contact-sheet.png", help="PNG to write")
    ap.add_argument("--ids", help="comma-separated movement ids (default: all)")
    ap.add_argument("--columns", type=int, default=3)
    ap.add_argument("--static", action="store_true", help="the static strips instead")
    ap.add_argument("--side", choices=("left", "right"), help="draw this side")
    ap.add_argument("--frame", type=int, default=118, help="frame size in pixels")
    ap.add_argument("--html", help="also write the page as HTML here")
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    ns = ap.parse_args(argv)
    ids = [i.strip() for i in ns.ids.split(",")] if ns.ids else None
    page = build_html(ids, ns.columns, ns.static, ns.side, ns.frame)
    if ns.html:
        with open(ns.html, "w", encoding="utf-8") as f:
            f.write(page)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("contact_sheet: Playwright for Python is not installed "
              "(pip install playwright)", file=sys.stderr)
        return 2
    if not os.path.exists(ns.chromium):
        print(f"contact_sheet: no Chromium at {ns.chromium}", file=sys.stderr)
        return 2
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=ns.chromium, args=["--no-sandbox"])
        try:
            page_ = browser.new_page(viewport={"width": 800, "height": 600})
            page_.set_content(page)
            n = page_.evaluate(FREEZE)
            page_.wait_for_timeout(50)
            page_.screenshot(path=ns.output, full_page=True)
        finally:
            browser.close()
    print(f"{ns.output}: {n if not ns.static else 'static strips of'} "
          f"{'frames' if not ns.static else ''} for {len(ids) if ids else 'all'} movements")
    return 0


if __name__ == "__main__":
    sys.exit(main())
